/*
 * test_frame_coherence.c: a cached frame never outlives a write to its
 * table, whoever writes. Each case caches a frame of a table, writes the
 * table behind the cache's back through one path a command can use, and
 * reads again: the values must be the new ones, known by hand.
 *
 *   1. SQL run by the engine or a command (sqlite3_exec): INSERT, UPDATE,
 *      DELETE with and without WHERE, DROP then CREATE under the same
 *      name, ALTER TABLE ADD COLUMN, RENAME TO, RENAME COLUMN
 *   2. a statement prepared before the read and stepped after it
 *   3. user SQL through the dispatcher (its authorizer still refuses
 *      BEGIN, and a refused statement changes nothing), and commands
 *      that write by SQL: derive, drop, rename
 *   4. frame_write in place and into a new table, frame_write_new and
 *      frame_write_replace over a name a frame was cached under
 *   5. load into a name whose old table was dropped
 *   6. rollback of a statement, and undo
 *   7. what must not be forgotten: a write to another table keeps the
 *      frame (the same pointer), and so does frame_write's write-through
 *   8. a partial read takes cached numeric columns and reads the rest,
 *      and never after a write
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "data/frame.h"
#include "data/load.h"

static struct cmd_ctx ctx;

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(ctx.cat), s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

/* The sum of column col of table as a (cached) frame holds it; NaN when it cannot be read. */
static double
frame_sum(const char *table, const char *col)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    const char *cols[] = {col};
    if (frame_read(ctx.cat, table, cols, 1, 0, NULL, NULL, &f, &err) < 0) {
        qerr_clear(&err);
        return NAN;
    }
    double s = 0;
    for (long long r = 0; r < f->n_rows; r++)
        if (!frame_missing(f, 0, r))
            s += frame_col(f, 0)[r];
    frame_release(f);
    return s;
}

/* Rows and columns of the all-columns frame of table, as rows * 100 + columns. */
static long long
frame_shape(const char *table)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    if (frame_read(ctx.cat, table, NULL, 0, 0, NULL, NULL, &f, &err) < 0) {
        qerr_clear(&err);
        return -1;
    }
    long long shape = f->n_rows * 100 + f->n_cols;
    frame_release(f);
    return shape;
}

/* A cached frame of table (one more reference), to compare pointers. */
static struct frame *
frame_of(const char *table, const char *col)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    const char *cols[] = {col};
    if (frame_read(ctx.cat, table, cols, 1, 0, NULL, NULL, &f, &err) < 0)
        qerr_clear(&err);
    return f;
}

/* 1. SQL the engine or a command runs itself. */
static void
test_sql(void)
{
    sql("CREATE TABLE s (a INTEGER, b REAL); INSERT INTO s VALUES (1, 0.5), (2, 1.5), (3, 2.5);");
    CHECK_NEAR(frame_sum("s", "a"), 6, 0);
    CHECK_INT(frame_shape("s"), 302);
    sql("INSERT INTO s VALUES (4, 3.5)");
    CHECK_NEAR(frame_sum("s", "a"), 10, 0);
    sql("UPDATE s SET a = a * 10 WHERE a > 2");
    CHECK_NEAR(frame_sum("s", "a"), 73, 0);
    sql("DELETE FROM s WHERE a = 1");
    CHECK_NEAR(frame_sum("s", "a"), 72, 0);
    CHECK_INT(frame_shape("s"), 302);
    sql("DELETE FROM s"); /* no WHERE: SQLite truncates, and calls no update hook */
    CHECK_INT(frame_shape("s"), 2);
    CHECK_NEAR(frame_sum("s", "a"), 0, 0);

    sql("INSERT INTO s VALUES (5, 1), (6, 1)");
    CHECK_INT(frame_shape("s"), 202);
    sql("ALTER TABLE s ADD COLUMN c INTEGER DEFAULT 7");
    CHECK_INT(frame_shape("s"), 203);
    CHECK_NEAR(frame_sum("s", "c"), 14, 0);
    sql("ALTER TABLE s RENAME COLUMN c TO d");
    CHECK(isnan(frame_sum("s", "c")));
    CHECK_NEAR(frame_sum("s", "d"), 14, 0);

    CHECK_NEAR(frame_sum("s", "a"), 11, 0);
    sql("DROP TABLE s; CREATE TABLE s (a INTEGER); INSERT INTO s VALUES (100);");
    CHECK_NEAR(frame_sum("s", "a"), 100, 0);
    CHECK_INT(frame_shape("s"), 101);

    /* A name another table is renamed to, and the name it leaves. */
    sql("CREATE TABLE s2 (a INTEGER); INSERT INTO s2 VALUES (40), (2);");
    CHECK_NEAR(frame_sum("s2", "a"), 42, 0);
    sql("DROP TABLE s; ALTER TABLE s2 RENAME TO s");
    CHECK_NEAR(frame_sum("s", "a"), 42, 0);
    CHECK(isnan(frame_sum("s2", "a")));
    CHECK_INT(frame_shape("s2"), -1);
}

