"""The package's surface: every public name resolves, and importing it is cheap."""

from __future__ import annotations

import subprocess
import sys

import canonym


def test_every_public_name_resolves() -> None:
    for name in canonym.__all__:
        assert getattr(canonym, name) is not None, name
    assert sorted(dir(canonym)) == sorted(canonym.__all__)


def test_import_loads_no_layer_until_it_is_used() -> None:
    """``import canonym`` alone must not pull in the corpus, merge or translation code."""
    code = (
        "import sys, canonym; heavy = ('canonym.corpus.store', 'canonym.gazetteer.merge', "
        "'canonym.translate.shield', 'canonym.translate.translator', 'canonym.corpus.run', "
        "'ruamel.yaml', 'canonym.gazetteer.core'); "
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    merge = "canonym.gazetteer.merge"
    code = f"import sys, canonym; canonym.Normalizer; print('{merge}' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
