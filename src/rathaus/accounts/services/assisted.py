"""The assisted (analogue) channel: staff act for residents at the counter or on the phone.

Two ways: for an existing account, with the resident's consent (recorded), or for
a ``Person`` without an account. While a representation is open, every module
records it with what is done (``current_representation``). A printed access-code
letter lets someone who started on paper attach a passkey later.

Guarantees (threat model in the module README): a representation belongs to one staff
session and one office, ends after ``REPRESENTATION_LIFETIME`` or when the staff member
or the account holder ends it, and the holder is told by e-mail when it starts. A letter
goes only to the postal address on record (or is handed over at the counter), and for an
existing account it adds a passkey only after the holder confirms a link sent to the
account's e-mail address, opened in the browser that entered the code.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, secrets
from rathaus.core.channels import Channel
from rathaus.offices.models import Office

from .. import policy
from ..models import AccessCode, Person, Representation, Token, User
from . import notices, tokens
from .access_log import log_access, subject_ids
from .ceremonies import CeremonyError, NewCredential
from .passkeys import add_passkey

SESSION_KEY = "accounts.representation"
ASSIST = "residents.assist"
ACCESS_CODE_LIFETIME = timedelta(days=30)
# A representation is for one visit or call; a working day at most.
REPRESENTATION_LIFETIME = timedelta(hours=getattr(settings, "ACCOUNTS_REPRESENTATION_HOURS", 8))
# Which consent fits which way of contact: a consent nobody could have checked on that
# way (ID "checked at the counter" during a phone call) is refused.
CONSENT_CHANNELS = {
    Representation.Consent.IN_PERSON: {Channel.COUNTER},
    Representation.Consent.PHONE: {Channel.PHONE},
    Representation.Consent.WRITTEN: set(Representation.CHANNELS),
    Representation.Consent.NO_ACCOUNT: set(Representation.CHANNELS),
}


class LetterRefused(Exception):
    """No code letter for this subject; the message says why, in German, for staff."""


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
    purpose: str,
    account: User | None = None,
    person: Person | None = None,
    now: datetime | None = None,
) -> Representation:
    """Open a representation for an account or a person and remember it in the staff session.

    The account holder (also of a person record linked to an account) gets an e-mail.
    """
    subject = account or person
    if subject is None or (account and person):
        raise ValueError("Genau ein Konto oder eine Person")
    if channel not in CONSENT_CHANNELS[consent]:
        raise ValueError("Einwilligung passt nicht zum Weg")
    policy.require(staff, ASSIST, office)
    now = now or timezone.now()
    with transaction.atomic():
        end_representation(request, staff=staff, now=now)
        representation = Representation.objects.create(
            staff=staff,
            office=office,
            account=account,
            person=person,
            subject_id=subject.public_id,
            consent=consent,
            channel=channel,
            purpose=purpose[:300],
            started_at=now,
            expires_at=now + REPRESENTATION_LIFETIME,
        )
        log_access(
            staff,
            subject_id=subject.public_id,
            record_type="Vertretung",
            record_id=representation.pk,
            purpose=f"Vertretung begonnen ({representation.get_consent_display()})",
        )
        audit.record("rathaus.accounts.representation.started", actor=staff, target=representation)
        if holder := _holder(representation):
            notices.representation(holder, representation)
    request.session[SESSION_KEY] = representation.pk
    return representation


def _holder(representation: Representation) -> User | None:
    """The account told about a representation: the account, or the person's linked one."""
    if representation.account_id:
        return representation.account
    return representation.person.account if representation.person_id else None


def _open(now: datetime) -> QuerySet[Representation]:
    return Representation.objects.filter(ended_at__isnull=True, expires_at__gt=now)


def current_representation(
    request: HttpRequest, *, now: datetime | None = None
) -> Representation | None:
    """The open representation of the signed-in staff member, if any.

    Gone as soon as it is ended (also by the account holder, from their own session),
    expires, or the staff member no longer works for its office.
    """
    representation_id = request.session.get(SESSION_KEY)
    if not representation_id or not request.user.is_authenticated:
        return None
    return (
        _open(now or timezone.now())
        .select_related("account", "person", "office")
        .filter(
            pk=representation_id,
            staff=request.user,
            office__in=policy.offices_for(request.user, ASSIST),
        )
        .first()
    )


def end_representation(request: HttpRequest, *, staff: User, now: datetime | None = None) -> None:
    representation_id = request.session.pop(SESSION_KEY, None)
    if representation_id:
        Representation.objects.filter(
            pk=representation_id, staff=staff, ended_at__isnull=True
        ).update(ended_at=now or timezone.now(), ended_by=Representation.Ending.STAFF)


def representations_of(user: User) -> QuerySet[Representation]:
    """Every representation for this account (and the counter record it grew from)."""
    return Representation.objects.filter(subject_id__in=subject_ids(user)).select_related(
        "staff", "office"
    )


