"""``collect_inputs``: expand the files and folders given on the command line into report files.

Folders are walked recursively in sorted order without following a symlink back into a
folder being walked, nor up to a folder holding one given (``..``, ``/``, the home folder:
walking it would walk the whole disk); hidden entries, Office lock files, non-report files (images, archives,
executables, data and code files) and anything inside an excluded folder (the --output
folder) are skipped with a reason. A path that does not exist is kept, so that reading it
reports "file not found" instead of it vanishing silently.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.readers.magic import ZIP_MAGIC, binary_kind
from auditor.readers.model import Skipped
from auditor.readers.source import STDIN_PATH

REPORT_SUFFIXES = frozenset(
    {
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".docx",
        ".docm",
        ".dotx",
        ".doc",
        ".dot",
        ".wps",
        ".wpt",
        ".rtf",
        ".pdf",
        ".html",
        ".htm",
        ".shtml",
        ".xhtml",
        ".ofd",
    }
)
_SUFFIX_CATEGORIES = {
    "图片": ".png .jpg .jpeg .jpe .gif .bmp .tif .tiff .webp .svg .ico .heic .heif .psd .raw",
    "压缩包": ".zip .rar .7z .gz .tgz .bz2 .xz .tar .zst .cab .iso .jar",
    "可执行程序": ".exe .dll .so .dylib .msi .bin .app .dmg .apk .deb .rpm .com .class",
    "表格或演示文稿": ".xls .xlsx .xlsm .et .ods .ppt .pptx .dps .odp .key",
    "音频或视频": ".mp3 .mp4 .m4a .wav .avi .mov .mkv .flv .wmv .ogg .flac .aac",
    "数据或代码文件": ".csv .tsv .json .xml .yaml .yml .py .js .css .ini .cfg .toml .sql .sh .bat .ps1 .log",
    "临时文件": ".tmp .temp .bak .swp .part .crdownload",
    "字体文件": ".ttf .otf .woff .woff2",
    "数据库文件": ".db .sqlite .mdb .accdb",
}
SKIPPED_SUFFIXES = {
    suffix: category for category, suffixes in _SUFFIX_CATEGORIES.items() for suffix in suffixes.split()
}
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "__macosx"})
_SNIFF_BYTES = 1024


def collect_inputs(paths: list[str], *, exclude: Iterable[str] = ()) -> tuple[list[str], list[Skipped]]:
    """Expand ``paths`` into report files (in a stable order) and the entries skipped."""
    collector = _Collector(excluded=[_real(path) for path in exclude])
    for path in paths:
        collector.add_argument(path)
    return collector.files, collector.skipped


def _real(path: str) -> str:
    return os.path.realpath(path)


def in_output(path: str, output: str) -> bool:
    """Whether the input ``path`` lies in the output folder ``output``, or is that folder: every
    report in it would be skipped as one of our outputs (``check reports -o .``). A missing path is
    not: reading it says so."""
    if not os.path.lexists(path):
        return False
    real, folder = _real(path), _real(output)
    return _within(real, folder) and (real != folder or Path(folder).is_dir())


def _within(real: str, folder: str) -> bool:
    """Whether the real path ``real`` is the real folder ``folder`` or lies inside it."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def is_lock_file(name: str) -> bool:
    """Office/WPS (``~$x.docx``) and LibreOffice (``.~lock.x.docx#``) lock files."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def non_report_category(path: str) -> str | None:
    """Why ``path`` is not a report file (by extension, then by content), or None."""
    name = os.path.basename(path)  # noqa: PTH119 - once per file of a batch: no Path built
    suffix = _suffix(name).lower()
    if name.lower() in _SYSTEM_FILES:
        return "系统文件"
    if suffix in REPORT_SUFFIXES:
        return None
    if suffix in SKIPPED_SUFFIXES:
        return SKIPPED_SUFFIXES[suffix]
    return _sniffed_category(path)


def _suffix(name: str) -> str:
    """``PurePath(name).suffix`` of a file name, without building a path (once per file of a batch)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _sniffed_category(path: str) -> str | None:
    head = _head(path)
    if head is None:
        return None  # not a regular file, or unreadable: reading it will report the problem
    kind = binary_kind(head)
    if kind is not None:
        return kind.category
    if head.startswith(ZIP_MAGIC) and not _is_report_zip(path):
        return "压缩包"
    return None


