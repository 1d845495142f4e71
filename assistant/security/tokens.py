"""Signed tokens: the login cookie, the CSRF token bound to it, one-time login links and OIDC state.

A token is `base64url(json payload).base64url(HMAC-SHA256(key, purpose + payload))`; the purpose keeps a
token made for one use (e.g. a login link) from being accepted as another (a session).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECRET_KEY_FILE = "secret_key"
"""File in the data dir holding the generated signing key (mode 0600)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_secret_key(configured: str | None, data_dir: Path) -> bytes:
    """The signing key: the configured one, else one generated on first use and kept in the data dir.

    Args:
        configured: `settings.secret_key` (used as given when set).
        data_dir: Where the generated key is kept (readable by the owner only).

    Returns:
        The key bytes.
    """
    if configured:
        return configured.encode("utf-8")
    path = Path(data_dir) / SECRET_KEY_FILE
    if path.is_file():
        return path.read_bytes().strip()
    key = secrets.token_urlsafe(48).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: if two processes race, the loser reads the winner's key instead of overwriting it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class TokenSigner:
    """Signs and checks purpose-bound, expiring tokens.

    Args:
        key: The secret key (`load_secret_key`).
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, purpose: str, body: str) -> str:
        return _b64(hmac.new(self._key, f"{purpose}\x00{body}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, payload: dict[str, Any], *, ttl_s: float) -> str:
        """A token carrying `payload` that `verify(purpose, …)` accepts for `ttl_s` seconds."""
        data = dict(payload, exp=int(time.time() + ttl_s))
        body = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._mac(purpose, body)}"

    def verify(self, purpose: str, token: str | None) -> dict[str, Any] | None:
        """The payload of a valid, unexpired token made for `purpose`; None for anything else."""
        if not token or token.count(".") != 1 or len(token) > 4096:
            return None
        body, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(purpose, body)):
            return None
        try:
            data = json.loads(_unb64(body))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("exp"), int) or data["exp"] < time.time():
            return None
        return data

    def digest(self, purpose: str, value: str) -> str:
        """A keyed digest of `value` (e.g. the CSRF token of a session id)."""
        return self._mac(purpose, value)


@dataclass(frozen=True)
class SessionClaims:
    """What the login cookie says.

    Attributes:
        user_id: The user's id in the store.
        sid: Random id of this login (CSRF tokens are bound to it; logout revokes it).
        fingerprint: Digest of the user's password hash, role and active flag when the cookie was issued:
            a password reset, role change or disabling the user ends every existing login.
        expires: Unix time the login ends.
    """

    user_id: int
    sid: str
    fingerprint: str
    expires: int


def credential_fingerprint(*, password_hash: str | None, role: str, active: bool, unit: str) -> str:
    """A short digest that changes whenever the user's password, role, unit or active flag changes."""
    text = f"{password_hash or ''}|{role}|{unit}|{int(active)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def new_session_id() -> str:
    return secrets.token_urlsafe(18)
