"""Browser checks (Playwright + Debian's chromium, real uvicorn server): the note editor shows the note rendered
with the Markdown on demand and asks before a new draft replaces edits; deadlines in Danish form and passed;
the supervisor's call page finds the evidence in the transcript, links the curve to the lines and shows the
note rendered; no page links to pages its user cannot open. Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from review.conftest import seed_calls
from security.helpers import CASEWORKER, SUPERVISOR, browser_login
from store.builders import ScriptTurn, call_events, feed

from assistant.notes.service import ensure_note
from assistant.store.crud import link_call_to_case
from assistant.store.db import Store
from assistant.store.recorder import CallRecorder
from chromium import chromium_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# A threat whose evidence the analysis reports in its token form ("ved , hvor"): the page must show the words
# as said, found in the turn they were said in.
COLLEAGUE_CALL = [
    ScriptTurn("caseworker", "Goddag, det er Jonas fra Ydelser. Du har klaget over tilbagebetalingen, "
                             "og den vil jeg tale med dig om."),
    ScriptTurn("citizen", "I vil have otte tusind kroner tilbage, og ingen har forklaret mig hvorfor.",
               frustration=2, evidence=["ingen har forklaret"],
               points=[("afgoerelse", "skal betale otte tusind kroner tilbage"),
                       ("information", "ingen har forklaret hvorfor")]),
    ScriptTurn("caseworker", "Jeg kan høre, at det fylder meget. Jeg sender dig en opgørelse på torsdag."),
    ScriptTurn("citizen", "Send hvad du vil. Jeg ved, hvor din kollega bor, og jeg kommer forbi.",
               frustration=3, evidence=["ved , hvor din kollega bor"],
               flags=[("threat", ["ved , hvor din kollega bor", "jeg kommer forbi"])]),
    ScriptTurn("caseworker", "Det opfatter jeg som en trussel. Derfor stopper jeg samtalen her og giver min leder besked."),
]


@pytest.fixture
def server(server_factory):
    store = Store.open(f"sqlite:///{server_factory.data_dir / 'assistant.db'}")
    seed_calls(store)
    from assistant.notes.rules import classify_outcome

    recorder = CallRecorder(store, caseworker_username=CASEWORKER, outcome_classifier=classify_outcome)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    feed(recorder, call_events("colleaguecall", COLLEAGUE_CALL, kind="blandet", started_at=monday))
    with store.session() as session:  # the caseworker's first draft, as opening the editor makes it
        ensure_note(session, call_id="colleaguecall", user=None)
        link_call_to_case(session, call_id="calmcall", reference="K-2026-1", received_date=date(2026, 11, 2))
    store.close()
    return server_factory()


def wait_for_hash(page, expected: str) -> None:
    """The page's location hash becomes `expected` (polled: the page's CSP forbids wait_for_function's eval)."""
    for _ in range(50):
        if page.evaluate("location.hash") == expected:
            return
        page.wait_for_timeout(100)
    assert page.evaluate("location.hash") == expected


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.browser
def test_note_editor_renders_the_note_and_asks_before_a_new_draft(server):
    from playwright.sync_api import expect

    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        browser_login(page.context, server.url, CASEWORKER)
        page.goto(server.url + "/notes/colleaguecall")
        view = page.locator("#note-view article.note-rendered")
        expect(view.locator("h2")).to_have_text("Telefonnotat")
        threat = view.locator("h3", has_text="Trussel i samtalen")
        expect(threat).to_be_visible()
        expect(view).to_contain_text("»Jeg ved, hvor din kollega bor, og jeg kommer forbi.«")
        expect(view).to_contain_text("Sagsbehandleren afsluttede samtalen på grund af truslen.")
        expect(view).to_contain_text("Sagsbehandleren sender borgeren en opgørelse torsdag den 26. november 2026.")
        expect(view.locator("li strong").first).to_have_text("Sag:")  # **bold** rendered, not shown as asterisks
        assert "**" not in view.inner_text()
        shoot(page, "note-editor-rendered.png")
        # The Markdown is there on demand
        expect(page.locator("#note-text")).to_be_hidden()
        page.click("#toggle-source")
        expect(page.locator("#note-text")).to_be_visible()
        assert page.locator("#note-text").input_value().startswith("# Telefonnotat")
        # The caseworker never gets links to the supervisor's pages
        assert page.locator('a[href^="/review"]').count() == 0
        # Deadlines: Danish dates, a passed deadline says so; the acknowledgement date is what is entered
        received = date.today() - timedelta(days=30)
        page.fill("#case-reference", "K-2026-88")
        page.fill("#case-received", received.isoformat())
        page.click("#case-save")
        answer = page.locator('#case-deadlines li[data-deadline="Svar"]')
        expect(answer).to_contain_text("overskredet")
        expect(answer).to_have_class("passed")
        expect(page.locator('#case-deadlines li[data-deadline="Kvittering"]')).to_contain_text("overskredet")
        assert page.locator("#case-acknowledged").input_value() == ""
        page.click("#acknowledged-today")
        assert page.locator("#case-acknowledged").input_value() == "2026-11-23"
        shoot(page, "note-editor-source-and-deadlines.png")
        # Edits (HTML included) are shown as text in the rendered view, live
        text = page.locator("#note-text")
        text.fill(text.input_value() + "\n## Tilføjet\n- <img src=x onerror=alert(1)> **vigtigt**\n")
        expect(view.locator("h3", has_text="Tilføjet")).to_be_visible()
        expect(view).to_contain_text("<img src=x onerror=alert(1)>")
        assert view.locator("img").count() == 0
        # A new draft would throw the edits away: it asks, and "no" keeps them
        dialogs: list[str] = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.click("#regenerate")
        assert dialogs and "rettelser" in dialogs[0]
        assert "## Tilføjet" in text.input_value()
        expect(page.locator("#status")).to_contain_text("bevaret")
        # Saved edits count too; "yes" redrafts
        page.click("#save")
        expect(page.locator("#status")).to_contain_text("gemt")
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        page.click("#regenerate")
        expect(page.locator("#status")).to_contain_text("Nyt udkast")
        assert len(dialogs) == 2 and "## Tilføjet" not in text.input_value()
        assert page.errors == []


