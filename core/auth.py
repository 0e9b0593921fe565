"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made over HTTP.

    Logins without a request (a management command, the test client's
    `login()`) cannot be brute-forced from outside, so they are not counted
    instead of failing with "request required".
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
