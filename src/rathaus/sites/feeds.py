"""Atom feeds of news, so residents and other sites can follow an institution."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

FEED_ITEMS = 30


def atom(index, request: HttpRequest) -> HttpResponse:
    from .models import NewsPage

    feed = Atom1Feed(
        title=index.title,
        link=index.full_url,
        description=index.intro,
        language="de",
        feed_url=index.full_url + "feed/",
    )
    news = NewsPage.objects.child_of(index).live().order_by("-date", "-pk")[:FEED_ITEMS]
    for item in news:
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
