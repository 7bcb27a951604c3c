"""Data sets and their organisations: created from pipelines or by data stewards, and kept
findable (``SearchTerm``) and reachable (``Resource``) whenever their metadata changes."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from rathaus.catalog.search.analysis import fold, stem, words
from rathaus.core import audit

from ..models import Dataset, Organisation, Resource, SearchTerm
from ..pipelines import Pipeline

__all__ = [
    "FACET_FIELDS",
    "dataset_for",
    "organisation_named",
    "reindex",
    "save_dataset",
    "terms",
]

# CKAN's facet fields this catalogue counts (Solr field names, as clients send them).
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
TERM_LENGTH = 200


def terms(text: str) -> set[str]:
    """The search terms of a text, the same for a document and a query: stemmed, folded."""
    return {fold(stem(word))[:TERM_LENGTH] for word in words(text)}


def _formats(dataset: Dataset) -> list[str]:
    return [
        resource.format
        for resource in dataset.resources.all()
        if resource.format != Resource.Format.PACKAGE
    ]


def reindex(datasets: Iterable[Dataset]) -> None:
    """Rewrite the search terms of ``datasets`` (their words and facet values); only a
    published data set is findable, so the others lose theirs."""
    datasets = list(datasets)
    rows, facets = [], {}
    for dataset in datasets:
        if dataset.state != Dataset.State.PUBLISHED or not dataset.current_id:
            facets[dataset.pk] = ""
            continue
        columns = dataset.current.columns
        text = " ".join(
            [
                dataset.title,
                dataset.description,
                " ".join(dataset.keywords),
                dataset.organisation.title,
                " ".join(f"{c.get('title', '')} {c.get('name', '')}" for c in columns),
            ]
        )
        values = {("organization", dataset.organisation.slug), ("license_id", dataset.licence)}
        values |= {("groups", theme.lower()) for theme in dataset.themes}
        values |= {("tags", " ".join(k.split())[:TERM_LENGTH]) for k in dataset.keywords}
        values |= {("res_format", name) for name in _formats(dataset)}
        facets[dataset.pk] = "".join(f"{field}={value}\n" for field, value in sorted(values))
        values |= {("text", term) for term in terms(text)}
        rows += [SearchTerm(dataset=dataset, field=f, value=v) for f, v in sorted(values)]
    with transaction.atomic():
        SearchTerm.objects.filter(dataset__in=[d.pk for d in datasets]).delete()
        SearchTerm.objects.bulk_create(rows, batch_size=2000)
        for dataset in datasets:
            if dataset.facet_values != facets[dataset.pk]:
                dataset.facet_values = facets[dataset.pk]
                Dataset.objects.filter(pk=dataset.pk).update(facet_values=dataset.facet_values)


def organisation_named(title: str, email: str) -> Organisation:
    """The organisation of that name, created on first use (pipelines name their publisher)."""
    organisation, _created = Organisation.objects.get_or_create(
        slug=slugify(title.replace("ß", "ss"))[:100], defaults={"title": title, "email": email}
    )
    return organisation


def dataset_for(pipeline: Pipeline) -> Dataset:
    """The data set a pipeline publishes to, created with the pipeline's metadata the first
    time; later the data steward's edits to the metadata win (only the table shape follows
    the code)."""
    dataset = Dataset.objects.filter(slug=pipeline.key).first()
    if dataset is None:
        dataset = Dataset.objects.create(
            slug=pipeline.key,
            title=pipeline.title,
            description=pipeline.description,
            organisation=organisation_named(pipeline.publisher, pipeline.publisher_email),
            themes=list(pipeline.themes),
            keywords=list(pipeline.keywords),
            frequency=pipeline.frequency,
            contact_name=pipeline.publisher,
            contact_email=pipeline.publisher_email,
            source=Dataset.Source.PIPELINE,
            pipeline=pipeline.key,
            disclosure=pipeline.disclosure,
            state=Dataset.State.DRAFT,  # published with its first release
        )
    shape = {"dimensions": list(pipeline.dimensions), "measures": list(pipeline.measures)}
    if {"dimensions": dataset.dimensions, "measures": dataset.measures} != shape:
        Dataset.objects.filter(pk=dataset.pk).update(**shape)
        dataset.dimensions, dataset.measures = shape["dimensions"], shape["measures"]
    return dataset


EDITABLE = (
    "title",
    "slug",
    "description",
    "organisation_id",
    "themes",
    "keywords",
    "licence",
    "frequency",
    "temporal_start",
    "temporal_end",
    "contact_name",
    "contact_email",
    "disclosure",
    "min_count",
    "dimensions",
    "measures",
    "fetch_url",
)


def save_dataset(dataset: Dataset, *, by: Any) -> Dataset:
    """A data steward's metadata edit (or a new data set): saved, indexed, audited."""
    created = dataset.pk is None
    before = {} if created else audit.snapshot(Dataset.objects.get(pk=dataset.pk), EDITABLE)
    if created:
        dataset.state = Dataset.State.DRAFT
        dataset.source = Dataset.Source.FETCH if dataset.fetch_url else Dataset.Source.UPLOAD
    elif dataset.source != Dataset.Source.PIPELINE:
        dataset.source = Dataset.Source.FETCH if dataset.fetch_url else Dataset.Source.UPLOAD
    with transaction.atomic():
        dataset.save()
        audit.record(
            "rathaus.opendata.dataset.created" if created else "rathaus.opendata.dataset.changed",
            actor=by,
            target=dataset,
            changes=audit.diff(before, audit.snapshot(dataset, EDITABLE)),
        )
        if dataset.state == Dataset.State.PUBLISHED:
            reindex([Dataset.objects.select_related("organisation", "current").get(pk=dataset.pk)])
    return dataset
