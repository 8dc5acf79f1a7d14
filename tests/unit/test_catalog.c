/*
 * test_catalog.c: what the catalog says it holds, and what it notices.
 *
 *   1. catalog_tables: sorted, views included, quarry_* only with all,
 *      sqlite_* never
 *   2. catalog_columns: names, declared types and kinds in table order;
 *      generated columns only when asked; no table is n == 0
 *   3. catalog_table_find and catalog_name_taken: temp before main, a
 *      view, a WITHOUT ROWID table, an index name
 *   4. write stamps (catalog_written_at): a write stamps its table only;
 *      ROLLBACK TO stamps again exactly the tables written since its
 *      savepoint; RELEASE hands the writes to the enclosing savepoint
 *   5. catalog_rowid_name: rowid, else _rowid_, else oid, whichever no
 *      column (in any case, generated ones too) nor a column to be added
 *      takes; all three taken is an error naming them; the name it gives
 *      reaches the real row ids
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "data/catalog.h"

static struct catalog *cat;

static void
sql(const char *s)
{
    struct qerr err = QERR_INIT;
    if (catalog_exec(catalog_db(cat), s, &err) < 0) {
        fprintf(stderr, "sql failed: %s: %s\n", s, err.msg);
        check_fail++;
    }
    qerr_clear(&err);
}

/* The n names joined by commas, for one CHECK_STR. */
static char *
joined(char **names, int n)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < n; i++)
        buf_addf(&b, "%s%s", i ? "," : "", names[i]);
    return buf_detach(&b);
}

#define CHECK_NAMES(names, n, expected)                                               \
    do {                                                                              \
        char *j_ = joined(names, n);                                                  \
        CHECK_STR(j_, expected);                                                      \
        free(j_);                                                                     \
    } while (0)

static void
test_tables(void)
{
    struct qerr err = QERR_INIT;
    char **names = NULL;
    int n = -1;
    CHECK_INT(catalog_tables(catalog_db(cat), 1, &names, &n, &err), 0);
    CHECK_INT(n, 0);
    catalog_names_free(names, n);
    sql("CREATE TABLE zeta (a); CREATE TABLE Alpha (a); CREATE TABLE quarry_models (a);"
        "CREATE VIEW mid AS SELECT 1; CREATE INDEX alpha_a ON Alpha(a);"
        "CREATE TABLE t_seq (id INTEGER PRIMARY KEY AUTOINCREMENT);"
        "INSERT INTO t_seq DEFAULT VALUES;"); /* which makes sqlite_sequence */
    CHECK_INT(catalog_tables(catalog_db(cat), 0, &names, &n, &err), 0);
    CHECK_NAMES(names, n, "Alpha,mid,t_seq,zeta"); /* SQLite's BINARY order: upper case first */
    catalog_names_free(names, n);
    CHECK_INT(catalog_tables(catalog_db(cat), 1, &names, &n, &err), 0);
    CHECK_NAMES(names, n, "Alpha,mid,quarry_models,t_seq,zeta");
    catalog_names_free(names, n);
    CHECK(catalog_has_table(cat, "ALPHA"));
    CHECK(catalog_has_table(cat, "mid"));
    CHECK(!catalog_has_table(cat, "alpha_a"));
}

static void
test_columns(void)
{
    struct qerr err = QERR_INIT;
    struct catalog_columns c;
    sql("CREATE TABLE cols (id INTEGER, x REAL, d DATE_TEXT, ts TIMESTAMP_TEXT, s TEXT,"
        " n NUMERIC, bare, g INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL);");
    CHECK_INT(catalog_columns(catalog_db(cat), "COLS", 0, &c, &err), 0);
    CHECK_INT(c.n, 7);
    CHECK_NAMES(c.names, c.n, "id,x,d,ts,s,n,bare");
    CHECK_NAMES(c.decls, c.n, "INTEGER,REAL,DATE_TEXT,TIMESTAMP_TEXT,TEXT,NUMERIC,");
    static const enum catalog_kind kinds[] = {CATALOG_INTEGER, CATALOG_REAL, CATALOG_DATE,
                                              CATALOG_TIMESTAMP, CATALOG_TEXT, CATALOG_OTHER,
                                              CATALOG_OTHER};
    for (int i = 0; i < 7 && i < c.n; i++)
        CHECK_INT(c.kinds[i], kinds[i]);
    catalog_columns_release(&c);
    CHECK_INT(catalog_columns(catalog_db(cat), "cols", CATALOG_GENERATED, &c, &err), 0);
    CHECK_INT(c.n, 8);
    CHECK_STR(c.n == 8 ? c.names[7] : "", "g");
    catalog_columns_release(&c);
    CHECK_INT(catalog_columns(catalog_db(cat), "no_such", 0, &c, &err), 0);
    CHECK_INT(c.n, 0);
    catalog_columns_release(&c);
}

