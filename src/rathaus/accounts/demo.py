"""Demo staff for the Düsseldorf demo city (``rathaus demo``).

Staff sign in with passkeys only, so the demo prints one-time enrolment links;
opening one registers a passkey of your own device for that staff account.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings

from rathaus.offices.models import Office

from .models import Passkey, Role, User
from .services import staff

DEMO_STAFF = [
    # email, name, number, roles, office slugs (the people are invented)
    (
        "verwaltung@demo.duesseldorf.invalid",
        "Alex Demo (Administration)",
        "S-0001",
        [Role.ADMINISTRATOR, Role.CATALOGUE_EDITOR],
        [],
    ),
    (
        "k.yilmaz@demo.duesseldorf.invalid",
        "Kübra Yılmaz",
        "S-0102",
        [Role.CASEWORKER],
        ["buergerbuero-bilk", "buergerbuero-mitte"],
    ),
    (
        "j.schneider@demo.duesseldorf.invalid",
        "Jonas Schneider",
        "S-0203",
        [Role.CASEWORKER, Role.TEAM_LEAD],
        ["buergerbuero-benrath", "umweltamt", "steueramt", "amt-fuer-verkehrsmanagement", "awista"],
    ),
]


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    for email, name, number, roles, office_slugs in DEMO_STAFF:
        offices = list(Office.objects.filter(slug__in=office_slugs))
        demo_staff(email, name, number, roles, offices, log=log, area="Verwaltung")


def demo_staff(
    email: str,
    name: str,
    number: str,
    roles: list[str],
    offices: list[Office],
    *,
    log: Callable[[str], Any],
    area: str,
) -> User:
    """A demo staff member: invited with a printed enrolment link until a passkey is set up,
    afterwards only their roles and offices are brought up to date."""
    user = User.objects.filter(email=email).first()
    if user is None or not Passkey.objects.filter(user=user).exists():
        user, raw = staff.invite_staff(
            email=email,
            full_name=name,
            staff_number=number,
            roles=roles,
            offices=offices,
            by=None,
        )
        base = f"http://{settings.WEBAUTHN_RP_ID}:8000"
        log(f"{area} – {name}: Passkey einrichten unter {base}/verwaltung/einrichten/{raw}/")
    else:
        staff.set_staff(user, roles=roles, offices=offices, by=None)
    return user
