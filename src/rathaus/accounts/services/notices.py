"""E-mails that tell account holders what happened to their account.

Sent for every passkey added (whatever the way) and every representation started, so a
change the holder did not make is noticed the same day. Links point at the account page
where a representation can be ended. Queued after commit: a rolled-back change sends nothing.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.core import mail

from ..models import AccessCode, Passkey, Representation, User

__all__ = ["HOW_ADDED", "letter_confirmation", "letter_issued", "passkey_added", "representation"]

# How a passkey came to an account, as the holder reads it.
HOW_ADDED = {
    "signup": gettext_lazy("bei der Registrierung"),
    "add": gettext_lazy("in Ihrem Konto (angemeldet)"),
    "access_code": gettext_lazy("mit einem Zugangscode-Brief des Bürgerbüros"),
    "staff": gettext_lazy("mit dem Einrichtungslink für Mitarbeitende"),
}


def _url(name: str, *args: object) -> str:
    return settings.RATHAUS["PUBLIC_URL"] + reverse(name, args=args)


def _send(user: User, subject: str, template: str, **context: object) -> None:
    body = render_to_string(f"accounts/mail/{template}", {"user": user, **context})
    mail.send_after_commit(subject=subject, body=body, to=[user.email])


def passkey_added(user: User, passkey: Passkey, *, how: str) -> None:
    _send(
        user,
        _("Neuer Passkey für Ihr Konto"),
        "passkey_added.txt",
        passkey=passkey,
        how=HOW_ADDED[how],
        passkeys_url=_url("accounts:passkeys"),
    )


def representation(user: User, started: Representation) -> None:
    """Someone in the administration now acts for ``user``; they can end it at once."""
    _send(
        user,
        _("Die Stadtverwaltung handelt jetzt für Ihr Konto"),
        "representation_started.txt",
        representation=started,
        representations_url=_url("accounts:representations"),
    )


def letter_issued(user: User, code: AccessCode) -> None:
    _send(
        user,
        _("Ein Zugangscode-Brief für Ihr Konto wurde erstellt"),
        "letter_issued.txt",
        code=code,
        representations_url=_url("accounts:representations"),
    )


def letter_confirmation(user: User, raw_token: str) -> None:
    """The only way a letter adds a passkey to an existing account: the holder opens this."""
    _send(
        user,
        _("Bitte bestätigen Sie: neuer Passkey mit Zugangscode-Brief"),
        "letter_confirmation.txt",
        link=_url("accounts:access_code_confirm", raw_token),
    )
