/*
 * test_series.c: period arithmetic (ISO weeks from Monday, months,
 * quarters, years) and series_build on a hand-computed log of two groups
 * over three months: sum, mean, count, fill=zero and fill=null, skipped
 * rows, the size limit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/datetime.h"
#include "prep/series.h"

static double
at(int y, int m, int d)
{
    return (double)datetime_days(y, m, d) * 86400 + 3600 * 13;
}

static void
test_periods(void)
{
    long long d = datetime_days(2024, 5, 17); /* a Friday */
    CHECK_INT(series_period_start(series_period_of(d, SERIES_DAY), SERIES_DAY), d);
    CHECK_INT(series_period_start(series_period_of(d, SERIES_WEEK), SERIES_WEEK),
              datetime_days(2024, 5, 13));
    long long mon = datetime_days(2024, 5, 13), sun = datetime_days(2024, 5, 19);
    CHECK_INT(series_period_of(mon, SERIES_WEEK), series_period_of(sun, SERIES_WEEK));
    CHECK_INT(series_period_of(sun + 1, SERIES_WEEK), series_period_of(sun, SERIES_WEEK) + 1);
    CHECK_INT(series_period_start(series_period_of(d, SERIES_MONTH), SERIES_MONTH),
              datetime_days(2024, 5, 1));
    CHECK_INT(series_period_start(series_period_of(d, SERIES_QUARTER), SERIES_QUARTER),
              datetime_days(2024, 4, 1));
    CHECK_INT(series_period_start(series_period_of(d, SERIES_YEAR), SERIES_YEAR),
              datetime_days(2024, 1, 1));
    /* before 1970 too: the week of 1969-12-31 starts Monday 1969-12-29 */
    CHECK_INT(series_period_start(series_period_of(-1, SERIES_WEEK), SERIES_WEEK), -3);
    CHECK_INT(series_period_start(series_period_of(-1, SERIES_MONTH), SERIES_MONTH),
              datetime_days(1969, 12, 1));
    CHECK_INT(series_period_of(datetime_days(2024, 12, 31), SERIES_MONTH) -
                  series_period_of(datetime_days(2023, 1, 1), SERIES_MONTH), 23);
}

static void
test_build(void)
{
    /* g0: Jan 1, Mar 2, Mar 4; g1: Feb 10; then no group, no date, no value */
    const int32_t grp[] = {0, 0, 0, 1, -1, 0, 1};
    const double t[] = {at(2024, 1, 15), at(2024, 3, 2), at(2024, 3, 20), at(2024, 2, 1),
                        at(2024, 5, 1), NAN, at(2024, 6, 1)};
    const double v[] = {1, 2, 4, 10, 99, 99, NAN};
    struct series_in in = {.n_rows = 7, .group = grp, .n_groups = 2, .t = t, .value = v,
                           .period = SERIES_MONTH, .agg = SERIES_SUM, .max_cells = 1000};
    struct series_out o;
    struct qerr err = QERR_INIT;
    CHECK_INT(series_build(&in, &o, &err), 0);
    CHECK_INT(o.n_periods, 3);
    CHECK_INT(o.n, 6);
    CHECK_INT(o.n_used, 4);
    CHECK_INT(o.n_no_group, 1);
    CHECK_INT(o.n_bad_date, 1);
    CHECK_INT(o.n_no_value, 1);
    CHECK_INT(o.n_empty, 3);
    const double sum[] = {1, 0, 6, 0, 10, 0};
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(o.value[i], sum[i], 1e-12);
    CHECK_INT(o.group[0], 0);
    CHECK_INT(o.group[3], 1);
    CHECK_INT(o.start[0], datetime_days(2024, 1, 1));
    CHECK_INT(o.start[2], datetime_days(2024, 3, 1));
    CHECK_INT(o.start[4], datetime_days(2024, 2, 1));
    series_out_release(&o);

    in.agg = SERIES_MEAN;
    in.fill_null = 1;
    CHECK_INT(series_build(&in, &o, &err), 0);
    CHECK_NEAR(o.value[0], 1, 1e-12);
    CHECK(isnan(o.value[1]));
    CHECK_NEAR(o.value[2], 3, 1e-12);
    CHECK(isnan(o.value[3]));
    series_out_release(&o);

    in.agg = SERIES_COUNT;
    in.fill_null = 0;
    CHECK_INT(series_build(&in, &o, &err), 0);
    CHECK_NEAR(o.value[2], 2, 0);
    CHECK_NEAR(o.value[4], 1, 0);
    series_out_release(&o);

    /* no groups: one series, the row without a group counts; Jan 15 to May 1 daily */
    in.group = NULL;
    in.n_groups = 1;
    in.period = SERIES_DAY;
    in.agg = SERIES_SUM;
    CHECK_INT(series_build(&in, &o, &err), 0);
    CHECK_INT(o.n_periods, 17 + 29 + 31 + 30 + 1);
    CHECK_INT(o.n_used, 5);
    CHECK_NEAR(o.value[0], 1, 0);
    CHECK_NEAR(o.value[107], 99, 0);
    series_out_release(&o);

    in.max_cells = 10;
    CHECK_INT(series_build(&in, &o, &err), -1);
    CHECK_HAS(err.msg, "over the limit of 10");
    qerr_clear(&err);

    const double nothing[] = {NAN, NAN};
    struct series_in none = {.n_rows = 2, .t = nothing, .value = v, .n_groups = 1,
                             .max_cells = 10};
    CHECK_INT(series_build(&none, &o, &err), -1);
    CHECK_HAS(err.msg, "rows without a date: 2,");
    qerr_clear(&err);
}

int
main(void)
{
    test_periods();
    test_build();
    return check_done("test_series");
}
