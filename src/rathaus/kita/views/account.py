"""A family's registrations: register a child, see the status and why, change or withdraw
until the deadline, accept or decline an offered place.

Registering, changing and answering are official requests: the passkey confirms them
(``strong_auth_required``). Every registration is looked up together with the signed-in
account, so another family's id answers 404 like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.accounts.decorators import resident_required, strong_auth_required
from rathaus.core.forms import posted

from ..forms import DATALIST, AnswerForm, RegistrationForm, daycare_label
from ..models import Daycare, Outcome, Registration
from ..services import explanations, registrations, responses

__all__ = [
    "answer",
    "apply_refusal",
    "change",
    "form_page",
    "mine",
    "record_answer",
    "register",
    "registration",
    "suggestions",
    "withdraw",
]


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def _own(request: HttpRequest, public_id) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("period", "district"),
        public_id=public_id,
        account=request.user,
    )


def suggestions() -> list[str]:
    """Every daycare as the registration form's fields take it, for the ``<datalist>``."""
    return [daycare_label(d) for d in Daycare.objects.only("pk", "name").order_by("name")]


def apply_refusal(form: RegistrationForm, error: ValidationError) -> None:
    """A rule the service refused, shown at its field (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error("wish_1" if field == "wishes" else field, errors)
    else:
        form.add_error(None, error)


@resident_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    own = (
        Registration.objects.filter(account=request.user)
        .select_related("period")
        .prefetch_related("wishes__daycare")
    )
    period = registrations.current_period()
    return render(
        request,
        "kita/mine.html",
        {
            "registrations": own,
            "period": period,
            "open": period is not None and registrations.is_open(period),
        },
    )


@strong_auth_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    period = registrations.current_period()
    if period is None or not registrations.is_open(period):
        return render(request, "kita/closed.html", {"period": period}, status=409)
    initial = {"email": request.user.email}
    # A second child of the family: the address and contact of the last registration.
    last = Registration.objects.filter(account=request.user).order_by("-created_at").first()
    if last is not None:
        initial.update(
            parent_name=last.parent_name,
            email=last.email or request.user.email,
            phone=last.phone,
            street=last.street,
            postcode=last.postcode,
            district=last.district_id,
        )
    if slug := request.GET.get("kita"):
        chosen = Daycare.objects.filter(slug=slug[:120]).first()
        if chosen:
            initial["wish_1"] = daycare_label(chosen)
    form = RegistrationForm(posted(request), period=period, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            created = registrations.register(
                period,
                form.details(),
                form.cleaned_data["wishes"],
                form.siblings(),
                account=request.user,
                audit_attributes=form.audit_attributes(),
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("Ihre Anmeldung ist eingegangen."))
            return _see_other(reverse("kita:registration", args=[created.public_id]))
    return form_page(request, "kita/register.html", form, period)


@resident_required
@never_cache
def registration(request: HttpRequest, public_id) -> HttpResponse:
    found = _own(request, public_id)
    outcomes = list(found.outcomes.select_related("round", "daycare").order_by("-round__number"))
    latest = outcomes[0] if outcomes else None
    return render(
        request,
        "kita/registration.html",
        {
            "registration": found,
            "wishes": found.wishes.select_related("daycare"),
            "latest": latest,
            "headline": explanations.headline(latest) if latest else "",
            "reasons": explanations.sentences(latest) if latest else [],
            "earlier": outcomes[1:],
            "can_change": registrations.can_change(found),
            "can_withdraw": found.status
            in (Registration.Status.SUBMITTED, Registration.Status.WAITING),
            "answer_form": AnswerForm()
            if latest and latest.status == Outcome.Status.OFFERED
            else None,
        },
    )


@strong_auth_required
@never_cache
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, public_id) -> HttpResponse:
    found = _own(request, public_id)
    if not registrations.can_change(found):
        messages.error(request, _("Diese Anmeldung kann nicht mehr geändert werden."))
        return _see_other(reverse("kita:registration", args=[found.public_id]))
    form = RegistrationForm(
        posted(request), period=found.period, initial=RegistrationForm.initial_from(found)
    )
    if form.is_bound and form.is_valid():
        try:
            registrations.change(
                found,
                form.details(),
                form.cleaned_data["wishes"],
                form.siblings(),
                by=request.user,
                audit_attributes=form.audit_attributes(),
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("Ihre Änderung ist gespeichert."))
            return _see_other(reverse("kita:registration", args=[found.public_id]))
    return form_page(request, "kita/register.html", form, found.period, registration=found)


@resident_required
@require_POST
def withdraw(request: HttpRequest, public_id) -> HttpResponse:
    found = _own(request, public_id)
    try:
        registrations.withdraw(found, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Ihre Anmeldung ist zurückgezogen."))
    return _see_other(reverse("kita:registration", args=[found.public_id]))


@strong_auth_required
@require_POST
def answer(request: HttpRequest, public_id) -> HttpResponse:
    found = _own(request, public_id)
    record_answer(
        request,
        found,
        accepted=_("Sie haben den Platz angenommen."),
        declined=_("Sie haben den Platz abgelehnt."),
    )
    return _see_other(reverse("kita:registration", args=[found.public_id]))


def record_answer(
    request: HttpRequest, registration: Registration, *, accepted: str, declined: str
) -> None:
    """Accept or decline the open offer of ``registration`` as the form says, and tell the
    person in front of the screen what happened (the family online, or staff for it)."""
    form = AnswerForm(request.POST)
    offered = registration.outcomes.filter(status=Outcome.Status.OFFERED).first()
    if not form.is_valid():
        messages.error(request, form.errors["antwort"][0])
        return
    if offered is None:
        messages.error(request, _("Zu dieser Anmeldung ist kein Platzangebot offen."))
        return
    accept = form.cleaned_data["antwort"] == "annehmen"
    try:
        (responses.accept if accept else responses.decline)(offered, by=request.user)
    except responses.OfferClosed:
        messages.error(
            request, _("Dieses Angebot ist schon beantwortet oder seine Frist ist abgelaufen.")
        )
    else:
        messages.success(request, accepted if accept else declined)


def form_page(
    request: HttpRequest, template: str, form: RegistrationForm, period, **context
) -> HttpResponse:
    """The registration form (the family's or the staff's), 400 when it has errors."""
    return render(
        request,
        template,
        {
            "form": form,
            "period": period,
            "datalist": DATALIST,
            "suggestions": suggestions(),
            "wishes": [form[name] for name in form.wish_names],
            **context,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
