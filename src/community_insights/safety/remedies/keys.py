"""Pseudonymisation keys: make one, load one, and refuse unsafe ones.

Whoever holds the key can turn a person's identifier back into the token that
stands for them, so a pseudonymised file is only as safe as its key. A key is
therefore a file of its own (never an option on the command line, where it
would land in shell history), readable only by its owner, exactly 256 bits,
and never overwritten: replacing a key silently would break every join made
with the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

from community_insights.safety.errors import KeyFileError

KEY_BYTES = 32
"""256 bits: HMAC-SHA256's own block of security, far beyond guessing."""

_KEY_ID_LABEL = b"community-insights/key-id/v1"
_HEXISH = re.compile(rb"^[0-9A-Fa-f\s]*$")


def keygen(path: str | Path) -> Path:
    """Write a new random 256-bit key to *path* (hex text, file mode 0600).

    Refuses to overwrite an existing file, because a key in use must never be
    replaced by accident. Returns the path written.
    """

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise KeyFileError(f"The folder for the key file '{path}' does not exist.")
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"A file already exists at '{path}'; keygen never overwrites a key.") from None
    except OSError:
        raise KeyFileError(f"The key file '{path}' cannot be created here.") from None
    try:
        if os.name != "nt":
            os.fchmod(fd, 0o600)
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)
    return path


def load_key(path: str | Path) -> bytes:
    """Read a key written by :func:`keygen` (or 32 raw bytes) and check it is safe to use.

    Refuses a missing file, a key of the wrong size and (on POSIX systems) a
    key file that other users can read or write.
    """

    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise KeyFileError(f"There is no key file at '{path}'; make one with 'insights keygen'.") from None
    except OSError:
        raise KeyFileError(f"The key file '{path}' cannot be read.") from None
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError(f"The key file '{path}' is not a regular file.")
    if os.name != "nt" and info.st_mode & 0o077:
        raise KeyFileError(f"The key file '{path}' can be read by other users; run 'chmod 600' on it first.")
    if info.st_size > 1024:
        raise KeyFileError(
            f"The key file '{path}' is the wrong size for a 256-bit key; use one made by 'insights keygen'."
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise KeyFileError(f"The key file '{path}' cannot be read.") from None
    if len(data) == KEY_BYTES and not _HEXISH.match(data):
        # Raw bytes (e.g. from /dev/urandom). 32 hex characters are a 128-bit key, not this.
        return data
    text = data.strip()
    if len(text) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            pass
    raise KeyFileError(f"The key file '{path}' is the wrong size for a 256-bit key; use one made by 'insights keygen'.")


def key_id(key: bytes) -> str:
    """A short fingerprint that tells keys apart without revealing them.

    Two organisations can compare fingerprints in their reports to confirm
    they used the same key; the fingerprint cannot be turned back into the key.
    """

    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]