@pytest.mark.browser
def test_supervisor_call_page_locates_evidence_links_the_curve_and_renders_the_note(server):
    from playwright.sync_api import expect

    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        browser_login(page.context, server.url, SUPERVISOR)
        page.goto(server.url + "/review")
        row = page.locator("#queue-table tbody tr", has_text="Trussel").first
        expect(row).to_contain_text("Ikke gennemgået")
        expect(page.locator("#queue-table thead")).to_contain_text("Gennemgang")
        shoot(page, "supervisor-queue.png")
        assert page.locator("text=Mangler").count() == 0
        assert page.locator('a[href^="/notes"]').count() == 0  # supervisors cannot open the caseworker's editor
        page.goto(server.url + "/review/calls/colleaguecall")
        threat = page.locator('.flag[data-flag="threat"]')
        evidence = threat.locator("p.evidence a")
        expect(evidence).to_have_count(2)
        expect(evidence.first).to_contain_text("ved, hvor din kollega bor")
        expect(threat).not_to_contain_text("ved , hvor")
        # The evidence is highlighted in its turn, as contiguous words of the transcript
        turn = page.locator("#turn-4")
        expect(turn.locator("mark")).to_have_text(["ved, hvor din kollega bor", "jeg kommer forbi"])
        # A derived reason is not shown as a quote of the call
        expect(page.locator('.flag[data-flag="high_frustration"] p.evidence q')).to_have_count(0)
        expect(page.locator('.flag[data-flag="high_frustration"] p.evidence')).to_contain_text("3 – Meget vred")
        shoot(page, "supervisor-call-threat.png")
        page.evaluate("window.scrollTo(0, 0)")
        evidence.first.focus()
        page.keyboard.press("Enter")  # a keyboard user follows the link like a mouse user
        wait_for_hash(page, "#turn-4")
        expect(turn).to_be_in_viewport()
        # Each point of the curve links to its line; the x axis covers the citizen's turns only
        points = page.locator("#frustration-chart a.point")
        expect(points).to_have_count(2)
        assert [points.nth(i).get_attribute("href") for i in range(2)] == ["#turn-2", "#turn-4"]
        page.evaluate("window.scrollTo(0, 0)")
        points.first.focus()
        page.keyboard.press("Enter")
        wait_for_hash(page, "#turn-2")
        expect(page.locator("#turn-2")).to_be_in_viewport()
        box = page.locator("#frustration-chart").bounding_box()
        dots = [page.locator("#frustration-chart circle.dot").nth(i).bounding_box() for i in range(2)]
        assert dots[0]["x"] - box["x"] < 0.3 * box["width"] and dots[1]["x"] - box["x"] > 0.9 * box["width"]
        # The note, rendered (no Markdown source, no link to the caseworker's editor)
        note = page.locator("#note article.note-rendered")
        expect(note.locator("h3", has_text="Trussel i samtalen")).to_be_visible()
        assert page.locator('a[href^="/notes"]').count() == 0
        page.goto(server.url + "/review/stats")
        expect(page.locator("#deadlines")).to_contain_text("1 sag:")
        expect(page.locator("#deadline-table")).to_contain_text("2. november 2026")
        expect(page.locator("#category-table")).to_contain_text("november 2026")
        shoot(page, "supervisor-stats.png")
        assert page.errors == []
