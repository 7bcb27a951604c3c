"""The JSON half of the passkey ceremonies, called by static/accounts/passkey.js.

The HTML page that starts a ceremony puts its purpose into the session
(``start_registration`` / ``start_authentication``); these endpoints read it, so
a script on the page cannot choose what the answer is used for.
"""

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.core import audit, metrics

from ..models import AccessCode, Token, User, new_user_handle
from ..services import assisted, ceremonies, passkeys, sessions, signup, staff, throttle, tokens
from ..services.ceremonies import CeremonyError

REGISTRATION = "accounts.registration"
AUTHENTICATION = "accounts.authentication"
CHALLENGES = "accounts.challenges"  # the session's open challenges, newest last
MAX_OPEN_CHALLENGES = 5
NEW_CODES = "accounts.new_recovery_codes"
MAX_BODY = 64 * 1024


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def start_registration(request: HttpRequest, kind: str, **context: Any) -> None:
    """Remember what the next passkey registration is for (set by the page that offers it)."""
    request.session[REGISTRATION] = {"kind": kind, "user_handle": new_user_handle(), **context}


def link_registration_page(
    request: HttpRequest, raw: str, *, purpose: str, kind: str, template: str, context: dict
) -> HttpResponse:
    """The page behind a one-time link that offers to create a passkey (sign-up, enrolment)."""
    token = tokens.find(raw, purpose)
    if token is None:
        return render(request, "accounts/link_invalid.html", status=404)
    start_registration(request, kind, token=token.pk)
    return render(request, template, {"token": token, "email": token.email, **context})


def start_authentication(request: HttpRequest, kind: str, next_url: str) -> None:
    request.session[AUTHENTICATION] = {"kind": kind, "next": next_url}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY:
        raise CeremonyError(_("Die Antwort ist zu groß."), "body too large")
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as error:
        raise CeremonyError(_("Die Antwort war kein gültiges JSON."), "json") from error
    if not isinstance(data, dict):
        raise CeremonyError(_("Die Antwort war unvollständig."), "shape")
    return data


def _remember_challenge(request: HttpRequest, challenge_id: str) -> None:
    """Several ceremonies may be open (passkey autofill and the button): keep the last few."""
    open_ids = [*request.session.get(CHALLENGES, []), challenge_id][-MAX_OPEN_CHALLENGES:]
    request.session[CHALLENGES] = open_ids


def _own_challenge(request: HttpRequest, data: dict[str, Any]) -> str | None:
    """The challenge the answer refers to, if this session asked for it."""
    challenge_id = data.get("challengeId")
    open_ids = request.session.get(CHALLENGES, [])
    if not isinstance(challenge_id, str) or challenge_id not in open_ids:
        return None
    open_ids.remove(challenge_id)
    request.session[CHALLENGES] = open_ids
    return challenge_id


def _started(options: str, challenge_id: str) -> JsonResponse:
    return JsonResponse({"publicKey": json.loads(options), "challengeId": challenge_id})


def _too_many() -> JsonResponse:
    return _error(_("Zu viele Versuche. Bitte warten Sie einige Minuten."), 429)


def _registration_user(request: HttpRequest, context: dict[str, Any]) -> tuple[User, str]:
    """The account the new passkey is for (unsaved for a new account) and its display name."""
    kind = context["kind"]
    if kind == "add" and request.user.is_authenticated:
        return request.user, request.user.email
    if kind == "signup" and (token := Token.objects.filter(pk=context.get("token")).first()):
        return User(email=token.email, user_handle=context["user_handle"]), token.email
    if kind == "staff" and (token := Token.objects.filter(pk=context.get("token")).first()):
        return token.user, token.user.full_name or token.user.email
    if kind == "access_code" and (
        code := AccessCode.objects.filter(pk=context.get("code")).first()
    ):
        if account := assisted.existing_account(code):
            return account, account.email
        email = context["email"]
        return User(email=email, user_handle=context["user_handle"]), email
    raise CeremonyError(_("Bitte laden Sie die Seite neu und beginnen Sie noch einmal."), "context")


@require_POST
def registration_options(request: HttpRequest) -> JsonResponse:
    if not throttle.started(request):
        return _too_many()
    try:
        context = request.session.get(REGISTRATION)
        if not context:
            raise CeremonyError(_("Bitte laden Sie die Seite neu."), "no context")
        user, display_name = _registration_user(request, context)
        options, challenge = ceremonies.registration_options(user, display_name=display_name)
    except CeremonyError as error:
        return _error(error.message)
    _remember_challenge(request, str(challenge.id))
    return _started(options, str(challenge.id))


@require_POST
def registration_finish(request: HttpRequest) -> JsonResponse:
    if throttle.blocked(request, "passkey"):
        return _too_many()
    context = request.session.get(REGISTRATION) or {}
    try:
        data = _body(request)
        challenge = ceremonies.consume_challenge(_own_challenge(request, data), "registration")
        credential = ceremonies.verify_registration(request, challenge, data.get("credential"))
        name = str(data.get("name") or "")[:100].strip() or _("Mein Passkey")
        redirect_to = _complete_registration(request, context, credential, name)
    except CeremonyError as error:
        throttle.failed(request, "passkey")
        metrics.passkey_failure("registration")
        audit.record("rathaus.accounts.passkey.registration_failed", data={"reason": error.reason})
        return _error(error.message)
    request.session.pop(REGISTRATION, None)
    return JsonResponse({"redirect": redirect_to})


