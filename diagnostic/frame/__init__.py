"""The frame of a diagnostic, as staff set it up: its fields, stakes, sectors, themes and terms.

:mod:`.planning` creates diagnostics and plans (or duplicates) workshops, :mod:`.editing`
holds the services behind the settings and taxonomies pages, :mod:`.archiving` archives,
restores and deletes, and refuses any change to what is archived.
"""
