"""User administration: add, disable/enable, reset password, list (for `assistant users …` and the admin page)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import ConfigError
from assistant.security.passwords import check_password_policy, generate_password, hash_password
from assistant.store import crud
from assistant.store.models import USER_ROLES, User

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")


def find_user(session: Session, username: str) -> User:
    """The user with this name.

    Raises:
        ConfigError: code `user-not-found`.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ConfigError(f"Brugeren '{username}' findes ikke.", code="user-not-found")
    return user


def add_user(session: Session, *, username: str, role: str, display_name: str = "", unit: str = "",
             password: str | None = None, min_length: int = 12, actor: User | None = None) -> tuple[User, str | None]:
    """Create a user with a password (a generated one when `password` is None).

    Args:
        session: Store session.
        username: Login name (letters, digits, . _ @ -).
        role: caseworker, supervisor or admin.
        display_name: Name shown on pages and in notes.
        unit: The user's unit (supervisors see the calls of caseworkers in their unit).
        password: The password; None generates one. Pass "" for a user who logs in only through OIDC.
        min_length: Shortest password accepted.
        actor: Who did it (audit); None for the command line.

    Returns:
        The user and the generated password (None when one was given).

    Raises:
        ConfigError: a bad name or role, a name in use, or a too short password.
    """
    if not _USERNAME.match(username) or username == crud.ANONYMOUS_USERNAME:
        raise ConfigError("Brugernavnet må kun indeholde bogstaver, tal og . _ @ - (højst 80 tegn).",
                          code="user-bad-name")
    if role not in USER_ROLES:
        raise ConfigError(f"Rollen skal være en af {', '.join(USER_ROLES)}.", code="user-bad-role")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ConfigError(f"Brugeren '{username}' findes allerede.", code="user-exists")
    generated = None
    if password is None:
        password = generated = generate_password()
    if password:
        check_password_policy(password, min_length=min_length)
    user = User(username=username, role=role, display_name=display_name or username, unit=unit,
                password_hash=hash_password(password) if password else None, active=True)
    session.add(user)
    session.flush()
    crud.audit(session, user=actor, action="create", object_type="user", object_id=username, detail=role)
    return user, generated


def set_active(session: Session, *, username: str, active: bool, actor: User | None = None) -> User:
    """Disable (every login ends at once) or enable a user."""
    user = find_user(session, username)
    user.active = active
    session.flush()
    crud.audit(session, user=actor, action="enable" if active else "disable", object_type="user", object_id=username)
    return user


def reset_password(session: Session, *, username: str, password: str | None = None, min_length: int = 12,
                   actor: User | None = None) -> str | None:
    """Set a new password (generated when None); every existing login of the user ends.

    Returns:
        The generated password, or None when one was given.
    """
    user = find_user(session, username)
    generated = None
    if password is None:
        password = generated = generate_password()
    check_password_policy(password, min_length=min_length)
    user.password_hash = hash_password(password)
    session.flush()
    crud.audit(session, user=actor, action="reset-password", object_type="user", object_id=username)
    return generated


def list_users(session: Session) -> list[User]:
    """Every user except the placeholder 'anonymous' of installations from before logins existed."""
    return [u for u in session.scalars(select(User).order_by(User.username)) if u.username != crud.ANONYMOUS_USERNAME]
