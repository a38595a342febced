# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/privacy-attacks: an outsider's attacks on what tractwise-cli prints without --reveal,
with public boundaries only. Each attack works out hidden counts (1 … k − 1, or
complementary) from the printed figures, and fails when one comes out right; the true
counts are read with --reveal only to judge it.

(a) least squares on Gi* (hotspots) and on local and global Moran (lisa, moran) with the
    shown rates and the public queen neighbours; (b) integer reasoning on the region shares
    and per-area figures of `disparities`; (c) two `project evaluate --comparison` calls
    differing by one suppressed area; (d) enumerating the age-specific counts behind an
    age-adjusted rate and its interval; (e) differencing a pooled period against its years;
    (f) reading counts out of the status and reason of every figure (rates, disparities,
    change), under each named preset; (g) differencing the CHNA report's pooled rates against
    the shown counts."""
import json
import math
import os
import random
import re
import shutil
import subprocess
import tempfile
import unittest
from fractions import Fraction

from privacytest import (AGES, GROUPS, K, MEASURES, Table, build_workspace, cli, cli_json,
                         geoids_of, make_geography, revealed)

SEED = 4242
MAX_TOTAL = 20      # areas with more events are not searched (time)
NODE_BUDGET = 150000
ATTACKED = dict(MEASURES, er=("bos", "rate", "1000"))
TMP = None
GEOGRAPHY = None
GEOIDS = None
TABLE = None
WS = None
US2000 = [13818, 55317, 145565, 138646, 135573, 162613, 134834, 87247, 66037, 44842, 15508]


def setUpModule():
    global TMP, GEOGRAPHY, GEOIDS, TABLE, WS
    TMP = tempfile.mkdtemp(prefix="tw-attacks-")
    GEOGRAPHY = make_geography(TMP)
    GEOIDS = {g: geoids_of(path, field) for g, (path, field, _, _) in GEOGRAPHY.items()}
    TABLE = Table(SEED, GEOIDS)
    # Counts made to be attacked: emergency visits in 2021, every group of every tract
    # large except group a of one tract (4), one tract of 7 events, all in group a, and
    # one whose complement holds just k; the groups partition `all`.
    rng = random.Random(SEED)
    for g in GEOIDS["bos"]:
        counts = [rng.randint(20, 60) for _ in GROUPS]
        if g == GEOIDS["bos"][7]:
            counts[0] = 4
        if g == GEOIDS["bos"][12]:
            counts = [7, 0, 0]   # a small total: every group of the tract is small or zero
        if g == GEOIDS["bos"][20]:
            counts = [3, 11, 40]  # a complement just at k: all − c = 14 bounds a by 3
        pops = [rng.randint(800, 3000) for _ in GROUPS]
        if g == GEOIDS["bos"][20]:
            pops = [3000, 1100, 2000]
        for st, c, n in zip(GROUPS, counts, pops):
            TABLE.cells[("er", "2021", st, g)] = [c, n]
        TABLE.cells[("er", "2021", "all", g)] = [sum(counts), sum(pops)]
    WS = build_workspace(os.path.join(TMP, "ws"), GEOGRAPHY, TABLE, measures=ATTACKED,
                         projects=[("Visits", "visits", "all", GEOIDS["bos"][:3]),
                                   ("Deaths", "deaths", "all", GEOIDS["nc"][:3])])


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def precision(x):
    """Half a unit of the last significant digit printed for @x (JSON keeps the shortest
    form that reads back; 17 digits for a full double)."""
    if x == 0:
        return 1e-12
    digits = repr(abs(x)).lower().split("e")[0].replace(".", "").lstrip("0").rstrip("0")
    exponent = math.floor(math.log10(abs(x)))
    return 0.5 * 10.0 ** (exponent - max(len(digits), 1) + 1)


def queen(geography):
    """Queen neighbours from the public boundary file: areas sharing a vertex."""
    path, field, _, _ = GEOGRAPHY[geography]
    out = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path], capture_output=True,
                         check=True).stdout
    at = {}
    for feature in json.loads(out)["features"]:
        geoid = feature["properties"][field]
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            for ring in poly:
                for x, y in ring:
                    at.setdefault((round(x, 9), round(y, 9)), set()).add(geoid)
    nb = {}
    for areas in at.values():
        for a in areas:
            nb.setdefault(a, set()).update(areas - {a})
    return {a: sorted(n) for a, n in nb.items()}


def solve_exact(rows, rhs, n):
    """Least squares by the normal equations in exact fractions; None for an unknown the
    equations do not determine."""
    ata = [[Fraction(0)] * n for _ in range(n)]
    atb = [Fraction(0)] * n
    for row, b in zip(rows, rhs):
        fr = [Fraction(v) for v in row]
        fb = Fraction(b)
        for i in range(n):
            if fr[i]:
                atb[i] += fr[i] * fb
                for j in range(n):
                    ata[i][j] += fr[i] * fr[j]
    m = [r[:] + [b] for r, b in zip(ata, atb)]
    pivots, r = [], 0
    for c in range(n):
        p = next((i for i in range(r, n) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        for i in range(n):
            if i != r and m[i][c] != 0:
                f = m[i][c] / m[r][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
    x = [None] * n
    for i, c in enumerate(pivots):
        # a column is determined only if no free column is mixed into its row
        if all(m[i][j] == 0 for j in range(n) if j not in pivots):
            x[c] = m[i][n] / m[i][c]
    return x


def least_squares_float(rows, rhs, n):
    """Least squares in floating point, as solve_exact: None for an undetermined unknown
    (its value then taken as 0 in the fit)."""
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(n)] for i in range(n)]
    atb = [sum(r[i] * b for r, b in zip(rows, rhs)) for i in range(n)]
    m = [r[:] + [b] for r, b in zip(ata, atb)]
    scale = max((abs(v) for r in ata for v in r), default=1.0) or 1.0
    pivots, r = [], 0
    for c in range(n):
        p = max(range(r, n), key=lambda i: abs(m[i][c]), default=None)
        if p is None or abs(m[p][c]) < 1e-10 * scale:
            continue
        m[r], m[p] = m[p], m[r]
        for i in range(n):
            if i != r and m[i][c] != 0:
                f = m[i][c] / m[r][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
    x = [None] * n
    for i, c in enumerate(pivots):
        if all(abs(m[i][j]) < 1e-10 * scale for j in range(n) if j not in pivots):
            x[c] = m[i][n] / m[i][c]
    return x


def solve_float(a, b):
    """Square linear system by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [v] for row, v in zip(a, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(m[i][c]))
        if abs(m[p][c]) < 1e-300:
            return None
        m[c], m[p] = m[p], m[c]
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            if f:
                m[i] = [x - f * y for x, y in zip(m[i], m[c])]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))) / m[i][i]
    return x