def is_open(representation: Representation, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return representation.ended_at is None and bool(
        representation.expires_at and representation.expires_at > now
    )


def end_for_holder(user: User, representation_id: int, *, now: datetime | None = None) -> bool:
    """The account holder ends a representation; the staff member loses it with the next
    request. ``False`` if it is not theirs or no longer open."""
    now = now or timezone.now()
    with transaction.atomic():
        ended = (
            _open(now)
            .filter(pk=representation_id, subject_id__in=subject_ids(user))
            .update(ended_at=now, ended_by=Representation.Ending.RESIDENT)
        )
        if ended:
            audit.record(
                "rathaus.accounts.representation.ended_by_holder",
                actor=user,
                target=Representation.objects.get(pk=representation_id),
            )
    return bool(ended)


def letter_recipient(representation: Representation) -> Person | None:
    """Where the letter goes: only to the postal address on record (the person record),
    or into the hand of someone whose ID was checked at the counter (``None``)."""
    person = representation.person
    if person is None and representation.account_id:
        person = Person.objects.filter(account=representation.account_id).first()
    if person is not None and person.street and person.postcode and person.city:
        return person
    if representation.channel == Channel.COUNTER:
        return None
    raise LetterRefused(
        _(
            "Für diese Person ist keine Anschrift hinterlegt. Einen Zugangscode-Brief gibt es "
            "dann nur persönlich am Schalter nach Prüfung des Ausweises."
        )
    )


def issue_access_code(
    representation: Representation, *, staff: User, now: datetime | None = None
) -> tuple[AccessCode, str, Person | None]:
    """A new code letter for the subject of ``representation`` (earlier unused codes for the
    same subject stop working), with the person whose address it goes to."""
    recipient = letter_recipient(representation)
    now = now or timezone.now()
    raw = secrets.new_code()
    with transaction.atomic():
        person, account = representation.person, representation.account
        AccessCode.objects.filter(person=person, account=account, used_at__isnull=True).delete()
        code = AccessCode.objects.create(
            digest=secrets.digest(raw),
            person=person,
            account=account,
            issued_by=staff,
            office=representation.office,
            expires_at=now + ACCESS_CODE_LIFETIME,
        )
        audit.record("rathaus.accounts.access_code.issued", actor=staff, target=code)
        if holder := _holder(representation):
            notices.letter_issued(holder, code)
    return code, raw, recipient


def _usable_codes():
    return AccessCode.objects.select_related("person__account", "account").filter(
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


def existing_account(code: AccessCode) -> User | None:
    """The account a code leads to, if it exists already (then its holder must confirm)."""
    if code.account_id:
        return code.account
    return code.person.account if code.person_id else None


def fits(code: AccessCode, email: str) -> bool:
    """A code for an existing account is redeemed only with that account's address."""
    account = existing_account(code)
    return account is None or account.email == email.strip().lower()


def request_confirmation(code: AccessCode) -> Token:
    """Mail the holder of the code's account a single-use link; only it unlocks the passkey."""
    account = existing_account(code)
    if account is None:
        raise ValueError("Nur für ein bestehendes Konto")
    with transaction.atomic():
        Token.objects.filter(
            purpose=Token.Purpose.LETTER_CONFIRMATION, access_code=code, used_at__isnull=True
        ).delete()
        raw = tokens.issue(
            Token.Purpose.LETTER_CONFIRMATION, email=account.email, user=account, access_code=code
        )
        notices.letter_confirmation(account, raw)
    return tokens.find(raw, Token.Purpose.LETTER_CONFIRMATION)


def find_confirmation(raw: str) -> Token | None:
    return tokens.find(raw, Token.Purpose.LETTER_CONFIRMATION)


def redeem_access_code(
    code: AccessCode,
    credential: NewCredential,
    *,
    email: str,
    user_handle: str,
    passkey_name: str,
    confirmation: Token | None = None,
) -> User:
    """Attach the new passkey: to a new account for the person, or, confirmed by the
    holder's e-mail link (``confirmation``), to the existing account of the letter."""
    with transaction.atomic():
        claimed = AccessCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise CeremonyError(_("Dieser Zugangscode wurde schon benutzt."), "code used")
        person = (
            Person.objects.select_for_update().get(pk=code.person_id) if code.person_id else None
        )
        user = code.account or (person.account if person else None)
        if user is not None:
            _use_confirmation(confirmation, code, user)
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
            audit.record("rathaus.accounts.account.created_from_letter", actor=user, target=user)
        add_passkey(user, credential, name=passkey_name, how="access_code")
    return user


def _use_confirmation(confirmation: Token | None, code: AccessCode, user: User) -> None:
    """The holder's link for exactly this code and account, used once, or no passkey."""
    if (
        confirmation is None
        or confirmation.purpose != Token.Purpose.LETTER_CONFIRMATION
        or confirmation.access_code_id != code.pk
        or confirmation.user_id != user.pk
        or not tokens.use(confirmation)
    ):
        raise CeremonyError(
            _(
                "Für ein bestehendes Konto muss die Kontoinhaberin oder der Kontoinhaber den "
                "Link aus unserer E-Mail bestätigen."
            ),
            "not confirmed",
        )
