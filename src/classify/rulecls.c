/*
 * rulecls.c: class association rules as a classifier (rulecls.h): the
 * items of each row, the rules mined from them by rules/fim.h, their
 * order, database coverage and the first match.
 */
#include "classify/rulecls.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "rules/fim.h"
#include "rules/fim_db.h"

#include "base/banned.h"

const struct store_kind rulecls_kind = {.name = "rules", .is_transform = 0, .version = 1,
                                        .min_version = 1};

struct rc_model {
    int k;
    size_t p;
    double minsup, minconf;
    int bins, maxlen;
    long long n_train, n_candidates, minsup_count;
    int *ncut;          /* p: -1 a 0/1 feature (one item), else its cuts (ncut + 1 items) */
    long long *cut_off; /* p + 1 offsets into cuts */
    double *cuts;
    int *base;          /* p + 1: the first item of each feature */
    int n_items;
    long long n_rules;
    long long *roff;    /* n_rules + 1 offsets into ritems */
    int32_t *ritems;    /* each rule's items, ascending */
    int *rclass;
    long long *rcount;  /* n(X u c) */
    long long *rante;   /* n(X) */
    int def;
    double *defp;       /* k: the class shares of the uncovered training rows */
    long long n_uncovered;
};

static void
rc_release(void *model)
{
    struct rc_model *m = model;
    if (!m)
        return;
    free(m->ncut);
    free(m->cut_off);
    free(m->cuts);
    free(m->base);
    free(m->roff);
    free(m->ritems);
    free(m->rclass);
    free(m->rcount);
    free(m->rante);
    free(m->defp);
    free(m);
}

/* The feature arrays of m for p features and total cuts; base is set by rc_items. */
static struct rc_model *
rc_alloc(int k, size_t p, long long total_cuts, struct qerr *err)
{
    struct rc_model *m = mem_calloc(1, sizeof *m, "rules", "model", err);
    if (!m)
        return NULL;
    m->k = k;
    m->p = p;
    m->ncut = mem_calloc(p + 1, sizeof *m->ncut, "rules", "model", err);
    m->cut_off = mem_calloc(p + 1, sizeof *m->cut_off, "rules", "model", err);
    m->cuts = mem_calloc((size_t)total_cuts + 1, sizeof *m->cuts, "rules", "model", err);
    m->base = mem_calloc(p + 1, sizeof *m->base, "rules", "model", err);
    m->defp = mem_calloc((size_t)k, sizeof *m->defp, "rules", "model", err);
    if (!m->ncut || !m->cut_off || !m->cuts || !m->base || !m->defp) {
        rc_release(m);
        return NULL;
    }
    return m;
}

/* Room for n rules holding total items. */
static int
rc_rules_alloc(struct rc_model *m, long long n, long long total, struct qerr *err)
{
    m->roff = mem_calloc((size_t)n + 1, sizeof *m->roff, "rules", "rules", err);
    m->ritems = mem_calloc((size_t)total + 1, sizeof *m->ritems, "rules", "rules", err);
    m->rclass = mem_calloc((size_t)n + 1, sizeof *m->rclass, "rules", "rules", err);
    m->rcount = mem_calloc((size_t)n + 1, sizeof *m->rcount, "rules", "rules", err);
    m->rante = mem_calloc((size_t)n + 1, sizeof *m->rante, "rules", "rules", err);
    return m->roff && m->ritems && m->rclass && m->rcount && m->rante ? 0 : -1;
}

/* The items of each feature from ncut: base[], n_items. */
static void
rc_items(struct rc_model *m)
{
    int it = 0;
    for (size_t j = 0; j < m->p; j++) {
        m->base[j] = it;
        it += m->ncut[j] < 0 ? 1 : m->ncut[j] + 1;
    }
    m->base[m->p] = it;
    m->n_items = it;
}

/* The items a row holds, ascending, into out (room for p); returns how many. */
static int
row_items(const struct rc_model *m, const double *x, int32_t *out)
{
    int n = 0;
    for (size_t j = 0; j < m->p; j++) {
        double v = x[j];
        if (isnan(v))
            continue;
        if (m->ncut[j] < 0) {
            if (v != 0)
                out[n++] = m->base[j];
            continue;
        }
        const double *c = m->cuts + m->cut_off[j];
        int b = 0;
        while (b < m->ncut[j] && v >= c[b])
            b++;
        out[n++] = m->base[j] + b;
    }
    return n;
}

