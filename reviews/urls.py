from django.urls import path

from .views import items, ledgers, reviews

app_name = "reviews"

urlpatterns = [
    path("", reviews.review_list, name="review_list"),
    path("export.xlsx", reviews.review_export, name="review_export"),
    path("coverage/", ledgers.review_coverage, name="coverage"),
    path("new/", reviews.review_create, name="review_create"),
    path("<int:pk>/", reviews.review_detail, name="review_detail"),
    path("<int:pk>/edit/", reviews.review_edit, name="review_edit"),
    path("<int:pk>/record/", reviews.review_record, name="review_record"),
    path("<int:pk>/announce/", reviews.review_announce, name="review_announce"),
    path("<int:pk>/shortcomings/<int:shortcoming_pk>/rectify/", reviews.shortcoming_rectify, name="rectify"),
    path("rectification/", items.item_list, name="item_list"),
    path("rectification/export.xlsx", items.item_export, name="item_export"),
    path("rectification/rate/", ledgers.rectification_rate, name="rate"),
    path("rectification/new/", items.item_create, name="item_create"),
    path("rectification/<int:pk>/", items.item_detail, name="item_detail"),
    path("rectification/<int:pk>/report/", items.item_report, name="item_report"),
    path("rectification/<int:pk>/move/<slug:action>/", items.item_move, name="item_move"),
    path("rectification/file/<int:pk>/", items.attachment_download, name="attachment"),
]
