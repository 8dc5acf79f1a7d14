/*
 * test_seqnn.c: the sequence classifiers (src/classify/seqnn.c) on a log
 * with a planted rule, through sequences (src/prep/sequences.c):
 *
 * Every user has 2 to 8 views and exactly two carts in the 30 days before
 * the cut. Half of them ("rule" users) put the two carts within a day
 * (1 to 20 hours apart), the others 2 to 20 days apart. A rule user buys
 * in the week after the cut with probability 0.9, another with 0.1.
 * The Bayes classifier (buy iff rule user) is right with probability 0.9
 * in both groups: Bayes accuracy 0.5 x 0.9 + 0.5 x 0.9 = 0.90. The counts
 * (views, carts, wishlists, purchases, events) have the same distribution
 * in both groups, so a model of the counts alone cannot beat always
 * answering one class by more than chance (about 0.5). The LSTM reads the
 * token sequence, where the gap between the carts shows (the tokens of the
 * steps between them have gap bucket <= 1 only for rule users), and must
 * reach 0.90 within 2 points on 3,000 fresh users (the sampling SD of an
 * accuracy of 0.9 there is 0.55 points); logistic regression on the counts
 * must do worse by more than 20 points.
 *
 * Also: the same seed gives the same model to the last bit, save then load
 * gives the same probabilities, a table without seq_ columns is refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
#include "classify/classify.h"
#include "classify/seqnn.h"
#include "prep/sequences.h"
#include "prep/sessions.h"

#define DAY 86400.0
#define MAXLEN 20

struct gen {
    long long n, cap;
    int32_t *user;
    double *t;
    signed char *kind;
    int *rule; /* per user */
};

static void
ev(struct gen *g, int u, double t, int kind)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 1024;
        g->user = realloc(g->user, (size_t)g->cap * sizeof *g->user);
        g->t = realloc(g->t, (size_t)g->cap * sizeof *g->t);
        g->kind = realloc(g->kind, (size_t)g->cap);
    }
    g->user[g->n] = u;
    g->t[g->n] = t;
    g->kind[g->n] = (signed char)kind;
    g->n++;
}

/* n users; the cut at day 60, the window days 30 to 60. */
static void
generate(struct gen *g, int n, uint64_t seed)
{
    struct rng r;
    rng_init(&r, seed);
    memset(g, 0, sizeof *g);
    g->rule = calloc((size_t)n, sizeof *g->rule);
    for (int u = 0; u < n; u++) {
        int rule = rng_uniform(&r) < 0.5;
        g->rule[u] = rule;
        double c1, c2;
        if (rule) {
            c1 = 31 * DAY + rng_uniform(&r) * 27 * DAY;
            c2 = c1 + (1 + 19 * rng_uniform(&r)) * 3600;
        } else {
            double gap = (2 + 18 * rng_uniform(&r)) * DAY;
            c1 = 31 * DAY + rng_uniform(&r) * (28 * DAY - gap);
            c2 = c1 + gap;
        }
        ev(g, u, c1 - 60, SESSIONS_VIEW); /* a cart follows a view */
        ev(g, u, c1, SESSIONS_CART);
        ev(g, u, c2 - 60, SESSIONS_VIEW);
        ev(g, u, c2, SESSIONS_CART);
        int views = (int)rng_below(&r, 7);
        for (int v = 0; v < views; v++)
            ev(g, u, 30.5 * DAY + rng_uniform(&r) * 29 * DAY, SESSIONS_VIEW);
        if (rng_uniform(&r) < (rule ? 0.9 : 0.1))
            ev(g, u, 60 * DAY + rng_uniform(&r) * 6.9 * DAY, SESSIONS_PURCHASE);
    }
}

static void
gen_free(struct gen *g)
{
    free(g->user);
    free(g->t);
    free(g->kind);
    free(g->rule);
}

/* The cut of g: sequences and counts as cls_data rows (x_seq n x MAXLEN, x_cnt n x 5). */
struct rows {
    size_t n;
    double *xs, *xc;
    int *y;
};

static void
cut(const struct gen *g, int n_users, struct rows *rw)
{
    struct sequences_in in = {.n_rows = g->n, .user = g->user, .n_users = n_users, .t = g->t,
                              .kind = g->kind, .cut = 60 * DAY, .horizon = 7 * DAY,
                              .window = 30 * DAY, .maxlen = MAXLEN,
                              .target = SESSIONS_PURCHASE, .gap = 1800};
    struct sequences_out o;
    struct qerr err = QERR_INIT;
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_INT(o.n, n_users);
    rw->n = (size_t)o.n;
    rw->xs = malloc(rw->n * MAXLEN * sizeof(double));
    rw->xc = malloc(rw->n * 5 * sizeof(double));
    rw->y = malloc(rw->n * sizeof(int));
    for (size_t i = 0; i < rw->n; i++) {
        for (int j = 0; j < MAXLEN; j++)
            rw->xs[i * MAXLEN + (size_t)j] = o.seq[j][i];
        for (int k = 0; k < 4; k++)
            rw->xc[i * 5 + (size_t)k] = o.count[k][i];
        rw->xc[i * 5 + 4] = o.events[i];
        rw->y[i] = (int)o.label[i];
    }
    sequences_out_release(&o);
}

static void
rows_free(struct rows *rw)
{
    free(rw->xs);
    free(rw->xc);
    free(rw->y);
}

static char seq_names[MAXLEN][16];
static const char *seq_ptr[MAXLEN];
static const char *cnt_names[5] = {"views", "carts", "wishlists", "purchases", "events"};

