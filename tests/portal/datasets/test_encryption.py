"""Stored files are sealed chunk by chunk: round trips exactly, and any change, cut or other key is refused."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.portal.datasets import encryption
from community_insights.portal.datasets.encryption import CHUNK_BYTES, DecryptionError, decrypt_stream, encrypt_stream

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def seal(data: bytes, key: bytes = KEY, piece: int = 7777) -> bytes:
    pieces = [data[i : i + piece] for i in range(0, len(data), piece)] or [b""]
    return b"".join(encrypt_stream(pieces, key=key))


def unseal(blob: bytes, key: bytes = KEY) -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(blob), key=key))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=5000), st.integers(min_value=1, max_value=3000))
def test_round_trip_any_bytes_any_piece_size(data: bytes, piece: int) -> None:
    assert unseal(seal(data, piece=piece)) == data


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 5])
def test_round_trip_at_chunk_boundaries(size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    assert unseal(seal(data, piece=65536)) == data


def test_same_plaintext_gives_different_ciphertext() -> None:
    assert seal(b"same") != seal(b"same")


def test_another_key_is_refused() -> None:
    with pytest.raises(DecryptionError, match="another key"):
        unseal(seal(b"hello"), key=OTHER)


def test_a_changed_byte_is_refused() -> None:
    blob = bytearray(seal(b"x" * 1000))
    blob[-5] ^= 1
    with pytest.raises(DecryptionError):
        unseal(bytes(blob))


def test_a_file_cut_at_a_chunk_boundary_is_refused() -> None:
    data = b"y" * (CHUNK_BYTES + 10)
    blob = seal(data, piece=CHUNK_BYTES)
    first_chunk_end = encryption.HEADER_BYTES + 4 + CHUNK_BYTES + 16
    with pytest.raises(DecryptionError):
        unseal(blob[:first_chunk_end])


def test_not_an_encrypted_file_is_refused() -> None:
    with pytest.raises(DecryptionError, match="not an encrypted"):
        unseal(b"name,nhs\nA,1\n")


def test_key_from_setting_hex_or_base64(settings) -> None:  # type: ignore[no-untyped-def]
    import base64

    settings.INSIGHTS_DATASET_KEY = KEY.hex()
    assert encryption.dataset_key() == KEY
    settings.INSIGHTS_DATASET_KEY = base64.urlsafe_b64encode(KEY).decode().rstrip("=")
    assert encryption.dataset_key() == KEY


def test_a_short_key_is_a_configuration_error(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    settings.INSIGHTS_DATASET_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured):
        encryption.dataset_key()


def test_a_local_key_is_generated_once_in_the_data_folder(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.INSIGHTS_DATASET_KEY = None
    monkeypatch.delenv("INSIGHTS_DATASET_KEY", raising=False)
    settings.DATA_DIR = tmp_path
    first = encryption.dataset_key()
    assert encryption.dataset_key() == first and len(first) == 32
    key_file = tmp_path / encryption.KEY_FILE_NAME
    assert key_file.stat().st_mode & 0o077 == 0
