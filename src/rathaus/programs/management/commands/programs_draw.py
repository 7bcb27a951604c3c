"""``rathaus programs_draw verlosung.json``: re-run a published lottery and compare.

The same as ``python3 draw.py verlosung.json`` (``rathaus.programs.draw``), for operators:
with ``--offer <slug>`` it re-runs the lottery stored in this installation's database
instead of a downloaded file. Exit code 1 if the seed does not match the commitment or the
result differs from the published one.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from ... import draw as drawing
from ...models import Offer
from ...services import lottery


class Command(BaseCommand):
    help = (
        "Re-run a published lottery (Verlosung) from its list (verlosung.json) or, with "
        "--offer, from this database, and check seed and result."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="the published list; - reads stdin")
        parser.add_argument("--offer", help="slug of a drawn offer in this database")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *, file, offer, json: bool, **options) -> None:
        if bool(file) == bool(offer):
            raise CommandError("Bitte entweder eine Datei oder --offer <Kurzname> angeben.")
        try:
            document = self._from_file(file) if file else self._from_offer(offer)
            result = drawing.run(document)
        except drawing.InputError as error:
            raise CommandError(f"Ungültige Liste: {error}") from error
        self.stdout.write(_dumps(result) if json else drawing.table(document, result))
        problems = drawing.compare(document, result)
        if problems:
            raise CommandError(" ".join(problems))
        notes = self.stderr if json else self.stdout
        if "commitment" in document:
            notes.write("Der Startwert passt zum vorher veröffentlichten Prüfwert.")
        if "result" in document:
            notes.write("Das veröffentlichte Ergebnis stimmt mit dieser Nachrechnung überein.")

    def _from_file(self, path: str) -> dict:
        try:
            return drawing.parse(drawing.read(path))
        except OSError as error:
            raise CommandError(f"Die Datei kann nicht gelesen werden: {error.strerror}") from error

    def _from_offer(self, slug: str) -> dict:
        found = Offer.objects.filter(slug=slug, allocation=Offer.Allocation.LOTTERY).first()
        if found is None:
            raise CommandError(f"Kein Angebot mit Verlosung: {slug}")
        if not found.lottery_drawn_at:
            raise CommandError("Dieses Angebot ist noch nicht verlost.")
        return lottery.input_list(found)


def _dumps(result: list[dict]) -> str:
    return json.dumps(result, indent=1)
