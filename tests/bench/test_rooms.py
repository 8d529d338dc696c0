"""Several rooms, reconnections and the nginx front of the bench (pure parts)."""

from __future__ import annotations

from bench.cluster_server import RECIPE, main_config, site_config
from bench.report_order import ordering_lines, sync_verdict
from bench.rooms import ordering, pick_reconnecting, room_of, split_by_room


def test_contributions_are_split_by_their_senders_room():
    rooms_of_k = {k: room_of(index, 3) for k, index in enumerate([0, 1, 2, 3, 4])}
    ids = [f"s1r5x{k}x{k:010d}" for k in range(5)]
    assert split_by_room(ids, "s1r5x", rooms_of_k, 3) == [
        [ids[0], ids[3]], [ids[1], ids[4]], [ids[2]]]


def test_the_reconnecting_phones_are_a_reproducible_fraction_at_least_one():
    joined = list(range(500))
    assert len(pick_reconnecting(joined, 0.02, 1)) == 10
    assert pick_reconnecting(joined, 0.02, 1) == pick_reconnecting(joined, 0.02, 1)
    assert pick_reconnecting(joined, 0.02, 1) != pick_reconnecting(joined, 0.02, 2)
    assert len(pick_reconnecting(list(range(40)), 0.02, 1)) == 1
    assert pick_reconnecting(joined, 0, 1) == []


def test_ordering_counters_are_summed_per_room_and_a_full_state_misses_the_target():
    board = {"reconnections": 0}
    workers = [{"order": [{"reconnections": 50, "replays": 50},
                          {"reconnections": 49, "replays": 48, "reconnect_states": 1}]},
               {"order": [{"out_of_order": 2}, {"syncs": 1}]}]
    order = ordering([board, board], workers)
    assert order["reconnections"] == 99 and order["out_of_order"] == 2
    assert [room["reconnections"] for room in order["rooms"]] == [50, 49]
    assert order["full_states_per_reconnection_pct"] == round(100 / 99, 2)
    run = {"mode": "m", "participants": 9, "rooms": 2, "order": order, "steps": []}
    assert sync_verdict(run) is False  # 2 full syncs for 99 reconnections > 1 %
    assert any("room 2" in line for line in ordering_lines({"runs": [run]}))
    assert sync_verdict({"order": {"reconnections": 0}}) is None


def test_the_recipe_becomes_plain_http_with_its_cookie_affinity_over_every_worker(tmp_path):
    site = site_config(RECIPE.read_text(), port=8001, redirect_port=8002,
                       upstreams=[7001, 7002])
    assert "server 127.0.0.1:7001 " in site and "server 127.0.0.1:7002 " in site
    assert "server 127.0.0.1:5001" not in site
    assert "\n    ip_hash;" not in site  # every bench client is 127.0.0.1: one worker
    assert "hash $diag_route consistent;" in site  # the recipe's cookie affinity, kept
    assert "; Secure" not in site  # plain HTTP: a Secure cookie would never come back
    assert "listen 127.0.0.1:8001;" in site and "listen 443 ssl http2;" not in site
    assert "ssl_certificate" not in site and "listen [::]" not in site
    assert "location /socket.io/" in site and "proxy_set_header Upgrade" in site
    assert f"include {tmp_path}/site.conf;" in main_config(tmp_path)
