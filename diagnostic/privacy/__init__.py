"""Personal data under the RGPD: what participants are told, what they agreed to, and
what happens to their data.

Modules (each imported by name; this package imports nothing so they stay independent):

- ``notice``: the diagnostic's versioned privacy notice, its French default and the
  summary shown on the join page;
- ``consent``: the consent register (publish my name, publish my contact, be contacted
  for the restitution), kept in sync with the participant's flags;
- ``pseudonyms``: the random pseudonyms of anonymous workshops;
- ``erasure`` / ``access``: erasing a participant and exporting what is stored about them;
- ``retention``: the retention period and the purge of expired personal data;
- ``public_copy``: a report and archive without personal data (``--no-personal-data``).
"""
