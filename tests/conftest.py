import os
import tempfile
from pathlib import Path

import pytest

# argostranslate reads its package directory when first imported: point it at a
# private one before any test can import it, so tests never see a user's models.
os.environ["ARGOS_PACKAGES_DIR"] = tempfile.mkdtemp(prefix="canonym-argos-")

from canonym import Gazetteer

DATA = Path(__file__).resolve().parents[0] / "data"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own index cache and no user gazetteer path."""
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CANONYM_GAZETTEERS", raising=False)
    monkeypatch.delenv("CANONYM_INDEX", raising=False)


@pytest.fixture(scope="session")
def mini() -> Gazetteer:
    return Gazetteer.load(DATA / "mini.yaml", use_cache=False)


@pytest.fixture(scope="session")
def bundled() -> Gazetteer:
    return Gazetteer.default(use_cache=False)
