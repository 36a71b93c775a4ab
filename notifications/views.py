from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services import notification_open, notifications_mark_all_read


def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page, "nav_active": "notifications"})


@require_POST
def notification_open_view(request, pk):
    # Scoped by recipient: another user's notification is simply not found.
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    url = notification_open(notification=notification)
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return redirect(url)


@require_POST
def notification_mark_all_read(request):
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:notification_list")
