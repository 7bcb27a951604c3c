"""Single-use link tokens (sign-up, new e-mail address, staff enrolment, letter confirmation)."""

from datetime import timedelta

from django.utils import timezone

from rathaus.core import secrets

from ..models import AccessCode, Token, User

LIFETIMES = {
    Token.Purpose.SIGNUP: timedelta(hours=1),
    Token.Purpose.EMAIL_CHANGE: timedelta(hours=24),
    Token.Purpose.STAFF_ENROLMENT: timedelta(days=3),
    Token.Purpose.LETTER_CONFIRMATION: timedelta(hours=1),
}


def issue(
    purpose: str,
    *,
    email: str = "",
    user: User | None = None,
    created_by: User | None = None,
    access_code: AccessCode | None = None,
) -> str:
    """Create a token and return its plain value (only its digest is stored)."""
    raw = secrets.new_token()
    Token.objects.create(
        purpose=purpose,
        digest=secrets.digest(raw),
        email=email,
        user=user,
        created_by=created_by,
        access_code=access_code,
        expires_at=timezone.now() + LIFETIMES[purpose],
    )
    return raw


def _usable(purpose: str):
    return Token.objects.filter(
        purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
    )


def find(raw: str, purpose: str) -> Token | None:
    """The unused, unexpired token with this value, or ``None``."""
    if not raw or len(raw) > 100:
        return None
    return _usable(purpose).filter(digest=secrets.digest(raw)).first()


def find_by_pk(pk: object, purpose: str) -> Token | None:
    """The same, for a token a page already found and remembered in the session."""
    return _usable(purpose).filter(pk=pk).first() if pk else None


def use(token: Token) -> bool:
    """Mark the token used; ``False`` if another request used it first."""
    return bool(
        Token.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=timezone.now())
    )
