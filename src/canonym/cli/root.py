"""The ``canonym`` command's typer application: a thin layer that parses arguments
and calls the library (``canonym.cli.app`` runs it).

Exit codes: 0 success, 1 a lookup found nothing (or ``check`` found something),
2 bad input, usage or environment (with a one-line reason on stderr), 70 an
internal error (a bug: the message says where to report it), 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from canonym._version import __version__
from canonym.cli.aliases import aliases_app
from canonym.cli.batch import normalize_batch
from canonym.cli.check import check
from canonym.cli.common import (
    AcceptOpt,
    Format,
    GazetteerOpt,
    NoBundledOpt,
    Shield,
    Translate,
)
from canonym.cli.corpus import (
    CorpusOptions,
    ExcludeOpt,
    IncludeOpt,
    MaxDocBytesOpt,
)
from canonym.cli.errors import CanonymGroup
from canonym.cli.gazetteer import gazetteer_app
from canonym.cli.lintcfg import config_app, detect
from canonym.cli.models import models_app
from canonym.cli.normalizing import OneDocument, checked_forms, normalize_one
from canonym.cli.resolving import resolve
from canonym.cli.review import review
from canonym.cli.serve import serve

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


FmtOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="text: the rewritten text; json: text and mentions."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write here instead of stdout (atomically)."),
]
EncodingOpt = Annotated[
    str | None, typer.Option(help="Input encoding, e.g. cp1256 or latin-1 (default UTF-8).")
]
NoFuzzyOpt = Annotated[bool, typer.Option("--no-fuzzy", help="Only exact, alias and key matches.")]
TranslateOpt = Annotated[
    Translate,
    typer.Option(
        help="auto: translate non-English paragraphs when a model is installed, else keep "
        "them (with a warning); never: keep the source; require: exit 2 without a model."
    ),
]
LangOpt = Annotated[
    str | None, typer.Option(help="The document's language (skips detection), e.g. fr.")
]
ShieldOpt = Annotated[
    Shield, typer.Option(help="How names cross translation: canonical form or placeholder.")
]
FormsOpt = Annotated[
    str,
    typer.Option(
        help="auto: each paragraph's names in that paragraph's language (French forms "
        "in French copy, English in English or translated copy; a name with no form in "
        "that language is kept as written); en: the English canonical names everywhere; "
        "another code (fr, de, es, it, ar, or one of the other languages canonym reads: "
        "pt, nl, tr, ru, fa, ur, he): that language's forms everywhere, the name as "
        "written where an entity has none."
    ),
]
OutDirOpt = Annotated[
    str | None,
    typer.Option(
        "--out-dir",
        help="Batch mode: normalize a whole corpus (directory, .jsonl, .csv) into this "
        "directory (or fsspec URL).",
    ),
]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Batch mode: worker processes.")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(help="Batch mode: a Dask scheduler address (also CANONYM_SCHEDULER)."),
]


@app.command()
def normalize(
    file: Annotated[str, typer.Argument(help="Text file to normalize, or - for stdin.")],
    fmt: FmtOpt = Format.text,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    no_fuzzy: NoFuzzyOpt = False,
    translate: TranslateOpt = Translate.auto,
    lang: LangOpt = None,
    shield: ShieldOpt = Shield.canonical,
    forms: FormsOpt = "auto",
    device: Annotated[str | None, typer.Option(help="Translation device: cpu or cuda.")] = None,
    out_dir: OutDirOpt = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    text_field: Annotated[str, typer.Option(help="Batch mode: the JSON/CSV text field.")] = "text",
    id_field: Annotated[str, typer.Option(help="Batch mode: the JSON/CSV id field.")] = "id",
    max_doc_bytes: MaxDocBytesOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
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
    one = OneDocument(
        file, fmt, output, encoding, not no_fuzzy, translate, lang, shield,
        checked_forms(forms), device, max_doc_bytes, accept, gazetteer, no_bundled,
    )  # fmt: skip
    if out_dir is None:
        normalize_one(one)
        return
    opts = CorpusOptions(
        gazetteer=gazetteer, no_bundled=no_bundled, jobs=jobs, scheduler=scheduler,
        text_field=text_field, id_field=id_field, accept=accept, encoding=encoding,
        max_doc_bytes=max_doc_bytes, include=include, exclude=exclude,
    )  # fmt: skip
    normalize_batch(out_dir, one, opts)


app.command()(resolve)
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(aliases_app, name="aliases")
app.add_typer(models_app, name="models")
app.command()(check)
app.command()(detect)
app.command()(serve)
app.command()(review)
app.add_typer(config_app, name="config")
