"""Paper-form import: contributions written on paper cards in the room, typed into a
spreadsheet and imported in one go.

- :mod:`.columns`: the spreadsheet's columns (French headers) and the label lookups;
- :mod:`.parse`: a CSV or XLSX upload → rows of text, or a :class:`~.parse.FileRefused`;
- :mod:`.validate`: each row checked by the live contributions' own validator;
- :mod:`.importer`: the stored upload, its preview and its import (audited, announced);
- :mod:`.template`: the blank XLSX and CSV templates.
"""
