"""Load the Grand Toulouse 2011 demo diagnostic (fictitious contributions).

The frame (title, territory, period, the six stakes, the two themes) comes from the 2011
announcement of the Communauté urbaine du Grand Toulouse; everything said in the
workshops is invented, inspired by the actors and programmes of the ESS. Some initiatives
are cited in several workshops with slightly different spellings, as happens in real
workshops: duplicate detection has work to do.

The demo is the archive ``grand_toulouse_2011.json`` (next to this module), restored as
``diagnostic import`` restores any archive. What a plain restore would not do is done
here, on purpose:

- a second demo is refused: the file's ``is_demo`` flag marks the one loaded;
- join codes are drawn afresh at each load (the file's ``DEMO01``... are placeholders:
  a code published here would let anyone join the open demo workshop of any instance);
- client ids are ``demo-<diagnostic id>-<workshop number>-<contribution number>``
  (workshops numbered from 1 in date order, contributions from 0 in the order they were
  made), so two loads differ only by the diagnostic's id and the join codes;
- the file leaves out when the diagnostic and its workshops were created, so they take
  the load time: the staff list shows the demo as the newest diagnostic, as before;
- the report's logo is ``demo-logo.svg`` (next to this module, a neutral mark reading
  "Démo", no institution's), added to the archive before the restore checks it as any
  imported logo. The report stays a draft ("Document de travail"): its contributions
  are invented, no authority validated them.

Everything else is the archive's: the 2011 dates and times of the workshops and
contributions, which workshop stays open, new participant tokens. To change the demo,
edit the JSON, or load it, change it in the app and put the ``archive`` of its JSON
export here, without those creation times.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from importlib import resources
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ..archive.restore import restore_diagnostic
from ..errors import N_, DomainError
from ..frame.planning import generate_join_code
from ..models import Contribution, Diagnostic, Workshop

DATA_FILE = "grand_toulouse_2011.json"
LOGO_FILE = "demo-logo.svg"


def demo_archive() -> dict[str, Any]:
    """The demo diagnostic as an archive document (a fresh copy of the data file)."""
    folder = resources.files(__package__)
    document = json.loads(folder.joinpath(DATA_FILE).read_text(encoding="utf-8"))
    logo = folder.joinpath(LOGO_FILE).read_bytes()
    document["diagnostic"]["report_logo"] = base64.b64encode(logo).decode("ascii")
    return document


def demo_exists(session: Session) -> bool:
    """True when a demo diagnostic is already in the database."""
    return session.scalar(select(Diagnostic.id).where(Diagnostic.is_demo.is_(True)).limit(1)) \
        is not None


def load_demo(session: Session) -> Diagnostic:
    """Restore the demo diagnostic and flush; refuse a second one. The caller commits."""
    if demo_exists(session):
        raise DomainError(N_("Le diagnostic de démonstration est déjà chargé."))
    document = demo_archive()
    for workshop in document["workshops"]:
        workshop["join_code"] = generate_join_code(session)
    diagnostic = restore_diagnostic(session, document)
    _number_client_ids(session, diagnostic)
    return diagnostic


def _number_client_ids(session: Session, diagnostic: Diagnostic) -> None:
    """Give each contribution its ``demo-<diagnostic id>-NN-III`` client id."""
    workshop_ids = session.scalars(
        select(Workshop.id).where(Workshop.diagnostic_id == diagnostic.id)
        .order_by(Workshop.date, Workshop.id)
    ).all()
    number = {workshop_id: n for n, workshop_id in enumerate(workshop_ids, start=1)}
    made = session.execute(
        select(Contribution.id, Contribution.workshop_id)
        .where(Contribution.workshop_id.in_(workshop_ids))
        .order_by(Contribution.created_at, Contribution.id)
    ).all()
    counts: Counter[int] = Counter()
    params = []
    for contribution_id, workshop_id in made:
        n = number[workshop_id]
        params.append({"_id": contribution_id,
                       "_client_id": f"demo-{diagnostic.id}-{n:02d}-{counts[n]:03d}"})
        counts[n] += 1
    table = Contribution.__table__
    # updated_at is set to itself: the archive's moments stay, no "updated now".
    statement = update(table).where(table.c.id == bindparam("_id")).values(
        client_id=bindparam("_client_id"), updated_at=table.c.updated_at)
    session.execute(statement, params, execution_options={"synchronize_session": False})
