/*
 * summary.c: per-column and per-group summaries of frames (summary.h).
 *
 * Numbers go through prep_stats (count, mean, sd, min, max, quantiles);
 * this file adds the histogram, a hash set for distinct numbers, the
 * counts and top values of text, the grouping of rows, and the profile
 * table built from them. An untyped column whose values are all numbers
 * is read through a "number view": its levels parsed once, each row's
 * code mapped to its level's number.
 */
#include "prep/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/tick.h"
#include "prep/groups.h"
#include "prep/prep.h"

#include "base/banned.h"

/* n zeroed elements of size bytes; NULL with err set when out of memory. */
static void *
zalloc(size_t n, size_t size, const char *what, struct qerr *err)
{
    return mem_calloc(n, size, "summary", what, err);
}

/* --- levels ------------------------------------------------------------------- */

/* The number a level's whole text holds (decimal, finite), or NaN. */
static double
level_number(const char *s)
{
    char *end;
    if (!s || !*s || strpbrk(s, "xX")) /* no hexadecimal: SQLite stores none as a number */
        return NAN;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || end == s || !isfinite(v))
        return NAN;
    return v;
}

/*
 * The numbers of column j's levels (NaN for text) when the column is
 * untyped, where numbers sort before text; NULL for other columns, or
 * with err set when out of memory or t stops it (a parse per level:
 * millions of them take a while).
 */
static double *
level_numbers(const struct frame *f, int j, struct tick *t, struct qerr *err)
{
    if (f->kind[j] != FRAME_TEXT || f->decl[j] != CATALOG_OTHER)
        return NULL;
    double *num = zalloc((size_t)f->n_levels[j], sizeof(double), "level values", err);
    for (int l = 0; num && l < f->n_levels[j]; l++) {
        if (tick_row(t, l, f->n_levels[j])) {
            free(num);
            tick_fail(err);
            return NULL;
        }
        num[l] = level_number(f->levels[j][l]);
    }
    return num;
}

/* The order of values: numbers (num, may be NULL) by value before text, text byte by byte. */
static int
value_cmp(const char *a, double na, const char *b, double nb)
{
    int a_num = !isnan(na), b_num = !isnan(nb);
    if (a_num != b_num)
        return b_num - a_num;
    if (a_num && na != nb)
        return na < nb ? -1 : 1;
    return strcmp(a, b);
}

static int
level_cmp(const struct frame *f, int j, const double *num, int a, int b)
{
    return value_cmp(f->levels[j][a], num ? num[a] : NAN, f->levels[j][b], num ? num[b] : NAN);
}

struct sorted_level {
    const char *text;
    double num;
    int code;
};

static int
cmp_sorted_level(const void *pa, const void *pb)
{
    const struct sorted_level *a = pa, *b = pb;
    return value_cmp(a->text, a->num, b->text, b->num);
}

/* summary_is_numeric, ticking t as the levels are parsed: -1 when t stops it. */
static int
is_numeric(const struct frame *f, int j, struct tick *t)
{
    if (f->kind[j] == FRAME_NUM)
        return 1;
    if (f->decl[j] != CATALOG_OTHER)
        return 0;
    for (int l = 0; l < f->n_levels[j]; l++) {
        if (tick_row(t, l, f->n_levels[j]))
            return -1;
        if (isnan(level_number(f->levels[j][l])))
            return 0;
    }
    return 1;
}

int
summary_is_numeric(const struct frame *f, int j)
{
    return is_numeric(f, j, NULL);
}

/* The numbers of column j: the frame's own, or an untyped column's text read as numbers. */
struct numview {
    const double *x;
    const unsigned char *mask;
    double *own;   /* the values read from levels */
    double *lvnum; /* the levels' numbers */
};

