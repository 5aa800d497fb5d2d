"""canonym inside the tools its users already run: spaCy pipelines and DataFrames.

Each module needs its own optional extra and imports nothing of it until used:
``canonym.integrations.spacy`` (extra ``spacy``) registers the ``canonym`` pipeline
component; ``canonym.integrations.pandas`` (extra ``pandas``) normalizes and
resolves columns and turns results, alias tables and findings into DataFrames.
"""

__all__: list[str] = []
