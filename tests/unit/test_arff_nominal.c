/*
 * test_arff_nominal.c: a wide nominal ARFF (a basket file's shape: many
 * nominal columns, mostly '?') loads as planted. The file is written here
 * from a seeded generator that remembers every cell it wrote, in every
 * spelling the format allows: bare, quoted with ' or ", blanks around
 * values and commas, '?' alone or with blanks, values holding spaces, a
 * comma, a quote or a '%', a quoted '?' that is a value, a value that is
 * the prefix of another, the empty value, a comment at a row's end, CRLF
 * line ends, and columns whose values first appear out of declared order;
 * a few numeric columns break the runs of missing nominal values (the
 * reader takes four missing nominal values at a time).
 * Checked against the planted cells, one by one:
 *   - the one-pass load into a column table (each level's text stored
 *     once, its cells sharing it) and into an ordinary table, and the
 *     two passes into a column table (coltab_append, a nominal value's
 *     text stored once too): storage class and text of every cell,
 *     through SQL;
 *   - the frame the load keeps: codes in first-seen order, levels, masks,
 *     missing counts, and each text column's code as a double in x;
 *   - SQL writes into the column table afterwards (cells rewritten until
 *     the text arena is compacted, with shared texts), then undone: the
 *     table equals its ordinary twin after the writes and the planted
 *     cells after the undo;
 *   - coltab_append of coded texts into a table whose arena is mostly
 *     texts no cell holds, so that it is compacted part way: the texts
 *     kept by code before it are found again where they moved.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/buf.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "data/load.h"

#define N_ROWS 611
#define N_COLS 83
#define MAX_VALUES 6

static struct catalog *cat;

/* The planted file: each column's values, and each cell's value index (-1 missing);
 * a numeric column (is_num) holds the index itself as an integer. */
#define is_num(j) ((j) % 10 == 9)
static int n_values[N_COLS];
static const char *value[N_COLS][MAX_VALUES];
static int planted[N_ROWS][N_COLS];

static unsigned long long seed = 88172645463325252ULL;

static unsigned
next_rand(unsigned n)
{
    seed ^= seed << 13; /* xorshift64 */
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}

/* The values a column may take: plain words, and ones only quotes can hold. */
static const char *const pool[] = {
    "t", "tt", "high", "low", "dark blue", "a,b", "it's", "50%", "?", "", "x",
};
/* A pool value as the header or a row may write it (bare when it can be). */
static const char *const quoted[] = {
    "t", "tt", "high", "low", "'dark blue'", "'a,b'", "'it\\'s'", "'50%'", "'?'", "''", "x",
};
/* ... and the other quotes, for the rows. */
static const char *const dquoted[] = {
    "\"t\"", "\"tt\"", "\"high\"", "\"low\"", "\"dark blue\"", "\"a,b\"", "\"it's\"",
    "\"50%\"", "\"?\"", "\"\"", "\"x\"",
};
static int pool_of[N_COLS][MAX_VALUES];

