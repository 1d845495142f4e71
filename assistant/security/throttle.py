"""Login throttling: failed attempts per user name and per client address, with a lockout.

The failures are kept in a `FailureLog`: in memory (`MemoryFailureLog`, for tests and tools) or in the
store (`StoredFailureLog`, what the server uses), so a restart does not hand an attacker a fresh budget.
Times are wall-clock seconds (Unix time), which mean the same after a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from assistant.store.models import LoginFailure


@dataclass(frozen=True)
class ThrottleOptions:
    """When further logins are refused.

    Attributes:
        max_failures: Failures within `window_s` (per user name, and per client address) that lock it.
        window_s: Seconds a failure counts; a lockout lasts until the oldest counted failure is this old.
        address_factor: A client address may fail this many times `max_failures` (one office behind one
            address may hold many users) before the address itself is locked.
    """

    max_failures: int = 5
    window_s: float = 900.0
    address_factor: int = 4


class FailureLog(Protocol):
    """Where failed attempts are kept, per key (`user:<name>` or `addr:<address>`)."""

    def recent(self, key: str, *, since: float) -> list[float]:
        """Times of the key's failures at or after `since`, oldest first."""

    def add(self, keys: list[str], at: float, *, forget_before: float) -> None:
        """Count one failure at `at` under each key; failures before `forget_before` may be dropped."""

    def clear(self, key: str) -> None:
        """Forget every failure of the key."""


class MemoryFailureLog:
    """Failures in this process's memory (lost on restart)."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def recent(self, key: str, *, since: float) -> list[float]:
        with self._lock:
            return [t for t in self._failures.get(key, []) if t >= since]

    def add(self, keys: list[str], at: float, *, forget_before: float) -> None:
        with self._lock:
            for key in keys:
                kept = [t for t in self._failures.get(key, []) if t >= forget_before]
                self._failures[key] = [*kept, at]

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class StoredFailureLog:
    """Failures in the store's `login_failures` table (survive a restart; shared by processes on one store).

    Args:
        sessions: Opens a store session (`Store.session`).
    """

    def __init__(self, sessions: Callable) -> None:
        self._sessions = sessions

    def recent(self, key: str, *, since: float) -> list[float]:
        from sqlalchemy import select

        with self._sessions() as session:
            return list(session.scalars(select(LoginFailure.failed_at).where(
                LoginFailure.key == key, LoginFailure.failed_at >= since).order_by(LoginFailure.failed_at)))

    def add(self, keys: list[str], at: float, *, forget_before: float) -> None:
        from sqlalchemy import delete

        with self._sessions() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.failed_at < forget_before))
            session.add_all(LoginFailure(key=key, failed_at=at) for key in keys)

    def clear(self, key: str) -> None:
        from sqlalchemy import delete

        with self._sessions() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class LoginThrottle:
    """Counts failed logins and says when to refuse.

    Args:
        options: Limits.
        clock: Time source (Unix seconds); tests pass a fake clock instead of sleeping.
        log: Where failures are kept; in memory when None.
    """

    def __init__(self, options: ThrottleOptions | None = None, *, clock: Callable[[], float] = time.time,
                 log: FailureLog | None = None) -> None:
        self.options = options or ThrottleOptions()
        self._clock = clock
        self._log: FailureLog = log if log is not None else MemoryFailureLog()

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        return [(f"user:{username.lower()}", self.options.max_failures),
                (f"addr:{address}", self.options.max_failures * self.options.address_factor)]

    def retry_after(self, *, username: str, address: str) -> float:
        """Seconds until a login for `username` from `address` is allowed again; 0 when it is allowed now."""
        now = self._clock()
        since = now - self.options.window_s
        wait = 0.0
        for key, limit in self._keys(username, address):
            times = [t for t in self._log.recent(key, since=since) if now - t < self.options.window_s]
            if len(times) >= limit:
                wait = max(wait, self.options.window_s - (now - times[-limit]))
        return wait

    def failed(self, *, username: str, address: str) -> None:
        """Count a failed login."""
        now = self._clock()
        keys = [key for key, _ in self._keys(username, address)]
        self._log.add(keys, now, forget_before=now - self.options.window_s)

    def succeeded(self, *, username: str) -> None:
        """A successful login clears the user name's failures (the address keeps its count)."""
        self._log.clear(f"user:{username.lower()}")