def _complete_registration(request, context, credential, name) -> str:
    kind = context.get("kind")
    if kind == "add":
        if not request.user.is_authenticated or not sessions.recently_signed_in(request):
            raise CeremonyError(_("Bitte melden Sie sich erneut an."), "stale session")
        passkeys.add_passkey(request.user, credential, name=name, how="add")
        return reverse("accounts:passkeys")
    if kind == "signup":
        token = tokens.find_by_pk(context.get("token"), Token.Purpose.SIGNUP)
        if token is None:
            raise CeremonyError(
                _("Der Link ist abgelaufen. Bitte registrieren Sie sich neu."), "token"
            )
        user = signup.complete_signup(
            token, credential, user_handle=context["user_handle"], passkey_name=name
        )
        sessions.sign_in(request, user, method="passkey", user_verified=credential.user_verified)
        request.session[NEW_CODES] = passkeys.new_recovery_codes(user)
        return reverse("accounts:recovery_codes_new")
    if kind == "staff":
        token = tokens.find_by_pk(context.get("token"), Token.Purpose.STAFF_ENROLMENT)
        if token is None:
            raise CeremonyError(_("Der Einrichtungslink ist abgelaufen."), "token")
        user = staff.complete_enrolment(token, credential, passkey_name=name)
        sessions.sign_in(request, user, method="passkey", user_verified=credential.user_verified)
        return reverse("admin:index")
    if kind == "access_code":
        code = assisted.find_access_code_by_pk(context.get("code"))
        if code is None:
            raise CeremonyError(_("Der Zugangscode ist abgelaufen oder schon benutzt."), "code")
        new_account = assisted.existing_account(code) is None
        user = assisted.redeem_access_code(
            code,
            credential,
            email=context["email"],
            user_handle=context["user_handle"],
            passkey_name=name,
            confirmation=tokens.find_by_pk(
                context.get("confirmation"), Token.Purpose.LETTER_CONFIRMATION
            ),
        )
        sessions.sign_in(request, user, method="passkey", user_verified=credential.user_verified)
        if new_account:
            request.session[NEW_CODES] = passkeys.new_recovery_codes(user)
            return reverse("accounts:recovery_codes_new")
        return reverse("accounts:account")
    raise CeremonyError(_("Bitte laden Sie die Seite neu."), "kind")


@require_POST
def authentication_options(request: HttpRequest) -> JsonResponse:
    if not throttle.started(request):
        return _too_many()
    context = request.session.get(AUTHENTICATION) or {}
    step_up = context.get("kind") == "step_up"
    if step_up and not request.user.is_authenticated:
        return _error(_("Bitte melden Sie sich an."))
    options, challenge = ceremonies.authentication_options(request.user if step_up else None)
    _remember_challenge(request, str(challenge.id))
    return _started(options, str(challenge.id))


@require_POST
def authentication_finish(request: HttpRequest) -> JsonResponse:
    context = request.session.get(AUTHENTICATION) or {}
    kind = context.get("kind", "signin")
    accounts: tuple[str, ...] = ()
    try:
        data = _body(request)
        answer = data.get("credential")
        credential_id = str(answer.get("rawId", "") if isinstance(answer, dict) else "")[:1400]
        # Per passkey and account, too: one passkey tried from many addresses is limited.
        accounts = (f"credential:{credential_id}",) if credential_id else ()
        if kind == "step_up" and request.user.is_authenticated:
            accounts += (f"account:{request.user.pk}",)
        if throttle.blocked(request, "passkey", *accounts) or not all(
            throttle.attempt(account) for account in accounts
        ):
            return _error(
                _("Zu viele Versuche mit diesem Passkey. Bitte warten Sie einige Minuten."), 429
            )
        challenge = ceremonies.consume_challenge(_own_challenge(request, data), "authentication")
        assertion = ceremonies.verify_authentication(
            request, challenge, data.get("credential"), require_uv=kind == "step_up"
        )
    except CeremonyError as error:
        throttle.failed(request, "passkey", *accounts)
        metrics.passkey_failure("authentication")
        if error.reason == "sign count regression":
            audit.record("rathaus.accounts.passkey.possible_clone", data={"reason": error.reason})
        else:
            audit.record("rathaus.accounts.signin_failed", data={"reason": error.reason})
        return _error(error.message)
    user = assertion.passkey.user
    next_url = context.get("next") or reverse("accounts:account")
    if kind == "step_up":
        if user.pk != request.user.pk:
            return _error(_("Bitte bestätigen Sie mit einem Passkey Ihres eigenen Kontos."))
        sessions.mark_verified(request)
        audit.record("rathaus.accounts.step_up", actor=user, target=user)
    elif kind == "staff" and not user.is_staff:
        audit.record("rathaus.accounts.signin_failed", data={"reason": "not staff"})
        return _error(_("Mit diesem Passkey ist keine Anmeldung für die Verwaltung möglich."))
    else:
        with transaction.atomic():
            sessions.sign_in(request, user, method="passkey", user_verified=assertion.user_verified)
    request.session.pop(AUTHENTICATION, None)
    return JsonResponse({"redirect": next_url})
