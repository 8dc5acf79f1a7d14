/*
 * test_metrics.c: classification scores (src/classify/metrics.h) against
 * values worked out by hand.
 *
 * Plan:
 *   1. a 3-class confusion matrix (rows true, columns predicted)
 *        t0: 5 1 0   t1: 2 3 1   t2: 0 1 3     (n = 16)
 *      accuracy 11/16; precision 5/7, 3/5, 3/4; recall 5/6, 1/2, 3/4;
 *      F1 = 2TP/(2TP+FP+FN) = 10/13, 6/11, 3/4; balanced accuracy 25/36;
 *      kappa: p_o = 11/16, p_e = (6*7 + 6*5 + 4*4)/256 = 11/32, so
 *      (11/16 - 11/32)/(1 - 11/32) = 11/21
 *   2. binary scores with a tie: positives 0.9 0.8 0.5, negatives 0.7 0.5
 *      0.3 0.1; of the 12 pairs the positive is higher in 10 and tied in
 *      1: AUC = 10.5/12; average precision: thresholds 0.9 (R 1/3, P 1),
 *      0.8 (R 2/3, P 1), 0.7 (no new recall), 0.5 (R 1, P 3/5):
 *      1/3 + 1/3 + 1/5 = 13/15; log loss by hand; a probability 0 of the
 *      true class costs -ln(2^-52)
 *   3. the corrected resampled t-test on d = .05 .1 0 .1 with test/train
 *      1/9: t = .0625 / sqrt((1/4 + 1/9) var(d)); Student's t at the
 *      tabled 5% critical values gives p = 0.05
 *   4. 200 rows of three classes with tied probabilities rounded to 0.01,
 *      some 0: every score equals scikit-learn's to 1e-12
 *      (tests/data/metrics_expected.h, from tests/oracles/metrics.py)
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "classify/metrics.h"

#include "../data/metrics_expected.h" /* tests/oracles/metrics.py */

static void
test_confusion(void)
{
    static const int cm[3][3] = {{5, 1, 0}, {2, 3, 1}, {0, 1, 3}};
    int y[16], pred[16], n = 0;
    for (int t = 0; t < 3; t++)
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < cm[t][p]; i++) {
                y[n] = t;
                pred[n++] = p;
            }
    struct qerr err = {0};
    struct metrics m;
    CHECK_OK(metrics_compute(y, pred, NULL, 16, 3, -1, &m, &err), err);
    CHECK_INT(m.confusion[1 * 3 + 0], 2);
    CHECK_INT(m.support[2], 4);
    CHECK_NEAR(m.accuracy, 11.0 / 16, 1e-15);
    CHECK_NEAR(m.precision[0], 5.0 / 7, 1e-15);
    CHECK_NEAR(m.precision[1], 3.0 / 5, 1e-15);
    CHECK_NEAR(m.recall[0], 5.0 / 6, 1e-15);
    CHECK_NEAR(m.recall[1], 0.5, 1e-15);
    CHECK_NEAR(m.f1[0], 10.0 / 13, 1e-15);
    CHECK_NEAR(m.f1[1], 6.0 / 11, 1e-15);
    CHECK_NEAR(m.f1[2], 0.75, 1e-15);
    CHECK_NEAR(m.macro_precision, (5.0 / 7 + 3.0 / 5 + 3.0 / 4) / 3, 1e-15);
    CHECK_NEAR(m.macro_f1, (10.0 / 13 + 6.0 / 11 + 0.75) / 3, 1e-15);
    CHECK_NEAR(m.weighted_f1, (6 * 10.0 / 13 + 6 * 6.0 / 11 + 4 * 0.75) / 16, 1e-15);
    CHECK_NEAR(m.weighted_recall, 11.0 / 16, 1e-15);
    CHECK_NEAR(m.balanced_accuracy, 25.0 / 36, 1e-15);
    CHECK_NEAR(m.kappa, 11.0 / 21, 1e-15);
    CHECK(isnan(m.roc_auc) && isnan(m.log_loss));
    metrics_release(&m);
    /* A class never predicted: its precision is 0 (0/0), as scikit-learn. */
    int y2[] = {0, 1, 2}, p2[] = {0, 1, 1};
    CHECK_OK(metrics_compute(y2, p2, NULL, 3, 3, -1, &m, &err), err);
    CHECK_NEAR(m.precision[2], 0, 0);
    CHECK_NEAR(m.precision[1], 0.5, 1e-15);
    metrics_release(&m);
    int bad[] = {3};
    CHECK(metrics_compute(bad, bad, NULL, 1, 3, -1, &m, &err) < 0 && err.code == QE_ARG);
    qerr_clear(&err);
}

