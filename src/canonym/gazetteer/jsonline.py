"""One JSON line as the YAML nodes ``yaml.compose`` makes of it, parsed by ``json``.

Reach for this module to read JSON-lines gazetteers fast: a JSON line is YAML
too, and its fields are checked on YAML nodes (``canonym.gazetteer.fields``),
but composing it in YAML costs ten times what ``json`` takes to parse it.
``compose_json`` gives the same nodes (the scalars' text as YAML reads it, keys
in order, repeated keys kept), or None for any line where the two readers may
disagree: not JSON, a character YAML refuses, an escaped surrogate (a pair in
JSON, an error in YAML), a key too long for YAML. The caller composes those in
YAML, which words their problems. The nodes carry no place: a JSON line's
problems are given its line number by the caller.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

__all__ = ["compose_json"]

_MARK = yaml.Mark("<json line>", 0, 0, 0, None, None)  # type: ignore[arg-type]
_STR, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool"
_NULL, _SEQ, _MAP = "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# What PyYAML's reader refuses anywhere in a stream (its NON_PRINTABLE).
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONGEST_KEY = 1000  # YAML reads a key of at most 1024 characters on one line
_CONSTANTS = {True: "true", False: "false"}


class _Disagree(Exception):
    """The line is one the two readers might read differently."""


def _scalar(tag: str, value: str) -> yaml.ScalarNode:
    return yaml.ScalarNode(tag, value, _MARK, _MARK)


def _node(v: Any) -> yaml.Node:
    if isinstance(v, yaml.Node):
        return v
    if isinstance(v, str):
        return _scalar(_STR, v)
    if isinstance(v, list):
        return yaml.SequenceNode(_SEQ, [_node(x) for x in v], _MARK, _MARK, flow_style=True)
    if v is None:
        return _scalar(_NULL, "null")
    return _scalar(_BOOL, _CONSTANTS[v])


def _mapping(pairs: list[tuple[str, Any]]) -> yaml.MappingNode:
    value = []
    for k, v in pairs:
        if len(k) > _LONGEST_KEY:
            raise _Disagree
        value.append((_scalar(_STR, k), _node(v)))
    return yaml.MappingNode(_MAP, value, _MARK, _MARK, flow_style=True)


def _plain(text: str) -> yaml.ScalarNode:
    # A number as written, as YAML keeps it (1.50 is not 1.5), with the tag YAML gives
    # a plain word (1E5 is a string to YAML 1.1, NaN too).
    return _scalar(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)), text)  # type: ignore[no-untyped-call]


_RESOLVER = yaml.resolver.Resolver()
_DECODER = json.JSONDecoder(
    object_pairs_hook=_mapping, parse_int=_plain, parse_float=_plain, parse_constant=_plain
)


def compose_json(line: str) -> yaml.Node | None:
    """The YAML nodes of one JSON line, or None when YAML should read it."""
    if _NOT_YAML.search(line) or ("\\" in line and _SURROGATE_ESCAPE.search(line)):
        return None
    try:
        return _node(_DECODER.decode(line))
    except (ValueError, _Disagree, RecursionError):
        return None
