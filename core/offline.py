"""The offline queue's side of a logging form (issue 24).

A leader's phone keeps a form filled in without signal in IndexedDB and posts it again when the
connection returns, with the same idempotency key (exactly once) and two headers: ``X-Offline-Sync``
asks for a JSON answer instead of a page, ``X-Offline-User`` names the user who filled it in. A queue
is only ever sent by that user: another user's session gets 409 and nothing is written.
"""

from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _

SYNC_HEADER = "X-Offline-Sync"
USER_HEADER = "X-Offline-User"


def is_offline_sync(request) -> bool:
    return request.method == "POST" and request.headers.get(SYNC_HEADER) == "1"


def queue_owner_checked(view):
    """Refuse (409, nothing written) a queued form sent under another user's session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        owner = request.headers.get(USER_HEADER)
        if request.method == "POST" and owner is not None and owner != str(request.user.pk):
            message = _("This entry was filled in by another user on this phone; it was not sent.")
            return JsonResponse(
                {"ok": False, "owner": False, "messages": [message], "fields": {}}, status=409
            )
        return view(request, *args, **kwargs)

    return wrapper


def saved_response(*, pk: int, url: str) -> JsonResponse:
    return JsonResponse({"ok": True, "id": pk, "url": url}, status=201)


def refused_response(form, extra_fields: dict | None = None, link: dict | None = None) -> JsonResponse:
    """The form's errors as the queue keeps them: messages naming the field, and per field name;
    ``link`` ({url, text}) is where to act on them (a locked month's page), shown with the entry."""
    messages = []
    fields: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        texts = [str(error) for error in errors]
        if name == "__all__":
            messages.extend(texts)
            continue
        fields[name] = texts
        label = form.fields[name].label if name in form.fields else name
        messages.extend(f"{label}: {text}" for text in texts)
    for name, (label, texts) in (extra_fields or {}).items():
        fields[name] = texts
        messages.extend(f"{label}: {text}" for text in texts)
    return JsonResponse({"ok": False, "messages": messages, "fields": fields, "link": link}, status=400)
