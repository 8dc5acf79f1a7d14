/*
 * kit.c: the chores command handlers share (kit.h): seeds, progress,
 * reading columns, writing and showing results.
 */
#include "kit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "data/catalog_edit.h"
#include "data/coltab.h"

#include "base/banned.h"

/* Give up looking for a non-NULL unparseable date after this many missing rows. */
#define EXAMPLE_TRIES 1000

long long
kit_seed(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res)
{
    if (args_given(args, "seed"))
        return args_int(args, "seed");
    long long seed = ctx_seed(ctx);
    char extra[40];
    snprintf(extra, sizeof extra, " seed=%lld", seed);
    free(res->record_extra);
    res->record_extra = xstrdup(extra);
    return seed;
}

int
kit_progress(void *p, double fraction)
{
    struct cmd_ctx *ctx = p;
    int stop = ctx->progress ? ctx->progress(ctx->pctx, fraction) : 0;
    return stop || (ctx->interrupted && *ctx->interrupted);
}

void
kit_progress_text(void *p, const char *text)
{
    struct cmd_ctx *ctx = p;
    if (ctx->progress_text)
        ctx->progress_text(ctx->pctx, text);
}

int
kit_read(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n, int flags,
         struct frame **f, struct qerr *err)
{
    return frame_read(ctx->cat, table, cols, n, flags, kit_progress, ctx, f, err);
}

int
kit_read_rows_only(struct cmd_ctx *ctx, const char *table, struct frame **f, struct qerr *err)
{
    char **names = NULL, **decls = NULL;
    int n = 0, rc = cmd_table_columns(ctx, table, &names, &decls, &n, err);
    if (rc == 0)
        rc = kit_read(ctx, table, (const char *const *)names, 1, 0, f, err);
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    return rc;
}

/* --- complete numeric rows ----------------------------------------------------- */

void
kit_rows_release(struct kit_rows *r)
{
    frame_release(r->f);
    free(r->own);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static int
row_complete(const struct frame *f, long long i)
{
    for (int j = 0; j < f->n_cols; j++)
        if (frame_missing(f, j, i))
            return 0;
    return 1;
}

int
kit_read_complete(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n,
                  struct kit_rows *r, struct qerr *err)
{
    memset(r, 0, sizeof *r);
    if (kit_read(ctx, table, cols, n, FRAME_ALL_NUMERIC, &r->f, err) < 0)
        return -1;
    const struct frame *f = r->f;
    r->d = f->n_cols;
    for (int j = 0; j < f->n_cols; j++)
        if (f->n_missing[j] == f->n_rows && f->n_rows > 0)
            return qerr_set(err, QE_DATA, "column '%s' holds no numbers; choose numeric columns",
                            f->names[j]);
    long long ok = 0;
    for (long long i = 0; i < f->n_rows; i++)
        ok += row_complete(f, i);
    r->n = ok;
    if (ok == f->n_rows) { /* the frame's own block, no copy */
        r->x = f->x;
        r->ld = f->ld;
        return 0;
    }
    r->ld = (ok + 7) / 8 * 8;
    /* a copy as big as the data: checked against the memory budget (mem.h) */
    r->own = mem_alloc(mem_mul((size_t)(r->ld > 0 ? r->ld : 1), (size_t)r->d), sizeof(double),
                       "the complete rows", "values", err);
    r->rows = r->own ? mem_alloc((size_t)(ok > 0 ? ok : 1), sizeof(long long),
                                 "the complete rows", "rows", err)
                     : NULL;
    if (!r->own || !r->rows)
        return -1;
    long long k = 0;
    for (long long i = 0; i < f->n_rows; i++) {
        if (!row_complete(f, i))
            continue;
        for (int j = 0; j < f->n_cols; j++)
            r->own[(long long)j * r->ld + k] = frame_col(f, j)[i];
        r->rows[k++] = i;
    }
    r->x = r->own;
    return 0;
}

/* --- columns beside a date column ---------------------------------------------- */

static enum catalog_kind
decl_of(char **names, char **decls, int n, const char *col)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], col) == 0)
            return catalog_kind_of_decl(decls[i]);
    return CATALOG_OTHER;
}

