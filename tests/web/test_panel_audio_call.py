"""The side-panel in a real browser on calls replayed from the sample recordings through the real model.

Synthetic Danish speech through Whisper base comes out rough, so the panel is compared with the
server's analysis of the actual transcript (`GET /calls/{id}` and the replayed events), not with the
script the sample was made from. Replays run faster than real time (`realtime` unticked) to save time.
"""

from __future__ import annotations


import pytest
import soundfile
from websockets.sync.client import connect

from assistant.paths import SAMPLES_DIR
from web.conftest import read_events
from tests.web.panel_dom import PanelModel, read_panel, shown_analysis

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FRUSTRATED = "02_flere_klagepunkter_frustreret"
ENGLISH = "03_sprogbarriere_engelsk"


def _events(server, call_id: str) -> list[dict]:
    """Every event of a running call, replayed and then followed over the events WebSocket until its end
    (an ended call is read from the store, which keeps the transcript but not every event)."""
    with connect(f"{server.ws_url}/calls/{call_id}/events?after=0") as ws:
        return read_events(ws, until="call-end", timeout=300)


def _start_from_form(page, server, sample: str) -> str:
    page.goto(f"{server.url}/panel")
    page.wait_for_selector(f"#start-source option[value='file:{sample}']", state="attached")
    page.select_option("#start-source", f"file:{sample}")
    page.uncheck("#start-realtime")
    page.check("#start-informed")
    page.click("#start-button")
    page.wait_for_url("**/panel/*")
    return page.url.rsplit("/", 1)[1]


def _assert_panel_matches_server(page, server, call_id: str) -> dict:
    events = _events(server, call_id)  # while the call runs: the server's own stream, start to end
    page.wait_for_selector("#call-status[data-status=ended]", timeout=300_000)
    snap = server.snapshot(call_id)
    page.wait_for_function("n => Number(document.body.dataset.lastSeq) >= n", arg=snap["last_seq"])
    panel = read_panel(page)

    assert panel["seqs"] == [e["seq"] for e in events] == list(range(1, snap["last_seq"] + 1))
    assert [(l["speaker"], l["text"], l["final"]) for l in panel["lines"]] == [
        (u["speaker"], u["text"], True) for u in snap["utterances"]]
    assert {u["speaker"] for u in snap["utterances"]} == {"caseworker", "citizen"}

    updates = [e["update"] for e in events if e["type"] == "analysis-update"]
    assert updates
    model, expected = PanelModel(), None
    texts = {e["turn_index"]: e["utterance"]["text"] for e in events if e["type"] == "utterance-final"}
    for event in events:
        if event["type"] == "analysis-update":
            expected = model.expect(event["turn_index"], texts[event["turn_index"]], event["update"])
    assert shown_analysis(panel) == expected
    assert page.js_errors == []
    return {**snap, "analysis": updates[-1]}  # the ended call's last analysis, as the panel got it


def test_frustrated_sample_on_the_panel(server, page, artifacts):
    call_id = _start_from_form(page, server, FRUSTRATED)
    snap = _assert_panel_matches_server(page, server, call_id)
    assert snap["citizen_informed"] is True
    panel = read_panel(page)
    assert panel["meter"] in ("0", "1", "2", "3")  # the citizen spoke, so the meter shows a level
    # What the analysis made of this (rough) transcript is shown as is; points and suggestions, if any,
    # were compared card by card above.
    assert len(panel["points"]) == len(snap["analysis"]["call"]["complaint_points"])
    page.screenshot(path=str(artifacts / "panel_audio_frustrated.png"), full_page=True)


def test_language_switch_sample_raises_the_barrier_flag(server, page, artifacts):
    call_id = _start_from_form(page, server, ENGLISH)
    snap = _assert_panel_matches_server(page, server, call_id)
    assert "language_barrier" in {f["kind"] for f in snap["analysis"]["call"]["flags"]}
    panel = read_panel(page)
    assert "language_barrier" in {g["kind"] for g in panel["guidance"] if g["raised"]}
    # The evidence is words from the transcript, never the analysis' own terms (a language code).
    evidence = next(g["evidence"] for g in panel["guidance"] if g["kind"] == "language_barrier")
    assert "tur på" not in evidence
    assert panel["light"] in ("yellow", "red")
    page.screenshot(path=str(artifacts / "panel_audio_language.png"), full_page=True)


def test_a_source_that_fails_shows_a_clear_error(server, page, tmp_path):
    """A damaged file (declares more audio than it holds) fails mid-call: error event, banner, failed call."""
    audio, rate = soundfile.read(SAMPLES_DIR / "01_ventetid_rolig.wav", dtype="int16")
    flac = tmp_path / "damaged.flac"
    soundfile.write(flac, audio[: 20 * rate], rate, format="FLAC")
    data = flac.read_bytes()
    flac.write_bytes(data[: len(data) // 2])  # the header still promises 20 s

    call_id = server.start_call(source="file", path=str(flac), realtime=False)
    page.goto(f"{server.url}/panel/{call_id}")
    page.wait_for_selector("#call-status[data-status=failed]", timeout=120_000)
    snap = server.snapshot(call_id)
    assert snap["status"] == "failed" and snap["error"]
    errors = read_panel(page)["errors"]
    assert [e["message"] for e in errors] == [snap["error"]]
    assert errors[0]["code"].startswith("audio-")
    assert "Opkaldet er slut (fejlede)" in page.inner_text("#call-status")


def test_a_file_that_cannot_be_opened_is_refused_with_its_reason(server, tmp_path):
    wav = tmp_path / "cut.wav"
    audio, rate = soundfile.read(SAMPLES_DIR / "01_ventetid_rolig.wav", dtype="int16")
    soundfile.write(wav, audio[: 5 * rate], rate, subtype="PCM_16")
    wav.write_bytes(wav.read_bytes()[: 40_000])  # truncated: the header promises 5 s
    response = server.http.post("/calls", json={"source": "file", "path": str(wav)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "audio-truncated" and "afkortet" in body["message"]
