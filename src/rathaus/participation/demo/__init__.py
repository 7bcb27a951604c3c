"""Demo participation: the consultation on the draft strategy "Digitales Düsseldorf 2030".

Phases around today (information behind us, the discussion running for three more weeks),
eight sections with comments, replies and supports by invented residents (marked as demo
accounts), the Amt für Digitalisierung's answers, one comment hidden by the moderation with
its reason, and the link to the committee and its paper in the council's demo. Then the
participatory budget 2027 collecting ideas, and last year's budget of Stadtbezirk 3 with a
finished vote (simulated ballots), counted by the Method of Equal Shares. Loaded once; a
city's own processes are never touched.
"""

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.demo import demo_staff
from rathaus.accounts.models import Role, User
from rathaus.core.demo import read_json
from rathaus.council.models import Organization, Paper
from rathaus.offices.models import District, Office

from ..models import (
    Ballot,
    Budget,
    Category,
    Choice,
    Comment,
    Draft,
    Participant,
    Phase,
    Process,
    Project,
    Proposal,
    ProposalSupport,
    Report,
    Response,
    Section,
    StatusChange,
    Support,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    Vote,
)
from ..services import budgets

FOLDER = Path(__file__).parent
RESIDENTS = 40  # demo accounts that comment and support
COMMITTEE = "Ausschuss für Digitalisierung und Netzpolitik"


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _residents() -> list[User]:
    users = []
    for number in range(1, RESIDENTS + 1):
        email = f"mitreden-{number:02d}@demo.duesseldorf.invalid"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, full_name=f"Demo-Teilnehmende {number:02d}"
        )
        users.append(user)
    return users


# The phases of the demo process, in days from today.
SPANS = {
    "information": (-70, -42),
    "discussion": (-42, 21),
    "results": (21, 60),
    "implementation": (60, None),
}


def load(*, log: Callable[[str], Any] = print) -> None:
    content = read_json(FOLDER, "strategy.json")
    if Process.objects.filter(slug=content["process"]["slug"]).exists():
        log("  Beteiligung: schon vorhanden, nicht neu geladen")
        return
    office = Office.objects.get(slug="amt-fuer-digitalisierung")  # offices' demo
    staff = _staff(office, log)
    with transaction.atomic():
        process = _process(content, office, SPANS)
        sections = _draft(process, content["draft"])
        comments = _comments(content, sections, random.Random(2030))  # noqa: S311 -- demo
        _responses(process, content["responses"], comments, staff)
        _hidden(content["hidden"], sections, staff)
        _survey(process, random.Random(2031))  # noqa: S311 -- demo
        ideas_content = read_json(FOLDER, "proposals.json")
        ideas = _proposals(ideas_content, office, staff)
        budget = _finished_vote(ideas_content, office, staff)
    log(
        f"  Beteiligung: „{process.title}“ mit {len(sections)} Abschnitten, "
        f"{Comment.objects.filter(section__draft__process=process).count()} Kommentaren und "
        f"{process.responses.count()} Antworten der Verwaltung; „{ideas.title}“ mit "
        f"{ideas.proposals.count()} Vorschlägen; „{budget.title}“ ausgezählt mit "
        f"{budget.votes.count()} Stimmen"
    )


def _staff(office: Office, log: Callable[[str], Any]) -> User:
    return demo_staff(
        "d.demir@demo.duesseldorf.invalid",
        "Dana Demir (Bürgerbeteiligung)",
        "S-0802",
        [Role.PARTICIPATION_OFFICE],
        [office],
        log=log,
        area="Beteiligung",
    )


def _process(
    content: dict, office: Office, spans: dict, paper: str = "Digitales Düsseldorf 2030"
) -> Process:
    process = Process.objects.create(
        office=office,
        committee=Organization.objects.filter(name=COMMITTEE, deleted=False).first(),
        published=True,
        **content["process"],
    )
    process.papers.set(Paper.objects.filter(name__contains=paper))
    for phase in content["phases"]:
        starts, ends = spans[phase["kind"]]
        Phase.objects.create(
            process=process,
            starts_at=_at(starts, 0),
            ends_at=_at(ends, 0) if ends is not None else None,
            **phase,
        )
    return process


def _draft(process: Process, content: dict) -> dict[str, Section]:
    draft = Draft.objects.create(
        process=process, title=content["title"], introduction=content["introduction"]
    )
    return {
        section["number"]: Section.objects.create(draft=draft, order=order, **section)
        for order, section in enumerate(content["sections"], start=1)
    }


