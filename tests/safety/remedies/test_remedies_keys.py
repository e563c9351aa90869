"""Keys: made with mode 0600, never overwritten, refused when missing, mis-sized or readable by others."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from community_insights.safety.errors import KeyFileError
from community_insights.safety.remedies import KEY_BYTES, key_id, keygen, load_key

posix_only = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")


@posix_only
def test_keygen_writes_a_private_256_bit_key(tmp_path: Path) -> None:
    path = keygen(tmp_path / "partnership.key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="ascii").strip()
    assert len(text) == 64 and int(text, 16) >= 0
    assert len(load_key(path)) == KEY_BYTES


def test_keys_are_random(tmp_path: Path) -> None:
    assert load_key(keygen(tmp_path / "a.key")) != load_key(keygen(tmp_path / "b.key"))


def test_keygen_refuses_to_overwrite(tmp_path: Path) -> None:
    path = keygen(tmp_path / "k")
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        keygen(path)
    assert path.read_bytes() == before


def test_keygen_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="folder"):
        keygen(tmp_path / "no" / "such" / "k")


def test_missing_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no key file"):
        load_key(tmp_path / "absent.key")


@posix_only
@pytest.mark.parametrize("content", [b"00" * 16, b"short", b"zz" * 32, b"\x00" * 31, b"\x00" * 33, b"a" * 5000])
def test_wrong_size_keys_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "k"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="wrong size"):
        load_key(path)


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602])
def test_keys_others_can_read_or_write_are_refused(tmp_path: Path, mode: int) -> None:
    path = keygen(tmp_path / "k")
    path.chmod(mode)
    with pytest.raises(KeyFileError, match="can be read by other users"):
        load_key(path)


@posix_only
def test_raw_32_byte_key_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "raw.key"
    path.write_bytes(bytes(range(32)))
    path.chmod(0o400)
    assert load_key(path) == bytes(range(32))


def test_key_fingerprint_is_stable_and_does_not_reveal_the_key(tmp_path: Path) -> None:
    key = load_key(keygen(tmp_path / "k"))
    assert key_id(key) == key_id(key)
    assert key.hex()[:8] not in key_id(key)
    assert key_id(key) != key_id(bytes(32))
