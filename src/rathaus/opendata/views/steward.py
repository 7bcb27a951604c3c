"""The data stewards' pages: data sets and their metadata, uploads, held releases."""

from itertools import islice

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.core.forms import posted
from rathaus.core.http import private

from ..forms import ApprovalForm, DatasetForm, UploadForm
from ..models import FILE_FIELDS, Dataset, Release
from ..services import catalogue, releases, uploads
from ..tasks import build_pipelines

__all__ = ["create", "edit", "home", "review"]

STEWARD = "data.steward"


@policy.staff_required(STEWARD)
def home(request: HttpRequest) -> HttpResponse:
    """Every data set with its state, and the releases waiting for a decision."""
    if request.method == "POST" and "bauen" in request.POST:
        build_pipelines.enqueue()
        messages.success(request, _("Die Pipelines werden jetzt im Hintergrund neu gebaut."))
        return redirect("opendata:steward")
    datasets = (
        Dataset.objects.select_related("organisation", "current")
        .defer(*(f"current__{name}" for name in FILE_FIELDS))
        .annotate(held=Count("releases", filter=Q(releases__state=Release.State.HELD)))
        .order_by("title")
    )
    held = (
        Release.objects.filter(state=Release.State.HELD)
        .select_related("dataset")
        .defer(*FILE_FIELDS)
        .annotate(open_findings=Count("findings", filter=Q(findings__overridden_at__isnull=True)))
    )
    return private(
        render(request, "opendata/steward/home.html", {"datasets": datasets, "held": held})
    )


@policy.staff_required(STEWARD)
def create(request: HttpRequest) -> HttpResponse:
    """A new data set for uploads or a fetched address (metadata first, then the file)."""
    form = DatasetForm(posted(request))
    if form.is_bound and form.is_valid():
        dataset = catalogue.save_dataset(form.save(commit=False), by=request.user)
        messages.success(request, _("Der Datensatz ist angelegt. Laden Sie jetzt die Daten hoch."))
        return redirect("opendata:steward_dataset", dataset.slug)
    return private(render(request, "opendata/steward/create.html", {"form": form}))


@policy.staff_required(STEWARD)
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Metadata, a new release by upload or fetch, and the release history."""
    dataset = get_object_or_404(Dataset, slug=slug)
    action = request.POST.get("aktion") if request.method == "POST" else None
    form = DatasetForm(request.POST if action == "speichern" else None, instance=dataset)
    upload = UploadForm(
        request.POST if action == "hochladen" else None,
        request.FILES if action == "hochladen" else None,
    )
    if action == "speichern" and form.is_valid():
        dataset = catalogue.save_dataset(form.save(commit=False), by=request.user)
        messages.success(request, _("Die Metadaten sind gespeichert."))
        return redirect("opendata:steward_dataset", dataset.slug)
    if action == "hochladen" and upload.is_valid():
        file = upload.cleaned_data["file"]
        if file.size > uploads.MAX_BYTES:
            upload.add_error("file", _("Die Datei ist größer als 20 MB."))
        else:
            try:
                release = uploads.publish_file(dataset, file.name, file.read(), by=request.user)
            except uploads.UploadError as error:
                upload.add_error("file", str(error))
            else:
                return _after_release(request, dataset, release)
    if action == "abrufen" and dataset.fetch_url:
        release = uploads.fetch(dataset)
        if release is not None:
            return _after_release(request, dataset, release)
        dataset.refresh_from_db()
        problem = getattr(getattr(dataset, "fetch", None), "error", "")
        messages.warning(
            request, problem or _("Die Datei hat sich seit dem letzten Abruf nicht geändert.")
        )
        return redirect("opendata:steward_dataset", dataset.slug)
    history = dataset.releases.defer(*FILE_FIELDS).annotate(finding_count=Count("findings"))
    return private(
        render(
            request,
            "opendata/steward/edit.html",
            {
                "dataset": dataset,
                "form": form,
                "upload": upload,
                "history": history,
                "fetch": getattr(dataset, "fetch", None),
            },
        )
    )


def _after_release(request: HttpRequest, dataset: Dataset, release: Release | None):
    if release is None:
        messages.info(request, _("Die Daten sind unverändert; es gibt keine neue Version."))
        return redirect("opendata:steward_dataset", dataset.slug)
    if release.state == Release.State.HELD:
        messages.warning(
            request,
            _("Version %(n)s ist zurückgehalten: Bitte prüfen Sie die Befunde.")
            % {"n": release.number},
        )
        return redirect("opendata:steward_review", release.pk)
    messages.success(request, _("Version %(n)s ist veröffentlicht.") % {"n": release.number})
    return redirect("opendata:steward_dataset", dataset.slug)


@policy.staff_required(STEWARD)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A held release: the findings, the first rows, and release-with-reasons or reject."""
    release = get_object_or_404(Release.objects.select_related("dataset"), pk=pk)
    findings = list(release.findings.filter(overridden_at__isnull=True))
    action = request.POST.get("aktion") if request.method == "POST" else None
    form = ApprovalForm(request.POST if action == "freigeben" else None, findings=findings)
    error = ""
    if action == "verwerfen" and release.state == Release.State.HELD:
        releases.reject(release, by=request.user)
        messages.info(request, _("Die Version ist verworfen."))
        return redirect("opendata:steward_dataset", release.dataset.slug)
    if action == "freigeben" and form.is_valid():
        try:
            releases.approve(release, by=request.user, reasons=form.reasons())
        except releases.ReleaseRefused as refused:
            error = str(refused)
        else:
            messages.success(
                request, _("Version %(n)s ist veröffentlicht.") % {"n": release.number}
            )
            return redirect("opendata:steward_dataset", release.dataset.slug)
    sample = (
        islice(releases.json_records(release), 10) if release.state == Release.State.HELD else ()
    )
    return private(
        render(
            request,
            "opendata/steward/review.html",
            {
                "release": release,
                "findings": findings,
                "all_findings": release.findings.all(),
                "form": form,
                "error": error,
                "sample": [[row.get(c["name"]) for c in release.columns] for row in sample],
                "back": reverse("opendata:steward_dataset", args=[release.dataset.slug]),
            },
        )
    )
