/*
 * itemcf.c: item-item cosine neighbours and top-N lists (itemcf.h).
 *
 * Both passes are loops over independent units (items for the
 * neighbours, users for the lists), so they share one small pool: the
 * threads take chunks of units from an atomic counter, each with its own
 * scratch, and the calling thread ticks between its chunks and raises a
 * stop flag the others read before each chunk.
 */
#include "recommend/itemcf.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

#include "base/banned.h"

#define POOL_MAX 4
#define POOL_CHUNK 32

/* --- the pool ------------------------------------------------------------ */

struct pool {
    long long n_units;
    atomic_llong next, done;
    atomic_int stop;
    void (*work)(void *ctx, long long unit, int tid);
    void *ctx;
};

struct pool_arg {
    struct pool *p;
    int tid;
};

/* Take chunks until none is left or stop is raised; tid 0 (the caller) ticks t. */
static void
pool_loop(struct pool *p, int tid, struct tick *t)
{
    for (;;) {
        if (atomic_load(&p->stop))
            return;
        long long lo = atomic_fetch_add(&p->next, POOL_CHUNK);
        if (lo >= p->n_units)
            return;
        long long hi = lo + POOL_CHUNK < p->n_units ? lo + POOL_CHUNK : p->n_units;
        for (long long u = lo; u < hi; u++)
            p->work(p->ctx, u, tid);
        long long done = atomic_fetch_add(&p->done, hi - lo) + (hi - lo);
        if (tid == 0 && tick(t, (double)done / (double)p->n_units))
            atomic_store(&p->stop, 1);
    }
}

static void *
pool_thread(void *arg)
{
    struct pool_arg *a = arg;
    pool_loop(a->p, a->tid, NULL);
    return NULL;
}

/* Threads to use: one per core online, at most POOL_MAX. */
static int
pool_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > POOL_MAX ? POOL_MAX : (int)n;
}

/* Run work(ctx, unit, tid) for every unit on n_threads threads; QE_INTERRUPT when t cancels. */
static int
pool_run(void (*work)(void *, long long, int), void *ctx, long long n_units, int n_threads,
         struct tick *t, struct qerr *err)
{
    /* a cancel already asked for lands before any thread starts, whoever takes the chunks */
    if (tick(t, 0))
        return tick_fail(err);
    struct pool p = {.n_units = n_units, .work = work, .ctx = ctx};
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.stop, 0);
    pthread_t th[POOL_MAX];
    struct pool_arg args[POOL_MAX];
    int started = 0;
    for (int i = 1; i < n_threads; i++) {
        args[i] = (struct pool_arg){&p, i};
        if (pthread_create(&th[i], NULL, pool_thread, &args[i]) != 0)
            break; /* fewer threads: the work still gets done */
        started = i;
    }
    pool_loop(&p, 0, t);
    for (int i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    if (atomic_load(&p.stop) || (t && t->stopped))
        return tick_fail(err);
    return 0;
}

/* --- a bounded heap of the best (item, score) pairs ----------------------- */

struct best {
    int cap, n;
    int32_t *item;
    double *score;
};

/* a is worse than b: a lower score, or the same score and a higher item code */
static int
worse(double sa, int32_t ia, double sb, int32_t ib)
{
    return sa < sb || (sa == sb && ia > ib);
}

static void
best_sift_down(struct best *h, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && worse(h->score[l], h->item[l], h->score[m], h->item[m]))
            m = l;
        if (r < h->n && worse(h->score[r], h->item[r], h->score[m], h->item[m]))
            m = r;
        if (m == i)
            return;
        int32_t ti = h->item[i];
        double ts = h->score[i];
        h->item[i] = h->item[m];
        h->score[i] = h->score[m];
        h->item[m] = ti;
        h->score[m] = ts;
        i = m;
    }
}

