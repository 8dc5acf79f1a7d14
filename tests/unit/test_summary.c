/*
 * test_summary.c: the summary module against values computed by hand:
 * counts, mean, sample sd, interpolated quartiles and histogram bins of
 * small columns; NULL, text in a numeric column, a constant column, one
 * value, a 1e8 offset; top values and their tie rule; groups by a key
 * and by cluster labels; the profile table's shape and rounding.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/frame.h"
#include "prep/summary.h"

static struct catalog *cat;

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(cat), s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

static struct frame *
read_table(const char *table)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    if (frame_read(cat, table, NULL, 0, FRAME_NO_CACHE, NULL, NULL, &f, &err) < 0) {
        fprintf(stderr, "frame_read %s: %s\n", table, err.msg);
        check_fail++;
        qerr_clear(&err);
        return NULL;
    }
    return f;
}

static void
summarise(const struct frame *f, int j, struct summary_col *s)
{
    struct qerr err = QERR_INIT;
    CHECK_INT(summary_column(f, j, SUMMARY_ALL, NULL, NULL, s, &err), 0);
    qerr_clear(&err);
}

static void
test_numbers(void)
{
    /*
     * v: 1 2 3 4 10 and a NULL. mean 4; deviations -3 -2 -1 0 6, squares
     * 9 4 1 0 36 = 50, sample sd sqrt(50/4). Quartiles at positions
     * (5-1)p = 1, 2, 3: 2, 3, 4. Bins of width 9/8 from 1: 1 and 2 in
     * bin 0, 3 in bin 1 (2/1.125 = 1.8), 4 in bin 2, 10 in the last.
     * n: 1 2 3 4 and the text 'x': quartiles at 0.75, 1.5, 2.25, i.e.
     * 1.75, 2.5, 3.25; 'x' is neither a value nor missing.
     */
    sql("CREATE TABLE e(v INTEGER, n INTEGER);"
        "INSERT INTO e VALUES (4, 1), (1, 2), (NULL, 3), (10, 'x'), (3, 4), (2, NULL);");
    struct frame *f = read_table("e");
    if (!f)
        return;
    struct summary_col s;
    summarise(f, 0, &s);
    CHECK_INT(s.numeric, 1);
    CHECK_INT(s.n, 5);
    CHECK_INT(s.n_missing, 1);
    CHECK_INT(s.n_nonnum, 0);
    CHECK_INT(s.n_distinct, 5);
    CHECK_NEAR(s.mean, 4, 1e-15);
    CHECK_NEAR(s.sd, sqrt(50.0 / 4), 1e-14);
    CHECK_NEAR(s.min, 1, 0);
    CHECK_NEAR(s.max, 10, 0);
    CHECK_NEAR(s.q1, 2, 0);
    CHECK_NEAR(s.median, 3, 0);
    CHECK_NEAR(s.q3, 4, 0);
    static const long long bins[SUMMARY_BINS] = {2, 1, 1, 0, 0, 0, 0, 1};
    for (int b = 0; b < SUMMARY_BINS; b++)
        CHECK_INT(s.hist[b], bins[b]);

    summarise(f, 1, &s);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.n_missing, 1);
    CHECK_INT(s.n_nonnum, 1);
    CHECK_INT(s.n_distinct, 4);
    CHECK_NEAR(s.max, 4, 0);
    CHECK_NEAR(s.q1, 1.75, 1e-15);
    CHECK_NEAR(s.median, 2.5, 1e-15);
    CHECK_NEAR(s.q3, 3.25, 1e-15);
    CHECK_NEAR(s.mean, 2.5, 1e-15);
    frame_release(f);
}

