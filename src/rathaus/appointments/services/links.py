"""The personal link of an appointment (view, move, cancel without an account).

Its token is the appointment's id signed with the site key: every e-mail can carry the
same link without the database keeping it, and it cannot be guessed or changed.
"""

import uuid

from django.core import signing

from ..models import Appointment

__all__ = ["access_token", "by_access_token"]


def _signer() -> signing.Signer:
    return signing.Signer(salt="rathaus.appointments.manage", sep=".")


def access_token(appointment: Appointment) -> str:
    return _signer().sign(appointment.public_id.hex)


def by_access_token(raw: str) -> Appointment | None:
    if not raw or len(raw) > 200:
        return None
    try:
        public_id = uuid.UUID(hex=_signer().unsign(raw))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Appointment.objects.select_related("office", "counter").filter(public_id=public_id).first()
    )
