"""The side-panel in a real browser (Debian's chromium via Playwright) on calls with typed turns (no audio).

The analysis runs for real; after every turn the panel must show exactly what the analysis returned.
"""

from __future__ import annotations

import pytest

from tests.web.panel_dom import PanelModel, read_panel, shown_analysis, wait_for_seq
from security.helpers import browser_login

pytestmark = pytest.mark.browser

# One call that raises every signal kind the panel renders: frustration 0–3, several complaint points,
# each flag (representative, decision complaint, threat, health and language barrier), each
# suggestion kind, the summarise nudge, a summary that ticks the points, and a red light.
SCRIPT: list[tuple[str, str]] = [
    ("caseworker", "Goddag, det er Mette, jeg sidder i Borgerservice i Odense Kommune. Det gælder jeres klage, "
                   "som er kommet ind til os. Passer det at snakke et par minutter nu?"),
    ("citizen", "Ja, det har jeg. Jeg ringer på vegne af min mor, jeg er hendes værge."),
    ("caseworker", "Hvordan har forløbet været for jer indtil nu?"),
    ("citizen", "Det er lidt irriterende, at det hele skal tage så lang tid."),
    ("citizen", "Vi har ventet otte måneder på svar på ansøgningen, og ingen ringer tilbage, selvom vi har lagt "
                "besked mange gange."),
    ("citizen", "Fire opkald har jeg foretaget. Fire! Og intet bliver gjort, det er fandeme typisk."),
    ("citizen", "Og så fik hun afslag på hjælpemidlet. Den afgørelse er helt forkert, den vil vi klage over."),
    ("citizen", "Og brevet vi fik var helt uforståeligt, ingen kunne forklare hvad der stod i det."),
    ("citizen", "Jeg er så træt af jer, I er nogle inkompetente idioter, det er fandme for dårligt!"),
    ("citizen", "Bliver det ikke ordnet i dag, så kommer jeg forbi kontoret, og så skal I se, hvad der sker."),
    ("caseworker", "Lad mig samle op: I har ventet længe, I er ikke blevet ringet op, brevet var "
                   "uforståeligt, og I er uenige i afgørelsen om hjælpemidlet."),
    ("citizen", "Ja. Jeg har selv en hjerneskade og kan ikke huske ting, jeg bliver helt forvirret og kan ikke "
                "koncentrere mig."),
    ("citizen", "Excuse me, I only understand a little Danish, could we switch to English?"),
]
TICK_BY_HAND_AFTER = 7  # after this turn the points are found but not yet summarised


