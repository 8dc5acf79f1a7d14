/*
 * complete_sql.c: tab completion inside SQL (complete.h says what is
 * offered where): a small lexer that splits the statement into words,
 * quoted identifiers and other characters, the tables the statement names
 * and their aliases, then keywords, tables and columns through the
 * collector of complete.c.
 */
#include "complete_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "remote.h"
#include "base/banned.h"

/* SQL keywords and the common functions, offered inside SQL. */
const char *const cpl_sql_words[] = {
    "abs", "add", "all", "alter", "and", "as", "asc", "avg", "begin", "between", "blob", "by",
    "case", "cast", "coalesce", "collate", "column", "commit", "count", "create", "cross",
    "default", "delete", "desc", "distinct", "drop", "else", "end", "except", "exists",
    "explain", "false", "filter", "from", "full", "glob", "group", "group_concat", "having",
    "if", "ifnull", "in", "index", "inner", "insert", "integer", "intersect", "into", "is",
    "join", "key", "left", "length", "like", "limit", "lower", "max", "min", "natural",
    "nocase", "not", "null", "nullif", "offset", "on", "or", "order", "outer", "over",
    "partition", "pragma", "primary", "real", "recursive", "rename", "replace", "right",
    "round", "rollback", "select", "set", "substr", "sum", "table", "temp", "text", "then",
    "total", "trim", "true", "union", "update", "upper", "using", "values", "view", "when",
    "where", "window", "with", NULL,
};

/* After these words SQL wants a table name. */
static const char *const sql_table_words[] = {"from", "join", "into", "update", "table", NULL};

/*
 * Split SQL into words, quoted identifiers and other characters. Returns
 * -1 when the cursor sits inside a string, a quoted identifier or a
 * comment.
 */
static int
sql_lex(const char *s, int n, int pt, struct toks *tk)
{
    int p = 0, inside = 0;
    tk->t = NULL;
    tk->n = 0;
    while (p < n) {
        unsigned char c = (unsigned char)s[p];
        int from = p;
        if (isspace(c)) {
            p++;
        } else if (c == '-' && p + 1 < n && s[p + 1] == '-') {
            while (p < n && s[p] != '\n')
                p++;
            inside |= from < pt && pt <= p;
        } else if (c == '/' && p + 1 < n && s[p + 1] == '*') {
            const char *e = NULL;
            for (int q = p + 2; q + 1 < n && !e; q++)
                if (s[q] == '*' && s[q + 1] == '/')
                    e = s + q;
            p = e ? (int)(e - s) + 2 : n;
            inside |= from < pt && (pt < p || !e);
        } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : (char)c;
            p++;
            while (p < n && s[p] != close)
                p++;
            int closed = p < n;
            if (closed)
                p++;
            inside |= from < pt && (pt < p || !closed);
            if (c != '\'')
                cpl_toks_push(tk, (struct tok){from, p, 0, from, SQL_QUOTED});
        } else if (cpl_ident_char(c)) {
            while (p < n && (cpl_ident_char((unsigned char)s[p]) ||
                             (isdigit(c) && s[p] == '.')))
                p++;
            cpl_toks_push(tk, (struct tok){from, p, 0, from, isdigit(c) ? SQL_OTHER : SQL_WORD});
        } else {
            p++;
            cpl_toks_push(tk, (struct tok){from, p, 0, from, SQL_OTHER});
        }
    }
    return inside ? -1 : 0;
}

/* The name a word or quoted identifier stands for; the caller frees it. */
static char *
stok_name(const char *s, const struct tok *t)
{
    if (t->kind != SQL_QUOTED)
        return xstrndup(s + t->pos, (size_t)(t->end - t->pos));
    int closed = t->end - t->pos >= 2 && s[t->end - 1] == (s[t->pos] == '[' ? ']' : s[t->pos]);
    return xstrndup(s + t->pos + 1, (size_t)(t->end - t->pos - 1 - closed));
}

int
cpl_stok_in(const char *s, const struct tok *t, const char *const *words)
{
    size_t l = (size_t)(t->end - t->pos);
    for (int i = 0; t->kind == SQL_WORD && words[i]; i++)
        if (strlen(words[i]) == l && strncasecmp(s + t->pos, words[i], l) == 0)
            return 1;
    return 0;
}

