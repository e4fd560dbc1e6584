"""The OpenAPI document, built once per app from the API views' docstrings and the marshmallow schemas."""

from __future__ import annotations

import json

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask

from forum.api import schemas


def _class_of(schema) -> type:
    return schema if isinstance(schema, type) else type(schema)


def build_spec(app: Flask) -> dict:
    cached = app.extensions.get("openapi")
    if cached is not None:
        return cached
    spec = APISpec(
        title="GFMD Forum API",
        version="1",
        openapi_version="3.1.0",
        info={"description": "Public data of the Global Forum on Migration and Development process."},
        servers=[{"url": "/"}],
        plugins=[FlaskPlugin(), MarshmallowPlugin(schema_name_resolver=lambda schema: _class_of(schema).__name__)],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for name in dir(schemas):
        value = getattr(schemas, name)
        is_schema = isinstance(value, type) and issubclass(value, schemas.Schema) and value is not schemas.Schema
        if is_schema and name not in spec.components.schemas:  # nested ones are added with their parent
            spec.components.schema(name, schema=value)
    for endpoint, view in sorted(app.view_functions.items()):
        if endpoint.startswith("api.") and endpoint not in ("api.openapi", "api.docs"):
            spec.path(view=view, app=app)
    # a round trip through JSON turns YAML's integer status keys (200:) into the strings OpenAPI expects
    app.extensions["openapi"] = json.loads(json.dumps(spec.to_dict()))
    return app.extensions["openapi"]
