/*
 * test_plot.c: the plot engine without gnuplot: the quoting rule
 * (plot/plot.h, "Safety"), the scripts each kind makes (terminal, plot
 * command, data blocks, labels only as quoted literals), and the numbers
 * behind figures checked by hand: histogram bins, the least squares line,
 * seeded sampling and the dendrogram layout.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plot/plot.h"

static char *
quoted(const char *s)
{
    struct buf b = BUF_INIT;
    plot_quote(&b, s);
    return buf_detach(&b);
}

/*
 * After removing every quoted literal ('...' with '' inside), the script
 * must hold no user text: none of the payload's characters that could
 * start a command (backquote, system, '!' at a line start, '|').
 */
static int
outside_quotes_has(const char *script, const char *needle)
{
    struct buf b = BUF_INIT;
    for (const char *p = script; *p; p++) {
        if (*p == '\'') {
            for (p++; *p; p++) {
                if (*p == '\'' && p[1] == '\'')
                    p++;
                else if (*p == '\'')
                    break;
            }
            if (!*p)
                break;
            buf_adds(&b, "Q");
            continue;
        }
        buf_addc(&b, *p);
    }
    int hit = strstr(b.data, needle) != NULL;
    buf_release(&b);
    return hit;
}

static void
test_quote(void)
{
    char *q = quoted("plain");
    CHECK_STR(q, "'plain'");
    free(q);
    q = quoted("a'; system('touch /tmp/x'); '");
    CHECK_STR(q, "'a''; system(''touch /tmp/x''); '''");
    free(q);
    q = quoted("x`touch /tmp/y`\n!touch /tmp/z\r\x7f");
    CHECK_STR(q, "'x`touch /tmp/y`!touch /tmp/z'");
    free(q);
    q = quoted("a\\'; system(\"t\"); #");
    CHECK_STR(q, "'a\\''; system(\"t\"); #'");
    free(q);
    /* Cut at 200 bytes, never inside a UTF-8 character (é is 2 bytes). */
    char longs[402];
    for (int i = 0; i < 200; i++)
        memcpy(longs + 2 * i, "\xc3\xa9", 2);
    longs[400] = 0;
    q = quoted(longs);
    CHECK_INT(strlen(q), 200 + 2);
    free(q);
}

static void
test_scatter_script(void)
{
    static const double x[] = {1, 2, NAN, 4}, y[] = {10, 20, 30, INFINITY};
    static const char *const bad = "`touch /tmp/q1`\" . system(\"touch /tmp/q2\") . \"";
    struct plot_series s = {.name = bad, .n = 4, .x = x, .y = y};
    struct plot_spec p = {.kind = PLOT_SCATTER, .title = "t'it\nle", .xlabel = bad,
                          .ylabel = "!touch /tmp/q3", .series = &s, .n_series = 1};
    struct plot_out o = {.term = PLOT_TERM_PNG, .width = 640, .height = 480};
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_script(&p, &o, "/tmp/d/out.png", 42, &b, &e), e);
    CHECK_HAS(b.data, "set terminal pngcairo size 640,480 noenhanced");
    CHECK_HAS(b.data, "set output '/tmp/d/out.png'\n");
    CHECK_HAS(b.data, "set title 't''itle' noenhanced\n");
    CHECK_HAS(b.data, "with points pt 7");
    /* Non-finite values are NaN, never inf. */
    CHECK_HAS(b.data, "\nNaN 30\n");
    CHECK_HAS(b.data, "\n4 NaN\n");
    CHECK(strstr(b.data, "inf") == NULL);
    CHECK(!outside_quotes_has(b.data, "`"));
    CHECK(!outside_quotes_has(b.data, "system"));
    CHECK(!outside_quotes_has(b.data, "touch"));
    CHECK(!outside_quotes_has(b.data, "\n!"));
    /* Data blocks: $d0 << QD<16 hex>, closed by the same terminator. */
    const char *open = strstr(b.data, "$d0 << QD");
    CHECK(open != NULL);
    if (open) {
        char term[19];
        memcpy(term, open + 7, 18);
        term[18] = 0;
        struct buf close = BUF_INIT;
        buf_addf(&close, "\n%s\n", term);
        CHECK(strstr(open, close.data) != NULL);
        buf_release(&close);
    }
    buf_release(&b);

    /* Another seed, another terminator. */
    struct buf b2 = BUF_INIT, b3 = BUF_INIT;
    plot_script(&p, &o, NULL, 1, &b2, &e);
    plot_script(&p, &o, NULL, 2, &b3, &e);
    CHECK(strcmp(b2.data, b3.data) != 0);
    CHECK(strstr(b2.data, "set output") == NULL);
    buf_release(&b2);
    buf_release(&b3);
}

