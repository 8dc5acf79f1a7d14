#!/usr/bin/python3
"""arima.py: fixtures for tests/unit/test_arima.c from statsmodels 0.13.5 SARIMAX.

Run once with /usr/bin/python3 from the repository root; writes
tests/data/arima_oracle.txt, one line per key: `key v1 v2 ...`.

Series: the Nile's annual flow (statsmodels' nile, 1871-1970, 100 values)
and the monthly means of statsmodels' co2 (Mauna Loa, weekly,
interpolated) 1960-01 to 1969-12, 120 months.

SARIMAX is used with its defaults (trend None unless a case says 'c',
enforce_stationarity and enforce_invertibility True, concentrate_scale
False, approximate diffuse initial states of variance 1e6 for the
differencing states with the log-likelihood burn of their count,
stationary initial states for the ARMA part). Each case records:
  CASE_llfix   the log-likelihood at fixed parameters (a Kalman filter check)
  CASE_params  the fitted parameters (const, ar, ma, sar, sma, sigma2),
               fitted tightly (lbfgs, maxiter 1000, pgtol 1e-10, factr 10)
  CASE_default the parameters statsmodels' default fit() gives (maxiter 50)
  CASE_llf, CASE_aicc, CASE_mean, CASE_lower, CASE_upper (90% interval, 12 steps)
The stepwise search (auto_*) is Hyndman-Khandakar's (R forecast's
auto.arima, stepwise=TRUE) done here with SARIMAX fits, since pmdarima
is not in Debian: see search() below.
"""
import numpy as np
import warnings
from statsmodels.datasets import co2, nile
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.tsa.stattools import kpss
from statsmodels.tsa.seasonal import seasonal_decompose

warnings.simplefilter("ignore")
out = []


def put(key, vals):
    vals = np.atleast_1d(np.asarray(vals, dtype=float))
    out.append(key + " " + " ".join(repr(float(v)) for v in vals))


def fit(y, order, sorder, m, trend):
    mod = SARIMAX(y, order=order, seasonal_order=tuple(sorder) + (m if any(sorder) else 0,),
                  trend=trend)
    r = mod.fit(disp=0, maxiter=1000, pgtol=1e-10, factr=10)
    # a second run from its own optimum: some fits stop early on a flat stretch
    r2 = mod.fit(start_params=r.params, disp=0, maxiter=1000, pgtol=1e-10, factr=10)
    return mod, (r2 if r2.llf >= r.llf else r)


ynile = nile.load_pandas().data["volume"].values.astype(float)
data = co2.load_pandas().data["co2"].interpolate()
yco2 = data.resample("MS").mean()["1960-01":"1969-12"].values
assert len(ynile) == 100 and len(yco2) == 120
put("nile", ynile)
put("co2", yco2)

cases = [
    ("nile111", ynile, (1, 1, 1), (0, 0, 0), 0, None, [0.3, -0.7, 20000.0]),
    ("nile101c", ynile, (1, 0, 1), (0, 0, 0), 0, "c", [300.0, 0.7, -0.3, 18000.0]),
    ("nile200", ynile, (2, 0, 0), (0, 0, 0), 0, "c", [400.0, 0.4, 0.15, 20000.0]),
    ("co2air", yco2, (0, 1, 1), (0, 1, 1), 12, None, [-0.3, -0.8, 0.1]),
    ("co2s100c", yco2, (1, 0, 0), (1, 1, 0), 12, "c", [0.5, 0.9, -0.4, 0.12]),
    ("co2s111", yco2, (1, 1, 1), (1, 1, 1), 12, None, [0.2, -0.5, 0.1, -0.7, 0.1]),
]
H = 12
for name, y, order, sorder, m, trend, fixed in cases:
    mod, r = fit(y, order, sorder, m, trend)
    put(name + "_llfix", mod.loglike(np.array(fixed)))
    put(name + "_params", r.params)
    rd = mod.fit(disp=0)
    put(name + "_default", rd.params)
    put(name + "_llf", r.llf)
    put(name + "_aicc", r.aicc)
    f = r.get_forecast(H)
    ci = f.conf_int(alpha=0.1)
    put(name + "_mean", f.predicted_mean)
    put(name + "_lower", ci[:, 0])
    put(name + "_upper", ci[:, 1])
    print(name, r.params, r.llf, "default:", rd.params, rd.llf, rd.mle_retvals["converged"])


# --- the stepwise search ------------------------------------------------------
def ndiffs(x):
    """d by repeated KPSS level tests at 5% (R forecast's ndiffs, test='kpss'):
    lags trunc(3 sqrt(n) / 13), critical value 0.463, at most 2."""
    d = 0
    while d < 2:
        if np.ptp(x) == 0:
            break
        stat = kpss(x, regression="c", nlags=int(3 * np.sqrt(len(x)) / 13))[0]
        if stat <= 0.463:
            break
        x = np.diff(x)
        d += 1
    return d


