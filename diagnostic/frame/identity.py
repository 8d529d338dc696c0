"""The report's identity: who publishes it, its logo and status, and its download names.

:func:`set_identity` validates and sets what the cover of every format prints (the
authority, a subtitle, a logo, the status "Document de travail" / "Version validée le …",
a version date) and the stem of the download names; :func:`check_logo` is the one check
of an uploaded logo, shared with the archive import. The report and the minutes read it
as an :class:`~diagnostic.reporting.common.Identity` (``identity_of``).

A logo comes from outside and ends up in PDF, DOCX, ODT, the JSON report and a staff
page: it must be an image and nothing else. Its type is read from its bytes (never the
file name); a PNG must open in Pillow within bounded dimensions (no decompression bomb);
an SVG is parsed by lxml without entities, DTD or network, refused when it holds
script, ``foreignObject``, event handlers or any reference outside itself other than an
embedded PNG or JPEG image, and stored re-serialised without its DOCTYPE. Every logo
gets a PNG rendering (cairosvg for an SVG, which fetches nothing but data: URLs): a logo
that cannot be rendered is refused too.

Services validate, raise with nothing changed, and flush; the caller commits.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from ..errors import N_, ValidationError
from ..models import Diagnostic, ReportStatus, Workshop
from ..time_zones import local
from ..validation import CONTROL_MESSAGE, CONTROL_RE
from .archiving import require_not_archived

LOGO_MAX_BYTES = 1024 * 1024
"""Largest logo file accepted (the web app's ``REPORT_LOGO_MAX_BYTES`` may lower it)."""
LOGO_MAX_SIDE = 4000
"""Largest width or height of a PNG logo, in pixels."""
LOGO_PNG_WIDTH = 600
"""Width of the PNG rendering of a logo (a PNG narrower than this keeps its width)."""
SVG_MAX_ELEMENTS = 5000
"""Most elements an SVG logo may hold (a logo is a few dozen)."""

PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"

STEM_MIN, STEM_MAX = 3, 60
STEM_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = STEM_MAX
"""Longest slug made from a title (the stem may be longer when typed)."""

NOT_AN_IMAGE = N_("Le logo doit être une image PNG ou SVG.")
TOO_LARGE = N_("Le logo est trop volumineux : %(kilobytes)s Ko au plus.")
TOO_LARGE_PLAIN = N_("Le logo est trop volumineux.")
BAD_PNG = N_("Ce fichier PNG est illisible ou endommagé.")
PNG_TOO_BIG = N_("L'image est trop grande : %(side)s pixels de côté au plus.")
PNG_TOO_BIG_PLAIN = N_("L'image du logo est trop grande.")
BAD_SVG = N_("Ce fichier SVG est illisible (XML invalide).")
SVG_DOCTYPE = N_("Le SVG ne doit déclarer ni DOCTYPE ni entités.")
SVG_UNSAFE = N_("Le SVG contient du code ou des éléments interdits (script, foreignObject, "
                "attributs on…) : enregistrez-le sans eux.")
SVG_EXTERNAL = N_("Le SVG fait référence à des ressources externes : seules les images PNG "
                  "ou JPEG incluses dans le fichier sont acceptées.")
SVG_TOO_COMPLEX = N_("Le SVG est trop complexe pour un logo.")
UNRENDERABLE = N_("Ce logo ne peut pas être converti en image : vérifiez le fichier.")
BAD_STEM = N_("Le nom de fichier ne peut contenir que des lettres minuscules sans accent, "
              "des chiffres et des tirets (3 à 60 caractères).")
VALIDATED_IN_FUTURE = N_("La date de validation ne peut pas être dans le futur.")


class LogoRefused(ValidationError):
    """The logo is not a safe PNG or SVG: ``errors["logo"]`` says why (``params`` its
    figures, ``plain`` the message without figures, for an archive's report)."""

    def __init__(self, message: str, plain: str | None = None, **params: object) -> None:
        super().__init__({"logo": message})
        self.params = params
        self.plain = plain or message


@dataclass(frozen=True)
class Logo:
    """A checked logo: the bytes to store, their MIME type and a PNG rendering."""

    data: bytes
    mime_type: str
    png: bytes


# ---------------------------------------------------------------- logos


def check_logo(data: bytes, max_bytes: int = LOGO_MAX_BYTES) -> Logo:
    """The checked logo in ``data``, or :class:`LogoRefused` saying why not."""
    if len(data) > max_bytes:
        raise LogoRefused(TOO_LARGE, TOO_LARGE_PLAIN, kilobytes=max_bytes // 1024)
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data)
    if _looks_like_xml(data):
        return _check_svg(data)
    raise LogoRefused(NOT_AN_IMAGE)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def _check_png(data: bytes) -> Logo:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
                width, height = probe.size
                if not (0 < width <= LOGO_MAX_SIDE and 0 < height <= LOGO_MAX_SIDE):
                    raise LogoRefused(PNG_TOO_BIG, PNG_TOO_BIG_PLAIN, side=LOGO_MAX_SIDE)
                probe.verify()  # checksums of every chunk
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                image.load()
                rendering = _png_rendering(image)
    except LogoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LogoRefused(PNG_TOO_BIG, PNG_TOO_BIG_PLAIN, side=LOGO_MAX_SIDE) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise LogoRefused(BAD_PNG) from exc
    return Logo(data, PNG, rendering)


def _png_rendering(image) -> bytes:
    """``image`` re-encoded as PNG (no metadata), at most LOGO_PNG_WIDTH wide."""
    from PIL import Image

    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    if image.width > LOGO_PNG_WIDTH:
        height = max(1, round(image.height * LOGO_PNG_WIDTH / image.width))
        image = image.resize((LOGO_PNG_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_SAFE_DATA = re.compile(r"^data:image/(png|jpeg);", re.IGNORECASE)
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio",
                       "video", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}


def _safe_reference(value: str) -> bool:
    """A reference inside the file (``#id``) or an embedded PNG or JPEG image."""
    value = "".join(value.split())  # browsers ignore whitespace in URLs
    return value.startswith("#") or bool(_SAFE_DATA.match(value))


def _local_name(name: object) -> str:
    text = str(name)
    return text.rsplit("}", 1)[-1].lower()


def _check_svg(data: bytes) -> Logo:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise LogoRefused(BAD_SVG) from exc
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities())
                            or any(True for _ in dtd.iterelements())):
        raise LogoRefused(SVG_DOCTYPE)
    if _local_name(root.tag) != "svg" or etree.QName(root).namespace not in (SVG_NS, None):
        raise LogoRefused(NOT_AN_IMAGE)
    count = 0
    for node in tree.iter():
        count += 1
        if count > SVG_MAX_ELEMENTS:
            raise LogoRefused(SVG_TOO_COMPLEX)
        if isinstance(node, etree._Entity):
            raise LogoRefused(SVG_DOCTYPE)
        if isinstance(node, etree._ProcessingInstruction):
            raise LogoRefused(SVG_UNSAFE)  # <?xml-stylesheet href=...?>
        if not isinstance(node.tag, str):
            continue  # comments
        name = _local_name(node.tag)
        if name in _FORBIDDEN_ELEMENTS:
            raise LogoRefused(SVG_UNSAFE)
        for attribute, value in node.attrib.items():
            key = _local_name(attribute)
            if key.startswith("on") or "javascript:" in value.lower().replace(" ", ""):
                raise LogoRefused(SVG_UNSAFE)
            if key == "href" and not _safe_reference(value):
                raise LogoRefused(SVG_EXTERNAL)
            if name in _ANIMATIONS and key == "attributename" and (
                    _local_name(value) == "href" or value.lower().startswith("on")):
                raise LogoRefused(SVG_UNSAFE)
            _check_urls(value)
        if name == "style":
            text = "".join(node.itertext())
            if "@import" in text.lower():
                raise LogoRefused(SVG_EXTERNAL)
            _check_urls(text)
    # Stored as re-serialised from the tree: no DOCTYPE (an internal subset's default
    # attributes could apply in a browser), no processing instruction or comment
    # outside the root; serialising it again gives the same bytes.
    clean = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return Logo(clean, SVG, _render_svg(clean))


