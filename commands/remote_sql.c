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
#include "remote/pull.h"
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

/* Past whitespace and comments, then past keyword w (case aside); NULL when w is not next. */
static const char *
keyword(const char *p, const char *w)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        const char *q = *p == '-' || *p == '/' ? skip_quoted(p) : p;
        if (q == p)
            break;
        p = q;
    }
    size_t n = strlen(w);
    return strncasecmp(p, w, n) == 0 && !word_char(p[n]) ? p + n : NULL;
}

/* What the scan found: the rewritten text and the one connection it names. */
struct scan {
    struct buf out;
    struct pg_conn *c;
    char *first;           /* the first remote name, for the messages */
    int n_remote, semicolon;
    const char *sql;       /* the text scanned */
};

/* Words after which a bare name is a table, a column or a value, not an alias (AS is not one). */
static const char *const not_alias_after[] = {
    "all", "alter", "and", "between", "by", "case", "create", "cross", "delete", "distinct",
    "drop", "else", "except", "exists", "from", "full", "group", "having", "if", "in", "inner",
    "insert", "intersect", "into", "is", "join", "lateral", "left", "like", "limit", "natural",
    "not", "offset", "on", "or", "order", "outer", "recursive", "returning", "right", "select",
    "set", "table", "then", "union", "update", "using", "values", "when", "where", "with", NULL};

/*
 * 1 when sql declares the word w (len bytes) as an alias or a WITH query's
 * name: `orders w`, `orders AS w`, `(SELECT ...) w`, `WITH w AS (`. Then
 * w.col in it is that alias's column, not an attached database's table.
 */
static int
declared_alias(const char *sql, const char *w, size_t len)
{
    const char *p = sql, *prev = NULL; /* the previous word; "" after ) or a quoted name */
    size_t prev_len = 0;
    while (*p) {
        const char *q = skip_quoted(p);
        if (q != p) {
            prev = *p == '"' ? "" : NULL; /* a quoted name: what follows may be its alias */
            prev_len = 0;
            p = q;
            continue;
        }
        if (!word_char(*p)) {
            if (*p == ')')
                prev = "", prev_len = 0;
            else if (!isspace((unsigned char)*p))
                prev = NULL;
            p++;
            continue;
        }
        size_t n = 0;
        while (word_char(p[n]))
            n++;
        if (n == len && strncasecmp(p, w, len) == 0 && p[n] != '.' && (p == sql || p[-1] != '.')) {
            const char *as = keyword(p + n, "as");
            if (as && *(as + strspn(as, " \t\r\n")) == '(')
                return 1; /* WITH w AS ( */
            int alias = prev != NULL; /* not at the start, nor after , ( = and the like */
            for (int i = 0; alias && prev_len && not_alias_after[i]; i++)
                alias = strlen(not_alias_after[i]) != prev_len ||
                        strncasecmp(prev, not_alias_after[i], prev_len) != 0;
            if (alias)
                return 1;
        }
        prev = p;
        prev_len = n;
        p += n;
    }
    return 0;
}

