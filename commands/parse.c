/*
 * parse.c: from a statement to a command and its typed, checked
 * arguments (split.c cuts input text into statements).
 *
 * Command syntax: COMMAND [positional ...] [key=value ...] [as NAME].
 * Values with spaces or commas are quoted with '...' ('' inside is a
 * quote). Anything that starts with an SQL keyword, or with `sql`, is
 * handed to SQLite as is.
 */
#include "cmd.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "base/datetime.h"
#include "classify/model.h"
#include "remote.h"
#include "base/banned.h"

/* --- tokens -------------------------------------------------------------- */

struct token {
    char *key;   /* before '=', or NULL */
    char *val;   /* unquoted value (or the whole bare word) */
    int pos;     /* offset of the token in the statement */
    int val_pos; /* offset of the value */
    int quoted;
};

struct tokens {
    struct token t[64];
    int n;
};

static void
tokens_release(struct tokens *tk)
{
    for (int i = 0; i < tk->n; i++) {
        free(tk->t[i].key);
        free(tk->t[i].val);
    }
    tk->n = 0;
}

/*
 * Read a possibly quoted value starting at p; returns the end. As in a
 * shell, a value may also start with '"' (running to the next '"'; \"
 * and \\ inside are a quote and a backslash), and outside quotes a
 * backslash before a space, a quote, a backslash, ';' or '#' makes it
 * plain text: load "my data.csv", load my\ data.csv. Any other backslash
 * is itself (delim=\t).
 */
