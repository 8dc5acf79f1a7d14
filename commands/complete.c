/*
 * complete.c: tab completion. complete_line() cuts out the statement
 * around the cursor (statements end at ';' outside quotes and comments, as
 * the splitter reads them) and decides what the word at the cursor is: the
 * first word, an argument of a command (over tokens read the way parse.c
 * reads them, matched against the command's argument specs and the modes
 * they apply to) or a word of SQL (over a small SQL lexer, in
 * complete_sql.c). Candidates go through one collector, which
 * matches the typed prefix, applies the case and finally sorts and
 * removes duplicates. Everything works on offsets into a copy of the
 * statement, bounded by its length, so no input can make it read outside
 * the text.
 */
#include "complete_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/store.h"
#include "remote.h"

#include "base/banned.h"

/* SQL keywords that start a statement (cmd_is_sql is true for them). */
static const char *const sql_first[] = {
    "select", "with", "create", "insert", "update", "delete", "alter", "drop",
    "replace", "pragma", "explain", "values", "analyze", NULL,
};

/* The session settings `set` takes (cmd_session.c), with their fixed values. */
static const struct {
    const char *name, *values;
} settings[] = {
    {"threads", NULL},  {"seed", "random"}, {"format", "table|csv|tsv|json"},
    {"memory", NULL},   {"timer", "on|off"}, {NULL, NULL},
};

/* --- the collector ---------------------------------------------------------- */

/*
 * Make room for element n of an array that grows by doubling: its capacity
 * is the next power of two >= 8, so it is derived from n and not stored.
 */
void *
cpl_grow(void *p, int n, size_t size)
{
    if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
        p = xrealloc(p, (n ? 2 * (size_t)n : 8) * size);
    return p;
}

void
completion_init(struct completion *c)
{
    memset(c, 0, sizeof *c);
    c->kind = COMPLETE_NONE;
}

void
completion_release(struct completion *c)
{
    for (int i = 0; i < c->n_words; i++)
        free(c->words[i]);
    free(c->words);
    completion_init(c);
}

/* Complete the word that starts at start (<= pt). */
void
cpl_word_at(struct job *j, int start)
{
    if (start > j->pt)
        start = j->pt;
    j->out->start = start;
    j->prefix = j->s + start;
    j->len = (size_t)(j->pt - start);
}

/* LOWER if the text has a lower-case letter, UPPER if only upper-case ones, else ASIS. */
enum word_case
cpl_case_of(const char *s, size_t len)
{
    int up = 0;
    for (size_t i = 0; i < len; i++) {
        if (islower((unsigned char)s[i]))
            return CASE_LOWER;
        if (isupper((unsigned char)s[i]))
            up = 1;
    }
    return up ? CASE_UPPER : CASE_ASIS;
}

/* Bytes of an SQL identifier (and of a word being completed); >= 0x80 is UTF-8. */
int
cpl_ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/*
 * Offer word[0..wlen) + suffix if it starts with the typed prefix (ignoring
 * case) and is not offered yet (ignoring case): the first one offered wins,
 * so callers offer commands before keywords and names before keywords. A
 * CASE_NAME word that is not an identifier (Order Date) is quoted.
 */
void
cpl_add_word(struct job *j, const char *word, size_t wlen, const char *suffix, enum word_case wc)
{
    if (wlen < j->len || strncasecmp(word, j->prefix, j->len) != 0)
        return;
    int quote = wc == CASE_NAME && wlen && isdigit((unsigned char)word[0]);
    for (size_t i = 0; wc == CASE_NAME && i < wlen; i++)
        quote |= !cpl_ident_char((unsigned char)word[i]);
    struct buf b = BUF_INIT;
    if (quote)
        buf_addc(&b, j->quote);
    for (size_t i = 0; i < wlen; i++) {
        int ch = (unsigned char)word[i];
        if (quote && ch == j->quote)
            buf_addc(&b, j->quote);
        buf_addc(&b, (char)(wc == CASE_LOWER ? tolower(ch) : wc == CASE_UPPER ? toupper(ch) : ch));
    }
    if (quote)
        buf_addc(&b, j->quote);
    if (suffix)
        buf_adds(&b, suffix);
    struct completion *c = j->out;
    for (int i = 0; i < c->n_words; i++) {
        if (strcasecmp(c->words[i], b.data) == 0) {
            buf_release(&b);
            return;
        }
    }
    c->words = cpl_grow(c->words, c->n_words, sizeof *c->words);
    c->words[c->n_words++] = buf_detach(&b);
}

