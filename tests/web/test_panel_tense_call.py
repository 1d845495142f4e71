"""The panel at 400 × 900 beside a softphone, in a tense typed call (real server, analysis and Chromium).

The sentences are our own and explicit (a threat, a decision complaint with "afgørelse"/"afslag", several
complaint points), so any reasonable analysis raises them; the test checks what the caseworker sees
without scrolling and that nothing moves under the cursor while the call goes on, measured by the
browser's own layout-shift entries (PerformanceObserver 'layout-shift').
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.web.panel_dom import read_panel, wait_for_seq

pytestmark = pytest.mark.browser

BEFORE_THE_THREAT: list[tuple[str, str]] = [
    ("caseworker", "Goddag, det er Jonas fra Borgerservice. Din klage er landet på mit bord, "
                   "og jeg har et par spørgsmål til den."),
    ("citizen", "Jeg har ventet fem måneder på svar på min ansøgning om boligstøtte."),
    ("citizen", "Jeg har bedt om at blive ringet op fire gange, men ingen har gjort det."),
    ("citizen", "Og så fik jeg afslag. Den afgørelse er forkert, og jeg vil klage over afgørelsen."),
    ("citizen", "Brevet med afslaget var umuligt at forstå, der stod ingen begrundelse."),
]
THREAT = ("citizen", "Hvis I ikke ordner det i dag, så kommer jeg op på rådhuset og slår dig ned.")
AFTER_THE_THREAT: list[tuple[str, str]] = [
    ("caseworker", "Det opfatter jeg som en trussel, og det accepterer jeg ikke. Jeg afslutter samtalen nu."),
    ("citizen", "Og jeres medarbejder i telefonen var uhøflig og smækkede røret på."),
]

# Every layout shift the browser reports, with the elements that moved and whether they hold a control.
OBSERVE_SHIFTS_JS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value, hadRecentInput: entry.hadRecentInput,
      sources: (entry.sources || []).map((s) => {
        const node = s.node && s.node.nodeType === 1 ? s.node : (s.node ? s.node.parentElement : null);
        return {
          what: node ? (node.id || node.getAttribute("aria-labelledby") || node.className || node.tagName) : "(removed)",
          from: [s.previousRect.y, s.previousRect.height], to: [s.currentRect.y, s.currentRect.height],
          control: Boolean(node && (node.matches("button, input, a") || node.querySelector("button, input, a"))),
        };
      }),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

IN_VIEW_JS = """(selector) => Array.from(document.querySelectorAll(selector)).map((node) => {
  const box = node.getBoundingClientRect();
  return { top: box.top, bottom: box.bottom, height: box.height };
})"""


def _say(server, call_id: str, speaker: str, text: str) -> dict:
    response = server.http.post(f"/calls/{call_id}/turns", json={"speaker": speaker, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def _shifts_since(page, start: int) -> list[dict]:
    return page.evaluate("(n) => window.__shifts.slice(n)", start)


def _fully_in_view(page, selector: str) -> bool:
    boxes = page.evaluate(IN_VIEW_JS, selector)
    return bool(boxes) and all(b["height"] > 0 and b["top"] >= 0 and b["bottom"] <= 900 for b in boxes)


def test_tense_call_at_400_by_900(server, page, artifacts):
    page.add_init_script(OBSERVE_SHIFTS_JS)
    call_id = server.start_call(source="text", citizen_informed=True)
    page.goto(f"{server.url}/panel/{call_id}")
    page.wait_for_selector("#connection[data-state=open]")
    assert page.viewport_size == {"width": 400, "height": 900}

    for speaker, text in BEFORE_THE_THREAT:
        wait_for_seq(page, _say(server, call_id, speaker, text)["last_seq"])
    panel = read_panel(page)
    assert len(panel["points"]) >= 3, panel["points"]
    assert [g["kind"] for g in panel["guidance"]][:1] == ["decision_complaint"], panel["guidance"]

    # From here on, count what moves while new analysis arrives (the caseworker touches nothing).
    shifts_before = page.evaluate("window.__shifts.length")
    wait_for_seq(page, _say(server, call_id, *THREAT)["last_seq"])
    for speaker, text in AFTER_THE_THREAT:
        wait_for_seq(page, _say(server, call_id, speaker, text)["last_seq"])
    shifts = _shifts_since(page, shifts_before)

    panel = read_panel(page)
    guidance = [g for g in panel["guidance"] if g["visible"]]
    assert guidance[0]["kind"] == "threat" and guidance[0]["raised"], panel["guidance"]
    assert "decision_complaint" in [g["kind"] for g in panel["guidance"]]
    assert guidance[0]["evidence"].startswith("Belæg: “")  # words the citizen said, in quotes
    assert panel["light"] == "red" and 1 <= len(panel["shortReasons"]) <= 2
    assert panel["meter"] in ("2", "3")

    # Visible without scrolling: the light, the most urgent guidance, the meter and every point.
    assert page.evaluate("window.scrollY") == 0
    for selector in ("#light", "#light-reasons li", "#guidance .flag[data-kind=threat]", "#meter", "#meter-label",
                     "#points .point"):
        assert _fully_in_view(page, selector), selector

    # Nothing with a control in it moved, and the page as a whole hardly moved at all.
    moved_controls = [s for shift in shifts for s in shift["sources"] if s["control"]]
    assert moved_controls == [], json.dumps(shifts, indent=1)
    score = sum(shift["value"] for shift in shifts if not shift["hadRecentInput"])
    print(f"layout-shift score while the threat and two more turns arrived: {score:.5f}")
    assert score < 0.01, shifts
    page.screenshot(path=str(artifacts / "panel_tense_call_400x900.png"))

    # The call ends: the panel links to its note, and the note names the threat.
    page.click("#end-button")
    page.wait_for_selector("#note-link:not([hidden])")
    assert page.get_attribute("#note-link", "href") == f"/notes/{call_id}"
    note = server.http.get(f"/api/notes/{call_id}")
    assert note.status_code == 200, note.text
    assert "trussel" in note.json()["current"]["markdown"].lower()
    page.screenshot(path=str(artifacts / "panel_tense_call_ended.png"))
    assert page.js_errors == []


def test_copy_confirms_and_points_say_how_they_were_ticked(server, page, artifacts):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    call_id = server.start_call(source="text")
    for speaker, text in BEFORE_THE_THREAT:
        last = _say(server, call_id, speaker, text)
    page.goto(f"{server.url}/panel/{call_id}")
    wait_for_seq(page, last["last_seq"])
    card = page.locator("#suggestions .suggestion").first
    card.locator("[data-action=copy]").click()
    assert card.locator("[data-action=copy]").inner_text() == "Kopieret ✓"

    first = page.locator("#points .point").first
    first.locator("input").check()
    assert first.locator(".point-state").inner_text() == "Markeret som opsummeret"
    assert first.evaluate("(n) => getComputedStyle(n).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator(".points-card").screenshot(path=str(artifacts / "panel_points_hand_ticked.png"))
    summary = "Lad mig samle op: du har ventet alt for længe på svar, og ingen fra os har vendt tilbage til dig."
    wait_for_seq(page, _say(server, call_id, "caseworker", summary)["last_seq"])
    summarised = [p for p in read_panel(page)["points"] if p["summarised"]]
    assert summarised, read_panel(page)["points"]
    assert all(p["state"] == "Opsummeret i samtalen" for p in summarised)
    page.locator(".points-card").screenshot(path=str(artifacts / "panel_points_ticked_and_summarised.png"))


def test_log_out_is_one_click_and_ends_the_login(server, browser):
    from security.helpers import browser_login

    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
    browser_login(context, server.url)
    page = context.new_page()
    page.goto(f"{server.url}/panel")
    page.wait_for_selector("#start-source option[value=text]", state="attached")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    page.click("#logout-button")
    page.wait_for_url("**/login?logged_out=1")
    assert "Du er logget ud." in page.inner_text("#notice")
    # The old login cookie no longer works anywhere (it was revoked, not only deleted in this browser).
    import httpx

    stale = httpx.get(f"{server.url}/auth/me", cookies=cookies, timeout=10)
    assert stale.status_code == 401
    context.close()


def test_another_users_call_is_a_plain_not_found_page(server, browser, web_settings):
    from security.helpers import browser_login, ensure_user

    from assistant.store import Store

    ensure_user(Store.from_settings(web_settings), "kollega", "caseworker")  # a second caseworker, same database
    other = server.start_call(source="text")  # the test caseworker's call, not the colleague's
    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
    browser_login(context, server.url, "kollega")
    page = context.new_page()
    response = page.goto(f"{server.url}/panel/{other}")
    assert response.status == 404
    assert page.inner_text("h1") == "Opkaldet findes ikke"
    assert page.locator("#end-button").count() == 0
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _keep_chosen_screenshots(artifacts):
    """After the session, the telling screenshots are copied to test-artifacts/chosen/ (committed)."""
    yield
    chosen = artifacts / "chosen"
    chosen.mkdir(exist_ok=True)
    for name in ("panel_tense_call_400x900.png", "panel_tense_call_ended.png", "panel_points_ticked_and_summarised.png",
                 "panel_points_hand_ticked.png"):
        if (artifacts / name).exists():
            shutil.copy(artifacts / name, chosen / name)


def test_the_log_ud_link_of_other_pages_logs_out_at_once(server, browser):
    """The review pages link to /logout: opening it ends the login (no second confirmation click)."""
    import httpx
    from security.helpers import browser_login

    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
    browser_login(context, server.url)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    page = context.new_page()
    page.goto(f"{server.url}/logout")
    page.wait_for_url("**/login?logged_out=1")
    assert httpx.get(f"{server.url}/auth/me", cookies=cookies, timeout=10).status_code == 401
    context.close()


def test_cards_under_the_pointer_wait_until_it_leaves(server, page):
    call_id = server.start_call(source="text")
    for speaker, text in BEFORE_THE_THREAT[:3]:
        last = _say(server, call_id, speaker, text)
    page.goto(f"{server.url}/panel/{call_id}")
    wait_for_seq(page, last["last_seq"])
    before = [c["suggestion_id"] for c in read_panel(page)["suggestions"]]
    assert before
    page.hover("#suggestions .suggestion [data-action=used]")  # about to click "Brugt"
    for speaker, text in BEFORE_THE_THREAT[3:] + [THREAT]:
        last = _say(server, call_id, speaker, text)
    wait_for_seq(page, last["last_seq"])
    assert page.evaluate("window.assistantPanel.state.pendingSuggestions !== null")  # held back
    assert [c["suggestion_id"] for c in read_panel(page)["suggestions"]] == before
    assert read_panel(page)["guidance"][0]["kind"] == "threat"  # the rest of the panel does not wait
    page.mouse.move(5, 5)  # the pointer leaves the cards: the newest suggestions are shown
    page.wait_for_function("window.assistantPanel.state.pendingSuggestions === null")
