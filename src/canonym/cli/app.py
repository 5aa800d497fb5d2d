"""The ``canonym`` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 1 a lookup found nothing (or ``check`` found something),
2 bad input, usage or environment (with a one-line reason on stderr), 70 an
internal error (a bug: the message says where to report it), 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from canonym._version import __version__
from canonym.cli.common import (
    AcceptOpt,
    CanonymGroup,
    Format,
    GazetteerOpt,
    NoBundledOpt,
    emit_json,
    fail,
    load_gazetteer,
)
from canonym.cli.corpus import MaxDocBytesOpt, aliases_app, check
from canonym.cli.gazetteer import gazetteer_app
from canonym.cli.lintcfg import config_app, detect
from canonym.cli.models import models_app
from canonym.io import InputError, read_text, write_atomic
from canonym.normalize.normalizer import Normalizer


class Translate(StrEnum):
    auto = "auto"
    never = "never"
    require = "require"


class Shield(StrEnum):
    canonical = "canonical"
    placeholder = "placeholder"


app = typer.Typer(
    name="canonym",
    help=(
        "Consistent names in multilingual news.\n\n"
        "canonym finds the people, organizations and places a text mentions, whatever "
        "their transliteration (Hachd al-Chaabi, Hashd al-Shaabi, الحشد الشعبي), and "
        "rewrites them to one canonical spelling from curated gazetteers."
    ),
    no_args_is_help=True,
    cls=CanonymGroup,
    # Tracebacks are for --debug only: the group turns failures into one line.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"canonym {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show a traceback when a command fails (also CANONYM_DEBUG=1)."
        ),
    ] = False,
) -> None:
    ctx.meta["canonym.debug"] = debug


@app.command()
def normalize(
    file: Annotated[str, typer.Argument(help="Text file to normalize, or - for stdin.")],
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="text: the rewritten text; json: text and mentions."),
    ] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout (atomically)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Input encoding, e.g. cp1256 or latin-1 (default UTF-8).")
    ] = None,
    no_fuzzy: Annotated[
        bool, typer.Option("--no-fuzzy", help="Only exact, alias and key matches.")
    ] = False,
    translate: Annotated[
        Translate,
        typer.Option(
            help="auto: translate non-English paragraphs when a model is installed, else keep "
            "them (with a warning); never: keep the source; require: exit 2 without a model."
        ),
    ] = Translate.auto,
    lang: Annotated[
        str | None, typer.Option(help="The document's language (skips detection), e.g. fr.")
    ] = None,
    shield: Annotated[
        Shield, typer.Option(help="How names cross translation: canonical form or placeholder.")
    ] = Shield.canonical,
    forms: Annotated[
        str,
        typer.Option(
            help="auto: each paragraph's names in that paragraph's language (French forms "
            "in French copy, English in English or translated copy; a name with no form in "
            "that language is kept as written); en: the English canonical names everywhere; "
            "another code (fr, de, es, it, ar): that language's forms everywhere."
        ),
    ] = "auto",
    device: Annotated[str | None, typer.Option(help="Translation device: cpu or cuda.")] = None,
    out_dir: Annotated[
        str | None,
        typer.Option(
            "--out-dir",
            help="Batch mode: normalize a whole corpus (directory, .jsonl, .csv) into this "
            "directory (or fsspec URL).",
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Batch mode: worker processes.")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Batch mode: a Dask scheduler address (also CANONYM_SCHEDULER)."),
    ] = None,
    text_field: Annotated[str, typer.Option(help="Batch mode: the JSON/CSV text field.")] = "text",
    id_field: Annotated[str, typer.Option(help="Batch mode: the JSON/CSV id field.")] = "id",
    max_doc_bytes: MaxDocBytesOpt = None,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Rewrite every name in a text to its canonical spelling, translating to English.

    Text outside the names is kept byte for byte (in English paragraphs). Short forms
    (Mr. Soudani) follow the full name used earlier in the document; names that could
    mean two entities are left alone and listed as ambiguous in the JSON output.
    Paragraphs in other languages are translated offline with an installed model
    (see 'canonym models'), names shielded so that they come out canonical.

    Examples:

      canonym normalize article.txt

      cat article.txt | canonym normalize - --format json

      canonym normalize depeche-afp.txt --translate require --lang fr

      canonym normalize article.txt -g my-names.yaml -o article.canon.txt

      canonym normalize article.txt --accept 0.95 --format json

      canonym normalize news/ --out-dir news-canonical/ --jobs 2
    """
    from canonym.translate.shield import translate_document
    from canonym.translate.translator import ArgosTranslator, TranslationError

    if out_dir is not None:
        _normalize_batch(
            file, out_dir, translate, lang, shield, device, jobs, scheduler, text_field,
            id_field, gazetteer, no_bundled, accept, not no_fuzzy, encoding, max_doc_bytes,
        )  # fmt: skip
        return
    if Path(file).is_dir():
        fail(f"{file}: is a directory; to normalize a corpus, add --out-dir DIR")
    try:
        name, text = read_text(file, encoding, max_doc_bytes)
    except InputError as e:
        fail(str(e))
    gz = load_gazetteer(gazetteer, no_bundled, accept)
    normalizer = Normalizer(gz, fuzzy=not no_fuzzy, forms=forms.strip().lower())
    extra: dict[str, object] = {}
    if translate is Translate.never and lang is None:
        result = normalizer.normalize(text)
    else:
        try:
            done = translate_document(
                text,
                normalizer,
                ArgosTranslator(device=device),
                mode=translate.value,
                lang=lang,
                strategy=shield.value,
            )
        except TranslationError as e:
            fail(str(e))
        for w in done.warnings:
            typer.echo(f"canonym: warning: {w}", err=True)
        result = done.result
        extra = {
            "lang": done.lang,
            "paragraphs": [p.to_dict() for p in done.paragraphs],
            "alignments": [a.to_dict() for a in done.alignments],
            "warnings": done.warnings,
        }
    if fmt is Format.json:
        payload = (
            json.dumps({"file": name, **result.to_dict(), **extra}, ensure_ascii=False, indent=2)
            + "\n"
        )
    else:
        payload = result.text
    if output is not None:
        write_atomic(output, payload)  # an OutputError is one line, exit 2 (CanonymGroup)
    else:
        sys.stdout.write(payload)
        sys.stdout.flush()


