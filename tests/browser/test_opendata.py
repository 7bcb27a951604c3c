"""The open-data portal in Chromium: a resident finds the green-roof data set by its facets,
reads the preview and downloads the CSV (the same bytes the data package's hash names); a
data steward's pages. axe-core on every page, and the data set page reflows at 320 px."""

import hashlib
import json
from pathlib import Path

import pytest

from rathaus.accounts.models import Role
from rathaus.opendata.models import Dataset, Release
from tests.factories import StaffFactory

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser

GREEN_ROOFS = "dachbegruenung-foerderung"


def test_find_download_reflow_and_steward_pages(page, chromium, live_server, city):
    """One demo city for the whole walk (loading it is the slow part)."""
    refused = csp_violations(page)
    page.goto("/opendaten/")
    assert_accessible(page)
    page.get_by_role("group", name="Thema").get_by_label("Umwelt", exact=False).check()
    page.get_by_role("button", name="Suchen und filtern").click()
    page.wait_for_load_state()
    assert "thema=envi" in page.url
    assert_accessible(page)
    title = Dataset.objects.get(slug=GREEN_ROOFS).title
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/opendaten/{GREEN_ROOFS}/")
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.locator("#preview-caption").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Daten als CSV").click()
    body = Path(download.value.path()).read_bytes()
    release = Dataset.objects.get(slug=GREEN_ROOFS).current
    assert body == bytes(release.csv)
    table = json.loads(bytes(release.package))["resources"][0]
    assert table["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
    for path in (  # a table with a chart, a map layer, a search with words
        "/opendaten/arbeitslose-stadtbezirk-monat/",
        "/opendaten/spielplaetze/",
        "/opendaten/?thema=soci&format=CSV&q=Stadtbezirk",
    ):
        page.goto(path)
        assert_accessible(page)
    assert refused == []
    _reflows(chromium, live_server)
    _steward_pages(chromium, live_server)


def _reflows(chromium, live_server) -> None:
    """WCAG 1.4.10: the data set page at 320 CSS px needs no sideways scrolling."""
    context = chromium.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    for path in (f"/opendaten/{GREEN_ROOFS}/", "/opendaten/arbeitslose-stadtbezirk-monat/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (path, overflow)
    context.close()


def _steward_pages(chromium, live_server) -> None:
    """A data steward's pages, with the release the demo holds for its e-mail addresses."""
    steward = StaffFactory(email="daten.browser@test.example", roles=[Role.DATA_STEWARD])
    page = signed_in_page(chromium, live_server, steward)
    page.goto("/opendaten/verwalten/")
    assert_accessible(page)
    held = Release.objects.filter(state=Release.State.HELD).first()
    assert held is not None  # the demo holds a release with e-mail addresses
    page.goto(f"/opendaten/verwalten/version/{held.pk}/")
    assert page.get_by_text("E-Mail-Adressen").first.is_visible()
    assert_accessible(page)
    page.goto("/opendaten/verwalten/neu/")
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
    page.goto(f"/opendaten/verwalten/{held.dataset.slug}/")
    assert_accessible(page)
    page.context.close()
