"""``auditor config``: the effective configuration and where each value came from."""

from __future__ import annotations

from auditor.config import Config, Profile, load_config

DEFAULTS = {
    "checklist": "auto-selection among bundled checklists (title, headings, body)",
    "formats": ["text"],
    "fail_under": None,
    "fail_on": [],
    "jobs": "all cores",
    "max_chars": 20_000_000,
    "output": None,
    "rules_paths": [],
}


def _origin(config: Config, key: str) -> str:
    if key not in config.values:
        return "default"
    return config.origins.get(key) or config.path or "default"


def _profile_lines(profile: Profile, config: Config, prefix: str = "") -> list[str]:
    def source(key: str) -> str:
        return config.origins.get(prefix + key) or config.path or ""

    lines = [
        f"  param   {name:<10} = {value!r}   # {source('params.' + name)}" for name, value in profile.params.items()
    ]
    lines += [
        f"  disable {rid:<10} reason: {reason}   # {source('disable.' + rid)}"
        for rid, reason in profile.disable.items()
    ]
    for rid, o in profile.rules.items():
        weight = o.weight if o.weight is None or not o.weight.is_integer() else int(o.weight)
        changes: dict[str, object] = {
            k: v
            for k, v in (("weight", weight), ("severity", o.severity and o.severity.value), ("blocking", o.blocking))
            if v is not None
        }
        changes.update(o.params)
        lines.append(f"  rule    {rid:<10} {changes}   # {source('rules.' + rid)}")
    return lines


def describe(config: Config) -> list[str]:
    lines = [f"configuration file: {config.path or '(none found; defaults apply)'}"]
    if len(config.files) > 1:
        lines.append("files read, in order (later ones win): " + " → ".join(config.files))
    lines.append("")
    for key, default in DEFAULTS.items():
        value = config.values.get(key, default)
        if key == "checklist" and "checklist" not in config.values and config.values.get("rules_paths"):
            value = "(replaced by rules_paths)"
        lines.append(f"{key:<12} = {value!r:<40} # {_origin(config, key)}")
    for key in ("year", "level"):  # shown only when set: by default each report's own is read
        if key in config.values:
            lines.append(f"{key:<12} = {config.values[key]!r:<40} # {_origin(config, key)}")
    share = (config.values.get("compare") or {}).get("copy_share")
    if share is not None:  # shown only when set (auditor compare; default 0.3)
        lines.append(f"{'compare.copy_share':<12} = {share!r:<40} # {config.path}")
    for key, value in (config.values.get("card") or {}).items():  # the one-page card's issuer / deadline
        lines.append(f"{'card.' + key:<12} = {value!r:<40} # {_origin(config, 'card')}")
    if config.base.disable or config.base.rules or config.base.params:
        lines += ["", "for every report:", *_profile_lines(config.base, config)]
    for level, profile in config.profiles.items():
        lines += [
            "",
            f"profile {level} (reports whose level is {level}):",
            *_profile_lines(profile, config, f"profiles.{level}."),
        ]
    return lines


def show_config(explicit: str | None) -> None:
    config = load_config(explicit)
    if config.path:
        _validate_against_checklist(config)
    print("\n".join(describe(config)))


def _validate_against_checklist(config: Config) -> None:
    """Fail early (exit 2) when the configuration names unknown rules or bad parameters."""
    from auditor.config import apply_profile
    from auditor.selection import checklist_for

    checklist = checklist_for((), None, config)  # rules_paths relative to the configuration file, wherever we run
    apply_profile(checklist, config.base, config.path or "")
    for profile in config.profiles.values():
        apply_profile(checklist, profile, config.path or "")
