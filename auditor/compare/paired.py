"""The comparison of a report with last year's once the pairing chose it: both files read again
(follow-through and copying need their texts; the caller reads them as their audit did:
``pipeline.read_understood``) and compared, the pairing's grounds added.

One code path for ``auditor check --previous`` (``commands/yoy.py``) and the workbench
(``workbench/yoy.py``): both give the audited JSON of the two reports and their files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.document import Document


def failure(exc: BaseException) -> str:
    """Why comparing a pair failed, in a warning's words (one failed comparison costs only itself)."""
    from auditor.deadline import ReportTimeout
    from auditor.errors import AuditorError

    if isinstance(exc, ReportTimeout):
        return f"超过 {exc.seconds:g} 秒仍未完成"
    return exc.message if isinstance(exc, AuditorError) else f"内部错误 {type(exc).__name__}"


def copy_share(config: Any) -> float:
    """The share above which a copy is flagged: ``[compare] copy_share`` of the configuration, else the default."""
    from auditor.compare.copying import DEFAULT_SHARE

    value = (config.get("compare") or {}).get("copy_share") if config is not None else None
    return DEFAULT_SHARE if value is None else float(value)


def _spec(checklists: Sequence[Any], checklist_id: str | None) -> Any:
    chosen = next((c for c in checklists if c.id == checklist_id), None)
    return chosen.header.compare if chosen is not None else None


def compare_pair(
    this: Mapping[str, Any],
    this_doc: Document,
    last: Mapping[str, Any],
    last_doc: Document,
    origin: str,
    inferred: Sequence[str],
    checklists: Sequence[Any],
    share: float,
) -> dict[str, Any]:
    """The ``comparison`` entry of ``this`` (the compare JSON of ``auditor compare``, plus
    ``pairing``: where last year's report came from and what the pairing rests on)."""
    from auditor.compare.comparison import compare
    from auditor.compare.model import to_dict
    from auditor.compare.pairing import inferred_doubt, inferred_note

    spec = _spec(checklists, (this.get("checklist") or {}).get("id"))
    note = inferred_note(inferred, (last.get("metadata") or {}).get("unit"), (this.get("metadata") or {}).get("unit"))
    doubt = inferred_doubt(inferred)
    out = to_dict(compare(last_doc, this_doc, dict(last), dict(this), spec, share, doubt))
    if note:
        out["notes"] = [*out["notes"], note]
    out["pairing"] = {"from": origin, "inferred": list(inferred), "note": note}
    return out
