/*
 * test_hier.c: hierarchical clustering (src/cluster/cluster_hier.h) on
 * values whose squared distances overflow a double. Before the scaled
 * distances, any |value| above about 1.3e154 made every distance
 * infinite, the nearest-neighbour chain kept index -1 and hier_fit read
 * and wrote outside its arrays (issue 14).
 *
 * Planted answer: rows 0,1 near +1e200 and rows 2,3 near -1e200 (2e199
 * apart inside each pair), row 4 at 0. Cut into 3 clusters, every
 * linkage must give {0,1} {2,3} {4}, labelled 0 0 1 1 2 by first
 * appearance; the first merge is rows 0 and 1 at height 1e199 (their
 * distance, by hand: |1.1e200 - 1e200|).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cluster/cluster_hier.h"
#include "base/qerr.h"
#include "base/banned.h"

static void
test_huge_values(void)
{
    /* column-major, n = 5, d = 2, ld = 5 */
    const double x[10] = {1e200, 1.1e200, -1e200, -1.2e200, 0, 0, 0, 0, 1, 0};
    const int32_t want[5] = {0, 0, 1, 1, 2};
    for (int li = HIER_WARD; li <= HIER_SINGLE; li++) {
        struct hier_merge hm[4];
        struct qerr e;
        qerr_init(&e);
        CHECK_INT(hier_fit(x, 5, 2, 5, (enum hier_linkage)li, hm, NULL, NULL, &e), 0);
        qerr_clear(&e);
        for (int m = 0; m < 4; m++)
            CHECK(isfinite(hm[m].height));
        CHECK_INT(hm[0].a, 0);
        CHECK_INT(hm[0].b, 1);
        CHECK_NEAR(hm[0].height / 1e199, 1.0, 1e-12);
        int32_t lab[5];
        CHECK_INT(hier_cut(hm, 5, 3, lab, NULL, &e), 0);
        for (int i = 0; i < 5; i++)
            CHECK_INT(lab[i], want[i]);
    }
}

static void
test_beyond_dbl_max(void)
{
    /* 1e308 - (-1e308) is beyond DBL_MAX: refused with QE_DATA, never merged */
    const double x[6] = {1e308, -1e308, 0, 0, 0, 1};
    for (int li = HIER_WARD; li <= HIER_SINGLE; li++) {
        struct hier_merge hm[2];
        struct qerr e;
        qerr_init(&e);
        CHECK_INT(hier_fit(x, 3, 2, 3, (enum hier_linkage)li, hm, NULL, NULL, &e), -1);
        CHECK_INT(e.code, QE_DATA);
        CHECK_HAS(e.msg, "too large");
        CHECK_HAS(e.hint, "normalize");
        qerr_clear(&e);
    }
}

int
main(void)
{
    test_huge_values();
    test_beyond_dbl_max();
    return check_done("test_hier");
}
