"""Running fairness audits: of an uploaded file (a data steward) or of decisions another
module hands over (the Kita allocation and the lotteries, automatically).

The decisions are read, audited and dropped; only the figures and the file's SHA-256 are
kept. An audit linked to a published record appears on the record's page.
"""

import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from rathaus.accounts import policy
from rathaus.core import audit as audit_trail
from rathaus.opendata.services.uploads import UploadError, read_table

from .. import fairness
from ..models import Audit, Record
from .records import EDIT

__all__ = ["audit_decisions", "audit_file", "audits_for", "latest_public", "visible_to"]

log = logging.getLogger(__name__)


def visible_to(user: Any) -> Any:
    """Audits of the offices ``user`` keeps register records for."""
    return Audit.objects.filter(office_id__in=policy.offices_for(user, EDIT)).select_related(
        "record", "office"
    )


def audits_for(record: Record) -> Any:
    return record.audits.order_by("-created_at", "-pk")


def latest_public(record: Record) -> Audit | None:
    return audits_for(record).first() if record.current_id else None


def audit_file(
    *,
    title: str,
    office: Any,
    record: Record | None,
    name: str,
    data: bytes,
    outcome: str,
    protected: list[str],
    label: str = "",
    score: str = "",
    min_cases: int = fairness.MIN_CASES,
    by: Any,
) -> Audit:
    """Audit the decisions in a CSV or XLSX file for ``office`` (``fairness.AuditError`` with
    a German message when the file or the columns do not fit)."""
    office_id = getattr(office, "pk", office)
    foreign_record = record is not None and record.office_id != office_id
    if not policy.can(by, EDIT, office_id) or foreign_record:
        raise PermissionDenied(EDIT)
    try:
        header, rows = read_table(name, data)
    except UploadError as error:
        raise fairness.AuditError(str(error)) from None
    decisions = fairness.decisions_from_table(
        header, rows, outcome=outcome, protected=protected, label=label, score=score
    )
    results = fairness.audit(decisions, min_cases=min_cases)
    with transaction.atomic():
        made = Audit.objects.create(
            title=title,
            office_id=office_id,
            record=record,
            source=Audit.Source.UPLOAD,
            file_name=name[:200],
            file_sha256=hashlib.sha256(data).hexdigest(),
            results=results,
            flagged=results["flagged"],
            created_by=by,
        )
        audit_trail.record(
            "rathaus.register.audit.made",
            actor=by,
            target=made,
            data={"rows": results["rows"], "flagged": results["flagged"]},
        )
    return made


def audit_decisions(
    record_slug: str, *, title: str, source: str, decisions: fairness.Decisions, note: str = ""
) -> Audit | None:
    """Audit decisions another module hands over (a Kita round, a lottery) in its own
    transaction and show the report on the register record ``record_slug``; ``None`` when
    the city keeps no such record. ``note`` says how to read the figures (German)."""
    record = Record.objects.select_related("office").filter(slug=record_slug).first()
    if record is None:
        log.info("no register record %s: decisions not audited", record_slug)
        return None
    results = fairness.audit(decisions) | {"note": note}
    made = Audit.objects.create(
        title=title[:200],
        office=record.office,
        record=record,
        source=source,
        results=results,
        flagged=results["flagged"],
    )
    audit_trail.record(
        "rathaus.register.audit.made",
        target=made,
        data={"rows": results["rows"], "flagged": results["flagged"], "source": source},
    )
    return made
