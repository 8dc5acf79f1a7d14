/*
 * remote_sql.c: SQL typed at the prompt that names an attached
 * database's tables runs on that server (remote.h, remote_sql). The text
 * is scanned as PostgreSQL reads it (strings, quoted names and comments
 * skipped); each NAME.table or NAME.schema.table of an attached NAME
 * that is not also a local table's name becomes the server's quoted
 * relation, and nothing else changes.
 */
#include "remote.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "base/banned.h"

static int
word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Past a string, quoted name or comment starting at p; p itself when none starts there. */
static const char *
skip_quoted(const char *p)
{
    if (*p == '\'' || *p == '"') {
        char q = *p++;
        while (*p && !(*p == q && p[1] != q))
            p += *p == q ? 2 : 1;
        return *p ? p + 1 : p;
    }
    if (p[0] == '-' && p[1] == '-')
        return p + strcspn(p, "\n");
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    return p;
}

/* What the scan found: the rewritten text and the one connection it names. */
struct scan {
    struct buf out;
    struct pg_conn *c;
    char *first;           /* the first remote name, for the messages */
    int n_remote, semicolon;
};

/* A word at p (length len) followed by .word: a remote table? Appends and advances. */
static int
try_remote(struct cmd_ctx *ctx, struct scan *s, const char **pp, size_t len, struct qerr *err)
{
    const char *p = *pp, *q = p + len;
    char *att = xstrndup(p, len);
    int remote = *q == '.' && word_char(q[1]) && !isdigit((unsigned char)p[0]) &&
                 !catalog_has_table(ctx->cat, att);
    free(att);
    if (!remote)
        return 0;
    /* NAME.a or NAME.a.b: the longest that names a table on the server */
    const char *e1 = q + 1;
    while (word_char(*e1))
        e1++;
    const char *e2 = NULL;
    if (*e1 == '.' && word_char(e1[1]))
        for (e2 = e1 + 1; word_char(*e2);)
            e2++;
    struct remote_ref r = {0};
    char *name = NULL;
    int rc = 0;
    for (int pass = e2 ? 0 : 1; pass < 2 && !r.relation; pass++) {
        const char *end = pass == 0 ? e2 : e1;
        free(name);
        name = xstrndup(p, (size_t)(end - p));
        if (!remote_named(name))
            break;
        struct qerr e = QERR_INIT;
        if (remote_resolve(name, &r, pass == 1 ? err : &e) == 0) {
            *pp = end;
        } else if (pass == 1) {
            rc = -1;
        }
        qerr_clear(&e);
    }
    if (r.relation) {
        if (s->c && s->c != r.c) {
            rc = qerr_set(err, QE_ARG, "'%s' and '%s' are tables of two attached databases; a "
                          "statement runs on one server", s->first, name);
            qerr_hint(err, "load one of them first: load %s as T", name);
        } else {
            s->c = r.c;
            if (!s->first)
                s->first = xstrdup(name);
            s->n_remote++;
            buf_adds(&s->out, r.relation);
            rc = 1;
        }
    }
    free(name);
    remote_ref_release(&r);
    return rc;
}

