"""The report's identity: logo checks (PNG, SVG), the service, names, composition."""

from __future__ import annotations

import io
import zlib
from datetime import UTC, date, datetime

import pytest
from PIL import Image

from diagnostic.errors import ValidationError
from diagnostic.frame import archiving
from diagnostic.frame.archiving import ArchivedError
from diagnostic.frame.identity import (
    LOGO_PNG_WIDTH,
    LogoRefused,
    check_logo,
    file_stem,
    minutes_filename,
    report_filename,
    set_identity,
    slugify,
    workshop_slug,
)
from diagnostic.models import ReportStatus, WorkshopKind
from diagnostic.reporting.common import identity_of
from diagnostic.reporting.minutes_build import compose_minutes
from diagnostic.reporting.report_build import compose_report

SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
GOOD_SVG = SVG_HEAD + b' viewBox="0 0 100 40"><rect width="100" height="40" fill="#036"/></svg>'


def png(size=(120, 40), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128).save(out, "PNG")
    return out.getvalue()


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(LogoRefused) as caught:
        check_logo(data, **kwargs)
    return caught.value.errors["logo"]


# ---------------------------------------------------------------- PNG


def test_a_png_is_kept_as_is_with_a_bounded_rendering():
    data = png((1200, 300))
    logo = check_logo(data)
    assert logo.data == data and logo.mime_type == "image/png"
    with Image.open(io.BytesIO(logo.png)) as rendering:
        assert rendering.format == "PNG" and rendering.size == (LOGO_PNG_WIDTH, 150)
    small = check_logo(png((80, 20)))
    assert Image.open(io.BytesIO(small.png)).size == (80, 20)


def test_a_png_too_large_in_bytes_or_pixels_is_refused():
    assert refused(png(), max_bytes=100).startswith("Le logo est trop volumineux")
    assert refused(png((5000, 10))).startswith("L'image est trop grande")


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (len(payload).to_bytes(4, "big") + kind + payload
            + zlib.crc32(kind + payload).to_bytes(4, "big"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    """A tiny file announcing 100,000 × 100,000 pixels: refused from its header."""
    header = (100_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    bomb = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\0" * 10_000)) + _png_chunk(b"IEND", b""))
    assert len(bomb) < 1000
    assert refused(bomb).startswith("L'image est trop grande")


def test_a_damaged_png_is_refused():
    data = bytearray(png())
    data[40] ^= 0xFF  # inside the image data: a checksum fails
    assert refused(bytes(data)) == "Ce fichier PNG est illisible ou endommagé."
    assert refused(png()[:30]) == "Ce fichier PNG est illisible ou endommagé."


def test_the_type_comes_from_the_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "JPEG")
    assert refused(out.getvalue()) == "Le logo doit être une image PNG ou SVG."
    assert refused(b"GIF89a...") == "Le logo doit être une image PNG ou SVG."
    assert refused(b"<html><body>x</body></html>") == "Le logo doit être une image PNG ou SVG."


# ---------------------------------------------------------------- SVG


def test_a_clean_svg_is_kept_and_rendered():
    logo = check_logo(GOOD_SVG)
    assert logo.data == GOOD_SVG and logo.mime_type == "image/svg+xml"
    with Image.open(io.BytesIO(logo.png)) as rendering:
        assert rendering.size == (LOGO_PNG_WIDTH, 240)


def test_an_svg_may_use_its_own_references_and_embedded_images():
    embedded = ("data:image/png;base64,"
                + __import__("base64").b64encode(png((4, 4))).decode()).encode()
    svg = (SVG_HEAD + b' viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0"/>'
           b'</linearGradient></defs><rect width="10" height="10" fill="url(#g)"/>'
           b'<use xlink:href="#g"/><image width="4" height="4" href="' + embedded + b'"/></svg>')
    assert check_logo(svg).mime_type == "image/svg+xml"


UNSAFE = "Le SVG contient du code"
EXTERNAL = "Le SVG fait référence à des ressources externes"


@pytest.mark.parametrize("body, message", [
    (b"><script>alert(1)</script></svg>", UNSAFE),
    (b"><SCRIPT>alert(1)</SCRIPT></svg>", UNSAFE),
    (b' onload="alert(1)"/>', UNSAFE),
    (b'><rect width="1" height="1" onClick="x()"/></svg>', UNSAFE),
    (b"><foreignObject><p>x</p></foreignObject></svg>", UNSAFE),
    (b'><a href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>', UNSAFE),
    (b'><a href="https://example.org"><rect width="1" height="1"/></a></svg>', EXTERNAL),
    (b'><set attributeName="href" to="javascript:alert(1)"/></svg>', UNSAFE),
    (b'><image xlink:href="https://example.org/a.png" width="1" height="1"/></svg>', EXTERNAL),
    (b'><image href="file:///etc/passwd" width="1" height="1"/></svg>', EXTERNAL),
    (b'><use href="other.svg#x"/></svg>', EXTERNAL),
    (b'><image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/></svg>',
     EXTERNAL),
    (b'><rect width="1" height="1" style="fill:url(http://example.org/x)"/></svg>', EXTERNAL),
    (b"><style>rect { fill: url('https://example.org/p') }</style></svg>", EXTERNAL),
    (b"><style>@import 'https://example.org/s.css';</style></svg>", EXTERNAL),
])
def test_unsafe_svgs_are_refused(body, message):
    assert refused(SVG_HEAD + body).startswith(message)


def test_entities_and_doctypes_are_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&" + bytes([97 + i])
                                                   + b";" * 1) for i in range(8))
              + b']><svg xmlns="http://www.w3.org/2000/svg"><text>&i;</text></svg>')
    assert refused(laughs) == "Le SVG ne doit déclarer ni DOCTYPE ni entités."
    external = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    assert refused(external) == "Le SVG ne doit déclarer ni DOCTYPE ni entités."


