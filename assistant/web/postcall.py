"""Post-call features plug into the web app here: the store, the event recorder, notes and supervisor review.

`install_postcall(app, manager=..., settings=...)` (called once by `create_app`) opens the store, marks
calls a crash left "running" as interrupted, attaches the recorder to every new call and adds the routes
and pages. The routes' dependencies (database session, logged-in user) are in `assistant.security.deps`,
the store's errors map to HTTP statuses in `assistant.web.errors`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI

from assistant.security.deps import STORE_STATE_ATTR
from assistant.store import crud
from assistant.store.db import Store

log = logging.getLogger(__name__)

REVIEW_STATIC_DIR = Path(__file__).resolve().parent / "static" / "review"


def open_store(settings) -> Store:  # noqa: ANN001
    """Open and migrate the database named by the settings (SQLite in the data dir by default)."""
    from assistant.masking import MaskingOptions

    return Store.open(settings.resolved_database_url, masking=MaskingOptions.from_settings(settings))


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

    for module in (notes, review, stats, vocabulary):
        app.include_router(module.api_router)
        app.include_router(module.page_router)
    app.mount("/review/static", StaticFiles(directory=REVIEW_STATIC_DIR), name="review-static")
