"""Compressed copies of fixture files, as users download dumps."""

import bz2
import gzip
from pathlib import Path


def compressed(src: Path, tmp_path: Path, suffix: str) -> Path:
    out = tmp_path / (src.name + suffix)
    opener = gzip.open if suffix == ".gz" else bz2.open
    with opener(out, "wb") as fh:
        fh.write(src.read_bytes())
    return out
