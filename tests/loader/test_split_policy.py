"""Which patterns the phrase index matches one alternative at a time (``loader._worth_splitting``)."""

from __future__ import annotations

from auditor.loader import _worth_splitting


def _users(*patterns: list[str]) -> dict[str, int]:
    users: dict[str, int] = {}
    for alts in patterns:
        for a in set(alts):
            users[a] = users.get(a, 0) + 1
    return users


def test_rule_variants_are_split() -> None:
    """Ten variants of a pattern, each with one alternative of its own (the 10x pack): nearly
    every alternative is shared by ten patterns, so each is matched once for all of them."""
    base = ["法治督察", "督察(情况|工作)", "述法"]
    variants = [[*base, f"第{i}项"] for i in range(10)]
    users = _users(*variants)
    assert all(_worth_splitting(set(v), users) for v in variants)


def test_one_shared_alternative_of_many_is_not_worth_a_split() -> None:
    """A pattern of ten alternatives that shares one with another pattern is matched whole: one
    shared alternative saves less than nine look-ups and a merge cost."""
    big = [f"词{i}" for i in range(10)]
    other = ["词0", "别的"]
    users = _users(big, other)
    assert not _worth_splitting(set(big), users)
    assert not _worth_splitting(set(other), users)  # one of two shared: no saving on average


def test_a_pattern_that_shares_as_many_as_it_has_is_split() -> None:
    """``亲自部署|四个亲自`` beside three other patterns with ``四个亲自``: three extra users for two
    alternatives."""
    patterns = [["亲自部署", "四个亲自"], ["亲自督办", "四个亲自"], ["亲自过问", "四个亲自"], ["亲自把关", "四个亲自"]]
    users = _users(*patterns)
    assert all(_worth_splitting(set(p), users) for p in patterns)


def test_a_single_alternative_is_never_split() -> None:
    assert not _worth_splitting({"法治"}, _users(["法治"], ["法治"]))