/* Rewrite sql into s->out; s->c NULL when it names no remote table. */
static int
scan_sql(struct cmd_ctx *ctx, const char *sql, struct scan *s, struct qerr *err)
{
    const char *p = sql;
    while (*p) {
        const char *q = skip_quoted(p);
        if (q != p) {
            buf_add(&s->out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (*p == ';') {
            const char *t = p + 1;
            while (isspace((unsigned char)*t) || *t == ';')
                t++;
            s->semicolon |= *t != '\0';
            p = t;
            continue;
        }
        if (!word_char(*p) || (p > sql && (word_char(p[-1]) || p[-1] == '.'))) {
            buf_addc(&s->out, *p++);
            continue;
        }
        size_t len = 0;
        while (word_char(p[len]))
            len++;
        int rc = remote_count() ? try_remote(ctx, s, &p, len, err) : 0;
        if (rc < 0)
            return -1;
        if (rc == 0) {
            buf_add(&s->out, p, len);
            p += len;
        }
    }
    return 0;
}

/* The rows as they come: the first keep (keep < 0: all) into t, the rest counted. */
struct shown {
    struct cmd_result *res;
    struct rtable *t;
    long long keep, more;
};

static int
show_row(void *arg, int n, const char *const *vals, const char *const *names,
         const unsigned *oids, struct qerr *err)
{
    struct shown *s = arg;
    if (!s->t)
        s->t = result_table(s->res, n, names);
    if (s->keep >= 0 && s->t->n_rows >= s->keep) {
        s->more++;
        return 0;
    }
    long long r = rtable_add_row(s->t);
    for (int j = 0; j < n; j++)
        rtable_set(s->t, r, j, vals[j], vals[j] && pg_oid_kind(oids[j]) != 0);
    return 0;
}

int
remote_sql(struct cmd_ctx *ctx, const char *sql, struct cmd_result *res, struct qerr *err)
{
    struct scan s = {BUF_INIT, NULL, NULL, 0, 0};
    char **names = NULL;
    unsigned *oids = NULL;
    int n = 0, rc = -1;
    double est = -1;
    if (!remote_count())
        return 1;
    if (scan_sql(ctx, sql, &s, err) < 0)
        goto out;
    if (!s.c) {
        rc = 1;
        goto out;
    }
    buf_rtrim(&s.out);
    while (s.out.len && s.out.data[s.out.len - 1] == ';')
        s.out.data[--s.out.len] = '\0';
    if (s.semicolon) {
        qerr_set(err, QE_ARG, "one statement at a time runs on PostgreSQL ('%s' is remote)",
                 s.first);
        goto out;
    }
    const char *w = s.out.data + strspn(s.out.data, " \t\r\n(");
    static const char *const reads[] = {"select", "with", "values", "table"};
    int is_read = 0;
    for (int i = 0; i < 4; i++)
        is_read |= !strncasecmp(w, reads[i], strlen(reads[i])) && !word_char(w[strlen(reads[i])]);
    if (!is_read) {
        qerr_set(err, QE_ARG, "only queries (SELECT, WITH, VALUES, TABLE) run on PostgreSQL, "
                 "and '%s' is remote", s.first);
        qerr_hint(err, "export T %s writes a local table there; load %s as T brings one here",
                  s.first, s.first);
        goto out;
    }
    /* what it would bring back, before it runs (EXPLAIN runs nothing) */
    if (pg_exec(s.c, "BEGIN READ ONLY", err) < 0)
        goto out;
    if (pg_estimate(s.c, s.out.data, &est, err) < 0 ||
        pg_result_columns(s.c, s.out.data, &names, &oids, &n, err) < 0 ||
        remote_fits("the query", est, n, "run", err) < 0)
        goto fail;
    struct shown sh = {res, NULL, result_screen_rows(ctx, sql, strlen(sql)), 0};
    result_text(res, "ran on PostgreSQL (%.*s, read-only): %s",
                (int)strcspn(s.first, "."), s.first, s.out.data);
    if (pg_query(s.c, s.out.data, est, show_row, &sh, kit_progress, ctx, err) < 0)
        goto fail;
    pg_exec(s.c, "ROLLBACK", &(struct qerr)QERR_INIT);
    if (!sh.t)
        result_text(res, "(no rows)");
    else if (sh.more)
        result_text(res, "%lld more row%s (%lld in all) came back, not shown; narrow the "
                    "query, or load %s as T to page through the table here", sh.more,
                    kit_plural(sh.more), sh.t->n_rows + sh.more, s.first);
    rc = 0;
    goto out;
fail:
    pg_exec(s.c, "ROLLBACK", &(struct qerr)QERR_INIT);
    if (err->code == QE_SQL)
        qerr_hint(err, "the statement ran on PostgreSQL because it names %s; a local table "
                  "is not there: load %s as T to join the two here", s.first, s.first);
out:
    pg_names_free(names, n);
    free(oids);
    buf_release(&s.out);
    free(s.first);
    return rc;
}

/* explain COMMAND NAME.table ...: the pushed-down command runs up to its SQL, then stops. */
static int dry;

int
remote_dry(void)
{
    return dry;
}

int
remote_plan(struct cmd_result *res, struct pg_conn *c, const char *what, const char *sql,
            struct qerr *err)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "EXPLAIN %s", sql);
    result_text(res, "%s would send this query to PostgreSQL (nothing ran, nothing written): %s",
                what, sql);
    result_text(res, "PostgreSQL's plan for it (EXPLAIN, not run):");
    struct shown sh = {res, NULL, -1, 0};
    int rc = pg_query(c, b.data, -1, show_row, &sh, NULL, NULL, err);
    buf_release(&b);
    return rc;
}

int
remote_explain(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    static const char *const pushed[] = {"rfm", "series", "sessions", "sample", "rules"};
    const char *cmd = args_str(args, "TOPIC"), *table = args_str(args, "TABLE");
    int known = 0;
    for (int i = 0; i < 5; i++)
        known |= strcasecmp(cmd, pushed[i]) == 0;
    if (!known) {
        qerr_set(err, QE_ARG, "explain COMMAND TABLE shows the SQL a command sends to "
                 "PostgreSQL; rfm, series, sessions, sample and rules send one, %s none", cmd);
        return kit_fail_at(args, "TOPIC", err);
    }
    if (catalog_has_table(ctx->cat, table)) {
        qerr_set(err, QE_ARG, "'%s' is a local table: %s over it runs here and sends no SQL",
                 table, cmd);
        return kit_fail_at(args, "TABLE", err);
    }
    if (!remote_named(table)) {
        qerr_set(err, QE_ARG, "'%s' is not NAME.table of an attached database", table);
        qerr_hint(err, "attach postgres 'CONNINFO' as NAME first; tables lists NAME.table");
        return kit_fail_at(args, "TABLE", err);
    }
    /* the statement again, as the command would have it */
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s %s", cmd, table);
    for (int i = 0; i < args->n_free; i++) {
        const char *v = args->free_vals[i];
        if (v[strcspn(v, " \t'\"")]) {
            buf_addf(&b, " %s='", args->free_keys[i]);
            for (; *v; v++)
                buf_add(&b, *v == '\'' ? "''" : v, *v == '\'' ? 2 : 1);
            buf_addc(&b, '\'');
        } else {
            buf_addf(&b, " %s=%s", args->free_keys[i], v);
        }
    }
    buf_addf(&b, " as %s", args->as ? args->as : "explained");
    struct cmd_args a2;
    int rc = cmd_parse(ctx, b.data, &a2, err);
    if (rc < 0) {
        err->pos = -1;
    } else {
        dry = 1;
        rc = a2.cmd->exec(ctx, &a2, res, err);
        dry = 0;
        args_release(&a2);
    }
    buf_release(&b);
    return rc;
}