void
cpl_add_list(struct job *j, const char *const *words, enum word_case wc)
{
    for (int i = 0; words[i]; i++)
        cpl_add_word(j, words[i], strlen(words[i]), NULL, wc);
}

/* Offer each of "a|b|c". */
static void
add_choices(struct job *j, const char *choices)
{
    const char *p = choices;
    while (p && *p) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l)
            cpl_add_word(j, p, l, NULL, CASE_ASIS);
        p = e ? e + 1 : NULL;
    }
}

/* The index of name[0..len) in names (ignoring case), or -1. */
int
cpl_name_index(char **names, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
            return i;
    return -1;
}

/* The catalog's tables; quarry's own ones only once the prefix names them. */
void
cpl_add_tables(struct job *j)
{
    char **names = NULL;
    int n = 0;
    struct qerr e = QERR_INIT;
    int own = j->len >= 7 && strncasecmp(j->prefix, "quarry_", 7) == 0;
    catalog_tables(catalog_db(j->ctx->cat), own, &names, &n, &e);
    qerr_clear(&e);
    for (int i = 0; i < n; i++)
        cpl_add_word(j, names[i], strlen(names[i]), NULL, CASE_NAME);
    catalog_names_free(names, n);
    remote_table_names(NULL, 0, &names, &n); /* attached databases' NAME.table (remote.h) */
    for (int i = 0; i < n; i++)
        cpl_add_word(j, names[i], strlen(names[i]), NULL, CASE_ASIS);
    pg_names_free(names, n);
}

/* The columns of table, except those in skip[0..n_skip). */
void
cpl_add_columns(struct job *j, const char *table, char **skip, int n_skip)
{
    struct catalog_columns c;
    struct qerr e = QERR_INIT;
    catalog_columns(catalog_db(j->ctx->cat), table, 0, &c, &e);
    qerr_clear(&e);
    for (int i = 0; i < c.n; i++)
        if (cpl_name_index(skip, n_skip, c.names[i], strlen(c.names[i])) < 0)
            cpl_add_word(j, c.names[i], strlen(c.names[i]), NULL, CASE_NAME);
    catalog_columns_release(&c);
}

static int
word_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int r = strcasecmp(x, y);
    return r ? r : strcmp(x, y);
}

/* Sort (cpl_add_word kept them unique) and settle the kind and the space. */
static void
finish(struct completion *c)
{
    if (c->kind == COMPLETE_FILES)
        return; /* set only while no word was offered, and none is offered after */
    if (c->n_words == 0) {
        completion_release(c);
        return;
    }
    qsort(c->words, (size_t)c->n_words, sizeof *c->words, word_cmp);
    c->kind = COMPLETE_WORDS;
    /* "key=" wants its value right after it. */
    int all_keys = 1;
    for (int i = 0; i < c->n_words && all_keys; i++) {
        size_t l = strlen(c->words[i]);
        all_keys = l && c->words[i][l - 1] == '=';
    }
    if (all_keys)
        c->append_space = 0;
}

/* --- the statement around the cursor ----------------------------------------- */

/*
 * Find the statement that holds point: line[*from..*to). Returns -1 when
 * point sits in a comment. Quotes and comments follow the splitter: in
 * SQL '...', "...", `...`, [...], -- and block comments; in a command
 * '...' and # after a space.
 */
