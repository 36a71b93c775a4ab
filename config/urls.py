from django.contrib import admin
from django.urls import include, path

from portal.media import serve_file
from portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("branches.urls")),
    path("members/", include("members.urls")),
    path("imports/", include("imports.urls")),
    path("notifications/", include("notifications.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("pledges/", include("pledges.urls")),
    path("activities/", include("activities.urls")),
    path("reviews/", include("reviews.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("appraisals/", include("appraisals.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    # Uploads only by signed, expiring URL (portal/media.py); MEDIA_ROOT is never served by plain path.
    path("files/<str:signed>/", serve_file, name="media_file"),
]
