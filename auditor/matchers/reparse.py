"""A rule regex read with Python's own parser (``re._parser``): the syntax tree the proofs about a
pattern walk (``regex_bound``'s step bound, ``guards``, ``anchors.run_led``).

The parser is private (typeshed's stubs differ between versions, hence ``Any``). It knows the
syntax the rule files use; what it cannot read, a caller proves nothing about.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

PARSER: Any = importlib.import_module("re._parser")
MAXREPEAT: int = importlib.import_module("re._constants").MAXREPEAT


def parse(pattern: str) -> Any:
    """``pattern`` as Python's parser reads it (a ``SubPattern``: iterate it for its items), or None
    when it cannot read it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set" and the like
            return PARSER.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
