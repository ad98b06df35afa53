"""The strings a page's content stream shows, in order, with the font resource of each: just
enough of a content-stream tokenizer to tell which character a text object holds.

PDFium (:mod:`pdfium_pages`) leaves out of its text a text object of one character whose font
has no outlines (a non-embedded CJK font such as reportlab's STSong-Light: the object is 0 wide),
and it tells neither the character code nor the string. Its text objects come one per
text-showing operator (``Tj``, ``TJ``, ``'``, ``"``), in content order, so the n-th string here
is the n-th text object's. Anything this tokenizer does not know (a literal string with nested
parentheses, ``{``, an unbalanced array) gives ``None``, and the page is read with pdfplumber.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    rb"""
    (?:\s|%[^\r\n]*)*  # white space and comments before the token
    (?:
      \((?P<string>(?:[^()\\]|\\.)*)\)
    | <(?P<hex>[0-9A-Fa-f\s]*)>
    | (?P<open><<|\[) | (?P<close>>>|\])
    | /(?P<name>[^\s()<>\[\]{}/%]*)
    | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
    | (?P<operator>[A-Za-z'"*][A-Za-z0-9'"*]*)
    )?
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\n": b"", b"\r": b""}
_OCTAL = [f"{code:0{width}o}".encode() for width in (1, 2, 3) for code in range(8**width)]
_UNESCAPED = {**{code: bytes([int(code, 8) & 0xFF]) for code in _OCTAL}, **_ESCAPED}
_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"'})

Operand = bytes | str | float | list["Operand"]


def shown_strings(content: bytes) -> list[tuple[str | None, bytes]] | None:
    """(font resource name of the last ``Tf``, string) for each text-showing operator, or ``None``."""
    shown: list[tuple[str | None, bytes]] = []
    font: str | None = None
    stack: list[list[Operand]] = [[]]
    at = 0
    while at < len(content):
        match = _TOKEN.match(content, at)  # a token after white space, or the white space alone
        if match is None:
            return None
        at = match.end()
        kind = match.lastgroup
        if kind is None:
            if at == len(content):
                break
            return None
        if kind == "open":
            stack.append([])
        elif kind == "close":
            if len(stack) < 2:
                return None
            closed = stack.pop()
            stack[-1].append(closed)
        elif kind == "string":
            string = match["string"]
            stack[-1].append(_ESCAPE.sub(_unescape, string) if b"\\" in string else string)
        elif kind == "hex":
            digits = re.sub(rb"\s", b"", match["hex"])
            stack[-1].append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif kind == "name":
            stack[-1].append(match["name"].decode("latin-1"))
        elif kind == "number":
            stack[-1].append(float(match["number"]))
        else:
            operands = stack[-1]
            if len(stack) != 1:
                return None  # an operator inside an array or dictionary
            operator = match["operator"]
            if operator == b"Tf" and len(operands) >= 2 and isinstance(operands[-2], str):
                font = operands[-2]
            elif operator in _SHOW:
                last = operands[-1] if operands else None
                pieces = last if isinstance(last, list) else [last]
                if not all(isinstance(piece, bytes | float) for piece in pieces):
                    return None
                shown.append((font, b"".join(piece for piece in pieces if isinstance(piece, bytes))))
            operands.clear()
    return shown


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match[1]
    unescaped = _UNESCAPED.get(code)
    if unescaped is not None:
        return unescaped
    if code.isdigit():  # a backslash before 8 or 9: int() raises, as it did (the file goes to pdfplumber)
        return bytes([int(code, 8) & 0xFF])
    return code