def _normalize_batch(
    corpus: str,
    out_dir: str,
    translate: Translate,
    lang: str | None,
    shield: Shield,
    device: str | None,
    jobs: int | None,
    scheduler: str | None,
    text_field: str,
    id_field: str,
    gazetteer: list[Path] | None,
    no_bundled: bool,
    accept: float | None,
    fuzzy: bool,
    encoding: str | None = None,
    max_doc_bytes: int | None = None,
) -> None:
    from canonym.corpus.batch import BatchSpec, normalize_corpus
    from canonym.corpus.executors import scheduler_address
    from canonym.corpus.run import GazetteerSpec

    load_gazetteer(gazetteer, no_bundled)  # fail early and warm the index cache
    paths = tuple(str(p) for p in gazetteer or [])
    spec = BatchSpec(
        GazetteerSpec(paths, with_defaults=not no_bundled, accept=accept),
        translate=translate.value, lang=lang, shield=shield.value, device=device, fuzzy=fuzzy,
    )  # fmt: skip
    try:
        summary = normalize_corpus(
            corpus, out_dir, spec, jobs=jobs, scheduler=scheduler_address(scheduler),
            text_field=text_field, id_field=id_field, encoding=encoding,
            max_bytes=max_doc_bytes,
        )  # fmt: skip
    except RuntimeError as e:  # the cluster's own failures (ClusterError), one line
        fail(str(e))
    for w in summary.warnings:
        typer.echo(f"canonym: warning: {w}", err=True)
    typer.echo(
        f"{summary.documents:,} documents: {summary.changed:,} changed, {summary.written:,} "
        f"written to {out_dir}, {len(summary.failed):,} failed",
        err=True,
    )
    for source, error in summary.failed[:20]:
        typer.echo(f"  {source}: {error}", err=True)
    if summary.documents and len(summary.failed) >= summary.documents:
        # As for the corpus jobs: a run that could read nothing is an error, not a "maybe".
        from canonym.corpus.documents import missing_field_hint

        hint = missing_field_hint((e for _, e in summary.failed), text_field)
        fail(hint or f"none of the {summary.documents:,} documents could be read")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def resolve(
    name: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    top: Annotated[
        int, typer.Option("--top", "-k", min=1, help="How many candidates to show.")
    ] = 5,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Show which entities a name may stand for, best first, and how it matched.

    Methods: exact (a canonical form), alias (a listed variant), key (a transliteration
    variant with the same key), fuzzy (a close spelling). Exits 1 when nothing is close.

    Examples:

      canonym resolve "Mohamed Chia al-Soudani"

      canonym resolve "الحشد الشعبي" --format json

      canonym resolve "Hisbolla" --accept 0.95 --top 3
    """
    if not name.strip():
        fail("empty name")
    gz = load_gazetteer(gazetteer, no_bundled, accept)
    matches = gz.resolve(name, top=top)
    if fmt is Format.json:
        emit_json({"query": name, "candidates": [m.to_dict() for m in matches]})
    elif matches:
        for i, m in enumerate(matches, 1):
            typer.echo(
                f"{i}. {m.entity.name}  [{m.entity.id}, {m.entity.type}]  "
                f"score {m.score:.3f}  {m.method} via '{m.matched}'"
                + (f", read as '{m.read_as}'" if m.read_as else "")
            )
    else:
        typer.echo(f"no entity is close enough to '{name}'", err=True)
    if not matches:
        raise typer.Exit(1)


app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(aliases_app, name="aliases")
app.add_typer(models_app, name="models")
app.command()(check)
app.command()(detect)
app.add_typer(config_app, name="config")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
