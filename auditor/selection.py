"""Which checklist a run uses: decided here once, for every command.

The command line wins over the configuration file, which wins over the defaults:
``--rules`` (else the configuration's ``rules_paths``, relative to its own file) is one
custom checklist; else ``--checklist`` (else the configuration's ``checklist``); else every
bundled checklist, so that each report picks the one that fits (``auto``), or the default one
where a command needs exactly one.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.checklist import Checklist
from auditor.config import Config
from auditor.loader import DEFAULT_CHECKLIST, load_bundled, load_checklist


def chosen_paths(rules: Sequence[str], config: Config) -> list[str]:
    """The custom rule files of a run: ``--rules``, else the configuration's ``rules_paths``
    (made absolute against the configuration file by :meth:`Config.get`)."""
    return list(rules) or list(config.get("rules_paths", []))


def chosen_name(checklist: str | None, config: Config) -> str | None:
    """``--checklist``, else the configuration's ``checklist`` (a path relative to its file)."""
    return checklist or config.get("checklist")


def checklists_for(rules: Sequence[str], checklist: str | None, config: Config) -> list[Checklist]:
    """The checklists a report may be audited against: the chosen one, or every bundled one."""
    paths = chosen_paths(rules, config)
    if paths:
        return [load_checklist(paths)]
    name = chosen_name(checklist, config)
    return [load_checklist(name)] if name else load_bundled()


def checklist_for(rules: Sequence[str], checklist: str | None, config: Config, rule_id: str | None = None) -> Checklist:
    """The one checklist of a command about rules (list, explain, config): the chosen one, else the
    bundled one that has ``rule_id`` (GIA-STR-02: 政府信息公开), else the default."""
    paths = chosen_paths(rules, config)
    if paths:
        return load_checklist(paths)
    name = chosen_name(checklist, config)
    if name is None and rule_id is not None:
        having = next((c for c in load_bundled() if any(r.id == rule_id for r in c.rules)), None)
        if having is not None:
            return having
    return load_checklist(name or DEFAULT_CHECKLIST)
