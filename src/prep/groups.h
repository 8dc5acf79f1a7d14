/*
 * groups.h: rows grouped by the values of one key column of a frame (a
 * customer, a user, a segment), for the per-group preprocessing commands
 * (rfm, series, sessions).
 *
 * Groups are numbered 0 .. n_groups-1 in ascending key order (numbers
 * numerically, text by byte order), so results come out sorted by key.
 * Rows whose key is missing get id -1.
 */
#ifndef QUARRY_GROUPS_H
#define QUARRY_GROUPS_H

#include <stdint.h>

#include "data/frame.h"
#include "base/qerr.h"
#include "base/tick.h"

struct groups {
    long long n_rows;
    int32_t *id;         /* n_rows group ids, -1 = missing key */
    long long n_missing; /* rows with id -1 */
    int n_groups;
    int is_text;         /* keys are text (key_text) or numbers (key_num) */
    double *key_num;     /* n_groups keys, ascending, when !is_text */
    const char **key_text; /* n_groups keys, ascending, borrowed from the frame's levels */
};

/*
 * Group the rows of frame f by column col. The group keys of a text
 * column borrow the frame's level strings: keep f until groups_release.
 * Reports to progress(pctx, fraction) by the clock (tick.h; NULL: no
 * reports). Fails (QE_NOMEM) beyond 2^31-1 groups, or when the per-row
 * ids or the keys do not fit in memory, QE_INTERRUPT when progress
 * cancels (g is then empty).
 */
int groups_init(struct groups *g, const struct frame *f, int col,
                int (*progress)(void *, double), void *pctx, struct qerr *err);
void groups_release(struct groups *g);

/*
 * Describe the keys of groups ids[0..n-1] as a result column `name` for
 * frame_write_new: text keys as TEXT, numbers with the declared kind
 * decl (CATALOG_INTEGER or CATALOG_REAL). The values live in *store,
 * allocated here; the caller frees it after writing (NULL on failure).
 * Fails (QE_NOMEM) when the n keys do not fit in memory.
 */
int groups_out(const struct groups *g, const int32_t *ids, long long n, const char *name,
               enum catalog_kind decl, struct frame_out *out, void **store, struct qerr *err);

/*
 * The n levels of a text column in byte order, as scikit-learn's encoders
 * order categories: order[i] is the level at sorted position i and
 * rank[l] the sorted position of level l (n slots each). The sort ticks
 * t (tick.h; NULL: never cancels). Fails with QE_NOMEM, or QE_INTERRUPT
 * when t cancels.
 */
int groups_level_order(char *const *levels, int n, int *order, int *rank, struct tick *t,
                       struct qerr *err);

#endif