def _say(server, call_id: str, speaker: str, text: str) -> dict:
    response = server.http.post(f"/calls/{call_id}/turns", json={"speaker": speaker, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def test_panel_shows_exactly_what_the_analysis_returned(server, page, artifacts):
    call_id = server.start_call(source="text", citizen_informed=True)
    page.goto(f"{server.url}/panel/{call_id}")
    page.wait_for_selector("#connection[data-state=open]")
    page.wait_for_selector("#turn-form", state="visible")  # a text call can be typed into (shown with call-start)

    seen = {"frustration": set(), "flags": set(), "suggestions": set(), "nudge": False, "levels": set()}
    model = PanelModel()
    for index, (speaker, text) in enumerate(SCRIPT):
        result = _say(server, call_id, speaker, text)
        update = result["analysis"]
        wait_for_seq(page, result["last_seq"])
        panel = read_panel(page)
        assert shown_analysis(panel) == model.expect(index, text, update), f"turn {index}: {text}"
        assert panel["lines"][-1] == {"utterance_id": f"txt-{index}", "speaker": speaker, "text": text, "final": True}
        # The narrow panel shows the first three suggestions and the two most urgent guidance items; the
        # rest wait behind "Vis alle".
        assert [c["visible"] for c in panel["suggestions"]] == [i < 3 for i in range(len(panel["suggestions"]))]
        assert [g["visible"] for g in panel["guidance"]] == [i < 2 for i in range(len(panel["guidance"]))]
        assert len(panel["shortReasons"]) == min(2, len(panel["reasons"]))

        seen["frustration"].add(update["turn"]["frustration"])
        seen["flags"] |= {f["kind"] for f in update["call"]["flags"]}
        seen["suggestions"] |= {s["kind"] for s in update["suggestions"]}
        seen["nudge"] |= bool(update["coaching"]["nudge"])
        seen["levels"].add(update["assessment"]["level"])

        if index == TICK_BY_HAND_AFTER:
            first = page.locator("#points .point").first
            assert first.get_attribute("data-summarised") == "false"
            first.locator("input").check()
            assert first.get_attribute("data-ticked") == "true"
            assert first.locator(".point-state").inner_text() == "Markeret som opsummeret"

    # The script exercised every kind of signal, so the checks above covered each rendering.
    assert {0, 1, 2, 3} <= seen["frustration"]
    assert seen["flags"] == {"language_barrier", "health_barrier", "threat", "decision_complaint", "representative"}
    assert seen["suggestions"] == {"summary", "question", "reflection", "deescalation", "guidance"}
    assert seen["nudge"] and "red" in seen["levels"]

    panel = read_panel(page)
    assert [line["speaker"] for line in panel["lines"]] == [s for s, _ in SCRIPT]
    assert panel["seqs"] == list(range(1, server.snapshot(call_id)["last_seq"] + 1))
    assert all(p["ticked"] for p in panel["points"])  # ticked by the summary
    if len(panel["suggestions"]) > 3:
        page.click("#suggestions-more")
        assert all(c["visible"] for c in read_panel(page)["suggestions"])
    assert page.js_errors == []
    page.screenshot(path=str(artifacts / "panel_text_call.png"), full_page=True)


def test_suggestion_actions_are_kept_on_the_call(server, page, browser):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    call_id = server.start_call(source="text")
    for speaker, text in SCRIPT[:8]:
        last = _say(server, call_id, speaker, text)
    page.goto(f"{server.url}/panel/{call_id}")
    wait_for_seq(page, last["last_seq"])
    cards = read_panel(page)["suggestions"]
    assert len(cards) >= 3, cards
    used, dismissed, copied = cards[0], cards[1], cards[2]

    page.click(f"[data-suggestion-id='{used['suggestion_id']}'] [data-action=used]")
    page.wait_for_selector(f"[data-suggestion-id='{used['suggestion_id']}'][data-state=used]")
    wait_for_seq(page, last["last_seq"] + 1)  # the server's suggestion-action event came back
    page.click(f"[data-suggestion-id='{dismissed['suggestion_id']}'] [data-action=dismiss]")
    page.wait_for_selector(f"[data-suggestion-id='{dismissed['suggestion_id']}']", state="detached")
    wait_for_seq(page, last["last_seq"] + 2)
    page.click(f"[data-suggestion-id='{copied['suggestion_id']}'] [data-action=copy]")
    wait_for_seq(page, last["last_seq"] + 3)
    assert page.inner_text(f"[data-suggestion-id='{copied['suggestion_id']}'] [data-action=copy]") == "Kopieret ✓"
    assert page.evaluate("navigator.clipboard.readText()") == copied["text"]

    actions = [(a["suggestion_id"], a["action"], a["kind"]) for a in server.snapshot(call_id)["suggestion_actions"]]
    assert actions == [(used["suggestion_id"], "used", used["kind"]),
                       (dismissed["suggestion_id"], "dismissed", dismissed["kind"]),
                       (copied["suggestion_id"], "copied", copied["kind"])]
    # A panel opened later replays the actions: the dismissed card stays hidden, the used one marked.
    fresh = browser.new_page()
    browser_login(fresh.context, server.url)  # access control: a new browser context logs in first
    fresh.goto(f"{server.url}/panel/{call_id}")
    wait_for_seq(fresh, last["last_seq"] + 3)
    assert fresh.locator(f"[data-suggestion-id='{dismissed['suggestion_id']}']").count() == 0
    assert fresh.get_attribute(f"[data-suggestion-id='{used['suggestion_id']}']", "data-state") == "used"
    fresh.close()


def test_reconnect_mid_call_shows_every_event_once(server, page):
    call_id = server.start_call(source="text", analysis=False)
    page.goto(f"{server.url}/panel/{call_id}")
    page.wait_for_selector("#connection[data-state=open]")
    last = _say(server, call_id, "caseworker", "Første replik")
    wait_for_seq(page, last["last_seq"])
    for round_ in range(3):
        page.evaluate("window.assistantPanel.dropConnection()")
        for i in range(2):  # the call goes on while the panel is away (or reconnecting)
            last = _say(server, call_id, "citizen", f"Runde {round_} replik {i}")
        wait_for_seq(page, last["last_seq"])
    page.wait_for_selector("#connection[data-state=open]")
    panel = read_panel(page)
    snap = server.snapshot(call_id)
    assert panel["seqs"] == list(range(1, snap["last_seq"] + 1))  # nothing missing, nothing twice
    assert [(l["utterance_id"], l["text"]) for l in panel["lines"]] == [
        (u["utterance_id"], u["text"]) for u in snap["utterances"]]


def test_transcript_text_is_never_markup(server, page):
    call_id = server.start_call(source="text", analysis=False)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    last = _say(server, call_id, "citizen", hostile)
    page.goto(f"{server.url}/panel/{call_id}")
    wait_for_seq(page, last["last_seq"])
    assert read_panel(page)["lines"][-1]["text"] == hostile
    assert page.locator("#transcript img, #transcript script").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def test_unknown_call_shows_a_plain_not_found_page(server, page):
    response = page.goto(f"{server.url}/panel/findes-ikke")
    assert response.status == 404
    assert page.inner_text("h1") == "Opkaldet findes ikke"
    assert page.locator("#end-button").count() == 0  # no live-looking panel


def test_start_form_starts_a_text_call(server, page):
    page.goto(f"{server.url}/panel")
    page.wait_for_selector("#start-source option[value=text]", state="attached")
    samples = server.http.get("/samples").json()["data"]
    options = page.eval_on_selector_all("#start-source option", "os => os.map(o => o.value)")
    assert options == [f"file:{s['name']}" for s in samples] + ["text"]
    page.select_option("#start-source", "text")
    page.check("#start-informed")
    page.click("#start-button")
    page.wait_for_url("**/panel/*")
    call_id = page.url.rsplit("/", 1)[1]
    assert server.snapshot(call_id)["citizen_informed"] is True
    page.fill("#turn-text", "Jeg har ventet i tre måneder på svar.")
    page.press("#turn-text", "Enter")
    page.wait_for_selector("#transcript .line[data-final=true]")
    assert [u["text"] for u in server.snapshot(call_id)["utterances"]] == ["Jeg har ventet i tre måneder på svar."]
    page.click("#end-button")
    page.wait_for_selector("#call-status[data-status=ended]")
    assert server.snapshot(call_id)["status"] == "ended"