def _write(section: Section, author: User, entry: dict, parent: Comment | None = None) -> Comment:
    participant, _created = Participant.objects.get_or_create(
        user=author, defaults={"public_name": entry["public_name"]}
    )
    return Comment.objects.create(
        section=section,
        parent=parent,
        author=participant,
        public_name=entry["public_name"],
        stance=entry.get("stance", Comment.Stance.NEUTRAL) if parent is None else "neutral",
        text=entry["text"],
        created_at=min(_at(-entry["days_ago"], 9 + len(entry["text"]) % 9), timezone.now()),
    )


def _comments(content: dict, sections: dict[str, Section], rng: random.Random) -> dict:
    """Each comment by its own demo account (replies by others); supports by the rest."""
    residents = _residents()
    made: dict[str, Comment] = {}
    for index, entry in enumerate(content["comments"]):
        author = residents[index % len(residents)]
        comment = _write(sections[entry["section"]], author, entry)
        made[entry["key"]] = comment
        for offset, reply in enumerate(entry.get("replies", []), start=1):
            other = residents[(index + 7 * offset) % len(residents)]
            _write(comment.section, other, reply, parent=comment)
        others = [user for user in residents if user != author]
        Support.objects.bulk_create(
            Support(comment=comment, user=user)
            for user in rng.sample(others, min(entry.get("supports", 0), len(others)))
        )
    return made


def _responses(process: Process, content: list, comments: dict, staff: User) -> None:
    for entry in content:
        response = Response.objects.create(
            process=process,
            text=entry["text"],
            written_by=staff,
            published_at=min(_at(-entry["days_ago"], 15), timezone.now()),
        )
        Comment.objects.filter(pk__in=[comments[key].pk for key in entry["comments"]]).update(
            response=response
        )


def _hidden(content: list, sections: dict[str, Section], staff: User) -> None:
    residents = _residents()
    for index, entry in enumerate(content):
        comment = _write(sections[entry["section"]], residents[-1 - index], entry)
        comment.hidden_at = min(_at(-entry["days_ago"] + 1, 11), timezone.now())
        comment.hidden_reason = entry["reason"]
        comment.hidden_by = staff
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        Report.objects.create(
            comment=comment,
            reporter=residents[index],
            reason=Report.Reason.ADVERTISING,
            created_at=comment.created_at + timedelta(hours=2),
            decision=Report.Decision.HIDDEN,
            decided_at=comment.hidden_at,
            decided_by=staff,
        )


SURVEY = {
    "pages": [
        {
            "title": "Ihre Erfahrungen",
            "fields": [
                {
                    "key": "online",
                    "type": "choice",
                    "label": "Wie oft erledigen Sie Dinge mit der Stadt über das Internet?",
                    "required": True,
                    "options": [
                        ["nie", "nie"],
                        ["selten", "selten"],
                        ["manchmal", "manchmal"],
                        ["oft", "oft"],
                    ],
                },
                {
                    "key": "zuerst",
                    "type": "multichoice",
                    "label": "Was soll die Stadt zuerst verbessern?",
                    "help": "Sie können mehreres wählen.",
                    "options": [
                        ["termine", "Termine online buchen"],
                        ["antraege", "Anträge ohne Papier"],
                        ["wlan", "Freies WLAN"],
                        ["sprache", "Leichte Sprache und Vorlesen"],
                        ["daten", "Offene Daten"],
                    ],
                },
                {
                    "key": "hilfe",
                    "type": "yesno",
                    "label": "Hätten Sie gern Hilfe vor Ort, zum Beispiel in der Bücherei?",
                },
                {
                    "key": "anregung",
                    "type": "textarea",
                    "label": "Was möchten Sie uns noch sagen?",
                    "max_length": 1000,
                },
            ],
        }
    ]
}
NOTES = [
    "Bitte die Formulare auch auf dem Handy gut lesbar machen.",
    "Die Terminbuchung im Bürgerbüro hat bei mir gut geklappt.",
    "Mehr Sprechstunden für ältere Menschen in den Stadtteilen.",
]


