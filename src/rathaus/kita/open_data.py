"""Open data of the Kita registration: the allocation in figures, and the daycare directory.

Two data sets, registered from ``KitaConfig.ready``; the opendata module builds them every
day. The allocation figures come from the hook ``services.figures.allocation_figures`` and
are published per procedure once its registration deadline has passed (before it the counts
change with every registration). Their shape is fixed, whatever the number of rounds: rounds
1 to ``NAMED_ROUNDS`` have a column each, later rounds are added up in one.

The directory lists Kindertageseinrichtungen only: a childminder (Kindertagespflege) works
in her own home, and her name and address are a person's, not an institution's.
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from rathaus.offices.models import District
from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import Daycare, GroupForm, Period, Places, Provider
from .services import figures, registrations

__all__ = ["NAMED_ROUNDS", "allocation_rows", "daycare_rows"]

NAMED_ROUNDS = 3
PUBLISHER = "Jugendamt"
# .example is reserved for examples (RFC 2606): the city enters its real address.
PUBLISHER_EMAIL = "opendata-jugendamt@duesseldorf.example"
OFFER_COLUMNS = [f"angebote_runde_{n}" for n in range(1, NAMED_ROUNDS + 1)]
LATER_ROUNDS = "angebote_spaetere_runden"


def allocation_rows(now: datetime | None = None) -> list[dict]:
    """Per procedure (deadline passed), Stadtbezirk and age group: free places, registrations
    and the children offered a place in each round (raw counts)."""
    now = now or timezone.now()
    names = dict(District.objects.values_list("number", "name"))
    rows = []
    periods = Period.objects.filter(registration_closes__lte=now).order_by("start", "pk")
    for period in periods:
        for figure in figures.allocation_figures(period):
            offers = defaultdict(int)
            for name, value in figure.items():
                if name.startswith("offers_round_"):
                    number = int(name.removeprefix("offers_round_"))
                    column = LATER_ROUNDS if number > NAMED_ROUNDS else f"angebote_runde_{number}"
                    offers[column] += value
            rows.append(
                {
                    "vergabeverfahren": period.name,
                    "kita_jahr_beginn": period.start,
                    "stadtbezirk": names[figure["district"]],
                    "stadtbezirk_nr": figure["district"],
                    "altersgruppe": figure["age_group"],
                    "freie_plaetze": figure["places"],
                    "anmeldungen": figure["registrations"],
                    **{column: offers[column] for column in [*OFFER_COLUMNS, LATER_ROUNDS]},
                }
            )
    return rows


def _hours(daycare: Daycare) -> str:
    return f"{daycare.opens_at:%H:%M}–{daycare.closes_at:%H:%M}"


def daycare_rows() -> list[dict]:
    """Every Kita with its provider, address, hours, profile and the free places of the
    current procedure. Coordinates are the Kita's own, else the middle of its Stadtteil –
    the column ``lage`` says which."""
    period = registrations.current_period()
    places: dict[int, dict[str, int]] = defaultdict(dict)
    if period is not None:
        for daycare_id, form, count in (
            Places.objects.filter(period=period, places__gt=0)
            .values("daycare_id", "group_form")
            .annotate(count=Sum("places"))
            .values_list("daycare_id", "group_form", "count")
        ):
            places[daycare_id][form] = count
    kinds = dict(Provider.Kind.choices)
    base = settings.RATHAUS["PUBLIC_URL"]
    rows = []
    for daycare in (
        Daycare.objects.filter(kind=Daycare.Kind.KITA)
        .select_related("provider", "district", "quarter")
        .order_by("slug")
        .iterator(chunk_size=2000)
    ):
        own = daycare.latitude is not None and daycare.longitude is not None
        quarter = daycare.quarter
        middle = quarter is not None and None not in (quarter.latitude, quarter.longitude)
        offered = places.get(daycare.pk, {})
        rows.append(
            {
                "kennung": daycare.slug,
                "name": daycare.name,
                "traeger": daycare.provider.name,
                "traeger_art": str(kinds.get(daycare.provider.kind, daycare.provider.kind)),
                "strasse": daycare.street,
                "postleitzahl": daycare.postcode,
                "stadtteil": quarter.name if quarter else None,
                "stadtbezirk": daycare.district.name,
                "stadtbezirk_nr": daycare.district.number,
                "oeffnungszeiten": _hours(daycare),
                "gruppenformen": "; ".join(
                    str(GroupForm(form).label) for form in GroupForm.values if form in offered
                )
                or None,
                "freie_plaetze": sum(offered.values()) if period is not None else None,
                "vergabeverfahren": period.name if period is not None else None,
                "inklusionsplaetze": daycare.inclusion_places,
                "sprachen": daycare.languages or None,
                "paedagogisches_konzept": daycare.pedagogy or None,
                "breitengrad": daycare.latitude if own else quarter.latitude if middle else None,
                "laengengrad": daycare.longitude if own else quarter.longitude if middle else None,
                "lage": "Adresse" if own else "Mitte des Stadtteils" if middle else None,
                "internetseite": base + reverse("kita:daycare", args=[daycare.slug]),
            }
        )
    return rows


def _offers(name: str, title: str, description: str) -> Column:
    return Column(name, "integer", title, description, "Kinder")


DISTRICT = Column("stadtbezirk", "string", "Stadtbezirk")
DISTRICT_NUMBER = Column("stadtbezirk_nr", "integer", "Nummer des Stadtbezirks")

ALLOCATION = register_pipeline(
    Pipeline(
        key="kita-platzvergabe",
        title="Kita-Platzvergabe: freie Plätze, Anmeldungen und Platzangebote nach "
        "Stadtbezirk und Altersgruppe",
        description=(
            "Für jedes Vergabeverfahren eines Kita-Jahres: wie viele freie Plätze die Kitas "
            "und die Kindertagespflege je Stadtbezirk und Altersgruppe angeboten haben, wie "
            "viele Kinder aus dem Stadtbezirk angemeldet wurden und wie vielen in jeder "
            "Vergaberunde ein Platz angeboten wurde, gezählt aus dem zentralen Anmeldeverfahren "
            "des Jugendamts (online, telefonisch, vor Ort und auf Papier). Ein Verfahren "
            "erscheint, sobald seine Anmeldefrist abgelaufen ist. "
            "Kleine Fallzahlen werden geschützt (siehe Hinweise zur Version)."
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            Column("vergabeverfahren", "string", "Vergabeverfahren", "z. B. Kita-Jahr 2027/28."),
            Column("kita_jahr_beginn", "date", "Beginn des Kita-Jahres"),
            DISTRICT,
            DISTRICT_NUMBER,
            Column(
                "altersgruppe",
                "string",
                "Altersgruppe",
                "Nach den Gruppenformen des KiBiz: unter 3 Jahre (II), 3 Jahre bis "
                "Schuleintritt (III), gemischt (I, nur Plätze: jedes Kind zählt in seiner "
                "Altersgruppe II oder III).",
            ),
            Column(
                "freie_plaetze",
                "integer",
                "Freie Plätze",
                "Im Verfahren angebotene freie Plätze der Einrichtungen im Stadtbezirk.",
                "Plätze",
            ),
            Column(
                "anmeldungen",
                "integer",
                "Anmeldungen",
                "Angemeldete Kinder mit Wohnsitz im Stadtbezirk (ohne zurückgezogene).",
                "Kinder",
            ),
            *(
                _offers(
                    column,
                    f"Platzangebote Runde {number}",
                    f"Kinder, denen in der {number}. Vergaberunde ein Platz angeboten wurde.",
                )
                for number, column in enumerate(OFFER_COLUMNS, start=1)
            ),
            _offers(
                LATER_ROUNDS,
                "Platzangebote spätere Runden",
                f"Platzangebote in der {NAMED_ROUNDS + 1}. und jeder weiteren Vergaberunde, "
                "zusammengezählt.",
            ),
        ),
        rows=allocation_rows,
        dimensions=("vergabeverfahren", "stadtbezirk", "altersgruppe"),
        measures=("anmeldungen", *OFFER_COLUMNS, LATER_ROUNDS),
        themes=("EDUC", "SOCI"),
        keywords=("Kita", "Kindertagesbetreuung", "Platzvergabe", "Anmeldung", "Stadtbezirke"),
        frequency="ANNUAL",
        disclosure="suppression",
    )
)

DIRECTORY = register_pipeline(
    Pipeline(
        key="kitas",
        title="Kindertageseinrichtungen (Kitas) in Düsseldorf",
        description=(
            "Alle Kitas im zentralen Anmeldeverfahren des Jugendamts mit Träger, Anschrift, "
            "Stadtteil und Stadtbezirk, Öffnungszeit, Sprachen, pädagogischem Konzept, "
            "Inklusionsplätzen und den freien Plätzen im laufenden Vergabeverfahren. Die "
            "Kindertagespflege fehlt, weil "
            "Tagespflegepersonen in ihrer eigenen Wohnung betreuen. Die Tabelle enthält keine "
            "Angaben über Kinder oder Familien."
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            Column("kennung", "string", "Kennung", "Kurzname der Kita in der Adresse."),
            Column("name", "string", "Name"),
            Column("traeger", "string", "Träger"),
            Column("traeger_art", "string", "Art des Trägers"),
            Column("strasse", "string", "Straße und Hausnummer"),
            Column("postleitzahl", "string", "Postleitzahl"),
            Column("stadtteil", "string", "Stadtteil"),
            DISTRICT,
            DISTRICT_NUMBER,
            Column("oeffnungszeiten", "string", "Öffnungszeit", "Von–bis (Uhrzeit)."),
            Column(
                "gruppenformen",
                "string",
                "Gruppenformen mit freien Plätzen",
                "Gruppenformen des KiBiz, in denen die Kita im laufenden Verfahren Plätze "
                "anbietet.",
            ),
            Column(
                "freie_plaetze",
                "integer",
                "Freie Plätze",
                "Freie Plätze im laufenden Vergabeverfahren.",
                "Plätze",
            ),
            Column("vergabeverfahren", "string", "Vergabeverfahren", "z. B. Kita-Jahr 2027/28."),
            Column("inklusionsplaetze", "integer", "Inklusionsplätze", unit="Plätze"),
            Column("sprachen", "string", "Sprachen im Alltag"),
            Column("paedagogisches_konzept", "string", "Pädagogisches Konzept"),
            Column(
                "breitengrad",
                "number",
                "Breitengrad",
                "WGS 84; wie genau, sagt die Spalte „lage“.",
                "Grad",
            ),
            Column(
                "laengengrad",
                "number",
                "Längengrad",
                "WGS 84; wie genau, sagt die Spalte „lage“.",
                "Grad",
            ),
            Column(
                "lage",
                "string",
                "Lage",
                "„Adresse“: die Koordinaten der Kita; „Mitte des Stadtteils“: nur die ungefähre "
                "Mitte ihres Stadtteils, weil die Kita noch keine eigenen Koordinaten hat.",
            ),
            Column("internetseite", "string", "Internetseite", "Die Seite der Kita im Portal."),
        ),
        rows=daycare_rows,
        public_columns={"strasse": "Anschriften der Kitas, keine Wohnanschriften"},
        dimensions=("kennung",),
        themes=("EDUC", "SOCI", "REGI"),
        keywords=("Kita", "Kindertagesstätte", "Kinderbetreuung", "Träger", "Verzeichnis"),
        frequency="IRREG",
        disclosure="none",
        coordinates=("breitengrad", "laengengrad"),
    )
)
