"""Who may do what: small pure functions over a user.

Views and querysets ask these; nothing else inspects group names.
"""

from core.models import Role


def _groups(user):
    # Cached on the user object for the request: one query however often asked.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def has_role(user, role):
    return role in _groups(user)


def is_region_admin(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.REGION_ADMIN))


def is_auditor(user):
    return has_role(user, Role.AUDITOR)


def is_hr_reviewer(user):
    return has_role(user, Role.HR_REVIEWER)


def is_finance_officer(user):
    return has_role(user, Role.FINANCE_OFFICER) and not is_region_admin(user)


def sees_all_prefectures(user):
    return is_region_admin(user) or is_auditor(user) or is_hr_reviewer(user)


def scoped_prefecture_id(user):
    """The one prefecture an officer is limited to, or None for region-wide roles.

    An officer with no prefecture set is limited to nothing: -1 matches no row.
    """
    if sees_all_prefectures(user):
        return None
    if is_finance_officer(user) and user.prefecture_id:
        return user.prefecture_id
    return -1


def sees_total(scope, issuer_id):
    """Whether a user limited to prefecture `scope` (None: region-wide) may read a document's 合计.

    The 合计 is the region's figure; an officer reads it only on a document
    made of their own lines alone: one their bureau issued (转下达).
    """
    return scope is None or issuer_id == scope


def can_use_app(user):
    return user.is_authenticated and (sees_all_prefectures(user) or is_finance_officer(user))


def can_import_allocations(user):
    return is_region_admin(user)


def can_issue_document(user):
    return is_region_admin(user)


def can_export_document(user, document):
    # The workbook carries every line of the document, so an officer may only
    # export a document made of their own prefecture's lines: one they issued.
    if sees_all_prefectures(user):
        return True
    return is_finance_officer(user) and document.issuer_id is not None and document.issuer_id == user.prefecture_id


def can_reallocate(user, prefecture):
    if is_region_admin(user):
        return True
    return is_finance_officer(user) and user.prefecture_id == prefecture.pk


# Performance target tables (附件2). The region admin keeps the tables and
# submits them; the HR reviewer approves or returns them, and only the HR
# reviewer reopens an approved (locked) table: the one who signed it off is
# the one who unlocks it, so the region admin cannot quietly undo a sign-off.
def can_edit_targets(user):
    return is_region_admin(user)


def can_submit_targets(user):
    return is_region_admin(user)


def can_review_targets(user):
    return is_hr_reviewer(user)


def can_reopen_targets(user):
    return is_hr_reviewer(user)


def sees_target_review_menu(user):
    # The review queue is the regional bureaus' work (HR reviews, the region
    # admin submits, the auditor follows); a prefecture officer has no part in
    # it, so the menu does not offer it (the page itself stays readable).
    return sees_all_prefectures(user)


def can_record_actuals(user, table):
    # 双监控 figures come from where the work is done: the table's own
    # prefecture officer, or the region admin for any table (the region's own
    # table included, which has no officer).
    if is_region_admin(user):
        return True
    return is_finance_officer(user) and table.prefecture_id is not None and user.prefecture_id == table.prefecture_id


def role_label(user):
    for role in (Role.REGION_ADMIN, Role.AUDITOR, Role.HR_REVIEWER, Role.FINANCE_OFFICER):
        if role == Role.REGION_ADMIN and is_region_admin(user):
            return role.label
        if has_role(user, role):
            return role.label
    return ""


def can_edit_feedback(user, report):
    # The prefecture's own officer fills the report in; the region admin may
    # correct it. Reviewers and auditors only read.
    if is_region_admin(user):
        return True
    return is_finance_officer(user) and user.prefecture_id == report.prefecture_id


def can_review_feedback(user):
    # 附件3 goes to 自治区财政厅社会保障处: the regional finance bureau reviews.
    return is_region_admin(user)


# 国库集中支付 (treasury). The payment records come from the treasury: region
# admins import them; 收款人 is personal data, read whole only by those who
# need it to check a payment (region admins, auditors).
def can_import_payments(user):
    return is_region_admin(user)


def sees_payee_in_full(user):
    return is_region_admin(user) or is_auditor(user)


def can_view_payment_exceptions(user):
    return is_region_admin(user) or is_auditor(user)


def can_read_plans(user):
    # 因素法分配测算 (issue 16.2): the region admin plans; the auditor reads the rules and the preview.
    return is_region_admin(user) or is_auditor(user)
