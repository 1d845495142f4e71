"""Login throttling: failed attempts per user name and per client address, with a lockout."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


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


class LoginThrottle:
    """Counts failed logins in memory (per server process) and says when to refuse.

    Args:
        options: Limits.
        clock: Time source (seconds); tests pass a fake clock instead of sleeping.
    """

    def __init__(self, options: ThrottleOptions | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.options = options or ThrottleOptions()
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.options.window_s:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def retry_after(self, *, username: str, address: str) -> float:
        """Seconds until a login for `username` from `address` is allowed again; 0 when it is allowed now."""
        now = self._clock()
        limits = ((f"user:{username.lower()}", self.options.max_failures),
                  (f"addr:{address}", self.options.max_failures * self.options.address_factor))
        wait = 0.0
        with self._lock:
            for key, limit in limits:
                times = self._recent(key, now)
                if len(times) >= limit:
                    wait = max(wait, self.options.window_s - (now - times[-limit]))
        return wait

    def failed(self, *, username: str, address: str) -> None:
        """Count a failed login."""
        now = self._clock()
        with self._lock:
            for key in (f"user:{username.lower()}", f"addr:{address}"):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, *, username: str) -> None:
        """A successful login clears the user name's failures (the address keeps its count)."""
        with self._lock:
            self._failures.pop(f"user:{username.lower()}", None)