static int
numview_get(const struct frame *f, int j, struct numview *v, struct tick *t, struct qerr *err)
{
    memset(v, 0, sizeof *v);
    if (f->kind[j] == FRAME_NUM) {
        v->x = frame_col(f, j);
        v->mask = f->mask[j];
        return 0;
    }
    v->lvnum = level_numbers(f, j, t, err);
    v->own = zalloc((size_t)f->n_rows, sizeof(double), "column values", err);
    if (!v->lvnum || !v->own)
        return qerr_set(err, QE_NOMEM, "out of memory");
    const int32_t *code = f->code[j];
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows))
            return tick_fail(err);
        v->own[r] = code[r] >= 0 ? v->lvnum[code[r]] : NAN;
    }
    v->x = v->own;
    return 0;
}

static void
numview_release(struct numview *v)
{
    free(v->own);
    free(v->lvnum);
}

static inline int
present(const struct numview *v, long long r)
{
    return !(v->mask && v->mask[r]) && !isnan(v->x[r]);
}

/* --- one column ----------------------------------------------------------------- */

static uint64_t
mix64(uint64_t h)
{
    h ^= h >> 33; /* the finaliser of MurmurHash3 */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* Distinct numbers among the n present in v: an open-addressing hash set of their bits. */
static int
distinct_numbers(const struct numview *v, long long n_rows, long long n, long long *out,
                 struct tick *t, struct qerr *err)
{
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap *= 2;
    /* 0 marks an empty slot: zero, the one value whose bits are 0, is counted apart */
    uint64_t *slot = zalloc(cap, sizeof(uint64_t), "distinct values", err);
    if (!slot)
        return -1;
    long long k = 0;
    int zero = 0;
    for (long long r = 0; r < n_rows; r++) {
        if (tick_row(t, r, n_rows)) {
            free(slot);
            return tick_fail(err);
        }
        if (!present(v, r))
            continue;
        double x = v->x[r];
        if (x == 0) { /* 0.0 and -0.0 are one value */
            zero = 1;
            continue;
        }
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        size_t h = (size_t)mix64(bits) & (cap - 1);
        while (slot[h] && slot[h] != bits)
            h = (h + 1) & (cap - 1);
        if (!slot[h]) {
            slot[h] = bits;
            k++;
        }
    }
    free(slot);
    *out = k + zero;
    return 0;
}

/* The bin of x in SUMMARY_BINS bins of width w from lo (NaN and below: 0; the top: the last). */
static int
bin_of(double x, double lo, double w)
{
    if (isinf(x))
        return x < 0 ? 0 : SUMMARY_BINS - 1;
    double t = isfinite(x - lo) ? (x - lo) / w : x / w - lo / w; /* lo -1e308, x 1e308 */
    return t >= SUMMARY_BINS - 1 ? SUMMARY_BINS - 1 : t >= 0 ? (int)t : 0;
}

static void
col_init(struct summary_col *s, int numeric)
{
    memset(s, 0, sizeof *s);
    s->numeric = numeric;
    s->n_distinct = -1;
    s->mean = s->sd = s->min = s->max = s->q1 = s->median = s->q3 = NAN;
    s->min_level = s->max_level = -1;
}

static int
numeric_column(const struct frame *f, int j, int need, struct tick *t, struct summary_col *s,
               struct qerr *err)
{
    struct numview v;
    struct prep_stats ps;
    int rc = -1;
    if (numview_get(f, j, &v, t, err) < 0)
        goto out;
    if (prep_stats(v.x, v.mask, f->n_rows, need & SUMMARY_QUANTILES ? PREP_NEED_QUANTILES : 0,
                   t->progress, t->pctx, &ps, err) < 0)
        goto out;
    s->n = ps.n;
    s->n_nonnum = f->kind[j] == FRAME_NUM ? f->n_nonnum[j] : 0;
    s->n_missing = f->n_missing[j] - s->n_nonnum;
    s->mean = ps.mean;
    s->sd = ps.sd;
    s->min = ps.min;
    s->max = ps.max;
    s->q1 = ps.q1;
    s->median = ps.median;
    s->q3 = ps.q3;
    if (v.lvnum && s->n > 0)
        for (int l = f->n_levels[j] - 1; l >= 0; l--) {
            s->min_level = v.lvnum[l] == s->min ? l : s->min_level;
            s->max_level = v.lvnum[l] == s->max ? l : s->max_level;
        }
    if ((need & SUMMARY_DISTINCT) &&
        distinct_numbers(&v, f->n_rows, s->n, &s->n_distinct, t, err) < 0)
        goto out;
    if ((need & SUMMARY_HIST) && s->n > 0) {
        double lo = ps.fmin, hi = ps.fmax; /* the finite values; an infinity: an end bin */
        double w = isfinite(hi - lo) ? (hi - lo) / SUMMARY_BINS
                                     : hi / SUMMARY_BINS - lo / SUMMARY_BINS;
        for (long long r = 0; r < f->n_rows; r++) {
            if (tick_row(t, r, f->n_rows)) {
                tick_fail(err);
                goto out;
            }
            if (present(&v, r))
                s->hist[w > 0 && isfinite(w) ? bin_of(v.x[r], lo, w) : 0]++;
        }
    }
    rc = 0;
out:
    numview_release(&v);
    return rc;
}

/* Is level a a better top value than b: more frequent, or as frequent and sorting first? */
static int
better_top(const struct frame *f, int j, const double *num, const long long *count, int a, int b)
{
    return count[a] > count[b] || (count[a] == count[b] && level_cmp(f, j, num, a, b) < 0);
}

static int
text_column(const struct frame *f, int j, int need, struct tick *t, struct summary_col *s,
            struct qerr *err)
{
    int nl = f->n_levels[j], rc = -1;
    long long *count = zalloc((size_t)nl, sizeof(long long), "value counts", err);
    double *num = level_numbers(f, j, t, err);
    if (!count || qerr_failed(err))
        goto out;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows)) {
            tick_fail(err);
            goto out;
        }
        if (f->code[j][r] >= 0)
            count[f->code[j][r]]++;
    }
    s->n_missing = f->n_missing[j];
    s->n_distinct = 0;
    for (int l = 0; l < nl; l++) {
        if (tick_row(t, l, nl)) {
            tick_fail(err);
            goto out;
        }
        if (count[l] == 0)
            continue;
        s->n += count[l];
        s->n_distinct++;
        if (s->min_level < 0 || level_cmp(f, j, num, l, s->min_level) < 0)
            s->min_level = l;
        if (s->max_level < 0 || level_cmp(f, j, num, l, s->max_level) > 0)
            s->max_level = l;
        if (!(need & SUMMARY_TOPS))
            continue;
        /* insertion into the best SUMMARY_TOP so far, best first */
        int i = s->n_top < SUMMARY_TOP ? s->n_top++ : SUMMARY_TOP;
        while (i > 0 && better_top(f, j, num, count, l, s->top[i - 1])) {
            if (i < SUMMARY_TOP)
                s->top[i] = s->top[i - 1];
            i--;
        }
        if (i < SUMMARY_TOP)
            s->top[i] = l;
    }
    for (int i = 0; i < s->n_top; i++)
        s->top_count[i] = count[s->top[i]];
    if (!(need & SUMMARY_DISTINCT))
        s->n_distinct = -1;
    rc = 0;