def gauss_newton(f, x0, iterations=200):
    """Minimises Σ f(x)² by Levenberg–Marquardt with a numerical Jacobian."""
    x, lam = list(x0), 1e-3
    r = f(x)
    cost = sum(v * v for v in r)
    for _ in range(iterations):
        jac = []
        for k in range(len(x)):
            h = 1e-7 * max(1.0, abs(x[k]))
            xk = x[:]
            xk[k] += h
            jac.append([(a - b) / h for a, b in zip(f(xk), r)])
        n = len(x)
        jtj = [[sum(jac[i][e] * jac[j][e] for e in range(len(r))) for j in range(n)]
               for i in range(n)]
        jtr = [-sum(jac[i][e] * r[e] for e in range(len(r))) for i in range(n)]
        while True:
            a = [[jtj[i][j] + (lam * jtj[i][i] if i == j else 0) for j in range(n)]
                 for i in range(n)]
            step = solve_float(a, jtr)
            if step is None:
                return x, cost
            xn = [u + v for u, v in zip(x, step)]
            rn = f(xn)
            cn = sum(v * v for v in rn)
            if cn < cost:
                x, r, cost, lam = xn, rn, cn, max(lam / 10, 1e-12)
                break
            lam *= 10
            if lam > 1e12:
                return x, cost
        if cost < 1e-28:
            break
    return x, cost


def lower_gamma_p(a, x):
    """The regularised lower incomplete gamma P(a, x): series below a + 1, else Lentz's
    continued fraction for Q."""
    if x <= 0:
        return 0.0
    lg = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return total * math.exp(-x + a * math.log(x) - lg)
    b = x + 1 - a
    c, d = 1e300, 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return 1.0 - math.exp(-x + a * math.log(x) - lg) * h


