"""Staff pages outside the Django admin: passkey sign-in, enrolment, and the assisted channel."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.core import pdf
from rathaus.core.channels import Channel
from rathaus.core.forms import posted

from .. import policy
from ..decorators import on_passkey_host
from ..forms import (
    PasskeyNameForm,
    PersonForm,
    PersonRepresentForm,
    PersonSearchForm,
    RepresentAccountForm,
)
from ..models import Person, Representation, Token, User
from ..services import access_log, assisted
from .ceremonies import link_registration_page, safe_next, start_authentication

ASSIST = "residents.assist"


@on_passkey_host
def staff_signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"), reverse("admin:index"))
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(next_url)
    start_authentication(request, "staff", next_url)
    return render(request, "accounts/staff/signin.html", {"next": next_url})


@on_passkey_host
def staff_enrol(request: HttpRequest, token: str) -> HttpResponse:
    return link_registration_page(
        request,
        token,
        purpose=Token.Purpose.STAFF_ENROLMENT,
        kind="staff",
        template="accounts/staff/enrol.html",
        context={"form": PasskeyNameForm(initial={"name": _("Dienst-Passkey")})},
    )


def _persons_for(user: User):
    """Persons recorded by the offices the staff member works for."""
    return Person.objects.filter(office__in=policy.offices_for(user, ASSIST))


def _offices(user: User) -> list[int]:
    return sorted(policy.offices_for(user, ASSIST))


@policy.staff_required(ASSIST)
def assist_home(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    persons = Person.objects.none()
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        words = q.split()[:3]
        condition = Q()
        for word in words:
            condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        persons = _persons_for(request.user).filter(condition)[:50]
    return render(
        request,
        "accounts/staff/assist_home.html",
        {
            "form": form,
            "persons": persons,
            "representation": assisted.current_representation(request),
        },
    )


@policy.staff_required(ASSIST)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(posted(request), offices=_offices(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "office"}
        person = assisted.create_person(staff=request.user, office=form.chosen_office(), **data)
        messages.success(request, _("%s ist erfasst.") % person)
        return redirect("accounts:person", person.public_id)
    return render(request, "accounts/staff/person_form.html", {"form": form})


def _person(request: HttpRequest, public_id) -> Person:
    """A person of one's own offices, else 404 (no hint that the record exists elsewhere)."""
    return get_object_or_404(
        _persons_for(request.user).select_related("office", "account"), public_id=public_id
    )


@policy.staff_required(ASSIST)
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    person = _person(request, public_id)
    access_log.log_access(
        request.user,
        subject_id=person.public_id,
        record_type="Personendatensatz",
        record_id=person.pk,
        purpose=request.GET.get("anlass", "")[:300] or person.purpose,
    )
    return render(
        request,
        "accounts/staff/person_detail.html",
        {
            "person": person,
            "representation": assisted.current_representation(request),
            "representations": person.representations.select_related("staff")[:20],
        },
    )


@policy.staff_required(ASSIST)
@require_POST
def person_represent(request: HttpRequest, public_id) -> HttpResponse:
    person = _person(request, public_id)
    form = PersonRepresentForm(request.POST)
    form.is_valid()  # both fields fall back to a default
    assisted.start_representation(
        request,
        staff=request.user,
        office=person.office,
        consent=Representation.Consent.NO_ACCOUNT,
        channel=form.cleaned_data.get("channel") or Channel.COUNTER,
        purpose=form.cleaned_data.get("purpose") or person.purpose,
        person=person,
    )
    messages.success(request, _("Sie handeln jetzt für %s.") % person)
    return redirect("accounts:assist")


@policy.staff_required(ASSIST)
def account_represent(request: HttpRequest) -> HttpResponse:
    offices = _offices(request.user)
    form = RepresentAccountForm(posted(request), offices=offices)
    if request.method == "POST" and form.is_valid():
        account = User.objects.filter(
            email=form.cleaned_data["email"].lower(), is_staff=False, is_active=True
        ).first()
        if account is None:
            form.add_error("email", _("Zu dieser E-Mail-Adresse gibt es kein Bürgerkonto."))
        else:
            assisted.start_representation(
                request,
                staff=request.user,
                office=form.chosen_office(),
                consent=form.cleaned_data["consent"],
                channel=form.cleaned_data["channel"],
                purpose=form.cleaned_data["purpose"],
                account=account,
            )
            messages.success(
                request,
                _(
                    "Sie handeln jetzt für das Konto %s. Die Person wird per E-Mail informiert "
                    "und kann die Vertretung jederzeit beenden."
                )
                % account.email,
            )
            return redirect("accounts:assist")
    return render(request, "accounts/staff/represent_account.html", {"form": form})


@policy.staff_required(ASSIST)
@require_POST
def representation_end(request: HttpRequest) -> HttpResponse:
    assisted.end_representation(request, staff=request.user)
    messages.success(request, _("Die Vertretung ist beendet."))
    return redirect("accounts:assist")


@policy.staff_required(ASSIST)
@require_POST
def access_code_letter(request: HttpRequest) -> HttpResponse:
    """A printable letter with a one-time code, for the subject of the open representation,
    addressed only to the address on record (or handed over at the counter)."""
    representation = assisted.current_representation(request)
    if representation is None:
        raise Http404
    try:
        code, raw, recipient = assisted.issue_access_code(representation, staff=request.user)
    except assisted.LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("accounts:assist")
    document = pdf.render(
        "accounts/staff/access_code_letter.html",
        {
            "code": raw,
            "expires_at": code.expires_at,
            "person": recipient,
            "existing_account": representation.account_id is not None
            or (representation.person is not None and representation.person.account_id),
            "office": representation.office,
            "staff": request.user,
            "redeem_url": request.build_absolute_uri(reverse("accounts:access_code")),
        },
        request=request,
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="zugangscode-brief.pdf"'
    response["Cache-Control"] = "no-store"
    return response
