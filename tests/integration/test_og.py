"""Open Graph and Twitter card meta on public pages, with a server-drawn PNG of the page's figure."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "image"),
    [
        ("/", "/og/national.png"),
        ("/prefectures/04", "/og/prefectures/04.png"),
        ("/organizations/042021?as_of=2025-05", "/og/organizations/042021.png"),
        ("/rankings", "/og/national.png"),
    ],
)
def test_page_has_open_graph_and_twitter_meta_naming_a_png_of_its_figure(client, path, image):
    html = client.get(path).content.decode()
    for prop in ("og:title", "og:description", "og:url", "og:image", "og:type"):
        assert f'<meta property="{prop}" content="' in html, prop
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    url = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert url.startswith("http://testserver" + image + "?as_of=")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    png = Image.open(io.BytesIO(b"".join(response)))
    assert png.size == (1200, 630)


def test_og_images_of_unknown_areas_are_404(client):
    assert client.get("/og/organizations/999999.png").status_code == 404
    assert client.get("/og/prefectures/99.png").status_code == 404