/* Offer (item, score): kept while the heap has room or it beats the worst kept. */
static void
best_push(struct best *h, int32_t item, double score)
{
    if (h->n < h->cap) {
        int i = h->n++;
        h->item[i] = item;
        h->score[i] = score;
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!worse(h->score[i], h->item[i], h->score[p], h->item[p]))
                break;
            int32_t ti = h->item[i];
            double ts = h->score[i];
            h->item[i] = h->item[p];
            h->score[i] = h->score[p];
            h->item[p] = ti;
            h->score[p] = ts;
            i = p;
        }
    } else if (h->cap > 0 && worse(h->score[0], h->item[0], score, item)) {
        h->item[0] = item;
        h->score[0] = score;
        best_sift_down(h, 0);
    }
}

/* Empty the heap into item/score, best first; returns the count. */
static int
best_drain(struct best *h, int32_t *item, double *score)
{
    int n = h->n;
    for (int k = n - 1; k >= 0; k--) {
        item[k] = h->item[0];
        score[k] = h->score[0];
        h->n--;
        h->item[0] = h->item[h->n];
        h->score[0] = h->score[h->n];
        best_sift_down(h, 0);
    }
    return n;
}

/* Per-thread scratch: a dense accumulator, marks and a touched list over the items. */
struct scratch {
    double *acc;
    int32_t *count;
    unsigned char *mark;
    int32_t *touched;
    struct best h;
};

static void
scratch_release(struct scratch *s, int n)
{
    for (int i = 0; i < n; i++) {
        free(s[i].acc);
        free(s[i].count);
        free(s[i].mark);
        free(s[i].touched);
        free(s[i].h.item);
        free(s[i].h.score);
    }
}

static int
scratch_init(struct scratch *s, int n, int n_items, int cap, int counts, struct qerr *err)
{
    memset(s, 0, (size_t)n * sizeof *s);
    for (int i = 0; i < n; i++) {
        if (counts)
            s[i].count = mem_calloc((size_t)n_items, sizeof(int32_t), "recommend",
                                    "co-occurrence counts", err);
        else
            s[i].acc = mem_calloc((size_t)n_items, sizeof(double), "recommend", "item scores",
                                  err);
        s[i].mark = mem_calloc((size_t)n_items, 1, "recommend", "item marks", err);
        s[i].touched = mem_alloc((size_t)n_items, sizeof(int32_t), "recommend", "items", err);
        s[i].h.item = mem_alloc((size_t)cap, sizeof(int32_t), "recommend", "neighbours", err);
        s[i].h.score = mem_alloc((size_t)cap, sizeof(double), "recommend", "neighbours", err);
        s[i].h.cap = cap;
        if (err->code)
            return -1;
    }
    return 0;
}

/* --- neighbours ------------------------------------------------------------ */

struct fit_ctx {
    const struct recmat *m;
    struct itemcf *cf;
    struct scratch *s;
};

/* Item i's k best neighbours (k = s->h.cap) into item/sim: co-occurrence counts through its
 * users, then cosine; returns the count. */
static int
neighbours_of(const struct recmat *m, struct scratch *s, int i, int32_t *item, double *sim)
{
    int nt = 0;
    for (long long p = m->iptr[i]; p < m->iptr[i + 1]; p++) {
        int u = m->iuser[p];
        for (long long q = m->uptr[u]; q < m->uptr[u + 1]; q++) {
            int32_t j = m->uitem[q];
            if (j == i)
                continue;
            if (s->count[j]++ == 0)
                s->touched[nt++] = j;
        }
    }
    double ni = (double)recmat_item_count(m, i);
    s->h.n = 0;
    for (int k = 0; k < nt; k++) {
        int32_t j = s->touched[k];
        double cos = (double)s->count[j] / sqrt(ni * (double)recmat_item_count(m, j));
        s->count[j] = 0;
        best_push(&s->h, j, cos);
    }
    return best_drain(&s->h, item, sim);
}

static void
fit_item(void *vctx, long long unit, int tid)
{
    struct fit_ctx *c = vctx;
    int i = (int)unit;
    long long at = (long long)i * c->cf->k;
    c->cf->n_nb[i] = neighbours_of(c->m, &c->s[tid], i, c->cf->nb + at, c->cf->sim + at);
}

