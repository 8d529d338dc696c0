"""Dot budgets hold when one participant's votes arrive at once (SQLite file and PostgreSQL).

Each voter is a thread with its own app context, so its own session and connection, as
concurrent socket events are in the server. To make the race certain rather than likely,
every voter waits at a rendezvous just before writing its vote: on code that reads the
budget without serialising the participant's votes, all of them have read "0 dots used" by
then. With the votes serialised, the others are blocked by the database before they read,
so the rendezvous is never complete and each voter goes on (the rendezvous gives up).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from diagnostic.errors import DomainError
from diagnostic.live import participation, supports
from diagnostic.models import Participant, Phase, Vote
from tests.workshops.conftest import NS

VOTERS = 4
TRIES = 3
BUDGET = 5
DOTS = 2  # each voter puts 2 dots on its own item: at most 2 of them fit in a budget of 5


@pytest.fixture
def vote_setup(db, make_workshop, initiative_data):
    """A workshop in the vote phase with VOTERS published items and one voter."""
    workshop = make_workshop()
    author = participation.join_workshop(db.session, workshop, display_name="Autrice")
    items = [participation.submit_contribution(
        db.session, author, initiative_data(workshop, name=f"Item {n}"))[0]
        for n in range(VOTERS)]
    voter = participation.join_workshop(db.session, workshop, display_name="Votant")
    workshop.phase = Phase.VOTE
    workshop.dot_budget, workshop.dot_max_per_item = BUDGET, DOTS
    db.session.commit()
    return voter.id, [item.id for item in items]


def race(app, db, voter_id: int, item_ids: list[int]) -> list[object]:
    """Every item voted at once by the same participant; each voter's result or error."""
    rendezvous = threading.Barrier(len(item_ids), timeout=1)

    def before_write(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO VOTE"):
            try:
                rendezvous.wait()
            except threading.BrokenBarrierError:
                pass  # the others are waiting for the database: go on alone

    results: list[object] = [None] * len(item_ids)
    start = threading.Barrier(len(item_ids))

    def vote(index: int, item_id: int) -> None:
        with app.app_context():
            session = db.session
            try:
                participant = session.get(Participant, voter_id)
                start.wait()
                _item, left, _changed = supports.set_dots(session, participant, item_id, DOTS)
                session.commit()
                results[index] = left
            except Exception as error:  # noqa: BLE001 - reported to the test
                session.rollback()
                results[index] = error
            finally:
                session.remove()

    event.listen(db.engine, "before_cursor_execute", before_write)
    try:
        threads = [threading.Thread(target=vote, args=(n, item_id))
                   for n, item_id in enumerate(item_ids)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(db.engine, "before_cursor_execute", before_write)
    return results


def dots_of(db, voter_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.coalesce(func.sum(Vote.dots), 0)).where(Vote.participant_id == voter_id))


def test_concurrent_votes_of_one_participant_never_exceed_the_budget(app, db, vote_setup):
    voter_id, item_ids = vote_setup
    for _ in range(TRIES):
        results = race(app, db, voter_id, item_ids)
        assert dots_of(db, voter_id) <= BUDGET, results
        accepted = [r for r in results if isinstance(r, int)]
        refused = [r for r in results if not isinstance(r, int)]
        assert len(accepted) == BUDGET // DOTS
        # Every refusal is the budget's clean refusal, not a database error.
        assert all(isinstance(r, DomainError) and "Pas assez de gommettes" in r.message
                   for r in refused), results
        db.session.query(Vote).delete()
        db.session.commit()


def test_taking_dots_back_is_allowed_over_budget(db, phone, make_workshop, initiative_data):
    """Over budget (an item restored after a hide brings its dots back): giving back works."""
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    ids = [author.emit("submit_contribution", initiative_data(workshop, name=f"I{n}"),
                       namespace=NS, callback=True)["id"] for n in range(3)]
    voter = phone(workshop, "Votant")
    workshop.phase = Phase.VOTE
    workshop.dot_budget, workshop.dot_max_per_item = 4, 2
    db.session.commit()
    participant_id = db.session.scalar(
        select(Participant.id).where(Participant.display_name == "Votant"))
    for item_id in ids:  # 6 dots for a budget of 4
        db.session.add(Vote(contribution_id=item_id, participant_id=participant_id, dots=2))
    db.session.commit()

    lower = voter.emit("vote", {"id": ids[0], "dots": 1}, namespace=NS, callback=True)
    assert lower["ok"] is True and lower["dots"] == 1 and lower["dots_left"] == 0
    none = voter.emit("vote", {"id": ids[1], "dots": 0}, namespace=NS, callback=True)
    assert none["ok"] is True and none["dots"] == 0
    more = voter.emit("vote", {"id": ids[1], "dots": 2}, namespace=NS, callback=True)
    assert more["ok"] is False and "Pas assez de gommettes" in more["error"]
    assert dots_of(db, participant_id) == 3
