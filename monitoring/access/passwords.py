"""Password hashes with argon2id (argon2-cffi's defaults, which follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from monitoring.errors import MonitorError

MIN_LENGTH = 8
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash("ingen-bruger-har-denne-adgangskode")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise MonitorError(f"Adgangskoden skal være mindst {MIN_LENGTH} tegn; intet er gemt.")
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
