"""What the catalogue reports to the progress monitor: the share of its services that can
be done fully online (registered from ``CatalogConfig.ready``).

A service counts when its catalogue entry offers the channel "Online beantragen": the
editors list that channel only where the whole service can be done online."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from rathaus.monitor import Share, register_share

from .models import Service, ServiceChannel

__all__ = ["ONLINE_SERVICES", "online_share"]


def online_share() -> tuple[int, int]:
    services = Service.objects.published()
    online = ServiceChannel.objects.filter(service=OuterRef("pk"), kind=ServiceChannel.Kind.ONLINE)
    return services.filter(Exists(online)).count(), services.count()


ONLINE_SERVICES = register_share(
    Share(
        key="leistungen-online",
        title=_("Leistungen vollständig online"),
        description=_(
            "Anteil der veröffentlichten Leistungen im Leistungskatalog, die sich ganz online "
            "erledigen lassen."
        ),
        value=online_share,
        open_data="leistungen",
        position=10,
    )
)
