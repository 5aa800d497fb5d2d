"""Curated names on disk and in memory: entities, reading and validating files, the
compiled index and its cache, the ``Gazetteer`` facade, writing, merging, statistics and
importers of public datasets."""
