"""OParl 1.1: the council's records as the standard's JSON objects.

Each object type has one function that turns a record into its OParl object. Ids are the
object's canonical URL on the city's configured address (``PUBLIC_URL``), never on the Host
a request sent, so every client sees the same id for the same record. Values that are
empty are left out (the standard asks not to send ``null``, ``""`` or ``[]`` for optional
properties); a withdrawn record keeps only ``id``, ``type``, ``created``, ``modified`` and
``deleted``. Objects shown inside another (``internal`` in the standard) never include
withdrawn ones.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from rathaus.core.http import public_url

from .models import (
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
    Record,
)

__all__ = ["KINDS", "LISTS", "Kind", "as_object", "system", "url"]

SCHEMA = "https://schema.oparl.org/1.1/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def url(name: str, *args: Any) -> str:
    return public_url(reverse(f"council:{name}", args=args))


def _ref(record: Model | None) -> str | None:
    return None if record is None else url("oparl_object", KIND_OF[type(record)].path, record.pk)


def _refs(records: Iterable[Model]) -> list[str]:
    return [_ref(record) for record in records]  # type: ignore[misc]


def _when(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _live(records: Iterable[Record]) -> list[Record]:
    return [record for record in records if not record.deleted]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _base(record: Record, kind: "Kind") -> dict[str, Any]:
    return {
        "id": _ref(record),
        "type": SCHEMA + kind.type,
        "created": _when(record.created_at),
        "modified": _when(record.modified_at),
    }


def as_object(record: Record, *, internal: bool = True) -> dict[str, Any]:
    """The OParl object of ``record``; without the internal lists when ``internal`` is false
    (the standard's ``omit_internal``)."""
    kind = KIND_OF[type(record)]
    data = _base(record, kind)
    if record.deleted:
        return data | {"deleted": True}
    data |= kind.describe(record, internal)
    if kind.page is not None:
        data["web"] = public_url(reverse(f"council:{kind.page}", args=[record.pk]))
    data.setdefault("license", LICENSE)
    return _clean(data)


# --- One function per object type --------------------------------------------------------


def _location(location: Location, internal: bool) -> dict[str, Any]:
    geojson = None
    if location.latitude is not None and location.longitude is not None:
        geojson = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(location.longitude), float(location.latitude)],
            },
            "properties": {"name": location.description},
        }
    return {
        "description": location.description,
        "streetAddress": location.street_address,
        "room": location.room,
        "postalCode": location.postal_code,
        "subLocality": location.sub_locality,
        "locality": location.locality,
        "geojson": geojson,
    }


def _embedded_location(location: Location | None) -> dict[str, Any] | None:
    return None if location is None or location.deleted else as_object(location)


def _body(body: Body, internal: bool) -> dict[str, Any]:
    lists = {name: url("oparl_list", body.pk, path) for name, path in BODY_LISTS.items()}
    return {
        "system": url("oparl_system"),
        "name": body.name,
        "shortName": body.short_name,
        "ags": body.ags,
        "rgs": body.rgs,
        "website": body.website,
        "contactName": body.contact_name,
        "contactEmail": body.contact_email,
        "classification": body.classification,
        "license": body.license or LICENSE,
        **lists,
        # Required by the schema, so present even when the client asks to omit internals.
        "legislativeTerm": [as_object(term) for term in _live(body.terms.all())],
        "location": _embedded_location(body.location) if internal else None,
    }


def _term(term: LegislativeTerm, internal: bool) -> dict[str, Any]:
    return {
        "body": _ref(term.body),
        "name": term.name,
        "startDate": _day(term.start_date),
        "endDate": _day(term.end_date),
    }


def _organization(organization: Organization, internal: bool) -> dict[str, Any]:
    return {
        "body": _ref(organization.body),
        "name": organization.name,
        "shortName": organization.short_name,
        "organizationType": organization.organization_type,
        "classification": organization.classification,
        "membership": _refs(_live(organization.memberships.all())),
        "meeting": url("oparl_organization_meetings", organization.pk),
        "subOrganizationOf": _ref(organization.sub_organization_of),
        "startDate": _day(organization.start_date),
        "endDate": _day(organization.end_date),
        "website": organization.website,
        "location": _embedded_location(organization.location) if internal else None,
    }


