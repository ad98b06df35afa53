"""Year over year: one unit's report against its previous one (``auditor compare LAST THIS``).

The package reads left to right, every function pure:

- ``regions``       which spans of a report hold the plans, the measures, the shortcomings
                    (declared per checklist: ``compare:`` in the checklist header)
- ``items``         last year's plans split into items (一是… / （一）… / 1.… / sentences)
- ``textsim``       the text units of the follow-through: figures masked, synonyms folded,
                    character bigrams weighted by rarity
- ``followthrough`` each plan item → done / open / missing (or needs_review), with evidence
- ``copying``       passages of this year's text copied from last year's, and their share
- ``deltas``        score, categories and rule statuses, last year against this year
- ``model``         the comparison and its JSON form (keys are added, never renamed)
- ``comparison``    the whole comparison of two understood, audited reports
- ``render``        text, markdown and html views of a comparison
"""
