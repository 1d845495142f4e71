"""Issue 11, finding 10: a caller of `POST /calls` cannot tell whether a file outside the allowed folders
exists, and no answer names a path on the server. Real server (uvicorn) on real files."""

from __future__ import annotations

import wave

from assistant.config import Settings
from security.conftest import build_app
from security.helpers import CASEWORKER, login
from security.live import http_client, live_server


def _answer(http, path: str) -> tuple[int, dict]:
    response = http.post("/calls", json={"source": "file", "path": path, "analysis": False})
    return response.status_code, response.json()


def test_existing_and_missing_files_outside_the_allowed_folders_answer_alike(tmp_path):
    allowed, outside = tmp_path / "lyd", tmp_path / "hemmelig"
    allowed.mkdir(), outside.mkdir()
    secret = outside / "optagelse.wav"
    secret.write_bytes(b"RIFF not really audio")
    (allowed / "genvej.wav").symlink_to(secret)  # a link out of the allowed folder is outside too
    damaged = allowed / "skadet.wav"
    with wave.open(str(damaged), "wb") as handle:  # a valid header with no frames: unreadable, inside
        handle.setnchannels(1), handle.setsampwidth(2), handle.setframerate(16000)
    app = build_app(Settings(data_dir=tmp_path / "data", purge_interval_hours=0, audio_dirs=[allowed]))

    with live_server(app) as url, http_client(url) as caseworker:
        login(caseworker, CASEWORKER)
        answers = {path: _answer(caseworker, path) for path in (
            "/etc/shadow", "/etc/findes-ikke-123", str(secret), str(outside / "mangler.wav"),
            str(allowed / "genvej.wav"), f"{allowed}/../hemmelig/optagelse.wav", "../../../../etc/passwd")}
        inside = _answer(caseworker, str(damaged))

    assert len({(status, body["code"], body["message"]) for status, body in answers.values()}) == 1, answers
    status, body = answers["/etc/shadow"]
    assert status == 400 and body["code"] == "file-not-found"
    for status, body in [*answers.values(), inside]:
        assert "/" not in body["message"] and str(tmp_path) not in body["message"], body
    assert inside[0] == 400 and inside[1]["code"].startswith("audio-") and "skadet.wav" in inside[1]["message"]
