/*
 * test_fcrun_threads.c: fc_run's groups on threads (forecast/fcrun.h,
 * threads=N for the classical methods).
 *
 * Plan:
 *   1. 13 monthly series of 30 to 48 values (a trend, a season of 12 and
 *      noise from a fixed recurrence; they differ in length, so in fit
 *      effort, and their rows come in a scrambled order): holtwinters, theta,
 *      arima (1,1,1), ses, holt and snaive on 1, 2, 3 and 16
 *      threads give the same output, every row's every number to the bit
 *      (memcmp), and the same per-group metrics and seasons
 *   2. more threads than groups (16 on 13)
 *   3. a short group in the middle (group 9: 5 values with holdout 6)
 *      fails the run on 1 and on 4 threads with the same message, which
 *      names group 9; the one-thread message is the sequential loop's own
 *   4. the rows out: n + horizon per group, in group order, on any number
 *   5. a progress callback that cancels stops the threaded run with
 *      QE_INTERRUPT and leaks nothing (ASan)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "forecast/fcrun.h"

#define NG 13
#define MAXN 48

struct data {
    long long n;
    int32_t group[NG * MAXN];
    double t[NG * MAXN], y[NG * MAXN];
};

/* The first day of month m after 2020-01 in seconds since 1970 (days from a table). */
static double
month_start(int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long long day = 18262; /* 2020-01-01 */
    for (int i = 0; i < m; i++) {
        int mo = i % 12, yr = 2020 + i / 12;
        int leap = (yr % 4 == 0 && yr % 100 != 0) || yr % 400 == 0;
        day += mdays[mo] + (mo == 1 && leap);
    }
    return (double)day * 86400.0;
}

/* NG series; series g has 30 + (g * 7) % 19 values, or short (5) when g == shortg. */
static void
make_data(struct data *d, int shortg)
{
    unsigned long long s = 12345;
    d->n = 0;
    /* rows in a scrambled group order, so the sort inside fc_run matters */
    for (int k = 0; k < NG; k++) {
        int g = (k * 5) % NG;
        int n = g == shortg ? 5 : 30 + (g * 7) % 19;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double noise = (double)(s >> 11) / 9007199254740992.0 - 0.5;
            d->group[d->n] = g;
            d->t[d->n] = month_start(i);
            d->y[d->n] = 100 + g + (0.5 + 0.1 * (g % 5)) * i +
                         (10 + g % 7) * sin(2 * M_PI * i / 12.0) + 4 * noise;
            d->n++;
        }
    }
}

static int
run(const struct data *d, const struct fc_method *m, int threads, int ng,
    int (*progress)(void *, double), struct fc_run_out *o, struct qerr *e)
{
    struct fc_run_in in = {.n_rows = d->n, .group = d->group, .n_groups = ng, .t = d->t,
                           .y = d->y, .method = m, .horizon = 6, .holdout = 6, .level = 0.9,
                           .threads = threads, .progress = progress};
    fc_opts_default(&in.opts);
    in.opts.season = strcmp(m->name, "ses") == 0 || strcmp(m->name, "holt") == 0 ? 0 : 12;
    if (strcmp(m->name, "arima") == 0) { /* ARIMA(1,1,1) (the auto search is slow under ASan) */
        in.opts.season = 0;
        in.opts.order[0] = in.opts.order[1] = in.opts.order[2] = 1;
    }
    return fc_run(&in, o, e);
}

static int
same_bits(const double *a, const double *b, long long n)
{
    return memcmp(a, b, (size_t)n * sizeof(double)) == 0;
}

