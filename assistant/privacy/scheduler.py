"""The automatic purge: runs at server start and then every `settings.purge_interval_hours`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from assistant.privacy.retention import PurgeReport, purge_expired, retention_cutoff

log = logging.getLogger(__name__)


def purge_now(store, *, retention_days: int, manager=None) -> PurgeReport:  # noqa: ANN001
    """One purge of the store (and of ended calls the server still holds in memory), committed and erased
    from the database files (`Store.erase_deleted_content`).

    Args:
        store: The opened `Store`.
        retention_days: The retention period.
        manager: The app's `CallManager`; ended calls older than the period are dropped from its memory.

    Returns:
        What was deleted from the database.
    """
    with store.session() as session:
        report = purge_expired(session, retention_days=retention_days)
    store.erase_deleted_content()
    forget = getattr(manager, "forget_ended", None)
    if forget is not None:
        forgotten = forget(before=retention_cutoff(retention_days))
        if forgotten:
            log.info("Dropped %d ended call(s) older than %d days from memory", len(forgotten), retention_days)
    return report


async def purge_periodically(run_purge: Callable[[], PurgeReport], *, interval_hours: float) -> None:
    """Run `run_purge` now and then every `interval_hours` until cancelled; a failure is logged, not fatal."""
    while True:
        try:
            await asyncio.to_thread(run_purge)
        except Exception:  # the next run tries again; the server keeps serving
            log.exception("Retention purge failed")
        await asyncio.sleep(interval_hours * 3600)
