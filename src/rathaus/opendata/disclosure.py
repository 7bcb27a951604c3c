"""Statistical disclosure control for published count tables: no single person can be read off.

Two methods, chosen per data set by the data steward:

**Cell suppression** (``suppress``), as the German statistical offices do it. Counts with
0 < n < ``min_count`` are withheld (primary suppression), margins included: we assume every
margin of the hypercube – totals along each dimension, sub-totals over any subset of the
dimensions, the grand total – may be public. Secondary suppression then makes sure no withheld
count can be worked out from the others:

* *Lines.* A line fixes every dimension but one; its members and its total obey
  ``sum(members) == total``. A line with exactly one withheld cell gives that cell away, so a
  partner is withheld in it. The partner is chosen for protection first, loss second:

  1. a count ≥ 1 before a true zero – a withheld zero adds nothing to the pair's sum, so the
     width an attacker sees for a small count stays that count itself (< ``min_count``);
  2. a member before the line's total – totals are the more aggregated figures, the ones most
     likely published elsewhere;
  3. a partner that lifts the pair's sum to ``min_count`` or more;
  4. a partner whose other lines already hold a withheld cell: it closes the pattern instead of
     opening new lines (this saves about a fifth of the secondary cells on large tables);
  5. the smallest count that is enough (least loss), else the largest.

* *Audit.* The attacker, in two steps. First interval propagation: published counts and
  margins are known, every withheld cell starts at [0, ∞), and each line narrows the bounds
  of its cells until nothing changes. It is cheap but reasons one line at a time. So every
  small count it leaves wide then goes to linear programming over all lines at once: the
  smallest and largest value the count can take in any non-negative table that reproduces
  everything published (HiGHS through SciPy, per group of withheld cells that share lines).
  That attacker adds and subtracts whole lines – e.g. B1 × 2025-01..03 = 4, 1, 2;
  B2 = 0, 3, –; B3 = –, 4, – gives the 1 away as its month's total 8 minus 14 − 7, which no
  single line shows. A small count is safe when its interval is at least ``min_count`` wide.
  For an unsafe one another cell is withheld in the line that pins it hardest (the smallest
  count ≥ 1 that restores the width, members before totals), lines are closed again and the
  audit repeats. This ends: every round withholds a cell, and once every margin above a
  small count is withheld, adding the same amount to the count and to all of them keeps
  every line summing up, so no bound above survives.

* *Two releases.* The pattern of the previous release (``Protected.pattern``) is withheld
  again where the cell still exists, so two releases never publish the same line differently;
  and counts the previous release published on a line that has not changed since are known
  to everybody, so they are never chosen to hide a new small count. The previous release's
  margins are not modelled: when a table grows by a new month, an old and a new total over
  all months differ by exactly the new month's counts – publish growing tables per period.

``recoverable`` is that attacker (both steps), also across two releases. The linear
programme is the integer attacker's answer on two-dimensional tables (their line equations
form a network matrix, whose vertices are integral); on three and more dimensions an attacker
who insists on whole numbers could in principle be tighter. The tests check both against
integer attackers: exhaustively on small tables and by mixed-integer programming on random
sparse two- and three-dimensional ones – where propagation alone let an integer attacker pin
33 of 2,819 small counts, and with the linear programme none of 7,165.

**Cell Key Method** (``cell_key``), as Destatis used it for the Census 2022 (Marley & Leaver;
Giessing 2016; the R package ``ptable``): each record carries a random key, a cell's key is
the sum of its records' keys mod 1, and the key looks up the cell's noise in a perturbation
table. The same records give the same noise in every table; a true zero stays zero. Our input
is already aggregated, so record ``k`` of a cell gets a synthetic key from HMAC-SHA256 of the
secret over the cell's dimension values and ``k`` – not the data set – so the same logical cell
is perturbed the same way wherever it appears. Margins, if ever published, are perturbed with
their own key (the sum of their records' keys), not summed from perturbed members: the method is
not additive by design. Only interior rows are published here.
"""

import bisect
import hashlib
import hmac
import json
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

__all__ = [
    "TOTAL",
    "Protected",
    "Report",
    "Table",
    "cell_key",
    "perturbation_table",
    "recoverable",
    "suppress",
]

TOTAL: Final = "__total__"
"""The marker of a margin in a cell key: this dimension is summed over."""

MAX_CELLS: Final = 2_000_000
"""Largest hypercube (margins included) suppression takes on; aggregate bigger tables first."""