def test_a_doctype_is_dropped_and_an_internal_subset_with_declarations_refused():
    public = (b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
              b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- made by hand -->\n'
              + GOOD_SVG)
    assert check_logo(public).data == GOOD_SVG  # stored without DOCTYPE nor comment
    # Default attributes declared in an internal subset would apply in some browsers:
    # the stored SVG has no subset left.
    attlist = (b'<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>' + GOOD_SVG)
    assert b"onload" not in check_logo(attlist).data
    declared = b'<!DOCTYPE svg [<!ELEMENT svg ANY>]>' + GOOD_SVG
    assert refused(declared) == "Le SVG ne doit déclarer ni DOCTYPE ni entités."


def test_not_an_svg_root_or_not_xml():
    assert refused(b'<html xmlns="http://www.w3.org/1999/xhtml"/>') == (
        "Le logo doit être une image PNG ou SVG.")
    assert refused(b"<svg") == "Ce fichier SVG est illisible (XML invalide)."


def test_an_svg_that_cannot_be_rendered_is_refused():
    empty = b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    assert refused(empty).startswith("Ce logo ne peut pas être converti en image")


def test_a_huge_svg_tree_is_refused():
    svg = SVG_HEAD + b">" + b'<rect width="1" height="1"/>' * 6000 + b"</svg>"
    assert refused(svg) == "Le SVG est trop complexe pour un logo."


# ---------------------------------------------------------------- the service


def test_set_identity_sets_everything(db, make_diagnostic):
    diagnostic = make_diagnostic()
    set_identity(db.session, diagnostic, authority="  Grand   Toulouse ", subtitle="ESS",
                 status="validated", validated_on=date(2011, 6, 30),
                 version_date=date(2011, 7, 1), download_stem="ess-2011", logo=GOOD_SVG)
    assert diagnostic.report_authority == "Grand Toulouse"
    assert diagnostic.report_status == ReportStatus.VALIDATED
    assert diagnostic.report_logo == GOOD_SVG and diagnostic.report_logo_png
    assert file_stem(diagnostic) == "ess-2011"
    # Neither a new logo nor its removal: the logo stays. Draft: no validation date.
    set_identity(db.session, diagnostic, authority="X")
    assert diagnostic.report_logo == GOOD_SVG and diagnostic.report_validated_on is None
    set_identity(db.session, diagnostic, remove_logo=True)
    assert diagnostic.report_logo is None and diagnostic.report_logo_png is None


def test_validated_without_a_day_is_today_in_the_diagnostic_zone(db, make_diagnostic):
    diagnostic = make_diagnostic(time_zone="Pacific/Noumea")  # UTC+11
    late_evening_utc = datetime(2011, 6, 30, 20, 0, tzinfo=UTC)
    set_identity(db.session, diagnostic, status="validated", now=late_evening_utc)
    assert diagnostic.report_validated_on == date(2011, 7, 1)
    with pytest.raises(ValidationError) as caught:
        set_identity(db.session, diagnostic, status="validated",
                     validated_on=date(2011, 7, 2), now=late_evening_utc)
    assert caught.value.errors == {
        "validated_on": "La date de validation ne peut pas être dans le futur."}


