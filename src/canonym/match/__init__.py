"""Resolving one name against the index: candidates, scores and thresholds."""