def gamma_quantile(p, a):
    lo, hi = 0.0, max(1.0, a)
    while lower_gamma_p(a, hi) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if lower_gamma_p(a, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fay_feuer(counts, pops, multiplier):
    """Direct standardisation to the US 2000 population with Fay and Feuer's interval."""
    w = [s / 1e6 for s in US2000]
    y = sum(wi * x / n for wi, x, n in zip(w, counts, pops))
    v = sum(wi * wi * x / (n * n) for wi, x, n in zip(w, counts, pops))
    wm = max(wi / n for wi, n in zip(w, pops))
    lower = gamma_quantile(0.025, y * y / v) * (v / y) if y > 0 else 0.0
    upper = gamma_quantile(0.975, (y + wm) ** 2 / (v + wm * wm)) * ((v + wm * wm) / (y + wm))
    return y * multiplier, lower * multiplier, upper * multiplier


class AttackTest(unittest.TestCase):
    attacked = False

    def rates(self, measure, period, *extra):
        return cli_json("rates", WS, "--measure", measure, "--period", period, *extra)

    def truth(self, measure, period):
        return {k: r["numerator"] for k, r in revealed(WS, measure, period).items()
                if r["suppressed"]}

    def judge(self, recovered, what):
        """@recovered: [(cell, estimate, true count)] where the attack claims a count."""
        hits = [f"{cell}: worked out {est:.3f}, hidden count {true}"
                for cell, est, true in recovered if abs(est - true) < 0.5]
        print(f"{what}: {len(recovered)} hidden counts estimated, {len(hits)} right")
        self.assertFalse(hits, f"{what} recovers hidden counts:\n" + "\n".join(hits))

    # (a) ---------------------------------------------------------------------------------

    def shown_and_hidden(self, measure, period, stratum):
        rows = {r["geoid"]: r for r in self.rates(measure, period, "--stratum", stratum)}
        return rows

    def test_least_squares_on_gi_star(self):
        """Gi* z_i · c_i · s = Σ_{j ∈ N[i]} x_j − w_i μ is linear in the hidden rates, the
        mean μ and the standard deviation s: solve it over every printed z."""
        recovered = []
        for measure, period, stratum in (("deaths", "2019", "all"), ("visits", "2020", "a"),
                                         ("visits", "2019", "all")):
            geo = MEASURES[measure][0]
            mult = float(MEASURES[measure][2])
            nb = queen(geo)
            rows = self.shown_and_hidden(measure, period, stratum)
            truth = self.truth(measure, period)
            z = {r["geoid"]: r["z"] for r in cli_json(
                "hotspots", WS, "--measure", measure, "--period", period, "--stratum", stratum,
                "--geography", geo)}
            areas = [g for g in rows if rows[g]["denominator"] and rows[g]["denominator"] > 0]
            hidden = [g for g in areas if rows[g]["rate"] is None]
            if not hidden:
                continue
            col = {g: i for i, g in enumerate(hidden)}
            n, u = len(areas), len(hidden)
            eqs, rhs, scale = [], [], []
            for g in areas:
                if z.get(g) is None:
                    continue
                hood = [g] + [h for h in nb.get(g, []) if h in rows]
                wi = len(hood)
                ci = math.sqrt((n * wi - wi * wi) / (n - 1))
                row = [0.0] * (u + 2)
                b = 0.0
                for h in hood:
                    if h in col:
                        row[col[h]] += 1.0
                    else:
                        b -= rows[h]["rate"]
                row[u], row[u + 1] = -wi, -z[g] * ci
                eqs.append(row)
                rhs.append(b)
                scale.append((ci, precision(z[g])))
            row = [1.0] * u + [-n, 0.0]
            eqs.append(row)
            rhs.append(-sum(rows[g]["rate"] for g in areas if g not in col))
            scale.append(None)
            x = solve_exact(eqs, rhs, u + 2)
            if x[u + 1] is None or x[u + 1] <= 0:
                continue
            s = float(x[u + 1])
            # the fit, in units of z: does the model explain what was printed?
            fit = all(sc is None or abs(sum(a * float(v or 0) for a, v in zip(e, x)) - b)
                      / (sc[0] * s) <= 2 * sc[1] + 1e-9
                      for e, b, sc in zip(eqs, rhs, scale))
            if not fit:
                print(f"Gi* {measure} {period} {stratum}: the full model does not fit")
                continue
            for g in hidden:
                if x[col[g]] is not None:
                    est = float(x[col[g]]) * rows[g]["denominator"] / mult
                    recovered.append(((measure, period, stratum, g), est,
                                      truth[(stratum, g)]))
        self.judge(recovered, "least squares on hotspots (Gi*)")

    def test_least_squares_on_lisa_and_moran(self):
        """I_i m2 = (x_i − μ)(lag_i − μ) for every area whose I is printed, with
        Σx = nμ, Σ(x − μ)² = n m2 and Moran's I = Σ I_i / n: solved by Gauss–Newton."""
        recovered = []
        for measure, period, stratum in (("deaths", "2019", "all"), ("visits", "2020", "a")):
            geo = MEASURES[measure][0]
            mult = float(MEASURES[measure][2])
            nb = queen(geo)
            rows = self.shown_and_hidden(measure, period, stratum)
            truth = self.truth(measure, period)
            args = ["--measure", measure, "--period", period, "--stratum", stratum,
                    "--geography", geo]
            lisa = {r["geoid"]: r for r in cli_json("lisa", WS, *args)}
            moran = cli_json("moran", WS, *args)
            areas = [g for g in rows if rows[g]["denominator"] and rows[g]["denominator"] > 0]
            hidden = [g for g in areas if rows[g]["rate"] is None]
            if not hidden or moran.get("i") is None:
                continue
            n, u = len(areas), len(hidden)
            known = {g: rows[g]["rate"] for g in areas if g not in hidden}
            mean0 = sum(known.values()) / len(known)
            m20 = sum((v - mean0) ** 2 for v in known.values()) / len(known)
            hoods = {g: [h for h in nb.get(g, []) if h in rows] for g in areas}
            printed = [g for g in areas if lisa.get(g, {}).get("i") is not None]

            col = {g: k for k, g in enumerate(hidden)}

            def hidden_given(mu, m2):
                """For a given mean and variance the printed I are linear in the hidden
                rates (x_i is shown, lag_i is a mean of neighbours): least squares."""
                eqs, rhs = [], []
                for g in printed:
                    if not hoods[g] or abs(known[g] - mu) < 1e-12:
                        continue
                    row = [0.0] * u
                    b = mu + lisa[g]["i"] * m2 / (known[g] - mu)
                    for h in hoods[g]:
                        if h in col:
                            row[col[h]] += 1 / len(hoods[g])
                        else:
                            b -= known[h] / len(hoods[g])
                    eqs.append(row)
                    rhs.append(b)
                eqs.append([1.0] * u)
                rhs.append(n * mu - sum(known.values()))
                return least_squares_float(eqs, rhs, u)

            def residuals(p):
                mu, m2 = p
                x = dict(known)
                x.update((g, v or 0.0) for g, v in zip(hidden, hidden_given(mu, m2)))
                lag = {g: sum(x[h] for h in hoods[g]) / len(hoods[g]) for g in areas
                       if hoods[g]}
                out = [(lisa[g]["i"] * m2 - (x[g] - mu) * (lag[g] - mu)) / m20
                       for g in printed if g in lag]
                out.append((sum(x.values()) - n * mu) / mean0)
                out.append((sum((v - mu) ** 2 for v in x.values()) - n * m2) / m20)
                out.append((n * moran["i"] * m2 - sum((x[g] - mu) * (lag[g] - mu)
                                                      for g in lag)) / m20)
                return out

            # a coarse grid first: the fit has local minima in (μ, m2)
            grid = [(mean0 * (0.6 + 0.04 * a), m20 * 10 ** (-1 + 0.1 * b))
                    for a in range(21) for b in range(21)]
            start = min(grid, key=lambda q: sum(v * v for v in residuals(q)))

            def residuals_full(p):
                x = dict(known)
                x.update(zip(hidden, p[:u]))
                mu, m2 = p[u], p[u + 1]
                lag = {g: sum(x[h] for h in hoods[g]) / len(hoods[g]) for g in areas
                       if hoods[g]}
                out = [(lisa[g]["i"] * m2 - (x[g] - mu) * (lag[g] - mu)) / m20
                       for g in printed if g in lag]
                out.append((sum(x.values()) - n * mu) / mean0)
                out.append((sum((v - mu) ** 2 for v in x.values()) - n * m2) / m20)
                out.append((n * moran["i"] * m2 - sum((x[g] - mu) * (lag[g] - mu)
                                                      for g in lag)) / m20)
                return out

            first = hidden_given(*start)
            p, cost = gauss_newton(residuals_full,
                                   [mean0 if v is None else v for v in first] + list(start))
            tol = max(max(precision(lisa[g]["i"]) for g in printed) * 4, 1e-9)
            fits = all(abs(v) <= tol for v in residuals_full(p))
            print(f"LISA {measure} {period} {stratum}: cost {cost:.3g}, fits {fits}")
            if not fits:
                continue
            # which hidden rates the equations pin down: those the linearised system does
            base = residuals_full(p)
            jac = []
            for k in range(u + 2):
                q = p[:]
                q[k] += 1e-6 * max(1.0, abs(q[k]))
                jac.append([(a - b) / (q[k] - p[k]) for a, b in zip(residuals_full(q), base)])
            pinned = least_squares_float([list(r) for r in zip(*jac)], [0.0] * len(base), u + 2)
            # and a second fit from elsewhere must land on the same values
            other, _ = gauss_newton(residuals_full, [1.5 * v for v in p[:u]] + p[u:])
            for k, g in enumerate(hidden):
                est = p[k] * rows[g]["denominator"] / mult
                if pinned[k] is not None and \
                        abs(other[k] * rows[g]["denominator"] / mult - est) < 0.25:
                    recovered.append(((measure, period, stratum, g), est, truth[(stratum, g)]))
        self.judge(recovered, "Gauss–Newton on lisa and moran")

    # (b) ---------------------------------------------------------------------------------

    def test_integer_reasoning_on_disparities(self):
        """A group's share of the region's events is E_g / E_all: the one region total
        that makes every share a whole number of events gives each group's hidden sum, and
        a group with one hidden cell gives that cell. A suppressed row's ratio or
        difference times the reference rate gives its rate, and so its count."""
        recovered, narrow = [], []
        for measure, period in (("visits", "2019"), ("visits", "2020"), ("er", "2021")):
            mult = float(ATTACKED[measure][2])
            d = cli_json("disparities", WS, "--measure", measure, "--period", period)
            rows = {(r["stratum"], r["geoid"]): r for r in self.rates(measure, period)}
            truth = self.truth(measure, period)
            for r in d["areas"]:
                key = (r["stratum"], r["geoid"])
                if key not in truth or r["stratum"] == "all":
                    continue
                ref = rows[("all", r["geoid"])]["rate"]
                rate = None
                if r.get("ratio") is not None and ref is not None:
                    rate = r["ratio"] * ref
                elif r.get("difference") is not None and ref is not None:
                    rate = ref + r["difference"]
                elif r.get("rate") is not None:
                    rate = r["rate"]
                if rate is not None:
                    recovered.append(((measure, period) + key,
                                      rate * rows[key]["denominator"] / mult, truth[key]))
            narrow.extend(self.bounds(measure, period, rows, truth))
            shares = {s["stratum"]: s["share_of_events"] for s in d["region"]}
            shown = {s: sum(r["numerator"] for (st, _), r in rows.items()
                            if st == s and r["numerator"] is not None)
                     for s in ["all"] + GROUPS}
            n_hidden = {s: [g for (st, g) in truth if st == s] for s in ["all"] + GROUPS}
            groups = [s for s in GROUPS if shares.get(s) is not None]
            if not groups:
                continue
            totals = []
            # every hidden total holds at least one event; none hidden: the sum is known
            for extra in (range(len(n_hidden["all"]), (K - 1) * len(n_hidden["all"]) + 200)
                          if n_hidden["all"] else [0]):
                t = shown["all"] + extra
                if all(abs(shares[s] * t - round(shares[s] * t)) <= precision(shares[s]) * t
                       + 1e-7 for s in groups):
                    totals.append(t)
            print(f"disparities {measure} {period}: {len(totals)} region totals fit the shares")
            if len(totals) != 1:
                continue
            if len(n_hidden["all"]) == 1:
                g = n_hidden["all"][0]
                recovered.append(((measure, period, "all", g), totals[0] - shown["all"],
                                  truth[("all", g)]))
            for s in groups:
                hidden_sum = round(shares[s] * totals[0]) - shown[s]
                if len(n_hidden[s]) == 1:
                    g = n_hidden[s][0]
                    recovered.append(((measure, period, s, g), hidden_sum, truth[(s, g)]))
        print("narrowest ranges of hidden counts from total minus shown: " +
              "; ".join(f"{c}: {lo}..{hi} (true {t})" for c, lo, hi, t in
                        sorted(narrow, key=lambda n: n[2] - n[1])[:5]))
        recovered += [(c, lo, t) for c, lo, hi, t in narrow if lo == hi]
        self.judge(recovered, "integer reasoning on disparities")

    def bounds(self, measure, period, rows, truth):
        """Total minus shown: in an area whose total is shown the hidden groups (and any
        unlisted remainder, ≥ 0) hold R = all − Σ shown. A complement holds at least k, a
        small group at least 1, so each hidden group lies in a range; returns
        (cell, lowest, highest, true count) for each."""
        out = []
        areas = sorted({g for (_, g) in rows})
        for g in areas:
            total = rows.get(("all", g))
            if total is None or total["numerator"] is None:
                continue
            hidden = [s for s in GROUPS if (s, g) in rows and rows[(s, g)]["numerator"] is None]
            if not hidden:
                continue
            r = total["numerator"] - sum(rows[(s, g)]["numerator"] for s in GROUPS
                                         if (s, g) in rows and s not in hidden)
            for s in hidden:
                # s small, one of the others a complement (≥ k) and the rest small (≥ 1)
                others = len(hidden) - 1
                hi_small = min(K - 1, r - (K + (others - 1)) if others else r)
                # the complement is the shown positive group of the smallest population
                shown_pops = [rows[(t, g)]["denominator"] for t in GROUPS if (t, g) in rows
                              and t not in hidden and rows[(t, g)]["numerator"]]
                may_be_complement = r - others >= K and \
                    rows[(s, g)]["denominator"] <= min(shown_pops, default=math.inf)
                if hi_small >= 1 and not may_be_complement:
                    out.append(((measure, period, s, g), 1, hi_small, truth[(s, g)]))
        return out

    # (c) ---------------------------------------------------------------------------------

    def test_differencing_evaluations(self):
        """Two comparison pools that differ by one suppressed area: the difference of
        their pooled counts is its count."""
        recovered = []
        for project, measure in (("1", "visits"), ("2", "deaths")):
            recovered += self.difference(project, measure)
        self.assertTrue(recovered or self.attacked, "no pool to attack in this table")
        self.judge(recovered, "differencing two evaluations")

    def difference(self, project, measure):
        recovered = []
        geo = MEASURES[measure][0]
        mult = float(MEASURES[measure][2])
        before = {r["geoid"]: r for r in self.rates(measure, "2019", "--stratum", "all")}
        after = {r["geoid"]: r for r in self.rates(measure, "2020", "--stratum", "all")}
        truth = {"2019": self.truth(measure, "2019"), "2020": self.truth(measure, "2020")}
        targets = set(GEOIDS[geo][:3])
        shown = [g for g in GEOIDS[geo] if g not in targets
                 and before[g]["numerator"] is not None and after[g]["numerator"] is not None]
        suppressed = [g for g in GEOIDS[geo] if g not in targets and
                      (before[g]["numerator"] is None or after[g]["numerator"] is None)]
        if len(suppressed) < 3:
            return []
        # A pool of shown areas and two hidden ones that together reach k is printed (each
        # pool is judged on its own); one more hidden area, and the difference is its count.
        base, one = None, None
        for i, h1 in enumerate(suppressed):
            for h2 in suppressed[i + 1:]:
                trial = sorted(shown[:4] + [h1, h2])
                e = cli_json("project", "evaluate", WS, project, "--comparison", ",".join(trial))
                if e.get("comparison_before") is not None and \
                        e.get("comparison_after") is not None:
                    base, one = trial, e
                    break
            if base:
                break
        if base is None:
            base = shown[:4]
            one = cli_json("project", "evaluate", WS, project, "--comparison", ",".join(base))
        print(f"differencing {measure}: base pool {base}")
        self.attacked = True
        for h in suppressed:
            if h in base:
                continue
            two = cli_json("project", "evaluate", WS, project, "--comparison",
                           ",".join(sorted(base + [h])))
            for field, period, rows in (("comparison_before", "2019", before),
                                        ("comparison_after", "2020", after)):
                if ("all", h) not in truth[period]:
                    continue
                r1, r2 = one.get(field), two.get(field)
                if r1 is None or r2 is None:
                    continue
                pop1 = sum(rows[g]["denominator"] for g in base)
                est = (r2 * (pop1 + rows[h]["denominator"]) - r1 * pop1) / mult
                recovered.append(((measure, period, "all", h), est, truth[period][("all", h)]))
        return recovered

    def test_differencing_pools_and_years(self):
        """(e) Pooled periods: the pool 2019+2020 minus the shown year is the other year's
        count when it alone is hidden; with both hidden, the sum bounds each, and a sum near
        its least or most pins them. Change between the pool and a year is differenced the
        same way."""
        recovered, ranges = [], 0
        for measure in ("visits", "deaths"):
            years = {p: {(r["stratum"], r["geoid"]): r for r in self.rates(measure, p)}
                     for p in ("2019", "2020")}
            pooled = {(r["stratum"], r["geoid"]): r for r in self.rates(measure, "2019+2020")}
            truth = {p: self.truth(measure, p) for p in ("2019", "2020")}
            for key, pool in pooled.items():
                if pool["numerator"] is None:
                    continue
                hidden = [p for p in ("2019", "2020") if years[p][key]["numerator"] is None]
                if len(hidden) == 1:
                    shown = "2020" if hidden[0] == "2019" else "2019"
                    est = pool["numerator"] - years[shown][key]["numerator"]
                    recovered.append(((measure, hidden[0]) + key, est,
                                      truth[hidden[0]][key]))
                elif len(hidden) == 2:
                    # Both small: each is 1 … k − 1 and they add up to the pool.
                    total = pool["numerator"]
                    low, high = max(1, total - (K - 1)), min(K - 1, total - 1)
                    if all(0 < truth[p][key] < K for p in hidden):
                        ranges += 1
                        if low == high:
                            recovered.append(((measure, "2019") + key, low,
                                              truth["2019"][key]))
            # Change from 2019 to the pool: a shown pool and a hidden 2019 must not both
            # reach the output.
            for row in cli_json("change", WS, "--measure", measure, "--from", "2019",
                                "--to", "2019+2020"):
                key = (row["stratum"], row["geoid"])
                if years["2019"][key]["numerator"] is None:
                    self.assertTrue(row["suppressed"], key)
                    self.assertIsNone(row["rate_from"], key)
                    self.assertIsNone(row["rate_to"], key)
        print(f"pools: {ranges} pools of two hidden years published as a sum")
        self.assertTrue(recovered or ranges, "no pool to attack in this table")
        self.judge(recovered, "differencing pools and years")

    # (f) ---------------------------------------------------------------------------------

    def test_reasons_and_statuses(self):
        """A reason names a count ("RSE 38% (7 events)") only for a shown figure. For a hidden
        one, an outsider reads any number in its reason as a count, or as an RSE (a count of
        1/RSE²); every hidden figure's reason must also be the one text its kind has under
        the policy, and its status suppressed or complementary, revealed or not."""
        import re
        presets = ["cms", "wonder", "uscs", "wisqars", "nchs-rates", "nchs-proportions",
                   "wa-doh"]
        work = os.path.join(TMP, "reasons.tractwise")
        shutil.copy(WS, work)
        recovered, hidden_reasons = [], set()
        for preset in presets:
            cli("policy", work, "--preset", preset)
            for measure, period in (("visits", "2019"), ("er", "2021"), ("deaths", "2020")):
                truth = {k: r["numerator"] for k, r in revealed(work, measure, period).items()
                         if r["suppressed"]}
                rows = cli_json("rates", work, "--measure", measure, "--period", period)
                shown = cli_json("rates", work, "--measure", measure, "--period", period,
                                 "--reveal")
                self.assertEqual([(r["status"], r["reason"]) for r in rows],
                                 [(r["status"], r["reason"]) for r in shown])
                figures = [((r["stratum"], r["geoid"]), r) for r in rows]
                d = cli_json("disparities", work, "--measure", measure, "--period", period)
                figures += [((r["stratum"], r["geoid"]), r) for r in d["areas"]]
                for key, r in figures:
                    if key not in truth:
                        continue
                    self.assertIn(r["status"], ("suppressed", "complementary"), (preset, key))
                    hidden_reasons.add((preset, r["status"], r["reason"]))
                    for n in re.findall(r"(\d+(?:\.\d+)?) events", r["reason"]):
                        recovered.append(((preset, measure, period) + key, float(n),
                                          truth[key]))
                    for rse in re.findall(r"RSE (\d+)%", r["reason"]):
                        recovered.append(((preset, measure, period) + key,
                                          1 / (int(rse) / 100) ** 2, truth[key]))
            for row in cli_json("change", work, "--measure", "visits", "--from", "2019",
                                "--to", "2020"):
                if row["suppressed"]:
                    self.assertNotRegex(row["reason"], r"\d+(\.\d+)? events|RSE")
        # One text for each kind of hidden figure under each preset: none varies with a count.
        kinds = {(p, st) for p, st, _ in hidden_reasons}
        self.assertEqual(len(hidden_reasons), len(kinds), sorted(hidden_reasons))
        print(f"reasons: {len(recovered)} numbers read from hidden figures' reasons")
        self.judge(recovered, "reading counts from reasons")

    # (g) ---------------------------------------------------------------------------------

    def test_differencing_the_reports(self):
        """(g) The CHNA report's pooled region rate of each measure, times the public
        population of the areas shown, less their shown counts: what is left would be the
        hidden counts, had any entered the pool. The brief's cover draws on the same pools."""
        out = os.path.join(TMP, "chna.pdf")
        cli("export-chna", WS, "--out", out)
        text = " ".join(subprocess.run(["pdftotext", "-raw", out, "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        recovered, pooled = [], 0
        for measure, (_, _, multiplier) in ATTACKED.items():
            m = re.search(re.escape(f"{measure} (synthetic), per ") + r"[\d,]+ \((\S+), [^)]*\) "
                          r"([\d.,]+) \(", text)
            if m is None:
                continue   # withheld: the areas shown hold too little of the population
            period, rate = m.group(1), float(m.group(2).replace(",", ""))
            rows = [r for r in self.rates(measure, period, "--stratum", "all")]
            shown = [r for r in rows if r["numerator"] is not None]
            truth = self.truth(measure, period)
            hidden = [t for (stratum, _), t in truth.items() if stratum == "all"]
            if not hidden:
                continue
            pooled += 1
            events = rate * sum(r["denominator"] for r in shown) / float(multiplier)
            estimate = events - sum(r["numerator"] for r in shown)
            recovered.append(((measure, period, "all", "hidden areas together"), estimate,
                              sum(hidden)))
        print(f"reports: {pooled} pooled rates against their hidden areas")
        self.assertTrue(pooled, "no pooled rate to attack in this table")
        self.judge(recovered, "differencing the reports' pools")

    # (d) ---------------------------------------------------------------------------------

    def test_enumeration_behind_age_adjusted_rates(self):
        """Knowing an area's shown total, its age-specific populations and the US 2000
        weights, list the age-specific counts that give the printed rate and interval."""
        for period in ("2019",):
            adjusted = {r["geoid"]: r for r in self.rates("deaths", period, "--age-adjust")}
            crude = {r["geoid"]: r for r in self.rates("deaths", period)}
            unique, counted = [], []
            for g, r in sorted(adjusted.items()):
                cell = TABLE.cells[("deaths", period, "all", g)]
                if r["rate"] is None or crude[g]["numerator"] is None or \
                        not isinstance(cell, dict) or not 0 < crude[g]["numerator"] <= MAX_TOTAL:
                    continue
                total = crude[g]["numerator"]
                pops = cell["pops"]   # public: the census's population by age
                solutions, complete = enumerate_ages(total, pops, r, 100000.0, cap=20)
                # the same search on the figures as a 3-significant-figure rule prints them
                rounded = {k: r[k] if r[k] is None else float(f"{r[k]:.3g}")
                           for k in ("rate", "lower", "upper")}
                at3, complete3 = enumerate_ages(total, pops, rounded, 100000.0, cap=20)
                counted.append(f"{g} (total {total}): {len(solutions)}"
                               f"{'' if complete else '+'} solutions as printed, {len(at3)}"
                               f"{'' if complete3 else '+'} at 3 significant figures")
                if complete and len(solutions) == 1:
                    unique.append(f"{g}: {solutions[0]} (true {cell['ages']})")
            print(f"age-adjusted {period}: " + "; ".join(counted))
            self.assertTrue(counted, "no age-adjusted rate to attack")
            self.assertFalse(unique, "the age-specific counts behind an age-adjusted rate "
                             "are the only ones that fit:\n" + "\n".join(unique))


def enumerate_ages(total, pops, printed, multiplier, cap):
    """The age compositions of @total events that give @printed's rate, lower and upper to
    the precision printed; at most @cap (complete says whether all were listed)."""
    w = [s / 1e6 for s in US2000]
    a = [wi / n * multiplier for wi, n in zip(w, pops)]
    order = sorted(range(len(a)), key=lambda i: -a[i])
    rate, tol = printed["rate"], precision(printed["rate"]) + 1e-9 * abs(printed["rate"])
    # sorted from the largest weight down: what the groups from p on can add lies between
    # left × the smallest weight and left × the weight of p
    suffix_min = [a[order[-1]]] * len(a)
    suffix_max = [a[order[p]] for p in range(len(a))]
    found, x = [], [0] * len(a)
    state = {"complete": True, "nodes": 0}

    def fits_interval(counts):
        _, lower, upper = fay_feuer(counts, pops, multiplier)
        return all(printed[k] is None or abs(v - printed[k]) <= precision(printed[k])
                   + 1e-9 * abs(printed[k]) for k, v in (("lower", lower), ("upper", upper)))

    def walk(p, left, partial):
        state["nodes"] += 1
        if len(found) >= cap or state["nodes"] > NODE_BUDGET:
            state["complete"] = False
            return
        if p == len(a) - 1:
            x[order[p]] = left
            if abs(partial + left * a[order[p]] - rate) <= tol and fits_interval(x):
                found.append(list(x))
            return
        for c in range(left + 1):
            rest = left - c
            s = partial + c * a[order[p]]
            if s + rest * suffix_min[p + 1] > rate + tol:
                break
            if s + rest * suffix_max[p + 1] < rate - tol:
                continue
            x[order[p]] = c
            walk(p + 1, rest, s)

    walk(0, total, 0.0)
    return found, state["complete"]


if __name__ == "__main__":
    unittest.main()
