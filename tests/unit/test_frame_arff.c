/*
 * test_frame_arff.c: what an ARFF load keeps for the frame cache
 * (load_result.frame, frame_cache_adopt_frame) is exactly what reading
 * the table back gives: every value (bit for bit: -0 comes back as 0),
 * mask, missing count, text code and level in first-seen order, rowid and
 * declared kind, for dense and sparse rows, quoted and number-like
 * nominal values, into an ordinary or a column table, and Weka's
 * supermarket.arff; the read after the load touches no table. A string attribute, or a limit too small, keeps
 * nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "data/load.h"

static struct catalog *cat;

/*
 * Load path into table name (capture limit bytes; a column table with
 * columns); the kept frame adopted. 1 if one was kept.
 */
static int
load_keep(const char *path, const char *name, size_t bytes, int columns)
{
    struct qerr err = QERR_INIT;
    struct load_opts o;
    struct load_result r;
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = name;
    o.capture_bytes = bytes;
    o.columns = columns;
    CHECK_OK(load_file(catalog_db(cat), &o, &r, &err), err);
    int kept = r.frame != NULL;
    if (r.frame) {
        frame_cache_adopt_frame(cat, name, r.frame);
        r.frame = NULL;
    }
    load_result_release(&r);
    qerr_clear(&err);
    return kept;
}

/* The cached read of every column of table equals a fresh read of it, field by field. */
static void
check_same(const char *table, int want_cached)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL, *g = NULL;
    double r0, w0;
    frame_io_times(cat, &r0, &w0, 1);
    CHECK_OK(frame_read(cat, table, NULL, 0, 0, NULL, NULL, &f, &err), err);
    frame_io_times(cat, &r0, &w0, 0);
    CHECK_INT(r0 == 0, want_cached); /* served from the load's columns: no read */
    CHECK_OK(frame_read(cat, table, NULL, 0, FRAME_NO_CACHE, NULL, NULL, &g, &err), err);
    if (!f || !g) {
        frame_release(f);
        frame_release(g);
        return;
    }
    CHECK_INT(f->n_rows, g->n_rows);
    CHECK_INT(f->n_cols, g->n_cols);
    for (long long r = 0; r < f->n_rows && r < g->n_rows; r++)
        CHECK_INT(f->rowid[r], g->rowid[r]);
    for (int j = 0; j < f->n_cols && j < g->n_cols; j++) {
        CHECK_STR(f->names[j], g->names[j]);
        CHECK_INT(f->kind[j], g->kind[j]);
        CHECK_INT(f->decl[j], g->decl[j]);
        CHECK_INT(f->n_missing[j], g->n_missing[j]);
        CHECK_INT(f->n_nonnum[j], g->n_nonnum[j]);
        CHECK_INT(f->mask[j] != NULL, g->mask[j] != NULL);
        const double *x = frame_col(f, j), *y = frame_col(g, j);
        long long bad = 0;
        for (long long r = 0; r < f->n_rows; r++) {
            if (frame_missing(f, j, r) != frame_missing(g, j, r) ||
                (isnan(x[r]) != isnan(y[r])) ||
                (!isnan(x[r]) && memcmp(&x[r], &y[r], sizeof(double)) != 0))
                bad++;
            if (f->kind[j] == FRAME_TEXT && g->kind[j] == FRAME_TEXT &&
                f->code[j][r] != g->code[j][r])
                bad++;
        }
        CHECK_INT(bad, 0);
        if (f->kind[j] != FRAME_TEXT || g->kind[j] != FRAME_TEXT)
            continue;
        CHECK_INT(f->n_levels[j], g->n_levels[j]);
        for (int l = 0; l < f->n_levels[j] && l < g->n_levels[j]; l++)
            CHECK_STR(f->levels[j][l], g->levels[j][l]);
    }
    frame_release(f);
    frame_release(g);
}

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        check_fail++;
        return;
    }
    fputs(text, fp);
    fclose(fp);
}

static void
test_small(void)
{
    const char *path = "/tmp/quarry-test-frame-arff.arff";
    write_file(path,
               "@relation r\n"
               "@attribute n integer\n"
               "@attribute x real\n"
               "@attribute colour {red, green, 'dark blue', '1', '01'}\n"
               "@attribute flag {t}\n"
               "@attribute none numeric\n"
               "@data\n"
               "1, -0.0, 'dark blue', ?, ?\n"
               "2, 1.5, green, t, ?\n"
               "?, ?, ?, t, ?\n"
               "% a comment\n"
               "4, 1e300, '01', ?, ?\n"
               "{0 7, 2 '1'}\n"
               "-5, -2.25, green, t, ?\n"
               "{}\n");
    CHECK_INT(load_keep(path, "small", (size_t)1 << 20, 0), 1);
    check_same("small", 1);
    /* Levels come in first-seen order, not the header's; red only in the sparse {} row. */
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    CHECK_OK(frame_read(cat, "small", NULL, 0, 0, NULL, NULL, &f, &err), err);
    if (f) {
        CHECK_INT(f->n_levels[2], 5);
        CHECK_STR(f->levels[2][0], "dark blue");
        CHECK_STR(f->levels[2][3], "1");
        CHECK_STR(f->levels[2][4], "red");
        CHECK_INT(f->code[2][6], 4); /* {}: every value its first, 0 or red */
        CHECK(!signbit(frame_col(f, 1)[0])); /* -0 is stored as 0 */
        CHECK_INT(f->n_missing[4], 5);
    }
    frame_release(f);
    /* Into a column table (set columns=on): the same values read back. */
    CHECK_INT(load_keep(path, "small_col", (size_t)1 << 20, 1), 1);
    check_same("small_col", 1);
    /* A limit too small keeps nothing; the read is the table's. */
    CHECK_INT(load_keep(path, "small2", 64, 0), 0);
    check_same("small2", 0);
    /* A string attribute keeps nothing. */
    write_file(path, "@relation s\n@attribute a numeric\n@attribute s string\n@data\n1, 'x'\n");
    CHECK_INT(load_keep(path, "strings", (size_t)1 << 20, 0), 0);
    check_same("strings", 0);
}

/* Weka's basket file: 4,627 rows x 217 nominal columns, mostly '?'. */
static void
test_supermarket(void)
{
    CHECK_INT(load_keep("tests/data/supermarket.arff.gz", "market", (size_t)64 << 20, 0), 1);
    check_same("market", 1);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    if (coltab_register(catalog_db(cat), &err) < 0) {
        fprintf(stderr, "coltab_register: %s\n", err.msg);
        return 1;
    }
    test_small();
    test_supermarket();
    catalog_free(cat);
    return check_done("test_frame_arff");
}
