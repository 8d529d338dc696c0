"""Hostile archives (issue 14, finding 10): refused cleanly, within limits, nothing written.

The document reader (:mod:`diagnostic.archive.document`) bounds size and nesting before
the JSON parser runs; the parser refuses lone surrogates, NUL and control characters by
field path, caps the problems it lists, and applies the live validation to contributions.
"""

from __future__ import annotations

import io
import json

import pytest

from diagnostic.archive.document import (
    _STRING,
    DocumentRefused,
    nesting_depth,
    parse_document,
    read_document,
)
from diagnostic.archive.parse import ArchiveInvalid, parse_archive
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.archive.values import MAX_TEXT
from tests.diagnostic.archive.conftest import count_rows


def _first(archive: dict, kind: str) -> int:
    return next(i for i, row in enumerate(archive["contributions"]) if row["kind"] == kind)


def test_200000_levels_of_nesting_are_refused_before_the_parser():
    deep = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(DocumentRefused) as caught:
        read_document(io.BytesIO(deep), max_bytes=10**6, max_depth=32)
    assert caught.value.params == {"limit": 32}
    # Objects too, and brackets inside strings do not count.
    assert nesting_depth(b'{"a": {"b": "[[[[{{{{\\"]]]"}}') == 2
    with pytest.raises(DocumentRefused):
        parse_document(b'{"a":' * 40 + b"1" + b"}" * 40, max_depth=32)


def test_the_depth_scan_is_linear_on_unterminated_strings():
    # '"\\' repeated: every quote opens a string that never closes. A string pattern that
    # fails there is tried again from each quote to the end: quadratic, minutes for a
    # few megabytes. The pattern must match an unterminated string, to the end.
    assert _STRING.match(b'"\\"\\"').end() == 5
    assert nesting_depth(b'"\\' * 2_000_000) == 0
    assert nesting_depth(b'[[["\\"]]' + b'"\\' * 10) == 3


def test_the_parsers_own_recursion_limit_is_a_clean_refusal_too():
    # Past Python's recursion limit the json module raises RecursionError: caught.
    deep = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(DocumentRefused):
        parse_document(deep, max_depth=10**6)


def test_an_archive_over_the_size_limit_is_refused_without_reading_it_all():
    class Endless(io.RawIOBase):
        """A 20 MB stream of spaces that counts what is read from it."""

        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            size = min(len(buffer), 20_000_000 - self.read_bytes)
            buffer[:size] = b" " * size
            self.read_bytes += size
            return size

    stream = Endless()
    with pytest.raises(DocumentRefused) as caught:
        read_document(io.BufferedReader(stream), max_bytes=1000, max_depth=32)
    assert "taille maximale" in caught.value.message
    assert stream.read_bytes < 100_000


@pytest.mark.parametrize("raw, message", [
    (b'{"a": "\xff"}', "UTF-8"),
    (b'{"a": "\xed\xa0\x80"}', "UTF-8"),  # an encoded surrogate is not UTF-8
    (b'{"a": NaN}', "JSON"),
    (b'{"a": Infinity}', "JSON"),
    (b'{"a": [1e400]}', "JSON"),  # infinite: no database takes it in a JSON column
    (b'{"a": ', "JSON"),
])
def test_files_that_are_not_utf8_json_are_refused(raw, message):
    with pytest.raises(DocumentRefused) as caught:
        parse_document(raw, max_depth=32)
    assert message in caught.value.message


@pytest.mark.parametrize("text", ["lone \ud800 surrogate", "\udfff", "NUL\x00", "esc\x1b[2J",
                                  "bell\x07", "del\x7f"])
def test_forbidden_characters_are_refused_with_their_field_path(db, rich_archive, text):
    archive = rich_archive
    archive["contributions"][2]["description"] = text
    archive["audit_entries"][0]["after"] = {"nested": ["ok", text]}
    before = count_rows(db)
    with pytest.raises(ArchiveInvalid) as caught:
        restore_diagnostic(db.session, archive)
    errors = caught.value.errors
    assert "caractères non autorisés" in errors["contributions[2].description"]
    assert "audit_entries[0].after.nested[1]" in errors
    assert count_rows(db) == before


