"""Per-participant rate limits: token buckets, their config, and the live refusal ack."""

from __future__ import annotations

import pytest

from workshops.live.ratelimit import RateLimiter, Rule, parse_rule

from ..conftest import NS, events, stored

TOO_FAST = "Vous envoyez trop vite : réessayez dans quelques secondes."


class Clock:
    """A hand-driven clock for the buckets."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("value", "rule"),
    [("10/20", Rule(10, 20.0)), (" 30 / 6 ", Rule(30, 6.0)), ("5", Rule(5, 1.0)),
     ((3, 1.5), Rule(3, 1.5)), ([2, 4], Rule(2, 4.0)), ("off", None), ("", None), (None, None)],
)
def test_rules_are_read_from_n_per_seconds(value, rule):
    assert parse_rule(value) == rule


@pytest.mark.parametrize("value", ["0/10", "ten/2", "3/0", "3/-1", "3/nan", (1, 2, 3), 7])
def test_a_bad_rule_is_refused_loudly(value):
    with pytest.raises(ValueError):
        parse_rule(value)


def test_a_bucket_allows_the_burst_then_one_action_per_interval():
    clock = Clock()
    limiter = RateLimiter({"submit": Rule(3, 6.0)}, clock=clock)  # 1 every 2 s
    assert [limiter.take("submit", "alice") for _ in range(3)] == [None, None, None]
    assert limiter.take("submit", "alice") == pytest.approx(2.0)
    assert limiter.take("submit", "bob") is None  # buckets are per client
    clock.now += 1.0
    assert limiter.take("submit", "alice") == pytest.approx(1.0)
    clock.now += 1.0
    assert limiter.take("submit", "alice") is None
    assert limiter.take("submit", "alice") is not None
    clock.now += 600
    assert [limiter.take("submit", "alice") for _ in range(4)][:3] == [None, None, None]


def test_a_refunded_action_can_be_taken_again_and_kinds_are_separate():
    limiter = RateLimiter({"submit": Rule(1, 60.0), "support": None}, clock=Clock())
    assert limiter.take("submit", 1) is None
    assert limiter.take("submit", 1) is not None
    limiter.give_back("submit", 1)
    assert limiter.take("submit", 1) is None
    assert all(limiter.take("support", 1) is None for _ in range(100))  # "off"
    assert limiter.take("unknown", 1) is None


def test_idle_buckets_are_forgotten_when_many(monkeypatch):
    monkeypatch.setattr("workshops.live.ratelimit.PRUNE_ABOVE", 3)
    clock = Clock()
    limiter = RateLimiter({"submit": Rule(1, 1.0)}, clock=clock)
    for client in range(3):
        limiter.take("submit", client)
    clock.now += 5
    limiter.take("submit", "new")
    assert set(limiter._buckets) == {("submit", "new")}


@pytest.fixture
def app_config(app_config):
    """Tight limits: two submissions per minute, the default for the rest."""
    return {**app_config, "LIVE_RATE_SUBMIT": "2/60", "LIVE_RATE_SYNC": "1/60"}


def test_a_participant_sending_too_fast_gets_a_clear_ack_and_nothing_is_stored(
    phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    watcher = phone(workshop, "Bob")
    acks = [alice.emit("submit_contribution", initiative_data(workshop, name=f"Item {n}"),
                       namespace=NS, callback=True) for n in range(3)]
    assert [a["ok"] for a in acks] == [True, True, False]
    assert acks[2]["error"] == TOO_FAST
    assert acks[2]["fields"] == {}
    assert 1 <= acks[2]["retry_after"] <= 30
    assert stored(db) == 2
    assert [e["name"] for e in events(watcher, "contribution_added")] == ["Item 0", "Item 1"]
    assert alice.is_connected(NS)
    # Another participant has a bucket of their own.
    ack = watcher.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                       callback=True)
    assert ack["ok"] is True and stored(db) == 3


def test_a_resend_of_a_stored_item_is_never_refused_nor_counted(
    phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    first = initiative_data(workshop, name="Premier")
    ok = alice.emit("submit_contribution", first, namespace=NS, callback=True)
    for _ in range(3):  # resends (a phone that missed its ack) cost nothing
        again = alice.emit("submit_contribution", first, namespace=NS, callback=True)
        assert (again["ok"], again["id"], again["client_id"]) == (True, ok["id"],
                                                                  first["client_id"])
    second = alice.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                        callback=True)
    assert second["ok"] is True
    refused = alice.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                         callback=True)
    assert refused["error"] == TOO_FAST
    # Even with an empty bucket, a resend of a stored item is acknowledged as stored.
    again = alice.emit("submit_contribution", first, namespace=NS, callback=True)
    assert again["ok"] is True and again["id"] == ok["id"]
    assert stored(db) == 2


def test_sync_is_rate_limited_too(phone, make_workshop):
    workshop = make_workshop()
    socket = phone(workshop)
    socket.get_received(NS)
    assert socket.emit("sync", namespace=NS, callback=True)["ok"] is True
    refused = socket.emit("sync", namespace=NS, callback=True)
    assert refused["ok"] is False and refused["error"] == TOO_FAST
    assert len(events(socket, "workshop_state")) == 1


def test_a_bad_rate_config_stops_the_start_up(app_config):
    from workshops import create_app

    with pytest.raises(ValueError):
        create_app({**app_config, "LIVE_RATE_SUBMIT": "fast"})
