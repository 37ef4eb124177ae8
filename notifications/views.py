"""The notification centre: a person's own messages (nobody sees another's), mark as read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import selectors, services

PAGE_SIZE = 20


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # "Mark all as read" only when something is unread: this page tells, other pages are asked.
    unread = any(n.read_at is None for n in page.object_list) or (
        page.paginator.num_pages > 1 and selectors.unread_of(user=request.user).exists()
    )
    return render(request, "notifications/notification_list.html", {"page": page, "unread": unread})


@login_required
def unread_badge(request):
    """The bell's count, fetched by the navigation bar after the page loaded (htmx): pages themselves
    spend no query on it."""
    count = selectors.unread_of(user=request.user).count()
    return render(request, "notifications/_unread_badge.html", {"count": count})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one of one's own notifications read; then open its link (``?open=1``) or go back to the list."""
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notifications_mark_read(by=request.user, ids=[notification.pk])
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.notifications_mark_read(by=request.user)
    return redirect("notifications:list")
