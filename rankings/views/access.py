"""Who may open a page. Every page needs a signed-in user with a Saima role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def reader_required(view):
    """Signed in, and allowed to read published races (every role is)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("rankings.view_standing"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def can_preview(user) -> bool:
    """Unpublished previews are for those who publish: reviewers and administrators."""
    return user.has_perm("rankings.add_publication")