static void
plant(const char *path)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "% a basket file, wide\n@relation 'wide nominal'\n");
    for (int j = 0; j < N_COLS; j++) {
        /* one value (a basket column) for most, up to MAX_VALUES for some */
        n_values[j] = j % 3 == 0 ? 1 + (int)next_rand(MAX_VALUES) : 1;
        int used[sizeof pool / sizeof *pool] = {0};
        if (is_num(j)) {
            n_values[j] = 1000;
            buf_addf(&b, "@attribute 'c%d' integer\n", j);
            continue;
        }
        buf_addf(&b, "@attribute 'c%d' {", j);
        for (int k = 0; k < n_values[j]; k++) {
            int p;
            do
                p = j % 3 == 0 ? (int)next_rand(sizeof pool / sizeof *pool) : 0;
            while (used[p] && j % 3 == 0);
            used[p] = 1;
            pool_of[j][k] = p;
            value[j][k] = pool[p];
            buf_addf(&b, "%s%s", k ? ", " : " ", quoted[p]);
        }
        buf_adds(&b, "}\n");
    }
    buf_adds(&b, "@data\n");
    for (int r = 0; r < N_ROWS; r++) {
        for (int j = 0; j < N_COLS; j++) {
            /* mostly missing; column 1 never, column 2 always */
            int k = j == 2 || next_rand(10) < 7 ? -1 : (int)next_rand((unsigned)n_values[j]);
            if (j == 1)
                k = (r / 7) % n_values[j];
            planted[r][j] = k;
            unsigned style = next_rand(8);
            if (j)
                buf_adds(&b, style == 5 ? " ," : style == 6 ? ", " : ",");
            if (k < 0) {
                buf_adds(&b, style == 7 ? "?  " : "?");
                continue;
            }
            if (is_num(j)) {
                buf_addf(&b, "%d", k);
                continue;
            }
            int p = pool_of[j][k];
            if (style == 4) /* quoted though it need not be */
                buf_addf(&b, "'%s'", p == 6 ? "it\\'s" : pool[p]);
            else
                buf_adds(&b, style == 3 ? dquoted[p] : quoted[p]);
            if (style == 2)
                buf_adds(&b, "\t");
        }
        buf_adds(&b, r % 5 == 0 ? " % the end of a row\n" : r % 5 == 1 ? "\r\n" : "\n");
        if (r % 97 == 0)
            buf_adds(&b, "% a comment line\n\n");
    }
    FILE *fp = fopen(path, "w");
    if (!fp) {
        check_fail++;
        buf_release(&b);
        return;
    }
    fwrite(b.data, 1, b.len, fp);
    fclose(fp);
    buf_release(&b);
}

/*
 * Load path as name (a column table with columns); the kept frame in
 * *kept (or NULL). keep 0: nothing kept, so the file takes the two passes
 * (a column table's rows through coltab_append, texts by their codes).
 */
static void
load(const char *path, const char *name, int columns, int keep, struct frame **kept)
{
    struct qerr err = QERR_INIT;
    struct load_opts o;
    struct load_result r;
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = name;
    o.capture_bytes = keep ? (size_t)1 << 26 : 0;
    o.columns = columns;
    CHECK_OK(load_file(catalog_db(cat), &o, &r, &err), err);
    CHECK_INT(r.n_rows, N_ROWS);
    CHECK_INT(r.n_skipped, 0);
    CHECK_INT(coltab_is(catalog_db(cat), name), columns);
    *kept = r.frame;
    r.frame = NULL;
    load_result_release(&r);
    qerr_clear(&err);
}

/* Cells of table that differ from the planted ones (class, text), read through SQL. */
static long long
sql_differs(const char *table)
{
    sqlite3 *db = catalog_db(cat);
    sqlite3_stmt *st = NULL;
    long long bad = 0, r = 0;
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        check_fail++;
    while (st && sqlite3_step(st) == SQLITE_ROW && r < N_ROWS) {
        for (int j = 0; j < N_COLS; j++) {
            int k = planted[r][j], ty = sqlite3_column_type(st, j);
            const char *t = (const char *)sqlite3_column_text(st, j);
            if (is_num(j))
                bad += k < 0 ? ty != SQLITE_NULL
                             : ty != SQLITE_INTEGER || sqlite3_column_int(st, j) != k;
            else if (k < 0 ? ty != SQLITE_NULL
                      : ty != SQLITE_TEXT || strcmp(t, value[j][k]) != 0 ||
                            sqlite3_column_bytes(st, j) != (int)strlen(value[j][k]))
                bad++;
        }
        r++;
    }
    CHECK_INT(r, N_ROWS);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return bad;
}

