"""A real OpenID Connect provider for the sign-in tests, built with Authlib, served over HTTP on a free port.

Why a real one: the sign-in area's promise is that a council's Entra ID (or any
standard provider) works. A mocked response would test our reading of a response
we wrote ourselves. This provider runs Authlib's authorization code grant with
PKCE and its OpenID Connect extension: it publishes discovery and a JWKS, checks
the client's secret and the PKCE verifier, and issues ID tokens signed with an
RSA key it makes at start, exactly as the portal meets them in production
(allauth fetches discovery, exchanges the code, checks the ID token's issuer and
audience, and reads the user info).

The person "signed in at the provider" is whoever the test names in
``signed_in_as`` (a council's tenant would have asked for their password); the
authorization endpoint consents for them at once and remembers the
``login_hint`` it was sent.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import RSAKey


@dataclass
class Person:
    """Someone signed in at the provider: the claims it vouches for."""

    sub: str
    email: str
    name: str


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return "0"

    def get_amr(self) -> list[str]:
        return ["pwd"]


class _Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    @property
    def data(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._values.items()}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return defaultdict(list, self._values)


class _Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, headers: dict[str, str], query: dict[str, list[str]], form: dict[str, list[str]]
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._query, self._form = query, form
        self.payload = _Payload({**query, **form})

    @property
    def args(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._query.items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._form.items()}


class LocalProvider:
    """The provider: Authlib's server, its stores, and the HTTP front that serves it on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"})
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthCode] = {}
        self.tokens: dict[str, tuple[Person, str]] = {}
        self.signed_in_as: Person | None = None
        self.login_hints: list[str] = []
        self.token_requests = 0
        self.id_tokens: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.issuer = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.server = _server_for(self)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> LocalProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def register_client(self, redirect_uri: str) -> Client:
        client = Client(secrets.token_hex(8), secrets.token_urlsafe(24), [redirect_uri])
        self.clients[client.client_id] = client
        return client

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "name"],
        }

    def user_info(self, person: Person) -> UserInfo:
        return UserInfo(sub=person.sub, email=person.email, name=person.name)


def _server_for(provider: LocalProvider) -> AuthorizationServer:
    class Server(AuthorizationServer):
        def query_client(self, client_id: str) -> Client | None:
            return provider.clients.get(client_id)

        def save_token(self, token: dict[str, Any], request: Any) -> None:
            provider.tokens[token["access_token"]] = (request.user, token.get("scope", ""))

        def create_oauth2_request(self, request: Any) -> Any:
            return request

        def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
            return status, body, headers

        def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
            return None

    class CodeGrant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            provider.codes[code] = AuthCode(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=data.get("redirect_uri", ""),
                scope=request.client.get_allowed_scope(data.get("scope", "")),
                person=request.user,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )

        def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
            item = provider.codes.get(code)
            return item if item is not None and item.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: AuthCode) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: AuthCode) -> Person:
            return authorization_code.person

    class OpenID(OpenIDCode):
        def resolve_client_private_key(self, client: Client) -> RSAKey:
            return provider.key

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            return {"iss": provider.issuer, "aud": [client.get_client_id()]}

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return any(c.nonce == nonce for c in provider.codes.values())

        def generate_user_info(self, user: Person, scope: str) -> UserInfo:
            return provider.user_info(user)

    server = Server(scopes_supported=["openid", "email", "profile"])
    server.register_token_generator("default", BearerTokenGenerator(lambda *args, **kwargs: secrets.token_urlsafe(32)))
    server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenID(require_nonce=False)])
    return server


def _handler_for(provider: LocalProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _request(self, form: dict[str, list[str]]) -> _Request:
            parts = urlsplit(self.path)
            headers = {k: v for k, v in self.headers.items()}
            return _Request(self.command, provider.issuer + self.path, headers, parse_qs(parts.query), form)

        def _send(self, status: int, body: Any, headers: Any = ()) -> None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            sent = {k.lower() for k, _ in headers}
            for name, value in headers:
                self.send_header(name, value)
            if "content-type" not in sent:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif path == "/jwks":
                self._send(200, {"keys": [provider.key.as_dict(private=False)]})
            elif path == "/authorize":
                request = self._request({})
                provider.login_hints.append(request.args.get("login_hint", ""))
                if provider.signed_in_as is None:
                    self._send(401, {"error": "login_required"})
                    return
                grant = provider.server.get_consent_grant(request=request, end_user=provider.signed_in_as)
                status, body, headers = provider.server.create_authorization_response(
                    request=request, grant_user=provider.signed_in_as, grant=grant
                )
                self._send(status, body or b"", headers)
            elif path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                if token not in provider.tokens:
                    self._send(401, {"error": "invalid_token"})
                    return
                self._send(200, dict(provider.user_info(provider.tokens[token][0])))
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            if urlsplit(self.path).path != "/token":
                self._send(404, {"error": "not_found"})
                return
            provider.token_requests += 1
            status, body, headers = provider.server.create_token_response(request=self._request(form))
            if isinstance(body, dict) and "id_token" in body:
                provider.id_tokens.append(body["id_token"])
            self._send(status, body, headers)

    return Handler
