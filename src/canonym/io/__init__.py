"""Reading documents and writing results safely: bounded, decoded reads
(``canonym.io.read``), the one atomic writer (``canonym.io.write``) and the test
for URLs with their filesystems (``canonym.io.fs``).
"""

from __future__ import annotations

from canonym.io.fs import filesystem, is_url, join, local_path
from canonym.io.read import (
    ENV_MAX_DOC_BYTES,
    MAX_DOC_BYTES,
    InputError,
    decode,
    explain_undecodable,
    file_kind,
    first_surrogate,
    has_utf8_bom,
    max_doc_bytes,
    read_bounded,
    read_stream,
    read_text,
)
from canonym.io.write import (
    AtomicFile,
    OutputError,
    atomic_writer,
    check_output,
    output_stream,
    write_atomic,
    write_output,
)

__all__ = [
    "InputError",
    "OutputError",
    "check_output",
    "output_stream",
    "MAX_DOC_BYTES",
    "ENV_MAX_DOC_BYTES",
    "max_doc_bytes",
    "read_bounded",
    "read_stream",
    "read_text",
    "has_utf8_bom",
    "decode",
    "explain_undecodable",
    "file_kind",
    "first_surrogate",
    "AtomicFile",
    "atomic_writer",
    "write_atomic",
    "write_output",
    "filesystem",
    "is_url",
    "join",
    "local_path",
]
