from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "rathaus.register"
    label = "register"
    verbose_name = _("Algorithmenregister")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.core import navigation

        from . import open_data  # noqa: F401  (registers the register's data set)

        navigation.register(
            navigation.FOOTER,
            navigation.Section("algorithmen", _("Algorithmenregister"), "register:index"),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "algorithmen",
                _("Algorithmenregister"),
                "register:staff",
                order=65,
                visible=lambda user: policy.can(user, "register.edit"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo``: the records of Rathaus's own algorithms."""
        from .demo import load

        load(log=log)
