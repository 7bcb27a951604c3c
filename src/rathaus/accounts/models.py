"""Who someone is to the city: residents' accounts (pseudonymous: an e-mail address and
passkeys), staff with roles and offices, people without an account served at the
counter, and the records that make all of this accountable.

Secrets (tokens, codes) are stored only as SHA-256 digests; the plain value exists
once, in the e-mail, the letter or on the screen.
"""

import secrets
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.core import channels
from rathaus.core.channels import Channel


def new_user_handle() -> str:
    """The WebAuthn user handle: random, so an authenticator learns nothing about the person."""
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_unusable_password()  # passkeys only, for everyone
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        """For Django's ``createsuperuser``: the password is ignored, staff sign in with passkeys.

        Prefer ``rathaus staff-invite``, which prints the one-time enrolment link.
        """
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: a resident's (e-mail and passkeys, nothing else) or a staff member's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user_handle = models.CharField(
        max_length=64, unique=True, default=new_user_handle, editable=False
    )
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    full_name = models.CharField(
        _("Name"), max_length=150, blank=True, help_text=_("Nur für Mitarbeitende.")
    )
    staff_number = models.CharField(
        _("Personalkennung"), max_length=20, blank=True, help_text=_("z. B. S-0042")
    )
    is_staff = models.BooleanField(_("Mitarbeiterin oder Mitarbeiter"), default=False)
    is_active = models.BooleanField(_("Aktiv"), default=True)
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        """How logs name this account: staff by name and number, residents by a pseudonym."""
        if self.is_staff:
            return f"{self.full_name or self.email} ({self.staff_number or 'Verwaltung'})"
        return f"Konto {self.public_id.hex[:8]}"


class Passkey(models.Model):
    """A WebAuthn credential (FIDO2 passkey or security key) of one account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()  # COSE key
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField(max_length=36, blank=True)
    backed_up = models.BooleanField(default=False)
    name = models.CharField(_("Name"), max_length=100)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Zuletzt benutzt am"), null=True, blank=True)
    flagged_at = models.DateTimeField(
        _("Möglicherweise kopiert seit"),
        null=True,
        blank=True,
        help_text=_("Der Signaturzähler ist zurückgegangen: der Schlüssel könnte geklont sein."),
    )

    class Meta:
        verbose_name = _("Passkey")
        verbose_name_plural = _("Passkeys")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class RecoveryCode(models.Model):
    """One of ten single-use codes to get back in without a passkey; stored as salt and digest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Wiederherstellungscode {self.pk}"


class Challenge(models.Model):
    """A WebAuthn challenge: single-use and short-lived, consumed by a conditional update."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration"
        AUTHENTICATION = "authentication"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    value = models.BinaryField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.id}"


class Token(models.Model):
    """A single-use link token: confirm an e-mail address, enrol a staff member, redeem a letter."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Registrierung")
        EMAIL_CHANGE = "email_change", _("Neue E-Mail-Adresse")
        STAFF_ENROLMENT = "staff_enrolment", _("Einrichtung Verwaltungskonto")
        LETTER_CONFIRMATION = "letter_confirm", _("Bestätigung eines Zugangscode-Briefs")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The letter whose redemption the account holder confirms with this link.
    access_code = models.ForeignKey(
        "AccessCode", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.created_at:%d.%m.%Y})"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Sachbearbeitung")
    TEAM_LEAD = "team_lead", _("Teamleitung")
    CATALOGUE_EDITOR = "catalogue_editor", _("Katalogredaktion")
    DATA_STEWARD = "data_steward", _("Datenverantwortung")
    ADMINISTRATOR = "administrator", _("Administration")
    PROGRAM_MANAGER = "program_manager", _("Angebotsverwaltung")
    KITA_MANAGER = "kita_manager", _("Kita-Leitung (Träger)")
    KITA_PLANNER = "kita_planner", _("Kita-Platzvergabe (Jugendamt)")
    COUNCIL_OFFICE = "council_office", _("Sitzungsdienst (Rat und Ausschüsse)")
    PARTICIPATION_OFFICE = "participation_office", _("Bürgerbeteiligung und Moderation")


class StaffRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("Rolle"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class OfficeMembership(models.Model):
    """A staff member works for this office and sees its cases."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="office_memberships")
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("Dienststelle"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("Zugehörigkeit zu einer Dienststelle")
        verbose_name_plural = _("Dienststellen")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="unique_office_membership")
        ]

    def __str__(self) -> str:
        return str(self.office)


class Person(models.Model):
    """Someone served at the counter or on the phone, with or without an account.

    Created by staff with only what the request at hand needs. ``public_id`` is how
    logs refer to the person, so the log survives when the record is deleted.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(_("Vorname"), max_length=100)
    family_name = models.CharField(_("Familienname"), max_length=100)
    birth_date = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    purpose = models.CharField(
        _("Wofür erfasst"), max_length=300, help_text=_("z. B. „Antrag auf Wohngeld am Schalter“")
    )
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("Erfasst von Dienststelle"), on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    account = models.OneToOneField(
        User,
        verbose_name=_("Verknüpftes Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("Person (ohne Konto)")
        verbose_name_plural = _("Personen (ohne Konto)")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["office", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Representation(models.Model):
    """Staff act for a resident (with consent) or for a person without an account.

    Everything done while it is open records it, so a case says it was done on
    someone's behalf and by whom. ``subject_id`` keeps the pseudonymous id even when
    the account or the person record is gone. It is open until ``expires_at`` at the
    latest; the staff member or the resident can end it earlier.
    """

    class Consent(models.TextChoices):
        IN_PERSON = "in_person", _("Mündlich am Schalter, Ausweis geprüft")
        PHONE = "phone", _("Telefonisch, Identität durch Rückfragen geprüft")
        WRITTEN = "written", _("Schriftliche Vollmacht liegt vor")
        NO_ACCOUNT = "no_account", _("Person ohne Konto, Ausweis geprüft")

    class Ending(models.TextChoices):
        STAFF = "staff", _("von der Mitarbeiterin oder dem Mitarbeiter beendet")
        RESIDENT = "resident", _("von Ihnen beendet")

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="representations"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="representations"
    )
    subject_id = models.UUIDField(db_index=True)
    consent = models.CharField(_("Einwilligung"), max_length=20, choices=Consent.choices)
    # How staff are in contact with the person (core.channels): never "online".
    CHANNELS = (Channel.COUNTER, Channel.PHONE, Channel.PAPER)
    channel = models.CharField(_("Weg"), max_length=20, choices=channels.choices(*CHANNELS))
    purpose = models.CharField(_("Anlass"), max_length=300, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=20, choices=Ending.choices, blank=True)

    class Meta:
        verbose_name = _("Vertretung")
        verbose_name_plural = _("Vertretungen")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=True) | models.Q(person__isnull=True),
                name="representation_for_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.audit_label} für {self.subject_id.hex[:8]}"


class AccessCode(models.Model):
    """The code of a printed letter that lets its holder attach a passkey, once.

    For a person served on paper (an account is created and linked) or for an
    account whose passkeys are lost (identity checked at the counter).
    """

    digest = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="access_codes"
    )
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="access_codes"
    )
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=True) ^ models.Q(person__isnull=True),
                name="access_code_for_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Zugangscode vom {self.created_at:%d.%m.%Y}"


class AccessLogEntry(models.Model):
    """A staff member read personal data. Append-only: database triggers refuse changes,
    and deletion before the retention period ends (migration 0002)."""

    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    staff_label = models.CharField(max_length=200)
    office_label = models.CharField(max_length=200, blank=True)
    subject_id = models.UUIDField(db_index=True)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("Zugriff auf personenbezogene Daten")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.accessed_at:%d.%m.%Y %H:%M} {self.staff_label}: {self.record_type}"


class StaffAccount(User):
    """The staff members among the accounts, as the back office lists them."""

    class Meta:
        proxy = True
        verbose_name = _("Mitarbeiterin oder Mitarbeiter")
        verbose_name_plural = _("Mitarbeitende")
