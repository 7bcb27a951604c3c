from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.core import backup


class Command(BaseCommand):
    help = (
        "Sichert Datenbank und Dateien in ein Archiv mit Manifest und Prüfsummen "
        "(`rathaus backup`; Standard: VAR_DIR/backups/)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="Pfad des Archivs (.tar.gz)")
        parser.add_argument(
            "--with-secret-key",
            action="store_true",
            help="auch den geheimen Schlüssel sichern (nur für getrennt geschützte Archive)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="nur die neuesten N Sicherungen im Ordner behalten",
        )

    def handle(self, *, output: Path | None, with_secret_key: bool, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep braucht eine Zahl ab 1.")
        try:
            backup.create(output, with_secret_key=with_secret_key, keep=keep, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(f"Sicherung fehlgeschlagen: {error}") from error
