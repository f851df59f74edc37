from django.urls import reverse
from tests.core.test_language import pages_data, visible_parts

def test_it_shows(pages_data, officer_urumqi, client_for):
    officer_urumqi.language = "en"; officer_urumqi.save()
    c = client_for(officer_urumqi)
    for url in [reverse("allocations:document_detail", args=[pages_data["document"].pk]), reverse("feedback:current"), reverse("targets:table_list")]:
        html = c.get(url, follow=True).content.decode()
        print("\n=====", url); print(" | ".join(visible_parts(html))[:2500])
