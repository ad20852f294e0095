import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (an unannotated view, an unknown field
    # type) into a failure, so the published schema stays complete.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/clients/search/" in (tmp_path / "s.yml").read_text()


def test_schema_endpoint_lists_the_paths(api, login, coach):
    response = login(coach).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/clients/",
        "/api/v1/clients/{id}/",
        "/api/v1/clients/search/",
        "/api/v1/households/",
        "/api/v1/households/{id}/",
    ]:
        assert path in paths
    # No operation takes a BSN in its URL or query string.
    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert "bsn" not in parameter["name"].lower()


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_render_from_our_own_static_files(login, coach, url):
    response = login(coach).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""<(?:script|link)[^>]*(?:src|href)=["']([^"']+)""", html)
    assert sources, "the page loads its scripts"
    for source in sources:
        assert source.startswith("/static/"), source
    assert "cdn" not in html.lower()
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", html)
