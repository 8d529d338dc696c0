"""Read an archive file safely: :func:`read_document`, bytes to JSON builtins within limits.

An imported file comes from outside: it is refused, with a message naming the limit, when
it is larger than ``max_bytes`` (read at most one byte past the limit, never the whole
stream), when its brackets nest deeper than ``max_depth`` (a scan of the bytes before the
JSON parser, which recurses, sees them), when it is not UTF-8 or not JSON (``NaN``,
``Infinity`` and numbers beyond a float included). The text inside, checked by
:func:`text_errors`, must not hold NUL or other control characters (tab and line breaks
aside) nor lone surrogates, which a JSON escape (``"\\ud800"``) can produce from valid
UTF-8.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

from ..errors import N_, DomainError
from ..validation import CONTROL_MESSAGE, CONTROL_RE

# A JSON string, escapes included (the "unrolled loop" form: no backtracking). The closing
# quote is optional so that a match never fails: an unterminated string runs to the end
# of the text, and a document of unclosed strings costs one pass, not one pass per quote.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = np.frombuffer(b"[{", dtype=np.uint8)
# Lone surrogates: a JSON escape makes them from ASCII; no encoding, hence no database,
# takes them. Control characters are the live input's rule (validation.CONTROL_RE).
SURROGATES = re.compile("[\ud800-\udfff]")


class DocumentRefused(DomainError):
    """The file cannot be read as an archive; nothing was written."""


def read_document(stream: BinaryIO, *, max_bytes: int, max_depth: int) -> Any:
    """The JSON document in ``stream``, or :class:`DocumentRefused` saying why not."""
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise DocumentRefused(
            N_("Le fichier dépasse la taille maximale d'une importation (%(megabytes)s Mo)."),
            megabytes=f"{max_bytes / 1_048_576:.3g}")
    return parse_document(raw, max_depth=max_depth)


def parse_document(raw: bytes, *, max_depth: int) -> Any:
    """The JSON document in ``raw`` (size already checked), nesting at most ``max_depth``."""
    if nesting_depth(raw) > max_depth:
        raise DocumentRefused(
            N_("Le fichier imbrique trop de niveaux (%(limit)s au plus)."), limit=max_depth)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentRefused(
            N_("Le fichier n'est pas un texte UTF-8 valide (octet %(position)s)."),
            position=exc.start) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise DocumentRefused(
            N_("Le fichier n'est pas un document JSON valide (ligne %(line)s, colonne "
               "%(column)s)."), line=exc.lineno, column=exc.colno) from None
    except ValueError:
        raise DocumentRefused(N_("Le fichier n'est pas un document JSON valide.")) from None
    except RecursionError:  # the scan above keeps below the parser's limit; belt and braces
        raise DocumentRefused(
            N_("Le fichier imbrique trop de niveaux (%(limit)s au plus)."),
            limit=max_depth) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    """A JSON number with a fraction or exponent; ``1e400`` (infinite) is refused."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def nesting_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings aside).

    Done on the bytes, in C (a regular expression, ``bytes.translate``, numpy), so a file
    of millions of brackets costs milliseconds, not a recursion per level.
    """
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where(np.isin(codes, _OPENING), 1, -1)
    return int(np.cumsum(steps).max())


def text_errors(value: Any, path: str, report: Callable[[str, str], None]) -> None:
    """Report every string of ``value`` (keys included) that holds a forbidden character.

    ``report(path, message)`` is called with paths such as ``contributions[3].description``
    or ``audit_entries[0].after.title``; the walk uses a stack (no recursion).
    """
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if _forbidden(item):
                report(where, CONTROL_MESSAGE)
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                name = str(key)
                child_path = f"{where}.{name}" if where else name
                if _forbidden(name):
                    report(child_path, N_("Ce nom de champ contient des caractères interdits."))
                    continue
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child)
                         for index, child in reversed(list(enumerate(item))))


def _forbidden(text: str) -> bool:
    """Whether ``text`` holds a control character (tab and line breaks aside) or a lone
    surrogate."""
    return bool(CONTROL_RE.search(text) or SURROGATES.search(text))