static void
test_kind_scripts(void)
{
    static const double x[] = {0, 1, 2}, y[] = {3, 1, 2}, lo[] = {2, 0, 1}, hi[] = {4, 2, 3};
    struct plot_series s = {.n = 3, .x = x, .y = y, .lo = lo, .hi = hi};
    struct plot_spec p = {.kind = PLOT_LINE, .series = &s, .n_series = 1};
    struct plot_out dumb = {.term = PLOT_TERM_DUMB, .width = 70, .height = 20, .color = 1};
    struct plot_out svg = {.term = PLOT_TERM_SVG, .width = 300, .height = 200};
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_script(&p, &dumb, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "set terminal dumb size 70,20 noenhanced ansi\n");
    CHECK_HAS(b.data, "using 1:3 with lines dt 2");
    buf_reset(&b);
    CHECK_OK(plot_script(&p, &svg, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "set terminal svg size 300,200");
    CHECK_HAS(b.data, "using 1:3:4 with filledcurves");
    CHECK_HAS(b.data, "\n0 3 2 4\n");

    /* hist and bar: boxes; bar labels its categories with quoted tics. */
    static const char *const cats[] = {"a'b", "c"};
    struct plot_series bs = {.n = 2, .x = x, .y = y};
    struct plot_spec bar = {.kind = PLOT_BAR, .series = &bs, .n_series = 1,
                            .xaxis = PLOT_AXIS_CAT, .xtics = cats, .n_xtics = 2,
                            .box_width = 0.8};
    buf_reset(&b);
    CHECK_OK(plot_script(&bar, &svg, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "with boxes");
    CHECK_HAS(b.data, "set xtics ('a''b' 0, 'c' 1) noenhanced\n");
    CHECK_HAS(b.data, "set boxwidth 0.8 absolute");

    /* heatmap: a matrix block, row labels, values in the cells. */
    static const double z[] = {1, 2, 3, NAN};
    static const char *const xl[] = {"m1", "m2"}, *const yl[] = {"s1", "s2"};
    struct plot_spec hm = {.kind = PLOT_HEATMAP, .values = 1,
                           .m = {.nx = 2, .ny = 2, .xlabels = xl, .ylabels = yl, .z = z}};
    buf_reset(&b);
    CHECK_OK(plot_script(&hm, &svg, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "\n1 2\n3 NaN\n");
    CHECK_HAS(b.data, "matrix with image");
    CHECK_HAS(b.data, "with labels");
    CHECK_HAS(b.data, "set ytics ('s1' 0, 's2' 1) noenhanced");
    CHECK_HAS(b.data, "set cbrange [1:3]");
    buf_reset(&b);
    CHECK_OK(plot_script(&hm, &dumb, NULL, 7, &b, &e), e);
    CHECK(strstr(b.data, "with image") == NULL); /* illegible in text: labels only */

    /* An empty spec is an error, not an empty figure. */
    struct plot_spec none = {.kind = PLOT_SCATTER};
    buf_reset(&b);
    CHECK(plot_script(&none, &svg, NULL, 7, &b, &e) < 0);
    CHECK_INT(e.code, QE_ARG);
    qerr_clear(&e);
    buf_release(&b);
}

static void
test_hist_bins(void)
{
    /*
     * 1..100: IQR by the nearest-rank quartiles v[24] = 25, v[74] = 75 -> 50;
     * width 2 * 50 / 100^(1/3) = 21.54; ceil(99 / 21.54) = 5 bins of 19.8.
     */
    double x[101];
    for (int i = 0; i < 100; i++)
        x[i] = i + 1;
    x[100] = NAN;
    double lo, w, counts[5];
    int nb;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_hist_bins(x, 101, 0, NULL, NULL, &lo, &w, &nb, &e), e);
    CHECK_INT(nb, 5);
    CHECK_NEAR(lo, 1, 1e-12);
    CHECK_NEAR(w, 19.8, 1e-12);
    plot_hist_count(x, 101, lo, w, nb, counts);
    /* [1,20.8) holds 1..20, ..., the maximum 100 goes in the last bin. */
    CHECK_NEAR(counts[0], 20, 0);
    CHECK_NEAR(counts[4], 20, 0);
    CHECK_NEAR(counts[0] + counts[1] + counts[2] + counts[3] + counts[4], 100, 0);
    CHECK_OK(plot_hist_bins(x, 101, 4, NULL, NULL, &lo, &w, &nb, &e), e);
    CHECK_INT(nb, 4);
    CHECK_NEAR(w, 24.75, 1e-12);
    double c1[] = {3, 3, 3};
    CHECK_OK(plot_hist_bins(c1, 3, 0, NULL, NULL, &lo, &w, &nb, &e), e);
    CHECK_INT(nb, 1);
    CHECK_NEAR(lo, 2.5, 0);
    double nan1[] = {NAN};
    CHECK(plot_hist_bins(nan1, 1, 0, NULL, NULL, &lo, &w, &nb, &e) < 0);
    qerr_clear(&e);
}

static void
test_fit(void)
{
    /* y = 1 + 2x exactly, plus a pair with a NaN that is skipped: r = 1. */
    double x[] = {0, 1, 2, 3, NAN}, y[] = {1, 3, 5, 7, 100};
    double a, b, r;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_fit_line(x, y, 5, &a, &b, &r, &e), e);
    CHECK_NEAR(a, 1, 1e-12);
    CHECK_NEAR(b, 2, 1e-12);
    CHECK_NEAR(r, 1, 1e-12);
    /*
     * x = 1,2,3, y = 2,1,3 by hand: mx 2, my 2, sxy = 1, sxx = 2, syy = 2:
     * b = sxy / sxx = 0.5, a = my - b mx = 1, r = 1 / sqrt(2 * 2) = 0.5.
     */
    double x2[] = {1, 2, 3}, y2[] = {2, 1, 3};
    CHECK_OK(plot_fit_line(x2, y2, 3, &a, &b, &r, &e), e);
    CHECK_NEAR(b, 0.5, 1e-12);
    CHECK_NEAR(a, 1, 1e-12);
    CHECK_NEAR(r, 0.5, 1e-12);
    double cx[] = {1, 1};
    CHECK(plot_fit_line(cx, y2, 2, &a, &b, &r, &e) < 0);
    qerr_clear(&e);
}

static void
test_sample(void)
{
    long long a[10], b[10], c[10];
    plot_sample_rows(1000, 10, 5, a);
    plot_sample_rows(1000, 10, 5, b);
    plot_sample_rows(1000, 10, 6, c);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(memcmp(a, c, sizeof a) != 0);
    for (int i = 1; i < 10; i++)
        CHECK(a[i] > a[i - 1]);
    CHECK(a[0] >= 0 && a[9] < 1000);
    long long all[5];
    plot_sample_rows(5, 5, 1, all);
    for (int i = 0; i < 5; i++)
        CHECK_INT(all[i], i);
}

static void
test_dendrogram(void)
{
    /* Leaves 0..3; merges: (0,1)->4 at 1, (2,3)->5 at 2, (4,5)->6 at 3. */
    double l[] = {0, 2, 4}, r[] = {1, 3, 5}, h[] = {1, 2, 3};
    double *px = NULL, *py = NULL;
    long long np = 0, order[4];
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_dendrogram(l, r, h, 3, &px, &py, &np, order, &e), e);
    CHECK_INT(np, 15); /* three caps of four points and a break */
    for (int i = 0; i < 4; i++)
        CHECK_INT(order[i], i);
    /* The first cap joins leaves 0 and 1 (x 0 and 1) at height 1. */
    CHECK_NEAR(px[0], 0, 0);
    CHECK_NEAR(py[0], 0, 0);
    CHECK_NEAR(py[1], 1, 0);
    CHECK_NEAR(px[2], 1, 0);
    CHECK(isnan(px[4]));
    /* The root cap spans the two middles, 0.5 and 2.5, at height 3. */
    CHECK_NEAR(px[10], 0.5, 0);
    CHECK_NEAR(px[12], 2.5, 0);
    CHECK_NEAR(py[11], 3, 0);
    free(px);
    free(py);
    double bl[] = {0, 0}, br[] = {1, 2}, bh[] = {1, 2};
    CHECK(plot_dendrogram(bl, br, bh, 2, &px, &py, &np, order, &e) < 0);
    CHECK_HAS(e.msg, "already merged");
    qerr_clear(&e);
    double fl[] = {0, 9}, fr[] = {1, 2};
    CHECK(plot_dendrogram(fl, fr, bh, 2, &px, &py, &np, order, &e) < 0);
    CHECK_HAS(e.msg, "does not exist");
    qerr_clear(&e);
}

