"""The demo city's evaluation opinions (评价意见) of the units on the counties, published with
last year's results (2025, archived: written as they stood when the year closed, like its
routine archive)."""

from datetime import datetime

from django.utils import timezone

from assessment.models import County, Cycle, Unit
from indicators.models import UnitEvaluation

YEAR = 2025

EVALUATIONS = (
    # unit, county, strengths, weaknesses, advice
    ("FGW", "101", "重大项目储备充足，固定资产投资结构持续优化。",
     "新开工项目个数较上年下降，后续支撑不足。", "加快项目前期工作，形成滚动接续的项目库。"),
    ("FGW", "108", "县域经济运行总体平稳。",
     "固定资产投资连续两个季度低于序时进度，产业项目偏少。",
     "建立重点项目周调度机制，县领导分片包保。"),
    ("TJJ", "101", "统计数据报送及时、质量高，基层统计规范化建设走在全市前列。", "",
     "进一步加强乡镇统计队伍建设。"),
    ("TJJ", "106", "规上企业入库工作有进步。", "个别企业数据填报不规范，联网直报审核不严。",
     "开展统计业务培训，落实数据质量责任。"),
    ("STHJ", "102", "空气质量优良天数比例全市最高，河长制落实有力。",
     "农村生活污水治理进度偏慢。", "统筹资金加快农村污水管网建设。"),
    ("STHJ", "108", "", "秸秆焚烧管控不到位，被省级通报一次。",
     "压实乡镇属地责任，加强重点时段巡查。"),
)  # fmt: skip


def build_evaluations(*, counties: dict[str, County], units: dict[str, Unit]) -> None:
    """Side effects: the published evaluations of the demo's last year."""
    cycle = Cycle.objects.get(year=YEAR)
    reviewed = timezone.make_aware(datetime(YEAR + 1, 2, 20, 10))
    UnitEvaluation.objects.bulk_create(
        UnitEvaluation(
            cycle=cycle, unit=units[unit], county=counties[county], strengths=strengths,
            weaknesses=weaknesses, advice=advice, status=UnitEvaluation.Status.APPROVED,
            reviewed_at=reviewed,
        )
        for unit, county, strengths, weaknesses, advice in EVALUATIONS
    )  # fmt: skip