/* A word at p (length len) followed by .word: a remote table? Appends and advances. */
static int
try_remote(struct cmd_ctx *ctx, struct scan *s, const char **pp, size_t len, struct qerr *err)
{
    const char *p = *pp, *q = p + len;
    char *att = xstrndup(p, len);
    int remote = *q == '.' && word_char(q[1]) && !isdigit((unsigned char)p[0]) &&
                 !catalog_has_table(ctx->cat, att) && !declared_alias(s->sql, p, len);
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
    s->sql = sql;
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

/*
 * CREATE TABLE [IF NOT EXISTS] name AS query: the query, with *dest the
 * name (malloc'd, unquoted) and *if_not set; NULL when sql is not that.
 */
static const char *
create_as(const char *sql, char **dest, int *if_not)
{
    const char *p = keyword(sql, "create"), *q;
    if (!p || !(p = keyword(p, "table")))
        return NULL;
    *if_not = 0;
    if ((q = keyword(p, "if")) && (q = keyword(q, "not")) && (q = keyword(q, "exists"))) {
        p = q;
        *if_not = 1;
    }
    while (isspace((unsigned char)*p))
        p++;
    struct buf b = BUF_INIT;
    if (*p == '"') {
        for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
            buf_addc(&b, *p);
        if (*p)
            p++;
    } else {
        while (word_char(*p))
            buf_addc(&b, *p++);
    }
    if (!b.len || !(q = keyword(p, "as"))) {
        buf_release(&b);
        return NULL;
    }
    *dest = buf_detach(&b);
    return q + strspn(q, " \t\r\n");
}

/*
 * sql scanned into s, refused unless one query: 1 when it names no
 * remote table (s->c NULL), else 0, or -1 with err set.
 */
static int
remote_query(struct cmd_ctx *ctx, const char *sql, struct scan *s, struct qerr *err)
{
    if (!remote_count())
        return 1;
    if (scan_sql(ctx, sql, s, err) < 0)
        return -1;
    if (!s->c)
        return 1;
    buf_rtrim(&s->out);
    while (s->out.len && s->out.data[s->out.len - 1] == ';')
        s->out.data[--s->out.len] = '\0';
    if (s->semicolon)
        return qerr_set(err, QE_ARG, "one statement at a time runs on PostgreSQL ('%s' is "
                        "remote)", s->first);
    const char *w = s->out.data + strspn(s->out.data, " \t\r\n(");
    static const char *const reads[] = {"select", "with", "values", "table"};
    for (int i = 0; i < 4; i++)
        if (!strncasecmp(w, reads[i], strlen(reads[i])) && !word_char(w[strlen(reads[i])]))
            return 0;
    qerr_set(err, QE_ARG, "only queries (SELECT, WITH, VALUES, TABLE) run on PostgreSQL, "
             "and '%s' is remote", s->first);
    qerr_hint(err, "export T %s writes a local table there; load %s as T brings one here, "
              "CREATE TABLE T AS SELECT ... FROM %s a query's rows", s->first, s->first,
              s->first);
    return -1;
}

/* After a failure on the server: a relation it lacks may be a local table (a hint says so). */
static void
remote_failed(const struct scan *s, struct qerr *err)
{
    pg_exec(s->c, "ROLLBACK", &(struct qerr)QERR_INIT);
    if (err->code == QE_SQL && err->msg && strstr(err->msg, "relation \"") &&
        strstr(err->msg, "does not exist"))
        qerr_hint(err, "the statement ran on PostgreSQL because it names %s; a local table "
                  "is not there: load %s as T to join the two here", s->first, s->first);
}

/*
 * The rows of s's query (read-only on the server) into the new catalog
 * table dest, as load NAME.table copies a table: refused first with
 * PostgreSQL's estimate when they would not fit, progress and cancel by
 * pg_pull, the caller's savepoint undoing a failure.
 */
static int
rows_into(struct cmd_ctx *ctx, struct scan *s, const char *dest, int if_not,
          struct cmd_result *res, struct qerr *err)
{
    char **names = NULL;
    unsigned *oids = NULL;
    int n = 0, rc = -1;
    double est = -1;
    long long got = 0;
    if (catalog_has_table(ctx->cat, dest)) {
        if (if_not) {
            result_text(res, "table '%s' exists already: nothing loaded (IF NOT EXISTS)", dest);
            return 0;
        }
        qerr_set(err, QE_ARG, "table '%s' already exists", dest);
        qerr_hint(err, "DROP TABLE %s first, or choose another name", dest);
        return -1;
    }
    if (pg_exec(s->c, "BEGIN READ ONLY", err) < 0)
        return -1;
    if (pg_estimate(s->c, s->out.data, &est, err) < 0 ||
        pg_result_columns(s->c, s->out.data, &names, &oids, &n, err) < 0 ||
        remote_fits("the query's result", est, n, "loaded", err) < 0 ||
        pg_pull(s->c, catalog_db(ctx->cat), s->out.data, dest, est, kit_progress, ctx, &got,
                err) < 0) {
        remote_failed(s, err);
        goto out;
    }
    pg_exec(s->c, "ROLLBACK", &(struct qerr)QERR_INIT);
    result_text(res, "loaded %lld row%s x %d column%s into '%s' (PostgreSQL's estimate was "
                "%.0f), the query run on PostgreSQL (%.*s, read-only): %s", got, kit_plural(got),
                n, kit_plural(n), dest, est, (int)strcspn(s->first, "."), s->first, s->out.data);
    res->changed = 1;
    rc = 0;
out:
    pg_names_free(names, n);
    free(oids);
    return rc;
}

int
remote_sql(struct cmd_ctx *ctx, const char *sql, struct cmd_result *res, struct qerr *err)
{
    struct scan s = {BUF_INIT, NULL, NULL, 0, 0, NULL};
    char **names = NULL;
    unsigned *oids = NULL;
    char *dest = NULL;
    int n = 0, if_not = 0;
    double est = -1;
    const char *query = remote_count() ? create_as(sql, &dest, &if_not) : NULL;
    int rc = remote_query(ctx, query ? query : sql, &s, err);
    if (rc != 0)
        goto out;
    if (dest) {
        rc = rows_into(ctx, &s, dest, if_not, res, err);
        goto out;
    }
    rc = -1;
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
    remote_failed(&s, err);
out:
    pg_names_free(names, n);
    free(oids);
    buf_release(&s.out);
    free(s.first);
    free(dest);
    return rc;
}

int
remote_load_query(struct cmd_ctx *ctx, struct cmd_result *res, const char *text,
                  const char *dest, struct qerr *err)
{
    struct scan s = {BUF_INIT, NULL, NULL, 0, 0, NULL};
    const char *w = text + strspn(text, " \t\r\n(");
    int rc = 1;
    if (keyword(w, "select") || keyword(w, "with") || keyword(w, "values") || keyword(w, "table"))
        rc = remote_query(ctx, text, &s, err);
    if (rc == 0 && !dest)
        rc = qerr_set(err, QE_ARG, "a query's result needs a table name: load '%s' as NAME",
                      text);
    else if (rc == 0)
        rc = rows_into(ctx, &s, dest, 0, res, err);
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
