from django.urls import path

from .views import boards, pledges, stats

app_name = "pledges"

urlpatterns = [
    path("", pledges.pledge_list, name="pledge_list"),
    path("mine/", pledges.my_pledges, name="mine"),
    path("queue/", pledges.approval_queue, name="queue"),
    path("new/", pledges.pledge_create, name="pledge_create"),
    path("new/member/<int:member_pk>/", pledges.pledge_create_oral, name="pledge_create_oral"),
    path("new/org/<int:org_pk>/", pledges.pledge_create_org, name="pledge_create_org"),
    path("<int:pk>/", pledges.pledge_detail, name="pledge_detail"),
    path("<int:pk>/edit/", pledges.pledge_edit, name="pledge_edit"),
    path("<int:pk>/move/<slug:action>/", pledges.pledge_move, name="pledge_move"),
    path("<int:pk>/progress/", pledges.progress_add, name="progress_add"),
    path("board/org/<int:org_pk>/", boards.board, name="board"),
    path("board/org/<int:org_pk>/poster.pdf", boards.board_poster, name="board_poster"),
    path("board/org/<int:org_pk>/link/", boards.board_link_create, name="board_link_create"),
    path("board/link/<int:pk>/revoke/", boards.board_link_revoke, name="board_link_revoke"),
    path("board/<str:token>/", boards.board_public, name="board_public"),
    path("stats/", stats.pledge_statistics, name="stats"),
    path("stats/export.xlsx", stats.pledge_statistics_export, name="stats_export"),
]
