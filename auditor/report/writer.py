"""Writing the chosen formats: to stdout, to one file, or into an output folder.

One single-file format goes to ``output`` (a file) or to stdout. html, pdf, card,
card-pdf, or several formats at once go into ``output`` as a folder with fixed file
names (per-report pages are named by unit and year, :func:`naming.report_stems`).
Every file is written atomically, and no input report is ever overwritten.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO
from urllib.parse import quote

from auditor.errors import AuditorError, OutputError, UsageError
from auditor.report.atomic import Payload, make_parents, write_atomic, writing_stdout
from auditor.report.encode import EncodedBatch, json_pieces
from auditor.report.formats import MULTI_FILE, Format, as_batch, renderer
from auditor.report.naming import CARD_SUFFIX, FIXED_NAMES, INDEX_STEM, report_stems
from auditor.report.text import RenderedText
from auditor.result import Batch, Report

if TYPE_CHECKING:
    from auditor.config import CardSettings

Producer = Callable[[], Payload]
#: a run's result as the writer receives it (see :func:`write_outputs`)
Written = Batch | EncodedBatch | RenderedText
Plan = list[tuple[Path, Producer]]

FOLDER_HINT: Final = "用 --output 指定一个文件夹（不存在时会自动创建）"


def write_outputs(
    result: Written | Mapping[str, Any],
    formats: Sequence[Format],
    output: str | None,
    *,
    stdout: TextIO,
    stdout_is_tty: bool = False,
    card: CardSettings | None = None,
    today: date | None = None,
) -> list[str]:
    """Write every format; return the paths written (empty when only stdout was used).

    ``result``: the typed batch; an :class:`EncodedBatch` (reports already encoded by the
    workers) when JSON is the only format, a :class:`RenderedText` when text is; or a
    ``--format json`` document read from a file.
    ``card``: the ``[card]`` settings (issuer, deadline) and ``today`` the audit date of the cards."""
    chosen = list(dict.fromkeys(formats))
    if not chosen:
        raise UsageError("没有选择输出格式", hint="例如 --format text")
    batch = result if isinstance(result, EncodedBatch | RenderedText) else as_batch(result)
    if isinstance(batch, EncodedBatch) and chosen != [Format.json]:
        raise ValueError("pre-encoded reports can only be written as JSON")
    if isinstance(batch, RenderedText) and (chosen != [Format.text] or (output is not None and Path(output).is_dir())):
        raise ValueError("a rendered text report can only be written as one text file")
    single = len(chosen) == 1 and chosen[0] not in MULTI_FILE
    if single and (output is None or not Path(output).is_dir()):
        return _write_single(batch, chosen[0], output, stdout, stdout_is_tty)
    if output is None:
        names = ", ".join(f.value for f in chosen)
        raise UsageError(f"输出格式 {names} 需要一个输出文件夹", hint=FOLDER_HINT)
    return _write_plan(batch, _folder_plan(batch, chosen, Path(output), _CardSpec(card, today)))


def _renderer(batch: Written, fmt: Format) -> Producer:
    if isinstance(batch, EncodedBatch):
        return functools.partial(json_pieces, batch)  # written piece by piece, never joined
    if isinstance(batch, RenderedText):
        return lambda: batch.pieces
    return functools.partial(renderer(fmt), batch)


def _write_single(batch: Written, fmt: Format, output: str | None, stdout: TextIO, tty: bool) -> list[str]:
    if output is None:
        if fmt is Format.xlsx:
            raise UsageError("xlsx 格式需要用 --output 指定文件", hint="例如 --output summary.xlsx")
        _to_stdout(stdout, _stdout_text(batch, fmt, tty))
        return []
    return _write_plan(batch, [(Path(output), _renderer(batch, fmt))])


def _stdout_text(batch: Written, fmt: Format, tty: bool) -> Iterator[str | bytes]:
    """What stdout gets, in pieces (a run's pieces written as they come: JSON or text made in the
    workers is never joined whole in memory), as text or UTF-8 bytes."""
    if fmt is Format.text and tty and isinstance(batch, Batch):
        from auditor.report.text import render_text, terminal_width

        yield render_text(batch, color=True, width=terminal_width())
        return
    data = _renderer(batch, fmt)()
    if isinstance(data, str | bytes):
        yield data
    else:
        yield from data


def _to_stdout(stdout: TextIO, pieces: Iterable[str | bytes]) -> None:
    """Write the pieces to stdout; a failure of the system's (a full disk under ``> file``) is a user error."""
    with writing_stdout():
        _write_stdout(stdout, pieces)


def _write_stdout(stdout: TextIO, pieces: Iterable[str | bytes]) -> None:
    """Write the pieces to stdout: UTF-8 bytes straight into its binary buffer when it encodes UTF-8 and
    translates no newline (the bytes are what it would write: 142 MB of JSON cost 0.24 s of CPU decoded and
    encoded again, 0.07 s as they are), else as text (another encoding, a stream without buffer)."""
    buffer = getattr(stdout, "buffer", None)
    if buffer is not None and os.linesep == "\n" and _encodes_utf8(stdout):
        stdout.flush()
        errors = getattr(stdout, "errors", None) or "strict"
        for piece in pieces:
            buffer.write(piece.encode("utf-8", errors) if isinstance(piece, str) else piece)
        buffer.flush()
        return
    for piece in pieces:
        stdout.write(piece.decode("utf-8") if isinstance(piece, bytes) else piece)
    stdout.flush()


def _encodes_utf8(stream: TextIO) -> bool:
    import codecs

    try:
        return codecs.lookup(stream.encoding or "").name == "utf-8"
    except LookupError:
        return False


