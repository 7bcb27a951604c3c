"""The editor's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``): Wagtail limits the size of
images but not of documents, so the form keeps the limit every upload of Rathaus keeps
(``FILE_UPLOAD_MAX_BYTES``) and names the file's size. Its own module: Wagtail's document
forms may only be imported once the models are loaded, the page form is imported earlier."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    def clean_file(self) -> File | None:
        upload = self.cleaned_data.get("file")
        limit = settings.FILE_UPLOAD_MAX_BYTES
        if upload and upload is not self.original_file and upload.size > limit:
            raise ValidationError(
                _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        return upload
