from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "rathaus.participation"
    label = "participation"
    verbose_name = _("Beteiligung")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.accounts.services import privacy as account_privacy
        from rathaus.core import navigation
        from rathaus.council import links as council_links

        from . import open_data, privacy  # noqa: F401  (open_data registers its data set)
        from .links import for_paper

        account_privacy.register(privacy.DATA_SOURCE)
        council_links.register(for_paper)
        navigation.register(
            navigation.MAIN,
            navigation.Section("beteiligung", _("Mitreden"), "participation:index", order=50),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "beteiligung",
                _("Beteiligung und Moderation"),
                "participation:staff_home",
                order=69,
                visible=lambda user: (
                    bool(policy.offices_for(user, "participation.manage"))
                    or policy.can(user, "staff.manage")
                ),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo``: the consultation on the draft strategy "Digitales
        Düsseldorf 2030" with comments, replies and the office's answers."""
        from .demo import load

        load(log=log)
