from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/phases/new/", views.phase_add, name="phase_add"),
    path("<int:pk>/phases/<int:phase_pk>/edit/", views.phase_edit, name="phase_edit"),
    path("<int:pk>/phases/<int:phase_pk>/remove/", views.phase_remove, name="phase_remove"),
    path("<int:pk>/carriers/new/", views.carrier_add, name="carrier_add"),
    path("<int:pk>/carriers/<int:carrier_pk>/edit/", views.carrier_edit, name="carrier_edit"),
    path("<int:pk>/carriers/<int:carrier_pk>/remove/", views.carrier_remove, name="carrier_remove"),
]