static void
test_hard_numbers(void)
{
    /*
     * c: 0.1 three times: the mean is exactly 0.1 (a naive sum gives
     * 0.30000000000000004 / 3 = 0.10000000000000002) and the sd exactly 0.
     * b: 1e8 + 0.1, 0.2, 0.3: sample sd 0.1 (the stored values are within
     * 1.5e-8 of these); sum-of-squares formulas cancel to garbage here.
     * o: one value: sd undefined, NaN (never 0); quartiles the value.
     */
    sql("CREATE TABLE h(c REAL, b REAL, o REAL);"
        "INSERT INTO h VALUES (0.1, 100000000.1, 7.5), (0.1, 100000000.2, NULL),"
        "(0.1, 100000000.3, NULL);");
    struct frame *f = read_table("h");
    if (!f)
        return;
    struct summary_col s;
    summarise(f, 0, &s);
    CHECK(s.mean == 0.1);
    CHECK(s.sd == 0);
    CHECK_INT(s.n_distinct, 1);
    CHECK_INT(s.hist[0], 3); /* a constant column: every value in the first bin */

    summarise(f, 1, &s);
    CHECK_NEAR(s.sd, 0.1, 1e-7);
    CHECK_NEAR(s.mean, 100000000.2, 1e-7);
    CHECK_NEAR(s.median, 100000000.2, 1e-7);

    summarise(f, 2, &s);
    CHECK_INT(s.n, 1);
    CHECK(isnan(s.sd));
    CHECK_NEAR(s.mean, 7.5, 0);
    CHECK_NEAR(s.q1, 7.5, 0);
    CHECK_NEAR(s.q3, 7.5, 0);
    frame_release(f);

    /* zero (whose bits are those of an empty hash slot) and -0.0 are one value */
    sql("CREATE TABLE zero(a REAL, u); INSERT INTO zero VALUES (0.0, 0), (-0.0, -0.0), (0.0, 0),"
        "(3, 3);");
    f = read_table("zero");
    if (!f)
        return;
    summarise(f, 0, &s);
    CHECK_INT(s.n_distinct, 2);
    summarise(f, 1, &s);
    CHECK_INT(s.n_distinct, 2);
    frame_release(f);

    /* no values at all: every statistic NaN, counts 0 */
    sql("CREATE TABLE z(a REAL); INSERT INTO z VALUES (NULL), (NULL);");
    f = read_table("z");
    if (!f)
        return;
    summarise(f, 0, &s);
    CHECK_INT(s.n, 0);
    CHECK_INT(s.n_missing, 2);
    CHECK_INT(s.n_distinct, 0);
    CHECK(isnan(s.mean) && isnan(s.sd) && isnan(s.min) && isnan(s.median));
    frame_release(f);
}

static void
test_text(void)
{
    /*
     * s: b a e c b d a and a NULL: a and b twice, c d e once. Tie rule:
     * equal counts go to the value that sorts first, so a, b, then c.
     * u (untyped): 10 9 x, each twice: numbers come first, by value:
     * 9, 10, x (byte order would say 10, 9, x).
     * w (untyped): 1, 1.0 and 2.5 are numbers: a numeric column, where
     * 1 and 1.0 are one value.
     */
    sql("CREATE TABLE t(s TEXT, u, w);"
        "INSERT INTO t VALUES ('b', 10, 1), ('a', 9, 1.0), ('e', 'x', 2.5), ('c', 10, NULL),"
        "('b', 9, NULL), ('d', 'x', NULL), ('a', NULL, NULL), (NULL, NULL, NULL);");
    struct frame *f = read_table("t");
    if (!f)
        return;
    struct summary_col s;
    summarise(f, 0, &s);
    CHECK_INT(s.numeric, 0);
    CHECK_INT(s.n, 7);
    CHECK_INT(s.n_missing, 1);
    CHECK_INT(s.n_distinct, 5);
    CHECK_STR(f->levels[0][s.min_level], "a");
    CHECK_STR(f->levels[0][s.max_level], "e");
    CHECK_INT(s.n_top, 3);
    CHECK_STR(f->levels[0][s.top[0]], "a");
    CHECK_STR(f->levels[0][s.top[1]], "b");
    CHECK_STR(f->levels[0][s.top[2]], "c");
    CHECK_INT(s.top_count[0], 2);
    CHECK_INT(s.top_count[2], 1);

    summarise(f, 1, &s);
    CHECK_INT(s.numeric, 0);
    CHECK_INT(s.n_top, 3);
    CHECK_STR(f->levels[1][s.top[0]], "9");
    CHECK_STR(f->levels[1][s.top[1]], "10");
    CHECK_STR(f->levels[1][s.top[2]], "x");
    CHECK_STR(f->levels[1][s.min_level], "9");
    CHECK_STR(f->levels[1][s.max_level], "x");

    CHECK_INT(summary_is_numeric(f, 2), 1);
    summarise(f, 2, &s);
    CHECK_INT(s.numeric, 1);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.n_distinct, 2);
    CHECK_NEAR(s.mean, 1.5, 1e-15);
    CHECK_STR(f->levels[2][s.max_level], "2.5");
    frame_release(f);
}

