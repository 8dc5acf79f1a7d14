/*
 * test_rulecls.c: class association rules as a classifier
 * (src/classify/rulecls.c) on a hand-derived table and a planted rule.
 *
 * Plan:
 *   1. By hand. Features a, b (0/1), class y; eight rows
 *        a b y:  1 1 1 | 1 1 1 | 1 0 1 | 1 0 0 | 0 1 0 | 0 1 0 | 0 0 0 | 0 1 1
 *      minsup = 2 rows, minconf = 0.5. The frequent itemsets with a class:
 *        {a,1} 3 of n(a) 4: a -> 1, confidence 3/4
 *        {b,1} 3 of n(b) 5: b -> 1, 3/5
 *        {b,0} 2 of 5:      b -> 0, 2/5 < 0.5, dropped
 *        {a,b,1} 2 of n(ab) 2: a and b -> 1, 2/2
 *        ({a,0} holds one row: not frequent)
 *      Order by confidence: ab -> 1 (1), a -> 1 (0.75), b -> 1 (0.6).
 *      Coverage: ab -> 1 covers rows 1, 2 (both right): kept; a -> 1
 *      covers rows 3, 4 (3 right): kept; b -> 1 covers 5, 6, 8 (8 right):
 *      kept; row 7 (class 0) is left, so the default is class 0.
 *      Predictions: (1,1) class 1, P = 1; (1,0) class 1, P = 0.75;
 *      (0,1) class 1, P = 0.6; (0,0) the default, P(0) = 1.
 *   2. Bins: x = 1..9, bins=3: the cuts are the sorted values at 3/9 and
 *      6/9, 4 and 7; so 3.9 is "x < 4", 4 is "4 <= x < 7", 7 is "x >= 7".
 *   3. Planted: six random 0/1 features and a noise number; y = 1 when
 *      f0 and f2, else 1 with probability 0.1. The first rule is
 *      f0 and f2 -> class 1 with confidence 1, and every fresh row with
 *      f0 and f2 is predicted 1.
 *   4. save then load gives the same bits; a state cut short is QE_DATA.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/rulecls.h"

static void *
roundtrip(void *m, const struct cls_data *q, const double *out, size_t nk)
{
    struct qerr err = {0};
    struct buf b = BUF_INIT;
    CHECK_OK(cls_rules.save(m, &b, &err), err);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 'm'", "m");
    void *m2 = NULL;
    CHECK_OK(cls_rules.load(&r, &m2, &err), err);
    CHECK_OK(store_read_end(&r, &err), err);
    store_reader_release(&r);
    double *out2 = calloc(nk, sizeof *out2);
    CHECK_OK(cls_rules.proba(m2, q, out2, &err), err);
    CHECK(memcmp(out, out2, nk * sizeof *out) == 0);
    free(out2);
    for (size_t cut = 0; cut < b.len; cut += 5) {
        store_reader_init(&r, b.data, cut, 1, "model 'm'", "m");
        void *m3 = NULL;
        struct qerr e2 = {0};
        int rc = cls_rules.load(&r, &m3, &e2);
        CHECK(rc < 0 && e2.code == QE_DATA && m3 == NULL);
        qerr_clear(&e2);
        store_reader_release(&r);
    }
    buf_release(&b);
    return m2;
}

static void
test_by_hand(void)
{
    double x[] = {1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1};
    int y[] = {1, 1, 1, 0, 0, 0, 0, 1};
    static const char *const names[] = {"a", "b"};
    struct cls_data d = {.x = x, .n = 8, .p = 2, .y = y, .nclass = 2, .names = names};
    struct cls_opts o;
    cls_opts_default(&o);
    o.minsup = 2;
    o.minconf = 0.5;
    struct qerr err = {0};
    void *m = NULL;
    CHECK_OK(cls_rules.fit(&d, &o, NULL, &m, &err), err);
    CHECK_INT(rulecls_n_rules(m), 3);
    int k;
    double conf;
    long long cnt;
    static const double want_conf[] = {1.0, 0.75, 0.6};
    static const int want_len[] = {2, 1, 1};
    for (int r = 0; r < 3; r++) {
        CHECK_INT(rulecls_rule(m, r, &k, &conf, &cnt), want_len[r]);
        CHECK_INT(k, 1);
        CHECK_NEAR(conf, want_conf[r], 1e-15);
    }
    CHECK_INT(rulecls_default(m), 0);
    double q[] = {1, 1, 1, 0, 0, 1, 0, 0}, out[8];
    struct cls_data dq = {.x = q, .n = 4, .p = 2, .nclass = 2};
    CHECK_OK(cls_rules.proba(m, &dq, out, &err), err);
    static const double want[] = {0, 1, 0.25, 0.75, 0.4, 0.6, 1, 0};
    for (int i = 0; i < 8; i++)
        CHECK_NEAR(out[i], want[i], 1e-15);
    struct buf s = BUF_INIT;
    CHECK_OK(cls_rules.show(m, names, &s, &err), err);
    CHECK_HAS(s.data, "1. a and b -> class 1  (confidence 1 = 2/2");
    CHECK_HAS(s.data, "2. a -> class 1  (confidence 0.75 = 3/4");
    CHECK_HAS(s.data, "3. b -> class 1  (confidence 0.6 = 3/5");
    CHECK_HAS(s.data, "otherwise class 0");
    buf_release(&s);
    struct buf t = BUF_INIT;
    cls_rules.trace(m, q + 2, names, &t); /* (1, 0) */
    CHECK_HAS(t.data, "items of the row: a\n");
    CHECK_HAS(t.data, "2. a -> class 1");
    buf_release(&t);
    cls_rules.trace(m, q + 6, names, &t); /* (0, 0) */
    CHECK_HAS(t.data, "no rule of 3 matches: the default class 0");
    buf_release(&t);
    void *m2 = roundtrip(m, &dq, out, 8);
    cls_rules.release(m2);
    cls_rules.release(m);
    CHECK_PTR(cls_method_find("rules"), &cls_rules);
}

