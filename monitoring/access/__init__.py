"""Who may do what: users, roles, plan scopes, log-in. Plain functions, no Streamlit.
A domain package: may import `store` and the shared leaves; never `present`, `cli` or Streamlit.

The rules are checked where the data is: `monitoring.store.db.transaction` asks `enforce.authorize`
whether the acting user may do the transaction's action at all, and the writes that touch a plan
ask `enforce.write_scope` / `enforce.require_own_batch` inside that transaction (an import keeps
the cells within the projektleder's plans and reports the rest). A refusal is a
Danish `AccessDenied` and an audit event ("refused").

A store without any user is in open single-user mode: every action is allowed and audited under
the name given (the command line's login name). Creating the first user (an administrator) ends
it. This package's __init__ imports nothing, so `monitoring.store.db` can import `enforce` freely.
"""