out:
    free(count);
    free(num);
    return rc;
}

int
summary_column(const struct frame *f, int j, int need, int (*progress)(void *, double),
               void *pctx, struct summary_col *s, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    int numeric = is_numeric(f, j, &tk);
    col_init(s, numeric);
    if (numeric < 0)
        return tick_fail(err);
    return numeric ? numeric_column(f, j, need, &tk, s, err)
                   : text_column(f, j, need, &tk, s, err);
}

/* --- groups ----------------------------------------------------------------------- */

void
summary_groups_release(struct summary_groups *g)
{
    free(g->of_row);
    free(g->size);
    free(g->key_num);
    free((void *)g->key_text);
    memset(g, 0, sizeof *g);
}

/* The rows and sizes of n_groups groups, of_row filled by the caller; size counted here. */
static int
groups_alloc(const struct frame *f, int n_groups, int text_keys, struct summary_groups *g,
             struct qerr *err)
{
    memset(g, 0, sizeof *g);
    g->n_groups = n_groups;
    g->of_row = zalloc((size_t)f->n_rows, sizeof(int32_t), "group ids", err);
    g->size = zalloc((size_t)n_groups, sizeof(long long), "group sizes", err);
    if (text_keys)
        g->key_text = zalloc((size_t)n_groups, sizeof(char *), "group keys", err);
    else
        g->key_num = zalloc((size_t)n_groups, sizeof(double), "group keys", err);
    if (qerr_failed(err)) {
        summary_groups_release(g);
        return -1;
    }
    return 0;
}

