"""Issue 11, finding 11 on the admin page in a real browser (Debian's chromium via Playwright) against a real
server: a new supervisor is a request that a second admin approves on the same page."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from chromium import chromium_page
from security.helpers import ADMIN, TEST_PASSWORD, ensure_user, login
from security.live import http_client, live_server


def _log_in(page, url: str, username: str) -> None:  # noqa: ANN001
    page.goto(url + "/login?next=/admin")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("#submit")


@pytest.mark.browser
def test_a_supervisor_made_on_the_admin_page_waits_for_a_second_admin(tmp_path):
    from playwright.sync_api import expect

    from security.conftest import build_app

    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    ensure_user(app.state.services.store, "admin2", "admin")
    with live_server(app) as url, chromium_page() as page:
        _log_in(page, url, ADMIN)
        expect(page).to_have_url(url + "/admin")
        page.fill("#new-user [name=username]", "ny.leder")
        page.select_option("#new-user [name=role]", "supervisor")
        page.fill("#new-user [name=unit]", "Jobcenter")
        page.click("#new-user button[type=submit]")
        expect(page.locator("#message")).to_contain_text("Venter på godkendelse af en anden administrator")
        expect(page.locator("#requests tr")).to_have_count(1)
        page.locator("#requests button", has_text="Godkend").click()  # the requester cannot approve
        expect(page.locator("#message")).to_contain_text("En anden administrator")

        page.goto(url + "/logout")  # logs out as it opens
        _log_in(page, url, "admin2")
        expect(page.locator("#requests tr")).to_have_count(1)
        page.locator("#requests button", has_text="Godkend").click()
        expect(page.locator("#message")).to_contain_text("Ny adgangskode til ny.leder")
        expect(page.locator("#requests tr")).to_have_count(0)
        expect(page.locator("#users")).to_contain_text("ny.leder")
        password = page.locator("#message").inner_text().rsplit(": ", 1)[1].strip()
        assert page.errors == []
    with live_server(app) as url, http_client(url) as newcomer:
        assert login(newcomer, "ny.leder", password)["role"] == "supervisor"