static void
test_same_output(void)
{
    static struct data d;
    make_data(&d, -1);
    const char *names[] = {"holtwinters", "theta", "arima", "ses", "holt", "snaive"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const struct fc_method *m = fc_method_find(names[k]);
        struct fc_run_out o1 = {0};
        struct qerr e = QERR_INIT;
        CHECK_OK(run(&d, m, 1, NG, NULL, &o1, &e), e);
        long long want = 0;
        for (int g = 0; g < NG; g++)
            want += 30 + (g * 7) % 19 + 6;
        CHECK_INT(o1.n, want);
        CHECK_INT(o1.n_groups, NG);
        const int threads[] = {2, 3, 16};
        for (int ti = 0; ti < 3; ti++) {
            struct fc_run_out o = {0};
            CHECK_OK(run(&d, m, threads[ti], NG, NULL, &o, &e), e);
            CHECK_INT(o.n, o1.n);
            CHECK_INT(o.n_groups, o1.n_groups);
            if (o.n != o1.n || o.n_groups != o1.n_groups) {
                fc_run_release(&(struct fc_run_in){.method = m}, &o);
                continue;
            }
            int same = memcmp(o.group, o1.group, (size_t)o.n * sizeof(int32_t)) == 0 &&
                       memcmp(o.part, o1.part, (size_t)o.n * sizeof(int)) == 0 &&
                       same_bits(o.day, o1.day, o.n) && same_bits(o.actual, o1.actual, o.n) &&
                       same_bits(o.pred, o1.pred, o.n) && same_bits(o.lower, o1.lower, o.n) &&
                       same_bits(o.upper, o1.upper, o.n) && same_bits(o.error, o1.error, o.n) &&
                       same_bits(o.relerr, o1.relerr, o.n);
            if (!same)
                printf("  %s on %d threads: rows differ from one thread's\n", names[k],
                       threads[ti]);
            CHECK(same);
            int gsame = 1;
            for (int g = 0; g < NG; g++)
                gsame &= o.g[g].id == o1.g[g].id && o.g[g].season == o1.g[g].season &&
                         o.g[g].n == o1.g[g].n &&
                         memcmp(&o.g[g].met, &o1.g[g].met, sizeof o.g[g].met) == 0;
            CHECK(gsame);
            CHECK(memcmp(&o.all, &o1.all, sizeof o.all) == 0);
            CHECK(same_bits(&o.all_mase, &o1.all_mase, 1));
            struct fc_run_in rel = {.method = m};
            fc_run_release(&rel, &o);
        }
        /* the rows come group by group, in group order */
        int ordered = 1;
        for (long long i = 1; i < o1.n; i++)
            ordered &= o1.group[i] >= o1.group[i - 1];
        CHECK(ordered);
        struct fc_run_in rel = {.method = m};
        fc_run_release(&rel, &o1);
        qerr_clear(&e);
    }
}

static void
test_short_group(void)
{
    static struct data d;
    make_data(&d, 9);
    const struct fc_method *m = fc_method_find("holtwinters");
    struct fc_run_in rel = {.method = m};
    struct fc_run_out o1 = {0}, o4 = {0};
    struct qerr e1 = QERR_INIT, e4 = QERR_INIT;
    CHECK_INT(run(&d, m, 1, NG, NULL, &o1, &e1), -1);
    CHECK_INT(run(&d, m, 4, NG, NULL, &o4, &e4), -1);
    CHECK_INT(e1.code, QE_DATA);
    CHECK_INT(e4.code, QE_DATA);
    CHECK_STR(e4.msg, e1.msg);
    CHECK_HAS(e1.msg, "group 9 has 5 values");
    fc_run_release(&rel, &o1);
    fc_run_release(&rel, &o4);
    qerr_clear(&e1);
    qerr_clear(&e4);
}

static int
cancel_at_once(void *p, double f)
{
    (void)p;
    (void)f;
    return 1;
}

static void
test_cancel(void)
{
    static struct data d;
    make_data(&d, -1);
    const struct fc_method *m = fc_method_find("holtwinters");
    struct fc_run_in rel = {.method = m};
    struct fc_run_out o = {0};
    struct qerr e = QERR_INIT;
    CHECK_INT(run(&d, m, 3, NG, cancel_at_once, &o, &e), -1);
    CHECK_INT(e.code, QE_INTERRUPT);
    fc_run_release(&rel, &o);
    qerr_clear(&e);
}

int
main(void)
{
    test_same_output();
    test_short_group();
    test_cancel();
    return check_done("test_fcrun_threads");
}
