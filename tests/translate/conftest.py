from collections.abc import Iterator
from pathlib import Path

import pytest

from .tinypkg import build_package

pytest.importorskip("argostranslate", reason="argostranslate not installed (canonym[translate])")


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("argos-build"))


@pytest.fixture()
def installed(tiny_package: Path) -> Iterator[Path]:
    """The tiny fr → en package installed through canonym, removed afterwards."""
    from canonym.translate.packages import install_file, installed_packages, remove_language

    install_file(tiny_package)
    yield tiny_package
    if any(p.from_code == "fr" for p in installed_packages()):
        remove_language("fr")
