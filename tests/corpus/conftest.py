from pathlib import Path

import pytest

from canonym.corpus.run import GazetteerSpec

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini.yaml"

ARTICLES = {
    "a/one.txt": "Hachd al-Chaabi fighters near Kirkuk.\n\n"
    "Mohamed Chia al-Soudani said Mr. Soudani's aides met Hashd al-Shaabi leaders.\n",
    "a/two.txt": "Les Unités de mobilisation populaire à Mossoul. "
    "Abou Haïdar al-Zoubaidi a parlé.\n",
    "b/three.md": "Hezbollah and Hisbollah in Irak. Abu Haidar al-Zubaidi spoke in Mosul.\n",
    "b/four.txt": "Clean copy: Hashd al-Shaabi in Mosul and Kirkuk, Iraq.\n",
    "b/five.txt": "Abu Haidar al-Zubaidi, again, in Deir Ezzor. Hizbollah too.\n",
}


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for rel, text in ARTICLES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture()
def spec() -> GazetteerSpec:
    return GazetteerSpec(paths=(str(MINI),), with_defaults=False)
