"""Faults: killed runs, lost workers, full disks, tampered caches, hostile paths."""
