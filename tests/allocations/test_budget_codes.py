"""The notice's budget classification (通知第二条), checked against the 2023 政府收支分类科目 (issue 13.6)."""

from django.urls import reverse

from tests.allocations.pages import page, visible_text

# 20807 就业补助's 项级 codes in the 2023 classification; 2080709 and 2080713
# carry two of 第一条's uses (职业技能评价补贴, 创业补贴) that had no code before.
ITEMS_2023 = {
    "2080701": "就业创业服务补贴",
    "2080702": "职业培训补贴",
    "2080704": "社会保险补贴",
    "2080705": "公益性岗位补贴",
    "2080709": "职业技能评价补贴",
    "2080711": "就业见习补贴",
    "2080712": "高技能人才培养补助",
    "2080713": "促进创业补贴",
    "2080799": "其他就业补助支出",
}


def test_it_offers_every_item_code_of_20807_in_2023(notice_document):
    items = dict(notice_document.fund.expenditure_items.values_list("code", "name"))
    assert items == ITEMS_2023


def test_it_labels_51301_as_the_notice_does(notice_document, auditor, client_for):
    response = client_for(auditor).get(reverse("allocations:document_detail", args=[notice_document.pk]))
    text = visible_text(page(response))
    assert "政府经济分类 51301 上下级政府间转移性支出" in " ".join(text.split())
    assert "经济分类科目" not in text
