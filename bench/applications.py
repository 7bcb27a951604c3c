"""Applications: submissions per second through the full submit service, and the caseworkers'
inbox with 100,000 cases, against a plain model insert measured in the same run.

Submitting means: every page validated again, the case numbered (DUS-2026-…, one
row lock per year), stored, handed to the office, audited and its receipt PDF
queued for the worker. Four processes submit in parallel as well; every reference
number must be unique and gap-free (checked, not timed).

    python bench/applications.py [--cases 100000] [--json]
"""

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SLUG = "foerderung-dachbegruenung"


def setup_django(database_url: str) -> None:
    os.environ.update(common.environment(database_url))
    import django

    django.setup()


def make_drafts(count: int) -> list[int]:
    """Drafts with complete answers and stored files, ready to be submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rathaus.accounts.models import User
    from rathaus.applications.demo.filler import TINY_PDF, answers_for
    from rathaus.applications.formdef.engine import FormSchema
    from rathaus.applications.services import drafts
    from rathaus.catalog.models import Service

    service = Service.objects.get(slug=SLUG)
    applicant, _ = User.objects.get_or_create(email="bench@demo.duesseldorf.invalid")
    ids = []
    for _ in range(count):
        application = drafts.start(service, applicant=applicant)
        drafts.save_answers(application, answers_for(application.form.schema))
        form = FormSchema(application.form.schema, application.form.version)
        for key, spec in form.file_specs().items():
            if spec.get("required") and not (
                spec.get("visible_if") and spec["visible_if"]["equals"] == "nein"
            ):
                upload = SimpleUploadedFile(f"{key}.pdf", TINY_PDF, content_type="application/pdf")
                drafts.attach_files(application, key, [upload], spec=spec, by=applicant)
        ids.append(application.pk)
    return ids


def submit_all(ids: list[int]) -> list[float]:
    from rathaus.applications.models import Application
    from rathaus.applications.services import drafts

    timings = []
    for pk in ids:
        application = Application.objects.select_related("service", "form", "applicant").get(pk=pk)
        timings.append(common.timed(lambda a=application: drafts.submit(a, by=a.applicant)))
    return timings


def plain_inserts(count: int) -> list[float]:
    from rathaus.applications.models import Application, FormDefinition

    form = FormDefinition.objects.filter(service__slug=SLUG).latest("version")
    return [
        common.timed(lambda: Application.objects.create(service_id=form.service_id, form=form))
        for _ in range(count)
    ]


def parallel_worker(args: tuple[str, list[int], float]) -> tuple[list[float], float]:
    """Submit a share of the drafts once every process is ready; returns timings and when done."""
    database_url, ids, start_at = args
    setup_django(database_url)
    from rathaus.applications.models import Application

    Application.objects.exists()  # connect before the start line
    time.sleep(max(0.0, start_at - time.time()))
    timings = submit_all(ids)
    return timings, time.time()


def fill_inbox(target: int) -> None:
    """Submitted cases spread over offices, statuses and due dates (bulk, not timed)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from rathaus.applications.models import Application, FormDefinition

    existing = Application.objects.exclude(status="draft").count()
    if existing >= target:
        return
    forms = list(FormDefinition.objects.select_related("service"))
    rng = random.Random(7)
    today = timezone.localdate()
    statuses = ["received", "in_progress", "query", "decided", "closed"]
    rows = []
    for number in range(existing, target):
        form = forms[number % len(forms)]
        received = today - timedelta(days=rng.randint(0, 400))
        rows.append(
            Application(
                reference=f"BEN-{received.year}-{number:06d}",
                service=form.service,
                form=form,
                office_id=form.service.office_id,
                status=rng.choice(statuses),
                channel="online",
                received_on=received,
                submitted_at=timezone.now() - timedelta(days=(today - received).days),
                due_on=received + timedelta(days=form.service.target_days),
                cleaned={"vorname": "Erika", "nachname": f"Muster{number}"},
            )
        )
        if len(rows) == 5000:
            Application.objects.bulk_create(rows)
            rows = []
    Application.objects.bulk_create(rows)
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum would (it may be off): statistics, and the visibility map that lets
        # the inbox count by index only.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) applications_application")


