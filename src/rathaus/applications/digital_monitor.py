"""What the applications report to the progress monitor: applications online or on paper,
their processing times, and Bescheide delivered to the account or by post.

Registered from ``ApplicationsConfig.ready``. A Bescheid counts as delivered digitally when
the case has an account: the PDF lies in "Meine Anträge" and the person gets an e-mail; a
case entered from paper without an account gets its Bescheid by post.
"""

import statistics
from collections import defaultdict
from datetime import date, datetime

from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.core.channels import Channel
from rathaus.monitor import Tally, TallyRow, monthly, register_tally

from .models import Application, Decision

__all__ = ["APPLICATIONS", "DECISIONS", "application_counts", "decision_counts", "durations"]


def application_counts(since: datetime) -> list[TallyRow]:
    submitted = Application.objects.filter(submitted_at__gte=since)
    return monthly(submitted, "submitted_at", service="service__slug", channel="channel")


def durations(since: datetime) -> list[tuple[date, float, int]]:
    """Median days from submission to decision, per month of the decision."""
    days: dict[date, list[float]] = defaultdict(list)
    cases = Application.objects.filter(
        decided_at__gte=since, submitted_at__isnull=False
    ).values_list("submitted_at", "decided_at")
    for submitted, decided in cases.iterator():
        month = timezone.localdate(decided).replace(day=1)
        days[month].append((decided - submitted).total_seconds() / 86400)
    return [(month, statistics.median(values), len(values)) for month, values in days.items()]


def decision_counts(since: datetime) -> list[TallyRow]:
    decisions = Decision.objects.filter(decided_at__gte=since).annotate(
        delivery=Case(
            When(application__applicant__isnull=False, then=Value(Channel.ONLINE.value)),
            default=Value(Channel.PAPER.value),
            output_field=CharField(),
        )
    )
    return monthly(
        decisions, "decided_at", service="application__service__slug", channel="delivery"
    )


APPLICATIONS = register_tally(
    Tally(
        key="antraege",
        title=_("Anträge online gestellt"),
        description=_(
            "Anteil der eingereichten Anträge, die online gestellt wurden; die übrigen kamen "
            "auf Papier oder wurden am Schalter für die Person erfasst."
        ),
        counts=application_counts,
        open_data="antraege-bearbeitungsdauer",
        durations=durations,
        position=20,
    )
)
DECISIONS = register_tally(
    Tally(
        key="bescheide",
        title=_("Bescheide digital zugestellt"),
        description=_(
            "Anteil der Bescheide, die im Konto bereitlagen und per E-Mail angekündigt "
            "wurden; die übrigen gingen per Post."
        ),
        counts=decision_counts,
        position=30,
    )
)
