"""The catalogue as DCAT-AP.de: the models handed to the pure ``dcat`` builder with absolute
addresses (a harvester reads the files from anywhere)."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.urls import reverse

from .. import dcat
from ..models import Dataset, Resource
from .files import FILES, file_url

__all__ = ["catalog_graph", "dataset_graph"]

FORMAT_CODES = {
    Resource.Format.CSV: "CSV",
    Resource.Format.JSON: "JSON",
    Resource.Format.GEOJSON: "GEOJSON",
    Resource.Format.PACKAGE: "JSON",
}
MEDIA = {
    Resource.Format.CSV: "text/csv",
    Resource.Format.JSON: "application/json",
    Resource.Format.GEOJSON: "application/geo+json",
    Resource.Format.PACKAGE: "application/json",
}


def _catalog(absolute: Callable[[str], str]) -> dcat.Catalog:
    return dcat.Catalog(
        uri=absolute(reverse("opendata:catalog_rdf", args=["ttl"])),
        title="Offene Daten der Landeshauptstadt Düsseldorf",
        description=(
            "Daten, die die Verwaltung ohnehin erhebt – automatisch veröffentlicht, "
            "kleine Fallzahlen geschützt."
        ),
        homepage=absolute(reverse("opendata:index")),
        publisher_name="Landeshauptstadt Düsseldorf",
        publisher_uri=absolute("/"),
    )


def _dataset(dataset: Dataset, absolute: Callable[[str], str]) -> dcat.Dataset:
    release = dataset.current
    page = absolute(reverse("opendata:dataset", args=[dataset.slug]))
    distributions = []
    for resource in dataset.resources.all():
        stored = release.files.get(resource.format, {})
        url = absolute(file_url(dataset, resource.format))
        distributions.append(
            dcat.Distribution(
                uri=f"{page}#{resource.uuid}",
                access_url=page,
                download_url=url,
                title=FILES[resource.format][2],
                description=f"{FILES[resource.format][2]}, Version {release.number}",
                media_type=MEDIA[resource.format],
                format=FORMAT_CODES[resource.format],
                licence=f"http://dcat-ap.de/def/licenses/{dataset.licence}",
                licence_attribution=f"{dataset.organisation.title}, Landeshauptstadt Düsseldorf",
                byte_size=stored.get("bytes"),
                checksum_sha256=stored.get("sha256"),
                issued=release.published_at or release.created_at,
                modified=release.published_at or release.created_at,
            )
        )
    return dcat.Dataset(
        uri=page,
        identifier=str(dataset.uuid),
        title=dataset.title,
        description=dataset.description,
        landing_page=page,
        publisher_name=dataset.organisation.title,
        publisher_uri=absolute(reverse("opendata:organisation", args=[dataset.organisation.slug])),
        contact_name=dataset.contact_name,
        contact_email=dataset.contact_email,
        themes=tuple(dataset.themes),
        keywords=tuple(dataset.keywords),
        temporal_start=dataset.temporal_start,
        temporal_end=dataset.temporal_end,
        frequency=dataset.frequency,
        issued=dataset.created_at,
        modified=_latest(dataset.modified_at, release.published_at),
        version=str(release.number),
        version_notes=release.notes or None,
        distributions=tuple(distributions),
        spatial_geojson=None,
    )


def _latest(*moments: datetime | None) -> datetime:
    return max(moment for moment in moments if moment is not None)


def catalog_graph(datasets: Iterable[Dataset], absolute: Callable[[str], str]):
    """The whole catalogue (published data sets with a release)."""
    return dcat.catalog_graph(
        _catalog(absolute), [_dataset(d, absolute) for d in datasets if d.current_id]
    )


def dataset_graph(dataset: Dataset, absolute: Callable[[str], str]):
    return dcat.dataset_graph(_catalog(absolute), _dataset(dataset, absolute))
