"""From the first page to the submitted application: drafts, pages, files, submission."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import Person, Representation, User
from rathaus.catalog.models import Service
from rathaus.core import audit
from rathaus.core.channels import Channel
from rathaus.core.locking import for_update
from rathaus.core.uploads import atomic_with_files, check_upload, save_with_file
from rathaus.language import translations
from rathaus.offices.models import Office

from ..formdef.engine import FormSchema, validate_all
from ..models import Application, FormDefinition, StoredFile
from . import events, numbering, receipts


class SubmissionError(Exception):
    """The application cannot be submitted; ``pages`` says where the problems are."""

    def __init__(self, message: str, pages: dict[int, dict[str, list[str]]] | None = None):
        super().__init__(message)
        self.pages = pages or {}


def intake_services(representation: Representation) -> QuerySet[Service]:
    """What staff may enter an application for while acting for someone: the services of
    the acting office. A Bürgerbüro, the city's front desk, takes in applications for
    every service; the case then goes to the responsible office's inbox."""
    services = Service.objects.published().filter(pk__in=FormDefinition.objects.values("service"))
    if representation.office.kind != Office.Kind.CITIZENS_OFFICE:
        services = services.filter(office=representation.office)
    return services.order_by("title")


def current_form(service: Service) -> FormDefinition | None:
    """The newest published version of the service's form."""
    return FormDefinition.objects.filter(service=service).order_by("-version").first()


def schema_of(application: Application) -> FormSchema:
    return FormSchema(schema=application.form.schema, version=application.form.version)


def display_schema(application: Application, language: str) -> tuple[FormSchema, str]:
    """The form as the applicant reads it in ``language`` (texts machine-translated where a
    backend is configured; keys and values unchanged), and what the page says about that."""
    schema, note = translations.translated_schema(
        application.form, application.form.schema, language
    )
    return FormSchema(schema=schema, version=application.form.version), note


def start(
    service: Service,
    *,
    applicant: User | None = None,
    person: Person | None = None,
    on_behalf: Representation | None = None,
    entered_by: User | None = None,
    channel: str = Channel.ONLINE,
) -> Application:
    """A new draft of the service's current form; its e-mail questions start with the
    address the city already has (the account's, else the person's)."""
    form = current_form(service)
    if form is None:
        raise SubmissionError(_("Für diese Leistung gibt es noch kein Online-Formular."))
    known_email = (applicant.email if applicant else "") or (person.email if person else "")
    application = Application.objects.create(
        service=service,
        form=form,
        answers=_prefilled(form, email=known_email),
        applicant=applicant,
        person=person,
        on_behalf=on_behalf,
        entered_by=entered_by,
        channel=channel,
        draft_expires_at=timezone.now() + timedelta(days=settings.DRAFT_RETENTION_DAYS),
    )
    return application


def _prefilled(form: FormDefinition, *, email: str) -> dict[str, Any]:
    """Answers a new draft starts with: what the city knows and the form asks for."""
    if not email:
        return {}
    return {
        spec["key"]: email
        for page in form.schema["pages"]
        for spec in page["fields"]
        if spec["type"] == "email"
    }


def save_answers(
    application: Application, values: dict[str, Any], *, replace_prefixes: tuple[str, ...] = ()
) -> None:
    """Keep what was entered on a page (also when it is not yet complete).

    Answers whose names start with one of ``replace_prefixes`` (the rows of a repeating
    group) are dropped first, so a removed row does not come back.
    """
    with transaction.atomic():
        locked = for_update(Application.objects, guard="application-draft").get(pk=application.pk)
        if locked.status != Application.Status.DRAFT:
            raise SubmissionError(
                _("Dieser Antrag ist schon eingereicht und kann nicht mehr geändert werden.")
            )
        kept = {
            name: value
            for name, value in locked.answers.items()
            if not any(name.startswith(prefix) for prefix in replace_prefixes)
        }
        locked.answers = {**kept, **values}
        locked.draft_expires_at = timezone.now() + timedelta(days=settings.DRAFT_RETENTION_DAYS)
        locked.save(update_fields=["answers", "draft_expires_at", "updated_at"])
        application.answers = locked.answers


def store_upload(upload: Any, result: Any, *, by: Any, **where: Any) -> StoredFile:
    """Keep a checked upload (``result`` of ``check_upload``) with its case; ``where`` says
    where it belongs (``application`` and ``field_key`` or ``question``). A full or
    read-only disk is a German ValidationError; call it inside ``atomic_with_files``."""
    stored = StoredFile(
        original_name=upload.name[:200],
        content_type=result.content_type,
        size=result.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        **where,
    )
    save_with_file(stored, "file", upload)
    return stored


