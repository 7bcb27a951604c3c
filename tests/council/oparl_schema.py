"""The OParl 1.1 schemas of the specification (copied into ``oparl/``, CC BY-SA 4.0, see
its ``SOURCES.md``) as JSON Schema, for checking every object the API gives out, as the
OParl validator does.

The specification writes its schemas in a JSON-Schema-like format: an object shown inside
another names its schema with ``"schema": "Location.json"``; ``references``,
``backreference`` and ``cardinality`` describe links. Here the first becomes a ``$ref``, the
others are dropped, and the formats ``url``, ``date`` and ``date-time`` are checked as the
specification defines them (a date-time with seconds and its offset)."""

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT7

SPEC = Path(__file__).with_name("oparl")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

checker = FormatChecker(formats=())


@checker.checks("url")
def _url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


@checker.checks("date")
def _date(value: object) -> bool:
    return isinstance(value, str) and bool(DATE.match(value)) and bool(date.fromisoformat(value))


@checker.checks("date-time")
def _date_time(value: object) -> bool:
    return (
        isinstance(value, str)
        and bool(DATE_TIME.match(value))
        and datetime.fromisoformat(value).tzinfo is not None
    )


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "object" and "schema" in node:
        return {"$ref": node["schema"]}
    dropped = {"schema", "references", "backreference", "cardinality", "description", "title"}
    converted = {key: _convert(value) for key, value in node.items() if key not in dropped}
    if "properties" in node:  # names of properties (one is called "description") stay
        converted["properties"] = {
            name: _convert(value) for name, value in node["properties"].items()
        }
    return converted


def _schemas() -> dict[str, dict]:
    return {
        path.name: _convert(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(SPEC.glob("*.json"))
    }


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources(
    (name, DRAFT7.create_resource(schema)) for name, schema in SCHEMAS.items()
)


def validator(type_name: str) -> Draft7Validator:
    return Draft7Validator(SCHEMAS[f"{type_name}.json"], registry=REGISTRY, format_checker=checker)


def properties(type_name: str) -> set[str]:
    """The properties the specification defines for ``type_name``."""
    return set(SCHEMAS[f"{type_name}.json"]["properties"])
