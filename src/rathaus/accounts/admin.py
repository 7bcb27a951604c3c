"""The back office for staff accounts; and the passkey sign-in in front of the whole back office.

Residents' accounts are not listed here at all: staff reach a resident only through
the assisted channel, where every look is logged.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from rathaus.core.admin import PolicyAdmin, ReadOnlyAdmin
from rathaus.offices.models import Office

from .models import AccessLogEntry, OfficeMembership, Role, StaffAccount, StaffRole
from .services import staff


def _passkey_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """No password form: staff sign in with a passkey (phishing-resistant)."""
    next_url = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{reverse('accounts:staff_signin')}?{urlencode({'next': next_url})}")


admin.site.login = _passkey_login


class StaffAccountForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Rollen"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Dienststellen"),
        queryset=Office.objects.all(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("Dienststellen"), is_stacked=False),
    )

    class Meta:
        model = StaffAccount
        fields = ["email", "full_name", "staff_number", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                StaffRole.objects.filter(user=self.instance).values_list("role", flat=True)
            )
            self.fields["offices"].initial = list(
                OfficeMembership.objects.filter(user=self.instance).values_list(
                    "office_id", flat=True
                )
            )


@admin.register(StaffAccount)
class StaffAccountAdmin(PolicyAdmin):
    form = StaffAccountForm
    list_display = ("full_name", "staff_number", "email", "is_active", "last_login")
    search_fields = ("full_name", "staff_number", "email")
    actions = ["send_enrolment_link"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(is_staff=True)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            user, raw = staff.invite_staff(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                staff_number=form.cleaned_data["staff_number"],
                roles=form.cleaned_data["roles"],
                offices=form.cleaned_data["offices"],
                by=request.user,
            )
            obj.pk = user.pk
            self._show_link(request, user, raw)
            return
        super().save_model(request, obj, form, change)
        staff.set_staff(
            obj,
            roles=form.cleaned_data["roles"],
            offices=form.cleaned_data["offices"],
            by=request.user,
        )

    def _show_link(self, request: HttpRequest, user, raw: str) -> None:
        link = request.build_absolute_uri(reverse("accounts:staff_enrol", args=[raw]))
        messages.success(
            request,
            _("Einrichtungslink für %(name)s (einmal gültig, 3 Tage): %(link)s")
            % {"name": user.full_name or user.email, "link": link},
        )

    @admin.action(description=_("Neuen Einrichtungslink erzeugen"))
    def send_enrolment_link(self, request: HttpRequest, queryset) -> None:
        for user in queryset:
            self._show_link(request, user, staff.new_enrolment(user, by=request.user))


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """Read-only: the database refuses changes anyway."""

    policy_action = "audit.view"
    list_display = ("accessed_at", "staff_label", "office_label", "record_type", "purpose")
    list_filter = ("record_type",)
    search_fields = ("staff_label", "purpose")
    date_hierarchy = "accessed_at"
