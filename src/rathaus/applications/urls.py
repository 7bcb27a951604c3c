from django.urls import path

from .views import public, resident, staff

app_name = "applications"

urlpatterns = [
    # Residents
    path("antraege/", resident.mine, name="mine"),
    path("antraege/neu/<slug:slug>/", resident.start, name="start"),
    path("antraege/<uuid:public_id>/", resident.detail, name="detail"),
    path("antraege/<uuid:public_id>/seite/<int:number>/", resident.fill, name="page"),
    path("antraege/<uuid:public_id>/pruefen/", resident.review, name="review"),
    path("antraege/<uuid:public_id>/eingereicht/", resident.submitted, name="submitted"),
    path("antraege/<uuid:public_id>/zurueckziehen/", resident.withdraw, name="withdraw"),
    path("antraege/<uuid:public_id>/verwerfen/", resident.discard, name="discard"),
    path("antraege/<uuid:public_id>/rueckfrage/<int:question_id>/", resident.answer, name="answer"),
    path(
        "antraege/<uuid:public_id>/dokumente/<int:document_id>/", resident.document, name="document"
    ),
    path("antraege/<uuid:public_id>/dateien/<int:file_id>/", resident.stored_file, name="file"),
    path(
        "antraege/<uuid:public_id>/formular.pdf", resident.printable_draft, name="printable_draft"
    ),
    path("leistungen/<slug:slug>/formular.pdf", resident.printable, name="printable"),
    # Anyone
    path("bescheid-pruefen/", public.verify_start, name="verify"),
    path("bescheid-pruefen/<str:code>/", public.verify_code, name="verify_code"),
    # Staff
    path("verwaltung/vorgaenge/", staff.inbox, name="inbox"),
    path("verwaltung/vorgaenge/auswertung/", staff.processing_times, name="processing_times"),
    path("verwaltung/vorgaenge/erfassen/", staff.intake, name="intake"),
    path(
        "verwaltung/vorgaenge/erfassen/<uuid:public_id>/seite/<int:number>/",
        staff.intake_page,
        name="intake_page",
    ),
    path(
        "verwaltung/vorgaenge/erfassen/<uuid:public_id>/pruefen/",
        staff.intake_review,
        name="intake_review",
    ),
    path("verwaltung/vorgaenge/<uuid:public_id>/", staff.case, name="case"),
    path("verwaltung/vorgaenge/<uuid:public_id>/zuweisen/", staff.take, name="take"),
    path("verwaltung/vorgaenge/<uuid:public_id>/status/", staff.status, name="status"),
    path("verwaltung/vorgaenge/<uuid:public_id>/notiz/", staff.note, name="note"),
    path("verwaltung/vorgaenge/<uuid:public_id>/rueckfrage/", staff.question, name="question"),
    path("verwaltung/vorgaenge/<uuid:public_id>/bescheid/", staff.decide, name="decide"),
    path("verwaltung/vorgaenge/<uuid:public_id>/scans/", staff.scans, name="scans"),
    path(
        "verwaltung/vorgaenge/<uuid:public_id>/dateien/<int:file_id>/",
        staff.staff_file,
        name="staff_file",
    ),
    path(
        "verwaltung/vorgaenge/<uuid:public_id>/dokumente/<int:document_id>/",
        staff.staff_document,
        name="staff_document",
    ),
]
