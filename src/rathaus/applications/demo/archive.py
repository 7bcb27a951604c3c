"""An archive of decided green-roof applications from the two years before the running one.

The demo's sample cases lie in the running month, but open data publishes ended periods
only: without a history the green-roof table (per year and Stadtbezirk) and the processing
times would stay empty. The archive is an *Altbestand*: cases the Umweltamt decided in its
former procedure, before the platform, taken over as data. So they have no receipt, no
uploads and no Bescheid PDF, and they are not in the transparency log (it holds the
Bescheide the platform issued, from its start). They belong to demo residents
(…@demo.duesseldorf.invalid) and are made with bulk inserts: no WeasyPrint, no mail, no
audit entries per case – loading takes a fraction of a second.

Some districts get few cases on purpose, so that the portal shows withheld counts.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.catalog.models import Service
from rathaus.core.channels import Channel
from rathaus.ledger.demo import ARCHIVE_PER_SCALE as LEDGER_ARCHIVE_PER_SCALE

from ..models import Application, Decision, Event, FormDefinition, ReferenceCounter
from ..open_data import BUILDING_ADDRESS, GREEN_ROOF, POSTCODE_DISTRICT
from ..services import decisions
from .filler import DEMO_IBAN

__all__ = ["PLAN", "load_archive"]

CASEWORKER = "j.schneider@demo.duesseldorf.invalid"
DOMAIN = "demo.duesseldorf.invalid"
# Per year of the Bescheid (years before the running one) and Stadtbezirk: (granted, refused)
# at scale 1 – 60 cases. Districts 1, 3, 4 and 9 reach the minimum count of 5; the small
# ones (and most refusals) are withheld in the published table, each year's small granted
# counts adding up to 5, so that they protect each other without secondary suppression.
PLAN: dict[int, dict[int, tuple[int, int]]] = {
    2: {1: (6, 1), 3: (7, 1), 4: (5, 0), 9: (5, 0), 2: (2, 0), 6: (2, 0), 8: (1, 0)},
    1: {1: (6, 0), 3: (7, 1), 4: (5, 0), 9: (5, 0), 2: (2, 0), 6: (2, 1), 10: (1, 0)},
}
PARTIAL_SHARE = 0.25
# Aktenzeichen are numbered across all services; the green roofs take every ~20th number.
STRIDE = 20
GIVEN = [
    "Anna", "Lukas", "Fatma", "Jan", "Sophie", "Mehmet", "Claudia", "Thomas", "Lea", "Stefan",
    "Marija", "Peter", "Julia", "Andreas", "Aylin", "Michael", "Sabine", "Kevin", "Nina", "Uwe",
]  # fmt: skip
FAMILY = [
    "Becker", "Schmitz", "Hoffmann", "Yilmaz", "Wagner", "Krüger", "Neumann", "Schulte",
    "Kowalski", "Fischer", "Weber", "Meyer", "Özdemir", "Jansen", "Hermanns", "Brandt",
    "Lange", "Vogel", "Peters", "Hahn", "Schäfer", "Kaiser", "Nowak", "Dietrich",
]  # fmt: skip
STREETS = [
    "Lindenstraße", "Gartenstraße", "Kirchweg", "Am Mühlenbach", "Rosenstraße", "Parkstraße",
    "Ahornweg", "Schulstraße", "Birkenallee", "Am Rheinufer", "Feldstraße", "Wiesenweg",
]  # fmt: skip
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ö": "Oe", "Ä": "Ae"})
APPROVED = "Die Voraussetzungen der Förderrichtlinie DAFIB liegen vor."
PARTLY = [
    "Förderfähig ist nur ein Teil der angegebenen Kosten.",
    "Gefördert werden höchstens 40,00 € je Quadratmeter begrünter Fläche.",
]
# (reason, answers that go with it)
REFUSED = [
    (
        "Die Begrünung ist durch den Bebauungsplan vorgeschrieben; vorgeschriebene "
        "Begrünungen fördert das Programm nicht.",
        {"vorgeschrieben": "ja"},
    ),
    (
        "Der Fachbetrieb wurde vor dem Förderbescheid beauftragt; ein vorzeitiger "
        "Maßnahmebeginn schließt die Förderung aus.",
        {},
    ),
    ("Nach der Erklärung zur Statik trägt das Dach die geplante Begrünung nicht.", {}),
]
NOTE = (
    "Altbestand: aus dem bisherigen Fachverfahren des Umweltamts übernommen "
    "(Unterlagen und Bescheid dort)."
)


@dataclass
class _Case:
    """One archived case before it is stored."""

    year: int
    received: date
    decided: date
    district: int
    kind: str
    rng: random.Random
    given: str
    family: str
    number: int = 0  # of the Aktenzeichen, given once all cases of the year are known

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


def _working_day(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours (local time) on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(8 + rng.randrange(8), rng.randrange(60))))


def _cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _cases(this_year: int, scale: int) -> list[_Case]:
    """The plan's cases with their days: received on a working day up to the end of September,
    decided 10 to 90 days later on a working day of the same year."""
    cases = []
    for years_back, districts in PLAN.items():
        year = this_year - years_back
        rng = random.Random(f"dachbegruenung-{year}")  # noqa: S311 -- demo data, reproducible
        first, last = date(year, 1, 2), date(year, 9, 30)
        for district, (granted, refused) in districts.items():
            kinds = [Decision.Kind.APPROVAL] * granted + [Decision.Kind.REJECTION] * refused
            for kind in kinds * scale:
                if kind == Decision.Kind.APPROVAL and rng.random() < PARTIAL_SHARE:
                    kind = Decision.Kind.PARTIAL
                received = _working_day(first + timedelta(rng.randrange((last - first).days)))
                # Mostly four to six weeks, some much longer: 10 to 88 days, mean about 32.
                days = min(88, 10 + round(rng.gammavariate(2.2, 10)))
                decided = _working_day(received + timedelta(days=days))
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                cases.append(_Case(year, received, decided, district, kind, rng, given, family))
    cases.sort(key=lambda case: (case.received, case.district))
    # The ledger demo invents Bescheide numbered from 1 (ARCHIVE_PER_SCALE × scale of them);
    # ours are numbered above, so that no Aktenzeichen names two different cases.
    offset = LEDGER_ARCHIVE_PER_SCALE * scale
    for year in {case.year for case in cases}:
        mine = [case for case in cases if case.year == year]
        for index, case in enumerate(mine):
            case.number = offset + index * STRIDE + 1 + case.rng.randrange(STRIDE)
    return cases


def _answers(case: _Case, email: str) -> tuple[dict, dict]:
    """The form's values as a submission stores them: checked (``cleaned``) and as typed."""
    rng = case.rng
    postcodes = [code for code, number in POSTCODE_DISTRICT.items() if number == case.district]
    address = {
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
        "postcode": rng.choice(postcodes),
        "city": "Düsseldorf",
    }
    intensive = rng.random() < 0.25
    area = round(rng.uniform(25, 250 if rng.random() < 0.8 else 900), 1)
    costs = area * rng.uniform(90, 180) if intensive else area * rng.uniform(45, 90)
    start = case.decided + timedelta(days=rng.randrange(30, 120))
    cleaned = {
        "vorname": case.given,
        "nachname": case.family,
        "organisation": f"WEG {address['street']}" if rng.random() < 0.15 else "",
        "anschrift": address,
        "email": email,
        "telefon": "",
        BUILDING_ADDRESS: dict(address),
        "eigentum": "ja",
        "dachflaeche": f"{area:.2f}",
        "begruenungsart": "intensiv" if intensive else "extensiv",
        "vorgeschrieben": "nein",
        "baubeginn": start.isoformat(),
        "kosten": f"{_cents(costs)}",
        "andere_foerderung": "nein",
        "kontoinhaber": case.name,
        "iban": DEMO_IBAN,
    }
    answers = {
        key: value
        for key, value in cleaned.items()
        if not isinstance(value, dict) and key != "baubeginn" and value
    } | {
        f"{field}__{part}": value
        for field in ("anschrift", BUILDING_ADDRESS)
        for part, value in address.items()
    }
    for key in ("dachflaeche", "kosten"):
        answers[key] = cleaned[key].replace(".", ",")
    answers["baubeginn"] = start.strftime("%d.%m.%Y")
    return cleaned, answers