def test_a_lone_surrogate_from_a_json_escape_is_refused(db, rich_archive):
    raw = json.dumps(rich_archive).replace('"schema"', '"\\ud800": 1, "schema"', 1)
    document = parse_document(raw.encode("ascii"), max_depth=32)
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(document)
    assert "\ud800" in caught.value.errors
    # Tab and line breaks are ordinary text.
    rich_archive["contributions"][0]["description"] = "une\r\nligne\tet l'autre"
    parse_archive(rich_archive)


def test_ten_thousand_errors_keep_only_the_cap_and_count_the_rest(db, rich_archive):
    archive = rich_archive
    archive["diagnostic"].update({f"unknown_{n}": n for n in range(10_000)})
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(archive, max_errors=50)
    assert len(caught.value.errors) == 50
    assert caught.value.omitted == 10_000 - 50


def test_a_javascript_website_is_refused_like_on_the_live_path(db, rich_archive):
    archive = rich_archive
    index = _first(archive, "initiative")
    archive["contributions"][index]["website"] = "javascript:alert(document.cookie)"
    before = count_rows(db)
    with pytest.raises(ArchiveInvalid) as caught:
        restore_diagnostic(db.session, archive)
    assert caught.value.errors == {
        f"contributions[{index}].website":
            "Adresse web invalide (par exemple : www.exemple.fr ou https://exemple.fr)."}
    assert count_rows(db) == before


def test_a_website_without_scheme_is_completed_like_on_the_live_path(db, rich_archive):
    archive = rich_archive
    index = _first(archive, "initiative")
    archive["contributions"][index]["website"] = "www.exemple.fr"
    restored = restore_diagnostic(db.session, archive)
    client_id = archive["contributions"][index]["client_id"]
    websites = {c.client_id: c.website for w in restored.workshops for c in w.contributions}
    assert websites[client_id] == "https://www.exemple.fr"


def test_a_website_on_a_need_is_refused(db, rich_archive):
    archive = rich_archive
    index = _first(archive, "need")
    archive["contributions"][index]["website"] = "javascript:alert(1)"
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(archive)
    assert f"contributions[{index}].website" in caught.value.errors


@pytest.mark.parametrize("field, value", [
    ("description", "x" * 20_000),  # a 20,000-character word
    ("description", "  "),
    ("client_id", "<script>"),
    ("jobs_fte", -3.0),
])
def test_contributions_go_through_the_live_validation(db, rich_archive, field, value):
    archive = rich_archive
    index = _first(archive, "initiative")
    archive["contributions"][index][field] = value
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(archive)
    assert f"contributions[{index}].{field}" in caught.value.errors


def test_a_term_of_another_vocabulary_is_refused(db, rich_archive):
    archive = rich_archive
    index = _first(archive, "need")
    row = archive["contributions"][index]
    wrong = next(t["id"] for t in archive["terms"] if t["vocabulary"] == "ess_family")
    row["need_category_id"] = wrong
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(archive)
    assert caught.value.errors == {f"contributions[{index}].need_category_id": "Choix invalide."}


def test_unbounded_text_columns_hold_at_most_the_longest_live_text(db, rich_archive):
    rich_archive["diagnostic"]["description"] = "x" * (MAX_TEXT + 1)
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(rich_archive)
    assert caught.value.errors == {"diagnostic.description": "Ce texte est trop long."}


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 10**30])
def test_integers_beyond_the_column_are_refused_not_a_database_error(db, rich_archive, value):
    rich_archive["workshops"][0]["dot_budget"] = value
    before = count_rows(db)
    with pytest.raises(ArchiveInvalid) as caught:
        restore_diagnostic(db.session, rich_archive)
    assert caught.value.errors == {"workshops[0].dot_budget": "Valeur invalide."}
    assert count_rows(db) == before


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_moments_out_of_range_in_utc_are_refused(db, rich_archive, moment):
    rich_archive["contributions"][0]["created_at"] = moment
    with pytest.raises(ArchiveInvalid) as caught:
        parse_archive(rich_archive)
    assert caught.value.errors == {"contributions[0].created_at": "Valeur invalide."}
