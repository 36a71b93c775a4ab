from django.urls import path

from .views import dashboard, files, reports

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<int:org>/refresh/", dashboard.dashboard_refresh, name="dashboard_refresh"),
    path("new/", reports.report_create, name="report_create"),
    path("<int:pk>/", reports.report_detail, name="report_detail"),
    path("<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("<int:pk>/compare/", reports.report_compare, name="report_compare"),
    path("<int:pk>/redraft/", reports.report_redraft, name="report_redraft"),
    path("<int:pk>/finalize/", reports.report_finalize, name="report_finalize"),
    path("<int:pk>/files/", files.file_request, name="file_request"),
    path("files/<int:pk>/", files.file_detail, name="file_detail"),
    path("files/<int:pk>/progress/", files.file_progress, name="file_progress"),
    path("files/<int:pk>/download/", files.file_download, name="file_download"),
]
