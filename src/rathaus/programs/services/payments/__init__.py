"""How bookings are paid: a small plugin interface in the style of pretix's payment
providers. Built in: ``transfer`` (Überweisung with a GiroCode) and ``on_site`` (Zahlung
vor Ort). A card or ePayBL provider is one more subclass of ``PaymentProvider``
registered with ``register()``; see ``docs/payments.md``.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ...models import Booking, Offer
from .base import PaymentProvider, register, registered
from .onsite import OnSite
from .transfer import Transfer

__all__ = [
    "PaymentProvider",
    "after_cancel",
    "default_method",
    "initial_status",
    "methods_for",
    "provider",
    "register",
    "registered",
    "remind_overdue",
]

register(Transfer())
register(OnSite())


def methods_for(offer: Offer) -> list[str]:
    """The payment methods a resident may choose for ``offer``, in the provider's order."""
    if offer.price == 0:
        return []
    known = registered()
    chosen = [m for m in (offer.payment_methods or []) if m in known and known[m].is_enabled(offer)]
    return chosen or ["on_site"]


def default_method(offer: Offer) -> str:
    methods = methods_for(offer)
    return methods[0] if methods else ""


def provider(method: str) -> PaymentProvider | None:
    return registered().get(method)


def initial_status(method: str, total: Decimal) -> str:
    if not total:
        return Booking.Payment.NOT_REQUIRED
    return Booking.Payment.OPEN


def after_cancel(status: str) -> str:
    """A paid booking that is cancelled is owed a refund; an unpaid one owes nothing."""
    if status == Booking.Payment.PAID:
        return Booking.Payment.REFUND_DUE
    if status == Booking.Payment.OPEN:
        return Booking.Payment.VOID
    return status


def remind_overdue(now: datetime | None = None) -> int:
    """One reminder for every active booking whose payment is still open when its method's
    ``payment_days`` have passed (the daily job); returns how many were sent. The
    conditional update makes it once per booking, however many workers run the job."""
    from .. import notices

    now = now or timezone.now()
    sent = 0
    for method, plugin in registered().items():
        if not plugin.payment_days:
            continue
        overdue = Booking.objects.filter(
            status=Booking.Status.BOOKED,
            payment_status=Booking.Payment.OPEN,
            payment_method=method,
            payment_reminded_at__isnull=True,
            created_at__lte=now - timedelta(days=plugin.payment_days),
        ).select_related("offer__provider", "offer__venue")
        for booking in overdue:
            with transaction.atomic():
                if Booking.objects.filter(pk=booking.pk, payment_reminded_at__isnull=True).update(
                    payment_reminded_at=now
                ):
                    notices.payment_reminder(booking)
                    sent += 1
    return sent
