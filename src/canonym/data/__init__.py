"""Where canonym's data files live, and the one way to read them.

Reach for this module to find the bundled gazetteers or to load one of the
small data tables (letter maps, particles) shipped inside the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["YAML_LOADER", "bundled_gazetteer_dir", "data_bytes", "load_data"]

try:  # libyaml is many times faster, on large gazetteers and on the tables read at start
    YAML_LOADER: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    YAML_LOADER = yaml.SafeLoader


def data_bytes(name: str) -> bytes:
    """The raw bytes of a table in ``canonym/data/`` (to fingerprint it unparsed)."""
    return resources.files("canonym").joinpath("data", name).read_bytes()


@cache
def load_data(name: str) -> Any:
    """Parse a YAML table from ``canonym/data/``; cached, so call it freely."""
    return yaml.load(data_bytes(name).decode("utf-8"), Loader=YAML_LOADER)


def bundled_gazetteer_dir() -> Path | None:
    """The curated gazetteers: inside the installed package, or beside the source tree."""
    packaged = Path(str(resources.files("canonym"))) / "gazetteers"
    if packaged.is_dir():
        return packaged
    # An editable install runs from src/canonym; the data sits at the project root.
    source_tree = Path(__file__).resolve().parents[3] / "gazetteers"
    if source_tree.is_dir():
        return source_tree
    return None
