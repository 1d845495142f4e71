"""OpenID Connect login, offline: the redirect to the identity provider, and the callback against an in-process
fake provider (a MockTransport: there is no identity provider to reach from here)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.security.oidc import OIDC_COOKIE, http_library
from security.helpers import CASEWORKER

ISSUER = "https://login.kommune.example"
CLIENT_ID = "borgerkontakt"


@pytest.fixture
def oidc_app(tmp_path):
    from security.conftest import build_app

    return build_app(Settings(
        data_dir=tmp_path, purge_interval_hours=0, oidc_issuer=ISSUER, oidc_client_id=CLIENT_ID,
        oidc_client_secret="hemmelig", oidc_authorize_url=f"{ISSUER}/authorize", oidc_token_url=f"{ISSUER}/token",
        oidc_jwks_url=f"{ISSUER}/jwks"))


class FakeProvider:
    """Token and JWKS endpoints of an identity provider that signs ID tokens with its own RSA key."""

    def __init__(self, username: str) -> None:
        from joserfc.jwk import RSAKey

        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.username = username
        self.nonce = ""
        self.token_requests: list[dict] = []

    def handler(self, request: object) -> object:
        from joserfc import jwt
        from joserfc.jwk import KeySet

        if request.url.path == "/jwks":
            return http_library().Response(200, json=KeySet([self.key]).as_dict(private=False))
        if request.url.path == "/token":
            form = parse_qs(request.content.decode())
            self.token_requests.append(form)
            claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "abc-123", "nonce": self.nonce, "iat": int(time.time()),
                      "exp": int(time.time()) + 300, "preferred_username": self.username}
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return http_library().Response(200, json={"access_token": "at", "token_type": "Bearer", "id_token": id_token})
        return http_library().Response(404)


def _start(client: TestClient) -> dict[str, list[str]]:
    response = client.get("/auth/oidc/login?next=/panel", follow_redirects=False)
    assert response.status_code == 303
    url = urlsplit(response.headers["location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    return parse_qs(url.query)


def test_the_login_redirect_carries_state_nonce_and_pkce(oidc_app):
    client = TestClient(oidc_app)
    assert client.get("/auth/oidc").json() == {"enabled": True}
    query = _start(client)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/auth/oidc/callback"]
    assert query["scope"] == ["openid profile email"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert client.cookies.get(OIDC_COOKIE)


def test_the_callback_logs_a_known_user_in(oidc_app):
    provider = FakeProvider(CASEWORKER)
    oidc_app.state.services.oidc.transport = http_library().MockTransport(provider.handler)
    client = TestClient(oidc_app)
    query = _start(client)
    provider.nonce = query["nonce"][0]
    response = client.get(f"/auth/oidc/callback?code=kode&state={query['state'][0]}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/panel", response.text
    assert client.get("/auth/me").json()["username"] == CASEWORKER
    sent = provider.token_requests[0]
    assert sent["code"] == ["kode"] and sent["code_verifier"] and sent["client_secret"] == ["hemmelig"]


def test_the_callback_refuses_a_wrong_state_a_wrong_nonce_and_unknown_users(oidc_app):
    provider = FakeProvider(CASEWORKER)
    oidc_app.state.services.oidc.transport = http_library().MockTransport(provider.handler)
    client = TestClient(oidc_app)
    query = _start(client)
    wrong_state = client.get("/auth/oidc/callback?code=kode&state=forkert", follow_redirects=False)
    assert wrong_state.status_code == 401 and wrong_state.json()["code"] == "oidc-state-mismatch"
    provider.nonce = "en-anden"
    wrong_nonce = client.get(f"/auth/oidc/callback?code=kode&state={query['state'][0]}", follow_redirects=False)
    assert wrong_nonce.status_code == 401 and wrong_nonce.json()["code"] == "oidc-bad-id-token"
    provider.username, provider.nonce = "ukendt.person", query["nonce"][0]
    unknown = client.get(f"/auth/oidc/callback?code=kode&state={query['state'][0]}", follow_redirects=False)
    assert unknown.status_code == 403 and unknown.json()["code"] == "oidc-unknown-user"
    assert client.get("/auth/me").status_code == 401


def test_oidc_is_off_unless_configured(anon):
    assert anon.get("/auth/oidc").json() == {"enabled": False}
    assert anon.get("/auth/oidc/login", follow_redirects=False).status_code == 404
