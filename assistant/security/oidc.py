"""Optional OpenID Connect login (authorization code flow with PKCE) through Authlib.

Enabled when `settings.oidc_issuer` and `settings.oidc_client_id` are set. The identity provider only
proves who the person is: the ID token's `oidc_username_claim` must name an active local user (created
with `assistant users add`), whose role and unit the assistant keeps itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from assistant.config import Settings
from assistant.security.sessions import AuthError
from assistant.security.tokens import TokenSigner

def http_library():  # noqa: ANN201
    """The HTTP client library Authlib's client is built on (httpx2, or httpx in older Authlib); a transport
    given to `OidcLogin` must come from it."""
    try:
        import httpx2

        return httpx2
    except ImportError:  # older Authlib on plain httpx
        import httpx

        return httpx


OIDC_COOKIE = "assistant_oidc"
"""Short-lived, signed cookie carrying state, nonce and the PKCE verifier between redirect and callback."""
OIDC_FLOW_TTL_S = 600


@dataclass(frozen=True)
class ProviderMetadata:
    """The identity provider's endpoints."""

    issuer: str
    authorize_url: str
    token_url: str
    jwks_url: str


class OidcLogin:
    """The OpenID Connect flow for one app.

    Args:
        settings: The `oidc_*` settings.
        signer: Signs the flow cookie.
        transport: An httpx transport for the provider's endpoints (tests pass an in-process fake IdP);
            None = the network.
    """

    def __init__(self, settings: Settings, signer: TokenSigner, *, transport: Any = None) -> None:
        self.settings = settings
        self.signer = signer
        self.transport = transport
        self._metadata: ProviderMetadata | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.settings.oidc_issuer and self.settings.oidc_client_id)

    def _client(self, redirect_uri: str):  # noqa: ANN202
        from authlib.integrations.httpx_client import AsyncOAuth2Client

        kwargs = {"transport": self.transport} if self.transport is not None else {}
        return AsyncOAuth2Client(self.settings.oidc_client_id, self.settings.oidc_client_secret,
                                 scope=self.settings.oidc_scopes, redirect_uri=redirect_uri,
                                 code_challenge_method="S256",
                                 token_endpoint_auth_method="client_secret_post" if self.settings.oidc_client_secret
                                 else "none", **kwargs)

    async def metadata(self) -> ProviderMetadata:
        """The endpoints: from the settings where given, else from the issuer's discovery document.

        Raises:
            AuthError: 503 `oidc-unavailable` when discovery fails.
        """
        if self._metadata is not None:
            return self._metadata
        s = self.settings
        issuer = (s.oidc_issuer or "").rstrip("/")
        found: dict[str, Any] = {}
        if not (s.oidc_authorize_url and s.oidc_token_url and s.oidc_jwks_url):
            try:
                async with self._http() as client:
                    response = await client.get(f"{issuer}/.well-known/openid-configuration")
                    response.raise_for_status()
                    found = response.json()
            except Exception as err:
                raise AuthError(f"Identitetsudbyderen svarer ikke: {err}", code="oidc-unavailable", status=503) from err
        self._metadata = ProviderMetadata(
            issuer=found.get("issuer", issuer),
            authorize_url=s.oidc_authorize_url or found.get("authorization_endpoint", ""),
            token_url=s.oidc_token_url or found.get("token_endpoint", ""),
            jwks_url=s.oidc_jwks_url or found.get("jwks_uri", ""))
        return self._metadata

    def _http(self):  # noqa: ANN202
        kwargs = {"transport": self.transport} if self.transport is not None else {}
        return http_library().AsyncClient(timeout=10, **kwargs)

    def redirect_uri(self, base_url: str) -> str:
        return self.settings.oidc_redirect_url or f"{base_url.rstrip('/')}/auth/oidc/callback"

    async def start(self, *, base_url: str, next_path: str) -> tuple[str, str]:
        """Begin a login: (URL to send the browser to, value of the flow cookie)."""
        metadata = await self.metadata()
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        url, _ = self._client(self.redirect_uri(base_url)).create_authorization_url(
            metadata.authorize_url, state=state, nonce=nonce, code_verifier=verifier)
        cookie = self.signer.sign("oidc-flow", {"state": state, "nonce": nonce, "verifier": verifier,
                                                "next": next_path}, ttl_s=OIDC_FLOW_TTL_S)
        return url, cookie

    async def finish(self, *, base_url: str, code: str, state: str, flow_cookie: str | None) -> tuple[str, str]:
        """Complete a login from the callback: (the local user name, the path to continue to).

        Raises:
            AuthError: the state does not match, the token exchange fails or the ID token is invalid.
        """
        flow = self.signer.verify("oidc-flow", flow_cookie)
        if flow is None or not secrets.compare_digest(str(flow.get("state")), state or ""):
            raise AuthError("Login-forløbet er udløbet eller ugyldigt; prøv igen.", code="oidc-state-mismatch")
        metadata = await self.metadata()
        client = self._client(self.redirect_uri(base_url))
        try:
            token = await client.fetch_token(metadata.token_url, code=code, code_verifier=flow["verifier"])
        except Exception as err:
            raise AuthError(f"Identitetsudbyderen afviste login: {err}", code="oidc-token-failed") from err
        finally:
            await client.aclose()
        claims = await self._verify_id_token(token.get("id_token"), metadata=metadata, nonce=flow["nonce"])
        username = claims.get(self.settings.oidc_username_claim)
        if not isinstance(username, str) or not username:
            raise AuthError(f"ID-tokenet mangler '{self.settings.oidc_username_claim}'.", code="oidc-no-username")
        return username, str(flow.get("next") or "/")

    async def _verify_id_token(self, id_token: str | None, *, metadata: ProviderMetadata, nonce: str) -> dict:
        from joserfc import jwt
        from joserfc.jwk import KeySet

        if not id_token:
            raise AuthError("Svaret fra identitetsudbyderen har intet ID-token.", code="oidc-no-id-token")
        try:
            async with self._http() as http:
                response = await http.get(metadata.jwks_url)
                response.raise_for_status()
                keys = KeySet.import_key_set(response.json())
            token = jwt.decode(id_token, keys)
            registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": metadata.issuer},
                                             aud={"essential": True, "value": self.settings.oidc_client_id},
                                             nonce={"essential": True, "value": nonce},
                                             exp={"essential": True}, sub={"essential": True})
            registry.validate(token.claims)
        except AuthError:
            raise
        except Exception as err:
            raise AuthError(f"ID-tokenet kunne ikke godkendes: {err}", code="oidc-bad-id-token") from err
        return dict(token.claims)
