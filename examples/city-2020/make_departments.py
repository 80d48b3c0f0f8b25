#!/usr/bin/env python3
"""生成华阳市（虚构）2020年度市级部门安全生产考核示例数据集。

    python examples/city-2020/make_departments.py [输出目录]

默认写入本脚本旁的 departments/ 目录：entities.csv、values.csv、lead_tasks.csv、
committee_inspections.csv、honours.csv、criticisms.csv、findings.csv。
只用标准库；同一版本的脚本每次生成完全相同的文件（固定随机种子，固定顺序）。

数据对应 criteria/2020/department.yaml。每个单位的“问题画像”写在 UNITS 中，
与市安委会通报指出的问题相对应：
  - “三管三必须”落实不严：责任清单逾期或未印发、一岗双责不落实、A4 督查扣分；
  - 专委会办公室作用发挥不充分：专委会会议、督导次数不足，C3 统筹协调扣分；
  - “上热下冷”：监督检查计划未完成、立案查处少、隐患整改率低。
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 2020
YEAR_START = date(2020, 1, 1)

负有 = "负有安全监管职责部门"
其他 = "其他部门"
NA = "不涉及"

# --------------------------------------------------------------------------------------------
# 单位名册：id, 名称, 单位类型, 承担专委会办公室职责, 牵头专项（空 = 无牵头任务）
# --------------------------------------------------------------------------------------------
REGISTER = [
    ("d01", "市应急管理局", 负有, "危险化学品安全", ["危险化学品", "煤矿", "非煤矿山"]),
    ("d02", "市公安局", 负有, "道路交通安全", ["道路运输"]),
    ("d03", "市住房和城乡建设局", 负有, "建设施工安全", ["城市建设", "燃气"]),
    ("d04", "市交通运输局", 负有, "交通运输安全", ["道路运输", "交通运输"]),
    ("d05", "市市场监督管理局", 负有, "特种设备安全", ["特种设备"]),
    ("d06", "市消防救援支队", 负有, "消防安全", ["消防"]),
    ("d07", "市林业局", 负有, "森林防灭火", ["消防"]),
    ("d08", "市工业和信息化局", 负有, "工业园区安全", ["工业园区"]),
    ("d09", "市教育局", 负有, "无", ["校园安全"]),
    ("d10", "市文化和旅游局", 负有, "无", ["旅游景区"]),
    ("d11", "市农业农村局", 负有, "无", ["农业机械与渔业"]),
    ("d12", "市水利局", 负有, "无", ["水利工程"]),
    ("d13", "市卫生健康委员会", 负有, "无", ["医疗卫生机构"]),
    ("d14", "市商务局", 负有, "无", ["消防"]),
    ("d15", "市自然资源局", 负有, "无", ["非煤矿山"]),
    ("d16", "市生态环境局", 负有, "无", ["危险废物"]),
    ("d17", "市城市管理局", 负有, "无", ["燃气"]),
    ("d18", "市国有资产监督管理委员会", 负有, "无", ["工业园区"]),
    ("d19", "市民政局", 负有, "无", ["消防"]),
    ("d20", "市气象局", 负有, "无", ["工业园区"]),
    ("d21", "市邮政管理局", 负有, "无", ["交通运输"]),
    ("d22", "市发展和改革委员会", 负有, "无", ["燃气"]),
    ("d23", "市体育局", 负有, "无", ["旅游景区"]),
    ("d24", "市财政局", 其他, "无", []),
    ("d25", "市人力资源和社会保障局", 其他, "无", []),
    ("d26", "市委宣传部", 其他, "无", []),
    ("d27", "市委组织部", 其他, "无", []),
    ("d28", "市司法局", 其他, "无", []),
    ("d29", "市审计局", 其他, "无", []),
    ("d30", "市统计局", 其他, "无", []),
    ("d31", "市总工会", 其他, "无", []),
    ("d32", "国网华阳供电公司", 其他, "无", []),
    ("d33", "市科学技术局", 其他, "无", []),
]

# 各专项的任务内容（用于生成牵头任务台账）
TASK_TEXT = {
    "危险化学品": ["危化品企业安全风险隐患排查", "化工园区安全整治提升", "危化品运输环节联合执法"],
    "煤矿": ["煤矿“一矿一策”灾害治理", "煤矿重大事项报告备案制度"],
    "非煤矿山": ["尾矿库冬季筑坝专项治理", "地下矿山外包作业整治"],
    "消防": ["高层建筑消防安全整治", "电动自行车停放充电整治", "人员密集场所火灾隐患排查"],
    "道路运输": ["“两客一危”车辆动态监控", "“三超一疲劳”严重违法整治", "农用车交通安全整治"],
    "交通运输": ["寄递企业安全检查", "水上交通安全隐患排查"],
    "城市建设": ["建筑施工“大排查大检查大整治”", "城镇老旧建筑安全排查"],
    "燃气": ["燃气供应企业冬季设施检查", "餐饮场所瓶装液化气整治", "农村“煤改气”用户安全宣传"],
    "工业园区": ["园区企业有限空间作业整治", "园区安全风险评估"],
    "危险废物": ["危险废物处置企业安全排查"],
    "特种设备": ["电梯安全隐患排查", "气瓶充装单位专项检查"],
    "旅游景区": ["A级景区游乐设施安全检查", "节假日景区客流管控"],
    "校园安全": ["校舍安全隐患排查", "校车安全专项整治"],
    "医疗卫生机构": ["医疗机构消防安全整治"],
    "农业机械与渔业": ["拖拉机联合收割机安全检查", "渔业船舶安全整治"],
    "水利工程": ["病险水库除险加固", "在建水利工程安全检查"],
}

COUNTIES = ["东川县", "西岭区", "南塬县", "北河县", "华阳经开区", "龙泉区", "青石县"]

# --------------------------------------------------------------------------------------------
# 单位画像：与“全部达标”基准不同的地方。
#   tasks: 牵头任务的情况列表，'ok' 按时完成 / 'late' 逾期完成 / 'undone' 逾期未完成 /
#          'sub' 完成但未达标 / 'next' 时限在2021年、序时推进
#   insp:  专委会督导 (次数, 发现问题数, 已整改数)
#   find:  考核扣分记录 [(考核项目, 扣分, 得分, 事由, 评分单位, 依据)]
# --------------------------------------------------------------------------------------------
ANQUAN = "市安委办"
ZHUANBAN = "市安委会三年行动工作专班"
ANFANG = "市安委会暗访组"
XIAOFANG = "市消防救援支队"
YINGJI = "市应急管理局"

UNITS: dict[str, dict] = {
    # ---- 优秀候选 ----
    "d01": dict(late_reports=1, tasks=["ok", "ok", "ok", "ok", "next"], honours=[
        ("陕安委〔2020〕5号", "安全生产月活动", "省级", "2020-07-01"),
        ("华安委〔2020〕9号", "安全生产月活动", "市级", "2020-06-20"),
        ("华安委〔2020〕15号", "专项整治三年行动", "市级", "2020-10-01")],
        experience_promoted=1, fire=39),
    "d06": dict(hazards=(520, 0.975), fire=40, tasks=["ok", "ok", "late", "next"],
                honours=[("应急〔2020〕31号", "消防安全专项整治", "国家级", "2020-11-05")]),
    "d02": dict(hazards=(410, 0.93), late_reports=2, tasks=["ok", "ok", "next"], fire=38,
                find=[("C3", 1, None, "道路交通安全专委会对成员单位督促不够有力", ANQUAN, "华安委办〔2020〕45号")]),
    "d05": dict(insp_plan=(240, 228), tasks=["ok", "sub", "next"], fire=37, activities=2,
                find=[("H1", 1, None, "电梯维保单位检查记录不实", ANFANG, "2020年第4期暗访通报")]),
    "d09": dict(party_meetings=3, tasks=["ok", "ok", "next"], fire=36, joint=4,
                find=[("I2", 2, None, "校园防灾应急演练记录不全", YINGJI, "防灾减灾救灾工作检查记录")]),
    "d13": dict(hazards=(230, 0.90), leaders_no_duty=1, tasks=["ok", "late"], fire=37, cases=12),
    "d12": dict(insp_plan=(90, 80), training=0.88, tasks=["ok", "next"], fire=38,
                find=[("H1", 0.5, None, "汛期值班人员脱岗", ANFANG, "2020年第3期暗访通报"),
                      ("I2", 3, None, "山洪灾害预警设施维护不到位", YINGJI, "防灾减灾救灾工作检查记录")]),
    "d24": dict(briefings_missed=1, fire=39, activities=3),
    "d26": dict(party_meetings=3, fire=40, training=0.92,
                find=[("H1", 0.5, None, "安全生产宣传专栏未及时更新", ANFANG, "2020年第5期暗访通报")]),
    # V2：建筑施工较大事故，监管失职
    "d03": dict(major_accidents_duty=1, hazards=(680, 0.94), tasks=["ok", "ok", "late", "ok", "next"], fire=37,
                find=[("A4", 1, None, "在建工地监管底子不清", ANQUAN, "华安委办〔2020〕38号督查通报")],
                criticisms=[("华安委办〔2020〕52号", "市级", "2020-09-18", "“9·12”在建工地坍塌较大事故")]),
    # ---- 良好 ----
    "d07": dict(committee_meetings=2, insp=(2, 9, 7), tasks=["ok", "undone"], fire=36, hazards=(380, 0.86),
                cases=7, party_meetings=3, training=0.85, activities=2,
                find=[("C3", 1.5, None, "森林防灭火专委会办公室作用发挥不充分", ANQUAN, "华安委办〔2020〕45号"),
                      ("A4", 1.5, None, "林区生产经营单位安全监管存在盲区", ANQUAN, "华安委办〔2020〕38号督查通报")]),
    "d08": dict(committee_meetings=3, insp=(3, 12, 10), duty_list_date="2020-05-20", fire=37, cases=9,
                hazards=(300, 0.90), listed_overdue=1, plan_date="2020-05-20", support=1,
                tasks=["ok", "sub", "next"],
                find=[("A4", 1, None, "工业园区安全监管职责边界不清", ANQUAN, "华安委办〔2020〕38号督查通报"),
                      ("C3", 1, None, "专委会统筹协调不及时", ANQUAN, "华安委办〔2020〕45号")]),
    "d10": dict(plan_date="2020-06-12", insp_plan=(150, 126), joint=3, tasks=["ok", "late", "next"], fire=36,
                find=[("H1", 1.5, None, "景区游乐设施未按期检验", ANFANG, "2020年第6期暗访通报")]),
    "d14": dict(hazards=(140, 0.86), cases=8, party_meetings=3, tasks=["ok", "undone"], fire=35,
                insp_plan=(120, 96), joint=2, leaders_no_duty=2, support=1,
                late_reports=2, find=[("I2", 4, None, "商场应急物资储备不足", YINGJI, "防灾减灾救灾工作检查记录")]),
    "d19": dict(leaders_no_duty=2, support=1, tasks=["ok", "late", "ok"], fire=35, activities=2,
                hazards=(200, 0.88), cases=8, assigned_failed=1, late_reports=2),
    "d20": dict(listed_overdue=NA, hazards=(45, 0.911), cases=6, joint=2, tasks=["ok", "undone", "next"], fire=38,
                party_meetings=3, activities=2, insp_plan=(50, 44)),
    "d21": dict(insp_plan=(60, 52), cases=9, tasks=["ok", "sub"], fire=36, missing_reports=1,
                hazards=(90, 0.80), party_meetings=2, joint=3, assigned_failed=1,
                find=[("H1", 1, None, "寄递企业收寄验视制度落实不严", ANFANG, "2020年第6期暗访通报"),
                      ("A4", 1.5, None, "快递末端网点安全监管底子不清", ANQUAN, "华安委办〔2020〕38号督查通报")]),
    "d22": dict(duty_list_date="2020-04-20", party_meetings=2, plan_date="2020-05-08", support=1,
                tasks=["ok", "late", "next"], fire=36, joint=3, hazards=(160, 0.91), cases=12,
                assigned_failed=1, training=0.90, late_reports=2),
    "d25": dict(party_meetings=3, activities=2, fire=38, late_reports=1, support=1, briefings_missed=1,
                training=0.88,
                find=[("A4", 0.5, None, "职业技能培训中安全培训内容缺失", ANQUAN, "华安委办〔2020〕38号督查通报")]),
    "d27": dict(leaders_no_duty=1, party_meetings=3, briefings_missed=1, support=1, fire=38, training=0.90, find=[
        ("H1", 0.5, None, "办公楼灭火器过期", ANFANG, "2020年第2期暗访通报")]),
    "d31": dict(support=1, briefings_missed=1, fire=37, activities=2, fire_drills=1, party_meetings=3,
                late_reports=2, find=[
                    ("A4", 1, None, "安康杯竞赛未覆盖非公企业", ANQUAN, "华安委办〔2020〕38号督查通报"),
                    ("H1", 1, None, "职工书屋安全出口锁闭", ANFANG, "2020年第3期暗访通报")]),
    "d33": dict(party_meetings=3, fire=38, activities=2, late_reports=2, leaders_no_duty=2, assigned_failed=1,
                find=[("H1", 1, None, "科研院所实验室危化品台账不全", ANFANG, "2020年第5期暗访通报")]),
    "d30": dict(duty_list_date="2020-05-10", support=1, fire=36, training=0.85, party_meetings=2,
                leaders_no_duty=1, activities=2,
                find=[("H1", 1, None, "统计执法检查未涉及安全生产统计", ANFANG, "2020年第4期暗访通报")]),
    # ---- 合格 ----
    # V4：两次被约谈，预否决；专委会作用发挥不充分
    "d04": dict(interviews=2, committee_meetings=2, insp=(2, 20, 15), hazards=(760, 0.88),
                tasks=["ok", "undone", "late", "ok", "next"], fire=35, late_reports=3,
                cases=8, leaders_no_duty=1, support=1, activities=2,
                find=[("C3", 2, None, "交通运输安全专委会长期未研究部署工作", ANQUAN, "华安委办〔2020〕45号"),
                      ("H1", 1.5, None, "客运站安检流于形式", ANFANG, "2020年第5期暗访通报")]),
    # 上热下冷：监督检查、立案查处少，隐患整改率低
    "d15": dict(insp_plan=(80, 56), cases=2, joint=1, hazards=(120, 0.80), tasks=["undone", "ok"], fire=34,
                support=1, briefings_missed=1,
                find=[("H1", 2, None, "非煤矿山企业隐患整改流于形式", ANFANG, "2020年第6期暗访通报"),
                      ("A4", 1, None, "矿业权人安全监管职责落实不严", ANQUAN, "华安委办〔2020〕38号督查通报")]),
    # 三管三必须落实不严
    "d16": dict(duty_list_date="2020-07-15", leaders_no_duty=2, party_meetings=2, tasks=["ok", "undone"],
                cases=14, fire=35, insp_plan=(100, 82), hazards=(150, 0.87), support=2, training=0.80,
                briefings_missed=1, find=[
                    ("A4", 2, None, "危险废物安全监管职责不清、与应急部门推诿扯皮", ANQUAN, "华安委办〔2020〕38号督查通报"),
                    ("H1", 1, None, "危废处置企业暂存库管理混乱", ANFANG, "2020年第5期暗访通报")]),
    "d23": dict(plan_issued=False, insp_plan=(40, 30), cases=3, joint=2, activities=2, tasks=["undone", "ok"],
                fire=34, assigned_failed=1),
    # V3：拒不整改，良好降为合格
    "d17": dict(refused_rectification=True, hazards=(330, 0.89), party_meetings=3, tasks=["ok", "late", "next"],
                fire=36, insp_plan=(200, 176), cases=9, plan_date="2020-06-15", activities=2,
                find=[("H1", 1.5, None, "瓶装液化气非法储存点未取缔", ANFANG, "2020年第6期暗访通报"),
                      ("A4", 1.5, None, "燃气安全监管职责与住建部门推诿扯皮", ANQUAN, "华安委办〔2020〕38号督查通报"),
                               ("B2", 1, None, "燃气专项整治推进滞后", ZHUANBAN, "第三季度调度通报")]),
    "d28": dict(party_meetings=2, support=2, fire=36, activities=2, training=0.82,
                leaders_no_duty=2, late_reports=2, assigned_failed=1,
                find=[("A4", 1, None, "普法责任清单未体现安全生产", ANQUAN, "华安委办〔2020〕38号督查通报"),
                      ("H1", 1.5, None, "社区矫正中心消防通道堵塞", ANFANG, "2020年第6期暗访通报")]),
    "d29": dict(party_meetings=2, leaders_no_duty=2, support=1, briefings_missed=1, fire=35, activities=1,
                late_reports=2, assigned_failed=1, duty_list_date="2020-06-20", fire_selfcheck=False, find=[
                    ("A4", 1.5, None, "审计项目未将安全生产责任落实纳入审计内容", ANQUAN, "华安委办〔2020〕38号督查通报"),("H1", 1, None, "安全生产专项资金审计未跟进", ANFANG, "2020年第4期暗访通报")]),
    # ---- 不合格 ----
    # V1：渔船事故瞒报
    "d11": dict(concealed=1, hazards=(260, 0.92), tasks=["ok", "late"], fire=36, cases=11,
                insp_plan=(150, 135), training=0.85, party_meetings=3, late_reports=2),
    # 上热下冷 + 三管三必须落实不严
    "d18": dict(duty_list_issued=False, party_meetings=1, leaders_no_duty=1, briefings_missed=1, plan_date="2020-08-20",
                insp_plan=(0, 0), cases=0, joint=1, hazards=(90, 0.70), listed_overdue=1, support=2,
                tasks=["undone", "undone", "late"], fire=32, activities=1, training=0.85, assigned_failed=1,
                late_reports=2, missing_reports=1,
                find=[("A4", 2, None, "对监管企业安全生产底数不清", ANQUAN, "华安委办〔2020〕38号督查通报"),
                      ("H1", 2, None, "国有企业重大隐患整改不到位", ANFANG, "2020年第6期暗访通报")],
                criticisms=[("陕安委办〔2020〕8号", "省级", "2020-08-01", "省暗访发现国有企业重大隐患未整改")]),
    "d32": dict(duty_list_date="2020-09-30", party_meetings=1, leaders_no_duty=3, briefings_missed=2, support=2,
                fire=30, fire_drills=1, activities=1, training=0.70, late_reports=3, missing_reports=1,
                assigned_failed=1, find=[
                    ("A4", 2, None, "电力设施保护与安全用电管理推诿扯皮", ANQUAN, "华安委办〔2020〕38号督查通报"),
                    ("H1", 1.5, None, "配电站房消防器材缺失", ANFANG, "2020年第6期暗访通报")],
                criticisms=[("华安委办〔2020〕60号", "市级", "2020-11-12", "迎峰度冬保供期间安全信息漏报")]),
}

def _d(s: str | date) -> date:
    return s if isinstance(s, date) else date.fromisoformat(s)


def build(rng: random.Random):
    entities, values, lead_tasks, insps, honours, criticisms, findings = [], [], [], [], [], [], []
    for uid, name, utype, committee, sectors in REGISTER:
        p = UNITS.get(uid, {})
        entities.append({"id": uid, "name": name, "type": utype, "committee": committee})
        regulator = utype == 负有

        v: dict[str, object] = {"entity": uid}
        # 一、责任落实
        issued = p.get("duty_list_issued", True)
        v["duty_list_issued"] = "是" if issued else "否"
        dl = p.get("duty_list_date") or (YEAR_START + timedelta(days=rng.randint(40, 89))).isoformat()
        v["duty_list_date"] = dl if issued else ""
        v["party_meetings"] = p.get("party_meetings", rng.choice([4, 4, 5, 6]))
        v["leaders_total"] = rng.randint(5, 8)
        v["leaders_no_duty"] = p.get("leaders_no_duty", 0)
        v["briefings_missed"] = p.get("briefings_missed", 0)
        # 二、专项整治
        if regulator:
            plan_issued = p.get("plan_issued", True)
            v["plan_issued"] = "是" if plan_issued else "否"
            pd = p.get("plan_date") or (date(2020, 3, 20) + timedelta(days=rng.randint(0, 35))).isoformat()
            v["plan_date"] = pd if plan_issued else ""
        else:
            v["plan_issued"] = NA
            v["plan_date"] = ""
        v["support_tasks_missed"] = p.get("support", 0)
        # 三、专委会
        has_committee = committee != "无"
        v["committee_meetings"] = p.get("committee_meetings", rng.choice([4, 4, 5])) if has_committee else NA
        # 四、监管执法
        if regulator:
            planned, done = p.get("insp_plan") or (None, None)
            if planned is None:
                planned = rng.randint(6, 30) * 10
                done = planned + rng.randint(0, 12)
            v["inspections_planned"] = planned
            v["inspections_done"] = done
            v["cases_filed"] = p.get("cases", rng.randint(20, 64))
            v["joint_actions"] = p.get("joint", rng.randint(5, 9))
        else:
            for k in ("inspections_planned", "inspections_done", "cases_filed", "joint_actions"):
                v[k] = NA
        # 五、隐患排查整治
        if regulator:
            found, rate = p.get("hazards") or (rng.randint(80, 600), None)
            if rate is None:
                rate = rng.choice([0.96, 0.97, 0.98, 0.99, 1.0])
            rectified = int(found * rate + 0.5)
            v["hazards_found"] = found
            v["hazards_rectified"] = rectified
            v["listed_overdue"] = p.get("listed_overdue", 0)
        else:
            v["hazards_found"] = NA
            v["hazards_rectified"] = NA
            v["listed_overdue"] = NA
        # 六、信息报送（空白按默认值0计）
        v["late_reports"] = p.get("late_reports", "")
        v["missing_reports"] = p.get("missing_reports", "")
        v["assigned_failed"] = p.get("assigned_failed", 0)
        # 七、宣传教育
        v["activities"] = p.get("activities", rng.randint(3, 6))
        v["training_rate"] = f"{round(p.get('training', rng.choice([0.96, 0.97, 0.98, 1.0])) * 100)}%"
        # 九、单位消防
        v["fire_drills"] = p.get("fire_drills", rng.choice([2, 2, 3]))
        v["fire_selfcheck"] = "是" if p.get("fire_selfcheck", True) else "否"
        # 否决、加分、扣分（空白按默认值计）
        v["concealed"] = p.get("concealed", "")
        v["major_accidents_duty"] = p.get("major_accidents_duty", "") if regulator else ""
        rr = p.get("refused_rectification")
        v["refused_rectification"] = "" if rr is None else ("是" if rr else "否")
        v["interviews"] = p.get("interviews", "")
        v["experience_promoted"] = p.get("experience_promoted", "")
        values.append(v)

        # 牵头任务台账
        if regulator:
            kinds = p.get("tasks") or ["ok", "ok", "next"]
            used: dict[str, int] = {}
            for i, kind in enumerate(kinds, 1):
                sector = sectors[(i - 1) % len(sectors)]
                texts = TASK_TEXT[sector]
                text = texts[used.get(sector, 0) % len(texts)]
                used[sector] = used.get(sector, 0) + 1
                if kind == "next":
                    due = date(2021, rng.choice([3, 6, 9]), 30)
                else:
                    due = date(2020, rng.choice([3, 5, 6, 8, 9, 10, 11]), 30)
                row = {"entity": uid, "任务编号": f"{uid.upper()}-{i:02d}", "专项名称": sector,
                       "任务内容": text, "完成时限": due.isoformat(), "完成日期": "", "完成情况": ""}
                if kind == "ok":
                    row["完成日期"] = (due - timedelta(days=rng.randint(0, 25))).isoformat()
                    row["完成情况"] = "已完成"
                elif kind == "sub":
                    row["完成日期"] = (due - timedelta(days=rng.randint(0, 10))).isoformat()
                    row["完成情况"] = "未达标"
                elif kind == "late":
                    row["完成日期"] = (due + timedelta(days=rng.randint(5, 30))).isoformat()
                    row["完成情况"] = "已完成"
                elif kind == "undone":
                    row["完成情况"] = "未完成"
                else:
                    row["完成情况"] = "序时推进"
                lead_tasks.append(row)

        # 专委会督导台账
        if has_committee:
            n, issues, fixed = p.get("insp") or (rng.randint(4, 6), None, None)
            if issues is None:
                per = [rng.randint(2, 8) for _ in range(n)]
                fixes = list(per)
            else:
                per = [issues // n + (1 if k < issues % n else 0) for k in range(n)]
                fixes = list(per)
                short = issues - fixed
                k = n - 1
                while short > 0:
                    take = min(short, fixes[k])
                    fixes[k] -= take
                    short -= take
                    k -= 1
            months = sorted(rng.sample(range(2, 12), n))
            for j in range(n):
                insps.append({"entity": uid, "督导编号": f"{uid.upper()}-DD{j + 1}",
                              "督导日期": date(2020, months[j], rng.randint(5, 25)).isoformat(),
                              "督导对象": COUNTIES[(j + int(uid[1:])) % len(COUNTIES)],
                              "发现问题数": per[j], "已整改数": fixes[j]})

        for wh, item, level, day in p.get("honours", []):
            honours.append({"entity": uid, "文号": wh, "项目": item, "级别": level, "表彰日期": day})
        for wh, level, day, why in p.get("criticisms", []):
            criticisms.append({"entity": uid, "文号": wh, "级别": level, "通报日期": day, "事由": why})

        # 考核扣分记录：市消防救援支队对每个单位评“消防安全责任制落实”（I1，0—40分）
        findings.append({"entity": uid, "考核项目": "I1", "扣分": "", "得分": p.get("fire", 40),
                         "事由": "消防安全责任制落实情况评分", "评分单位": XIAOFANG,
                         "依据": "华阳市2020年度消防工作考核评分表"})
        for item, minus, score, why, who, basis in p.get("find", []):
            findings.append({"entity": uid, "考核项目": item, "扣分": "" if minus is None else minus,
                             "得分": "" if score is None else score, "事由": why, "评分单位": who, "依据": basis})
    return entities, values, lead_tasks, insps, honours, criticisms, findings


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "departments"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    entities, values, lead_tasks, insps, honours, criticisms, findings = build(rng)
    write(out / "entities.csv", entities, ["id", "name", "type", "committee"])
    write(out / "values.csv", values, list(values[0].keys()))
    write(out / "lead_tasks.csv", lead_tasks,
          ["entity", "任务编号", "专项名称", "任务内容", "完成时限", "完成日期", "完成情况"])
    write(out / "committee_inspections.csv", insps,
          ["entity", "督导编号", "督导日期", "督导对象", "发现问题数", "已整改数"])
    write(out / "honours.csv", honours, ["entity", "文号", "项目", "级别", "表彰日期"])
    write(out / "criticisms.csv", criticisms, ["entity", "文号", "级别", "通报日期", "事由"])
    write(out / "findings.csv", findings, ["entity", "考核项目", "扣分", "得分", "事由", "评分单位", "依据"])
    print(f"wrote {len(entities)} units to {out}")


if __name__ == "__main__":
    main()
