/*
 * cluster_scale.c: the power-of-two unit of the clustering modules (see
 * cluster_scale.h).
 */
#include "cluster/cluster_scale.h"

#include <math.h>

#include "base/banned.h"

int
cluster_scale_exp(const double *x, long long n, int d, long long ld, const int32_t *labels,
                  const char *what, int *e, struct qerr *err)
{
    double mx = 0;
    *e = 0;
    for (int q = 0; q < d; q++) {
        const double *xq = x + (long long)q * ld;
        for (long long i = 0; i < n; i++) {
            if (labels && labels[i] < 0)
                continue;
            double v = fabs(xq[i]);
            if (!isfinite(v)) {
                qerr_set(err, QE_DATA, "%s needs finite values, and row %lld of column %d is %g",
                         what, i + 1, q + 1, xq[i]);
                qerr_hint(err, "leave such rows out first (a table or view without them)");
                return -1;
            }
            mx = v > mx ? v : mx;
        }
    }
    if (mx > CLUSTER_SCALE_HI || (mx > 0 && mx < CLUSTER_SCALE_LO))
        frexp(mx, e);
    return 0;
}
