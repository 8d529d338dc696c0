"""The report as an :class:`~exports.outline.Outline`, in the order of the HTML report.

Title and context, stakes, method and participation, état des lieux of the initiatives
(by sector, ESS family and commune), needs ranked then by category, recommendations by
stake with the needs they answer, priorities, participating organisations, then the
annexes: the directory of initiatives and one annex per workshop (its minutes, or its
contributions when the report carries no minutes). Merged items show their mentions,
workshops, organisations, supports and sources.
"""

from __future__ import annotations

from collections import Counter

from diagnostic.errors import N_
from diagnostic.reporting.report import Initiative, Item, Need, Recommendation, Report
from diagnostic.time_zones import zone_caption

from ._common import Translate, translator
from .outline import Formats, Outline, PageBreak, Table, TableOfContents, Title, shorten, text
from .outline_minutes import add_minutes

KIND_LABELS = (
    (Initiative, N_("Initiative")),
    (Need, N_("Besoin")),
    (Recommendation, N_("Préconisation")),
)


def _workshop_cell(title: str, kind: str) -> str:
    """The workshop's title, then its kind and subject unless the title already says it."""
    return title if " ".join(title.split()) == " ".join(kind.split()) else f"{title}\n{kind}"


class _ReportWriter:
    """Appends the report's sections to an outline (one method per section)."""

    def __init__(self, report: Report, translate: Translate, lang: str) -> None:
        self.report = report
        self._ = translate
        self.fmt = Formats(lang)
        self.out = Outline(title=text(report.context.title), lang=lang,
                           subject=text(translate("Diagnostic territorial collaboratif")))
        self.workshop_titles = {w.id: w.title for w in report.method.workshops}

    def empty(self, message: str) -> None:
        self.out.paragraph(self._(message), "empty", italic=True)

    def header(self) -> None:
        ctx, _ = self.report.context, self._
        self.out.add(Title(text(ctx.title)))
        if ctx.is_demo:
            self.out.paragraph(_("Données de démonstration"), "note", bold=True)
        self.out.paragraph(f"{_('Territoire :')} {text(ctx.territory)}", "meta")
        if ctx.period:
            self.out.paragraph(f"{_('Période :')} {text(ctx.period)}", "meta")
        report = self.report
        self.out.paragraph(_("Rapport généré le %(date)s (%(zone)s).",
                             date=self.fmt.moment(report.generated_at, report.time_zone),
                             zone=zone_caption(report.generated_at, report.time_zone, _)),
                           "meta")
        self.out.add(TableOfContents(text(_("Sommaire"))))

    def context(self) -> None:
        ctx, _ = self.report.context, self._
        self.out.heading(1, _("Contexte et enjeux"))
        self.out.paragraph(ctx.description)
        self.out.heading(2, _("Les enjeux"))
        stakes = [f"{s.title} — {s.description}" if s.description else s.title
                  for s in ctx.stakes]
        self.out.bullets(stakes, numbered=True)
        if not stakes:
            self.empty(N_("Aucun enjeu défini."))

    def method(self) -> None:
        method, _, fmt = self.report.method, self._, self.fmt
        self.out.heading(1, _("Méthode"))
        self.out.paragraph(_(
            "%(workshops)s ateliers, %(participants)s participant·e·s et %(contributions)s "
            "contributions publiées.", workshops=method.workshop_count,
            participants=method.participant_count, contributions=method.contribution_count))
        self.out.heading(2, _("Ateliers tenus"))
        kinds = [text(row.label) for row in method.contributions_by_kind]
        rows = [
            [text(_workshop_cell(w.title, f"{w.kind_label} — {w.subject}")),
             text("\n".join(part for part in (fmt.date(w.date), w.hours, w.place) if part)),
             str(w.participants), *(str(row.count) for row in w.contributions),
             str(w.total_contributions)]
            for w in method.workshops
        ]
        width = len(kinds) + 4
        self.out.add(Table(
            header=[text(_("Atelier")), text(_("Date et lieu")), text(_("Participant·e·s")),
                    *kinds, text(_("Total"))],
            rows=rows, widths=[4.2, 2.6, 1.3] + [1.2] * len(kinds) + [1.0],
            caption=text(_("Ateliers tenus")),
            footer=[text(_("Total")), "", str(method.participant_count),
                    *(str(row.count) for row in method.contributions_by_kind),
                    str(method.contribution_count)],
            numeric=frozenset(range(2, width))))
        if not rows:
            self.empty(N_("Aucun atelier tenu."))
        self.out.heading(2, _("Participation par type d'acteur"))
        self.count_table(_("Type d'acteur"), _("Participant·e·s"),
                         [(row.label, row.count) for row in method.participants_by_actor_type],
                         caption=_("Participation par type d'acteur"),
                         total=method.participant_count)

    def count_table(self, label: str, count: str, pairs: list[tuple[str, int]], *,
                    caption: str = "", total: int | None = None) -> None:
        self.out.add(Table(
            header=[text(label), text(count)],
            rows=[[text(name), str(n)] for name, n in pairs], widths=[5, 1.4],
            caption=text(caption),
            footer=None if total is None else [text(self._("Total")), str(total)],
            numeric=frozenset({1})))

    def initiatives(self) -> None:
        report, _ = self.report, self._
        self.out.heading(1, _("État des lieux des initiatives"))
        if not report.initiatives:
            self.empty(N_("Aucune initiative publiée."))
            return
        self.out.paragraph(_("%(count)s initiatives recensées.",
                             count=len(report.initiatives)))
        self.out.heading(2, _("Par secteur d'activité"))
        self.count_table(_("Secteur d'activité"), _("Nombre"),
                         [(g.label, len(g.items)) for g in report.initiatives_by_sector],
                         caption=_("Initiatives par secteur d'activité"),
                         total=len(report.initiatives))
        for group in report.initiatives_by_sector:
            self.out.heading(3, f"{text(group.label)} ({len(group.items)})")
            for item in group.items:
                self.item(item)
        self.out.heading(2, _("Par famille de l'ESS"))
        self.out.add(Table(
            header=[text(_("Famille")), text(_("Nombre")), text(_("Initiatives"))],
            rows=[[text(g.label), str(len(g.items)),
                   text(" ; ".join(self.initiative_name(i) for i in g.items))]
                  for g in report.initiatives_by_family],
            widths=[2.2, 1.1, 6.5], caption=text(_("Initiatives par famille de l'ESS")),
            numeric=frozenset({1})))
        communes = Counter(" ".join((i.commune or "").split()) for i in report.initiatives)
        self.out.heading(2, _("Par commune"))
        self.count_table(_("Commune"), _("Nombre"),
                         sorted(((name or _("Non précisé"), n) for name, n in communes.items()),
                                key=lambda pair: (-pair[1], pair[0].casefold())),
                         caption=_("Initiatives par commune"))

    def initiative_name(self, item: Initiative) -> str:
        name = item.title or item.name
        return f"{name} ({item.commune})" if item.commune else name

    def needs(self) -> None:
        report, _ = self.report, self._
        self.out.heading(1, _("Besoins"))
        if not report.needs:
            self.empty(N_("Aucun besoin publié."))
            return
        self.out.heading(2, _("Besoins classés par convergence"))
        self.out.add(Table(
            header=[text(_("Rang")), text(_("Besoin")), text(_("Catégorie")),
                    text(_("Convergence")), text(_("Soutiens"))],
            rows=[[str(rank), text(shorten(need.title or need.description)),
                   text(need.category), text(need.convergence), str(need.supports)]
                  for rank, need in enumerate(report.needs, start=1)],
            widths=[0.8, 5.2, 2, 3, 1.1], caption=text(_("Besoins classés par convergence")),
            numeric=frozenset({0, 4})))
        self.out.heading(2, _("Besoins par catégorie"))
        for group in report.needs_by_category:
            self.out.heading(3, f"{text(group.label)} ({len(group.items)})")
            for item in group.items:
                self.item(item)

    def recommendations(self) -> None:
        report, _ = self.report, self._
        self.out.heading(1, _("Préconisations par enjeu"))
        for group in report.recommendations_by_stake:
            self.out.heading(2, f"{text(group.label)} ({len(group.items)})")
            for item in group.items:
                self.item(item)
        if not report.recommendations_by_stake:
            self.empty(N_("Aucune préconisation publiée."))

    def priorities(self) -> None:
        self.out.heading(1, self._("Priorités"))
        for item in self.report.priorities:
            self.item(item, with_kind=True)
        if not self.report.priorities:
            self.empty(N_("Aucune priorité n'a été retenue."))

    def organisations(self) -> None:
        self.out.heading(1, self._("Structures participantes"))
        self.out.bullets(list(self.report.organisations))
        if not self.report.organisations:
            self.empty(N_("Aucune structure indiquée."))

    def item(self, item: Item, *, with_kind: bool = False) -> None:
        """The blocks of one synthesis item: title, text, facts, provenance, sources."""
        _, out = self._, self.out
        title = item.title or (item.name if isinstance(item, Initiative) else "")
        if with_kind:
            kind = next(label for cls, label in KIND_LABELS if isinstance(item, cls))
            title = f"{_(kind)} — {title}" if title else _(kind)
        out.paragraph(title, "item", bold=True)
        out.paragraph(item.description)
        if isinstance(item, Initiative):
            out.facts([
                (_("Famille :"), item.ess_family), (_("Secteur :"), item.activity_sector),
                (_("Commune :"), item.commune),
                (_("Emplois (ETP) :"), self.fmt.number(item.jobs_fte)),
                (_("Stade :"), item.stage_label), (_("Contact :"), item.contact),
                (_("Site web :"), item.website)])
        elif isinstance(item, Need):
            out.facts([(_("Catégorie :"), item.category), (_("Exprimé par :"), item.actor_type),
                       (_("Urgence :"), item.urgency_label)])
            out.paragraph(item.convergence, "facts", italic=True)
        elif isinstance(item, Recommendation):
            out.facts([(_("Enjeu :"), item.stake if with_kind else None),
                       (_("Mise en œuvre :"), item.responsible_party),
                       (_("Échéance :"), item.horizon_label)])
        out.facts(self.provenance(item))
        if isinstance(item, Recommendation) and item.answered_needs:
            out.paragraph(_("Besoins auxquels elle répond :"), "facts", bold=True)
            out.bullets([ref.text for ref in item.answered_needs], indent=1)
        if item.sources:
            out.paragraph(_("Contributions regroupées (%(count)s) :", count=len(item.sources)),
                          "facts", bold=True)
            out.bullets([self.source_text(source) for source in item.sources], indent=1)

    def provenance(self, item: Item) -> list[tuple[str, object]]:
        _ = self._
        ids = list(dict.fromkeys(item.workshop_ids or [item.workshop_id]))
        pairs: list[tuple[str, object]] = []
        if len(ids) > 1:
            titles = [self.workshop_titles.get(i, str(i)) for i in ids]
            pairs.append((_("Ateliers :"), ", ".join(titles)))
        else:
            pairs.append((_("Atelier :"), item.workshop_title))
        if item.mentions > 1:
            pairs.append((_("Mentions :"), item.mentions))
        if item.organisation_count > 1:
            pairs.append((_("Structures distinctes :"), item.organisation_count))
        pairs += [(_("Soutiens :"), item.supports or None), (_("Gommettes :"),
                                                             item.dots or None)]
        if not item.sources:
            pairs += [(_("Auteur·e :"), item.author), (_("Structure :"), item.organisation)]
        if item.priority:
            pairs.append((_("Priorité :"), _("oui")))
        return pairs

    def source_text(self, source) -> str:
        head = f"{source.name} : " if source.name else ""
        tail = f" ({source.organisation})" if source.organisation else ""
        return f"{source.workshop_title} — {head}{shorten(source.description, 300)}{tail}"

    def directory(self) -> None:
        _ = self._
        self.out.add(PageBreak())
        self.out.heading(1, _("Annexe : répertoire des initiatives"))
        rows = [[text(i.title or i.name), text(i.ess_family), text(i.activity_sector),
                 text(i.commune), text(i.contact), text(i.website)]
                for i in self.report.initiatives]
        self.out.add(Table(
            header=[text(_(label)) for label in (N_("Nom"), N_("Famille"), N_("Secteur"),
                                                 N_("Commune"), N_("Contact"),
                                                 N_("Site web"))],
            rows=rows, widths=[3, 2, 2, 1.6, 2.2, 2.4],
            caption=text(_("Répertoire des initiatives"))))
        if not rows:
            self.empty(N_("Aucune initiative publiée."))

    def workshop_annexes(self) -> None:
        _ = self._
        if self.report.minutes:
            for minutes in self.report.minutes:
                self.out.add(PageBreak())
                self.out.heading(1, _("Annexe : compte-rendu de l'atelier « %(title)s »",
                                      title=text(minutes.workshop.title)))
                add_minutes(self.out, minutes, _, self.fmt, level=2)
            return
        self.out.add(PageBreak())
        self.out.heading(1, _("Annexe : toutes les contributions par atelier"))
        by_workshop: dict[int, list] = {}
        for row in self.report.contributions:
            by_workshop.setdefault(row.workshop_id, []).append(row)
        for workshop in self.report.method.workshops:
            self.out.heading(2, workshop.title)
            rows = [[text(c.kind_label),
                     text(f"{c.name}\n{c.description}" if c.name else c.description),
                     text(" · ".join(filter(None, (
                         c.ess_family, c.activity_sector, c.commune, c.stage_label,
                         c.need_category, c.actor_type, c.urgency_label, c.stake,
                         c.responsible_party, c.horizon_label)))),
                     text(" — ".join(filter(None, (c.author, c.organisation))))]
                    for c in by_workshop.get(workshop.id, [])]
            if rows:
                self.out.add(Table(
                    header=[text(_(h)) for h in (N_("Type"), N_("Contribution"),
                                                 N_("Précisions"), N_("Structure"))],
                    rows=rows, widths=[1.4, 5, 3, 2]))
            else:
                self.empty(N_("Aucune contribution publiée."))


def report_outline(report: Report, translate: Translate | None = None, *,
                   lang: str = "fr") -> Outline:
    """The outline of the whole report (see the module docstring for its order)."""
    writer = _ReportWriter(report, translator(translate), lang)
    for section in (writer.header, writer.context, writer.method, writer.initiatives,
                    writer.needs, writer.recommendations, writer.priorities,
                    writer.organisations, writer.directory, writer.workshop_annexes):
        section()
    return writer.out
