"""What looking the catalog up once per request saves a phone's join (docs/PERFORMANCE.md).

A join is three page requests (the name form, its POST, the contribute page), and each
translates dozens of strings (templates and Python). ``workshops.i18n`` asks Flask-Babel
for the request's catalog once and keeps it in Flask's ``g``; Flask-Babel alone resolves
the locale and the catalog at every call. In process, on a fresh SQLite file, this
measures (``per-request``: the app's way; ``per-call``: Flask-Babel's):

- the catalog lookups one join makes (counted);
- the cost of one lookup and translation inside a request, both ways (the best of
  ``--repeat`` timings of ``--calls`` calls, ``time.perf_counter``);
- one join's CPU time with the app's lookup (``time.process_time``; the median of
  ``--rounds`` rounds of ``--joins`` joins), which the saving is compared with::

    .venv/bin/python -m bench.gettext_run
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import flask_babel

from workshops import i18n

# The app's own lookup (kept in ``g``), and Flask-Babel's at every call.
LOOKUPS = {"per-call": flask_babel.get_translations, "per-request": i18n.translations}


def make_app(folder: Path):
    """A production-like app (CSRF off) with one open workshop; returns (app, join code)."""
    os.environ["DIAGNOSTIC_INSTANCE_PATH"] = str(folder / "instance")
    from diagnostic.frame import planning
    from diagnostic.live import lifecycle
    from diagnostic.models import Base, Sector
    from workshops import create_app
    from workshops.extensions import db

    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic", territory="Grand Toulouse", stakes=["Enjeu"])
        diagnostic.sectors.append(Sector(name="Nord"))
        db.session.commit()
        workshop = planning.create_workshop(db.session, diagnostic, kind="territorial",
                                            title="Atelier", sector_id=diagnostic.sectors[0].id)
        lifecycle.open_workshop(db.session, workshop, None)
        db.session.commit()
        return app, workshop.join_code


def join(app, code: str, number: int) -> None:
    """One phone's join: the name form, its POST, the contribute page it redirects to."""
    client = app.test_client()
    assert client.get(f"/j/{code}").status_code == 200
    response = client.post(f"/j/{code}", data={"display_name": f"Phone {number}"},
                           follow_redirects=True)
    assert response.status_code == 200 and response.request.path.endswith("/contribute")


def use(mode: str) -> None:
    """Make the app's ``gettext`` (Python and templates) look the catalog up as ``mode``."""
    i18n.translations = LOOKUPS[mode]


def lookups_per_join(app, code: str) -> int:
    """How many times one join asks for the catalog (after a first, warming join)."""
    join(app, code, 0)
    calls = 0

    def counting():
        nonlocal calls
        calls += 1
        return flask_babel.get_translations()

    i18n.translations = counting
    join(app, code, 1)
    return calls


def cost_per_call(app, mode: str, calls: int, repeat: int) -> float:
    """Seconds for one lookup and translation inside an English request, the best run."""
    lookup = LOOKUPS[mode]
    best = float("inf")
    for _ in range(repeat):
        with app.app_context(), app.test_request_context("/?lang=en"):
            start = time.perf_counter()
            for _ in range(calls):
                lookup().ugettext("Demande illisible.")
            best = min(best, (time.perf_counter() - start) / calls)
    return best


def join_cpu(app, code: str, joins: int, rounds: int) -> list[float]:
    """CPU seconds per join of each round of ``joins`` joins, with the app's lookup."""
    use("per-request")
    times = []
    for round_ in range(rounds):
        start = time.process_time()
        for number in range(joins):
            join(app, code, 2 + round_ * joins + number)
        times.append((time.process_time() - start) / joins)
    return times


def main(argv: list[str] | None = None) -> None:
    """Measure and print the figures for docs/PERFORMANCE.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app, code = make_app(Path(folder))
        lookups = lookups_per_join(app, code)
        per_call = {mode: cost_per_call(app, mode, args.calls, args.repeat)
                    for mode in LOOKUPS}
        joins = join_cpu(app, code, args.joins, args.rounds)
    saved = lookups * (per_call["per-call"] - per_call["per-request"])
    join = statistics.median(joins)
    print(f"catalog lookups per join (3 page requests): {lookups}")
    for mode in LOOKUPS:
        print(f"{mode:>12}: {per_call[mode] * 1e6:.2f} µs per lookup and translation")
    print(f"join: {join * 1e3:.2f} ms CPU in this process (median of {args.rounds} rounds "
          f"of {args.joins}: {min(joins) * 1e3:.2f}-{max(joins) * 1e3:.2f})")
    print(f"saved per join: {saved * 1e3:.2f} ms, {saved / (join + saved):.1%} of a join "
          "that asks Flask-Babel at every call")


if __name__ == "__main__":
    main()
