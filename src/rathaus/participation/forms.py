"""Forms of the participation pages: every value posted goes through a field of its own."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rathaus.core.channels import Channel
from rathaus.core.forms import FilterForm, TextField
from rathaus.core.templatetags.rathaus import euro
from rathaus.core.uploads import check_upload
from rathaus.offices.models import District, Quarter

from .models import (
    CHANNELS,
    Budget,
    Category,
    Comment,
    Process,
    Project,
    Proposal,
    Report,
    Section,
)

COMMENT_LENGTH = 3000
REPLY_LENGTH = 1500


def _no_address(value: str) -> None:
    if "@" in value:
        raise ValidationError(
            _("Bitte verwenden Sie keine E-Mail-Adresse als Namen – er ist für alle sichtbar."),
            code="address",
        )


class PublicNameField(TextField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_length=60,
            label=_("Name, unter dem Ihr Beitrag erscheint"),
            help_text=_(
                "Für alle sichtbar, z. B. „Ayşe K.“ oder „Jonas aus Bilk“. Ihre E-Mail-Adresse "
                "zeigen wir nie."
            ),
            error_messages={
                "required": _("Bitte geben Sie an, unter welchem Namen Ihr Beitrag erscheint.")
            },
            validators=[_no_address],
            **kwargs,
        )


class CommentForm(forms.Form):
    public_name = PublicNameField()
    stance = forms.ChoiceField(
        label=_("Ihre Haltung zu diesem Abschnitt"),
        choices=Comment.Stance.choices,
        initial=Comment.Stance.NEUTRAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie Ihre Haltung."),
            "invalid_choice": _("Bitte wählen Sie eine der angebotenen Haltungen."),
        },
    )
    text = TextField(
        max_length=COMMENT_LENGTH,
        label=_("Ihr Kommentar"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte schreiben Sie Ihren Kommentar.")},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < 3:
            raise ValidationError(_("Bitte schreiben Sie mindestens ein paar Worte."))
        return text


class ReplyForm(forms.Form):
    public_name = PublicNameField()
    text = TextField(
        max_length=REPLY_LENGTH,
        label=_("Ihre Antwort"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte schreiben Sie Ihre Antwort.")},
    )

    clean_text = CommentForm.clean_text


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Warum melden Sie diesen Kommentar?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie einen Grund.")},
    )
    note = TextField(
        max_length=500,
        label=_("Erläuterung für die Moderation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = TextField(
        max_length=300,
        label=_("Grund (wird öffentlich angezeigt)"),
        help_text=_("Nennen Sie die Regel, gegen die der Beitrag verstößt."),
        error_messages={"required": _("Bitte nennen Sie den Grund; er wird öffentlich angezeigt.")},
    )


class ResponseForm(forms.Form):
    comments = forms.ModelMultipleChoiceField(
        label=_("Kommentare, auf die Sie antworten"),
        queryset=Comment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Bitte wählen Sie mindestens einen Kommentar."),
            "invalid_choice": _(
                "Ein gewählter Kommentar ist schon beantwortet. Bitte wählen Sie neu."
            ),
            "invalid_pk_value": _("Bitte wählen Sie Kommentare aus der Liste."),
        },
    )
    text = TextField(
        max_length=5000,
        label=_("Antwort der Verwaltung (öffentlich)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte schreiben Sie die Antwort.")},
    )

    def __init__(self, *args, comments: QuerySet[Comment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comments"].queryset = comments
        self.fields["comments"].label_from_instance = lambda c: (
            f"{c.section.number}: {c.text[:120]}"
        )


class AssistForm(forms.Form):
    """A comment received by letter, phone or at an event, typed in word for word."""

    section = forms.ModelChoiceField(
        label=_("Abschnitt"),
        queryset=Section.objects.none(),
        error_messages={
            "required": _("Bitte wählen Sie den Abschnitt."),
            "invalid_choice": _("Bitte wählen Sie einen Abschnitt aus der Liste."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Eingegangen"),
        choices=[(c.value, c.label) for c in CHANNELS if c != Channel.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie der Beitrag eingegangen ist.")},
    )
    public_name = TextField(
        max_length=60,
        label=_("Angezeigter Name"),
        help_text=_("Nur mit Einverständnis der Person; sonst z. B. „Brief aus Benrath“."),
        error_messages={"required": _("Bitte geben Sie einen angezeigten Namen an.")},
        validators=[_no_address],
    )
    stance = CommentForm.base_fields["stance"]
    text = CommentForm.base_fields["text"]
    clean_text = CommentForm.clean_text

    def __init__(self, *args, sections: QuerySet[Section], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections


class ProposalForm(forms.Form):
    public_name = PublicNameField()
    title = TextField(
        max_length=120,
        label=_("Titel Ihres Vorschlags"),
        error_messages={"required": _("Bitte geben Sie Ihrem Vorschlag einen Titel.")},
    )
    text = TextField(
        max_length=COMMENT_LENGTH,
        label=_("Beschreibung"),
        help_text=_("Was soll geschehen, wo, und wem hilft es?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Bitte beschreiben Sie Ihren Vorschlag.")},
    )
    district = forms.ModelChoiceField(
        label=_("Stadtbezirk"),
        queryset=District.objects.order_by("number"),
        required=False,
        empty_label=_("ganze Stadt"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Stadtbezirk aus der Liste.")},
    )
    category = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Kategorie aus der Liste.")},
    )
    location = TextField(
        max_length=200,
        label=_("Ort"),
        required=False,
        help_text=_("Zum Beispiel eine Straße, ein Platz oder eine Einrichtung."),
    )
    image = forms.FileField(
        label=_("Bild (JPEG oder PNG, höchstens 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    image_alt = TextField(
        max_length=300,
        label=_("Was ist auf dem Bild zu sehen?"),
        required=False,
        help_text=_("Für Menschen, die das Bild nicht sehen können."),
    )

    clean_text = CommentForm.clean_text

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = process.categories.all()
        if not process.categories.exists():
            del self.fields["category"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image:
            check_upload(image, kinds=("jpeg", "png"), max_mb=5)
        return image

    def clean(self) -> dict:
        data = super().clean()
        if data.get("image") and not data.get("image_alt"):
            self.add_error(
                "image_alt", _("Bitte beschreiben Sie kurz, was auf dem Bild zu sehen ist.")
            )
        return data


class ProposalFilterForm(FilterForm):
    """The filters of the proposal list (GET): nonsense is named next to its field and the
    list still answers without it."""

    q = TextField(max_length=100, label=_("Suchbegriff"), required=False)
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk"),
        queryset=District.objects.order_by("number"),
        required=False,
        empty_label=_("alle"),
        error_messages={"invalid_choice": _("Diesen Stadtbezirk gibt es nicht.")},
    )
    kategorie = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("alle"),
        error_messages={"invalid_choice": _("Diese Kategorie gibt es nicht.")},
    )
    stand = forms.ChoiceField(
        label=_("Stand"),
        choices=[("", _("alle")), *Proposal.Status.choices],
        required=False,
        error_messages={"invalid_choice": _("Diesen Stand gibt es nicht.")},
    )
    sortierung = forms.ChoiceField(
        label=_("Sortieren"),
        choices=[
            ("unterstuetzung", _("meiste Unterstützung")),
            ("neueste", _("neueste zuerst")),
            ("aelteste", _("älteste zuerst")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Diese Sortierung gibt es nicht.")},
    )

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kategorie"].queryset = process.categories.all()


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Neuer Stand"),
        choices=Proposal.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie den neuen Stand.")},
    )
    reason = TextField(
        max_length=COMMENT_LENGTH,
        label=_("Begründung (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bei „in Prüfung“ und „abgelehnt“ nötig."),
    )
    cost = forms.IntegerField(
        label=_("Geschätzte Kosten in Euro"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        error_messages={
            "invalid": _("Bitte geben Sie die Kosten als ganze Zahl in Euro an, z. B. 12000."),
            "min_value": _("Die Kosten können nicht negativ sein."),
            "max_value": _("Bitte prüfen Sie die Kosten: Das ist mehr als 100 Millionen Euro."),
        },
    )


def _label(project: Project) -> str:
    return f"{project.number}. {project.proposal.title} ({euro(project.cost)})"


class BallotForm(forms.Form):
    """A ballot of a budget: projects ticked (approval) or points per project; the Stadtteil
    where the budget is only for one district. ``chosen()`` gives project id → points."""

    def __init__(self, *args, budget: Budget, projects: list[Project], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.budget, self.projects = budget, projects
        if budget.ballot == Budget.BallotKind.APPROVAL:
            self.fields["projects"] = forms.TypedMultipleChoiceField(
                label=_("Projekte, die Sie sich wünschen"),
                choices=[(p.pk, _label(p)) for p in projects],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _("Bitte wählen Sie mindestens ein Projekt."),
                    "invalid_choice": _("Bitte wählen Sie nur Projekte aus der Liste."),
                },
            )
        else:
            for project in projects:
                self.fields[f"punkte_{project.pk}"] = forms.IntegerField(
                    label=_label(project),
                    min_value=0,
                    max_value=budget.points,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3}),
                    error_messages={
                        "invalid": _("Bitte geben Sie eine ganze Zahl an."),
                        "min_value": _("Bitte geben Sie 0 oder mehr Punkte an."),
                        "max_value": _("Höchstens %(limit_value)s Punkte je Projekt."),
                    },
                )
        if budget.district_check and budget.district_id:
            self.fields["stadtteil"] = forms.ModelChoiceField(
                label=_("In welchem Stadtteil wohnen Sie?"),
                queryset=Quarter.objects.select_related("district").order_by("name"),
                error_messages={
                    "required": _("Bitte wählen Sie Ihren Stadtteil."),
                    "invalid_choice": _("Bitte wählen Sie einen Stadtteil aus der Liste."),
                },
            )

    def chosen(self) -> dict[int, int]:
        data = self.cleaned_data
        if "projects" in self.fields:
            return dict.fromkeys(data["projects"], 1)
        return {p.pk: data.get(f"punkte_{p.pk}") or 0 for p in self.projects}

    def clean(self) -> dict:
        data = super().clean()
        points = [data.get(f"punkte_{p.pk}") for p in self.projects]
        if "projects" not in self.fields and not self.errors and not any(points):
            raise ValidationError(_("Bitte vergeben Sie mindestens einen Punkt."))
        return data


class PaperPersonForm(forms.Form):
    """Who filled in a paper ballot or questionnaire typed in by staff (kept only as a keyed
    hash, to refuse a second one of the same person) and how it came in."""

    given_name = TextField(label=_("Vorname"), max_length=100)
    family_name = TextField(label=_("Familienname"), max_length=100)
    birth_date = forms.DateField(
        label=_("Geburtsdatum"),
        help_text=_("Zum Beispiel 14.03.1968"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Bitte geben Sie das Datum so an: 14.03.1968.")},
    )
    channel = AssistForm.base_fields["channel"]


class PaperBallotForm(BallotForm):
    """A paper ballot typed in by staff, with the person who voted (``PaperPersonForm``)."""

    given_name = PaperPersonForm.base_fields["given_name"]
    family_name = PaperPersonForm.base_fields["family_name"]
    birth_date = PaperPersonForm.base_fields["birth_date"]
    channel = PaperPersonForm.base_fields["channel"]
