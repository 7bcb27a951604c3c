"""The council's papers link to the processes they came from or led to (``council.links``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.council.links import Link
from rathaus.council.models import Paper

from .services import visible


def for_paper(paper: Paper) -> list[Link]:
    return [
        Link(
            title=process.title,
            url=reverse("participation:process", args=[process.slug]),
            relation=_("Beteiligungsverfahren"),
        )
        for process in visible().filter(papers=paper)
    ]
