from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("me/", views.me, name="me"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
]
