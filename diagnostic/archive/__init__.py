"""Full-fidelity archive of one diagnostic: dump it as JSON builtins, restore it elsewhere.

- :mod:`.dump`: :func:`~.dump.dump_diagnostic`, every row of the diagnostic's tables;
- :mod:`.restore`: :func:`~.restore.restore_diagnostic`, a new diagnostic from an
  archive, after :mod:`.parse` checked the whole document;
- :mod:`.schema`: the sections (one per table) and the column walk; :mod:`.values`: how
  each column's values are written and read back.

The format is documented in ``docs/report-json.md`` (section *Archive*).
"""