def _head(path: str) -> bytes | None:
    """The first bytes of a regular file; None for anything else. Never waits on a named pipe
    or a device (opened non-blocking, checked after opening)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return os.pread(descriptor, _SNIFF_BYTES, 0)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _is_report_zip(path: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name.lower() for name in archive.namelist()]
    except Exception:
        return True  # a damaged docx/ofd: let reading it explain
    return "ofd.xml" in names or any(name.startswith("word/") for name in names)


def _stat_key(path: str | os.DirEntry[str]) -> tuple[int, int] | None:
    """The identity of a file (a folder entry's is looked up once and kept by the entry)."""
    try:
        status = path.stat() if isinstance(path, os.DirEntry) else os.stat(path)  # noqa: PTH116
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _dangling_reason(path: str) -> str:
    try:
        Path(path).stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "符号链接循环"
        return "符号链接指向的文件不存在"
    return "不是普通文件"


@dataclass
class _Collector:
    excluded: list[str]
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seen_files: set[tuple[int, int]] = field(default_factory=set)
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)
    real_dirs: dict[str, str] = field(default_factory=dict)
    #: the real paths of the folders given, walked
    tops: list[str] = field(default_factory=list)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(Skipped(path, reason))

    def is_excluded(self, path: str, real: str | None = None) -> bool:
        if not self.excluded:
            return False
        real = real or _real(path)
        return any(_within(real, ex) for ex in self.excluded)

    def add_argument(self, path: str) -> None:
        if path == STDIN_PATH and STDIN_PATH in self.files:
            self.skip(path, "标准输入已列入")  # one standard input: `-` given twice is read once
        elif path == STDIN_PATH or not os.path.lexists(path):
            self.files.append(path)
        elif Path(path).is_dir():
            self.walk(path)
        else:
            self.add_file(path)

    def add_file(self, path: str, real: str | None = None, entry: os.DirEntry[str] | None = None) -> None:
        if is_lock_file(os.path.basename(path)):  # noqa: PTH119
            return self.skip(path, "Office/WPS 临时锁定文件")
        if self.is_excluded(path, real):
            return self.skip(path, "位于输出文件夹内")
        category = non_report_category(path)
        if category is not None:
            return self.skip(path, f"不是报告文件（{category}）")
        key = _stat_key(entry if entry is not None else path)
        if key is not None and key in self.seen_files:
            return self.skip(path, "同一文件已列入")
        if key is not None:
            self.seen_files.add(key)
        self.files.append(path)
        return None

    def walk(self, top: str) -> None:
        """Depth-first in sorted order, never re-entering a folder on the current path."""
        key = self.enter(top, frozenset())
        if key is None:
            return
        self.tops.append(self.real_dir(top))
        stack = [(iter(self.entries(top)), top, frozenset({key}))]
        while stack:
            entries, folder, ancestors = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            path = os.path.join(folder, entry.name)  # noqa: PTH118 - keep the path as given
            if not self.classify(entry, path):
                continue
            if _safe(entry.is_symlink) and self.holds_a_top(self.real_dir(path)):
                self.skip(path, "符号链接循环")
                continue
            key = self.enter(path, ancestors)
            if key is not None:
                stack.append((iter(self.entries(path)), path, ancestors | {key}))

    def enter(self, folder: str, ancestors: frozenset[tuple[int, int]]) -> tuple[int, int] | None:
        """The identity of ``folder`` if it is to be walked, else None (and why, recorded)."""
        key = _stat_key(folder)
        if key is None:
            self.skip(folder, _dangling_reason(folder))
        elif key in ancestors:
            self.skip(folder, "符号链接循环")
        elif key in self.seen_dirs:
            self.skip(folder, "同一文件夹已列入")
        elif self.is_excluded(folder):
            self.skip(folder, "位于输出文件夹内")
        else:
            self.seen_dirs.add(key)
            return key
        return None

    def holds_a_top(self, real: str) -> bool:
        """Whether the folder at ``real`` is a folder given or one holding it (a link up)."""
        return any(_within(top, real) for top in self.tops)

    def real_dir(self, folder: str) -> str:
        if folder not in self.real_dirs:
            self.real_dirs[folder] = _real(folder)
        return self.real_dirs[folder]

    def real_file(self, path: str, entry: os.DirEntry[str]) -> str:
        """``os.path.realpath`` of a walked file, with one realpath per folder instead of one per file: a
        plain file's is its folder's plus its name; a symbolic link's, its target's folder's plus the
        target's name (unless that is a link again, or no name: then realpath itself)."""
        folder = self.real_dir(os.path.dirname(path))  # noqa: PTH120
        if not _safe(entry.is_symlink):
            return os.path.join(folder, entry.name)  # noqa: PTH118
        try:
            # the kernel reads a relative target from the folder the link is really in
            head, name = os.path.split(os.path.join(folder, os.readlink(path)))  # noqa: PTH115,PTH118
        except OSError:
            return _real(path)
        real = os.path.join(self.real_dir(head), name) if name not in ("", ".", "..") else None  # noqa: PTH118
        return real if real is not None and not os.path.islink(real) else _real(path)  # noqa: PTH114

    def entries(self, folder: str) -> list[os.DirEntry[str]]:
        """The entries of ``folder`` sorted by name ([] if it cannot be listed)."""
        try:
            with os.scandir(folder) as scan:
                return sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            denied = isinstance(exc, PermissionError)
            self.skip(folder, "无权读取该文件夹" if denied else "无法列出文件夹内容")
            return []

    def classify(self, entry: os.DirEntry[str], path: str) -> bool:
        """Handle one folder entry; True when it is a folder to descend into."""
        is_dir = _safe(entry.is_dir)
        if entry.name.startswith(".") and not is_lock_file(entry.name):
            self.skip(path, "隐藏文件夹" if is_dir else "隐藏文件")
        elif entry.name.lower() in _SYSTEM_FILES:
            self.skip(path, "系统文件")
        elif is_dir:
            return True
        elif _safe(entry.is_file):
            self.add_file(path, self.real_file(path, entry) if self.excluded else None, entry)
        else:
            self.skip(path, _dangling_reason(path))
        return False


def _safe(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except OSError:
        return False