/* Does the sorted row (n items) hold every item of the sorted a (k items)? */
static int
holds(const int32_t *row, int n, const int32_t *a, int k)
{
    int i = 0;
    for (int t = 0; t < k; t++) {
        while (i < n && row[i] < a[t])
            i++;
        if (i == n || row[i] != a[t])
            return 0;
        i++;
    }
    return 1;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Feature j's kind and cuts from the training rows (into m: ncut, and cuts at *off). */
static int
discretise(struct rc_model *m, const struct cls_data *d, size_t j, double *vals,
           long long *off)
{
    size_t nv = 0;
    int binary = 1;
    for (size_t i = 0; i < d->n; i++) {
        double v = d->x[i * d->p + j];
        if (isnan(v))
            continue;
        binary &= v == 0 || v == 1;
        vals[nv++] = v;
    }
    m->cut_off[j] = *off;
    if (binary) {
        m->ncut[j] = -1;
        return 0;
    }
    qsort(vals, nv, sizeof *vals, cmp_double);
    int nc = 0;
    double *c = m->cuts + *off;
    for (int b = 1; b < m->bins; b++) {
        double v = vals[(size_t)b * nv / (size_t)m->bins];
        if (v > vals[0] && (nc == 0 || v > c[nc - 1]))
            c[nc++] = v;
    }
    m->ncut[j] = nc;
    *off += nc;
    return 0;
}

/* A class rule found among the itemsets. */
struct cand {
    long long set, count, ante;
    int size, klass;
};

static int
cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    /* confidence descending, exactly: x.count / x.ante against y.count / y.ante */
    double l = (double)x->count * (double)y->ante, r = (double)y->count * (double)x->ante;
    if (l != r)
        return l > r ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return (x->set > y->set) - (x->set < y->set);
}

/* Each training row as a transaction: its items, then its class as item n_items + y. */
static int
build_db(const struct rc_model *m, const struct cls_data *d, struct fim_db *db,
         struct qerr *err)
{
    int all = m->n_items + m->k;
    db->n_items = all;
    db->n_trans = (long long)d->n;
    db->names = mem_calloc((size_t)all, sizeof *db->names, "rules", "items", err);
    db->off = mem_alloc(d->n + 1, sizeof *db->off, "rules", "items", err);
    db->items = mem_alloc(d->n * (m->p + 1) + 1, sizeof *db->items, "rules", "items", err);
    if (!db->names || !db->off || !db->items)
        return -1;
    /* names in byte order as codes go: digits for the features, '~' after them for classes */
    for (int i = 0; i < all; i++) {
        char nm[24];
        if (i < m->n_items)
            snprintf(nm, sizeof nm, "%09d", i);
        else
            snprintf(nm, sizeof nm, "~%09d", i - m->n_items);
        db->names[i] = strdup(nm);
        if (!db->names[i])
            return qerr_set(err, QE_NOMEM, "out of memory");
    }
    long long w = 0;
    db->off[0] = 0;
    for (size_t i = 0; i < d->n; i++) {
        w += row_items(m, d->x + i * d->p, db->items + w);
        db->items[w++] = m->n_items + d->y[i];
        db->off[i + 1] = w;
    }
    return 0;
}

/* The class rules of s with confidence >= minconf, in order, into *out. */
static int
class_rules(const struct rc_model *m, const struct fim_sets *s, struct cand **out,
            long long *n_out, struct qerr *err)
{
    struct fim_index ix = {0};
    *out = NULL;
    *n_out = 0;
    if (fim_index_init(&ix, s, err) < 0)
        return -1;
    long long n = 0;
    struct cand *c = mem_alloc((size_t)s->n + 1, sizeof *c, "rules", "class rules", err);
    if (!c) {
        fim_index_release(&ix);
        return -1;
    }
    for (long long i = 0; i < s->n; i++) {
        int k = fim_size(s, i);
        const int32_t *it = s->items + s->off[i];
        if (k < 2 || it[k - 1] < m->n_items)
            continue;
        long long a = fim_index_find(&ix, it, k - 1);
        if (a < 0)
            continue;
        if ((double)s->count[i] < m->minconf * (double)s->count[a] * (1 - 1e-12))
            continue;
        c[n++] = (struct cand){.set = i, .count = s->count[i], .ante = s->count[a],
                               .size = k - 1, .klass = it[k - 1] - m->n_items};
    }
    fim_index_release(&ix);
    qsort(c, (size_t)n, sizeof *c, cmp_cand);
    *out = c;
    *n_out = n;
    return 0;
}

