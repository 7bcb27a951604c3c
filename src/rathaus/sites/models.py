"""The homepages of the city and its institutions: one Wagtail page tree per site.

Every page type shares ``SitePage``: an introduction, an easy-language text, a body of the
blocks in ``blocks.py``, and the publishing guard: nothing goes live with an accessibility
finding or without a second person (``services.publish_refusal``).
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .accessibility import colour_findings
from .blocks import body_blocks
from .forms import SitePageForm

NEWS_PER_PAGE = 20
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_colour(value: str) -> None:
    if not _COLOUR.match(value):
        raise ValidationError(_("Bitte eine Farbe als #rrggbb angeben, z. B. #004b87."))
    if findings := colour_findings(value):
        raise ValidationError(findings[0].message)


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    """How a site looks and whose it is: name, accent colour, office and programme provider."""

    short_name = models.CharField(_("Kurzname"), max_length=60)
    tagline = models.CharField(_("Unterzeile"), max_length=120, blank=True)
    accent = models.CharField(
        _("Akzentfarbe"),
        max_length=7,
        default="#004b87",
        validators=[validate_colour],
        help_text=_("Innerhalb der KERN-Farben; Kontrast zu Weiß mindestens 4,5:1."),
    )
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Dienststelle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Adresse und Öffnungszeiten der Einrichtung kommen von hier."),
    )
    provider = models.ForeignKey(
        "programs.Provider",
        verbose_name=_("Anbieter im Angebotsportal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Veranstaltungen der Seite sind die Angebote dieses Anbieters."),
    )

    panels = [
        FieldPanel("short_name"),
        FieldPanel("tagline"),
        FieldPanel("accent"),
        FieldPanel("office"),
        FieldPanel("provider"),
    ]

    class Meta:
        verbose_name = _("Auftritt")
        verbose_name_plural = _("Auftritte")

    def __str__(self) -> str:
        return self.short_name


def translated_with(*synchronised: str) -> list:
    """What a translator translates; the address (slug) and the type's own facts (a date, an
    office, a service) stay as in German, so a page has one address in every language."""
    return [
        *(
            TranslatableField(name)
            for name in ("title", "seo_title", "search_description", "intro", "easy_language")
        ),
        TranslatableField("body"),
        *(SynchronizedField(name) for name in ("slug", "show_in_menus", *synchronised)),
    ]


def panels_with(*fields: str) -> list[FieldPanel]:
    """The editor's content tab: title, the type's own fields, then what every page has."""
    return [
        *Page.content_panels,
        *(FieldPanel(name) for name in (*fields, "intro", "body", "easy_language")),
    ]


class SitePage(Page):
    """What every page of every site has."""

    intro = models.TextField(_("Einleitung"), blank=True, max_length=600)
    easy_language = models.TextField(
        _("Leichte Sprache"),
        blank=True,
        help_text=_("Kurze Sätze, ein Gedanke pro Satz; jeder Satz in einer eigenen Zeile."),
    )
    body = StreamField(body_blocks(), blank=True, verbose_name=_("Inhalt"))

    base_form_class = SitePageForm
    content_panels = panels_with()
    translatable_fields = translated_with()
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True

    def publish(self, revision, user=None, skip_permission_checks=False, **kwargs):
        """The last guard: every path to publishing passes here (editor, workflow, bulk)."""
        from . import services

        if refusal := services.publish_refusal(revision, user):
            raise PermissionDenied(refusal)
        return super().publish(
            revision, user=user, skip_permission_checks=skip_permission_checks, **kwargs
        )

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context.update(services.page_context(self, request))
        return context


class HomePage(SitePage):
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("Startseite eines Auftritts")

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = services.latest_news(context["source_page"])
        context["children"] = [
            child for child in context["children"] if not isinstance(child, NewsIndexPage)
        ]
        return context


class ContentPage(SitePage):
    class Meta:
        verbose_name = _("Inhaltsseite")


class NewsIndexPage(RoutablePageMixin, SitePage):
    subpage_types = ["sites.NewsPage"]

    class Meta:
        verbose_name = _("Nachrichten (Übersicht)")

    def get_context(self, request, *args, **kwargs):
        from .translation import localized

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(context["source_page"]).live().order_by("-date", "-pk")
        shown = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("seite"))
        shown.object_list = localized(shown.object_list, specific=True)
        context["news"] = shown
        context["children"] = []
        return context

    @path("feed/")
    def feed(self, request):
        from . import feeds

        return feeds.atom(self, request)


class NewsPage(SitePage):
    date = models.DateField(_("Datum"), default=timezone.localdate)

    parent_page_types = ["sites.NewsIndexPage"]
    subpage_types: list[str] = []
    content_panels = panels_with("date")
    translatable_fields = translated_with("date")

    class Meta:
        verbose_name = _("Nachricht")


class EventIndexPage(SitePage):
    """The institution's events: the offers of its provider in the programme portal."""

    class Meta:
        verbose_name = _("Veranstaltungen")

    @property
    def lists_events(self) -> bool:
        """The editor placed the list in the body; otherwise the page shows it below."""
        return any(block.block_type == "events" for block in self.body)

    def get_context(self, request, *args, **kwargs):
        """The offers once, for the list and the schema.org data alike."""
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["events"] = services.upcoming_events(context["site_profile"], request.user)
        return context


class InstitutionPage(SitePage):
    """An institution's visitor page; address and hours come from its office, never a copy."""

    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Dienststelle"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = panels_with("office")
    translatable_fields = translated_with("office")

    class Meta:
        verbose_name = _("Einrichtung (Adresse und Öffnungszeiten)")


class FormPage(SitePage):
    """A page that leads into an online application of the catalogue."""

    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("Leistung"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Der Antrag dieser Leistung wird verlinkt; er bleibt im Antragsmodul."),
    )

    content_panels = panels_with("service")
    translatable_fields = translated_with("service")

    class Meta:
        verbose_name = _("Antragsseite")


class ReviewTask(AbstractGroupApprovalTask):
    """Approval by a second person of the site's reviewers; never by the author."""

    def get_actions(self, obj, user):
        from . import services

        actions = super().get_actions(obj, user)
        if services.approval_refusal(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import services

        if action_name == "approve" and (
            refusal := services.approval_refusal(task_state.workflow_state.content_object, user)
        ):
            raise PermissionDenied(refusal)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Eine zweite Person aus der Freigabegruppe prüft und veröffentlicht.")

    class Meta:
        verbose_name = _("Freigabe durch eine zweite Person")
        verbose_name_plural = _("Freigaben durch eine zweite Person")
