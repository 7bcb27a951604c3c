"""Atom feeds of news, so residents and other sites can follow an institution."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

FEED_ITEMS = 30


def atom(index, request: HttpRequest) -> HttpResponse:
    """The newest news below the index, each in the index's language where translated."""
    from .models import NewsPage
    from .translation import localized, source_of

    feed = Atom1Feed(
        title=index.title,
        link=index.full_url,
        description=index.intro,
        language=index.locale.language_code,
        feed_url=index.full_url + "feed/",
    )
    news = NewsPage.objects.child_of(source_of(index)).live().order_by("-date", "-pk")
    for item in localized(news[:FEED_ITEMS], specific=True):
        moment = timezone.make_aware(
            timezone.datetime.combine(item.date, timezone.datetime.min.time())
        )
        feed.add_item(
            title=item.title,
            link=item.full_url,
            description=item.intro,
            unique_id=item.full_url,
            pubdate=moment,
            updateddate=item.last_published_at or moment,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