def _membership(membership: Membership, internal: bool) -> dict[str, Any]:
    return {
        "person": _ref(membership.person),
        "organization": _ref(membership.organization),
        "role": membership.role,
        "votingRight": membership.voting_right,
        "startDate": _day(membership.start_date),
        "endDate": _day(membership.end_date),
        "onBehalfOf": _ref(membership.on_behalf_of),
    }


def _person(person: Person, internal: bool) -> dict[str, Any]:
    return {
        "body": _ref(person.body),
        "name": person.name,
        "familyName": person.family_name,
        "givenName": person.given_name,
        "formOfAddress": person.form_of_address,
        "title": person.titles,
        "status": person.statuses,
        "membership": [as_object(m) for m in _live(person.memberships.all())] if internal else None,
    }


def _file(file: File, internal: bool) -> dict[str, Any]:
    access = public_url(reverse("council:file", args=[file.pk, file.file_name]))
    download = public_url(reverse("council:file_download", args=[file.pk, file.file_name]))
    return {
        "name": file.name,
        "fileName": file.file_name,
        "mimeType": file.mime_type,
        "date": _day(file.date),
        "size": file.size or None,
        "sha512Checksum": file.sha512,
        "text": file.text,
        "accessUrl": access,
        "downloadUrl": download,
    }


def _files(files: Iterable[File]) -> list[dict[str, Any]]:
    return [as_object(file) for file in _live(files)]


def _embedded_file(file: File | None) -> dict[str, Any] | None:
    return None if file is None or file.deleted else as_object(file)


def _meeting(meeting: Meeting, internal: bool) -> dict[str, Any]:
    data = {
        "name": meeting.name,
        "meetingState": meeting.meeting_state,
        "cancelled": meeting.cancelled or None,
        "start": _when(meeting.start),
        "end": _when(meeting.end),
        "organization": _refs(meeting.organizations.all()),
        "participant": _refs(meeting.participants.all()),
        "invitation": _embedded_file(meeting.invitation),
        "resultsProtocol": _embedded_file(meeting.results_protocol),
        "verbatimProtocol": _embedded_file(meeting.verbatim_protocol),
    }
    if internal:
        data["location"] = _embedded_location(meeting.location)
        data["auxiliaryFile"] = _files(meeting.auxiliary_files.all())
        data["agendaItem"] = [as_object(item) for item in _live(meeting.agenda_items.all())]
    return data


def _agenda_item(item: AgendaItem, internal: bool) -> dict[str, Any]:
    data = {
        "meeting": _ref(item.meeting),
        "number": item.number,
        "order": item.order,
        "name": item.name,
        "public": item.public,
    }
    if not item.public:  # its name only: what was discussed behind closed doors stays there
        return data
    consultation = getattr(item, "consultation", None)
    return data | {
        "consultation": _ref(consultation) if consultation and not consultation.deleted else None,
        "result": item.result,
        "resolutionText": item.resolution_text,
        "resolutionFile": _embedded_file(item.resolution_file),
        "auxiliaryFile": _files(item.auxiliary_files.all()) if internal else None,
    }


def _paper(paper: Paper, internal: bool) -> dict[str, Any]:
    data = {
        "body": _ref(paper.body),
        "name": paper.name,
        "reference": paper.reference,
        "date": _day(paper.date),
        "paperType": paper.paper_type,
        "relatedPaper": _refs(paper.related_papers.all()),
        "superordinatedPaper": _refs(paper.superordinated_papers.all()),
        "subordinatedPaper": _refs(paper.subordinated_papers.all()),
        "mainFile": _embedded_file(paper.main_file),
        "originatorPerson": _refs(paper.originator_persons.all()),
        "originatorOrganization": _refs(paper.originator_organizations.all()),
        "underDirectionOf": _refs(paper.under_direction_of.all()),
        "consultation": [as_object(c) for c in _live(paper.consultations.all())],
    }
    if internal:
        data["auxiliaryFile"] = _files(paper.auxiliary_files.all())
        data["location"] = [as_object(place) for place in _live(paper.locations.all())]
    return data


