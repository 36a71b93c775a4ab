from django.urls import path

from .views import appraisal, numbers, selection

app_name = "appraisals"

urlpatterns = [
    # 民主评议党员
    path("", appraisal.round_list, name="round_list"),
    path("new/", appraisal.round_create, name="round_create"),
    path("mine/", appraisal.mine, name="mine"),
    path("distribution/", numbers.distribution, name="distribution"),
    path("distribution/export/", numbers.distribution_export, name="distribution_export"),
    path("<int:pk>/", appraisal.round_detail, name="round_detail"),
    path("<int:pk>/move/<slug:action>/", appraisal.round_move, name="round_move"),
    path("<int:pk>/vote/", appraisal.vote, name="vote"),
    path("entries/<int:pk>/", appraisal.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/mass/", appraisal.entry_mass, name="entry_mass"),
    path("entries/<int:pk>/decide/", appraisal.entry_decide, name="entry_decide"),
    path("entries/<int:pk>/self/", appraisal.self_appraisal, name="self_appraisal"),
    # 选树先进典型
    path("exemplars/", selection.selection_list, name="selection_list"),
    path("exemplars/new/", selection.selection_create, name="selection_create"),
    path("exemplars/honours/", numbers.honour_roll, name="honour_roll"),
    path("exemplars/<int:pk>/", selection.selection_detail, name="selection_detail"),
    path("exemplars/<int:pk>/chain/", selection.selection_chain, name="selection_chain"),
    path("exemplars/<int:pk>/start/", selection.selection_start, name="selection_start"),
    path("exemplars/<int:pk>/close/", selection.selection_close, name="selection_close"),
    path("exemplars/<int:pk>/candidates/new/", selection.candidate_add, name="candidate_add"),
    path("exemplars/<int:pk>/candidates/<int:candidate_pk>/", selection.candidate_detail, name="candidate_detail"),
    path(
        "exemplars/<int:pk>/candidates/<int:candidate_pk>/decide/",
        selection.candidate_decide,
        name="candidate_decide",
    ),
    path(
        "exemplars/<int:pk>/candidates/<int:candidate_pk>/scores/",
        selection.candidate_scores,
        name="candidate_scores",
    ),
    path(
        "exemplars/<int:pk>/candidates/<int:candidate_pk>/remove/",
        selection.candidate_remove,
        name="candidate_remove",
    ),
]