static void
test_groups(void)
{
    /*
     * g: 2 1 NULL 1 2 1 3. Groups: NULL first, then 1, 2, 3.
     * x in group 1: 10, 20, 60: mean 30, deviations -20 -10 30, squares
     * 400 + 100 + 900 = 1400, sample sd sqrt(700). Group 2: 5, NULL: one
     * value, sd NaN. Group 3: 1e8 + 0.1 alone.
     * t in group 1: b, a, b: b; group 2: z, y: a tie, y sorts first.
     */
    sql("CREATE TABLE p(g INTEGER, x REAL, t TEXT);"
        "INSERT INTO p VALUES (2, 5, 'z'), (1, 10, 'b'), (NULL, 7, NULL), (1, 20, 'a'),"
        "(2, NULL, 'y'), (1, 60, 'b'), (3, 100000000.1, NULL);");
    struct frame *f = read_table("p");
    if (!f)
        return;
    struct qerr err = QERR_INIT;
    struct summary_groups g;
    CHECK_INT(summary_groups_by(f, 0, NULL, NULL, &g, &err), 0);
    CHECK_INT(g.n_groups, 4);
    CHECK_INT(g.n, 7);
    CHECK(g.key_num && isnan(g.key_num[0]));
    CHECK_NEAR(g.key_num[1], 1, 0);
    CHECK_NEAR(g.key_num[3], 3, 0);
    CHECK_INT(g.size[0], 1);
    CHECK_INT(g.size[1], 3);
    CHECK_INT(g.size[2], 2);
    struct summary_col per[4];
    CHECK_INT(summary_by_group(f, 1, &g, NULL, NULL, per, &err), 0);
    CHECK_NEAR(per[1].mean, 30, 1e-14);
    CHECK_NEAR(per[1].sd, sqrt(700), 1e-12);
    CHECK_INT(per[2].n, 1);
    CHECK_INT(per[2].n_missing, 1);
    CHECK(isnan(per[2].sd));
    CHECK_NEAR(per[3].mean, 100000000.1, 0);
    CHECK_INT(summary_by_group(f, 2, &g, NULL, NULL, per, &err), 0);
    CHECK_INT(per[0].n_top, 0);
    CHECK_STR(f->levels[2][per[1].top[0]], "b");
    CHECK_INT(per[1].top_count[0], 2);
    CHECK_STR(f->levels[2][per[2].top[0]], "y");

    /* the profile table: one shape, six significant digits, share of the rows in groups */
    int cols[] = {1, 2};
    struct summary_table t;
    CHECK_INT(summary_profile(f, &g, "g", cols, 2, NULL, NULL, NULL, &t, &err), 0);
    CHECK_INT(t.n_cols, 6);
    CHECK_INT(t.n_rows, 4);
    static const char *const names[] = {"g", "size", "share", "x_mean", "x_sd", "t_top"};
    for (int c = 0; c < 6 && c < t.n_cols; c++)
        CHECK_STR(t.cols[c].name, names[c]);
    if (t.n_cols == 6) {
        CHECK_NEAR(t.cols[2].num[1], 0.4286, 0); /* 3/7 to four decimals */
        CHECK_NEAR(t.cols[4].num[1], 26.4575, 0); /* sqrt(700) = 26.457513... */
        CHECK(isnan(t.cols[4].num[2]));           /* NULL, not 0 */
        CHECK_NEAR(t.cols[3].num[3], 100000000.1, 0);
        CHECK_STR(t.cols[5].text[1], "b");
        CHECK(t.cols[5].text[0] == NULL);
    }
    summary_table_release(&t);
    summary_groups_release(&g);
    frame_release(f);

    /* an untyped key: numbers by value before text */
    sql("CREATE TABLE q(k); INSERT INTO q VALUES (10), ('x'), (9), (10);");
    f = read_table("q");
    if (!f)
        return;
    CHECK_INT(summary_groups_by(f, 0, NULL, NULL, &g, &err), 0);
    CHECK_INT(g.n_groups, 3);
    if (g.n_groups == 3 && g.key_text) {
        CHECK_STR(g.key_text[0], "9");
        CHECK_STR(g.key_text[1], "10");
        CHECK_STR(g.key_text[2], "x");
        CHECK_INT(g.size[1], 2);
    }
    summary_groups_release(&g);
    frame_release(f);

    /* an untyped key of numbers only: number keys, INTEGER when whole, NULL first */
    sql("CREATE TABLE q2(k); INSERT INTO q2 VALUES (10), (9), (NULL), (10);");
    f = read_table("q2");
    if (!f)
        return;
    CHECK_INT(summary_groups_by(f, 0, NULL, NULL, &g, &err), 0);
    CHECK_INT(g.n_groups, 3);
    CHECK(g.key_text == NULL && g.key_num != NULL);
    CHECK_INT(g.key_decl, CATALOG_INTEGER);
    if (g.n_groups == 3 && g.key_num) {
        CHECK(isnan(g.key_num[0]));
        CHECK_NEAR(g.key_num[1], 9, 0);
        CHECK_NEAR(g.key_num[2], 10, 0);
    }
    summary_groups_release(&g);
    frame_release(f);
    qerr_clear(&err);
}