static void
groups_count(const struct frame *f, struct summary_groups *g)
{
    for (long long r = 0; r < f->n_rows; r++)
        if (g->of_row[r] >= 0) {
            g->size[g->of_row[r]]++;
            g->n++;
        }
}

/* An untyped key holding only numbers: the keys as numbers, INTEGER when all are whole. */
static int
keys_as_numbers(struct summary_groups *g, struct qerr *err)
{
    double *num = zalloc((size_t)g->n_groups, sizeof(double), "group keys", err);
    if (!num)
        return -1;
    int whole = 1;
    for (int i = 0; i < g->n_groups; i++) {
        num[i] = g->key_text[i] ? level_number(g->key_text[i]) : NAN;
        whole &= isnan(num[i]) || (num[i] == floor(num[i]) && fabs(num[i]) < 9e15);
    }
    free((void *)g->key_text);
    g->key_text = NULL;
    g->key_num = num;
    g->key_decl = whole ? CATALOG_INTEGER : CATALOG_REAL;
    return 0;
}

int
summary_groups_by(const struct frame *f, int by, int (*progress)(void *, double), void *pctx,
                  struct summary_groups *g, struct qerr *err)
{
    struct groups gr;
    struct sorted_level *order = NULL;
    int32_t *rank = NULL;
    int rc = -1;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (groups_init(&gr, f, by, progress, pctx, err) < 0)
        return -1;
    int has_null = gr.n_missing > 0, ng = gr.n_groups;
    if (groups_alloc(f, ng + has_null, gr.is_text, g, err) < 0)
        goto out;
    g->key_decl = f->decl[by];
    order = zalloc((size_t)ng, sizeof(*order), "group keys", err);
    rank = zalloc((size_t)ng, sizeof(int32_t), "group keys", err);
    if (!order || !rank)
        goto out;
    /* groups.c sorts text byte by byte; an untyped column puts its numbers first */
    for (int i = 0; i < ng; i++) {
        const char *t = gr.is_text ? gr.key_text[i] : NULL;
        order[i] = (struct sorted_level){t, t && g->key_decl == CATALOG_OTHER ? level_number(t)
                                                                                : NAN, i};
    }
    if (gr.is_text &&
        tick_sort(order, (size_t)ng, sizeof(*order), cmp_sorted_level, &tk, "summary", err) < 0)
        goto out;
    for (int i = 0; i < ng; i++)
        rank[order[i].code] = i + has_null;
    if (has_null) {
        if (g->key_num)
            g->key_num[0] = NAN;
        else
            g->key_text[0] = NULL;
    }
    for (int i = 0; i < ng; i++) {
        if (gr.is_text)
            g->key_text[rank[i]] = gr.key_text[i];
        else
            g->key_num[rank[i]] = gr.key_num[i];
    }
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(&tk, r, f->n_rows)) {
            tick_fail(err);
            goto out;
        }
        g->of_row[r] = gr.id[r] < 0 ? 0 : rank[gr.id[r]];
    }
    groups_count(f, g);
    int numeric = gr.is_text ? is_numeric(f, by, &tk) : 0;
    if (numeric < 0) {
        tick_fail(err);
        goto out;
    }
    if (numeric && keys_as_numbers(g, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        summary_groups_release(g);
    free(order);
    free(rank);
    groups_release(&gr);
    return rc;
}

int
summary_groups_labels(const struct frame *f, const long long *rows, long long n,
                      const int32_t *labels, int k, struct summary_groups *g, struct qerr *err)
{
    int noise = 0;
    for (long long i = 0; i < n; i++)
        noise |= labels[i] < 0;
    if (groups_alloc(f, k + noise, 0, g, err) < 0)
        return -1;
    g->key_decl = CATALOG_INTEGER;
    for (int i = 0; i < k + noise; i++)
        g->key_num[i] = i - noise;
    for (long long r = 0; r < f->n_rows; r++)
        g->of_row[r] = -1;
    for (long long i = 0; i < n; i++)
        g->of_row[rows ? rows[i] : i] = labels[i] + noise;
    groups_count(f, g);
    return 0;
}

/* --- per group ---------------------------------------------------------------------- */

/* Mean and sd per group, as prep_stats: shifted, corrected two-pass sums, scaled past 2^500. */
static int
numeric_by_group(const struct frame *f, int j, const struct summary_groups *g, struct tick *t,
                 struct summary_col *out, struct qerr *err)
{
    struct numview v;
    int ng = g->n_groups, rc = -1;
    double *shift = zalloc((size_t)ng, sizeof(double), "group sums", err);
    double *sum = zalloc((size_t)ng, sizeof(double), "group sums", err);
    double *dev = zalloc((size_t)ng, sizeof(double), "group sums", err);
    long long *inf = zalloc((size_t)ng * 2, sizeof(long long), "group sums", err);
    if (numview_get(f, j, &v, t, err) < 0 || qerr_failed(err))
        goto out;
    double big = 0;
    for (long long r = 0; r < f->n_rows; r++)
        if (g->of_row[r] >= 0 && present(&v, r) && isfinite(v.x[r]) && fabs(v.x[r]) > big)
            big = fabs(v.x[r]);
    int e = prep_unit_exp(big);
    double sc = ldexp(1.0, -e);
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, 2 * f->n_rows))
            goto cancel;
        int gi = g->of_row[r];
        if (gi < 0 || !present(&v, r))
            continue;
        double x = v.x[r];
        struct summary_col *s = &out[gi];
        s->min = s->n == 0 || x < s->min ? x : s->min;
        s->max = s->n++ == 0 || x > s->max ? x : s->max;
        if (isinf(x) && ++inf[2 * gi + (x > 0)])
            continue;
        x *= sc;
        if (s->n - inf[2 * gi] - inf[2 * gi + 1] == 1)
            shift[gi] = x;
        sum[gi] += x - shift[gi];
    }
    for (int gi = 0; gi < ng; gi++) {
        long long nf = out[gi].n - inf[2 * gi] - inf[2 * gi + 1];
        out[gi].n_missing = g->size[gi] - out[gi].n;
        if (nf > 0)
            out[gi].mean = shift[gi] + sum[gi] / (double)nf; /* in units of 2^e till below */
        sum[gi] = 0; /* now the sum of squared deviations */
    }
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, f->n_rows + r, 2 * f->n_rows))
            goto cancel;
        int gi = g->of_row[r];
        if (gi < 0 || !present(&v, r) || isinf(v.x[r]))
            continue;
        double d = v.x[r] * sc - out[gi].mean;
        sum[gi] += d * d;
        dev[gi] += d;
    }
    for (int gi = 0; gi < ng; gi++) {
        long long ninf = inf[2 * gi], pinf = inf[2 * gi + 1];
        double m = (double)(out[gi].n - ninf - pinf);
        if (out[gi].n > 1 && !ninf && !pinf) {
            double var = (sum[gi] - dev[gi] * dev[gi] / m) / (m - 1);
            out[gi].sd = ldexp(sqrt(var > 0 ? var : 0), e);
        }
        if (out[gi].n > 0)
            out[gi].mean = ninf && pinf ? NAN : pinf ? INFINITY : ninf ? -INFINITY
                                                                     : ldexp(out[gi].mean, e);
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    numview_release(&v);
    free(shift);
    free(sum);
    free(dev);
    free(inf);
    return rc;
}

