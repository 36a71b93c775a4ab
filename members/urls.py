from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("me/", views.me, name="me"),
    path("new/", views.member_create, name="member_create"),
    path("orgs/", views.org_search, name="org_search"),
    path("logins/<int:org_pk>/", views.issue_logins, name="issue_logins"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/advance/", views.member_advance, name="member_advance"),
    path("<int:pk>/stage/", views.member_correct_stage, name="member_correct_stage"),
    path("<int:pk>/photo/", views.member_photo, name="member_photo"),
    path("<int:pk>/login/", views.issue_login, name="issue_login"),
]
