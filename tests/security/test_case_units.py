"""Issue 11, finding 3: a complaint case belongs to a unit. A caseworker links a call only to a case their
unit owns (or creates a new one), so nobody rewrites another unit's deadlines; a changed date is audited.
Real server (uvicorn), real SQLite database."""

from __future__ import annotations

import csv
import io

from assistant.config import Settings
from security.conftest import OTHER_UNIT, build_app
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR, login
from security.live import http_client, live_server

CASE = {"reference": "K-2026-41", "received_date": "2026-03-02"}


def _text_call(http) -> str:  # noqa: ANN001
    call_id = http.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
    http.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg klager over ventetiden."})
    http.post(f"/calls/{call_id}/end")
    return call_id


def _deadlines(http) -> dict[str, dict]:  # noqa: ANN001
    text = http.get("/api/stats/export.csv?table=deadlines").text.lstrip("\ufeff")
    return {row["reference"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def test_a_case_is_its_units_own_and_a_changed_date_is_audited(tmp_path):
    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    with live_server(app) as url:
        clients = {name: http_client(url) for name in (CASEWORKER, "kollega", "jobsagsbehandler", SUPERVISOR,
                                                        "jobleder", ADMIN)}
        for name, http in clients.items():
            login(http, name)
        own, colleague, other_unit = clients[CASEWORKER], clients["kollega"], clients["jobsagsbehandler"]

        assert own.put(f"/api/notes/{_text_call(own)}/case", json=CASE).status_code == 200

        # Another unit's caseworker cannot link to the case, and so cannot move its deadlines.
        refused = other_unit.put(f"/api/notes/{_text_call(other_unit)}/case",
                                 json={**CASE, "received_date": "2025-01-01"})
        assert refused.status_code == 409 and refused.json()["code"] == "case-other-unit"
        assert "anden enhed" in refused.json()["message"]
        assert _deadlines(clients[SUPERVISOR])["K-2026-41"]["answer_deadline"] == "2026-03-14"
        assert "K-2026-41" not in _deadlines(clients["jobleder"])

        # ... but creates its own cases, which count in its own unit's statistics.
        assert other_unit.put(f"/api/notes/{_text_call(other_unit)}/case",
                              json={"reference": "J-2026-7", "received_date": "2026-03-03"}).status_code == 200
        assert "J-2026-7" in _deadlines(clients["jobleder"])
        assert "J-2026-7" not in _deadlines(clients[SUPERVISOR])

        # A colleague in the same unit may correct the dates; the change is in the audit log.
        corrected = colleague.put(f"/api/notes/{_text_call(colleague)}/case",
                                  json={**CASE, "received_date": "2026-03-04", "decision_date": "2026-02-20"})
        assert corrected.status_code == 200
        assert _deadlines(clients[SUPERVISOR])["K-2026-41"]["answer_deadline"] == "2026-03-16"
        log = clients[ADMIN].get("/api/admin/audit?object_type=case").json()["data"]
        changes = [e for e in log if e["object_id"] == "K-2026-41" and "→" in e["detail"]]
        assert [(e["username"], e["detail"]) for e in changes] == [
            ("kollega", "modtaget: 2026-03-02 → 2026-03-04; afgørelse: - → 2026-02-20")]
        for http in clients.values():
            http.close()
