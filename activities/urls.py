from django.urls import path

from .views import compliance, log, rules

app_name = "activities"

urlpatterns = [
    path("", log.activity_list, name="activity_list"),
    path("export/", log.activity_export, name="activity_export"),
    path("new/", log.activity_create, name="activity_create"),
    path("mine/", log.my_activities, name="mine"),
    path("<int:pk>/", log.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", log.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", log.activity_delete, name="activity_delete"),
    path("<int:pk>/photos/", log.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", log.photo_delete, name="photo_delete"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("calendar/", compliance.calendar_home, name="calendar_home"),
    path("calendar/<int:org_pk>/", compliance.branch_calendar, name="calendar"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
]
