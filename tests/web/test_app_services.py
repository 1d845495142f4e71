"""`create_app` keeps its services in one typed `AppServices` on `app.state`, and nothing else there."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.security.oidc import OidcLogin
from assistant.security.services import AppServices, app_services
from assistant.security.sessions import Authenticator
from assistant.session import CallManager
from assistant.store import Store
from assistant.web.app import create_app


def test_the_app_state_holds_one_typed_services_object(tmp_path):
    settings = Settings(data_dir=tmp_path, purge_interval_hours=0)
    manager = CallManager(settings)
    app = create_app(settings, manager=manager)

    services = app_services(app)
    assert isinstance(services, AppServices)
    assert list(app.state._state) == ["services"], "no string-keyed lookups beside the typed services"
    assert services.settings is settings and services.manager is manager
    assert isinstance(services.store, Store) and isinstance(services.auth, Authenticator)
    assert isinstance(services.oidc, OidcLogin) and services.audio_streams == {}


def test_routes_and_the_gate_read_the_same_services(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, purge_interval_hours=0))
    with TestClient(app) as client:
        # The gate (security) answers an anonymous request from the services' authenticator ...
        assert client.get("/auth/me").status_code == 401
        # ... and the OIDC route reads the services' (unconfigured) single sign-on.
        assert client.get("/auth/oidc").json() == {"enabled": False}
