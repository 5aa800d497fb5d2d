"""A JSON line parsed by json gives the nodes YAML composes, or is left to YAML."""

from __future__ import annotations

import json
import random

import pytest
import yaml

from canonym.data import YAML_LOADER
from canonym.gazetteer.jsonline import compose_json


def _shape(node: yaml.Node) -> object:
    """A node tree without its places: what the field checks read of it."""
    if isinstance(node, yaml.ScalarNode):
        return ("s", node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return ("l", [_shape(n) for n in node.value])
    assert isinstance(node, yaml.MappingNode)
    return ("m", [(_shape(k), _shape(v)) for k, v in node.value])


def _same_as_yaml(line: str) -> None:
    got = compose_json(line)
    if got is not None:
        assert _shape(got) == _shape(yaml.compose(line, Loader=YAML_LOADER))


LINES = [
    '{"id": "x1", "name": "Karaabad", "type": "place", "aliases": ["Qaraabad", "al-Karaabad"]}',
    '{"id":"x2","name":"Zürich","type":"place","prior":1.50e3,"coordinates":[47.37,8.54]}',
    '{"id": 17, "name": "A", "type": "person", "names": null, "aliases": [true, false, 0]}',
    '{"id": "a", "id": "b", "forms": {"fr": ["États-Unis"], "ar": "الولايات"}}',
    '{"extend": "x1", "aliases": ["Kara"], "disabled": true}',
    '{"id": "e", "name": "x\\/y \\u00e9 \\n \\t \\"q\\"", "type": "place"}',
    '{"id": "n", "prior": NaN, "coordinates": [-0, 1E5]}',
    '["not", "a", "mapping"]',
    '"a string"',
    "null",
]


@pytest.mark.parametrize("line", LINES)
def test_a_line_gives_the_nodes_yaml_composes(line: str) -> None:
    assert compose_json(line) is not None  # each of these is read by json
    _same_as_yaml(line)


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "s", "name": "\\ud83d\\ude00"}',  # a pair to json, an error to YAML
        '{"id": "c", "name": "a\u0085b\u0007"}',  # a character YAML refuses
        '{"' + "k" * 1100 + '": 1}',  # a key YAML does not read on one line
        "{id: x, name: y}",  # YAML, not JSON
        '{"id": "x"} {"id": "y"}',
        '{"id": "x",}',
    ],
)
def test_a_line_the_readers_may_disagree_on_is_left_to_yaml(line: str) -> None:
    assert compose_json(line) is None


def test_generated_entities_read_alike() -> None:
    rng = random.Random(3)
    letters = "aAzé-' .,:#&*!|>%@`\"\\/{}[]0123456789ﺍ中\t"
    for _ in range(400):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 8))) for _ in range(4)]
        record: dict[str, object] = {
            "id": words[0],
            "name": words[1],
            "type": rng.choice(["place", "person", 3, None]),
            "aliases": [words[2], words[3], rng.random(), rng.randint(-5, 5)],
            "forms": {"fr": [words[2]], words[3]: words[1]},
        }
        for ensure_ascii in (True, False):
            _same_as_yaml(json.dumps(record, ensure_ascii=ensure_ascii))
