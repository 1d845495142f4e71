"""Test helpers for logged-in clients: create users, log a client in, a client that picks the role by path.

Other areas' tests use these to pass the access gate (see tests/web/conftest.py, tests/review/conftest.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

TEST_PASSWORD = "korrekt-hest-batteri-klips"
"""Password of every user the helpers create."""
CASEWORKER = "sagsbehandler"
SUPERVISOR = "leder"
ADMIN = "admin"
ROLE_USERS = {"caseworker": CASEWORKER, "supervisor": SUPERVISOR, "admin": ADMIN}
"""The user name the helpers give each role."""
TEST_UNIT = "Borgerservice"
"""The unit the helpers put users in (a supervisor without a unit sees no calls)."""


def ensure_user(store, username: str, role: str, *, unit: str = TEST_UNIT, password: str = TEST_PASSWORD) -> int:  # noqa: ANN001
    """Create (or update) an active user with this role, unit and password in `store`; returns its id."""
    from sqlalchemy import select

    from assistant.store.models import User

    with store.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, display_name=username, role=role)
            session.add(user)
        user.role, user.unit, user.active = role, unit, True
        user.password_hash = _hash(password)
        session.flush()
        return user.id


@lru_cache
def _hash(password: str) -> str:
    """One Argon2 hash per password for all test users (hashing is deliberately slow)."""
    from assistant.security.passwords import hash_password

    return hash_password(password)


def ensure_role_users(store, *, unit: str = TEST_UNIT) -> None:  # noqa: ANN001
    """A caseworker, a supervisor and an admin (see `ROLE_USERS`), all in `unit`."""
    for role, username in ROLE_USERS.items():
        ensure_user(store, username, role, unit=unit)


def login(client, username: str, password: str = TEST_PASSWORD) -> dict[str, Any]:  # noqa: ANN001
    """Log an httpx/TestClient client in: its cookie jar gets the login, its headers the CSRF token.

    Returns:
        The `/auth/login` answer (user name, role, csrf_token, …).
    """
    response = client.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    me = response.json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return me


def cookie_header(client) -> str:  # noqa: ANN001
    """The client's cookies as a Cookie header (for WebSocket clients that do not share the jar)."""
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def role_for_path(path: str) -> str:
    """The role a path is for (see assistant.security.policy): supervisor, admin or caseworker."""
    path = path.split("?", 1)[0]
    if path.startswith(("/api/review", "/api/stats", "/review")) and not path.startswith("/review/static"):
        return "supervisor"
    if path.startswith(("/api/admin", "/admin")):
        return "admin"
    return "caseworker"


class RoleClient:
    """One logged-in client per role; each request goes out as the role its path is for.

    Lets a test that exercises both the caseworker's and the supervisor's routes (e.g. record a call, then
    review it) run as the right user for each request. Attributes set on it (e.g. `store`) are kept.

    Args:
        clients: role → a logged-in client (TestClient or httpx.Client).
    """

    def __init__(self, clients: dict[str, Any]) -> None:
        self.clients = clients

    def for_role(self, role: str):  # noqa: ANN201
        return self.clients[role]

    def request(self, method: str, url: str, **kwargs: Any):  # noqa: ANN201
        return self.clients[role_for_path(url)].request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any):  # noqa: ANN201
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any):  # noqa: ANN201
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any):  # noqa: ANN201
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any):  # noqa: ANN201
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any):  # noqa: ANN201
        return self.request("DELETE", url, **kwargs)


def browser_login(context, base_url: str, username: str = CASEWORKER, password: str = TEST_PASSWORD) -> None:  # noqa: ANN001
    """Log a Playwright browser context in (through the API; the login page itself is tested separately)."""
    response = context.request.post(f"{base_url}/auth/login", data={"username": username, "password": password})
    assert response.ok, response.text()
