from notifications import selectors


def notifications(request):
    """The bell's unread count, read only when a page's navigation bar shows it."""

    def unread() -> int:
        user = request.user
        return selectors.unread_of(user=user).count() if user.is_authenticated else 0

    return {"unread_notifications": unread}
