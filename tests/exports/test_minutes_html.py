"""The minutes' HTML renderer, on hand-built Minutes (pure: no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser

from diagnostic.reporting.common import CountRow
from diagnostic.reporting.minutes import (
    Excluded,
    Fact,
    KindSection,
    Minutes,
    MinutesItem,
    NamedParticipant,
    Participation,
    RankedItem,
    WorkshopInfo,
)
from exports.minutes_html import render_minutes_fragment, render_minutes_html

MOMENT = datetime(2011, 4, 12, 14, 30, tzinfo=UTC)
XSS = "<script>alert('x')</script>"


def _item(id: int, kind: str, description: str, **fields) -> MinutesItem:
    values = dict(kind_label=kind.title(), title=None, facts=[], author=None, organisation=None,
                  scribe_note=None, supports=0, dots=0, created_at=MOMENT)
    values.update(fields)
    return MinutesItem(id=id, kind=kind, description=description, **values)


def build_minutes(text: str = "Texte", closed: bool = True) -> Minutes:
    """Minutes whose user-text fields hold ``text``: a merged item, a scribe item, a ranking."""
    source = _item(2, "initiative", f"Source {text}", title=f"Ancien nom {text}", supports=1)
    merged = _item(1, "initiative", f"Initiative {text}", title=f"Nom {text}", supports=3, dots=2,
                   author=f"Auteur {text}", organisation=f"Structure {text}",
                   facts=[Fact("Commune", f"Commune {text}"), Fact("Emplois (ETP)", 4.5)],
                   sources=[source])
    scribe = _item(3, "need", f"Besoin {text}", scribe_note=f"Saisie par l'animation pour {text}")
    top = _item(4, "recommendation", f"Préconisation {text}", dots=5)
    sections = [
        KindSection("initiative", "Initiatives", [merged], 1),
        KindSection("need", "Besoins", [scribe], 0),
        KindSection("recommendation", "Préconisations", [top], 0),
    ]
    return Minutes(
        workshop=WorkshopInfo(
            id=9, title=f"Atelier {text}", diagnostic_id=1, diagnostic_title=f"Diagnostic {text}",
            territory=f"Territoire {text}", kind="territorial", kind_label="Atelier territorial",
            subject_label="Secteur territorial", subject=f"Secteur {text}",
            date=date(2011, 4, 12), place=f"Lieu {text}", status="closed" if closed else "open",
            status_label="Clos", is_closed=closed),
        generated_at=MOMENT,
        facilitators=[f"Animatrice {text}"],
        participation=Participation(
            total=3,
            by_actor_type=[CountRow(5, f"Acteur {text}", 2), CountRow(None, "Non précisé", 1)],
            organisations=[f"Structure {text}"],
            named=[NamedParticipant(f"Nommée {text}", None)]),
        sections=sections,
        counts=[CountRow(s.kind, s.label, len(s.items)) for s in sections],
        total=3,
        top_voted=[RankedItem(1, top), RankedItem(2, merged)],
        top_limit=10,
        excluded=Excluded(hidden=2, pending=1),
    )


class _Text(HTMLParser):
    """Collects the text of a page and the tags it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def test_standalone_page_is_html5_with_inline_css_and_no_external_resource():
    html = render_minutes_html(build_minutes()).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html and "<style>" in html and ".minutes-root" in html
    assert "<title>Compte-rendu · Atelier Texte</title>" in html
    for external in ("<link", "src=", "@import", "url("):
        assert external not in html


def test_heading_counts_and_exclusion_note():
    text = " ".join(_parse(render_minutes_fragment(build_minutes())).text)
    for expected in ("Atelier Texte", "12 avril 2011", "Lieu Texte", "Secteur territorial",
                     "Secteur Texte", "Animatrice Texte", "Acteur Texte", "Structure Texte",
                     "Nommée Texte", "2 masquée(s)", "1 en attente de validation"):
        assert expected in text, expected
    assert "Compte-rendu provisoire" not in text
    assert "Document interne" in text


def test_an_open_workshop_gets_provisional_minutes():
    html = render_minutes_fragment(build_minutes(closed=False))
    assert "Compte-rendu provisoire" in html


def test_merged_sources_are_listed_under_their_item_and_scribe_items_labelled():
    html = render_minutes_fragment(build_minutes())
    item = html.index('id="minutes-item-1"')
    sources = html.index('class="minutes-sources"')
    source = html.index('id="minutes-item-2"')
    assert item < sources < source < html.index('id="minutes-item-3"')
    assert "Contributions fusionnées dans celle-ci (1)" in html
    assert "Ancien nom Texte" in html
    assert "Saisie par l&#39;animation pour Texte" in html
    assert "Soutiens (+1) : 3 · Gommettes : 2" in html
    assert "Soutiens (+1) : 1 · Gommettes : 0" in html
    assert "4,5" in html  # numbers in the page's locale


def test_top_voted_table_follows_the_ranking():
    html = render_minutes_fragment(build_minutes())
    top = html[html.index('class="minutes-top"'):]
    top = top[: top.index("</table>")]
    assert top.index("Préconisation Texte") < top.index("Nom Texte — Initiative Texte")
    assert '<a href="#minutes-item-4">' in top


def test_user_text_is_escaped_never_markup():
    html = render_minutes_html(build_minutes(XSS)).decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "script" not in _parse(html).tags


def test_interface_strings_are_translated_and_the_language_is_set():
    def english(message: str, **params) -> str:
        table = {"Participation": "Attendance", "En bref": "At a glance"}
        message = table.get(message, message)
        return message % params if params else message

    html = render_minutes_html(build_minutes(), translate=english, lang="en").decode("utf-8")
    assert '<html lang="en">' in html
    assert ">Attendance</h2>" in html and ">At a glance</h2>" in html
    assert "April 12, 2011" in html


def test_empty_minutes_say_so():
    minutes = build_minutes()
    for section in minutes.sections:
        section.items = []
    minutes.top_voted = []
    minutes.participation = Participation(0, [], [], [])
    text = " ".join(_parse(render_minutes_fragment(minutes)).text)
    assert "Aucune contribution n'a reçu de soutien" in text
    assert "Aucune contribution publiée." in text
    assert "Aucun·e participant·e." in text


def test_the_minutes_carry_the_authority_and_its_logo_and_no_repeated_footer():
    from diagnostic.reporting.common import Identity

    minutes = build_minutes()
    html = render_minutes_html(minutes).decode()
    assert "<img" not in html and "<p class=\"report-authority\">" not in html  # none set
    assert "<tfoot" not in html and html.count('<tr class="report-total">') == 2
    minutes.identity = Identity(authority="Mairie <de> Test",
                                logo=b"\x89PNG\r\n\x1a\n", logo_type="image/png")
    html = render_minutes_html(minutes).decode()
    header = html[html.index('<header class="report-header minutes-header">'):
                  html.index("</header>")]
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in header
    assert '<p class="report-authority">Mairie &lt;de&gt; Test</p>' in header
    assert '<meta name="author" content="Mairie &lt;de&gt; Test">' in html
