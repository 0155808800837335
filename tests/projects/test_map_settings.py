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


def test_a_project_page_loads_leaflet_only_when_it_shows_a_map(client):
    """Prepaid data (issue 19): a project without a location shows no map and downloads none of Leaflet."""
    from decimal import Decimal

    from tests.factories import ProjectFactory

    placed = ProjectFactory(status="en_cartera", latitude=Decimal("21.1250"), longitude=Decimal("-101.6860"))
    unplaced = ProjectFactory(status="en_cartera", latitude=None, longitude=None)
    with_map = client.get(reverse("projects:project_detail", args=[placed.slug])).content.decode()
    without = client.get(reverse("projects:project_detail", args=[unplaced.slug])).content.decode()
    assert "data-project-map" in with_map and "leaflet.css" in with_map and "leaflet.js" in with_map
    assert "data-project-map" not in without and "leaflet" not in without