static int
stmt_around(const char *line, int len, int point, int *from, int *to)
{
    int sql = -1, in_comment = 0;
    char quote = 0, comment = 0; /* the open quote; '\n' or '/' in a comment that ends so */
    *from = 0;
    *to = len;
    /* line[len] is the NUL, so looking at line[i + 1] is safe. */
    for (int i = 0; i < len; i++) {
        char c = line[i];
        if (i == point)
            in_comment = comment != 0;
        if (comment || quote) {
            if (comment == '/' && c == '*' && line[i + 1] == '/') {
                comment = 0;
                i++;
            } else if ((comment == '\n' && c == '\n') || (quote && c == quote)) {
                comment = quote = 0;
            }
            continue;
        }
        if (sql < 0 && isspace((unsigned char)c))
            continue;
        if (sql < 0)
            sql = cmd_is_sql(line + i);
        if (c == ';' && i >= point) {
            *to = i;
            break;
        }
        if (c == ';') {
            *from = i + 1;
            sql = -1;
        } else if (sql && strchr("'\"`[", c)) {
            quote = c == '[' ? ']' : c;
        } else if (sql && ((c == '-' && line[i + 1] == '-') || (c == '/' && line[i + 1] == '*'))) {
            comment = c == '-' ? '\n' : '/';
            i++;
        } else if (!sql && c == '\'') {
            quote = c;
        } else if (!sql && c == '#' && (i == *from || isspace((unsigned char)line[i - 1]))) {
            comment = '\n';
        }
    }
    if (point == len)
        in_comment = comment != 0;
    return in_comment ? -1 : 0;
}

/* --- commands ------------------------------------------------------------------ */

void
cpl_toks_push(struct toks *tk, struct tok t)
{
    tk->t = cpl_grow(tk->t, tk->n, sizeof *tk->t);
    tk->t[tk->n++] = t;
}

/* Read a command's tokens as parse.c's tokenize() does; kind SQL_WORD serves cpl_stok_in. */
static void
ctoks_read(const char *s, int n, struct toks *tk)
{
    int p = 0;
    tk->t = NULL;
    tk->n = 0;
    for (;;) {
        while (p < n && isspace((unsigned char)s[p]))
            p++;
        if (p >= n || s[p] == '#')
            break;
        struct tok t = {p, p, 0, p, SQL_WORD};
        int q = p;
        if (isalpha((unsigned char)s[q]) || s[q] == '_')
            while (q < n && (isalnum((unsigned char)s[q]) || s[q] == '_'))
                q++;
        if (q > p && q < n && s[q] == '=') {
            t.key_len = q - p;
            p = q + 1;
        }
        t.val_pos = p;
        while (p < n && !isspace((unsigned char)s[p])) {
            if (s[p] == '\'') {
                /* '' inside a value closes and reopens: the same extent. */
                for (p++; p < n && s[p] != '\''; p++)
                    ;
            }
            if (p < n)
                p++;
        }
        t.end = p;
        cpl_toks_push(tk, t);
    }
}

/* The unquoted value of a token; the caller frees it. */
static char *
ctok_value(const char *s, const struct tok *t)
{
    struct buf b = BUF_INIT;
    int quoted = 0;
    for (int p = t->val_pos; p < t->end; p++) {
        if (s[p] != '\'')
            buf_addc(&b, s[p]);
        else if (quoted && p + 1 < t->end && s[p + 1] == '\'')
            buf_addc(&b, s[p++]); /* '' inside quotes is one quote */
        else
            quoted = !quoted;
    }
    return buf_detach(&b);
}

