"""Staff forms (Flask-WTF): diagnostics, their frame items, workshops and filters.

The forms check the shape of the input; the domain services check the rules and their
field errors are attached back to the matching form fields with :func:`attach_errors`.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from diagnostic.models import ContributionKind, Diagnostic, ReportStatus, WorkshopKind
from diagnostic.taxonomy import KIND_PLURALS, enum_label
from diagnostic.time_zones import (
    DEFAULT_TIME_ZONE,
    INVALID_ZONE,
    ZONE_NAMES,
    ZONES,
    is_valid_zone,
)

REQUIRED = _l("Ce champ est obligatoire.")
TOO_LONG = _l("Ce texte est trop long.")
BAD_TIME = _l("Heure invalide : indiquez-la comme 14:30.")
BAD_DATE = _l("Date invalide : indiquez-la comme 2011-06-30.")


def _required() -> DataRequired:
    """A DataRequired validator with our French message."""
    return DataRequired(message=REQUIRED)


def _max(length: int) -> Length:
    """A maximum length validator with our French message."""
    return Length(max=length, message=TOO_LONG)


def _optional_int(value: object) -> int | None:
    """Coerce a select value to an id, '' (no choice) to None, junk to -1 (refused later)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _zone_choices() -> list[SelectChoice]:
    """The zones of French authorities, labelled with their place and IANA name."""
    return [SelectChoice(name, f"{gettext(place)} — {name}") for name, place, _caption in ZONES]


