"""The case history: every change of status, assignment, note, question and decision."""

from typing import Any

from ..models import Application, Event


def record(
    application: Application,
    kind: str,
    *,
    by: Any = None,
    text: str = "",
    from_status: str = "",
    to_status: str = "",
) -> Event:
    label = getattr(by, "audit_label", "") if by is not None else "System"
    return Event.objects.create(
        application=application,
        kind=kind,
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_label=label or "System",
        text=text,
        from_status=from_status,
        to_status=to_status,
    )
