"""``canonym models``: installing a real package file safely, listing, removing."""

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["models", *args])


def test_install_list_remove(tiny_package: Path) -> None:
    r = run("install-file", str(tiny_package))
    assert r.exit_code == 0, r.output
    listed = json.loads(run("list", "--format", "json").stdout)
    assert [(p["from"], p["to"], p["splitter"]) for p in listed] == [("fr", "en", "spacy")]
    r = run("remove", "fr")
    assert r.exit_code == 0 and "removed fr → en" in r.stderr
    assert json.loads(run("list", "--format", "json").stdout) == []
    assert run("remove", "fr").exit_code == 2


def bad_zip(tmp_path: Path, members: dict[str, str]) -> Path:
    p = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(p, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return p


META = json.dumps({"from_code": "fr", "to_code": "en", "type": "translate"})


@pytest.mark.parametrize(
    "members, reason",
    [
        ({"pkg/metadata.json": META, "pkg/model/x": "", "../evil.txt": "x"}, "escape"),
        ({"pkg/metadata.json": META, "/etc/evil": "x"}, "escape"),
        ({"pkg/metadata.json": META, "pkg/model/x": "", "other/y": "x"}, "one top-level"),
        ({"pkg/model/x": ""}, "no pkg/metadata.json"),
        ({"pkg/metadata.json": "{not json", "pkg/model/x": ""}, "not valid JSON"),
        ({"pkg/metadata.json": META}, "no pkg/model/"),
    ],
)
def test_unsafe_or_invalid_archives_are_refused(
    tmp_path: Path, members: dict[str, str], reason: str
) -> None:
    r = run("install-file", str(bad_zip(tmp_path, members)))
    assert r.exit_code == 2 and reason in r.stderr
    assert json.loads(run("list", "--format", "json").stdout) == []


def test_symlink_member_refused(tmp_path: Path) -> None:
    p = tmp_path / "link.argosmodel"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("pkg/metadata.json", META)
        info = zipfile.ZipInfo("pkg/model/link")
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/passwd")
    r = run("install-file", str(p))
    assert r.exit_code == 2 and "symbolic link" in r.stderr


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "x.argosmodel"
    p.write_text("hello")
    r = run("install-file", str(p))
    assert r.exit_code == 2 and "not a zip archive" in r.stderr


def test_available_offline_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import argostranslate.package as argos_package

    def offline() -> None:
        raise OSError("Name or service not known")

    monkeypatch.setattr(argos_package, "update_package_index", offline)
    r = run("available")
    assert r.exit_code == 1 and "cannot reach the Argos package index" in r.stderr
