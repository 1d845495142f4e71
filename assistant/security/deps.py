"""Route dependencies: the logged-in user (replaces the post-call stub) and role checks for routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from assistant.security.scoping import scope_for, scope_session
from assistant.security.sessions import Identity
from assistant.store.models import User
from assistant.web.postcall import get_db


def current_identity(connection: HTTPConnection) -> Identity:
    """The identity the access gate found for this request.

    Raises:
        HTTPException: 401 when there is none (a route the gate treats as public asked for a user).
    """
    identity = connection.scope.get("state", {}).get("identity")
    if identity is None:
        raise HTTPException(status_code=401, detail="Du skal logge ind.")
    return identity


IdentityDep = Annotated[Identity, Depends(current_identity)]


def current_user(identity: IdentityDep, session: Annotated[Session, Depends(get_db)]) -> User:
    """The logged-in user as a row of the request's database session (see `user_for_identity`)."""
    return user_for_identity(identity, session)


def user_for_identity(identity: Identity, session: Session) -> User:
    """The identity's user as a row of `session`, whose reads are narrowed from now on to the calls this
    user may see (`security.scoping`). `postcall.current_user` (what every post-call route depends on) uses it.

    Raises:
        HTTPException: 401 when the user no longer exists or is disabled.
    """
    user = session.get(User, identity.user_id)
    if user is None or not user.active:
        raise HTTPException(status_code=401, detail="Du skal logge ind.")
    scope_session(session, scope_for(role=user.role, user_id=user.id, unit=user.unit or ""))
    return user


CurrentUserDep = Annotated[User, Depends(current_user)]


def require_role(*roles: str):  # noqa: ANN201
    """A dependency refusing (403) users whose role is not one of `roles` (a second check inside a route;
    the gate's table is the first)."""

    def check(identity: IdentityDep) -> Identity:
        if identity.role not in roles:
            raise HTTPException(status_code=403, detail="Din rolle giver ikke adgang til dette.")
        return identity

    return check