/*
 * One value of column j of f that is missing but not NULL, looked up by
 * rowid: the frame keeps only that it did not parse, and the user needs
 * to see what it looks like.
 */
static char *
bad_example(struct cmd_ctx *ctx, const char *table, const struct frame *f, int j)
{
    char *out = NULL;
    int tries = 0;
    for (long long r = 0; r < f->n_rows && tries < EXAMPLE_TRIES && !out; r++) {
        if (!frame_missing(f, j, r))
            continue;
        tries++;
        out = catalog_cell_text(ctx->cat, table, f->names[j], f->rowid[r]);
    }
    return out;
}

int
kit_read_dated(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
               const char *const *cols, int n, const char *date_key, struct kit_dated *d,
               struct qerr *err)
{
    const char *date = args_str(args, date_key);
    char **names = NULL, **decls = NULL;
    int n_names = 0, rc = -1;
    memset(d, 0, sizeof(*d));
    if (cmd_table_columns(ctx, table, &names, &decls, &n_names, err) < 0)
        return -1;
    enum catalog_kind dk = decl_of(names, decls, n_names, date);
    if (dk == CATALOG_INTEGER || dk == CATALOG_REAL) {
        qerr_set(err, QE_ARG, "column '%s' holds numbers, not dates; give a column of dates "
                 "such as 2024-05-17 or 2024-05-17T10:00:00", date);
        kit_fail_at(args, date_key, err);
        goto out;
    }
    /*
     * One read where it reads the columns as kit_read does: FRAME_TIMES
     * reads columns declared INTEGER or REAL as usual, and the date last as
     * seconds. Of a column table, whose arrays are read directly and which
     * load keeps no cached copy of, one pass over its rows instead of two.
     * Otherwise two reads: a text column read as text, and an ordinary
     * table's numeric columns usually come from the frame cache (load keeps
     * them there), so only the dates cost a pass (one FRAME_TIMES pass is
     * 15% faster when nothing is cached, 20% slower when the numbers are:
     * bench/RESULTS.md).
     */
    int one = coltab_is(catalog_db(ctx->cat), table);
    for (int i = 0; i < n && one; i++) {
        enum catalog_kind k = decl_of(names, decls, n_names, cols[i]);
        one = (k == CATALOG_INTEGER || k == CATALOG_REAL) && strcasecmp(cols[i], date) != 0;
    }
    const struct frame *ft;
    int j = one ? n : 0;
    if (one) {
        const char **all = xcalloc((size_t)n + 1, sizeof(*all));
        memcpy(all, cols, (size_t)n * sizeof(*all));
        all[n] = date;
        int rrc = kit_read(ctx, table, all, n + 1, FRAME_TIMES, &d->f, err);
        free(all);
        if (rrc < 0)
            goto out;
        ft = d->f;
    } else {
        if (kit_read(ctx, table, cols, n, 0, &d->f, err) < 0 ||
            kit_read(ctx, table, &date, 1, FRAME_TIMES, &d->ft, err) < 0)
            goto out;
        ft = d->ft;
    }
    d->t = frame_col(ft, j);
    d->date_name = ft->names[j];
    d->n_bad = ft->n_nonnum[j];
    if (d->n_bad > 0)
        d->bad_example = bad_example(ctx, table, ft, j);
    rc = 0;
out:
    cmd_free_names(names, n_names);
    cmd_free_names(decls, n_names);
    return rc;
}

void
kit_dated_release(struct kit_dated *d)
{
    frame_release(d->f);
    frame_release(d->ft);
    frame_release(d->fnum);
    free(d->bad_example);
    memset(d, 0, sizeof(*d));
}

