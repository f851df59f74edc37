from core import permissions


def current_role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role_label": permissions.role_label(user),
        "user_prefecture": user.prefecture,
        "is_region_admin": permissions.is_region_admin(user),
        "can_import_allocations": permissions.can_import_allocations(user),
        # Region-wide roles see every prefecture side by side; the change log is theirs (oversight.views.changelog).
        "region_wide": permissions.sees_all_prefectures(user),
        "can_view_changelog": permissions.sees_all_prefectures(user),
        "can_review_targets_menu": permissions.sees_target_review_menu(user),
        "can_read_plans": permissions.can_read_plans(user),
    }