/* Look a command up like cmd_find: name or alias, else a unique prefix of 2+ letters. */
static const struct cmd_entry *
find_cmd(const struct job *j, const char *name, size_t len)
{
    const struct cmd_entry *hit = NULL;
    int n_hits = 0;
    for (int i = 0; i < j->n_cmds; i++) {
        const struct cmd_entry *c = j->cmds[i];
        if ((strlen(c->name) == len && strncasecmp(c->name, name, len) == 0) ||
            (c->alias && strlen(c->alias) == len && strncasecmp(c->alias, name, len) == 0))
            return c;
        if (strlen(c->name) > len && strncasecmp(c->name, name, len) == 0) {
            hit = c;
            n_hits++;
        }
    }
    return n_hits == 1 && len >= 2 ? hit : NULL;
}

static const struct arg_spec *
nth_positional(const struct cmd_entry *c, int k)
{
    for (const struct arg_spec *a = c->args; a && a->name; a++)
        if (a->positional && k-- == 0)
            return a;
    return NULL;
}

static const struct arg_spec *
key_spec(const struct cmd_entry *c, const char *key, size_t len)
{
    for (const struct arg_spec *a = c->args; a && a->name; a++)
        if (!a->positional && strlen(a->name) == len && strncasecmp(a->name, key, len) == 0)
            return a;
    return NULL;
}

static int
is_path(const struct arg_spec *sp)
{
    return sp->type == ARG_PATH || sp->comp == COMP_FILES;
}

/* Token roles in a command statement. */
enum { ROLE_CMD = -1, ROLE_AS = -2, ROLE_AS_NAME = -3, ROLE_KEY = -4 };

/* Give each token its role: a ROLE_ or the index of the positional it fills. */
static void
ctoks_roles(const struct job *j, const struct cmd_entry *c, const struct toks *tk, int *role)
{
    int k = 0;
    for (int i = 0; i < tk->n; i++) {
        if (i == 0)
            role[i] = ROLE_CMD;
        else if (i > 1 && role[i - 1] == ROLE_AS)
            role[i] = ROLE_AS_NAME;
        else if ((c->flags & CMD_AS) && !tk->t[i].key_len && tk->t[i].end - tk->t[i].pos == 2 &&
                 strncasecmp(j->s + tk->t[i].pos, "as", 2) == 0)
            role[i] = ROLE_AS;
        else if (tk->t[i].key_len)
            role[i] = ROLE_KEY;
        else
            role[i] = k++;
    }
}

/* The value of the statement's TABLE positional (the caller frees it), or NULL. */
static char *
stmt_table(const struct job *j, const struct cmd_entry *c, const struct toks *tk,
           const int *role, int skip)
{
    const struct arg_spec *a;
    for (int k = 0; (a = nth_positional(c, k)) != NULL; k++)
        for (int i = 0; i < tk->n && a->type == ARG_TABLE; i++)
            if (role[i] == k && i != skip)
                return ctok_value(j->s, &tk->t[i]);
    return NULL;
}

/*
 * Candidates for a value of sp typed from vpos (after '=' for a key, the
 * token start for a positional) to vend. Sets COMPLETE_FILES for a path.
 */
