"""Post-call features plug into the web app here: the store, the event recorder, notes and supervisor review.

`install_postcall(app, manager=..., settings=...)` (called once by `create_app`) opens the store, marks
calls a crash left "running" as interrupted, attaches the recorder to every new call and adds the routes
and pages. The dependencies the post-call routes share live here too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from assistant.errors import StoreError
from assistant.store import crud
from assistant.store.db import Store
from assistant.store.models import ImmutableRecordError, User

log = logging.getLogger(__name__)

REVIEW_STATIC_DIR = Path(__file__).resolve().parent / "static" / "review"
STORE_STATE_ATTR = "postcall_store"

# Store error codes → HTTP status (anything else is the caller's bad input: 400).
_STATUS_BY_CODE = {
    "call-not-found": 404, "note-not-found": 404, "note-version-not-found": 404, "flag-not-found": 404,
    "store-case-not-found": 404, "note-not-draft": 409, "note-not-latest": 409, "note-not-approved": 409,
    "note-immutable": 409,
}


def get_store(request: Request) -> Store:
    """The app's opened store (set by `install_postcall`)."""
    return getattr(request.app.state, STORE_STATE_ATTR)


def get_db(store: Annotated[Store, Depends(get_store)]) -> Iterator[Session]:
    """A session per request: committed when the route returns normally, rolled back on error."""
    with store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def current_user(request: Request, session: SessionDep) -> User:
    """The logged-in user (access control, `assistant.security`), as a row of this request's session.

    The access gate has already found who is logged in; the session's reads are narrowed to the calls this
    user may see (own calls for a caseworker, the unit's for a supervisor). Every post-call route depends on
    this, and every audit entry records the user it returns.

    Raises:
        HTTPException: 401 when nobody is logged in.
    """
    from assistant.security.deps import current_identity, user_for_identity

    return user_for_identity(current_identity(request), session)


CurrentUser = Annotated[User, Depends(current_user)]


def open_store(settings) -> Store:  # noqa: ANN001
    """Open and migrate the database named by the settings (SQLite in the data dir by default)."""
    return Store.open(settings.resolved_database_url)


def install_postcall(app: FastAPI, *, manager, settings) -> None:  # noqa: ANN001
    """Add the post-call routes and pages and the store's event recorder to `app`.

    Args:
        app: The FastAPI app.
        manager: The app's `CallManager`; the recorder is attached to every call it starts.
        settings: Application settings (database URL, data dir).

    Raises:
        StoreError: the database cannot be opened or migrated (the server should not start without it).
    """
    from fastapi.staticfiles import StaticFiles

    from assistant.notes.rules import classify_outcome
    from assistant.store.recorder import CallRecorder
    from assistant.web.routes import notes, review, stats, vocabulary

    store = open_store(settings)
    setattr(app.state, STORE_STATE_ATTR, store)
    with store.session() as session:
        interrupted = crud.mark_running_calls_interrupted(session)
    if interrupted:
        log.warning("Marked %d call(s) left running by a previous server as interrupted: %s",
                    len(interrupted), ", ".join(interrupted))
    manager.add_listener(CallRecorder(store, outcome_classifier=classify_outcome))

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, err: StoreError) -> JSONResponse:
        status = _STATUS_BY_CODE.get(err.code, 500 if err.code.startswith("store-") and "failed" in err.code else 400)
        return JSONResponse(status_code=status, content={"code": err.code, "message": err.message})

    @app.exception_handler(ImmutableRecordError)
    async def _immutable(_: Request, err: ImmutableRecordError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"code": "note-immutable", "message": str(err)})

    for module in (notes, review, stats, vocabulary):
        app.include_router(module.api_router)
        app.include_router(module.page_router)
    app.mount("/review/static", StaticFiles(directory=REVIEW_STATIC_DIR), name="review-static")
