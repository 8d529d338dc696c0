"""Forms of the synthesis pages: edit an item, merge a selection, act on a pair or a unit,
group or move a card of the affinity board.

The forms only read the shape of the input (ids as integers, junk as -1 so the service
answers "introuvable"); :mod:`diagnostic.synthesis.editing` checks the rules and gives the French
messages, attached back to the fields with :func:`workshops.forms.attach_errors`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from diagnostic.models import ContributionKind, Diagnostic
from diagnostic.synthesis.editing import MAX_SUMMARY, MAX_TITLE

from ..forms import _optional_int


def _id(value: object) -> int:
    """An id as posted by a form; junk becomes -1, which no row has."""
    number = _optional_int(value)
    return -1 if number is None else number


class SynthesisItemForm(FlaskForm):
    """Canonical title and summary, manual rank, priority and (needs, recommendations)
    stake."""

    # The limits give the fields their character counters (templates/_form.html).
    title = StringField(_l("Titre de synthèse"), render_kw={"maxlength": MAX_TITLE})
    summary = TextAreaField(_l("Texte de synthèse"),
                            render_kw={"rows": 3, "maxlength": MAX_SUMMARY})
    position = StringField(_l("Rang manuel"), render_kw={"inputmode": "numeric"})
    priority = BooleanField(_l("Priorité"))
    # Checked by the service, so a stale or forged stake gets its French message.
    stake_id = SelectField(_l("Enjeu"), coerce=_optional_int, validate_choice=False)

    def __init__(self, diagnostic: Diagnostic, kind: ContributionKind | None = None,
                 *args, **kwargs) -> None:
        """Offer the diagnostic's stakes, first none (a need) or the workshop's choice."""
        super().__init__(*args, **kwargs)
        empty = (_l("Aucun enjeu") if kind == ContributionKind.NEED
                 else _l("Enjeu choisi en atelier"))
        self.stake_id.choices = [
            SelectChoice("", empty),
            *(SelectChoice(str(s.id), s.title) for s in diagnostic.stakes),
        ]

    def service_data(self) -> dict:
        """The ``data`` argument of :func:`diagnostic.synthesis.editing.update_item`."""
        return {
            "title": self.title.data or "",
            "summary": self.summary.data or "",
            "position": (self.position.data or "").strip(),
            "priority": bool(self.priority.data),
            "stake_id": self.stake_id.data,
        }


class MergeForm(FlaskForm):
    """The contributions (synthesis units) to fold into one item."""

    contribution_ids = SelectMultipleField(coerce=_id, validate_choice=False)


class PairForm(FlaskForm):
    """Two contributions of a duplicate suggestion (rejected as "not a duplicate")."""

    first_id = HiddenField(filters=[_id])
    second_id = HiddenField(filters=[_id])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (split, dissolve)."""


class ThesaurusForm(FlaskForm):
    """The thesaurus as text: one concept per line, its terms separated by ``|``."""

    text = TextAreaField(_l("Thésaurus"), render_kw={"rows": 24, "spellcheck": "false",
                                                     "aria-describedby": "thesaurus-help"})


class BoardGroupForm(FlaskForm):
    """The affinity board's "group with": a card dropped on another card."""

    contribution_id = HiddenField(filters=[_id])
    target_id = SelectField(_l("Regrouper avec"), coerce=_id, validate_choice=False)


class BoardMoveForm(FlaskForm):
    """The affinity board's "move to": a card dropped on a stake's column ("" = none)."""

    contribution_id = HiddenField(filters=[_id])
    stake_id = SelectField(_l("Déplacer vers"), coerce=_optional_int, validate_choice=False)
