from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "rathaus.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.core import navigation

        navigation.register(
            navigation.MAIN,
            navigation.Section("opendata", _("Offene Daten"), "opendata:index", order=60),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "opendata",
                _("Offene Daten"),
                "opendata:steward",
                order=60,
                visible=lambda user: policy.can(user, "data.steward"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` after the modules that feed pipelines: two years of
        releases of every pipeline and of the external data sets a city uploads."""
        from .demo import load

        load(scale=scale, log=log)