int
kit_dated_numbers(struct cmd_ctx *ctx, const char *table, struct kit_dated *d, int j,
                  const double **x, long long *n_text, struct qerr *err)
{
    const struct frame *f = d->f;
    *x = NULL;
    *n_text = 0;
    if (f->kind[j] == FRAME_NUM) {
        *x = frame_col(f, j);
        *n_text = f->n_nonnum[j];
        return 0;
    }
    if (f->decl[j] != CATALOG_OTHER)
        return 0;
    /* A derived column (no declared type) read as text: read it again as numbers. */
    const char *col = f->names[j];
    frame_release(d->fnum);
    d->fnum = NULL;
    if (kit_read(ctx, table, &col, 1, FRAME_ALL_NUMERIC, &d->fnum, err) < 0)
        return -1;
    *x = frame_col(d->fnum, 0);
    *n_text = d->fnum->n_nonnum[0];
    return 0;
}

void
kit_dated_hint(const struct kit_dated *d, struct qerr *err)
{
    if (d->n_bad && d->bad_example && err->code == QE_DATA)
        qerr_hint(err, "'%s' holds values such as '%s'; dates must look like 2024-05-17 or "
                       "2024-05-17T10:00:00", d->date_name, d->bad_example);
}

/* --- nothing written over without a word ------------------------------------------ */

/* 1 if the command's spec declares replace (KIT_REPLACE_ARG). */
static int
has_replace(const struct cmd_args *args)
{
    for (const struct arg_spec *sp = args->cmd->args; sp && sp->name; sp++)
        if (strcmp(sp->name, "replace") == 0)
            return 1;
    return 0;
}

/* A value as the parser reads it back: quoted with ' when it holds a space, quote, ; or #. */
static void
add_value(struct buf *b, const char *v)
{
    if (*v && !strpbrk(v, " \t'\";#")) {
        buf_adds(b, v);
        return;
    }
    buf_addc(b, '\'');
    for (; *v; v++)
        buf_add(b, *v == '\'' ? "''" : v, *v == '\'' ? 2 : 1);
    buf_addc(b, '\'');
}

/* The statement as typed (positionals, then keys, in spec order), with replace=yes. */
static void
retype(const struct cmd_args *args, struct buf *b)
{
    buf_adds(b, args->cmd->name);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < args->n_vals; i++) {
            const struct arg_val *v = &args->vals[i];
            if (!v->text || v->pos < 0 || (v->spec->positional != 0) == pass ||
                strcmp(v->spec->name, "replace") == 0)
                continue;
            buf_addc(b, ' ');
            if (pass)
                buf_addf(b, "%s=", v->spec->name);
            add_value(b, v->text);
        }
    for (int i = 0; i < args->n_free; i++) {
        buf_addf(b, " %s=", args->free_keys[i]);
        add_value(b, args->free_vals[i]);
    }
    if (args->as) {
        buf_adds(b, " as ");
        add_value(b, args->as);
    }
    buf_adds(b, " replace=yes");
}

/* How many names a refusal lists before "and N more". */
#define CLAIM_LIST 3