static int
cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/*
 * The most frequent value per group: the (group, rank of the value)
 * pairs sorted, then counted run by run; within a group runs come in value
 * order, so a strictly larger count is needed to displace an earlier one.
 */
static int
text_by_group(const struct frame *f, int j, const struct summary_groups *g, struct tick *t,
              struct summary_col *out, struct qerr *err)
{
    int nl = f->n_levels[j], rc = -1;
    long long m = 0;
    const int32_t *code = f->code[j];
    struct sorted_level *order = zalloc((size_t)nl, sizeof(*order), "values", err);
    int32_t *rank = zalloc((size_t)nl, sizeof(int32_t), "values", err);
    uint64_t *key = zalloc((size_t)f->n_rows, sizeof(uint64_t), "values", err);
    double *num = key ? level_numbers(f, j, t, err) : NULL;
    if (!order || !rank || !key || qerr_failed(err))
        goto out;
    for (int l = 0; l < nl; l++)
        order[l] = (struct sorted_level){f->levels[j][l], num ? num[l] : NAN, l};
    if (tick_sort(order, (size_t)nl, sizeof(*order), cmp_sorted_level, t, "summary", err) < 0)
        goto out;
    for (int l = 0; l < nl; l++)
        rank[order[l].code] = l;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows)) {
            tick_fail(err);
            goto out;
        }
        int gi = g->of_row[r];
        if (gi >= 0 && code[r] >= 0)
            key[m++] = (uint64_t)gi << 32 | (uint32_t)rank[code[r]];
    }
    if (tick_sort(key, (size_t)m, sizeof(uint64_t), cmp_u64, t, "summary", err) < 0)
        goto out;
    for (long long i = 0; i < m;) {
        long long e = i;
        while (e < m && key[e] == key[i])
            e++;
        struct summary_col *s = &out[key[i] >> 32];
        if (s->n_top == 0 || e - i > s->top_count[0]) {
            s->n_top = 1;
            s->top[0] = order[key[i] & 0xffffffffu].code;
            s->top_count[0] = e - i;
        }
        s->n += e - i;
        i = e;
    }
    for (int gi = 0; gi < g->n_groups; gi++)
        out[gi].n_missing = g->size[gi] - out[gi].n;
    rc = 0;
