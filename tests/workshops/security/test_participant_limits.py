"""Limits on anonymous participants (issue 14, finding 5): each test replays the attack.

The rules are small here (``app_config``) so that N allowed then N+1 refused takes a few
requests; the defaults' fit for a real room behind one address is checked separately.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from diagnostic.models import Contribution, Participant
from workshops import limits
from workshops.config import Config
from workshops.extensions import socketio
from workshops.live import ratelimit

from ..conftest import NS

OTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}
TOO_MANY_CODES = ("Trop de codes inconnus essayés depuis cette connexion : "
                  "réessayez dans quelques minutes.")
TOO_MANY_JOINS = "Trop d'inscriptions depuis cette connexion : réessayez dans quelques minutes."
TOO_MANY_POSTS = ("Trop de contributions envoyées depuis cette connexion : "
                  "réessayez dans quelques minutes.")
TOO_FAST = "Vous envoyez trop vite : réessayez dans quelques secondes."


@pytest.fixture
def app_config(app_config):
    # Day-long windows: nothing slides away while a slow machine runs the test.
    return {**app_config, "JOIN_CODE_TRIES_PER_ADDRESS": "5/day",
            "JOIN_RATE_PER_ADDRESS": "3/day", "HTTP_CONTRIBUTIONS_PER_ADDRESS": "5/day",
            "LIVE_CONNECTIONS_PER_ADDRESS": "4/day"}


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def joined_client(app, workshop, name="Sam", environ=None):
    """A browser of its own that joined ``workshop`` (from 127.0.0.1 unless ``environ``)."""
    http = app.test_client()
    if environ:
        http.environ_base.update(environ)
    response = http.post(f"/j/{workshop.join_code}", data={"display_name": name})
    assert response.status_code == 302, text(response)
    return http


# -- Join codes ------------------------------------------------------------------------


def test_unknown_codes_are_limited_per_address_then_every_code_is_refused(
        client, app, make_workshop):
    workshop = make_workshop(title="Atelier Nord")
    # Successful lookups do not count: a room behind one address joins freely.
    for _ in range(20):
        assert client.post("/join", data={"code": workshop.join_code}).status_code == 302
    guesses = ["ZZZZZA", "ZZZZZC"]
    statuses = [client.post("/join", data={"code": code}).status_code for code in guesses]
    statuses.append(client.get("/j/ZZZZZD").status_code)  # the direct link counts too
    statuses.append(client.get("/j/ZZZZZE/contribute").status_code)  # and the page behind it
    statuses.append(client.post("/join", data={"code": "ZZZZZF"}).status_code)
    assert statuses == [404] * 5
    refused = client.post("/join", data={"code": "ZZZZZG"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert TOO_MANY_CODES in text(refused)
    # Now even the right code is refused: the refusal must not tell a good guess apart.
    for response in (client.post("/join", data={"code": workshop.join_code}),
                     client.get(f"/j/{workshop.join_code}"),
                     client.get(f"/j/{workshop.join_code}/contribute")):
        assert response.status_code == 429
        assert "Atelier Nord" not in text(response)
    # Another address is not affected.
    other = app.test_client()
    other.environ_base.update(OTHER_ADDRESS)
    assert other.post("/join", data={"code": workshop.join_code}).status_code == 302


# -- Joins -----------------------------------------------------------------------------


def test_joins_are_limited_per_address_and_workshop(app, db, make_workshop, make_diagnostic):
    workshop = make_workshop()
    for n in range(3):
        joined_client(app, workshop, f"Phone {n}")
    http = app.test_client()
    refused = http.post(f"/j/{workshop.join_code}",
                        data={"display_name": "Intrus", "organisation": "Ferme des 4 vents"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    page = text(refused)
    assert TOO_MANY_JOINS in page
    assert 'value="Intrus"' in page and 'value="Ferme des 4 vents"' in page  # kept as typed
    assert count(db, Participant) == 3
    # Another workshop, or another address, has its own count.
    joined_client(app, make_workshop(diagnostic=workshop.diagnostic, title="Atelier Sud"))
    joined_client(app, workshop, "Ailleurs", environ=OTHER_ADDRESS)
    assert count(db, Participant) == 5


def test_a_refused_or_invalid_join_costs_nothing(app, db, make_workshop):
    workshop = make_workshop()
    http = app.test_client()
    for _ in range(5):  # no name: refused by the form, not counted
        assert http.post(f"/j/{workshop.join_code}",
                         data={"display_name": " "}).status_code == 400
    for n in range(3):
        joined_client(app, workshop, f"Phone {n}")
    assert count(db, Participant) == 3


# -- Contributions through the no-JavaScript form --------------------------------------


def test_forty_no_js_posts_in_a_row_are_not_all_stored(
        app, app_config, db, make_workshop, initiative_data):
    """The probe's attack: 40 posts from one participant, all stored. The per-participant
    ``submit`` bucket (LIVE_RATE_SUBMIT, default burst 10) now applies to the form too."""
    app.config["HTTP_CONTRIBUTIONS_PER_ADDRESS"] = "off"  # this test is about one participant
    app.extensions[ratelimit.EXTENSION_KEY].clock = lambda: 1000.0  # no refill meanwhile
    workshop = make_workshop()
    http = joined_client(app, workshop)
    url = f"/j/{workshop.join_code}/contribute"
    statuses = [http.post(url, data=initiative_data(workshop, name=f"Spam {n}")).status_code
                for n in range(40)]
    assert statuses == [302] * 10 + [429] * 30
    assert count(db, Contribution) == 10
    refused = http.post(url, data=initiative_data(workshop, name="Gardé tel quel"))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert TOO_FAST in text(refused) and 'value="Gardé tel quel"' in text(refused)


def test_no_js_posts_are_limited_per_address_across_participants(
        app, db, make_workshop, initiative_data):
    workshop = make_workshop()
    url = f"/j/{workshop.join_code}/contribute"
    phones = [joined_client(app, workshop, f"Phone {n}") for n in range(3)]
    first = initiative_data(workshop, name="Premier")
    assert phones[0].post(url, data=first).status_code == 302
    statuses = [phone.post(url, data=initiative_data(workshop, name=f"Item {n}")).status_code
                for n, phone in enumerate(phones + phones[:1])]
    assert statuses == [302] * 4  # 5 stored from this address: the rule's count
    refused = phones[1].post(url, data=initiative_data(workshop, name="Refusée"))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    page = text(refused)
    assert TOO_MANY_POSTS in page and 'value="Refusée"' in page  # the form keeps the text
    assert count(db, Contribution) == 5
    # A resend of a stored item is never refused, and stored once.
    again = phones[0].post(url, data=first, follow_redirects=True)
    assert again.status_code == 200 and "Cette contribution avait déjà été reçue." in text(again)
    assert count(db, Contribution) == 5
    # Another address posts on.
    other = joined_client(app, workshop, "Ailleurs", environ=OTHER_ADDRESS)
    assert other.post(url, data=initiative_data(workshop)).status_code == 302
    assert count(db, Contribution) == 6


# -- Socket connections ----------------------------------------------------------------


def test_socket_connections_are_limited_per_address(app, make_workshop):
    workshop = make_workshop()
    app.config["JOIN_RATE_PER_ADDRESS"] = "off"
    http = joined_client(app, workshop)
    sockets = [socketio.test_client(app, namespace=NS, flask_test_client=http,
                                    auth={"workshop_id": workshop.id}) for _ in range(5)]
    assert [s.is_connected(NS) for s in sockets] == [True] * 4 + [False]
    other = joined_client(app, workshop, environ=OTHER_ADDRESS)
    assert socketio.test_client(app, namespace=NS, flask_test_client=other,
                                auth={"workshop_id": workshop.id}).is_connected(NS)


# -- The defaults fit a real room ------------------------------------------------------


def test_the_defaults_let_a_room_of_500_behind_one_address_take_part():
    def per_minute(value: str) -> float:
        """The fewest actions per minute the rule allows over its shortest window."""
        items = limits.parse_rule(value)
        assert items, value
        return min(item.amount * 60 / item.get_expiry() for item in items)

    joins = limits.parse_rule(Config.JOIN_RATE_PER_ADDRESS)
    assert min(item.amount for item in joins) >= 500  # the whole room, at once
    assert all(item.amount >= 500 for item in limits.parse_rule(Config.JOIN_RATE_PER_ADDRESS))
    assert per_minute(Config.LIVE_CONNECTIONS_PER_ADDRESS) >= 1000  # a reconnect storm
    assert min(i.amount for i in limits.parse_rule(Config.JOIN_CODE_TRIES_PER_ADDRESS)) >= 20
    assert per_minute(Config.HTTP_CONTRIBUTIONS_PER_ADDRESS) >= 30
