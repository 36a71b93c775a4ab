from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("orgs/", views.org_choices, name="org_choices"),
    path("template/<str:kind>/", views.blank_template, name="template"),
    path("export/members/", views.export_members, name="export_members"),
    path("export/orgs/", views.export_orgs, name="export_orgs"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.batch_cancel, name="cancel"),
]
