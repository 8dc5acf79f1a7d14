/*
 * fmetrics.c: the accuracy of a forecast against what happened:
 * Pearson's R, MAE, RMSE, MAPE, sMAPE, MASE (Hyndman and Koehler 2006)
 * and the largest relative error.
 */
#include "forecast/forecast.h"

#include <math.h>

#include "base/banned.h"

double
fc_mase_scale(const double *y, long long n, int m)
{
    if (m < 1)
        m = 1;
    if (n <= m)
        return NAN;
    double s = 0;
    for (long long i = m; i < n; i++)
        s += fabs(y[i] - y[i - m]);
    return s / (double)(n - m);
}

void
fc_metrics(const double *a, const double *p, long long n, double scale, struct fc_metrics *out)
{
    double sa = 0, sp = 0, sae = 0, sse = 0, sape = 0, ssape = 0, maxrel = NAN;
    long long k = 0, kp = 0, ks = 0;
    for (long long i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(p[i]))
            continue;
        double e = a[i] - p[i];
        k++;
        sa += a[i];
        sp += p[i];
        sae += fabs(e);
        sse += e * e;
        if (a[i] != 0) {
            double r = 100 * fabs(e) / fabs(a[i]);
            sape += r;
            kp++;
            maxrel = isnan(maxrel) || r > maxrel ? r : maxrel;
        }
        if (fabs(a[i]) + fabs(p[i]) > 0) {
            ssape += 200 * fabs(e) / (fabs(a[i]) + fabs(p[i]));
            ks++;
        }
    }
    out->n = k;
    out->r = NAN;
    if (k >= 2) {
        double ma = sa / (double)k, mp = sp / (double)k, sab = 0, saa = 0, spp = 0;
        for (long long i = 0; i < n; i++) {
            if (!isfinite(a[i]) || !isfinite(p[i]))
                continue;
            sab += (a[i] - ma) * (p[i] - mp);
            saa += (a[i] - ma) * (a[i] - ma);
            spp += (p[i] - mp) * (p[i] - mp);
        }
        if (saa > 0 && spp > 0)
            out->r = sab / sqrt(saa * spp);
    }
    out->mae = k ? sae / (double)k : NAN;
    out->rmse = k ? sqrt(sse / (double)k) : NAN;
    out->mape = kp ? sape / (double)kp : NAN;
    out->smape = ks ? ssape / (double)ks : NAN;
    out->mase = k && scale > 0 ? out->mae / scale : NAN;
    out->maxrel = maxrel;
}
