/*
 * test_outliers.c: finding and clipping outliers (src/prep/outliers.h)
 * against hand-computed bounds.
 *
 * Plan:
 *   1. Tukey's fences on 1..9 and 100: q1 = 3.25, q3 = 7.75 (numpy's
 *      linear quantiles at (n-1)p = 2.25 and 6.75), IQR 4.5, k = 1.5 gives
 *      [-3.5, 14.5]: only the 100 is out, above; a NULL is never out
 *   2. z-scores with k = 1 on the same column: mean 14.5, the 100 is out
 *   3. clipping: the 100 becomes 14.5 (one value moved, no longer whole)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/catalog.h"
#include "data/frame.h"
#include "prep/outliers.h"

int
main(void)
{
    struct qerr e = QERR_INIT;
    struct catalog *cat = NULL;
    struct frame *f = NULL;
    if (catalog_open(&cat, &e) < 0)
        return 1;
    catalog_exec(catalog_db(cat),
                 "CREATE TABLE t(x REAL, y REAL);"
                 "INSERT INTO t VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), "
                 "(8, 1), (9, 1), (100, 1), (NULL, 1)",
                 &e);
    CHECK_INT(frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &f, &e), 0);
    struct outliers_col b[2];
    unsigned char hit[11];
    long long n_hit = -1;
    int cols[2] = {0, 1};
    CHECK_INT(outliers_find(f, cols, 2, PREP_IQR_RULE, 1.5, NULL, NULL, b, hit, &n_hit, &e), 0);
    CHECK_NEAR(b[0].lo, -3.5, 1e-12);
    CHECK_NEAR(b[0].hi, 14.5, 1e-12);
    CHECK_INT(b[0].below, 0);
    CHECK_INT(b[0].above, 1);
    CHECK_NEAR(b[1].lo, 1, 0); /* a constant column: nothing is out */
    CHECK_INT(b[1].above + b[1].below, 0);
    CHECK_INT(n_hit, 1);
    for (int r = 0; r < 11; r++)
        CHECK_INT(hit[r], r == 9);

    /* mean 14.5, sd sqrt(sum (x - 14.5)^2 / 9): only 100 lies beyond one sd */
    CHECK_INT(outliers_find(f, cols, 1, PREP_ZSCORE_RULE, 1, NULL, NULL, b, hit, &n_hit, &e), 0);
    double ss = 0;
    for (int v = 1; v <= 9; v++)
        ss += (v - 14.5) * (v - 14.5);
    ss += 85.5 * 85.5;
    CHECK_NEAR(b[0].hi, 14.5 + sqrt(ss / 9), 1e-9);
    CHECK_INT(n_hit, 1);

    CHECK_INT(outliers_find(f, cols, 1, PREP_IQR_RULE, 1.5, NULL, NULL, b, hit, &n_hit, &e), 0);
    double y[11];
    int whole = -1;
    CHECK_INT(outliers_clip(frame_col(f, 0), 11, &b[0], y, &whole), 1);
    CHECK_NEAR(y[9], 14.5, 0);
    CHECK_NEAR(y[3], 4, 0);
    CHECK(isnan(y[10]));
    CHECK_INT(whole, 0);
    frame_release(f);
    catalog_free(cat);
    return check_done("test_outliers");
}
