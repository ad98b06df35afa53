"""What ``auditor serve`` was started with: address, data folder, database, token, limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


@dataclass(frozen=True)
class Settings:
    data: Path
    host: str = "127.0.0.1"
    port: int = 8765
    db_url: str | None = None  # None: SQLite at <data>/auditor.db
    token: str | None = None  # required when bound beyond loopback
    jobs: int = 1
    max_file_bytes: int = 50 * MB
    max_files: int = 200  # files per upload request (a zip's members count too)
    open_browser: bool = False

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data / 'auditor.db'}"

    @property
    def blob_dir(self) -> Path:
        return self.data / "blobs"

    @property
    def max_request_bytes(self) -> int:
        """A whole upload request may not exceed this (413 before the body is read)."""
        return self.max_file_bytes * min(self.max_files, 20) + MB

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address or a Host header's name) is this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
