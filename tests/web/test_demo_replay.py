"""`assistant demo` as a new user meets it: a real process, its printed link, the panel in Chromium at 400 × 900.

The default demo replays the sample's script (what the recording was made from) turn by turn through the
same session, analysis, panel and store; it waits for the panel before it starts. Replayed 6× faster than
speaking pace here (`--speed 6`) to keep the test short; the pacing itself is not asserted.
"""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest

from assistant.paths import SAMPLES_DIR
from assistant.session.replay import load_script
from tests.web.conftest import free_port
from tests.web.panel_dom import read_panel
from tests.web.test_panel_tense_call import OBSERVE_SHIFTS_JS
from tests.web.test_server_commands import _read_until, _spawn, _stop

pytestmark = pytest.mark.browser

SAMPLE = "02_flere_klagepunkter_frustreret"
LINK = r"Åbn panelet: (http://127\.0\.0\.1:\d+/auth/link/\S+\?next=/panel/(\w+)\S*)"


def test_script_is_paced_from_the_timeline():
    script = load_script(SAMPLES_DIR / f"{SAMPLE}.wav")
    source = json.loads((SAMPLES_DIR / f"{SAMPLE}.script.json").read_text(encoding="utf-8"))
    timeline = json.loads((SAMPLES_DIR / f"{SAMPLE}.timeline.json").read_text(encoding="utf-8"))
    assert [(t.speaker, t.text) for t in script.turns] == [(t["speaker"], t["text"]) for t in source["turns"]]
    assert [t.end_s for t in script.turns] == [t["end"] for t in timeline["turns"]]
    assert script.title == source["title"]


@pytest.mark.parametrize("wav", sorted(SAMPLES_DIR.glob("*.wav")), ids=lambda p: p.stem)
def test_every_sample_has_a_script_to_replay(wav):
    script = load_script(wav)
    ends = [t.end_s for t in script.turns]
    assert script.turns and ends == sorted(ends)
    assert {t.speaker for t in script.turns} == {"caseworker", "citizen"}


def test_script_without_timeline_is_paced_by_words(tmp_path):
    shutil.copy(SAMPLES_DIR / f"{SAMPLE}.script.json", tmp_path / "x.script.json")
    script = load_script(tmp_path / "x.wav")
    ends = [t.end_s for t in script.turns]
    assert ends == sorted(ends) and ends[0] > 0


def test_a_missing_script_is_a_clear_error(tmp_path):
    from assistant.errors import SessionError

    with pytest.raises(SessionError) as err:
        load_script(tmp_path / "nothing.wav")
    assert err.value.code == "script-not-found"


def test_demo_replays_the_script_on_the_panel(tmp_path, artifacts, browser):
    port = free_port()
    proc = _spawn(["demo", "--no-browser", "--port", str(port), "--speed", "6"], tmp_path)
    try:
        match, output = _read_until(proc, LINK, timeout=120)
        url, call_id = match.group(1), match.group(2)
        assert "starter, når du åbner panelet" in output and "svag til dansk" not in output
        base = f"http://127.0.0.1:{port}"
        script = load_script(SAMPLES_DIR / f"{SAMPLE}.wav")

        with httpx.Client(timeout=10) as client:
            assert client.get(url).status_code == 303  # the one-time link logs the demo caseworker in
            time.sleep(2)  # at 6× pace three turns would be over by now, if the replay had not waited
            snap = client.get(f"{base}/calls/{call_id}").json()
            assert snap["status"] == "running" and snap["utterances"] == [] and snap["replay"] is True
            cookies = [{"name": k, "value": v, "url": base} for k, v in client.cookies.items()]

        context = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
        context.add_cookies(cookies)
        page = context.new_page()
        page.add_init_script(OBSERVE_SHIFTS_JS)
        page.goto(f"{base}/panel/{call_id}")
        page.wait_for_selector("#replay-banner", state="visible")  # the call shows with its first event
        assert "genafspillet" in page.inner_text("#replay-banner")
        assert not page.is_visible("#turn-form")
        page.wait_for_selector("#points .point:nth-child(2)", timeout=120_000)
        page.screenshot(path=str(artifacts / "demo_replay_running.png"))
        page.wait_for_selector("#call-status[data-status=ended]", timeout=120_000)
        # While the whole call replayed, nothing with a control in it moved (the browser's own entries).
        shifts = page.evaluate("window.__shifts")
        print(f"layout-shift score over the whole replay: {sum(x['value'] for x in shifts):.5f}")
        assert [s for shift in shifts for s in shift["sources"] if s["control"]] == [], json.dumps(shifts, indent=0)
        panel = read_panel(page)
        assert [(l["speaker"], l["text"]) for l in panel["lines"]] == [(t.speaker, t.text) for t in script.turns]
        # The sample's four complaint points (waiting, no call back, a rude employee, a wrong payment):
        # the categories any reasonable analysis gives those explicit sentences.
        categories = {p["category"] for p in panel["points"]}
        assert len(panel["points"]) >= 3, panel["points"]
        assert {"sagsbehandlingstid", "manglende_kontakt"} <= categories, panel["points"]
        assert page.is_visible("#note-link")
        page.screenshot(path=str(artifacts / "demo_replay_ended.png"))

        # The link again, in the browser that used it: still logged in; the call has ended, so its note.
        page.goto(url)
        assert page.url == f"{base}/notes/{call_id}"
        context.close()

        # The link again anywhere else: no password form the demo user cannot fill, but what to do.
        fresh = browser.new_context(viewport={"width": 400, "height": 900}, locale="da-DK")
        other = fresh.new_page()
        other.goto(url)
        assert other.url == f"{base}/login?link=demo-used"
        assert "assistant demo" in other.inner_text("#notice")
        assert not other.is_visible("#login-form")
        other.screenshot(path=str(artifacts / "demo_link_used.png"))
        for name in ("demo_replay_running.png", "demo_replay_ended.png", "demo_link_used.png"):
            (artifacts / "chosen").mkdir(exist_ok=True)
            shutil.copy(artifacts / name, artifacts / "chosen" / name)
        fresh.close()
    finally:
        code, rest = _stop(proc)
    assert code == 0, rest
    assert "Traceback" not in rest
