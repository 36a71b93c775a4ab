from django.urls import path

from .views import areas, orgs, people, tree

app_name = "branches"

urlpatterns = [
    path("", tree.org_tree, name="org_tree"),
    path("new/", orgs.org_create, name="org_create_root"),
    path("<int:pk>/", orgs.org_detail, name="org_detail"),
    path("<int:pk>/children/", tree.org_children, name="org_children"),
    path("<int:pk>/new/", orgs.org_create, name="org_create"),
    path("<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("<int:pk>/move/", orgs.org_move, name="org_move"),
    path("<int:pk>/dissolve/", orgs.org_dissolve, name="org_dissolve"),
    path("<int:pk>/member-options/", people.member_options, name="member_options"),
    path("<int:pk>/posts/new/", people.post_add, name="post_add"),
    path("<int:pk>/posts/<int:post_pk>/end/", people.post_end, name="post_end"),
    path("<int:pk>/contact-points/new/", people.contact_point_add, name="contact_point_add"),
    path("<int:pk>/contact-points/<int:point_pk>/remove/", people.contact_point_remove, name="contact_point_remove"),
    path("<int:pk>/roles/new/", people.role_grant, name="role_grant"),
    path("<int:pk>/roles/<int:role_pk>/revoke/", people.role_revoke, name="role_revoke"),
    path("<int:pk>/areas/new/", areas.area_create, name="area_create"),
    path("<int:pk>/areas/<int:area_pk>/edit/", areas.area_edit, name="area_edit"),
]
