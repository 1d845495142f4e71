"""Route dependencies: the app's store and a database session per request, the identity the access gate
found, and the logged-in user as a row of that session. Every post-call route depends on these."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from assistant.security.scoping import scope_for, scope_session
from assistant.security.services import app_services
from assistant.security.sessions import Identity
from assistant.store.db import Store
from assistant.store.models import User


def get_store(connection: HTTPConnection) -> Store:
    """The app's opened store (`AppServices.store`)."""
    return app_services(connection.app).store


def get_db(store: Annotated[Store, Depends(get_store)]) -> Iterator[Session]:
    """A session per request: committed when the route returns normally, rolled back on error."""
    with store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


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
    user may see (`security.scoping`). `current_user` (what every post-call route depends on) uses it.

    Raises:
        HTTPException: 401 when the user no longer exists or is disabled.
    """
    user = session.get(User, identity.user_id)
    if user is None or not user.active:
        raise HTTPException(status_code=401, detail="Du skal logge ind.")
    scope_session(session, scope_for(role=user.role, user_id=user.id, unit=user.unit or ""))
    return user


def current_user(request: Request, session: SessionDep) -> User:
    """The logged-in user (access control, `assistant.security`), as a row of this request's session.

    The access gate has already found who is logged in; the session's reads are narrowed to the calls this
    user may see (own calls for a caseworker, the unit's for a supervisor). Every post-call route depends on
    this, and every audit entry records the user it returns.

    Raises:
        HTTPException: 401 when nobody is logged in.
    """
    return user_for_identity(current_identity(request), session)


CurrentUser = Annotated[User, Depends(current_user)]
