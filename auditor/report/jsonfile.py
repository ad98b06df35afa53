"""JSON: the result dict itself, indented, UTF-8, keys in the order given."""

from __future__ import annotations

import json

from auditor.report.model import Result


def render_json(result: Result) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
