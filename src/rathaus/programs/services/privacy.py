"""Bookings, waiting-list places, lottery entries and managed participants in an account's
data export, and what happens to them when the account is deleted."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from ..models import Booking, LotteryEntry, Participant, WaitlistEntry
from . import waitlist

__all__ = ["DATA_SOURCE"]


def _bookings(user: User):
    return (
        Booking.objects.filter(account=user)
        .select_related("offer")
        .prefetch_related("participants")
        .order_by("created_at")
    )


def export(user: User) -> dict:
    return {
        "participants": [
            {"name": p.name, "birth_year": p.birth_year, "is_self": p.is_self}
            for p in Participant.objects.filter(account=user)
        ],
        "bookings": [
            {
                "code": b.code,
                "offer": b.offer.title,
                "status": b.get_status_display(),
                "people": [
                    {"name": p.name, "birth_year": p.birth_year, "price": str(p.price)}
                    for p in b.participants.all()
                ],
                "total": str(b.total),
                "payment": b.get_payment_status_display(),
                "name": b.contact_name,
                "email": b.email,
                "phone": b.phone,
                "booked_at": b.created_at.isoformat(),
            }
            for b in _bookings(user)
        ],
        "waiting_lists": [
            {"offer": w.offer.title, "status": w.get_status_display(), "people": w.people}
            for w in WaitlistEntry.objects.filter(account=user).select_related("offer")
        ],
        "lotteries": [
            {"offer": e.offer.title, "status": e.get_status_display(), "people": e.people}
            for e in LotteryEntry.objects.filter(account=user).select_related("offer")
        ],
    }


def readable(user: User) -> list[Block]:
    blocks = [
        Block(
            heading=_("Buchung %(code)s: %(title)s") % {"code": b.code, "title": b.offer.title},
            facts=[
                (_("Status"), b.get_status_display()),
                (_("Teilnehmende"), ", ".join(p.name for p in b.participants.all())),
                (_("Name"), b.contact_name),
                (_("E-Mail-Adresse"), b.email or "–"),
                (_("Gebucht am"), on(b.created_at)),
            ],
        )
        for b in _bookings(user)
    ]
    people = Participant.objects.filter(account=user)
    if people:
        blocks.append(
            Block(
                heading=_("Personen, für die Sie buchen"),
                facts=[(p.name, str(p.birth_year or "–")) for p in people],
            )
        )
    return blocks


def retention(user: User) -> list[Retained]:
    return [
        Retained(
            what=_("Buchung %(code)s: %(title)s") % {"code": b.code, "title": b.offer.title},
            until=None,
            why=_(
                "Die Buchung bleibt bestehen (ohne Verbindung zu Ihrem Konto), damit der "
                "Anbieter weiß, wer kommt; stornieren Sie sie vorher, wenn Sie nicht teilnehmen."
            ),
        )
        for b in Booking.objects.filter(account=user, status=Booking.Status.BOOKED).select_related(
            "offer"
        )
    ]


def on_delete(user: User) -> list[Retained]:
    kept = retention(user)
    Booking.objects.filter(account=user).update(account=None)
    for entry in WaitlistEntry.objects.filter(account=user, status=WaitlistEntry.Status.OFFERED):
        waitlist.decline(entry)  # an offered place passes on instead of being lost
    WaitlistEntry.objects.filter(account=user).delete()
    LotteryEntry.objects.filter(account=user).delete()
    return kept  # managed participants go with the account (CASCADE)


DATA_SOURCE = DataSource(
    key="programs",
    title=gettext_lazy("Ihre Buchungen von Kursen und Angeboten"),
    export=export,
    on_delete=on_delete,
    retention=retention,
    readable=readable,
    actions={
        "programs.booking.assisted": gettext_lazy("Angebot für Sie gebucht"),
        "programs.booking.cancelled": gettext_lazy("Buchung storniert"),
        "programs.payment.paid": gettext_lazy("Zahlung vermerkt"),
        "programs.payment.refunded": gettext_lazy("Erstattung vermerkt"),
    },
)
