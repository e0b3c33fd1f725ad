"""The public side as residents and the press use it: the API docs, search as you type, the phone layout."""

from __future__ import annotations

from urllib.parse import urlsplit


def test_api_docs_render_with_no_request_to_another_host(page, base_url):
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    response = page.goto("/api/v1/docs")
    assert response is not None and response.status == 200
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 5
    assert hosts == {urlsplit(base_url).netloc}
