import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="canonym serve needs the 'serve' extra")
from starlette.testclient import TestClient  # noqa: E402

from canonym import Gazetteer  # noqa: E402
from canonym.serve import ServeSettings, Service, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# The specification's schemas sit in ../shared beside the repository; a checkout
# elsewhere points at them with CANONYM_RECONCILIATION_SCHEMAS.
SCHEMAS = Path(
    os.environ.get("CANONYM_RECONCILIATION_SCHEMAS")
    or ROOT.parent / "shared" / "reconciliation-api-0.2"
)


def _client(gz: Gazetteer, **settings: Any) -> TestClient:
    return TestClient(create_app(Service(gz, ServeSettings(**settings))))


@pytest.fixture(scope="session")
def make_client() -> Callable[..., TestClient]:
    """A client of an app over the given gazetteer, with these ``ServeSettings``."""
    return _client


@pytest.fixture(scope="session")
def client(mini: Gazetteer) -> Iterator[TestClient]:
    with _client(mini) as c:
        yield c


@pytest.fixture(scope="session")
def conforms() -> Callable[[str, Any], None]:
    """Asserts that an instance is valid under one of the specification's schemas."""
    if not (SCHEMAS / "manifest.json").exists():
        pytest.skip(f"the Reconciliation API 0.2 schemas are not in {SCHEMAS}")
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        resources.append((schema["$id"].rstrip("#"), resource))
    registry: Registry[Any] = Registry().with_resources(resources)

    def check(name: str, instance: Any) -> None:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        errors = sorted(Draft7Validator(schema, registry=registry).iter_errors(instance), key=str)
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"

    return check
