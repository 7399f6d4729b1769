"""The invented demo city of ``manage.py seed_demo``: its data and the builder.

江川市 does not exist: its 14 counties and districts, its 12 responsible units and every
figure are invented. Each county has a latent strength that drifts over the years, so that the
trends and ranks of the three past years move; every other figure is drawn from a random
generator seeded per year, so that two runs build the same city.

It lives in the top app because it drives every layer, down to closing rounds.

The past years (2023–2025) are complete: inputs, exemptions, adjustments, a veto, both
pre-assessment rounds closed with their warnings, and the annual results computed by the same
services as in production. The current year (2026) has its rules approved and its targets set,
its April round closed and its August round open with progress partly entered.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from alerts.services import close_round
from assessment.audit import record_event
from assessment.models import Adjustment, County, Cycle, Round, Unit, User, Veto
from assessment.services import set_cycle_status
from indicators.models import Category, Indicator, RuleItem
from indicators.params import NEEDS_TARGET, parse_params
from reports.demo_followup import build_follow_up, mark_past_delivered
from reports.demo_governance import DRAFT_YEAR, build_governance, reset_governance
from reports.models import Objection, Publication
from reports.objections import answer, decide, lodge
from reports.publication import publish
from scoring.models import AnnualInput, CountyResult, EntryState, Exemption, Progress
from scoring.services.results import compute_results, override_grade

CITY = "江川市"
PAST_YEARS = (2023, 2024, 2025)
CURRENT_YEAR = 2026
YEARS = (*PAST_YEARS, CURRENT_YEAR)
SEED = 20230101
DEFAULT_PASSWORD = "demo1234"
BONUS_CAP = Decimal("3")
LEAD_USERNAME = "lead"


# --- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyPlan:
    code: str
    name: str
    strength: float  # latent performance, about -1 … 1
    drift: float  # change of the strength per year
    size: float  # economic size: scales the targets of volume indicators


COUNTIES = (
    CountyPlan("101", "江城区", 0.5, -0.15, 2.2),  # the old centre, strong but slipping
    CountyPlan("102", "川北区", 0.0, 0.35, 1.8),  # rising fast
    CountyPlan("103", "澜港区", 0.3, 0.0, 1.6),
    CountyPlan("104", "新桥区", -0.6, 0.45, 1.4),  # a young district catching up
    CountyPlan("105", "禾丰县", -0.1, -0.3, 0.9),
    CountyPlan("106", "青岚县", -0.9, 0.2, 0.7),
    CountyPlan("107", "石埠县", -0.3, 0.1, 0.8),
    CountyPlan("108", "柳湾县", -1.2, 0.1, 0.6),
    CountyPlan("109", "松坪县", 0.1, -0.2, 1.0),
    CountyPlan("110", "安澜县", -0.7, -0.1, 0.8),
    CountyPlan("111", "白溪县", -0.5, 0.25, 0.7),
    CountyPlan("112", "桃川县", -1.0, -0.05, 0.6),
    CountyPlan("113", "梅岭县", -0.4, -0.25, 0.7),
    CountyPlan("114", "云渡市", 0.2, 0.15, 1.2),
)

UNITS = (
    ("FGW", "市发展改革委"),
    ("TJJ", "市统计局"),
    ("CZJ", "市财政局"),
    ("GXJ", "市工业和信息化局"),
    ("KJJ", "市科技局"),
    ("STHJ", "市生态环境局"),
    ("JYJ", "市教育局"),
    ("WJW", "市卫生健康委"),
    ("RSJ", "市人力资源社会保障局"),
    ("YJJ", "市应急管理局"),
    ("XFJ", "市信访局"),
    ("ZZB", "市委组织部"),
)


@dataclass(frozen=True)
class Values:
    """How a county's actual (and target) on an item are invented from its performance.

    ``level`` items: actual = center ± spread × performance, the same ``target`` for all.
    ``scaled`` items (volumes): target = center × county size × (1 + growth) ^ years, and
    actual = target × (1 ± spread × performance). The sign follows what is better.
    """

    center: float
    spread: float
    target: float | None = None
    scaled: bool = False
    growth: float = 0.0
    places: int = 1
    low: float = 0.0
    high: float | None = None


def level(center, spread, target=None, *, places=1, low=0.0, high=None) -> Values:
    return Values(center, spread, target, places=places, low=low, high=high)


def percent(center, spread, target=None, *, places=1) -> Values:
    return Values(center, spread, target, places=places, high=100.0)


def scaled(center, spread, *, growth=0.05, places=2) -> Values:
    return Values(center, spread, scaled=True, growth=growth, places=places)


def count(center, spread, *, low=0.0) -> Values:
    return Values(center, spread, places=0, low=low)


@dataclass(frozen=True)
class ItemPlan:
    name: str
    method: str
    params: str
    values: Values
    content: str
    share: int = 100


@dataclass(frozen=True)
class IndicatorPlan:
    code: str
    name: str
    unit: str
    weight: str
    direction: str
    items: tuple[ItemPlan, ...]


H, L = "higher", "lower"

CATEGORIES: tuple[tuple[str, tuple[IndicatorPlan, ...]], ...] = (
    ("经济发展", (
        IndicatorPlan("E01", "地区生产总值增速", "TJJ", "4", H, (
            ItemPlan("地区生产总值增速（%）", "linear", "base=100;per=10;cap=120;floor=60",
                     level(5.6, 0.9, 5.5),
                     "以年度目标为基准，每高（低）1个百分点加（减）10分，最高120分，最低60分。"),
        )),
        IndicatorPlan("E02", "一般公共预算收入", "CZJ", "4", H, (
            ItemPlan("收入目标完成率", "ratio", "cap=120;floor=40", scaled(18.0, 0.06),
                     "按完成年度目标（亿元）的比例计分，超额完成最高120分，最低40分。", 70),
            ItemPlan("收入增速排名（%）", "rank", "step=4;floor=60", level(6.0, 2.5),
                     "按增速排名，第1名100分，每后移1位减4分，最低60分。", 30),
        )),
        IndicatorPlan("E03", "规上工业增加值增速", "GXJ", "3.5", H, (
            ItemPlan("规上工业增加值增速（%）", "linear", "base=100;per=8;cap=120;floor=60",
                     level(6.5, 1.5, 6.5),
                     "以年度目标为基准，每高（低）1个百分点加（减）8分，最高120分，最低60分。"),
        )),
        IndicatorPlan("E04", "固定资产投资", "FGW", "3.5", H, (
            # Investment can fall: the weakest counties have negative growth some years.
            ItemPlan("固定资产投资增速（%）", "rank", "step=4;floor=60",
                     level(4.0, 4.0, low=-15.0),
                     "按增速排名，第1名100分，每后移1位减4分，最低60分。", 60),
            ItemPlan("市重点项目年度投资完成率", "ratio", "cap=110;floor=50",
                     scaled(45.0, 0.08, growth=0.06),
                     "按完成年度计划投资（亿元）的比例计分，最高110分，最低50分。", 40),
        )),
        IndicatorPlan("E05", "社会消费品零售总额增速", "TJJ", "3", H, (
            ItemPlan("社会消费品零售总额增速（%）", "relative", "floor=60", level(6.5, 1.2),
                     "以全市最高增速为标杆，按与标杆的比值计分，最低60分。"),
        )),
        IndicatorPlan("E06", "实际利用外资", "FGW", "2.5", H, (
            ItemPlan("实际利用外资目标完成率", "ratio", "cap=110;floor=40",
                     scaled(0.8, 0.15, growth=0.03),
                     "按完成年度目标（亿美元）的比例计分，最高110分，最低40分。"),
        )),
        IndicatorPlan("E07", "居民人均可支配收入增速", "TJJ", "3", H, (
            ItemPlan("城镇居民人均可支配收入增速（%）", "linear",
                     "base=100;per=10;cap=110;floor=60", level(5.2, 0.6, 5.0),
                     "以年度目标为基准，每高（低）1个百分点加（减）10分，最高110分，最低60分。",
                     50),
            ItemPlan("农村居民人均可支配收入增速（%）", "linear",
                     "base=100;per=10;cap=110;floor=60", level(6.6, 0.7, 6.5),
                     "以年度目标为基准，每高（低）1个百分点加（减）10分，最高110分，最低60分。",
                     50),
        )),
        IndicatorPlan("E08", "税收收入占一般公共预算收入比重", "CZJ", "2.5", H, (
            ItemPlan("税收占比（%）", "tiers", "tiers=80:100,75:90,70:80,0:60", percent(76, 5),
                     "80%及以上100分，75%及以上90分，70%及以上80分，其余60分。"),
        )),
        IndicatorPlan("E09", "营商环境评价", "FGW", "2", H, (
            ItemPlan("营商环境第三方评价得分", "manual", "", percent(86, 5),
                     "依据全市营商环境第三方评价结果直接评分。"),
        )),
        IndicatorPlan("E10", "招商引资到位资金", "FGW", "2", H, (
            ItemPlan("招商引资到位资金目标完成率", "ratio", "cap=110;floor=40", scaled(30.0, 0.1),
                     "按完成年度目标（亿元）的比例计分，最高110分，最低40分。"),
        )),
    )),
    ("创新驱动", (
        IndicatorPlan("I01", "研发经费投入强度", "KJJ", "3.5", H, (
            ItemPlan("研发经费支出占地区生产总值比重（%）", "linear",
                     "base=100;per=20;cap=120;floor=40", level(2.1, 0.4, 2.0, places=2),
                     "以年度目标为基准，每高（低）0.1个百分点加（减）2分，最高120分，最低40分。"),
        )),
        IndicatorPlan("I02", "创新主体培育", "KJJ", "3", H, (
            ItemPlan("高新技术企业净增数目标完成率", "ratio", "cap=110;floor=40",
                     scaled(20, 0.15, growth=0.08, places=0),
                     "按完成年度净增目标（家）的比例计分，最高110分，最低40分。", 60),
            ItemPlan("科技型中小企业入库数", "rank", "step=5;floor=50", count(40, 12),
                     "按入库数排名，第1名100分，每后移1位减5分，最低50分。", 40),
        )),
        IndicatorPlan("I03", "高新技术产业增加值占规上工业增加值比重", "KJJ", "2.5", H, (
            ItemPlan("高新技术产业增加值占比（%）", "relative", "floor=50", percent(38, 8),
                     "以全市最高占比为标杆，按与标杆的比值计分，最低50分。"),
        )),
        IndicatorPlan("I04", "每万人口高价值发明专利拥有量", "KJJ", "2", H, (
            ItemPlan("每万人口高价值发明专利拥有量目标完成率", "ratio", "cap=110;floor=40",
                     scaled(8.0, 0.12, growth=0.08),
                     "按完成年度目标（件）的比例计分，最高110分，最低40分。"),
        )),
        IndicatorPlan("I05", "数字经济核心产业增加值增速", "GXJ", "2", H, (
            ItemPlan("数字经济核心产业增加值增速（%）", "linear", "base=100;per=5;cap=110;floor=60",
                     level(10, 3, 10),
                     "以年度目标为基准，每高（低）1个百分点加（减）5分，最高110分，最低60分。"),
        )),
        IndicatorPlan("I06", "技术合同成交额", "KJJ", "1", H, (
            ItemPlan("技术合同成交额目标完成率", "ratio", "cap=110;floor=40",
                     scaled(5.0, 0.12, growth=0.1),
                     "按完成年度目标（亿元）的比例计分，最高110分，最低40分。"),
        )),
    )),
    ("生态环境", (
        IndicatorPlan("G01", "空气质量优良天数比例", "STHJ", "3.5", H, (
            ItemPlan("空气质量优良天数比例（%）", "tiers", "tiers=92:100,88:95,85:90,80:80,0:60",
                     percent(87, 3.5),
                     "92%及以上100分，88%及以上95分，85%及以上90分，80%及以上80分，其余60分。"),
        )),
        IndicatorPlan("G02", "PM2.5平均浓度", "STHJ", "3.5", L, (
            ItemPlan("PM2.5年均浓度（微克/立方米）", "ratio", "cap=110;floor=40", level(33, 4, 35),
                     "按控制目标与实际浓度之比计分，优于目标最高110分，最低40分。", 70),
            ItemPlan("重污染天数（天）", "rank", "step=5;floor=60", count(5, 2),
                     "按重污染天数由少到多排名，第1名100分，每后移1位减5分，最低60分。", 30),
        )),
        IndicatorPlan("G03", "地表水国省控断面水质达标率", "STHJ", "3", H, (
            ItemPlan("国省控断面水质达标率（%）", "binary", "", percent(93, 5, 90),
                     "达到年度目标得100分，未达到不得分。"),
        )),
        IndicatorPlan("G04", "单位地区生产总值能耗降低率", "FGW", "2.5", H, (
            ItemPlan("单位地区生产总值能耗降低率（%）", "binary", "",
                     level(3.4, 0.6, 3.0, places=2),
                     "完成省下达的年度降低目标得100分，未完成不得分。"),
        )),
        IndicatorPlan("G05", "突出生态环境问题整改", "STHJ", "2", L, (
            ItemPlan("未按期整改到位的突出问题（个）", "deduction", "per=12.5", count(1.2, 1.2),
                     "每有1个问题未按期整改到位扣12.5分，扣完为止。"),
        )),
        IndicatorPlan("G06", "森林覆盖率", "STHJ", "1.5", H, (
            ItemPlan("森林覆盖率年度提升（百分点）", "linear", "base=100;per=40;cap=110;floor=60",
                     level(0.55, 0.2, 0.5, places=2),
                     "以年度提升目标为基准，每高（低）0.1个百分点加（减）4分，最高110分，最低60分。"),
        )),
    )),
    ("民生保障", (
        IndicatorPlan("M01", "城镇新增就业人数", "RSJ", "3", H, (
            ItemPlan("城镇新增就业目标完成率", "ratio", "cap=110;floor=40",
                     scaled(6000, 0.08, growth=0.02, places=0),
                     "按完成年度目标（人）的比例计分，最高110分，最低40分。"),
        )),
        IndicatorPlan("M02", "城镇调查失业率", "RSJ", "2", L, (
            ItemPlan("城镇调查失业率（%）", "binary", "", level(5.2, 0.4, 5.5),
                     "控制在年度目标以内得100分，超出不得分。"),
        )),
        IndicatorPlan("M03", "民生支出占一般公共预算支出比重", "CZJ", "2.5", H, (
            ItemPlan("民生支出占比（%）", "tiers", "tiers=80:100,78:90,75:80,0:60", percent(78, 2),
                     "80%及以上100分，78%及以上90分，75%及以上80分，其余60分。"),
        )),
        IndicatorPlan("M04", "义务教育优质均衡发展", "JYJ", "3", H, (
            ItemPlan("义务教育优质均衡督导评估得分", "manual", "", percent(88, 5),
                     "依据市政府教育督导室评估结果直接评分。", 60),
            ItemPlan("学前教育普惠率（%）", "tiers", "tiers=90:100,85:90,80:80,0:60",
                     percent(88, 3),
                     "90%及以上100分，85%及以上90分，80%及以上80分，其余60分。", 40),
        )),
        IndicatorPlan("M05", "每千人口执业（助理）医师数", "WJW", "2", H, (
            ItemPlan("每千人口执业（助理）医师数（人）", "relative", "floor=60",
                     level(3.2, 0.4, places=2),
                     "以全市最高值为标杆，按与标杆的比值计分，最低60分。"),
        )),
        IndicatorPlan("M06", "婴儿死亡率", "WJW", "2", L, (
            ItemPlan("婴儿死亡率（‰）", "tiers", "tiers=3.5:100,4.5:90,5.5:80,99:60",
                     level(4.0, 0.8, places=2),
                     "3.5‰及以下100分，4.5‰及以下90分，5.5‰及以下80分，其余60分。"),
        )),
        IndicatorPlan("M07", "基本养老保险参保率", "RSJ", "2", H, (
            ItemPlan("基本养老保险参保率（%）", "linear", "base=100;per=10;cap=100;floor=60",
                     percent(95.5, 1.2, 95),
                     "达到年度目标得100分，每低1个百分点减10分，最低60分。"),
        )),
        IndicatorPlan("M08", "城乡居民医保参保率", "WJW", "1.5", H, (
            ItemPlan("城乡居民医保参保率（%）", "binary", "", percent(96, 1.2, 95),
                     "达到年度目标得100分，未达到不得分。"),
        )),
        IndicatorPlan("M09", "民生实事项目", "FGW", "2", H, (
            ItemPlan("民生实事项目完成率（%）", "ratio", "cap=100;floor=0", percent(96, 4, 100),
                     "按完成项目的比例计分。", 60),
            ItemPlan("民生实事群众满意度", "manual", "", percent(90, 4),
                     "依据第三方满意度测评结果直接评分。", 40),
        )),
    )),
    ("安全稳定", (
        IndicatorPlan("S01", "安全生产事故起数", "YJJ", "3.5", L, (
            ItemPlan("生产安全事故起数（起）", "rank", "step=5;floor=50", count(6, 2.5),
                     "按事故起数由少到多排名，第1名100分，每后移1位减5分，最低50分。", 60),
            ItemPlan("较大及以上生产安全事故（起）", "deduction", "per=50", count(0.1, 0.3),
                     "每发生1起较大及以上事故扣50分，扣完为止。", 40),
        )),
        IndicatorPlan("S02", "生产安全事故死亡人数", "YJJ", "2.5", L, (
            ItemPlan("生产安全事故死亡人数（人）", "ratio", "cap=120;floor=40",
                     scaled(7, 0.3, growth=-0.05, places=0),
                     "按控制指标与实际死亡人数之比计分，无死亡得120分，最低40分。"),
        )),
        IndicatorPlan("S03", "信访积案化解率", "XFJ", "2", H, (
            ItemPlan("信访积案化解率（%）", "ratio", "cap=110;floor=40", percent(91, 5, 90),
                     "按化解率与年度目标之比计分，最高110分，最低40分。"),
        )),
        IndicatorPlan("S04", "进京赴省越级访批次", "XFJ", "1.5", L, (
            ItemPlan("进京赴省越级访批次", "tiers", "tiers=2:100,4:90,6:80,99:60", count(4, 2),
                     "2批次及以下100分，4批次及以下90分，6批次及以下80分，其余60分。"),
        )),
        IndicatorPlan("S05", "自然灾害防范应对", "YJJ", "1.5", H, (
            ItemPlan("自然灾害防范应对工作评价", "manual", "", percent(88, 4),
                     "依据汛期、森林防火等工作检查结果直接评分。"),
        )),
        IndicatorPlan("S06", "群众安全感满意度", "TJJ", "1", H, (
            ItemPlan("群众安全感满意度（%）", "relative", "floor=80", percent(93, 2),
                     "以全市最高满意度为标杆，按与标杆的比值计分，最低80分。"),
        )),
    )),
    ("党的建设", (
        IndicatorPlan("P01", "基层党组织建设", "ZZB", "2.5", H, (
            ItemPlan("基层党组织建设考评得分", "manual", "", percent(90, 4),
                     "依据基层党建述职评议考核结果直接评分。"),
        )),
        IndicatorPlan("P02", "领导班子和干部队伍建设", "ZZB", "2", H, (
            ItemPlan("领导班子和干部队伍建设考评得分", "manual", "", percent(89, 4),
                     "依据年度考察、民主测评结果直接评分。", 70),
            ItemPlan("选人用人问题（个）", "deduction", "per=20", count(0.2, 0.4),
                     "选人用人专项检查每发现1个问题扣20分，扣完为止。", 30),
        )),
        IndicatorPlan("P03", "党风廉政建设", "ZZB", "2", H, (
            ItemPlan("党风廉政建设责任制落实评价", "manual", "", percent(90, 3),
                     "依据党风廉政建设责任制检查考核结果直接评分。", 60),
            ItemPlan("被通报的违纪违法典型案件（件）", "deduction", "per=10", count(1, 1),
                     "每被通报1件扣10分，扣完为止。", 40),
        )),
        IndicatorPlan("P04", "人才工作", "ZZB", "1.5", H, (
            ItemPlan("引进高层次人才目标完成率", "ratio", "cap=110;floor=40",
                     scaled(120, 0.12, growth=0.05, places=0),
                     "按完成年度引进目标（人）的比例计分，最高110分，最低40分。"),
        )),
    )),
)  # fmt: skip

# Central districts have no forest land; 澜港区 has no monitored river section.
EXEMPTIONS = (
    ("101", "G06", "中心城区无林地资源，经批准免考"),
    ("102", "G06", "中心城区无林地资源，经批准免考"),
    ("103", "G03", "辖区内无国省控断面，经批准免考"),
)

ADJUSTMENTS = {
    2023: (
        ("103", "1.5", "获评全省营商环境评价优秀县区"),
        ("107", "1", "承担全市重大活动服务保障任务成效突出"),
        ("110", "-2", "中央生态环境保护督察反馈问题整改不力被通报"),
    ),
    2024: (
        ("101", "2", "获国务院督查激励"),
        ("105", "1", "承担省级改革试点并通过验收"),
        ("104", "0.5", "承担重大招商活动服务保障"),
        ("112", "-1.5", "安全生产工作被省安委会约谈"),
    ),
    2025: (
        ("102", "2", "获评全省高质量发展先进县区"),
        ("114", "1", "承担全国性赛事服务保障任务成效突出"),
        ("113", "-1", "耕地保护督察问题被通报"),
        ("108", "-0.5", "重点民生工程进度滞后被督办"),
    ),
}

VETOES = {2024: (("109", "发生较大生产安全责任事故，实行一票否决"),)}

ROUND_NAMES = {"annual": "年度考核", "april": "4月预考核", "august": "8月预考核"}

# Progress not entered in the current year: 市信访局 has not reported in August yet, and
# two figures were missing when April closed.
MISSING_APRIL = (("113", "S03"), ("106", "M05"))
LATE_UNIT_AUGUST = "XFJ"
AUGUST_GAP_RATE = 0.06
# Where each unit's August entry stands in the current year (the units missing here have
# not started; an indicator with a county still empty is a draft whatever its unit).
AUGUST_ENTRY = {
    "FGW": "approved", "TJJ": "approved", "CZJ": "submitted", "GXJ": "approved",
    "KJJ": "returned", "STHJ": "submitted", "JYJ": "approved", "WJW": "draft",
    "RSJ": "approved", "YJJ": "submitted", "ZZB": "approved",
}  # fmt: skip
RETURN_COMMENT = "部分县区进度与统计快报口径不一致，请核实后重新提交。"
# Progress points per unit of performance around the expected progress of a round.
PROGRESS_SPREAD = 6.0
# With about 40 indicators nearly every county is in some bottom three; the demo city flags
# for diagnosis only the counties warned on many indicators.
DIAGNOSIS_THRESHOLD = 8


def indicator_plans() -> list[tuple[str, IndicatorPlan]]:
    """Every indicator with the name of its category, in the order of the system."""
    return [(category, plan) for category, plans in CATEGORIES for plan in plans]


# --- inventing the figures -------------------------------------------------------------------


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _performance(rng: random.Random, year: int) -> dict[str, float]:
    return {
        c.code: c.strength + c.drift * (year - PAST_YEARS[0]) + rng.gauss(0, 0.2) for c in COUNTIES
    }


def _item_values(
    values: Values, *, better_higher: bool, perf: float, size: float, year: int
) -> tuple[Decimal, Decimal | None]:
    sign = 1 if better_higher else -1
    if values.scaled:
        target = values.center * size * (1 + values.growth) ** (year - PAST_YEARS[0])
        actual = target * (1 + sign * values.spread * perf)
    else:
        target = values.target
        actual = values.center + sign * values.spread * perf
    actual = max(actual, values.low)
    if values.high is not None:
        actual = min(actual, values.high)
    return (
        _decimal(actual, values.places),
        None if target is None else _decimal(target, values.places),
    )


@dataclass
class YearFigures:
    """The invented inputs of one year, keyed by codes: (county, item) and (county, indicator)."""

    actual: dict[tuple[str, str], Decimal]
    target: dict[tuple[str, str], Decimal | None]
    progress: dict[str, dict[tuple[str, str], Decimal]]  # round code → figures


def year_figures(year: int) -> YearFigures:
    """The figures of ``year``: pure, and the same on every run (a generator seeded per year)."""
    rng = random.Random(f"{SEED}-{year}")
    perf = _performance(rng, year)
    size = {c.code: c.size for c in COUNTIES}
    actual, target = {}, {}
    for _category, plan in indicator_plans():
        for n, item in enumerate(plan.items, start=1):
            # A count of bad events is better low whatever the indicator's direction.
            better_higher = plan.direction == H and item.method != "deduction"
            for c in COUNTIES:
                p = max(-2.5, min(2.5, perf[c.code] + rng.gauss(0, 0.7)))
                a, t = _item_values(
                    item.values, better_higher=better_higher, perf=p, size=size[c.code], year=year
                )
                key = (c.code, f"{plan.code}-{n}")
                actual[key] = a
                target[key] = t if item.method in NEEDS_TARGET else None
    progress: dict[str, dict[tuple[str, str], Decimal]] = {}
    for code, expected in Round.DEFAULT_EXPECTED.items():
        figures = {}
        for _category, plan in indicator_plans():
            for c in COUNTIES:
                value = float(expected) + PROGRESS_SPREAD * (perf[c.code] + rng.gauss(0, 0.8))
                figures[(c.code, plan.code)] = _decimal(max(value, 0.0), 2)
        progress[code] = figures
    return YearFigures(actual=actual, target=target, progress=progress)


# --- the builder ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    bound_to: str


@dataclass(frozen=True)
class DemoReport:
    """What :func:`build_demo` did, for the command to print."""

    city: str
    replaced_years: list[int]
    indicators: int
    accounts: list[Account]


def check_plan() -> None:
    """Fail loudly if the data above breaks a rule of spec/scoring.md (a programming error)."""
    units = {code for code, _name in UNITS}
    total = sum(Decimal(plan.weight) for _category, plan in indicator_plans())
    if total != 100:
        raise ValueError(f"the demo weights sum to {total}, not 100")
    for _category, plan in indicator_plans():
        if plan.unit not in units:
            raise ValueError(f"{plan.code}: unknown unit {plan.unit}")
        if sum(item.share for item in plan.items) != 100:
            raise ValueError(f"{plan.code}: the item shares do not sum to 100")
        for item in plan.items:
            parse_params(item.method, item.params, plan.direction)


def build_demo(*, password: str = DEFAULT_PASSWORD) -> DemoReport:
    """Build the demo city, replacing the cycles of the demo years if they exist.

    Side effects: deletes the cycles of :data:`YEARS` with everything in them; creates or
    updates the demo counties, units and accounts (every account gets ``password``); builds
    the four cycles, closes their rounds (warnings) and computes the past years' results, with
    one audit event per bulk step. Runs in one transaction: on an error nothing is left.
    """
    check_plan()
    with transaction.atomic():
        old = Cycle.objects.filter(year__in=(*YEARS, DRAFT_YEAR))
        replaced = sorted(old.values_list("year", flat=True))
        # The demo's own past years are archived, which refuses deletion: the demo city is
        # replaced whole, so its years are opened first.
        old.update(status=Cycle.Status.DRAFT)
        old.delete()
        reset_governance()
        counties = _upsert_counties()
        units = _upsert_units()
        accounts, lead = _upsert_accounts(password=password, counties=counties, units=units)
        for year in YEARS:
            _build_year(year, counties=counties, units=units, lead=lead)
        build_governance(counties=counties, units=units, lead=lead)
    return DemoReport(
        city=CITY,
        replaced_years=replaced,
        indicators=len(indicator_plans()),
        accounts=accounts,
    )


def _upsert_counties() -> dict[str, County]:
    County.objects.bulk_create(
        [County(code=c.code, name=c.name) for c in COUNTIES],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    return County.objects.in_bulk([c.code for c in COUNTIES], field_name="code")


def _upsert_units() -> dict[str, Unit]:
    Unit.objects.bulk_create(
        [Unit(code=code, name=name) for code, name in UNITS],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    return Unit.objects.in_bulk([code for code, _name in UNITS], field_name="code")


def _upsert_accounts(
    *, password: str, counties: dict[str, County], units: dict[str, Unit]
) -> tuple[list[Account], User]:
    # One hash for all: the accounts share the password anyway, and hashing each with the
    # production hasher would take seconds.
    hashed = make_password(password)
    users = [
        User(
            username=LEAD_USERNAME,
            first_name="市委考核办",
            role=User.Role.LEAD,
            is_staff=True,
            is_superuser=True,
        )
    ]
    users += [
        User(username=f"unit-{u.code}", first_name=u.name, role=User.Role.UNIT, unit=u)
        for u in units.values()
    ]
    users += [
        User(
            username=f"county-{c.code}",
            first_name=c.name,
            role=User.Role.COUNTY,
            county=c,
            email=f"county-{c.code}@jiangchuan.example",
        )
        for c in counties.values()
    ]
    for user in users:
        user.password = hashed
        user.is_active = True
    User.objects.bulk_create(
        users,
        update_conflicts=True,
        unique_fields=["username"],
        update_fields=[
            "first_name",
            "role",
            "unit",
            "county",
            "email",
            "is_staff",
            "is_superuser",
            "is_active",
            "password",
        ],
    )
    accounts = [
        Account(
            username=user.username,
            role=str(User.Role(user.role).label),
            bound_to=str(user.unit or user.county or ""),
        )
        for user in users
    ]
    return accounts, User.objects.get(username=LEAD_USERNAME)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 30)))


def _build_year(
    year: int, *, counties: dict[str, County], units: dict[str, Unit], lead: User
) -> None:
    current = year == CURRENT_YEAR
    figures = year_figures(year)
    cycle = Cycle.objects.create(
        year=year,
        # Past years are archived once their results are computed (below).
        status=Cycle.Status.ACTIVE,
        bonus_cap=BONUS_CAP,
    )
    cycle.counties.set(counties.values())

    rounds = {
        r.code: r
        for r in Round.objects.bulk_create(
            [
                Round(
                    cycle=cycle,
                    code="annual",
                    name=ROUND_NAMES["annual"],
                    kind=Round.Kind.ANNUAL,
                    status=Round.Status.PENDING if current else Round.Status.CLOSED,
                    opens_on=date(year + 1, 1, 10),
                    closes_on=date(year + 1, 2, 28),
                    closed_at=None if current else _aware(date(year + 1, 2, 28)),
                ),
                Round(
                    cycle=cycle,
                    code="april",
                    name=ROUND_NAMES["april"],
                    kind=Round.Kind.PRE,
                    status=Round.Status.OPEN,
                    expected_progress=Round.DEFAULT_EXPECTED["april"],
                    diagnosis_threshold=DIAGNOSIS_THRESHOLD,
                    opens_on=date(year, 4, 20),
                    closes_on=date(year, 5, 10),
                ),
                Round(
                    cycle=cycle,
                    code="august",
                    name=ROUND_NAMES["august"],
                    kind=Round.Kind.PRE,
                    status=Round.Status.OPEN,
                    expected_progress=Round.DEFAULT_EXPECTED["august"],
                    diagnosis_threshold=DIAGNOSIS_THRESHOLD,
                    opens_on=date(year, 8, 20),
                    # The current year's August round is still open: its closing date (the
                    # daily job closes it then) is extended past today when need be.
                    closes_on=_august_close(year, current),
                ),
            ]
        )
    }

    categories = Category.objects.bulk_create(
        [
            Category(cycle=cycle, name=name, order=n)
            for n, (name, _plans) in enumerate(CATEGORIES, start=1)
        ]
    )
    category_by_name = {c.name: c for c in categories}
    plans = indicator_plans()
    indicators = {
        i.code: i
        for i in Indicator.objects.bulk_create(
            [
                Indicator(
                    cycle=cycle,
                    code=plan.code,
                    name=plan.name,
                    category=category_by_name[category],
                    weight=Decimal(plan.weight),
                    unit=units[plan.unit],
                    direction=plan.direction,
                    rules_status=Indicator.RulesStatus.APPROVED,
                    order=n,
                )
                for n, (category, plan) in enumerate(plans, start=1)
            ]
        )
    }
    items = {
        i.code: i
        for i in RuleItem.objects.bulk_create(
            [
                RuleItem(
                    cycle=cycle,
                    indicator=indicators[plan.code],
                    code=f"{plan.code}-{n}",
                    name=item.name,
                    content=item.content,
                    share=Decimal(item.share),
                    method=item.method,
                    params=item.params,
                    order=n,
                )
                for _category, plan in plans
                for n, item in enumerate(plan.items, start=1)
            ]
        )
    }

    Exemption.objects.bulk_create(
        Exemption(cycle=cycle, county=counties[c], indicator=indicators[i], reason=reason)
        for c, i, reason in EXEMPTIONS
    )
    exempt = {(c, i) for c, i, _reason in EXEMPTIONS}
    inputs = [
        AnnualInput(
            cycle=cycle,
            county=counties[c],
            item=items[item_code],
            actual=None if current else figures.actual[(c, item_code)],
            target=figures.target[(c, item_code)],
            updated_by=lead,
        )
        for (c, item_code) in figures.actual
        if (c, items[item_code].indicator.code) not in exempt
        and (not current or figures.target[(c, item_code)] is not None)
    ]
    AnnualInput.objects.bulk_create(inputs, batch_size=2000)
    progress = _progress_rows(year, figures, rounds=rounds, exempt=exempt)
    Progress.objects.bulk_create(
        [
            Progress(
                cycle=cycle,
                round=rounds[r],
                county=counties[c],
                indicator=indicators[i],
                value=value,
                updated_by=lead,
            )
            for r, c, i, value in progress
        ],
        batch_size=2000,
    )

    if not current:
        Adjustment.objects.bulk_create(
            Adjustment(cycle=cycle, county=counties[c], points=Decimal(points), reason=reason)
            for c, points, reason in ADJUSTMENTS.get(year, ())
        )
        Veto.objects.bulk_create(
            Veto(cycle=cycle, county=counties[c], reason=reason)
            for c, reason in VETOES.get(year, ())
        )
    record_event(
        cycle,
        summary="seed_demo",
        data={
            "indicators": len(indicators),
            "rule_items": len(items),
            "annual_inputs": len(inputs),
            "progress": len(progress),
        },
        actor=lead,
    )

    if current:
        _entry_states(cycle, rounds=rounds, indicators=indicators, progress=progress, lead=lead)
    closing = ("april",) if current else ("april", "august")
    for code in closing:
        _close(rounds[code])
        rounds[code].refresh_from_db()
        if not current:
            mark_past_delivered(round=rounds[code])
    if current:
        build_follow_up(round=rounds["april"], lead=lead)
    if not current:
        compute_results(cycle=cycle, actor=lead)
        cycle.results_computed_at = rounds["annual"].closed_at
        cycle.save(update_fields=["results_computed_at"])
        # The past years are published, a fortnight after the annual round closed.
        publication = publish(cycle=cycle, actor=lead)
        published_on = rounds["annual"].closes_on + timedelta(days=14)
        if year == PAST_YEARS[-1]:
            _review(cycle, counties=counties, lead=lead, published_on=published_on)
        Publication.objects.filter(pk=publication.pk).update(
            published_at=_aware(published_on),
            corrected_at=_aware(published_on + timedelta(days=9))
            if year == PAST_YEARS[-1]
            else None,
        )
        set_cycle_status(cycle=cycle, status=Cycle.Status.ARCHIVED, actor=lead)


# The lead department's review of the last past year: a grade override and two objections.
OVERRIDE = ("112", "good", "在防汛抢险重大专项任务中表现突出，经考核委员会研究，等次调整为良好")
OBJECTIONS = (
    # county, indicator, item, reasons, unit's answer, upheld, decision, corrected actual
    ("106", "E02", "E02-1", "本区一般公共预算收入未计入12月下旬入库的土地相关税收，完成率偏低。",
     "经核对国库入库数据，确有一笔入库数据漏报，情况属实。", True,
     "予以采纳：按市财政局核实后的入库数据重新计分。", "0.8"),
    ("110", "S01", "S01-1", "一起事故系上级直管企业所致，不应计入本县。",
     "经核查，该企业属地管理责任在县，按规定应计入。", False,
     "不予采纳：事故按属地管理原则计入，市应急局答复依据充分。", None),
)  # fmt: skip


def _review(cycle: Cycle, *, counties, lead: User, published_on: date) -> None:
    """The override and the objections of the last past year, through the real services."""
    code, grade, reason = OVERRIDE
    override_grade(
        result=cycle.county_results.get(county=counties[code]), grade=grade, reason=reason,
        actor=lead,
    )  # fmt: skip
    users = {u.county_id or u.unit_id: u for u in User.objects.exclude(role=User.Role.LEAD)}
    for county, ind_code, item_code, reasons, reply, upheld, decision, delta in OBJECTIONS:
        indicator = cycle.indicators.get(code=ind_code)
        objection = lodge(
            cycle=cycle, county=counties[county], indicator=indicator, reasons=reasons,
            actor=users.get(counties[county].pk),
        )  # fmt: skip
        objection = answer(objection=objection, text=reply, actor=users.get(indicator.unit_id))
        item = indicator.items.get(code=item_code) if delta else None
        actual = None
        if item is not None:
            row = AnnualInput.objects.get(cycle=cycle, county=counties[county], item=item)
            actual = row.actual + Decimal(delta)
        decide(
            objection=objection, upheld=upheld, reason=decision, actor=lead, item=item,
            actual=actual,
        )  # fmt: skip
        Objection.objects.filter(pk=objection.pk).update(
            lodged_at=_aware(published_on + timedelta(days=3)),
            answered_at=_aware(published_on + timedelta(days=6)),
            decided_at=_aware(published_on + timedelta(days=9)),
        )
    CountyResult.objects.filter(cycle=cycle, county=counties[code]).update(
        override_at=_aware(published_on - timedelta(days=2))
    )


def _progress_rows(
    year: int, figures: YearFigures, *, rounds: dict[str, Round], exempt: set
) -> list[tuple[str, str, str, Decimal]]:
    """(round, county, indicator, value) of the progress entered by the units."""
    unit_of = {plan.code: plan.unit for _category, plan in indicator_plans()}
    gaps = random.Random(f"{SEED}-{year}-gaps")
    rows = []
    for code, values in figures.progress.items():
        for (c, i), value in values.items():
            if (c, i) in exempt:
                continue
            if year == CURRENT_YEAR:
                if code == "april" and (c, i) in MISSING_APRIL:
                    continue
                if code == "august" and (
                    unit_of[i] == LATE_UNIT_AUGUST or gaps.random() < AUGUST_GAP_RATE
                ):
                    continue
            rows.append((code, c, i, value))
    return rows


def _entry_states(
    cycle: Cycle, *, rounds: dict[str, Round], indicators: dict, progress: list, lead: User
) -> None:
    """The units' entries of the current year: April all approved before it closed; August
    open, with every status (AUGUST_ENTRY), a returned one with the lead department's
    comment, and the late unit not started."""
    submitters = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT)}
    reported = defaultdict(set)
    for r, c, i, _value in progress:
        reported[(r, i)].add(c)
    applicable = len(COUNTIES)
    exempt = defaultdict(int)
    for _c, i, _reason in EXEMPTIONS:
        exempt[i] += 1
    states = []
    for code, ind in indicators.items():
        unit_status = AUGUST_ENTRY.get(ind.unit.code)
        statuses = {"april": "approved", "august": unit_status}
        for r, status in statuses.items():
            if status is None or not reported[(r, code)]:
                continue
            if len(reported[(r, code)]) < applicable - exempt[code]:
                status = "draft" if r == "august" else status
            day = _aware(rounds[r].closes_on if r == "april" else date(cycle.year, 8, 28))
            reviewed = status in ("approved", "returned")
            states.append(
                EntryState(
                    cycle=cycle,
                    round=rounds[r],
                    indicator=ind,
                    status=status,
                    comment=RETURN_COMMENT if status == "returned" else "",
                    updated_by=submitters.get(ind.unit_id),
                    submitted_at=day if status != "draft" else None,
                    submitted_by=submitters.get(ind.unit_id) if status != "draft" else None,
                    reviewed_at=day if reviewed else None,
                    reviewed_by=lead if reviewed else None,
                )
            )
    EntryState.objects.bulk_create(states)
    record_event(cycle, summary="seed_demo entry states", data={"states": len(states)}, actor=lead)


def _august_close(year: int, current: bool) -> date:
    usual = date(year, 9, 10)
    if not current:
        return usual
    return max(usual, timezone.localdate() + timedelta(days=14))


def _close(rnd: Round) -> None:
    """Close a pre-assessment round as the lead department did on its closing day (the
    counties were notified then: no email now)."""
    close_round(round=rnd, notify=False)
    closed_at = _aware(rnd.closes_on)
    Round.objects.filter(pk=rnd.pk).update(closed_at=closed_at)
    rnd.warnings.update(issued_at=closed_at)
    rnd.diagnosis_flags.update(flagged_at=closed_at)
