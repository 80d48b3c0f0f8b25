"""Issue 12's walk in a real browser (the server, browsers and helpers of tests/test_serve_browser.py): the office
assigns an assessed item to a scorer, the scorer enters a finding (clause, evidence) in its page, the county
submits, the office publishes and the frozen run verifies byte for byte; the county appeals the deduction, the
office rejects it with a reason, the county appeals again, the office accepts with a correction, the new run and
its comparison appear, the county sees its corrected result, and the audit trail shows every step."""

from __future__ import annotations

import datetime as dt

from tests.test_serve_browser import (  # noqa: F401 - fixtures used by name
    COUNTY,
    Browser,
    Server,
    _county_round,
    browsers,
    pytestmark,
    server,
    shots,
)

REASON = "督查发现“三管三必须”推诿扯皮"


def _select(b: Browser, css: str, text: str) -> str:
    """Choose the option whose text contains `text`; returns the option's full text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    select = Select(b.driver.find_element(By.CSS_SELECTOR, css))
    for option in select.options:
        if text in option.text:
            select.select_by_visible_text(option.text)
            return str(option.text)
    raise AssertionError(f"no option with {text} in {css}: {[o.text for o in select.options]}")


def _type(b: Browser, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = b.driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_scorer_publication_appeals_and_audit(server: Server, browsers: dict[str, Browser]) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    office, county = browsers["office"], browsers[COUNTY]
    office.login("office")
    county.login(COUNTY)
    unit_page = _county_round(county)
    base = unit_page.split("/units/")[0]

    # 1. the office gives A6 (日常督查, deduct 0.5—3) to 市应急管理局
    office.go(base + "/scorers/")
    option = _select(office, "#assign-A6", "市应急管理局")
    scorer_user = option.split("（")[-1].rstrip("）")
    office.submit("assign-submit-A6")
    assert "市应急管理局" in office.text("#messages")
    office.both_widths("office-scorer-progress")

    # 2. the scorer sees its items for every unit and enters a finding for 秦川区 in the page
    scorer = browsers["scorer"]
    scorer.login(scorer_user)
    scorer.go(base + "/scoring/")
    assert scorer.has("#item-A6"), scorer.text()[:800]
    assert "不扣分" in scorer.text("[data-testid=rule-A6]")
    scorer.both_widths("scorer-items")
    scorer.driver.find_element(By.ID, f"enter-A6-{COUNTY}").click()
    _type(scorer, "record-figure", "1")
    _type(scorer, "record-reason", REASON)
    _type(scorer, "record-clause", "细则一(三)2")
    _type(scorer, "record-basis", "市安委办督查通报〔2020〕5号")
    scorer.submit("record-submit")
    assert REASON in scorer.text("#record-table"), scorer.text()[:800]
    scorer.both_widths("scorer-entry")

    # 3. the county submits; the office publishes; the frozen run verifies byte for byte
    county.go(unit_page)
    county.upload(server.instance / "demo" / "u01_秦川区.xlsx")
    assert county.text("#submission-status") == "已提交", county.text()[:800]
    office.go(base + "/")
    office.driver.execute_script("window.confirm = () => true")
    office.submit("advance-submit")
    office.driver.execute_script("window.confirm = () => true")
    office.submit("advance-submit", seconds=300)
    assert office.text("#round-state") == "已发布", office.text("#messages")[:1500]
    office.driver.find_element(By.ID, "run-1").click()
    office.submit("run-verify", seconds=300)
    assert office.driver.find_element(By.ID, "verify-result").get_attribute("data-identical") == "yes", \
        office.text("#verify-text")
    office.both_widths("office-run-verified")

    # 4. the office opens appeals for a week; the county disputes the deduction
    office.go(base + "/appeals/")
    closes = (dt.datetime.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    office.driver.execute_script(f"document.getElementById('window-closes').value = '{closes}'")
    office.submit("window-submit")
    assert office.text("#window-state") == "申诉中"

    def appeal(reason: str) -> None:
        county.go(unit_page + "result/")
        county.driver.find_element(By.ID, "link-appeals").click()
        row = next(r for r in county.driver.find_elements(By.CSS_SELECTOR, "#deduction-table tr[data-testid]")
                   if REASON in r.text)
        index = row.get_attribute("data-testid").removeprefix("deduction-")
        _type(county, f"appeal-reason-{index}", reason)
        county.submit(f"appeal-submit-{index}")
        assert "申诉已提交" in county.text("#messages"), county.text()[:800]

    def decide() -> None:
        office.go(base + "/appeals/")
        link = office.driver.find_elements(By.CSS_SELECTOR, "#appeals-table a[id^=decide-]")[0]
        assert link.text == "复核"
        link.click()

    appeal("该问题属市级部门职责")
    county.both_widths("county-appeals")
    decide()
    _type(office, "reject-decision", "经核查，督查通报所列问题属实")
    office.submit("reject-submit")
    assert office.text("#appeal-state") == "未采纳"
    county.go(county.driver.current_url.removeprefix(county.base))
    assert "未采纳" in county.text("#appeal-table") and "问题属实" in county.text("#appeal-table")

    # 5. appealed again; accepted with the correction: the record removed, a new run and its comparison
    appeal("附整改报告：通报所列问题已整改，且非本区责任")
    decide()
    office.both_widths("office-appeal-decide")
    _select(office, "#accept-finding", REASON)
    _type(office, "accept-decision", "采纳，撤销该项扣分")
    office.submit("accept-submit", seconds=300)
    assert office.text("#appeal-state") == "已采纳", office.text("#messages")
    comparison = office.text("#comparison-text")
    assert "秦川区" in comparison and "+1" in comparison, comparison[:1500]
    office.both_widths("office-appeal-accepted")
    county.go(unit_page + "result/")
    assert county.has("#result-corrected") and "第 2 次计算" in county.text("#result-corrected")
    county.go(unit_page + "appeals/")
    assert "已采纳" in county.text("#appeal-table")

    # 6. the audit trail shows every step, and who took it
    office.go("/office/audit/?" + "round=" + base.rsplit("/", 1)[-1])
    trail = office.text("#audit-table")
    for step in ("评分分工", REASON, "新建报送", "冻结的计算结果", "核验发布结果", "申诉期限", "新建申诉", "修改申诉",
                 "删除评分记录"):
        assert step in trail, (step, trail[:3000])
    assert scorer_user in trail and COUNTY in trail
    office.both_widths("office-audit")

