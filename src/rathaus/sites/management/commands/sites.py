"""``rathaus sites import FOLDER --site NAME`` – an old homepage moved in as draft pages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from wagtail.models import Site

from rathaus.sites import importer


class Command(BaseCommand):
    help = "Internetauftritte: alte Homepages übernehmen."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="AKTION")
        take = commands.add_parser(
            "import",
            help="Eine gespeicherte Website (Ordner mit HTML-Dateien und Bildern) als Entwürfe "
            "übernehmen",
        )
        take.add_argument("folder", metavar="ORDNER")
        take.add_argument(
            "--site", required=True, metavar="NAME", help="Hostname oder Name des Auftritts"
        )
        take.add_argument(
            "--bericht", metavar="DATEI", help="den Bericht zusätzlich als JSON hierhin schreiben"
        )

    def handle(self, *, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _import(self, *, folder: str, site: str, bericht: str | None, **options) -> None:
        target = Site.objects.filter(Q(hostname=site) | Q(site_name=site)).first()
        if target is None:
            names = ", ".join(Site.objects.values_list("hostname", flat=True))
            raise CommandError(f"Den Auftritt „{site}“ gibt es nicht. Vorhanden: {names}.")
        try:
            report = importer.import_site(Path(folder), target, log=self.stdout.write)
        except importer.NotImportable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.pages)} Seiten als Entwurf angelegt, {report.images} Bilder, "
                f"{report.redirects} Weiterleitungen von den alten Adressen."
            )
        )
        if report.problems:
            self.stdout.write(f"Für die Redaktion zu prüfen ({len(report.problems)}):")
            for problem in report.problems:
                self.stdout.write(f"  {problem.path}  [{problem.kind}]  {problem.message}")
        else:
            self.stdout.write("Nichts zu prüfen.")
        if bericht:
            Path(bericht).write_text(report.as_json(), encoding="utf-8")
            self.stdout.write(f"Bericht: {bericht}")