static void
complete_value(struct job *j, const struct arg_spec *sp, int vpos, int vend, const char *table)
{
    int open = -1; /* where the quote still open at the cursor opened */
    for (int p = vpos; p < j->pt; p++)
        if (j->s[p] == '\'')
            open = open < 0 ? p : -1;
    cpl_word_at(j, open == vpos ? vpos + 1 : vpos);
    /* A path in quotes is completed from just after the quote, if still open. */
    if (is_path(sp) && (open == vpos || !memchr(j->prefix, '\'', j->len)))
        j->out->kind = COMPLETE_FILES;
    if (is_path(sp) || open >= 0)
        return;
    if (sp->type == ARG_COLUMNS && table) {
        /* Complete the item after the last comma; skip the other items. */
        const char *comma = NULL;
        for (const char *p = j->prefix; p < j->s + j->pt; p++)
            if (*p == ',')
                comma = p;
        if (comma)
            cpl_word_at(j, (int)(comma - j->s) + 1);
        char **skip = NULL;
        int n_skip = 0;
        for (int p = vpos; p <= vend;) {
            int e = p;
            while (e < vend && j->s[e] != ',')
                e++;
            if (!(p <= j->pt && j->pt <= e) && e > p) {
                skip = cpl_grow(skip, n_skip, sizeof *skip);
                skip[n_skip++] = ctok_value(j->s, &(struct tok){p, e, 0, p, 0});
            }
            p = e + 1;
        }
        cpl_add_columns(j, table, skip, n_skip);
        if (!memchr(j->s + vpos, ',', (size_t)(vend - vpos)) && args_star(sp, "*"))
            /* cols=*: every numeric column, keys left out */
            cpl_add_word(j, "*", 1, NULL, CASE_ASIS);
        catalog_names_free(skip, n_skip);
        j->out->append_space = 0;
    } else if (sp->type == ARG_TEXT && sp->comp == COMP_CHOICES && sp->choices) {
        /* a comma list of choices (models=a,b): the item after the last comma */
        const char *comma = NULL;
        for (const char *p = j->prefix; p < j->s + j->pt; p++)
            if (*p == ',')
                comma = p;
        if (comma)
            cpl_word_at(j, (int)(comma - j->s) + 1);
        add_choices(j, sp->choices);
        j->out->append_space = 0;
    } else if (sp->type == ARG_COLUMN || sp->comp == COMP_COLUMNS) {
        if (table)
            cpl_add_columns(j, table, NULL, 0);
    } else if (sp->type == ARG_ENUM || sp->type == ARG_BOOL || sp->comp == COMP_CHOICES) {
        add_choices(j, sp->choices ? sp->choices : "yes|no");
    } else if (sp->type == ARG_TABLE || sp->comp == COMP_TABLES) {
        cpl_add_tables(j);
    } else if (sp->comp == COMP_COMMANDS) {
        for (int i = 0; i < j->n_cmds; i++)
            cpl_add_word(j, j->cmds[i]->name, strlen(j->cmds[i]->name), NULL, CASE_ASIS);
    }
}

/* Offer "key=" unless a token other than the one at cur gives key already. */
static void
add_key(struct job *j, const struct toks *tk, int cur, const char *key)
{
    size_t l = strlen(key);
    for (int i = 0; i < tk->n; i++)
        if (i != cur && tk->t[i].key_len == (int)l && strncasecmp(j->s + tk->t[i].pos, key, l) == 0)
            return;
    cpl_add_word(j, key, l, "=", CASE_ASIS);
}

/*
 * The text given for each argument of c (NULL when not typed) by the
 * tokens other than the one at cur: typed[i] for c->args[i]. Free with
 * free_typed.
 */
static char **
typed_values(const struct job *j, const struct cmd_entry *c, const struct toks *tk, int cur,
             const int *role)
{
    int n = 0;
    while (c->args && c->args[n].name)
        n++;
    char **typed = xcalloc((size_t)n + 1, sizeof *typed);
    for (int i = 0; i < tk->n; i++) {
        const struct arg_spec *sp = NULL;
        if (i == cur)
            continue;
        if (role[i] == ROLE_KEY)
            sp = key_spec(c, j->s + tk->t[i].pos, (size_t)tk->t[i].key_len);
        else if (role[i] >= 0)
            sp = nth_positional(c, role[i]);
        if (sp && !typed[sp - c->args])
            typed[sp - c->args] = ctok_value(j->s, &tk->t[i]);
    }
    return typed;
}

static void
free_typed(const struct cmd_entry *c, char **typed)
{
    for (int i = 0; c->args && c->args[i].name; i++)
        free(typed[i]);
    free(typed);
}

