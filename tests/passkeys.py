"""A software FIDO2 authenticator for tests: real ES256 and EdDSA keys and signatures.

It answers the options our server sends exactly as a browser with a platform
authenticator would (the JSON of PublicKeyCredential.toJSON()), so tests drive
the real ceremonies; and it can misbehave on request (wrong origin, bad
signature, replayed answer, reset counter).
"""

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40
AAGUID = bytes.fromhex("ea9b8d664d011d213ce4b6b48cb575d4")  # an arbitrary model id


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    credential_id: bytes
    private_key: object
    algorithm: str
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    def cose_public_key(self) -> bytes:
        public = self.private_key.public_key()
        if self.algorithm == "EdDSA":
            raw = public.public_bytes_raw()
            return cbor2.dumps({1: 1, 3: -8, -1: 6, -2: raw})
        numbers = public.public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def sign(self, data: bytes) -> bytes:
        if self.algorithm == "EdDSA":
            return self.private_key.sign(data)
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))


@dataclass
class Authenticator:
    """Holds discoverable credentials like a phone or a security key does."""

    algorithm: str = "ES256"
    credentials: list[Credential] = field(default_factory=list)

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def register(
        self, started: dict, origin: str, *, user_verified: bool = True, rp_id: str | None = None
    ) -> dict:
        """Answer ``navigator.credentials.create`` for the options our server started with."""
        options = started["publicKey"]
        rp_id = rp_id or options["rp"]["id"]
        if self.algorithm == "EdDSA":
            key = ed25519.Ed25519PrivateKey.generate()
        else:
            key = ec.generate_private_key(ec.SECP256R1())
        credential = Credential(
            credential_id=secrets.token_bytes(32),
            private_key=key,
            algorithm=self.algorithm,
            rp_id=rp_id,
            user_handle=unb64url(options["user"]["id"]),
        )
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if user_verified else 0)
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", credential.sign_count)
            + AAGUID
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + credential.cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        self.credentials.append(credential)
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(
                    self._client_data("webauthn.create", options["challenge"], origin)
                ),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    def authenticate(
        self,
        started: dict,
        origin: str,
        *,
        credential: Credential | None = None,
        user_verified: bool = True,
        counter_step: int = 1,
        tamper: bool = False,
    ) -> dict:
        """Answer ``navigator.credentials.get``: sign the challenge with a stored credential."""
        options = started["publicKey"]
        credential = credential or self.credentials[-1]
        credential.sign_count += counter_step
        flags = FLAG_UP | (FLAG_UV if user_verified else 0)
        auth_data = (
            hashlib.sha256(credential.rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", max(credential.sign_count, 0))
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.sign(auth_data + hashlib.sha256(client_data).digest())
        if tamper:
            signature = signature[:-2] + bytes([signature[-2] ^ 0xFF, signature[-1]])
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
        }