int
itemcf_similar(const struct recmat *m, int i, int n, int32_t *item, double *sim,
               struct qerr *err)
{
    struct scratch s;
    int rc = -1;
    if (scratch_init(&s, 1, m->n_items, n, 1, err) == 0)
        rc = neighbours_of(m, &s, i, item, sim);
    scratch_release(&s, 1);
    return rc;
}

void
itemcf_release(struct itemcf *cf)
{
    free(cf->n_nb);
    free(cf->nb);
    free(cf->sim);
    memset(cf, 0, sizeof *cf);
}

int
itemcf_fit(struct itemcf *cf, const struct recmat *m, int k, struct tick *t, struct qerr *err)
{
    memset(cf, 0, sizeof *cf);
    if (k > m->n_items - 1)
        k = m->n_items > 1 ? m->n_items - 1 : 1;
    if (k < 1)
        k = 1;
    cf->n_items = m->n_items;
    cf->k = k;
    int nth = pool_threads();
    struct scratch s[POOL_MAX];
    memset(s, 0, sizeof s);
    int rc = -1;
    size_t cells = mem_mul((size_t)m->n_items, (size_t)k);
    if (mem_budget_fits(cells, sizeof(int32_t) + sizeof(double), "recommend",
                        "item neighbours", err) < 0)
        goto out;
    cf->n_nb = mem_calloc((size_t)m->n_items, sizeof(int), "recommend", "items", err);
    cf->nb = mem_alloc(cells, sizeof(int32_t), "recommend", "item neighbours", err);
    cf->sim = mem_alloc(cells, sizeof(double), "recommend", "item neighbours", err);
    if (!cf->n_nb || !cf->nb || !cf->sim)
        goto out;
    if (scratch_init(s, nth, m->n_items, k, 1, err) < 0)
        goto out;
    struct fit_ctx c = {m, cf, s};
    rc = pool_run(fit_item, &c, m->n_items, nth, t, err);
out:
    scratch_release(s, nth);
    if (rc < 0)
        itemcf_release(cf);
    return rc;
}

/* --- lists ----------------------------------------------------------------- */

struct top_ctx {
    const struct rec_ask *a;
    struct rec_lists *out;
    struct scratch *s;
    const int32_t *pop_order; /* REC_POPULAR: items by popularity, best first */
    int n_pop;
};

/* Sum of neighbour similarities over the user's items into s->acc; returns the touched count. */
static int
score_itemcf(const struct rec_ask *a, struct scratch *s, int u)
{
    const struct recmat *m = a->m;
    const struct itemcf *cf = a->cf;
    int nt = 0;
    for (long long p = m->uptr[u]; p < m->uptr[u + 1]; p++) {
        int i = m->uitem[p];
        const int32_t *nb = cf->nb + (long long)i * cf->k;
        const double *sim = cf->sim + (long long)i * cf->k;
        for (int q = 0; q < cf->n_nb[i]; q++) {
            if (s->acc[nb[q]] == 0.0)
                s->touched[nt++] = nb[q];
            s->acc[nb[q]] += sim[q];
        }
    }
    return nt;
}

/* Best confidence of the fired rules per consequent item into s->acc (own items marked). */
static int
score_rules(const struct rec_ask *a, struct scratch *s)
{
    const struct rec_rules *r = a->rules;
    int nt = 0;
    for (int k = 0; k < r->n; k++) {
        if (!(r->conf[k] > 0))
            continue;
        long long p = r->aptr[k];
        while (p < r->aptr[k + 1] && s->mark[r->aitem[p]])
            p++;
        if (p < r->aptr[k + 1])
            continue;
        for (long long q = r->cptr[k]; q < r->cptr[k + 1]; q++) {
            int32_t j = r->citem[q];
            if (s->acc[j] == 0.0)
                s->touched[nt++] = j;
            if (r->conf[k] > s->acc[j])
                s->acc[j] = r->conf[k];
        }
    }
    return nt;
}

