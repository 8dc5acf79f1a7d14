/*
 * test_wavenet.c: the wavelet-network classifier (src/classify/wavenet.c)
 * on a planted nonlinear boundary.
 *
 * x1, x2 uniform on [-2, 2]; the class is 1 inside the circle
 * x1^2 + x2^2 < 8/pi (its area, 8, is half the square's 16, so the classes
 * are even), then 5% of the labels are flipped at random. The Bayes
 * classifier (inside or not) is right with probability 0.95. No straight
 * line does much better than always answering one class (0.5): a line
 * through the disc leaves half of it on each side. With 6 hidden units the
 * network must place its wavelets (learned directions, translations and
 * dilations) to draw the circle, and must reach 0.90 on 2,000 fresh rows
 * (Bayes 0.95, the sampling SD of an accuracy of 0.95 there 0.5 points);
 * logistic regression on the same rows must stay under 0.65.
 *
 * Also: the per-epoch record (history) holds epochs values, its last
 * accuracy is the training accuracy of the fitted model, and the loss
 * falls; the same seed gives the same model to the last bit and another
 * seed another one; save then load gives the same probabilities; a cut
 * payload is an error. And the gradient the training follows: the
 * classifier's network (a wavelet layer of Mexican hats, a dense layer, the
 * mean cross-entropy on softmax) against central differences of the loss
 * in every parameter (weights, translations, dilations, dense weights and
 * biases), so a broken derivative fails here even where the planted
 * accuracy could survive it (the dense layer alone learns a little).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
#include "classify/classify.h"
#include "classify/wavenet.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

struct rows {
    size_t n;
    double *x;
    int *y;
    int *truth; /* the label before the noise */
};

static void
draw(struct rows *r, size_t n, uint64_t seed)
{
    struct rng g;
    rng_init(&g, seed);
    r->n = n;
    r->x = malloc(n * 2 * sizeof *r->x);
    r->y = malloc(n * sizeof *r->y);
    r->truth = malloc(n * sizeof *r->truth);
    for (size_t i = 0; i < n; i++) {
        double a = 4 * rng_uniform(&g) - 2, b = 4 * rng_uniform(&g) - 2;
        r->x[2 * i] = a;
        r->x[2 * i + 1] = b;
        r->truth[i] = a * a + b * b < 8 / M_PI;
        r->y[i] = rng_uniform(&g) < 0.05 ? !r->truth[i] : r->truth[i];
    }
}

static void
rows_free(struct rows *r)
{
    free(r->x);
    free(r->y);
    free(r->truth);
}

static double
accuracy(const struct cls_method *m, const void *model, const struct cls_data *d,
         const int *y)
{
    double *p = malloc(d->n * 2 * sizeof *p);
    struct qerr err = QERR_INIT;
    size_t right = 0;
    CHECK_OK(m->proba(model, d, p, &err), err);
    for (size_t i = 0; i < d->n; i++)
        right += (p[2 * i + 1] > p[2 * i]) == y[i];
    free(p);
    return (double)right / (double)d->n;
}

static const char *const names[2] = {"x1", "x2"};

