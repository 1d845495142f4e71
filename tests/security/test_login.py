"""Logins: password check, cookie flags, CSRF, throttling, logout, credential changes, login links."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.security.passwords import check_password_policy, hash_password, verify_password
from assistant.security.sessions import CSRF_COOKIE, SESSION_COOKIE
from assistant.security.throttle import LoginThrottle, ThrottleOptions
from assistant.web.routes.auth import safe_next
from security.helpers import CASEWORKER, TEST_PASSWORD, login


def _set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name (the whole header, flags included, lower-cased)."""
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


def test_passwords_are_argon2id_hashes_and_verified():
    hashed = hash_password("et langt kodeord 123")
    assert hashed.startswith("$argon2id$") and "et langt" not in hashed
    assert verify_password(hashed, "et langt kodeord 123")
    assert not verify_password(hashed, "et langt kodeord 124")
    assert not verify_password(None, "")  # a user without a password cannot log in with an empty one
    assert not verify_password("not-a-hash", "x")
    import pytest

    from assistant.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        check_password_policy("kort", min_length=12)
    assert err.value.code == "password-too-short"


def test_login_sets_an_httponly_samesite_cookie_and_a_readable_csrf_cookie(anon):
    response = anon.post("/auth/login", json={"username": CASEWORKER, "password": TEST_PASSWORD})
    assert response.status_code == 200
    me = response.json()
    assert me["role"] == "caseworker" and me["home"] == "/panel" and me["csrf_token"]
    cookies = _set_cookies(response)
    session, csrf = cookies[SESSION_COOKIE], cookies[CSRF_COOKIE]
    assert "httponly" in session and "samesite=lax" in session and "path=/" in session
    assert "secure" not in session  # plain HTTP on localhost: a Secure cookie would never come back
    assert "httponly" not in csrf and "samesite=strict" in csrf
    assert anon.cookies.get(CSRF_COOKIE) == me["csrf_token"]
    assert anon.get("/auth/me").json()["username"] == CASEWORKER


def test_cookies_are_secure_behind_https_or_when_configured(app, settings):
    over_https = TestClient(app, base_url="https://testserver")
    response = over_https.post("/auth/login", json={"username": CASEWORKER, "password": TEST_PASSWORD})
    assert "secure" in _set_cookies(response)[SESSION_COOKIE]
    assert response.headers["strict-transport-security"].startswith("max-age=")

    from security.conftest import build_app

    forced = build_app(settings.model_copy(update={"cookie_secure": True, "cookie_samesite": "strict",
                                                   "data_dir": settings.data_dir / "forced"}))
    response = TestClient(forced).post("/auth/login", json={"username": CASEWORKER, "password": TEST_PASSWORD})
    session = _set_cookies(response)[SESSION_COOKIE]
    assert "secure" in session and "samesite=strict" in session


def test_wrong_unknown_and_disabled_users_get_the_same_answer(anon, app):
    from security.helpers import ensure_user

    ensure_user(app.state.services.store, "slukket", "caseworker")
    with app.state.services.store.session() as session:
        from assistant.security.users import set_active

        set_active(session, username="slukket", active=False)
    answers = [anon.post("/auth/login", json={"username": name, "password": password})
               for name, password in ((CASEWORKER, "forkert-kodeord"), ("findes-ikke", TEST_PASSWORD),
                                      ("slukket", TEST_PASSWORD))]
    assert {(a.status_code, a.json()["code"], a.json()["message"]) for a in answers} == {
        (401, "login-failed", "Forkert brugernavn eller adgangskode.")}
    assert SESSION_COOKIE not in anon.cookies


