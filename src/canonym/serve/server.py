"""Running the application under uvicorn, with one worker process or several."""

from __future__ import annotations

import os
import socket

from canonym.serve.service import Service
from canonym.serve.settings import SETTINGS_ENV, ServeSettings

__all__ = ["serve", "ServeError", "check_address"]


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


def check_address(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ServeError(f"cannot listen on {host}: {e.strerror}; pass --host 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            raise ServeError(
                f"cannot listen on {host}:{port}: {e.strerror}; pass another --port"
            ) from None


def serve(
    settings: ServeSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
    service: Service | None = None,
) -> None:
    """Serve until interrupted. ``service``, already loaded, is used with one worker.

    Several workers each load the gazetteer once (from the index cache the first
    load wrote), reading the settings from the environment.
    """
    import uvicorn

    check_address(host, port)
    common = {"host": host, "port": port, "log_level": log_level, "server_header": False}
    if workers == 1:
        from canonym.serve.app import create_app

        uvicorn.run(create_app(service or Service.load(settings)), **common)  # type: ignore[arg-type]
        return
    os.environ[SETTINGS_ENV] = settings.to_json()
    uvicorn.run(
        "canonym.serve.app:create_app_from_env",
        factory=True,
        workers=workers,
        **common,  # type: ignore[arg-type]
    )
