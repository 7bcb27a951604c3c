"""``rathaus language check FILE …`` – an easy-language text checked from the console."""

import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.language import easy_language

MAX_BYTES = 2_000_000


class Command(BaseCommand):
    help = "Texte in Leichter Sprache prüfen."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="AKTION")
        check = commands.add_parser(
            "check",
            help="Texte in Leichter Sprache prüfen (Rückgabewert 1, wenn es Hinweise gibt)",
        )
        check.add_argument("files", nargs="+", metavar="DATEI", help="Textdatei (UTF-8); - = stdin")
        check.add_argument(
            "--json", action="store_true", dest="as_json", help="Ergebnis als JSON ausgeben"
        )

    def handle(self, *, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _check(self, *, files: list[str], as_json: bool, **options) -> None:
        results = [(name, self._read(name)) for name in files]
        report = []
        total = 0
        for name, text in results:
            findings = easy_language.check(text)
            figures = easy_language.readability(text)
            total += len(findings)
            report.append(
                {
                    "file": name,
                    "findings": [finding.as_dict() for finding in findings],
                    "readability": asdict(figures),
                }
            )
            if not as_json:
                self._print(name, findings, figures)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        elif len(results) > 1:
            self.stdout.write(f"Zusammen: {_hints(total)} in {len(results)} Dateien.")
        if total:
            raise SystemExit(1)

    def _read(self, name: str) -> str:
        try:
            if name == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with Path(name).open("rb") as file:
                    data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(
                f"{name}: nicht lesbar ({error.strerror}). Prüfen Sie den Pfad und die Rechte."
            ) from error
        if len(data) > MAX_BYTES:
            raise CommandError(
                f"{name}: größer als {MAX_BYTES // 1_000_000} MB. Prüfen Sie einzelne Texte, "
                "nicht ganze Sammlungen."
            )
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{name}: keine UTF-8-Textdatei (Byte {error.start + 1}). Speichern Sie den "
                "Text als UTF-8, zum Beispiel mit „Speichern unter … Kodierung: UTF-8“."
            ) from error

    def _print(self, name, findings, figures) -> None:
        for finding in findings:
            self.stdout.write(
                f"{name}:{finding.line}:{finding.column}: [{finding.rule}] {finding.hint}"
            )
        wstf = f"{figures.wiener_sachtextformel:.1f}".replace(".", ",")
        flesch = f"{figures.flesch_amstad:.1f}".replace(".", ",")
        verdict = self.style.SUCCESS("keine Hinweise") if not findings else _hints(len(findings))
        self.stdout.write(
            f"{name}: {verdict}; {figures.sentences} Sätze, {figures.words} Wörter; "
            f"Wiener Sachtextformel {wstf}, Flesch-Amstad {flesch}"
        )


def _hints(count: int) -> str:
    return "1 Hinweis" if count == 1 else f"{count} Hinweise"
