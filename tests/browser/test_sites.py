"""The homepages in Chromium: an editor signs in with a passkey and writes a page with an
image; publishing waits for the alt text and for a second person; the page is then live."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image as Picture
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from rathaus.accounts.models import Role
from rathaus.accounts.services import staff
from rathaus.sites.models import (
    ContentPage,
    EventIndexPage,
    HomePage,
    InstitutionPage,
    NewsIndexPage,
    NewsPage,
)
from tests.factories import StaffFactory
from tests.sites.conftest import english_text

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser
LIBRARY = "Stadtbüchereien Düsseldorf"


def _picture() -> Image:
    buffer = io.BytesIO()
    Picture.new("RGB", (400, 300), "#1d5f8a").save(buffer, "PNG")
    return Image.objects.create(
        title="Lesesaal",
        file=ContentFile(buffer.getvalue(), name="lesesaal.png"),
        collection=Collection.objects.get(name=LIBRARY),
    )


def _more_actions(page) -> None:
    page.get_by_label("Aktionen (Fußzeile)").locator("[data-w-dropdown-target=toggle]").click()


def _submit(page) -> None:
    _more_actions(page)
    with page.expect_navigation():
        page.locator("button[name=action-submit]").click()


def test_an_editor_writes_a_page_and_a_second_person_publishes_it(
    page, city, authenticator, chromium, live_server
):
    editor = StaffFactory(full_name="Ella Redaktion", roles=[Role.CATALOGUE_EDITOR])
    editor.groups.add(Group.objects.get(name=f"Redaktion: {LIBRARY}"))
    reviewer = StaffFactory(full_name="Rafael Freigabe", roles=[Role.CATALOGUE_EDITOR])
    reviewer.groups.add(Group.objects.get(name=f"Freigabe: {LIBRARY}"))
    picture = _picture()
    library = Site.objects.get(hostname="buecherei.localhost")
    refused = csp_violations(page)

    page.goto(f"/verwaltung/einrichten/{staff.new_enrolment(editor, by=None)}/")
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/verwaltung/")
    page.goto("/redaktion/")
    page.wait_for_url("**/redaktion/")
    assert_accessible(page)

    page.goto(f"/redaktion/pages/add/sites/contentpage/{library.root_page_id}/")
    assert_accessible(page)
    page.fill("#id_title", "Neuer Lesesaal")
    page.fill("#id_intro", "Der Lesesaal ist renoviert und hat neue Plätze.")
    page.get_by_role("button", name="Block einfügen").first.click()
    page.get_by_role("option", name="Bild").click()
    page.get_by_role("button", name="Bild auswählen").click()
    page.get_by_role("link", name="Lesesaal").click()
    _submit(page)
    assert "keinen Alternativtext" in page.content()
    assert not ContentPage.objects.filter(title="Neuer Lesesaal").exists()

    page.get_by_label("Alternativtext").fill("Lesesaal mit neuen Tischen und hohen Fenstern")
    _submit(page)
    draft = ContentPage.objects.get(title="Neuer Lesesaal")
    assert not draft.live and draft.current_workflow_state is not None

    second = signed_in_page(chromium, live_server, reviewer)
    second.goto(f"/redaktion/pages/{draft.pk}/edit/")
    assert_accessible(second)
    _more_actions(second)
    with second.expect_navigation():
        approve = "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        second.locator(approve).click()
    draft.refresh_from_db()
    assert draft.live
    assert picture.pk in [
        b.value["image"].pk for b in draft.specific.body if b.block_type == "image"
    ]

    visitor = chromium.new_context(locale="de-DE").new_page()
    visitor.goto(
        live_server.url.replace("localhost", "buecherei.localhost")
        + draft.url_path.removeprefix(library.root_page.url_path[:-1])
    )
    assert visitor.get_by_role("heading", level=1).inner_text() == "Neuer Lesesaal"
    assert visitor.get_by_alt_text("Lesesaal mit neuen Tischen und hohen Fenstern").is_visible()
    assert_accessible(visitor)
    assert refused == [], "\n".join(refused)


def test_every_page_type_and_the_search_are_accessible(page, city, live_server):
    refused = csp_violations(page)
    for model in (HomePage, ContentPage, NewsIndexPage, NewsPage, EventIndexPage, InstitutionPage):
        german = model.objects.live().filter(locale__language_code="de")
        target = german.exclude(url_path__contains="/archiv-").last()
        site = target.get_site()
        page.goto(live_server.url.replace("localhost", site.hostname) + target.relative_url(site))
        assert page.get_by_role("heading", level=1).inner_text() == target.title
        assert_accessible(page)
    page.goto(live_server.url.replace("localhost", "buecherei.localhost") + "/seiten/suche/")
    page.get_by_label("Wonach suchen Sie?").fill("Öffnungszeiten")
    page.keyboard.press("Enter")
    page.wait_for_url("**/seiten/suche/?q=*")
    assert page.locator("main li a").count() > 0
    assert_accessible(page)
    assert refused == [], "\n".join(refused)


def test_an_editor_starts_a_translation_and_a_second_person_publishes_it(
    city, chromium, live_server
):
    """ "Seite übersetzen" and the translation editor under our Content-Security-Policy; the
    texts are written as a translator would (the editor's text fields are wagtail-localize's
    own), then the reviewer publishes in the editor and an English visitor reads the page."""
    editor = StaffFactory(full_name="Ella Redaktion", roles=[Role.CATALOGUE_EDITOR])
    editor.groups.add(Group.objects.get(name=f"Redaktion: {LIBRARY}"))
    reviewer = StaffFactory(full_name="Rafael Freigabe", roles=[Role.CATALOGUE_EDITOR])
    reviewer.groups.add(Group.objects.get(name=f"Freigabe: {LIBRARY}"))
    library = Site.objects.get(hostname="buecherei.localhost")
    news = NewsPage.objects.live().filter(locale__language_code="de")
    source = news.descendant_of(library.root_page).first()
    english = Locale.objects.get(language_code="en")

    first = signed_in_page(chromium, live_server, editor)
    refused = csp_violations(first)
    first.goto(f"/redaktion/localize/submit/page/{source.pk}/")
    assert_accessible(first)
    first.get_by_label("English").check()
    with first.expect_navigation():
        first.get_by_role("button", name="Absenden").click()
    target = source.get_translation(english)
    assert first.url.endswith(f"/redaktion/pages/{target.pk}/edit/")
    first.get_by_text("PO Datei herunterladen").first.wait_for()  # the editor (React) runs
    assert first.evaluate("typeof window.chooserUrls.imageChooser") == "string"
    assert first.locator("button[name=action][value=publish]").count() == 0  # editors: no
    first.get_by_label("PO Datei hochladen").first.wait_for(state="attached")  # sites/admin.js
    assert_accessible(first)

    translation = Translation.objects.get(source__object_id=source.translation_key)
    segments = StringSegment.objects.filter(source=translation.source).select_related("context")
    for segment in segments:
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=english,
            context=segment.context,
            data=f"EN {source.title}"
            if segment.context.path == "title"
            else english_text(segment.string.data),
            translation_type="manual",
            last_translated_by=editor,
        )

    second = signed_in_page(chromium, live_server, reviewer)
    refused_second = csp_violations(second)
    second.goto(f"/redaktion/pages/{target.pk}/edit/")
    with second.expect_navigation():
        second.locator("button[name=action][value=publish]").click()
    assert "ist jetzt auf" in second.content()
    target.refresh_from_db()
    assert target.live

    visitor = chromium.new_context(locale="en-GB")
    visitor.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    reader = visitor.new_page()
    reader.goto(
        live_server.url.replace("localhost", "buecherei.localhost") + source.relative_url(library)
    )
    assert reader.get_by_role("heading", level=1).inner_text() == f"EN {source.title}"
    assert_accessible(reader)
    assert refused + refused_second == [], "\n".join(refused + refused_second)
