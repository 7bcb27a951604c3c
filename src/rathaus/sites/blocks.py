"""The few content blocks editors get: each renders accessible markup by construction, and
each carries what the accessibility rules (``accessibility.py``) need to check it."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .choosers import ServiceChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# Languages a passage may be marked with (BCP 47); the page itself is German.
PASSAGE_LANGUAGES = [
    ("de", _("Deutsch")),  # a German passage on a translated page
    ("en", _("Englisch")),
    ("fr", _("Französisch")),
    ("tr", _("Türkisch")),
    ("uk", _("Ukrainisch")),
    ("ar", _("Arabisch")),
    ("pl", _("Polnisch")),
    ("ru", _("Russisch")),
    ("es", _("Spanisch")),
    ("it", _("Italienisch")),
    ("ja", _("Japanisch")),
    ("el", _("Griechisch")),
    ("la", _("Latein")),
]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt = blocks.CharBlock(
        label=_("Alternativtext"),
        required=False,
        max_length=300,
        help_text=_(
            "Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen. Ohne "
            "Alternativtext kann die Seite nicht veröffentlicht werden; ein rein "
            "schmückendes Bild kennzeichnen Sie unten."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Nur schmückend (Vorleseprogramme überspringen es)"), required=False
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "sites/blocks/image.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)


class ContactBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    office = blocks.CharBlock(
        label=_("Dienststelle (Kurzname)"),
        required=False,
        max_length=100,
        help_text=_("Adresse und Öffnungszeiten kommen dann aus dem Dienststellenverzeichnis."),
    )
    phone = blocks.CharBlock(label=_("Telefon"), required=False, max_length=50)
    email = blocks.EmailBlock(label=_("E-Mail-Adresse"), required=False)
    text = blocks.TextBlock(label=_("Hinweis"), required=False, max_length=600)

    class Meta:
        icon = "user"
        label = _("Kontakt")
        template = "sites/blocks/contact.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Datei"))
    title = blocks.CharBlock(
        label=_("Linktext"),
        required=False,
        max_length=200,
        help_text=_("Leer: der Titel der Datei. Dateityp und Größe werden angehängt."),
    )

    class Meta:
        icon = "download"
        label = _("Download")
        template = "sites/blocks/download.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Tabellenüberschrift"), max_length=200)
    header = blocks.ListBlock(
        blocks.CharBlock(label=_("Spaltenkopf"), max_length=100), label=_("Spaltenköpfe")
    )
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(label=_("Zelle"), required=False, max_length=300)),
        label=_("Zeilen"),
    )

    class Meta:
        icon = "table"
        label = _("Tabelle")
        template = "sites/blocks/table.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    video = DocumentChooserBlock(label=_("Videodatei (MP4 oder WebM)"))
    captions = DocumentChooserBlock(
        label=_("Untertitel (WebVTT)"), required=False, help_text=_("Pflicht zum Veröffentlichen.")
    )
    transcript = blocks.TextBlock(label=_("Abschrift"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "sites/blocks/video.html"


class ForeignTextBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=PASSAGE_LANGUAGES, label=_("Sprache des Abschnitts"))
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "openquote"
        label = _("Text in anderer Sprache")
        template = "sites/blocks/foreign_text.html"


class EventsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Überschrift"), max_length=200, default=_("Veranstaltungen"))
    count = blocks.IntegerBlock(label=_("Anzahl"), min_value=1, max_value=12, default=4)

    class Meta:
        icon = "date"
        label = _("Veranstaltungen aus dem Angebotsportal")
        template = "sites/blocks/events.html"


class InstitutionBlock(blocks.StaticBlock):
    class Meta:
        icon = "home"
        label = _("Adresse und Öffnungszeiten der Einrichtung")
        admin_text = _("Zeigt Adresse und Öffnungszeiten aus dem Dienststellenverzeichnis.")
        template = "sites/blocks/institution.html"


class ServiceBlock(ServiceChooserBlock):
    class Meta:
        icon = "doc-full"
        label = _("Leistung aus dem Katalog")
        template = "sites/blocks/service.html"


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks of every page body, in the order the editor offers them."""
    return [
        ("text", blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)),
        ("image", ImageBlock()),
        (
            "accordion",
            blocks.ListBlock(
                AccordionItemBlock(),
                icon="list-ul",
                label=_("Aufklappbereiche (Fragen und Antworten)"),
                template="sites/blocks/accordion.html",
            ),
        ),
        ("contact", ContactBlock()),
        ("download", DownloadBlock()),
        ("table", TableBlock()),
        ("video", VideoBlock()),
        ("foreign", ForeignTextBlock()),
        ("service", ServiceBlock()),
        ("events", EventsBlock()),
        ("institution", InstitutionBlock()),
    ]
