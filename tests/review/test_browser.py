"""Browser test (Playwright + Debian's chromium): approve and export a note; review a flagged call and see
the verdict in the statistics."""

from __future__ import annotations

import io

import pytest

from assistant.store.db import Store
from chromium import chromium_page
from review.conftest import seed_calls
from security.helpers import CASEWORKER, SUPERVISOR, browser_login



@pytest.fixture
def seeded_server(server_factory):
    store = Store.open(f"sqlite:///{server_factory.data_dir / 'assistant.db'}")
    seed_calls(store)
    store.close()
    return server_factory()


@pytest.fixture
def page():
    with chromium_page(accept_downloads=True) as page:
        yield page


@pytest.mark.browser
def test_approve_and_export_a_note(seeded_server, page):
    from playwright.sync_api import expect

    browser_login(page.context, seeded_server.url, CASEWORKER)  # access control: the caseworker's own note
    page.goto(seeded_server.url + "/notes/calmcall")
    expect(page.locator("#version-info")).to_contain_text("version 1 · kladde")
    text = page.locator("#note-text")
    assert "har ventet tre måneder" in text.input_value()
    assert page.locator("#export-pdf").get_attribute("aria-disabled") == "true"
    # Link the case, edit the note (with a CPR the server must mask) and approve it.
    page.fill("#case-reference", "K-2026-17")
    page.fill("#case-received", "2026-11-20")
    page.click("#case-save")
    expect(page.locator('#case-deadlines li[data-deadline="Svar"]')).to_contain_text("Svar senest 2. december 2026")
    page.click("#toggle-source")  # the note shows rendered; its Markdown is edited on demand
    text.fill(text.input_value() + "\nTilføjet af sagsbehandleren: CPR 010190-1234.\n")
    page.click("#approve")
    expect(page.locator("#status")).to_contain_text("godkendt")
    expect(page.locator("#version-info")).to_contain_text("godkendt")
    assert "010190-XXXX" in text.input_value() and "010190-1234" not in text.input_value()
    expect(page.locator("#approve")).to_be_disabled()
    with page.expect_download() as download_info:
        page.click("#export-pdf")
    pdf = download_info.value
    assert pdf.suggested_filename == "telefonnotat-calmcall-v1.pdf"
    from pypdf import PdfReader

    pdf_text = "\n".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert "Tilføjet af sagsbehandleren: CPR 010190-XXXX." in pdf_text
    with page.expect_download() as download_info:
        page.click("#export-docx")
    import docx

    document = docx.Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    assert any("010190-XXXX" in p.text for p in document.paragraphs)
    assert page.errors == []


@pytest.mark.browser
def test_review_a_flagged_call_and_see_the_verdict_in_the_statistics(seeded_server, page):
    from playwright.sync_api import expect

    browser_login(page.context, seeded_server.url, SUPERVISOR)  # access control: review is for supervisors
    page.goto(seeded_server.url + "/review")
    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Trussel")
    rows.first.locator("a").click()
    expect(page.locator("#transcript mark")).to_have_text(["fandeme", "banker hende"])
    expect(page.locator("#frustration-chart circle.dot")).to_have_count(2)
    threat = page.locator('.flag[data-flag="threat"]')
    threat.locator("input").fill("Klar trussel mod medarbejder")
    threat.locator("button.verdict-right").click()
    expect(page.locator('.flag[data-flag="threat"] .current-verdict')).to_contain_text("rigtigt – Klar trussel")
    page.locator('.flag[data-flag="unresolved"] button.verdict-wrong').click()
    expect(page.locator('.flag[data-flag="unresolved"] .current-verdict')).to_contain_text("forkert")
    page.goto(seeded_server.url + "/review/stats")
    table = page.locator("#flag-table")
    expect(table.locator("tr", has_text="Trussel")).to_contain_text("100 %")
    expect(table.locator("tr", has_text="Uafklaret udfald")).to_contain_text("0 %")
    expect(page.locator("#resolved-share")).to_contain_text("1 af 2")
    assert page.errors == []
