"""The Grand Toulouse 2011 demo diagnostic: a data file and its loader.

``grand_toulouse_2011.json`` is a diagnostic archive (the format of ``diagnostic
export --format json`` and ``diagnostic import``, see ``docs/report-json.md``);
:mod:`.loader` restores it through :mod:`diagnostic.archive`.
"""
