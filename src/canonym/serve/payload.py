"""Reading request bodies into checked values, and the errors a client gets back.

Every refusal names what was wrong and how to send it right: 400 for a body that
cannot be read at all (not JSON, not UTF-8), 422 for JSON of the wrong shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["ApiError", "as_object", "parse_json", "take", "reject_unknown"]

T = TypeVar("T")
_NAMES = {str: "a string", bool: "true or false", int: "an integer", dict: "an object"}


class ApiError(Exception):
    """A refusal with its HTTP status; ``str()`` is the message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def to_dict(self) -> dict[str, Any]:
        return {"error": str(self), "status": self.status}


def parse_json(body: bytes) -> Any:
    """The JSON value of a request body, or a 400 saying where it broke."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, f"the body is not UTF-8 (byte {e.start}); send UTF-8 JSON") from None
    if not text.strip():
        raise ApiError(400, "the body is empty; send a JSON object")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(
            400, f"the body is not JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from None
    except RecursionError:
        raise ApiError(400, "the body's JSON nests too deeply; send a flat object") from None


def take(
    payload: Mapping[str, Any],
    key: str,
    kind: type[T],
    default: T | None = None,
    *,
    required: bool = False,
    where: str = "",
) -> T:
    """``payload[key]`` checked to be a ``kind``; ``default`` when absent (or null)."""
    value = payload.get(key)
    if value is None:
        if required:
            raise ApiError(422, f"{where}'{key}' is missing; it must be {_NAMES[kind]}")
        return default  # type: ignore[return-value]
    # bool is an int to Python, never to a client.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ApiError(422, f"{where}'{key}' must be {_NAMES[kind]}, not {json.dumps(value)[:40]}")
    return value


def reject_unknown(payload: Mapping[str, Any], known: tuple[str, ...], where: str = "") -> None:
    """A typo in an option is refused rather than silently ignored."""
    unknown = [k for k in payload if k not in known]
    if unknown:
        raise ApiError(
            422, f"{where}unknown field '{unknown[0]}'; the fields are: {', '.join(known)}"
        )


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(422, f"{what} must be a JSON object, not {type(value).__name__}")
    return value
