"""A small district for the overview and briefing tests, small enough to compute every figure by hand.

Registry (tests/factories.py): 青溪街道 (56,000 residents): WHG 文化馆, TSG 图书馆, ZHAN-1 综合文化站;
白鹤镇 (32,000): ZHAN-2 综合文化站, FG-2 街镇图书分馆.

Monthly reports (visits / loans / new cardholders / reading, exhibition, education, performance events /
participants / online visits / media reports; blank = not reported):

    2025-10  WHG 800 / - / - / 1,1,0,2 / 400 / 100 / 1     TSG 2500 / 2000 / 50 / 3,0,1,0 / 250 / 800 / 1
             ZHAN-1 300 / - / - / 1,0,0,0 / 30 / - / 0      ZHAN-2 500 / - / - / 0,0,0,0 / 0 / - / 0
             FG-2 600 / 600 / 10 / 1,0,0,0 / 60 / 0 / 0
    2026-09  WHG 900 / - / - / 1,1,1,1 / 450 / 150 / 1     TSG 2800 / 2400 / 35 / 3,0,1,0 / 280 / 850 / 1
             ZHAN-1 400 / - / - / 0,0,0,0 / 0 / - / 0       ZHAN-2 500 / - / - / 0,0,0,0 / 0 / - / 0
             FG-2 700 / 650 / 8 / 1,0,0,0 / 70 / 0 / 0
    2026-10  WHG 1000 / - / - / 1,2,0,6 / 500 / 200 / 2    TSG 3000 / 2500 / 40 / 4,0,1,0 / 300 / 900 / 1
             ZHAN-2 600 / - / - / 0,0,0,0 / 0 / - / 0      FG-2 800 / 700 / 10 / 2,0,0,0 / 80 / 0 / 0
             (ZHAN-1 did not report 2026-10)
"""

from culture_dash.ingest.kinds import MONTHLY_METRICS
from tests.factories import load, seed_registry

MONTHLY = [
    # month, venue, visits, loans, new cardholders, 4 event categories, participants, online, media
    ("2025-10", "WHG", 800, "", "", 1, 1, 0, 2, 400, 100, 1),
    ("2025-10", "TSG", 2500, 2000, 50, 3, 0, 1, 0, 250, 800, 1),
    ("2025-10", "ZHAN-1", 300, "", "", 1, 0, 0, 0, 30, "", 0),
    ("2025-10", "ZHAN-2", 500, "", "", 0, 0, 0, 0, 0, "", 0),
    ("2025-10", "FG-2", 600, 600, 10, 1, 0, 0, 0, 60, 0, 0),
    ("2026-09", "WHG", 900, "", "", 1, 1, 1, 1, 450, 150, 1),
    ("2026-09", "TSG", 2800, 2400, 35, 3, 0, 1, 0, 280, 850, 1),
    ("2026-09", "ZHAN-1", 400, "", "", 0, 0, 0, 0, 0, "", 0),
    ("2026-09", "ZHAN-2", 500, "", "", 0, 0, 0, 0, 0, "", 0),
    ("2026-09", "FG-2", 700, 650, 8, 1, 0, 0, 0, 70, 0, 0),
    ("2026-10", "WHG", 1000, "", "", 1, 2, 0, 6, 500, 200, 2),
    ("2026-10", "TSG", 3000, 2500, 40, 4, 0, 1, 0, 300, 900, 1),
    ("2026-10", "ZHAN-2", 600, "", "", 0, 0, 0, 0, 0, "", 0),
    ("2026-10", "FG-2", 800, 700, 10, 2, 0, 0, 0, 80, 0, 0),
]
MONTHLY_FIELDS = ("month", "venue_code", *MONTHLY_METRICS)

# 2026 plan per category: 读书看报 12+48+24 = 84, 文化鉴赏及展览 24, 公众教育 12, 文艺演出 36 (total 156).
ACTIVITY_PLANS = [
    ("WHG", "读书看报", 12),
    ("WHG", "文化鉴赏及展览", 24),
    ("WHG", "文艺演出", 36),
    ("TSG", "读书看报", 48),
    ("TSG", "公众教育", 12),
    ("FG-2", "读书看报", 24),
]

# 2026: allocated 40 + 20 + 10 = 70, disbursed 40 + 10 + 12 = 62, spent 30 + 15 + 5 = 50 (万元).
SUBSIDIES = [
    {"year": "2026", "source": "中央", "programme": "免费开放", "venue_code": "WHG", "allocated": "40",
     "disbursed": "40", "spent": "30"},
    {"year": "2026", "source": "省级", "programme": "设备购置", "venue_code": "TSG", "allocated": "20",
     "disbursed": "10", "spent": "15"},  # spent > disbursed
    {"year": "2026", "source": "区级", "programme": "示范点建设", "venue_code": "ZHAN-2", "allocated": "10",
     "disbursed": "12", "spent": "5"},  # disbursed > allocated
    {"year": "2025", "source": "中央", "programme": "免费开放", "venue_code": "WHG", "allocated": "40",
     "disbursed": "50", "spent": "40"},  # another year: never in a 2026 figure
]  # fmt: skip

# Due by 2026-10-31: T1 (done), T2 (behind), T3 (on schedule, but its deadline passed by 2026-11-26).
TASKS = [
    ("T1", "2026-06-30", "已完成", 10, 10),
    ("T2", "2026-09-30", "滞后", 10, 5),
    ("T3", "2026-10-31", "序时推进", 4, 3),
    ("T4", "2026-12-31", "已完成", 2, 2),
    ("T5", "2026-12-31", "未启动", 6, 0),
]

DEMO_SITES = [("ZHAN-1", "已授牌"), ("ZHAN-2", "建设中")]

INSPECTIONS = [
    ("2026-08-01", "ZHAN-2", "不开门", "正在整改", "2026-09-30"),  # overdue on 2026-11-26
    ("2026-09-01", "WHG", "无问题", "", ""),
    ("2026-10-01", "TSG", "设施闲置", "已完成整改", "2026-10-15"),
    ("2026-11-01", "FG-2", "活动少", "未启动整改", "2026-12-15"),  # not yet due
]


def seed_overview(session) -> None:
    seed_registry(session)
    load(session, "monthly", [dict(zip(MONTHLY_FIELDS, map(str, row), strict=True)) for row in MONTHLY])
    load(
        session,
        "activity_plans",
        [{"year": "2026", "venue_code": v, "category": c, "planned": str(n)} for v, c, n in ACTIVITY_PLANS],
    )
    load(session, "subsidies", SUBSIDIES)
    load(
        session,
        "tasks",
        [
            {
                "task_code": code,
                "year": "2026",
                "section": "公共文化服务体系建设",
                "title": f"任务{code}",
                "lead_unit": "公共服务科",
                "target": str(target),
                "unit": "个",
                "actual": str(actual),
                "deadline": deadline,
                "status": status,
                "as_of": "2026-11-20",
            }
            for code, deadline, status, target, actual in TASKS
        ],
    )
    load(
        session,
        "demo_sites",
        [{"venue_code": v, "batch_year": "2025", "level": "区级", "stage": s} for v, s in DEMO_SITES],
    )
    load(
        session,
        "inspections",
        [
            {"date": d, "venue_code": v, "method": "督查", "issue": i, "status": s, "due": due}
            for d, v, i, s, due in INSPECTIONS
        ],
    )
