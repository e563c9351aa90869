"""Secondary suppression: hide enough further cells that no hidden cell can be
worked out from the totals.

A table with margins is a set of linear equations (each total equals the sum
of the cells it adds up). Hiding a cell is not enough if the other cells of
its row and the row total are visible: one subtraction gives it back. This
module chooses the extra ("secondary") cells with linear programming.

Method (an LP-based sequential heuristic in the family of Kelly, Golden and
Assad (1992) and Fischetti and Salazar-González (1999), the methods behind
tau-ARGUS's "Modular" and "Optimal" options):

1. For each primary (sensitive) cell, in order of how much protection it
   needs, solve a minimum-cost flow-like LP: find a change ``y`` to the table
   that keeps every equation true (``A·y = 0``), moves the sensitive cell up
   by its upper protection level (and, in a second LP, down by its lower
   protection level), never makes a cell negative, and is cheap: moving an
   already hidden cell costs almost nothing, moving a visible cell costs that
   cell's weight (1 for an inner cell, more for totals, so totals stay
   visible where possible). Every visible cell the cheapest change touches is
   hidden as a secondary cell.
2. Hiding more cells only widens what an intruder must consider possible, so
   a cell protected in step 1 stays protected as later cells are handled.
3. Finally every sensitive cell is audited the way an intruder would attack
   it: two LPs find the smallest and largest value it can take given every
   visible figure and non-negativity. The interval must reach the protection
   levels; the audit result is recorded in the table's metadata.

The LPs are solved with HiGHS through ``scipy.optimize.linprog``.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from community_insights.safety.disclosure.rules import BoolArray, FloatArray

if TYPE_CHECKING:  # SciPy loads when a table is protected, not with every command that imports the engine
    import scipy.sparse as sp

_HIDDEN_COST = 1e-4
_MAX_PRUNE_SOLVES = 600


def table_equations(shape: tuple[int, ...]) -> sp.csr_matrix:
    """The additive relations of a table with margins, one row per total.

    Position ``shape[d] - 1`` on axis d is the total of that axis; each cell
    holding a total on axis d equals the sum of the cells it covers on that
    axis. The matrix has +1 for the total and −1 for each covered cell.
    """

    import scipy.sparse as sp

    ids = np.arange(math.prod(shape)).reshape(shape)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    data: list[np.ndarray] = []
    eq = 0
    for axis, size in enumerate(shape):
        length = size - 1
        totals = np.take(ids, length, axis=axis).ravel()
        children = np.moveaxis(np.take(ids, np.arange(length), axis=axis), axis, -1).reshape(-1, length)
        count = totals.size
        eq_ids = np.arange(eq, eq + count)
        rows += [eq_ids, np.repeat(eq_ids, length)]
        cols += [totals, children.ravel()]
        data += [np.ones(count), -np.ones(count * length)]
        eq += count
    matrix = sp.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(eq, ids.size),
    )
    return matrix


def default_cost(shape: tuple[int, ...], values: FloatArray) -> FloatArray:
    """What hiding each cell costs: 1 per inner cell, +1 per total it carries.

    A small term in the size of the figure breaks ties towards hiding smaller
    figures, which loses less information.
    """

    cost = np.ones(shape)
    for axis, size in enumerate(shape):
        index: list[Any] = [slice(None)] * len(shape)
        index[axis] = size - 1
        cost[tuple(index)] += 1.0
    result: FloatArray = cost + 1e-3 * np.log1p(np.abs(values))
    return result


@dataclasses.dataclass(slots=True)
class SecondaryResult:
    """Which cells ended up hidden, and what it took to decide."""

    hidden: BoolArray
    secondary: BoolArray
    lp_solves: int
    seconds: float
    audit_passed: bool
    audited_cells: int
    pruned: int


def secondary_suppression(
    values: FloatArray,
    primary: BoolArray,
    *,
    upper: FloatArray,
    lower: FloatArray,
    nonnegative: bool | BoolArray = True,
    cost: FloatArray | None = None,
    prune: bool = True,
) -> SecondaryResult:
    """Hide extra cells so every primary cell keeps its protection interval.

    ``values`` are the additive figures (counts or sums) of every cell,
    margins included; ``upper``/``lower`` the protection levels: an intruder
    must find it possible that the cell is ``upper`` more or ``lower`` less
    than its true figure. ``nonnegative`` says which cells cannot be below
    zero (all, none, or a mask per cell): a magnitude table with a refund in
    one cell still has every other cell known to be non-negative, and an
    intruder would use that.

    A secondary cell that the published figures pin down exactly anyway is
    published rather than left hidden: hiding it protects nothing, and a
    hidden cell that can be worked out by subtraction reads as a broken
    promise.
    """

    import scipy.sparse as sp

    started = time.perf_counter()
    shape = values.shape
    flat = values.ravel().astype(float)
    hidden = primary.ravel().copy()
    primaries = np.flatnonzero(hidden)
    costs = (cost if cost is not None else default_cost(shape, values)).ravel()
    if primaries.size == 0:
        empty = np.zeros(shape, dtype=bool)
        return SecondaryResult(empty, empty.copy(), 0, 0.0, True, 0, 0)

    nonneg = _cell_mask(nonnegative, shape)
    equations = table_equations(shape)
    a_eq = sp.hstack([equations, -equations]).tocsc()
    b_eq = np.zeros(equations.shape[0])
    up = upper.ravel()
    down = np.where(nonneg, np.minimum(lower.ravel(), np.abs(flat)), lower.ravel())
    solves = 0
    order = sorted(primaries.tolist(), key=lambda i: (-up[i], flat[i]))
    for cell in order:
        for direction, amount in ((1, up[cell]), (-1, down[cell])):
            if amount <= 0:
                continue
            solves += 1
            moved = _cheapest_change(a_eq, b_eq, flat, hidden, costs, cell, direction, amount, nonneg, shape)
            hidden |= moved

    secondary = hidden & ~primary.ravel()
    pruned = 0
    if prune and secondary.any():
        pruned, extra = _prune(equations, flat, hidden, primary.ravel(), up, down, costs, nonneg)
        solves += extra
    if (hidden & ~primary.ravel()).any():
        solves += 2 * int((hidden & ~primary.ravel()).sum())
        pruned += _release_determined(equations, flat, hidden, primary.ravel(), nonneg)
    secondary = hidden & ~primary.ravel()
    lo, hi = attacker_bounds(values, hidden.reshape(shape), targets=primaries, nonnegative=nonneg, equations=equations)
    solves += 2 * primaries.size
    passed = bool(np.all(_protected(flat[primaries], lo, hi, up[primaries], down[primaries])))
    return SecondaryResult(
        hidden=hidden.reshape(shape),
        secondary=secondary.reshape(shape),
        lp_solves=solves,
        seconds=time.perf_counter() - started,
        audit_passed=passed,
        audited_cells=int(primaries.size),
        pruned=pruned,
    )


def _cell_mask(mask: bool | BoolArray, shape: tuple[int, ...]) -> BoolArray:
    """One flag per cell (flat), from a single flag or a mask of the table's shape or size."""

    array = np.asarray(mask, dtype=bool)
    result: BoolArray = np.broadcast_to(array, shape).ravel() if array.size == 1 else array.reshape(-1)
    return result