static double
accuracy(const struct cls_method *m, const void *model, const struct cls_data *d,
         const int *y)
{
    double *p = malloc(d->n * 2 * sizeof(double));
    struct qerr err = QERR_INIT;
    CHECK_OK(m->proba(model, d, p, &err), err);
    size_t right = 0;
    for (size_t i = 0; i < d->n; i++)
        right += (p[2 * i + 1] > p[2 * i]) == y[i];
    free(p);
    return (double)right / (double)d->n;
}

static void
test_planted(void)
{
    struct gen gtr, gte;
    struct rows tr, te;
    generate(&gtr, 3000, 11);
    generate(&gte, 3000, 12);
    cut(&gtr, 3000, &tr);
    cut(&gte, 3000, &te);
    /* the Bayes rule's accuracy on this test draw, beside the planted 0.90 */
    size_t bayes = 0;
    for (size_t i = 0; i < te.n; i++)
        bayes += gte.rule[i] == te.y[i];
    double bayes_acc = (double)bayes / (double)te.n;
    struct cls_opts o;
    cls_opts_default(&o);
    o.seed = 7;
    o.embed = 8;
    o.hidden = 16;
    o.epochs = 40;
    o.patience = 6;
    struct cls_data dtr = {.x = tr.xs, .n = tr.n, .p = MAXLEN, .y = tr.y, .nclass = 2,
                           .names = seq_ptr};
    struct cls_data dte = {.x = te.xs, .n = te.n, .p = MAXLEN, .nclass = 2, .names = seq_ptr};
    struct qerr err = QERR_INIT;
    void *lstm = NULL, *lr = NULL;
    CHECK_OK(cls_lstm.fit(&dtr, &o, NULL, &lstm, &err), err);
    double acc = accuracy(&cls_lstm, lstm, &dte, te.y);
    struct cls_data ctr = {.x = tr.xc, .n = tr.n, .p = 5, .y = tr.y, .nclass = 2,
                           .names = cnt_names};
    struct cls_data cte = {.x = te.xc, .n = te.n, .p = 5, .nclass = 2, .names = cnt_names};
    const struct cls_method *logreg = cls_method_find("logreg");
    CHECK_OK(logreg->fit(&ctr, &o, NULL, &lr, &err), err);
    double acc_lr = accuracy(logreg, lr, &cte, te.y);
    printf("  planted rule: Bayes 0.9000 (this draw %.4f), lstm %.4f, logreg on counts %.4f\n",
           bayes_acc, acc, acc_lr);
    CHECK(fabs(acc - 0.90) <= 0.02);
    CHECK(acc_lr < acc - 0.20);

    /* save then load: the same probabilities, bit for bit */
    struct buf b = BUF_INIT;
    CHECK_OK(cls_lstm.save(lstm, &b, &err), err);
    struct store_reader rd;
    store_reader_init(&rd, b.data, b.len, 1, "model", "m");
    void *back = NULL;
    CHECK_OK(cls_lstm.load(&rd, &back, &err), err);
    store_reader_release(&rd);
    double *p1 = malloc(te.n * 2 * sizeof(double)), *p2 = malloc(te.n * 2 * sizeof(double));
    CHECK_OK(cls_lstm.proba(lstm, &dte, p1, &err), err);
    CHECK_OK(cls_lstm.proba(back, &dte, p2, &err), err);
    CHECK_INT(memcmp(p1, p2, te.n * 2 * sizeof(double)), 0);
    /* a damaged payload (cut short) is an error, never a crash */
    store_reader_init(&rd, b.data, b.len / 2, 1, "model", "m");
    void *bad = NULL;
    CHECK_INT(cls_lstm.load(&rd, &bad, &err), -1);
    qerr_clear(&err);
    store_reader_release(&rd);

    /* the same seed: the same model, bit for bit (a GRU, fewer epochs) */
    o.epochs = 3;
    void *g1 = NULL, *g2 = NULL;
    CHECK_OK(cls_gru.fit(&dtr, &o, NULL, &g1, &err), err);
    CHECK_OK(cls_gru.fit(&dtr, &o, NULL, &g2, &err), err);
    CHECK_OK(cls_gru.proba(g1, &dte, p1, &err), err);
    CHECK_OK(cls_gru.proba(g2, &dte, p2, &err), err);
    CHECK_INT(memcmp(p1, p2, te.n * 2 * sizeof(double)), 0);
    o.seed = 8; /* and another seed another one */
    void *g3 = NULL;
    CHECK_OK(cls_gru.fit(&dtr, &o, NULL, &g3, &err), err);
    CHECK_OK(cls_gru.proba(g3, &dte, p2, &err), err);
    CHECK(memcmp(p1, p2, te.n * 2 * sizeof(double)) != 0);

    /* no sequence among the features */
    void *none = NULL;
    CHECK_INT(cls_rnn.fit(&ctr, &o, NULL, &none, &err), -1);
    CHECK_HAS(err.msg, "seq_01");
    qerr_clear(&err);

    free(p1);
    free(p2);
    buf_release(&b);
    cls_lstm.release(lstm);
    cls_lstm.release(back);
    cls_gru.release(g1);
    cls_gru.release(g2);
    cls_gru.release(g3);
    logreg->release(lr);
    rows_free(&tr);
    rows_free(&te);
    gen_free(&gtr);
    gen_free(&gte);
}

int
main(void)
{
    for (int j = 0; j < MAXLEN; j++) {
        snprintf(seq_names[j], sizeof seq_names[j], "seq_%02d", j + 1);
        seq_ptr[j] = seq_names[j];
    }
    CHECK_INT(seqnn_position("seq_07"), 7);
    CHECK_INT(seqnn_position("seq_"), -1);
    CHECK_INT(seqnn_position("seq_1x"), -1);
    CHECK_INT(seqnn_position("sequence"), -1);
    test_planted();
    return check_done("test_seqnn");
}
