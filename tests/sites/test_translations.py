"""Page translations (wagtail-localize): one address in every language, the German page with
a note where no translation is live, four eyes before a translation goes live, the rights of
each site's editors in its translated tree, machine translation through the language
module's backend (a local server speaking LibreTranslate's protocol), the page cache and the
search in the visitor's language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from rathaus.sites import cache as page_cache
from rathaus.sites import services, translation
from tests.language.conftest import endpoint  # noqa: F401 – the local translation server

from .conftest import add_page, client_for, english_text, staff_in

pytestmark = pytest.mark.django_db
HOST = "testbuecherei.localhost"
NOT_YET = "not yet available in your language"  # the note, to an English visitor


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def tree(library):
    """Home → Ausleihe (in the menu) → Medien; all live in German."""
    lending = add_page(
        library.root,
        "ausleihe",
        title="Ausleihe",
        intro="Alles zur Ausleihe.",
        show_in_menus=True,
    )
    media = add_page(lending, "medien", title="Medien", intro="Bücher, Filme, Spiele.")
    for page in (lending, media):
        services.publish_as_system(page)
    return library, lending, media


@pytest.fixture
def editor(library):
    return staff_in(library.editors)


@pytest.fixture
def reviewer(library):
    return staff_in(library.reviewers)


def start_translation(page, locale) -> Translation:
    """What "Seite übersetzen" does: a source, a translation and the draft in ``locale``."""
    source, _created = TranslationSource.get_or_create_from_instance(page.specific)
    target, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    target.save_target(publish=False)
    return target


def translate_all(target: Translation, user) -> None:
    """A translator's work: the title and introduction marked "[en] ", the body in English."""
    segments = StringSegment.objects.filter(source=target.source).select_related(
        "string", "context"
    )
    for segment in segments:
        text = segment.string.data
        data = f"[en] {text}" if segment.context.path in ("title", "intro") else english_text(text)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=target.target_locale,
            context=segment.context,
            defaults={
                "data": data,
                "translation_type": "manual",
                "last_translated_by": user,
            },
        )


def texts_of(target: Translation):
    """The translated texts of this translation (the demo city has translations of its own)."""
    return StringTranslation.objects.filter(
        locale=target.target_locale, context__object_id=target.source.object_id
    )


def translated_page(page, locale) -> Page:
    return page.get_translation(locale).specific


def publish_in_editor(user, target_page) -> str:
    """The translation editor's "Veröffentlichen" button; the messages shown after it."""
    response = client_for(user).post(
        reverse("wagtailadmin_pages:edit", args=[target_page.pk]),
        {"action": "publish"},
        follow=True,
    )
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"])


def visit(path: str, language: str = "de") -> str:
    client = Client(HTTP_HOST=HOST)
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def published(tree, english, editor, reviewer):
    """Ausleihe live in English (translated by the editor, published by the reviewer)."""
    library, lending, media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    assert publish_in_editor(reviewer, translated_page(lending, english)).endswith("online.")
    return library, lending, media


# --- one address, the visitor's language ---------------------------------------------------


def test_a_translation_has_the_german_address_and_is_shown_in_the_visitors_language(
    published, english
):
    _library, lending, _media = published
    english_page = translated_page(lending, english)
    assert english_page.live
    assert english_page.get_url_parts()[2] == lending.get_url_parts()[2] == "/ausleihe/"
    shown = visit("/ausleihe/", "en")
    assert '<h1 class="kern-heading-large">[en] Ausleihe</h1>' in shown
    assert "[en] Alles zur Ausleihe." in shown and NOT_YET not in shown
    assert '<meta property="og:locale" content="en">' in shown
    german = visit("/ausleihe/")
    assert '<h1 class="kern-heading-large">Ausleihe</h1>' in german and "[en]" not in german


def test_a_page_not_yet_translated_is_shown_in_german_with_a_note_and_a_language_mark(
    published,
):
    shown = visit("/ausleihe/medien/", "en")
    assert "Bücher, Filme, Spiele." in shown and NOT_YET in shown
    assert '<article class="cms-page" lang="de">' in shown
    # the trail and the site's menu show the translated parent in English
    assert '">[en] Ausleihe</a>' in shown
    assert visit("/ausleihe/medien/", "tr").count("[en]") == 0  # Turkish: German throughout


def test_the_home_page_lists_its_children_in_the_visitors_language(published):
    shown = visit("/", "en")
    assert "[en] Ausleihe" in shown  # the home page itself is not translated: German + note
    assert NOT_YET in shown


