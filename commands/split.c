/*
 * split.c: from input text to statements. A statement ends at a ';'
 * outside quotes and comments; SQL (cmd_is_sql) may run over lines, a
 * command ends at its line's end too. See cmd.h, "Statements".
 */
#include "cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

/* --- statements ------------------------------------------------------------ */

enum splitter_mode { SPLIT_NONE, SPLIT_SQL, SPLIT_CMD };

void
splitter_init(struct splitter *s)
{
    memset(s, 0, sizeof *s);
    buf_init(&s->pending);
}

void
splitter_release(struct splitter *s)
{
    buf_release(&s->pending);
    splitter_init(s);
}

int
splitter_pending(const struct splitter *s)
{
    return s->pending.len > 0;
}

static const char *const sql_words[] = {"select", "with", "create", "insert", "update",
                                         "delete", "alter", "pragma", "replace", "values",
                                         "analyze", "reindex", "begin", "commit", "end",
                                         "rollback", "savepoint", "release", "vacuum",
                                         NULL};

size_t
cmd_word_len(const char *p)
{
    size_t n = 0;
    while (isalpha((unsigned char)p[n]) || p[n] == '_')
        n++;
    return n;
}

int
cmd_word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

int
cmd_is_sql(const char *stmt)
{
    while (isspace((unsigned char)*stmt))
        stmt++;
    size_t n = cmd_word_len(stmt);
    if (n == 0)
        return 0;
    if (cmd_word_is(stmt, n, "sql") && (!stmt[n] || isspace((unsigned char)stmt[n])))
        return 1;
    for (int i = 0; sql_words[i]; i++)
        if (cmd_word_is(stmt, n, sql_words[i]))
            return 1;
    /*
     * `drop` and `explain` are quarry commands unless SQL follows; so are
     * `attach` and `detach` (remote databases) unless SQLite's DATABASE does.
     */
    if (cmd_word_is(stmt, n, "drop") || cmd_word_is(stmt, n, "explain") || cmd_word_is(stmt, n, "attach") ||
        cmd_word_is(stmt, n, "detach")) {
        const char *q = stmt + n;
        while (isspace((unsigned char)*q))
            q++;
        size_t m = cmd_word_len(q);
        static const char *const next[] = {"table", "view", "index", "trigger", "query",
                                           "select", "with", "insert", "update", "delete", "database",
                                           NULL};
        for (int i = 0; next[i]; i++)
            if (cmd_word_is(q, m, next[i]) && (!q[m] || isspace((unsigned char)q[m])))
                return 1;
    }
    return 0;
}

static int
emit_pending(struct splitter *s, int (*emit)(void *, const char *, int), void *arg)
{
        buf_rtrim(&s->pending);
    int rc = 0;
    if (s->pending.len)
        rc = emit(arg, s->pending.data, s->pending_line);
    buf_reset(&s->pending);
    s->mode = SPLIT_NONE;
    s->quote = 0;
    s->block_comment = 0;
    return rc;
}

int
splitter_feed(struct splitter *s, const char *line,
              int (*emit)(void *arg, const char *stmt, int line), void *arg)
{
        int rc = 0;
    s->line++;
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        len--;
    size_t i = 0;
    while (i < len) {
        if (s->mode == SPLIT_NONE) {
            while (i < len && isspace((unsigned char)line[i]))
                i++;
            if (i == len || line[i] == '#')
                break;
            if (line[i] == ';') {
                i++;
                continue;
            }
            s->pending_line = s->line;
            s->mode = cmd_is_sql(line + i) ? SPLIT_SQL : SPLIT_CMD;
        }
        char c = line[i];
        if (s->mode == SPLIT_SQL) {
            if (s->block_comment) {
                if (c == '*' && i + 1 < len && line[i + 1] == '/') {
                    buf_add(&s->pending, "*/", 2);
                    i += 2;
                    s->block_comment = 0;
                    continue;
                }
            } else if (s->quote) {
                if (c == s->quote)
                    s->quote = 0;
            } else if (c == '\'' || c == '"' || c == '`') {
                s->quote = c;
            } else if (c == '[') {
                s->quote = ']';
            } else if (c == '-' && i + 1 < len && line[i + 1] == '-') {
                buf_add(&s->pending, line + i, len - i);
                i = len;
                break;
            } else if (c == '/' && i + 1 < len && line[i + 1] == '*') {
                s->block_comment = 1;
                buf_add(&s->pending, "/*", 2);
                i += 2;
                continue;
            } else if (c == ';') {
                buf_addc(&s->pending, ';');
                i++;
                if (sqlite3_complete(s->pending.data) && (rc = emit_pending(s, emit, arg)) != 0)
                    return rc;
                continue;
            }
            buf_addc(&s->pending, c);
            i++;
        } else {
            if (s->quote == '"' && c == '\\' && i + 1 < len) {
                buf_add(&s->pending, line + i, 2); /* \" or \\ inside "..." */
                i += 2;
                continue;
            } else if (s->quote) {
                if (c == s->quote)
                    s->quote = 0;
            } else if (c == '\\' && i + 1 < len) {
                buf_add(&s->pending, line + i, 2); /* my\ data.csv, \; and \# are text */
                i += 2;
                continue;
            } else if (c == '\'') {
                s->quote = '\'';
            } else if (c == '"' && (i == 0 || isspace((unsigned char)line[i - 1]) ||
                                    line[i - 1] == '=')) {
                s->quote = '"'; /* a value in double quotes: load "my data.csv" */
            } else if (c == ';') {
                i++;
                if ((rc = emit_pending(s, emit, arg)) != 0)
                    return rc;
                continue;
            } else if (c == '#' && (i == 0 || isspace((unsigned char)line[i - 1]))) {
                break;
            }
            buf_addc(&s->pending, c);
            i++;
        }
    }
    if (s->mode == SPLIT_SQL) {
        buf_addc(&s->pending, '\n');
    } else if (s->mode == SPLIT_CMD) {
        buf_rtrim(&s->pending);
        if (s->pending.len && s->pending.data[s->pending.len - 1] == '\\') {
            s->pending.data[s->pending.len - 1] = ' ';
        } else if (s->quote) {
            /* Let the parser report the unterminated quote. */
            rc = emit_pending(s, emit, arg);
        } else {
            rc = emit_pending(s, emit, arg);
        }
    }
    return rc;
}

int
splitter_finish(struct splitter *s, int (*emit)(void *arg, const char *stmt, int line), void *arg)
{
    return emit_pending(s, emit, arg);
}

