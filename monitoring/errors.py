"""The one exception type whose message is meant for users: a Danish sentence naming the place."""


class MonitorError(Exception):
    """A problem the user can act on; the message is Danish and says what and where."""