def test_a_draft_translation_is_not_shown(tree, english, editor):
    _library, lending, _media = tree
    translate_all(start_translation(lending, english), editor)
    shown = visit("/ausleihe/", "en")
    assert "[en]" not in shown and NOT_YET in shown


# --- four eyes -----------------------------------------------------------------------------


def test_an_editor_cannot_publish_a_translation(tree, english, editor):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    said = publish_in_editor(editor, translated_page(lending, english))
    assert "Freigabegruppe" in said
    assert not translated_page(lending, english).live


def test_a_reviewer_who_translated_a_text_cannot_publish_it(tree, english, reviewer):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, reviewer)
    said = publish_in_editor(reviewer, translated_page(lending, english))
    assert "zweite Person" in said
    assert not translated_page(lending, english).live


def test_an_incomplete_translation_is_not_published(tree, english, editor, reviewer):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    texts_of(target).first().delete()
    said = publish_in_editor(reviewer, translated_page(lending, english))
    assert "Noch 1 Text ist nicht übersetzt" in said
    assert not translated_page(lending, english).live


@pytest.mark.parametrize(
    ("written", "finding"),
    [
        # the translator turned the link text into "hier klicken"
        ('Click <a id="a1">hier klicken</a> to borrow.', "hier klicken"),
        # the language rule reads a page in its own language: German left over is marked
        (
            'Mit dem <a id="a1">Bibliotheksausweis</a> leihen Sie aus, das ist für alle da.',
            "vermutlich Deutsch",
        ),
    ],
)
def test_a_translation_with_an_accessibility_finding_is_not_published(
    tree, english, editor, reviewer, written, finding
):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    link = texts_of(target).filter(data__contains="<a ").first()
    link.data = written
    link.save()
    said = publish_in_editor(reviewer, translated_page(lending, english))
    assert finding in said
    assert not translated_page(lending, english).live


