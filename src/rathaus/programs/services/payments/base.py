"""The payment-provider interface (after pretix's ``BasePaymentProvider``)."""

from typing import Any

from ...models import Booking, Offer

__all__ = ["PaymentProvider", "register", "registered"]

_providers: dict[str, "PaymentProvider"] = {}


class PaymentProvider:
    """One way to pay. Subclasses set ``identifier`` and ``verbose_name`` and may override
    the hooks; the booking flow only ever calls these."""

    identifier: str = ""
    verbose_name: Any = ""
    # Shown to staff: can a booking's payment be marked by hand?
    staff_marks_payment: bool = True
    # Days the payer has after booking; a payment still open then gets one reminder
    # (``payments.remind_overdue``). None: paid at the offer itself, nothing to remind of.
    payment_days: int | None = None

    def is_enabled(self, offer: Offer) -> bool:
        """Whether residents may choose this method for ``offer``."""
        return True

    def instructions(self, booking: Booking, *, for_mail: bool = False) -> dict[str, Any]:
        """What the booking page (and, with ``for_mail``, the plain-text confirmation mail)
        shows about paying (template context: ``text`` and optional extra keys)."""
        return {"text": ""}

    def template(self) -> str:
        """The template fragment that renders ``instructions``."""
        return f"programs/payments/{self.identifier}.html"


def register(provider: PaymentProvider) -> None:
    _providers[provider.identifier] = provider


def registered() -> dict[str, PaymentProvider]:
    return dict(_providers)
