"""Back office for the master data of programmes: providers, venues, offers with their
sessions. Day-to-day work (participants, attendance, payments) happens under
/verwaltung/angebote/.

Provider staff (``programs.manage``) see and edit only their providers' rows; choices of
providers and venues are limited the same way, so a posted id of another provider is
refused by the form. Administrators (``staff.manage``) see everything, create providers and
decide who works for which. Saving an offer, its sessions or a venue recomputes the offers'
derived search fields (``offers.refresh``); an offer's ``taken`` is never written from a
form, so an edit cannot undo bookings made while the form was open.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rathaus.accounts import policy
from rathaus.accounts.models import User
from rathaus.core.admin import AuditedAdmin
from rathaus.language.admin import EasyLanguageHints

from .models import Offer, Provider, ProviderMembership, Session, Venue
from .services import backoffice, lottery, offers, payments

LOTTERY_PRIORITIES = ("duesselpass", "district", "new")


def _administrator(request: HttpRequest) -> bool:
    return policy.can(request.user, "staff.manage")


class ProviderScopedAdmin(AuditedAdmin):
    """Rows belong to a provider; staff see their providers' rows, administrators all."""

    policy_action = "programs.manage"
    provider_field = "provider_id"

    def _providers(self, request: HttpRequest) -> frozenset[int]:
        return backoffice.provider_ids(request.user)

    def _allowed(self, request: HttpRequest) -> bool:
        return _administrator(request) or bool(self._providers(request))

    def owns(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or _administrator(request):
            return self._allowed(request)
        return getattr(obj, self.provider_field) in self._providers(request)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        rows = super().get_queryset(request)
        if _administrator(request):
            return rows
        return rows.filter(**{f"{self.provider_field}__in": self._providers(request)})

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.owns(request, obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if not _administrator(request):
            mine = self._providers(request)
            if db_field.name == "provider":
                kwargs["queryset"] = Provider.objects.filter(pk__in=mine)
            elif db_field.name == "venue":
                kwargs["queryset"] = Venue.objects.filter(provider_id__in=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    """Who works for the provider: administrators only."""

    model = ProviderMembership
    extra = 0
    verbose_name = _("Mitarbeiterin oder Mitarbeiter")
    verbose_name_plural = _("Mitarbeitende des Anbieters")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _administrator(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_staff=True).order_by("full_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProviderForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Internetseite"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Provider
        fields = (
            *("name", "slug", "kind", "description", "is_demo"),
            *("email", "phone", "website", "account_holder", "iban", "bic"),
        )


@admin.register(Provider)
class ProviderAdmin(ProviderScopedAdmin):
    form = ProviderForm
    provider_field = "pk"
    list_display = ("name", "kind", "email", "phone", "is_demo")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description", "is_demo")}),
        (_("Kontakt"), {"fields": ("email", "phone", "website")}),
        (
            _("Bankverbindung für Überweisungen"),
            {"fields": ("account_holder", "iban", "bic")},
        ),
    )

    def get_inlines(self, request: HttpRequest, obj: Any) -> list:
        return [MembershipInline] if _administrator(request) else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _administrator(request)


@admin.register(Venue)
class VenueAdmin(ProviderScopedAdmin):
    list_display = ("name", "street", "quarter", "provider", "step_free")
    list_filter = ("step_free", "district")
    list_select_related = ("provider", "quarter")
    search_fields = ("name", "street")

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for offer in Offer.objects.filter(venue=form.instance).select_related(
            "provider", "venue__quarter", "venue__district"
        ):
            offers.refresh(offer)


class SessionInline(admin.TabularInline):
    """The dates of the offer. To call a date off with a notice to everyone, use
    "Termin absagen" in the Angebotsverwaltung instead."""

    model = Session
    extra = 1
    fields = ("starts_at", "ends_at", "note", "cancelled_at")
    readonly_fields = ("cancelled_at",)

    def _parent_allowed(self, request: HttpRequest, obj: Any) -> bool:
        parent = self.admin_site._registry[Offer]
        return parent.owns(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allowed(request, obj)


class OfferAdminForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = (
            *("title", "slug", "provider", "category", "status", "internal"),
            *("summary", "description", "easy_text", "venue", "sign_language", "easy_language"),
            *("age_min", "age_max", "capacity", "max_places_per_booking", "waitlist_enabled"),
            *("booking_opens_at", "booking_closes_at", "allocation", "lottery_priorities"),
            *("price", "price_reduced", "sibling_discount_percent", "payment_methods"),
            *("cancel_until_hours", "cancellation_note"),
        )

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else None
        if status == Offer.Status.CANCELLED and before != Offer.Status.CANCELLED:
            raise forms.ValidationError(
                _(
                    "Bitte sagen Sie ein Angebot in der Angebotsverwaltung ab („Ganzes Angebot "
                    "absagen“): Nur dort werden alle Teilnehmenden benachrichtigt."
                )
            )
        return status

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = Offer.objects.filter(pk=self.instance.pk).values_list("taken", flat=True)[0]
            if capacity < taken:
                raise forms.ValidationError(
                    _("Es sind schon %(taken)s Plätze vergeben; weniger Plätze sind nicht möglich.")
                    % {"taken": taken}
                )
        return capacity

    def clean_payment_methods(self) -> list:
        value = self.cleaned_data.get("payment_methods") or []
        known = payments.registered()
        if not isinstance(value, list) or any(m not in known for m in value):
            raise forms.ValidationError(
                _("Bitte geben Sie eine Liste von Zahlungsarten an, möglich sind: %(known)s.")
                % {"known": ", ".join(f'"{m}"' for m in known)}
            )
        return value

    def clean_lottery_priorities(self) -> list:
        value = self.cleaned_data.get("lottery_priorities") or []
        if not isinstance(value, list) or any(p not in LOTTERY_PRIORITIES for p in value):
            raise forms.ValidationError(
                _('Bitte geben Sie eine Liste aus %(known)s an, z. B. ["duesselpass"].')
                % {"known": ", ".join(f'"{p}"' for p in LOTTERY_PRIORITIES)}
            )
        return value

    def clean(self) -> dict:
        data = super().clean()
        venue, provider = data.get("venue"), data.get("provider")
        if venue and provider and venue.provider_id != provider.pk:
            self.add_error("venue", _("Dieser Ort gehört zu einem anderen Anbieter."))
        return data


@admin.register(Offer)
class OfferAdmin(EasyLanguageHints, ProviderScopedAdmin):
    form = OfferAdminForm
    inlines = (SessionInline,)
    list_display = ("title", "provider", "category", "status", "starts_at", "capacity", "taken")
    list_filter = ("status", "category", "allocation", "internal")
    list_select_related = ("provider",)
    search_fields = ("title", "slug", "provider__name")
    prepopulated_fields = {"slug": ("title",)}
    easy_language_field = "easy_text"
    readonly_fields = (
        "easy_language_hints",
        "taken",
        "starts_at",
        "ends_at",
        "district",
        "lottery_check",
        "lottery_drawn_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "provider", "category", "status", "internal")}),
        (_("Texte"), {"fields": ("summary", "description", "easy_text", "easy_language_hints")}),
        (
            _("Ort und Barrierefreiheit"),
            {"fields": ("venue", "district", "sign_language", "easy_language")},
        ),
        (
            _("Alter und Plätze"),
            {
                "fields": (
                    "age_min",
                    "age_max",
                    "capacity",
                    "taken",
                    "max_places_per_booking",
                    "waitlist_enabled",
                )
            },
        ),
        (
            _("Buchung"),
            {
                "fields": (
                    "starts_at",
                    "ends_at",
                    "booking_opens_at",
                    "booking_closes_at",
                    "allocation",
                    "lottery_priorities",
                    "lottery_check",
                    "lottery_drawn_at",
                )
            },
        ),
        (
            _("Preise, Zahlung und Storno"),
            {
                "fields": (
                    "price",
                    "price_reduced",
                    "sibling_discount_percent",
                    "payment_methods",
                    "cancel_until_hours",
                    "cancellation_note",
                )
            },
        ),
    )

    @admin.display(description=_("Startwert der Verlosung"))
    def lottery_check(self, obj: Offer | None) -> str:
        """Before the draw only the commitment: whoever knew the seed could withdraw and
        enter again until their ticket wins."""
        if obj is None or obj.pk is None or obj.allocation != Offer.Allocation.LOTTERY:
            return "–"
        if obj.lottery_drawn_at:
            return obj.lottery_seed
        return _("Prüfwert (SHA-256; der Startwert folgt nach der Verlosung): %s") % (
            lottery.commitment(obj)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Offer | None = None):
        """After the draw, the rules it was drawn under stay as published."""
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.lottery_drawn_at:
            return (*fields, "allocation", "capacity", "lottery_priorities")
        return fields

    def save_model(self, request: HttpRequest, obj: Offer, form, change: bool) -> None:
        """Write only what the form edits: ``taken`` and the derived fields stay as the
        database has them (bookings may have changed them since the form was opened)."""
        stored = Offer.objects.filter(pk=obj.pk).first() if change else None
        request._audit_before = self.snapshot(stored) if stored else {}
        if stored is None:
            obj.save()
        else:
            edited = [f.name for f in Offer._meta.concrete_fields if f.name in form.cleaned_data]
            obj.save(update_fields=[*edited, "updated_at"])
        if obj.allocation == Offer.Allocation.LOTTERY:
            lottery.ensure_seed(obj)  # the commitment is fixed before anyone enters

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The audit entry compares with the stored row: show the places as they are now.
        form.instance.taken = Offer.objects.values_list("taken", flat=True).get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)
        offer = Offer.objects.select_related("provider", "venue__quarter", "venue__district").get(
            pk=form.instance.pk
        )
        offers.refresh(offer)
