from django.urls import path

from reports.views import (
    charts,
    explain,
    feedback,
    forecast,
    notice,
    objections,
    results_xlsx,
    statistics,
    whatif,
    years,
)

app_name = "reports"

urlpatterns = [
    path("cycles/<int:year>/results.xlsx", results_xlsx.results_xlsx, name="results_xlsx"),
    path("statistics/", statistics.latest_statistics, name="latest_statistics"),
    path("feedback/", feedback.my_feedback, name="my_feedback"),
    path("cycles/<int:year>/statistics/", statistics.statistics, name="statistics"),
    path("cycles/<int:year>/forecast/", forecast.forecast, name="forecast"),
    path("cycles/<int:year>/notice/", notice.notice, name="notice"),
    path("cycles/<int:year>/notice.docx", notice.notice_docx, name="notice_docx"),
    path(
        "cycles/<int:year>/counties/<str:county>/report.docx",
        notice.county_report_docx,
        name="county_report_docx",
    ),
    path("cycles/<int:year>/forecast/share/", forecast.forecast_share, name="forecast_share"),
    path(
        "cycles/<int:year>/forecast/<str:county>/",
        forecast.forecast_county,
        name="forecast_county",
    ),
    path("cycles/<int:year>/publish/", statistics.publish_results, name="publish"),
    path("cycles/<int:year>/withdraw/", statistics.withdraw_results, name="withdraw"),
    path(
        "cycles/<int:year>/counties/<str:county>/feedback/",
        feedback.feedback,
        name="feedback",
    ),
    path(
        "cycles/<int:year>/counties/<str:county>/what-if/",
        whatif.what_if,
        name="what_if",
    ),
    path(
        "cycles/<int:year>/counties/<str:county>/explain/",
        explain.explanation,
        name="explain",
    ),
    path("objections/", objections.latest_objections, name="latest_objections"),
    path("cycles/<int:year>/objections/", objections.objection_list, name="objections"),
    path("cycles/<int:year>/objections/new/", objections.objection_new, name="objection_new"),
    path("objections/<int:objection>/", objections.objection_detail, name="objection"),
    path(
        "objections/<int:objection>/answer/", objections.objection_answer, name="objection_answer"
    ),
    path(
        "objections/<int:objection>/decide/", objections.objection_decide, name="objection_decide"
    ),
    path(
        "objections/<int:objection>/evidence/",
        objections.objection_evidence,
        name="objection_evidence",
    ),
    path("counties/<str:county>/years/", years.county_years_page, name="county_years"),
    path("indicators/<str:indicator>/years/", years.indicator_years_page, name="indicator_years"),
    # Charts: each as SVG and as CSV (its data).
    path("counties/<str:county>/trend.svg", charts.county_trend_svg, name="county_trend_svg"),
    path("counties/<str:county>/trend.csv", charts.county_trend_csv, name="county_trend_csv"),
    path(
        "cycles/<int:year>/counties/<str:county>/profile.svg",
        charts.county_profile_svg,
        name="county_profile_svg",
    ),
    path(
        "cycles/<int:year>/counties/<str:county>/profile.csv",
        charts.county_profile_csv,
        name="county_profile_csv",
    ),
    path("cycles/<int:year>/indicators/<str:indicator>/", charts.indicator_page, name="indicator"),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/chart.svg",
        charts.indicator_svg,
        name="indicator_svg",
    ),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/chart.csv",
        charts.indicator_csv,
        name="indicator_csv",
    ),
    path("cycles/<int:year>/change.svg", charts.change_svg, name="change_svg"),
    path("cycles/<int:year>/change.csv", charts.change_csv, name="change_csv"),
    path("cycles/<int:year>/dashboard/", charts.dashboard, name="dashboard"),
    path("cycles/<int:year>/distribution.svg", charts.distribution_svg, name="distribution_svg"),
    path("cycles/<int:year>/distribution.csv", charts.distribution_csv, name="distribution_csv"),
    path("trends.svg", charts.trends_svg, name="trends_svg"),
    path("trends.csv", charts.trends_csv, name="trends_csv"),
]
