"""The end of the four-eyes workflow (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Its own module because Wagtail imports it while its models load; it imports nothing."""


def publish_reviewed(workflow_state, user=None) -> None:
    """Publish the approved revision. The approver needs no publish permission of their own;
    ``SitePage.publish`` checks the second person and the accessibility rules."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
