"""The four roles and the actions each may take (actions are `monitoring.store.db.transaction` names)."""

from __future__ import annotations

from monitoring.store.models import ROLES

ROLE_TEXT = {
    "læser": "ser de helhedsplaner, den har fået",
    "koordinationsudvalg": "ser alle helhedsplaner og områder i sine kommuner",
    "projektleder": "ser, uploader, indtaster og fortryder egne importer for sine helhedsplaner",
    "administrator": "må alt, også oprette og ændre brugere",
}

# A projektleder may take these actions, each limited to its own plans (enforce.require_*).
PLAN_ACTIONS = frozenset(
    {
        "import-lbf",
        "undo-import",
        "comment",
        "edit-plan",
        "import-delaftale",
        "restore-indicator",
        "remove-demo",  # only when every demo figure lies in its plans
        "import-history",  # a read: its own imports and those that wrote its plans' figures
    }
)
# Records of what happened, written by anyone (a failed log-in has no user yet); they change no
# figures, so they do not move the store's change stamp (pages keep their cached reads).
RECORD_ACTIONS = frozenset({"login", "login-failed", "logout", "refused", "session"})
# How a refusal names an action: "… må ikke <text>".
ACTION_TEXT = {
    "import-lbf": "importere eller indtaste tal",
    "undo-import": "fortryde importer",
    "comment": "skrive kommentarer til delmål",
    "edit-plan": "redigere delaftaler",
    "import-delaftale": "importere delaftaler",
    "restore-indicator": "gendanne indikatorer",
    "seed": "indlæse delaftalerne (init)",
    "demo": "indlæse demodata",
    "remove-demo": "fjerne demodata",
    "user": "oprette eller ændre brugere",
    "user-list": "se brugerlisten",
    "read": "se noget i databasen",
    "import-history": "se importhistorikken",
    "backup": "tage en sikkerhedskopi",
    "restore": "gendanne en sikkerhedskopi",
}


def may(role: str, action: str) -> bool:
    """Whether the role may take the action at all (scope is checked separately)."""
    if action in RECORD_ACTIONS or role == "administrator":
        return True
    return role == "projektleder" and action in PLAN_ACTIONS


def roles_allowed(action: str) -> list[str]:
    return [role for role in ROLES if may(role, action)]


def action_text(action: str) -> str:
    return ACTION_TEXT.get(action) or ACTION_TEXT.get(action.split("-")[0], action)