static void
test_planted(void)
{
    struct rows tr, te;
    draw(&tr, 800, 11);
    draw(&te, 2000, 12);
    size_t bayes = 0;
    for (size_t i = 0; i < te.n; i++)
        bayes += te.truth[i] == te.y[i];
    struct cls_opts o;
    cls_opts_default(&o);
    o.seed = 3;
    o.hidden = 6;
    o.epochs = 60;
    o.batch = 32;
    o.lr = 0.02;
    struct cls_data dtr = {.x = tr.x, .n = tr.n, .p = 2, .y = tr.y, .nclass = 2,
                           .names = names};
    struct cls_data dte = {.x = te.x, .n = te.n, .p = 2, .nclass = 2, .names = names};
    struct qerr err = QERR_INIT;
    void *wv = NULL, *lr = NULL;
    CHECK_OK(cls_wavelet.fit(&dtr, &o, NULL, &wv, &err), err);
    double acc = accuracy(&cls_wavelet, wv, &dte, te.y);
    const struct cls_method *logreg = cls_method_find("logreg");
    CHECK_OK(logreg->fit(&dtr, &o, NULL, &lr, &err), err);
    double acc_lr = accuracy(logreg, lr, &dte, te.y);
    printf("  planted circle: Bayes 0.9500 (this draw %.4f), wavelet %.4f, logreg %.4f\n",
           (double)bayes / (double)te.n, acc, acc_lr);
    CHECK(acc >= 0.90);
    CHECK(acc_lr < 0.65);
    CHECK(cls_method_find("wavelet") == &cls_wavelet);

    /* the per-epoch record: epochs values, the last the training accuracy */
    const double *loss = NULL, *hacc = NULL;
    CHECK_INT(cls_wavelet.history(wv, &loss, &hacc), 60);
    CHECK_NEAR(hacc[59], accuracy(&cls_wavelet, wv, &dtr, tr.y), 1e-12);
    CHECK(loss[59] < 0.5 * loss[0]);
    CHECK(hacc[59] > hacc[0]);

    /* save then load: the same probabilities, bit for bit */
    struct buf b = BUF_INIT;
    CHECK_OK(cls_wavelet.save(wv, &b, &err), err);
    struct store_reader rd;
    store_reader_init(&rd, b.data, b.len, 1, "model", "m");
    void *back = NULL;
    CHECK_OK(cls_wavelet.load(&rd, &back, &err), err);
    store_reader_release(&rd);
    double *p1 = malloc(te.n * 2 * sizeof(double)), *p2 = malloc(te.n * 2 * sizeof(double));
    CHECK_OK(cls_wavelet.proba(wv, &dte, p1, &err), err);
    CHECK_OK(cls_wavelet.proba(back, &dte, p2, &err), err);
    CHECK_INT(memcmp(p1, p2, te.n * 2 * sizeof(double)), 0);
    struct buf shown = BUF_INIT;
    CHECK_OK(cls_wavelet.show(back, names, &shown, &err), err);
    CHECK_HAS(shown.data, "6 Mexican-hat wavelet units");
    buf_release(&shown);
    /* a damaged payload (cut short) is an error, never a crash */
    store_reader_init(&rd, b.data, b.len / 2, 1, "model", "m");
    void *bad = NULL;
    CHECK_INT(cls_wavelet.load(&rd, &bad, &err), -1);
    qerr_clear(&err);
    store_reader_release(&rd);

    /* the same seed: the same model, bit for bit; another seed: another */
    o.epochs = 3;
    void *w1 = NULL, *w2 = NULL, *w3 = NULL;
    CHECK_OK(cls_wavelet.fit(&dtr, &o, NULL, &w1, &err), err);
    CHECK_OK(cls_wavelet.fit(&dtr, &o, NULL, &w2, &err), err);
    CHECK_OK(cls_wavelet.proba(w1, &dte, p1, &err), err);
    CHECK_OK(cls_wavelet.proba(w2, &dte, p2, &err), err);
    CHECK_INT(memcmp(p1, p2, te.n * 2 * sizeof(double)), 0);
    o.seed = 8;
    CHECK_OK(cls_wavelet.fit(&dtr, &o, NULL, &w3, &err), err);
    CHECK_OK(cls_wavelet.proba(w3, &dte, p2, &err), err);
    CHECK(memcmp(p1, p2, te.n * 2 * sizeof(double)) != 0);

    free(p1);
    free(p2);
    buf_release(&b);
    cls_wavelet.release(wv);
    cls_wavelet.release(back);
    cls_wavelet.release(w1);
    cls_wavelet.release(w2);
    cls_wavelet.release(w3);
    logreg->release(lr);
    rows_free(&tr);
    rows_free(&te);
}

/* The mean cross-entropy of net on the b rows x with one-hot targets y. */
static double
loss_at(struct nn_net *net, const double *x, const double *y, int b, int k)
{
    const double *z = nn_forward(net, x, b, 0);
    return nn_loss(NN_CCE, z, y, b, k, NULL);
}

static void
test_gradient(void)
{
    enum { B = 5, P = 2, U = 3, K = 3 };
    struct nn_net net = {0};
    struct qerr err = QERR_INIT;
    nn_net_init(&net, 1, P);
    CHECK_OK(nn_add_wavelet(&net, U, NN_MEXHAT, &err), err);
    CHECK_OK(nn_add_dense(&net, K, NN_IDENTITY, &err), err);
    CHECK_OK(nn_net_alloc(&net, B, 5, &err), err);
    CHECK_INT((int)net.np, P * U + 2 * U + U * K + K);
    struct rng g;
    rng_init(&g, 9);
    double x[B * P], y[B * K] = {0}, dy[B * K];
    for (int i = 0; i < B * P; i++)
        x[i] = 2 * rng_uniform(&g) - 1;
    for (int i = 0; i < B; i++)
        y[i * K + i % K] = 1;
    /* translations and dilations away from 0 and 1, so each has a gradient of its own */
    for (int j = 0; j < U; j++) {
        net.p[P * U + j] = 0.3 * (j + 1) - 0.5;
        net.p[P * U + U + j] = 0.7 + 0.25 * j;
    }
    const double *z = nn_forward(&net, x, B, 0);
    nn_loss(NN_CCE, z, y, B, K, dy);
    nn_backward(&net, x, dy);
    double *ga = malloc(net.np * sizeof *ga);
    memcpy(ga, net.g, net.np * sizeof *ga);
    double worst = 0;
    for (size_t q = 0; q < net.np; q++) {
        double keep = net.p[q], h = 1e-6;
        net.p[q] = keep + h;
        double up = loss_at(&net, x, y, B, K);
        net.p[q] = keep - h;
        double down = loss_at(&net, x, y, B, K);
        net.p[q] = keep;
        double num = (up - down) / (2 * h), e = fabs(num - ga[q]) / (fabs(num) + 1e-6);
        worst = e > worst ? e : worst;
    }
    printf("  gradient of the classifier's network: worst relative error %.2e over %zu "
           "parameters\n", worst, net.np);
    CHECK(worst < 1e-5);
    free(ga);
    nn_net_free(&net);
}

int
main(void)
{
    test_gradient();
    test_planted();
    return check_done("test_wavenet");
}
