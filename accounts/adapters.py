from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by admins or province staff: there is no public sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