def staff_cookie() -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from rathaus.accounts.models import User

    user = User.objects.get(email="j.schneider@demo.duesseldorf.invalid")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def inbox_latencies(base: str, cookie: str, rounds: int) -> list[float]:
    import urllib.request

    paths = [
        "/verwaltung/vorgaenge/",
        "/verwaltung/vorgaenge/?frist=ueberfaellig",
        f"/verwaltung/vorgaenge/?leistung={SLUG}",
        "/verwaltung/vorgaenge/?status=alle&seite=40",
        "/verwaltung/vorgaenge/?q=4711",
    ]

    def get(path: str) -> None:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or b"Posteingang" not in response.read():
                raise RuntimeError(f"{path}: not the inbox")

    for path in paths:
        get(path)  # warm up
    return [common.timed(lambda p=p: get(p)) for _ in range(rounds) for p in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=120)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    common.prepare_database(args.database_url, 1)
    setup_django(args.database_url)

    from rathaus.applications.models import Application

    ids = make_drafts(args.submissions)
    started = time.perf_counter()
    submit_ms = submit_all(ids)
    single_rate = len(ids) / (time.perf_counter() - started)
    insert_ms = plain_inserts(args.submissions)

    parallel_ids = make_drafts(args.submissions)
    chunks = [parallel_ids[i::4] for i in range(4)]
    from django.db import connections

    connections.close_all()
    start_at = time.time() + 15  # after the workers have set up Django
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(parallel_worker, [(args.database_url, c, start_at) for c in chunks])
    parallel_ms = [t for timings, _ in results for t in timings]
    parallel_rate = len(parallel_ids) / (max(done for _, done in results) - start_at)
    references = list(
        Application.objects.filter(pk__in=parallel_ids).values_list("reference", flat=True)
    )
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    duplicates = len(references) - len(set(references))
    gaps = (numbers[-1] - numbers[0] + 1) - len(numbers)
    if duplicates or gaps:
        raise SystemExit(f"reference numbers broken: {duplicates} duplicates, {gaps} gaps")

    fill_inbox(args.cases)
    open_cases = Application.objects.exclude(status="draft").count()
    with common.server(args.database_url) as base:
        inbox_ms = inbox_latencies(base, staff_cookie(), rounds=20)
        pk_ms = [
            common.timed(lambda: common.fetch(base + "/api/v1/leistungen/" + SLUG))
            for _ in range(100)
        ]

    submit_s, insert_s = common.summary(submit_ms), common.summary(insert_ms)
    ratio = submit_s["p50"] / insert_s["p50"]
    common.print_table(
        f"Anträge (PostgreSQL): {args.submissions} Einreichungen, "
        f"Posteingang mit {open_cases:,} Vorgängen",
        [
            ("Application.objects.create (baseline)", insert_s, None),
            ("drafts.submit, 1 Prozess", submit_s, ratio),
            (
                "drafts.submit, 4 Prozesse parallel",
                common.summary(parallel_ms),
                common.summary(parallel_ms)["p50"] / insert_s["p50"],
            ),
            ("HTTP GET /api/v1/leistungen/<slug> (baseline)", common.summary(pk_ms), None),
            (
                "HTTP GET Posteingang (5 Filter)",
                common.summary(inbox_ms),
                common.summary(inbox_ms)["p50"] / common.summary(pk_ms)["p50"],
            ),
        ],
    )
    print(
        f"\nEinreichungen/s: {single_rate:.1f} (1 Prozess), {parallel_rate:.1f} (4 Prozesse); "
        f"Aktenzeichen eindeutig und lückenlos: {len(references)} geprüft"
    )
    if args.json:
        common.emit_json(
            {
                "submissions_per_s": round(single_rate, 1),
                "inbox_p95_ms": round(common.summary(inbox_ms)["p95"], 2),
                "ratio_to_insert": round(ratio, 1),
            }
        )


if __name__ == "__main__":
    main()
