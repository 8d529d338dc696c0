"""Numbered workshop events: one counter per workshop, contiguous replays only."""

from sqlalchemy import delete, select
from sqlalchemy.event import listen, remove
from sqlalchemy.orm import Session

from diagnostic.live import events
from diagnostic.models import Workshop, WorkshopEvent


def test_each_workshop_counts_its_own_events(db, make_workshop, make_diagnostic):
    diagnostic = make_diagnostic()
    north = make_workshop(diagnostic, status="draft")  # a draft has told nobody anything yet
    south = make_workshop(diagnostic, status="draft", title="Sud",
                          sector_id=diagnostic.sectors[1].id)
    assert [events.record_event(db.session, north, "x", {"n": n}) for n in range(3)] == [1, 2, 3]
    assert events.record_event(db.session, south, "x", {}) == 1
    db.session.commit()
    assert [e.payload["n"] for e in events.events_since(db.session, north, 1)] == [1, 2]
    assert events.events_since(db.session, north, 3) == []
    assert events.events_since(db.session, north, 4) is None
    assert events.events_since(db.session, north, -1) is None


def test_a_client_too_far_behind_gets_no_replay(db, make_workshop, monkeypatch):
    workshop = make_workshop(status="draft")
    for _ in range(4):
        events.record_event(db.session, workshop, "x", {})
    db.session.commit()
    monkeypatch.setattr(events, "MAX_REPLAY", 3)
    assert events.events_since(db.session, workshop, 0) is None
    assert len(events.events_since(db.session, workshop, 1)) == 3


def test_a_replay_with_a_hole_in_the_log_is_refused(db, make_workshop):
    workshop = make_workshop(status="draft")
    for n in range(4):
        events.record_event(db.session, workshop, "x", {"n": n})
    db.session.execute(delete(WorkshopEvent).where(WorkshopEvent.seq == 2))
    db.session.commit()
    assert events.events_since(db.session, workshop, 1) is None  # 2 is gone: whole state
    assert [e.seq for e in events.events_since(db.session, workshop, 2)] == [3, 4]


def test_an_event_committed_during_the_replay_read_is_not_a_reason_to_refuse_it(
        app, db, make_workshop):
    """Another connection commits an event just before the replay reads the log: the
    replay is still exact (it holds every event it read, in order, from last_seq on)."""
    workshop = make_workshop(status="draft")
    for n in range(3):
        events.record_event(db.session, workshop, "x", {"n": n})
    db.session.commit()
    concurrent = {"done": False}

    def commit_another_event(conn, cursor, statement, *args):
        if "workshop_event" in statement and not concurrent["done"]:
            concurrent["done"] = True
            with Session(db.engine) as other:
                events.record_event(other, other.get(Workshop, workshop.id), "late", {})
                other.commit()

    listen(db.engine, "before_cursor_execute", commit_another_event)
    try:
        replay = events.events_since(db.session, workshop, 1)
    finally:
        remove(db.engine, "before_cursor_execute", commit_another_event)
    assert concurrent["done"]
    assert replay is not None
    assert [e.seq for e in replay][:2] == [2, 3]
    assert [e.seq for e in replay] == list(range(2, 2 + len(replay)))


def test_staged_events_are_numbered_at_the_commit_and_dropped_with_their_savepoint(
        db, make_workshop, monkeypatch):
    from workshops.live import rooms

    workshop = make_workshop(status="draft")
    events.stage_event(db.session, workshop, "kept", {"n": 1})
    try:
        with events.savepoint(db.session):
            events.stage_event(db.session, workshop, "undone", {})
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    # Staged, not numbered: nothing has touched the workshop row yet.
    assert [(m.name, m.seq) for m in events.staged(db.session)] == [("kept", None)]
    assert db.session.scalar(select(Workshop.last_seq).where(Workshop.id == workshop.id)) == 0
    sent = []
    monkeypatch.setattr(rooms, "send", sent.append)  # what the after-commit hook sends
    db.session.commit()
    assert [(m.name, m.seq, m.payload) for m in sent] == [("kept", 1, {"n": 1, "seq": 1})]
    assert events.staged(db.session) == []
    assert logged(db, workshop) == [(1, "kept", {"n": 1})]
    assert workshop.last_seq == 1


def logged(db, workshop) -> list[tuple[int, str, dict]]:
    return [(e.seq, e.name, e.payload) for e in db.session.scalars(
        select(WorkshopEvent).where(WorkshopEvent.workshop_id == workshop.id)
        .order_by(WorkshopEvent.seq))]


def test_a_transaction_numbers_its_events_last_right_before_the_commit(
        db, make_workshop, make_diagnostic):
    """The workshop counters are the last rows a transaction locks: one UPDATE each, then
    one INSERT of the events, then COMMIT; the numbers are contiguous per workshop."""
    diagnostic = make_diagnostic()
    north = make_workshop(diagnostic, status="draft")
    south = make_workshop(diagnostic, status="draft", title="Sud",
                          sector_id=diagnostic.sectors[1].id)
    events.record_event(db.session, north, "before", {})
    db.session.commit()
    statements = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper() + " " + (
            "workshop_event" if "workshop_event" in statement else
            "workshop" if "workshop" in statement else "other"))

    events.stage_event(db.session, south, "s1", {})
    events.stage_event(db.session, north, "n1", {})
    north.title = "Nord"  # the transaction's own change, flushed before the counters
    events.stage_notice(db.session, north, "pending", {})
    events.stage_event(db.session, north, "n2", {})
    events.stage_event(db.session, south, "s2", {})
    listen(db.engine, "before_cursor_execute", capture)
    listen(db.engine, "commit", commit := lambda conn: statements.append("COMMIT"))
    try:
        db.session.commit()
    finally:
        remove(db.engine, "before_cursor_execute", capture)
        remove(db.engine, "commit", commit)
    assert statements[-4:] == ["UPDATE workshop", "UPDATE workshop", "INSERT workshop_event",
                               "COMMIT"]
    assert statements.count("UPDATE workshop") == 3  # the title, then one per counter
    assert logged(db, north) == [(1, "before", {}), (2, "n1", {}), (3, "n2", {})]
    assert logged(db, south) == [(1, "s1", {}), (2, "s2", {})]
    assert (north.last_seq, south.last_seq) == (3, 2)


def test_a_rollback_consumes_no_number(db, make_workshop):
    workshop = make_workshop(status="draft")
    events.stage_event(db.session, workshop, "lost", {})
    db.session.rollback()
    assert events.staged(db.session) == []
    events.stage_event(db.session, workshop, "kept", {})
    db.session.commit()
    assert logged(db, workshop) == [(1, "kept", {})]
