"""An account's passkeys and recovery codes."""

import secrets as stdlib_secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, secrets

from ..models import Passkey, RecoveryCode, User
from . import notices
from .ceremonies import NewCredential

RECOVERY_CODES = 10


class PasskeyError(Exception):
    """A refused change, with a German message for the person."""


def add_passkey(user: User, credential: NewCredential, *, name: str, how: str) -> Passkey:
    """Attach a passkey; the holder is told by e-mail (``how``: a key of ``notices.HOW_ADDED``)."""
    passkey = Passkey.objects.create(
        user=user,
        credential_id=credential.credential_id,
        public_key=credential.public_key,
        sign_count=credential.sign_count,
        transports=credential.transports,
        aaguid=credential.aaguid,
        backed_up=credential.backed_up,
        name=(name or _("Mein Passkey"))[:100],
    )
    audit.record(
        "rathaus.accounts.passkey.added", actor=user, target=user, data={"name": name, "how": how}
    )
    notices.passkey_added(user, passkey, how=how)
    return passkey


def rename_passkey(user: User, passkey_id: int, name: str) -> Passkey:
    passkey = Passkey.objects.get(pk=passkey_id, user=user)
    passkey.name = name[:100]
    passkey.save(update_fields=["name"])
    return passkey


def remove_passkey(user: User, passkey_id: int) -> None:
    """Remove a passkey, but never the last one while no recovery code is left."""
    with transaction.atomic():
        # Lock the account's passkeys so two parallel removals cannot both pass the check.
        passkeys = list(Passkey.objects.select_for_update().filter(user=user))
        target = next((p for p in passkeys if p.pk == passkey_id), None)
        if target is None:
            raise Passkey.DoesNotExist
        unused_codes = RecoveryCode.objects.filter(user=user, used_at__isnull=True).exists()
        if len(passkeys) == 1 and not unused_codes:
            raise PasskeyError(
                _(
                    "Das ist Ihr letzter Passkey und Sie haben keine Wiederherstellungscodes mehr. "
                    "Legen Sie zuerst einen weiteren Passkey oder neue Codes an."
                )
            )
        target.delete()
        audit.record(
            "rathaus.accounts.passkey.removed", actor=user, target=user, data={"name": target.name}
        )


def new_recovery_codes(user: User) -> list[str]:
    """Replace all recovery codes with ten new ones; the plain codes are returned once."""
    codes = [secrets.new_code() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        rows = []
        for code in codes:
            salt = stdlib_secrets.token_hex(16)
            rows.append(
                RecoveryCode(user=user, salt=salt, digest=secrets.salted_digest(code, salt))
            )
        RecoveryCode.objects.bulk_create(rows)
        audit.record("rathaus.accounts.recovery_codes.created", actor=user, target=user)
    return codes


def use_recovery_code(email: str, code: str) -> User | None:
    """The account if ``code`` is one of its unused recovery codes (then it is used up)."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return None
    plain = secrets.normalise_code(code)
    for candidate in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if secrets.matches(plain, candidate.salt, candidate.digest):
            claimed = RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if claimed:
                audit.record("rathaus.accounts.recovery_code.used", actor=user, target=user)
                return user
    return None


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
