"""Going live: the accessibility rules and the second person, on every path to publishing."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from rathaus.accounts.models import Role
from rathaus.sites import services
from rathaus.sites.models import ContentPage, SiteProfile
from tests.factories import StaffFactory

from .conftest import add_page, client_for, staff_in

pytestmark = pytest.mark.django_db
ENGLISH = (
    "<p>The library is open for all of you and your children, and we are happy to help with "
    "the card.</p>"
)
GERMAN = (
    "<p>Die Bücherei ist für alle da, und wir helfen Ihnen gern mit dem Ausweis für die "
    "Ausleihe.</p>"
)


def _png() -> ContentFile:
    from PIL import Image as Picture

    buffer = io.BytesIO()
    Picture.new("RGB", (40, 30), "#336699").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="lesesaal.png")


def _pdf(title: str) -> ContentFile:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if title:
        writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name="gebuehren.pdf")


def _image_block(alt: str, decorative: bool = False) -> dict:
    image = Image.objects.create(title="Lesesaal", file=_png())
    return {
        "type": "image",
        "value": {"image": image.pk, "alt": alt, "decorative": decorative, "caption": ""},
    }


def _download_block(title: str) -> dict:
    document = Document.objects.create(title="Gebührenordnung", file=_pdf(title))
    return {"type": "download", "value": {"document": document.pk, "title": ""}}


# (rule, a body that breaks it, the same content fixed)
RULES = {
    "alt": (lambda: [_image_block("")], lambda: [_image_block("Lesesaal mit hohen Fenstern")]),
    "decorative": (lambda: [_image_block("")], lambda: [_image_block("", decorative=True)]),
    "heading": (
        lambda: [{"type": "text", "value": "<h3>Ausleihe</h3><p>Text.</p>"}],
        lambda: [{"type": "text", "value": "<h2>Ausleihe</h2><p>Text.</p>"}],
    ),
    "link": (
        lambda: [
            {
                "type": "text",
                "value": '<p>Den Antrag finden Sie <a href="/leistungen/">hier klicken</a>.</p>',
            }
        ],
        lambda: [
            {
                "type": "text",
                "value": '<p>Zum <a href="/leistungen/">Antrag auf einen Leseausweis</a>.</p>',
            }
        ],
    ),
    "empty link": (
        lambda: [{"type": "text", "value": '<p>Text <a href="/leistungen/"> </a></p>'}],
        lambda: [
            {"type": "text", "value": '<p>Text <a href="/leistungen/">Alle Leistungen</a></p>'}
        ],
    ),
    "table": (
        lambda: [
            {
                "type": "table",
                "value": {
                    "caption": "Gebühren",
                    "header": ["Art", ""],
                    "rows": [["Jahresausweis", "20,00 €"]],
                },
            }
        ],
        lambda: [
            {
                "type": "table",
                "value": {
                    "caption": "Gebühren",
                    "header": ["Art", "Preis"],
                    "rows": [["Jahresausweis", "20,00 €"]],
                },
            }
        ],
    ),
    "language": (
        lambda: [
            {
                "type": "text",
                "value": ENGLISH,
            }
        ],
        lambda: [
            {
                "type": "foreign",
                "value": {
                    "language": "en",
                    "text": ENGLISH,
                },
            }
        ],
    ),
    "pdf": (
        lambda: [_download_block("")],
        lambda: [_download_block("Gebührenordnung der Stadtbüchereien")],
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_blocks_publishing_until_the_content_is_fixed(library, rule):
    broken, fixed = RULES[rule]
    page = add_page(library.root, "regeln", body=broken())
    with pytest.raises(PermissionDenied):
        services.publish_as_system(page)
    page = ContentPage.objects.get(pk=page.pk)
    assert not page.live
    page.body = json.dumps(fixed())
    page.save()
    services.publish_as_system(page)
    assert ContentPage.objects.get(pk=page.pk).live


def test_the_german_text_of_a_page_is_not_taken_for_another_language(library):
    page = add_page(
        library.root,
        "deutsch",
        body=[
            {
                "type": "text",
                "value": GERMAN,
            }
        ],
    )
    services.publish_as_system(page)


def test_an_accent_colour_below_aa_blocks_publishing_and_is_refused_in_the_profile(library):
    from django.core.exceptions import ValidationError

    profile = SiteProfile.for_site(library.site)
    profile.accent = "#77aadd"
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    # by hand: relative luminance of #77aadd 0.379, (1 + 0.05) / (0.379 + 0.05) = 2.45
    assert "Kontrastverhältnis von 2,4:1" in str(error.value)
    profile.save()  # an import or an old value: the pages still cannot go live
    page = add_page(library.root, "farbe")
    with pytest.raises(PermissionDenied, match="Akzentfarbe"):
        services.publish_as_system(page)
    profile.accent = "#1d5f8a"
    profile.save()
    services.publish_as_system(ContentPage.objects.get(pk=page.pk))


def test_a_video_needs_captions(library):
    video = Document.objects.create(
        title="Rundgang", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="rundgang.mp4")
    )
    captions = Document.objects.create(
        title="Untertitel",
        file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n", name="rundgang.vtt"),
    )
    page = add_page(
        library.root,
        "video",
        body=[
            {
                "type": "video",
                "value": {
                    "title": "Rundgang",
                    "video": video.pk,
                    "captions": None,
                    "transcript": "",
                },
            }
        ],
    )
    with pytest.raises(PermissionDenied, match="Untertitel"):
        services.publish_as_system(page)
    page = ContentPage.objects.get(pk=page.pk)
    page.body = json.dumps(
        [
            {
                "type": "video",
                "value": {
                    "title": "Rundgang",
                    "video": video.pk,
                    "captions": captions.pk,
                    "transcript": "",
                },
            }
        ]
    )
    page.save()
    services.publish_as_system(page)
    response = Client(HTTP_HOST="testbuecherei.localhost").get("/video/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<track kind="captions" src="{captions.url}"' in html


# --- the editor: refusals are messages, nothing is saved -------------------------------------


def _edit_data(page, body_items, **actions) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "",
            "easy_language": "",
            "body": streamfield(body_items),
            **actions,
        }
    )


def test_submitting_a_page_with_an_image_without_alt_text_is_refused_with_nothing_saved(library):
    editor = staff_in(library.editors)
    page = add_page(library.root, "bild")
    revisions = page.revisions.count()
    image = Image.objects.create(title="Lesesaal", file=_png())
    body = [("image", {"image": image.pk, "alt": "", "decorative": "", "caption": ""})]
    response = client_for(editor).post(
        f"/redaktion/pages/{page.pk}/edit/", _edit_data(page, body, **{"action-submit": "1"})
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "keinen Alternativtext" in text
    assert page.revisions.count() == revisions
    assert page.current_workflow_state is None
    body = [
        (
            "image",
            {
                "image": image.pk,
                "alt": "Lesesaal mit hohen Fenstern",
                "decorative": "",
                "caption": "",
            },
        )
    ]
    response = client_for(editor).post(
        f"/redaktion/pages/{page.pk}/edit/", _edit_data(page, body, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    page = ContentPage.objects.get(pk=page.pk)
    assert page.current_workflow_state is not None and not page.live


def test_saving_shows_the_hints_of_the_easy_language_check_and_keeps_the_draft(library):
    editor = client_for(staff_in(library.editors))
    page = add_page(library.root, "antrag")
    hard = (
        "Die Anträge werden von der Stadtverwaltung innerhalb von vierzehn Tagen bearbeitet, "
        "wenn alle Unterlagen vollständig vorliegen und die Gebühr bezahlt wurde."
    )
    body = [("text", rich_text("<p>Anträge stellen Sie online.</p>"))]
    data = _edit_data(page, body) | {"easy_language": hard}
    response = editor.post(f"/redaktion/pages/{page.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Leichte Sprache: " in text and "Zeile 1" in text
    assert page.revisions.last().as_object().easy_language == hard  # saved all the same
    easy = "Sie stellen einen Antrag.\nSie bekommen einen Brief."
    data = _edit_data(page, body) | {"easy_language": easy}
    response = editor.post(f"/redaktion/pages/{page.pk}/edit/", data, follow=True)
    assert "Leichte Sprache: " not in response.content.decode()


def _errors(response) -> str:
    import re

    return " | ".join(
        re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{3,300})', response.content.decode())
    )


def test_a_page_goes_live_only_when_a_second_person_approves(library):
    editor = staff_in(library.editors)
    reviewer = staff_in(library.reviewers)
    author_reviewer = staff_in(library.editors, library.reviewers)
    page = add_page(library.root, "neu", live=False)
    body = [
        (
            "text",
            rich_text(
                '<h2>Öffnungszeiten</h2><p>Wir haben <a href="/kontakt/">Kontakt und Anfahrt</a>.</p>'  # noqa: E501
            ),
        )
    ]
    assert (
        client_for(author_reviewer)
        .post(f"/redaktion/pages/{page.pk}/edit/", _edit_data(page, body, **{"action-submit": "1"}))
        .status_code
        == 302
    )
    page = ContentPage.objects.get(pk=page.pk)
    task = page.current_workflow_task
    # The author may not approve, even as a member of the reviewers.
    assert [a for a in task.get_actions(page, author_reviewer) if a[0] == "approve"] == []
    assert [a for a in task.get_actions(page, editor) if a[0] == "approve"] == []
    with pytest.raises(PermissionDenied):
        task.on_action(page.current_workflow_task_state, author_reviewer, "approve")
    # Direct publishing is not offered to editors and refused for anyone's own text.
    response = client_for(author_reviewer).post(
        f"/redaktion/pages/{page.pk}/edit/", _edit_data(page, body, **{"action-publish": "1"})
    )
    assert not ContentPage.objects.get(pk=page.pk).live
    # The second person approves in the editor, without changes.
    # The second person approves (the dashboard's and the editor's approve button).
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", page.current_workflow_task_state.pk],
    )
    assert client_for(editor).post(url).status_code in (302, 403)
    assert not ContentPage.objects.get(pk=page.pk).live
    response = client_for(reviewer).post(url)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    page = ContentPage.objects.get(pk=page.pk)
    assert page.live
    entry = page.get_latest_revision()
    assert entry.user == author_reviewer
    from wagtail.models import PageLogEntry

    published = PageLogEntry.objects.filter(page=page, action="wagtail.publish").get()
    assert published.user == reviewer  # the audit trail: who published what when


def test_a_superuser_cannot_publish_their_own_text_directly(library):
    admin = StaffFactory(roles=[Role.ADMINISTRATOR])
    page = add_page(library.root, "eigen", live=False)
    revisions = page.revisions.count()
    body = [("text", rich_text("<p>Ein eigener Text.</p>"))]
    response = client_for(admin).post(
        f"/redaktion/pages/{page.pk}/edit/", _edit_data(page, body, **{"action-publish": "1"})
    )
    assert response.status_code == 200
    assert "Vier-Augen-Prinzip" in response.content.decode()
    assert not ContentPage.objects.get(pk=page.pk).live
    assert page.revisions.count() == revisions  # nothing saved


def test_a_top_level_page_of_the_portal_cannot_take_a_module_path(db):
    from wagtail.models import Site

    portal = Site.objects.get(is_default_site=True)
    admin = StaffFactory(roles=[Role.ADMINISTRATOR])
    data = nested_form_data(
        {
            "title": "Termine",
            "slug": "termine",
            "intro": "",
            "easy_language": "",
            "body": streamfield([]),
        }
    )
    response = client_for(admin).post(
        f"/redaktion/pages/add/sites/contentpage/{portal.root_page_id}/", data
    )
    assert response.status_code == 200
    assert "gehört schon zu einem anderen Teil des Portals" in response.content.decode()
    assert not ContentPage.objects.filter(slug="termine").exists()
