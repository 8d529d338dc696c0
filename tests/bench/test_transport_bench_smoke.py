"""The small transport benchmarks of docs/PERFORMANCE.md on a few iterations, so they cannot
rot. Only their output is checked, never their timings."""

from __future__ import annotations

import re

import pytest

from bench import gettext_run, nodelay_run
from workshops import i18n


def test_the_gettext_bench_counts_the_lookups_of_a_join(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path))  # restored afterwards
    monkeypatch.setattr(i18n, "translations", i18n.translations)
    gettext_run.main(["--joins", "2", "--rounds", "1", "--calls", "100", "--repeat", "1"])
    output = capsys.readouterr().out
    lookups = int(re.search(r"catalog lookups per join \(3 page requests\): (\d+)",
                            output).group(1))
    assert lookups > 20  # the three pages translate dozens of strings
    assert "per-request:" in output and "saved per join:" in output
    assert i18n.translations is gettext_run.LOOKUPS["per-request"]


@pytest.mark.e2e
def test_the_nodelay_bench_serves_both_ways_and_measures_a_phone(capsys):
    nodelay_run.main(["--rounds", "1", "--submissions", "2", "--pause", "0", "--joins", "2"])
    output = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in output] == ["TCP_NODELAY  on", "TCP_NODELAY off"]
    assert all("ack p50" in line and "(2); join p50" in line for line in output)
