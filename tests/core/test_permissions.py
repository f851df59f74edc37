from allocations.models import AllocationDocument, AllocationLine, Prefecture
from core import permissions
from core.models import User


def test_it_limits_an_officer_to_their_own_prefecture(officer_urumqi, notice_document):
    assert list(Prefecture.objects.visible_to(officer_urumqi).values_list("name", flat=True)) == ["乌鲁木齐市"]
    lines = AllocationLine.objects.visible_to(officer_urumqi)
    assert lines.count() == 8
    assert {line.county.prefecture.name for line in lines.select_related("county__prefecture")} == {"乌鲁木齐市"}
    assert list(AllocationDocument.objects.visible_to(officer_urumqi)) == [notice_document]


def test_it_gives_region_roles_every_prefecture(auditor, hr_reviewer, region_admin):
    for user in (auditor, hr_reviewer, region_admin):
        assert Prefecture.objects.visible_to(user).count() == 14
        assert permissions.scoped_prefecture_id(user) is None


def test_it_shows_nothing_to_an_officer_without_a_prefecture(officer_urumqi):
    officer_urumqi.prefecture = None
    officer_urumqi.save()
    officer = User.objects.get(pk=officer_urumqi.pk)
    assert Prefecture.objects.visible_to(officer).count() == 0
    assert AllocationLine.objects.visible_to(officer).count() == 0


def test_it_shows_nothing_to_a_user_without_a_role(reference_data):
    nobody = User.objects.create_user("nobody", password="x-test-only-9")
    assert not permissions.can_use_app(nobody)
    assert Prefecture.objects.visible_to(nobody).count() == 0


def test_it_lets_only_the_region_admin_import_and_issue(officer_urumqi, auditor, hr_reviewer, region_admin):
    assert [permissions.can_import_allocations(u) for u in (officer_urumqi, auditor, hr_reviewer, region_admin)] == [
        False,
        False,
        False,
        True,
    ]
    assert not permissions.can_issue_document(auditor)


def test_it_lets_an_officer_reallocate_only_their_own_share(officer_urumqi, officer_kashgar, auditor):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    assert permissions.can_reallocate(officer_urumqi, urumqi)
    assert not permissions.can_reallocate(officer_kashgar, urumqi)
    assert not permissions.can_reallocate(auditor, urumqi)
