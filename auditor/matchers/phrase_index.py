"""One Aho-Corasick pass finds every exact phrase of a checklist in a document.

The automaton is built once per checklist (all phrases of all ``phrases`` leaves,
normalised); :meth:`PhraseIndex.for_text` runs it over one document and returns, for each
phrase, where it occurs. Rules then look their phrases up instead of searching again.

The automaton is ``ahocorasick_rs``'s (Rust; its compact "contiguous NFA"): pyahocorasick looked
each text character up in the root's child list one by one, and most characters of a report
start no phrase, so it compared every such character with each of the ≈ 150 first characters
of a checklist's phrases (≈ 40 ns a character). Between two reports the rules push the automaton
out of the CPU caches: the compact form is faster there than the larger DFA.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: a lone surrogate (text decoded with ``surrogateescape``, a broken UTF-16 pair): the automaton
#: reads UTF-8, which has none; no phrase holds one, so each is scanned as a character of no phrase
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class PhraseIndex:
    phrases: frozenset[str]
    _automaton: Any = None
    _hits: dict[str, list[int]] | None = None
    split: frozenset[str] = (
        frozenset()
    )  # regexes that share alternatives with others: matched one alternative at a time
    #: per phrase set asked about, those of its phrases not indexed (shared by the per-text copies)
    _unindexed: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    #: per phrase set asked about, whether one occurs (``occurs_any`` of a per-text copy, which
    #: the rules of a report ask again and again: rule variants share alternatives and anchors)
    _occurs: dict[frozenset[str], bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, phrases: Iterable[str], split: Iterable[str] = ()) -> PhraseIndex:
        return cls(frozenset(p for p in phrases if p), split=frozenset(split))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the automaton (it cannot be pickled; it is built again on first use)."""
        return {**self.__dict__, "_automaton": None}

    def _compiled(self) -> tuple[tuple[str, ...], Any, str]:
        """The phrases in pattern order, the automaton (None without phrases) and a character of no
        phrase (what a lone surrogate is scanned as)."""
        if self._automaton is None:
            import ahocorasick_rs

            ordered = tuple(sorted(self.phrases))
            automaton = (
                ahocorasick_rs.AhoCorasick(
                    ordered,
                    matchkind=ahocorasick_rs.MatchKind.Standard,  # every occurrence, overlapping ones too
                    implementation=ahocorasick_rs.Implementation.ContiguousNFA,  # compact (see above)
                )
                if ordered
                else None
            )
            alphabet = set("".join(ordered))
            filler = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in alphabet)  # private use
            self._automaton = (ordered, automaton, filler)
        return self._automaton  # type: ignore[no-any-return]

    def for_text(self, text: str) -> PhraseIndex:
        """A copy holding the occurrences of every phrase in ``text`` (the automaton is shared)."""
        compiled = self._compiled()
        ordered, automaton, filler = compiled
        occurrences: dict[str, list[int]] = defaultdict(list)
        if automaton is not None:
            try:
                found = automaton.find_matches_as_indexes(text, overlapping=True)
            except UnicodeEncodeError:
                found = automaton.find_matches_as_indexes(_SURROGATE.sub(filler, text), overlapping=True)
            for k, start, _ in found:  # by end, so each phrase's starts ascend
                occurrences[ordered[k]].append(start)
        return PhraseIndex(self.phrases, compiled, dict(occurrences), self.split, self._unindexed)

    def find(self, phrase: str, text: str) -> list[int]:
        """Start offsets of ``phrase``; falls back to str.find for a phrase not indexed."""
        if self._hits is not None and phrase in self.phrases:
            return self._hits.get(phrase, [])
        out = []
        i = text.find(phrase)
        while i != -1:
            out.append(i)
            i = text.find(phrase, i + 1)
        return out

    def starts(self, phrases: frozenset[str], text: str) -> list[int]:
        """Where one of ``phrases`` starts, ascending and distinct: ``find`` of each, merged; the
        indexed phrases that occur are picked as one set operation."""
        if self._hits is None or self._unindexed_of(phrases):
            return sorted({i for p in phrases for i in self.find(p, text)})
        found = [self._hits[p] for p in self._hits.keys() & phrases]
        if len(found) == 1:
            return list(found[0])
        return sorted(set().union(*found))

    def _unindexed_of(self, phrases: frozenset[str]) -> frozenset[str]:
        rest = self._unindexed.get(phrases)
        if rest is None:
            rest = self._unindexed[phrases] = phrases - self.phrases
        return rest

    def occurs_any(self, phrases: frozenset[str], text: str) -> bool:
        """Whether one of ``phrases`` occurs in ``text``: ``any(occurs(p) for p in phrases)``, the
        indexed phrases looked up as one set operation."""
        if self._hits is None:
            return any(p in text for p in phrases)
        found = self._occurs.get(phrases)
        if found is None:
            if not self._hits.keys().isdisjoint(phrases):
                found = True
            else:
                rest = self._unindexed_of(phrases)
                found = bool(rest) and any(p in text for p in rest)
            self._occurs[phrases] = found
        return found

    def occurs(self, phrase: str, text: str) -> bool:
        """Whether ``phrase`` occurs in ``text`` (a dictionary lookup for an indexed phrase)."""
        if self._hits is not None and phrase in self.phrases:
            return phrase in self._hits
        return phrase in text
