"""Issue 11, finding 2: a CPR number said or typed in any common form reaches neither the call snapshot, the
events, the database files nor any export. Real server (uvicorn), real WebSocket client, real SQLite files."""

from __future__ import annotations

import json
import sqlite3

from websockets.sync.client import connect

from assistant.config import Settings
from assistant.masking import contains_cpr
from security.conftest import build_app
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR, cookie_header, login
from security.live import http_client, live_server

# The forms of the (made-up) CPR 010203-4711 said or typed in the call; none may be found anywhere afterwards.
FORMS = ["01 02 03-4711", "01.02.03-4711", "010203/4711", "01 02 03 47 11", "010203\u20114711",
         "010203 \u2212 4711", "0 1 0 2 0 3 4 7 1 1", "nul et nul to nul tre fire syv elleve"]
TURNS = [
    f"Mit cpr-nummer er {FORMS[0]} og jeg har klaget over ventetiden på min sag.",
    f"Jeg skrev {FORMS[1]} på blanketten, og min søn skrev {FORMS[2]} i sin mail.",
    f"Det står som {FORMS[3]} i brevet, og sådan læste jeg det op: {FORMS[6]}.",
    f"Min kone har {FORMS[4]} og {FORMS[5]}, det er hendes nummer, tak.",
    f"Jeg siger det lige langsomt: {FORMS[7]}.",
]


def _assert_no_serial(where: str, text: str) -> None:
    assert not contains_cpr(text), f"an unmasked CPR number in {where}"
    for form in FORMS:
        assert form not in text, f"{form!r} in {where}"
    for serial in ("03-4711", "03/4711", "47 11", "4 7 1 1", "fire syv elleve"):  # also pieces of a form
        assert serial not in text, f"{serial!r} in {where}"


def test_cpr_numbers_in_every_form_reach_no_snapshot_event_row_or_export(tmp_path):
    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    with live_server(app) as url, http_client(url) as caseworker, http_client(url) as supervisor, \
            http_client(url) as admin:
        login(caseworker, CASEWORKER), login(supervisor, SUPERVISOR), login(admin, ADMIN)
        call_id = caseworker.post("/calls", json={"source": "text", "analysis": True}).json()["call_id"]
        for text in TURNS:
            assert caseworker.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": text}).status_code == 200
        assert caseworker.put(f"/api/notes/{call_id}/case", json={
            "reference": f"2024-815 borger {FORMS[0]}", "received_date": "2024-01-02"}).status_code == 200

        _assert_no_serial("the snapshot", caseworker.get(f"/calls/{call_id}").text)
        with connect(f"{url.replace('http', 'ws')}/calls/{call_id}/events?after=0",
                     additional_headers={"Cookie": cookie_header(caseworker)}) as ws:
            events = [json.loads(ws.recv(timeout=30)) for _ in range(2 * len(TURNS))]
        finals = [e for e in events if e["type"] == "utterance-final"]
        assert len(finals) == len(TURNS)
        assert all("010203-XXXX" in e["utterance"]["text"] for e in finals)
        _assert_no_serial("the events", json.dumps(events, ensure_ascii=False))
        assert "\\u2011" not in json.dumps(events)  # not even escaped

        caseworker.post(f"/calls/{call_id}/end")
        note = caseworker.get(f"/api/notes/{call_id}").json()
        _assert_no_serial("the note", json.dumps(note, ensure_ascii=False))
        caseworker.post(f"/api/notes/{call_id}/approve", json={"version": note["current"]["version"]})
        exports = {f"note.{fmt}": caseworker.get(f"/api/notes/{call_id}/export?format={fmt}") for fmt in ("md", "docx")}
        exports |= {f"stats-{t}.csv": supervisor.get(f"/api/stats/export.csv?table={t}")
                    for t in ("flags", "categories", "resolved", "deadlines")}
        exports["review"] = supervisor.get(f"/api/review/calls/{call_id}")
        exports["audit.csv"] = admin.get("/api/admin/audit/export.csv")
        for name, response in exports.items():
            assert response.status_code == 200, (name, response.text)
            _assert_no_serial(name, _text_of(response.content))

    db = tmp_path / "assistant.db"
    with sqlite3.connect(db) as connection:
        dump = "\n".join(connection.iterdump())
    assert "010203-XXXX" in dump  # the turns were stored, masked
    _assert_no_serial("the database", dump)


def _text_of(content: bytes) -> str:
    """Text of an export; a DOCX is a zip whose document.xml holds the text."""
    if content[:2] == b"PK":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            return docx.read("word/document.xml").decode("utf-8")
    return content.decode("utf-8")