_KEY_BITS = 64
_GRID_BITS = 40  # probabilities are multiples of 1 / (lcm(1..2D) · 2**40)
_INF = math.inf
_EPSILON = 1e-6  # the linear programme's answers are floats around integer counts


@dataclass(frozen=True)
class Table:
    """Aggregate counts: one row per interior cell; missing combinations are true zeros."""

    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    rows: tuple[dict, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        object.__setattr__(self, "measures", tuple(self.measures))
        object.__setattr__(self, "rows", tuple(self.rows))
        if not self.dimensions:
            raise ValueError("A table needs at least one dimension")
        names = self.dimensions + self.measures
        if len(set(names)) != len(names):
            raise ValueError(f"Dimension and measure names must be distinct: {names}")
        seen: set[tuple] = set()
        for number, row in enumerate(self.rows, start=1):
            key = self.key(row)
            for dimension, value in zip(self.dimensions, key, strict=True):
                if isinstance(value, bool) or not isinstance(value, str | int) or value == TOTAL:
                    raise ValueError(
                        f"Row {number}: dimension {dimension!r} must be a string or an integer "
                        f"other than {TOTAL!r}, not {value!r}"
                    )
            if key in seen:
                raise ValueError(f"Row {number}: a second row for the dimension values {key}")
            seen.add(key)
            for measure in self.measures:
                value = row.get(measure)
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(
                        f"Row {number}: measure {measure!r} must be an integer ≥ 0, not {value!r}"
                    )

    def key(self, row: dict) -> tuple:
        """The row's dimension values, in the order of ``dimensions``."""
        try:
            return tuple(row[dimension] for dimension in self.dimensions)
        except KeyError as missing:
            raise ValueError(f"A row has no value for the dimension {missing}") from None


@dataclass(frozen=True)
class Report:
    """What disclosure control did, in counts only (for the release notes and the catalogue)."""

    method: str
    cells: int
    primary: int
    secondary: int
    perturbed: int
    parameters: dict

    def summary_de(self) -> str:
        """One German sentence for the release notes."""
        if self.method == "cell_key":
            p = self.parameters
            return (
                f"Geheimhaltung: Cell-Key-Verfahren (D = {p['D']}, V = {_de_float(p['V'])}, "
                f"js = {p['js']}); {_de_int(self.perturbed)} von {_de_int(self.cells)} Zellen "
                "verändert."
            )
        return (
            f"Geheimhaltung: {_de_int(self.primary + self.secondary)} von {_de_int(self.cells)} "
            f"Zellen gesperrt ({_de_int(self.primary)} primär, {_de_int(self.secondary)} "
            f"sekundär), Mindestfallzahl {_de_int(self.parameters['min_count'])}."
        )


@dataclass(frozen=True)
class Protected:
    """The rows to publish, what was done, and (suppression) the pattern to carry forward."""

    rows: tuple[dict, ...]
    report: Report
    pattern: tuple[list, ...]


def _de_int(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _de_float(number: float) -> str:
    text = f"{number:.10g}"
    if "." not in text and "e" not in text:
        text += ".0"
    return text.replace(".", ",")


# --- the hypercube -------------------------------------------------------------------------


class _Cube:
    """The table's full hypercube with margins, cells numbered row-major.

    In dimension ``j`` the index ``sizes[j]`` stands for TOTAL. A line is named by its total
    cell ``t`` and its dimension ``j``: the key ``j * size + t``; its members are
    ``range(t - sizes[j] * strides[j], t, strides[j])``.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        domains: list[dict] = [{} for _ in table.dimensions]
        keys = [table.key(row) for row in table.rows]
        for key in keys:
            for domain, value in zip(domains, key, strict=True):
                domain.setdefault(value, len(domain))
        self.domains = domains
        self.names = [list(domain) for domain in domains]
        self.sizes = [len(domain) for domain in domains]
        self.strides = [1] * len(domains)
        for j in range(len(domains) - 2, -1, -1):
            self.strides[j] = self.strides[j + 1] * (self.sizes[j + 1] + 1)
        self.size = self.strides[0] * (self.sizes[0] + 1)
        if self.size > MAX_CELLS:
            raise ValueError(
                f"The table spans {self.size:,} cells with its margins; suppression handles at "
                f"most {MAX_CELLS:,} – aggregate it first"
            )
        self.row_cells = [self.cell_of(key) for key in keys]
        self.exists = bytearray(self.size)  # present interior rows and every margin
        self.totals = bytearray(self.size)  # how many dimensions of the cell are TOTAL
        self.line_total: list[list[int]] = []
        cells = range(self.size)
        for n, stride in zip(self.sizes, self.strides, strict=True):
            coordinate = [(x // stride) % (n + 1) for x in cells]
            self.line_total.append(
                [x + (n - c) * stride for x, c in zip(cells, coordinate, strict=True)]
            )
            for x in cells:
                if coordinate[x] == n:
                    self.totals[x] += 1
        self.cell_lines = list(
            zip(
                *([j * self.size + t for t in totals] for j, totals in enumerate(self.line_total)),
                strict=True,
            )
        )
        for x in cells:
            if self.totals[x]:
                self.exists[x] = 1
        for x in self.row_cells:
            self.exists[x] = 1

    def cell_of(self, key: tuple) -> int:
        return sum(
            (self.sizes[j] if value == TOTAL else self.domains[j][value]) * self.strides[j]
            for j, value in enumerate(key)
        )

    def key_of(self, cell: int) -> list:
        key = []
        for names, n, stride in zip(self.names, self.sizes, self.strides, strict=True):
            index = (cell // stride) % (n + 1)
            key.append(TOTAL if index == n else names[index])
        return key

    def find(self, key: Iterable) -> int | None:
        """The cell of a key with TOTAL markers, or None when it no longer exists."""
        key = list(key)
        if len(key) != len(self.domains):
            return None
        if any(
            value != TOTAL and value not in domain
            for value, domain in zip(key, self.domains, strict=True)
        ):
            return None
        cell = self.cell_of(tuple(key))
        return cell if self.exists[cell] else None

    def values(self, measure: str) -> list[int]:
        """Interior counts from the rows, every margin summed from them."""
        values = [0] * self.size
        for row, cell in zip(self.table.rows, self.row_cells, strict=True):
            values[cell] = row[measure]
        for n, stride, line_total in zip(self.sizes, self.strides, self.line_total, strict=True):
            span = n * stride
            for t in set(line_total):
                values[t] = sum(values[t - span : t : stride])
        return values

    def lines_of(self, cell: int) -> tuple[int, ...]:
        return self.cell_lines[cell]

    def line(self, key: int) -> tuple[range, int]:
        """The members and the total of a line."""
        j, t = divmod(key, self.size)
        stride = self.strides[j]
        return range(t - self.sizes[j] * stride, t, stride), t


# --- the attacker: interval propagation ----------------------------------------------------


def _intervals(cube: _Cube, values: list[int], unknown: bytearray) -> tuple[list, list]:
    """The attacker's bounds for every cell (known ones: their count), propagated along all
    lines through unknown cells to a fixpoint."""
    lo: list = list(values)
    hi: list = list(values)
    lines: dict[int, tuple[int, list[int], int]] = {}
    for x in range(cube.size):
        if not unknown[x]:
            continue
        lo[x], hi[x] = 0, _INF
        for key in cube.cell_lines[x]:
            if key not in lines:
                members, t = cube.line(key)
                known = sum(values[m] for m in members if not unknown[m])
                lines[key] = (known, [m for m in members if unknown[m]], t)
    work = deque(lines)
    queued = set(lines)
    cell_lines = cube.cell_lines
    while work:
        key = work.popleft()
        queued.discard(key)
        known, members, t = lines[key]
        lo_sum = hi_finite = known
        infinite = 0
        for m in members:
            lo_sum += lo[m]
            if hi[m] == _INF:
                infinite += 1
            else:
                hi_finite += hi[m]
        changed = []
        t_lo, t_hi = lo[t], hi[t]
        if unknown[t]:
            if lo_sum > t_lo:
                t_lo = lo[t] = lo_sum
                changed.append(t)
            if not infinite and hi_finite < t_hi:
                t_hi = hi[t] = hi_finite
                changed.append(t)
        for m in members:
            m_lo, m_hi = lo[m], hi[m]
            if m_hi == _INF:
                others_hi = _INF if infinite > 1 else hi_finite
            else:
                others_hi = _INF if infinite else hi_finite - m_hi
            if t_lo - others_hi > m_lo:
                lo[m] = t_lo - others_hi
                changed.append(m)
            if t_hi - (lo_sum - m_lo) < m_hi:
                hi[m] = t_hi - (lo_sum - m_lo)
                changed.append(m)
        for x in changed:
            for other in cell_lines[x]:
                if other not in queued:
                    queued.add(other)
                    work.append(other)
    return lo, hi


def _narrow(
    cube: _Cube, values: list[int], unknown: bytearray, cells: Iterable[int], min_count: int
) -> list[int]:
    """Which of the given cells an attacker pins into an interval narrower than min_count:
    interval propagation first (cheap, line by line), linear programming over all lines at
    once for the cells it leaves wide."""
    lo, hi = _intervals(cube, values, unknown)
    narrow = [x for x in cells if hi[x] - lo[x] < min_count]
    wide = [x for x in cells if hi[x] - lo[x] >= min_count]
    return narrow + list(_linear_bounds(cube, values, unknown, wide, min_count))


# --- the attacker: linear programming ------------------------------------------------------


def _linear_bounds(
    cube: _Cube, values: list[int], unknown: bytearray, cells: list[int], min_count: int
) -> dict[int, tuple[int, float]]:
    """The cells of ``cells`` an attacker pins narrower than ``min_count`` by solving for all
    withheld cells at once, with the bounds it finds (integers; ∞ when unbounded above).

    Every line is an equation over its withheld cells; every withheld cell is ≥ 0. The
    smallest and largest value of a cell under these constraints is a linear programme (HiGHS
    through SciPy). It adds and subtracts whole lines, which propagation along single lines
    cannot. On two-dimensional tables its answer is the integer attacker's too (the line
    equations of a two-way table form a network matrix, whose vertices are integral); on
    three and more dimensions an attacker who insists on integers may still be tighter.

    Two programmes per cell would be slow on tables with hundreds of small counts; but every
    solution is a table that fits everything published, the true table included, so a cell
    whose values already differ by ``min_count`` across the solutions found so far is wide
    without a programme of its own.
    """
    if not cells:
        return {}
    variables = {x: i for i, x in enumerate(x for x in range(cube.size) if unknown[x])}
    equations: dict[int, tuple[list[int], int]] = {}  # line → (±(i + 1), right-hand side)
    for x in variables:
        for key in cube.cell_lines[x]:
            if key in equations:
                continue
            members, t = cube.line(key)
            terms = [variables[m] + 1 for m in members if unknown[m]]
            rhs = sum(-values[m] for m in members if not unknown[m])
            if unknown[t]:
                terms.append(-(variables[t] + 1))
            else:
                rhs += values[t]
            equations[key] = (terms, rhs)
    components = _components(len(variables), [terms for terms, _ in equations.values()])
    targets: dict[int, list[int]] = {}
    for x in cells:
        targets.setdefault(components[variables[x]], []).append(x)
    columns: dict[int, list[int]] = {}
    for i, component in enumerate(components):
        if component in targets:
            columns.setdefault(component, []).append(i)
    rows: dict[int, list[tuple[list[int], int]]] = {}
    for terms, rhs in equations.values():
        if (component := components[abs(terms[0]) - 1]) in targets:
            rows.setdefault(component, []).append((terms, rhs))
    pinned = {}
    for component, group in targets.items():
        pinned |= _solve(columns[component], rows[component], variables, values, group, min_count)
    return pinned


def recoverable(
    rows: Iterable[dict],
    table: Table,
    *,
    min_count: int = 5,
    previous_rows: Iterable[dict] = (),
    pattern: Iterable[list] = (),
) -> list[tuple[str, tuple]]:
    """The attacker: the small interior counts the published rows give away; empty = safe.

    ``rows`` are the published rows (None = withheld), ``table`` the true counts. Margins
    count as public unless ``pattern`` (the release's) lists them; without a pattern, small
    margins are taken as withheld. With ``previous_rows``, counts the previous release
    published count as known where a line through them is unchanged (no count published
    before differs now; missing rows are zeros) – the differencing attack between releases.
    """
    cube = _Cube(table)
    published = {table.key(row): row for row in rows}
    withheld: dict[str, set[int]] = {}
    for measure, key in pattern:
        cell = cube.find(key)
        if cell is not None:
            withheld.setdefault(measure, set()).add(cell)
    previous = [(table.key(row), row) for row in previous_rows]
    found = []
    for measure in table.measures:
        values = cube.values(measure)
        unknown = bytearray(cube.size)
        for x in range(cube.size):
            if cube.totals[x]:
                unknown[x] = 0 < values[x] < min_count or x in withheld.get(measure, ())
        for key, cell in zip(map(table.key, table.rows), cube.row_cells, strict=True):
            unknown[cell] = published.get(key, {}).get(measure) is None
        for cell in _known_before(cube, table, measure, previous):
            unknown[cell] = 0
        small = [x for x in cube.row_cells if 0 < values[x] < min_count]
        found += [
            (measure, tuple(cube.key_of(x)))
            for x in _narrow(cube, values, unknown, small, min_count)
        ]
    return found


def _known_before(
    cube: _Cube, table: Table, measure: str, previous: list[tuple[tuple, dict]]
) -> list[int]:
    """Cells the previous release published with today's count on a line that is unchanged."""
    now = {table.key(row): row[measure] for row in table.rows}
    before = {key: row.get(measure) for key, row in previous}
    dimensions = range(len(table.dimensions))

    def line_keys(key: tuple) -> list[tuple]:
        return [(*key[:j], TOTAL, *key[j + 1 :]) for j in dimensions]

    changed = set()
    for key in now.keys() | before.keys():
        count = before.get(key, 0)
        if count is not None and count != now.get(key, 0):
            changed.update(line_keys(key))
    return [
        cube.cell_of(key)
        for key, count in before.items()
        if count is not None
        and key in now
        and count == now[key]
        and not changed.issuperset(line_keys(key))
    ]


def _components(size: int, equations: list[list[int]]) -> list[int]:
    """Union-find: withheld cells that share an equation, directly or through others."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for terms in equations:
        first = root(abs(terms[0]) - 1)
        for term in terms[1:]:
            parent[root(abs(term) - 1)] = first
    return [root(i) for i in range(size)]


def _solve(
    columns: list[int],
    rows: list[tuple[list[int], int]],
    variables: dict[int, int],
    values: list[int],
    targets: list[int],
    min_count: int,
) -> dict[int, tuple[int, float]]:
    """One connected group of withheld cells: the targets its programme pins, and how."""
    position = {i: n for n, i in enumerate(columns)}
    data, row_index, column_index = [], [], []
    for r, (terms, _) in enumerate(rows):
        for term in terms:
            data.append(1.0 if term > 0 else -1.0)
            row_index.append(r)
            column_index.append(position[abs(term) - 1])
    matrix = csr_array((data, (row_index, column_index)), shape=(len(rows), len(columns)))
    rhs = np.array([rhs for _, rhs in rows], dtype=float)
    cells = {i: x for x, i in variables.items()}
    points = [np.array([values[cells[i]] for i in columns], dtype=float)]  # the true table
    pinned = {}
    for x in targets:
        c = position[variables[x]]
        bounds = []
        for sign in (-1.0, 1.0):  # the largest value first: often unbounded
            if max(p[c] for p in points) - min(p[c] for p in points) >= min_count - _EPSILON:
                break
            objective = np.zeros(len(columns))
            objective[c] = sign
            result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
            if result.status == 3:  # unbounded above: adding to it and its margins never ends
                break
            if result.status != 0:
                raise RuntimeError(f"The disclosure audit's linear programme failed: {result}")
            points.append(result.x)
            bounds.append(result.x[c])
        else:
            low, high = math.ceil(min(bounds) - _EPSILON), math.floor(max(bounds) + _EPSILON)
            if high - low < min_count:
                pinned[x] = (low, high)
    return pinned


# --- cell suppression ----------------------------------------------------------------------


def suppress(
    table: Table,
    *,
    min_count: int = 5,
    previous_pattern: Iterable[list] = (),
    previous_rows: Iterable[dict] = (),
) -> Protected:
    """Withhold every small count and enough others that none can be worked out (see above).

    ``previous_pattern`` and ``previous_rows`` are the previous release's ``pattern`` and
    published rows: its pattern is withheld again, and counts it published on unchanged lines
    are known to everybody, so they are never chosen to hide another.
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be an integer ≥ 1, not {min_count!r}")
    cube = _Cube(table)
    carried: dict[str, list[int]] = {}
    for measure, key in previous_pattern:
        cell = cube.find(key)
        if measure in table.measures and cell is not None:
            carried.setdefault(measure, []).append(cell)
    previous = [(table.key(row), row) for row in previous_rows]
    published = [dict(row) for row in table.rows]
    pattern: list[list] = []
    primary = secondary = 0
    for measure in table.measures:
        values = cube.values(measure)
        known = set(_known_before(cube, table, measure, previous))
        withheld = _Suppression(cube, values, min_count, known).run(carried.get(measure, ()))
        for row, cell in zip(published, cube.row_cells, strict=True):
            if withheld[cell]:
                row[measure] = None
                if 0 < values[cell] < min_count:
                    primary += 1
                else:
                    secondary += 1
        pattern += [[measure, cube.key_of(x)] for x in range(cube.size) if withheld[x]]
    report = Report(
        method="suppression",
        cells=len(table.rows) * len(table.measures),
        primary=primary,
        secondary=secondary,
        perturbed=0,
        parameters={"min_count": min_count},
    )
    return Protected(rows=tuple(published), report=report, pattern=tuple(pattern))


class _Suppression:
    """One measure's suppression: primary cells, closing lines, auditing, widening."""

    def __init__(self, cube: _Cube, values: list[int], min_count: int, known: set[int]) -> None:
        self.cube = cube
        self.values = values
        self.min_count = min_count
        self.known = known  # published in the previous release: withholding them hides nothing
        self.hideable = bytearray(cube.exists)
        for x in known:
            self.hideable[x] = 0
        self.withheld = bytearray(cube.size)
        self.count: dict[int, int] = {}  # withheld cells per line
        self.open: deque[int] = deque()  # lines that may hold a single withheld cell

    def run(self, carried: Iterable[int]) -> bytearray:
        """The cells to withhold (a count published before stays withheld if small now)."""
        values, min_count = self.values, self.min_count
        small = [x for x in range(self.cube.size) if 0 < values[x] < min_count]
        for x in (*small, *carried):
            if self.hideable[x] and not self.withheld[x]:
                self.withhold(x)
        small = [x for x in small if self.hideable[x]]
        # Withholding more cells only adds tables that fit what is published: a count the
        # linear programme found wide once stays wide, and is not solved for again.
        wide: set[int] = set()
        while True:
            self.close_lines()
            lo, hi = _intervals(self.cube, values, self.withheld)
            narrow = [x for x in small if hi[x] - lo[x] < min_count]
            if not narrow:  # propagation is satisfied: the linear programme's turn
                unproven = [x for x in small if x not in wide]
                pinned = _linear_bounds(self.cube, values, self.withheld, unproven, min_count)
                wide.update(x for x in unproven if x not in pinned)
                for x, (low, high) in pinned.items():
                    lo[x], hi[x] = low, high
                narrow = list(pinned)
            if not narrow:
                for x in self.known:
                    self.withheld[x] = int(0 < values[x] < min_count)
                return self.withheld
            added: set[int] = set()
            for x in narrow:
                if added.intersection(self.cube.lines_of(x)):
                    continue  # this round already widened a line through it; audit again
                cell = self.widen(x, lo, hi)  # the bounds are stale after the first: may be None
                if cell is not None:
                    self.withhold(cell)
                    added.update(self.cube.lines_of(cell))
            if not added:
                raise RuntimeError(
                    "A small count is pinned although every margin above it is withheld: "
                    "the audit is inconsistent"
                )

    def withhold(self, cell: int) -> None:
        self.withheld[cell] = 1
        for key in self.cube.lines_of(cell):
            self.count[key] = self.count.get(key, 0) + 1
            if self.count[key] == 1:
                self.open.append(key)

    def close_lines(self) -> None:
        """Give every line with a single withheld cell a partner, until none is left."""
        while self.open:
            key = self.open.popleft()
            if self.count[key] != 1:
                continue
            members, t = self.cube.line(key)
            cells = [*members, t]
            (alone,) = [x for x in cells if self.withheld[x]]
            candidates = [x for x in cells if self.hideable[x] and not self.withheld[x]]
            if not candidates:
                continue  # nothing left to hide behind here; the audit looks further out
            need = self.min_count - self.values[alone]

            def rank(x: int, t: int = t, key: int = key, need: int = need) -> tuple:
                value = self.values[x]
                opened = sum(
                    1 if self.count.get(other, 0) == 0 else -(self.count[other] == 1)
                    for other in self.cube.lines_of(x)
                    if other != key
                )
                enough = value >= need
                return (value == 0, x == t, not enough, opened, value if enough else -value)

            self.withhold(min(candidates, key=rank))

    def widen(self, cell: int, lo: list, hi: list) -> int | None:
        """The cell to withhold next so that the attacker's interval for ``cell`` grows."""
        cube, values = self.cube, self.values
        need = self.min_count - (hi[cell] - lo[cell])

        def implied_width(key: int) -> float:
            members, t = cube.line(key)
            if cell == t:
                return sum(hi[x] for x in members) - sum(lo[x] for x in members)
            others_lo = sum(lo[x] for x in members if x != cell)
            others_hi = sum(hi[x] for x in members if x != cell)
            return hi[t] - others_lo - max(lo[t] - others_hi, 0)

        def rank(x: int, t: int) -> tuple:
            enough = values[x] >= need
            return (x == t, not enough, values[x] if enough else -values[x])

        lines = sorted(cube.lines_of(cell), key=implied_width)
        seen = set(lines)
        while lines:
            reachable = []
            for key in lines:
                members, t = cube.line(key)
                cells = [*members, t]
                candidates = [
                    x for x in cells if self.hideable[x] and not self.withheld[x] and values[x] > 0
                ]
                if candidates:
                    return min(candidates, key=lambda x, t=t: rank(x, t))
                reachable += [x for x in cells if self.withheld[x]]
            lines = [k for x in reachable for k in cube.lines_of(x) if k not in seen]
            lines = list(dict.fromkeys(lines))
            seen.update(lines)
        return None


# --- the Cell Key Method -------------------------------------------------------------------


def perturbation_table(
    max_deviation: int, variance: float, js: int
) -> list[list[tuple[int, float]]]:
    """Row i (original count i = 0 .. D + js + 1, the last row serves all larger counts) →
    [(perturbation, probability)], for documentation and tests."""
    grid, rows = _perturbations(max_deviation, variance, js)
    return [[(v, n / grid) for v, n in row] for row in rows]


def _perturbations(max_deviation: int, variance: float, js: int) -> tuple[int, list[list]]:
    """The perturbation table as exact integer weights on a grid, and that grid.

    Row 0 keeps a zero a zero. Row i ≥ 1 may move to i + v with |v| ≤ D, i + v ≥ 0 and
    i + v not in 1..js. Among the distributions with mean 0 it takes the maximum-entropy one
    with variance V, p_v ∝ exp(λ₁v + λ₂v²) (ptable's approach), solved by Newton's method.
    Where V cannot be reached on the allowed support, the mean-0 distribution whose variance
    is closest to V: both ends of the support when V is too large, the two points nearest
    zero when it is too small, and no noise at all when the support lies on one side of zero
    (e.g. i = js + 1 ≤ D can neither go down without landing in 1..js nor reach 0). Weights
    are integers summing to the grid exactly with an exactly zero mean.
    """
    if isinstance(max_deviation, bool) or not isinstance(max_deviation, int) or max_deviation < 1:
        raise ValueError(f"max_deviation must be an integer ≥ 1, not {max_deviation!r}")
    if isinstance(js, bool) or not isinstance(js, int) or not 0 <= js <= max_deviation:
        raise ValueError(
            f"js must be an integer from 0 to max_deviation ({max_deviation}), not {js!r}: "
            "a count in 1..js must be able to move to 0 and above js"
        )
    if not (isinstance(variance, int | float) and 0 < variance < _INF):
        raise ValueError(f"variance must be a positive number, not {variance!r}")
    grid = math.lcm(*range(1, 2 * max_deviation + 1)) << _GRID_BITS
    rows = [[(0, grid)]]
    for i in range(1, max_deviation + js + 2):
        support = [
            v
            for v in range(-max_deviation, max_deviation + 1)
            if i + v >= 0 and not 1 <= i + v <= js
        ]
        rows.append(_row(support, float(variance), grid))
    return grid, rows


def _row(support: list[int], variance: float, grid: int) -> list[tuple[int, int]]:
    below = [v for v in support if v < 0]
    above = [v for v in support if v > 0]
    if not below or not above:
        return [(0, grid)]
    widest = -below[0] * above[-1]
    narrowest = 0 if 0 in support else -below[-1] * above[0]
    if variance >= widest:
        return _two_points(below[0], above[-1], grid)
    if variance <= narrowest:
        return _two_points(below[-1], above[0], grid)
    weights = [round(p * grid) for p in _max_entropy(support, variance)]
    weights[weights.index(max(weights))] += grid - sum(weights)
    # Exact zero mean: shift single units between neighbours one apart (0 and 1 always are,
    # or two neighbours above zero when 0 is not allowed).
    steps = [i for i in range(len(support) - 1) if support[i + 1] - support[i] == 1]
    while mean := sum(v * n for v, n in zip(support, weights, strict=True)):
        i = max(steps, key=lambda i: weights[i + 1] if mean > 0 else weights[i])
        source, target = (i + 1, i) if mean > 0 else (i, i + 1)
        units = min(abs(mean), weights[source])
        weights[source] -= units
        weights[target] += units
    return [(v, n) for v, n in zip(support, weights, strict=True) if n]


def _two_points(a: int, b: int, grid: int) -> list[tuple[int, int]]:
    """Mean 0 on a < 0 < b: weights b : -a (b - a ≤ 2D divides the grid)."""
    return [(a, grid * b // (b - a)), (b, grid * -a // (b - a))]


def _max_entropy(support: list[int], variance: float) -> list[float]:
    """p_v ∝ exp(λ₁v + λ₂(v² − V)) with mean 0 and variance V: the minimum of the convex
    log-partition function, found by damped Newton steps."""
    features = [(v, v * v - variance) for v in support]

    def log_partition(a: float, b: float) -> tuple[float, list[float]]:
        exponents = [a * f + b * g for f, g in features]
        top = max(exponents)
        weights = [math.exp(e - top) for e in exponents]
        total = sum(weights)
        return top + math.log(total), [w / total for w in weights]

    a = b = 0.0
    value, p = log_partition(a, b)
    for _ in range(200):
        g1 = sum(q * f for q, (f, _) in zip(p, features, strict=True))
        g2 = sum(q * g for q, (_, g) in zip(p, features, strict=True))
        if abs(g1) < 1e-15 and abs(g2) < 1e-14:
            break
        h11 = sum(q * f * f for q, (f, _) in zip(p, features, strict=True)) - g1 * g1
        h12 = sum(q * f * g for q, (f, g) in zip(p, features, strict=True)) - g1 * g2
        h22 = sum(q * g * g for q, (_, g) in zip(p, features, strict=True)) - g2 * g2
        det = h11 * h22 - h12 * h12
        da, db = -(h22 * g1 - h12 * g2) / det, -(h11 * g2 - h12 * g1) / det
        step = 1.0
        while step > 1e-12:
            trial, q = log_partition(a + step * da, b + step * db)
            if trial <= value + 1e-4 * step * (g1 * da + g2 * db):
                break
            step /= 2
        a, b, value, p = a + step * da, b + step * db, trial, q
    return p


def cell_key(
    table: Table,
    *,
    secret: bytes,
    max_deviation: int = 2,
    variance: float = 1.0,
    js: int = 2,
) -> Protected:
    """Perturb every interior count by the noise its cell key draws from the perturbation table.

    Record ``k`` of a cell has the key HMAC-SHA256(secret, canonical + 0x00 + k), its first
    8 bytes read as a fraction of 2⁶⁴; keys are summed as integers mod 2⁶⁴ so that the sum
    is exact in any order. The canonical form is the cell's dimension values as JSON with
    sorted keys – no data set name, no measure – so equal cells get equal noise everywhere.
    """
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("The cell key method needs a non-empty secret (bytes)")
    grid, rows = _perturbations(max_deviation, variance, js)
    lookup = []
    for row in rows:
        bounds, running = [], 0
        for _, weight in row:
            running += weight
            bounds.append(running)
        lookup.append((bounds, [v for v, _ in row]))
    published = []
    perturbed = 0
    for row in table.rows:
        canonical = json.dumps(
            dict(zip(table.dimensions, table.key(row), strict=True)),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        keys = _prefix_keys(secret, canonical, max((row[m] for m in table.measures), default=0))
        out = dict(row)
        for measure in table.measures:
            count = row[measure]
            bounds, deviations = lookup[min(count, len(lookup) - 1)]
            position = (keys[count] * grid) >> _KEY_BITS
            out[measure] = count + deviations[bisect.bisect_right(bounds, position)]
            perturbed += out[measure] != count
        published.append(out)
    report = Report(
        method="cell_key",
        cells=len(table.rows) * len(table.measures),
        primary=0,
        secondary=0,
        perturbed=perturbed,
        parameters={"D": max_deviation, "V": float(variance), "js": js},
    )
    return Protected(rows=tuple(published), report=report, pattern=())


def _prefix_keys(secret: bytes, canonical: bytes, records: int) -> list[int]:
    """Cell keys of the first 0, 1, …, records records of a cell (integers mod 2⁶⁴)."""
    cell = hmac.new(secret, canonical + b"\x00", hashlib.sha256)
    keys = [0]
    total = 0
    for k in range(records):
        record = cell.copy()  # the HMAC state after the common prefix: a third faster
        record.update(b"%d" % k)
        total = (total + int.from_bytes(record.digest()[:8], "big")) % (1 << _KEY_BITS)
        keys.append(total)
    return keys