/*
 * Database coverage: keep a candidate that matches an uncovered row and
 * classifies one rightly, then cover its rows; the default class from
 * the rows left. Fills m's rules.
 */
static int
coverage(struct rc_model *m, const struct fim_db *db, const int *y, const struct fim_sets *s,
         const struct cand *c, long long nc, struct tick *t, struct qerr *err)
{
    long long n = db->n_trans, left = n, kept = 0, total = 0, rc = -1;
    long long *rows = mem_alloc((size_t)n + 1, sizeof *rows, "rules", "coverage", err);
    unsigned char *keep = mem_calloc((size_t)nc + 1, 1, "rules", "coverage", err);
    if (!rows || !keep)
        goto out;
    for (long long i = 0; i < n; i++)
        rows[i] = i;
    for (long long r = 0; r < nc && left > 0; r++) {
        if (tick(t, (double)r / (double)nc))
            goto fail;
        const int32_t *a = s->items + s->off[c[r].set];
        long long right = 0, matched = 0;
        for (long long q = 0; q < left; q++) {
            long long i = rows[q];
            /* the row's items less its class, the last */
            int len = (int)(db->off[i + 1] - db->off[i]) - 1;
            if (holds(db->items + db->off[i], len, a, c[r].size)) {
                matched++;
                right += y[i] == c[r].klass;
            }
        }
        if (!right)
            continue;
        keep[r] = 1;
        kept++;
        total += c[r].size;
        long long w = 0;
        for (long long q = 0; q < left; q++) {
            long long i = rows[q];
            int len = (int)(db->off[i + 1] - db->off[i]) - 1;
            if (!holds(db->items + db->off[i], len, a, c[r].size))
                rows[w++] = i;
        }
        left = w;
    }
    if (rc_rules_alloc(m, kept, total, err) < 0)
        goto out;
    m->n_rules = kept;
    long long q = 0, w = 0;
    for (long long r = 0; r < nc; r++) {
        if (!keep[r])
            continue;
        memcpy(m->ritems + w, s->items + s->off[c[r].set], (size_t)c[r].size * sizeof *m->ritems);
        w += c[r].size;
        m->roff[q + 1] = w;
        m->rclass[q] = c[r].klass;
        m->rcount[q] = c[r].count;
        m->rante[q] = c[r].ante;
        q++;
    }
    /* the default: the majority of the rows left, or of all rows */
    m->n_uncovered = left;
    long long base = left ? left : n;
    for (long long q2 = 0; q2 < base; q2++)
        m->defp[y[left ? rows[q2] : q2]] += 1;
    m->def = 0;
    for (int k = 0; k < m->k; k++) {
        if (m->defp[k] > m->defp[m->def])
            m->def = k;
    }
    for (int k = 0; k < m->k; k++)
        m->defp[k] = base ? m->defp[k] / (double)base : 1.0 / m->k;
    rc = 0;
    goto out;
fail:
    tick_fail(err);
out:
    free(rows);
    free(keep);
    return (int)rc;
}

