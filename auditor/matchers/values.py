"""Numbers: ``value`` (a figure near a phrase, optionally compared), ``count`` (how many
hits, or hits per N report characters) and ``compare`` (arithmetic between values).
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from auditor.document.numbers import MAGNITUDE, POINTS, Number, find_numbers
from auditor.document.tables import read_cell
from auditor.matchers.base import AuthoringIssue, Context, Hit, Outcome, Spec, remember
from auditor.matchers.table import row_hit, table_of
from auditor.vocabulary import Status

if TYPE_CHECKING:
    MatchSpec = Spec  # any match expression: the union is in matchers/registry.py, which binds the name

Op = Literal[">=", ">", "<=", "<", "==", "!="]
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne}
_CLAUSE_END = re.compile(r"[。;:!?\n]|,(?!\d{3}(?!\d))|(?<!\d),")
# after a change (提高10个百分点), the level it reached may follow in the next clause: ，达到85%
_LEVEL_FOLLOWS = re.compile(r",\s*(?:达到|达|为|至|升至|提升至|提高至|上升至|增至)")
DEFAULT_COUNT_UNITS = ["次", "件", "宗", "起", "项", "场", "期", "人次", "件次", "批", "个"]


def _compare(value: float, op: Op | None, than: float | None) -> bool:
    return op is None or than is None or _OPS[op](value, than)


class CellRef(BaseModel):
    """A cell of a national statistics table, by row and column label."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    table: Literal["application", "review"] = Field(..., description="application (申请情况) or review (复议诉讼)")
    row: str = Field(..., description="row label: national wording or a distinctive part (予以公开, 总计, 其他处理)")
    column: str = Field("总计", description="column label (自然人, 商业企业…, 总计; 行政复议/总计…)")

    def describe(self) -> str:
        return f"表格单元格 {self.row}／{self.column}"


def _read(ctx: Context, c: CellRef, name: str) -> tuple[float | None, Hit | None, str | None] | None:
    """``ValueSpec._cell`` for one report: the cell's (value, evidence, problem), None without the table."""
    table = table_of(ctx, c.table)
    if table is None:
        return None
    read = read_cell(table, c.row, c.column)
    return read.value, row_hit(read.rows, name) if read.rows else None, read.problem


