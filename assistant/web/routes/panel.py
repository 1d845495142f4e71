"""The caseworker's side-panel page (static HTML/CSS/JS, no build step)."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from assistant.errors import SessionError, StoreError
from assistant.security.deps import CurrentUser, IdentityDep, SessionDep
from assistant.store import crud
from assistant.web.deps import ManagerDep
from assistant.web.static_files import STATIC_DIR

router = APIRouter(tags=["panel"], include_in_schema=False)

# The page sets its own policy: scripts and styles only from this server, no inline code.
PANEL_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# Where each role starts: caseworkers at the panel, supervisors at the review queue, admins at admin.
START_PAGE_BY_ROLE = {"caseworker": "/panel", "supervisor": "/review", "admin": "/admin"}


@router.get("/")
async def root(identity: IdentityDep) -> RedirectResponse:
    return RedirectResponse(START_PAGE_BY_ROLE.get(identity.role, "/panel"))


@router.get("/panel", summary="Side-panel: start a call")
async def panel() -> FileResponse:
    return FileResponse(STATIC_DIR / "panel.html", headers=PANEL_HEADERS)


@router.get("/panel/{call_id}", summary="Side-panel for one call")
def panel_for_call(call_id: str, manager: ManagerDep, user: CurrentUser, db: SessionDep) -> Response:
    """The panel for the user's own live call; an own call that is over leads to its note; any other id
    (unknown, or another user's call) gets a plain "not found" page, never a live-looking panel."""
    try:
        live = manager.get(call_id)
    except SessionError:
        live = None
    if live is not None and live.owner == user.username:
        return FileResponse(STATIC_DIR / "panel.html", headers=PANEL_HEADERS)
    if live is None and _stored_call_visible(db, call_id):
        return RedirectResponse(f"/notes/{quote(call_id, safe='')}", status_code=303)
    return not_found_page(call_id)


def _stored_call_visible(db, call_id: str) -> bool:  # noqa: ANN001
    """The call is in the store and in this user's scope (the session is narrowed to their own calls)."""

    try:
        crud.get_call(db, call_id)
    except StoreError:
        return False
    return True


def not_found_page(call_id: str) -> HTMLResponse:
    """A plain Danish page for a call id this user cannot open (the same whether it exists or not)."""
    body = (f'<!doctype html><html lang="da"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>Opkaldet findes ikke</title>'
            f'<link rel="stylesheet" href="/static/login.css"></head><body><main class="login" id="not-found">'
            f"<h1>Opkaldet findes ikke</h1><p>Der er intet opkald med id'et <code>{escape(call_id)}</code>, "
            f"som du har adgang til. Det kan være afsluttet og slettet, eller høre til en anden bruger.</p>"
            f'<p><a href="/panel">Start eller find et opkald</a></p></main></body></html>')
    return HTMLResponse(body, status_code=404, headers=PANEL_HEADERS)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)  # no icon; avoids a 404 in the browser console
