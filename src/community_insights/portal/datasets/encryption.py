"""Raw dataset files are encrypted at rest, in chunks, with AES-256-GCM.

Why chunks: a council export can be hundreds of megabytes, and a download or a
check must never hold it whole in memory. Each chunk is sealed on its own, so a
file can be encrypted and decrypted as a stream, and the chunk number and a
"last chunk" flag are bound into each chunk's associated data, so chunks cannot
be reordered, dropped or the file cut short without decryption failing.

Why one key from the environment: whoever runs the server decides where the
key lives (a secrets manager, a systemd credential). On a laptop a random key
is generated once and kept in the data folder beside the generated secret
key, so ``make run`` needs nothing else. Losing the key loses every stored
raw file and safe copy, by design.

File layout::

    MAGIC (6 bytes "CIENC1") | key id (8 bytes) | nonce prefix (8 bytes)
    then per chunk: ciphertext length (4 bytes, big-endian) | ciphertext (+16-byte tag)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"CIENC1"
CHUNK_BYTES = 1024 * 1024
HEADER_BYTES = len(MAGIC) + 8 + 8
KEY_FILE_NAME = "dataset-key"


class DecryptionError(Exception):
    """A stored file cannot be decrypted: another key, or the file was changed or cut short."""


def _parse_key(text: str) -> bytes:
    text = text.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "INSIGHTS_DATASET_KEY must be 32 random bytes, written as 64 hex digits or URL-safe base64."
        )
    return raw


def _generated_key_file() -> Path:
    data_dir = Path(getattr(settings, "DATA_DIR", Path.cwd() / "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        tmp.replace(path)
    return path


@cache
def _key_from(text: str) -> bytes:
    return _parse_key(text)


def dataset_key() -> bytes:
    """The 256-bit key that seals every stored dataset file."""
    configured = getattr(settings, "INSIGHTS_DATASET_KEY", None) or os.environ.get("INSIGHTS_DATASET_KEY")
    if configured:
        return _key_from(str(configured))
    return _key_from(_generated_key_file().read_text())


def key_id(key: bytes) -> bytes:
    """Eight bytes that tell keys apart (written in each file's header) without revealing them."""
    return hmac.new(key, b"community-insights/dataset-file/v1", hashlib.sha256).digest()[:8]


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + struct.pack(">I?", counter, last)


class StreamSealer:
    """Encrypts a stream fed piece by piece (an upload as it arrives) into the stored layout.

    ``header`` comes first, then whatever each :meth:`feed` returns, then
    :meth:`finish`'s last chunk. At most one chunk of plaintext is held.
    """

    def __init__(self, key: bytes | None = None) -> None:
        key = key or dataset_key()
        self._aead = AESGCM(key)
        self._prefix = secrets.token_bytes(8)
        self.header = MAGIC + key_id(key) + self._prefix
        self._counter = 0
        self._buffer = bytearray()

    def feed(self, piece: bytes) -> bytes:
        """Sealed chunks that *piece* completes (often none)."""
        self._buffer += piece
        sealed = []
        # Seal a full chunk only once more data is known to follow, so the last one is flagged.
        while len(self._buffer) > CHUNK_BYTES:
            block = bytes(self._buffer[:CHUNK_BYTES])
            sealed.append(_seal(self._aead, self.header, self._prefix, self._counter, block, last=False))
            del self._buffer[:CHUNK_BYTES]
            self._counter += 1
        return b"".join(sealed)

    def finish(self) -> bytes:
        """The last sealed chunk (flagged last, so a file cut short never decrypts)."""
        block = bytes(self._buffer)
        self._buffer.clear()
        return _seal(self._aead, self.header, self._prefix, self._counter, block, last=True)


def encrypt_stream(chunks: Iterable[bytes], *, key: bytes | None = None) -> Iterator[bytes]:
    """Encrypt plaintext chunks into the stored layout, one sealed chunk at a time."""
    sealer = StreamSealer(key)
    yield sealer.header
    for piece in chunks:
        sealed = sealer.feed(piece)
        if sealed:
            yield sealed
    yield sealer.finish()


def _seal(aead: AESGCM, header: bytes, prefix: bytes, counter: int, block: bytes, *, last: bool) -> bytes:
    if counter >= 2**32 - 1:
        raise ValueError("The file is too large to encrypt.")
    sealed = aead.encrypt(_nonce(prefix, counter), block, _aad(header, counter, last))
    return struct.pack(">I", len(sealed)) + sealed


def decrypt_stream(handle: BinaryIO, *, key: bytes | None = None) -> Iterator[bytes]:
    """Yield the plaintext of an encrypted file chunk by chunk; raise DecryptionError on any tampering."""
    key = key or dataset_key()
    header = handle.read(HEADER_BYTES)
    if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
        raise DecryptionError("The stored file is not an encrypted dataset file.")
    if not hmac.compare_digest(header[len(MAGIC) : len(MAGIC) + 8], key_id(key)):
        raise DecryptionError("The stored file was encrypted with another key.")
    prefix = header[len(MAGIC) + 8 :]
    aead = AESGCM(key)
    counter = 0
    current = _read_sealed(handle)
    if current is None:
        raise DecryptionError("The stored file is cut short.")
    while True:
        following = _read_sealed(handle)
        last = following is None
        try:
            yield aead.decrypt(_nonce(prefix, counter), current, _aad(header, counter, last))
        except InvalidTag:
            raise DecryptionError("The stored file was changed or cut short.") from None
        if following is None:
            return
        current = following
        counter += 1


def _read_sealed(handle: BinaryIO) -> bytes | None:
    size = handle.read(4)
    if not size:
        return None
    if len(size) != 4:
        raise DecryptionError("The stored file is cut short.")
    (length,) = struct.unpack(">I", size)
    if length > CHUNK_BYTES + 16:
        raise DecryptionError("The stored file is damaged.")
    data = handle.read(length)
    if len(data) != length:
        raise DecryptionError("The stored file is cut short.")
    return data


def file_chunks(handle: BinaryIO, size: int = 256 * 1024) -> Iterator[bytes]:
    """Read an open file in pieces (so memory stays flat)."""
    while True:
        piece = handle.read(size)
        if not piece:
            return
        yield piece


def seal_bytes(data: bytes, *, key: bytes | None = None) -> bytes:
    """Encrypt a small value (such as a pseudonymisation key) in the same layout."""
    return b"".join(encrypt_stream([data], key=key))


def open_bytes(data: bytes, *, key: bytes | None = None) -> bytes:
    """Decrypt a small value sealed with :func:`seal_bytes`."""
    import io

    return b"".join(decrypt_stream(io.BytesIO(data), key=key))