static void
test_bins(void)
{
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int y[] = {0, 0, 0, 1, 1, 1, 0, 0, 0};
    static const char *const names[] = {"x"};
    struct cls_data d = {.x = x, .n = 9, .p = 1, .y = y, .nclass = 2, .names = names};
    struct cls_opts o;
    cls_opts_default(&o);
    o.minsup = 3;
    o.bins = 3;
    struct qerr err = {0};
    void *m = NULL;
    CHECK_OK(cls_rules.fit(&d, &o, NULL, &m, &err), err);
    struct buf s = BUF_INIT;
    CHECK_OK(cls_rules.show(m, names, &s, &err), err);
    CHECK_HAS(s.data, "x: 3 equal-frequency bins, cuts 4 7\n");
    CHECK_HAS(s.data, "4 <= x < 7 -> class 1  (confidence 1 = 3/3");
    CHECK_HAS(s.data, "x < 4 -> class 0  (confidence 1 = 3/3");
    CHECK_HAS(s.data, "x >= 7 -> class 0  (confidence 1 = 3/3");
    buf_release(&s);
    double q[] = {3.9, 4, 6.99, 7, NAN}, out[10];
    struct cls_data dq = {.x = q, .n = 5, .p = 1, .nclass = 2};
    CHECK_OK(cls_rules.proba(m, &dq, out, &err), err);
    CHECK_NEAR(out[1], 0, 0);
    CHECK_NEAR(out[3], 1, 0);
    CHECK_NEAR(out[5], 1, 0);
    CHECK_NEAR(out[7], 0, 0);
    /* missing: no item, no rule; every row was covered, so the default is all rows' 6 of 9 */
    CHECK_NEAR(out[8], 6.0 / 9, 1e-15);
    cls_rules.release(m);
}

static uint64_t
lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

static void
planted(double *x, int *y, size_t n, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 6; j++)
            x[i * 7 + (size_t)j] = (double)(lcg(s) & 1);
        x[i * 7 + 6] = (double)(lcg(s) % 1000) / 10;
        int rule = x[i * 7] == 1 && x[i * 7 + 2] == 1;
        y[i] = rule ? 1 : lcg(s) % 10 == 0;
    }
}

static void
test_planted(void)
{
    size_t n = 2000;
    double *x = malloc(n * 7 * sizeof *x), *q = malloc(n * 7 * sizeof *q);
    int *y = malloc(n * sizeof *y), *yq = malloc(n * sizeof *yq);
    uint64_t s = 42;
    planted(x, y, n, &s);
    planted(q, yq, n, &s);
    static const char *const names[] = {"f0", "f1", "f2", "f3", "f4", "f5", "noise"};
    struct cls_data d = {.x = x, .n = n, .p = 7, .y = y, .nclass = 2, .names = names};
    struct cls_opts o;
    cls_opts_default(&o);
    struct qerr err = {0};
    void *m = NULL;
    CHECK_OK(cls_rules.fit(&d, &o, NULL, &m, &err), err);
    int k;
    double conf;
    long long cnt;
    CHECK_INT(rulecls_rule(m, 0, &k, &conf, &cnt), 2);
    CHECK_INT(k, 1);
    CHECK_NEAR(conf, 1, 0);
    struct buf b = BUF_INIT;
    CHECK_OK(cls_rules.show(m, names, &b, &err), err);
    CHECK_HAS(b.data, "   1. f0 and f2 -> class 1  (confidence 1 =");
    buf_release(&b);
    double *out = malloc(n * 2 * sizeof *out);
    struct cls_data dq = {.x = q, .n = n, .p = 7, .nclass = 2};
    CHECK_OK(cls_rules.proba(m, &dq, out, &err), err);
    long long planted_rows = 0, planted_right = 0;
    for (size_t i = 0; i < n; i++)
        if (q[i * 7] == 1 && q[i * 7 + 2] == 1) {
            planted_rows++;
            planted_right += out[i * 2 + 1] == 1;
        }
    CHECK(planted_rows > 400);
    CHECK_INT(planted_right, planted_rows);
    cls_rules.release(m);
    free(out);
    free(x);
    free(q);
    free(y);
    free(yq);
}

int
main(void)
{
    test_by_hand();
    test_bins();
    test_planted();
    return check_done("test_rulecls");
}
