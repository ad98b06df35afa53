"""Command-line usage errors (unknown option, missing argument, bad value …) as one Chinese line.

The command-line parser (click, inside typer) reports these in English over three lines; a clerk
gets instead what every other error of ours looks like::

    auditor: error: 没有选项 --bogus（提示：是否想用 --jobs？运行 auditor check --help 查看用法）

The exit code stays 2 (a user error). The parser's exception is read by duck typing (its class
name and attributes), so this works with click and with typer's vendored copy of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_CLICK_MODULES = ("click.exceptions", "typer._click.exceptions")

# the messages of pydantic (typer converts option values with it) and click, for the usual cases
_VALUE_PROBLEMS = (
    (re.compile(r"'(.*)' is not one of (.+?)\.?$"), "{0} 不是可用的值（可用的值：{1}）"),
    (re.compile(r"valid integer"), "应为整数"),
    (re.compile(r"valid number"), "应为数字"),
    (re.compile(r"valid boolean"), "应为 true 或 false"),
    (re.compile(r"greater than or equal to (\S+)"), "应不小于 {0}"),
    (re.compile(r"greater than (\S+)"), "应大于 {0}"),
    (re.compile(r"less than or equal to (\S+)"), "应不大于 {0}"),
    (re.compile(r"less than (\S+)"), "应小于 {0}"),
    (re.compile(r"Input should be (.+)$"), "应为 {0}"),
    (re.compile(r"does not exist"), "不存在"),
    (re.compile(r"is a directory"), "是文件夹，不是文件"),
    (re.compile(r"is a file"), "是文件，不是文件夹"),
    (re.compile(r"is not readable"), "无法读取"),
    (re.compile(r"is not writable"), "无法写入"),
)
_NO_COMMAND = re.compile(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?")
_EXTRA = re.compile(r"Got unexpected extra arguments? \((.*)\)")
_REQUIRES = re.compile(r"requires (?:an argument|\d+ arguments)")
_TAKES_NO_VALUE = re.compile(r"does not take a value")


def is_usage_error(exc: BaseException) -> bool:
    """A usage error of the command-line parser (exit code 2), not one of ours."""
    return type(exc).__module__ in _CLICK_MODULES and getattr(exc, "exit_code", None) == 2


def shows_help(exc: BaseException) -> bool:
    """``auditor`` or ``auditor rules`` without a command: the parser prints the help instead."""
    return type(exc).__name__ == "NoArgsIsHelpError"


def usage_message(exc: Any) -> str:
    """The one line for a usage error: what is wrong, and a hint with the command's ``--help``."""
    kind = type(exc).__name__
    command = getattr(getattr(exc, "ctx", None), "command_path", None) or "auditor"
    hint = f"运行 {command} --help 查看用法"
    text = " ".join(str(getattr(exc, "message", "") or exc).split())
    if kind == "NoSuchOption":
        near = sorted(getattr(exc, "possibilities", None) or ())
        wanted = f"是否想用 {'、'.join(near)}？" if near else ""
        return _line(f"没有选项 {getattr(exc, 'option_name', text)}", wanted + hint)
    if kind == "MissingParameter":
        what = "参数" if getattr(getattr(exc, "param", None), "param_type_name", "") == "argument" else "选项"
        return _line(f"缺少{what} {_param(exc)}".rstrip(), hint)
    if kind == "BadParameter":
        return _line(f"{_param(exc)} 的值无效：{_value_problem(text)}", hint)
    if kind == "BadOptionUsage":
        option = getattr(exc, "option_name", "")
        if _REQUIRES.search(text):
            return _line(f"选项 {option} 需要一个值", hint)
        if _TAKES_NO_VALUE.search(text):
            return _line(f"选项 {option} 不接受值", hint)
    if m := _NO_COMMAND.fullmatch(text):
        wanted = f"是否想用 {m.group(2)}？" if m.group(2) else ""
        return _line(f"没有命令 {m.group(1)}", wanted + hint)
    if m := _EXTRA.fullmatch(text):
        return _line(f"多余的参数：{m.group(1)}", hint)
    if text == "Missing command.":
        return _line("缺少子命令", hint)
    return _line(f"命令行用法有误：{text}", hint)


def _line(problem: str, hint: str) -> str:
    return f"auditor: error: {problem}（提示：{hint}）"


def _param(exc: Any) -> str:
    """The option or argument the error is about, as the user typed it (``--jobs`` / ``-j``, ``PATHS``)."""
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:  # click's takes the context, typer's copy does not
            hint = param.get_error_hint(getattr(exc, "ctx", None))
        except TypeError:
            hint = param.get_error_hint()
    if isinstance(hint, str):
        return hint.replace("'", "")
    if isinstance(hint, Sequence):
        return " / ".join(str(h).replace("'", "") for h in hint)
    return ""


def _value_problem(text: str) -> str:
    for pattern, chinese in _VALUE_PROBLEMS:
        if m := pattern.search(text):
            return chinese.format(*m.groups())
    return text
