"""``auditor compare LAST THIS``: one unit's report against its previous one.

Both reports are audited as ``auditor check`` would (the same checklist choice and
configuration), understood once more for their parts, and compared
(:mod:`auditor.compare`). A report that cannot be read or audited is a user error: one line
naming the file, exit 2. The output is written atomically.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, Location, UsageError

FORMATS = ("text", "json", "html", "markdown")
SUFFIX = {"text": ".txt", "json": ".json", "html": ".html", "markdown": ".md"}


@dataclass(frozen=True)
class CompareArgs:
    last: str
    this: str
    fmt: str = "text"
    output: str | None = None
    copy_share: float | None = None
    checklist: str | None = None
    config: str | None = None
    no_config: bool = False


def _share(args: CompareArgs, config: Any) -> float:
    """``--copy-share``, else the configuration's ``[compare] copy_share``, else the default."""
    from auditor.compare.paired import copy_share

    value = args.copy_share if args.copy_share is not None else copy_share(config)
    if not 0 < float(value) <= 1:
        raise UsageError(f"--copy-share {value} 不在 0 到 1 之间", hint="例如 --copy-share 0.3（即 30%）")
    return float(value)


def _target(args: CompareArgs) -> str | None:
    """The output file: ``--output``, or ``comparison.<format>`` inside it when it is a folder."""
    if args.output and Path(args.output).is_dir():
        return str(Path(args.output) / f"comparison{SUFFIX[args.fmt]}")
    return args.output


def _refuse_inputs(target: str, inputs: tuple[str, ...]) -> None:
    """Never write over an input report, however it is named (same file identity)."""
    for source in inputs:
        try:
            same = Path(target).samefile(source)
        except OSError:
            continue  # the target does not exist yet (or the input is missing: reported later)
        if same:
            raise UsageError(
                f"拒绝写入 {target}：它是被比较的输入报告 {source}",
                location=Location(target),
                hint="换一个 --output 位置",
            )


def _refuse_one_report(last: str, this: str) -> None:
    """Two names of one file, or two files with the same bytes, are one report: nothing to compare."""
    a, b = Path(last), Path(this)
    if not (a.is_file() and b.is_file()):
        return  # a missing file is reported by _audited, with its name
    if a.samefile(b) or (a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()):
        raise UsageError(
            f"两份报告是同一份：{this} 与 {last} 内容完全相同",
            location=Location(this),
            hint="请给出同一单位上一年度和本年度的两份不同报告",
        )


def _audited(path: str, options: Any, checklists: Any) -> tuple[dict[str, Any], Any]:
    from auditor.errors import ReadError
    from auditor.pipeline import audit_source, read_understood

    if not Path(path).is_file():
        raise UsageError("找不到报告文件", location=Location(path), hint="请给出上一年度和本年度两份报告的文件路径")
    import orjson

    from auditor.result import dumps

    report = orjson.loads(dumps(audit_source(path, options, checklists)))  # the JSON contract the deltas read
    if report.get("error"):
        raise AuditorError(
            f"无法比较：{report['error']}",
            location=Location(path),
            hint="用 --checklist 指定报告类型" if report.get("error_code") == "unrecognized" else None,
        )
    try:
        return report, read_understood(path, options)[1]
    except ReadError as exc:
        raise AuditorError(exc.message, location=Location(path), hint=exc.hint) from exc


def run_compare(args: CompareArgs) -> int:
    from auditor.compare.comparison import compare
    from auditor.compare.render import RENDERERS
    from auditor.config import Config, load_config
    from auditor.pipeline import Options, load_for
    from auditor.report.atomic import write_atomic

    if args.fmt not in FORMATS:
        raise UsageError(f"未知的输出格式 {args.fmt!r}", hint=f"可用：{', '.join(FORMATS)}")
    target = _target(args)
    if target:
        _refuse_inputs(target, (args.last, args.this))
    _refuse_one_report(args.last, args.this)
    config = Config() if args.no_config else load_config(args.config)
    share = _share(args, config)
    options = Options(checklist=args.checklist or config.get("checklist"), config=config)
    checklists = load_for(options)
    last_report, last_doc = _audited(args.last, options, checklists)
    this_report, this_doc = _audited(args.this, options, checklists)
    chosen = next((c for c in checklists if c.id == (this_report.get("checklist") or {}).get("id")), None)
    spec = chosen.header.compare if chosen is not None else None
    comparison = compare(last_doc, this_doc, last_report, this_report, spec, share)
    rendered = RENDERERS[args.fmt](comparison)
    if target:
        write_atomic(Path(target), rendered)
    else:
        sys.stdout.write(rendered)
    return 0
