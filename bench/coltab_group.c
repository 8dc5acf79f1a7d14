/*
 * coltab_group.c: GROUP BY over N rows (default 10,000,000) in an ordinary
 * SQLite table and in the same rows as a column table (src/data/coltab.h),
 * in turn, ROUNDS rounds, the order alternating (bench/sections/columns.sh).
 *
 *   coltab_group [N] [ROUNDS]
 *
 * The rows: category (8 text values), unit_price (REAL), quantity (INTEGER),
 * made in SQL; the column table is filled from them by coltab_from_rows.
 * Prints one line per round and the medians; checks the two answers agree.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "data/coltab.h"

static const char *query =
    "SELECT category, count(*), round(avg(unit_price), 6), sum(quantity) FROM %s GROUP BY category";

static double
run(sqlite3 *db, const char *table, char *answer, size_t cap)
{
    char sql[256];
    snprintf(sql, sizeof sql, query, table);
    sqlite3_stmt *st;
    double t0 = bench_now();
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        bench_die("coltab_group: %s", sqlite3_errmsg(db));
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < 4; c++)
            len += (size_t)snprintf(answer + len, cap - len, "%s%s", sqlite3_column_text(st, c),
                                    c == 3 ? "\n" : "|");
    sqlite3_finalize(st);
    return bench_now() - t0;
}

int
main(int argc, char **argv)
{
    long long n = argc > 1 ? atoll(argv[1]) : 10000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    rounds = rounds < 1 ? 1 : rounds > 64 ? 64 : rounds;
    sqlite3 *db;
    struct qerr e = QERR_INIT;
    sqlite3_open(":memory:", &db);
    if (coltab_register(db, &e) < 0)
        bench_die("%s", e.msg);
    char sql[1024];
    double t0 = bench_now();
    snprintf(sql, sizeof sql,
             "PRAGMA cache_size=-1000000; CREATE TABLE r(category TEXT, unit_price REAL, quantity INTEGER);"
             "WITH RECURSIVE s(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM s WHERE v < %lld) "
             "INSERT INTO r SELECT 'cat' || (v * 7 %% 8), (v * 37 %% 1000) / 10.0, v %% 13 FROM s;"
             "CREATE TABLE c AS SELECT * FROM r;",
             n - 1);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        bench_die("coltab_group: %s", sqlite3_errmsg(db));
    double t1 = bench_now();
    if (coltab_from_rows(db, "c", &e) < 0)
        bench_die("%s", e.msg);
    double t2 = bench_now();
    printf("made %lld rows in %.2f s; column table filled in %.2f s\n", n, t1 - t0, t2 - t1);
    double tr[64], tc[64];
    char a[4096], b[4096];
    for (int r = -1; r < rounds; r++) { /* round -1: a warm-up */
        int first_rows = (r + 2) % 2;
        double x, y;
        if (first_rows) {
            x = run(db, "r", a, sizeof a);
            y = run(db, "c", b, sizeof b);
        } else {
            y = run(db, "c", b, sizeof b);
            x = run(db, "r", a, sizeof a);
        }
        if (strcmp(a, b) != 0)
            bench_die("coltab_group: the answers differ:\n%s---\n%s", a, b);
        if (r >= 0) {
            tr[r] = x;
            tc[r] = y;
            printf("round %d ordinary_s=%.3f columns_s=%.3f ratio=%.3f\n", r + 1, x, y, y / x);
        }
    }
    double ratio[64];
    for (int r = 0; r < rounds; r++)
        ratio[r] = tc[r] / tr[r];
    double mr = bench_median(ratio, rounds);
    printf("group_by N=%lld ordinary_s=%.3f columns_s=%.3f columns_over_ordinary=%.3f "
           "(%.3f-%.3f) same_answer=yes\n",
           n, bench_median(tr, rounds), bench_median(tc, rounds), mr, ratio[0],
           ratio[rounds - 1]);
    sqlite3_close(db);
    return 0;
}