/* "'a'", "'a' and 'b'", "'a', 'b', 'c' and 2 more" */
static void
add_names(struct buf *b, char **names, int n)
{
    for (int i = 0; i < n && i < CLAIM_LIST; i++)
        buf_addf(b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
    if (n > CLAIM_LIST)
        buf_addf(b, " and %d more", n - CLAIM_LIST);
}

/*
 * The columns of cols that table has and the tables that exist, said in
 * what ("'t' already has a column 'x', and a table 't_clusters' exists");
 * returns how many, or -1.
 */
static int
taken(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n_cols,
      const char *const *tables, int n_tables, struct buf *what, int *n_col_taken,
      struct qerr *err)
{
    char **names = NULL, **hit = xcalloc((size_t)(n_cols + n_tables) + 1, sizeof(char *));
    int n = 0, nc = 0, nt = 0;
    if (n_cols > 0 && cmd_table_columns(ctx, table, &names, NULL, &n, err) < 0) {
        free(hit);
        return -1;
    }
    for (int i = 0; i < n_cols; i++)
        for (int c = 0; c < n; c++)
            if (strcasecmp(names[c], cols[i]) == 0) {
                hit[nc++] = names[c];
                break;
            }
    if (nc)
        buf_addf(what, "'%s' already has %s ", table, nc == 1 ? "a column" : "columns");
    add_names(what, hit, nc);
    for (int i = 0; i < n_tables; i++)
        if (tables[i] && catalog_has_table(ctx->cat, tables[i]))
            hit[nc + nt++] = (char *)tables[i];
    if (nt) {
        buf_addf(what, "%s%s ", nc ? ", and " : "", nt == 1 ? "a table" : "tables");
        add_names(what, hit + nc, nt);
        buf_addf(what, " exist%s%s", nt == 1 ? "s" : "", nc ? "" : " already");
    }
    cmd_free_names(names, n);
    free(hit);
    *n_col_taken = nc;
    return nc + nt;
}

int
kit_replacing(const struct cmd_args *args)
{
    return has_replace(args) && args_int(args, "replace");
}

int
kit_claim(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
          const char *const *cols, int n_cols, const char *key, const char *const *tables,
          int n_tables, struct qerr *err)
{
    int can_replace = has_replace(args);
    if (n_cols && catalog_column_room(ctx->cat, table, cols, n_cols, args->as != NULL,
                                      args->cmd->name, err))
        return -1; /* past 2000 columns: refused before the work, not by SQLite after it */
    if (can_replace && args_int(args, "replace"))
        return 0;
    struct buf what = BUF_INIT, hint = BUF_INIT;
    int n_col = 0, k = taken(ctx, table, cols, n_cols, tables, n_tables, &what, &n_col, err);
    if (k <= 0) {
        buf_release(&what);
        return k;
    }
    const char *them = k == 1 ? "it" : "them";
    qerr_set(err, QE_ARG, "%s; %s writes over %s only with replace=yes", what.data,
             args->cmd->name, them);
    if (can_replace) {
        buf_addf(&hint, "to replace %s, type: ", them);
        retype(args, &hint);
        buf_addc(&hint, '\n');
    }
    buf_addf(&hint, "to keep %s, ", them);
    int alt = 0;
    if (n_col && key)
        buf_addf(&hint, "%sname the column with %s=NAME", alt++ ? ", or " : "", key);
    if (k > n_col && (args->cmd->flags & CMD_AS))
        buf_addf(&hint, "%s%s", alt++ ? ", or " : "",
                 args->as ? "choose another name after as" : "add as NAME for new names");
    if (!alt)
        buf_addf(&hint, "rename or drop %s first", them);
    qerr_hint(err, "%s", hint.data);
    buf_release(&what);
    buf_release(&hint);
    if (n_col && key)
        kit_fail_at(args, key, err);
    return -1;
}

/* Refuse (QE_ARG) a result with two columns of the same name (case-insensitive). */
static int
two_named_alike(const struct frame_out *outs, int n_outs, struct qerr *err)
{
    for (int i = 0; i + 1 < n_outs; i++)
        for (int j = i + 1; j < n_outs; j++)
            if (strcasecmp(outs[i].name, outs[j].name) == 0)
                return qerr_set(err, QE_ARG, "the result would have two columns named '%s'; "
                                "rename one first", outs[i].name);
    return 0;
}

int
kit_side_table(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
               const struct frame_out *outs, int n_outs, long long n_rows, struct qerr *err)
{
    const char *names[1] = {name};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, names, 1, err) < 0 ||
        two_named_alike(outs, n_outs, err) < 0)
        return -1;
    /* with columns on (the default), a column table as load makes (issue 18) */
    int rc = ctx->set.columns
                 ? frame_write_columns(ctx->cat, name, outs, n_outs, n_rows, 1, err)
                 : 1;
    return rc != 1 ? rc
                   : frame_write_replace(ctx->cat, name, outs, n_outs, n_rows, kit_progress,
                                         ctx, err);
}

/* The outs of a write that name no column of f: columns the command adds. */
static int
claim_added(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
            const struct frame *f, const struct frame_out *outs, int n_outs, struct qerr *err)
{
    const char **added = xcalloc((size_t)n_outs + 1, sizeof(char *));
    int n = 0;
    for (int i = 0; i < n_outs; i++) {
        int in_f = 0;
        for (int j = 0; j < f->n_cols && !in_f; j++)
            in_f = strcasecmp(f->names[j], outs[i].name) == 0;
        if (!in_f)
            added[n++] = outs[i].name;
    }
    int rc = n ? kit_claim(ctx, args, table, added, n, NULL, NULL, 0, err) : 0;
    free(added);
    return rc;
}

