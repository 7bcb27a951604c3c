"""The editor's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``): Wagtail limits the size of
images but not of documents, so a new file passes the size and name checks every upload of
Rathaus passes (``core.uploads``). Its own module: Wagtail's document forms may only be
imported once the models are loaded, the page form is imported earlier."""

from django.core.files import File
from wagtail.documents.forms import BaseDocumentForm

from rathaus.core.uploads import check_name, check_size


class DocumentForm(BaseDocumentForm):
    def clean_file(self) -> File | None:
        upload = self.cleaned_data.get("file")
        if upload and upload is not self.original_file:
            check_name(upload.name or "")
            check_size(upload)
        return upload
