"""Shared route dependencies: the call manager and a call looked up by id (unknown ids 404 here, once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from assistant.errors import SessionError
from assistant.session import CallManager, CallSession


def get_manager(connection: HTTPConnection) -> CallManager:
    """The app's `CallManager` (created by `create_app`, shut down by its lifespan)."""
    return connection.app.state.manager


def get_call(call_id: str, manager: Annotated[CallManager, Depends(get_manager)],
             connection: HTTPConnection) -> CallSession:
    """The running call with this id.

    Raises:
        SessionError: code `call-ended` (HTTP 409) for the user's call that has ended (it is only in the store
            now), `call-not-found` (HTTP 404 through the app's error handler) otherwise.
    """
    call = manager.find(call_id)
    if call is not None:
        return call
    from assistant.security.deps import current_identity
    from assistant.web.ended_calls import ended_call_snapshot

    ended_call_snapshot(connection.app.state, call_id, username=current_identity(connection).username)
    raise SessionError("Opkaldet er afsluttet.", code="call-ended")


ManagerDep = Annotated[CallManager, Depends(get_manager)]
CallDep = Annotated[CallSession, Depends(get_call)]
