"""The registry of match types: the closed set of match expressions, chosen by the ``type`` field.

Adding a match type is one module (a :class:`~auditor.matchers.base.Spec` subclass that
overrides the facts it has: ``indexed_phrases``, ``indexed_patterns``, ``heading_patterns``,
``produces``, ``parameters``, ``exclude_targets``, ``lint``), its tests in ``tests/matchers/``
and its line in :data:`MatchSpec` below; ``tests/matchers/test_registry.py`` fails when a
``Spec`` subclass is missing here or from the docs.

=========== ==========================================================
phrases     any of a list of exact phrases (Aho-Corasick, normalised)
fuzzy       approximate phrases (RapidFuzz) with a needs_review grey zone
regex       regular expressions (time-limited `regex` engine)
tokens      spaCy token patterns on spacy.blank("zh")
all         every child is met (composition)
any         at least one child is met
none        no child is met
at_least    n of the children are met (a count, a review band)
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

from typing import Annotated, Final, get_args

from pydantic import BaseModel, Field

from auditor.matchers import compose, near, values
from auditor.matchers.base import Spec
from auditor.matchers.compose import AbsentSpec, AllSpec, AnySpec, AtLeastSpec, CasesSpec, NoneSpec
from auditor.matchers.facts import DateSpec, MetadataSpec, YearSpec
from auditor.matchers.fuzzy import FuzzySpec
from auditor.matchers.near import NearSpec
from auditor.matchers.pattern import RegexSpec
from auditor.matchers.phrases import PhrasesSpec
from auditor.matchers.section import SectionSpec
from auditor.matchers.table import TableSpec
from auditor.matchers.tokens import TokensSpec
from auditor.matchers.values import CompareSpec, CountSpec, ValueSpec

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

#: every match type, in the order of :data:`MatchSpec`
MATCH_TYPES: Final[tuple[type[Spec], ...]] = get_args(get_args(MatchSpec)[0])


def type_name(spec: type[Spec]) -> str:
    """The ``type:`` a match type is chosen by in rule files."""
    return str(get_args(spec.model_fields["type"].annotation)[0])


#: match type by its ``type:`` name
BY_NAME: Final[dict[str, type[Spec]]] = {type_name(m): m for m in MATCH_TYPES}

# The recursive models (a child of ``all`` is any match expression) name ``MatchSpec`` in their
# annotations without importing this module (that would be an import cycle). Pydantic looks a
# model's names up in its class namespace too when it first builds a schema (deferred, so
# imports stay cheap): each recursive model gets the union as a class attribute, here.
for _module in (compose, near, values):
    for _model in list(vars(_module).values()):
        if isinstance(_model, type) and issubclass(_model, BaseModel) and _model.__module__ == _module.__name__:
            type.__setattr__(_model, "MatchSpec", MatchSpec)
