"""The frame of a diagnostic, as staff set it up: its fields, stakes, sectors, themes and terms.

:mod:`.editing` holds the services behind the settings and taxonomies pages.
"""
