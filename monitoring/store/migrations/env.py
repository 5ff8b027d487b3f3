"""Alembic's entry point: run the revisions on the connection `monitoring.store.migrations` hands over.

From the `alembic` command line (developers writing a revision) it opens the store named by
DATABASE_URL, or data/monitor.db, instead.
"""

from __future__ import annotations

from alembic import context

from monitoring.store.migrations import compared
from monitoring.store.models import Base


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=compared(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from monitoring.store.db import get_engine

    with get_engine().connect() as opened:
        _run(opened)
        opened.commit()
