"""The API's docs page (Swagger UI, issue 17) loads whole with nothing fetched from outside the server.

The visit fixture fails the test on any request to another host, any console error (a CSP violation
among them) and any 5xx; here the page must also have drawn the endpoints from /api/schema/.
"""


def test_it_draws_the_api_docs_from_the_servers_own_files(visit, with_password, hr_reviewer):
    visit.log_in(with_password(hr_reviewer))
    requested = []
    visit.page.on("request", lambda request: requested.append(request.url))
    visit.goto("/api/docs/")
    visit.page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    visit.shot("docs")
    paths = visit.page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/documents/{id}/direct-funds/" in [p.replace("\u200b", "") for p in paths]
    assert any("/api/schema/" in url for url in requested)
    assert all(url.startswith(visit.base_url) for url in requested), requested
