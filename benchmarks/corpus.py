"""Benchmark inputs for issue 7, generated from the five seed reports in fixtures/seeds/.

* ``make_corpus``: N unique reports. Each copy takes one seed and gets a new place name, a
  shifted report year (every year and date moved together, plan periods such as 2021—2025
  kept), shifted counts, a few sentences swapped in from the other seeds and one unique
  sentence with a random id, so no cache of identical texts can help. About 5 % are written
  in GB18030, as many government sites still serve them, so charset fallback is exercised.
* ``make_long``: one seed with its body repeated 1×, 10×, 100× under one title and chrome.
* ``make_rules_10x``: the default checklist with 9 clones of every rule (ids like STR-01-C3),
  each clone's patterns and phrases given a distinct, realistic extra alternative.
* ``make_tiny``: an almost empty report, to measure the fixed start-up cost of a run.

Run ``python benchmarks/corpus.py [--n 1000] [--out DIR]`` to look at the corpus alone.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
CHECKLIST = ROOT / "auditor" / "checklists" / "fazhi"
DEFAULT_OUT = Path(__file__).resolve().parent / ".corpus"

# The place name of each seed, as it appears in the text (unit names are built from it).
PLACES = {"000": "张渚", "001": "双塔", "002": "河堰", "003": "白鹤", "004": "周铁"}
SYLLABLES = "安宝碧昌城川东丰凤福广和河华黄江金锦桥兰林龙梅明南宁平青清庆瑞山石泰桃天湾溪新阳永云长枫柳竹松"
YEAR = re.compile(r"(?<![\d\-—~至])(20[12]\d)(?=\s*(?:年(?!\s*[\-—~至]\s*20)|-\d\d-\d\d|/\d\d?/\d\d?))")
COUNT = re.compile(r"(?<![\d.\-/])(\d{1,4})(?=\s*(?:余|多)?\s*(?:次|件|名|场|份|个|项|人|篇|期|户|起))")
LEAP_DAY = re.compile(r"(20\d\d)(?:-02-29|年2月29日)")
SENTENCE = re.compile(r"[^。\n]{12,120}。")
UNIQUE = (
    "本报告登记编号为{rid}，由{place}法治建设领导小组办公室汇总。",
    "{place}在年度法治建设考核中形成台账{rid}，全部资料已归档备查。",
    "按照督察要求，{place}将本年度法治工作材料编入卷宗{rid}。",
)


@dataclass(frozen=True)
class Seed:
    key: str
    text: str

    @property
    def place(self) -> str:
        return PLACES[self.key]


def load_seeds() -> list[Seed]:
    seeds = [Seed(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    if not seeds:
        raise SystemExit(f"no seed reports in {SEEDS}")
    return seeds


def _place_name(rng: random.Random) -> str:
    return "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3))))


def _shift_years(text: str, delta: int) -> str:
    if not delta:
        return text
    text = YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)
    # 29 February exists only in leap years
    return LEAP_DAY.sub(
        lambda m: m.group(0) if int(m.group(1)) % 4 == 0 else m.group(1) + m.group(0)[4:].replace("29", "28"), text
    )


def _shift_counts(text: str, rng: random.Random) -> str:
    return COUNT.sub(lambda m: str(max(1, int(m.group(1)) + rng.randint(-2, 5))), text)


def _swap_sentences(text: str, donors: list[str], rng: random.Random, k: int = 3) -> str:
    """Replace k sentences of the body by sentences taken from the other seeds."""
    spans = [m.span() for m in SENTENCE.finditer(text)]
    pool = [m.group(0) for d in donors for m in SENTENCE.finditer(d)]
    if len(spans) < 2 * k or not pool:
        return text
    chosen = sorted(rng.sample(spans[len(spans) // 5 :], k), reverse=True)
    for start, end in chosen:
        text = text[:start] + rng.choice(pool) + text[end:]
    return text


def _insert_unique(text: str, place: str, rid: str, rng: random.Random) -> str:
    sentence = rng.choice(UNIQUE).format(place=place, rid=rid)
    spans = [m.end() for m in SENTENCE.finditer(text)]
    at = spans[len(spans) // 3] if spans else len(text)
    return text[:at] + sentence + text[at:]


def unique_report(seeds: list[Seed], i: int, rng: random.Random) -> str:
    seed = seeds[i % len(seeds)]
    place = _place_name(rng)
    donors = [s.text.replace(s.place, place) for s in seeds if s is not seed]
    text = seed.text.replace(seed.place, place)
    text = _swap_sentences(text, donors, rng)
    text = _shift_counts(text, rng)
    text = _shift_years(text, rng.choice((-1, 0, 0, 1)))
    return _insert_unique(text, place, f"BM{i:05d}-{rng.getrandbits(32):08x}", rng)


def make_corpus(out: Path, n: int, seed: int = 7, gbk_share: float = 0.05) -> list[Path]:
    """Write n unique reports into ``out`` (emptied first); return their paths in order."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    seeds = load_seeds()
    paths = []
    for i in range(n):
        text = unique_report(seeds, i, rng)
        path = out / f"r{i:05d}.txt"
        encoding = "gb18030" if rng.random() < gbk_share else "utf-8"
        path.write_bytes(text.encode(encoding))
        paths.append(path)
    return paths


