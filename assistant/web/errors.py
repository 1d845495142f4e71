"""Turns `AssistantError` into a JSON body `{code, message}` with an HTTP status that fits its code."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.errors import AssistantError, DeviceError, ModelError, StoreError
from assistant.store.models import ImmutableRecordError

log = logging.getLogger(__name__)

# Status per stable error code, for every route (live calls and post-call); anything unlisted is the caller's
# bad input (400).
STATUS_BY_CODE: dict[str, int] = {
    "call-not-found": 404,
    "suggestion-not-found": 404,
    "note-not-found": 404,
    "note-version-not-found": 404,
    "flag-not-found": 404,
    "store-case-not-found": 404,
    "call-exists": 409,
    "call-ended": 409,
    "call-not-stream": 409,
    "note-not-draft": 409,
    "note-not-latest": 409,
    "note-not-approved": 409,
    "note-immutable": 409,
    "case-other-unit": 409,
    "empty-turn": 422,
    # 409, not 403: the admin may use the route; the change conflicts with the separation of duties.
    "admin-own-account": 409,
    "request-own": 409,
    "request-not-found": 404,
    "request-decided": 409,
    "user-exists": 409,
}


class ErrorBody(BaseModel):
    """The body of every error response."""

    code: str = Field(description="Stable kebab-case error code, e.g. call-not-found")
    message: str = Field(description="Human-readable message (Danish)")


def status_for(err: AssistantError) -> int:
    """The HTTP status for an `AssistantError`: by code, then by stage, else 400."""
    if err.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[err.code]
    if isinstance(err, ModelError | DeviceError):
        return 503  # the server cannot serve it now; the request itself was fine
    if isinstance(err, StoreError) and err.code.startswith("store-") and "failed" in err.code:
        return 500  # the database failed (store-open-failed, ...), not the request
    return 400


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers so every route reports errors the same way."""

    @app.exception_handler(AssistantError)
    async def _assistant_error(_: Request, err: AssistantError) -> JSONResponse:
        status = status_for(err)
        if status >= 500:
            log.warning("%s: %s", err.code, err.message)
        return JSONResponse(status_code=status, content=ErrorBody(code=err.code, message=err.message).model_dump())

    @app.exception_handler(ImmutableRecordError)
    async def _immutable(_: Request, err: ImmutableRecordError) -> JSONResponse:
        body = ErrorBody(code="note-immutable", message=str(err))
        return JSONResponse(status_code=STATUS_BY_CODE[body.code], content=body.model_dump())

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, err: RequestValidationError) -> JSONResponse:
        parts = []
        for problem in err.errors():
            where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body")
            parts.append(f"{where}: {problem.get('msg', '')}" if where else str(problem.get("msg", "")))
        message = "Ugyldigt input: " + "; ".join(parts)
        return JSONResponse(status_code=422, content=ErrorBody(code="invalid-input", message=message).model_dump())

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, err: Exception) -> JSONResponse:
        log.exception("Unexpected error in a request", exc_info=err)
        body = ErrorBody(code="internal-error", message="Der opstod en uventet fejl på serveren; se serverens log.")
        return JSONResponse(status_code=500, content=body.model_dump())