def check_files(application: Application, key: str, uploads: list, *, spec: dict) -> list:
    """Check uploads for a file question without storing them (German ValidationError)."""
    checked = [
        (
            upload,
            check_upload(
                upload,
                kinds=spec.get("accept") or ("pdf", "jpeg", "png"),
                max_mb=spec.get("max_size_mb"),
            ),
        )
        for upload in uploads
    ]
    limit = spec.get("max_items") or 5
    if len(application.answers.get(key, [])) + len(checked) > limit:
        raise ValidationError(_("Zu dieser Frage passen höchstens %(n)d Dateien.") % {"n": limit})
    return checked


def attach_files(
    application: Application, key: str, uploads: list, *, spec: dict, by: Any
) -> list[int]:
    """Check and store uploads for a file question; returns the ids now held by the answer.

    Raises ValidationError (German) for a wrong kind, a too big or infected file;
    nothing of that upload is stored then.
    """
    checked = check_files(application, key, uploads, spec=spec)
    ids = list(application.answers.get(key, []))
    with atomic_with_files():
        for upload, result in checked:
            ids.append(
                store_upload(upload, result, by=by, application=application, field_key=key).pk
            )
        save_answers(application, {key: ids})
    return ids


def remove_file(application: Application, key: str, file_id: int) -> None:
    with transaction.atomic():
        stored = StoredFile.objects.filter(
            application=application, field_key=key, pk=file_id
        ).first()
        if stored is None:
            return
        save_answers(
            application, {key: [i for i in application.answers.get(key, []) if i != file_id]}
        )
        stored.file.delete(save=False)
        stored.delete()


def submit(
    application: Application, *, by: Any, received_on=None, channel: str | None = None
) -> Application:
    """Validate every page again, number the case, hand it to the office, queue the receipt.

    Staff entering a paper or counter application give the day it arrived and its channel.
    """
    form = schema_of(application)
    result = validate_all(form, application.answers)
    if not result.ok:
        raise SubmissionError(_("Bitte prüfen Sie die markierten Angaben."), result.errors)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            for_update(Application.objects, guard="application-draft")
            .filter(pk=application.pk)
            .first()
        )
        if locked is None:  # discarded in a parallel request
            raise SubmissionError(_("Dieser Entwurf wurde gelöscht."))
        if locked.status != Application.Status.DRAFT:
            raise SubmissionError(_("Dieser Antrag wurde schon eingereicht."))
        if channel:
            locked.channel = channel
        locked.reference = numbering.next_reference()
        locked.status = Application.Status.RECEIVED
        locked.cleaned = result.values
        locked.submitted_at = now
        locked.received_on = received_on or timezone.localdate()
        locked.due_on = locked.received_on + timedelta(days=locked.service.target_days)
        locked.office = locked.service.office
        locked.draft_expires_at = None
        locked.save()
        events.record(
            locked,
            "status",
            by=by,
            from_status=Application.Status.DRAFT,
            to_status=Application.Status.RECEIVED,
            text=_("Eingegangen per %(channel)s") % {"channel": locked.get_channel_display()},
        )
        audit.record(
            "rathaus.applications.application.submitted",
            actor=by,
            target=locked,
            data={"channel": locked.channel, "on_behalf": locked.on_behalf_id},
        )
        transaction.on_commit(lambda: receipts.make_receipt.enqueue(application_id=locked.pk))
    return locked


# A draft's status is read and changed by one request at a time (submit or discard).
DRAFT_GUARD = "application-draft"


def discard(application: Application) -> bool:
    """Delete a draft the person no longer wants, with its files; ``False`` when it is no
    draft any more. Under the row lock a parallel submission either comes first (then
    nothing is deleted) or finds no draft; the files go only once the deletion is
    committed, so no case is ever left without them."""
    with transaction.atomic():
        draft = for_update(
            Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT),
            guard=DRAFT_GUARD,
        ).first()
        if draft is None:
            return False
        files = [(stored.file.storage, stored.file.name) for stored in draft.files.all()]
        draft.delete()

        def delete_files() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return True


SCAN_KEY = "_scan"


def attach_scans(application: Application, uploads: list, *, by: Any) -> list[StoredFile]:
    """Scans of a paper application, kept with the case like any upload."""
    checked = [(upload, check_upload(upload)) for upload in uploads]
    stored_files = []
    with atomic_with_files():
        for upload, result in checked:
            stored_files.append(
                store_upload(upload, result, by=by, application=application, field_key=SCAN_KEY)
            )
        audit.record(
            "rathaus.applications.scans.added",
            actor=by,
            target=application,
            data={"count": len(stored_files)},
        )
    return stored_files
