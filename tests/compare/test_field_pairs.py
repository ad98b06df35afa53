"""Year-over-year pairs as a field test wrote them (fixtures/yoy/field: plain reports of four units).

What each pair showed before: plans announced at the end of the shortcomings part were not found
(follow-through not applicable); the sign-off and its date were taken for two plans; a plan done
in other words (开展执法人员专业轮训 → 举办执法人员业务培训班3期) was called missing; plans
compared across a gap year, or between a government and its office reporting in its own name,
were called missing although the pair itself was in doubt; and the office's report was paired
with the government's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.helpers import run_cli

from .conftest import YOY

FIELD = YOY / "field"


def _compare(last: str, this: str) -> dict[str, Any]:
    code, out, err = run_cli(["compare", str(FIELD / last), str(FIELD / this), "-f", "json"])
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def _statuses(data: dict[str, Any]) -> list[str]:
    return [item["status"] for item in data["follow_through"]["items"]]


def test_plans_announced_at_the_end_of_the_shortcomings_part_are_followed() -> None:
    data = _compare("p12_yunhe-zhujianju_2022.txt", "p12_yunhe-zhujianju_2023.txt")
    items = data["follow_through"]["items"]
    assert data["follow_through"]["applicable"] and len(items) >= 4
    plans = [i["plan"]["text"] for i in items]
    assert any("物业纠纷人民调解委员会" in p for p in plans) and any("裁量基准" in p for p in plans)
    by_plan = {i["plan"]["text"][:8]: i["status"] for i in items}
    assert by_plan["二是建立物业纠纷"] == "done"
    assert by_plan["一是开展执法人员"] == "needs_review"  # 举办执法人员业务培训班3期: close, not missing
    assert by_plan["四是编制住建领域"] == "missing"  # nowhere this year: a real omission stays one


def test_the_sign_off_is_no_plan() -> None:
    data = _compare("p13_fengtai-weijianju_2022.txt", "p13_fengtai-weijianju_2023.txt")
    plans = [i["plan"]["text"] for i in data["follow_through"]["items"]]
    assert len(plans) == 3
    assert not any(p.strip() == "丰台县卫生健康局" or "3月5日" in p for p in plans)


def test_a_gap_year_calls_no_plan_missing_and_says_why() -> None:
    data = _compare("p09_songlin-xiang_2021.txt", "p09_songlin-xiang_2023.txt")
    assert any("年度不相邻" in n for n in data["notes"])
    assert "missing" not in _statuses(data) and "needs_review" in _statuses(data)
    reviewed = [i["reason"] for i in data["follow_through"]["items"] if i["status"] == "needs_review"]
    assert any("年度不相邻" in r and "不作未提及认定" in r for r in reviewed)


def test_a_government_and_its_office_reporting_in_its_own_name_are_other_units(tmp_path: Path) -> None:
    data = _compare("p06_anping-xianzhengfu_2022.txt", "p06_anping-xianzhengfu-bangongshi_2023.txt")
    assert any("单位不同" in n for n in data["notes"])
    assert "missing" not in _statuses(data)
    for name in ("p06_anping-xianzhengfu_2022.txt", "p06_anping-xianzhengfu-bangongshi_2023.txt"):
        shutil.copy(FIELD / name, tmp_path / name)
    _, out, _ = run_cli(["check", str(tmp_path), "-f", "json"])
    reports = json.loads(out)["reports"]
    assert {r["metadata"]["unit"] for r in reports} == {"安平县人民政府", "安平县人民政府办公室"}
    assert not any("comparison" in r for r in reports)  # the office's own report is no year of the government's


def test_a_pair_made_on_an_inferred_year_calls_no_plan_missing(tmp_path: Path) -> None:
    last = (FIELD / "p12_yunhe-zhujianju_2022.txt").read_text(encoding="utf-8")
    this = (FIELD / "p12_yunhe-zhujianju_2023.txt").read_text(encoding="utf-8")
    (tmp_path / "last.txt").write_text(last, encoding="utf-8")
    # this year's title and opening lose their year: it is inferred from the sign-off date
    this = this.replace(
        "云和县住房和城乡建设局2023年法治政府建设工作情况报告", "云和县住房和城乡建设局法治政府建设工作情况报告"
    )
    (tmp_path / "this.txt").write_text(this.replace("2023年，县住建局", "今年，县住建局"), encoding="utf-8")
    _, out, _ = run_cli(["check", str(tmp_path), "-f", "json"])
    (paired,) = [r for r in json.loads(out)["reports"] if "comparison" in r]
    comparison = paired["comparison"]
    assert "this.year" in comparison["pairing"]["inferred"]
    statuses = [i["status"] for i in comparison["follow_through"]["items"]]
    assert "missing" not in statuses and "needs_review" in statuses


def test_one_report_given_twice_is_refused(tmp_path: Path) -> None:
    report = FIELD / "p13_fengtai-weijianju_2023.txt"
    copy = tmp_path / "copy.txt"
    shutil.copy(report, copy)
    for last in (report, copy):
        code, out, err = run_cli(["compare", str(last), str(report)])
        assert code == 2 and not out and "两份报告是同一份" in err and "Traceback" not in err


def test_a_plan_said_to_be_held_back_is_no_done() -> None:
    """平台建设暂缓…归档模块尚未上线, 不再单独委托第三方机构: mentioned this year, but not (all) done."""
    data = _compare("p03_nanping-shijianju_2022.txt", "p03_nanping-shijianju_2023.txt")
    items = data["follow_through"]["items"]
    held = [i for i in items if any(w in e["text"] for e in i["evidence"] for w in ("暂缓", "尚未", "不再"))]
    assert len(held) >= 2
    assert all(i["status"] == "needs_review" and "是否已落实请人工核对" in i["reason"] for i in held)
    assert any(i["status"] == "done" for i in items)  # plans carried out stay done