static const char *
read_value(const char *p, struct buf *out, int *quoted, int *bad)
{
    *bad = 0;
    if (*p == '"') {
        *quoted = 1;
        for (p++; *p != '"'; p++) {
            if (!*p) {
                *bad = 1;
                return p;
            }
            if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
            buf_addc(out, *p);
        }
        p++;
    }
    while (*p && !isspace((unsigned char)*p)) {
        if (*p == '\\' && p[1] && strchr(" \t\"'\\;#", p[1])) {
            buf_addc(out, p[1]);
            p += 2;
        } else if (*p == '\'') {
            *quoted = 1;
            p++;
            for (;;) {
                if (!*p) {
                    *bad = 1;
                    return p;
                }
                if (*p == '\'') {
                    if (p[1] == '\'') {
                        buf_addc(out, '\'');
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                buf_addc(out, *p++);
            }
        } else {
            buf_addc(out, *p++);
        }
    }
    return p;
}

static int
tokenize(const char *stmt, struct tokens *tk, struct qerr *err)
{
    const char *p = stmt;
    tk->n = 0;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (tk->n == (int)(sizeof tk->t / sizeof tk->t[0])) {
            err->pos = (int)(p - stmt);
            return qerr_set(err, QE_ARG, "too many arguments (the limit is 64)");
        }
        struct token *t = &tk->t[tk->n];
        memset(t, 0, sizeof *t);
        t->pos = (int)(p - stmt);
        const char *q = p;
        if (isalpha((unsigned char)*q) || *q == '_') {
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
        }
        if (q > p && *q == '=') {
            t->key = xstrndup(p, (size_t)(q - p));
            p = q + 1;
        }
        t->val_pos = (int)(p - stmt);
        struct buf v = BUF_INIT;
        int bad;
        p = read_value(p, &v, &t->quoted, &bad);
        t->val = buf_detach(&v);
        tk->n++;
        if (bad) {
            err->pos = t->val_pos;
            return qerr_set(err, QE_ARG, "unterminated quote; close it with %s",
                            stmt[t->val_pos] == '"' ? "\" (write \\\" for a quote inside a value)"
                                                    : "' (write '' for a quote inside a value)");
        }
    }
    return 0;
}

/* --- lookup ---------------------------------------------------------------- */

const struct cmd_entry *
cmd_find(const char *name, struct qerr *err)
{
    const struct cmd_entry *hit = NULL;
    int n_hits = 0;
    size_t len = strlen(name);
    for (int i = 0; i < cmd_table_len; i++) {
        const struct cmd_entry *c = cmd_table[i];
        if (strcasecmp(c->name, name) == 0 || (c->alias && strcasecmp(c->alias, name) == 0))
            return c;
    }
    for (int i = 0; i < cmd_table_len; i++) {
        if (strncasecmp(cmd_table[i]->name, name, len) == 0) {
            hit = cmd_table[i];
            n_hits++;
        }
    }
    if (n_hits == 1 && len >= 2)
        return hit;
    if (n_hits > 1) {
        struct buf b = BUF_INIT;
        for (int i = 0; i < cmd_table_len; i++)
            if (strncasecmp(cmd_table[i]->name, name, len) == 0)
                buf_addf(&b, "%s%s", b.len ? ", " : "", cmd_table[i]->name);
        qerr_set(err, QE_ARG, "ambiguous command '%s': could be %s", name, b.data);
        buf_release(&b);
        return NULL;
    }
    const char *names[256];
    int n = 0;
    for (int i = 0; i < cmd_table_len && n < 256; i++)
        names[n++] = cmd_table[i]->name;
    const char *sug = catalog_suggest(name, names, n);
    if (sug)
        qerr_set(err, QE_NOTFOUND, "unknown command '%s'; did you mean '%s'?", name, sug);
    else
        qerr_set(err, QE_NOTFOUND, "unknown command '%s'; type help for the list of commands",
                 name);
    return NULL;
}

/* --- argument values ------------------------------------------------------- */


static int
is_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (s++; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* A name for a new table: an identifier that is not reserved. */
static int
check_name(const char *text, struct qerr *err)
{
    if (!is_ident(text))
        return qerr_set(err, QE_ARG,
                        "'%s' is not a valid name; use letters, digits and _, starting "
                        "with a letter (e.g. 'orders_2024')",
                        text);
    if (strncasecmp(text, "sqlite_", 7) == 0 || strncasecmp(text, "quarry_", 7) == 0)
        return qerr_set(err, QE_ARG, "names starting with '%.7s' are reserved; choose another",
                        text);
    return 0;
}

/* The choices as a list for a message: "a, b, value:X, c". */
static void
choices_list(struct buf *b, const char *choices)
{
    for (const char *p = choices; *p; p++) {
        if (*p == ':' && (p[1] == '|' || !p[1]))
            buf_adds(b, ":X");
        else
            buf_adds(b, *p == '|' ? ", " : (char[]){*p, 0});
    }
}

/*
 * The index of v among the choices of sp ("a|b|value:"; a choice ending
 * in ':' takes any text after it), or -1 with err set.
 */
static int
check_choice(const struct arg_spec *sp, const char *v, struct qerr *err)
{
    const char *p = sp->choices;
    size_t vl = strlen(v);
    const char *cands[32];
    char words[32][32];
    int n = 0;
    for (int i = 0; *p; i++) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        int prefix = l > 0 && p[l - 1] == ':';
        if ((l == vl || (prefix && vl >= l)) && strncasecmp(p, v, l) == 0)
            return i;
        if (l < sizeof words[0] && n < 32) {
            memcpy(words[n], p, l);
            words[n][l] = 0;
            cands[n] = words[n];
            n++;
        }
        p += l;
        if (*p == '|')
            p++;
    }
    struct buf b = BUF_INIT;
    choices_list(&b, sp->choices);
    const char *sug = catalog_suggest(v, cands, n);
    if (sug)
        qerr_set(err, QE_ARG, "%s must be one of %s, not '%s'; did you mean '%s'?", sp->name,
                 b.data, v, sug);
    else
        qerr_set(err, QE_ARG, "%s must be one of %s, not '%s'", sp->name, b.data, v);
    buf_release(&b);
    return -1;
}

static int
parse_bool(const char *v, long long *out)
{
    static const char *const yes[] = {"yes", "on", "true", "1"};
    static const char *const no[] = {"no", "off", "false", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static int
check_table(struct cmd_ctx *ctx, const char *name, struct qerr *err)
{
    if (catalog_has_table(ctx->cat, name))
        return 0;
    if (remote_named(name)) { /* an attached database's NAME.table (remote.h) */
        struct remote_ref r;
        int rc = remote_resolve(name, &r, err);
        remote_ref_release(&r);
        return rc;
    }
    char **names = NULL;
    int n = 0;
    struct qerr e = QERR_INIT;
    catalog_tables(catalog_db(ctx->cat), 0, &names, &n, &e);
    qerr_clear(&e);
    const char *sug = catalog_suggest(name, (const char *const *)names, n);
    if (sug)
        qerr_set(err, QE_NOTFOUND, "unknown table '%s'; did you mean '%s'?", name, sug);
    else
        qerr_set(err, QE_NOTFOUND, "unknown table '%s'; type tables to list the tables", name);
    catalog_names_free(names, n);
    return -1;
}

/* 1 when a model (not a transform) is stored under name. */
static int
is_model_name(struct cmd_ctx *ctx, const char *name)
{
    char kind[STORE_KIND_MAX + 1];
    struct qerr e = QERR_INIT;
    int rc = model_stored(ctx->cat, name, kind, &e) == 1;
    qerr_clear(&e);
    return rc;
}

static int
check_column(struct cmd_ctx *ctx, const char *table, const char *col, struct qerr *err)
{
    struct catalog_columns cols;
    int rc = -1;
    if (remote_named(table) && !catalog_has_table(ctx->cat, table))
        return remote_column(table, col, NULL, err);
    if (catalog_columns(catalog_db(ctx->cat), table, 0, &cols, err) < 0)
        return -1;
    for (int i = 0; i < cols.n; i++)
        if (strcasecmp(cols.names[i], col) == 0)
            rc = 0;
    size_t len = strlen(col);
    if (rc < 0 && len > 2 && (col[0] == '\'' || col[0] == '"') && col[len - 1] == col[0]) {
        /* rows="'vote'": the quotes came in with the name; name it bare. */
        for (int i = 0; i < cols.n; i++)
            if (strlen(cols.names[i]) == len - 2 &&
                strncasecmp(cols.names[i], col + 1, len - 2) == 0) {
                qerr_set(err, QE_NOTFOUND, "unknown column %s in '%s': the quotes are part of "
                         "that name; write the column bare: %s", col, table, cols.names[i]);
                catalog_columns_release(&cols);
                return -1;
            }
    }
    if (rc < 0) {
        const char *sug = catalog_suggest(col, (const char *const *)cols.names, cols.n);
        if (sug)
            qerr_set(err, QE_NOTFOUND, "unknown column '%s' in '%s'; did you mean '%s'?", col,
                     table, sug);
        else
            qerr_set(err, QE_NOTFOUND, "unknown column '%s' in '%s'; type describe %s to list "
                                       "its columns",
                     col, table, table);
    }
    catalog_columns_release(&cols);
    return rc;
}

static void
synopsis_hint(const struct cmd_entry *c, struct qerr *err)
{
    qerr_hint(err, "usage: %s (help %s for more)", c->synopsis, c->name);
}

/* Convert and check one value against its spec. */
static int
set_value(struct cmd_ctx *ctx, struct cmd_args *a, struct arg_val *v, const char *text, int pos,
          struct qerr *err)
{
    const struct arg_spec *sp = v->spec;
    char *end;
    v->text = xstrdup(text);
    v->pos = pos;
    switch (sp->type) {
    case ARG_INT: {
        errno = 0;
        long long x = strtoll(text, &end, 10);
        if (!*text || *end || errno)
            return qerr_set(err, QE_ARG, "%s must be a whole number, not '%s'", sp->name, text);
        if (sp->min < sp->max && (x < sp->min || x > sp->max))
            return qerr_set(err, QE_ARG, "%s must be between %.15g and %.15g, not %lld",
                            sp->name, sp->min, sp->max, x);
        v->i = x;
        v->r = (double)x;
        break;
    }
    case ARG_REAL: {
        double x = strtod(text, &end);
        if (!*text || *end || !isfinite(x))
            return qerr_set(err, QE_ARG, "%s must be a number, not '%s'", sp->name, text);
        if (sp->min < sp->max && (x < sp->min || x > sp->max))
            return qerr_set(err, QE_ARG, "%s must be between %.15g and %.15g, not %s", sp->name,
                            sp->min, sp->max, text);
        v->r = x;
        break;
    }
    case ARG_BOOL:
        if (parse_bool(text, &v->i) < 0) {
            const char *c = sp->choices ? sp->choices : "yes|no";
            const char *bar = strchr(c, '|');
            return qerr_set(err, QE_ARG, "%s must be %.*s or %s, not '%s'", sp->name,
                            (int)(bar - c), c, bar + 1, text);
        }
        break;
    case ARG_ENUM: {
        int i = check_choice(sp, text, err);
        if (i < 0)
            return -1;
        v->i = i;
        break;
    }
    case ARG_TABLE:
        if (sp->or_model && !catalog_has_table(ctx->cat, text) && is_model_name(ctx, text))
            return 0;
        return check_table(ctx, text, err);
    case ARG_NAME:
        return check_name(text, err);
    case ARG_COLUMN:
    case ARG_COLUMNS: {
        const char *table = NULL;
        for (int i = 0; i < a->n_vals; i++)
            if (a->vals[i].spec->type == ARG_TABLE && a->vals[i].text)
                table = a->vals[i].text;
        if (!table)
            break;
        if (sp->type == ARG_COLUMN)
            return check_column(ctx, table, text, err);
        if (args_star(sp, text))
            break; /* args_expand_star lists the columns before the handler runs */
        const char *p = text;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            char *col = xstrndup(p, l);
            v->list = xrealloc(v->list, (size_t)(v->n_list + 1) * sizeof *v->list);
            v->list[v->n_list++] = col;
            if (!*col) {
                return qerr_set(err, QE_ARG, "empty column name in %s; write %s=a,b,c",
                                sp->name, sp->name);
            }
            if (check_column(ctx, table, col, err) < 0) {
                err->pos = pos + (int)(p - text);
                return -1;
            }
            /* Named twice: a command would fit or write the same column twice, then fail. */
            for (int k = 0; k < v->n_list - 1; k++)
                if (strcasecmp(v->list[k], col) == 0) {
                    err->pos = pos + (int)(p - text);
                    return qerr_set(err, QE_ARG, "column '%s' is named twice in %s=; name "
                                    "each column once", col, sp->name);
                }
            p += l;
            if (*p == ',')
                p++;
        }
        break;
    }
    case ARG_DATE:
        if (datetime_parse(text, &v->r) < 0)
            return qerr_set(err, QE_ARG, "%s must be a date such as 2025-01-01, not '%s'",
                            sp->name, text);
        break;
    case ARG_DURATION:
        if (datetime_duration(text, &v->r) < 0)
            return qerr_set(err, QE_ARG, "%s must be a duration such as 30m, 90s, 2h or 1d, "
                            "not '%s'", sp->name, text);
        break;
    case ARG_PATH:
        /* ~ and ~/... are the home folder, as in a shell (quoted too: no shell is here) */
        if (text[0] == '~' && (text[1] == '/' || !text[1]) && getenv("HOME") &&
            *getenv("HOME")) {
            free(v->text);
            struct buf b = BUF_INIT;
            buf_adds(&b, getenv("HOME"));
            if (b.len > 1 && b.data[b.len - 1] == '/' && text[1] == '/')
                buf_truncate(&b, b.len - 1);
            buf_adds(&b, text + 1);
            v->text = buf_detach(&b);
        }
        break;
    case ARG_TEXT:
        break;
    }
    return 0;
}

/*
 * A CMD_SQL_TAIL command followed by a query (view SELECT ...): the query
 * goes whole into a->sql, not through the tokenizer. 1 if taken.
 */
static int
sql_tail(const char *stmt, struct cmd_args *a)
{
    const char *p = stmt, *q;
    struct qerr e = QERR_INIT;
    while (isspace((unsigned char)*p))
        p++;
    size_t n = cmd_word_len(p);
    for (q = p + n; isspace((unsigned char)*q);)
        q++;
    size_t m = cmd_word_len(q);
    if (!n || !(cmd_word_is(q, m, "select") || cmd_word_is(q, m, "with") || cmd_word_is(q, m, "values")))
        return 0;
    char *name = xstrndup(p, n);
    const struct cmd_entry *c = cmd_find(name, &e);
    free(name);
    qerr_clear(&e);
    if (!c || !(c->flags & CMD_SQL_TAIL))
        return 0;
    a->cmd = c;
    for (int i = 0; c->args && c->args[i].name && i < CMD_MAX_ARGS; i++) {
        a->vals[i].spec = &c->args[i];
        a->vals[i].pos = a->vals[i].key_pos = -1;
        a->n_vals = i + 1;
    }
    a->sql = xstrdup(q);
    return 1;
}

/* c's variant when the statement types one of its variant_keys (cmd.h), else c. */
static const struct cmd_entry *
cmd_variant(const struct cmd_entry *c, const struct tokens *tk)
{
    for (int i = 1; c->variant && i < tk->n; i++) {
        const char *k = tk->t[i].key, *p = c->variant_keys;
        for (size_t l; k && *p; p += l + (p[l] == '|')) {
            l = strcspn(p, "|");
            if (strlen(k) == l && strncasecmp(k, p, l) == 0)
                return c->variant;
        }
    }
    return c;
}

int
cmd_parse(struct cmd_ctx *ctx, const char *stmt, struct cmd_args *a, struct qerr *err)
{
    struct tokens tk;
    int rc = -1;
    memset(a, 0, sizeof *a);
    if (sql_tail(stmt, a))
        return 0;
    if (tokenize(stmt, &tk, err) < 0)
        goto out;
    if (tk.n == 0) {
        qerr_set(err, QE_ARG, "empty statement");
        goto out;
    }
    if (tk.t[0].key || tk.t[0].quoted) {
        err->pos = tk.t[0].pos;
        qerr_set(err, QE_ARG, "a statement starts with a command; type help for the list");
        goto out;
    }
    const struct cmd_entry *c = cmd_find(tk.t[0].val, err);
    if (!c) {
        err->pos = tk.t[0].pos;
        goto out;
    }
    c = cmd_variant(c, &tk);
    a->cmd = c;
    int n_spec = 0;
    while (c->args && c->args[n_spec].name)
        n_spec++;
    if (n_spec > CMD_MAX_ARGS) {
        qerr_set(err, QE_INTERNAL, "command '%s' declares too many arguments", c->name);
        goto out;
    }
    for (int i = 0; i < n_spec; i++) {
        a->vals[i].spec = &c->args[i];
        a->vals[i].pos = -1;
        a->vals[i].key_pos = -1;
    }
    a->n_vals = n_spec;

    /* Positionals first, in order; then keys in any order; `as NAME`. */
    int next_pos = 0;
    for (int i = 1; i < tk.n; i++) {
        struct token *t = &tk.t[i];
        err->pos = t->pos;
        if (!t->key && !t->quoted && strcasecmp(t->val, "as") == 0 && (c->flags & CMD_AS)) {
            if (i + 1 >= tk.n) {
                qerr_set(err, QE_ARG, "'as' needs a name after it, e.g. as my_table");
                goto out;
            }
            t = &tk.t[++i];
            err->pos = t->pos;
            if (check_name(t->key ? t->key : t->val, err) < 0)
                goto out;
            free(a->as);
            a->as = xstrdup(t->val);
            a->as_pos = t->pos;
            continue;
        }
        struct arg_val *v = NULL;
        if (t->key) {
            for (int j = 0; j < n_spec; j++)
                if (strcasecmp(c->args[j].name, t->key) == 0 && !c->args[j].positional)
                    v = &a->vals[j];
            if (!v && (c->flags & CMD_FREE_KEYS) && a->n_free < CMD_MAX_FREE) {
                a->free_keys[a->n_free] = xstrdup(t->key);
                a->free_vals[a->n_free++] = xstrdup(t->val);
                continue;
            }
            if (!v) {
                const char *keys[CMD_MAX_ARGS];
                int nk = 0;
                for (int j = 0; j < n_spec; j++)
                    if (!c->args[j].positional)
                        keys[nk++] = c->args[j].name;
                const char *sug = catalog_suggest(t->key, keys, nk);
                if (sug)
                    qerr_set(err, QE_ARG, "unknown key '%s' for '%s'; did you mean '%s'?",
                             t->key, c->name, sug);
                else if (nk)
                    qerr_set(err, QE_ARG, "unknown key '%s' for '%s'", t->key, c->name);
                else
                    qerr_set(err, QE_ARG, "'%s' takes no key=value arguments", c->name);
                synopsis_hint(c, err);
                goto out;
            }
            if (v->pos >= 0) {
                qerr_set(err, QE_ARG, "%s is given twice", t->key);
                goto out;
            }
        } else {
            while (next_pos < n_spec && !c->args[next_pos].positional)
                next_pos++;
            if (next_pos >= n_spec) {
                qerr_set(err, QE_ARG, "unexpected '%s'", t->val);
                synopsis_hint(c, err);
                goto out;
            }
            v = &a->vals[next_pos++];
        }
        err->pos = -1;
        v->key_pos = t->pos;
        if (set_value(ctx, a, v, t->val, t->key ? t->val_pos : t->pos, err) < 0) {
            if (err->pos < 0)
                err->pos = t->key ? t->val_pos : t->pos;
            goto out;
        }
    }
    err->pos = -1;
    for (int j = 0; j < n_spec; j++) {
        struct arg_val *v = &a->vals[j];
        if (v->pos >= 0)
            continue;
        if (v->spec->required) {
            qerr_set(err, QE_ARG, "'%s' needs %s%s", c->name, v->spec->name,
                     v->spec->positional ? "" : "=...");
            synopsis_hint(c, err);
            goto out;
        }
        if (v->spec->def && set_value(ctx, a, v, v->spec->def, -1, err) < 0)
            goto out;
        v->pos = -1;
    }
    if (args_check_modes(a, err) < 0)
        goto out;
    if ((c->flags & CMD_AS_REQUIRED) && !a->as) {
        qerr_set(err, QE_ARG, "'%s' needs a name for its result: add as NAME", c->name);
        synopsis_hint(c, err);
        goto out;
    }
    rc = 0;
out:
    tokens_release(&tk);
    if (rc < 0)
        args_release(a);
    return rc;
}
