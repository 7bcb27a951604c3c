"""The provider back office (/verwaltung/angebote/) and the assisted channel.

Provider staff (role ``program_manager`` and a ``ProviderMembership``) see and change only
their providers' offers: every offer view looks the offer up through
``backoffice.managed_offer``, so another provider's offer is a 404 like one that does not
exist, and staff without the role get 403. Staff with ``programs.assist`` (caseworkers,
team leads, provider staff) book any public offer for a caller or a visitor at the counter
but see no participant lists. Views parse, call one service and render; every look at
participants of account holders goes to their access log.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.core.channels import Channel
from rathaus.core.forms import posted
from rathaus.core.http import private
from rathaus.core.templatetags.rathaus import euro

from ..forms.backoffice import (
    AssistBookingForm,
    AssistSearchForm,
    AttendanceForm,
    BookingActionForm,
    CancelOfferForm,
    CancelSessionForm,
    MessageForm,
    StatementConfirmForm,
    StatementForm,
)
from ..models import Booking, LotteryEntry, Offer, Session, WaitlistEntry
from ..services import backoffice, booking, figures, lottery, payments, waitlist
from ..services import statement as statements

__all__ = [
    "assist_book",
    "assist_search",
    "attendance",
    "booking_action",
    "cancel_offer",
    "cancel_session",
    "home",
    "message",
    "offer",
    "participants_csv",
    "participants_print",
    "statement",
]

MANAGE = "programs.manage"
ASSIST = "programs.assist"


def provider_staff(view: Callable) -> Callable:
    """Staff of the offer's provider; the offer is passed instead of its slug."""

    @policy.staff_required(MANAGE)
    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        found = backoffice.managed_offer(request.user, slug)
        if found is None:
            raise Http404
        return view(request, found, *args, **kwargs)

    return wrapped


def _session(found: Offer, pk: int) -> Session:
    return get_object_or_404(Session, offer=found, pk=pk)


def _back(found: Offer, anchor: str = "") -> HttpResponse:
    return redirect(reverse("programs:provider_offer", args=[found.slug]) + anchor)


