"""Loads the Düsseldorf demo catalogue from the JSON files beside this module (see SCHEMA.md).

Loading is idempotent: rows are matched by slug or number and updated. ``scale`` N
adds N-1 copies of every office and service ("Bürgerbüro Bilk 2", slug
``buergerbuero-bilk-2``) so benchmarks see a city of N times the size.
"""

import json
from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import models

from .. import search
from ..models import (
    District,
    LifeSituation,
    LifeSituationService,
    Office,
    OpeningHours,
    Quarter,
    Service,
    ServiceChannel,
    SynonymGroup,
    Topic,
)

DATA = Path(__file__).resolve().parent
M = TypeVar("M", bound=models.Model)


def read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _copy_suffix(copy: int) -> tuple[str, str]:
    """Slug and title suffix of the n-th copy; the original (copy 1) has none."""
    return ("", "") if copy == 1 else (f"-{copy}", f" {copy}")


def _upsert(model: type[M], key: str, rows: list[dict[str, Any]]) -> dict[Any, M]:
    """Create or update ``rows`` matched on ``key``; returns the objects by key."""
    keys = [row[key] for row in rows]
    existing = model.objects.in_bulk(keys, field_name=key)
    fresh = [model(**row) for row in rows if row[key] not in existing]
    changed = []
    for row in rows:
        if obj := existing.get(row[key]):
            for name, value in row.items():
                setattr(obj, name, value)
            changed.append(obj)
    model.objects.bulk_create(fresh, batch_size=500)
    fields = [name for name in rows[0] if name != key] if rows else []
    if changed and fields:
        model.objects.bulk_update(changed, fields, batch_size=500)
    return model.objects.in_bulk(keys, field_name=key)


def _replace_children(
    model: type[models.Model],
    parent_field: str,
    parents: Iterable[models.Model],
    build: Callable[[models.Model], list[models.Model]],
) -> None:
    parents = list(parents)
    model.objects.filter(**{f"{parent_field}__in": parents}).delete()
    model.objects.bulk_create([child for parent in parents for child in build(parent)], 1000)


def load_districts() -> dict[int, District]:
    data = read("districts.json")
    districts = _upsert(
        District, "number", [{"number": d["number"], "name": d["name"]} for d in data]
    )
    _upsert(
        Quarter,
        "number",
        [
            {"number": q["number"], "name": q["name"], "district": districts[d["number"]]}
            for d in data
            for q in d["quarters"]
        ],
    )
    return districts


def load_topics() -> dict[str, Topic]:
    return _upsert(
        Topic,
        "slug",
        [{k: t[k] for k in ("slug", "title", "description")} for t in read("topics.json")],
    )


def load_offices(scale: int, districts: dict[int, District]) -> dict[str, Office]:
    data = read("offices.json")
    rows, hours = [], {}
    for copy in range(1, scale + 1):
        slug_suffix, title_suffix = _copy_suffix(copy)
        for o in data:
            slug = o["slug"] + slug_suffix
            rows.append(
                {
                    "slug": slug,
                    "name": o["name"] + title_suffix,
                    "kind": o["kind"],
                    "description": o.get("description", ""),
                    "street": o["street"],
                    "postcode": o["postcode"],
                    "district": districts.get(o.get("district")),
                    "phone": o.get("phone", ""),
                    "email": o.get("email", ""),
                    "opening_hours_note": o.get("opening_hours_note", ""),
                    "accessibility": o.get("accessibility", ""),
                    "is_demo": True,
                }
            )
            hours[slug] = o.get("opening_hours", [])
    offices = _upsert(Office, "slug", rows)
    _replace_children(
        OpeningHours,
        "office",
        offices.values(),
        lambda office: [
            OpeningHours(
                office=office,
                weekday=h["weekday"],
                opens=time.fromisoformat(h["opens"]),
                closes=time.fromisoformat(h["closes"]),
            )
            for h in hours[office.slug]
        ],
    )
    return offices


def load_services(
    scale: int, offices: dict[str, Office], topics: dict[str, Topic]
) -> dict[str, Service]:
    data = read("services.json")
    rows, channels = [], {}
    for copy in range(1, scale + 1):
        slug_suffix, title_suffix = _copy_suffix(copy)
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
                    "is_published": True,
                }
            )
            channels[slug] = s.get("channels", [])
    services = _upsert(Service, "slug", rows)
    _replace_children(
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
    situations = _upsert(
        LifeSituation,
        "slug",
        [
            {
                "slug": ls["slug"],
                "title": ls["title"],
                "description": ls.get("description", ""),
                "position": position,
            }
            for position, ls in enumerate(data)
        ],
    )
    # Life situations link the original services; the copies exist for load, not for reading.
    members = {ls["slug"]: ls["services"] for ls in data}
    _replace_children(
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
    districts = load_districts()
    topics = load_topics()
    offices = load_offices(scale, districts)
    services = load_services(scale, offices, topics)
    load_life_situations(services)
    load_synonyms()
    search.reindex(services.values())
    log(
        f"Leistungskatalog: {len(services)} Leistungen, {len(offices)} Dienststellen, "
        f"{len(districts)} Stadtbezirke."
    )
