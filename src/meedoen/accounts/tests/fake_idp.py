"""A small OpenID Connect provider for tests: a real HTTP server on 127.0.0.1 in a thread.

The identity provider is an external component, so the tests fake it at the HTTP level only:
discovery document, authorization endpoint (signs the user in at once and redirects back with a
code), token endpoint (client_secret_basic, PKCE S256, single-use codes), userinfo, JWKS and an
end-session endpoint. ID tokens are real RS256 JWTs signed with a key generated per provider.
Meedoen's side (mozilla-django-oidc and accounts/oidc.py) runs unchanged.

Knobs: `account` (who signs in next), `id_token_claims` (extra claims such as amr/acr),
`id_token_overrides` (break a claim: nonce, iss, aud, exp), `userinfo_overrides`, `sign_key`
(sign with a key that is not in the JWKS), `error` (answer the authorization with an error).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "meedoen-test"
CLIENT_SECRET = "test-client-secret-0123456789"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeIdentityProvider:
    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = new_rsa_key()
        self.sign_key: rsa.RSAPrivateKey = self.key
        self.kid = "fake-idp-key-1"
        self.account: dict[str, Any] = {
            "sub": "f3b0c7e2-0000-4000-8000-000000000001",
            "email": "coach@gemeente.example",
            "preferred_username": "coach",
            "name": "Test Coach",
        }
        self.id_token_claims: dict[str, Any] = {}
        self.id_token_overrides: dict[str, Any] = {}
        self.userinfo_overrides: dict[str, Any] = {}
        self.error = ""
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.authorize_params: list[dict[str, str]] = []
        self.issued: list[str] = []  # every ID token and access token handed out
        self.paths: list[str] = []  # every request's path, in order
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeIdentityProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # The endpoints ---------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def authorize(self, params: dict[str, str]) -> str:
        """The Location the provider sends the browser to: back to the client, with a code."""
        self.authorize_params.append(params)
        redirect_uri = params["redirect_uri"]
        if self.error:
            query = {"error": self.error, "state": params.get("state", "")}
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = {
                "params": params,
                "account": dict(self.account),
                "claims": dict(self.id_token_claims),
            }
            query = {"code": code, "state": params.get("state", "")}
        return f"{redirect_uri}?{urlencode(query)}"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        if authorization != "Basic " + base64.b64encode(
            f"{self.client_id}:{self.client_secret}".encode()
        ).decode("ascii"):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return 400, {"error": "invalid_grant"}
        params = grant["params"]
        if form.get("redirect_uri") != params["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if "code_challenge" in params:
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != params["code_challenge"]:
                return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["account"]["sub"],
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": params.get("nonce"),
            **grant["account"],
            **grant["claims"],
            **self.id_token_overrides,
        }
        id_token = jwt.encode(claims, self.sign_key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["account"]
        self.issued += [id_token, access_token]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        account = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if account is None:
            return 401, {"error": "invalid_token"}
        return 200, {**account, **self.userinfo_overrides}


def _handler_for(provider: FakeIdentityProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            provider.paths.append(url.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                self._redirect(provider.authorize(params))
            elif url.path == "/userinfo":
                self._json(*provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/logout":
                self._redirect(params.get("post_logout_redirect_uri", provider.issuer))
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.paths.append(urlsplit(self.path).path)
            if urlsplit(self.path).path == "/token":
                self._json(*provider.token(form, self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

    return Handler
