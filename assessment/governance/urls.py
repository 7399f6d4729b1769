"""The governance pages, in the namespace ``assessment`` of ``assessment/urls.py``."""

from django.urls import path

from assessment.governance.views import assessors, plan, pledges, routine, special, vetoes

urlpatterns = [
    path("veto-items/", vetoes.veto_items, name="veto_items"),
    path("veto-items/<int:veto_item>/", vetoes.veto_item_edit, name="veto_item_edit"),
    path("veto-items/review/<int:year>/", vetoes.veto_review, name="veto_review"),
    path("cycles/<int:year>/vetoes/", vetoes.cycle_vetoes, name="cycle_vetoes"),
    path(
        "cycles/<int:year>/vetoes/<int:veto>/withdraw/", vetoes.veto_withdraw, name="veto_withdraw"
    ),
    path(
        "cycles/<int:year>/vetoes/<int:veto>/attachment/",
        vetoes.veto_attachment,
        name="veto_attachment",
    ),
    path("cycles/<int:year>/special/", special.special_tasks, name="special_tasks"),
    path("cycles/<int:year>/special/<int:task>/", special.special_task, name="special_task"),
    path(
        "cycles/<int:year>/special/<int:task>/edit/",
        special.special_task_edit,
        name="special_task_edit",
    ),
    path(
        "cycles/<int:year>/special/<int:task>/counties/<str:county>/",
        special.special_score,
        name="special_score",
    ),
    path("cycles/<int:year>/routine/", routine.routine_records, name="routine_records"),
    path("counties/<str:county>/routine/", routine.routine_timeline, name="routine_timeline"),
    path("routine/<int:record>/attachment/", routine.routine_attachment, name="routine_attachment"),
    path("pledge-items/", pledges.pledge_items, name="pledge_items"),
    path("pledge-items/<int:pledge_item>/", pledges.pledge_item_edit, name="pledge_item_edit"),
    path("pledge-items/review/<int:year>/", pledges.pledge_review, name="pledge_review"),
    path("cycles/<int:year>/pledges/", pledges.cycle_pledges, name="cycle_pledges"),
    path(
        "cycles/<int:year>/pledges/<int:signing>/withdraw/",
        pledges.pledge_withdraw,
        name="pledge_withdraw",
    ),
    path("cycles/<int:year>/pledge-checks/", pledges.pledge_checks, name="pledge_checks"),
    path("assessors/", assessors.assessor_list, name="assessors"),
    path("assessors/<int:assessor>/", assessors.assessor_detail, name="assessor"),
    path("cycles/<int:year>/teams/", assessors.teams, name="teams"),
    path("cycles/<int:year>/teams/<int:team>/", assessors.team, name="team"),
    path(
        "cycles/<int:year>/teams/<int:team>/dissolve/",
        assessors.team_dissolve,
        name="team_dissolve",
    ),
    path("cycles/<int:year>/plan/", plan.plan, name="plan"),
    path("cycles/<int:year>/plan/merge/", plan.plan_merge, name="plan_merge"),
    path("cycles/<int:year>/plan/<int:activity>/", plan.plan_activity, name="plan_activity"),
]
