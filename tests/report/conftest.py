"""A small corpus in two languages, with a name broken across a line, and a way to
run ``canonym check`` on it."""

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from canonym.cli.app import app

GAZETTEER = Path(__file__).resolve().parents[1] / "data" / "outputs.yaml"

DOCS = {
    "en.txt": "The prime minister Mohamed Chia\nal-Soudani met envoys of Hisbollah in Mosul on "
    "Tuesday, officials said.\nThey discussed the situation in the north with the army.\n",
    "fr.txt": "Les Etats-Unis ont frappé des positions du Hizbollah près de Mosul mardi, "
    "selon des responsables de la région.\n",
    "clean.txt": "The United States and Hezbollah, in Mosul, as the wire writes them today.\n",
}

runner = CliRunner()


def check(*args: str) -> Result:
    return runner.invoke(
        app, ["check", *args, "--isolated", "--no-bundled", "-g", str(GAZETTEER), "--jobs", "1"]
    )


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    root.mkdir()
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root