def strength(x, m):
    """Seasonal strength from statsmodels' classical additive decomposition:
    max(0, 1 - var(remainder) / var(season + remainder)) over the middle."""
    dec = seasonal_decompose(x, period=m, model="additive", two_sided=True)
    ok = ~np.isnan(dec.resid)
    rem = dec.resid[ok]
    sr = dec.seasonal[ok] + rem
    return max(0.0, 1 - np.var(rem, ddof=1) / np.var(sr, ddof=1))


def nsdiffs(x, m):
    if m < 2 or len(x) < 2 * m or np.ptp(x) == 0:
        return 0
    return int(strength(x, m) > 0.64)


def ic(y, p, d, q, P, D, Q, m, const):
    trend = "c" if const else None
    try:
        mod, r = fit(y, (p, d, q), (P, D, Q), m, trend)
    except Exception:
        return np.inf
    k = int(const)
    ar = np.r_[1, -r.params[k:k + p]]
    ma = np.r_[1, r.params[k + p:k + p + q]]
    sar = r.params[k + p + q:k + p + q + P]
    sma = r.params[k + p + q + P:k + p + q + P + Q]
    # the full polynomials, as R's myarima tests them: roots within 1.01 refused
    far = np.array(ar)
    if P:
        s = np.zeros(P * m + 1); s[0] = 1; s[m::m] = -sar
        far = np.polymul(ar[::-1], s[::-1])[::-1]
    fma = np.array(ma)
    if Q:
        s = np.zeros(Q * m + 1); s[0] = 1; s[m::m] = sma
        fma = np.polymul(ma[::-1], s[::-1])[::-1]
    for poly in (far, fma):
        nz = np.nonzero(np.abs(poly[1:]) > 1e-8)[0]
        if len(nz):
            poly = poly[:nz[-1] + 2]
            if np.min(np.abs(np.roots(poly[::-1]))) < 1.01:
                return np.inf
    return r.aicc


def search(y, m):
    D = nsdiffs(y, m) if m > 1 else 0
    x = y
    if D:
        x = y[m:] - y[:-m]
    d = ndiffs(x)
    maxp, maxq, maxP, maxQ = 5, 5, 2, 2
    if m < 2:
        maxP = maxQ = 0
    const = d + D <= 1
    allow = const
    results = {}

    def run(p, q, P, Q, c):
        key = (p, q, P, Q, c)
        if key not in results:
            results[key] = ic(y, p, d, q, P, D, Q, m, c)
        return results[key]

    p, q = 2, 2
    P, Q = (1, 1) if m > 1 else (0, 0)
    best = run(p, q, P, Q, const)
    v = run(0, 0, 0, 0, const)
    if v < best:
        best, p, q, P, Q = v, 0, 0, 0, 0
    v = run(1, 0, int(m > 1), 0, const)
    if v < best:
        best, p, q, P, Q = v, 1, 0, int(m > 1), 0
    v = run(0, 1, 0, int(m > 1), const)
    if v < best:
        best, p, q, P, Q = v, 0, 1, 0, int(m > 1)
    if const:
        v = run(0, 0, 0, 0, False)
        if v < best:
            best, p, q, P, Q, const = v, 0, 0, 0, 0, False
    moves = [(0, 0, -1, 0), (0, 0, 0, -1), (0, 0, 1, 0), (0, 0, 0, 1), (0, 0, -1, -1),
             (0, 0, -1, 1), (0, 0, 1, -1), (0, 0, 1, 1), (-1, 0, 0, 0), (0, -1, 0, 0),
             (1, 0, 0, 0), (0, 1, 0, 0), (-1, -1, 0, 0), (-1, 1, 0, 0), (1, -1, 0, 0),
             (1, 1, 0, 0)]
    improved = True
    while improved and len(results) < 94:
        improved = False
        for dp, dq, dP, dQ in moves:
            np_, nq, nP, nQ = p + dp, q + dq, P + dP, Q + dQ
            if not (0 <= np_ <= maxp and 0 <= nq <= maxq and 0 <= nP <= maxP
                    and 0 <= nQ <= maxQ):
                continue
            if (np_, nq, nP, nQ, const) in results:
                continue
            v = run(np_, nq, nP, nQ, const)
            if v < best:
                best, p, q, P, Q = v, np_, nq, nP, nQ
                improved = True
                break
        if not improved and allow and (p, q, P, Q, not const) not in results:
            v = run(p, q, P, Q, not const)
            if v < best:
                best, const = v, not const
                improved = True
    return [p, d, q, P, D, Q, int(const), best, len(results)]


for name, y, m in (("nile", ynile, 1), ("co2", yco2, 12)):
    res = search(y, m)
    print("auto", name, res)
    put("auto_" + name, res)

with open("tests/data/arima_oracle.txt", "w") as fp:
    fp.write("\n".join(out) + "\n")