@pytest.mark.parametrize("stem", ["ab", "Majuscule", "accentué", "a--b", "-ab", "a b c",
                                  "x" * 61, "ab_c"])
def test_bad_stems_are_refused(db, make_diagnostic, stem):
    diagnostic = make_diagnostic()
    with pytest.raises(ValidationError) as caught:
        set_identity(db.session, diagnostic, download_stem=stem)
    assert set(caught.value.errors) == {"download_stem"}
    assert diagnostic.download_stem is None


def test_nothing_changes_on_error(db, make_diagnostic):
    diagnostic = make_diagnostic()
    with pytest.raises(LogoRefused) as caught:
        set_identity(db.session, diagnostic, authority="Changé", download_stem="A B",
                     logo=b"GIF89a")
    # Every field's error at once, the logo's too.
    assert set(caught.value.errors) == {"logo", "download_stem"}
    assert diagnostic.report_authority == "" and diagnostic.report_logo is None


def test_an_archived_diagnostic_is_read_only(db, make_diagnostic):
    diagnostic = make_diagnostic()
    archiving.archive_diagnostic(db.session, diagnostic)
    with pytest.raises(ArchivedError):
        set_identity(db.session, diagnostic, authority="X")
    assert diagnostic.report_authority == ""


# ---------------------------------------------------------------- names


def test_slugs_fold_accents_and_stay_short():
    assert slugify("Diagnostic ÉSS — Grand Toulouse 2011") == "diagnostic-ess-grand-toulouse-2011"
    assert slugify("Œuvres d'économie, « solidaire » !") == "oeuvres-d-economie-solidaire"
    long = slugify("Diagnostic territorial collaboratif de l'ESS du Grand Toulouse (démo)")
    assert len(long) <= 60 and not long.endswith("-")
    assert slugify("—") == ""


def test_download_names(db, make_diagnostic, make_workshop):
    diagnostic = make_diagnostic(title="Diagnostic ÉSS Grand Toulouse 2011")
    assert report_filename(diagnostic, "pdf") == "diagnostic-ess-grand-toulouse-2011-rapport.pdf"
    nord = make_workshop(diagnostic, title="Atelier territorial — Toulouse nord")
    assert workshop_slug(nord) == "nord"  # its sector's name
    theme = make_workshop(diagnostic, title="Atelier", kind=WorkshopKind.THEMATIC,
                          sector_id=None, theme_id=diagnostic.themes[0].id)
    assert workshop_slug(theme) == "entrepreneuriat-solidaire"
    assert minutes_filename(nord, "docx") == (
        "diagnostic-ess-grand-toulouse-2011-compte-rendu-atelier-nord.docx")
    diagnostic.download_stem = "ess-2011"
    assert report_filename(diagnostic, "odt") == "ess-2011-rapport.odt"
    untitled = make_diagnostic(title="—")
    assert file_stem(untitled) == f"diagnostic-{untitled.id}"


# ---------------------------------------------------------------- composition


def test_report_and_minutes_carry_the_identity(db, make_diagnostic, make_workshop):
    diagnostic = make_diagnostic()
    workshop = make_workshop(diagnostic)
    set_identity(db.session, diagnostic, authority="Grand Toulouse", subtitle="ESS",
                 status="validated", validated_on=date(2011, 6, 30), logo=GOOD_SVG)
    report = compose_report(db.session, diagnostic)
    identity = report.context.identity
    assert identity == identity_of(diagnostic)
    assert (identity.authority, identity.subtitle, identity.status) == (
        "Grand Toulouse", "ESS", "validated")
    assert identity.validated_on == date(2011, 6, 30) and identity.validated
    assert identity.logo == GOOD_SVG and identity.logo_type == "image/svg+xml"
    assert identity.logo_png.startswith(b"\x89PNG")
    assert report.minutes and report.minutes[0].identity == identity
    assert compose_minutes(db.session, workshop).identity == identity


def test_a_diagnostic_without_identity_gives_an_empty_draft(db, make_diagnostic):
    identity = compose_report(db.session, make_diagnostic()).context.identity
    assert identity.status == "draft" and not identity.validated
    assert identity.logo is None and identity.authority == ""
