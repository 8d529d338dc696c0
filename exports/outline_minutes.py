"""A workshop's minutes as :class:`~exports.outline.Outline` blocks (as the HTML minutes).

Heading information, the privacy note, a summary with counts, participation (by actor
type, organisations, participants named with their consent), the most supported
contributions, then the items of each kind with their merged sources. Used on its own
(:func:`minutes_outline`, the minutes DOCX) and as one annex of the report
(:func:`add_minutes`, headings one level down).
"""

from __future__ import annotations

from diagnostic.errors import N_
from diagnostic.reporting.minutes import Minutes, MinutesItem
from diagnostic.time_zones import zone_caption

from ._common import Translate, translator
from .outline import Formats, Outline, Table, Title, shorten, text


def _count_rows(rows) -> list[list[str]]:
    return [[text(row.label), str(row.count)] for row in rows]


def _item(out: Outline, item: MinutesItem, _: Translate, fmt: Formats, indent: int = 0) -> None:
    """Title, text, scribe note, classifications and tallies of one item."""
    out.paragraph(item.title, "item", bold=True, indent=indent)
    out.paragraph(item.description, indent=indent)
    out.paragraph(item.scribe_note, "facts", italic=True, indent=indent)
    pairs: list[tuple[str, object]] = [
        (_("%(label)s :", label=fact.label),
         fmt.number(fact.value) if isinstance(fact.value, int | float) else fact.value)
        for fact in item.facts
    ]
    pairs += [(_("Auteur·e :"), item.author), (_("Structure :"), item.organisation)]
    out.facts(pairs, indent=indent)
    out.paragraph(_("Soutiens (+1) : %(supports)s · Gommettes : %(dots)s",
                    supports=item.supports, dots=item.dots), "facts", indent=indent)


def add_minutes(out: Outline, minutes: Minutes, translate: Translate, fmt: Formats, *,
                level: int = 1) -> None:
    """Append the minutes' blocks to ``out``, their top headings at ``level``."""
    _, w, people = translate, minutes.workshop, minutes.participation
    if not w.is_closed:
        out.paragraph(_("Compte-rendu provisoire : l'atelier n'est pas encore clos."), "note",
                      bold=True)
    unspecified = _("Non précisé")
    out.add(Table(header=None, widths=[1.6, 5], rows=[
        [text(_("Date")), text(fmt.date(w.date) or unspecified)],
        *([[text(_("Horaires")), text(w.hours)]] if w.hours else []),
        [text(_("Lieu")), text(w.place or unspecified)],
        [text(_("Type")), text(w.kind_label)],
        [text(w.subject_label), text(w.subject)],
        [text(_("Territoire")), text(w.territory)],
        [text(_("Animation")), text(", ".join(minutes.facilitators) or unspecified)],
    ]))
    out.paragraph(_("Document interne, réservé à l'équipe d'étude et à l'animation de "
                    "l'atelier : il peut contenir des données personnelles. Il n'est pas "
                    "publié auprès des participant·es."), "note")
    out.paragraph(_("Compte-rendu généré le %(date)s (%(zone)s).",
                    date=fmt.moment(minutes.generated_at, minutes.time_zone),
                    zone=zone_caption(minutes.generated_at, minutes.time_zone, _)), "meta")

    out.heading(level, _("En bref"))
    out.paragraph(_("%(participants)s participant·e·s et %(contributions)s contributions "
                    "publiées.", participants=people.total, contributions=minutes.total))
    out.add(Table(header=[text(_("Type")), text(_("Nombre"))],
                  rows=_count_rows(minutes.counts), widths=[5, 1.4],
                  caption=text(_("Contributions publiées par type")),
                  footer=[text(_("Total")), str(minutes.total)], numeric=frozenset({1})))
    out.paragraph(_("Seules les contributions publiées figurent dans ce compte-rendu : "
                    "%(hidden)s masquée(s) par l'animation et %(pending)s en attente de "
                    "validation en sont exclues.", hidden=minutes.excluded.hidden,
                    pending=minutes.excluded.pending), "meta")

    out.heading(level, _("Participation"))
    if people.by_actor_type:
        out.add(Table(header=[text(_("Type d'acteur")), text(_("Participant·e·s"))],
                      rows=_count_rows(people.by_actor_type), widths=[5, 1.4],
                      caption=text(_("Participant·e·s par type d'acteur")),
                      footer=[text(_("Total")), str(people.total)], numeric=frozenset({1})))
    else:
        out.paragraph(_("Aucun·e participant·e."), "empty", italic=True)
    out.heading(level + 1, _("Structures participantes"))
    out.bullets(list(people.organisations))
    if not people.organisations:
        out.paragraph(_("Aucune structure indiquée."), "empty", italic=True)
    out.heading(level + 1, _("Participant·e·s ayant accepté d'être nommé·e·s"))
    out.bullets([f"{p.name} ({p.organisation})" if p.organisation else p.name
                 for p in people.named])
    if not people.named:
        out.paragraph(_("Aucun·e : les participant·es restent anonymes."), "empty",
                      italic=True)

    out.heading(level, _("Contributions les plus soutenues"))
    if minutes.top_voted:
        out.paragraph(_("Classement par gommettes, puis par soutiens (+1) ; au plus "
                        "%(limit)s contributions, tous types confondus.",
                        limit=minutes.top_limit), "meta")
        out.add(Table(
            header=[text(_(h)) for h in (N_("Rang"), N_("Contribution"), N_("Gommettes"),
                                         N_("Soutiens"), N_("Type"))],
            rows=[[str(r.rank),
                   text(f"{r.item.title} — " if r.item.title else "")
                   + text(shorten(r.item.description)),
                   str(r.item.dots), str(r.item.supports), text(r.item.kind_label)]
                  for r in minutes.top_voted],
            widths=[0.8, 6, 1, 1.1, 1.8], numeric=frozenset({0, 2, 3})))
    else:
        out.paragraph(_("Aucune contribution n'a reçu de soutien ni de gommette."),
                      "empty", italic=True)

    for section in minutes.sections:
        out.heading(level, f"{text(section.label)} ({len(section.items)})")
        for item in section.items:
            _item(out, item, _, fmt)
            if item.sources:
                out.paragraph(_("Contributions fusionnées dans celle-ci (%(count)s) :",
                                count=len(item.sources)), "facts", bold=True, indent=1)
                for source in item.sources:
                    _item(out, source, _, fmt, indent=1)
        if not section.items:
            out.paragraph(_("Aucune contribution publiée."), "empty", italic=True)


def minutes_outline(minutes: Minutes, translate: Translate | None = None, *,
                    lang: str = "fr") -> Outline:
    """The outline of a workshop's minutes as a standalone document."""
    _ = translator(translate)
    w = minutes.workshop
    out = Outline(title=text(f"{_('Compte-rendu')} · {w.title}"), lang=lang,
                  subject=text(w.diagnostic_title),
                  authority=text(minutes.identity.authority or w.territory),
                  generated_at=minutes.generated_at)
    out.running_header = text(" · ".join(part for part in (
        minutes.identity.authority, _("Compte-rendu d'atelier")) if part))
    out.add(Title(text(w.title)))
    out.paragraph(_("Compte-rendu d'atelier") + f" · {w.diagnostic_title}", "meta")
    add_minutes(out, minutes, _, Formats(lang), level=1)
    return out
