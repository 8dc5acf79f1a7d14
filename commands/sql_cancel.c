/*
 * sql_cancel.c: the rewrite that makes a user INSERT ... SELECT,
 * CREATE TABLE ... AS SELECT, UPDATE or DELETE stop at the next row on
 * Ctrl-C (sql_cancel.h).
 */
#include "sql_cancel.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/banned.h"

static void
go_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    const volatile int *flag = sqlite3_user_data(sc);
    if (flag && *flag)
        sqlite3_result_error(sc, SQL_CANCEL_MSG, -1);
    else
        sqlite3_result_int(sc, 1);
}

static void
flag_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    const volatile int *flag = sqlite3_user_data(sc);
    sqlite3_result_int(sc, flag && *flag);
}

int
sql_cancel_register(sqlite3 *db, const volatile int *flag)
{
    /* not SQLITE_DETERMINISTIC: SQLite must call them for every row */
    int rc = sqlite3_create_function(db, SQL_CANCEL_FUNC, 0, SQLITE_UTF8, (void *)flag, go_func,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, SQL_CANCEL_FLAG_FUNC, 0, SQLITE_UTF8, (void *)flag,
                                     flag_func, NULL, NULL);
    return rc;
}

/* One token of SQL text: a word, a quoted string or name, or one other byte. */
struct tok {
    const char *s; /* NULL at the end */
    size_t n;
    int depth; /* parentheses open before it */
};

struct lexer {
    const char *p, *end;
    int depth;
};

static int
word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The next token, skipping blanks and comments. */
static struct tok
next_tok(struct lexer *lx)
{
    struct tok t = {NULL, 0, 0};
    const char *p = lx->p, *end = lx->end;
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
        } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p < end && !(end - p >= 2 && p[0] == '*' && p[1] == '/'))
                p++;
            p = p < end ? p + 2 : end;
        } else {
            break;
        }
    }
    if (p >= end) {
        lx->p = end;
        return t;
    }
    t.s = p;
    if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
        char close = *p == '[' ? ']' : *p;
        p++;
        while (p < end) {
            if (*p++ != close)
                continue;
            if (close != ']' && p < end && *p == close)
                p++; /* a doubled quote */
            else
                break;
        }
    } else if (word_byte((unsigned char)*p)) {
        while (p < end && word_byte((unsigned char)*p))
            p++;
    } else {
        if (*p == ')' && lx->depth > 0)
            lx->depth--;
        p++;
    }
    t.depth = lx->depth;
    if (*t.s == '(')
        lx->depth++;
    t.n = (size_t)(p - t.s);
    lx->p = p;
    return t;
}

static int
is_kw(struct tok t, const char *kw)
{
    return t.s && t.n == strlen(kw) && strncasecmp(t.s, kw, t.n) == 0;
}

int
sql_has_select(const char *start, const char *end)
{
    struct lexer lx = {start, end, 0};
    for (struct tok t = next_tok(&lx); t.s; t = next_tok(&lx))
        if (is_kw(t, "select"))
            return 1;
    return 0;
}

/* Skip a parenthesised group whose '(' is t; the token after it. */
static struct tok
skip_group(struct lexer *lx, struct tok t)
{
    int d = t.depth;
    do
        t = next_tok(lx);
    while (t.s && !(t.depth == d && *t.s == ')'));
    return t.s ? next_tok(lx) : t;
}

/* The start of an INSERT's SELECT (t is the token after INSERT or REPLACE); NULL if none. */
static const char *
insert_select(struct lexer *lx, struct tok t)
{
    if (is_kw(t, "or"))
        t = next_tok(lx), t = next_tok(lx); /* OR REPLACE, OR IGNORE, ... */
    if (!is_kw(t, "into"))
        return NULL;
    t = next_tok(lx); /* the table, or its schema */
    struct tok n = next_tok(lx);
    if (n.s && *n.s == '.' && n.n == 1)
        next_tok(lx), n = next_tok(lx);
    if (is_kw(n, "as"))
        next_tok(lx), n = next_tok(lx);
    if (n.s && *n.s == '(')
        n = skip_group(lx, n);
    return is_kw(n, "select") || is_kw(n, "with") ? n.s : NULL;
}

/* start [0, a) + mid + start [b, end), malloc'd */
static char *
splice(const char *start, const char *end, const char *a, const char *mid, const char *b)
{
    size_t la = (size_t)(a - start), lm = strlen(mid), lb = (size_t)(end - b);
    char *out = xmalloc(la + lm + lb + 1);
    memcpy(out, start, la);
    memcpy(out + la, mid, lm);
    memcpy(out + la + lm, b, lb);
    out[la + lm + lb] = '\0';
    return out;
}

