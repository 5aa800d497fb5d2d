"""The particles table, read once for keys, short forms, scanning and linting."""

from canonym.names.particles import particles


def test_tables_in_the_shapes_their_readers_use() -> None:
    p = particles()
    assert p.articles == p.always | p.assimilated
    assert p.particle_map["ibn"] == p.particle_map["ben"] == "bin"
    assert "abou" in p.particle_forms and "abou" in p.inner
    assert "al" in p.inner and "sheikh" in p.titles and "the" in p.stopwords
    # Longest first: the longest particle glued to a name is the one split off.
    lengths = [len(x) for x in p.attached_prefixes]
    assert lengths == sorted(lengths, reverse=True)