/* A table positional where the statement's mode makes it a model (plot tree MODEL). */
static int
names_model(struct job *j, const struct cmd_entry *c, const struct arg_spec *sp,
            const struct toks *tk, int cur, const int *role)
{
    if (!sp || !sp->or_model)
        return 0;
    char **typed = typed_values(j, c, tk, cur, role);
    struct arg_spec as_model = *sp;
    as_model.modes = sp->or_model;
    int yes = args_applies(c, &as_model, (const char *const *)typed);
    free_typed(c, typed);
    return yes;
}

/* The models in the model store (not the transforms). */
static void
add_models(struct job *j)
{
    struct store_entry *e = NULL;
    int n = 0;
    struct qerr err = QERR_INIT;
    store_list(j->ctx->cat, &e, &n, &err);
    qerr_clear(&err);
    for (int i = 0; i < n; i++)
        if (!e[i].is_transform)
            cpl_add_word(j, e[i].name, strlen(e[i].name), NULL, CASE_NAME);
    store_entries_free(e, n);
}

/*
 * Keys not given yet as "key=" that apply in the mode the statement sets
 * (spec modes: no k= after method=dbscan), setting names for
 * CMD_FREE_KEYS, and `as`.
 */
static void
add_keys(struct job *j, const struct cmd_entry *c, const struct toks *tk, int cur,
         const int *role)
{
    char **typed = typed_values(j, c, tk, cur, role);
    for (const struct arg_spec *a = c->args; a && a->name; a++)
        if (!a->positional && args_applies(c, a, (const char *const *)typed))
            add_key(j, tk, cur, a->name);
    free_typed(c, typed);
    for (int k = 0; (c->flags & CMD_FREE_KEYS) && settings[k].name; k++)
        add_key(j, tk, cur, settings[k].name);
    int has_as = 0;
    for (int i = 0; i < tk->n; i++)
        has_as |= i != cur && role[i] == ROLE_AS;
    if ((c->flags & CMD_AS) && !has_as)
        cpl_add_word(j, "as", 2, NULL, CASE_ASIS);
}

static void
complete_command(struct job *j, const struct cmd_entry *c, const struct toks *tk)
{
    /* The token under the cursor, or -1 with ins tokens before the cursor. */
    int cur = -1, ins = 0;
    for (int i = 0; i < tk->n; i++) {
        if (tk->t[i].pos <= j->pt && j->pt <= tk->t[i].end)
            cur = i;
        if (tk->t[i].pos < j->pt)
            ins = i + 1;
    }
    int *role = xcalloc((size_t)tk->n + 1, sizeof *role);
    ctoks_roles(j, c, tk, role);
    int before = cur >= 0 ? cur : ins;
    int k = 0; /* positionals before the cursor */
    for (int i = 0; i < before; i++)
        k += role[i] >= 0;
    char *table = stmt_table(j, c, tk, role, cur);
    const struct tok *t = cur >= 0 ? &tk->t[cur] : NULL;
    int wpos = t ? t->pos : j->pt, wend = t ? t->end : j->pt;

    if (before > 1 && role[before - 1] == ROLE_AS) {
        /* a new name: nothing to offer */
    } else if (t && t->key_len && j->pt >= t->val_pos) {
        const struct arg_spec *sp = key_spec(c, j->s + t->pos, (size_t)t->key_len);
        if (sp) {
            complete_value(j, sp, t->val_pos, t->end, table);
        } else if (c->flags & CMD_FREE_KEYS) {
            cpl_word_at(j, t->val_pos);
            for (int i = 0; settings[i].name; i++)
                if ((size_t)t->key_len == strlen(settings[i].name) &&
                    strncasecmp(j->s + t->pos, settings[i].name, (size_t)t->key_len) == 0)
                    add_choices(j, settings[i].values);
        }
    } else {
        const struct arg_spec *sp = nth_positional(c, k);
        int quoted = wpos < j->pt && j->s[wpos] == '\'';
        cpl_word_at(j, wpos);
        if (sp && is_path(sp)) {
            /* An optional path gives way to a key the typed prefix names. */
            if (!sp->required && !quoted && j->len)
                add_keys(j, c, tk, cur, role);
            if (j->out->n_words == 0)
                complete_value(j, sp, wpos, wend, table);
        } else {
            if (names_model(j, c, sp, tk, cur, role))
                add_models(j);
            else if (sp)
                complete_value(j, sp, wpos, wend, table);
            /* Keys too, unless a list item or a required positional is due. */
            if (!quoted && !(sp && sp->required) && j->out->start == wpos)
                add_keys(j, c, tk, cur, role);
        }
    }
    free(table);
    free(role);
}