def _consultation(consultation: Consultation, internal: bool) -> dict[str, Any]:
    return {
        "paper": _ref(consultation.paper),
        "agendaItem": _ref(consultation.agenda_item),
        "meeting": _ref(consultation.meeting),
        "organization": _refs(consultation.organizations.all()),
        "authoritative": consultation.authoritative,
        "role": consultation.role,
    }


# --- The types, their lists and how to read them in bulk --------------------------------------


@dataclass(frozen=True)
class Kind:
    model: type[Record]
    type: str  # OParl's type name
    path: str  # in our URLs: /oparl/v1/<path>/<id>/
    describe: Callable[[Any, bool], dict[str, Any]]
    related: tuple[str, ...] = ()  # select_related
    prefetch: tuple[Any, ...] = ()  # prefetch_related
    page: str | None = None  # the public page's URL name

    def rows(self) -> QuerySet:
        return (
            self.model.objects.select_related(*self.related)
            .prefetch_related(*self.prefetch)
            .order_by("pk")
        )


_MEETING_RELATED = ("invitation", "results_protocol", "verbatim_protocol", "location")

KINDS: dict[str, Kind] = {
    kind.path: kind
    for kind in [
        Kind(Body, "Body", "body", _body, ("location",), ("terms",)),
        Kind(LegislativeTerm, "LegislativeTerm", "legislativeterm", _term, ("body",)),
        Kind(
            Organization,
            "Organization",
            "organization",
            _organization,
            ("body", "location", "sub_organization_of"),
            ("memberships",),
            page="organization",
        ),
        Kind(Person, "Person", "person", _person, ("body",), ("memberships",)),
        Kind(Membership, "Membership", "membership", _membership, ("person", "organization")),
        Kind(
            Meeting,
            "Meeting",
            "meeting",
            _meeting,
            _MEETING_RELATED,
            (
                "organizations",
                "participants",
                "auxiliary_files",
                Prefetch(
                    "agenda_items",
                    AgendaItem.objects.select_related(
                        "meeting", "consultation", "resolution_file"
                    ).prefetch_related("auxiliary_files"),
                ),
            ),
            page="meeting",
        ),
        Kind(
            AgendaItem,
            "AgendaItem",
            "agendaitem",
            _agenda_item,
            ("meeting", "consultation", "resolution_file"),
            ("auxiliary_files",),
        ),
        Kind(
            Paper,
            "Paper",
            "paper",
            _paper,
            ("body", "main_file"),
            (
                "related_papers",
                "superordinated_papers",
                "subordinated_papers",
                "originator_persons",
                "originator_organizations",
                "under_direction_of",
                "auxiliary_files",
                "locations",
                Prefetch(
                    "consultations",
                    Consultation.objects.select_related(
                        "paper", "agenda_item", "meeting"
                    ).prefetch_related("organizations"),
                ),
            ),
            page="paper",
        ),
        Kind(
            Consultation,
            "Consultation",
            "consultation",
            _consultation,
            ("paper", "agenda_item", "meeting"),
            ("organizations",),
        ),
        Kind(File, "File", "file", _file),
        Kind(Location, "Location", "location", _location),
    ]
}
KIND_OF: dict[type, Kind] = {kind.model: kind for kind in KINDS.values()}

# The external lists of a body: the property in the Body object → the path of the list.
BODY_LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agendaitem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeterm",
    "membership": "membership",
}
LISTS = set(BODY_LISTS.values())


def system() -> dict[str, Any]:
    from django.conf import settings

    first = Body.objects.order_by("created_at").values_list("created_at", flat=True).first()
    last = Body.objects.order_by("-modified_at").values_list("modified_at", flat=True).first()
    return _clean(
        {
            "id": url("oparl_system"),
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "body": url("oparl_bodies"),
            "name": settings.RATHAUS["COUNCIL"]["SYSTEM_NAME"],
            "contactEmail": settings.RATHAUS["COUNCIL"]["CONTACT_EMAIL"],
            "contactName": settings.RATHAUS["COUNCIL"]["CONTACT_NAME"],
            "website": public_url(reverse("council:index")),
            "license": LICENSE,
            "web": public_url(reverse("council:index")),
            "created": _when(first),
            "modified": _when(last),
        }
    )