static void
top_user(void *vctx, long long unit, int tid)
{
    struct top_ctx *c = vctx;
    const struct rec_ask *a = c->a;
    const struct recmat *m = a->m;
    struct scratch *s = &c->s[tid];
    int u = (int)unit;
    if (a->users && !a->users[u])
        return;
    for (long long p = m->uptr[u]; p < m->uptr[u + 1]; p++)
        s->mark[m->uitem[p]] = 1;
    s->h.n = 0;
    if (a->method == REC_POPULAR) {
        for (int k = 0; k < c->n_pop && s->h.n < a->n; k++) {
            int32_t j = c->pop_order[k];
            if (!(a->exclude_seen && s->mark[j]))
                best_push(&s->h, j, (double)recmat_item_count(m, j));
        }
    } else {
        int nt = a->method == REC_ITEMCF ? score_itemcf(a, s, u) : score_rules(a, s);
        for (int k = 0; k < nt; k++) {
            int32_t j = s->touched[k];
            if (!(a->exclude_seen && s->mark[j]))
                best_push(&s->h, j, s->acc[j]);
            s->acc[j] = 0.0;
        }
    }
    for (long long p = m->uptr[u]; p < m->uptr[u + 1]; p++)
        s->mark[m->uitem[p]] = 0;
    long long at = (long long)u * a->n;
    best_drain(&s->h, c->out->item + at, c->out->score + at);
}

struct pop {
    long long count;
    int32_t item;
};

static int
cmp_pop(const void *x, const void *y)
{
    const struct pop *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

/* Items somebody has, most users first, ties by code. */
static int
popular_order(const struct recmat *m, int32_t **order, int *n, struct qerr *err)
{
    struct pop *p = mem_alloc((size_t)m->n_items, sizeof *p, "recommend", "items", err);
    *order = mem_alloc((size_t)m->n_items, sizeof **order, "recommend", "items", err);
    if (!p || !*order) {
        free(p);
        return -1;
    }
    *n = 0;
    for (int i = 0; i < m->n_items; i++)
        if (recmat_item_count(m, i) > 0)
            p[(*n)++] = (struct pop){recmat_item_count(m, i), i};
    qsort(p, (size_t)*n, sizeof *p, cmp_pop);
    for (int k = 0; k < *n; k++)
        (*order)[k] = p[k].item;
    free(p);
    return 0;
}

void
rec_lists_release(struct rec_lists *l)
{
    free(l->item);
    free(l->score);
    memset(l, 0, sizeof *l);
}

int
rec_list_len(const struct rec_lists *l, int u)
{
    int k = 0;
    while (k < l->n && l->item[(long long)u * l->n + k] >= 0)
        k++;
    return k;
}

int
rec_top(const struct rec_ask *a, struct rec_lists *out, struct tick *t, struct qerr *err)
{
    const struct recmat *m = a->m;
    memset(out, 0, sizeof *out);
    out->n_users = m->n_users;
    out->n = a->n;
    int nth = pool_threads();
    struct scratch s[POOL_MAX];
    memset(s, 0, sizeof s);
    int32_t *order = NULL;
    int n_pop = 0, rc = -1;
    size_t cells = mem_mul((size_t)m->n_users, (size_t)a->n);
    out->item = mem_alloc(cells, sizeof(int32_t), "recommend", "recommendations", err);
    out->score = mem_alloc(cells, sizeof(double), "recommend", "recommendations", err);
    if (!out->item || !out->score)
        goto out;
    for (size_t k = 0; k < cells; k++) {
        out->item[k] = -1;
        out->score[k] = NAN;
    }
    if (a->method == REC_POPULAR && popular_order(m, &order, &n_pop, err) < 0)
        goto out;
    if (scratch_init(s, nth, m->n_items, a->n, 0, err) < 0)
        goto out;
    struct top_ctx c = {a, out, s, order, n_pop};
    rc = pool_run(top_user, &c, m->n_users, nth, t, err);
out:
    scratch_release(s, nth);
    free(order);
    if (rc < 0)
        rec_lists_release(out);
    return rc;
}
