"""Message templates: the placeholders filled piece by piece equal their definition."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine import _format
from auditor.matchers.base import Outcome
from auditor.vocabulary import Status

NAMES = ["Y", "Y+1", "missing", "found", "rate", "count", "deadline", "unknown_1"]


def formatted(template: str, outcome: Outcome, base: dict[str, Any]) -> str:
    """The definition: every {name} replaced by the outcome's value (a whole number without
    ".0"), else {missing}/{found} joined with 、 (— when empty), else ``base``; else left as is."""
    fields = {**base, "missing": "、".join(outcome.missing) or "—", "found": "、".join(outcome.found) or "—"}
    fields.update({k: (int(v) if float(v).is_integer() else v) for k, v in outcome.values.items()})
    return re.sub(r"\{([A-Za-z_+0-9]+)\}", lambda m: str(fields.get(m.group(1), m.group(0))), template)


_TEXT = st.text(alphabet="年{}报告 a_+1", max_size=6)
_PIECE = st.one_of(_TEXT, st.sampled_from(NAMES).map(lambda n: "{" + n + "}"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECE, max_size=8).map("".join),
    st.dictionaries(st.sampled_from(["rate", "count", "Y", "missing"]), st.floats(-1e6, 1e6, allow_nan=False)),
    st.lists(st.sampled_from(["公众参与", "专家论证", "{x}"]), max_size=3).map(tuple),
    st.lists(st.sampled_from(["合法性审查", "集体讨论"]), max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(["Y", "Y+1", "deadline", "found"]), st.sampled_from([2023, "Y", "3月31日"])),
)
def test_format_fills_placeholders_by_definition(
    template: str, values: dict[str, float], missing: tuple[str, ...], found: tuple[str, ...], base: dict[str, Any]
) -> None:
    outcome = Outcome(Status.gap, values=values, missing=missing, found=found)
    assert _format(template, outcome, base) == formatted(template, outcome, base)