/* --- entry points -------------------------------------------------------------- */

/* c's other form (cmd.h's variant) when a key of the statement names it, as cmd_parse. */
static const struct cmd_entry *
cmd_form(const struct job *j, const struct cmd_entry *c, const struct toks *tk)
{
    for (int i = 1; c->variant && i < tk->n; i++)
        for (const char *p = c->variant_keys; tk->t[i].key_len && *p;) {
            size_t l = strcspn(p, "|");
            if ((size_t)tk->t[i].key_len == l && strncasecmp(j->s + tk->t[i].pos, p, l) == 0)
                return c->variant;
            p += l + (p[l] == '|');
        }
    return c;
}

static void
complete_stmt(struct job *j)
{
    /* The first word: commands and the SQL keywords that start a statement. */
    int p = 0;
    while (p < j->pt && isspace((unsigned char)j->s[p]))
        p++;
    int w = p;
    while (p < j->pt && cpl_ident_char((unsigned char)j->s[p]))
        p++;
    if (p == j->pt) {
        cpl_word_at(j, w);
        enum word_case wc = cpl_case_of(j->prefix, j->len);
        for (int i = 0; i < j->n_cmds; i++)
            cpl_add_word(j, j->cmds[i]->name, strlen(j->cmds[i]->name), NULL,
                     wc == CASE_UPPER ? CASE_UPPER : CASE_ASIS);
        cpl_add_list(j, sql_first, wc == CASE_LOWER ? CASE_LOWER : CASE_UPPER);
        return;
    }
    if (cmd_is_sql(j->s)) {
        cpl_sql(j);
        return;
    }
    struct toks tk;
    ctoks_read(j->s, j->n, &tk);
    const struct cmd_entry *c = NULL;
    if (tk.n && !tk.t[0].key_len && j->s[tk.t[0].pos] != '\'')
        c = find_cmd(j, j->s + tk.t[0].pos, (size_t)(tk.t[0].end - tk.t[0].pos));
    if (c) {
        complete_command(j, cmd_form(j, c, &tk), &tk);
    } else if (tk.n) {
        /* A continuation line of SQL starts with a keyword (FROM, WHERE, AND ...). */
        if (cpl_stok_in(j->s, &tk.t[0], cpl_sql_words))
            cpl_sql(j);
    }
    free(tk.t);
}

int
complete_line_cmds(struct cmd_ctx *ctx, const struct cmd_entry *const *cmds, int n_cmds,
                   const char *line, int point, struct completion *out)
{
    completion_release(out);
    size_t size = line ? strlen(line) : 0;
    int len = size > INT_MAX / 2 ? 0 : (int)size, from, to;
    point = point < 0 ? 0 : point > len ? len : point;
    if (!line || size > INT_MAX / 2 || stmt_around(line, len, point, &from, &to) < 0)
        return 0;
    out->append_space = 1;
    char *s = xstrndup(line + from, (size_t)(to - from));
    struct job j = {ctx, cmds, n_cmds, s, to - from, point - from, out, s, 0, '\''};
    cpl_word_at(&j, j.pt);
    complete_stmt(&j);
    out->start += from;
    finish(out);
    free(s);
    return out->n_words;
}

int
complete_line(struct cmd_ctx *ctx, const char *line, int point, struct completion *out)
{
    return complete_line_cmds(ctx, cmd_table, cmd_table_len, line, point, out);
}
