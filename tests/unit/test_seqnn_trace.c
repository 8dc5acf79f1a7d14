/*
 * test_seqnn_trace.c: the gate trace of one LSTM step
 * (src/classify/seqnn_trace.c) against a step worked by hand.
 *
 * The model is set by the test through the stored state (cls_lstm.load):
 * a sequence of T = 2 tokens (seq_01, seq_02), vocabulary 3, embedding
 * D = 1 with E = [0, 0.5, -1], one LSTM layer of H = 2 units, a dense
 * layer of zeros. The row reads tokens 1 then 2, so x_1 = 0.5, x_2 = -1.
 * W is (F+H) x 4H = 3 x 8, columns i1 i2 f1 f2 g1 g2 o1 o2:
 *   x row:  i 2 0   f 0 1   g 1 -1   o 0 2
 *   h1 row: g1 1, o1 1 (the rest 0);  h2 row: i2 -1 (the rest 0)
 *   b:      f1 1, g2 0.5 (the rest 0)
 * Step 1 (h = c = 0, x = 0.5):
 *   unit 1: i = s(1), f = s(1), g = tanh(0.5), o = s(0) = 0.5
 *           c = s(1) tanh(0.5) = 0.7311 x 0.4621 = 0.3378; h = 0.5 tanh(c)
 *   unit 2: i = s(0) = 0.5, f = s(0.5), g = tanh(-0.5 + 0.5) = 0, o = s(1)
 *           c = 0, h = 0
 * Step 2 (x = -1, h = (h1, 0), c = (c1, 0)):
 *   unit 1: i = s(-2), f = s(1), g = tanh(-1 + h1), o = s(h1)
 *           c = s(1) c1 + s(-2) tanh(h1 - 1); h = s(h1) tanh(c)
 *   unit 2: i = s(0 - h2) = 0.5, f = s(-1), g = tanh(1 + 0.5), o = s(-2)
 *           c = s(-1) 0 + 0.5 tanh(1.5); h = s(-2) tanh(c)
 * The expected values below are these formulas, written out per unit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/buf.h"
#include "classify/seqnn.h"
#include "classify/seqnn_trace.h"
#include "data/store.h"
#include "nn/nn.h"

static double
s(double x)
{
    return 1 / (1 + exp(-x));
}

/* The hand-set model: cell NN_LSTM or NN_GRU (its parameters all 0.1). */
static void *
model(int cell)
{
    int64_t ints[15] = {cell, 2, 2, 2, 3, 1, 2, 1, 0, 1, 1, 0, 1, 1, 0};
    double w[2] = {1, 1};
    double p[64] = {0};
    size_t np;
    if (cell == NN_LSTM) {
        double e[3] = {0, 0.5, -1};
        double W[24] = {/* x  */ 2, 0, 0, 1, 1, -1, 0, 2,
                        /* h1 */ 0, 0, 0, 0, 1, 0, 1, 0,
                        /* h2 */ 0, -1, 0, 0, 0, 0, 0, 0};
        double b[8] = {0, 0, 1, 0, 0, 0.5, 0, 0};
        memcpy(p, e, sizeof e);
        memcpy(p + 3, W, sizeof W);
        memcpy(p + 27, b, sizeof b);
        np = 3 + 24 + 8 + 4 + 2;
    } else {
        np = 3 + 3 * 3 * 2 + 3 * 2 + 3 * 2 + 4 + 2;
        for (size_t k = 0; k < np; k++)
            p[k] = 0.1;
    }
    struct buf b = BUF_INIT;
    for (int k = 0; k < 15; k++)
        store_add_i64(&b, ints[k]);
    store_add_i64(&b, 0);
    store_add_i64(&b, 1);
    store_add_f64(&b, 0.01);
    store_add_f64(&b, 0.5);
    store_add_f64(&b, NAN);
    store_add_f64s(&b, w, 2);
    store_add_i64(&b, (int64_t)np);
    store_add_f64s(&b, p, np);
    struct store_reader r;
    struct qerr err = QERR_INIT;
    void *m = NULL;
    store_reader_init(&r, b.data, b.len, 1, "model", "m");
    CHECK_OK(cls_lstm.load(&r, &m, &err), err);
    store_reader_release(&r);
    buf_release(&b);
    qerr_clear(&err);
    return m;
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    void *m = model(NN_LSTM);
    const double row[2] = {1, 2};
    struct seqnn_gates g = {0};

    /* step 1 */
    CHECK_OK(seqnn_lstm_trace(m, row, 0, 1, &g, &err), err);
    CHECK_INT(g.layer, 1);
    CHECK_INT(g.layers, 1);
    CHECK_INT(g.step, 1);
    CHECK_INT(g.T, 2);
    CHECK_INT(g.H, 2);
    CHECK_INT(g.token, 1);
    double c1 = s(1) * tanh(0.5), h1 = 0.5 * tanh(c1);
    CHECK_NEAR(c1, 0.3378, 1e-4); /* the hand figure in the comment */
    const double want1[7][2] = {{s(1), 0.5}, {s(1), s(0.5)}, {tanh(0.5), 0}, {0.5, s(1)},
                                {0, 0},       {c1, 0},       {h1, 0}};
    const double *got1[7] = {g.i, g.f, g.g, g.o, g.c_prev, g.c, g.h};
    for (int k = 0; k < 7; k++)
        for (int j = 0; j < 2; j++)
            CHECK_NEAR(got1[k][j], want1[k][j], 1e-12);
    CHECK(g.h_diff < 1e-12);
    seqnn_gates_release(&g);

    /* step 2, the default (the last) */
    CHECK_OK(seqnn_lstm_trace(m, row, 0, 0, &g, &err), err);
    CHECK_INT(g.step, 2);
    CHECK_INT(g.token, 2);
    double c1b = s(1) * c1 + s(-2) * tanh(h1 - 1), c2b = 0.5 * tanh(1.5);
    const double want2[7][2] = {{s(-2), 0.5},         {s(1), s(-1)}, {tanh(h1 - 1), tanh(1.5)},
                                {s(h1), s(-2)},       {c1, 0},       {c1b, c2b},
                                {s(h1) * tanh(c1b), s(-2) * tanh(c2b)}};
    const double *got2[7] = {g.i, g.f, g.g, g.o, g.c_prev, g.c, g.h};
    for (int k = 0; k < 7; k++)
        for (int j = 0; j < 2; j++)
            CHECK_NEAR(got2[k][j], want2[k][j], 1e-12);
    /* c = f c_prev + i g and h = o tanh(c), from the table's own columns */
    for (int j = 0; j < 2; j++) {
        CHECK_NEAR(g.c[j], g.f[j] * g.c_prev[j] + g.i[j] * g.g[j], 1e-15);
        CHECK_NEAR(g.h[j], g.o[j] * tanh(g.c[j]), 1e-15);
    }
    CHECK(g.h_diff < 1e-12); /* the network's own forward pass agrees */
    seqnn_gates_release(&g);

    /* out of range: refused, named */
    CHECK_INT(seqnn_lstm_trace(m, row, 0, 3, &g, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_HAS(err.msg, "step=3");
    qerr_clear(&err);
    seqnn_gates_release(&g);
    CHECK_INT(seqnn_lstm_trace(m, row, 2, 0, &g, &err), -1);
    CHECK_HAS(err.msg, "layer=2");
    qerr_clear(&err);
    seqnn_gates_release(&g);
    cls_lstm.release(m);

    /* a GRU is not an LSTM */
    void *gm = model(NN_GRU);
    CHECK(gm != NULL);
    if (gm) {
        CHECK_INT(seqnn_lstm_trace(gm, row, 0, 0, &g, &err), -1);
        CHECK_HAS(err.msg, "not an LSTM");
        qerr_clear(&err);
        seqnn_gates_release(&g);
        cls_gru.release(gm);
    }
    return check_done("seqnn_trace");
}