/* --- results ------------------------------------------------------------------- */

/* kit_write and kit_write_give */
static int
write_back(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
           const struct frame *f, const struct frame_out *outs, int n_outs,
           const unsigned char *keep, double **const *give, struct qerr *err)
{
    if (claim_added(ctx, args, *table, f, outs, n_outs, err) < 0)
        return -1;
    struct frame_write w = {
        .src = *table, .dest = NULL, .f = f, .outs = outs, .n_outs = n_outs, .keep = keep,
        .progress = kit_progress, .pctx = ctx, .give = give,
    };
    if (args->as && strcmp(args->as, *table) != 0)
        w.dest = args->as;
    if (frame_write(ctx->cat, &w, err) < 0)
        return -1;
    if (w.dest)
        *table = args->as;
    return 0;
}

int
kit_write(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
          const struct frame *f, const struct frame_out *outs, int n_outs,
          const unsigned char *keep, struct qerr *err)
{
    return write_back(ctx, args, table, f, outs, n_outs, keep, NULL, err);
}

int
kit_write_give(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
               const struct frame *f, const struct frame_out *outs, int n_outs,
               double **const *give, struct qerr *err)
{
    return write_back(ctx, args, table, f, outs, n_outs, NULL, give, err);
}

int
kit_write_new(struct cmd_ctx *ctx, const char *name, const struct frame_out *outs, int n_outs,
              long long n_rows, struct qerr *err)
{
    if (two_named_alike(outs, n_outs, err) < 0)
        return -1;
    int rc = ctx->set.columns
                 ? frame_write_columns(ctx->cat, name, outs, n_outs, n_rows, 0, err)
                 : 1;
    return rc != 1 ? rc
                   : frame_write_new(ctx->cat, name, outs, n_outs, n_rows, kit_progress, ctx,
                                     err);
}

int
kit_skip(struct kit_skips *s, long long n, const char *fmt, ...)
{
    if (n == 0)
        return 0;
    if (s->text.data == NULL)
        buf_init(&s->text);
    va_list ap;
    va_start(ap, fmt);
    buf_addf(&s->text, "%s%lld ", s->n ? ", " : "", n);
    buf_vaddf(&s->text, fmt, ap);
    va_end(ap);
    s->n += n;
    return 1;
}

void
kit_skips_report(struct cmd_result *res, struct kit_skips *s)
{
    if (s->n)
        result_text(res, "skipped %lld row%s: %s", s->n, kit_plural(s->n), s->text.data);
    if (s->text.data)
        buf_release(&s->text);
    memset(s, 0, sizeof *s);
}

int
kit_show(struct cmd_ctx *ctx, struct cmd_result *res, const char *table, const char *order,
         struct qerr *err)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT * FROM ");
    buf_add_ident(&sql, table);
    if (order)
        buf_addf(&sql, " ORDER BY %s", order);
    int rc = cmd_sql_table(ctx, res, sql.data, NULL, 0, err);
    buf_release(&sql);
    return rc;
}

int
kit_confirm(struct cmd_ctx *ctx, struct cmd_result *res, const char *fmt, ...)
{
    if (!ctx->can_ask || ctx->confirmed || !catalog_dirty(ctx->cat))
        return 1;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(res->confirm);
    res->confirm = buf_detach(&b);
    return 0;
}

int
kit_fail_at(const struct cmd_args *args, const char *key, struct qerr *err)
{
    const struct arg_val *v = args_get(args, key);
    if (v && v->pos >= 0)
        err->pos = v->pos;
    return -1;
}

double
kit_sig(double v)
{
    char tmp[64];
    if (!isfinite(v))
        return v;
    snprintf(tmp, sizeof tmp, "%.6g", v);
    return strtod(tmp, NULL);
}

const char *
kit_plural(long long n)
{
    return n == 1 ? "" : "s";
}

char *
kit_name(const char *name, const char *suffix)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, name);
    buf_adds(&b, suffix);
    return buf_detach(&b);
}
