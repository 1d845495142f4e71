"""Shared route dependencies: the call manager and a call looked up by id (unknown ids 404 here, once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from assistant.config import Settings
from assistant.session import CallManager, CallSession


def get_manager(connection: HTTPConnection) -> CallManager:
    """The app's `CallManager` (created by `create_app`, shut down by its lifespan)."""
    return connection.app.state.manager


def get_settings_dep(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


def get_call(call_id: str, manager: Annotated[CallManager, Depends(get_manager)]) -> CallSession:
    """The call with this id.

    Raises:
        SessionError: code `call-not-found` (HTTP 404 through the app's error handler).
    """
    return manager.get(call_id)


ManagerDep = Annotated[CallManager, Depends(get_manager)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CallDep = Annotated[CallSession, Depends(get_call)]
