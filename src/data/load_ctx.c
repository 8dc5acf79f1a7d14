/*
 * load_ctx.c: what every format's load does with its struct load_ctx
 * (load_int.h): column names, the CREATE TABLE, progress with the release
 * of the pages read, and bad records (an error, or counted and listed
 * with onerror=skip). Called by load.c, load_csv.c and load_arff.c; it
 * calls none of them.
 */
#include "data/load_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/buf.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

#define MAX_LISTED 5 /* skipped records listed in load_result.skipped */

/* Append name as a quoted SQL identifier. */
static void
add_ident(struct buf *b, const char *name)
{
    char *q = sqlite3_mprintf("\"%w\"", name);
    if (!q) {
        buf_adds(b, "\"\"");
        return;
    }
    buf_adds(b, q);
    sqlite3_free(q);
}

/*
 * Column names from n raw names (trimmed here; NULL or empty gives colN),
 * made unique ignoring ASCII case by adding _2, _3, ...
 */
char **
load_names_make(char **raw, int n)
{
    char **names = xcalloc((size_t)n, sizeof(*names));
    struct buf b = BUF_INIT;

    for (int i = 0; i < n; i++) {
        const char *s = raw ? raw[i] : NULL;
        buf_reset(&b);
        if (s) {
            while (*s == ' ' || *s == '\t')
                s++;
            buf_adds(&b, s);
            buf_rtrim(&b);
        }
        if (b.len == 0)
            buf_addf(&b, "col%d", i + 1);
        size_t base_len = b.len;
        for (int k = 2;; k++) {
            int clash = 0;
            for (int j = 0; j < i && !clash; j++)
                clash = strcasecmp(names[j], b.data) == 0;
            if (!clash)
                break;
            buf_truncate(&b, base_len);
            buf_addf(&b, "_%d", k);
        }
        names[i] = xstrdup(b.data);
    }
    buf_release(&b);
    return names;
}

void
load_names_free(char **names, int n)
{
    if (!names)
        return;
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int
load_sql_error(sqlite3 *db, struct qerr *err, const char *what)
{
    return qerr_set(err, QE_SQL, "%s: %s", what, sqlite3_errmsg(db));
}

int
load_create_table(struct load_ctx *c, const char *table)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, table);
    buf_adds(&sql, " (");
    for (int i = 0; i < c->n_cols; i++) {
        if (i)
            buf_adds(&sql, ", ");
        add_ident(&sql, c->names[i]);
        buf_addc(&sql, ' ');
        buf_adds(&sql, csv_kind_decl(c->kinds[i]));
    }
    buf_addc(&sql, ')');
    int rc = sqlite3_exec(c->db, sql.data, NULL, NULL, NULL);
    buf_release(&sql);
    if (rc != SQLITE_OK)
        return load_sql_error(c->db, c->err, "cannot create the table");
    return 0;
}

void
load_pass_start(struct load_ctx *c)
{
    c->tick = c->data;
    c->released = c->mapped;
}

void
load_release_behind(struct load_ctx *c, const char *p)
{
    if (!c->mapped)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)c->released, upto = (uintptr_t)p & ~(page - 1);
    /*
     * For a private mapping of a file that was never written, dropped
     * pages read back from the page cache if touched again (pointers into
     * them, like the first record's, stay valid); the file stays cached.
     */
    if (upto > from && madvise((void *)from, upto - from, MADV_DONTNEED) == 0)
        c->released = (const char *)upto;
}

int
load_progress(struct load_ctx *c, double fraction)
{
    if (c->o->progress && c->o->progress(c->o->progress_ctx, fraction))
        return qerr_set(c->err, QE_INTERRUPT, "load of '%s' cancelled", c->path);
    return 0;
}

int
load_tick(struct load_ctx *c, const char *p, double from, double span)
{
    if (p < c->tick)
        return 0;
    c->tick = p + LOAD_TICK;
    load_release_behind(c, p);
    return load_progress(c, from + span * (double)(p - c->data) / (double)c->size);
}

int
load_bad(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
{
    struct buf why = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&why, fmt, ap);
    va_end(ap);
    if (!c->o->skip_bad) {
        qerr_set(c->err, QE_DATA, "'%s' line %lld: %s; %s or load with onerror=skip", c->path,
                 line, why.data, fix);
        buf_release(&why);
        return -1;
    }
    if (++c->r->n_skipped <= MAX_LISTED)
        buf_addf(&c->r->skipped, "line %lld: %s\n", line, why.data);
    buf_release(&why);
    return 0;
}

int
load_check_columns(struct load_ctx *c, int n)
{
    int limit = sqlite3_limit(c->db, SQLITE_LIMIT_COLUMN, -1);
    if (n > limit)
        return qerr_set(c->err, QE_DATA,
                        "'%s' has %d columns, more than the %d a table can hold; cut the "
                        "columns you do not need from the file", c->path, n, limit);
    return 0;
}