static void
test_terms(void)
{
    CHECK_INT(plot_term_of_path("a/b.PNG"), PLOT_TERM_PNG);
    CHECK_INT(plot_term_of_path("x.svg"), PLOT_TERM_SVG);
    CHECK_INT(plot_term_of_path("x.pdf"), PLOT_TERM_PDF);
    CHECK_INT(plot_term_of_path("x.gif"), -1);
    CHECK_INT(plot_term_of_path("dir.png/x"), -1);
    char *path = NULL;
    struct qerr e = QERR_INIT;
    CHECK(plot_find_gnuplot("/nonexistent/gnuplot", &path, &e) < 0);
    CHECK_INT(e.code, QE_NOTFOUND);
    CHECK_HAS(e.msg, "sudo apt-get install -y gnuplot-nox");
    qerr_clear(&e);
}

/*
 * The style of each series in a script: for every "$dN using ..." term of
 * the plot command, the text after KEY ("lc rgb '#...'", "pt N", "dt N")
 * up to the next space, joined into one string per series.
 */
static int
series_styles(const char *script, char styles[][64], int max)
{
    const char *p = strstr(script, "\nplot ");
    int n = 0;
    while (p && n < max && (p = strstr(p, "$d")) != NULL) {
        const char *end = strstr(p, ", \\\n");
        if (!end)
            end = p + strlen(p);
        static const char *const keys[] = {"lc rgb ", " pt ", " dt "};
        styles[n][0] = 0;
        for (int k = 0; k < 3; k++) {
            const char *v = strstr(p, keys[k]);
            if (!v || v > end)
                continue;
            v += strlen(keys[k]);
            size_t len = strcspn(v, " \n");
            size_t used = strlen(styles[n]);
            if (used + len + 2 < 64) {
                memcpy(styles[n] + used, v, len);
                styles[n][used + len] = '|';
                styles[n][used + len + 1] = 0;
            }
        }
        n++;
        p = end;
    }
    return n;
}

