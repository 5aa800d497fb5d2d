"""Language detection, offline translation and the shield that keeps names intact."""
