from django.urls import path

from .views import public, results, rounds

app_name = "evaluations"

urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("new/", rounds.round_create, name="round_create"),
    path("<int:pk>/", rounds.round_detail, name="round_detail"),
    path("<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("<int:pk>/close/", rounds.round_close, name="round_close"),
    path("<int:pk>/questions/", rounds.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/", rounds.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/remove/", rounds.question_remove, name="question_remove"),
    path("<int:pk>/questions/<int:question_pk>/move/", rounds.question_move, name="question_move"),
    path("<int:pk>/slips/", rounds.slip_request, name="slip_request"),
    path("<int:pk>/slips/<int:batch_pk>/progress/", rounds.slip_progress, name="slip_progress"),
    path("<int:pk>/slips/<int:batch_pk>/download/", rounds.slip_download, name="slip_download"),
    path("<int:pk>/results/", results.round_results_page, name="results"),
    path("<int:pk>/results/export.xlsx", results.round_export, name="results_export"),
    path("<int:pk>/results/<int:org_pk>/rectify/", results.result_rectify, name="result_rectify"),
    path("<int:pk>/comments/<str:response_pk>/hide/", results.comment_hide, name="comment_hide"),
    # Public: no login, nothing but the questionnaire.
    path("answer/", public.answer_start, name="answer_start"),
    path("answer/thanks/", public.answer_thanks, name="answer_thanks"),
    path("answer/<str:code>/", public.answer_code, name="answer_code"),
    path("r/<str:token>/", public.answer_open, name="answer_open"),
]
