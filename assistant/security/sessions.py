"""Logins: checking a password, issuing and reading the signed login cookie, the CSRF token, login links.

The login lives in an HttpOnly, SameSite cookie signed with the server's key: it names the user, a random
login id and a fingerprint of the user's credentials. Each login is also a row in the store
(`login_sessions`): a logout ends it, and so does any change to the user's password, role, unit or active
flag (`store.models._end_logins_of_changed_users`), for good: neither a restart nor re-enabling the user
brings an ended login back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from starlette.responses import Response

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.security.passwords import hash_password, needs_rehash, verify_password
from assistant.security.throttle import LoginThrottle, StoredFailureLog, ThrottleOptions
from assistant.security.tokens import (
    SessionClaims,
    TokenSigner,
    credential_fingerprint,
    load_secret_key,
    new_session_id,
)
from assistant.store.models import LoginSession, User

log = logging.getLogger(__name__)

SESSION_COOKIE = "assistant_session"
CSRF_COOKIE = "assistant_csrf"
CSRF_HEADER = "x-csrf-token"
LOGIN_LINK_TTL_S = 15 * 60


class AuthError(AssistantError):
    """A login was refused; `status` is the HTTP status to answer with."""

    code = "auth-failed"

    def __init__(self, message: str, *, code: str | None = None, status: int = 401,
                 retry_after: float | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Identity:
    """The logged-in user of a request (what the gate puts in `request.state.identity`).

    Attributes:
        user_id: Id in the store.
        username: Login name.
        display_name: Name shown on pages.
        role: caseworker, supervisor or admin.
        unit: The user's unit (supervisors see their unit's calls).
        sid: This login's id.
        csrf_token: The token state-changing requests must send in `X-CSRF-Token`.
    """

    user_id: int
    username: str
    display_name: str
    role: str
    unit: str
    sid: str
    csrf_token: str


def _fingerprint(user) -> str:  # noqa: ANN001
    return credential_fingerprint(password_hash=user.password_hash, role=user.role, active=user.active, unit=user.unit)


class Authenticator:
    """Everything about logins for one app.

    Args:
        settings: Session length, cookie flags, throttle limits, the secret key (or the data dir to keep one).
        sessions: Opens a store session (`store.session`), used to read and update users and logins.
        clock: Time source (Unix seconds) for the throttle (tests pass a fake one).
    """

    def __init__(self, settings: Settings, sessions: Callable, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._sessions = sessions
        self.signer = TokenSigner(load_secret_key(settings.secret_key, settings.data_dir))
        self.throttle = LoginThrottle(ThrottleOptions(max_failures=settings.login_max_failures,
                                                      window_s=float(settings.login_lockout_s)), clock=clock,
                                      log=StoredFailureLog(sessions))
        self._used_links: dict[str, float] = {}
        self._lock = threading.Lock()

    # ---- passwords ---------------------------------------------------------------------------------

    def check_password(self, username: str, password: str, *, address: str) -> int:
        """The user id when `password` is right for an active user.

        Raises:
            AuthError: 429 `login-throttled` after too many failures; 401 `login-failed` otherwise
                (the same answer for an unknown user, a wrong password and a disabled user).
        """
        from sqlalchemy import select

        username = username.strip()
        wait = self.throttle.retry_after(username=username, address=address)
        if wait > 0:
            raise AuthError(f"For mange mislykkede forsøg. Prøv igen om {int(wait // 60) + 1} minut(ter).",
                            code="login-throttled", status=429, retry_after=wait)
        user_id = None
        with self._sessions() as session:
            user = session.scalar(select(User).where(User.username == username))
            ok = verify_password(user.password_hash if user else None, password)
            if ok and user is not None and user.active:
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                user_id = user.id
        if user_id is not None:
            self.throttle.succeeded(username=username)
            return user_id
        self.throttle.failed(username=username, address=address)
        log.info("Failed login for %r from %s", username, address)
        raise AuthError("Forkert brugernavn eller adgangskode.", code="login-failed")

    # ---- the login cookie --------------------------------------------------------------------------

    def issue(self, user_id: int) -> tuple[str, str]:
        """A new login for the user: (cookie value, CSRF token).

        Raises:
            AuthError: the user does not exist or is disabled.
        """
        from sqlalchemy import delete

        sid = new_session_id()
        ttl = self.settings.session_hours * 3600
        now = datetime.now(timezone.utc)
        with self._sessions() as session:
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise AuthError("Brugeren findes ikke eller er deaktiveret.", code="login-failed")
            fingerprint = _fingerprint(user)
            session.execute(delete(LoginSession).where(LoginSession.expires_at < now))  # keep the table small
            session.add(LoginSession(id=sid, user_id=user_id, created_at=now, expires_at=now + timedelta(seconds=ttl)))
        token = self.signer.sign("session", {"uid": user_id, "sid": sid, "fp": fingerprint}, ttl_s=ttl)
        return token, self.csrf_token(sid)

    def claims(self, cookie: str | None) -> SessionClaims | None:
        """The claims of a validly signed, unexpired login cookie (no database access: it may have ended)."""
        data = self.signer.verify("session", cookie)
        if data is None or not isinstance(data.get("uid"), int) or not isinstance(data.get("sid"), str):
            return None
        return SessionClaims(user_id=data["uid"], sid=data["sid"], fingerprint=str(data.get("fp", "")),
                             expires=data["exp"])

    def identify(self, cookie: str | None) -> Identity | None:
        """The logged-in user behind a cookie; None when it is invalid, expired, ended or outdated."""
        claims = self.claims(cookie)
        if claims is None:
            return None

        with self._sessions() as session:
            login = session.get(LoginSession, claims.sid)
            if login is None or login.ended_at is not None or login.user_id != claims.user_id:
                return None
            user = session.get(User, claims.user_id)
            if user is None or not user.active or _fingerprint(user) != claims.fingerprint:
                return None
            return Identity(user_id=user.id, username=user.username, display_name=user.display_name or user.username,
                            role=user.role, unit=user.unit or "", sid=claims.sid, csrf_token=self.csrf_token(claims.sid))

    def revoke(self, cookie: str | None) -> None:
        """End this login (logout) for good: the store marks it ended, so a restart does not revive it."""
        claims = self.claims(cookie)
        if claims is None:
            return

        with self._sessions() as session:
            login = session.get(LoginSession, claims.sid)
            if login is not None and login.ended_at is None:
                login.ended_at = datetime.now(timezone.utc)
                login.end_reason = "logout"

    def csrf_token(self, sid: str) -> str:
        """The CSRF token of a login: a keyed digest of its id (double-submit, bound to the login)."""
        return self.signer.digest("csrf", sid)

    # ---- one-time login links (the demo) ------------------------------------------------------------

    def login_link_token(self, user_id: int, *, ttl_s: float = LOGIN_LINK_TTL_S) -> str:
        """A token for `/auth/link/{token}` that logs the user in once, within `ttl_s` seconds."""
        return self.signer.sign("login-link", {"uid": user_id, "n": new_session_id()}, ttl_s=ttl_s)

    def redeem_login_link(self, token: str) -> int:
        """The user id of an unused, valid login link; the link cannot be used again.

        Raises:
            AuthError: 401 `login-link-invalid`.
        """
        data = self.signer.verify("login-link", token)
        if data is None or not isinstance(data.get("uid"), int):
            raise AuthError("Login-linket er ugyldigt eller udløbet.", code="login-link-invalid")
        now = time.time()
        with self._lock:
            self._used_links = {n: exp for n, exp in self._used_links.items() if exp > now}
            if data["n"] in self._used_links:
                raise AuthError("Login-linket er allerede brugt.", code="login-link-invalid")
            self._used_links[data["n"]] = data["exp"]
        return data["uid"]

    # ---- cookies on responses -------------------------------------------------------------------------

    def cookie_secure(self, scheme: str) -> bool:
        """Whether cookies get the Secure flag: as configured, else when the request came over HTTPS."""
        if self.settings.cookie_secure is not None:
            return self.settings.cookie_secure
        return scheme in ("https", "wss")

    def set_login_cookies(self, response: Response, *, token: str, csrf: str, scheme: str) -> None:
        """The login cookie (HttpOnly) and the CSRF cookie (readable by the pages' scripts)."""
        secure = self.cookie_secure(scheme)
        max_age = int(self.settings.session_hours * 3600)
        response.set_cookie(SESSION_COOKIE, token, max_age=max_age, path="/", secure=secure, httponly=True,
                            samesite=self.settings.cookie_samesite)
        response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, path="/", secure=secure, httponly=False,
                            samesite="strict")

    def clear_login_cookies(self, response: Response, *, scheme: str) -> None:
        secure = self.cookie_secure(scheme)
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True,
                               samesite=self.settings.cookie_samesite)
        response.delete_cookie(CSRF_COOKIE, path="/", secure=secure, samesite="strict")