out:
    free(order);
    free(rank);
    free(key);
    free(num);
    return rc;
}

/* summary_by_group with t; *numeric says how column j was summarised. */
static int
by_group(const struct frame *f, int j, const struct summary_groups *g, struct tick *t,
         struct summary_col *out, int *numeric, struct qerr *err)
{
    if ((*numeric = is_numeric(f, j, t)) < 0)
        return tick_fail(err);
    for (int gi = 0; gi < g->n_groups; gi++)
        col_init(&out[gi], *numeric);
    return *numeric ? numeric_by_group(f, j, g, t, out, err)
                    : text_by_group(f, j, g, t, out, err);
}

int
summary_by_group(const struct frame *f, int j, const struct summary_groups *g,
                 int (*progress)(void *, double), void *pctx, struct summary_col *out,
                 struct qerr *err)
{
    struct tick tk;
    int numeric;
    tick_init(&tk, progress, pctx);
    return by_group(f, j, g, &tk, out, &numeric, err);
}

/* --- the profile table ------------------------------------------------------------- */

double
summary_round(double v)
{
    char tmp[64];
    if (!isfinite(v) || fabs(v) >= 1e15) /* no decimals left to round */
        return v;
    if (fabs(v) >= 100) /* six significant digits would keep fewer than four decimals */
        return round(v * 1e4) / 1e4;
    snprintf(tmp, sizeof tmp, "%.6g", v);
    return strtod(tmp, NULL);
}

void
summary_table_release(struct summary_table *t)
{
    for (int c = 0; c < t->n_cols; c++) {
        free(t->names ? t->names[c] : NULL);
        free(t->num ? t->num[c] : NULL);
        free(t->text ? (void *)t->text[c] : NULL);
    }
    free(t->names);
    free(t->num);
    free(t->text);
    free(t->cols);
    memset(t, 0, sizeof *t);
}

