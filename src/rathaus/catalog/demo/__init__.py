"""Loads the Düsseldorf demo catalogue from the JSON files beside this module.

File format: docs/demo-data.md. Runs after the offices loader. ``scale`` N adds
N-1 copies of every service ("Personalausweis beantragen 2", slug
``personalausweis-beantragen-2``), each pointing at the matching copy of its
office, so benchmarks see a city N times the size.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rathaus.core.demo import copy_suffix, read_json, replace_children, upsert
from rathaus.offices.models import Office

from .. import search
from ..models import (
    LifeSituation,
    LifeSituationService,
    Service,
    ServiceChannel,
    SynonymGroup,
    Topic,
)

DATA = Path(__file__).resolve().parent


def read(name: str) -> Any:
    return read_json(DATA, name)


def load_topics() -> dict[str, Topic]:
    return upsert(
        Topic,
        "slug",
        [{k: t[k] for k in ("slug", "title", "description")} for t in read("topics.json")],
    )


def load_services(scale: int, topics: dict[str, Topic]) -> dict[str, Service]:
    data = read("services.json")
    office_slugs = {
        s["office"] + copy_suffix(copy)[0] for s in data for copy in range(1, scale + 1)
    }
    offices = Office.objects.in_bulk(office_slugs, field_name="slug")
    rows, channels = [], {}
    for copy in range(1, scale + 1):
        slug_suffix, title_suffix = copy_suffix(copy)
        for s in data:
            slug = s["slug"] + slug_suffix
            fee = s.get("fee_amount")
            rows.append(
                {
                    "slug": slug,
                    "leika": s["leika"],
                    "title": s["title"] + title_suffix,
                    "topic": topics.get(s.get("topic")),
                    "summary": s["summary"],
                    "description": s.get("description", ""),
                    "easy_language": s.get("easy_language", ""),
                    "audience": s.get("audience", ""),
                    "required_documents": "\n".join(s.get("required_documents", [])),
                    "fee_amount": Decimal(fee) if fee is not None else None,
                    "fee_note": s.get("fee_note", ""),
                    "processing_time": s.get("processing_time", ""),
                    "legal_basis": s.get("legal_basis", ""),
                    "office": offices[s["office"] + slug_suffix],
                    "keywords": "\n".join(s.get("keywords", [])),
                    "synonyms": "\n".join(s.get("synonyms", [])),
                    "last_reviewed": date.fromisoformat(s["last_reviewed"])
                    if s.get("last_reviewed")
                    else None,
                    "popularity": s.get("popularity", 0),
                    # Official requests online need the passkey step-up.
                    "requires_strong_auth": s.get(
                        "requires_strong_auth",
                        any(c["kind"] == "online" for c in s.get("channels", [])),
                    ),
                    "is_published": True,
                }
            )
            channels[slug] = s.get("channels", [])
    services = upsert(Service, "slug", rows)
    replace_children(
        ServiceChannel,
        "service",
        services.values(),
        lambda service: [
            ServiceChannel(
                service=service,
                kind=c["kind"],
                label=c.get("label", ""),
                url=c.get("url", ""),
                note=c.get("note", ""),
                position=position,
            )
            for position, c in enumerate(channels[service.slug])
        ],
    )
    return services


def load_life_situations(services: dict[str, Service]) -> None:
    data = read("life_situations.json")
    situations = upsert(
        LifeSituation,
        "slug",
        [
            {
                "slug": ls["slug"],
                "title": ls["title"],
                "description": ls.get("description", ""),
                "keywords": "\n".join(ls.get("keywords", [])),
                "position": position,
            }
            for position, ls in enumerate(data)
        ],
    )
    # Life situations link the original services; the copies exist for load, not for reading.
    members = {ls["slug"]: ls["services"] for ls in data}
    replace_children(
        LifeSituationService,
        "life_situation",
        situations.values(),
        lambda situation: [
            LifeSituationService(
                life_situation=situation, service=services[slug], position=position
            )
            for position, slug in enumerate(members[situation.slug])
            if slug in services
        ],
    )


def load_synonyms() -> None:
    wanted = [", ".join(group) for group in read("synonyms.json")]
    existing = set(SynonymGroup.objects.values_list("terms", flat=True))
    SynonymGroup.objects.bulk_create([SynonymGroup(terms=t) for t in wanted if t not in existing])


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    topics = load_topics()
    services = load_services(scale, topics)
    load_life_situations(services)
    load_synonyms()
    search.reindex(services.values())
    log(f"Leistungskatalog: {len(services)} Leistungen, {len(topics)} Themen.")
