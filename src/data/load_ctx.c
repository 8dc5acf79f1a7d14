/*
 * load_ctx.c: what every format's load does with its struct load_ctx
 * (load_int.h): column names, the CREATE TABLE, progress by the clock
 * with the giving back of the chunks read, the readers' csv_fill, and bad
 * records (an error, or counted and listed with onerror=skip). Called by
 * load.c, load_csv.c and load_arff.c; it calls none of them.
 */
#include "data/load_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/csv.h"
#include "data/coltab.h"
#include "base/qerr.h"

#include "base/banned.h"

#define MAX_LISTED 5 /* skipped records listed in load_result.skipped */

/*
 * Append name as a quoted SQL identifier, quoted here: SQLite's %w could
 * fail for want of memory, and an empty name in its place was a silent
 * wrong table (tests/unit/test_oom_faults.c).
 */
static void
add_ident(struct buf *b, const char *name)
{
    buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
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
    /* past what a column table can declare (coltab.h): an ordinary table */
    int cols = c->o->columns && c->n_cols <= coltab_max_columns(c->db);
    buf_adds(&sql, cols ? "CREATE VIRTUAL TABLE " : "CREATE TABLE ");
    add_ident(&sql, table);
    buf_adds(&sql, cols ? " USING columns(" : " (");
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
    c->tick_rows = LOAD_TICK_ROWS;
    c->release_at = c->data + LOAD_RELEASE;
    load_image_rewind(&c->img);
}

int
load_progress(struct load_ctx *c, double fraction)
{
    c->fraction = fraction;
    c->due = load_clock() + LOAD_PROGRESS_SECONDS;
    if (c->o->progress && c->o->progress(c->o->progress_ctx, fraction))
        return qerr_set(c->err, QE_INTERRUPT, "load of '%s' cancelled", c->path);
    return 0;
}

int
load_poll(struct load_ctx *c)
{
    if (qerr_failed(c->err))
        return -1;
    return load_clock() < c->due ? 0 : load_progress(c, c->fraction);
}

int
load_tick(struct load_ctx *c, const char *p, double from, double span)
{
    if (--c->tick_rows > 0 && p < c->tick)
        return 0;
    c->tick = p + LOAD_TICK;
    c->tick_rows = LOAD_TICK_ROWS;
    if (p >= c->release_at) {
        /* Seldom: giving pages back stops the other thread's core for a moment (TLB). */
        load_image_release(&c->img, p);
        c->release_at = p + LOAD_RELEASE;
    }
    if (load_image_failed(&c->img, c->err))
        return -1;
    if (load_clock() < c->due)
        return 0;
    return load_progress(c, from + span * (double)(p - c->data) / (double)c->size);
}

int
load_more(void *ctx, const char *p, size_t n)
{
    struct load_ctx *c = ctx;
    int rc = load_image_fill(&c->img, p, n);
    /* A read, or every so many NUL bytes of a binary file: a cancel may be waiting. */
    if (rc >= 0 && (rc > 0 || ++c->more_calls % 4096 == 0) && load_poll(c) < 0)
        return -1;
    return rc;
}

void
load_reader_init(struct load_ctx *c, struct csv_reader *rd)
{
    csv_reader_init(rd, c->data, c->size, c->delim);
    rd->fill.more = load_more;
    rd->fill.ctx = c;
}

int
load_stopped(struct load_ctx *c)
{
    if (load_image_failed(&c->img, c->err))
        return -1;
    return qerr_failed(c->err) ? -1 : 0;
}

/* load_bad and load_bad_full: tail is added after fix in the error. */
static int
vbad(struct load_ctx *c, long long line, const char *fix, const char *tail, const char *fmt,
     va_list ap)
{
    struct buf why = BUF_INIT;
    buf_vaddf(&why, fmt, ap);
    if (!c->o->skip_bad) {
        qerr_set(c->err, QE_DATA, "'%s' line %lld: %s; %s%s", c->path, line, why.data, fix,
                 tail);
        buf_release(&why);
        return -1;
    }
    if (++c->r->n_skipped <= MAX_LISTED)
        buf_addf(&c->r->skipped, "line %lld: %s\n", line, why.data);
    buf_release(&why);
    return 0;
}

int
load_bad(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vbad(c, line, fix, " or load with onerror=skip", fmt, ap);
    va_end(ap);
    return rc;
}

int
load_bad_full(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vbad(c, line, fix, "", fmt, ap);
    va_end(ap);
    return rc;
}

void
load_note_wide(struct load_ctx *c)
{
    int n = 0;
    for (int i = 0; i < c->n_cols; i++) {
        if (c->kinds[i] != CSV_BIGINT)
            continue;
        buf_adds(&c->r->summary, n++ ? ", " : "kept as text (integers too wide for 64 bits "
                 "lose digits as numbers): ");
        buf_addf(&c->r->summary, "'%s'", c->names[i]);
    }
    if (n)
        buf_addc(&c->r->summary, '\n');
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
