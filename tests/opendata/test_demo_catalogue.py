"""The demo city's catalogue as it is served: valid DCAT-AP.de, valid data packages,
at least 40 data sets with releases over two years, the e-mail release held."""

import json
from datetime import timedelta

import frictionless
import rdflib
from django.utils import timezone

from rathaus.opendata.models import Dataset, Release

from .test_dcat import profiles, validate, vocabularies  # noqa: F401 – shared fixtures


def published():
    return Dataset.objects.filter(state=Dataset.State.PUBLISHED, current__isnull=False)


def test_the_demo_shows_forty_data_sets_over_two_years(db):
    assert published().count() >= 40
    assert published().filter(source=Dataset.Source.PIPELINE).count() >= 4
    oldest = Release.objects.filter(state=Release.State.PUBLISHED).order_by("published_at")[0]
    assert oldest.published_at <= timezone.now() - timedelta(days=600)
    held = Release.objects.get(state=Release.State.HELD)
    assert held.dataset.slug == "vereinsregister-sportvereine-demo"
    assert [f.kind for f in held.findings.all()] == ["email"]


def test_the_served_catalogue_is_valid_dcat_ap_de(client, db, validate):  # noqa: F811
    graph = rdflib.Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    for profile in ("DCAT-AP.de 3.0", "Konventionen 2.0"):
        report = validate(graph, profile)
        assert report.conforms, report.text[:3000]


def test_every_data_package_of_the_demo_validates(client, db, tmp_path):
    for dataset in published():
        folder = tmp_path / dataset.slug
        folder.mkdir()
        descriptor = client.get(f"/opendaten/{dataset.slug}/datapackage.json")
        (folder / "datapackage.json").write_bytes(descriptor.content)
        for resource in json.loads(descriptor.content)["resources"]:
            (folder / resource["path"]).write_bytes(
                client.get(f"/opendaten/{dataset.slug}/{resource['path']}").content
            )
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, (dataset.slug, report.flatten(["type", "note"])[:5])