class ValueSpec(Spec):
    type: Literal["value"]
    name: str = Field(..., pattern=r"^[a-z][a-z0-9_]*$", description="value name in the output (rate, count…)")
    anchor: MatchSpec = Field(..., description="the phrase the number belongs to")
    kind: Literal["percent", "count", "number"] = "number"
    units: list[str] | None = Field(None, description="accepted units for kind=count (default 次/件/宗/起/项…)")
    window: int = Field(20, ge=1, le=200, description="characters after the anchor to look in (same clause)")
    op: Op | None = None
    than: float | None = None
    cell: CellRef | None = Field(
        None,
        description="read this table cell when the report has the table "
        "(the anchor is then not used); a blank cell is not a value",
    )

    def children(self) -> list[Spec]:
        return [self.anchor]

    @functools.cached_property
    def cell_key(self) -> tuple[str, ...] | None:
        """The key of this value's cell in a report's cache (the same for every value of that
        name reading that cell: rules of every category read the same cells under the same names)."""
        c = self.cell
        return None if c is None else ("cell", c.table, c.row, c.column, self.name)

    def _cell(self, ctx: Context) -> tuple[float | None, Hit | None, str | None] | None:
        """(value, evidence, problem) from the table, or None when the report has no such table."""
        key = self.cell_key
        if key is None or self.cell is None:
            return None
        return remember(ctx.cache, key, _read, ctx, self.cell, self.name)  # once per report

    def _scale(self, unit: str) -> float | None:
        """The factor that turns a number with ``unit`` into this value, or None if not accepted.

        Money is read in 元 (十二万元 and 12万元 both as 120000 元); a rule whose ``units`` ask for
        万元 gets the value in 万元 again (12)."""
        if unit == POINTS:
            return None  # a change of a rate, never the rate or a count
        if self.kind == "percent":
            return 1.0 if unit == "%" else None
        for wanted in self.units or (DEFAULT_COUNT_UNITS if self.kind == "count" else []):
            if wanted == unit:
                return 1.0
            if len(wanted) > 1 and wanted[0] in MAGNITUDE and wanted[1:] == unit:
                return 1.0 / MAGNITUDE[wanted[0]]
        if self.kind == "count":
            return None
        return 1.0 if unit != "%" or not self.units else None

    def extract(self, ctx: Context) -> tuple[float, Hit] | None:
        from_table = self._cell(ctx)
        if from_table is not None:
            value, hit, _ = from_table
            return (value, hit) if value is not None and hit is not None else None
        found = self._number(ctx)
        return None if found is None else (found[0].value, found[1])

    def _number(self, ctx: Context) -> tuple[Number, Hit] | None:
        """The first accepted number in the anchor's clause (and, after a change such as
        提高10个百分点, in the clause that states the level it reached)."""
        anchor = self.anchor.evaluate(ctx.within(self.anchor.scope))
        text = ctx.doc.text
        for h in anchor.hits:
            limit = h.end + self.window
            stop = _CLAUSE_END.search(text, h.end, limit)
            end = stop.start() if stop else min(len(text), limit)
            numbers = find_numbers(text, h.end, end)
            if stop and any(n.unit == POINTS for n in numbers) and _LEVEL_FOLLOWS.match(text, stop.start()):
                more = _CLAUSE_END.search(text, stop.end(), stop.end() + self.window)
                numbers += find_numbers(text, stop.end(), more.start() if more else stop.end() + self.window)
            for n in numbers:
                scale = self._scale(n.unit)
                if scale is not None:
                    return replace(n, value=round(n.value * scale, 6)), Hit(h.start, n.end, label=self.name)
        return None

    def evaluate(self, ctx: Context) -> Outcome:
        from_table = self._cell(ctx)
        if from_table is not None:
            value, hit, problem = from_table
            if problem is not None and hit is not None:  # the row could not be read: quote it, don't guess
                return Outcome(Status.needs_review, (hit,), missing=(self.name,), message=None)
            if value is None or hit is None:
                return Outcome(Status.gap, missing=(self.name,))
            return Outcome(
                Status.met if _compare(value, self.op, self.than) else Status.gap, (hit,), {self.name: value}
            )
        found = self._number(ctx)
        if found is None:
            return Outcome(Status.gap, missing=(self.name,))
        number, hit = found
        if number.near and self.op is not None:
            # 近百分之百: only "about"; whether it meets the threshold is for a person to judge
            return Outcome(Status.needs_review, (replace(hit, review=True),), {self.name: number.value})
        ok = _compare(number.value, self.op, self.than)
        return Outcome(Status.met if ok else Status.gap, (hit,), {self.name: number.value})

    def produces(self) -> list[str]:
        return [self.name]

    def lint(self) -> list[AuthoringIssue]:
        if self.kind != "percent" or self.op is None or self.than is None:
            return []
        t = self.than
        if (self.op in (">", ">=") and t > 100) or (self.op in ("<", "<=") and t < 0) or (self.op == ">" and t == 100):
            return [("error", f"value {self.name} {self.op} {t:g} can never hold for a percentage", None)]
        return []

    def describe(self) -> str:
        cmp = f" {self.op} {self.than:g}" if self.op and self.than is not None else ""
        cell = f"{self.cell.describe()}；无此表时：" if self.cell else ""
        return f"数值 {self.name}{cmp}（{cell}{self.anchor.describe()} 之后）"


