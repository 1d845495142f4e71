"""Issue 11, finding 11: an admin alone cannot give an account access to call content (a supervisor role, a
supervisor's unit, such an account's password) or to user administration, and cannot change their own role;
a second admin approves. A supervisor without a unit sees no calls. Real server (uvicorn), real database."""

from __future__ import annotations

from assistant.config import Settings
from security.conftest import OTHER_UNIT, build_app
from security.helpers import ADMIN, CASEWORKER, SUPERVISOR, TEST_PASSWORD, ensure_user, login
from security.live import http_client, live_server
from store.builders import THREAT_CALL, call_events, feed

SECOND_ADMIN = "admin2"


def _users(http) -> dict[str, dict]:  # noqa: ANN001
    return {u["username"]: u for u in http.get("/api/admin/users").json()["data"]}


def test_an_admin_cannot_change_their_own_role_or_disable_themselves(tmp_path):
    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    with live_server(app) as url, http_client(url) as admin:
        login(admin, ADMIN)
        for change in ({"role": "supervisor"}, {"role": "caseworker"}, {"active": False}):
            refused = admin.patch(f"/api/admin/users/{ADMIN}", json=change)
            assert refused.status_code == 409 and refused.json()["code"] == "admin-own-account", change
        assert _users(admin)[ADMIN]["role"] == "admin" and _users(admin)[ADMIN]["active"] is True
        assert admin.patch(f"/api/admin/users/{ADMIN}", json={"display_name": "Anne Admin"}).status_code == 200


def test_content_reading_roles_need_a_second_admin(tmp_path):
    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    ensure_user(app.state.services.store, SECOND_ADMIN, "admin")
    with live_server(app) as url, http_client(url) as admin, http_client(url) as other_admin, \
            http_client(url) as newcomer:
        login(admin, ADMIN), login(other_admin, SECOND_ADMIN)

        # A new supervisor is only a request until another admin approves it.
        asked = admin.post("/api/admin/users", json={"username": "ny.leder", "role": "supervisor", "unit": OTHER_UNIT})
        assert asked.status_code == 202 and asked.json()["status"] == "pending" and "password" not in asked.json()
        assert "ny.leder" not in _users(admin)
        own = admin.post(f"/api/admin/requests/{asked.json()['id']}/approve")
        assert own.status_code == 409 and own.json()["code"] == "request-own"
        assert [r["username"] for r in other_admin.get("/api/admin/requests").json()["data"]] == ["ny.leder"]
        approved = other_admin.post(f"/api/admin/requests/{asked.json()['id']}/approve")
        assert approved.status_code == 200 and approved.json()["request"]["status"] == "approved"
        assert _users(admin)["ny.leder"]["role"] == "supervisor" and _users(admin)["ny.leder"]["unit"] == OTHER_UNIT
        login(newcomer, "ny.leder", approved.json()["password"])  # the approving admin hands over the password
        again = other_admin.post(f"/api/admin/requests/{asked.json()['id']}/approve")
        assert again.status_code == 409 and again.json()["code"] == "request-decided"

        # Promoting a caseworker, moving a supervisor and making an admin wait too; a rejection changes nothing.
        for username, change in ((CASEWORKER, {"role": "supervisor"}), (SUPERVISOR, {"unit": OTHER_UNIT}),
                                 ("kollega", {"role": "admin"})):
            before = _users(admin)[username]
            waiting = admin.patch(f"/api/admin/users/{username}", json=change)
            assert waiting.status_code == 202, (username, waiting.text)
            assert other_admin.post(f"/api/admin/requests/{waiting.json()['id']}/reject").status_code == 200
            assert {k: _users(admin)[username][k] for k in ("role", "unit")} == {k: before[k] for k in ("role", "unit")}
        assert other_admin.get("/api/admin/requests").json()["count"] == 0

        # A supervisor's password: the requesting admin never sees it, and the old one keeps working meanwhile.
        reset = admin.post(f"/api/admin/users/{SUPERVISOR}/password")
        assert reset.status_code == 202 and "password" not in reset.json()
        with http_client(url) as supervisor:
            login(supervisor, SUPERVISOR, TEST_PASSWORD)
        assert other_admin.post(f"/api/admin/requests/{reset.json()['id']}/approve").json()["password"]

        # Caseworkers (who read only their own calls) are still made and changed by one admin.
        made = admin.post("/api/admin/users", json={"username": "ny.sagsbehandler", "role": "caseworker"})
        assert made.status_code == 201 and made.json()["password"]
        assert admin.patch("/api/admin/users/ny.sagsbehandler", json={"unit": OTHER_UNIT}).status_code == 200


def test_a_supervisor_without_a_unit_sees_no_calls_of_caseworkers_without_one(tmp_path):
    from assistant.store.recorder import CallRecorder

    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    store = app.state.services.store
    ensure_user(store, "uden.enhed", "caseworker", unit="")
    ensure_user(store, "leder.uden.enhed", "supervisor", unit="")
    feed(CallRecorder(store, caseworker_username="uden.enhed"), call_events("ingen-enhed", THREAT_CALL))
    with live_server(app) as url, http_client(url) as supervisor:
        login(supervisor, "leder.uden.enhed")
        assert supervisor.get("/api/review/calls").json()["data"] == []
        assert supervisor.get("/api/review/queue").json()["data"] == []
        assert supervisor.get("/api/review/calls/ingen-enhed").status_code == 404
        threat = {f["kind"]: f for f in supervisor.get("/api/stats").json()["flags"]}["threat"]
        assert threat["raised"] == 0