def _grant(case: _Case, cleaned: dict) -> tuple[Decimal | None, str]:
    """Amount and reasoning: half the costs, at most 40 € per m² and 20,000 € per roof."""
    rng = case.rng
    if case.kind == Decision.Kind.REJECTION:
        reason, answers = rng.choice(REFUSED)
        cleaned.update(answers)
        return None, reason
    full = min(
        Decimal(cleaned["kosten"]) / 2,
        Decimal(cleaned["dachflaeche"]) * 40,
        Decimal("20000"),
    )
    if case.kind == Decision.Kind.APPROVAL:
        return _cents(float(full)), APPROVED
    return max(_cents(float(full) * rng.uniform(0.55, 0.9)), Decimal("500.00")), rng.choice(PARTLY)


def _residents(emails: list[str], joined: list[datetime]) -> list[User]:
    """One demo resident per case (accounts without passkeys), created in one insert."""
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=email, created_at=at)
            for email, at in zip(emails, joined, strict=True)
            if email not in known
        ]
    )
    by_email = User.objects.filter(email__in=emails).in_bulk(field_name="email")
    return [by_email[email] for email in emails]


def load_archive(scale: int = 1) -> int:
    """Store the archive (``60 × scale`` cases) unless green roofs were decided before the
    running year – the archive exists already, or the city has a real history. Returns how
    many cases were added."""
    service = Service.objects.filter(slug=GREEN_ROOF).select_related("office").first()
    form = FormDefinition.objects.filter(service=service).order_by("-version").first()
    this_year = timezone.localdate().year
    if form is None or (
        Application.objects.filter(
            service=service, decision__decided_at__year__lt=this_year
        ).exists()
    ):
        return 0
    caseworker = User.objects.filter(email=CASEWORKER).first()
    actor = caseworker.audit_label if caseworker else str(service.office or "System")
    cases = _cases(this_year, scale)
    with transaction.atomic():
        applications, grants, when = _applications(cases, service, form, caseworker)
        stored = Application.objects.bulk_create(applications)
        # The insert sets created_at, updated_at, decided_at and at to now (auto_now_add
        # overwrites them); backdate them with an update, which leaves them as given.
        for application, (submitted, decided) in zip(stored, when, strict=True):
            application.created_at, application.updated_at = submitted, decided
        Application.objects.bulk_update(stored, ["created_at", "updated_at"])
        made = Decision.objects.bulk_create(
            [
                Decision(
                    application=application,
                    kind=case.kind,
                    amount=amount,
                    reasoning=reasoning,
                    legal_remedy=str(decisions.LEGAL_REMEDY),
                    decided_by=caseworker,
                )
                for application, case, (amount, reasoning) in zip(
                    stored, cases, grants, strict=True
                )
            ]
        )
        for decision, application in zip(made, stored, strict=True):
            decision.decided_at = application.decided_at
        Decision.objects.bulk_update(made, ["decided_at"])
        history = _events(stored, cases, caseworker, actor)
        events = Event.objects.bulk_create([event for event, _moment in history])
        for event, (_event, at) in zip(events, history, strict=True):
            event.at = at
        Event.objects.bulk_update(events, ["at"])
        for year in {case.year for case in cases}:
            last = max(case.number for case in cases if case.year == year)
            counter, _created = ReferenceCounter.objects.get_or_create(year=year)
            if counter.last < last:
                ReferenceCounter.objects.filter(year=year).update(last=last)
    return len(stored)


