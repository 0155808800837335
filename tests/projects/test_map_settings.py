"""The map's tile server comes from settings, and the Content-Security-Policy allows exactly its origin."""

import pytest
from django.urls import reverse

from implan.env import tile_sources

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        ("https://{s}.tiles.example.mx/base/{z}/{x}/{y}.png", ["https://*.tiles.example.mx"]),
        ("", []),
    ],
)
def test_the_tile_origin_is_added_to_img_src(template, expected):
    assert tile_sources(template) == expected


def test_the_default_policy_allows_the_default_tiles_and_nothing_else():
    from django.conf import settings

    img = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert "https://tile.openstreetmap.org" in img and "*" not in " ".join(img)


def test_the_list_page_passes_the_map_configuration_as_data(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.mx/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Municipio"
    html = client.get(reverse("projects:project_list")).content.decode()
    assert '<script id="map-config" type="application/json">' in html
    assert "https://tiles.example.mx/{z}/{x}/{y}.png" in html and "Municipio" in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/project-map.js" in html
    response = client.get(reverse("projects:project_list"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
