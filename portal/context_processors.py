from django.conf import settings


def portal(request):
    def can_manage_accounts() -> bool:
        # Called by the template only when it renders the menu, so anonymous pages cost no query.
        from accounts.access import Action, can_anywhere

        user = request.user
        return user.is_authenticated and (user.is_superuser or can_anywhere(user, Action.MANAGE))

    return {"PORTAL_NAME": "Đoàn CĐS", "DEBUG": settings.DEBUG, "can_manage_accounts": can_manage_accounts}
