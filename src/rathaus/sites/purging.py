"""What purges the page cache (cache.py): publishing, moving and deleting pages, and every
change to what a page embeds from another module.

Django's and Wagtail's signals, not calls from the writers: a stale page must not survive
any write path (editor, workflow, scheduled publishing, back office, importer, shell), and
no business flow depends on a purge. Everything here is connected in ``connect``.
"""

from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from rathaus.catalog.models import Service, ServiceChannel
from rathaus.offices.models import Office, OpeningHours
from rathaus.programs.models import Offer, Session, Venue

from . import cache
from .models import NewsPage, SiteProfile
from .translation import source_of


def page_changed(page: Page) -> None:
    """The page itself and the list of its siblings; its breadcrumb label and its site's
    menu only when its title, address, menu flag or live state changed; for news, the
    newest-news box of the home pages above it. A translation purges by its German page,
    whose tags every language's copy of a page carries (``services.page_context``)."""
    source = source_of(page)
    parent = source.get_parent()
    tags = [f"page:{source.pk}"]
    if parent is not None:
        tags.append(f"list:{parent.pk}")
    label = (page.title, page.url_path, page.show_in_menus, page.live)
    if cache.label_changed(page.pk, label):
        tags.append(f"label:{source.pk}")
        if parent is not None:
            tags.append(f"menu:{parent.pk}")
    if page.specific_class is NewsPage:
        tags += [f"news:{pk}" for pk in source.get_ancestors().values_list("pk", flat=True)]
    cache.purge(*tags)


def _published(sender, instance: Page, **kwargs) -> None:
    page_changed(instance)


def _moved(sender, instance: Page, parent_page_before: Page, **kwargs) -> None:
    cache.purge(f"list:{parent_page_before.pk}", f"menu:{parent_page_before.pk}")
    page_changed(instance)


def _deleted(sender, instance: Page, **kwargs) -> None:
    tags = []
    for page in {instance, source_of(instance)}:
        tags += [f"page:{page.pk}", f"label:{page.pk}"]
        if page.depth > 1:
            parent_path = page.path[: -Page.steplen]
            if parent := Page.objects.filter(path=parent_path).values_list("pk", flat=True).first():
                tags += [f"list:{parent}", f"menu:{parent}"]
    cache.purge(*tags)


def _tagged(kind: str, attribute: str):
    def receiver(sender, instance, **kwargs) -> None:
        value = instance
        for name in attribute.split("."):
            value = getattr(value, name, None)
        if value is not None:
            cache.purge(f"{kind}:{value}")

    return receiver


def _everything(sender, **kwargs) -> None:
    cache.purge(cache.EVERYTHING)


# (model, tag kind, attribute path to the id) – what a page embeds from elsewhere
_EMBEDDED = [
    (Service, "service", "pk"),
    (ServiceChannel, "service", "service_id"),
    (Office, "office", "pk"),
    (OpeningHours, "office", "office_id"),
    (Offer, "offers", "provider_id"),
    (Session, "offers", "offer.provider_id"),  # the list shows when an offer starts
    (Venue, "offers", "provider_id"),
    (SiteProfile, "site", "site_id"),
]


def connect() -> None:
    page_published.connect(_published, dispatch_uid="sites-cache-published")
    page_unpublished.connect(_published, dispatch_uid="sites-cache-unpublished")
    post_page_move.connect(_moved, dispatch_uid="sites-cache-moved")
    post_delete.connect(_deleted, sender=Page, dispatch_uid="sites-cache-deleted")
    embedded = [*_EMBEDDED, (get_image_model(), "image", "pk")]
    embedded.append((get_document_model(), "document", "pk"))
    for model, kind, attribute in embedded:
        receiver = _tagged(kind, attribute)
        uid = f"sites-cache-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-saved")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-deleted")
    # A new host, a view restriction or a deploy (templates change; every deploy migrates):
    # rare enough to start afresh.
    for model in (Site, PageViewRestriction):
        uid = f"sites-cache-{model._meta.label_lower}"
        post_save.connect(_everything, sender=model, dispatch_uid=uid + "-saved")
        post_delete.connect(_everything, sender=model, dispatch_uid=uid + "-deleted")
    post_migrate.connect(_everything, dispatch_uid="sites-cache-migrate")
