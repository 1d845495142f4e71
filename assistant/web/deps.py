"""Shared route dependencies: the call manager and a call looked up by id (unknown ids 404 here, once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from assistant.session import CallManager, CallSession


def get_manager(connection: HTTPConnection) -> CallManager:
    """The app's `CallManager` (created by `create_app`, shut down by its lifespan)."""
    return connection.app.state.manager


def get_call(call_id: str, manager: Annotated[CallManager, Depends(get_manager)]) -> CallSession:
    """The call with this id.

    Raises:
        SessionError: code `call-not-found` (HTTP 404 through the app's error handler).
    """
    return manager.get(call_id)


ManagerDep = Annotated[CallManager, Depends(get_manager)]
CallDep = Annotated[CallSession, Depends(get_call)]