static void
test_labels(void)
{
    /*
     * Five rows, the third left out (missing); labels of the other four:
     * 0, -1, 2, 0 with k = 3. Groups: noise (-1) first, then 0, 1 (empty)
     * and 2. x of cluster 0: 1 and 3, mean 2, sample sd sqrt(2).
     */
    sql("CREATE TABLE l(x REAL); INSERT INTO l VALUES (1), (8), (NULL), (5), (3);");
    struct frame *f = read_table("l");
    if (!f)
        return;
    struct qerr err = QERR_INIT;
    long long rows[] = {0, 1, 3, 4};
    int32_t lab[] = {0, -1, 2, 0};
    struct summary_groups g;
    CHECK_INT(summary_groups_labels(f, rows, 4, lab, 3, &g, &err), 0);
    CHECK_INT(g.n_groups, 4);
    CHECK_INT(g.n, 4);
    CHECK_NEAR(g.key_num[0], -1, 0);
    CHECK_NEAR(g.key_num[3], 2, 0);
    CHECK_INT(g.of_row[2], -1);
    CHECK_INT(g.size[1], 2);
    CHECK_INT(g.size[2], 0);
    double centres[] = {NAN, 1.5, 0, 1234.56789, 0, 0, 0, 0}; /* 4 groups x 1 column */
    int cols[] = {0};
    struct summary_table t;
    CHECK_INT(summary_profile(f, &g, "cluster", cols, 1, centres, NULL, NULL, &t, &err), 0);
    static const char *const names[] = {"cluster", "size", "share", "x_centre", "x_mean", "x_sd"};
    CHECK_INT(t.n_cols, 6);
    for (int c = 0; c < 6 && c < t.n_cols; c++)
        CHECK_STR(t.cols[c].name, names[c]);
    if (t.n_cols == 6) {
        CHECK_NEAR(t.cols[4].num[1], 2, 0);
        CHECK_NEAR(t.cols[5].num[1], 1.41421, 0); /* sqrt(2) to six digits */
        CHECK(isnan(t.cols[4].num[2]));           /* an empty cluster: NULL */
        CHECK_NEAR(t.cols[3].num[3], 1234.5679, 0);
        CHECK_NEAR(t.cols[2].num[0], 0.25, 0);
    }
    summary_table_release(&t);
    summary_groups_release(&g);
    frame_release(f);
    qerr_clear(&err);
}

static void
test_round(void)
{
    CHECK(summary_round(1.23456789) == 1.23457);
    CHECK(summary_round(0.000123456789) == 0.000123457);
    CHECK(summary_round(123.456789) == 123.4568); /* six digits would keep two decimals */
    CHECK(summary_round(100000000.2) == 100000000.2);
    CHECK(summary_round(-98.7654321) == -98.7654);
    CHECK(isnan(summary_round(NAN)));
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_numbers();
    test_hard_numbers();
    test_text();
    test_groups();
    test_labels();
    test_round();
    catalog_free(cat);
    return check_done("test_summary");
}
