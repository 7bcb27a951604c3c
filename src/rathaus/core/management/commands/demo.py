import subprocess
import sys
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rathaus.core import audit


class Command(BaseCommand):
    help = (
        "Load the Düsseldorf demo city (migrating first) and serve it with a task worker. "
        "--scale N multiplies the data for benchmarks; --load-only skips serving."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--load-only", action="store_true")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *, scale: int, load_only: bool, host: str, port: int, **options) -> None:
        if not 1 <= scale <= 500:
            raise CommandError("--scale muss zwischen 1 und 500 liegen.")
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        with transaction.atomic():
            for config in apps.get_app_configs():
                if loader := getattr(config, "load_demo", None):
                    loader(scale=scale, log=self.stdout.write)
            audit.record("rathaus.core.demo.loaded", data={"scale": scale})
        self.stdout.write(
            f"Demodaten geladen (Faktor {scale}) in {time.monotonic() - started:.1f} s."
        )
        if not load_only:
            self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = subprocess.Popen([sys.executable, "-m", "rathaus.cli", "worker"])
        url = f"http://{host}:{port}/"
        passkeys = f"http://{settings.WEBAUTHN_RP_ID}:{port}/"
        self.stdout.write(
            self.style.SUCCESS(
                "\n".join(
                    [
                        "",
                        f"  Rathaus Düsseldorf (Demo):  {url}",
                        f"  Konto und Passkeys:         {passkeys}konto/",
                        f"  Verwaltung:                 {passkeys}verwaltung/ (nur mit Passkey: "
                        "zuerst einen der Einrichtungslinks oben öffnen)",
                        f"  Demo-Postfach:              {url}demo/postfach/",
                        "  Hintergrundaufgaben:        läuft (rathaus worker)",
                        "  Beenden mit Strg+C.",
                        "",
                    ]
                )
            )
        )
        try:
            call_command(
                "runserver", f"{host}:{port}", use_reloader=False, use_static_handler=False
            )
        finally:
            worker.terminate()
            worker.wait(timeout=10)
