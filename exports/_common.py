"""Helpers shared by the renderers: text cleaning and the default translation."""

from __future__ import annotations

import re
from collections.abc import Callable

from diagnostic.reporting.common import identity_translate

Translate = Callable[..., str]

# C0 controls except tab and line feed, DEL and the C1 controls: they break spreadsheets
# and are invalid in HTML. Carriage returns become line feeds (see clean_text).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` without control characters nor lone surrogates (replaced by U+FFFD)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = CONTROL_RE.sub("", value)
    return SURROGATE_RE.sub("\ufffd", value)


def translator(translate: Translate | None) -> Translate:
    """``translate`` or the French identity (gettext's signature either way)."""
    return translate or identity_translate