void
cpl_sql(struct job *j)
{
    struct toks tk;
    char **tables = NULL, **aliases = NULL;
    int n_tables = 0, n_aliases = 0;
    int *alias_of = NULL;
    struct qerr e = QERR_INIT;
    j->quote = '"';
    unsigned char *named = NULL;
    if (sql_lex(j->s, j->n, j->pt, &tk) < 0)
        goto out;
    int start = j->pt;
    while (start > 0 && cpl_ident_char((unsigned char)j->s[start - 1]))
        start--;
    if (start < j->pt && isdigit((unsigned char)j->s[start]))
        goto out;
    cpl_word_at(j, start);

    /* Tables named in the statement, and their aliases (t AS a, t a). */
    catalog_tables(catalog_db(j->ctx->cat), 1, &tables, &n_tables, &e);
    qerr_clear(&e);
    named = xcalloc((size_t)n_tables + 1, 1);
    alias_of = xcalloc((size_t)tk.n + 1, sizeof *alias_of);
    aliases = xcalloc((size_t)tk.n + 1, sizeof *aliases);
    for (int i = 0; i < tk.n; i++) {
        if (tk.t[i].kind == SQL_OTHER || tk.t[i].pos == start)
            continue;
        char *name = stok_name(j->s, &tk.t[i]);
        int ti = cpl_name_index(tables, n_tables, name, strlen(name));
        free(name);
        if (ti < 0)
            continue;
        named[ti] = 1;
        int a = i + 1;
        if (a < tk.n && cpl_stok_in(j->s, &tk.t[a], (const char *const[]){"as", NULL}))
            a++;
        if (a < tk.n && tk.t[a].kind != SQL_OTHER && tk.t[a].pos != start &&
            !cpl_stok_in(j->s, &tk.t[a], cpl_sql_words)) {
            alias_of[n_aliases] = ti;
            aliases[n_aliases++] = stok_name(j->s, &tk.t[a]);
        }
    }

    /* After `name.`: the columns of that table. */
    if (start > 0 && j->s[start - 1] == '.') {
        int ti = -1;
        for (int i = 0; i < tk.n; i++) {
            if (tk.t[i].end != start - 1 || tk.t[i].kind == SQL_OTHER)
                continue;
            char *name = stok_name(j->s, &tk.t[i]);
            ti = cpl_name_index(tables, n_tables, name, strlen(name));
            int ai = ti < 0 ? cpl_name_index(aliases, n_aliases, name, strlen(name)) : -1;
            if (ai >= 0)
                ti = alias_of[ai];
            if (ti < 0 && ai < 0) { /* an attached database's NAME.: its tables (remote.h) */
                char **rt = NULL;
                int nr = 0;
                remote_table_names(name, strlen(name), &rt, &nr);
                for (int r = 0; r < nr; r++)
                    cpl_add_word(j, rt[r], strlen(rt[r]), NULL, CASE_ASIS);
                pg_names_free(rt, nr);
            }
            free(name);
        }
        if (ti >= 0)
            cpl_add_columns(j, tables[ti], NULL, 0);
        goto out;
    }

    const struct tok *prev = NULL, *first = NULL;
    for (int i = 0; i < tk.n; i++) {
        if (tk.t[i].end <= start && tk.t[i].pos < start)
            prev = &tk.t[i];
        if (!first && tk.t[i].kind == SQL_WORD && !cpl_stok_in(j->s, &tk.t[i],
                                                           (const char *const[]){"sql", NULL}))
            first = &tk.t[i];
    }
    cpl_add_tables(j);
    if (prev && cpl_stok_in(j->s, prev, sql_table_words))
        goto out;
    /* The columns of the tables named; before any is (SELECT amo|), of all the user's. */
    int any = 0;
    for (int i = 0; i < n_tables; i++)
        any |= named[i];
    for (int i = 0; i < n_tables; i++)
        if (any ? named[i] : strncasecmp(tables[i], "quarry_", 7) != 0)
            cpl_add_columns(j, tables[i], NULL, 0);
    enum word_case wc = cpl_case_of(j->prefix, j->len);
    if (wc == CASE_ASIS && first && first->pos != start)
        wc = cpl_case_of(j->s + first->pos, (size_t)(first->end - first->pos));
    cpl_add_list(j, cpl_sql_words, wc == CASE_LOWER ? CASE_LOWER : CASE_UPPER);
out:
    catalog_names_free(tables, n_tables);
    catalog_names_free(aliases, n_aliases);
    free(alias_of);
    free(named);
    free(tk.t);
}
