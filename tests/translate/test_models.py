"""``canonym models``: installing a real package file safely, listing, removing."""

import json
import socket
import struct
import time
import warnings
import zipfile
from pathlib import Path
from urllib.error import URLError

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

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


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("args", [["available"], ["install", "fr"]])
def test_offline_fails_fast_with_one_line(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    from argostranslate import settings

    url = f"http://127.0.0.1:{closed_port()}/index.json"
    monkeypatch.setattr(settings, "remote_package_index", url)
    started = time.monotonic()
    r = run(*args)
    assert time.monotonic() - started < 5
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"canonym: {url}: cannot be reached")
    assert "install-file" in r.stderr


def test_index_and_download_requests_have_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    import canonym.translate.packages as models

    timeouts: list[object] = []

    def fake_urlopen(request: object, timeout: object = None) -> object:
        timeouts.append(timeout)
        raise URLError("no route to host")

    monkeypatch.setattr(models, "urlopen", fake_urlopen)
    r = run("available")
    assert r.exit_code == 2 and "no route to host" in r.stderr
    with pytest.raises(models.PackageError, match="download failed"):
        models._download(["http://127.0.0.1:1/x.argosmodel"], Path("unused.argosmodel"))
    assert timeouts == [models.NETWORK_TIMEOUT] * 2


def test_directory_without_metadata_is_skipped_with_one_warning(tiny_package: Path) -> None:
    from argostranslate import settings

    from canonym.translate.translator import ArgosTranslator

    stray = Path(settings.package_data_dir) / "not-a-package"
    stray.mkdir()
    try:
        assert run("install-file", str(tiny_package)).exit_code == 0
        r = run("list", "--format", "json")
        assert r.exit_code == 0, r.output
        assert [p["from"] for p in json.loads(r.stdout)] == ["fr"]
        assert f"canonym: warning: {stray}: no metadata.json" in r.stderr
        assert ArgosTranslator().has("fr")
        assert "warning" not in run("list").stderr  # once per directory, not every lookup
    finally:
        stray.rmdir()
        run("remove", "fr")


def test_archive_unpacking_past_the_limit_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "big.argosmodel"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/metadata.json", META)
        z.writestr("pkg/model/model.bin", b"\0" * 3_000_000)
    assert p.stat().st_size < 100_000
    r = run("install-file", str(p), "--max-size", "2")
    assert r.exit_code == 2 and "more than the 2 MB limit" in r.stderr
    assert r.stderr.count("\n") == 1
    assert json.loads(run("list", "--format", "json").stdout) == []


def test_too_many_members_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import canonym.translate.archive as archive

    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    members = {"pkg/metadata.json": META, **{f"pkg/model/{i}": "x" for i in range(5)}}
    r = run("install-file", str(bad_zip(tmp_path, members)))
    assert r.exit_code == 2 and "6 members" in r.stderr


def lie_about_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip declares for ``member``, as a bomb would."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    data = bytearray(path.read_bytes())
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(sig)
        while start >= 0:
            # the name follows the fixed header: 30 bytes locally, 46 centrally
            fixed = 30 if sig == b"PK\x03\x04" else 46
            if data[start + fixed : start + fixed + len(name)] == name:
                struct.pack_into("<I", data, start + offset, size)
            start = data.find(sig, start + 4)
    assert info.file_size != size
    path.write_bytes(bytes(data))


def test_archive_whose_header_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "liar.argosmodel"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/metadata.json", META)
        z.writestr("pkg/model/model.bin", b"\0" * 3_000_000)
    lie_about_size(p, "pkg/model/model.bin", 10)
    r = run("install-file", str(p), "--max-size", "2")
    assert r.exit_code == 2 and "pkg/model/model.bin" in r.stderr
    assert r.stderr.count("\n") == 1
    assert json.loads(run("list", "--format", "json").stdout) == []
    from argostranslate import settings

    assert not (Path(settings.package_data_dir) / "pkg").exists()


def test_duplicate_metadata_member_refused(tmp_path: Path) -> None:
    p = tmp_path / "dup.argosmodel"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("pkg/metadata.json", META)
            z.writestr("pkg/model/x", "")
            z.writestr("pkg/metadata.json", json.dumps({"type": "translate"}))
    r = run("install-file", str(p))
    assert r.exit_code == 2 and "'pkg/metadata.json' appears twice" in r.stderr
    assert json.loads(run("list", "--format", "json").stdout) == []


@pytest.mark.parametrize(
    "metadata, reason",
    [
        (json.dumps({"from_code": "", "to_code": "en"}), "no 'from_code'"),
        (json.dumps({"from_code": "fr", "to_code": 3}), "no 'to_code'"),
        (json.dumps({"from_code": "fr"}), "no 'to_code'"),
        (json.dumps(["fr", "en"]), "not a JSON object"),
        (json.dumps({"from_code": "../fr", "to_code": "en"}), "not a language code"),
        (b'{"from_code": "\x80\x81"}', "not UTF-8"),
    ],
)
def test_bad_metadata_is_one_line(tmp_path: Path, metadata: str | bytes, reason: str) -> None:
    p = tmp_path / "meta.argosmodel"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("pkg/metadata.json", metadata)
        z.writestr("pkg/model/x", "")
    r = run("install-file", str(p))
    assert r.exit_code == 2 and reason in r.stderr, r.output
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"canonym: {p}: ")
    assert json.loads(run("list", "--format", "json").stdout) == []
