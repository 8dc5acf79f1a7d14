#!/usr/bin/python3
"""arima_exog.py: fixtures for tests/unit/test_arima_exog.c from statsmodels 0.13.5
SARIMAX with regressors (exog=), its defaults otherwise (mle_regression: the
coefficients are parameters of the exact likelihood of y - X beta).

Run once with /usr/bin/python3 from the repository root; writes
tests/data/arima_exog_oracle.txt, one line per key: `key v1 v2 ...`.

Data: statsmodels' macrodata (US quarterly, 1959Q1-2009Q3, 203 rows):
100 log real consumption and 100 log real disposable income; the
inflation rate against unemployment and the T-bill rate. Each case is
fitted on all but the last 8 quarters and forecast over them with their
regressors. Keys per case:
  CASE_y, CASE_x      the series (n) and the regressors (row-major n x k)
  CASE_llfix          the log-likelihood at fixed parameters
  CASE_params         the fitted parameters in SARIMAX's order (const,
                      beta, ar, ma, sar, sma, sigma2), fitted tightly
  CASE_llf, CASE_aicc
  CASE_mean, CASE_lower, CASE_upper  8 forecasts and the 90% bounds

Also (no regressors) a seasonal model on fewer than two seasons, which
arima_check admits since SARIMAX fits it: ARIMA(0,0,0)(0,1,0)[12] with a
constant (the seasonal random walk with drift) on the first 18 months of
co2 (as tests/oracles/arima.py makes that series): srw18_y, srw18_params,
srw18_llf, srw18_mean (6 forecasts).
"""
import numpy as np
import warnings
from statsmodels.datasets import macrodata
from statsmodels.tsa.statespace.sarimax import SARIMAX

warnings.simplefilter("ignore")
out = []


def put(key, vals):
    vals = np.atleast_1d(np.asarray(vals, dtype=float)).ravel()
    out.append(key + " " + " ".join(repr(float(v)) for v in vals))


d = macrodata.load_pandas().data
cons = 100 * np.log(d["realcons"].values)
dpi = 100 * np.log(d["realdpi"].values)
infl = d["infl"].values
unemp = d["unemp"].values
tbill = d["tbilrate"].values
H = 8

cases = [
    # name, y, X, order, sorder, m, trend, fixed parameters
    ("cons110", cons, dpi[:, None], (1, 1, 0), (0, 0, 0), 0, None, [0.5, 0.2, 0.8]),
    ("infl101c", infl, np.column_stack([unemp, tbill]), (1, 0, 1), (0, 0, 0), 0, "c",
     [1.0, -0.1, 0.5, 0.6, -0.3, 5.0]),
    ("cons011s", cons, dpi[:, None], (0, 1, 1), (1, 0, 0), 4, None, [0.3, 0.2, 0.1, 0.9]),
]
for name, y, X, order, sorder, m, trend, fixed in cases:
    n = len(y) - H
    put(name + "_y", y)
    put(name + "_x", X)
    mod = SARIMAX(y[:n], exog=X[:n], order=order,
                  seasonal_order=tuple(sorder) + (m if any(sorder) else 0,), trend=trend)
    put(name + "_llfix", mod.loglike(np.array(fixed)))
    r = mod.fit(disp=0, maxiter=1000, pgtol=1e-10, factr=10)
    r2 = mod.fit(start_params=r.params, disp=0, maxiter=1000, pgtol=1e-10, factr=10)
    r = r2 if r2.llf >= r.llf else r
    put(name + "_params", r.params)
    put(name + "_llf", r.llf)
    put(name + "_aicc", r.aicc)
    f = r.get_forecast(H, exog=X[n:])
    ci = f.conf_int(alpha=0.1)
    put(name + "_mean", f.predicted_mean)
    put(name + "_lower", ci[:, 0])
    put(name + "_upper", ci[:, 1])
    print(name, r.params, r.llf, r.mle_retvals["converged"])

from statsmodels.datasets import co2
yco2 = co2.load_pandas().data["co2"].interpolate().resample("MS").mean()["1960-01":"1961-06"].values
assert len(yco2) == 18
put("srw18_y", yco2)
r = SARIMAX(yco2, order=(0, 0, 0), seasonal_order=(0, 1, 0, 12), trend="c").fit(
    disp=0, maxiter=1000, pgtol=1e-10, factr=10)
put("srw18_params", r.params)
put("srw18_llf", r.llf)
put("srw18_mean", r.get_forecast(6).predicted_mean)
print("srw18", r.params, r.llf)

with open("tests/data/arima_exog_oracle.txt", "w") as fp:
    fp.write("\n".join(out) + "\n")
