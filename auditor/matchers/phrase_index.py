"""One Aho-Corasick pass finds every exact phrase of a checklist in a document.

The automaton is built once per checklist (all phrases of all ``phrases`` leaves,
normalised); :meth:`PhraseIndex.scan` runs it over one document and returns, for each
phrase, where it occurs. Rules then look their phrases up instead of searching again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


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

    def _compiled(self) -> Any:
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for p in self.phrases:
                automaton.add_word(p, (p, len(p) - 1))  # a match's end minus this is where it starts
            if self.phrases:
                automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def for_text(self, text: str) -> PhraseIndex:
        """A copy holding the occurrences of every phrase in ``text`` (the automaton is shared)."""
        occurrences: dict[str, list[int]] = defaultdict(list)
        if self.phrases:
            for end, (phrase, back) in self._compiled().iter(text):
                occurrences[phrase].append(end - back)
        return PhraseIndex(self.phrases, self._compiled(), dict(occurrences), self.split, self._unindexed)

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
