/*
 * remote.c: the attached PostgreSQL databases and the remote side of
 * tables, head, describe, load and rfm (remote.h).
 */
#include "remote.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "base/datetime.h"
#include "base/mem.h"
#include "remote/pull.h"
#include "remote/rfm_push.h"
#include "base/banned.h"

#define REMOTE_MAX 16

static struct attached {
    char *name;
    struct pg_conn *c;
} att[REMOTE_MAX];
static int n_att;

static struct attached *
find(const char *name, size_t len)
{
    for (int i = 0; i < n_att; i++)
        if (strlen(att[i].name) == len && strncasecmp(att[i].name, name, len) == 0)
            return &att[i];
    return NULL;
}

int
remote_attach(const char *name, const char *conninfo, struct qerr *err)
{
    if (find(name, strlen(name)))
        return qerr_set(err, QE_ARG, "'%s' is attached already; detach %s first", name, name);
    if (n_att == REMOTE_MAX)
        return qerr_set(err, QE_ARG, "%d databases are attached already; detach one first",
                        REMOTE_MAX);
    struct pg_conn *c;
    if (pg_connect(conninfo, &c, err) < 0)
        return -1;
    att[n_att].name = xstrdup(name);
    att[n_att].c = c;
    n_att++;
    return 0;
}

int
remote_detach(const char *name, struct qerr *err)
{
    struct attached *a = find(name, strlen(name));
    if (!a)
        return qerr_set(err, QE_NOTFOUND, "nothing is attached as '%s'", name);
    pg_close(a->c);
    free(a->name);
    *a = att[--n_att];
    return 0;
}

int
remote_count(void)
{
    return n_att;
}

int
remote_named(const char *name)
{
    const char *dot = name ? strchr(name, '.') : NULL;
    return dot && dot[1] && find(name, (size_t)(dot - name)) != NULL;
}

