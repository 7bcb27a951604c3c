import hashlib
import io
import os
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rathaus.core.models import WorkerHeartbeat

OK, WARN, FAIL = "OK", "WARNUNG", "FEHLER"
WORKER_SILENCE = timedelta(seconds=60)


def check_django_deploy() -> tuple[str, str]:
    out = io.StringIO()
    try:
        call_command("check", deploy=True, stdout=out, stderr=out, fail_level="ERROR")
    except CommandError as error:
        return FAIL, (out.getvalue().strip() + "\n" + str(error)).strip()
    text = out.getvalue().strip()
    return (OK, "keine Befunde") if "no issues" in text else (WARN, text)


# SHA-256 of keys that were ever published in the repository's history: never valid.
PUBLISHED_KEY_DIGESTS = {
    "95bbd42e0bffe6a998acd9c984100934d9c12b6fb50aeb102a099b54239b2483",  # b99fadc … f749a9e
}


def check_secret_key() -> tuple[str, str]:
    key = settings.SECRET_KEY
    if hashlib.sha256(key.encode()).hexdigest() in PUBLISHED_KEY_DIGESTS:
        return FAIL, "SECRET_KEY steht im Quellcode-Repository: neuen Schlüssel erzeugen"
    key_file = settings.VAR_DIR / "secret_key"
    if "SECRET_KEY" not in os.environ and key_file.resolve().is_relative_to(settings.BASE_DIR):
        return FAIL, f"{key_file} liegt im Quellcode: RATHAUS_VAR_DIR außerhalb setzen"
    if len(key) < 50 or len(set(key)) < 5:
        return FAIL, "SECRET_KEY ist zu kurz oder zu einfach (mindestens 50 Zeichen)"
    if "SECRET_KEY" not in os.environ:
        return WARN, f"aus {key_file} erzeugt; für mehrere Server SECRET_KEY setzen"
    return OK, "aus der Umgebung"


def check_demo_mailbox() -> tuple[str, str]:
    if settings.RATHAUS["DEMO_MAILBOX"] and not settings.DEBUG:
        return FAIL, "DEMO_MAILBOX zeigt allen die versandten E-Mails: in Produktion ausschalten"
    return OK, "aus" if not settings.RATHAUS["DEMO_MAILBOX"] else "an (nur mit DEBUG)"


def check_test_switches() -> tuple[str, str]:
    names = ("RATHAUS_TESTING", "RATHAUS_TEST_GUARDS_OFF")
    switches = [name for name in names if os.environ.get(name)]
    if switches:
        return FAIL, f"{', '.join(switches)} gesetzt: nur für Tests, hier entfernen"
    return OK, "keine Testschalter gesetzt"


def check_https() -> tuple[str, str]:
    if not settings.HTTPS:
        return WARN, "HTTPS ist nicht gesetzt: sichere Cookies, HSTS und Weiterleitung sind aus"
    secure = settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    if not (secure and settings.SECURE_HSTS_SECONDS):
        return FAIL, "HTTPS gesetzt, aber Cookies oder HSTS nicht sicher"
    return OK, "sichere Cookies, HSTS, Weiterleitung auf HTTPS"


def check_debug() -> tuple[str, str]:
    return (FAIL, "DEBUG ist an") if settings.DEBUG else (OK, "DEBUG ist aus")


def check_database() -> tuple[str, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        plan = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    except Exception as error:  # any driver error means: not reachable
        return FAIL, f"nicht erreichbar: {error}"
    if plan:
        return FAIL, f"{len(plan)} Migrationen fehlen: rathaus migrate"
    return OK, f"{connection.vendor}, alle Migrationen angewendet"


def check_cache() -> tuple[str, str]:
    try:
        if ping := getattr(cache, "ping", None):
            ping()  # Redis itself, not the fallback the site answers from meanwhile
        cache.set("rathaus:selfcheck", "ok", 10)
        ok = cache.get("rathaus:selfcheck") == "ok"
    except Exception as error:  # Redis down
        return FAIL, f"nicht erreichbar: {error}"
    if not ok:
        return FAIL, "liefert nicht zurück, was geschrieben wurde"
    if not settings.REDIS_URL:
        return WARN, "nur im Prozess (ohne REDIS_URL teilen Server keine Begrenzungen)"
    return OK, "Redis"


def check_worker() -> tuple[str, str]:
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - WORKER_SILENCE)
    count = recent.count()
    if not count:
        return FAIL, "kein Hintergrundprozess meldet sich: rathaus worker starten"
    return OK, f"{count} Hintergrundprozess(e) aktiv"


def check_demo_accounts() -> tuple[str, str]:
    demo = get_user_model().objects.filter(email__endswith="@demo.duesseldorf.invalid")
    if demo.exists():
        return (
            WARN,
            f"{demo.count()} Demo-Konten (…@demo.duesseldorf.invalid): in Produktion löschen",
        )
    return OK, "keine Demo-Konten"


CHECKS = [
    ("Django (check --deploy)", check_django_deploy),
    ("Geheimer Schlüssel", check_secret_key),
    ("HTTPS", check_https),
    ("Debug-Modus", check_debug),
    ("Demo-Postfach", check_demo_mailbox),
    ("Testschalter", check_test_switches),
    ("Datenbank", check_database),
    ("Cache", check_cache),
    ("Hintergrundaufgaben", check_worker),
    ("Demo-Zugänge", check_demo_accounts),
]


class Command(BaseCommand):
    help = "Deployment self-check (`rathaus check`): Django's check --deploy plus our own."
    # A module adds its own as ``selfchecks = [(name, function), …]`` on its AppConfig.

    def handle(self, **options) -> None:
        failures = 0
        module_checks = [
            check
            for config in apps.get_app_configs()
            for check in getattr(config, "selfchecks", ())
        ]
        for name, check in [*CHECKS, *module_checks]:
            status, detail = check()
            failures += status == FAIL
            style = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR}
            first, *rest = detail.splitlines() or [""]
            self.stdout.write(f"{style[status](f'{status:8}')} {name}: {first}")
            for line in rest:
                self.stdout.write(f"         {line}")
        if failures:
            raise CommandError(f"{failures} Prüfung(en) fehlgeschlagen.")
        self.stdout.write(self.style.SUCCESS("Alle Pflichtprüfungen bestanden."))
