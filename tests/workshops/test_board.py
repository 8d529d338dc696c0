"""The projected board page: login required, DOM contract, user text escaped."""

from __future__ import annotations

from diagnostic.live import lifecycle, participation
from diagnostic.models import Role, Vocabulary
from tests.conftest import new_client_id

SCRIPT = "<script>alert('x')</script>"


def test_board_requires_login(client, make_workshop):
    workshop = make_workshop()
    response = client.get(f"/board/{workshop.id}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_board_shows_code_and_three_live_columns(client, login, make_user, make_workshop):
    workshop = make_workshop()
    login(make_user(role=Role.FACILITATOR))
    response = client.get(f"/board/{workshop.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<span id="join-code">{workshop.join_code}</span>' in page
    assert f"/j/{workshop.join_code}" in page
    for kind in ("initiative", "need", "recommendation"):
        assert f'id="column-{kind}"' in page and f'id="count-{kind}"' in page
    assert page.count('aria-live="polite"') >= 3
    assert '"role": "board"' in page


def test_board_of_unknown_workshop_is_404(client, login, make_user):
    login(make_user())
    assert client.get("/board/999").status_code == 404


def test_user_text_is_escaped_on_board_and_phone(
    client, db, login, make_user, make_participant, make_workshop
):
    workshop = make_workshop()
    author = make_participant(workshop, display_name=SCRIPT, agreed_to_be_named=True)
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    participation.submit_contribution(db.session, author, {
        "kind": "need", "client_id": new_client_id(), "description": SCRIPT,
        "need_category_id": category.id,
    })
    db.session.commit()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    pages = [client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)]
    login(make_user())
    pages.append(client.get(f"/board/{workshop.id}").get_data(as_text=True))
    for page in pages:
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert 'data-kind="need"' in page


def test_board_shows_the_join_screen_until_the_collection_starts(
    client, db, login, make_user, make_workshop
):

    workshop = make_workshop(status="draft")  # in preparation
    login(make_user(role=Role.FACILITATOR))

    def body_class():
        page = client.get(f"/board/{workshop.id}").get_data(as_text=True)
        return page.split('<body class="', 1)[1].split('"', 1)[0]

    assert body_class() == "board-page board-welcome"
    lifecycle.open_workshop(db.session, workshop, None)
    db.session.commit()
    assert body_class() == "board-page board-welcome"  # the welcome phase
    lifecycle.set_phase(db.session, workshop, None, "needs")
    db.session.commit()
    assert body_class() == "board-page board-compact"


def test_board_controls_are_labelled_in_the_pages_language(
    client, login, make_user, make_workshop
):
    workshop = make_workshop()
    login(make_user(role=Role.FACILITATOR))
    french = client.get(f"/board/{workshop.id}").get_data(as_text=True)
    english = client.get(f"/board/{workshop.id}?lang=en").get_data(as_text=True)
    assert '<button type="button" id="fullscreen-button" class="board-control" hidden>' \
           'Plein écran</button>' in french
    assert '"rotate_seconds": 12' in french and '"page": "Page {page}/{pages}"' in french
    assert ">Full screen</button>" in english and '"resume": "Resume the pages"' in english
    assert 'data-empty="No contributions yet."' in english