def _applications(
    cases: list[_Case], service: Service, form: FormDefinition, caseworker: User | None
) -> tuple[list[Application], list[tuple[Decimal | None, str]], list[tuple[datetime, datetime]]]:
    """Unsaved applications, their decisions' amount and reasoning, and their moments."""
    moments = [(_at(case.received, case.rng), _at(case.decided, case.rng)) for case in cases]
    emails = [
        f"{case.given}.{case.family}.{number}@{DOMAIN}".translate(UMLAUTS).lower()
        for number, case in enumerate(cases, start=1)
    ]
    residents = _residents(emails, [submitted for submitted, _decided in moments])
    applications, grants = [], []
    for case, resident, (submitted, decided) in zip(cases, residents, moments, strict=True):
        cleaned, answers = _answers(case, resident.email)
        grants.append(_grant(case, cleaned))
        answers["vorgeschrieben"] = cleaned["vorgeschrieben"]
        applications.append(
            Application(
                reference=f"{settings.CASE_REFERENCE_PREFIX}-{case.year}-{case.number:06d}",
                service=service,
                form=form,
                applicant=resident,
                channel=Channel.PAPER,
                status=Application.Status.DECIDED,
                office=service.office,
                assignee=caseworker,
                answers=answers,
                cleaned=cleaned,
                received_on=case.received,
                submitted_at=submitted,
                due_on=case.received + timedelta(days=service.target_days),
                decided_at=decided,
            )
        )
    return applications, grants, moments


def _events(
    stored: list[Application], cases: list[_Case], caseworker: User | None, actor: str
) -> list[tuple[Event, datetime]]:
    """The history a case page shows (received, note, in progress, decided, Bescheid), each
    event with its moment."""
    S = Application.Status
    events = []
    for application, case in zip(stored, cases, strict=True):
        label = Decision.Kind(case.kind).label
        started = _at(_working_day(case.received + timedelta(days=2)), case.rng)
        started = min(max(started, application.submitted_at), application.decided_at)
        steps = [
            (
                application.submitted_at,
                Event.Kind.STATUS,
                S.DRAFT,
                S.RECEIVED,
                f"Eingegangen per {Channel.PAPER.label}",
            ),
            (application.submitted_at, Event.Kind.NOTE, "", "", NOTE),
            (started, Event.Kind.STATUS, S.RECEIVED, S.IN_PROGRESS, ""),
            (application.decided_at, Event.Kind.STATUS, S.IN_PROGRESS, S.DECIDED, label),
            (application.decided_at, Event.Kind.DECISION, "", "", label),
        ]
        events += [
            (
                Event(
                    application=application,
                    kind=kind,
                    actor=caseworker,
                    actor_label=actor,
                    from_status=before,
                    to_status=after,
                    text=str(text),
                ),
                at,
            )
            for at, kind, before, after, text in steps
        ]
    return events