static int
rc_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
       struct qerr *err)
{
    *model = NULL;
    int rc = -1;
    struct fim_db db = {0};
    struct fim_sets sets = {0};
    struct cand *cands = NULL;
    long long n_cands = 0, total = 0, off = 0;
    double *vals = mem_alloc(d->n + 1, sizeof *vals, "rules", "features", err);
    struct rc_model *m = NULL;
    if (!vals)
        return -1;
    int bins = o->bins > 0 ? o->bins : RULECLS_BINS;
    total = (long long)d->p * (bins - 1);
    m = rc_alloc(d->nclass, d->p, total, err);
    if (!m)
        goto out;
    m->bins = bins;
    m->minsup = o->minsup > 0 ? o->minsup : RULECLS_MINSUP;
    m->minconf = o->minconf > 0 ? o->minconf : RULECLS_MINCONF;
    m->maxlen = o->maxlen > 0 ? o->maxlen : RULECLS_MAXLEN;
    m->n_train = (long long)d->n;
    for (size_t j = 0; j < d->p; j++)
        discretise(m, d, j, vals, &off);
    m->cut_off[d->p] = off;
    rc_items(m);
    if (build_db(m, d, &db, err) < 0)
        goto out;
    long long ms = m->minsup < 1 ? (long long)ceil(m->minsup * (double)d->n - 1e-9)
                                 : (long long)m->minsup;
    m->minsup_count = ms < 1 ? 1 : ms;
    struct fim_opts fo = {.method = FIM_FPGROWTH, .minsup = m->minsup_count,
                          .maxlen = m->maxlen, .limit = FIM_LIMIT, .tick = t};
    if (fim_mine(&db, &fo, &sets, err) < 0) {
        if (err->code == QE_ARG)
            qerr_hint(err, "raise minsup (%g now), lower maxlen (%d now) or bins (%d now)",
                      m->minsup, m->maxlen, m->bins);
        goto out;
    }
    if (class_rules(m, &sets, &cands, &n_cands, err) < 0 ||
        coverage(m, &db, d->y, &sets, cands, n_cands, t, err) < 0)
        goto out;
    m->n_candidates = n_cands;
    *model = m;
    m = NULL;
    rc = 0;
out:
    rc_release(m);
    free(vals);
    free(cands);
    fim_sets_release(&sets);
    fim_db_release(&db);
    return rc;
}

/* The first kept rule the row holds, or -1. */
static long long
first_match(const struct rc_model *m, const int32_t *items, int n)
{
    for (long long r = 0; r < m->n_rules; r++)
        if (holds(items, n, m->ritems + m->roff[r], (int)(m->roff[r + 1] - m->roff[r])))
            return r;
    return -1;
}

/* The probabilities of rule r's match (or the default's, r -1) into out. */
static void
rule_proba(const struct rc_model *m, long long r, double *out)
{
    int k = m->k;
    if (r < 0) {
        memcpy(out, m->defp, (size_t)k * sizeof *out);
        return;
    }
    double conf = (double)m->rcount[r] / (double)m->rante[r];
    if (k == 1) {
        out[0] = 1;
        return;
    }
    if (conf * (k - 1) <= 1 - conf)
        conf = 1.0 / k + 1e-6;
    for (int c = 0; c < k; c++)
        out[c] = c == m->rclass[r] ? conf : (1 - conf) / (k - 1);
}

static int
rc_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct rc_model *m = model;
    if (d->p != m->p)
        return qerr_set(err, QE_ARG, "rules model: %zu features given, %zu expected", d->p, m->p);
    int32_t *items = mem_alloc(m->p + 1, sizeof *items, "rules", "row", err);
    if (!items)
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        int n = row_items(m, d->x + i * d->p, items);
        rule_proba(m, first_match(m, items, n), out + i * (size_t)m->k);
    }
    free(items);
    return 0;
}

static int
rc_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct rc_model *m = model;
    store_add_i64(b, m->k);
    store_add_i64(b, (int64_t)m->p);
    store_add_f64(b, m->minsup);
    store_add_f64(b, m->minconf);
    store_add_i64(b, m->bins);
    store_add_i64(b, m->maxlen);
    store_add_i64(b, m->n_train);
    store_add_i64(b, m->n_candidates);
    store_add_i64(b, m->minsup_count);
    for (size_t j = 0; j < m->p; j++) {
        store_add_i64(b, m->ncut[j]);
        if (m->ncut[j] > 0)
            store_add_f64s(b, m->cuts + m->cut_off[j], (size_t)m->ncut[j]);
    }
    store_add_i64(b, m->n_rules);
    for (long long r = 0; r < m->n_rules; r++) {
        store_add_i64(b, m->rclass[r]);
        store_add_i64(b, m->rcount[r]);
        store_add_i64(b, m->rante[r]);
        store_add_i64(b, m->roff[r + 1] - m->roff[r]);
        for (long long q = m->roff[r]; q < m->roff[r + 1]; q++)
            store_add_i64(b, m->ritems[q]);
    }
    store_add_i64(b, m->def);
    store_add_i64(b, m->n_uncovered);
    store_add_f64s(b, m->defp, (size_t)m->k);
    return 0;
}

