"""A tiny but genuine argostranslate package, built offline for tests.

Real argos language models cannot be downloaded here, so the tests build one:
a CTranslate2 Transformer written through ``ctranslate2.specs`` with small random
weights, a SentencePiece model trained on a few lines, and a packaged spaCy
sentence splitter (a blank pipeline, which needs no download). Its translations
are gibberish; it exercises argostranslate's real loading and translation code.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

LINES = [
    "Une frappe de drone a visé une position près de Kirkouk.",
    "Le Premier ministre a condamné l'attaque contre la base.",
    "Les forces de sécurité ont renforcé les contrôles à Mossoul.",
    "La coalition a annoncé de nouvelles frappes dans la région.",
    "Les autorités ont appelé à la retenue après les tirs de roquettes.",
    "Le gouvernement a convoqué le conseil de sécurité nationale.",
] * 4


def _set(spec: object, path: str, value: object) -> None:
    obj = spec
    parts = path.split("/")
    for part in parts[:-1]:
        name, _, idx = part.rpartition("_")
        if idx.isdigit() and isinstance(getattr(obj, name, None), list):
            obj = getattr(obj, name)[int(idx)]
        else:
            obj = getattr(obj, part)
    setattr(obj, parts[-1], value)


def _shape(path: str, d: int, ff: int, vocab: int) -> tuple[int, ...]:
    if path.endswith(("gamma", "beta")):
        return (d,)
    if "embeddings" in path or "projection" in path:
        return (vocab, d)
    if "/ffn/linear_0" in path:
        return (ff, d)
    if "/ffn/linear_1" in path:
        return (d, ff)
    if "self_attention/linear_0" in path:
        return (3 * d, d)
    if "decoder" in path and "/attention/linear_1" in path:
        return (2 * d, d)
    return (d, d)


def build_model(model_dir: Path, vocab: list[str], *, d: int = 16, ff: int = 32) -> None:
    from ctranslate2 import specs

    spec = specs.TransformerSpec.from_config((1, 1), 2)
    rng = np.random.default_rng(0)
    for path, value in spec.variables(ordered=True):
        if value is None:
            shape = _shape(path, d, ff, len(vocab))
            array = (
                np.ones(shape, np.float32)
                if path.endswith("gamma")
                else (rng.standard_normal(shape) * 0.1).astype(np.float32)
            )
            if path.endswith("beta"):
                array = np.zeros(shape, np.float32)
            _set(spec, path, array)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def build_package(out: Path, *, from_code: str = "fr", to_code: str = "en") -> Path:
    """Write ``translate-<from>_<to>.argosmodel`` into ``out``; returns its path."""
    import sentencepiece as spm
    import spacy

    name = f"translate-{from_code}_{to_code}-0_1"
    root = out / "build" / name
    root.mkdir(parents=True, exist_ok=True)
    corpus = out / "build" / "corpus.txt"
    corpus.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(root / "sentencepiece"),
        vocab_size=70,
        character_coverage=1.0,
        model_type="unigram",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = ["<blank>", "<s>", "</s>", *(p for p in pieces if p not in ("<blank>", "<s>", "</s>"))]
    build_model(root / "model", vocab)
    spacy.blank(from_code).to_disk(root / "spacy")
    (root / "metadata.json").write_text(
        json.dumps(
            {
                "package_version": "0.1",
                "argos_version": "1.11",
                "from_code": from_code,
                "from_name": "French",
                "to_code": to_code,
                "to_name": "English",
                "type": "translate",
                "code": f"translate-{from_code}_{to_code}",
            }
        ),
        encoding="utf-8",
    )
    target = out / f"{name}.argosmodel"
    with zipfile.ZipFile(target, "w") as z:
        for f in sorted(root.rglob("*")):
            z.write(f, f.relative_to(root.parent).as_posix())
    return target
