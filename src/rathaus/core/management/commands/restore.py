from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.core import backup


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung von `rathaus backup` in die konfigurierte Datenbank und "
        "MEDIA_ROOT wieder her; prüft vorher alle Prüfsummen (`rathaus restore ARCHIV`)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="das Archiv (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="auch in eine Datenbank oder einen Ordner mit Daten (die dann verloren gehen)",
        )
        parser.add_argument(
            "--check", action="store_true", help="nur prüfen (Prüfsummen), nichts verändern"
        )

    def handle(self, *, archive: Path, force: bool, check: bool, **options) -> None:
        try:
            backup.restore(archive, force=force, check_only=check, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(f"Wiederherstellung abgebrochen: {error}") from error
