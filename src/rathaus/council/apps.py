from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "rathaus.council"
    label = "council"
    verbose_name = _("Ratsinformation")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.core import navigation

        navigation.register(
            navigation.FOOTER,
            navigation.Section("ratsinfo", _("Rat und Ausschüsse"), "council:index"),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "ratsinfo",
                _("Sitzungen und Drucksachen"),
                "admin:council_meeting_changelist",
                order=68,
                visible=lambda user: policy.can(user, "council.edit"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo``: the council, its committees and factions, a year of
        meetings of the committee for digitalisation with agendas, papers and files."""
        from .demo import load

        load(scale=scale, log=log)
