from django.http import Http404

from branches.access import scope_for


def require_reader(user):
    scope = scope_for(user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


def require_manager(user):
    scope = scope_for(user)
    if not (scope.is_superuser or scope.manage_paths):
        raise Http404
