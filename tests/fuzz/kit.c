/*
 * kit.c: the session, deadline and catalog fingerprint of kit.h.
 */
#include "kit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/banned.h"

static struct {
    struct timespec deadline;
    int ms;
    volatile int stop;
} clock_state;

static int
past_deadline(void *arg, double fraction)
{
    (void)arg;
    (void)fraction;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > clock_state.deadline.tv_sec ||
        (now.tv_sec == clock_state.deadline.tv_sec &&
         now.tv_nsec >= clock_state.deadline.tv_nsec))
        clock_state.stop = 1;
    return clock_state.stop;
}

static void
deadline_start(void)
{
    clock_gettime(CLOCK_MONOTONIC, &clock_state.deadline);
    long long ns = clock_state.deadline.tv_nsec + (long long)clock_state.ms * 1000000LL;
    clock_state.deadline.tv_sec += (time_t)(ns / 1000000000LL);
    clock_state.deadline.tv_nsec = (long)(ns % 1000000000LL);
    clock_state.stop = 0;
}

void
fuzz_session(struct cmd_ctx *ctx, int ms)
{
    struct qerr e = QERR_INIT;
    if (ctx_init(ctx, &e) < 0) {
        fprintf(stderr, "fuzz: cannot open a catalog: %s\n", e.msg ? e.msg : "?");
        abort();
    }
    clock_state.ms = ms;
    ctx->progress = past_deadline;
    ctx->pctx = NULL;
    ctx->interrupted = &clock_state.stop;
}

void
fuzz_exec(struct cmd_ctx *ctx, const char *sql)
{
    struct qerr e = QERR_INIT;
    if (catalog_exec(catalog_db(ctx->cat), sql, &e) < 0) {
        fprintf(stderr, "fuzz: %s\n%s\n", e.msg ? e.msg : "?", sql);
        abort();
    }
}

static void
mix(unsigned long long *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ s[i]) * 1099511628211ULL;
    *h = (*h ^ 0xff) * 1099511628211ULL; /* ends each piece: "ab","c" differs from "a","bc" */
}

static void
mix_column(unsigned long long *h, sqlite3_stmt *st, int i)
{
    int type = sqlite3_column_type(st, i);
    mix(h, &type, sizeof type);
    if (type == SQLITE_INTEGER) {
        long long v = sqlite3_column_int64(st, i);
        mix(h, &v, sizeof v);
    } else if (type == SQLITE_FLOAT) {
        double v = sqlite3_column_double(st, i);
        mix(h, &v, sizeof v);
    } else if (type != SQLITE_NULL) {
        const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(st, i)
                                            : (const void *)sqlite3_column_text(st, i);
        mix(h, p, (size_t)sqlite3_column_bytes(st, i));
    }
}

unsigned long long
fuzz_catalog_hash(struct cmd_ctx *ctx)
{
    sqlite3 *db = catalog_db(ctx->cat);
    unsigned long long h = 14695981039346656037ULL;
    sqlite3_stmt *schema = NULL, *rows = NULL;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                               "ORDER BY type, name", -1, &schema, NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(schema) == SQLITE_ROW) {
        for (int i = 0; i < 4; i++)
            mix_column(&h, schema, i);
        if (strcmp((const char *)sqlite3_column_text(schema, 0), "table") != 0)
            continue;
        struct buf q = BUF_INIT;
        buf_adds(&q, "SELECT * FROM \"");
        for (const char *p = (const char *)sqlite3_column_text(schema, 1); *p; p++) {
            if (*p == '"')
                buf_addc(&q, '"');
            buf_addc(&q, *p);
        }
        buf_adds(&q, "\"");
        if (sqlite3_prepare_v2(db, q.data, -1, &rows, NULL) == SQLITE_OK) {
            int nc = sqlite3_column_count(rows);
            while (sqlite3_step(rows) == SQLITE_ROW)
                for (int i = 0; i < nc; i++)
                    mix_column(&h, rows, i);
        }
        mix(&h, sqlite3_errmsg(db), strlen(sqlite3_errmsg(db)));
        sqlite3_finalize(rows);
        rows = NULL;
        buf_release(&q);
    }
    sqlite3_finalize(schema);
    return h;
}

/* The command a statement names, or NULL (SQL, or no such command). */
static const struct cmd_entry *
command_of(const char *stmt)
{
    if (cmd_is_sql(stmt))
        return NULL;
    while (isspace((unsigned char)*stmt))
        stmt++;
    size_t n = 0;
    while (stmt[n] && !isspace((unsigned char)stmt[n]))
        n++;
    char *word = xstrndup(stmt, n);
    struct qerr e = QERR_INIT;
    const struct cmd_entry *c = cmd_find(word, &e);
    qerr_clear(&e);
    free(word);
    return c;
}

int
fuzz_run(struct cmd_ctx *ctx, const char *stmt)
{
    const struct cmd_entry *c = command_of(stmt);
    unsigned long long before = fuzz_catalog_hash(ctx);
    struct cmd_result res;
    struct qerr e = QERR_INIT;
    result_init(&res);
    deadline_start();
    int rc = cmd_run(ctx, stmt, &res, &e);
    clock_state.stop = 0;
    unsigned long long after = fuzz_catalog_hash(ctx);
    const char *why = NULL;
    if (rc < 0 && after != before)
        why = "a failed statement changed the catalog";
    else if (rc == 0 && after != before && !res.changed &&
             !(c && (c->flags & (CMD_WRITES | CMD_NO_SAVEPOINT))))
        why = "a statement changed the catalog without saying so (no undo level, not unsaved)";
    if (rc < 0 && !e.code)
        why = "a statement failed without an error";
    if (getenv("QUARRY_FUZZ_VERBOSE"))
        fprintf(stderr, "%s\n  -> %s\n", stmt, rc == 0 ? "ok" : e.msg ? e.msg : "?");
    if (why) {
        fprintf(stderr, "fuzz: %s:\n  %s\n  error: %s\n", why, stmt, e.msg ? e.msg : "none");
        abort();
    }
    qerr_clear(&e);
    result_release(&res);
    return rc;
}

void
fuzz_quote(struct buf *b, const char *text)
{
    buf_addc(b, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'')
            buf_addc(b, '\'');
        buf_addc(b, *p);
    }
    buf_addc(b, '\'');
}
