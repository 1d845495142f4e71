"""Password hashing with Argon2id (argon2-cffi), generated passwords and the length rule."""

from __future__ import annotations

import secrets
from functools import lru_cache

from assistant.errors import ConfigError

GENERATED_PASSWORD_BYTES = 15
"""Random bytes in a generated password (20 URL-safe characters, ~120 bits)."""


@lru_cache
def _hasher():  # noqa: ANN202 - argon2 is imported lazily
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's second recommendation (Argon2id)


def hash_password(password: str) -> str:
    """The Argon2id hash of `password` (salted; the encoded string carries its parameters)."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches `password_hash`; False for a wrong password or no/invalid hash.

    A missing hash is still checked against a dummy hash, so an unknown or password-less user takes
    as long to refuse as a wrong password (no user enumeration by timing).
    """
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return _hasher().check_needs_rehash(password_hash)


@lru_cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def generate_password() -> str:
    """A random password for a new user or a reset (shown once, to be changed by no one: it is strong)."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def check_password_policy(password: str, *, min_length: int) -> None:
    """Refuse a password that is too short or blank.

    Raises:
        ConfigError: code `password-too-short`.
    """
    if len(password.strip()) < min_length:
        raise ConfigError(f"Adgangskoden skal være mindst {min_length} tegn.", code="password-too-short")
