"""``type: compare``: arithmetic consistency between extracted values."""

from __future__ import annotations

import ast
import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from auditor.document import understand
from auditor.engine import evaluate_rule
from auditor.matchers.phrase_index import PhraseIndex
from auditor.matchers.values import parse_comparison
from tests.helpers import evaluate, make_rule, phrases, spec

TEXT = "全年开展普法活动30余场次。"


@pytest.mark.parametrize(
    ("values", "status"),
    [({"total": 10, "a": 4, "b": 6}, "met"), ({"total": 10, "a": 4, "b": 5}, "gap")],
)
def test_expression(values: dict, status: str) -> None:
    assert evaluate({"type": "compare", "expr": "total == a + b"}, TEXT, values=values).status == status


def test_tolerance() -> None:
    data = {"type": "compare", "expr": "total == a + b", "tolerance": 1}
    assert evaluate(data, TEXT, values={"total": 10, "a": 4, "b": 5}).status == "met"
    assert evaluate(data, TEXT, values={"total": 10, "a": 4, "b": 4}).status == "gap"
    ge = {"type": "compare", "expr": "rate >= 90", "tolerance": 1}
    assert evaluate(ge, TEXT, values={"rate": 89}).status == "met"
    assert evaluate(ge, TEXT, values={"rate": 88.5}).status == "gap"
    ne = {"type": "compare", "expr": "a != b", "tolerance": 0.5}
    assert evaluate(ne, TEXT, values={"a": 1, "b": 1.4}).status == "gap"
    assert evaluate(ne, TEXT, values={"a": 1, "b": 2}).status == "met"


def test_arithmetic() -> None:
    data = {"type": "compare", "expr": "rate == appeared / cases * 100", "tolerance": 0.1}
    assert evaluate(data, TEXT, values={"rate": 50, "appeared": 3, "cases": 6}).status == "met"
    assert evaluate({"type": "compare", "expr": "-a < b - 1"}, TEXT, values={"a": 1, "b": 1}).status == "met"


def test_missing_value_is_not_applicable() -> None:
    out = evaluate({"type": "compare", "expr": "total == a + b"}, TEXT, values={"total": 10, "a": 4})
    assert out.status == "not_applicable"
    assert out.missing == ("b",)


def test_division_by_zero_is_not_applicable() -> None:
    out = evaluate({"type": "compare", "expr": "rate == a / b"}, TEXT, values={"rate": 1, "a": 1, "b": 0})
    assert out.status == "not_applicable"


@pytest.mark.parametrize("expr", ["total", "a ** 2 == 4", "f(a) == 1", "a ==", "a == b and c", "'x' == a"])
def test_bad_expressions_are_rejected(expr: str) -> None:
    with pytest.raises(ValidationError, match="比较条件"):
        spec({"type": "compare", "expr": expr})


def test_with_rule_values_in_the_engine() -> None:
    rule = make_rule(
        {"type": "compare", "expr": "appeared <= cases"},
        values=[
            {"type": "value", "name": "cases", "kind": "count", "anchor": phrases("行政诉讼案件")},
            {"type": "value", "name": "appeared", "kind": "count", "anchor": phrases("负责人出庭")},
        ],
    )

    def run(text: str) -> str:
        doc = understand(text, year=2023)
        finding, _ = evaluate_rule(rule, doc, PhraseIndex.build([]).for_text(doc.text), 1.0)
        return finding.status

    assert run("全年发生行政诉讼案件5件,负责人出庭3次。") == "met"
    assert run("全年发生行政诉讼案件2件,负责人出庭3次。") == "gap"
    assert run("负责人出庭3次。") == "not_applicable"


# An expression is compiled once into one Python function (``parse_comparison``); it must compute
# what the written arithmetic means: floats, left operand first, a missing name a KeyError naming
# the first one met, a division by zero a ZeroDivisionError. The reference below walks the tree.

_NAMES = ("a", "b", "total", "sum", "len")  # builtin names too: values only, never Python's


def _walk(node: ast.AST, values: dict[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return _walk(node.body, values)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise KeyError(node.id)
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        return -_walk(node.operand, values)
    assert isinstance(node, ast.BinOp)
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
    left = _walk(node.left, values)
    return float(ops[type(node.op)](left, _walk(node.right, values)))


_LEAF = st.one_of(st.sampled_from(_NAMES), st.integers(0, 10**6).map(str), st.sampled_from(["0", "0.5", "2.25"]))
_EXPR = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(
    _EXPR,
    _EXPR,
    st.dictionaries(st.sampled_from(_NAMES), st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from([0.0, 1.0])),
)
def test_compiled_expression_computes_the_tree(left: str, right: str, values: dict[str, float]) -> None:
    compiled_left, op, compiled_right = parse_comparison(f"{left} <= {right}")
    assert op == "<="
    for text, compiled in ((left, compiled_left), (right, compiled_right)):
        tree = ast.parse(text, mode="eval")
        try:
            expected: float | BaseException = _walk(tree, values)
        except (KeyError, ZeroDivisionError) as exc:
            expected = exc
        try:
            got: float | BaseException = compiled(values)
        except (KeyError, ZeroDivisionError) as exc:
            got = exc
        if isinstance(expected, BaseException):
            assert type(got) is type(expected) and got.args == expected.args
        else:
            assert got == expected or (math.isnan(expected) and math.isnan(got))  # type: ignore[arg-type]
