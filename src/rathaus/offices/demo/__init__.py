"""Loads the Düsseldorf offices, Stadtbezirke and Stadtteile (``rathaus demo``).

Addresses, phone numbers and e-mail addresses are invented; every office is
marked ``is_demo``. ``scale`` N adds N-1 copies of every office
("Bürgerbüro Bilk 2", slug ``buergerbuero-bilk-2``).
"""

from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

from rathaus.core.demo import copy_suffix, read_json, replace_children, upsert

from ..models import District, Office, OpeningHours, Quarter

DATA = Path(__file__).resolve().parent


def read(name: str) -> Any:
    return read_json(DATA, name)


def load_districts() -> dict[int, District]:
    data = read("districts.json")
    districts = upsert(
        District, "number", [{"number": d["number"], "name": d["name"]} for d in data]
    )
    upsert(
        Quarter,
        "number",
        [
            {
                "number": q["number"],
                "name": q["name"],
                "district": districts[d["number"]],
                "latitude": q["latitude"],
                "longitude": q["longitude"],
            }
            for d in data
            for q in d["quarters"]
        ],
    )
    return districts


def load_offices(scale: int, districts: dict[int, District]) -> dict[str, Office]:
    data = read("offices.json")
    rows, hours = [], {}
    for copy in range(1, scale + 1):
        slug_suffix, title_suffix = copy_suffix(copy)
        for o in data:
            slug = o["slug"] + slug_suffix
            rows.append(
                {
                    "slug": slug,
                    "name": o["name"] + title_suffix,
                    "kind": o["kind"],
                    "description": o.get("description", ""),
                    "easy_language": o.get("easy_language", ""),
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
    offices = upsert(Office, "slug", rows)
    replace_children(
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


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    districts = load_districts()
    offices = load_offices(scale, districts)
    log(f"Dienststellen: {len(offices)} Dienststellen, {len(districts)} Stadtbezirke.")
