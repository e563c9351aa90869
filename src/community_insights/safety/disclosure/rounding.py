"""Alternatives to secondary suppression: rounding and labelled perturbation.

Rounding to base 5 or 10 (as ONS does in many releases) stops a hidden cell
being recovered exactly, because every figure an intruder would subtract is
itself uncertain by up to half the base. Totals are rounded independently of
the cells, so they need not equal the sum of the rounded cells; the table's
note says so.

Small-count perturbation changes counts below the threshold by a small
amount decided by a keyed hash of the cell (in the spirit of ONS's "cell key"
method for Census 2021): the same table always gets the same noise, so asking
twice does not let anyone average it away, and without the programme's key
nobody can undo it. Totals are the sums of the perturbed figures. It is only
ever applied when asked for, and every table that has it says so.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import numpy as np

from community_insights.safety.defaults import ROUNDING_BASES
from community_insights.safety.disclosure.rules import BoolArray, FloatArray

MAX_NOISE = 2


def round_to_base(values: FloatArray, base: int) -> FloatArray:
    """Round to the nearest multiple of ``base`` (halves go up, as ONS rounds)."""

    if base not in ROUNDING_BASES:
        raise ValueError("Rounding is to base 5 or base 10.")
    rounded: FloatArray = np.floor(np.asarray(values, dtype=float) / base + 0.5) * base
    return rounded


def perturb_small_counts(
    counts: FloatArray,
    *,
    threshold: int,
    key: bytes,
    labels: Sequence[Sequence[str]],
) -> tuple[FloatArray, BoolArray]:
    """Add keyed noise (−2…+2, never below zero) to inner cells of 1…threshold−1.

    ``counts`` has margins (last position on each axis); margins are then
    recomputed as sums of the perturbed inner cells so the table adds up.
    Returns the new table and the mask of inner cells that were changed.
    """

    if len(key) < 16:
        raise ValueError("Perturbation needs a secret key of at least 16 bytes, kept by the programme.")
    shape = counts.shape
    inner_shape = tuple(n - 1 for n in shape)
    inner = counts[tuple(slice(0, n) for n in inner_shape)].astype(float).copy()
    changed = np.zeros(shape, dtype=bool)
    for index in np.ndindex(inner_shape):
        value = int(inner[index])
        if not 1 <= value < threshold:
            continue
        cell_key = "\x1f".join(labels[d][i] for d, i in enumerate(index)).encode()
        digest = hmac.new(key, cell_key + b"\x1e" + str(value).encode(), hashlib.sha256).digest()
        noise = digest[0] % (2 * MAX_NOISE + 1) - MAX_NOISE
        new_value = max(0, value + noise)
        if new_value != value:
            changed[index] = True
        inner[index] = new_value
    out = np.zeros(shape)
    out[tuple(slice(0, n) for n in inner_shape)] = inner
    for axis, length in enumerate(inner_shape):
        total = [slice(None)] * len(shape)
        part = [slice(None)] * len(shape)
        total[axis] = length
        part[axis] = slice(0, length)
        out[tuple(total)] = out[tuple(part)].sum(axis=axis)
    return out, changed
