#!/usr/bin/env python3
"""Write examples/city-2020/counties/: the 2020 county data set of a fictional city (秦州市, 陕西).

Thirteen units (3 districts, 9 counties, 1 development zone) scored by criteria/2020/county.yaml.
Every figure that the city's December 2020 notice publishes adds up exactly over the 13 units:

    accidents 38, deaths 25 (last year 71 and 30; none 较大 or worse), hazards found 5,110 and
    rectified 4,531, inspections 3,246, enterprises inspected 7,133, violations 14,316,
    rectification orders 1,259, cases filed 143, fines 369.21 万元, licences revoked 14,
    enterprises closed 1; the city's supervision inspected 13 county governments, 26 towns and
    78 enterprises and handed down 101 problems (the 市督查/暗访 rows of hazards.csv).

The per-unit figures are explicit tables below; only dates, sector names and the order of ledger
rows come from a seeded random generator, so the output is the same on every run.

    python examples/city-2020/make_counties.py            # writes examples/city-2020/counties/
    python examples/city-2020/make_counties.py OUTDIR     # writes elsewhere

Standard library only.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

SEED = 2020
YEAR_END = dt.date(2020, 12, 31)

# --------------------------------------------------------------------------------------------- units
# id, name, class (考核类别), kind (单位类型)
UNITS = [
    ("u01", "秦川区", "一类", "区"),
    ("u02", "长乐区", "二类", "区"),
    ("u03", "龙首区", "二类", "区"),
    ("u04", "渭北县", "一类", "县"),
    ("u05", "凤岭县", "一类", "县"),
    ("u06", "黄塬县", "二类", "县"),
    ("u07", "柳川县", "二类", "县"),
    ("u08", "云台县", "三类", "县"),
    ("u09", "麟北县", "一类", "县"),
    ("u10", "槐岭县", "二类", "县"),
    ("u11", "安塬县", "三类", "县"),
    ("u12", "北山县", "三类", "县"),
    ("u13", "秦州高新区", "三类", "开发区"),
]
IDS = [u[0] for u in UNITS]

# ------------------------------------------------------------------------------ enforcement (通报口径)
# inspections, inspection_plan, enterprises_inspected, violations, rectification_orders,
# cases_filed, case_target, fines_wan, licences_revoked, enterprises_closed
ENFORCEMENT = {
    "u01": (380, 370, 830, 1650, 145, 18, 15, "52.30", 2, 0),
    "u02": (290, 280, 640, 1280, 112, 13, 12, "35.60", 1, 0),
    "u03": (270, 280, 590, 1190, 104, 12, 12, "31.20", 1, 0),
    "u04": (330, 320, 720, 1450, 128, 16, 15, "48.75", 3, 1),
    "u05": (300, 300, 660, 1320, 116, 14, 13, "40.10", 2, 0),
    "u06": (250, 245, 550, 1100, 97, 11, 10, "27.90", 1, 0),
    "u07": (240, 240, 530, 1060, 93, 11, 10, "26.45", 1, 0),
    "u08": (220, 230, 480, 960, 85, 9, 10, "20.80", 0, 0),
    "u09": (260, 260, 570, 1150, 101, 12, 12, "30.15", 2, 0),
    "u10": (230, 260, 510, 1020, 90, 8, 10, "18.60", 0, 0),
    "u11": (190, 210, 420, 850, 75, 7, 9, "14.20", 0, 0),
    "u12": (170, 200, 380, 760, 67, 6, 8, "11.36", 0, 0),
    "u13": (116, 110, 253, 526, 46, 6, 5, "11.80", 1, 0),
}

# -------------------------------------------------------------------------------------- accidents
# accidents in 2020: (month, day, 死亡人数, 行业领域); all 一般 (no 较大 or worse), none concealed
ACCIDENTS = {
    "u01": [(3, 14, 1, "道路运输"), (7, 2, 1, "建筑施工"), (10, 19, 0, "工贸")],
    "u02": [(5, 21, 1, "建筑施工"), (9, 8, 0, "道路运输")],
    "u03": [(2, 27, 1, "道路运输"), (6, 16, 1, "工贸"), (11, 3, 0, "燃气")],
    "u04": [(1, 18, 1, "煤矿"), (4, 9, 1, "非煤矿山"), (8, 25, 1, "道路运输"), (12, 1, 0, "工贸")],
    "u05": [(3, 30, 1, "煤矿"), (6, 11, 1, "道路运输"), (9, 29, 0, "建筑施工")],
    "u06": [(5, 6, 1, "建筑施工"), (10, 13, 1, "道路运输")],
    "u07": [(4, 22, 1, "道路运输"), (8, 14, 0, "工贸")],
    "u08": [(6, 3, 1, "道路运输"), (9, 17, 0, "建筑施工"), (11, 26, 0, "有限空间")],
    "u09": [(1, 9, 1, "煤矿"), (3, 25, 0, "非煤矿山"), (5, 30, 1, "道路运输"), (8, 6, 1, "建筑施工"),
            (10, 28, 0, "工贸")],
    "u10": [(2, 12, 1, "道路运输"), (5, 19, 1, "有限空间"), (7, 23, 1, "建筑施工"), (11, 5, 0, "工贸")],
    "u11": [(4, 15, 1, "道路运输"), (7, 29, 1, "建筑施工"), (12, 2, 0, "燃气")],
    "u12": [(3, 8, 1, "非煤矿山"), (8, 20, 1, "道路运输"), (11, 18, 1, "煤矿")],
    "u13": [(6, 24, 0, "工贸")],
}
LATE_REPORTED = {("u10", 1), ("u11", 2)}  # (unit, index in its list): 事故信息迟报
# an accident of 2019 concealed at the time and established by the province's 督查 in 2020
CONCEALED = {"u09": [("2019-11-23", "一般", 2, "煤矿")]}
# accidents_last_year, deaths_last_year, death_target
LAST_YEAR = {
    "u01": (6, 3, 4), "u02": (4, 2, 3), "u03": (5, 2, 3), "u04": (8, 3, 4), "u05": (7, 3, 4),
    "u06": (5, 2, 3), "u07": (4, 2, 3), "u08": (6, 3, 3), "u09": (8, 3, 4), "u10": (6, 2, 3),
    "u11": (5, 2, 3), "u12": (4, 2, 2), "u13": (3, 1, 1),
}

# -------------------------------------------------------------------------------------- hazards
# found, rectified; 挂牌督办 rows as (隐患等级, status): ok = 按期销号, late = 超期销号,
# open = 未销号但未到期, overdue = 未销号且已逾期; prov = (省督查交办数, 其中未整改);
# city_open = 市督查/暗访交办问题中未整改数; rebound = 回头看反弹数; overdue = 自查隐患逾期未整改数
HAZARDS = {
    "u01": dict(found=520, rect=510, gpd=[("重大", "ok"), ("重大", "ok"), ("一般", "ok"), ("一般", "ok")],
                prov=(3, 0), city_open=0, rebound=0, overdue=0),
    "u02": dict(found=430, rect=418, gpd=[("重大", "ok"), ("一般", "ok"), ("一般", "ok")],
                prov=(2, 0), city_open=0, rebound=0, overdue=1),
    "u03": dict(found=400, rect=350, gpd=[("重大", "ok"), ("一般", "late"), ("一般", "ok")],
                prov=(3, 0), city_open=0, rebound=1, overdue=2),
    "u04": dict(found=560, rect=480, gpd=[("重大", "ok"), ("重大", "ok"), ("一般", "open"), ("一般", "ok")],
                prov=(4, 1), city_open=0, rebound=1, overdue=3),
    "u05": dict(found=480, rect=466, gpd=[("重大", "ok"), ("重大", "ok"), ("一般", "ok")],
                prov=(3, 0), city_open=0, rebound=0, overdue=0),
    "u06": dict(found=390, rect=365, gpd=[("重大", "overdue"), ("一般", "ok"), ("一般", "ok")],
                prov=(2, 0), city_open=0, rebound=0, overdue=0),
    "u07": dict(found=380, rect=364, gpd=[("重大", "ok"), ("一般", "ok")],
                prov=(2, 0), city_open=0, rebound=0, overdue=1),
    "u08": dict(found=330, rect=286, gpd=[("重大", "ok"), ("一般", "late")],
                prov=(2, 0), city_open=1, rebound=1, overdue=2),
    "u09": dict(found=450, rect=370, gpd=[("重大", "ok"), ("重大", "late"), ("一般", "open")],
                prov=(5, 1), city_open=2, rebound=1, overdue=4),
    "u10": dict(found=420, rect=300, gpd=[("重大", "late"), ("一般", "open"), ("一般", "ok")],
                prov=(4, 2), city_open=3, rebound=2, overdue=6),
    "u11": dict(found=310, rect=250, gpd=[("一般", "ok"), ("一般", "late")],
                prov=(2, 1), city_open=1, rebound=1, overdue=3),
    "u12": dict(found=280, rect=215, gpd=[("重大", "late"), ("一般", "ok")],
                prov=(2, 1), city_open=2, rebound=1, overdue=2),
    "u13": dict(found=160, rect=157, gpd=[("一般", "ok")],
                prov=(1, 0), city_open=0, rebound=0, overdue=0),
}
# the reported rectification rate; None = the ledger's rate rounded to 0.1%. 槐岭县 reports the
# rate of its regulated enterprises only, which the ledger does not support (a check warning).
REPORTED_RATE = {"u10": "92.0%"}

# city supervision (市安委会督查、暗访): every unit's government, 2 of its towns and 6 enterprises;
# problems found per object, in the order [县区政府, 镇街1, 镇街2, 企业1..企业6]; 企业4-6 by 暗访
CITY_PROBLEMS = {
    "u01": [1, 1, 0, 1, 1, 0, 1, 1, 0],
    "u02": [1, 1, 1, 0, 1, 1, 0, 1, 1],
    "u03": [1, 1, 1, 1, 0, 1, 1, 1, 1],
    "u04": [2, 1, 1, 1, 1, 0, 1, 1, 1],
    "u05": [1, 1, 0, 1, 1, 1, 0, 1, 1],
    "u06": [1, 1, 1, 1, 1, 0, 1, 1, 1],
    "u07": [1, 0, 1, 1, 1, 1, 0, 1, 1],
    "u08": [1, 1, 1, 1, 0, 1, 1, 1, 1],
    "u09": [2, 1, 1, 1, 1, 1, 1, 1, 1],
    "u10": [2, 1, 2, 1, 1, 1, 1, 1, 1],
    "u11": [1, 1, 1, 1, 1, 0, 1, 1, 1],
    "u12": [1, 1, 1, 1, 1, 1, 0, 1, 1],
    "u13": [1, 0, 0, 1, 0, 1, 0, 1, 0],
}

# --------------------------------------------------------------------------------------- stations
# 乡镇(街道)数, 已建成标准化应急管理站数 (基层标准化: 北山县 lags far behind)
STATIONS = {
    "u01": (12, 9), "u02": (9, 6), "u03": (10, 5), "u04": (16, 8), "u05": (14, 9), "u06": (13, 7),
    "u07": (12, 6), "u08": (11, 5), "u09": (15, 6), "u10": (13, 5), "u11": (12, 4), "u12": (14, 1),
    "u13": (4, 3),
}

# 安委会会议: the quarters (1-4) in which each unit held a meeting (two in Q1 for most)
COMMITTEE = {
    "u01": [1, 1, 2, 3, 4, 4], "u02": [1, 2, 3, 4], "u03": [1, 2, 3, 4], "u04": [1, 1, 2, 3, 4],
    "u05": [1, 2, 3, 4, 4], "u06": [1, 2, 3, 4], "u07": [1, 2, 3, 4], "u08": [1, 2, 4],
    "u09": [1, 2, 3, 4], "u10": [1, 2, 4], "u11": [1, 2, 4], "u12": [2, 4], "u13": [1, 2, 3, 4],
}

# ------------------------------------------------------------------------------------ scalar values
BASE = {
    "party_duties_missed": 0, "duty_lists_issued": "是", "leaders_without_list": 0,
    "committee_chair_by_head": "是", "letters_missing": 0, "report_missing": 0,
    "master_plan_issued": "是", "topic_plans": 2, "sector_plans": 16, "task_force": "是",
    "task_force_staffed": "是", "report_due": "", "report_sent": "2020-12-08", "dispatch_meetings": 4,
    "tasks_total": 40, "tasks_done": 40,
    "enforcement_plan": "是", "joint_enforcement": 4, "exposure_cases": 2,
    "campaigns_done": 5, "month_summary_sent": "是", "seven_venues": 7, "activity_records_missing": 0,
    "media_missing": 0, "blacklist_published": "是", "leader_training": "是", "training_sessions": 4,
    "awareness": "92%",
    "pilot_stage": "已验收", "funding_secured": "是",
    "road_plan": "是", "dangerous_roads_unfixed": 0, "site_coverage": "100%", "coal_measures_open": 0,
    "tailings_checked": "是", "gas_unchecked": 0, "confined_inventory": "是", "fire_check_done": "是",
    "fire_deaths": 0, "forest_fires": 0,
}
NA = "不涉及"
OVERRIDES = {
    # 秦川区: the city seat; strong throughout
    "u01": dict(leaders_without_list=1, letters_missing=1, report_sent="2020-12-11", tasks_done=38,
                joint_enforcement=3, media_missing=1, training_sessions=3, awareness="88%",
                dangerous_roads_unfixed=2, site_coverage="97%", gas_unchecked=1,
                coal_measures_open=NA, tailings_checked=NA, forest_fires=NA),
    "u02": dict(party_duties_missed=1, leaders_without_list=1, letters_missing=1, report_sent="2020-12-13",
                tasks_done=39, campaigns_done=4, joint_enforcement=3, media_missing=1, training_sessions=3,
                awareness="87%", dangerous_roads_unfixed=2, site_coverage="98%",
                coal_measures_open=NA, tailings_checked=NA, forest_fires=NA),
    # 龙首区: just short of 90
    "u03": dict(leaders_without_list=1, report_sent="2020-12-12", dispatch_meetings=3, tasks_total=38,
                tasks_done=36, media_missing=1, awareness="86%", pilot_stage="建设中", exposure_cases=1,
                gas_unchecked=1, site_coverage="96.5%", coal_measures_open=NA, tailings_checked=NA,
                forest_fires=NA),
    "u04": dict(party_duties_missed=1, report_missing=1, sector_plans=15, tasks_total=45, tasks_done=42,
                training_sessions=3, awareness="84%", pilot_stage="建设中", dangerous_roads_unfixed=3,
                site_coverage="97%", coal_measures_open=1, gas_unchecked=1),
    "u05": dict(letters_missing=1, report_sent="2020-12-12", dispatch_meetings=3, tasks_total=44,
                tasks_done=42, media_missing=1, training_sessions=3, awareness="91%", dangerous_roads_unfixed=1,
                site_coverage="99%", coal_measures_open=1, gas_unchecked=1, forest_fires=1),
    "u06": dict(party_duties_missed=1, letters_missing=1, report_sent="2020-12-12", dispatch_meetings=3,
                tasks_total=42, tasks_done=41, joint_enforcement=3, media_missing=1, training_sessions=3,
                awareness="86%", site_coverage="98%", coal_measures_open=NA),
    "u07": dict(leaders_without_list=1, report_missing=1, report_sent="2020-12-13", dispatch_meetings=3,
                tasks_done=37, media_missing=1, training_sessions=3, awareness="88%",
                dangerous_roads_unfixed=2, exposure_cases=1, coal_measures_open=NA),
    "u08": dict(leaders_without_list=1, task_force_staffed="否", report_sent="2020-12-14",
                dispatch_meetings=3, tasks_total=36, tasks_done=33, campaigns_done=4, awareness="82%", pilot_stage="建设中",
                seven_venues=6, joint_enforcement=3, dangerous_roads_unfixed=2, site_coverage="95%",
                coal_measures_open=NA, forest_fires=2),
    "u09": dict(party_duties_missed=1, report_sent="2020-12-10", tasks_total=44, tasks_done=40,
                awareness="83%", pilot_stage="建设中", training_sessions=3, dangerous_roads_unfixed=3,
                site_coverage="94%", coal_measures_open=2),
    # 槐岭县: “上热下冷” — enterprises do not rectify, handed-down problems stay open
    "u10": dict(party_duties_missed=1, report_sent="2020-12-12", tasks_total=40, tasks_done=36,
                joint_enforcement=3, exposure_cases=1, awareness="81%", pilot_stage="建设中",
                dangerous_roads_unfixed=2, site_coverage="95%", coal_measures_open=NA, gas_unchecked=1,
                confined_inventory="否"),
    # 安塬县: 宣传氛围不浓 — few 七进 venues, low awareness
    "u11": dict(letters_missing=2, report_missing=1, topic_plans=1, sector_plans=14, report_sent="2020-12-13",
                tasks_total=38, tasks_done=32, campaigns_done=3, month_summary_sent="否", seven_venues=3,
                activity_records_missing=2, media_missing=2, blacklist_published="否", training_sessions=2,
                awareness="62%", pilot_stage="方案制定", joint_enforcement=2, exposure_cases=1,
                road_plan="否", dangerous_roads_unfixed=1, site_coverage="90%", coal_measures_open=NA,
                tailings_checked=NA, gas_unchecked=1, fire_check_done="否", forest_fires=1),
    # 北山县: 基层标准化试点进展缓慢; deaths over target
    "u12": dict(letters_missing=1, report_missing=1, sector_plans=15, report_sent="2020-12-13",
                dispatch_meetings=3, tasks_total=36, tasks_done=32, seven_venues=5, awareness="76%", training_sessions=3,
                pilot_stage="方案制定", funding_secured="否", joint_enforcement=3, exposure_cases=1,
                dangerous_roads_unfixed=2, site_coverage="92%", coal_measures_open=2,
                tailings_checked="否", gas_unchecked=1, forest_fires=1),
    "u13": dict(leaders_without_list=1, letters_missing=1, report_sent="2020-12-14", dispatch_meetings=3,
                joint_enforcement=3, exposure_cases=1, media_missing=1, awareness="85%", training_sessions=3,
                site_coverage="99%", dangerous_roads_unfixed=1, coal_measures_open=NA, tailings_checked=NA,
                forest_fires=NA),
}

# ------------------------------------------------------------------------------ honours, criticisms
# (文号, 类型, 级别, 项目, 文件日期)
HONOURS = {
    "u01": [("陕安委〔2020〕21号", "表彰", "省级", "安全生产标准化建设", "2020-09-18"),
            # the same project again (市级): only the higher award counts
            ("秦安委〔2020〕33号", "表彰", "市级", "安全生产标准化建设", "2020-07-06"),
            ("陕应急〔2020〕145号", "经验推广", "省级", "双重预防机制建设", "2020-11-02")],
    "u02": [("陕安委〔2020〕21号", "表彰", "省级", "安全社区创建", "2020-09-18")],
    "u05": [("秦安委〔2020〕33号", "表彰", "市级", "森林防灭火", "2020-07-06"),
            ("秦安办〔2020〕58号", "经验推广", "市级", "一矿一策", "2020-10-15")],
    "u07": [("秦安委〔2020〕33号", "表彰", "市级", "安全生产月活动", "2020-07-06"),
            ("秦安委〔2019〕40号", "表彰", "市级", "道路交通安全", "2019-12-20")],        # outside the year
    "u13": [("秦安办〔2020〕61号", "经验推广", "市级", "园区安全风险智能化管控", "2020-11-20")],
}
# (文号, 类型, 级别, 日期, 事由)
CRITICISMS = {
    "u04": [("秦安办〔2020〕47号", "通报批评", "市级", "2020-08-28", "非煤矿山外包作业专项整治推进迟缓")],
    "u09": [("陕安办〔2020〕92号", "通报批评", "省级", "2020-10-30", "煤矿事故瞒报问题")],
    "u10": [("秦安办〔2020〕52号", "通报批评", "市级", "2020-09-25", "督查交办问题整改不力"),
            ("秦安委约〔2020〕3号", "约谈", "市级", "2020-10-20", "隐患整改率全市末位")],
    "u12": [("陕安委督〔2020〕7号", "挂牌督办", "省级", "2020-09-10", "非煤矿山安全隐患突出")],
}
# findings (考核扣分记录): (entity, 考核项目, kind, 分数, 事由, 评分单位, 依据); kind 扣分 / 得分
B6_SCORES = {"u01": "1.8", "u02": "1.9", "u03": "1.6", "u04": "1.7", "u05": "1.8", "u06": "1.8", "u07": "1.8",
             "u08": "1.5", "u09": "1.4", "u10": "1", "u11": "1.2", "u12": "1", "u13": "1.9"}
FINDINGS = [
    ("u01", "F4", "扣分", "0.5", "三年行动简报报送不及时1次", "市应急管理局", "信息报送通报"),
    ("u02", "A6", "扣分", "0.5", "交通运输部门安全监管职责清单未动态更新", "市安委办",
     "2020年第三季度督查通报"),
    ("u02", "F4", "扣分", "0.5", "事故信息续报不及时", "市应急管理局", "信息报送通报"),
    ("u03", "A6", "扣分", "0.5", "个别行业部门“三管三必须”职责边界不清", "市安委办",
     "2020年第三季度督查通报"),
    ("u04", "A6", "扣分", "1", "非煤矿山外包作业监管责任推诿", "市安委办", "秦安办〔2020〕47号"),
    ("u04", "G1", "扣分", "0.5", "暗访发现“两客一危”车辆动态监控缺位", "市公安局交警支队", "暗访通报"),
    ("u05", "A6", "扣分", "1", "煤矿安全监管部门间协调不畅", "市安委办", "年度考核组现场检查"),
    ("u06", "A6", "扣分", "1", "挂牌督办重大隐患跟踪问效不力", "市安委办", "年度考核组现场检查"),
    ("u06", "F4", "扣分", "0.5", "三年行动信息迟报1次", "市应急管理局", "信息报送通报"),
    ("u07", "A6", "扣分", "1", "安排部署多、督促问责力度不大", "市安委办", "2020年第三季度督查通报"),
    ("u07", "F4", "扣分", "0.5", "三年行动信息迟报1次", "市应急管理局", "信息报送通报"),
    ("u08", "F4", "扣分", "0.5", "事故信息续报不及时", "市应急管理局", "信息报送通报"),
    ("u09", "A6", "扣分", "1", "煤矿安全监管责任落实不到位", "市安委办", "年度考核组现场检查"),
    ("u10", "A6", "扣分", "1.5", "监管部门向企业传导压力不足，督查交办问题整改不力", "市安委办",
     "秦安办〔2020〕52号"),
    ("u10", "F4", "扣分", "0.5", "三年行动信息迟报1次", "市应急管理局", "信息报送通报"),
    ("u11", "A6", "扣分", "1", "部门安排部署多、抓落实少", "市安委办", "年度考核组现场检查"),
    ("u11", "F4", "扣分", "1", "三年行动信息漏报", "市应急管理局", "信息报送通报"),
    ("u11", "E2", "扣分", "0.5", "暗访发现镇村宣传栏无三年行动内容", "市安委办", "暗访通报"),
    ("u12", "A6", "扣分", "1", "基层应急管理机构标准化建设重视不够", "市安委办", "年度考核组现场检查"),
    ("u12", "F4", "扣分", "1", "信息迟报、漏报多次", "市应急管理局", "信息报送通报"),
    ("u13", "A6", "扣分", "1", "园区企业安全管理责任传导不到位", "市安委办", "年度考核组现场检查"),
    ("u13", "F4", "扣分", "0.5", "三年行动信息迟报1次", "市应急管理局", "信息报送通报"),
]

SECTORS = ["道路交通", "消防", "建筑施工", "危险化学品", "工贸", "燃气", "有限空间", "非煤矿山", "煤矿",
           "特种设备"]
TOWN_SYLLABLES = "东西南北上下前后大小新老石柳杨槐桃李枣河川塬沟坪峪湾坡岭"


# ------------------------------------------------------------------------------------------- helpers
def day(rng: random.Random, start: str, end: str) -> dt.date:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def town_names(uid: str, n: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        a, b = rng.sample(TOWN_SYLLABLES, 2)
        name = f"{a}{b}{'街道' if len(names) < 2 and uid in ('u01', 'u02', 'u03', 'u13') else '镇'}"
        if name not in names:
            names.append(name)
    return names


# ------------------------------------------------------------------------------------------ ledgers
def hazard_rows(uid: str, rng: random.Random, checks: list[list]) -> list[list]:
    spec = HAZARDS[uid]
    rows: list[dict] = []

    def add(source: str, level: str = "一般", listed: bool = False, state: str = "ok",
            check_id: str = "") -> None:
        rows.append(dict(source=source, level=level, listed=listed, state=state, check=check_id))

    for level, state in spec["gpd"]:
        add("自查", level, True, state)
    prov_n, prov_open = spec["prov"]
    for i in range(prov_n):
        add("省督查", rng.choice(["一般", "一般", "重大"]), False, "open_due" if i < prov_open else "ok")
    city_open = spec["city_open"]
    for check in checks:
        source = "暗访" if check[2] == "暗访" else "市督查"
        for _ in range(check[5]):
            add(source, "一般", False, "open_due" if city_open > 0 else "ok", check[0])
            city_open -= 1
    for _ in range(spec["overdue"]):
        add("自查", "一般", False, "overdue")
    for _ in range(spec["rebound"]):
        add("自查", "一般", False, "rebound")
    opened = sum(r["state"] in ("open", "overdue", "open_due") for r in rows)
    not_due = spec["found"] - spec["rect"] - opened
    assert not_due >= 0, uid
    for _ in range(not_due):
        add("自查", "一般", False, "open")
    while len(rows) < spec["found"]:
        add("自查", "重大" if rng.random() < 0.02 else "一般")
    assert len(rows) == spec["found"], uid
    rng.shuffle(rows)

    out = []
    for n, r in enumerate(rows, 1):
        state = r["state"]
        if state == "open":            # found late in the year, not yet due
            found = day(rng, "2020-11-10", "2020-12-20")
            due = day(rng, "2021-01-05", "2021-02-28")
        elif state in ("overdue", "open_due"):
            found = day(rng, "2020-05-01", "2020-10-15")
            due = found + dt.timedelta(days=rng.randint(20, 45))
        elif state == "late":
            found = day(rng, "2020-03-01", "2020-09-30")
            due = found + dt.timedelta(days=rng.randint(15, 60))
        else:
            found = day(rng, "2020-01-06", "2020-11-20")
            due = found + dt.timedelta(days=rng.randint(15, 60))
        done = ""
        recheck = ""
        if state in ("ok", "rebound", "late"):
            if state == "late":
                finish = due + dt.timedelta(days=rng.randint(3, 20))
            else:
                finish = found + dt.timedelta(days=rng.randint(1, (due - found).days))
            finish = min(finish, dt.date(2020, 12, 28))
            done = finish.isoformat()
            late_check = finish > dt.date(2020, 11, 30)
            recheck = "反弹" if state == "rebound" else ("未开展" if late_check else "合格")
        sector = rng.choice(SECTORS)
        if state == "overdue" and r["listed"] is False and r["source"] == "自查":
            assert due < YEAR_END
        out.append([uid, f"{uid.upper()}-YH{n:04d}", r["level"], sector, r["source"], r["check"],
                    "是" if r["listed"] else "否", found.isoformat(), due.isoformat(), done, recheck])
    return out


def city_check_rows(uid: str, name: str, rng: random.Random) -> list[list]:
    towns = STATION_TOWNS[uid]
    objs = [("县区政府", f"{name}人民政府" if not name.endswith("高新区") else f"{name}管委会")]
    objs += [("镇街", towns[0]), ("镇街", towns[1])]
    objs += [("企业", f"{name[:2]}{s}有限公司") for s in ("化工", "建材", "物流", "燃气", "矿业", "机械")]
    rows = []
    for i, ((kind, obj), n) in enumerate(zip(objs, CITY_PROBLEMS[uid], strict=True), 1):
        mode = "暗访" if i >= 7 else "明查"
        rows.append([f"{uid.upper()}-DC{i:02d}", day(rng, "2020-06-01", "2020-11-20").isoformat(), mode, kind,
                     obj, n])
    return rows


STATION_TOWNS: dict[str, list[str]] = {}


def station_rows(uid: str, rng: random.Random) -> list[list]:
    _, done = STATIONS[uid]
    towns = STATION_TOWNS[uid]
    rows = []
    for i, town in enumerate(towns):
        haves = ["是"] * 8
        full, part = rng.randint(2, 4), rng.randint(4, 6)
        if i >= done:                  # not yet built: one to four “有” missing, or staff short
            gap = rng.randint(0, 3)
            if gap == 0:
                full = 1
            else:
                for k in rng.sample(range(1, 8), gap):
                    haves[k] = "否"
        rows.append([uid, town, *haves, full, part])
    return rows


def main(out: Path) -> None:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)

    write(out / "entities.csv", ["id", "name", "class", "kind"], [list(u) for u in UNITS])

    for uid, *_ in UNITS:
        STATION_TOWNS[uid] = town_names(uid, STATIONS[uid][0], rng)

    checks_all, hazards_all, accidents_all, stations_all, meetings_all = [], [], [], [], []
    for uid, name, *_ in UNITS:
        checks = city_check_rows(uid, name, rng)
        checks_all += [[uid, *c] for c in checks]
        hazards_all += hazard_rows(uid, rng, checks)
        stations_all += station_rows(uid, rng)
        for i, (m, d, deaths, sector) in enumerate(ACCIDENTS[uid]):
            late = "是" if (uid, i) in LATE_REPORTED else "否"
            accidents_all.append([uid, f"{uid.upper()}-SG2020{i + 1:02d}", f"2020-{m:02d}-{d:02d}", "一般",
                                  deaths, sector, "否", late])
        for i, (date, level, deaths, sector) in enumerate(CONCEALED.get(uid, [])):
            accidents_all.append([uid, f"{uid.upper()}-SG2019B{i + 1:02d}", date, level, deaths, sector,
                                  "是", "否"])
        for i, q in enumerate(COMMITTEE[uid], 1):
            month = {1: "02", 2: "05", 3: "08", 4: "11"}[q]
            meetings_all.append([uid, f"{uid.upper()}-AWH{i:02d}", f"2020-{month}-{10 + i:02d}",
                                 f"安委会{'全体会议' if i == 1 else '专题会议'}"])

    write(out / "city_checks.csv",
          ["entity", "检查编号", "检查日期", "方式", "对象类型", "对象名称", "发现问题数"], checks_all)
    write(out / "hazards.csv",
          ["entity", "隐患编号", "隐患等级", "行业领域", "来源", "督查编号", "挂牌督办", "发现日期",
           "整改期限", "整改完成日期", "回头看"], hazards_all)
    write(out / "accident_records.csv",
          ["entity", "事故编号", "发生日期", "等级", "死亡人数", "行业领域", "是否瞒报", "是否迟报"],
          accidents_all)
    write(out / "stations.csv",
          ["entity", "乡镇", "有工作机构", "有指挥平台", "有工作机制", "有执法队伍", "有救援队伍",
           "有预案体系", "有物资仓库", "有宣教场所", "专职人数", "兼职人数"], stations_all)
    write(out / "committee_meetings.csv", ["entity", "会议编号", "会议日期", "会议名称"], meetings_all)
    write(out / "honours.csv", ["entity", "文号", "类型", "级别", "项目", "文件日期"],
          [[uid, *h] for uid in IDS for h in HONOURS.get(uid, [])])
    write(out / "criticisms.csv", ["entity", "文号", "类型", "级别", "日期", "事由"],
          [[uid, *c] for uid in IDS for c in CRITICISMS.get(uid, [])])
    findings = [[uid, "B6", "得分", s, "专项整治工作成效专委会评分", "市安委会专委会办公室", "专委会年度评价"]
                for uid, s in B6_SCORES.items()]
    findings += [list(f) for f in FINDINGS]
    write(out / "findings.csv", ["entity", "考核项目", "扣分", "得分", "事由", "评分单位", "依据"],
          [[f[0], f[1], f[3] if f[2] == "扣分" else "", f[3] if f[2] == "得分" else "", *f[4:]]
           for f in findings])

    # values.csv
    columns = ["entity", *BASE, "reported_rate", "inspection_plan", "inspections", "enterprises_inspected",
               "violations", "rectification_orders", "cases_filed", "case_target", "fines_wan",
               "licences_revoked", "enterprises_closed", "death_target", "accidents_last_year",
               "deaths_last_year"]
    rows = []
    for uid in IDS:
        v = dict(BASE)
        assert set(OVERRIDES.get(uid, {})) <= set(BASE), uid
        v.update(OVERRIDES.get(uid, {}))
        spec = HAZARDS[uid]
        rate = REPORTED_RATE.get(uid) or f"{spec['rect'] * 100 / spec['found']:.1f}%"
        insp, plan, ent, viol, orders, cases, target, fines, lic, closed = ENFORCEMENT[uid]
        acc_last, deaths_last, death_target = LAST_YEAR[uid]
        rows.append([uid, *v.values(), rate, plan, insp, ent, viol, orders, cases, target, fines, lic, closed,
                     death_target, acc_last, deaths_last])
    write(out / "values.csv", columns, rows)


# ------------------------------------------------------------------------------ the notice's totals
NOTICE = {
    "accidents": 38, "deaths": 25, "accidents_last_year": 71, "deaths_last_year": 30,
    "hazards_found": 5110, "hazards_rectified": 4531, "inspections": 3246, "enterprises_inspected": 7133,
    "violations": 14316, "rectification_orders": 1259, "cases_filed": 143, "fines_wan": "369.21",
    "licences_revoked": 14, "enterprises_closed": 1,
    "较大及以上事故": 0, "市督查暗访问题": 101, "督查县区政府": 13, "督查镇街": 26, "检查企业": 78,
}


def totals(out: Path) -> dict[str, object]:
    """Sum the written CSVs the way the notice counts them (read back from disk, not from the tables)."""
    from decimal import Decimal

    def rows(name: str) -> list[dict[str, str]]:
        with (out / f"{name}.csv").open(encoding="utf-8") as f:
            return list(csv.DictReader(f))

    values = rows("values")
    acc = [r for r in rows("accident_records") if r["发生日期"].startswith("2020-")]
    haz = rows("hazards")
    checks = rows("city_checks")
    got: dict[str, object] = {
        "accidents": len(acc),
        "deaths": sum(int(r["死亡人数"]) for r in acc),
        "hazards_found": len(haz),
        "hazards_rectified": sum(1 for r in haz if r["整改完成日期"]),
        "较大及以上事故": sum(1 for r in acc if r["等级"] != "一般"),
        "市督查暗访问题": sum(1 for r in haz if r["来源"] in ("市督查", "暗访")),
        "督查县区政府": sum(1 for r in checks if r["对象类型"] == "县区政府"),
        "督查镇街": sum(1 for r in checks if r["对象类型"] == "镇街"),
        "检查企业": sum(1 for r in checks if r["对象类型"] == "企业"),
    }
    for key in ("accidents_last_year", "deaths_last_year", "inspections", "enterprises_inspected",
                "violations", "rectification_orders", "cases_filed", "licences_revoked", "enterprises_closed"):
        got[key] = sum(int(r[key]) for r in values)
    got["fines_wan"] = str(sum(Decimal(r["fines_wan"]) for r in values))
    assert sum(int(r["发现问题数"]) for r in checks) == got["市督查暗访问题"]
    return got


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "counties"
    main(target)
    got = totals(target)
    bad = {k: (got[k], v) for k, v in NOTICE.items() if got[k] != v}
    for k, v in NOTICE.items():
        print(f"{k:24} {got[k]!s:>8}  {'OK' if got[k] == v else f'≠ {v}'}")
    if bad:
        raise SystemExit(f"totals differ from the notice: {bad}")
