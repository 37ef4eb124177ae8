"""Whole pages for signed-in users, rendered once per state of what they show.

A page whose content is already cached by version (the dashboard's figures per rollup run) still
rendered the layout around it on every view (menu, footer, the page's own header): most of what a
warm view cost. ``render_page`` keeps the whole HTML under the view's own key plus what the layout
shows that differs between users: the menu entries their roles open (staff flag, manage scope), the
language and the path. The rest of what differs is filled in per response: the CSRF token, the user's
name in the menu, the page's own address (the language switch returns to it).

So a page rendered here may show nothing of the user but that: everything else on it must be named
by ``key_parts`` (a version, the caller's view scope, the query). A request with a flash message to
show is rendered afresh and nothing is stored (the message belongs to that response only).
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

from accounts.access import Action, scope_for

# Rendered in place of what differs per response; none can occur in a page by chance.
CSRF_PLACEHOLDER = "csrf-token-placeholder-6f1c2a"
USER_NAME_PLACEHOLDER = "user-name-placeholder-3b9e71"
PAGE_PATH_PLACEHOLDER = "/page-path-placeholder-d04f58/"


def page_key(request, key_parts: tuple) -> str:
    user = request.user
    manage = scope_for(user, Action.MANAGE)
    layout = (
        request.path,
        get_language(),
        user.is_staff,
        user.is_superuser,
        manage.everything,
        tuple(sorted(manage.paths)),
        settings.CACHE_SALT,
    )
    return "page:" + hashlib.sha256(repr((key_parts, layout)).encode()).hexdigest()[:32]


def render_page(
    request, template_name: str, context: dict | Callable[[], dict], *, key_parts: tuple | None, ttl: int
) -> HttpResponse:
    """``render(request, template_name, context)``, reusing the HTML of a view with the same
    ``key_parts`` and layout (None: nothing is reused or stored). ``context`` may be a callable, called
    only when the page is rendered. Access must be checked before a hit can be served: by the view
    first, or by a key whose parts a user who may not see the page cannot have.
    """
    # A flash message to show: rendered afresh (showing it spends it), and not stored.
    key = None if key_parts is None or get_messages(request) else page_key(request, key_parts)
    html = cache.get(key) if key else None
    if html is None:
        placeholders = {
            "csrf_token": CSRF_PLACEHOLDER,
            "layout_user_name": USER_NAME_PLACEHOLDER,
            "layout_page_path": PAGE_PATH_PLACEHOLDER,
        }
        values = context() if callable(context) else context
        html = render_to_string(template_name, {**values, **placeholders}, request)
        if key:
            cache.set(key, html, ttl)
    user = request.user
    html = (
        html.replace(CSRF_PLACEHOLDER, get_token(request))
        .replace(USER_NAME_PLACEHOLDER, escape(user.get_full_name() or user.get_username()))
        .replace(PAGE_PATH_PLACEHOLDER, escape(request.get_full_path()))
    )
    return HttpResponse(html)
