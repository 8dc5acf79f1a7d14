#!/usr/bin/python3
"""forecast.py: fixtures for tests/unit/test_forecast.c from statsmodels 0.13.5.

Run once with /usr/bin/python3 from the repository root; writes
tests/data/forecast_oracle.txt, one line per key: `key v1 v2 ...`.

The series: the monthly means of statsmodels' co2 dataset (Mauna Loa,
weekly, interpolated) from 1960-01 to 1969-12, 120 months, and the same
series minus 300 (a smaller level, so the season matters more).
"""
import numpy as np
import warnings
from statsmodels.datasets import co2
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.forecasting.theta import ThetaModel

warnings.simplefilter("ignore")
data = co2.load_pandas().data["co2"].interpolate()
y = data.resample("MS").mean()["1960-01":"1969-12"].values - 300.0
assert len(y) == 120
out = []


def put(key, vals):
    vals = np.atleast_1d(np.asarray(vals, dtype=float))
    out.append(key + " " + " ".join(repr(float(v)) for v in vals))


put("y", y)
H = 18
for seas in ("add", "mul"):
    for damped in (False, True):
        tag = "%s_%s" % (seas, "d" if damped else "n")
        mod = ExponentialSmoothing(y, trend="add", seasonal=seas, seasonal_periods=12,
                                   damped_trend=damped, initialization_method="heuristic")
        fix = dict(smoothing_level=0.4, smoothing_trend=0.05, smoothing_seasonal=0.3)
        if damped:
            fix["damping_trend"] = 0.9
        r = mod.fit(optimized=False, **fix)
        put("hw_%s_init" % tag, [r.params["initial_level"], r.params["initial_trend"]])
        put("hw_%s_seas" % tag, r.params["initial_seasons"])
        put("hw_%s_fitted" % tag, r.fittedvalues)
        put("hw_%s_fcast" % tag, r.forecast(H))
        put("hw_%s_sse" % tag, r.sse)
        rf = mod.fit()
        put("hwfit_%s_sse" % tag, rf.sse)
        put("hwfit_%s_par" % tag, [rf.params["smoothing_level"], rf.params["smoothing_trend"],
                                    rf.params["smoothing_seasonal"],
                                    rf.params.get("damping_trend", np.nan) if damped else 1.0])
# Holt and SES without a season
for tr in (None, "add"):
    tag = "ses" if tr is None else "holt"
    mod = ExponentialSmoothing(y, trend=tr, initialization_method="heuristic")
    fix = dict(smoothing_level=0.6)
    if tr:
        fix["smoothing_trend"] = 0.1
    r = mod.fit(optimized=False, **fix)
    put("%s_fitted" % tag, r.fittedvalues)
    put("%s_fcast" % tag, r.forecast(H))
    rf = mod.fit()
    put("%sfit_sse" % tag, rf.sse)
# Theta: seasonal (test on) and without a season
for per, tag in ((12, "theta12"), (1, "theta1")):
    tm = ThetaModel(y, period=per)
    r = tm.fit()
    put(tag + "_fcast", r.forecast(H))
    put(tag + "_par", [r.params["b0"], r.params["alpha"]])

with open("tests/data/forecast_oracle.txt", "w") as f:
    f.write("\n".join(out) + "\n")
print("wrote tests/data/forecast_oracle.txt:", len(out), "lines")