def _survey(process: Process, rng: random.Random) -> None:
    """A short questionnaire in the discussion phase, answered by the demo residents."""
    phase = process.phases.get(kind=Phase.Kind.DISCUSSION)
    survey = Survey.objects.create(
        process=process,
        phase=phase,
        title="Kurzumfrage: Wie digital ist Ihr Alltag mit der Stadt?",
        introduction=(
            "Vier Fragen, zwei Minuten. Die Antworten helfen, die Strategie auf das "
            "auszurichten, was Ihnen wichtig ist."
        ),
        schema=SURVEY,
    )
    options = [option for option, _label in SURVEY["pages"][0]["fields"][1]["options"]]
    for index, user in enumerate(_residents()[:30]):
        SurveyParticipation.objects.create(survey=survey, user=user)
        values = {
            "online": rng.choice(["nie", "selten", "manchmal", "manchmal", "oft", "oft"]),
            "zuerst": sorted(rng.sample(options, rng.randint(1, 3))),
            "hilfe": rng.choice(["ja", "nein", "nein"]),
            "anregung": NOTES[index] if index < len(NOTES) else "",
        }
        SurveyAnswer.objects.create(survey=survey, values=values)


# The 2027 participatory budget: ideas are collected now, checked, voted on in spring.
IDEA_SPANS = {
    "information": (-45, -30),
    "proposals": (-30, 30),
    "discussion": (30, 60),
    "voting": (120, 140),
    "results": (140, 170),
    "implementation": (170, None),
}
IDEA_PHASES = [
    {"kind": "information", "title": "Information", "description": ""},
    {"kind": "proposals", "title": "Ideen sammeln und unterstützen", "description": ""},
    {"kind": "discussion", "title": "Prüfung durch die Verwaltung", "description": ""},
    {"kind": "voting", "title": "Abstimmung in den Stadtbezirken", "description": ""},
    {"kind": "results", "title": "Ergebnisse", "description": ""},
    {"kind": "implementation", "title": "Umsetzung", "description": ""},
]


def _proposals(content: dict, office: Office, staff: User) -> Process:
    """The 2027 round of the participatory budget, collecting ideas now, in several states."""
    current = content["current"]
    fields = {
        key: current[key] for key in ("slug", "title", "summary", "description", "easy_language")
    }
    process = _process(
        {"process": fields, "phases": IDEA_PHASES}, office, IDEA_SPANS, paper="Beteiligungshaushalt"
    )
    categories = {
        name: Category.objects.create(process=process, name=name) for name in content["categories"]
    }
    districts = {d.number: d for d in District.objects.all()}
    residents = _residents()
    rng = random.Random(2027)  # noqa: S311 -- demo
    for index, entry in enumerate(current["proposals"]):
        author = residents[(index * 3) % len(residents)]
        written = _at(-entry["days_ago"], 8 + index % 10)
        proposal = _proposal(
            process,
            author,
            entry,
            written,
            district=districts.get(entry["district"]),
            category=categories[entry["category"]],
            status=entry["status"],
        )
        for step in entry["history"]:
            StatusChange.objects.create(
                proposal=proposal,
                status=step["status"],
                reason=step["reason"],
                changed_by=staff,
                changed_at=min(_at(-step["days_ago"], 14), timezone.now()),
            )
        others = [user for user in residents if user != author]
        supporters = rng.sample(others, min(entry["supports"], len(others)))
        ProposalSupport.objects.bulk_create(
            ProposalSupport(proposal=proposal, user=user) for user in supporters
        )
        if len(supporters) >= process.support_threshold:
            proposal.threshold_reached_at = written + timedelta(days=1)
            proposal.save(update_fields=["threshold_reached_at"])
    return process


def _proposal(
    process: Process, author: User, entry: dict, written: datetime, **fields: Any
) -> Proposal:
    """A demo resident's proposal as submitted (its later statuses are added by the caller)."""
    participant, _created = Participant.objects.get_or_create(
        user=author, defaults={"public_name": entry["public_name"]}
    )
    proposal = Proposal.objects.create(
        process=process,
        author=participant,
        public_name=entry["public_name"],
        title=entry["title"],
        text=entry["text"],
        location=entry.get("location", ""),
        cost=entry.get("cost"),
        created_at=written,
        **fields,
    )
    StatusChange.objects.create(proposal=proposal, status="submitted", changed_at=written)
    return proposal


