import json
import pytest
from tests.core.test_language import pages_data, ROLES, _pages_for, _get, data_strings, untranslated, visible_parts

@pytest.mark.parametrize("role", ROLES)
def test_it_dump(role, request, pages_data, client_for):
    user = request.getfixturevalue(role)
    user.language = "en"; user.save(update_fields=["language"])
    client = client_for(user); data = data_strings()
    out = {}
    for name, url in _pages_for(role):
        html = _get(client, user, url(user, pages_data))
        left = untranslated(visible_parts(html), data)
        if left: out[name] = sorted(set(left))
    open(f"/work/i18n/left_{role}.json", "w").write(json.dumps(out, ensure_ascii=False, indent=0))