/* 2. Prepared before the frame was read, stepped after. */
static void
test_prepared_before(void)
{
    sqlite3 *db = catalog_db(ctx.cat);
    sqlite3_stmt *ins = NULL, *upd = NULL;
    sql("CREATE TABLE p (a INTEGER); INSERT INTO p VALUES (1);");
    sqlite3_prepare_v2(db, "INSERT INTO p VALUES (?1)", -1, &ins, NULL);
    sqlite3_prepare_v2(db, "UPDATE p SET a = a + 1", -1, &upd, NULL);
    CHECK_NEAR(frame_sum("p", "a"), 1, 0);
    for (int i = 2; i <= 4; i++) { /* read between the rows of one statement, too */
        sqlite3_bind_int(ins, 1, i);
        CHECK_INT(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
        CHECK_NEAR(frame_sum("p", "a"), i * (i + 1) / 2, 0);
    }
    CHECK_INT(sqlite3_step(upd), SQLITE_DONE);
    CHECK_NEAR(frame_sum("p", "a"), 14, 0);
    /*
     * A frame put in the cache with no SQL at all (as load does) between
     * two rows of the same table: the second row is a new write.
     */
    sqlite3_bind_int(ins, 1, 100);
    CHECK_INT(sqlite3_step(ins), SQLITE_DONE);
    sqlite3_reset(ins);
    double now[] = {2, 3, 4, 5, 100}, *cols[] = {now};
    char *names[] = {"a"};
    enum catalog_kind decl[] = {CATALOG_INTEGER};
    frame_cache_adopt(ctx.cat, "p", 1, names, decl, cols, 5, NULL, 0);
    CHECK_NEAR(frame_sum("p", "a"), 114, 0); /* the adopted frame, no read */
    sqlite3_bind_int(ins, 1, 1000);
    CHECK_INT(sqlite3_step(ins), SQLITE_DONE);
    CHECK_NEAR(frame_sum("p", "a"), 1114, 0);
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
}

static int
run(const char *stmt, struct qerr *err)
{
    struct cmd_result res;
    result_init(&res);
    int rc = cmd_run(&ctx, stmt, &res, err);
    result_release(&res);
    return rc;
}

/* 3. User SQL, through the dispatcher and its own rules. */
static void
test_user_sql(void)
{
    struct qerr err = QERR_INIT;
    CHECK_INT(run("CREATE TABLE u (a INTEGER); INSERT INTO u VALUES (1), (2);", &err), 0);
    CHECK_NEAR(frame_sum("u", "a"), 3, 0);
    CHECK_INT(run("UPDATE u SET a = 10 WHERE a = 2", &err), 0);
    CHECK_NEAR(frame_sum("u", "a"), 11, 0);
    /* The dispatcher's authorizer still refuses what it refused, and nothing changes. */
    CHECK_INT(run("BEGIN", &err), -1);
    CHECK(err.msg && strstr(err.msg, "not allowed"));
    qerr_clear(&err);
    CHECK_INT(run("UPDATE u SET a = 0; CREATE TRIGGER tr AFTER INSERT ON u BEGIN SELECT 1; END;",
                  &err), -1);
    CHECK(err.msg && strstr(err.msg, "tables only"));
    qerr_clear(&err);
    CHECK_NEAR(frame_sum("u", "a"), 11, 0);
    /* Commands that write by SQL: derive (ALTER + UPDATE), rename, drop. */
    CHECK_INT(frame_shape("u"), 201);
    CHECK_INT(run("derive u b='a * 2'", &err), 0);
    CHECK_INT(frame_shape("u"), 202);
    CHECK_NEAR(frame_sum("u", "b"), 22, 0);
    CHECK_INT(run("CREATE TABLE u2 (a INTEGER); INSERT INTO u2 VALUES (5);", &err), 0);
    CHECK_NEAR(frame_sum("u2", "a"), 5, 0);
    CHECK_INT(run("drop u2", &err), 0);
    CHECK_INT(run("rename u u2", &err), 0);
    CHECK_NEAR(frame_sum("u2", "a"), 11, 0);
    CHECK_INT(frame_shape("u"), -1);
    /* ... and engine SQL after it is not judged by the user's rules. */
    sql("SAVEPOINT x; RELEASE x;");
}

/* 4. The frame writers. */
static void
test_frame_writers(void)
{
    struct qerr err = QERR_INIT;
    sql("CREATE TABLE w (a INTEGER, t TEXT); INSERT INTO w VALUES (1, 'x'), (2, 'y');");
    struct frame *f = NULL;
    CHECK_INT(frame_read(ctx.cat, "w", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    const char *tv[] = {"p", "q"};
    double nv[] = {5, 6};
    struct frame_out ot = {.name = "t", .decl = CATALOG_TEXT, .text = tv};
    struct frame_write wr = {.src = "w", .f = f, .outs = &ot, .n_outs = 1};
    CHECK_INT(frame_write(ctx.cat, &wr, &err), 0);
    struct frame *g = NULL;
    CHECK_INT(frame_read(ctx.cat, "w", NULL, 0, 0, NULL, NULL, &g, &err), 0);
    CHECK_STR(g->levels[1][g->code[1][0]], "p");
    frame_release(g);

    /* frame_write into a new table under a name whose old frame is cached */
    sql("CREATE TABLE w_out (a INTEGER); INSERT INTO w_out VALUES (1000);");
    CHECK_NEAR(frame_sum("w_out", "a"), 1000, 0);
    sql("DROP TABLE w_out");
    struct frame_out on = {.name = "a", .decl = CATALOG_INTEGER, .num = nv};
    wr = (struct frame_write){.src = "w", .dest = "w_out", .f = f, .outs = &on, .n_outs = 1};
    CHECK_INT(frame_write(ctx.cat, &wr, &err), 0);
    CHECK_NEAR(frame_sum("w_out", "a"), 11, 0);
    frame_release(f);

    /* frame_write_new after a drop; frame_write_replace over a cached table */
    sql("DROP TABLE w_out");
    double nv2[] = {7, 8, 9};
    struct frame_out o2 = {.name = "a", .decl = CATALOG_INTEGER, .num = nv2};
    CHECK_INT(frame_write_new(ctx.cat, "w_out", &o2, 1, 3, NULL, NULL, &err), 0);
    CHECK_NEAR(frame_sum("w_out", "a"), 24, 0);
    CHECK_INT(frame_write_replace(ctx.cat, "w_out", &o2, 1, 2, NULL, NULL, &err), 0);
    CHECK_NEAR(frame_sum("w_out", "a"), 15, 0);
    /* new means new */
    CHECK_INT(frame_write_new(ctx.cat, "w_out", &o2, 1, 2, NULL, NULL, &err), -1);
    qerr_clear(&err);
}

/* 5. load into a name whose old table (and frame) is gone. */
static void
test_load(void)
{
    struct qerr err = QERR_INIT;
    char path[] = "/tmp/quarry-coherence-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        CHECK(fp != NULL);
        return;
    }
    fputs("a,b\n20,x\n22,y\n", fp);
    fclose(fp);
    sql("CREATE TABLE ld (a INTEGER); INSERT INTO ld VALUES (1);");
    CHECK_NEAR(frame_sum("ld", "a"), 1, 0);
    sql("DROP TABLE ld");
    struct load_opts o;
    struct load_result r;
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = "ld";
    o.format = LOAD_CSV;
    CHECK_INT(load_file(catalog_db(ctx.cat), &o, &r, &err), 0);
    load_result_release(&r);
    CHECK_NEAR(frame_sum("ld", "a"), 42, 0);
    CHECK_INT(frame_shape("ld"), 202);
    remove(path);
}

/* 6. What a rollback or an undo puts back is read back. */
static void
test_rollback_undo(void)
{
    struct qerr err = QERR_INIT;
    sql("CREATE TABLE rb (a INTEGER); INSERT INTO rb VALUES (1), (2);");
    CHECK_NEAR(frame_sum("rb", "a"), 3, 0);

    CHECK_INT(catalog_begin(ctx.cat, &err), 0);
    sql("UPDATE rb SET a = a + 100");
    CHECK_NEAR(frame_sum("rb", "a"), 203, 0); /* cached as the statement left it */
    catalog_rollback(ctx.cat);
    CHECK_NEAR(frame_sum("rb", "a"), 3, 0);

    CHECK_INT(catalog_begin(ctx.cat, &err), 0);
    sql("INSERT INTO rb VALUES (30)");
    CHECK_INT(catalog_commit(ctx.cat, 1, &err), 0);
    CHECK_INT(catalog_begin(ctx.cat, &err), 0);
    sql("DROP TABLE rb; CREATE TABLE rb (a INTEGER); INSERT INTO rb VALUES (7);");
    CHECK_INT(catalog_commit(ctx.cat, 1, &err), 0);
    CHECK_NEAR(frame_sum("rb", "a"), 7, 0);
    CHECK_INT(catalog_undo(ctx.cat, &err), 0);
    CHECK_NEAR(frame_sum("rb", "a"), 33, 0);
    CHECK_INT(catalog_undo(ctx.cat, &err), 0);
    CHECK_NEAR(frame_sum("rb", "a"), 3, 0);

    /* The same through the dispatcher: a failing command and undo. */
    CHECK_INT(run("UPDATE rb SET a = 50 WHERE a = 1; SELECT no_such_column FROM rb", &err), -1);
    qerr_clear(&err);
    CHECK_NEAR(frame_sum("rb", "a"), 3, 0);
    CHECK_INT(run("UPDATE rb SET a = 50 WHERE a = 1", &err), 0);
    CHECK_NEAR(frame_sum("rb", "a"), 52, 0);
    CHECK_INT(run("undo", &err), 0);
    CHECK_NEAR(frame_sum("rb", "a"), 3, 0);
}

/* 7. Precision: what the catalog did not see written stays cached. */
static void
test_kept(void)
{
    struct qerr err = QERR_INIT;
    sql("CREATE TABLE k1 (a REAL); INSERT INTO k1 VALUES (1), (2);"
        "CREATE TABLE k2 (a REAL); INSERT INTO k2 VALUES (3);");
    struct frame *f = frame_of("k1", "a"), *g = NULL;
    sql("INSERT INTO k2 VALUES (4); UPDATE k2 SET a = 0; CREATE TABLE k3 (x); DROP TABLE k3;");
    g = frame_of("k1", "a");
    CHECK(f && g == f);
    frame_release(g);
    /* a failed statement that wrote only k2 keeps k1's frame too */
    CHECK_INT(run("UPDATE k2 SET a = 9; SELECT nope FROM k2", &err), -1);
    qerr_clear(&err);
    g = frame_of("k1", "a");
    CHECK(g == f);
    frame_release(g);
    /* frame_write's write-through: the frame is updated in place, not dropped */
    double v[] = {10, 20};
    struct frame_out o = {.name = "a", .decl = CATALOG_REAL, .num = v};
    struct frame_write w = {.src = "k1", .f = f, .outs = &o, .n_outs = 1};
    CHECK_INT(frame_write(ctx.cat, &w, &err), 0);
    g = frame_of("k1", "a");
    CHECK(g == f);
    CHECK_NEAR(frame_sum("k1", "a"), 30, 0);
    frame_release(g);
    frame_release(f);
}

/*
 * 8. The partial read: a frame asked for with a text column beside numeric
 * ones that an adopted frame holds takes the numbers from the cache and
 * reads only the text (the adopted values differ from the table's here,
 * so where each came from shows); after a write, everything is read.
 */
static void
test_partial(void)
{
    sql("CREATE TABLE pr(a INTEGER, s TEXT, b REAL)");
    sql("INSERT INTO pr VALUES (1, 'x', 0.5), (2, 'y', NULL), (3, 'x', 2.5)");
    double a[] = {10, 20, 30}, b[] = {5, NAN, 7}, *cols[] = {a, b};
    char *names[] = {"a", "b"};
    enum catalog_kind decl[] = {CATALOG_INTEGER, CATALOG_REAL};
    frame_cache_adopt(ctx.cat, "pr", 2, names, decl, cols, 3, NULL, 0);
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    CHECK_INT(frame_read(ctx.cat, "pr", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    CHECK(f != NULL);
    if (f) {
        CHECK_INT(f->n_cols, 3);
        CHECK_NEAR(frame_col(f, 0)[2], 30, 0);   /* a: from the adopted frame */
        CHECK_INT(f->kind[1], FRAME_TEXT);      /* s: read */
        CHECK_INT(f->code[1][0], f->code[1][2]); /* 'x' twice */
        CHECK_INT(f->n_levels[1], 2);
        CHECK_NEAR(frame_col(f, 2)[0], 5, 0);    /* b: from the adopted frame */
        CHECK(frame_missing(f, 2, 1));
        CHECK_INT((int)f->n_missing[2], 1);
        frame_release(f);
    }
    sql("UPDATE pr SET s = 'z' WHERE a = 2");
    f = NULL;
    CHECK_INT(frame_read(ctx.cat, "pr", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    if (f) {
        CHECK_NEAR(frame_col(f, 0)[2], 3, 0); /* the table's own values now */
        CHECK_NEAR(frame_col(f, 2)[2], 2.5, 0);
        CHECK_STR(f->levels[1][f->code[1][1]], "z");
        frame_release(f);
    }
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (ctx_init(&ctx, &err) < 0) {
        fprintf(stderr, "ctx_init: %s\n", err.msg);
        return 1;
    }
    test_sql();
    test_prepared_before();
    test_user_sql();
    test_frame_writers();
    test_load();
    test_rollback_undo();
    test_kept();
    test_partial();
    ctx_release(&ctx);
    return check_done("test_frame_coherence");
}
