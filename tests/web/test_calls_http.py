"""HTTP routes against a real server: start/list/get/end calls, text turns, suggestions, errors, OpenAPI."""

from __future__ import annotations

import re

from assistant.paths import SAMPLES_DIR


def test_text_call_lifecycle(server):
    call_id = server.start_call(source="text", analysis=False, citizen_informed=True)
    snap = server.snapshot(call_id)
    assert snap["status"] == "running" and snap["source"] == "tekst" and snap["citizen_informed"] is True

    response = server.http.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg har ventet længe."})
    assert response.status_code == 200
    assert response.json() == {"analysis": None, "last_seq": 2}

    snap = server.snapshot(call_id)
    assert [(u["speaker"], u["text"]) for u in snap["utterances"]] == [("citizen", "Jeg har ventet længe.")]

    listed = server.http.get("/calls").json()
    row = next(r for r in listed["data"] if r["call_id"] == call_id)
    assert row["turns"] == 1 and row["status"] == "running" and listed["count"] == len(listed["data"])

    ended = server.http.post(f"/calls/{call_id}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    again = server.http.post(f"/calls/{call_id}/end")  # ending twice is a no-op
    assert again.status_code == 200 and again.json()["last_seq"] == ended.json()["last_seq"]

    late = server.http.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Hallo?"})
    assert late.status_code == 409 and late.json()["code"] == "call-ended"


def test_unknown_call_is_404_everywhere(server):
    for method, path, body in [
        ("GET", "/calls/nope", None),
        ("POST", "/calls/nope/end", None),
        ("POST", "/calls/nope/turns", {"speaker": "citizen", "text": "hej"}),
        ("POST", "/calls/nope/suggestions/s1", {"action": "used"}),
    ]:
        response = server.http.request(method, path, json=body)
        assert response.status_code == 404, path
        assert response.json()["code"] == "call-not-found"
        assert "nope" in response.json()["message"]


def test_bad_input_is_rejected_with_code_and_message(server):
    bad_source = server.http.post("/calls", json={"source": "fax"})
    assert bad_source.status_code == 422 and bad_source.json()["code"] == "invalid-input"
    assert "source" in bad_source.json()["message"]

    missing_file = server.http.post("/calls", json={"source": "file", "path": "findes_ikke"})
    assert missing_file.status_code == 400 and missing_file.json()["code"] == "file-not-found"

    outside = server.http.post("/calls", json={"source": "file", "path": "/etc/passwd"})
    assert outside.status_code == 400 and outside.json()["code"] == "file-not-found"

    call_id = server.start_call(source="text", analysis=False)
    empty = server.http.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "   "})
    assert empty.status_code == 422 and empty.json()["code"] == "empty-turn"
    bad_speaker = server.http.post(f"/calls/{call_id}/turns", json={"speaker": "robot", "text": "hej"})
    assert bad_speaker.status_code == 422
    unknown_suggestion = server.http.post(f"/calls/{call_id}/suggestions/s-404", json={"action": "used"})
    assert unknown_suggestion.status_code == 404 and unknown_suggestion.json()["code"] == "suggestion-not-found"
    bad_action = server.http.post(f"/calls/{call_id}/suggestions/s-404", json={"action": "liked"})
    assert bad_action.status_code == 422


def test_samples_lists_the_recordings(server):
    body = server.http.get("/samples").json()
    assert [s["file"] for s in body["data"]] == sorted(p.name for p in SAMPLES_DIR.glob("*.wav"))
    assert body["count"] == len(body["data"])
    for sample in body["data"]:
        assert sample["name"] == sample["file"].removesuffix(".wav")


def test_openapi_documents_every_route(server):
    spec = server.http.get("/openapi.json").json()
    expected = {"/calls", "/calls/{call_id}", "/calls/{call_id}/end", "/calls/{call_id}/turns",
                "/calls/{call_id}/suggestions/{suggestion_id}", "/samples"}
    assert expected <= set(spec["paths"])
    for path in expected:
        for operation in spec["paths"][path].values():
            assert operation.get("summary"), path
            assert "200" in operation["responses"] or "201" in operation["responses"]
    assert spec["paths"]["/calls/{call_id}"]["get"]["responses"]["404"]["content"]


def test_panel_page_has_no_inline_code(server):
    for path, status in (("/panel", 200), ("/panel/abc123", 404)):  # an unknown call: a plain page
        response = server.http.get(path)
        assert response.status_code == status
        assert "script-src 'self'" in response.headers["content-security-policy"]
        html = response.text
        assert '<html lang="da">' in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # every script is a file
        assert re.findall(r"\son[a-z]+\s*=", html) == []  # no inline event handlers
        assert "<style" not in html
    assert server.http.get("/static/panel.js").status_code == 200
    assert server.http.get("/", follow_redirects=False).headers["location"] == "/panel"