class _CardSpec:
    """What the cards need beyond the result: the ``[card]`` settings and the audit date."""

    def __init__(self, settings: CardSettings | None, today: date | None) -> None:
        self.settings = settings
        self.today = today or date.today()


def _folder_plan(batch: Written, chosen: list[Format], folder: Path, card: _CardSpec) -> Plan:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"无法写入输出文件夹 {folder}：它是一个文件，不是文件夹", hint=FOLDER_HINT)
    make_parents(folder / INDEX_STEM)  # the folder itself, once, before any file is planned
    plan: Plan = []
    for fmt in chosen:
        if isinstance(batch, Batch) and fmt in (Format.card, Format.card_pdf):
            plan += _cards_plan(batch, folder, fmt is Format.card_pdf, card)
        elif isinstance(batch, Batch) and fmt in MULTI_FILE:
            plan += _pages_plan(batch, folder, fmt)
        else:
            plan.append((folder / FIXED_NAMES[fmt.value], _renderer(batch, fmt)))
    return plan


def _pages_plan(batch: Batch, folder: Path, fmt: Format) -> Plan:
    """The index plus one scorecard per audited report, as HTML or PDF."""
    from auditor.report.htmlpage import render_index

    suffix = "." + fmt.value
    convert = _pdf_converter() if fmt is Format.pdf else _identity
    entries = batch.reports
    stems = report_stems(entries)
    index_name = INDEX_STEM + suffix
    hrefs = {i: "./" + quote(stems[i] + suffix) for i, r in enumerate(entries) if isinstance(r, Report)}
    html_index = fmt is Format.html
    plan: Plan = [(folder / index_name, lambda: convert(render_index(batch, hrefs, with_script=html_index)))]
    back = "./" + quote(index_name)
    for i in hrefs:
        report = entries[i]
        assert isinstance(report, Report)
        page = functools.partial(_scorecard, batch, report, back, convert)
        plan.append((folder / (stems[i] + suffix), page))
    return plan


def _cards_plan(batch: Batch, folder: Path, pdf: bool, spec: _CardSpec) -> Plan:
    """One card per audited report (``<unit>-<year>.card.html`` / ``.card.pdf``)."""
    from auditor.config import CardSettings

    convert = _pdf_converter() if pdf else _identity
    settings = spec.settings or CardSettings()
    entries = batch.reports
    stems = report_stems(entries)
    suffix = CARD_SUFFIX + (".pdf" if pdf else ".html")
    tool = batch.tool.line
    return [
        (folder / (stems[i] + suffix), functools.partial(_card, r, settings, spec.today, tool, convert))
        for i, r in enumerate(entries)
        if isinstance(r, Report)
    ]


def _card(
    report: Report, settings: CardSettings, today: date, tool: str, convert: Callable[[str], str | bytes]
) -> str | bytes:
    from auditor.report.card import render_card

    return convert(render_card(report, settings, today, tool=tool))


def _scorecard(batch: Batch, report: Report, back: str, convert: Callable[[str], str | bytes]) -> str | bytes:
    from auditor.report.htmlpage import render_scorecards

    return convert(render_scorecards(batch, [report], index_href=back))


def _identity(html: str) -> str | bytes:
    return html


def _pdf_converter() -> Callable[[str], str | bytes]:
    from auditor.report.pdf import html_to_pdf

    return html_to_pdf  # without WeasyPrint each PDF fails alone; the other formats are still written


def _write_plan(batch: Written, plan: Plan) -> list[str]:
    """Write every (path, producer) atomically, after refusing any path that is an input.

    One output that cannot be made (a missing optional library, a full disk) does not stop
    the others: every other file is written, then the failures are raised together."""
    refuse_inputs(_input_paths(batch), [path for path, _ in plan])
    written: list[str] = []
    failures: list[AuditorError] = []
    for path, produce in plan:
        try:
            write_atomic(path, produce())
        except AuditorError as exc:
            failures.append(exc)
            continue
        written.append(str(path))
    if failures:
        raise _joined(failures)
    return written


def _joined(failures: list[AuditorError]) -> AuditorError:
    """One error for several failed outputs; the same one repeated (e.g. no PDF library) once."""
    unique = list(dict.fromkeys(str(f) for f in failures))
    if len(unique) == 1:
        return failures[0]
    return OutputError("\n".join(unique))


def _input_paths(batch: Written) -> list[str]:
    if isinstance(batch, RenderedText):
        return [s for s in batch.sources if s]
    sources = list(batch.sources) if isinstance(batch, EncodedBatch) else [r.source for r in batch.reports]
    sources += [s.source for s in batch.skipped]
    return [s for s in sources if s]


def _file_id(path: str) -> tuple[int, int] | None:
    try:  # once per input of a batch: no Path built, unless the name needs pathlib's reading ("x.txt/")
        st = os.stat(path)  # noqa: PTH116
    except (OSError, ValueError):
        try:
            st = Path(path).stat()
        except OSError:
            return None
    return st.st_dev, st.st_ino


def refuse_inputs(sources: list[str], targets: list[Path]) -> None:
    """Refuse to write any target that is one of the input reports (however it is named:
    by file identity, through links and other spellings)."""
    inputs: dict[tuple[int, int], str] | None = None  # identity → the first input with it, once
    for target in targets:
        try:
            st = target.stat()
        except OSError:
            continue  # nothing there yet: no input can be it
        if inputs is None:  # a target exists (e.g. a second run into the same folder): every input, once
            inputs = {}
            for source in sources:
                if (identity := _file_id(source)) is not None:
                    inputs.setdefault(identity, source)
        clash = inputs.get((st.st_dev, st.st_ino))  # same file, however named
        if clash is not None:
            raise OutputError(f"拒绝写入 {target}：它是被核查的输入报告 {clash}", hint="换一个 --output 位置")
