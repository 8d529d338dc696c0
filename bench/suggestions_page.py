"""Time the staff suggestions page at scale: ``python -m bench.suggestions_page``.

Generates one diagnostic (:mod:`bench.report_data`: 50 workshops, 10,000 contributions by
default) in a fresh SQLite file, starts the application on it and, as a logged-in staff
member, times the requests a synthesis session makes (Flask's test client, the whole
request: queries, index, template):

1. ``cold``: the suggestions page of each kind, first request of the process (every pair
   scored);
2. ``warm``: the same page again (nothing changed: nothing scored);
3. ``after a contribution``: one new contribution of the kind, then the page (it alone
   is scored against the others);
4. ``after a merge``: the first suggested pair merged, then the page (no score changes);
5. ``similar items``: the "similar items" page of one unit;
6. ``after a thesaurus edit`` (needs): one concept added, then the page (all scored
   again, as documented).

Each timing is the median of ``--repeat`` runs where it can be repeated (warm, similar).
Prints a Markdown table; figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from .report_data import generate

KINDS = ("initiative", "need", "recommendation")


def _timed(client, url: str, method: str = "get", **kwargs) -> tuple[float, int]:
    started = time.perf_counter()
    response = getattr(client, method)(url, **kwargs)
    return time.perf_counter() - started, response.status_code


def run(contributions: int, workshops: int, repeat: int) -> list[tuple[str, str, float]]:
    """The timings as ``(kind, step, seconds)``."""
    from sqlalchemy import select

    from diagnostic.models import (
        Contribution,
        ContributionKind,
        ContributionStatus,
        User,
        Workshop,
    )
    from diagnostic.synthesis import thesaurus
    from workshops import create_app
    from workshops.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="suggestions-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    generated = generate(url, workshops=workshops, contributions=contributions)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 40,
                      "WTF_CSRF_ENABLED": False, "TESTING": True,
                      "SOCKETIO_MESSAGE_QUEUE": None})
    results: list[tuple[str, str, float]] = []
    with app.app_context():
        from diagnostic import accounts
        from diagnostic.models import Role
        user = User(email="bench@example.org", name="Bench", role=Role.STAFF)
        user.set_password("bench-password-123")
        db.session.add(user)
        db.session.commit()
        token = accounts.open_session(db.session, user)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        base = f"/staff/diagnostics/{generated.diagnostic_id}/synthesis"
        for kind in KINDS:
            page = f"{base}/suggestions?kind={kind}"
            seconds, status = _timed(client, page)
            assert status == 200, (page, status)
            results.append((kind, "cold", seconds))
            warm = [_timed(client, page)[0] for _ in range(repeat)]
            results.append((kind, "warm", statistics.median(warm)))
            # One new published contribution of this kind (the workshops are closed: as
            # the scribe would have typed it; the index only sees a new row).
            workshop = db.session.scalars(select(Workshop).where(
                Workshop.diagnostic_id == generated.diagnostic_id)).first()
            db.session.add(Contribution(
                workshop_id=workshop.id, kind=ContributionKind(kind),
                status=ContributionStatus.PUBLISHED, client_id=f"bench-{kind}",
                description="Des locaux partagés à loyer modéré pour les associations",
                name="Ressourcerie du Mirail" if kind == "initiative" else None,
                commune="Toulouse" if kind == "initiative" else None))
            db.session.commit()
            results.append((kind, "after a contribution", _timed(client, page)[0]))
            first = client.get(page).get_data(as_text=True)
            marker = 'name="contribution_ids" value="'
            ids = [int(part.split('"')[0]) for part in first.split(marker)[1:3]]
            if len(ids) == 2:
                client.post(f"{base}/merge?kind={kind}&page=1&from=suggestions",
                            data={"contribution_ids": ids})
                results.append((kind, "after a merge", _timed(client, page)[0]))
            unit = db.session.scalars(select(Contribution.id).where(
                Contribution.workshop_id == workshop.id,
                Contribution.kind == kind)).first()
            similar = [_timed(client, f"{base}/similar/{unit}")[0] for _ in range(repeat)]
            results.append((kind, "similar items", statistics.median(similar)))
        edited = thesaurus.default_text() + "\ncasier solidaire | consigne partagée\n"
        client.post(f"{base}/thesaurus", data={"text": edited})
        results.append(("need", "after a thesaurus edit",
                        _timed(client, f"{base}/suggestions?kind=need")[0]))
    return results


def main(argv: list[str] | None = None) -> int:
    """Run and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.suggestions_page",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--workshops", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results = run(args.contributions, args.workshops, args.repeat)
    print(f"{args.contributions} contributions, {args.workshops} workshops\n")
    print("| kind | request | seconds |\n|---|---|---|")
    for kind, step, seconds in results:
        print(f"| {kind} | {step} | {seconds:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
