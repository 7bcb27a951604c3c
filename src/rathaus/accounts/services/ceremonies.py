"""The WebAuthn relying party: challenges, options and verification (py_webauthn underneath).

Guarantees: a challenge is used at most once and only before it expires (a
conditional update in the database, so two parallel answers cannot both win);
the origin must be ours and the RP ID hash must match; the signature is checked
against the stored public key; a sign counter that goes backwards marks the
passkey as possibly cloned and the sign-in fails.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_authenticator_data,
)
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..models import Challenge, Passkey, User

CHALLENGE_LIFETIME = timedelta(minutes=5)
TIMEOUT_MS = 120_000


class CeremonyError(Exception):
    """The passkey answer was not accepted; ``message`` is for the person, in German."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


def rp_id() -> str:
    return settings.WEBAUTHN_RP_ID


def origin_of(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def host_is_relying_party(request: HttpRequest) -> bool:
    """Passkeys work only where the host is the RP ID or one of its subdomains."""
    host = urlsplit(origin_of(request)).hostname or ""
    return host == rp_id() or host.endswith("." + rp_id())


def expected_origins(request: HttpRequest) -> list[str]:
    if settings.WEBAUTHN_ORIGINS:
        return list(settings.WEBAUTHN_ORIGINS)
    return [origin_of(request)] if host_is_relying_party(request) else []


def _new_challenge(purpose: str, user: User | None, value: bytes) -> Challenge:
    return Challenge.objects.create(
        value=value,
        purpose=purpose,
        user=user,
        expires_at=timezone.now() + CHALLENGE_LIFETIME,
    )


def consume_challenge(challenge_id: str | None, purpose: str) -> Challenge:
    """Mark the challenge used, exactly once; refuse unknown, used or expired ones."""
    failure = CeremonyError(
        "Die Anfrage ist abgelaufen oder wurde schon benutzt. Bitte versuchen Sie es noch einmal.",
        "challenge",
    )
    if not challenge_id:
        raise failure
    now = timezone.now()
    with transaction.atomic():
        claimed = Challenge.objects.filter(
            id=challenge_id, purpose=purpose, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed != 1:
            raise failure
        return Challenge.objects.get(id=challenge_id)


@dataclass(frozen=True)
class NewCredential:
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    aaguid: str
    backed_up: bool
    user_verified: bool


def registration_options(user: User, *, display_name: str) -> tuple[str, Challenge]:
    """Options for creating a discoverable passkey for ``user`` (existing passkeys excluded)."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=user.user_handle.encode(),
        user_name=user.email,
        user_display_name=display_name,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in user.passkeys.all()
        ]
        if user.pk
        else [],
    )
    challenge = _new_challenge(
        Challenge.Purpose.REGISTRATION, user if user.pk else None, options.challenge
    )
    return options_to_json(options), challenge


def verify_registration(request: HttpRequest, challenge: Challenge, answer: Any) -> NewCredential:
    try:
        verified = verify_registration_response(
            credential=answer,
            expected_challenge=bytes(challenge.value),
            expected_rp_id=rp_id(),
            expected_origin=expected_origins(request),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError) as error:
        raise CeremonyError(
            "Der Passkey konnte nicht eingerichtet werden. Bitte versuchen Sie es noch einmal.",
            str(error),
        ) from error
    transports = []
    if isinstance(answer, dict):
        transports = [
            t
            for t in answer.get("response", {}).get("transports", []) or []
            if t in {item.value for item in AuthenticatorTransport}
        ]
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports,
        aaguid=verified.aaguid,
        backed_up=verified.credential_backed_up,
        user_verified=verified.user_verified,
    )


def authentication_options(user: User | None = None) -> tuple[str, Challenge]:
    """Discoverable sign-in without ``user``; with ``user`` (step-up) only their passkeys."""
    allow = (
        [
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(p.credential_id),
                transports=[AuthenticatorTransport(t) for t in p.transports],
            )
            for p in user.passkeys.all()
        ]
        if user
        else []
    )
    options = generate_authentication_options(
        rp_id=rp_id(),
        timeout=TIMEOUT_MS,
        allow_credentials=allow,
        user_verification=UserVerificationRequirement.REQUIRED
        if user
        else UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), _new_challenge(
        Challenge.Purpose.AUTHENTICATION, user, options.challenge
    )


@dataclass(frozen=True)
class Assertion:
    passkey: Passkey
    user_verified: bool


def verify_authentication(
    request: HttpRequest, challenge: Challenge, answer: Any, *, require_uv: bool
) -> Assertion:
    unknown = CeremonyError(
        "Dieser Passkey ist uns nicht bekannt. Vielleicht gehört er zu einem anderen Konto "
        "oder wurde entfernt.",
        "unknown credential",
    )
    try:
        credential = parse_authentication_credential_json(
            json.dumps(answer) if isinstance(answer, dict) else answer
        )
    except (InvalidJSONStructure, ValueError, KeyError, TypeError) as error:
        raise CeremonyError("Die Antwort des Passkeys war unvollständig.", str(error)) from error
    passkey = (
        Passkey.objects.select_related("user")
        .filter(credential_id=bytes_to_base64url(credential.raw_id), user__is_active=True)
        .first()
    )
    if passkey is None or (challenge.user_id and passkey.user_id != challenge.user_id):
        raise unknown
    if passkey.flagged_at:
        raise CeremonyError(
            "Dieser Passkey ist gesperrt, weil er kopiert worden sein könnte. Melden Sie sich mit "
            "einem anderen Passkey oder einem Wiederherstellungscode an.",
            "flagged credential",
        )
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=bytes(challenge.value),
            expected_rp_id=rp_id(),
            expected_origin=expected_origins(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=0,  # compared below, after the signature is known good
            require_user_verification=require_uv,
        )
    except InvalidAuthenticationResponse as error:
        raise CeremonyError(
            "Die Anmeldung mit dem Passkey ist fehlgeschlagen. Bitte versuchen Sie es noch einmal.",
            str(error),
        ) from error
    new_count = parse_authenticator_data(credential.response.authenticator_data).sign_count
    now = timezone.now()
    if (new_count or passkey.sign_count) and new_count <= passkey.sign_count:
        Passkey.objects.filter(pk=passkey.pk).update(flagged_at=now)
        raise CeremonyError(
            "Dieser Passkey meldet einen zurückgesetzten Zähler und könnte kopiert worden sein. "
            "Zu Ihrer Sicherheit ist die Anmeldung damit gesperrt. Melden Sie sich mit einem "
            "anderen Passkey oder einem Wiederherstellungscode an.",
            "sign count regression",
        )
    Passkey.objects.filter(pk=passkey.pk).update(
        sign_count=new_count, last_used_at=now, backed_up=verified.credential_backed_up
    )
    passkey.sign_count, passkey.last_used_at = new_count, now
    return Assertion(passkey=passkey, user_verified=verified.user_verified)
