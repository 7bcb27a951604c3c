"""Residents propose, others support; the office checks, answers officially once a proposal
reaches the process's threshold, and moves it through its statuses with public reasons.

Every status change is kept as history (``StatusChange``) with who changed it and why, and
its author is told by e-mail. A rejection always says why.
"""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit

from ..models import Category, Participant, Process, Proposal, ProposalSupport, StatusChange
from . import notices
from .processes import NotAllowed, limit_writing, may_manage, own, require_open

__all__ = [
    "ORDERS",
    "change_status",
    "due",
    "listing",
    "submit",
    "support",
    "withdraw",
    "withdraw_support",
]

ORDERS = {
    "unterstuetzung": ("-support_count", "-created_at", "-pk"),
    "neueste": ("-created_at", "-pk"),
    "aelteste": ("created_at", "pk"),
}


def submit(
    process: Process,
    *,
    user,
    title: str,
    text: str,
    public_name: str,
    district=None,
    category: Category | None = None,
    location: str = "",
    image: UploadedFile | None = None,
    image_alt: str = "",
    now: datetime | None = None,
) -> Proposal:
    now = now or timezone.now()
    require_open(process, "propose", now)
    if category is not None and category.process_id != process.pk:
        raise NotAllowed(_("Bitte wählen Sie eine Kategorie dieser Beteiligung."))
    limit_writing(user)
    with transaction.atomic():
        participant, _created = Participant.objects.update_or_create(
            user=user, defaults={"public_name": public_name}
        )
        proposal = Proposal(
            process=process,
            author=participant,
            public_name=public_name,
            title=title,
            text=text,
            district=district,
            category=category,
            location=location,
            image_alt=image_alt if image else "",
            created_at=now,
        )
        if image:
            proposal.image.save(image.name, image, save=False)
        proposal.save()
        StatusChange.objects.create(
            proposal=proposal, status=Proposal.Status.SUBMITTED, changed_at=now
        )
        audit.record("rathaus.participation.proposal.submitted", actor=user, target=proposal)
    return proposal


def support(proposal: Proposal, *, user, now: datetime | None = None) -> bool:
    """Support a proposal, once per person (unique constraint). When the supports reach the
    process's threshold, the office's answer becomes due."""
    now = now or timezone.now()
    require_open(proposal.process, "support_proposal", now)
    if not proposal.shown or proposal.status == Proposal.Status.REJECTED:
        raise NotAllowed(_("Dieser Vorschlag kann nicht mehr unterstützt werden."))
    if own(proposal, user):
        raise NotAllowed(_("Ihren eigenen Vorschlag können Sie nicht unterstützen."))
    try:
        with transaction.atomic():
            ProposalSupport.objects.create(proposal=proposal, user=user)
            threshold = proposal.process.support_threshold
            if proposal.supports.count() >= threshold:
                Proposal.objects.filter(pk=proposal.pk, threshold_reached_at=None).update(
                    threshold_reached_at=now
                )
    except IntegrityError:
        return False
    return True


def withdraw_support(proposal: Proposal, *, user, now: datetime | None = None) -> None:
    require_open(proposal.process, "support_proposal", now)
    ProposalSupport.objects.filter(proposal=proposal, user=user).delete()


def withdraw(proposal: Proposal, *, user, now: datetime | None = None) -> None:
    """The author takes a proposal back: text and image are removed, the title stays with
    "zurückgezogen" so supporters see what happened."""
    if not own(proposal, user):
        raise NotAllowed(_("Sie können nur Ihre eigenen Vorschläge zurückziehen."))
    if proposal.withdrawn_at is not None:
        return
    if proposal.status in (Proposal.Status.ACCEPTED, Proposal.Status.IMPLEMENTED):
        raise NotAllowed(
            _(
                "Ein angenommener Vorschlag kann nicht mehr zurückgezogen werden. Bitte "
                "schreiben Sie der Dienststelle."
            )
        )
    with transaction.atomic():
        proposal.withdrawn_at = now or timezone.now()
        proposal.text = ""
        proposal.image.delete(save=False)
        proposal.image_alt = ""
        proposal.save(update_fields=["withdrawn_at", "text", "image", "image_alt"])
        audit.record("rathaus.participation.proposal.withdrawn", actor=user, target=proposal)


def change_status(
    proposal: Proposal,
    *,
    status: str,
    reason: str,
    by,
    cost: int | None = None,
    now: datetime | None = None,
) -> StatusChange:
    """The office's decision on a proposal, with the public statement; the author is told."""
    if not may_manage(by, proposal.process):
        raise NotAllowed(_("Sie dürfen Vorschläge dieser Beteiligung nicht bearbeiten."))
    if proposal.withdrawn_at is not None:
        raise NotAllowed(_("Dieser Vorschlag wurde zurückgezogen."))
    reason = reason.strip()
    if status in (Proposal.Status.REJECTED, Proposal.Status.UNDER_REVIEW) and not reason:
        raise NotAllowed(_("Bitte begründen Sie die Entscheidung; die Begründung ist öffentlich."))
    if status == proposal.status and not reason:
        raise NotAllowed(
            _("Der Vorschlag hat diesen Stand schon. Bitte schreiben Sie, was neu ist.")
        )
    with transaction.atomic():
        change = StatusChange.objects.create(
            proposal=proposal,
            status=status,
            reason=reason,
            changed_by=by,
            changed_at=now or timezone.now(),
        )
        proposal.status = status
        if cost is not None:
            proposal.cost = cost
        proposal.save(update_fields=["status", "cost"])
        audit.record(
            "rathaus.participation.proposal.status_changed",
            actor=by,
            target=proposal,
            data={"status": status},
        )
        notices.status_changed(change)
    return change


def listing(
    process: Process,
    *,
    user=None,
    district=None,
    category: Category | None = None,
    status: str = "",
    words: str = "",
    order: str = "unterstuetzung",
) -> QuerySet[Proposal]:
    found = (
        Proposal.objects.filter(process=process)
        .select_related("district", "category")
        .annotate(support_count=Count("supports"))
    )
    if user is not None and user.is_authenticated:
        found = found.annotate(
            supported=Exists(ProposalSupport.objects.filter(proposal=OuterRef("pk"), user=user))
        )
    if district is not None:
        found = found.filter(district=district)
    if category is not None:
        found = found.filter(category=category)
    if status:
        found = found.filter(status=status)
    if words:
        found = found.filter(Q(title__icontains=words) | Q(text__icontains=words))
    return found.order_by(*ORDERS.get(order, ORDERS["unterstuetzung"]))


def due(process: Process) -> QuerySet[Proposal]:
    """Proposals that reached the threshold and still wait for the office's first answer."""
    return (
        Proposal.objects.filter(
            process=process,
            threshold_reached_at__isnull=False,
            status=Proposal.Status.SUBMITTED,
            hidden_at=None,
            withdrawn_at=None,
        )
        .annotate(support_count=Count("supports"))
        .order_by("threshold_reached_at")
    )
