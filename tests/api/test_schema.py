"""/api/schema/ is valid OpenAPI 3, names every endpoint the API serves, and describes every field in Chinese."""

import re

from django.urls import URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

CJK = re.compile(r"[\u4e00-\u9fff]")


def api_routes(resolver=None, prefix=""):
    """Every /api/v1/ route the URLconf serves, written as the schema writes paths ({pk} → {id})."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            found += api_routes(pattern, route)
        elif route.startswith("api/v1/"):
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route).lstrip("^").rstrip("$")
            found.append("/" + path.replace("{pk}", "{id}"))
    return found


def test_it_serves_a_valid_schema_listing_every_endpoint(client_for, hr_reviewer):
    client = client_for(hr_reviewer)
    answer = client.get("/api/schema/?format=json")
    assert answer.status_code == 200
    schema = answer.json()
    validate_schema(schema)  # raises on an invalid document
    served = set(api_routes())
    assert len(served) >= 20
    assert served == set(schema["paths"]), served ^ set(schema["paths"])


def _undescribed(schema):
    missing = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if not CJK.search(spec.get("description", "")):
                missing.append(f"{name}.{field}")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if not CJK.search(parameter.get("description", "")):
                    missing.append(f"{method.upper()} {path} ?{parameter['name']}")
    return missing


def test_it_describes_every_field_and_parameter_in_chinese(client_for, hr_reviewer):
    schema = client_for(hr_reviewer).get("/api/schema/?format=json").json()
    assert _undescribed(schema) == []
