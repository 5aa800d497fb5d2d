"""What a reviewer decided about the spellings a corpus run found, kept in its database.

Reach for this module to read or record review decisions: ``decisions`` holds the
state of a review (a spelling accepted as an alias, a proposal renamed or merged)
as JSON per subject, and ``rejections`` the spellings a reviewer turned down, which
``aliases build`` no longer proposes. Each write is committed at once: a decision
survives a closed page or a killed server. Neither table is a result of analysis,
so ``Store.reset_results`` keeps them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from typing import Any

__all__ = ["StoreDecisions", "NEW_ENTITY"]

NEW_ENTITY = ""  # the entity id of a rejected spelling that was proposed as a new entity


class StoreDecisions:
    """The review half of ``Store``: needs its connection."""

    db: sqlite3.Connection

    def decisions(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every decision of ``kind`` (``variant``, ``proposal``), by subject."""
        rows = self.db.execute("SELECT subject, decision FROM decisions WHERE kind = ?", (kind,))
        return {str(s): json.loads(d) for s, d in rows}

    def set_decision(self, kind: str, subject: str, decision: dict[str, Any]) -> None:
        self._write(
            "INSERT OR REPLACE INTO decisions(kind, subject, decision, updated) VALUES (?,?,?,?)",
            [(kind, subject, json.dumps(decision, ensure_ascii=False), time.time())],
        )

    def clear_decision(self, kind: str, subject: str) -> None:
        self._write("DELETE FROM decisions WHERE kind = ? AND subject = ?", [(kind, subject)])

    def rejected(self) -> set[tuple[str, str]]:
        """``(entity_id, surface)`` pairs turned down; ``NEW_ENTITY`` for proposed names."""
        rows = self.db.execute("SELECT entity_id, surface FROM rejections")
        return {(str(e), str(s)) for e, s in rows}

    def reject(self, entity_id: str, surfaces: Iterable[str]) -> None:
        now = time.time()
        self._write(
            "INSERT OR REPLACE INTO rejections(entity_id, surface, added) VALUES (?, ?, ?)",
            [(entity_id, s, now) for s in surfaces],
        )

    def unreject(self, entity_id: str, surfaces: Iterable[str]) -> None:
        self._write(
            "DELETE FROM rejections WHERE entity_id = ? AND surface = ?",
            [(entity_id, s) for s in surfaces],
        )

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        # Its own transaction, committed before returning: nothing waits for a batch.
        self.db.commit()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(sql, rows)
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
