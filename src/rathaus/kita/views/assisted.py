"""The assisted and the paper channel (/verwaltung/kita/anmeldungen/): staff of the youth
office (``kita.assist``) register a child for a family at the counter, on the phone or
from a paper form, find a registration, read its result and explanation with the family,
and record the family's answer to an offer. Every look at a registration goes to the
family's access log; every action is told to the family by e-mail (``notices``).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts import policy
from rathaus.accounts.services.access_log import log_accesses
from rathaus.core import pdf
from rathaus.core.forms import posted
from rathaus.core.http import private

from ..forms import (
    AssistedRegistrationForm,
    FindRegistrationForm,
    months,
)
from ..models import Outcome, Registration
from ..services import criteria, explanations, registrations
from . import account
from .account import apply_refusal, form_page

__all__ = ["find", "paper_form", "record_answer", "register", "registration"]

ASSIST = "kita.assist"
LIMIT = 50


def assisting(view: Callable) -> Callable:
    @policy.staff_required(ASSIST)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return private(view(request, *args, **kwargs))

    return wrapped


def _log(request: HttpRequest, found: list[Registration], purpose: str) -> None:
    log_accesses(
        request.user,
        [
            (r.account.public_id if r.account else r.public_id, "kita.Registration", r.public_id)
            for r in found
        ],
        purpose=purpose,
    )


@assisting
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    period = registrations.current_period()
    if period is None or not registrations.is_open(period, staff=True):
        return render(request, "kita/closed.html", {"period": period}, status=409)
    form = AssistedRegistrationForm(posted(request), period=period)
    if form.is_bound and form.is_valid():
        try:
            made = registrations.register(
                period,
                form.details(),
                form.cleaned_data["wishes"],
                form.siblings(),
                account=form.cleaned_data["account_email"],
                channel=form.cleaned_data["channel"],
                entered_by=request.user,
                audit_attributes=form.audit_attributes(),
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("Die Anmeldung ist erfasst."))
            response = redirect("kita:staff_registration", public_id=made.public_id)
            response.status_code = 303
            return response
    return form_page(request, "kita/staff/register.html", form, period)


@assisting
@require_safe
def find(request: HttpRequest) -> HttpResponse:
    form = FindRegistrationForm(request.GET or None)
    found: list[Registration] = []
    if (
        form.is_bound
        and form.is_valid()
        and (form.cleaned_data["q"] or form.cleaned_data["geburtsdatum"])
    ):
        query = Registration.objects.filter(anonymised_at=None).select_related("period")
        for word in form.cleaned_data["q"].split()[:4]:
            query = query.filter(
                Q(child_given_name__icontains=word)
                | Q(child_family_name__icontains=word)
                | Q(parent_name__icontains=word)
            )
        if born := form.cleaned_data["geburtsdatum"]:
            query = query.filter(birth_date=born)
        found = list(query.order_by("-created_at")[:LIMIT])
        _log(request, found, _("Suche nach einer Kita-Anmeldung"))
    return render(request, "kita/staff/find.html", {"form": form, "found": found})


@assisting
@require_safe
def registration(request: HttpRequest, public_id) -> HttpResponse:
    found = get_object_or_404(
        Registration.objects.select_related("period", "district", "account", "entered_by"),
        public_id=public_id,
    )
    _log(request, [found], _("Kita-Anmeldung mit der Familie besprochen"))
    latest = (
        found.outcomes.select_related("round__period", "daycare").order_by("-round__number").first()
    )
    return render(
        request,
        "kita/staff/registration.html",
        {
            "registration": found,
            "wishes": found.wishes.select_related("daycare"),
            "latest": latest,
            "headline": explanations.headline(latest) if latest else "",
            "reasons": explanations.sentences(latest) if latest else [],
            "can_answer": latest is not None and latest.status == Outcome.Status.OFFERED,
        },
    )


@assisting
@require_POST
def record_answer(request: HttpRequest, public_id) -> HttpResponse:
    found = get_object_or_404(Registration, public_id=public_id)
    account.record_answer(
        request,
        found,
        accepted=_("Die Annahme ist vermerkt."),
        declined=_("Die Ablehnung ist vermerkt."),
    )
    response = redirect("kita:staff_registration", public_id=found.public_id)
    response.status_code = 303
    return response


@require_safe
def paper_form(request: HttpRequest) -> HttpResponse:
    """The registration form to print, fill in by hand and send or bring to the youth
    office, with the criteria and how places are given."""
    period = registrations.current_period()
    document = pdf.render(
        "kita/pdf/registration_form.html",
        {
            "period": period,
            "months": months(period) if period else [],
            "criteria": criteria.labels(period.criteria) if period else [],
            "wishes": range(1, (period.max_wishes if period else 10) + 1),
        },
        request=request,
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="kita-anmeldebogen.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
