"""Staff accounts: invited by an administrator, enrolled with a passkey through a one-time link."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from rathaus.core import audit
from rathaus.offices.models import Office

from ..models import OfficeMembership, Role, StaffRole, Token, User
from . import tokens
from .ceremonies import CeremonyError, NewCredential
from .passkeys import add_passkey


def set_staff(
    user: User, *, roles: Iterable[str], offices: Iterable[Office], by: User | None
) -> None:
    """Give ``user`` exactly these roles and offices (administrators also run the back office)."""
    roles = sorted(set(roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unbekannte Rollen: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = {
            "roles": sorted(StaffRole.objects.filter(user=user).values_list("role", flat=True)),
            "offices": sorted(
                OfficeMembership.objects.filter(user=user).values_list("office__name", flat=True)
            ),
        }
        StaffRole.objects.filter(user=user).exclude(role__in=roles).delete()
        StaffRole.objects.bulk_create(
            [StaffRole(user=user, role=role) for role in roles], ignore_conflicts=True
        )
        offices = list(offices)
        OfficeMembership.objects.filter(user=user).exclude(office__in=offices).delete()
        OfficeMembership.objects.bulk_create(
            [OfficeMembership(user=user, office=office) for office in offices],
            ignore_conflicts=True,
        )
        user.is_staff = True
        user.is_superuser = Role.ADMINISTRATOR in roles
        user.save(update_fields=["is_staff", "is_superuser"])
        after = {"roles": roles, "offices": sorted(o.name for o in offices)}
        audit.record(
            "rathaus.accounts.staff.changed",
            actor=by,
            target=user,
            changes=audit.diff(before, after),
        )
    for attribute in ("_rathaus_roles", "_rathaus_offices"):
        user.__dict__.pop(attribute, None)


def invite_staff(
    *,
    email: str,
    full_name: str,
    staff_number: str,
    roles: Iterable[str],
    offices: Iterable[Office],
    by: User | None,
) -> tuple[User, str]:
    """Create (or update) a staff account and return it with a one-time enrolment token."""
    with transaction.atomic():
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            user = User.objects.create_user(email, full_name=full_name, staff_number=staff_number)
        else:
            user.full_name, user.staff_number = full_name, staff_number
            user.save(update_fields=["full_name", "staff_number"])
        set_staff(user, roles=roles, offices=offices, by=by)
        raw = new_enrolment(user, by=by)
    return user, raw


def new_enrolment(user: User, *, by: User | None) -> str:
    """A fresh one-time enrolment token; older unused ones stop working."""
    Token.objects.filter(
        user=user, purpose=Token.Purpose.STAFF_ENROLMENT, used_at__isnull=True
    ).delete()
    raw = tokens.issue(Token.Purpose.STAFF_ENROLMENT, user=user, email=user.email, created_by=by)
    audit.record("rathaus.accounts.staff.enrolment_issued", actor=by, target=user)
    return raw


def complete_enrolment(token: Token, credential: NewCredential, *, passkey_name: str) -> User:
    with transaction.atomic():
        if not tokens.use(token):
            raise CeremonyError(_("Dieser Einrichtungslink wurde schon benutzt."), "token used")
        user = token.user
        add_passkey(user, credential, name=passkey_name, how="staff")
        audit.record("rathaus.accounts.staff.enrolled", actor=user, target=user)
    return user
