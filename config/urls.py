from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

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
]

if settings.DEBUG:
    # Uploaded photos on a local run; production serves MEDIA_ROOT from nginx (README).
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
