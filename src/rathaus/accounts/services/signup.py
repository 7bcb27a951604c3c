"""Sign-up: an e-mail address confirmed by a link, then a passkey. Nothing else is asked."""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, mail

from ..models import Token, User
from . import tokens
from .ceremonies import CeremonyError, NewCredential
from .passkeys import add_passkey


def start_signup(email: str, *, link: callable) -> None:
    """Mail a confirmation link, or a hint if the address already has an account.

    The answer on the page is the same either way, so nobody learns from it whether
    an address is registered. ``link(token)`` builds the absolute URL.
    """
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        body = render_to_string("accounts/mail/signup_existing.txt", {"email": email})
        subject = _("Sie haben bereits ein Konto")
    else:
        raw = tokens.issue(Token.Purpose.SIGNUP, email=email)
        body = render_to_string("accounts/mail/signup.txt", {"link": link(raw)})
        subject = _("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    mail.send_after_commit(subject=subject, body=body, to=[email])


def complete_signup(
    token: Token, credential: NewCredential, *, user_handle: str, passkey_name: str
) -> User:
    """Create the account with its first passkey; the link token is used up."""
    with transaction.atomic():
        if not tokens.use(token):
            raise CeremonyError(
                _("Dieser Link wurde schon benutzt. Melden Sie sich mit Ihrem Passkey an."),
                "token used",
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    token.email, user_handle=user_handle, email_confirmed_at=timezone.now()
                )
        except IntegrityError as error:
            raise CeremonyError(
                _("Für diese E-Mail-Adresse gibt es schon ein Konto."), "email taken"
            ) from error
        add_passkey(user, credential, name=passkey_name, how="signup")
        audit.record("rathaus.accounts.account.created", actor=user, target=user)
    return user