/* Add a column named prefix + suffix: numbers (REAL unless decl says) or text. */
static int
add_col(struct summary_table *t, const char *prefix, const char *suffix, enum catalog_kind decl,
        int text, struct qerr *err)
{
    int c = t->n_cols++;
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s%s", prefix, suffix);
    t->names[c] = buf_detach(&b);
    if (text)
        t->text[c] = zalloc((size_t)t->n_rows, sizeof(char *), "a profile column", err);
    else
        t->num[c] = zalloc((size_t)t->n_rows, sizeof(double), "a profile column", err);
    if (qerr_failed(err))
        return -1;
    t->cols[c] = (struct frame_out){.name = t->names[c], .decl = decl, .num = t->num[c],
                                    .text = t->text[c]};
    return c;
}

int
summary_profile(const struct frame *f, const struct summary_groups *g, const char *key,
                const int *cols, int n_cols, const double *centres,
                int (*progress)(void *, double), void *pctx, struct summary_table *t,
                struct qerr *err)
{
    int ng = g->n_groups, max_cols = 3 + 3 * n_cols, rc = -1;
    struct summary_col *per = zalloc((size_t)ng, sizeof(*per), "a profile", err);
    struct tick tk;
    tick_init(&tk, progress, pctx);
    memset(t, 0, sizeof *t);
    t->n_rows = ng;
    t->cols = zalloc((size_t)max_cols, sizeof(*t->cols), "a profile", err);
    t->names = zalloc((size_t)max_cols, sizeof(char *), "a profile", err);
    t->num = zalloc((size_t)max_cols, sizeof(double *), "a profile", err);
    t->text = zalloc((size_t)max_cols, sizeof(char **), "a profile", err);
    if (qerr_failed(err))
        goto out;
    /* the key column borrows g's keys */
    t->names[0] = xstrdup(key);
    t->cols[0] = (struct frame_out){.name = t->names[0], .decl = g->key_decl,
                                    .num = g->key_num, .text = g->key_text};
    t->n_cols = 1;
    int size = add_col(t, "size", "", CATALOG_INTEGER, 0, err);
    int share = size < 0 ? -1 : add_col(t, "share", "", CATALOG_REAL, 0, err);
    if (share < 0)
        goto out;
    for (int gi = 0; gi < ng; gi++) {
        t->num[size][gi] = (double)g->size[gi];
        t->num[share][gi] = g->n ? round((double)g->size[gi] / (double)g->n * 1e4) / 1e4 : 0;
    }
    for (int c = 0; c < n_cols; c++) {
        int j = cols[c];
        const char *name = f->names[j];
        int numeric;
        if (by_group(f, j, g, &tk, per, &numeric, err) < 0)
            goto out;
        if (!numeric) {
            int top = add_col(t, name, "_top", f->decl[j], 1, err);
            if (top < 0)
                goto out;
            for (int gi = 0; gi < ng; gi++)
                t->text[top][gi] = per[gi].n_top ? f->levels[j][per[gi].top[0]] : NULL;
            continue;
        }
        int centre = centres ? add_col(t, name, "_centre", CATALOG_REAL, 0, err) : 0;
        int mean = centre < 0 ? -1 : add_col(t, name, "_mean", CATALOG_REAL, 0, err);
        int sd = mean < 0 ? -1 : add_col(t, name, "_sd", CATALOG_REAL, 0, err);
        if (sd < 0)
            goto out;
        for (int gi = 0; gi < ng; gi++) {
            if (centres)
                t->num[centre][gi] = summary_round(centres[(long long)gi * n_cols + c]);
            t->num[mean][gi] = summary_round(per[gi].mean);
            t->num[sd][gi] = summary_round(per[gi].sd);
        }
    }
    rc = 0;
out:
    if (rc < 0)
        summary_table_release(t);
    free(per);
    return rc;
}
