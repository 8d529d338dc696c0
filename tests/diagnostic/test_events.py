"""Numbered workshop events: one counter per workshop, contiguous replays only."""

from diagnostic import events


def test_each_workshop_counts_its_own_events(db, make_workshop, make_diagnostic):
    diagnostic = make_diagnostic()
    north = make_workshop(diagnostic)
    south = make_workshop(diagnostic, title="Sud", sector_id=diagnostic.sectors[1].id)
    assert [events.record_event(db.session, north, "x", {"n": n}) for n in range(3)] == [1, 2, 3]
    assert events.record_event(db.session, south, "x", {}) == 1
    db.session.commit()
    assert [e.payload["n"] for e in events.events_since(db.session, north, 1)] == [1, 2]
    assert events.events_since(db.session, north, 3) == []
    assert events.events_since(db.session, north, 4) is None
    assert events.events_since(db.session, north, -1) is None


def test_a_client_too_far_behind_gets_no_replay(db, make_workshop, monkeypatch):
    workshop = make_workshop()
    for _ in range(4):
        events.record_event(db.session, workshop, "x", {})
    db.session.commit()
    monkeypatch.setattr(events, "MAX_REPLAY", 3)
    assert events.events_since(db.session, workshop, 0) is None
    assert len(events.events_since(db.session, workshop, 1)) == 3
