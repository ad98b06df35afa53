"""How big a rule regex becomes when compiled: counted repetitions are unrolled.

The `regex` engine's timeout bounds matching, not compiling, and compiling unrolls counted
repetitions of groups: ``(?:a{1000}){1000}`` takes 0.3 GB, one more level takes minutes and
tens of GB. So a rule file could exhaust memory before any report is read. ``unrolled_size``
estimates the compiled size from the pattern text alone (every item counted, each ``{m,n}``
multiplying what it repeats by its bound), and ``compile_regex`` refuses a pattern above
``MAX_UNROLLED``: a located rule-file error instead of an exhausted machine.
"""

from __future__ import annotations

import re

from auditor.matchers.anchors import _class_end as class_end

MAX_UNROLLED = 100_000  # items after unrolling; (?:(?:ab){300}){300} (180,000) compiles in 40 MB
_COUNT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_GROUP_PREFIX = re.compile(r"\?(?:<[=!]|P?<\w+>|P[=>]\w+|[:=!>|#]|[a-zA-Z-]*:?)")
_BRACED_ESCAPE = set("pPNxuUgk")  # \p{Han}, \N{…}, \x{…}, \g{…}: the braces are not a repetition


def unrolled_size(pattern: str) -> int:
    """The number of items ``pattern`` compiles to with counted repetitions unrolled (an upper
    estimate: alternatives are added, lookarounds and group syntax count as items)."""
    frames: list[list[int]] = [[0, 0]]  # per open group: [total so far, size of the last item]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        frame = frames[-1]
        if ch == "(":
            frames.append([0, 0])
            prefix = _GROUP_PREFIX.match(pattern, i + 1)  # (?:  (?P<name>  (?<=  (?i: … are syntax
            i = prefix.end() if prefix else i + 1
            continue
        if ch == ")" and len(frames) > 1:
            size = frames.pop()[0]
            frames[-1][0] += size
            frames[-1][1] = size
            i += 1
            continue
        count = _COUNT.match(pattern, i) if ch == "{" else None
        if count is not None and (count.group(1) or count.group(2)):
            low = int(count.group(1) or 0)
            # {m,}: m copies, then a loop
            high = int(count.group(2)) if count.group(2) else (low + 1 if "," in count.group(0) else low)
            bound = max(low, high, 1)
            frame[0] += frame[1] * (bound - 1)
            frame[1] *= bound
            i = count.end()
            continue
        if ch == "\\":
            end = i + 2
            if pattern[i + 1 : i + 2] in _BRACED_ESCAPE and pattern[end : end + 1] == "{":
                close = pattern.find("}", end)
                end = close + 1 if close != -1 else n
            i = end
        elif ch == "[":
            i = class_end(pattern, i)
        else:
            i += 1
        if ch in "*+?|":
            continue  # loops and alternation are not unrolled
        frame[0] += 1
        frame[1] = 1
    total = frames[0][0]
    while len(frames) > 1:  # unbalanced: the compiler rejects it anyway
        total += frames.pop()[0]
    return total