def _check_urls(text: str) -> None:
    if "url" not in text.lower():
        return
    for match in _URL_RE.finditer(text):
        if not _safe_reference(match.group(2)):
            raise LogoRefused(SVG_EXTERNAL)


def _render_svg(data: bytes) -> bytes:
    """A PNG rendering of a checked SVG, LOGO_PNG_WIDTH wide; :class:`LogoRefused` when
    cairosvg cannot draw it (or draws nothing)."""
    import cairosvg
    from PIL import Image

    try:
        # unsafe=False (the default): no entities, and only data: URLs are fetched.
        png = cairosvg.svg2png(bytestring=data, output_width=LOGO_PNG_WIDTH, unsafe=False)
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            width, height = image.size
    except Exception as exc:  # noqa: BLE001 - cairosvg raises anything on a bad file
        raise LogoRefused(UNRENDERABLE) from exc
    if not png or not (0 < width <= LOGO_MAX_SIDE and 0 < height <= LOGO_MAX_SIDE):
        raise LogoRefused(UNRENDERABLE)
    return png


# ---------------------------------------------------------------- names


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """``text`` as lower-case ASCII words joined by hyphens, accents folded, cut at a
    hyphen within ``max_length`` ("Économie sociale — Nord" → "economie-sociale-nord")."""
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE")
                                   .replace("æ", "ae").replace("Æ", "AE").replace("ß", "ss"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def file_stem(diagnostic: Diagnostic) -> str:
    """The start of every download name of ``diagnostic``: the stem staff chose, else a
    slug of its title (``diagnostic-<id>`` when the title has no letter or digit)."""
    if diagnostic.download_stem:
        return diagnostic.download_stem
    slug = slugify(diagnostic.title or "")
    return slug if len(slug) >= STEM_MIN else f"diagnostic-{diagnostic.id}"


def workshop_slug(workshop: Workshop) -> str:
    """A workshop in a file name: its sector or theme ("toulouse-nord"), else its title,
    else its number."""
    for source in (workshop.sector.name if workshop.sector else "",
                   workshop.theme.name if workshop.theme else "", workshop.title or ""):
        slug = slugify(source)
        if slug:
            return slug
    return str(workshop.id)


def report_filename(diagnostic: Diagnostic, fmt: str) -> str:
    """``<stem>-rapport.<fmt>``, e.g. ``diagnostic-ess-grand-toulouse-2011-rapport.pdf``."""
    return f"{file_stem(diagnostic)}-rapport.{fmt}"


def minutes_filename(workshop: Workshop, fmt: str) -> str:
    """``<stem>-compte-rendu-atelier-<workshop>.<fmt>``."""
    return (f"{file_stem(workshop.diagnostic)}-compte-rendu-atelier-"
            f"{workshop_slug(workshop)}.{fmt}")


# ---------------------------------------------------------------- the service


def today_in(diagnostic: Diagnostic, now: datetime | None = None) -> date:
    """Today in the diagnostic's time zone."""
    return local(now or datetime.now(UTC), diagnostic.time_zone).date()


def _text(errors: dict[str, str], field: str, value: str | None, max_length: int) -> str:
    text = " ".join((value or "").split())
    if CONTROL_RE.search(value or ""):
        errors[field] = CONTROL_MESSAGE
    elif len(text) > max_length:
        errors[field] = N_("Ce texte est trop long.")
    return text


def check_stem(value: str | None) -> str | None:
    """A typed stem, normalised (None: empty, the title's slug applies); ValueError when
    it is not 3–60 lower-case ASCII letters, digits and single hyphens."""
    stem = (value or "").strip()
    if not stem:
        return None
    if not (STEM_MIN <= len(stem) <= STEM_MAX) or not STEM_RE.match(stem):
        raise ValueError(stem)
    return stem


def set_identity(
    session: Session, diagnostic: Diagnostic, *, authority: str = "", subtitle: str = "",
    status: ReportStatus | str = ReportStatus.DRAFT, validated_on: date | None = None,
    version_date: date | None = None, download_stem: str | None = None,
    logo: bytes | None = None, remove_logo: bool = False,
    max_logo_bytes: int = LOGO_MAX_BYTES, now: datetime | None = None,
) -> Diagnostic:
    """Set the report's identity of ``diagnostic``; nothing changes on error.

    ``logo`` (bytes) replaces the logo, ``remove_logo`` removes it, neither keeps it.
    A validated status without ``validated_on`` is validated today (in the diagnostic's
    time zone). Raises :class:`ValidationError` (field → French msgid; a refused logo
    is a :class:`LogoRefused` whose message takes ``params``).
    """
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    fields = {
        "report_authority": _text(errors, "authority", authority, 200),
        "report_subtitle": _text(errors, "subtitle", subtitle, 300),
    }
    try:
        status = ReportStatus(status)
    except ValueError:
        errors["status"] = N_("Choix invalide.")
        status = ReportStatus.DRAFT
    today = today_in(diagnostic, now)
    if status == ReportStatus.VALIDATED:
        validated_on = validated_on or today
        if validated_on > today:
            errors["validated_on"] = VALIDATED_IN_FUTURE
    else:
        validated_on = None
    try:
        fields["download_stem"] = check_stem(download_stem)
    except ValueError:
        errors["download_stem"] = BAD_STEM
    checked = None
    if logo is not None and not remove_logo:
        try:
            checked = check_logo(logo, max_logo_bytes)
        except LogoRefused as refused:
            if errors:  # report every field, the logo's message with its figures
                refused.errors.update(errors)
            raise
    if errors:
        raise ValidationError(errors)
    fields.update(report_status=status, report_validated_on=validated_on,
                  report_version_date=version_date)
    if remove_logo:
        fields.update(report_logo=None, report_logo_type=None, report_logo_png=None)
    elif checked is not None:
        fields.update(report_logo=checked.data, report_logo_type=checked.mime_type,
                      report_logo_png=checked.png)
    for name, value in fields.items():
        setattr(diagnostic, name, value)
    session.flush()
    return diagnostic
