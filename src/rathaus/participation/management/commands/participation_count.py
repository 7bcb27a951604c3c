"""``rathaus participation_count buergerbudget.json``: count a published vote again.

Takes the file a result page publishes (or, with ``--budget <id>``, the count stored in this
installation), counts every ballot again with ``rathaus.participation.budgeting`` and says
whether the published result is the same. Exit code 1 if it differs.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import budgeting
from ...models import Result

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Count a published participatory-budget vote again (buergerbudget-….json, - for stdin, "
        "or --budget <id>) and compare with its published result."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="the published file; - reads stdin")
        parser.add_argument("--budget", type=int, help="id of a counted budget in this database")

    def handle(self, *, file, budget, **options) -> None:
        if bool(file) == bool(budget):
            raise CommandError("Bitte entweder eine Datei oder --budget <Nummer> angeben.")
        raw = self._read(file) if file else self._stored(budget)
        try:
            document = json.loads(raw)
            outcome = budgeting.recount(document)
        except (ValueError, budgeting.InputError) as error:
            raise CommandError(f"Ungültige Datei: {error}") from error
        titles = {str(p["number"]): p.get("title", "") for p in document["projects"]}
        counts = outcome.votes
        self.stdout.write(
            f"{document.get('title', '')}: {document['amount']} Euro, Regel {document['rule']}, "
            f"{len(document['ballots'])} Stimmzettel"
        )
        for key in sorted(counts, key=lambda k: (-counts[k], int(k))):
            mark = "gefördert" if key in outcome.funded else "-"
            self.stdout.write(f"{key:>4}  {counts[key]:>6}  {mark:<10} {titles[key]}")
        self.stdout.write(f"Vergeben: {outcome.spent} von {document['amount']} Euro.")
        if "result" in document:
            problems = budgeting.differences(document, outcome)
            if problems:
                raise CommandError(" ".join(problems))
            self.stdout.write("Das veröffentlichte Ergebnis stimmt mit dieser Nachzählung überein.")

    def _read(self, path: str) -> bytes:
        try:
            if path == "-":
                raw = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with Path(path).open("rb") as handle:
                    raw = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Die Datei kann nicht gelesen werden: {error.strerror}") from error
        if len(raw) > MAX_BYTES:
            raise CommandError("Die Datei ist größer als 50 MB.")
        return raw

    def _stored(self, budget: int) -> bytes:
        result = Result.objects.filter(budget_id=budget).first()
        if result is None:
            raise CommandError(f"Kein ausgezähltes Bürgerbudget mit der Nummer {budget}.")
        return result.document.encode()
