"""Names as keys: particles, letter maps, the one piece builder every match goes through."""