def test_state_changing_requests_need_the_csrf_token(client_for):
    client = client_for(CASEWORKER)
    token = client.headers.pop("X-CSRF-Token")
    missing = client.post("/calls", json={"source": "text"})
    assert missing.status_code == 403 and missing.json()["code"] == "csrf-failed"
    wrong = client.post("/calls", json={"source": "text"}, headers={"X-CSRF-Token": token[:-2] + "xx"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "csrf-failed"
    right = client.post("/calls", json={"source": "text", "analysis": False}, headers={"X-CSRF-Token": token})
    assert right.status_code == 201
    # A token from another login does not work either (it is bound to the login).
    other = client_for("kollega")
    assert other.post("/calls", json={"source": "text"}, headers={"X-CSRF-Token": token}).json()["code"] == "csrf-failed"
    # Reading needs no token.
    assert client.get("/calls").status_code == 200


def test_requests_from_another_origin_are_refused(client_for):
    client = client_for(CASEWORKER)
    response = client.post("/calls", json={"source": "text"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and response.json()["code"] == "cross-origin"
    same = client.post("/calls", json={"source": "text", "analysis": False}, headers={"Origin": "http://testserver"})
    assert same.status_code == 201


def test_login_throttle_counts_per_user_and_address_and_forgets_after_the_window():
    now = [1000.0]
    throttle = LoginThrottle(ThrottleOptions(max_failures=3, window_s=60, address_factor=2), clock=lambda: now[0])
    for _ in range(3):
        assert throttle.retry_after(username="Anna", address="10.0.0.1") == 0
        throttle.failed(username="Anna", address="10.0.0.1")
    assert throttle.retry_after(username="anna", address="10.0.0.2") == 60  # per user name, case-insensitive
    assert throttle.retry_after(username="bo", address="10.0.0.1") == 0  # the address is not locked yet
    for name in ("bo", "cy", "dy"):
        throttle.failed(username=name, address="10.0.0.1")
    assert throttle.retry_after(username="eva", address="10.0.0.1") > 0  # 6 failures from one address
    now[0] += 61
    assert throttle.retry_after(username="anna", address="10.0.0.1") == 0
    throttle.failed(username="anna", address="10.0.0.9")
    throttle.succeeded(username="anna")
    assert throttle.retry_after(username="anna", address="10.0.0.9") == 0


def test_too_many_failed_logins_are_refused_even_with_the_right_password(anon, settings):
    for _ in range(settings.login_max_failures):
        assert anon.post("/auth/login", json={"username": CASEWORKER, "password": "forkert"}).status_code == 401
    locked = anon.post("/auth/login", json={"username": CASEWORKER, "password": TEST_PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "login-throttled"
    assert int(locked.headers["retry-after"]) > 0


def test_logout_ends_the_login_even_for_a_copied_cookie(client_for, app):
    client = client_for(CASEWORKER)
    stolen = client.cookies.get(SESSION_COOKIE)
    assert client.post("/auth/logout").status_code == 204
    assert client.get("/auth/me").status_code == 401
    copy = TestClient(app, cookies={SESSION_COOKIE: stolen})
    assert copy.get("/auth/me").status_code == 401


def test_a_password_reset_or_disabling_ends_existing_logins(client_for, app):
    from assistant.security.users import reset_password, set_active

    client, colleague = client_for(CASEWORKER), client_for("kollega")
    with app.state.services.store.session() as session:
        reset_password(session, username=CASEWORKER, min_length=12)
        set_active(session, username="kollega", active=False)
    assert client.get("/auth/me").status_code == 401
    assert colleague.get("/auth/me").status_code == 401


def test_a_tampered_or_foreign_cookie_is_not_a_login(client_for, app):
    client = client_for(CASEWORKER)
    cookie = client.cookies.get(SESSION_COOKIE)
    body, mac = cookie.split(".")
    forged = TestClient(app, cookies={SESSION_COOKIE: body[:-2] + "AA." + mac})
    assert forged.get("/auth/me").status_code == 401
    assert TestClient(app, cookies={SESSION_COOKIE: "garbage"}).get("/auth/me").status_code == 401


def test_a_login_link_works_once(app, anon):
    from assistant.security.demo import ensure_demo_user, login_link

    user_id = ensure_demo_user(app)
    link = login_link(app, user_id=user_id, next_path="/panel/abc")
    first = anon.get(link, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/panel/abc"
    assert anon.get("/auth/me").json()["username"] == "demo"
    again = TestClient(app).get(link, follow_redirects=False)  # elsewhere: say how to get a new demo link
    assert again.status_code == 303 and again.headers["location"] == "/login?link=demo-used"
    same_browser = anon.get(link, follow_redirects=False)  # where it was used: still logged in, go on
    assert same_browser.status_code == 303 and same_browser.headers["location"] == "/panel/abc"
    plain = link.replace("&demo=1", "")  # a link that is not the demo's: the plain message
    assert TestClient(app).get(plain, follow_redirects=False).headers["location"] == "/login?link=invalid"


def test_only_local_paths_are_followed_after_login():
    assert safe_next("/panel/abc?x=1") == "/panel/abc?x=1"
    for bad in ("https://evil.example", "//evil.example/x", "/\\evil.example", "panel", "", None):
        assert safe_next(bad) == "/"


def test_the_login_page_is_public_and_has_no_inline_script(anon):
    page = anon.get("/login")
    assert page.status_code == 200 and "Log ind" in page.text
    assert "<script src=" in page.text and "<script>" not in page.text
    assert anon.get("/static/login.js").status_code == 200


def test_login_helper_sets_the_csrf_header(anon):
    me = login(anon, CASEWORKER)
    assert anon.headers["X-CSRF-Token"] == me["csrf_token"]


def test_the_start_page_depends_on_the_role(clients):
    starts = {role: client.get("/", follow_redirects=False).headers["location"] for role, client in clients.items()}
    assert starts == {"caseworker": "/panel", "supervisor": "/review", "admin": "/admin"}