/* The kept frame against the planted cells: codes in first-seen order, levels, masks, x. */
static void
frame_is_planted(const struct frame *f)
{
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(f->n_rows, N_ROWS);
    CHECK_INT(f->n_cols, N_COLS);
    long long bad = 0;
    for (int j = 0; j < N_COLS && j < f->n_cols; j++) {
        if (is_num(j)) {
            CHECK_INT(f->kind[j], FRAME_NUM);
            for (int r = 0; r < N_ROWS; r++) {
                int k = planted[r][j];
                double x = frame_col(f, j)[r];
                if (frame_missing(f, j, r) != (k < 0) || (k < 0 ? !isnan(x) : x != k))
                    bad++;
            }
            continue;
        }
        int code_of[MAX_VALUES], nl = 0;
        long long miss = 0;
        for (int k = 0; k < MAX_VALUES; k++)
            code_of[k] = -1;
        for (int r = 0; r < N_ROWS; r++) {
            int k = planted[r][j];
            if (k >= 0 && code_of[k] < 0)
                code_of[k] = nl++;
            miss += k < 0;
            int want = k < 0 ? -1 : code_of[k];
            double x = frame_col(f, j)[r];
            if (f->code[j][r] != want || frame_missing(f, j, r) != (k < 0) ||
                (k < 0 ? !isnan(x) : x != (double)want))
                bad++;
        }
        CHECK_INT(f->kind[j], FRAME_TEXT);
        CHECK_INT(f->n_missing[j], miss);
        CHECK_INT(f->mask[j] != NULL, miss > 0);
        CHECK_INT(f->n_levels[j], nl);
        for (int k = 0; k < n_values[j]; k++)
            if (code_of[k] >= 0 && code_of[k] < f->n_levels[j])
                CHECK_STR(f->levels[j][code_of[k]], value[j][k]);
        CHECK_INT(f->rowid[N_ROWS - 1], N_ROWS);
    }
    CHECK_INT(bad, 0);
}

/* The two tables as text, cell by cell (class and bytes). */
static char *
dump(const char *table)
{
    sqlite3 *db = catalog_db(cat);
    struct buf b = BUF_INIT;
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("SELECT rowid, * FROM \"%w\" ORDER BY rowid", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        check_fail++;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++)
            buf_addf(&b, " %d:%s", sqlite3_column_type(st, i),
                     sqlite3_column_type(st, i) == SQLITE_NULL
                         ? ""
                         : (const char *)sqlite3_column_text(st, i));
        buf_addc(&b, '\n');
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return buf_detach(&b);
}

/* The same statement on both tables. */
static void
both(const char *fmt)
{
    struct qerr err = QERR_INIT;
    const char *t[] = {"wide_col", "wide_row", "wide_two"};
    for (int k = 0; k < 3; k++) {
        char *sql = sqlite3_mprintf(fmt, t[k]);
        CHECK_OK(catalog_exec(catalog_db(cat), sql, &err), err);
        sqlite3_free(sql);
    }
    qerr_clear(&err);
}

static void
test_wide(void)
{
    const char *path = "/tmp/quarry-test-arff-nominal.arff";
    plant(path);
    struct frame *f = NULL, *g = NULL;
    struct frame *none = NULL;
    load(path, "wide_col", 1, 1, &f);
    load(path, "wide_row", 0, 1, &g);
    load(path, "wide_two", 1, 0, &none);
    CHECK(none == NULL);
    CHECK_INT(sql_differs("wide_col"), 0);
    CHECK_INT(sql_differs("wide_row"), 0);
    CHECK_INT(sql_differs("wide_two"), 0);
    frame_is_planted(f);
    frame_is_planted(g);
    frame_release(f);
    frame_release(g);

    /* Writes on top of the shared texts, then undone: the twins agree throughout. */
    struct qerr err = QERR_INIT;
    CHECK_OK(catalog_begin(cat, &err), err);
    both("UPDATE \"%w\" SET c0 = 'row ' || rowid WHERE rowid %% 3 = 0");
    for (int i = 0; i < 6; i++) /* rewrite one column's texts until its arena is compacted */
        both("UPDATE \"%w\" SET c1 = c1 || 'x' WHERE c1 IS NOT NULL");
    both("UPDATE \"%w\" SET c2 = c5, c3 = NULL WHERE rowid %% 2 = 1");
    both("DELETE FROM \"%w\" WHERE rowid %% 10 = 4");
    char *a = dump("wide_col"), *b = dump("wide_row"), *d = dump("wide_two");
    CHECK_STR(a, b);
    CHECK_STR(d, b);
    CHECK_HAS(a, "row 3");
    free(a);
    free(b);
    free(d);
    CHECK_OK(catalog_commit(cat, 1, &err), err);
    CHECK_OK(catalog_undo(cat, &err), err);
    qerr_clear(&err);
    CHECK_INT(sql_differs("wide_col"), 0);
    CHECK_INT(sql_differs("wide_row"), 0);
    CHECK_INT(sql_differs("wide_two"), 0);
    /* a column whose cells all point at one text: every non-missing cell of c4 is 't' */
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(catalog_db(cat),
                                 "SELECT count(*), count(c4), sum(c4 = 't') FROM wide_col", -1,
                                 &st, NULL),
              SQLITE_OK);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        long long n4 = 0;
        for (int r = 0; r < N_ROWS; r++)
            n4 += planted[r][4] >= 0;
        CHECK_INT(sqlite3_column_int64(st, 0), N_ROWS);
        CHECK_INT(sqlite3_column_int64(st, 1), n4);
        CHECK_INT(sqlite3_column_int64(st, 2), n4);
    }
    sqlite3_finalize(st);
}