/*
 * Groups are told apart: twelve distinct colours (gnuplot's own cycle has
 * eight, so k = 12 clusters showed 0 and 8 alike), then the colours again
 * with another point shape (scatter) or dash pattern (lines).
 */
static void
test_series_styles(void)
{
    enum { N = 20 };
    static const double x[] = {1, 2}, y[] = {3, 4};
    struct plot_series s[N];
    for (int i = 0; i < N; i++)
        s[i] = (struct plot_series){.name = "g", .n = 2, .x = x, .y = y};
    struct plot_out png = {.term = PLOT_TERM_PNG, .width = 640, .height = 480};
    static const enum plot_kind kinds[] = {PLOT_SCATTER, PLOT_LINE};
    for (int k = 0; k < 2; k++) {
        struct plot_spec p = {.kind = kinds[k], .series = s, .n_series = N};
        struct buf b = BUF_INIT;
        struct qerr e = QERR_INIT;
        char st[N][64];
        CHECK_OK(plot_script(&p, &png, NULL, 7, &b, &e), e);
        CHECK_INT(series_styles(b.data, st, N), N);
        /* The first twelve colours differ from each other. */
        char col[N][16];
        for (int i = 0; i < N; i++) {
            const char *c = strstr(b.data, "\nplot ");
            for (int t = 0; c && t <= i; t++)
                c = strstr(c + 1, "$d");
            const char *lc = c ? strstr(c, "lc rgb '") : NULL;
            snprintf(col[i], sizeof col[i], "%.9s", lc ? lc + 7 : "none");
        }
        for (int i = 0; i < 12; i++)
            for (int m = 0; m < i; m++)
                if (strcmp(col[i], col[m]) == 0) {
                    fprintf(stderr, "%s: series %d and %d share colour %s\n",
                            plot_kind_name(kinds[k]), m, i, col[i]);
                    CHECK(strcmp(col[i], col[m]) != 0);
                }
        /* And no two of the twenty series look the same. */
        for (int i = 0; i < N; i++)
            for (int m = 0; m < i; m++)
                if (strcmp(st[i], st[m]) == 0) {
                    fprintf(stderr, "%s: series %d and %d both '%s'\n",
                            plot_kind_name(kinds[k]), m, i, st[i]);
                    CHECK(strcmp(st[i], st[m]) != 0);
                }
        CHECK_HAS(b.data, kinds[k] == PLOT_SCATTER ? " pt 2 " : " dt 2");
        buf_release(&b);
    }
}

/*
 * On a date axis gnuplot reads NaN as 0, 1970-01-01, and every real point
 * went to the far edge: a point without a date is not written.
 */
