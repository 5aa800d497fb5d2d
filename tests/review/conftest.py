from collections.abc import Iterator
from pathlib import Path

import pytest

from canonym.corpus.documents import read_corpus
from canonym.corpus.run import GazetteerSpec, process_corpus
from canonym.corpus.store import Store
from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.files import search_layers

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini.yaml"

# Document text is untrusted: one article carries markup that must stay text.
ARTICLES = {
    "a/one.txt": "Hachd al-Chaabi fighters near Kirkuk.\n\n"
    "Mohamed Chia al-Soudani said Mr. Soudani's aides met Hashd al-Shaabi leaders.\n",
    "a/two.txt": "Les Unités de mobilisation populaire à Mossoul. "
    "Abou Haïdar al-Zoubaidi a parlé.\n",
    "b/three.md": "Hezbollah and Hisbollah <img src=x onerror=alert(1)> in Irak. "
    "Abu Haidar al-Zubaidi spoke in Mosul.\n",
    "b/four.txt": "Clean copy: Hashd al-Shaabi in Mosul and Kirkuk, Iraq. "
    "Jamal Karim Hassan spoke.\n",
    "b/five.txt": "Abu Haidar al-Zubaidi, again, in Deir Ezzor. Hizbollah too. "
    "Jamal Karim Hassan again.\n",
    "c/six.txt": "Samir Fadel Nouri met Jamal Karim Hassan in Mosul.\n",
    "c/seven.txt": "Samir Fadel Nouri spoke in Kirkuk.\n",
    "d/eight.txt": "وصل عبد الكريم الجبوري إلى الموصّل أمس.\n",
    "d/nine.txt": "قال عبد الكريم الجبوري إن الوضع في حزب اللة هادئ.\n",
}


@pytest.fixture()
def spec() -> GazetteerSpec:
    return GazetteerSpec(paths=(str(MINI),), with_defaults=False)


@pytest.fixture()
def gz(spec: GazetteerSpec) -> Gazetteer:
    return spec.load()


@pytest.fixture()
def layers() -> list:  # type: ignore[type-arg]
    return search_layers([MINI], with_defaults=False)


@pytest.fixture()
def corpus_db(tmp_path: Path, spec: GazetteerSpec) -> Iterator[Path]:
    root = tmp_path / "corpus"
    for rel, text in ARTICLES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    db = tmp_path / "news.db"
    with Store(db) as st:
        process_corpus(read_corpus(str(root)), st, spec, jobs=1)
    yield db