int
remote_resolve(const char *name, struct remote_ref *r, struct qerr *err)
{
    memset(r, 0, sizeof *r);
    const char *dot = strchr(name, '.');
    struct attached *a = dot ? find(name, (size_t)(dot - name)) : NULL;
    if (!a)
        return qerr_set(err, QE_NOTFOUND, "'%s' is not a remote table (attach one first)", name);
    const char *rest = dot + 1, *dot2 = strchr(rest, '.');
    struct pg_table *t = NULL;
    int n = 0, found = -1;
    if (pg_tables(a->c, &t, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        int hit = dot2 ? strlen(t[i].schema) == (size_t)(dot2 - rest) &&
                             !strncmp(t[i].schema, rest, (size_t)(dot2 - rest)) &&
                             !strcmp(t[i].name, dot2 + 1)
                       : !strcmp(t[i].name, rest);
        if (hit && (found < 0 || !strcmp(t[i].schema, "public")))
            found = i;
    }
    if (found < 0) {
        pg_tables_free(t, n);
        return qerr_set(err, QE_NOTFOUND, "'%s' has no table '%s'; type tables to list them",
                        a->name, rest);
    }
    r->c = a->c;
    r->schema = xstrdup(t[found].schema);
    r->table = xstrdup(t[found].name);
    char *s = pg_ident(r->schema), *tb = pg_ident(r->table);
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s.%s", s, tb);
    r->relation = buf_detach(&b);
    free(s);
    free(tb);
    pg_tables_free(t, n);
    return 0;
}

int
remote_target(const char *name, struct remote_ref *r, struct qerr *err)
{
    memset(r, 0, sizeof *r);
    const char *dot = strchr(name, '.');
    struct attached *a = dot ? find(name, (size_t)(dot - name)) : NULL;
    if (!a)
        return qerr_set(err, QE_NOTFOUND, "'%s' names no attached database (attach one first)",
                        name);
    const char *rest = dot + 1, *dot2 = strchr(rest, '.');
    if (!*rest || (dot2 && (dot2 == rest || !dot2[1])))
        return qerr_set(err, QE_ARG, "'%s' is not NAME.table or NAME.schema.table", name);
    r->c = a->c;
    r->schema = dot2 ? xstrndup(rest, (size_t)(dot2 - rest)) : xstrdup("public");
    r->table = xstrdup(dot2 ? dot2 + 1 : rest);
    return 0;
}

void
remote_ref_release(struct remote_ref *r)
{
    free(r->schema);
    free(r->table);
    free(r->relation);
    memset(r, 0, sizeof *r);
}

int
remote_column(const char *name, const char *col, char **type, struct qerr *err)
{
    struct remote_ref r;
    char **names = NULL, **types = NULL;
    int n = 0, rc = -1;
    if (type)
        *type = NULL;
    if (remote_resolve(name, &r, err) < 0)
        return -1;
    if (pg_columns(r.c, r.schema, r.table, &names, &types, &n, err) < 0)
        goto out;
    for (int i = 0; i < n && rc < 0; i++)
        if (strcmp(names[i], col) == 0) {
            if (type)
                *type = xstrdup(types[i]);
            rc = 0;
        }
    if (rc < 0) {
        struct buf b = BUF_INIT;
        for (int i = 0; i < n; i++)
            buf_addf(&b, "%s%s", i ? ", " : "", names[i]);
        qerr_set(err, QE_NOTFOUND, "unknown column '%s' in '%s'; it has %s", col, name,
                 b.data ? b.data : "no columns");
        buf_release(&b);
    }
out:
    pg_names_free(names, n);
    pg_names_free(types, n);
    remote_ref_release(&r);
    return rc;
}

int
remote_list(struct rtable *t, struct qerr *err)
{
    for (int a = 0; a < n_att; a++) {
        struct pg_table *pt = NULL;
        int n = 0;
        if (pg_tables(att[a].c, &pt, &n, err) < 0)
            return -1;
        for (int i = 0; i < n; i++) {
            char **cn = NULL, **ct = NULL;
            int nc = 0;
            struct qerr e = QERR_INIT;
            pg_columns(att[a].c, pt[i].schema, pt[i].name, &cn, &ct, &nc, &e);
            qerr_clear(&e);
            long long r = rtable_add_row(t);
            if (!strcmp(pt[i].schema, "public"))
                rtable_setf(t, r, 0, 0, "%s.%s", att[a].name, pt[i].name);
            else
                rtable_setf(t, r, 0, 0, "%s.%s.%s", att[a].name, pt[i].schema, pt[i].name);
            if (pt[i].rows >= 0)
                rtable_setf(t, r, 1, 1, "~%.0f", pt[i].rows);
            else
                rtable_set(t, r, 1, "?", 0);
            rtable_setf(t, r, 2, 1, "%d", nc);
            pg_names_free(cn, nc);
            pg_names_free(ct, nc);
        }
        pg_tables_free(pt, n);
    }
    return 0;
}

int
remote_table_names(const char *db, size_t db_len, char ***names, int *n)
{
    *names = NULL;
    *n = 0;
    int cap = 0;
    for (int a = 0; a < n_att; a++) {
        if (db && (strlen(att[a].name) != db_len || strncasecmp(att[a].name, db, db_len) != 0))
            continue;
        struct pg_table *pt = NULL;
        int k = 0;
        struct qerr e = QERR_INIT;
        pg_tables(att[a].c, &pt, &k, &e);
        qerr_clear(&e);
        for (int i = 0; i < k; i++) {
            struct buf b = BUF_INIT;
            if (!db)
                buf_addf(&b, "%s.", att[a].name);
            if (strcmp(pt[i].schema, "public") != 0)
                buf_addf(&b, "%s.", pt[i].schema);
            buf_adds(&b, pt[i].name);
            if (*n == cap) {
                cap = cap ? 2 * cap : 16;
                *names = xrealloc(*names, (size_t)cap * sizeof **names);
            }
            (*names)[(*n)++] = buf_detach(&b);
        }
        pg_tables_free(pt, k);
    }
    return *n;
}

/* Rows of a remote query into a result table, its columns on the first row. */
struct shown {
    struct cmd_result *res;
    struct rtable *t;
};

static int
show_row(void *arg, int n, const char *const *vals, const char *const *names,
         const unsigned *oids, struct qerr *err)
{
    struct shown *s = arg;
    if (!s->t)
        s->t = result_table(s->res, n, names);
    long long r = rtable_add_row(s->t);
    for (int j = 0; j < n; j++)
        rtable_set(s->t, r, j, vals[j], vals[j] && pg_oid_kind(oids[j]) != 0);
    return 0;
}

int
remote_head(struct cmd_ctx *ctx, struct cmd_result *res, const char *name, long long n,
            struct qerr *err)
{
    struct remote_ref r;
    if (remote_resolve(name, &r, err) < 0)
        return -1;
    struct buf b = BUF_INIT;
    buf_addf(&b, "SELECT * FROM %s LIMIT %lld", r.relation, n);
    struct shown s = {res, NULL};
    int rc = pg_query(r.c, b.data, (double)n, show_row, &s, kit_progress, ctx, err);
    if (rc == 0 && !s.t)
        result_text(res, "(no rows)");
    buf_release(&b);
    remote_ref_release(&r);
    return rc;
}

int
remote_describe(struct cmd_result *res, const char *name, struct qerr *err)
{
    struct remote_ref r;
    char **names = NULL, **types = NULL;
    int n = 0;
    double est = -1;
    if (remote_resolve(name, &r, err) < 0)
        return -1;
    struct buf b = BUF_INIT;
    buf_addf(&b, "SELECT * FROM %s", r.relation);
    int rc = pg_estimate(r.c, b.data, &est, err);
    if (rc == 0)
        rc = pg_columns(r.c, r.schema, r.table, &names, &types, &n, err);
    if (rc == 0) {
        result_text(res, "%s: remote table %s.%s, about %.0f rows (PostgreSQL's estimate), "
                    "%d columns", name, r.schema, r.table, est, n);
        static const char *const cols[] = {"column", "type"};
        struct rtable *t = result_table(res, 2, cols);
        for (int i = 0; i < n; i++) {
            long long k = rtable_add_row(t);
            rtable_set(t, k, 0, names[i], 0);
            rtable_set(t, k, 1, types[i], 0);
        }
    }
    pg_names_free(names, n);
    pg_names_free(types, n);
    buf_release(&b);
    remote_ref_release(&r);
    return rc;
}

int
remote_fits(const char *name, double est, int n_cols, const char *verb, struct qerr *err)
{
    /* a frame holds 8 bytes a cell; a table read for mining is read into one */
    double need = est * (n_cols > 0 ? n_cols : 1) * 8.0;
    if (need <= (double)mem_budget_bytes())
        return 0;
    qerr_set(err, QE_NOMEM, "PostgreSQL estimates %s at %.0f rows (%.0f MiB as %d columns "
             "of numbers), over set memory=%zu MiB: not %s", name, est, need / 1048576.0,
             n_cols, mem_budget_bytes() >> 20, verb);
    qerr_hint(err, "push the work down instead (rfm %s customer=COL date=COL amount=COL as "
              "NAME brings back one row per customer; series, sessions, sample and rules do "
              "too), or raise set memory=", strchr(name, ' ') ? "NAME.table" : name);
    return -1;
}

int
remote_load(struct cmd_ctx *ctx, struct cmd_result *res, const char *name, const char *dest,
            struct qerr *err)
{
    struct remote_ref r;
    char **names = NULL, **types = NULL;
    int n = 0, rc = -1;
    double est = -1;
    long long got = 0;
    struct buf b = BUF_INIT;
    if (remote_resolve(name, &r, err) < 0)
        return -1;
    buf_addf(&b, "SELECT * FROM %s", r.relation);
    if (pg_estimate(r.c, b.data, &est, err) < 0 ||
        pg_columns(r.c, r.schema, r.table, &names, &types, &n, err) < 0)
        goto out;
    if (remote_fits(name, est, n, "loaded", err) < 0)
        goto out;
    if (pg_pull(r.c, catalog_db(ctx->cat), b.data, dest, est, kit_progress, ctx, &got, err) < 0)
        goto out;
    result_text(res, "loaded %lld row%s x %d column%s from %s (PostgreSQL's estimate was %.0f) "
                "into '%s'", got, kit_plural(got), n, kit_plural(n), name, est, dest);
    res->changed = 1;
    rc = 0;
out:
    pg_names_free(names, n);
    pg_names_free(types, n);
    buf_release(&b);
    remote_ref_release(&r);
    return rc;
}

char *
remote_mask(const char *stmt)
{
    while (isspace((unsigned char)*stmt))
        stmt++;
    size_t w = strcspn(stmt, " \t");
    if (w < 2 || w > 6 || strncasecmp(stmt, "attach", w) != 0)
        return NULL;
    struct buf b = BUF_INIT;
    int masked = 0;
    const char *p = stmt;
    while (*p) {
        if (strncasecmp(p, "password", 8) == 0) {
            const char *q = p + 8;
            while (*q == ' ')
                q++;
            if (*q == '=') {
                q++;
                while (*q == ' ')
                    q++;
                buf_adds(&b, "password=***");
                /* the value: up to a space or the closing quote; '' quoted values whole */
                if (q[0] == '\'' && q[1] == '\'') {
                    q += 2;
                    while (*q && !(q[0] == '\'' && q[1] == '\''))
                        q++;
                    if (*q)
                        q += 2;
                } else {
                    while (*q && *q != ' ' && *q != '\'' && *q != '"')
                        q++;
                }
                p = q;
                masked = 1;
                continue;
            }
        }
        if (strncmp(p, "://", 3) == 0) {
            /* postgresql://user:password@host */
            const char *at = p + 3 + strcspn(p + 3, "@ '/");
            const char *colon = memchr(p + 3, ':', (size_t)(at - (p + 3)));
            if (*at == '@' && colon) {
                buf_add(&b, p, (size_t)(colon + 1 - p));
                buf_adds(&b, "***");
                p = at;
                masked = 1;
                continue;
            }
        }
        buf_addc(&b, *p++);
    }
    if (!masked) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}
