"""Debian's Chromium driven by Playwright (never a downloaded browser), for the browser tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def launch_chromium() -> Iterator:
    """A Playwright browser on /usr/bin/chromium; skips the test when it is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (/usr/bin/chromium); scripts/setup.sh --test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_page(**context_options) -> Iterator:
    """A fresh Danish-locale page; `page.errors` collects the page's uncaught JavaScript errors."""
    with launch_chromium() as browser:
        context = browser.new_context(locale="da-DK", **context_options)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
