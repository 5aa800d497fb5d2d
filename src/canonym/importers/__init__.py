"""Importers that turn public name sources into canonym gazetteers."""
