"""Match types: one module per type (see :mod:`auditor.matchers.registry` for the list).

Each spec is data (pydantic) plus ``evaluate(ctx) -> Outcome``; :mod:`.base` holds what they share.
"""
