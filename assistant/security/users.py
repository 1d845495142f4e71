"""User administration: add, disable/enable, reset password, list (for `assistant users …` and the admin page)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import ConfigError
from assistant.security.passwords import check_password_policy, generate_password, hash_password
from assistant.store import crud
from assistant.store.models import USER_ROLES, AccessRequest, User, utcnow

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
    _check_new_user(session, username=username, role=role)
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


# ---- separation of duties between admins ---------------------------------------------------------------

SECOND_ADMIN_ROLES = frozenset({"supervisor", "admin"})
"""Roles an admin cannot give on their own: a supervisor reads the calls of a unit, an admin can grant that."""


def needs_second_admin(target: User | None, *, role: str | None = None, unit: str | None = None) -> bool:
    """True when the change gives an account access to call content or to user administration: a supervisor
    or admin role for a new account or one that lacks it, or another unit for a supervisor."""
    new_role = role if role is not None else (target.role if target else None)
    if new_role not in SECOND_ADMIN_ROLES:
        return False
    if target is None or target.role != new_role:
        return True
    return new_role == "supervisor" and unit is not None and unit != target.unit


def refuse_own_account(actor: User | None, username: str, *, role: str | None = None,
                       active: bool | None = None) -> None:
    """An admin cannot change their own role or disable themselves (a second admin does it).

    Raises:
        ConfigError: code `admin-own-account`.
    """
    if actor is None or actor.username != username:
        return
    if (role is not None and role != actor.role) or active is False:
        raise ConfigError("Du kan ikke ændre din egen rolle eller deaktivere dig selv; det gør en anden "
                          "administrator.", code="admin-own-account")


def request_access(session: Session, *, actor: User, kind: str, username: str, role: str | None = None,
                   unit: str | None = None, display_name: str = "", oidc_only: bool = False) -> AccessRequest:
    """Store a change that a second admin must approve (`kind`: create, role or password); audited.

    Raises:
        ConfigError: a bad name or role (`user-bad-name`, `user-bad-role`), a name in use (`user-exists`).
    """
    if kind == "create":
        _check_new_user(session, username=username, role=role or "")
    request = AccessRequest(kind=kind, username=username, role=role, unit=unit, display_name=display_name,
                            oidc_only=oidc_only, requested_by=actor)
    session.add(request)
    session.flush()
    detail = ", ".join(part for part in (kind, role and f"rolle={role}", unit is not None and f"enhed={unit}") if part)
    crud.audit(session, user=actor, action="request", object_type="user", object_id=username, detail=detail)
    return request


def pending_requests(session: Session) -> list[AccessRequest]:
    return list(session.scalars(select(AccessRequest).where(AccessRequest.status == "pending")
                                .order_by(AccessRequest.id)))


def decide_request(session: Session, *, request_id: int, approve: bool, actor: User,
                   min_length: int = 12) -> tuple[AccessRequest, str | None]:
    """Approve (apply) or reject a pending request. Only another admin than the one who asked may decide.

    An approved change that leaves the account with a password gives it a new one, returned to the approving
    admin only: whatever password the requesting admin knew no longer opens the account.

    Returns:
        The request and the new password (None when rejected or the account logs in only through OIDC).

    Raises:
        ConfigError: `request-not-found`, `request-own` (the requester cannot approve), `request-decided`.
    """
    request = session.get(AccessRequest, request_id)
    if request is None:
        raise ConfigError(f"Anmodning {request_id} findes ikke.", code="request-not-found")
    if request.requested_by_id == actor.id:
        raise ConfigError("En anden administrator end den, der bad om ændringen, skal godkende den.",
                          code="request-own")
    if request.status != "pending":
        raise ConfigError(f"Anmodning {request_id} er allerede afgjort.", code="request-decided")
    request.status = "approved" if approve else "rejected"
    request.decided_by, request.decided_at = actor, utcnow()
    password = _apply(session, request, actor=actor, min_length=min_length) if approve else None
    crud.audit(session, user=actor, action="approve" if approve else "reject", object_type="user",
               object_id=request.username, detail=f"anmodning {request.id} ({request.kind})")
    session.flush()
    return request, password


def _apply(session: Session, request: AccessRequest, *, actor: User, min_length: int) -> str | None:
    if request.kind == "create":
        _, password = add_user(session, username=request.username, role=request.role or "caseworker",
                               display_name=request.display_name, unit=request.unit or "",
                               password="" if request.oidc_only else None, min_length=min_length, actor=actor)
        return password
    user = find_user(session, request.username)
    if request.kind == "role":
        user.role = request.role or user.role
        if request.unit is not None:
            user.unit = request.unit
        crud.audit(session, user=actor, action="update", object_type="user", object_id=user.username,
                   detail=f"role={user.role}, unit={user.unit}")
    if user.password_hash is None:
        return None  # logs in only through the municipality's identity provider
    return reset_password(session, username=user.username, min_length=min_length, actor=actor)


def _check_new_user(session: Session, *, username: str, role: str) -> None:
    if not _USERNAME.match(username) or username == crud.ANONYMOUS_USERNAME:
        raise ConfigError("Brugernavnet må kun indeholde bogstaver, tal og . _ @ - (højst 80 tegn).",
                          code="user-bad-name")
    if role not in USER_ROLES:
        raise ConfigError(f"Rollen skal være en af {', '.join(USER_ROLES)}.", code="user-bad-role")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ConfigError(f"Brugeren '{username}' findes allerede.", code="user-exists")
