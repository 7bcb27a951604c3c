"""Residents' pages: sign-up, sign-in, step-up, recovery, and the account with its privacy tools."""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.core import pdf, ratelimit
from rathaus.core.forms import posted

from ..decorators import on_passkey_host, resident_required, strong_auth_required
from ..forms import (
    AccessCodeForm,
    DeleteAccountForm,
    EmailChangeForm,
    PasskeyNameForm,
    RecoveryForm,
    SignupForm,
)
from ..models import Passkey, Token
from ..services import access_log, assisted, passkeys, privacy, sessions, signup, throttle
from ..services.passkeys import PasskeyError
from .ceremonies import (
    NEW_CODES,
    link_registration_page,
    safe_next,
    start_authentication,
    start_registration,
)

TOO_MANY = _("Zu viele Versuche in kurzer Zeit. Bitte warten Sie eine Stunde.")


def _limit(request: HttpRequest, scope: str, *keys: str, limit: int) -> bool:
    """Count this attempt for the caller's address and for each key (an e-mail address, an
    account); ``False`` once any of them is over its hourly limit."""
    results = [ratelimit.hit(scope, ratelimit.client_ip(request), limit=limit, window=3600)]
    results += [
        ratelimit.hit(f"{scope}-key", key.lower(), limit=max(3, limit // 2), window=3600)
        for key in keys
    ]
    return all(results)


@on_passkey_host
def signup_start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not _limit(request, "signup", email, limit=10):
            form.add_error(None, TOO_MANY)
        else:
            signup.start_signup(
                email,
                link=lambda raw: request.build_absolute_uri(
                    reverse("accounts:signup_passkey", args=[raw])
                ),
            )
            return render(request, "accounts/signup_sent.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form})


@on_passkey_host
def signup_passkey(request: HttpRequest, token: str) -> HttpResponse:
    return link_registration_page(
        request,
        token,
        purpose=Token.Purpose.SIGNUP,
        kind="signup",
        template="accounts/register_passkey.html",
        context={"form": PasskeyNameForm(initial={"name": _("Mein Passkey")})},
    )


@on_passkey_host
def signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"), reverse("accounts:account"))
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(next_url)
    start_authentication(request, "signin", next_url)
    return render(request, "accounts/signin.html", {"next": next_url})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    staff = request.user.is_authenticated and request.user.is_staff
    sessions.sign_out(request)
    messages.success(request, _("Sie sind abgemeldet."))
    return redirect("accounts:staff_signin" if staff else "catalog:home")


@resident_required
def step_up(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"), reverse("accounts:account"))
    if sessions.recently_verified(request):
        return redirect(next_url)
    start_authentication(request, "step_up", next_url)
    return render(request, "accounts/step_up.html", {"next": next_url})


@on_passkey_host
def recovery(request: HttpRequest) -> HttpResponse:
    form = RecoveryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if throttle.blocked(request, "recovery", email):
            form.add_error(None, TOO_MANY)
        elif user := passkeys.use_recovery_code(email, form.cleaned_data["code"]):
            sessions.sign_in(request, user, method="recovery_code", user_verified=False)
            messages.warning(
                request,
                _(
                    "Sie sind mit einem Wiederherstellungscode angemeldet. Legen Sie jetzt einen "
                    "neuen Passkey an; der Code ist verbraucht."
                ),
            )
            return redirect("accounts:passkey_add")
        else:
            throttle.failed(request, "recovery", email)
            form.add_error(None, _("E-Mail-Adresse oder Wiederherstellungscode stimmen nicht."))
    return render(request, "accounts/recovery.html", {"form": form})


@resident_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "passkeys": user.passkeys.all(),
            "unused_codes": passkeys.unused_recovery_codes(user),
            "recent_access": access_log.entries_for(user)[:3],
        },
    )


@resident_required
def passkey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/passkeys.html",
        {
            "passkeys": request.user.passkeys.all(),
            "unused_codes": passkeys.unused_recovery_codes(request.user),
        },
    )


@resident_required
def passkey_add(request: HttpRequest) -> HttpResponse:
    if not sessions.recently_signed_in(request):
        return redirect(f"{reverse('accounts:signin')}?next={reverse('accounts:passkey_add')}")
    start_registration(request, "add")
    return render(
        request,
        "accounts/register_passkey.html",
        {"email": request.user.email, "form": PasskeyNameForm(), "adding": True},
    )


@resident_required
def passkey_rename(request: HttpRequest, passkey_id: int) -> HttpResponse:
    passkey = request.user.passkeys.filter(pk=passkey_id).first()
    if passkey is None:
        raise Http404
    form = PasskeyNameForm(posted(request), initial={"name": passkey.name})
    if request.method == "POST" and form.is_valid():
        passkeys.rename_passkey(request.user, passkey.pk, form.cleaned_data["name"])
        messages.success(request, _("Der Passkey heißt jetzt „%s“.") % form.cleaned_data["name"])
        return redirect("accounts:passkeys")
    return render(request, "accounts/passkey_rename.html", {"form": form, "passkey": passkey})


@strong_auth_required
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    passkey = request.user.passkeys.filter(pk=passkey_id).first()
    if passkey is None:
        raise Http404
    if request.method == "POST":
        try:
            passkeys.remove_passkey(request.user, passkey.pk)
        except PasskeyError as error:
            messages.error(request, str(error))
        except Passkey.DoesNotExist as error:
            raise Http404 from error
        else:
            messages.success(request, _("Der Passkey „%s“ wurde entfernt.") % passkey.name)
        return redirect("accounts:passkeys")
    return render(request, "accounts/passkey_remove.html", {"passkey": passkey})


@resident_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """The ten codes, shown exactly once after they were made."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@strong_auth_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session[NEW_CODES] = passkeys.new_recovery_codes(request.user)
        return redirect("accounts:recovery_codes_new")
    return render(request, "accounts/recovery_codes_renew.html")


@resident_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/my_data.html",
        {"sources": privacy.sources(), "retained": privacy.retained_on_deletion(request.user)},
    )


@strong_auth_required
def export_json(request: HttpRequest) -> HttpResponse:
    data = privacy.export_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="meine-daten-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@strong_auth_required
def export_summary(request: HttpRequest) -> HttpResponse:
    """The same data as a readable page; ``?format=pdf`` as a PDF to keep or print."""
    context = {
        "sections": privacy.readable_export(request.user),
        "exported_at": timezone.now(),
        "account_id": request.user.public_id,
    }
    if request.GET.get("format") == "pdf":
        document = pdf.render("accounts/export_summary_pdf.html", context, request=request)
        response = HttpResponse(document, content_type="application/pdf")
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="meine-daten-{stamp}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/export_summary.html", context)


@strong_auth_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not _limit(request, "email-change", str(request.user.pk), limit=6):
            form.add_error(None, TOO_MANY)
        else:
            privacy.start_email_change(
                request.user,
                form.cleaned_data["email"],
                link=lambda raw: request.build_absolute_uri(
                    reverse("accounts:email_confirm", args=[raw])
                ),
            )
            messages.success(
                request,
                _("Wir haben einen Bestätigungslink an %s geschickt.") % form.cleaned_data["email"],
            )
            return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


@on_passkey_host
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    user = privacy.confirm_email_change(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=404)
    messages.success(request, _("Ihre E-Mail-Adresse ist jetzt %s.") % user.email)
    return redirect("accounts:account" if request.user == user else "accounts:signin")


@strong_auth_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        kept = privacy.delete_account(request.user)
        sessions.sign_out(request)
        return render(request, "accounts/deleted.html", {"kept": kept})
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "retained": privacy.retained_on_deletion(request.user)},
    )


@resident_required
def access_log_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/access_log.html",
        {"entries": access_log.entries_for(request.user)[:500]},
    )


LETTER_PENDING = "accounts.letter_pending"


@on_passkey_host
def access_code(request: HttpRequest) -> HttpResponse:
    """Redeem the code of a letter from the counter: then register a passkey.

    For an existing account the holder must first open the link we mail to the account's
    address, in this browser (``access_code_confirm``).
    """
    form = AccessCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        code = assisted.find_access_code(form.cleaned_data["code"])
        if throttle.blocked(request, "access-code", email):
            form.add_error(None, TOO_MANY)
        elif code is None or not assisted.fits(code, email):
            throttle.failed(request, "access-code", email)
            form.add_error(
                None,
                _(
                    "Dieser Zugangscode gilt nicht (mehr), oder die E-Mail-Adresse passt nicht "
                    "zum Konto. Ein neuer Brief ist in jedem Bürgerbüro erhältlich."
                ),
            )
        elif assisted.existing_account(code) is not None:
            token = assisted.request_confirmation(code)
            request.session[LETTER_PENDING] = {"code": code.pk, "token": token.pk}
            return render(request, "accounts/access_code_sent.html", {"email": email})
        else:
            start_registration(request, "access_code", code=code.pk, email=email)
            return _passkey_page(request, email)
    return render(request, "accounts/access_code.html", {"form": form})


def _passkey_page(request: HttpRequest, email: str) -> HttpResponse:
    return render(
        request,
        "accounts/register_passkey.html",
        {"email": email, "form": PasskeyNameForm(initial={"name": _("Mein Passkey")})},
    )


@on_passkey_host
def access_code_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The account holder's link: only in the browser that entered the letter's code."""
    confirmation = assisted.find_confirmation(token)
    if confirmation is None:
        return render(request, "accounts/link_invalid.html", status=404)
    pending = request.session.get(LETTER_PENDING) or {}
    if pending.get("token") != confirmation.pk:
        return render(request, "accounts/access_code_other_browser.html", status=403)
    start_registration(
        request,
        "access_code",
        code=confirmation.access_code_id,
        email=confirmation.user.email,
        confirmation=confirmation.pk,
    )
    return _passkey_page(request, confirmation.user.email)


@resident_required
def representations(request: HttpRequest) -> HttpResponse:
    """Who in the administration acted for this account, and ending what is still open."""
    now = timezone.now()
    rows = [
        {"item": r, "open": assisted.is_open(r, now=now)}
        for r in assisted.representations_of(request.user)[:200]
    ]
    return render(request, "accounts/representations.html", {"rows": rows})


@resident_required
@require_POST
def representation_end(request: HttpRequest, representation_id: int) -> HttpResponse:
    if not assisted.end_for_holder(request.user, representation_id):
        raise Http404
    messages.success(
        request, _("Die Vertretung ist beendet. Die Verwaltung kann nicht mehr für Sie handeln.")
    )
    return redirect("accounts:representations")
