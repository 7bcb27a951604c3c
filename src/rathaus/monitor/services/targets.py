"""What staff change in the monitor: the committee's targets and the paper assumptions.
Both are public (the monitor and the green-IT account show them), so every change is in
the audit trail with who made it."""

from django.db import transaction

from rathaus.core import audit

from ..models import PaperAssumption, Target

__all__ = ["save_assumption", "set_target"]


def set_target(target: Target, *, by) -> Target:
    with transaction.atomic():
        target.updated_by = by
        target.save()
        audit.record(
            "rathaus.monitor.target.set",
            actor=by,
            target=target,
            data={"figure": target.figure, "value": str(target.value), "year": target.year},
        )
    return target


def save_assumption(assumption: PaperAssumption, *, by) -> PaperAssumption:
    with transaction.atomic():
        assumption.save()
        audit.record(
            "rathaus.monitor.assumption.saved",
            actor=by,
            target=assumption,
            data={
                "tally": assumption.tally,
                "service": assumption.service,
                "sheets": assumption.sheets,
                "letters": assumption.letters,
            },
        )
    return assumption
