"""Names as keys: particles, letter maps, the one piece builder every match goes through.

``keys`` builds the key pieces of gazetteer forms and of running text alike,
``running`` keys a text word by word for the scanner, ``clitics`` splits l'Iran
and لحزب at their clitic, ``particles`` and ``romanize`` read the data tables
(``data/particles.yaml``, ``data/letters.yaml``) the keys are built with.
"""

from canonym.names.keys import name_key, name_skeleton, pieces, skeleton, token_key
from canonym.names.particles import Particles
from canonym.names.romanize import romanize_arabic
from canonym.names.running import Scan, scan_text

__all__ = [
    "Particles",
    "Scan",
    "name_key",
    "name_skeleton",
    "pieces",
    "romanize_arabic",
    "scan_text",
    "skeleton",
    "token_key",
]
