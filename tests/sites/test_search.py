"""The cross-site search's ranking (``sites/search.py``): on PostgreSQL in two stages, in the
same order as Wagtail's own ranking (title matches always ranked); drafts and restricted pages
never found."""

import pytest
from django.db import connection
from wagtail.models import Page, PageViewRestriction

from rathaus.sites import search, services

from .conftest import add_page

pytestmark = pytest.mark.django_db
WORD = "Zwergpinguinlesung"


def _page(parent, slug: str, text: str, *, title: str = "", live: bool = True):
    body = [{"type": "text", "value": f"<p>{text}</p>"}]
    page = add_page(parent, slug, body=body, title=title or slug.capitalize())
    if live:
        services.publish_as_system(page)
    return page


def _found(query: str) -> list[int]:
    return [hit[0] for hit in search.ranked_pages(query, 200)]


def test_the_ranking_is_wagtails_without_drafts_or_restricted_pages(library):
    once = _page(library.root, "einmal", f"Heute {WORD} im Lesesaal.")
    titled = _page(library.root, "titel", "Für Kinder ab sechs Jahren.", title=f"{WORD} am Abend")
    often = _page(library.root, "oft", f"{WORD}: Pinguine. {WORD} mit Bildern. {WORD} für alle.")
    draft = _page(library.root, "entwurf", f"{WORD} als Entwurf.", live=False)
    closed = _page(library.root, "intern", f"{WORD} nur für das Team.")
    PageViewRestriction.objects.create(
        page=closed, restriction_type=PageViewRestriction.PASSWORD, password="team"
    )
    found = _found(WORD)
    wagtail = [p.pk for p in Page.objects.live().public().search(WORD, operator="and")[:200]]
    assert found == wagtail
    assert set(found) == {once.pk, titled.pk, often.pk}
    assert draft.pk not in found and closed.pk not in found
    assert _found(f"{WORD} Pinguine") == [often.pk]  # every word must occur
    assert _found("   ") == [] and _found("- -") == []


def test_of_many_matches_only_in_the_body_the_newest_are_ranked(library, monkeypatch):
    monkeypatch.setattr(search, "RANKED_BODY_MATCHES", 2)
    oldest = _page(library.root, "alt", f"{WORD} im Archiv.")
    newer = [_page(library.root, f"neu-{n}", f"{WORD} neu {n}.") for n in range(2)]
    titled = _page(library.root, "titel", "Im Lesesaal.", title=f"{WORD} am Abend")
    found = _found(WORD)
    if connection.vendor == "postgresql":  # two stages: the oldest body match is not ranked
        assert set(found) == {titled.pk, *(page.pk for page in newer)}
    else:  # SQLite ranks every match inside its full-text index
        assert set(found) == {titled.pk, oldest.pk, *(page.pk for page in newer)}