static int
rc_load(struct store_reader *r, void **model, struct qerr *err)
{
    *model = NULL;
    int64_t k, p, v[6];
    double minsup, minconf;
    if (store_read_count(r, 8, 100000, &k, err) < 0 || store_read_count(r, 8, 1000000, &p, err) < 0)
        return -1;
    if (k < 1)
        return store_read_fail(r, err, "%lld classes", (long long)k);
    store_read_f64(r, &minsup, err);
    store_read_f64(r, &minconf, err);
    for (int i = 0; i < 5; i++)
        store_read_i64(r, &v[i], err);
    if (r->failed)
        return -1;
    if (v[0] < 1 || v[0] > 1000 || v[1] < 1 || v[1] > 30)
        return store_read_fail(r, err, "bins=%lld maxlen=%lld", (long long)v[0],
                               (long long)v[1]);
    struct rc_model *m = rc_alloc((int)k, (size_t)p, (long long)p * (v[0] - 1), err);
    if (!m)
        return -1;
    m->minsup = minsup;
    m->minconf = minconf;
    m->bins = (int)v[0];
    m->maxlen = (int)v[1];
    m->n_train = v[2];
    m->n_candidates = v[3];
    m->minsup_count = v[4];
    long long off = 0;
    for (int64_t j = 0; j < p && !r->failed; j++) {
        int64_t nc;
        if (store_read_i64(r, &nc, err) < 0)
            break;
        if (nc < -1 || nc > m->bins - 1) {
            store_read_fail(r, err, "feature %lld has %lld cuts", (long long)j, (long long)nc);
            break;
        }
        m->ncut[j] = (int)nc;
        m->cut_off[j] = off;
        if (nc > 0 && store_read_f64s(r, m->cuts + off, (size_t)nc, err) < 0)
            break;
        off += nc > 0 ? nc : 0;
    }
    m->cut_off[p] = off;
    rc_items(m);
    int64_t nr;
    if (r->failed || store_read_count(r, 32, 100000000, &nr, err) < 0)
        goto fail;
    /* items per rule at most maxlen - 1: room for every rule at its largest */
    if (rc_rules_alloc(m, nr, nr * m->maxlen, err) < 0)
        goto fail;
    m->n_rules = nr;
    long long w = 0;
    for (int64_t q = 0; q < nr; q++) {
        int64_t c, cnt, ante, len;
        store_read_i64(r, &c, err);
        store_read_i64(r, &cnt, err);
        store_read_i64(r, &ante, err);
        if (store_read_i64(r, &len, err) < 0)
            goto fail;
        if (c < 0 || c >= k || cnt < 1 || ante < cnt || len < 1 || len >= m->maxlen) {
            store_read_fail(r, err, "rule %lld is out of range", (long long)q + 1);
            goto fail;
        }
        m->rclass[q] = (int)c;
        m->rcount[q] = cnt;
        m->rante[q] = ante;
        for (int64_t t = 0; t < len; t++) {
            int64_t it;
            if (store_read_i64(r, &it, err) < 0)
                goto fail;
            if (it < 0 || it >= m->n_items || (t > 0 && it <= m->ritems[w - 1])) {
                store_read_fail(r, err, "rule %lld names item %lld", (long long)q + 1,
                                (long long)it);
                goto fail;
            }
            m->ritems[w++] = (int32_t)it;
        }
        m->roff[q + 1] = w;
    }
    int64_t def, unc;
    store_read_i64(r, &def, err);
    store_read_i64(r, &unc, err);
    m->n_uncovered = unc;
    if (r->failed || store_read_f64s(r, m->defp, (size_t)k, err) < 0)
        goto fail;
    if (def < 0 || def >= k) {
        store_read_fail(r, err, "default class %lld", (long long)def);
        goto fail;
    }
    m->def = (int)def;
    *model = m;
    return 0;
fail:
    rc_release(m);
    return -1;
}

/* The feature and bin of item it. */
static void
item_name(const struct rc_model *m, int it, const char *const *names, struct buf *out)
{
    size_t j = 0;
    while (j + 1 < m->p && m->base[j + 1] <= it)
        j++;
    int b = it - m->base[j], nc = m->ncut[j];
    struct buf nm = BUF_INIT;
    if (names)
        buf_addf(&nm, "%s", names[j]);
    else
        buf_addf(&nm, "feature %zu", j + 1);
    const double *c = m->cuts + m->cut_off[j];
    if (nc < 0)
        buf_addf(out, "%s", nm.data);
    else if (nc == 0)
        buf_addf(out, "%s (any value)", nm.data);
    else if (b == 0)
        buf_addf(out, "%s < %g", nm.data, c[0]);
    else if (b == nc)
        buf_addf(out, "%s >= %g", nm.data, c[nc - 1]);
    else
        buf_addf(out, "%g <= %s < %g", c[b - 1], nm.data, c[b]);
    buf_release(&nm);
}

