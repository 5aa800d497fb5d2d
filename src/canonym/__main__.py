"""``python -m canonym``."""

from canonym.cli.app import main

main()
