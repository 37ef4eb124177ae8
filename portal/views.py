import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import Action, roles_of, scope_for
from core.tasks import BEAT_KEY
from portal.data_inventory import inventory
from portal.health import run_checks
from portal.pwa import offline_pages
from signoff import selectors as signoff_selectors


@login_required
def home(request):
    roles = roles_of(request.user)
    context = {
        "roles": roles,
        "can_manage": not scope_for(request.user, Action.MANAGE).is_empty,
        "can_log": not scope_for(request.user, Action.LOG).is_empty,
    }
    if context["can_log"]:  # the pages the phone keeps for offline logging (static/js/offline.js)
        context["offline_pages"] = json.dumps(offline_pages())
    # The month's end, where each person acts on it: staff approve, leaders send a month again.
    if context["can_manage"]:
        context["months_waiting"] = signoff_selectors.waiting_count(user=request.user)
    elif context["can_log"]:
        context["months_to_send_again"] = signoff_selectors.months_to_send_again(user=request.user)
        context["months_not_sent"] = signoff_selectors.months_not_sent(
            user=request.user, today=timezone.localdate()
        )
    return render(request, "portal/home.html", context)


@require_GET
def ping(request):
    """The trivial view the load test compares every page against: no database, no session."""
    return HttpResponse("pong", content_type="text/plain")


@require_GET
@never_cache
def health(request):
    """Database, cache and broker status: 200 when all are up, 503 otherwise.

    Anyone (a load balancer, a monitor) gets the status; which part failed, the vendors and the
    timings are for signed-in staff only: they map the deployment for an attacker."""
    healthy, checks = run_checks()
    body = {"status": "ok" if healthy else "error"}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        body.update(checks=checks, beat_last_seen=cache.get(BEAT_KEY))
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
@never_cache
def data_inventory(request):
    """For administrators: which fields hold personal data, why, and for how long."""
    if not request.user.is_superuser:
        raise Http404  # the page does not exist for other users
    rows = inventory()
    return render(
        request, "portal/data_inventory.html", {"rows": rows, "areas": sorted({r.area for r in rows})}
    )
