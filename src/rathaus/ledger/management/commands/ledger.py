"""``rathaus ledger keygen|sequence|audit|witness`` – the operator's side of the log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.ledger import keys
from rathaus.ledger.note import NoteError, Signer
from rathaus.ledger.services import audit, sequencer, witness
from rathaus.ledger.verifier import VerificationError


class Command(BaseCommand):
    help = "Transparenzlog: Schlüssel erzeugen, Einträge aufnehmen, prüfen, bezeugen."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="AKTION")
        keygen = commands.add_parser("keygen", help="neuen Signaturschlüssel erzeugen")
        keygen.add_argument("--name", help="Name des Logs (Standard: LEDGER_ORIGIN)")
        keygen.add_argument("--out", help="Schlüsseldatei schreiben statt ausgeben")
        commands.add_parser("sequence", help="wartende Einträge jetzt aufnehmen und signieren")
        commands.add_parser("audit", help="den Baum aus allen Einträgen nachrechnen")
        follow = commands.add_parser("witness", help="ein anderes Log prüfen und kosignieren")
        follow.add_argument("url", help="Adresse des anderen Rathauses, z. B. https://…")
        follow.add_argument("--log-key", required=True, help="Prüfschlüssel (vkey) jenes Logs")
        follow.add_argument("--key-file", help="eigener Zeugenschlüssel (Standard: Log-Schlüssel)")

    def handle(self, *, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _keygen(self, *, name: str | None, out: str | None, **options) -> None:
        signer = Signer.generate(name or keys.origin())
        if out:
            path = Path(out)
            if path.exists():
                raise CommandError(f"{path} gibt es schon; wählen Sie eine neue Datei.")
            path.write_text(signer.private_key() + "\n")
            path.chmod(0o600)
            self.stdout.write(f"Signaturschlüssel geschrieben nach {path} (nur für Sie lesbar).")
            self.stdout.write(f"Einsetzen mit: LEDGER_SIGNING_KEY_FILE={path}")
        else:
            self.stdout.write(signer.private_key())
        self.stdout.write(f"Prüfschlüssel (öffentlich): {signer.verifier_key()}")
        self.stdout.write(
            "Beim Schlüsselwechsel den bisherigen Prüfschlüssel in LEDGER_PREVIOUS_KEYS "
            "aufnehmen, damit ältere Checkpoints prüfbar bleiben (docs/ledger.md)."
        )

    def _sequence(self, **options) -> None:
        appended = sequencer.sequence_all(progress=self.stdout.write)
        log = sequencer.state()
        self.stdout.write(f"{appended} Einträge aufgenommen; das Log hat {log.size} Einträge.")

    def _audit(self, **options) -> None:
        self.stdout.write(f"Prüfe das Transparenzlog {keys.origin()} …")
        findings = audit.audit(progress=self.stdout.write)
        if findings:
            for finding in findings:
                self.stderr.write(f"  ✗ {finding}")
            raise CommandError(
                f"{len(findings)} Abweichungen. Das Log wurde außerhalb des Sequenzers "
                "verändert: Datenbank-Sicherung vergleichen (rathaus restore) und den Vorfall "
                "melden."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Alles stimmt: {sequencer.state().size} Einträge, jeder Checkpoint passt."
            )
        )

    def _witness(self, *, url: str, log_key: str, key_file: str | None, **options) -> None:
        try:
            signer = (
                Signer.from_private_key(Path(key_file).read_text().strip()) if key_file else None
            )
            done = witness.witness(url, log_key, signer)
        except (OSError, NoteError, VerificationError) as error:
            raise CommandError(f"Nicht kosigniert: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.origin}: {done.size} Einträge geprüft (vorher {done.previous_size}) "
                "und kosigniert."
            )
        )
