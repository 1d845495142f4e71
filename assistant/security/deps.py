"""Route dependencies: the identity the access gate found, and the logged-in user as a row of a session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from assistant.security.scoping import scope_for, scope_session
from assistant.security.sessions import Identity
from assistant.store.models import User


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