def _protected(value: FloatArray, lo: FloatArray, hi: FloatArray, up: FloatArray, down: FloatArray) -> BoolArray:
    tol = 1e-6 * np.maximum(1.0, np.abs(value))
    ok: BoolArray = (hi >= value + up - tol) & (lo <= value - down + tol) & (hi - lo > tol)
    return ok


def _cheapest_change(
    a_eq: sp.csc_matrix,
    b_eq: FloatArray,
    flat: FloatArray,
    hidden: BoolArray,
    costs: FloatArray,
    cell: int,
    direction: int,
    amount: float,
    nonnegative: BoolArray,
    shape: tuple[int, ...],
) -> BoolArray:
    """Cells (visible now) that the cheapest table-preserving move of ``cell`` touches."""

    from scipy.optimize import linprog

    n = flat.size
    unit = np.where(hidden, _HIDDEN_COST, costs)
    c = np.concatenate([unit, unit])
    c[cell] = c[n + cell] = 0.0
    upper_plus = np.full(n, np.inf)
    upper_minus = np.where(nonnegative, np.maximum(flat, 0.0), np.inf)
    bounds = np.column_stack([np.zeros(2 * n), np.concatenate([upper_plus, upper_minus])])
    if direction > 0:
        bounds[cell] = (amount, amount)
        bounds[n + cell] = (0.0, 0.0)
    else:
        bounds[cell] = (0.0, 0.0)
        bounds[n + cell] = (amount, amount)
    result = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    moved = np.zeros(n, dtype=bool)
    if result.status != 0 or result.x is None:  # pragma: no cover - the LP is always feasible
        # Fall back to hiding the cell's chain of totals, which always protects it.
        moved[_ancestors(cell, shape)] = True
        return moved & ~hidden
    y = result.x[:n] + result.x[n:]
    moved = y > 1e-7 * max(1.0, amount)
    return moved & ~hidden


def _ancestors(cell: int, shape: tuple[int, ...]) -> list[int]:  # pragma: no cover - fallback only
    """The cell and every total that contains it (replace any coordinates by totals)."""

    index = np.unravel_index(cell, shape)
    found = []
    for subset in range(1 << len(shape)):
        coords = tuple(shape[d] - 1 if subset >> d & 1 else int(index[d]) for d in range(len(shape)))
        found.append(int(np.ravel_multi_index(coords, shape)))
    return found


