"""The review, statistics and note APIs on the real app: ordering, verdicts → precision, audit, no coaching."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from assistant.store.models import AuditEntry


def _audit(client) -> list[tuple[str, str, str]]:
    with client.store.session() as session:
        return [(e.action, e.object_type, e.username) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_queue_is_sorted_by_severity_with_reasons(app_client):
    queue = app_client.get("/api/review/queue").json()
    assert [item["call_id"] for item in queue["data"]] == ["threatcall", "calmcall"]
    threat = queue["data"][0]
    assert threat["severity"] == 5 and threat["flags"][0]["kind"] == "threat"
    assert "Trussel: banker hende" in threat["reasons"]
    assert {f["kind"] for f in threat["flags"]} >= {"threat", "high_frustration", "decision_complaint", "unresolved"}
    assert threat["outcome"] == "uafklaret"
    assert queue["data"][1]["reasons"][0].startswith("Høj frustration")


def test_call_review_has_transcript_cues_curve_and_no_coaching(app_client):
    response = app_client.get("/api/review/calls/threatcall")
    body = response.json()
    assert [t["speaker"] for t in body["transcript"]] == ["caseworker", "citizen", "citizen", "caseworker"]
    assert body["transcript"][2]["highlights"] == ["banker hende"]
    assert "010190-XXXX" in body["transcript"][1]["text"]
    assert body["frustration_curve"] == [{"turn_index": 1, "frustration": 3}, {"turn_index": 2, "frustration": 3}]
    assert body["assessment_level"] == "red"
    for path in ("/api/review/calls/threatcall", "/api/review/queue", "/api/review/calls", "/api/stats",
                 "/api/notes/threatcall"):
        text = app_client.get(path).text
        for secret in ("COACHING-SECRET", "open_questions", "talk_share", "coaching"):
            assert secret not in text, (path, secret)
    assert app_client.get("/api/review/calls/nope").status_code == 404


def test_verdicts_show_up_as_precision_and_in_csv(app_client):
    right = app_client.post("/api/review/calls/threatcall/flags/threat/verdict", json={"verdict": "right"})
    assert right.status_code == 200 and right.json()["verdict"]["verdict"] == "right"
    wrong = app_client.post("/api/review/calls/calmcall/flags/high_frustration/verdict",
                            json={"verdict": "wrong", "comment": "Borgeren var rolig"})
    assert wrong.json()["verdict"]["comment"] == "Borgeren var rolig"
    assert app_client.post("/api/review/calls/calmcall/flags/threat/verdict", json={"verdict": "right"}).status_code == 404
    assert app_client.post("/api/review/calls/calmcall/flags/threat/verdict", json={"verdict": "maybe"}).status_code == 422
    flags = {row["kind"]: row for row in app_client.get("/api/stats").json()["flags"]}
    assert flags["threat"]["precision"] == 1.0
    assert flags["high_frustration"]["precision"] == 0.0 and flags["high_frustration"]["raised"] == 2
    csv = app_client.get("/api/stats/export.csv?table=flags")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "kind,label,raised,reviewed,right,wrong,precision"
    assert "threat,Trussel,1,1,1,0,1.0" in lines


def test_statistics_resolved_share_categories_and_deadlines(app_client):
    app_client.put("/api/notes/calmcall/case", json={"reference": "K-1", "received_date": str(date.today())})
    stats = app_client.get("/api/stats?period=week").json()
    assert stats["resolved"] == {"resolved": 1, "kept": 0, "unresolved": 1, "total": 2, "share": 0.5, "reference": 0.64}
    assert {c["category"] for c in stats["categories"]} == {"afgoerelse", "sagsbehandlingstid", "manglende_kontakt"}
    assert all("-W" in c["period"] for c in stats["categories"])
    assert stats["deadlines"]["total"] == 1 and stats["deadlines"]["cases"][0]["reference"] == "K-1"
    for table in ("categories", "resolved", "deadlines"):
        assert app_client.get(f"/api/stats/export.csv?table={table}").status_code == 200


def test_note_life_cycle_through_the_api(app_client):
    first = app_client.get("/api/notes/calmcall").json()
    assert first["current"]["version"] == 1 and first["current"]["status"] == "draft"
    assert first["current"]["outcome"] == "lagt_ned"
    assert "har ventet tre måneder" in first["current"]["markdown"]
    assert app_client.get("/api/notes/calmcall/export?format=md").status_code == 409
    saved = app_client.put("/api/notes/calmcall", json={"markdown": "# Telefonnotat\nCPR 0101901234 æøå",
                                                        "outcome": "lagt_ned"}).json()
    assert saved["current"]["markdown"] == "# Telefonnotat\nCPR 010190-XXXX æøå"
    approved = app_client.post("/api/notes/calmcall/approve", json={"version": 1}).json()
    assert approved["approved_version"] == 1 and approved["current"]["status"] == "approved"
    md = app_client.get("/api/notes/calmcall/export?format=md")
    assert md.status_code == 200 and md.text == "# Telefonnotat\nCPR 010190-XXXX æøå"
    assert 'filename="telefonnotat-calmcall-v1.md"' in md.headers["content-disposition"]
    assert app_client.get("/api/notes/calmcall/export?format=pdf").content.startswith(b"%PDF")
    import docx

    document = docx.Document(io.BytesIO(app_client.get("/api/notes/calmcall/export?format=docx").content))
    assert "CPR 010190-XXXX æøå" in [p.text for p in document.paragraphs]
    # Editing after approval starts version 2; version 1 stays as approved.
    edited = app_client.put("/api/notes/calmcall", json={"markdown": "# Rettet", "outcome": "lagt_ned"}).json()
    assert [(v["version"], v["status"]) for v in edited["versions"]] == [(1, "approved"), (2, "draft")]
    assert app_client.post("/api/notes/calmcall/approve", json={"version": 1}).status_code == 409
    assert app_client.get("/api/notes/calmcall/export?format=md").text.startswith("# Telefonnotat")
    assert app_client.get("/api/notes/nope").status_code == 404
    redraft = app_client.post("/api/notes/calmcall/regenerate", json={"outcome": "skriftligt_svar"}).json()
    assert "ønsker et skriftligt svar" in redraft["current"]["markdown"] and redraft["current"]["version"] == 2


def test_every_view_and_export_is_audited(app_client):
    app_client.get("/api/review/queue")
    app_client.get("/api/review/calls/calmcall")
    app_client.get("/api/notes/calmcall")
    app_client.post("/api/notes/calmcall/approve", json={"version": 1})
    app_client.get("/api/notes/calmcall/export?format=pdf")
    app_client.get("/api/stats")
    app_client.get("/api/stats/export.csv?table=flags")
    entries = _audit(app_client)
    # access control: each entry names the logged-in user (the supervisor "leder", the caseworker "sagsbehandler")
    assert entries == [("view", "review-queue", "leder"), ("view", "call", "leder"),
                       ("view", "note", "sagsbehandler"), ("approve", "note", "sagsbehandler"),
                       ("export", "note", "sagsbehandler"), ("view", "stats", "leder"),
                       ("export", "stats", "leder")]


def test_pages_are_served_without_inline_script(app_client):
    import re

    for path in ("/review", "/review/stats", "/review/calls/calmcall", "/notes/calmcall"):
        response = app_client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        assert 'lang="da"' in response.text
        for script in re.findall(r"<script[^>]*>(.*?)</script>", response.text, flags=re.S):
            assert script.strip() == "", f"inline script in {path}"
        assert "http://" not in response.text and "https://" not in response.text  # no CDN
        assert not re.search(r"\son[a-z]+\s*=", response.text), f"inline event handler in {path}"
    assert app_client.get("/review/static/call.js").status_code == 200


def test_text_call_through_the_live_routes_is_recorded(app_client):
    call = app_client.post("/calls", json={"source": "text", "analysis": False}).json()
    for speaker, text in [("caseworker", "Goddag, jeg ringer om din klage."),
                          ("citizen", "Mit CPR er 010190-1234 og jeg har ventet længe på svar."),
                          ("citizen", "Så trækker jeg klagen tilbage.")]:
        assert app_client.post(f"/calls/{call['call_id']}/turns", json={"speaker": speaker, "text": text}).status_code < 300
    app_client.post(f"/calls/{call['call_id']}/end")
    stored = {c["call_id"]: c for c in app_client.get("/api/review/calls").json()["data"]}[call["call_id"]]
    assert stored["status"] == "ended" and stored["turns"] == 3 and stored["outcome"] == "lagt_ned"
    transcript = app_client.get(f"/api/review/calls/{call['call_id']}").json()["transcript"]
    assert transcript[1]["text"] == "Mit CPR er 010190-XXXX og jeg har ventet længe på svar."
