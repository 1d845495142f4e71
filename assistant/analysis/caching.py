"""A cache keyed by an argument's identity, for tables derived from long-lived loaded data.

The lexicons and word lists the analysis loads once are large tuples or sets: hashing them on every call (as
``functools.lru_cache`` would) costs more than the lookup saves, but they stay the same objects for the life of
the process, so their identity is key enough. The entry keeps the object alive, so its id cannot be reused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cached_by_identity(maxsize: int = 8) -> Callable[[Callable[[T], R]], Callable[[T], R]]:
    """Decorate a one-argument function so its result is kept per argument object (at most ``maxsize`` objects:
    a caller that passes fresh objects each time must not make the cache grow without bound)."""

    def decorate(fn: Callable[[T], R]) -> Callable[[T], R]:
        cache: dict[int, tuple[T, R]] = {}

        @wraps(fn)
        def cached(obj: T) -> R:
            hit = cache.get(id(obj))
            if hit is not None and hit[0] is obj:
                return hit[1]
            if len(cache) >= maxsize:
                cache.clear()
            value = fn(obj)
            cache[id(obj)] = (obj, value)
            return value

        return cached

    return decorate
