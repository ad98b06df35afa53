"""The closed set of match expression types, chosen by the ``type`` field.

=========== ==========================================================
phrases     any of a list of exact phrases (Aho-Corasick, normalised)
fuzzy       approximate phrases (RapidFuzz) with a needs_review grey zone
regex       regular expressions (time-limited `regex` engine)
tokens      spaCy token patterns on spacy.blank("zh")
all/any/none/at_least   composition
absent      a prohibition: met when the child finds nothing
cases       a decision table: first matching case decides the status
near        children within N characters / one sentence / one paragraph
section     a part with a role or heading exists (size, distinct items)
value       a number near a phrase (percent, count), optionally compared
count       number of hits, or hits per N characters
compare     arithmetic consistency between extracted values
date        publication / sign-off date against a deadline
year        a part names the right year (Y+1 for next year's plans)
metadata    report level / year / title / unit conditions
table       a national statistics table is there and readable (cells: ``value`` with ``cell``)
=========== ==========================================================
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from auditor.matchers.base import Context, Hit, Outcome, Scope, Spec
from auditor.matchers.compose import (
    AbsentSpec,
    AllSpec,
    AnySpec,
    AtLeastSpec,
    Case,
    CasesSpec,
    NoneSpec,
)
from auditor.matchers.fuzzy import FuzzySpec
from auditor.matchers.meta import DateSpec, MetadataSpec, YearSpec
from auditor.matchers.near import NearSpec
from auditor.matchers.pattern import RegexSpec
from auditor.matchers.phrases import PhrasesSpec
from auditor.matchers.section import SectionSpec
from auditor.matchers.table import TableSpec
from auditor.matchers.tokens import TokensSpec
from auditor.matchers.values import CompareSpec, CountSpec, ValueSpec
from auditor.vocabulary import Status

MatchSpec = Annotated[
    PhrasesSpec
    | FuzzySpec
    | RegexSpec
    | TokensSpec
    | AllSpec
    | AnySpec
    | NoneSpec
    | AtLeastSpec
    | AbsentSpec
    | CasesSpec
    | NearSpec
    | SectionSpec
    | ValueSpec
    | CountSpec
    | CompareSpec
    | DateSpec
    | YearSpec
    | MetadataSpec
    | TableSpec,
    Field(discriminator="type"),
]

MATCH_TYPES: tuple[type[Spec], ...] = (
    PhrasesSpec, FuzzySpec, RegexSpec, TokensSpec, AllSpec, AnySpec, NoneSpec, AtLeastSpec, AbsentSpec,
    CasesSpec, NearSpec, SectionSpec, ValueSpec, CountSpec, CompareSpec, DateSpec, YearSpec, MetadataSpec,
    TableSpec,
)

# The recursive models name `MatchSpec` as a forward reference; give their modules the
# name so pydantic resolves it when it first builds a schema (deferred: cheap imports).
from auditor.matchers import compose as _compose  # noqa: E402
from auditor.matchers import near as _near  # noqa: E402
from auditor.matchers import values as _values  # noqa: E402

for _module in (_compose, _near, _values):
    _module.MatchSpec = MatchSpec  # type: ignore[attr-defined]

__all__ = ["MATCH_TYPES", "Case", "Context", "Hit", "MatchSpec", "Outcome", "Scope", "Spec", "Status", "ValueSpec"]