static void
test_find(void)
{
    struct qerr err = QERR_INIT;
    struct catalog_table t;
    sql("CREATE TABLE shadowed (a); CREATE TEMP TABLE shadowed (b, c);"
        "CREATE TABLE wr (k PRIMARY KEY, v) WITHOUT ROWID;");
    CHECK_INT(catalog_table_find(catalog_db(cat), "SHADOWED", &t, &err), 1);
    CHECK_STR(t.schema, "temp");
    CHECK_STR(t.name, "shadowed");
    CHECK_STR(t.type, "table");
    catalog_table_release(&t);
    struct catalog_columns c;
    CHECK_INT(catalog_columns(catalog_db(cat), "shadowed", 0, &c, &err), 0);
    CHECK_NAMES(c.names, c.n, "b,c"); /* the temp table's, as SQL would read */
    catalog_columns_release(&c);
    CHECK_INT(catalog_table_find(catalog_db(cat), "mid", &t, &err), 1);
    CHECK_STR(t.type, "view");
    catalog_table_release(&t);
    CHECK_INT(catalog_table_find(catalog_db(cat), "wr", &t, &err), 1);
    CHECK_INT(t.without_rowid, 1);
    catalog_table_release(&t);
    CHECK_INT(catalog_table_find(catalog_db(cat), "nope", &t, &err), 0);
    CHECK(t.name == NULL);
    CHECK(catalog_name_taken(catalog_db(cat), "ALPHA_A")); /* an index */
    CHECK(catalog_name_taken(catalog_db(cat), "shadowed"));
    CHECK(!catalog_name_taken(catalog_db(cat), "free_name"));
    sql("DROP TABLE temp.shadowed");
}

static void
test_stamps(void)
{
    sql("CREATE TABLE s1 (a); CREATE TABLE s2 (a);");
    unsigned long long c0 = catalog_clock(cat);
    CHECK(catalog_written_at(cat, "s1") <= c0);
    sql("INSERT INTO s1 VALUES (1)");
    unsigned long long c1 = catalog_clock(cat);
    CHECK(catalog_written_at(cat, "S1") > c0);
    CHECK(catalog_written_at(cat, "s2") <= c0);

    sql("SAVEPOINT a; INSERT INTO s2 VALUES (1); SAVEPOINT b; UPDATE s1 SET a = 2; RELEASE b;");
    unsigned long long c2 = catalog_clock(cat);
    CHECK(catalog_written_at(cat, "s1") > c1);
    CHECK(catalog_written_at(cat, "s2") > c1);
    sql("SAVEPOINT c; ROLLBACK TO c; RELEASE c;"); /* nothing written since c: nothing stamped */
    CHECK(catalog_written_at(cat, "s1") <= c2);
    CHECK(catalog_written_at(cat, "s2") <= c2);
    sql("CREATE TABLE s3 (a); INSERT INTO s3 VALUES (1);");
    unsigned long long c3 = catalog_clock(cat);
    sql("ROLLBACK TO a; RELEASE a;"); /* undoes b's UPDATE of s1 too, RELEASEd into a */
    CHECK(catalog_written_at(cat, "s1") > c3);
    CHECK(catalog_written_at(cat, "s2") > c3);
    CHECK(catalog_written_at(cat, "s3") > c3);

    unsigned long long c4 = catalog_clock(cat);
    catalog_touch(cat);
    CHECK(catalog_written_at(cat, "never_written") > c4);
}

static void
test_rowid_name(void)
{
    struct qerr err = QERR_INIT;
    sqlite3 *db = catalog_db(cat);
    sql("CREATE TABLE r0 (a); CREATE TABLE r1 (ROWID TEXT, v);"
        "CREATE TABLE r2 (v, g AS (v * 2), RowId); CREATE TABLE r2b (rowid, _ROWID_);"
        "CREATE TABLE r3 (\"oid\", \"_rowid_\", \"rowid\");"
        "INSERT INTO r1 VALUES ('z', 1), ('y', 2);");
    CHECK_STR(catalog_rowid_name(db, "r0", NULL, 0, &err), "rowid");
    CHECK_STR(catalog_rowid_name(db, "no_such_table", NULL, 0, &err), "rowid");
    CHECK_STR(catalog_rowid_name(db, "r1", NULL, 0, &err), "_rowid_");
    CHECK_STR(catalog_rowid_name(db, "r2", NULL, 0, &err), "_rowid_");
    CHECK_STR(catalog_rowid_name(db, "r2b", NULL, 0, &err), "oid");
    /* A generated column hides the rowid as well. */
    sql("CREATE TABLE r4 (v, rowid AS (v + 1));");
    CHECK_STR(catalog_rowid_name(db, "r4", NULL, 0, &err), "_rowid_");
    /* Columns about to be added count too. */
    const char *more[] = {"x", "_rowid_"};
    CHECK_STR(catalog_rowid_name(db, "r1", more, 2, &err), "oid");
    CHECK(!qerr_failed(&err));
    /* The name given reaches the real row ids, not the column. */
    char *q = sqlite3_mprintf("SELECT group_concat(%s || rowid, ' ') FROM r1",
                              catalog_rowid_name(db, "r1", NULL, 0, &err));
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "1z 2y");
    sqlite3_finalize(st);
    sqlite3_free(q);

    CHECK(catalog_rowid_name(db, "r3", NULL, 0, &err) == NULL);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "columns named 'rowid', '_rowid_' and 'oid' hide the row ids of 'r3', "
                       "which quarry needs to keep its rows in line");
    CHECK_STR(err.hint, "rename one of them, e.g. ALTER TABLE \"r3\" RENAME COLUMN \"oid\" "
                        "TO oid_2");
    qerr_clear(&err);
    const char *oid[] = {"OID"};
    CHECK(catalog_rowid_name(db, "r2b", oid, 1, &err) == NULL);
    CHECK_STR(err.msg, "columns named 'rowid', '_ROWID_' and 'OID' hide the row ids of 'r2b', "
                       "which quarry needs to keep its rows in line");
    CHECK_STR(err.hint, "rename one of them, e.g. ALTER TABLE \"r2b\" RENAME COLUMN "
                        "\"_ROWID_\" TO row_id_2");
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
    test_tables();
    test_columns();
    test_find();
    test_stamps();
    test_rowid_name();
    catalog_free(cat);
    return check_done("test_catalog");
}