static void
test_binary(void)
{
    int y[] = {1, 1, 1, 0, 0, 0, 0};
    double s[] = {0.9, 0.8, 0.5, 0.7, 0.5, 0.3, 0.1};
    double proba[14];
    int pred[7];
    for (int i = 0; i < 7; i++) {
        proba[2 * i] = 1 - s[i];
        proba[2 * i + 1] = s[i];
        pred[i] = s[i] > 0.5;
    }
    struct qerr err = {0};
    struct metrics m;
    CHECK_OK(metrics_compute(y, pred, proba, 7, 2, 1, &m, &err), err);
    CHECK_NEAR(m.roc_auc, 10.5 / 12, 1e-15);
    CHECK_NEAR(m.pr_auc, 13.0 / 15, 1e-15);
    double ll = -(log(0.9) + log(0.8) + log(0.5) + log(0.3) + log(0.5) + log(0.7) + log(0.9)) / 7;
    CHECK_NEAR(m.log_loss, ll, 1e-15);
    metrics_release(&m);
    /*
     * Class 0 as positive, scored by its own probability 1 - s: the same
     * AUC; average precision over 0.9 0.7 (P), 0.5 (P and N tied), 0.3 (P),
     * 0.2 0.1 (N): 1/4 + 1/4 + 1/4 * 3/4 + 1/4 * 4/5 = 0.8875.
     */
    CHECK_OK(metrics_compute(y, pred, proba, 7, 2, 0, &m, &err), err);
    CHECK_NEAR(m.roc_auc, 10.5 / 12, 1e-15);
    CHECK_NEAR(m.pr_auc, 0.8875, 1e-15);
    metrics_release(&m);
    /* Clipping: certain and wrong costs -ln(eps), not infinity. */
    int y1[] = {0};
    double p1[] = {0.0, 1.0};
    CHECK_NEAR(metrics_log_loss(y1, p1, 1, 2), 52 * log(2.0), 1e-9);
    /*
     * The curve: (0,0); 0.9 -> (0, 1/3); 0.8 -> (0, 2/3); 0.7 -> (1/4, 2/3);
     * 0.5 (one of each) -> (2/4, 1); 0.3 -> (3/4, 1); 0.1 -> (1, 1).
     */
    unsigned char isp[7];
    for (int i = 0; i < 7; i++)
        isp[i] = (unsigned char)y[i];
    double *fx, *ty;
    size_t np;
    CHECK_OK(metrics_roc_curve(isp, s, 7, &fx, &ty, &np, &err), err);
    CHECK_INT(np, 7);
    double wx[] = {0, 0, 0, 0.25, 0.5, 0.75, 1}, wy[] = {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1, 1};
    for (size_t i = 0; i < 7 && i < np; i++) {
        CHECK_NEAR(fx[i], wx[i], 1e-15);
        CHECK_NEAR(ty[i], wy[i], 1e-15);
    }
    free(fx);
    free(ty);
    /* All scores tied: AUC 1/2. */
    unsigned char pos[] = {1, 0, 1, 0};
    double tied[] = {0.3, 0.3, 0.3, 0.3}, auc;
    CHECK_OK(metrics_roc_auc(pos, tied, 4, &auc, &err), err);
    CHECK_NEAR(auc, 0.5, 0);
}

static void
test_ttest(void)
{
    double a[] = {0.8, 0.9, 0.85, 0.7}, b[] = {0.75, 0.8, 0.85, 0.6}, t, p;
    metrics_ttest_corrected(a, b, 4, 1.0 / 9, &t, &p);
    double var = (0.0125 * 0.0125 + 0.0375 * 0.0375 + 0.0625 * 0.0625 + 0.0375 * 0.0375) / 3;
    CHECK_NEAR(t, 0.0625 / sqrt((0.25 + 1.0 / 9) * var), 1e-12);
    CHECK_NEAR(p, 0.11816478708559781, 1e-9); /* scipy.stats.t.sf, twice */
    /* The tabled two-sided 5% critical values of Student's t. */
    CHECK_NEAR(metrics_t_two_sided(3.182446305284263, 3), 0.05, 1e-9);
    CHECK_NEAR(metrics_t_two_sided(2.2281388519649385, 10), 0.05, 1e-9);
    CHECK_NEAR(metrics_t_two_sided(0, 5), 1, 1e-12);
    /* Identical results: no difference, p = 1. */
    metrics_ttest_corrected(a, a, 4, 1.0 / 9, &t, &p);
    CHECK_NEAR(p, 1, 0);
}

/* 200 rows of three classes with tied, rounded and zero probabilities, against scikit-learn. */
static void
test_oracle(void)
{
    struct qerr err = {0};
    struct metrics m;
    CHECK_OK(metrics_compute(oracle_y, oracle_pred, oracle_proba, ORACLE_N, 3, -1, &m, &err),
             err);
    CHECK_NEAR(m.accuracy, oracle_accuracy, 1e-12);
    CHECK_NEAR(m.balanced_accuracy, oracle_balanced_accuracy, 1e-12);
    CHECK_NEAR(m.kappa, oracle_kappa, 1e-12);
    CHECK_NEAR(m.macro_precision, oracle_macro_precision, 1e-12);
    CHECK_NEAR(m.macro_recall, oracle_macro_recall, 1e-12);
    CHECK_NEAR(m.macro_f1, oracle_macro_f1, 1e-12);
    CHECK_NEAR(m.weighted_precision, oracle_weighted_precision, 1e-12);
    CHECK_NEAR(m.weighted_recall, oracle_weighted_recall, 1e-12);
    CHECK_NEAR(m.weighted_f1, oracle_weighted_f1, 1e-12);
    CHECK_NEAR(m.log_loss, oracle_log_loss, 1e-12);
    metrics_release(&m);
    unsigned char pos[ORACLE_N];
    double s[ORACLE_N], auc, ap;
    for (int i = 0; i < ORACLE_N; i++) {
        pos[i] = oracle_y[i] == 2;
        s[i] = oracle_proba[i * 3 + 2];
    }
    CHECK_OK(metrics_roc_auc(pos, s, ORACLE_N, &auc, &err), err);
    CHECK_OK(metrics_average_precision(pos, s, ORACLE_N, &ap, &err), err);
    CHECK_NEAR(auc, oracle_roc_auc_2, 1e-12);
    CHECK_NEAR(ap, oracle_ap_2, 1e-12);
}

int
main(void)
{
    test_oracle();
    test_confusion();
    test_binary();
    test_ttest();
    return check_done("test_metrics");
}
