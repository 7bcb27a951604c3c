from django.urls import path

from .views import ceremonies, resident, staff

app_name = "accounts"

urlpatterns = [
    # Residents
    path("konto/", resident.account, name="account"),
    path("konto/registrieren/", resident.signup_start, name="signup"),
    path("konto/registrieren/<str:token>/", resident.signup_passkey, name="signup_passkey"),
    path("konto/anmelden/", resident.signin, name="signin"),
    path("konto/abmelden/", resident.signout, name="signout"),
    path("konto/bestaetigen/", resident.step_up, name="step_up"),
    path("konto/wiederherstellen/", resident.recovery, name="recovery"),
    path("konto/zugangscode/", resident.access_code, name="access_code"),
    path(
        "konto/zugangscode/bestaetigen/<str:token>/",
        resident.access_code_confirm,
        name="access_code_confirm",
    ),
    path("konto/vertretungen/", resident.representations, name="representations"),
    path(
        "konto/vertretungen/<int:representation_id>/beenden/",
        resident.representation_end,
        name="representation_end_by_holder",
    ),
    path("konto/passkeys/", resident.passkey_list, name="passkeys"),
    path("konto/passkeys/neu/", resident.passkey_add, name="passkey_add"),
    path(
        "konto/passkeys/<int:passkey_id>/umbenennen/",
        resident.passkey_rename,
        name="passkey_rename",
    ),
    path(
        "konto/passkeys/<int:passkey_id>/entfernen/", resident.passkey_remove, name="passkey_remove"
    ),
    path("konto/wiederherstellungscodes/", resident.recovery_codes_new, name="recovery_codes_new"),
    path(
        "konto/wiederherstellungscodes/erneuern/",
        resident.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("konto/daten/", resident.my_data, name="my_data"),
    path("konto/daten/export.json", resident.export_json, name="export_json"),
    path("konto/daten/uebersicht/", resident.export_summary, name="export_summary"),
    path("konto/e-mail/", resident.email_change, name="email_change"),
    path("konto/e-mail/<str:token>/", resident.email_confirm, name="email_confirm"),
    path("konto/loeschen/", resident.delete_account, name="delete"),
    path("konto/zugriffe/", resident.access_log_view, name="access_log"),
    # Passkey ceremonies (JSON, called by static/accounts/passkey.js)
    path(
        "konto/passkey/registrierung/optionen", ceremonies.registration_options, name="reg_options"
    ),
    path("konto/passkey/registrierung", ceremonies.registration_finish, name="reg_finish"),
    path(
        "konto/passkey/anmeldung/optionen", ceremonies.authentication_options, name="auth_options"
    ),
    path("konto/passkey/anmeldung", ceremonies.authentication_finish, name="auth_finish"),
    # Staff
    path("verwaltung/anmelden/", staff.staff_signin, name="staff_signin"),
    path("verwaltung/einrichten/<str:token>/", staff.staff_enrol, name="staff_enrol"),
    path("verwaltung/buergerservice/", staff.assist_home, name="assist"),
    path("verwaltung/buergerservice/personen/neu/", staff.person_create, name="person_create"),
    path(
        "verwaltung/buergerservice/personen/<uuid:public_id>/", staff.person_detail, name="person"
    ),
    path(
        "verwaltung/buergerservice/personen/<uuid:public_id>/vertreten/",
        staff.person_represent,
        name="person_represent",
    ),
    path(
        "verwaltung/buergerservice/konto-vertreten/",
        staff.account_represent,
        name="account_represent",
    ),
    path(
        "verwaltung/buergerservice/vertretung-beenden/",
        staff.representation_end,
        name="representation_end",
    ),
    path(
        "verwaltung/buergerservice/zugangscode-brief/",
        staff.access_code_letter,
        name="access_code_letter",
    ),
]
