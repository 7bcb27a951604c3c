"""The council's demo: the council of the demo city, its committee for digitalisation and
netpolicy (which steers the strategy "Digitales Düsseldorf 2030"), two other committees, a
district representation and six factions, each with invented members; a year of meetings
with agendas, papers, consultations, results and PDF documents. All persons, factions,
motions and results are invented (demo data); dates follow the meeting rhythm of a real
council and reach a few months ahead of today.

Loaded once: when a council is already there (an earlier ``rathaus demo``, or a city's own
data), nothing is changed.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from rathaus.accounts.demo import demo_staff
from rathaus.accounts.models import Role
from rathaus.core import pdf
from rathaus.core.demo import read_json
from rathaus.offices.models import Office

from .. import services
from ..models import (
    AgendaItem,
    Body,
    Consultation,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)

# papers.json: the committee's papers (title, kind, who submitted it, what it is about, at
# which of its meetings it is discussed – 0 is the first of the year –, the result there;
# "council": the council decides after it) and some papers of other bodies.
ADMINISTRATION = "verwaltung"
FIRST_DAY = date(2026, 1, 15)  # the committee's first meeting (a Thursday)
AHEAD = timedelta(days=120)  # meetings are planned this far ahead of today
INVITED_BEFORE = timedelta(days=21)  # the invitation goes out three weeks ahead
FACTIONS = {
    "gemeinsam": ("Fraktion Gemeinsam für Düsseldorf (Demo)", "GfD", 11),
    "zukunft": ("Fraktion Stadt der Zukunft (Demo)", "SdZ", 9),
    "gruen": ("Fraktion Grünes Band (Demo)", "GB", 8),
    "sozial": ("Fraktion Soziale Stadt (Demo)", "SoS", 6),
    "mitte": ("Fraktion Rheinische Mitte (Demo)", "RM", 4),
    "daten": ("Gruppe Offene Daten (Demo)", "OD", 2),
}
GIVEN = [
    "Anna",
    "Ben",
    "Clara",
    "Deniz",
    "Elif",
    "Felix",
    "Greta",
    "Hakan",
    "Ida",
    "Jonas",
    "Katarzyna",
    "Lukas",
    "Mara",
    "Nils",
    "Olga",
    "Paul",
    "Rana",
    "Sven",
    "Tanja",
    "Ugur",
    "Vera",
    "Wiebke",
    "Yusuf",
    "Zoe",
    "Andrzej",
    "Birgit",
    "Cem",
    "Dagmar",
    "Emil",
    "Fatma",
    "Gerd",
    "Hanna",
    "Ilka",
    "Jan",
    "Karin",
    "Leon",
    "Mehmet",
    "Nora",
    "Oskar",
    "Pia",
]
FAMILY = [
    "Albers",
    "Brenner",
    "Claßen",
    "Demir",
    "Ehlers",
    "Fuchs",
    "Grabowski",
    "Hoffmann",
    "Iwanowa",
    "Jansen",
    "Kaya",
    "Lorenz",
    "Müller-Rhein",
    "Nowak",
    "Ostermann",
    "Petersen",
    "Quast",
    "Richter",
    "Schäfer",
    "Tekin",
    "Ueding",
    "Vogel",
    "Wagner",
    "Yilmaz",
    "Zander",
    "Bauer",
    "Conrads",
    "Dietz",
    "Engel",
    "Franke",
    "Günther",
    "Hartmann",
    "Ivanović",
    "Jäger",
    "Kessler",
    "Lange",
    "Maurer",
    "Neumann",
    "Otto",
    "Pohl",
]
DIGITAL_COMMITTEE = "Ausschuss für Digitalisierung und Netzpolitik"


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    if Body.objects.exists():
        log("  Ratsinformation: schon vorhanden, nicht neu geladen")
        return
    rng = random.Random(2026)  # noqa: S311 -- demo data, reproducible on purpose
    city = City(rng, timezone.localdate())
    city.build()
    demo_staff(
        "r.rademacher@demo.duesseldorf.invalid",
        "Ruth Rademacher (Sitzungsdienst)",
        "S-0701",
        [Role.COUNCIL_OFFICE],
        [city.office],
        log=log,
        area="Ratsinformation",
    )
    log(
        f"  Ratsinformation: {Meeting.objects.count()} Sitzungen, "
        f"{Paper.objects.count()} Drucksachen, {Person.objects.count()} Personen"
    )


def _after_holidays(day: date) -> date:
    """Councils do not meet between Christmas and Epiphany: the same weekday after it."""
    while (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
        day += timedelta(days=7)
    return day


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class City:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.numbers: dict[int, int] = {}

    def build(self) -> None:
        self.office = Office.objects.get(slug="buero-des-rates")  # offices' demo
        self.town_hall = Location.objects.create(
            description="Rathaus Düsseldorf",
            street_address="Marktplatz 2",
            postal_code="40213",
            locality="Düsseldorf",
            sub_locality="Altstadt",
            latitude=Decimal("51.22579"),
            longitude=Decimal("6.77232"),
        )
        self.body = Body.objects.create(
            name="Landeshauptstadt Düsseldorf",
            short_name="Düsseldorf",
            ags="05111000",
            rgs="051110000000",
            website="https://www.duesseldorf.de/",
            contact_name="Büro des Rates (Demo)",
            contact_email="ratsinfo@demo.duesseldorf.invalid",
            classification="Kreisfreie Stadt",
            location=self.town_hall,
            office=self.office,
        )
        Location.objects.filter(pk=self.town_hall.pk).update(body=self.body)
        LegislativeTerm.objects.create(
            body=self.body,
            name="Wahlperiode 2025–2030",
            start_date=date(2025, 11, 1),
            end_date=date(2030, 10, 31),
        )
        self.rooms = {
            room: Location.objects.create(
                body=self.body,
                description="Rathaus Düsseldorf",
                room=room,
                street_address="Marktplatz 2",
                postal_code="40213",
                locality="Düsseldorf",
                latitude=Decimal("51.22579"),
                longitude=Decimal("6.77232"),
            )
            for room in ("Plenarsaal", "Sitzungssaal 1 (Demo)", "Sitzungssaal 2 (Demo)")
        }
        self.district_hall = Location.objects.create(
            body=self.body,
            description="Bezirksverwaltungsstelle 3 (Demo)",
            street_address="Am Bezirksforum 3",
            postal_code="40227",
            locality="Düsseldorf",
            sub_locality="Oberbilk",
        )
        self._organizations()
        self._persons()
        self._meetings()
        self._papers()

    # --- Organisations and people -------------------------------------------------------

    def _organizations(self) -> None:
        def board(name: str, short: str, classification: str, **more: Any) -> Organization:
            return Organization.objects.create(
                body=self.body,
                name=name,
                short_name=short,
                organization_type=Organization.Type.BOARD,
                classification=classification,
                start_date=date(2025, 11, 6),
                **more,
            )

        self.council = board(
            "Rat der Landeshauptstadt Düsseldorf",
            "Rat",
            "Rat",
            description="Die gewählte Vertretung der Bürgerinnen und Bürger: entscheidet über "
            "den Haushalt, die Satzungen und alle wichtigen Angelegenheiten der Stadt.",
        )
        self.digital = board(
            DIGITAL_COMMITTEE,
            "DIG",
            "Ausschuss",
            sub_organization_of=self.council,
            description="Vom Rat 2026 gebildet, um die Strategie „Digitales Düsseldorf 2030“ "
            "gemeinsam mit den Bürgerinnen und Bürgern zu entwickeln und ihre Umsetzung zu "
            "steuern: digitale Verwaltung, offene Daten, freies WLAN, Barrierefreiheit und "
            "Datenschutz. Er setzt die Ziele des Digitalmonitors.",
        )
        self.hfa = board(
            "Haupt- und Finanzausschuss",
            "HFA",
            "Ausschuss",
            sub_organization_of=self.council,
            description="Stimmt die Arbeit der Ausschüsse ab und berät alle Angelegenheiten "
            "mit Auswirkungen auf den Haushalt vor.",
        )
        self.district = board(
            "Bezirksvertretung 3",
            "BV 3",
            "Bezirksvertretung",
            location=self.district_hall,
            description="Entscheidet über Angelegenheiten des Stadtbezirks 3 (Bilk, Oberbilk, "
            "Friedrichstadt, Unterbilk, Hamm, Volmerswerth, Flehe).",
        )
        self.factions = {
            key: Organization.objects.create(
                body=self.body,
                name=name,
                short_name=short,
                organization_type=Organization.Type.GROUP,
                start_date=date(2025, 11, 6),
            )
            for key, (name, short, _seats) in FACTIONS.items()
        }

    def _persons(self) -> None:
        people = []
        seats = [key for key, (_n, _s, count) in FACTIONS.items() for _ in range(count)]
        given, family = list(GIVEN), list(FAMILY)
        self.rng.shuffle(given)
        self.rng.shuffle(family)
        names = list(zip(given, family, strict=True))
        for index, (key, (given, family)) in enumerate(zip(seats, names, strict=True)):
            people.append(
                (
                    key,
                    Person(
                        body=self.body,
                        given_name=given,
                        family_name=family,
                        form_of_address="Frau" if index % 2 else "Herr",
                        title="Dr." if index % 7 == 3 else "",
                        status="Ratsmitglied",
                    ),
                )
            )
        Person.objects.bulk_create([person for _key, person in people])
        start = date(2025, 11, 6)
        memberships = []
        by_faction: dict[str, list[Person]] = {}
        for key, person in people:
            by_faction.setdefault(key, []).append(person)
            faction = self.factions[key]
            memberships.append(self._member(person, self.council, faction, start))
            memberships.append(self._member(person, faction, None, start))
        # Committees: seats in proportion to the factions, the chair from the largest.
        for committee, size in ((self.digital, 15), (self.hfa, 17), (self.district, 15)):
            chosen = []
            for key, (_n, _s, count) in FACTIONS.items():
                share = max(1, round(size * count / len(people)))
                chosen += [(key, person) for person in by_faction[key][:share]]
            for rank, (key, person) in enumerate(chosen):
                role = {0: "Vorsitz", 1: "stellvertretender Vorsitz"}.get(rank, "Mitglied")
                memberships.append(
                    self._member(person, committee, self.factions[key], start, role=role)
                )
        experts = [
            Person(
                body=self.body,
                given_name=given,
                family_name=family,
                form_of_address=address,
                status="Sachkundige Bürgerin" if address == "Frau" else "Sachkundiger Bürger",
            )
            for given, family, address in (
                ("Miriam", "Hollstein", "Frau"),
                ("Tobias", "Reinartz", "Herr"),
                ("Aylin", "Korkmaz", "Frau"),
            )
        ]
        Person.objects.bulk_create(experts)
        for person in experts:
            memberships.append(
                self._member(
                    person, self.digital, None, date(2026, 1, 15), role="Sachkundige Person"
                )
            )
        Membership.objects.bulk_create(memberships)
        self.members = {
            committee.pk: [m.person for m in memberships if m.organization_id == committee.pk]
            for committee in (self.council, self.digital, self.hfa, self.district)
        }

    def _member(self, person, organization, faction, start, *, role="Mitglied") -> Membership:
        return Membership(
            body=self.body,
            person=person,
            organization=organization,
            role=role,
            voting_right=role != "Sachkundige Person",
            start_date=start,
            on_behalf_of=faction,
        )

    # --- Meetings -------------------------------------------------------------------------

    def _meetings(self) -> None:
        """Each body's meetings in its rhythm, from its first meeting to a few months ahead."""
        until = self.today + AHEAD
        plans = [
            (self.digital, FIRST_DAY, 56, 17, self.rooms["Sitzungssaal 1 (Demo)"]),
            (self.council, FIRST_DAY + timedelta(days=14), 56, 14, self.rooms["Plenarsaal"]),
            (self.hfa, FIRST_DAY + timedelta(days=4), 56, 15, self.rooms["Sitzungssaal 2 (Demo)"]),
            (self.district, FIRST_DAY - timedelta(days=2), 28, 17, self.district_hall),
        ]
        self.meetings: dict[int, list[Meeting]] = {}
        for board, first, every, hour, place in plans:
            day, number = first, 1
            found = []
            while day <= until:
                start = _at(_after_holidays(day), hour)
                found.append(
                    Meeting.objects.create(
                        body=self.body,
                        name=f"{number}. Sitzung – {board.name}",
                        meeting_state=self._state(start),
                        start=start,
                        end=start + timedelta(hours=3),
                        location=place,
                    )
                )
                day += timedelta(days=every)
                number += 1
            for meeting in found:
                meeting.organizations.add(board)
                if meeting.start < self.now:
                    meeting.participants.set(self.members[board.pk])
            self.meetings[board.pk] = found

    def _state(self, start: datetime) -> str:
        if start < self.now:
            return Meeting.State.HELD
        if start - self.now <= INVITED_BEFORE:
            return Meeting.State.INVITED
        return Meeting.State.SCHEDULED

    # --- Papers, agendas, consultations -------------------------------------------------

    def _reference(self, day: date) -> str:
        self.numbers[day.year] = self.numbers.get(day.year, 0) + 1
        return f"{self.numbers[day.year]:03d}/{day.year}"

    def _papers(self) -> None:
        papers = read_json(Path(__file__).parent, "papers.json")
        committee = self.meetings[self.digital.pk]
        on_agenda: dict[int, list[tuple[Paper, str, bool]]] = {}
        made: list[Paper] = []
        for entry in papers["committee"]:
            if entry["meeting"] >= len(committee):
                continue
            meeting = committee[entry["meeting"]]
            if meeting.start - self.now > INVITED_BEFORE:
                continue  # its papers are not written yet
            before = timedelta(days=self.rng.randint(18, 30))
            day = min((meeting.start - before).date(), self.today)
            paper = self._paper(entry["name"], entry["type"], entry["by"], entry["summary"], day)
            paper.under_direction_of.add(self.digital)
            if "related" in entry:
                paper.related_papers.add(made[entry["related"]])
            made.append(paper)
            authoritative = not entry.get("council") and entry["type"] not in (
                "Mitteilung",
                "Anfrage",
            )
            result = entry["result"] if meeting.start < self.now else ""
            on_agenda.setdefault(meeting.pk, []).append((paper, result, authoritative))
            if entry.get("council"):
                self._council_follow_up(paper, meeting, result, on_agenda)
        for entry in papers["other"]:
            board = {"rat": self.council, "hfa": self.hfa, "bv3": self.district}[entry["board"]]
            held = [m for m in self.meetings[board.pk] if m.start < self.now]
            meeting = self.rng.choice(held[-4:])
            day = (meeting.start - timedelta(days=21)).date()
            paper = self._paper(
                entry["name"], entry["type"], ADMINISTRATION, entry["summary"], day, files=False
            )
            paper.under_direction_of.add(board)
            on_agenda.setdefault(meeting.pk, []).append((paper, "beschlossen", True))
        for meetings in self.meetings.values():
            for meeting in meetings:
                self._agenda(meeting, on_agenda.get(meeting.pk, []))

    def _council_follow_up(self, paper, meeting, result, on_agenda) -> None:
        """A paper the committee recommends goes to the HFA and the council for decision."""
        for board, decides in ((self.hfa, False), (self.council, True)):
            later = [m for m in self.meetings[board.pk] if m.start > meeting.start]
            if later:
                outcome = result if later[0].start < self.now else ""
                on_agenda.setdefault(later[0].pk, []).append((paper, outcome, decides))

    def _paper(self, name, kind, by, summary, day, *, files: bool = True) -> Paper:
        paper = Paper.objects.create(
            body=self.body,
            name=name,
            reference=self._reference(day),
            date=day,
            paper_type=kind,
            summary=summary,
        )
        if by == ADMINISTRATION:
            author = "Verwaltung – Büro des Rates"
        else:
            paper.originator_organizations.add(self.factions[by])
            author = self.factions[by].name
        if files:
            paper.main_file = self._document(
                f"{kind} {paper.reference}",
                f"{kind.lower()}-{paper.reference.replace('/', '-')}.pdf",
                day,
                {
                    "kind": kind,
                    "reference": paper.reference,
                    "title": name,
                    "issuer": author,
                    "paragraphs": [summary],
                },
            )
            paper.save(update_fields=["main_file"])
        return paper

    def _agenda(self, meeting: Meeting, papers: list[tuple[Paper, str, bool]]) -> None:
        if meeting.meeting_state == Meeting.State.SCHEDULED:  # no agenda before the invitation
            for paper, _result, authoritative in papers:
                self._consult(paper, meeting, None, authoritative)
            return
        held = meeting.start < self.now
        rows = [("1", "Eröffnung der Sitzung und Feststellung der Tagesordnung", None, "", True)]
        rows.append(("2", "Genehmigung der Niederschrift der letzten Sitzung", None, "", True))
        for index, (paper, result, authoritative) in enumerate(papers, start=3):
            rows.append((str(index), paper.name, (paper, authoritative), result, True))
        rows.append((str(len(rows) + 1), "Mitteilungen der Verwaltung", None, "", True))
        rows.append((str(len(rows) + 1), "Anfragen", None, "", True))
        rows.append((str(len(rows) + 1), "Vergabeangelegenheiten", None, "", False))
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                body=self.body,
                meeting=meeting,
                number=number,
                order=order,
                name=name,
                public=public,
                result=result if held else "",
                resolution_text=(
                    f"Der {meeting.organizations.first().name} beschließt wie in der Drucksache "
                    f"{found[0].reference} vorgeschlagen."
                    if held and found and "beschlossen" in result
                    else ""
                ),
            )
            for order, (number, name, found, result, public) in enumerate(rows)
        )
        for item, (_n, _name, found, _r, _p) in zip(items, rows, strict=True):
            if found:
                self._consult(found[0], meeting, item, found[1])
        if meeting.organizations.filter(pk=self.digital.pk).exists():
            self._meeting_files(meeting, rows)

    def _consult(self, paper, meeting, item, authoritative: bool) -> None:
        consultation = Consultation.objects.create(
            body=self.body,
            paper=paper,
            agenda_item=item,
            meeting=meeting,
            authoritative=authoritative,
            role=(
                "Entscheidung"
                if authoritative
                else "Kenntnisnahme"
                if paper.paper_type in ("Mitteilung", "Anfrage")
                else "Vorberatung"
            ),
        )
        consultation.organizations.set(meeting.organizations.all())

    def _meeting_files(self, meeting: Meeting, rows) -> None:
        day = meeting.start.date()
        agenda = [
            (number, name if public else f"{name} (nichtöffentlich)")
            for number, name, _f, _r, public in rows
        ]
        meeting.invitation = self._document(
            f"Einladung zur {meeting.name}",
            f"einladung-{day.isoformat()}.pdf",
            day - INVITED_BEFORE,
            {
                "kind": "Einladung",
                "title": meeting.name,
                "issuer": "Büro des Rates",
                "paragraphs": [
                    f"Die Sitzung beginnt am {day:%d.%m.%Y} um "
                    f"{timezone.localtime(meeting.start):%H:%M} Uhr im Rathaus."
                ],
                "items": agenda,
            },
        )
        if meeting.meeting_state == Meeting.State.HELD:
            results = [
                (number, f"{name}: {result}" if result else name)
                for number, name, _f, result, public in rows
                if public
            ]
            meeting.results_protocol = self._document(
                f"Niederschrift der {meeting.name}",
                f"niederschrift-{day.isoformat()}.pdf",
                day + timedelta(days=14),
                {
                    "kind": "Niederschrift",
                    "title": meeting.name,
                    "issuer": "Büro des Rates",
                    "paragraphs": ["Öffentlicher Teil. Die Ergebnisse der Tagesordnungspunkte:"],
                    "items": results,
                },
            )
        meeting.save(update_fields=["invitation", "results_protocol", "modified_at"])

    def _document(self, name: str, file_name: str, day: date, context: dict) -> File:
        file = File(
            body=self.body,
            name=name,
            file_name=file_name,
            date=day,
            text="\n".join(context.get("paragraphs", [])),
        )
        data = pdf.render(
            "council/pdf/document.html", {"date": day, "reference": "", **context}, archival=True
        )
        return services.store_file(file, data)