/*
 * An UPDATE or DELETE (the lexer after its keyword): its WHERE made
 * SQL_CANCEL_FUNC() AND (the WHERE), or given WHERE SQL_CANCEL_FUNC() when
 * an UPDATE has none (a DELETE without one empties the table at once and
 * is left as it is). NULL when the text is not understood.
 */
static char *
where_wrap(struct lexer *lx, const char *start, const char *end, int update)
{
    struct tok t;
    if (update) {
        while ((t = next_tok(lx)).s && !(t.depth == 0 && is_kw(t, "set")))
            ;
        if (!t.s)
            return NULL;
    }
    const char *where = NULL, *last = NULL;
    while ((t = next_tok(lx)).s) {
        if (t.depth == 0 && (*t.s == ';' || is_kw(t, "returning") || is_kw(t, "order") ||
                             is_kw(t, "limit")))
            break;
        if (t.depth == 0 && is_kw(t, "where")) {
            if (where)
                return NULL;
            where = t.s + t.n;
        }
        last = t.s + t.n;
    }
    if (lx->depth != 0 || !last)
        return NULL;
    if (!where) {
        if (!update)
            return NULL;
        return splice(start, end, last, " WHERE " SQL_CANCEL_FUNC "()", last);
    }
    if (where == last)
        return NULL;
    /* WHERE quarry_go() AND (the condition): two splices */
    char *a = splice(start, end, where, " " SQL_CANCEL_FUNC "() AND (", where);
    size_t shift = strlen(" " SQL_CANCEL_FUNC "() AND (");
    char *b = splice(a, a + strlen(a), a + (last - start) + shift, ")",
                     a + (last - start) + shift);
    free(a);
    return b;
}

char *
sql_cancel_wrap(const char *start, const char *end)
{
    struct lexer lx = {start, end, 0};
    struct tok t = next_tok(&lx);
    const char *sel = NULL;
    if (is_kw(t, "create")) {
        if (!is_kw(next_tok(&lx), "table"))
            return NULL;
        while ((t = next_tok(&lx)).s && !(t.depth == 0 && (is_kw(t, "as") || *t.s == '(')))
            ;
        if (!is_kw(t, "as"))
            return NULL; /* CREATE TABLE name (columns) */
        t = next_tok(&lx);
        sel = is_kw(t, "select") || is_kw(t, "with") ? t.s : NULL;
    } else {
        if (is_kw(t, "with")) /* the INSERT's common table expressions */
            while ((t = next_tok(&lx)).s && !(t.depth == 0 && (is_kw(t, "insert") ||
                                                              is_kw(t, "replace") ||
                                                              is_kw(t, "select") ||
                                                              is_kw(t, "update") ||
                                                              is_kw(t, "delete"))))
                ;
        if (is_kw(t, "update") || is_kw(t, "delete"))
            return where_wrap(&lx, start, end, is_kw(t, "update"));
        if (is_kw(t, "insert") || is_kw(t, "replace"))
            sel = insert_select(&lx, next_tok(&lx));
    }
    if (!sel)
        return NULL;
    /* The SELECT ends before ON CONFLICT, RETURNING or the semicolon, at depth 0. */
    const char *sel_end = sel;
    lx.p = sel;
    lx.depth = 0;
    for (t = next_tok(&lx); t.s; t = next_tok(&lx)) {
        if (t.depth == 0 && (*t.s == ';' || is_kw(t, "returning")))
            break;
        if (t.depth == 0 && is_kw(t, "on")) {
            struct lexer peek = lx;
            if (is_kw(next_tok(&peek), "conflict"))
                break;
        }
        sel_end = t.s + t.n;
    }
    if (lx.depth != 0)
        return NULL; /* unbalanced: leave it to SQLite's message */
    static const char head[] = "SELECT * FROM (";
    static const char foot[] = ") WHERE " SQL_CANCEL_FUNC "()";
    size_t a = (size_t)(sel - start), b = (size_t)(sel_end - sel), c = (size_t)(end - sel_end);
    char *out = xmalloc(a + b + c + sizeof head + sizeof foot + 1);
    char *o = out;
    memcpy(o, start, a), o += a;
    memcpy(o, head, sizeof head - 1), o += sizeof head - 1;
    memcpy(o, sel, b), o += b;
    memcpy(o, foot, sizeof foot - 1), o += sizeof foot - 1;
    *o++ = ' '; /* so a comment after the SELECT cannot reach back into foot */
    memcpy(o, sel_end, c), o += c;
    *o = '\0';
    return out;
}
