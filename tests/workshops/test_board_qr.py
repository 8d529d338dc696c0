"""The board's join code, QR code (segno, inline SVG), presence placeholder and scripts."""

from __future__ import annotations

import re

import segno

from workshops.board_qr import join_qr

BORDER = 4


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The (row, column) modules an SVG path by segno paints dark (its ``M/h/m`` commands)."""
    [path] = re.findall(r'<path stroke="#000" d="([^"]+)"', svg)
    x = y = 0.0
    dark = set()
    for command, args in re.findall(r"([Mhm])([-\d. ]+)", path):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            for column in range(int(x), int(x + numbers[0])):
                dark.add((int(y) - BORDER, column - BORDER))
            x += numbers[0]
    return dark


def matrix_modules(url: str) -> set[tuple[int, int]]:
    """The dark modules of the QR code segno makes for ``url``."""
    matrix = join_qr(url).matrix
    return {(r, c) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}


def board_page(client, login, make_user, workshop) -> str:
    """The board's HTML for a logged-in facilitator."""
    login(make_user())
    response = client.get(f"/board/{workshop.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_board_shows_a_qr_code_of_the_join_link(client, login, make_user, make_workshop):
    workshop = make_workshop()
    html = board_page(client, login, make_user, workshop)
    join_url = f"http://localhost/j/{workshop.join_code}"
    [svg] = re.findall(r"<svg.*?</svg>", html, re.S)

    assert dark_modules(svg) == matrix_modules(join_url)
    assert dark_modules(svg) != matrix_modules(join_url + "X")
    assert join_qr(join_url).designator == segno.make(join_url, error="m").designator
    assert 'role="img"' in svg
    assert f"<title>QR code du lien de l'atelier : {join_url}</title>" in svg
    assert f'<span id="join-code">{workshop.join_code}</span>' in html


def test_the_qr_code_opens_the_join_page(client, login, make_user, make_workshop):
    workshop = make_workshop()
    board_page(client, login, make_user, workshop)
    response = client.get(f"/j/{workshop.join_code}")
    assert response.status_code == 200
    assert 'name="display_name"' in response.get_data(as_text=True)


def test_the_board_has_presence_and_the_vote_script(client, login, make_user, make_workshop):
    html = board_page(client, login, make_user, make_workshop())
    assert 'id="presence-count"' in html
    assert "js/votes.js" in html and "js/presence.js" in html
    assert '"votes": {' in html


def test_the_board_needs_a_login(client, make_workshop):
    workshop = make_workshop()
    assert client.get(f"/board/{workshop.id}").status_code == 302
