"""Homonyms: a document's context and the entities' priors choose, or the name stays ambiguous."""

import csv
import json
from pathlib import Path

import pytest

from canonym import Context, Entity, Gazetteer, context_of
from canonym.gazetteer.importers.geonames import city_entity
from canonym.match.context import prefer

DATA = Path(__file__).resolve().parents[1] / "data"
with (DATA / "homonyms.csv").open(encoding="utf-8") as f:
    CASES = list(csv.DictReader(f))


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load(DATA / "homonyms.yaml", use_cache=False)


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_context_and_priors_choose_among_homonyms(gz: Gazetteer, case: dict[str, str]) -> None:
    context = context_of(gz, case["context"]) if case["context"] else None
    linked = gz.link(case["query"], context=context)
    assert (linked.entity.id if linked else "") == case["expected"]
    # resolve ranks the chosen homonym first; explain says what chose it.
    if case["expected"]:
        assert gz.resolve(case["query"], context=context)[0].entity.id == case["expected"]
        why = gz.explain(case["query"], context=context)
        assert why.chosen_by is not None and why.runner_up is not None
        assert why.runner_up.entity.id != case["expected"]


def test_context_is_the_texts_unambiguous_entities_and_their_countries(gz: Gazetteer) -> None:
    ctx = context_of(gz, "Talks in Riyadh and in Paris; a delegation from Tabuk.")
    assert ctx.entities == {"riyadh", "paris"}  # Tabuk is itself ambiguous
    assert ctx.countries == {"SA", "FR"}
    assert (24.6877, 46.7219) in ctx.points
    # A country's centroid is no place to be near.
    assert context_of(gz, "Saudi Arabia").points == ()
    assert not context_of(gz, "nothing named here")


def test_a_context_built_in_code_works_like_one_read_from_text(gz: Gazetteer) -> None:
    ctx = Context(countries=frozenset({"PH"}))
    assert gz.link("Tabuk", context=ctx).entity.id == "tabuk-ph"  # type: ignore[union-attr]
    assert Context.of([gz.get("riyadh")]).countries == {"SA"}


def test_prominence_decides_between_curated_entities_without_priors() -> None:
    wide = Entity("a", "Nour", "organization", aliases=("An-Nour", "النور", "Al-Nour"),
                  forms={"fr": ("Nour",), "de": ("Nur",)})  # type: ignore[arg-type]  # fmt: skip
    narrow = Entity("b", "Nour", "organization")
    assert prefer([narrow, wide]) == (1, "prominence 6 against 1")
    assert prefer([narrow, Entity("c", "Nour", "organization", aliases=("Nur",))]) is None


def test_explanations_say_why_a_name_abstained(gz: Gazetteer, mini: Gazetteer) -> None:
    tie = gz.explain("Tabuk")
    assert not tie.linked and tie.reason.startswith("tie with Tabuk [tabuk-")
    assert "equally good, with no context given" in tie.reason
    assert tie.best is not None and tie.runner_up is not None
    assert "runner-up: Tabuk" in "\n".join(tie.lines())
    exact = mini.explain("Mosul")
    assert exact.reason == "exact match" and exact.weighed == () and exact.probability is None
    none = gz.explain("Quetzalcoatl")
    assert none.reason == "no candidate is close enough" and none.best is None
    low = mini.explain("Mawsil")
    assert not low.linked and low.reason.startswith("probability 0.")
    assert low.best is not None and low.best.entity.id == "mosul"
    fuzzy = mini.explain("Mossol")
    assert fuzzy.linked and fuzzy.probability is not None and len(fuzzy.weighed) == 4
    d = fuzzy.to_dict()
    assert d["linked"] == "mosul" and d["best"]["matched"] and set(d["weighed"]) <= {
        "score", "lead", "same_key", "same_skeleton", "length", "reading", "letters",
        "words", "consonants",
    }  # fmt: skip
    json.dumps(d)
    # An explanation agrees with link, whatever it decides.
    for q in ("Mossoule", "Mossol", "Mawsil", "موصل", "Mosul", "Hizbollah", "Barzani", "Tripoli"):
        assert mini.explain(q).match == mini.link(q)


def test_prior_is_read_written_and_cached(tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text(
        "entities:\n  - {id: a, name: Alpha, type: place, prior: 1_500}\n"
        "  - {id: b, name: Beta, type: place}\n",
        encoding="utf-8",
    )
    first = Gazetteer.load(g)
    again = Gazetteer.load(g)
    assert again.cached and again.get("a").prior == first.get("a").prior == 1500.0
    assert again.get("b").prior is None
    assert first.get("a").to_dict()["prior"] == 1500
    pop = city_entity(1, "Tabuk", "SA", (), population=455450)
    assert pop.prior == 455450.0
    assert city_entity(2, "Hamlet", "SA", (), population=0).prior is None


@pytest.mark.parametrize("value", ["many", "0", "-5", "[1, 2]", ".nan"])
def test_a_prior_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    from canonym import GazetteerError

    g = tmp_path / "g.yaml"
    g.write_text(f"entities:\n  - id: a\n    name: Alpha\n    type: place\n    prior: {value}\n")
    with pytest.raises(GazetteerError, match="'prior' must be a positive number"):
        Gazetteer.load(g, use_cache=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials in Riyadh said the road to Tabuk was closed.", "tabuk-sa"),
        ("In Manila, traffic was heavy. The road to Tabouk was closed.", "tabuk-ph"),
        ("The road to Tabuk was closed.", None),  # nothing named before it
        ("From Riyadh and Manila: the road to Tabuk was closed.", None),  # both countries
        ("Officials in Vilnius said Halden was quiet.", "halden-small"),
        ("Halden was quiet.", None),  # running text goes by the text, not by priors
    ],
)
def test_running_text_reads_a_shared_name_by_the_places_named_before_it(
    gz: Gazetteer, text: str, expected: str | None
) -> None:
    from canonym import Normalizer

    result = Normalizer(gz).normalize(text)
    name = "Halden" if "Halden" in text else ("Tabouk" if "Tabouk" in text else "Tabuk")
    linked = [m for m in result.mentions if m.surface == name]
    if expected is None:
        assert not linked and [m.surface for m in result.ambiguous] == [name]
    else:
        assert [(m.entity_id, m.context) for m in linked] == [(expected, True)]


def test_an_overlay_gives_an_entity_a_prior(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        "entities:\n  - {id: a, name: Halden, type: place, prior: 30000}\n"
        "  - {id: b, name: Halden, type: place, prior: 20000}\n",
        encoding="utf-8",
    )
    mine = tmp_path / "mine.yaml"
    mine.write_text("entities:\n  - {extend: b, prior: 2000000}\n", encoding="utf-8")
    assert Gazetteer.load(base, use_cache=False).link("Halden") is None
    gz = Gazetteer.load(mine, base, use_cache=False)
    assert gz.link("Halden").entity.id == "b"  # type: ignore[union-attr]