class DiagnosticForm(FlaskForm):
    """Edit a diagnostic's frame."""

    title = StringField(_l("Titre"), validators=[_required(), _max(200)])
    territory = StringField(_l("Territoire"), validators=[_required(), _max(200)])
    period = StringField(_l("Période"), validators=[Optional(), _max(100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), _max(10000)])
    time_zone = SelectField(
        _l("Fuseau horaire"), default=DEFAULT_TIME_ZONE, validate_choice=False,
        description=_l("Les heures des pages, documents et exports de ce diagnostic."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = _zone_choices()
        current = self.time_zone.data
        if current and current not in ZONE_NAMES and is_valid_zone(current):
            choices.append(SelectChoice(current, current))  # an imported diagnostic's zone
        self.time_zone.choices = choices

    def validate_time_zone(self, field) -> None:
        """Any zone the system's time zone database knows (zoneinfo), French message."""
        if not is_valid_zone(field.data):
            from wtforms.validators import ValidationError

            raise ValidationError(_l(INVALID_ZONE))


class NewDiagnosticForm(DiagnosticForm):
    """Create a diagnostic with its first stakes, one per line."""

    stakes = TextAreaField(
        _l("Enjeux (un par ligne)"), validators=[Optional(), _max(20000)]
    )

    def stake_list(self) -> list[str]:
        """The non-empty lines of the stakes field."""
        return [line.strip() for line in (self.stakes.data or "").splitlines() if line.strip()]

    def validate_stakes(self, field) -> None:
        """Each stake fits in its column."""
        if any(len(line) > 300 for line in self.stake_list()):
            from wtforms.validators import ValidationError

            raise ValidationError(TOO_LONG)


class ImportArchiveForm(FlaskForm):
    """Restore a diagnostic from a JSON report or archive (``workshops/archive_import.py``)."""

    archive = FileField(_l("Fichier JSON (rapport ou archive)"),
                        validators=[FileRequired(message=REQUIRED)])
    title = StringField(_l("Titre du diagnostic importé (facultatif)"),
                        validators=[Optional(), _max(200)])


class ReportIdentityForm(FlaskForm):
    """The report's identity (settings page, "Publication du rapport"): the service
    (diagnostic/frame/identity.py) checks the logo, the status and the file name."""

    authority = StringField(
        _l("Collectivité ou organisme qui publie"), validators=[Optional(), _max(200)],
        description=_l("Par exemple « Communauté urbaine du Grand Toulouse »."))
    subtitle = StringField(_l("Sous-titre"), validators=[Optional(), _max(300)])
    logo = FileField(
        _l("Logo (PNG ou SVG)"),
        render_kw={"accept": "image/png,image/svg+xml,.png,.svg"})
    remove_logo = BooleanField(_l("Retirer le logo"))
    status = RadioField(
        _l("Statut du document"),
        choices=[SelectChoice(s.value, _l(enum_label(s))) for s in ReportStatus],
        default=ReportStatus.DRAFT.value, validators=[_required()],
    )
    validated_on = DateField(
        _l("Validé le"), validators=[Optional()], format="%Y-%m-%d",
        render_kw={"type": "date"}, invalid_value_message=BAD_DATE,
        description=_l("Pour une version validée ; vide : aujourd'hui."))
    version_date = DateField(
        _l("Date de version"), validators=[Optional()], format="%Y-%m-%d",
        render_kw={"type": "date"}, invalid_value_message=BAD_DATE,
        description=_l("Vide : le jour où le document est généré."))
    download_stem = StringField(
        _l("Début des noms de fichiers"), validators=[Optional(), _max(60)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
        description=_l("Lettres minuscules sans accent, chiffres et tirets ; vide : tiré du "
                       "titre du diagnostic."))



def identity_form(diagnostic: Diagnostic) -> ReportIdentityForm:
    """The form filled with the diagnostic's current identity."""
    return ReportIdentityForm(formdata=None, prefix="identity", data={
        "authority": diagnostic.report_authority,
        "subtitle": diagnostic.report_subtitle,
        "status": ReportStatus(diagnostic.report_status or ReportStatus.DRAFT).value,
        "validated_on": diagnostic.report_validated_on,
        "version_date": diagnostic.report_version_date,
        "download_stem": diagnostic.download_stem or "",
    })

class StakeForm(FlaskForm):
    """Add or reword a stake (*enjeu*)."""

    title = StringField(_l("Intitulé de l'enjeu"), validators=[_required(), _max(300)])


class SectorForm(FlaskForm):
    """Add or edit a territorial sector."""

    name = StringField(_l("Nom du secteur"), validators=[_required(), _max(200)])
    communes = TextAreaField(_l("Communes"), validators=[Optional(), _max(5000)])


class ThemeForm(FlaskForm):
    """Add or edit a theme of the thematic workshops."""

    name = StringField(_l("Nom du thème"), validators=[_required(), _max(200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), _max(5000)])


class TermForm(FlaskForm):
    """Add or rename a taxonomy term."""

    label = StringField(_l("Libellé"), validators=[_required(), _max(200)])


class MoveForm(FlaskForm):
    """Move an item one place up or down."""

    direction = SelectField(
        choices=[SelectChoice("up", _l("Monter")), SelectChoice("down", _l("Descendre"))],
        validators=[_required()],
    )

    @property
    def step(self) -> int:
        """-1 for up, +1 for down."""
        return -1 if self.direction.data == "up" else 1


class WorkshopForm(FlaskForm):
    """Plan or edit a workshop: territorial → a sector, thematic → a theme."""

    kind = RadioField(
        _l("Type d'atelier"),
        choices=[SelectChoice(k.value, _l(enum_label(k))) for k in WorkshopKind],
        validators=[_required()],
        default=WorkshopKind.TERRITORIAL.value,
    )
    title = StringField(_l("Titre"), validators=[_required(), _max(200)])
    # Choices are checked by the service, so a stale choice gets its French message.
    sector_id = SelectField(
        _l("Secteur territorial (atelier territorial)"), coerce=_optional_int,
        validate_choice=False,
    )
    theme_id = SelectField(
        _l("Thème (atelier thématique)"), coerce=_optional_int, validate_choice=False
    )
    date = DateField(
        _l("Date"), validators=[Optional()], format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    start_time = TimeField(
        _l("Heure de début"), validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
        render_kw={"type": "time"}, invalid_value_message=BAD_TIME,
    )
    end_time = TimeField(
        _l("Heure de fin"), validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
        render_kw={"type": "time"}, invalid_value_message=BAD_TIME,
    )
    place = StringField(_l("Lieu"), validators=[Optional(), _max(200)])
    anonymous = BooleanField(
        _l("Participation anonyme"),
        description=_l("Les participant·es ne donnent ni nom ni structure : un pseudonyme "
                       "leur est attribué au hasard (« Colibri 27 »), jamais publié dans le "
                       "rapport. Ne peut plus changer une fois que quelqu'un a rejoint."))
    # Choices (facilitator accounts) are set by the view; the service checks the ids.
    facilitator_ids = SelectMultipleField(
        _l("Animateur·rices de l'atelier"), coerce=int, validate_choice=False
    )

    def __init__(self, diagnostic: Diagnostic, *args, **kwargs) -> None:
        """Offer the diagnostic's sectors and themes."""
        super().__init__(*args, **kwargs)
        none = SelectChoice("", _l("— Choisir —"))
        self.sector_id.choices = [none, *(SelectChoice(str(s.id), s.name)
                                          for s in diagnostic.sectors)]
        self.theme_id.choices = [none, *(SelectChoice(str(t.id), t.name)
                                         for t in diagnostic.themes)]

    def service_fields(self) -> dict:
        """The keyword arguments of services.create_workshop / update_workshop."""
        return {name: self[name].data for name in
                ("kind", "title", "sector_id", "theme_id", "date", "start_time", "end_time",
                 "place", "anonymous")}


class ConfirmDeletionForm(FlaskForm):
    """Delete a workshop or a diagnostic: its title typed back (checked by the service)."""

    confirmation = StringField(_l("Recopiez le titre pour confirmer"),
                               validators=[_required(), _max(300)],
                               render_kw={"autocomplete": "off", "spellcheck": "false"})


class ContributionFilterForm(FlaskForm):
    """GET filters of the contributions table (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    workshop = SelectField(_l("Atelier"), default="")
    kind = SelectField(
        _l("Type"),
        default="",
        choices=[SelectChoice("", _l("Tous les types")),
                 *(SelectChoice(k.value, _l(KIND_PLURALS[k])) for k in ContributionKind)],
    )
    page = StringField(_l("Page"), default="1")

    def __init__(self, diagnostic: Diagnostic, *args, **kwargs) -> None:
        """Offer the diagnostic's workshops."""
        super().__init__(*args, **kwargs)
        self.workshop.choices = [
            SelectChoice("", _l("Tous les ateliers")),
            *(SelectChoice(str(w.id), w.title) for w in diagnostic.workshops),
        ]

    def validate_page(self, field) -> None:
        """A positive page number."""
        from wtforms.validators import ValidationError

        if not (field.data or "1").isdigit() or int(field.data or "1") < 1:
            raise ValidationError(_l("Numéro de page invalide."))

    @property
    def page_number(self) -> int:
        """The validated page number."""
        return int(self.page.data or "1")

    @property
    def workshop_id(self) -> int | None:
        """The validated workshop filter, if any."""
        return int(self.workshop.data) if self.workshop.data else None

    @property
    def selected_kind(self) -> ContributionKind | None:
        """The validated kind filter, if any."""
        return ContributionKind(self.kind.data) if self.kind.data else None


def attach_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Show a service's translated field errors on the form's fields (others on the form)."""
    for name, message in errors.items():
        field = form[name] if name in form else None  # WTForms' documented dict-style access
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


class PaperUploadForm(FlaskForm):
    """A filled paper-form spreadsheet (CSV or XLSX) for a workshop (diagnostic/paper)."""

    spreadsheet = FileField(_l("Fichier rempli (XLSX ou CSV)"),
                            validators=[FileRequired(message=REQUIRED)])
