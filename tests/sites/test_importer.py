"""The importer on a messy old homepage: layout tables, <font>, inline styles, duplicate ids,
broken links, Windows-1252, images with and without alt text."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image as Picture
from wagtail.contrib.redirects.models import Redirect

from rathaus.sites import importer, services
from rathaus.sites.models import ContentPage

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "altsite"


@pytest.fixture
def old_site(tmp_path) -> Path:
    folder = tmp_path / "altsite"
    shutil.copytree(FIXTURE, folder)
    (folder / "bilder").mkdir()
    for name, colour in (("lesesaal.png", "#336699"), ("logo.png", "#993366")):
        Picture.new("RGB", (60, 40), colour).save(folder / "bilder" / name, "PNG")
    return folder


def _imported(library, folder):
    report = importer.import_site(folder, library.site, log=lambda *_: None)
    pages = {
        page.title: page for page in ContentPage.objects.descendant_of(library.root).specific()
    }
    return report, pages


def test_pages_become_drafts_with_clean_markup_and_the_tree_of_the_folders(library, old_site):
    report, pages = _imported(library, old_site)
    assert set(pages) == {"Willkommen in der Stadtbücherei", "Kontakt", "Über uns", "Geschichte"}
    assert not any(page.live for page in pages.values())
    assert pages["Geschichte"].get_parent().specific.title == "Über uns"
    home = pages["Willkommen in der Stadtbücherei"]
    raw = json.dumps(list(home.body.raw_data), ensure_ascii=False)
    for banned in ("<font", "style=", "onclick", "<script", "<table", "<center", "id=", "<td"):
        assert banned not in raw, banned
    kinds = [block.block_type for block in home.body]
    assert kinds.count("image") == 2 and "table" in kinds
    table = next(block.value for block in home.body if block.block_type == "table")
    assert (
        list(table["header"]) == ["Ausweis", "Preis"]
        and table["caption"] == "Gebühren für den Ausweis"
    )
    alts = [block.value["alt"] for block in home.body if block.block_type == "image"]
    assert alts == ["Lesesaal mit hohen Fenstern", ""]
    assert "Großer" not in raw and "samstags" in raw
    assert "<h3>Gebühren</h3>" in raw  # h4 without h3 before: the editor sees a fixable level
    assert home.intro == "Die alte Homepage der Stadtbücherei (Testdaten)."
    # Windows-1252 read as such
    assert "Straßenbahndepot" in json.dumps(
        list(pages["Geschichte"].body.raw_data), ensure_ascii=False
    )
    # internal links point to the new pages, relative links from a subfolder too
    assert 'href="/geschichte/"' not in json.dumps(list(pages["Über uns"].body.raw_data))
    assert pages["Geschichte"].url_path.removeprefix(library.root.url_path) in json.dumps(
        list(pages["Über uns"].body.raw_data)
    )
    assert report.images == 2


def test_the_report_names_what_an_editor_must_fix(library, old_site):
    report, _ = _imported(library, old_site)
    kinds = {(problem.path, problem.kind) for problem in report.problems}
    assert ("/index.html", "Layouttabelle") in kinds
    assert ("/index.html", "Alternativtext") in kinds
    assert ("/index.html", "Link") in kinds  # satzung.pdf and veranstaltungen.html are missing
    assert ("/index.html", "Linktext") in kinds  # "hier"
    assert ("/ueber-uns/index.html", "Linktext") in kinds  # an empty link
    assert ("/kontakt.html", "Tabelle") in kinds  # a data table without header cells
    assert ("/ueber-uns/index.html", "Link") not in kinds
    messages = " ".join(problem.message for problem in report.problems)
    assert "veranstaltungen.html" in messages and "satzung.pdf" in messages


def test_old_paths_redirect_to_the_new_pages(library, old_site):
    report, pages = _imported(library, old_site)
    assert report.redirects >= 4
    redirect = Redirect.objects.get(site=library.site, old_path="/kontakt.html")
    assert redirect.redirect_page_id == pages["Kontakt"].pk
    # Published, the old address leads there.
    services.publish_as_system(ContentPage.objects.get(pk=pages["Geschichte"].pk))
    response = Client(HTTP_HOST="testbuecherei.localhost").get("/ueber-uns/geschichte.html")
    assert response.status_code == 301
    assert response["Location"].endswith("/geschichte/")


def test_the_drafts_cannot_be_published_before_the_editor_fixes_them(library, old_site):
    from django.core.exceptions import PermissionDenied

    _, pages = _imported(library, old_site)
    with pytest.raises(PermissionDenied, match="Alternativtext"):
        services.publish_as_system(pages["Willkommen in der Stadtbücherei"])


def test_the_command_prints_progress_and_the_report_and_refuses_nonsense(
    library, old_site, tmp_path
):
    out = io.StringIO()
    call_command(
        "sites", "import", str(old_site), "--site", "testbuecherei.localhost",
        "--bericht", str(tmp_path / "bericht.json"), stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "Seite 1/4" in text and "4 Seiten als Entwurf angelegt" in text
    assert "Alternativtext" in text
    saved = json.loads((tmp_path / "bericht.json").read_text(encoding="utf-8"))
    assert len(saved["pages"]) == 4 and saved["problems"]
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("sites", "import", str(old_site), "--site", "nirgendwo.localhost")
    with pytest.raises(CommandError, match="Ordner"):
        call_command(
            "sites", "import", str(tmp_path / "fehlt"), "--site", "testbuecherei.localhost"
        )
    empty = tmp_path / "leer"
    empty.mkdir()
    with pytest.raises(CommandError, match="keine HTML-Dateien"):
        call_command("sites", "import", str(empty), "--site", "testbuecherei.localhost")
    assert ContentPage.objects.descendant_of(library.root).count() == 4  # nothing half-imported
