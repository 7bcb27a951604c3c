"""The youth office and the providers' staff (/verwaltung/kita/).

Planners (``kita.allocate``) see the period, run a round and read its figures and every
daycare's cut-offs. Provider staff (``kita.manage`` and a membership) see their own
daycares only: places, cut-offs and the children offered or placed there; another
provider's daycare is a 404 like one that does not exist. Every list of children goes to
the families' access log.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts import policy
from rathaus.accounts.services.access_log import log_accesses
from rathaus.core.http import private

from ..models import Daycare, FairnessReport, Outcome, Period, Registration, Round, UnitResult
from ..services import explanations, fairness, registrations, rounds
from ..services.finder import places_by_daycare

__all__ = ["daycare", "fairness_report", "home", "round_detail", "run_round"]

MANAGE, ALLOCATE, ASSIST = "kita.manage", "kita.allocate", "kita.assist"


def _provider_ids(user) -> frozenset[int]:
    return policy.scope_ids(user, MANAGE, "kita_provider")


def kita_staff(view: Callable) -> Callable:
    """Planners, the youth office's counter staff and provider staff; others go to the
    staff sign-in or get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_staff:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:staff_signin')}?{query}")
        if not (_provider_ids(user) or policy.can(user, ALLOCATE) or policy.can(user, ASSIST)):
            raise PermissionDenied(MANAGE)
        return private(view(request, *args, **kwargs))

    return wrapped


def _visible_daycares(user):
    if policy.can(user, ALLOCATE):
        return Daycare.objects.all()
    return Daycare.objects.filter(provider_id__in=_provider_ids(user))


def _period(slug: str) -> Period:
    return get_object_or_404(Period, slug=slug)


def _counts(period: Period) -> list[tuple[str, int]]:
    counts = dict(
        Registration.objects.filter(period=period)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in Registration.Status.choices]


@kita_staff
def home(request: HttpRequest) -> HttpResponse:
    planner = policy.can(request.user, ALLOCATE)
    periods = []
    if planner:
        periods = [
            {
                "period": period,
                "statuses": _counts(period),
                "rounds": list(period.rounds.all()),
                "blocked": rounds.can_run(period),
            }
            for period in Period.objects.order_by("-start")[:4]
        ]
    return render(
        request,
        "kita/staff/home.html",
        {
            "planner": planner,
            "assists": policy.can(request.user, ASSIST),
            "periods": periods,
            "daycares": _visible_daycares(request.user).order_by("name")
            if _provider_ids(request.user) and not planner
            else None,
        },
    )


@kita_staff
@require_POST
def run_round(request: HttpRequest, period: str) -> HttpResponse:
    policy.require(request.user, ALLOCATE)
    found = _period(period)
    try:
        done = rounds.run(found, by=request.user)
    except rounds.RoundRefused as refused:
        messages.error(request, str(refused))
        return redirect("kita:staff_home")
    messages.success(
        request,
        _(
            "Runde %(number)d ist gelaufen: %(offered)d von %(children)d Kindern bekommen ein "
            "Platzangebot."
        )
        % {"number": done.number, "offered": done.offered, "children": done.children},
    )
    return redirect("kita:staff_round", period=found.slug, number=done.number)


def _round(period: str, number: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("period", "run_by"), period__slug=period, number=number
    )


@kita_staff
def round_detail(request: HttpRequest, period: str, number: int) -> HttpResponse:
    policy.require(request.user, ALLOCATE)
    found = _round(period, number)
    by_status = dict(
        found.outcomes.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_wish = dict(
        found.outcomes.exclude(wish_rank=None)
        .values_list("wish_rank")
        .annotate(n=Count("pk"))
        .values_list("wish_rank", "n")
    )
    report = FairnessReport.objects.filter(round=found).first()
    return render(
        request,
        "kita/staff/round.html",
        {
            "round": found,
            "statuses": [
                (label, by_status.get(value, 0)) for value, label in Outcome.Status.choices
            ],
            "by_wish": sorted(by_wish.items()),
            "full_units": found.units.exclude(cutoff={}).count(),
            "report": report,
        },
    )


def fairness_report(request: HttpRequest, period: str, number: int) -> HttpResponse:
    """The audit of one round: for the data steward and the youth office's planners."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:staff_signin')}?{query}")
    if not (policy.can(user, "data.steward") or policy.can(user, ALLOCATE)):
        raise PermissionDenied("data.steward")
    found = _round(period, number)
    report = get_object_or_404(FairnessReport, round=found)
    return private(
        render(
            request,
            "kita/staff/fairness.html",
            {
                "round": found,
                "report": report,
                "attributes": fairness.labelled(report.figures),
                "threshold_points": round(report.threshold * 100, 1),
            },
        )
    )


def _latest_period(request: HttpRequest) -> Period | None:
    if slug := request.GET.get("verfahren"):
        return Period.objects.filter(slug=slug[:60]).first()
    with_round = Round.objects.order_by("-run_at").select_related("period").first()
    return with_round.period if with_round else registrations.current_period()


@kita_staff
def daycare(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(_visible_daycares(request.user), slug=slug)
    period = _latest_period(request)
    latest = period.rounds.order_by("-number").first() if period else None
    units = list(UnitResult.objects.filter(round=latest, daycare=found) if latest else [])
    children = list(
        Outcome.objects.filter(
            daycare=found,
            round__period=period,
            status__in=(Outcome.Status.OFFERED, Outcome.Status.ACCEPTED),
        )
        .select_related("registration", "round")
        .order_by("group_form", "hours", "pk")
    )
    log_accesses(
        request.user,
        [
            (o.registration.public_id, "kita.Registration", o.registration.public_id)
            for o in children
        ],
        purpose=_("Zugeteilte Kinder einer Kita"),
    )
    return render(
        request,
        "kita/staff/daycare.html",
        {
            "daycare": found,
            "period": period,
            "periods": Period.objects.order_by("-start")[:4],
            "round": latest,
            "places": places_by_daycare(period, [found.pk]).get(found.pk, []),
            "units": explanations.cutoffs(units),
            "children": children,
        },
    )
