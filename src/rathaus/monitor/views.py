"""The monitor's pages: the public figures and the green-IT account; for staff the
committee's targets and the paper assumptions."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.core.forms import posted

from . import services
from .figures import all_tallies
from .forms import AssumptionForm, TargetForm
from .models import PaperAssumption, Target
from .services import green

__all__ = ["assumption", "green_account", "index", "staff", "target"]

EDIT = "monitor.edit"
MONTHS = 13  # a year back from the running month: the same month a year ago is the trend


def index(request: HttpRequest) -> HttpResponse:
    """Every figure with its current value, trend, target and monthly table."""
    return render(request, "monitor/index.html", {"figures": services.cached_figures(MONTHS)})


def green_account(request: HttpRequest) -> HttpResponse:
    """Paper and postage saved, and the energy the platform used, with the assumptions."""
    since = services.month_starts(MONTHS)[0]
    paper = green.paper(since)
    energy = green.energy(since)
    return render(
        request,
        "monitor/green.html",
        {
            "paper": paper,
            "energy": energy,
            "totals": green.totals(paper, energy),
            "request_types": green.request_types(since),
            "assumptions": _with_kinds(PaperAssumption.objects.all()),
            "config": settings.RATHAUS["GREEN_IT"],
            "since": since,
            "sqlite": settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        },
    )


def _with_kinds(assumptions) -> list[tuple[PaperAssumption, str]]:
    """Each assumption with the title of its kind of cases."""
    titles = {tally.key: tally.title for tally in all_tallies()}
    return [(entry, titles.get(entry.tally, entry.tally)) for entry in assumptions]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@policy.staff_required(EDIT)
def staff(request: HttpRequest) -> HttpResponse:
    """The figures with their targets, and the paper assumptions."""
    return _private(
        render(
            request,
            "monitor/staff/index.html",
            {
                "figures": services.figures(1),
                "assumptions": _with_kinds(PaperAssumption.objects.all()),
            },
        )
    )


@policy.staff_required(EDIT)
def target(request: HttpRequest, key: str) -> HttpResponse:
    """Set or change the committee's target for one figure."""
    figure = next((f for f in services.figures(1) if f.key == key), None)
    if figure is None:
        raise Http404(key)
    entry = Target.objects.filter(figure=key).first() or Target(figure=key)
    form = TargetForm(posted(request), instance=entry, share=figure.is_share)
    if form.is_bound and form.is_valid():
        entry = form.save(commit=False)
        services.set_target(entry, by=request.user)
        services.forget_figures(MONTHS)
        messages.success(request, _("Das Ziel ist gespeichert und öffentlich zu sehen."))
        return redirect("monitor:staff")
    return _private(render(request, "monitor/staff/target.html", {"form": form, "figure": figure}))


@policy.staff_required(EDIT)
def assumption(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new paper assumption or a change to one."""
    entry = get_object_or_404(PaperAssumption, pk=pk) if pk else PaperAssumption()
    form = AssumptionForm(posted(request), instance=entry)
    if form.is_bound and form.is_valid():
        services.save_assumption(form.save(commit=False), by=request.user)
        messages.success(request, _("Die Annahme ist gespeichert; das Konto rechnet damit."))
        return redirect("monitor:staff")
    return _private(
        render(
            request,
            "monitor/staff/assumption.html",
            {"form": form, "assumption": entry if entry.pk else None},
        )
    )