static void
test_time_nan(void)
{
    static const double x[] = {1704067200, NAN, 1704412800}, y[] = {1, 2, 3};
    struct plot_series s = {.n = 3, .x = x, .y = y};
    struct plot_spec p = {.kind = PLOT_LINE, .series = &s, .n_series = 1,
                          .xaxis = PLOT_AXIS_TIME};
    struct plot_out svg = {.term = PLOT_TERM_SVG, .width = 300, .height = 200};
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_script(&p, &svg, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "set xdata time\n");
    CHECK_HAS(b.data, "\n1704067200 1\n1704412800 3\n");
    CHECK(strstr(b.data, "NaN 2") == NULL);
    buf_release(&b);
    /* On a number axis gnuplot skips NaN itself: the row stays in the block. */
    p.xaxis = PLOT_AXIS_NUM;
    CHECK_OK(plot_script(&p, &svg, NULL, 7, &b, &e), e);
    CHECK_HAS(b.data, "\nNaN 2\n");
    buf_release(&b);
}

/*
 * The key of an image goes where it hides the fewest points: the corner a
 * few entries take (40% of the width, 25% of the height) with the fewest
 * points, lines sampled between their points; top right on a tie; text
 * plots keep gnuplot's own place.
 */
static void
test_key_corner(void)
{
    /* demo marketing's figure: lines rising to the top right, none at the bottom right */
    static const double x1[] = {4.6, 7.6}, y1[] = {0.6, 1.7}, x2[] = {4.6, 7.6},
                        y2[] = {-1.2, 1.0}, x3[] = {3.7, 4.2, 4.7, 5.1},
                        y3[] = {-2.5, -1.8, -1.3, -0.7};
    struct plot_series ls[3] = {{.name = "fast", .n = 2, .x = x2, .y = y2},
                                {.name = "slow", .n = 2, .x = x1, .y = y1},
                                {.name = "quarry", .n = 4, .x = x3, .y = y3}};
    struct plot_spec p = {.kind = PLOT_LINE, .series = ls, .n_series = 3};
    CHECK_STR(plot_key_corner(&p), "bottom right");
    struct plot_out png = {.term = PLOT_TERM_PNG, .width = 640, .height = 480};
    struct plot_out dumb = {.term = PLOT_TERM_DUMB, .width = 80, .height = 24};
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_script(&p, &png, "/tmp/d/k.png", 1, &b, &e), e);
    CHECK_HAS(b.data, "set key bottom right\n");
    buf_reset(&b);
    CHECK_OK(plot_script(&p, &dumb, NULL, 1, &b, &e), e);
    CHECK(strstr(b.data, "set key bottom right") == NULL);
    /* a line crosses the top right between its points (5,10) and (10,5), though
     * neither lies in that corner: the key goes to the bottom right, the one
     * corner nothing crosses (counting points only, the top right would tie it) */
    static const double dx[] = {0, 5, 10}, dy[] = {0, 10, 5};
    struct plot_series d2[2] = {{.name = "a", .n = 3, .x = dx, .y = dy},
                                {.name = "b", .n = 1, .x = dx, .y = dy}};
    p.series = d2;
    p.n_series = 2;
    CHECK_STR(plot_key_corner(&p), "bottom right");
    /* points: a tie goes to the top right */
    static const double sx[] = {0, 10, 0, 10}, sy[] = {0, 10, 10, 0};
    struct plot_series sc = {.name = "s", .n = 4, .x = sx, .y = sy};
    p.kind = PLOT_SCATTER;
    p.series = &sc;
    p.n_series = 1;
    CHECK_STR(plot_key_corner(&p), "top right"); /* one point in each corner: a tie */
    /* three points at the top right, two at the top left, one at the bottom left */
    static const double qx[] = {9, 9.5, 10, 0, 1, 0}, qy[] = {9, 10, 9.5, 10, 9, 0};
    struct plot_series q = {.name = "q", .n = 6, .x = qx, .y = qy};
    p.series = &q;
    CHECK_STR(plot_key_corner(&p), "bottom right");
    p.kind = PLOT_HIST;
    CHECK(plot_key_corner(&p) == NULL);
    buf_release(&b);
}

int
main(void)
{
    test_quote();
    test_scatter_script();
    test_kind_scripts();
    test_series_styles();
    test_time_nan();
    test_hist_bins();
    test_fit();
    test_sample();
    test_dendrogram();
    test_terms();
    test_key_corner();
    return check_done("test_plot");
}
