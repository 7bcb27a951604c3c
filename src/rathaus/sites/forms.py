"""The editor's page form: publishing (or asking for it) runs the accessibility rules and the
four-eyes rule first, so a refusal is a message next to the content, with nothing saved."""

from wagtail.admin.forms import WagtailAdminPageForm


class SitePageForm(WagtailAdminPageForm):
    def intent(self) -> str:
        """What the editor pressed: publish, submit (for review), approve, or save."""
        if self.data.get("action-publish"):
            return "publish"
        if self.data.get("action-submit") or self.data.get("action-restart-workflow"):
            return "submit"
        if (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        ):
            return "approve"
        return "save"

    def clean(self) -> dict:
        from . import services

        cleaned = super().clean()
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if (slug := cleaned.get("slug")) and (message := services.path_taken(slug, parent)):
            self.add_error("slug", message)
        return cleaned

    def _post_clean(self) -> None:
        from . import services

        super()._post_clean()
        intent = self.intent()
        if intent == "save" or self.errors:
            return
        user = self.for_user
        changed = intent == "approve" and services.differs_from_latest(self.instance)
        for message in services.intent_refusals(self.instance, user, intent, changed):
            self.add_error(None, message)
