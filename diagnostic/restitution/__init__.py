"""The restitution: the draft report goes back to the participants, who comment on it.

- :mod:`.publishing`: publish, unpublish, settings (closing date, who may comment), a new
  token, and marking the report validated;
- :mod:`.comments`: a participant's comment (validated, stored once per ``client_id``),
  moderation, and the queries the pages and the report need.

Services validate, raise with nothing changed, flush and audit; the caller commits.
"""
