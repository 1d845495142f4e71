"""The caseworker's side-panel page (static HTML/CSS/JS, no build step)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

from assistant.security.deps import IdentityDep
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
async def panel_for_call(call_id: str) -> FileResponse:  # noqa: ARG001 - the page reads the id from its URL
    return FileResponse(STATIC_DIR / "panel.html", headers=PANEL_HEADERS)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)  # no icon; avoids a 404 in the browser console
