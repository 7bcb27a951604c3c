from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from rathaus.offices.models import Office

from ...models import Role
from ...services import staff


class Command(BaseCommand):
    help = (
        "Invite a staff member (the first administrator, for instance) and print the one-time "
        "link on which they register their passkey. Staff have no password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name, shown in logs")
        parser.add_argument("--number", default="", help="Staff number, e.g. S-0042")
        parser.add_argument(
            "--role", action="append", choices=Role.values, required=True, dest="roles"
        )
        parser.add_argument("--office", action="append", default=[], dest="offices", help="slug")
        parser.add_argument(
            "--base-url",
            default=f"https://{settings.WEBAUTHN_RP_ID}",
            help="Public address of this installation",
        )

    def handle(self, *, email, name, number, roles, offices, base_url, **options) -> None:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email}") from error
        found = list(Office.objects.filter(slug__in=offices))
        missing = set(offices) - {o.slug for o in found}
        if missing:
            raise CommandError(f"Unknown offices: {', '.join(sorted(missing))}")
        _user, raw = staff.invite_staff(
            email=email, full_name=name, staff_number=number, roles=roles, offices=found, by=None
        )
        self.stdout.write(f"{base_url.rstrip('/')}/verwaltung/einrichten/{raw}/")
