from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "rathaus.monitor"
    label = "monitor"
    verbose_name = _("Digitalmonitor")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.core import navigation

        from . import open_data  # noqa: F401  (registers the monitor's data sets)

        navigation.register(
            navigation.FOOTER,
            navigation.Section("digitalmonitor", _("Digitalmonitor 2030"), "monitor:index"),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "digitalmonitor",
                _("Digitalmonitor"),
                "monitor:staff",
                order=66,
                visible=lambda user: policy.can(user, "monitor.edit"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo``: the paper assumptions, the committee's targets, the
        Wi-Fi places and the first reading of each share."""
        from .demo import load

        load(scale=scale, log=log)
