"""With a real fr → en Argos model installed, French copy comes out in English with
canonical names. Skipped unless such a model is installed (set ARGOS_PACKAGES_DIR
to the directory that holds it)."""

import os
from pathlib import Path

import pytest

from canonym import Gazetteer, Normalizer
from canonym.translate.shield import translate_document
from canonym.translate.translator import ArgosTranslator

ARTICLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "fr_report.txt"
REAL_DIR = os.environ.get("CANONYM_REAL_ARGOS_DIR")


@pytest.mark.needs_models
@pytest.mark.skipif(
    REAL_DIR is None,
    reason="no real fr → en model (set CANONYM_REAL_ARGOS_DIR to its packages dir)",
)
def test_french_article_translates_with_canonical_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from argostranslate import settings

    monkeypatch.setattr(settings, "package_data_dir", Path(str(REAL_DIR)))
    translator = ArgosTranslator()
    if not translator.has("fr"):
        pytest.skip(f"no fr → en package in {REAL_DIR}")
    r = translate_document(
        ARTICLE.read_text(encoding="utf-8"), Normalizer(Gazetteer.default()), translator
    )
    assert r.paragraphs[1].translated
    for name in ("Mohammed Shia al-Sudani", "Hashd al-Shaabi", "Baghdad", "Antony Blinken"):
        assert name in r.text
    assert "Soudani" not in r.text and "Chaabi" not in r.text
