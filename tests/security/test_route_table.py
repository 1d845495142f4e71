"""Every HTTP route and WebSocket of the app, table-driven: anonymous users and wrong roles are refused.

The table is the app itself (`app.routes`), so a route added without an access rule fails here.
"""

from __future__ import annotations

import re

import pytest
from starlette.websockets import WebSocketDisconnect

from assistant.config import Settings
from assistant.security.gate import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from assistant.security.policy import ROLES, ROUTE_ACCESS, route_entries

DUMMY = "x1"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole table (the test that adds a route builds its own)."""
    from security.conftest import build_app

    return build_app(Settings(data_dir=tmp_path_factory.mktemp("routes"), purge_interval_hours=0))


def concrete(path: str) -> str:
    """A request path for a template: every `{param}` becomes a dummy value (mounts get a file name)."""
    return re.sub(r"\{[^}]+\}", DUMMY, path)


def http_cases(app) -> list[tuple[str, str, object]]:
    cases = []
    for entry in route_entries(app.routes):
        if entry.websocket:
            continue
        if entry.mount:
            cases.append(("GET", entry.path + "/login.css", entry))
            continue
        for method in sorted((entry.methods or {"GET"}) - {"HEAD"}):
            cases.append((method, concrete(entry.path), entry))
    # Logging out ends the client's login: check it last.
    return sorted(cases, key=lambda case: case[1] == "/auth/logout")


def ws_cases(app) -> list[tuple[str, object]]:
    return [(concrete(e.path), e) for e in route_entries(app.routes) if e.websocket]


def send(client, method: str, path: str):
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, path, json=body, follow_redirects=False)


def ws_close_code(client, path: str) -> int | None:
    """The close code the server sent right after the handshake, or None when the socket stayed open."""
    try:
        with client.websocket_connect(path) as ws:
            message = ws.receive()
            return message.get("code") if message["type"] == "websocket.close" else None
    except WebSocketDisconnect as closed:
        return closed.code


def test_every_route_has_an_access_rule(app):
    entries = route_entries(app.routes)
    assert len(entries) >= 40  # calls, WebSockets, panel, notes, review, stats, auth, admin, docs, static
    missing = sorted({e.path for e in entries if e.access is None})
    assert missing == [], f"routes without a rule in assistant.security.policy.ROUTE_ACCESS: {missing}"
    # No stale rules for routes that no longer exist (keeps the table honest).
    assert {e.path for e in entries} >= set(ROUTE_ACCESS)


def test_anonymous_users_are_refused_everywhere_but_public_routes(app, anon):
    checked = 0
    for method, path, entry in http_cases(app):
        response = send(anon, method, path)
        if entry.access.public:
            assert response.status_code not in (401, 403), (method, path, response.status_code)
        else:
            assert response.status_code == 401, (method, path, response.status_code, response.text)
            assert response.json()["code"] == "not-authenticated"
            checked += 1
    for path, _ in ws_cases(app):
        assert ws_close_code(anon, path) == CLOSE_UNAUTHENTICATED, path
        checked += 1
    assert checked >= 35


def test_wrong_roles_are_refused_and_right_roles_pass_the_gate(app, clients):
    for path, entry in ws_cases(app):
        for role in sorted(ROLES):
            code = ws_close_code(clients[role], path)
            if role in entry.access.roles:
                assert code not in (CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN), (role, path, code)
            else:
                assert code == CLOSE_FORBIDDEN, (role, path, code)
    for method, path, entry in http_cases(app):
        if entry.access.public:
            continue
        for role in sorted(ROLES):
            response = send(clients[role], method, path)
            if role in entry.access.roles:
                assert response.status_code not in (401, 403), (role, method, path, response.text)
            else:
                assert response.status_code == 403, (role, method, path, response.status_code)
                assert response.json()["code"] == "forbidden"


def test_a_new_route_without_a_rule_is_refused_even_to_admins(tmp_path):
    from fastapi.testclient import TestClient

    from security.conftest import build_app
    from security.helpers import ROLE_USERS, login

    app = build_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    anon = TestClient(app)
    clients = {}
    for role, username in ROLE_USERS.items():
        clients[role] = TestClient(app)
        login(clients[role], username)

    @app.get("/api/new-feature")
    def new_feature() -> dict:
        return {"secret": "data"}

    for client in (anon, *clients.values()):
        response = client.get("/api/new-feature")
        assert response.status_code == 403 and response.json()["code"] == "route-without-policy"
    assert any(e.path == "/api/new-feature" and e.access is None for e in route_entries(app.routes))


def test_a_wrong_method_is_not_a_way_around_the_rule(anon, clients):
    assert anon.request("DELETE", "/calls").status_code == 401
    assert clients["admin"].request("DELETE", "/api/review/queue").status_code == 403


@pytest.mark.parametrize("path", ["/panel", "/review", "/admin", "/notes/x1"])
def test_browsers_are_sent_to_the_login_page_and_back(anon, path):
    response = anon.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + path.replace("/", "%2F")


def test_a_browser_with_the_wrong_role_gets_a_danish_page(clients):
    response = clients["caseworker"].get("/admin", headers={"Accept": "text/html"})
    assert response.status_code == 403 and "Ingen adgang" in response.text
    assert "<script" not in response.text
