"""The login and logout pages in a real browser (Debian's chromium via Playwright) against a real server."""

from __future__ import annotations


import pytest

from assistant.config import Settings
from chromium import chromium_page
from security.helpers import CASEWORKER, SUPERVISOR, TEST_PASSWORD



@pytest.fixture(scope="module")
def live(tmp_path_factory):
    from security.conftest import build_app
    from web.conftest import free_port, run_server

    app = build_app(Settings(data_dir=tmp_path_factory.mktemp("browser"), purge_interval_hours=0))
    port = free_port()
    server, thread = run_server(app, port=port)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


@pytest.mark.browser
def test_log_in_continue_to_the_page_and_log_out(live, page):
    from playwright.sync_api import expect

    page.goto(live + "/panel")
    expect(page).to_have_url(live + "/login?next=%2Fpanel")
    page.fill("#username", CASEWORKER)
    page.fill("#password", "forkert kodeord")
    page.click("#submit")
    expect(page.locator("#error")).to_have_text("Forkert brugernavn eller adgangskode.")
    page.fill("#password", TEST_PASSWORD)
    page.click("#submit")
    expect(page).to_have_url(live + "/panel")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["assistant_session"]["httpOnly"] and cookies["assistant_session"]["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").count("assistant_session") == 0  # scripts cannot read the login

    page.click("#logout-button")  # "Log ud" on the panel: one click ends the login
    expect(page).to_have_url(live + "/login?logged_out=1")
    expect(page.locator("#notice")).to_have_text("Du er logget ud.")
    page.goto(live + "/panel")
    expect(page).to_have_url(live + "/login?next=%2Fpanel")
    assert page.errors == []


@pytest.mark.browser
def test_without_next_each_role_lands_on_its_home(live, page):
    from playwright.sync_api import expect

    page.goto(live + "/login")
    page.fill("#username", SUPERVISOR)
    page.fill("#password", TEST_PASSWORD)
    page.click("#submit")
    expect(page).to_have_url(live + "/review")
    assert page.errors == []
