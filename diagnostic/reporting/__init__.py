"""The report of a diagnostic and the minutes of a workshop, as plain dataclasses.

Imports run one way, from the composition down to the data:

- :mod:`.report_build` (:func:`~.report_build.compose_report`) loads a diagnostic and
  builds its :class:`~.report.Report`, through :mod:`.report_items` (the synthesis items)
  and :mod:`.minutes_build` (each workshop's minutes, the report's annexes);
- :mod:`.minutes_build` (:func:`~.minutes_build.compose_minutes`) loads one workshop and
  builds its :class:`~.minutes.Minutes`;
- :mod:`.report` and :mod:`.minutes` are the dataclasses the renderers of :mod:`exports`
  read; :mod:`.common` holds what both share (``Translate``, ``CountRow``, sort keys...).
"""