static void
rule_line(const struct rc_model *m, long long r, const char *const *names, struct buf *out)
{
    buf_addf(out, "%4lld. ", r + 1);
    for (long long q = m->roff[r]; q < m->roff[r + 1]; q++) {
        if (q > m->roff[r])
            buf_adds(out, " and ");
        item_name(m, m->ritems[q], names, out);
    }
    buf_addf(out, " -> class %d  (confidence %.4g = %lld/%lld, support %.4g)\n", m->rclass[r],
             (double)m->rcount[r] / (double)m->rante[r], m->rcount[r], m->rante[r],
             (double)m->rcount[r] / (double)(m->n_train ? m->n_train : 1));
}

static int
rc_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct rc_model *m = model;
    buf_addf(out, "class association rules (CBA): minsup=%g (%lld rows), minconf=%g, bins=%d, "
                  "maxlen=%d\n",
             m->minsup, m->minsup_count, m->minconf, m->bins, m->maxlen);
    for (size_t j = 0; j < m->p; j++) {
        if (m->ncut[j] < 0)
            continue;
        buf_addf(out, "%s: %d equal-frequency bin%s, cuts", names ? names[j] : "feature",
                 m->ncut[j] + 1, m->ncut[j] ? "s" : "");
        for (int b = 0; b < m->ncut[j]; b++)
            buf_addf(out, " %g", m->cuts[m->cut_off[j] + b]);
        buf_adds(out, m->ncut[j] ? "\n" : " none\n");
    }
    buf_addf(out, "%lld rule%s kept by database coverage of %lld with confidence >= %g, first "
                  "match wins:\n",
             m->n_rules, m->n_rules == 1 ? "" : "s", m->n_candidates, m->minconf);
    for (long long r = 0; r < m->n_rules && r < 1000; r++)
        rule_line(m, r, names, out);
    if (m->n_rules > 1000)
        buf_addf(out, "  ... %lld more\n", m->n_rules - 1000);
    if (m->n_uncovered)
        buf_addf(out, "   otherwise class %d (the majority of the %lld training rows no rule "
                      "covers)\n",
                 m->def, m->n_uncovered);
    else
        buf_addf(out, "   otherwise class %d (every training row is covered: the majority of "
                      "all)\n",
                 m->def);
    return 0;
}

static void
rc_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct rc_model *m = model;
    int32_t *items = calloc(m->p + 1, sizeof *items);
    if (!items)
        return;
    int n = row_items(m, row, items);
    buf_adds(out, "items of the row:");
    for (int i = 0; i < n; i++) {
        buf_adds(out, i ? ", " : " ");
        item_name(m, items[i], names, out);
    }
    buf_adds(out, n ? "\n" : " none\n");
    long long r = first_match(m, items, n);
    if (r >= 0) {
        buf_addf(out, "the first of the %lld rules (in order of confidence, support, length) "
                      "that the row holds:\n",
                 m->n_rules);
        rule_line(m, r, names, out);
    } else {
        buf_addf(out, "no rule of %lld matches: the default class %d, with the class shares "
                      "of the training rows no rule covers\n",
                 m->n_rules, m->def);
    }
    free(items);
}

long long
rulecls_n_rules(const void *model)
{
    return ((const struct rc_model *)model)->n_rules;
}

int
rulecls_rule(const void *model, long long i, int *klass, double *confidence, long long *count)
{
    const struct rc_model *m = model;
    if (i < 0 || i >= m->n_rules)
        return -1;
    *klass = m->rclass[i];
    *confidence = (double)m->rcount[i] / (double)m->rante[i];
    *count = m->rcount[i];
    return (int)(m->roff[i + 1] - m->roff[i]);
}

int
rulecls_default(const void *model)
{
    return ((const struct rc_model *)model)->def;
}

const struct cls_method cls_rules = {
    .name = "rules",
    .kind = &rulecls_kind,
    .takes_missing = 1,
    .takes_categorical = 0,
    .fit = rc_fit,
    .proba = rc_proba,
    .save = rc_save,
    .load = rc_load,
    .show = rc_show,
    .release = rc_release,
    .trace = rc_trace,
};
