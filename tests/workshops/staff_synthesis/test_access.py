"""Staff synthesis pages: who may open them and post their actions (login, role, CSRF)."""

from __future__ import annotations

import re

import pytest

from diagnostic.models import Role
from tests.conftest import logged_in_client
from tests.workshops.staff_synthesis.conftest import actions, base, groups

URLS = [("get", ""), ("get", "/suggestions"), ("post", "/merge"), ("post", "/reject"),
        ("post", "/items/1"), ("post", "/units/1/split"), ("post", "/groups/1/dissolve")]


@pytest.mark.parametrize("method, path", URLS)
def test_anonymous_is_sent_to_login(client, seeded, method, path):
    response = getattr(client, method)(base(seeded[0]) + path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("method, path", URLS)
def test_facilitators_are_refused(client, login, make_user, seeded, db, method, path):
    login(make_user(role=Role.FACILITATOR))
    items = seeded[2]
    data = {"contribution_ids": [items["restos_a"].id, items["restos_b"].id]}
    assert getattr(client, method)(base(seeded[0]) + path, data=data).status_code == 403
    assert groups(db) == 0 and actions(db) == []


@pytest.mark.parametrize("query", ["?kind=vote", "?page=0", "?page=x"])
def test_unknown_kind_or_page_is_404(staff, seeded, query):
    assert staff.get(base(seeded[0]) + query).status_code == 404
    assert staff.get(base(seeded[0]) + "/suggestions" + query).status_code == 404


def test_the_diagnostic_tabs_lead_to_the_synthesis(staff, seeded):
    page = staff.get(f"/staff/diagnostics/{seeded[0].id}").get_data(as_text=True)
    assert f'href="{base(seeded[0])}"' in page and ">Synthèse</a>" in page




@pytest.fixture
def csrf_client(app, db, make_user):
    """A staff client with CSRF protection on (as in production)."""
    app.config["WTF_CSRF_ENABLED"] = True
    return logged_in_client(app, db, make_user())


def test_synthesis_actions_need_the_csrf_token(csrf_client, seeded, db):
    diagnostic, workshops, items = seeded
    ids = [items["restos_a"].id, items["restos_b"].id]
    url = base(diagnostic) + "/merge"
    assert csrf_client.post(url, data={"contribution_ids": ids}).status_code == 400
    assert csrf_client.post(url, data={"contribution_ids": ids,
                                       "csrf_token": "forged"}).status_code == 400
    unit = items["garage"].id
    assert csrf_client.post(base(diagnostic) + f"/items/{unit}",
                            data={f"edit-{unit}-title": "X"}).status_code == 400
    assert groups(db) == 0 and actions(db) == []
    page = csrf_client.get(base(diagnostic)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = csrf_client.post(url, data={"contribution_ids": ids, "csrf_token": token})
    assert response.status_code == 302
    assert groups(db) == 1
    prefixed = re.search(rf'id="edit-{unit}-csrf_token" name="edit-{unit}-csrf_token" '
                         r'type="hidden" value="([^"]+)"', page)
    response = csrf_client.post(base(diagnostic) + f"/items/{unit}", data={
        f"edit-{unit}-title": "Garage", f"edit-{unit}-csrf_token": prefixed.group(1)})
    assert response.status_code == 302