/* Rows of coded texts for coltab_append: row r holds code r % N_CODES + 1. */
#define N_CODES 60 /* fewer than the 64 kept per column: every code is kept */
static char coded[N_CODES][520];

struct coded_rows {
    int at, n;
};

static int
coded_next(void *ctx)
{
    struct coded_rows *s = ctx;
    return s->at < s->n ? (s->at++, 1) : 0;
}

static void
coded_value(void *ctx, int i, struct coltab_value *v)
{
    const struct coded_rows *s = ctx;
    int k = (s->at - 1) % N_CODES;
    (void)i;
    v->type = SQLITE_TEXT;
    v->s = coded[k];
    v->len = strlen(coded[k]);
    v->code = k + 1;
}

static void
test_append_compacts(void)
{
    struct qerr err = QERR_INIT;
    sqlite3 *db = catalog_db(cat);
    CHECK_OK(catalog_exec(db,
                          "CREATE VIRTUAL TABLE cz USING columns(t TEXT);"
                          "CREATE TABLE rz(t TEXT);"
                          "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
                          "WHERE i < 300) INSERT INTO cz SELECT printf('%.400c%d', 'q', i) FROM k;"
                          "INSERT INTO rz SELECT t FROM cz ORDER BY rowid;"
                          "UPDATE cz SET t = 'y'; UPDATE rz SET t = 'y';",
                          &err),
             err);
    for (int k = 0; k < N_CODES; k++) { /* 500 letters, then the code */
        memset(coded[k], 'a' + k % 26, 500);
        snprintf(coded[k] + 500, sizeof coded[k] - 500, "%d", k);
    }
    struct coded_rows s = {0, 4 * N_CODES};
    struct coltab_rows rows = {1, &s, coded_next, coded_value, 0};
    CHECK_INT(coltab_append(db, "cz", &rows, &err), 0);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO rz VALUES (?1)", -1, &st, NULL), SQLITE_OK);
    for (int r = 0; st && r < 4 * N_CODES; r++) {
        sqlite3_bind_text(st, 1, coded[r % N_CODES], -1, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    char *a = NULL, *b = NULL;
    sqlite3_stmt *q = NULL;
    for (int k = 0; k < 2; k++) {
        struct buf d = BUF_INIT;
        char *sql = sqlite3_mprintf("SELECT rowid, t FROM %s ORDER BY rowid", k ? "rz" : "cz");
        CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
        while (q && sqlite3_step(q) == SQLITE_ROW)
            buf_addf(&d, "%lld %s\n", (long long)sqlite3_column_int64(q, 0),
                     (const char *)sqlite3_column_text(q, 1));
        sqlite3_finalize(q);
        sqlite3_free(sql);
        *(k ? &b : &a) = buf_detach(&d);
    }
    CHECK_STR(a, b);
    CHECK_HAS(a, "\n540 ");
    free(a);
    free(b);
    qerr_clear(&err);
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
    test_wide();
    test_append_compacts();
    catalog_free(cat);
    return check_done("test_arff_nominal");
}
