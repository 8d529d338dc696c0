"""The report as an :class:`~exports.outline.Outline`, in the order of the HTML report.

A cover (authority, logo, title, subtitle, territory, status, version) and the table of
contents, then as in ``templates/exports/_report_body.html``: context and stakes, method
and participation (workshops, the participation chart), priorities (when there are),
état des lieux of the initiatives (charts by family, sector and commune, then the
initiatives by ESS family), needs ranked by convergence (chart, ranking, then every need
by category), recommendations by stake with the needs they answer, participating
organisations, then the annexes: the directory of initiatives and the workshops' minutes
(or every contribution by workshop when the report carries no minutes). Charts are PNG
pictures (:mod:`exports.chart_images`) followed by their numbers. Merged items show their
mentions, workshops, organisations, supports and sources.
"""

from __future__ import annotations

from diagnostic.errors import N_
from diagnostic.reporting.common import aware
from diagnostic.reporting.report import Initiative, Item, Need, Recommendation, Report
from diagnostic.time_zones import zone_caption

from ._common import Translate, translator
from .chart_images import chart_figure
from .charts import need_label, ranked_needs, report_charts
from .outline import Cover, Formats, Outline, PageBreak, Table, TableOfContents, shorten, text
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
        self.lang = lang
        self.fmt = Formats(lang)
        self.out = Outline(title=text(report.context.title), lang=lang,
                           subject=text(translate("Diagnostic territorial collaboratif")))
        self.out.authority = text(report.context.identity.authority
                                  or report.context.territory)
        self.out.generated_at = report.generated_at
        self.workshop_titles = {w.id: w.title for w in report.method.workshops}
        self.charts = report_charts(report, translate, lang=lang)

    def empty(self, message: str) -> None:
        self.out.paragraph(self._(message), "empty", italic=True)

    def cover(self) -> None:
        """The cover page (identity, state, version), then the table of contents."""
        ctx, _, report = self.report.context, self._, self.report
        identity = ctx.identity
        generated = aware(report.generated_at, report.time_zone)
        lines = [f"{_('Territoire :')} {text(ctx.territory)}"]
        if ctx.period:
            lines.append(f"{_('Période :')} {text(ctx.period)}")
        if identity.validated and identity.validated_on:
            status = _("Version validée le %(date)s", date=self.fmt.date(identity.validated_on))
        else:
            status = _("Document de travail")
        version = _("Version du %(date)s",
                    date=self.fmt.date(identity.version_date or generated.date()))
        self.out.add(Cover(
            title=text(ctx.title), authority=text(identity.authority),
            subtitle=text(identity.subtitle), logo_png=identity.logo_png,
            lines=[text(line) for line in lines], status=text(status), version=text(version),
            demo=text(_("Données de démonstration")) if ctx.is_demo else "",
            note=text(_("Rapport généré le %(date)s (%(zone)s).",
                        date=self.fmt.moment(report.generated_at, report.time_zone),
                        zone=zone_caption(report.generated_at, report.time_zone, _)))))
        self.out.add(PageBreak(), TableOfContents(text(_("Sommaire")), levels=2), PageBreak())

    def chart(self, name: str, *, table: bool = True,
              rows: list[tuple[str, int]] | None = None) -> None:
        """A chart as a picture, then (as in the PDF) its numbers in a table.

        ``rows`` replace the chart's own in the table (e.g. every commune, where the
        chart folds the smallest into "Autres communes").
        """
        chart = self.charts[name]
        summary = " ; ".join(f"{label} : {self.fmt.number(value)}"
                             for label, value in chart.rows)
        self.out.add(chart_figure(chart, shorten(f"{chart.title}. {summary}", 900)
                                  if summary else chart.title))
        rows = chart.rows if rows is None else rows
        if table and rows:
            self.out.add(Table(
                header=[text(chart.label_header), text(chart.value_header)],
                rows=[[text(label), self.fmt.number(value)] for label, value in rows],
                widths=[5, 1.4], numeric=frozenset({1})))

    def communes(self) -> list[tuple[str, int]]:
        """Initiatives per commune, every commune (largest first, then by name)."""
        counts: dict[str, tuple[str, int]] = {}
        for item in self.report.initiatives:
            name = " ".join((item.commune or "").split()) or self._("Non précisé")
            label, count = counts.get(name.casefold(), (name, 0))
            counts[name.casefold()] = (label, count + 1)
        return sorted(counts.values(), key=lambda pair: (-pair[1], pair[0].casefold()))

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
        self.out.heading(1, _("Méthode et participation"))
        self.out.paragraph(_(
            "%(workshops)s ateliers, %(participants)s participant·e·s et %(contributions)s "
            "contributions publiées.", workshops=method.workshop_count,
            participants=method.participant_count, contributions=method.contribution_count))
        if method.comment_count == 1:
            self.out.paragraph(_("1 commentaire reçu le %(date)s lors de la restitution aux "
                                 "participant·e·s.", date=fmt.date(method.comments_from)))
        elif method.comment_count:
            self.out.paragraph(_(
                "%(count)s commentaires reçus entre le %(first)s et le %(last)s lors de la "
                "restitution aux participant·e·s.", count=method.comment_count,
                first=fmt.date(method.comments_from), last=fmt.date(method.comments_to)))
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
        self.out.heading(2, _("Participation"))
        self.chart("participation")
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
        self.out.paragraph(_("%(initiatives)s initiatives recensées, à partir de %(mentions)s "
                             "mentions dans les ateliers.", initiatives=len(report.initiatives),
                             mentions=sum(i.mentions for i in report.initiatives)))
        self.out.heading(2, _("En chiffres"))
        self.chart("families")
        self.chart("sectors")
        self.chart("communes", rows=self.communes())
        self.out.heading(2, _("Les initiatives par famille de l'ESS"))
        for group in report.initiatives_by_family:
            self.out.heading(3, f"{text(group.label)} ({len(group.items)})")
            for item in group.items:
                self.item(item)
        self.out.paragraph(_("Le détail de chaque initiative (contact, site web, emplois) "
                             "figure dans le répertoire en annexe."), "meta")

    def initiative_name(self, item: Initiative) -> str:
        name = item.title or item.name
        return f"{name} ({item.commune})" if item.commune else name

    def needs(self) -> None:
        report, _ = self.report, self._
        self.out.heading(1, _("Besoins classés par convergence"))
        if not report.needs:
            self.empty(N_("Aucun besoin publié."))
            return
        self.out.paragraph(_("Un besoin est d'autant plus partagé qu'il a été soulevé dans "
                             "plus d'ateliers, par plus de structures, puis qu'il a reçu plus "
                             "de soutiens."))
        self.chart("needs", table=False)
        self.out.add(Table(
            header=[text(_(h)) for h in (N_("Rang"), N_("Besoin"), N_("Catégorie"),
                                         N_("Ateliers"), N_("Structures"), N_("Soutiens"),
                                         N_("Gommettes"))],
            rows=[[str(rank), text(need_label(need)), text(need.category),
                   str(len(need.workshop_ids)), str(need.organisation_count),
                   str(need.supports), str(need.dots)]
                  for rank, need in enumerate(ranked_needs(report.needs), start=1)],
            widths=[0.8, 5.2, 2, 1.1, 1.1, 1.1, 1.1],
            caption=text(_("Classement des besoins les plus partagés")),
            numeric=frozenset({0, 3, 4, 5, 6})))
        self.out.heading(2, _("Tous les besoins"))
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
        """Only when there are priorities (as the HTML and PDF)."""
        if not self.report.priorities:
            return
        self.out.heading(1, self._("Priorités"))
        self.out.paragraph(self._("Les éléments que l'équipe d'étude a retenus comme "
                                  "prioritaires."))
        for item in self.report.priorities:
            self.item(item, with_kind=True)

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
        # Contacts are printed only with their author's consent: no column when none agreed.
        with_contact = any(i.contact for i in self.report.initiatives)
        contact = [N_("Contact")] if with_contact else []
        rows = [[text(i.title or i.name), text(i.ess_family), text(i.activity_sector),
                 text(i.commune), self.fmt.number(i.jobs_fte),
                 *([text(i.contact)] if with_contact else []), text(i.website)]
                for i in self.report.initiatives]
        self.out.add(Table(
            header=[text(_(label)) for label in (N_("Nom"), N_("Famille"), N_("Secteur"),
                                                 N_("Commune"), N_("Emplois (ETP)"),
                                                 *contact, N_("Site web"))],
            rows=rows, widths=[3, 2, 2, 1.6, 1.1, *([2.2] if with_contact else []), 2.4],
            numeric=frozenset({4}),
            caption=text(_("Répertoire des initiatives (%(count)s)", count=len(rows)))))
        if not rows:
            self.empty(N_("Aucune initiative publiée."))

    def workshop_annexes(self) -> None:
        _ = self._
        if self.report.minutes:
            self.out.add(PageBreak())
            self.out.heading(1, _("Annexe : comptes-rendus des ateliers"))
            for index, minutes in enumerate(self.report.minutes):
                if index:
                    self.out.add(PageBreak())
                self.out.heading(2, text(minutes.workshop.title))
                add_minutes(self.out, minutes, _, self.fmt, level=3)
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
    for section in (writer.cover, writer.context, writer.method, writer.priorities,
                    writer.initiatives, writer.needs, writer.recommendations,
                    writer.organisations, writer.directory, writer.workshop_annexes):
        section()
    return writer.out
