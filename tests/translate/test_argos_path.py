"""``canonym normalize --translate require`` through argostranslate's real code path."""

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
FRENCH = (
    "Une frappe de drone a visé une position du Hachd al-Chaabi près de Kirkouk.\n\n"
    "Le Premier ministre Mohamed Chia al-Soudani a condamné l'attaque.\n"
)
runner = CliRunner()


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_translate_require_runs_the_installed_package_offline(
    installed: Path, tmp_path: Path, no_network: None
) -> None:
    f = tmp_path / "fr.txt"
    f.write_text(FRENCH, encoding="utf-8")
    r = runner.invoke(
        app, ["normalize", str(f), "--translate", "require", "--format", "json", *MINI]
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["lang"] == "fr"
    paras = d["paragraphs"]
    assert [p["translated"] for p in paras] == [True, True]
    assert {p["model"] for p in paras} == {"argos:fr-en@0.1"}
    assert d["text"] != FRENCH  # the tiny model's English is gibberish, but it is its output
    # Its gibberish drops the shielded names, so each sentence fell back, and said so.
    assert sum(p["fallback_sentences"] for p in paras) >= 1


def test_translate_require_without_model_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "de.txt"
    f.write_text("Die Miliz Kataib Hisbollah machte die USA verantwortlich für den Angriff.\n")
    r = runner.invoke(app, ["normalize", str(f), "--translate", "require", *MINI])
    assert r.exit_code == 2
    assert "canonym models install de" in r.stderr


def test_auto_without_model_keeps_source_and_warns_once(tmp_path: Path) -> None:
    f = tmp_path / "de.txt"
    f.write_text(
        "Die Miliz Kataib Hisbollah machte die USA verantwortlich für den Angriff.\n\n"
        "Die Hisbollah im Libanon hat sich nicht zu dem Angriff geäußert und schweigt.\n"
    )
    r = runner.invoke(app, ["normalize", str(f), *MINI])
    assert r.exit_code == 0
    assert r.stderr.count("no de → en model installed") == 1
    # German copy kept as written takes the German forms.
    assert "Hisbollah" in r.stdout and "verantwortlich" in r.stdout


def test_package_without_bundled_splitter_is_refused_not_downloaded(
    tiny_package: Path, tmp_path: Path, no_network: None
) -> None:
    import zipfile

    stripped = tmp_path / "nosplit.argosmodel"
    with zipfile.ZipFile(tiny_package) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.infolist():
            if "/spacy/" not in item.filename:
                dst.writestr(item, src.read(item.filename))
    from canonym.translate.packages import install_file, remove_language

    info = install_file(stripped)
    assert info.splitter is None
    try:
        f = tmp_path / "fr.txt"
        f.write_text(FRENCH, encoding="utf-8")
        r = runner.invoke(app, ["normalize", str(f), "--translate", "require", *MINI])
        assert r.exit_code == 2
        assert "bundles no sentence splitter" in r.stderr
    finally:
        remove_language("fr")