def test_wagtail_localizes_own_publishing_is_refused_by_the_model(
    tree, english, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """wagtail-localize publishes as the system ("Übersetzungen aktualisieren – sofort
    veröffentlichen", its own publish button); the model refuses that for a page not in
    German. Control: with the guard switched off the same call puts the page live."""
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    with (
        pytest.raises(PermissionDenied, match="Übersetzungseditor"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        target.save_target(user=editor, publish=True)
    assert not translated_page(lending, english).live
    monkeypatch.setattr(translation, "unapproved", lambda page, user: False)
    with django_capture_on_commit_callbacks(execute=True):
        target.save_target(user=editor, publish=True)
    assert translated_page(lending, english).live


def test_update_translations_never_publishes_at_once(tree, english, editor):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    response = client_for(editor).post(
        reverse("wagtail_localize:update_translations", args=[target.source_id]),
        {"publish_translations": "on"},
        follow=True,
    )
    assert response.status_code == 200
    said = " ".join(str(message) for message in response.context["messages"])
    assert "nicht veröffentlicht" in said
    assert not translated_page(lending, english).live


# --- rights --------------------------------------------------------------------------------


def test_the_translated_home_gets_the_sites_rights_and_workflow(tree, english, museum):
    library, lending, _media = tree
    start_translation(lending, english)
    english_home = translated_page(library.root, english)
    granted = set(
        GroupPagePermission.objects.filter(page=english_home).values_list(
            "group__name", "permission__codename"
        )
    )
    assert (library.editors.name, "add_page") in granted
    assert (library.reviewers.name, "publish_page") in granted
    assert (library.editors.name, "publish_page") not in granted
    assert english_home.get_workflow() == library.root.get_workflow()
    assert library.editors.permissions.filter(codename="submit_translation").exists()
    # an editor of the museum may not touch the library's English pages
    outsider = staff_in(museum.editors)
    edit = reverse("wagtailadmin_pages:edit", args=[translated_page(lending, english).pk])
    assert client_for(outsider).get(edit).status_code in (302, 403)
    assert client_for(staff_in(library.editors)).get(edit).status_code == 200


def test_an_editor_opens_translate_this_page(tree, editor):
    _library, lending, _media = tree
    response = client_for(editor).get(
        reverse("wagtail_localize:submit_page_translation", args=[lending.pk])
    )
    assert response.status_code == 200
    assert "English" in response.content.decode()


# --- machine translation -------------------------------------------------------------------


@pytest.fixture
def translator(endpoint, settings):  # noqa: F811
    def libretranslate(body):
        return {"translatedText": [f"[{body['target']}] {text}" for text in body["q"]]}

    endpoint.routes = {"/translate": libretranslate}
    settings.TRANSLATION_URL = endpoint.url
    settings.TRANSLATION_BACKEND = "libretranslate"
    return endpoint


def test_the_machine_button_translates_every_text_in_one_request_and_keeps_tags(
    tree, english, editor, translator
):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    english_page = translated_page(lending, english)
    edit = reverse("wagtailadmin_pages:edit", args=[english_page.pk])
    response = client_for(editor).post(
        reverse("wagtail_localize:machine_translate", args=[target.pk]) + f"?next={edit}"
    )
    assert response.status_code == 302 and response["Location"] == edit
    (request,) = translator.requests
    assert request["body"]["format"] == "html" and request["body"]["target"] == "en"
    made = texts_of(target)
    assert made.count() == StringSegment.objects.filter(source=target.source).count()
    assert {row.translation_type for row in made} == {"machine"}
    assert {row.last_translated_by_id for row in made} == {editor.pk}
    link = made.get(data__contains="<a ")
    assert link.data == '[en] Mit dem <a id="a1">Bibliotheksausweis</a> leihen Sie aus.'


def test_an_unreachable_translation_service_is_a_message(tree, english, editor, translator):
    translator.routes = {"/translate": lambda body: 503}
    _library, lending, _media = tree
    target = start_translation(lending, english)
    response = client_for(editor).post(
        reverse("wagtail_localize:machine_translate", args=[target.pk]), follow=True
    )
    assert response.status_code == 200
    said = " ".join(str(message) for message in response.context["messages"])
    assert "Übersetzungsdienst antwortet gerade nicht" in said
    assert not texts_of(target).exists()


def test_without_a_translation_service_there_is_no_machine_button(english, settings):
    settings.TRANSLATION_URL = ""
    german = Locale.objects.get(language_code="de")
    assert not translation.MachineTranslator({}).can_translate(german, english)


# --- the page cache and the search ---------------------------------------------------------


def test_publishing_a_translation_purges_the_stored_german_fallback(
    tree, english, editor, reviewer
):
    _library, lending, _media = tree
    client = Client(HTTP_HOST=HOST)
    client.cookies["django_language"] = "en"
    assert client.get("/ausleihe/")[page_cache.HEADER] == "miss"
    assert client.get("/ausleihe/")[page_cache.HEADER] == "hit"
    target = start_translation(lending, english)
    translate_all(target, editor)
    publish_in_editor(reviewer, translated_page(lending, english))
    shown = client.get("/ausleihe/")
    assert shown[page_cache.HEADER] == "miss"
    assert "[en] Ausleihe" in shown.content.decode()
    german = Client(HTTP_HOST=HOST)
    assert "[en]" not in german.get("/ausleihe/").content.decode()


def test_the_search_shows_a_page_once_in_the_visitors_language(published, english):
    _library, lending, _media = published
    english_id = translated_page(lending, english).pk
    client = Client(HTTP_HOST=HOST)
    client.cookies["django_language"] = "en"
    hits = services.search("Ausleihe", None).pages
    assert lending.pk in [hit.page_id for hit in hits]  # German visitor: the German page
    response = client.get(reverse("sites:search"), {"q": "Ausleihe"})
    shown = response.content.decode()
    assert "[en] Ausleihe" in shown
    ids = [hit.page_id for hit in response.context["results"].pages]
    assert english_id in ids and lending.pk not in ids


def test_the_demo_library_is_in_english_above_and_german_with_a_note_below(english):
    """``sites/demo/translations/buecherei.en.json``: the home and top-level pages."""
    client = Client(HTTP_HOST="buecherei.localhost")
    client.cookies["django_language"] = "en"
    home = client.get("/").content.decode()
    assert '<h1 class="kern-heading-large">Düsseldorf City Libraries</h1>' in home
    assert NOT_YET not in home
    lending = client.get("/ausleihe/").content.decode()
    assert "How many items may I borrow at the same time?" in lending  # the accordion too
    deeper = Page.objects.filter(
        locale__language_code="de", depth=4, url_path__startswith="/buecherei/"
    ).live()
    shown = client.get(deeper.first().get_url_parts()[2]).content.decode()
    assert NOT_YET in shown


def test_the_preview_of_a_translation_is_marked_in_its_language_without_the_note(
    tree, english, editor
):
    _library, lending, _media = tree
    target = start_translation(lending, english)
    translate_all(target, editor)
    response = client_for(editor).get(
        reverse("wagtail_localize:preview_translation", args=[target.pk])
    )
    assert response.status_code == 200
    shown = response.content.decode()
    assert '<article class="cms-page" lang="en">' in shown and "[en] Ausleihe" in shown
    assert "gibt es noch nicht in Ihrer Sprache" not in shown