def home(request: HttpRequest) -> HttpResponse:
    """My providers' offers with their figures; the way to assisted booking."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:staff_signin')}?{query}")
    providers = backoffice.provider_ids(user)
    can_assist = policy.can(user, ASSIST)
    if not providers and not can_assist:
        raise PermissionDenied(MANAGE)
    show_past = request.GET.get("vergangene") == "1"
    listed = backoffice.managed_offers(user)
    if not show_past:
        listed = listed.exclude(ends_at__lt=timezone.now())
    listed = list(listed[:300])
    numbers = figures.offer_figures(listed)
    return private(
        render(
            request,
            "programs/provider/home.html",
            {
                "rows": [(o, numbers[o.pk]) for o in listed],
                "manages": bool(providers),
                "can_assist": can_assist,
                "show_past": show_past,
                "section": "home",
            },
        )
    )


@provider_staff
def offer(request: HttpRequest, found: Offer) -> HttpResponse:
    """One offer: figures, sessions, participants, waiting list and payments."""
    people = backoffice.active_participants(found)
    active = list(backoffice.active_bookings(found))
    others = list(
        Booking.objects.filter(offer=found)
        .exclude(status=Booking.Status.BOOKED)
        .exclude(payment_status__in=[Booking.Payment.NOT_REQUIRED, Booking.Payment.VOID])
        .select_related("account")
        .order_by("-cancelled_at")
    )
    waiting = list(
        WaitlistEntry.objects.filter(
            offer=found,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        ).order_by("created_at", "pk")
    )
    backoffice.log_list_access(
        request.user, found, active + others, _("Teilnehmendenliste in der Angebotsverwaltung")
    )
    counts = figures.attendance_counts(found)
    sessions = [(s, counts.get(s.pk)) for s in found.sessions.all()]
    return private(
        render(
            request,
            "programs/provider/offer.html",
            {
                "offer": found,
                "figures": figures.offer_figures([found])[found.pk],
                "sessions": sessions,
                "people": people,
                "bookings": active,
                "others": others,
                "waiting": waiting,
                "section": "offer",
            },
        )
    )


@provider_staff
def participants_csv(request: HttpRequest, found: Offer) -> HttpResponse:
    people = backoffice.active_participants(found)
    backoffice.log_list_access(request.user, found, people, _("Teilnehmendenliste als CSV"))
    response = HttpResponse(
        backoffice.participants_csv(found), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{found.slug}-{day}.csv"'
    return private(response)


@provider_staff
def participants_print(request: HttpRequest, found: Offer) -> HttpResponse:
    """A list per session with an empty box for each signature."""
    people = backoffice.active_participants(found)
    backoffice.log_list_access(request.user, found, people, _("Teilnehmendenliste zum Drucken"))
    sessions = [s for s in found.sessions.all() if s.cancelled_at is None]
    return private(
        render(
            request,
            "programs/provider/print.html",
            {"offer": found, "people": people, "sessions": sessions or [None]},
        )
    )


@provider_staff
def attendance(request: HttpRequest, found: Offer, session: int) -> HttpResponse:
    chosen = _session(found, session)
    people = backoffice.active_participants(found)
    recorded = backoffice.attendance_of(chosen)
    form = AttendanceForm(
        posted(request),
        people=people,
        initial={"anwesend": [str(pk) for pk, present in recorded.items() if present]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            came, missed = backoffice.record_attendance(chosen, form.present(), by=request.user)
        except backoffice.BackofficeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Anwesenheit gespeichert: %(came)s da, %(missed)s nicht da.")
                % {"came": came, "missed": missed},
            )
            return _back(found, "#termine")
    backoffice.log_list_access(request.user, found, people, _("Anwesenheitsliste"))
    return private(
        render(
            request,
            "programs/provider/attendance.html",
            {
                "offer": found,
                "session": chosen,
                "form": form,
                "people": people,
                "recorded": bool(recorded),
                "section": "offer",
            },
            status=400 if form.errors else 200,
        )
    )


@provider_staff
def message(request: HttpRequest, found: Offer) -> HttpResponse:
    form = MessageForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mailed, without = backoffice.message_participants(
                    found, form.cleaned_data["betreff"], form.cleaned_data["text"], by=request.user
                )
            except backoffice.BackofficeError as error:
                form.add_error(None, error.message)
                status = 429
            else:
                text = _("Die Nachricht geht an %(n)s Buchungen.") % {"n": mailed}
                if without:
                    text += " " + _(
                        "%(n)s Buchungen haben keine E-Mail-Adresse: Bitte rufen Sie dort an."
                    ) % {"n": without}
                messages.success(request, text)
                return _back(found)
    recipients = backoffice.active_bookings(found)
    return render(
        request,
        "programs/provider/message.html",
        {
            "offer": found,
            "form": form,
            "mailed": sum(1 for b in recipients if b.email),
            "section": "offer",
        },
        status=status,
    )


@provider_staff
def cancel_offer(request: HttpRequest, found: Offer) -> HttpResponse:
    if found.status == Offer.Status.CANCELLED:
        messages.info(request, _("Dieses Angebot ist schon abgesagt."))
        return _back(found)
    form = CancelOfferForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = backoffice.cancel_offer(found, form.cleaned_data["grund"], by=request.user)
        except backoffice.BackofficeError as error:
            messages.info(request, error.message)
            return _back(found)
        refunds = sum(1 for b in done if b.payment_status == Booking.Payment.REFUND_DUE)
        text = _("Das Angebot ist abgesagt; %(n)s Buchungen wurden benachrichtigt.") % {
            "n": len(done)
        }
        if refunds:
            text += " " + _("%(n)s Buchungen waren schon bezahlt: Erstattung offen.") % {
                "n": refunds
            }
        messages.success(request, text)
        return _back(found)
    return render(
        request,
        "programs/provider/cancel_offer.html",
        {
            "offer": found,
            "form": form,
            "figures": figures.offer_figures([found])[found.pk],
            "section": "offer",
        },
        status=400 if form.errors else 200,
    )


@provider_staff
def cancel_session(request: HttpRequest, found: Offer, session: int) -> HttpResponse:
    chosen = _session(found, session)
    if chosen.cancelled_at is not None:
        messages.info(request, _("Dieser Termin ist schon abgesagt."))
        return _back(found, "#termine")
    form = CancelSessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = backoffice.cancel_session(chosen, form.cleaned_data["grund"], by=request.user)
        except backoffice.BackofficeError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                _("Der Termin am %(day)s ist abgesagt; %(n)s Buchungen wurden benachrichtigt.")
                % {
                    "day": timezone.localtime(chosen.starts_at).strftime("%d.%m.%Y"),
                    "n": len(done),
                },
            )
        return _back(found, "#termine")
    return render(
        request,
        "programs/provider/cancel_session.html",
        {"offer": found, "session": chosen, "form": form, "section": "offer"},
        status=400 if form.errors else 200,
    )


@provider_staff
def booking_action(request: HttpRequest, found: Offer, code: str) -> HttpResponse:
    """One booking with its payments; marks paid or refunded, cancels after a confirmation."""
    chosen = get_object_or_404(
        Booking.objects.select_related("account", "booked_by"), offer=found, code=code[:12]
    )
    form = BookingActionForm(posted(request))
    confirm = False
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["aktion"]
        if action == form.PAID:
            if backoffice.mark_paid(chosen, by=request.user):
                messages.success(
                    request, _("Buchung %(code)s ist als bezahlt vermerkt.") % {"code": chosen.code}
                )
            else:
                messages.info(request, _("Für diese Buchung ist keine Zahlung offen."))
            return _back(found, "#zahlungen")
        if action == form.REFUNDED:
            if backoffice.mark_refunded(chosen, by=request.user):
                messages.success(
                    request,
                    _("Buchung %(code)s ist als erstattet vermerkt.") % {"code": chosen.code},
                )
            else:
                messages.info(request, _("Für diese Buchung ist keine Erstattung offen."))
            return _back(found, "#zahlungen")
        if not form.cleaned_data["bestaetigt"]:
            confirm = True  # show the question first
        elif backoffice.cancel_booking(chosen, by=request.user):
            messages.success(request, _("Buchung %(code)s ist storniert.") % {"code": chosen.code})
            return _back(found)
        else:
            messages.info(request, _("Diese Buchung war schon storniert."))
            return _back(found)
    backoffice.log_list_access(request.user, found, [chosen], _("Buchung in der Verwaltung"))
    method = payments.provider(chosen.payment_method)
    return private(
        render(
            request,
            "programs/provider/booking.html",
            {
                "offer": found,
                "booking": chosen,
                "people": list(chosen.participants.all()),
                "events": list(chosen.payment_events.select_related("recorded_by")),
                "method": method.verbose_name if method else "",
                "confirm": confirm,
                "form": form,
                "section": "offer",
            },
            status=400 if form.errors else 200,
        )
    )


@policy.staff_required(MANAGE)
def statement(request: HttpRequest) -> HttpResponse:
    """Upload a bank statement, see what it would mark, confirm."""
    providers = backoffice.provider_ids(request.user)
    if not providers:
        raise PermissionDenied(MANAGE)
    context: dict = {"section": "statement", "matches": None}
    status = 200
    if request.method == "POST" and "zahlungen" in request.POST:
        confirm = StatementConfirmForm(request.POST)
        if confirm.is_valid():
            marked, skipped = statements.apply(
                confirm.cleaned_data["zahlungen"], providers, by=request.user
            )
            text = _("%(n)s Buchungen sind als bezahlt vermerkt.") % {"n": marked}
            if skipped:
                text += " " + _(
                    "%(n)s Überweisungen passten nicht mehr (inzwischen bezahlt oder geändert)."
                ) % {"n": skipped}
            messages.success(request, text)
            return redirect("programs:statement")
        form = StatementForm()
        context["refused"] = confirm.errors["zahlungen"][0]
        status = 400
    else:
        form = StatementForm(posted(request), request.FILES or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    read = statements.read(form.cleaned_data["datei"])
                except statements.StatementError as error:
                    form.add_error("datei", error.message)
                else:
                    found = statements.match(read, providers)
                    backoffice_records = [b for m in found for b in m.bookings]
                    for provider_offer in {b.offer for b in backoffice_records}:
                        backoffice.log_list_access(
                            request.user,
                            provider_offer,
                            [b for b in backoffice_records if b.offer_id == provider_offer.pk],
                            _("Abgleich mit dem Kontoauszug"),
                        )
                    context.update(
                        statement=read,
                        matches=found,
                        applicable=[m for m in found if m.applies],
                        confirmation=statements.confirmation(found),
                    )
                    status = 200
    context["form"] = form
    return private(render(request, "programs/provider/statement.html", context, status=status))


@policy.staff_required(ASSIST)
def assist_search(request: HttpRequest) -> HttpResponse:
    """Find an offer for a caller."""
    form = AssistSearchForm(request.GET if request.GET else None)
    found: list[Offer] = []
    if form.is_bound and form.is_valid():
        found = backoffice.assistable_offers(
            form.cleaned_data["q"], only_free=form.cleaned_data["frei"]
        )
    return render(
        request,
        "programs/provider/assist_search.html",
        {
            "form": form,
            "offers": found,
            "section": "assist",
            "manages": bool(backoffice.provider_ids(request.user)),
        },
    )


@policy.staff_required(ASSIST)
def assist_book(request: HttpRequest, slug: str) -> HttpResponse:
    """Book for a caller or a visitor: name, e-mail or phone, who takes part."""
    found = get_object_or_404(
        Offer.objects.select_related("provider", "venue", "district"),
        slug=slug,
        status=Offer.Status.PUBLISHED,
        internal=False,
    )
    form = AssistBookingForm(posted(request), offer=found)
    status = 200
    joined_waitlist = request.POST.get("warteliste") == "1" and found.free == 0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            wanted = booking.Request(
                offer=found,
                people=[booking.Person(name, year) for name, year in form.people()],
                contact_name=data["kontakt_name"],
                email=data["email"],
                phone=data["telefon"],
                account=None,
                duesselpass=data.get("duesselpass", False),
                payment_method=data.get("zahlungsart", ""),
                channel=Channel.PHONE if data["weg"] == "phone" else Channel.COUNTER,
                booked_by=request.user,
                extra={"lives_in_district": data.get("im_bezirk", False)},
            )
            try:
                if form.drawing:
                    entry = lottery.enter(wanted)
                    messages.success(request, _entered(entry))
                    return redirect("programs:assist_search")
                if joined_waitlist:
                    waitlist.join(wanted)
                    messages.success(
                        request,
                        _(
                            "%(name)s steht auf der Warteliste für „%(title)s“. Wird ein Platz "
                            "frei, geht das Angebot per E-Mail an die Person."
                        )
                        % {"name": data["kontakt_name"], "title": found.title},
                    )
                    return redirect("programs:assist_search")
                made = booking.book(wanted)
            except booking.Full as error:
                form.add_error(None, error.message)
                status = 409
            except (booking.BookingError, waitlist.WaitlistError) as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _confirmation(made))
                return redirect("programs:assist_search")
    return render(
        request,
        "programs/provider/assist_book.html",
        {
            "offer": found,
            "form": form,
            "full": found.free == 0,
            "can_wait": found.waitlist_enabled,
            "section": "assist",
            "manages": bool(backoffice.provider_ids(request.user)),
        },
        status=status,
    )


def _entered(entry: LotteryEntry) -> str:
    """What staff read out to a caller entered into a lottery."""
    text = _("%(name)s nimmt an der Verlosung für „%(title)s“ teil, Losnummer %(pseudonym)s.") % {
        "name": entry.contact_name,
        "title": entry.offer.title,
        "pseudonym": entry.pseudonym,
    }
    if closes := entry.offer.booking_closes_at:
        text += " " + _("Gezogen wird nach dem Ende der Anmeldung am %(closes)s Uhr.") % {
            "closes": date_format(timezone.localtime(closes), "d.m.Y, H:i")
        }
    return (
        text
        + " "
        + (
            _("Das Ergebnis geht per E-Mail an die Person.")
            if entry.email
            else _("Ohne E-Mail-Adresse bitte das Ergebnis telefonisch mitteilen.")
        )
    )


def _confirmation(made: Booking) -> str:
    """What staff read out to the caller."""
    text = _("Gebucht: „%(title)s“, Buchungscode %(code)s.") % {
        "title": made.offer.title,
        "code": made.code,
    }
    if made.total:
        text += " " + _("Betrag: %(amount)s.") % {"amount": euro(made.total)}
        method = payments.provider(made.payment_method)
        if method is not None:
            text += " " + str(method.instructions(made, for_mail=True).get("text", ""))
            if made.payment_method == "transfer":
                text += " " + _("Verwendungszweck: Buchung %(code)s.") % {"code": made.code}
    text += " " + (
        _("Die Bestätigung geht per E-Mail an %(email)s.") % {"email": made.email}
        if made.email
        else _("Bitte nennen Sie der Person den Buchungscode; es gibt keine E-Mail.")
    )
    return text