# Last year's budget of Stadtbezirk 3: everything behind us, the projects being carried out.
FINISHED_SPANS = {
    "information": (-240, -210),
    "proposals": (-210, -150),
    "discussion": (-150, -90),
    "voting": (-60, -32),
    "results": (-32, -20),
    "implementation": (-20, None),
}
VOTERS = 320  # simulated ballots: most online, the last PAPER_BALLOTS on paper
PAPER_BALLOTS = 40
# Where the simulated voters live; a voter likes projects of their own part of the district
# (and those for everyone) much more than those of other parts.
GROUPS = (("bilk", 0.45), ("oberbilk", 0.35), ("hafen", 0.20))


def _finished_vote(content: dict, office: Office, staff: User) -> Budget:
    finished = content["finished"]
    fields = {
        key: finished[key] for key in ("slug", "title", "summary", "description", "easy_language")
    }
    district = District.objects.get(number=finished["district"])
    process = _process(
        {"process": {**fields, "district": district}, "phases": IDEA_PHASES},
        office,
        FINISHED_SPANS,
        paper="Beteiligungshaushalt",
    )
    categories = {
        name: Category.objects.create(process=process, name=name) for name in content["categories"]
    }
    budget = Budget.objects.create(
        process=process,
        title=f"Bürgerbudget {district.name}",
        district=district,
        amount=finished["budget"],
        rule=Budget.Rule.EQUAL_SHARES,
        district_check=True,
    )
    residents = _residents()
    projects = []
    for number, entry in enumerate(finished["projects"], start=1):
        proposal = _proposal(
            process,
            residents[(number * 5) % len(residents)],
            entry,
            _at(-200 + number, 9 + number % 8),
            district=district,
            category=categories[entry["category"]],
            status=Proposal.Status.ACCEPTED,
        )
        StatusChange.objects.create(
            proposal=proposal,
            status="accepted",
            reason="Geprüft: umsetzbar im Stadtbezirk; zur Abstimmung zugelassen.",
            changed_by=staff,
            changed_at=_at(-95, 14),
        )
        projects.append(
            Project.objects.create(
                budget=budget, proposal=proposal, number=number, cost=entry["cost"]
            )
        )
    _ballots(budget, projects, finished["projects"], staff, random.Random(2026))  # noqa: S311
    budgets.count(budget, by=staff, now=_at(-31, 11))
    return budget


def _ballots(
    budget: Budget, projects: list[Project], entries: list[dict], staff: User, rng: random.Random
) -> None:
    """Simulated voters: each likes projects by their popularity, much more those of their own
    part of the district, and picks what fits into the budget, favourites first."""
    voters = User.objects.bulk_create(
        User(
            email=f"abstimmung-{n:03d}@demo.duesseldorf.invalid",
            full_name=f"Demo-Abstimmende {n:03d}",
        )
        for n in range(1, VOTERS - PAPER_BALLOTS + 1)
    )
    quarters = list(budget.district.quarters.all())
    votes, choices = [], []
    for index in range(VOTERS):
        home = rng.choices([g for g, _w in GROUPS], weights=[w for _g, w in GROUPS])[0]
        liked = []
        for project, entry in zip(projects, entries, strict=True):
            near = entry["group"] in (home, "citywide")
            if rng.random() < entry["popularity"] / 10 * (0.9 if near else 0.15):
                liked.append((rng.random() * entry["popularity"], project))
        picked, spent = [], 0
        for _score, project in sorted(liked, key=lambda pair: -pair[0]):
            if spent + project.cost <= budget.amount:
                picked.append(project)
                spent += project.cost
        if not picked:
            continue
        online = index < len(voters)
        votes.append(
            Vote(
                process=budget.process,
                budget=budget,
                user=voters[index] if online else None,
                identity=""
                if online
                else budgets.identity(budget.process, "Demo", f"Papier {index}", _at(-9000).date()),
                quarter=rng.choice(quarters),
                channel="online" if online else "paper",
                entered_by=None if online else staff,
                cast_at=_at(-60 + index * 28 // VOTERS, 8 + index % 12),
            )
        )
        ballot = Ballot(budget=budget)
        choices.append((ballot, picked))
    Vote.objects.bulk_create(votes)
    ballots = Ballot.objects.bulk_create([ballot for ballot, _picked in choices])
    Choice.objects.bulk_create(
        Choice(ballot=ballot, project=project)
        for ballot, (_same, picked) in zip(ballots, choices, strict=True)
        for project in picked
    )
