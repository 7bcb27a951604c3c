from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "rathaus.sites"
    label = "sites"
    verbose_name = _("Internetauftritte")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale
        from wagtail.signals import copy_for_translation_done

        from rathaus.core import navigation

        from . import purging, translation

        purging.connect()
        copy_for_translation_done.connect(
            translation.tree_copied, dispatch_uid="sites-translated-tree"
        )
        for signal in (post_save, post_delete):
            signal.connect(translation.forget_locales, sender=Locale, dispatch_uid="sites-locales")
        post_migrate.connect(translation.forget_locales, dispatch_uid="sites-locales-migrate")

        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "redaktion",
                _("Redaktion"),
                "wagtailadmin_home",
                order=60,
                visible=lambda user: user.has_perm("wagtailadmin.access_admin"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