def make_long(out: Path, factors: tuple[int, ...] = (1, 10, 100), seed_key: str = "000") -> dict[int, Path]:
    """One seed with its body repeated; chrome (lines before the first paragraph) kept once."""
    out.mkdir(parents=True, exist_ok=True)
    seed = next(s for s in load_seeds() if s.key == seed_key)
    lines = seed.text.splitlines(keepends=True)
    first_para = next(i for i, line in enumerate(lines) if len(line) > 80)
    head, body = "".join(lines[:first_para]), "".join(lines[first_para:])
    paths = {}
    for f in factors:
        path = out / f"long_{f:03d}x.txt"
        path.write_text(head + "\n".join([body] * f), encoding="utf-8")
        paths[f] = path
    return paths


def make_tiny(out: Path) -> Path:
    """The smallest input that is still audited: a title and one paragraph (start-up cost)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "tiny.txt"
    path.write_text(
        "某镇2023年法治政府建设情况报告\n\n2023年，我镇坚持依法行政，全年开展普法宣传活动12次，受理行政复议案件3件。\n",
        encoding="utf-8",
    )
    return path


# ---------------------------------------------------------------------- 10x rules

VARIANTS = (
    "法治督察",
    "合规审查",
    "执法监督",
    "法律援助",
    "人民调解",
    "公平竞争审查",
    "行政调解",
    "信用监管",
    "包容审慎",
    "首违不罚",
)
CLASSES = ("[^。;]{0,6}", "[^。;,]{0,4}", "[^。]{0,8}", "[^。;,0-9]{0,5}", "[^。;]{0,3}")


def _variant(k: int, j: int) -> str:
    """A distinct alternative for clone k's j-th pattern: phrase + character class + phrase."""
    return f"{VARIANTS[(k + j) % len(VARIANTS)]}{CLASSES[k % len(CLASSES)]}(情况|工作|制度)第{k}{j}项"


def _wrap(pattern: str, extra: str) -> str:
    flags = re.match(r"\(\?[a-zA-Z]+\)", pattern)
    prefix = flags.group(0) if flags else ""
    return f"{prefix}(?:{pattern[len(prefix) :]})|{extra}"


def _vary(node: Any, k: int, counter: list[int]) -> Any:
    """Copy a match expression with every regex, heading and phrase list made distinct."""
    if isinstance(node, list):
        return [_vary(x, k, counter) for x in node]
    if not isinstance(node, dict):
        return node
    out = {key: _vary(value, k, counter) for key, value in node.items()}
    if isinstance(node.get("patterns"), list):
        out["patterns"] = []
        for p in node["patterns"]:
            counter[0] += 1
            out["patterns"].append(_wrap(p, _variant(k, counter[0])))
    if isinstance(node.get("heading"), str):
        counter[0] += 1
        out["heading"] = _wrap(node["heading"], _variant(k, counter[0]))
    if isinstance(node.get("phrases"), list):
        counter[0] += 1
        out["phrases"] = [*node["phrases"], f"{VARIANTS[(k + counter[0]) % len(VARIANTS)]}第{k}{counter[0]}项"]
    return out


def make_rules_10x(out: Path, checklist: Path = CHECKLIST, factor: int = 10, vary: bool = True) -> Path:
    """Copy the default checklist into ``out`` with factor-1 clones of every rule (each made
    distinct with ``vary``, else verbatim copies under new ids)."""
    copy_rules(out, checklist)  # example files and the like come along; the YAML is rewritten below
    for src in sorted(checklist.glob("*.yaml")):
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
        rules = data.get("rules") or []
        clones = []
        for rule in rules:
            for k in range(1, factor):
                clone = dict(rule)
                clone["id"] = f"{rule['id']}-C{k}"
                clone["title"] = f"{rule['title']}（变体{k}）"
                counter = [0]
                for key in ("match", "values", "applies") if vary else ():
                    if key in rule:
                        clone[key] = _vary(rule[key], k, counter)
                clones.append(clone)
        if rules:
            data["rules"] = rules + clones
        (out / src.name).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
        )
    return out


def copy_rules(out: Path, checklist: Path = CHECKLIST) -> Path:
    """The default checklist as a --rules folder (1x, for a like-for-like comparison)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(checklist, out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    paths = make_corpus(args.out / "corpus", args.n)
    long = make_long(args.out / "long")
    rules = make_rules_10x(args.out / "rules10x")
    print(f"{len(paths)} reports in {args.out / 'corpus'}; long reports {sorted(long)}x; 10x rules in {rules}")


if __name__ == "__main__":
    main()