class CountSpec(Spec):
    type: Literal["count"]
    of: MatchSpec
    per_chars: int | None = Field(None, ge=1, description="divide by report length: hits per N characters")
    min: float = Field(1, ge=0)
    value: str | None = Field(None, description="export the count/density under this name")

    def children(self) -> list[Spec]:
        return [self.of]

    def evaluate(self, ctx: Context) -> Outcome:
        inner = self.of.evaluate(ctx.within(self.of.scope))
        hits = [h for h in inner.hits if not h.review]
        amount = float(len(hits))
        if self.per_chars:
            size = ctx.doc.body_chars()
            amount = round(amount * self.per_chars / size, 2) if size else 0.0
        status: Status = Status.met if amount >= self.min else Status.gap
        values = {self.value: amount} if self.value else {}
        return Outcome(status, tuple(hits[:5]), values)

    def produces(self) -> list[str]:
        return [self.value] if self.value else []

    def describe(self) -> str:
        per = f"每{self.per_chars}字" if self.per_chars else ""
        return f"{per}至少{self.min:g}处（{self.of.describe()}）"


_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)

#: an expression compiled to a function of the rule's values (a missing name raises KeyError(name))
Compiled = Callable[[Mapping[str, float]], float]


def _checked(node: ast.AST) -> ast.expr:
    """``node`` with every number a float and every name a look-up in the values ``v``
    (``v["total"]``, so a missing one raises KeyError("total")); ValueError for anything but
    numbers, names, + - * / and a unary minus."""
    if isinstance(node, ast.Expression):
        return _checked(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return ast.Constant(float(node.value))
    if isinstance(node, ast.Name):
        return ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(node.id), ast.Load())
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, _ARITHMETIC):
            raise ValueError("只允许 + - * /")
        return ast.BinOp(_checked(node.left), node.op, _checked(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return ast.UnaryOp(ast.USub(), _checked(node.operand))
    raise ValueError(f"表达式中有不支持的成分 {type(node).__name__}")


def _compiled(tree: ast.Expression) -> Compiled:
    """The expression as one Python function of the values: float arithmetic, left operand
    first, as a walk over the tree would do it; compiled once per expression (``compare`` is
    evaluated on every report)."""
    args = ast.arguments(posonlyargs=[], args=[ast.arg("v")], kwonlyargs=[], kw_defaults=[], defaults=[])
    function = ast.Expression(ast.Lambda(args, _checked(tree)))
    made: Compiled = eval(compile(ast.fix_missing_locations(function), "<compare>", "eval"), {"__builtins__": {}})
    return made


@functools.lru_cache(maxsize=1024)
def parse_comparison(expr: str) -> tuple[Compiled, Op, Compiled]:
    """``left OP right``, each side compiled (once per expression)."""
    for op in (">=", "<=", "==", "!=", ">", "<"):
        if op in expr:
            left, right = expr.split(op, 1)
            trees = ast.parse(left.strip(), mode="eval"), ast.parse(right.strip(), mode="eval")
            return _compiled(trees[0]), op, _compiled(trees[1])
    raise ValueError(f"{expr!r} 中没有比较运算符")


class CompareSpec(Spec):
    type: Literal["compare"]
    expr: str = Field(..., description="e.g. `total == accepted + rejected` over the rule's values")
    tolerance: float = Field(0, ge=0)

    @field_validator("expr")
    @classmethod
    def _parse(cls, v: str) -> str:
        try:
            left, _, right = parse_comparison(v)
            left(_AnyValues())
            right(_AnyValues())
        except (SyntaxError, ValueError) as exc:
            raise ValueError(f"比较条件 {v!r} 有误：{exc}") from exc
        return v

    def evaluate(self, ctx: Context) -> Outcome:
        left, op, right = parse_comparison(self.expr)
        try:
            a, b = left(ctx.values), right(ctx.values)
        except KeyError as missing:
            return Outcome(Status.not_applicable, missing=(str(missing.args[0]),))
        except ZeroDivisionError:
            return Outcome(Status.not_applicable)
        if op == "==":
            ok = abs(a - b) <= self.tolerance
        elif op == "!=":
            ok = abs(a - b) > self.tolerance
        else:
            ok = _OPS[op](a + (self.tolerance if op in (">=", ">") else -self.tolerance), b)
        return Outcome(Status.met if ok else Status.gap)

    def describe(self) -> str:
        tol = f"（允许误差 {self.tolerance:g}）" if self.tolerance else ""
        return f"数值核对：{self.expr}{tol}"


class _AnyValues(dict[str, float]):
    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> float:
        return 1.0
