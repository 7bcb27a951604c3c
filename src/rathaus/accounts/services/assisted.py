"""The assisted (analogue) channel: staff act for residents at the counter or on the phone.

Two ways: for an existing account, with the resident's consent (recorded), or for
a ``Person`` without an account. While a representation is open, every module
records it with what is done (``current_representation``). A printed access-code
letter lets someone who started on paper attach a passkey later.
"""

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, secrets
from rathaus.offices.models import Office

from ..models import AccessCode, Person, Representation, User
from .access_log import log_access
from .ceremonies import CeremonyError, NewCredential
from .passkeys import add_passkey

SESSION_KEY = "accounts.representation"
ACCESS_CODE_LIFETIME = timedelta(days=30)


def create_person(*, staff: User, office: Office, **fields: object) -> Person:
    with transaction.atomic():
        person = Person.objects.create(created_by=staff, office=office, **fields)
        audit.record("rathaus.accounts.person.created", actor=staff, target=person)
    return person


def update_person(person: Person, *, staff: User, **fields: object) -> Person:
    with transaction.atomic():
        before = audit.snapshot(person, list(fields))
        for name, value in fields.items():
            setattr(person, name, value)
        person.save(update_fields=list(fields))
        changed = audit.diff(before, audit.snapshot(person, list(fields)))
        # Which fields changed, not their values: personal data stays out of the audit trail.
        audit.record(
            "rathaus.accounts.person.changed",
            actor=staff,
            target=person,
            data={"fields": sorted(changed)},
        )
    return person


def start_representation(
    request: HttpRequest,
    *,
    staff: User,
    office: Office,
    consent: str,
    channel: str,
    account: User | None = None,
    person: Person | None = None,
) -> Representation:
    """Open a representation for an account or a person and remember it in the staff session."""
    subject = account or person
    if subject is None or (account and person):
        raise ValueError("Genau ein Konto oder eine Person")
    with transaction.atomic():
        end_representation(request, staff=staff)
        representation = Representation.objects.create(
            staff=staff,
            office=office,
            account=account,
            person=person,
            subject_id=subject.public_id,
            consent=consent,
            channel=channel,
        )
        log_access(
            staff,
            subject_id=subject.public_id,
            record_type="Vertretung",
            record_id=representation.pk,
            purpose=f"Vertretung begonnen ({representation.get_consent_display()})",
        )
        audit.record("rathaus.accounts.representation.started", actor=staff, target=representation)
    request.session[SESSION_KEY] = representation.pk
    return representation


def current_representation(request: HttpRequest) -> Representation | None:
    """The open representation of the signed-in staff member, if any."""
    representation_id = request.session.get(SESSION_KEY)
    if not representation_id or not request.user.is_authenticated:
        return None
    return (
        Representation.objects.select_related("account", "person", "office")
        .filter(pk=representation_id, staff=request.user, ended_at__isnull=True)
        .first()
    )


def end_representation(request: HttpRequest, *, staff: User) -> None:
    representation_id = request.session.pop(SESSION_KEY, None)
    if representation_id:
        Representation.objects.filter(
            pk=representation_id, staff=staff, ended_at__isnull=True
        ).update(ended_at=timezone.now())


def issue_access_code(
    *, staff: User, office: Office, person: Person | None = None, account: User | None = None
) -> tuple[AccessCode, str]:
    """A new code letter (earlier unused codes for the same subject stop working)."""
    raw = secrets.new_code()
    with transaction.atomic():
        AccessCode.objects.filter(person=person, account=account, used_at__isnull=True).delete()
        code = AccessCode.objects.create(
            digest=secrets.digest(raw),
            person=person,
            account=account,
            issued_by=staff,
            office=office,
            expires_at=timezone.now() + ACCESS_CODE_LIFETIME,
        )
        audit.record("rathaus.accounts.access_code.issued", actor=staff, target=code)
    return code, raw


def _usable_codes():
    return AccessCode.objects.select_related("person", "account").filter(
        used_at__isnull=True, expires_at__gt=timezone.now()
    )


def find_access_code(raw: str) -> AccessCode | None:
    """The unused, unexpired code of a letter, from what the person typed."""
    plain = secrets.normalise_code(raw)
    if len(plain) != 14:
        return None
    return _usable_codes().filter(digest=secrets.digest(plain)).first()


def find_access_code_by_pk(pk: object) -> AccessCode | None:
    """The same, for a code a page already found and remembered in the session."""
    return _usable_codes().filter(pk=pk).first() if pk else None


def redeem_access_code(
    code: AccessCode, credential: NewCredential, *, email: str, user_handle: str, passkey_name: str
) -> User:
    """Attach the new passkey: to the account of the letter, or to a new account for the person."""
    with transaction.atomic():
        claimed = AccessCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise CeremonyError(_("Dieser Zugangscode wurde schon benutzt."), "code used")
        if code.account_id:
            user = code.account
        else:
            person = Person.objects.select_for_update().get(pk=code.person_id)
            if person.account_id:
                user = person.account
            else:
                if User.objects.filter(email=email).exists():
                    raise CeremonyError(
                        _(
                            "Für diese E-Mail-Adresse gibt es schon ein Konto. Bitte nennen Sie "
                            "eine andere oder wenden Sie sich an das Bürgerbüro."
                        ),
                        "email taken",
                    )
                user = User.objects.create_user(email, user_handle=user_handle)
                person.account = user
                person.save(update_fields=["account"])
                audit.record(
                    "rathaus.accounts.account.created_from_letter", actor=user, target=user
                )
        add_passkey(user, credential, name=passkey_name)
    return user
