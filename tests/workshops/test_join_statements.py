"""A phone's join runs a fixed number of SQL statements, and its static files none.

Issue 18: the statements of each part of a join (the name form, its POST, the contribute
page, the socket's connection and state) are counted here, so that a statement added to
the join fails this test (``bench/join_cpu.py`` measures their CPU and round trips).
A static file is answered before Flask (``workshops/static_files.py``): no session cookie
read, signed or sent back, the same caching and security headers.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from workshops.extensions import socketio
from workshops.security_headers import static_headers
from workshops.static_files import StaticFiles

# Per part of a join (the three consent rows are inserted in one statement).
EXPECTED = {"get_form": 3, "post_form": 4, "get_page": 3, "socket": 4}


class Statements(list):
    """The statements run, and how many of them ran in autocommit (no transaction)."""

    outside_transactions = 0

    def clear(self) -> None:
        super().clear()
        self.outside_transactions = 0


@pytest.fixture
def statements(db):
    """The statements the app runs, as a list filled while the test runs."""
    recorded = Statements()

    def listener(conn, _cursor, statement, *_args) -> None:
        recorded.append(statement)
        if getattr(conn.connection.dbapi_connection, "autocommit", False):
            recorded.outside_transactions += 1

    event.listen(db.engine, "before_cursor_execute", listener)
    yield recorded
    event.remove(db.engine, "before_cursor_execute", listener)


def test_a_join_runs_a_fixed_number_of_statements(app, db, client, make_workshop,
                                                   statements):
    workshop = make_workshop()
    code, workshop_id = workshop.join_code, workshop.id
    # A first phone: the diagnostic's privacy notice is written at its first join.
    assert app.test_client().post(f"/j/{code}", data={"display_name": "Alex"}).status_code == 302
    db.session.remove()  # the phone's requests find nothing already loaded
    counts, outside = {}, {}

    def part(name, action):
        statements.clear()
        result = action()
        counts[name] = len(statements)
        outside[name] = statements.outside_transactions
        return result

    assert part("get_form", lambda: client.get(f"/j/{code}")).status_code == 200
    posted = part("post_form", lambda: client.post(f"/j/{code}", data={
        "display_name": "Sam", "agreed_to_be_named": "y"}))
    assert posted.status_code == 302
    assert part("get_page", lambda: client.get(posted.headers["Location"])).status_code == 200

    def connect():
        with app.app_context():  # its own session, as a socket has in production
            socket = socketio.test_client(app, namespace="/live", flask_test_client=client,
                                          auth={"workshop_id": workshop_id})
        return socket

    socket = part("socket", connect)
    assert "workshop_state" in [message["name"] for message in socket.get_received("/live")]
    assert counts == EXPECTED
    # What only reads runs without a transaction on PostgreSQL; the join itself always in
    # one (the autocommit never outlives its page).
    reading = db.engine.dialect.name == "postgresql"
    assert outside == {"get_form": 3 if reading else 0, "post_form": 0,
                       "get_page": 3 if reading else 0, "socket": 4 if reading else 0}


def test_a_participant_page_does_not_set_the_session_again(app, client, make_workshop):
    workshop = make_workshop()
    joined = client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    cookie = joined.headers["Set-Cookie"]
    assert "Expires=" in cookie  # permanent: the phone stays joined when put to sleep
    client.get(f"/j/{workshop.join_code}/contribute")  # may store its CSRF token
    page = client.get(f"/j/{workshop.join_code}/contribute")
    assert page.status_code == 200  # still joined
    assert "Set-Cookie" not in page.headers  # SESSION_REFRESH_EACH_REQUEST is off


def test_a_static_file_leaves_the_session_alone(app, client, make_workshop):
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True  # each page sets the cookie again
    workshop = make_workshop()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    page = client.get(f"/j/{workshop.join_code}/contribute")
    assert "Set-Cookie" in page.headers  # a page refreshes the permanent session
    paths = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.get_data(as_text=True))
    assert len(paths) > 5
    for path in paths:
        response = client.get(path)
        response.close()  # the file it streams
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.vary
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The phone is still joined: its cookie was neither dropped nor replaced.
    assert client.get(f"/j/{workshop.join_code}/contribute").status_code == 200


def test_a_static_file_is_revalidated_and_served_fresh_once_edited(app, tmp_path):
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    sheet = folder / "css" / "a.css"
    sheet.write_text("body { color: red; }")
    app.static_folder = str(folder)
    app.wsgi_app = StaticFiles(app.wsgi_app, str(folder), "/static/",
                               lambda environ: static_headers(app, environ))
    client = app.test_client()
    first = client.get("/static/css/a.css")
    assert first.status_code == 200 and first.text == "body { color: red; }"
    assert first.headers["Content-Type"] == "text/css; charset=utf-8"
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/a.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    sheet.write_text("body { color: blue; font-size: 2em; }")
    edited = client.get("/static/css/a.css", headers={"If-None-Match": first.headers["ETag"]})
    assert edited.status_code == 200 and "blue" in edited.text
    assert client.head("/static/css/a.css").data == b""


@pytest.mark.parametrize("path", ["/static/css/none.css", "/static/../pyproject.toml",
                                  "/static/", "/static/css"])
def test_what_is_no_static_file_goes_on_to_flask(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["Content-Type"]  # the app's own 404 page
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_post_to_a_static_path_goes_on_to_flask(client):
    assert client.post("/static/css/app.css").status_code == 405
