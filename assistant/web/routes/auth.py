"""Login and logout: the login page, password login, one-time login links, OpenID Connect, `GET /auth/me`."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from assistant.security.deps import IdentityDep, get_store
from assistant.security.oidc import OIDC_COOKIE, OIDC_FLOW_TTL_S, OidcLogin
from assistant.security.policy import HOME_BY_ROLE
from assistant.security.services import app_services
from assistant.security.sessions import SESSION_COOKIE, Authenticator, AuthError
from assistant.store.models import User
from assistant.web.errors import ErrorBody
from assistant.web.static_files import STATIC_DIR

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


class Me(BaseModel):
    """The logged-in user, the CSRF token to send in `X-CSRF-Token`, and what the pages should show."""

    username: str
    display_name: str
    role: str
    unit: str
    home: str = Field(description="The page this role starts on")
    csrf_token: str
    voice_emotion_cues: bool = Field(description="Voice-based emotion cues are on (the panel says so)")
    retention_days: int


class OidcInfo(BaseModel):
    enabled: bool


def get_auth(request: Request) -> Authenticator:
    return app_services(request.app).auth


def get_oidc(request: Request) -> OidcLogin:
    return app_services(request.app).oidc


AuthDep = Annotated[Authenticator, Depends(get_auth)]


def safe_next(path: str | None, default: str = "/") -> str:
    """Only a path on this server (no scheme, no `//host`): a login must not redirect to another site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return default
    return path


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_response(auth: Authenticator, request: Request, user_id: int, body: Response) -> Response:
    token, csrf = auth.issue(user_id)
    auth.set_login_cookies(body, token=token, csrf=csrf, scheme=request.url.scheme)
    return body


def _refusal(err: AuthError) -> JSONResponse:
    headers = {"Retry-After": str(int(err.retry_after) + 1)} if err.retry_after else None
    return JSONResponse(status_code=err.status, content={"code": err.code, "message": err.message}, headers=headers)


@router.get("/login", include_in_schema=False)
def login_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "login.html", media_type="text/html")


@router.get("/logout", include_in_schema=False)
def logout_page() -> FileResponse:
    """The "Log ud" link's target: its script logs out at once (a POST with the CSRF token), then shows the login."""
    return FileResponse(STATIC_DIR / "logout.html", media_type="text/html")


@router.post("/auth/login", response_model=Me, summary="Log in with user name and password",
             description="Sets the HttpOnly login cookie and the CSRF cookie. Failed attempts are throttled "
                         "per user name and client address (429 with Retry-After).",
             responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}})
async def login(body: LoginIn, request: Request, auth: AuthDep) -> Response:
    try:
        user_id = await anyio.to_thread.run_sync(
            lambda: auth.check_password(body.username, body.password, address=_client_address(request)))
    except AuthError as err:
        return _refusal(err)
    token, csrf = auth.issue(user_id)
    identity = auth.identify(token)
    assert identity is not None
    response = JSONResponse(_me(identity, request).model_dump())
    auth.set_login_cookies(response, token=token, csrf=csrf, scheme=request.url.scheme)
    return response


def _me(identity, request: Request) -> Me:  # noqa: ANN001
    settings = app_services(request.app).settings
    return Me(username=identity.username, display_name=identity.display_name, role=identity.role, unit=identity.unit,
              home=HOME_BY_ROLE.get(identity.role, "/"), csrf_token=identity.csrf_token,
              voice_emotion_cues=settings.voice_emotion_cues, retention_days=settings.retention_days)


@router.post("/auth/logout", status_code=204, summary="Log out (ends this login)")
def logout(request: Request, auth: AuthDep, _: IdentityDep) -> Response:
    auth.revoke(request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    auth.clear_login_cookies(response, scheme=request.url.scheme)
    return response


@router.get("/auth/me", response_model=Me, summary="The logged-in user and the CSRF token")
def me(identity: IdentityDep, request: Request) -> Me:
    return _me(identity, request)


@router.get("/auth/link/{token}", include_in_schema=False)
def login_link(token: str, request: Request, auth: AuthDep) -> Response:
    """A one-time login link (printed by `assistant demo`): logs in and continues to the page it names.

    A link opened again in the browser that already used it continues as that login; anywhere else a used
    demo link says how to get a new one (the demo user has no password to type).
    """
    target = safe_next(request.query_params.get("next"), default="/")
    try:
        user_id = auth.redeem_login_link(token)
        identity_token, csrf = auth.issue(user_id)
    except AuthError:
        if auth.identify(request.cookies.get(SESSION_COOKIE)) is not None:
            return RedirectResponse(target, status_code=303)
        reason = "demo-used" if request.query_params.get("demo") == "1" else "invalid"
        return RedirectResponse(f"/login?link={reason}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    auth.set_login_cookies(response, token=identity_token, csrf=csrf, scheme=request.url.scheme)
    return response


@router.get("/auth/oidc/login", include_in_schema=False)
async def oidc_login(request: Request, next: str | None = Query(None)) -> Response:  # noqa: A002
    """Send the browser to the identity provider (404 when OpenID Connect is not configured)."""
    oidc = get_oidc(request)
    if not oidc.enabled:
        return JSONResponse(status_code=404, content={"code": "oidc-disabled", "message": "OIDC-login er ikke slået til."})
    try:
        url, cookie = await oidc.start(base_url=str(request.base_url), next_path=safe_next(next))
    except AuthError as err:
        return _refusal(err)
    response = RedirectResponse(url, status_code=303)
    # Lax: the provider sends the browser back with a top-level GET, which Lax cookies accompany.
    response.set_cookie(OIDC_COOKIE, cookie, max_age=OIDC_FLOW_TTL_S, path="/auth/oidc", httponly=True,
                        samesite="lax", secure=get_auth(request).cookie_secure(request.url.scheme))
    return response


@router.get("/auth/oidc/callback", include_in_schema=False)
async def oidc_callback(request: Request, code: str = Query("", max_length=4096),
                        state: str = Query("", max_length=512)) -> Response:
    oidc, auth = get_oidc(request), get_auth(request)
    if not oidc.enabled:
        return JSONResponse(status_code=404, content={"code": "oidc-disabled", "message": "OIDC-login er ikke slået til."})
    try:
        username, target = await oidc.finish(base_url=str(request.base_url), code=code, state=state,
                                             flow_cookie=request.cookies.get(OIDC_COOKIE))
        user_id = await anyio.to_thread.run_sync(lambda: _active_user_id(request, username))
    except AuthError as err:
        return _refusal(err)
    response = RedirectResponse(safe_next(target), status_code=303)
    response.delete_cookie(OIDC_COOKIE, path="/auth/oidc")
    return _login_response(auth, request, user_id, response)


def _active_user_id(request: Request, username: str) -> int:
    from sqlalchemy import select

    with get_store(request).session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise AuthError(f"Brugeren '{username}' har ikke adgang til assistenten; kontakt en administrator.",
                            code="oidc-unknown-user", status=403)
        return user.id


@router.get("/auth/oidc", response_model=OidcInfo, include_in_schema=False)
def oidc_info(request: Request) -> OidcInfo:
    return OidcInfo(enabled=get_oidc(request).enabled)