def _prune(
    equations: sp.csr_matrix,
    flat: FloatArray,
    hidden: BoolArray,
    primary: BoolArray,
    up: FloatArray,
    down: FloatArray,
    costs: FloatArray,
    nonnegative: BoolArray,
) -> tuple[int, int]:
    """Unhide secondary cells that turn out not to be needed, costliest first.

    Each try re-audits the primary cells (stopping at the first one left
    unprotected, which is tried first next time), and the whole pass stops
    at a budget of LP solves; on big tables the sequential result stands as
    it is (still safe, perhaps not minimal).
    """

    order = np.flatnonzero(primary).tolist()
    candidates = sorted(np.flatnonzero(hidden & ~primary).tolist(), key=lambda i: -costs[i])
    solves = 0
    pruned = 0
    for cell in candidates:
        if solves + 2 * len(order) > _MAX_PRUNE_SOLVES:
            break
        hidden[cell] = False
        ok, used, failed = _audit_until_failure(equations, flat, hidden, order, up, down, nonnegative)
        solves += used
        if ok:
            pruned += 1
        else:
            hidden[cell] = True
            order.remove(failed)
            order.insert(0, failed)
    return pruned, solves


def _audit_until_failure(
    equations: sp.csr_matrix,
    flat: FloatArray,
    hidden: BoolArray,
    order: list[int],
    up: FloatArray,
    down: FloatArray,
    nonnegative: BoolArray,
) -> tuple[bool, int, int]:
    """Audit primary cells in ``order``; stop at the first unprotected one."""

    system = _IntruderSystem(equations, flat, hidden, nonnegative)
    used = 0
    for target in order:
        lo, hi = system.bounds(target)
        used += 2
        ok = _protected(flat[[target]], np.array([lo]), np.array([hi]), up[[target]], down[[target]])
        if not ok[0]:
            return False, used, target
    return True, used, -1


def _release_determined(
    equations: sp.csr_matrix, flat: FloatArray, hidden: BoolArray, primary: BoolArray, nonnegative: BoolArray
) -> int:
    """Publish the secondary cells that the published figures determine exactly; return how many.

    Publishing a cell that every consistent table agrees on tells an
    intruder nothing new, so the others' protection is unchanged and one
    intruder system serves for every cell.
    """

    system = _IntruderSystem(equations, flat, hidden, nonnegative)
    released = 0
    for cell in np.flatnonzero(hidden & ~primary).tolist():
        lo, hi = system.bounds(cell)
        if hi - lo <= 1e-6 * max(1.0, abs(flat[cell])):
            hidden[cell] = False
            released += 1
    return released


class _IntruderSystem:
    """The linear system an intruder can write down from a published table."""

    def __init__(self, equations: sp.csr_matrix, flat: FloatArray, hidden: BoolArray, nonnegative: BoolArray) -> None:
        self.flat = flat
        self.hidden_ids = np.flatnonzero(hidden)
        self.position = {int(c): i for i, c in enumerate(self.hidden_ids)}
        a_h = equations[:, self.hidden_ids]
        b = -(equations[:, ~hidden] @ flat[~hidden])
        keep = np.asarray(a_h.getnnz(axis=1) > 0).ravel()
        self.a_h = a_h[keep]
        self.b = b[keep]
        self.nonnegative = nonnegative
        self.var_bounds = [(0.0, None) if nonnegative[i] else (None, None) for i in self.hidden_ids]

    def bounds(self, target: int) -> tuple[float, float]:
        from scipy.optimize import linprog

        if target not in self.position:
            return float(self.flat[target]), float(self.flat[target])
        if self.a_h.shape[0] == 0:
            return (0.0 if self.nonnegative[target] else -np.inf), np.inf
        bound = self.var_bounds
        c = np.zeros(self.hidden_ids.size)
        c[self.position[target]] = 1.0
        low = linprog(c, A_eq=self.a_h, b_eq=self.b, bounds=bound, method="highs")
        high = linprog(-c, A_eq=self.a_h, b_eq=self.b, bounds=bound, method="highs")
        lo = float(low.fun) if low.status == 0 else -np.inf
        hi = float(-high.fun) if high.status == 0 else np.inf
        return lo, hi


def attacker_bounds(
    values: FloatArray,
    hidden: BoolArray,
    *,
    targets: np.ndarray,
    nonnegative: bool | BoolArray = True,
    equations: sp.csr_matrix | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Smallest and largest value each target cell can take, as an intruder sees it.

    The intruder knows every visible figure, that all equations of the table
    hold, and that no cell marked ``nonnegative`` (all, none, or a mask per
    cell) is below zero. ``targets`` are flat cell indices; cells not hidden
    get their own value.
    """

    if equations is None:
        equations = table_equations(values.shape)
    nonneg = _cell_mask(nonnegative, values.shape)
    system = _IntruderSystem(equations, values.ravel().astype(float), hidden.ravel(), nonneg)
    lo = np.empty(len(targets))
    hi = np.empty(len(targets))
    for k, target in enumerate(targets):
        lo[k], hi[k] = system.bounds(int(target))
    return lo, hi
