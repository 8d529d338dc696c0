"""The diagnostic-wide synthesis: merge contributions of every workshop into canonical items.

A *unit* of the synthesis is a published contribution that is not merged into another
one inside its workshop (those are folded under their target already). Staff merge units
of one kind into a :class:`~diagnostic.models.SynthesisItem` (its title and summary
become the canonical texts), split a unit out again, dissolve a group (undo), reject a
duplicate suggestion for good, edit an item's title, summary, manual rank, priority
and, for needs and recommendations, stake, and move an item under another stake (the
affinity board). A unit that stands alone gets a group of one the first time it is
edited. Every action is a :class:`~diagnostic.models.SynthesisAuditEntry`; nothing is
ever deleted but the group rows themselves (their content is in the audit log).

- :mod:`.editing`: those staff actions, and the audit log;
- :mod:`.board`: the units of one kind as the affinity board's cards, in stake columns;
- :mod:`.duplicates`: the units as candidates, the diagnostic's places and refused
  pairs, the suggested duplicates (read from :mod:`.index`, the pairs kept per process
  and updated by what changed) and the similar items of a unit;
- :mod:`.similarity`: the suggestion engine (pure: no database): what staff decided
  applied to :mod:`.scoring`'s pair scores, over :mod:`.normalise` (names and texts
  reduced for comparison), :mod:`.thesaurus` (the field's synonyms) and
  :mod:`.word_lists` (its French data);
- :mod:`.vocabulary`: staff edit the diagnostic's thesaurus.
"""
