"""``python -m canonym.cli``."""

from canonym.cli.app import main

main()
