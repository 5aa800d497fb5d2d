"""Alias tables from a corpus, and the patch they propose."""

import csv
import io
from pathlib import Path

from canonym import Gazetteer
from canonym.corpus.documents import read_corpus
from canonym.corpus.run import GazetteerSpec, process_corpus
from canonym.corpus.store import Store
from canonym.gazetteer.merge import merge_patch
from canonym.gazetteer.write import write_gazetteer
from canonym.jobs.aliases import AliasTable, AliasVariant, Proposal, build_alias_table


def table_for(corpus: Path, spec: GazetteerSpec, tmp_path: Path):  # type: ignore[no-untyped-def]
    gz = spec.load()
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, spec, jobs=1)
        return gz, build_alias_table(st, gz)


def test_variants_with_counts_documents_languages(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    gz, table = table_for(corpus_dir, spec, tmp_path)
    pmf = {v.variant: v for v in table.variants if v.entity_id == "popular-mobilization-forces"}
    assert set(pmf) == {"Hachd al-Chaabi", "Hashd al-Shaabi", "Unités de mobilisation populaire"}
    assert (pmf["Hashd al-Shaabi"].count, pmf["Hashd al-Shaabi"].documents) == (2, 2)
    assert pmf["Hashd al-Shaabi"].first_document == "a/one.txt"
    assert pmf["Hashd al-Shaabi"].last_document == "b/four.txt"
    assert pmf["Unités de mobilisation populaire"].languages == ["fr"]
    assert pmf["Hachd al-Chaabi"].status == "new-alias"  # a key match the gazetteer does not list
    assert pmf["Hashd al-Shaabi"].status == "listed"
    surnames = [v for v in table.variants if v.variant == "Soudani"]
    assert surnames and surnames[0].status == "surname"


def test_unknown_spellings_grouped_into_one_proposal(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    _, table = table_for(corpus_dir, spec, tmp_path)
    zub = [p for p in table.proposals if "Zubaidi" in p.name or "Zoubaidi" in p.name]
    assert len(zub) == 1
    assert dict(zub[0].variants) == {"Abu Haidar al-Zubaidi": 2, "Abou Haïdar al-Zoubaidi": 1}
    assert zub[0].name == "Abu Haidar al-Zubaidi" and zub[0].type == "person"
    assert zub[0].documents == 3
    assert zub[0].forms == {"fr": ["Abou Haïdar al-Zoubaidi"]}  # as the French document writes it


def test_proposals_take_the_english_spelling_and_the_type_their_context_gives(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docs = {
        "en1.txt": "Abou Sajjad al-Gharaoui, a commander of the unit, said that the fighters "
        "would stay in Marwaniyeh Tahta.",
        "en2.txt": "Abu Sajjad al-Gharawi said the town of Marwaniyeh Tahta was shelled.",
        "en3.txt": "Abu Sajad al-Ghrawi, the leader, left Marwaniyeh Tahta with his men.",
    }
    for name, text in docs.items():
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    gz = Gazetteer.load(with_defaults=True)
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, GazetteerSpec(), jobs=1)
        table = build_alias_table(st, gz)
    by_name = {p.name: p for p in table.proposals}
    assert by_name["Abu Sajjad al-Gharawi"].type == "person"
    assert by_name["Abu Sajjad al-Gharawi"].id == "new-abu-sajjad-al-gharawi"
    assert by_name["Marwaniyeh Tahta"].type == "place"  # "in", "the town of"
    patch = {e.id: e for e in table.patch_entities(gz)}
    assert set(patch["new-abu-sajjad-al-gharawi"].aliases) == {
        "Abou Sajjad al-Gharaoui", "Abu Sajad al-Ghrawi",
    }  # fmt: skip


def test_csv_has_one_row_per_entity_variant_pair(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    _, table = table_for(corpus_dir, spec, tmp_path)
    buf = io.StringIO()
    table.write_csv(buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    pairs = [(r["entity_id"], r["variant"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert ("mosul", "Mossoul") in pairs
    assert any(r["status"] == "proposed" for r in rows)


def test_patch_merges_and_new_spellings_then_resolve(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    gz, table = table_for(corpus_dir, spec, tmp_path)
    patch = tmp_path / "patch.yaml"
    write_gazetteer(table.patch_entities(gz), patch)
    target = tmp_path / "mine.yaml"
    target.write_text(Path(spec.paths[0]).read_text(encoding="utf-8"), encoding="utf-8")
    report = merge_patch(patch, target)
    assert "popular-mobilization-forces" in report.added
    assert any(e.startswith("new-abu-haidar") for e in report.new_entities)
    merged = Gazetteer.load(target, use_cache=False)
    assert "Hachd al-Chaabi" in merged.get("popular-mobilization-forces").aliases
    m = merged.link("Abou Haïdar al-Zoubaidi")
    assert m is not None and m.method == "alias"


def test_csv_cells_that_would_open_as_formulas_are_text() -> None:
    """Corpus text reaches the CSV: a cell starting = + - @ tab or CR must not run."""
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]
    table = AliasTable(
        variants=[
            AliasVariant(
                entity_id="e",
                canonical=h,
                type="person",
                variant=h,
                listed=False,
                short=False,
                count=3,
                documents=2,
                languages=["en"],
                first_document=h,
                last_document="b.txt",
                methods=["key"],
                example=h,
            )  # fmt: skip
            for h in hostile
        ],
        proposals=[
            Proposal(
                id="new-x",
                name="=cmd|'/c calc'!A0",
                type="other",
                variants=[("=cmd|'/c calc'!A0", 4)],
                count=4,
                documents=2,
                languages=[],
                example="-x, y",
            )  # fmt: skip
        ],
    )
    buf = io.StringIO()
    table.write_csv(buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    for row, h in zip(rows, hostile, strict=False):
        for col in ("canonical", "variant", "first_document", "example"):
            assert row[col] == "'" + h
        assert (row["count"], row["documents"], row["last_document"]) == ("3", "2", "b.txt")
    proposed = rows[-1]
    assert proposed["variant"] == "'=cmd|'/c calc'!A0" and proposed["example"] == "'-x, y"
    assert proposed["count"] == "4"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_lone_words_that_are_not_new_names_are_not_proposed(tmp_path: Path) -> None:
    # Each word opens a sentence in two documents, so only what it is decides.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        "Premier leaders met on Monday.",  # a title
        "Kurdish fighters held the ridge.",  # an adjective made from a listed name
        "Gaza was quiet, officials said.",  # the first word of listed names
        "Commander Zarvandeh Qolbahari spoke. Commander and men left.",  # a word that types names
        "قال العسكري إن القوات انسحبت.",  # an Arabic adjective (nisba)
        "Zarvandeh Qolbahari spoke to reporters.",  # an unknown name: proposed
    ]
    for i in range(2):
        text = "\n\n".join(lines) + f"\n\nReport {i + 1} of 2.\n"  # two documents, not one twice
        (corpus / f"d{i}.txt").write_text(text, encoding="utf-8")
    gz = Gazetteer.load(with_defaults=True)
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, GazetteerSpec(), jobs=1)
        table = build_alias_table(st, gz)
    names = {p.name for p in table.proposals}
    assert "Zarvandeh Qolbahari" in names
    assert not names & {"Premier", "Kurdish", "Gaza", "العسكري", "Commander"}


def test_rows_end_with_the_entitys_country_kind_and_coordinates(tmp_path: Path) -> None:
    gazetteer = tmp_path / "g.yaml"
    gazetteer.write_text(
        "entities:\n"
        "  - {id: mosul, name: Mosul, type: place, kind: city, country: IQ,\n"
        "     coordinates: [36.335, 43.1189], aliases: [Mossoul]}\n"
        "  - {id: hezbollah, name: Hezbollah, type: organization, country: LB}\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hezbollah envoys met in Mossoul.\n", encoding="utf-8")
    spec = GazetteerSpec(paths=(str(gazetteer),), with_defaults=False)
    _, table = table_for(corpus, spec, tmp_path)
    buf = io.StringIO()
    table.write_csv(buf)
    header, *rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert header[-4:] == ["country", "kind", "lat", "lon"]
    ends = {row[0]: row[-4:] for row in rows}
    assert ends == {"mosul": ["IQ", "city", "36.335", "43.1189"], "hezbollah": ["LB", "", "", ""]}
    as_json = {v["entity_id"]: v for v in table.to_dict()["variants"]}
    assert (as_json["mosul"]["lat"], as_json["mosul"]["lon"]) == (36.335, 43.1189)
    assert as_json["hezbollah"]["kind"] is None


def test_a_name_written_beside_a_listed_country_is_a_place_there(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(2):
        text = f"Report {i + 1}: residents left Marwaniyeh Tahta, Lebanon, after the shelling.\n"
        (corpus / f"d{i}.txt").write_text(text, encoding="utf-8")
    gz = Gazetteer.load(with_defaults=True)
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, GazetteerSpec(), jobs=1)
        table = build_alias_table(st, gz)
    [p] = [p for p in table.proposals if p.name == "Marwaniyeh Tahta"]
    assert (p.type, p.country) == ("place", "LB")
    buf = io.StringIO()
    table.write_csv(buf)
    [row] = [r for r in csv.DictReader(io.StringIO(buf.getvalue())) if r["entity_id"] == p.id]
    assert (row["country"], row["lat"]) == ("LB", "")
    [entity] = [e for e in table.patch_entities(gz) if e.id == p.id]
    assert entity.country == "LB"


def test_spellings_linked_only_by_their_document_are_no_aliases(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "Les élus du mouvement Amal ont voté. Le chef d'Amal a parlé ensuite.\n\n"
        "La liste était en tête dans trois gouvernorats clés: Bagdad, Najaf et Kirkouk.\n"
    )
    for i in range(2):
        (corpus / f"d{i}.txt").write_text(text + f"\nDépêche {i + 1}.\n", encoding="utf-8")
    gz = Gazetteer.load(with_defaults=True)
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, GazetteerSpec(), jobs=1)
        table = build_alias_table(st, gz)
    by_variant = {(v.entity_id, v.variant): v for v in table.variants}
    assert by_variant[("amal-movement", "Amal")].status == "in-context"
    assert by_variant[("najaf-governorate", "Najaf")].status == "in-context"
    patched = {(e.id, a) for e in table.patch_entities(gz) for a in e.aliases}
    assert not patched & {("amal-movement", "Amal"), ("najaf-governorate", "Najaf")}


def test_a_listed_form_inflected_in_its_language_is_no_new_alias(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Schiffe im Roten Meer wurden am Montag angegriffen, teilte die Marine mit.\n"
    for i in range(2):
        (corpus / f"d{i}.txt").write_text(text + f"\nMeldung {i + 1}.\n", encoding="utf-8")
    gz = Gazetteer.load(with_defaults=True)
    with Store(tmp_path / "c.db") as st:
        process_corpus(read_corpus(str(corpus)), st, GazetteerSpec(), jobs=1)
        table = build_alias_table(st, gz)
    (v,) = [v for v in table.variants if v.variant == "Roten Meer"]
    assert v.status == "inflected"
    assert all("Roten Meer" not in e.aliases for e in table.patch_entities(gz))
