"""Shared route dependencies: the call manager, a call looked up by id (unknown ids 404 here, once) and the
municipality's deadline rules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from assistant.errors import SessionError
from assistant.security.deps import current_identity
from assistant.security.services import app_services
from assistant.session import CallManager, CallSession
from assistant.store.deadlines import DeadlineOptions
from assistant.web.ended_calls import ended_call_snapshot


def get_manager(connection: HTTPConnection) -> CallManager:
    """The app's `CallManager` (created by `create_app`, shut down by its lifespan)."""
    return app_services(connection.app).manager


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

    ended_call_snapshot(app_services(connection.app), call_id, username=current_identity(connection).username)
    raise SessionError("Opkaldet er afsluttet.", code="call-ended")


ManagerDep = Annotated[CallManager, Depends(get_manager)]
CallDep = Annotated[CallSession, Depends(get_call)]


def deadline_options(connection: HTTPConnection) -> DeadlineOptions:
    """The municipality's deadline rules (settings: acknowledgement/answer days, working days)."""
    return DeadlineOptions.from_settings(app_services(connection.app).settings)


DeadlinesDep = Annotated[DeadlineOptions, Depends(deadline_options)]
