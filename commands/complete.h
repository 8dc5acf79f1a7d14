/*
 * complete.h: tab completion for quarry statements, with no readline or
 * curses dependency. A front end hands it the input line and the cursor
 * and gets back what kind of word sits there, where that word starts and
 * the candidates that may replace it.
 *
 * What is offered where:
 *   - first word: command names, and the SQL keywords that start a
 *     statement (SELECT, WITH, CREATE, ...); words take the case typed
 *     (`se` -> select, set; `SE` -> SELECT, SET; nothing typed: commands in
 *     lower case, SQL keywords in upper case);
 *   - after a command: the next positional argument's values (table names
 *     for TABLE, choices for enums and booleans, command names for help),
 *     its keys as `key=` (keys already given are left out), `as` when the
 *     command takes `as NAME`; a required positional that is still missing
 *     is offered alone;
 *   - after `key=`: the values of that key: choices, table names, the
 *     columns of the statement's TABLE; in a comma list (ARG_COLUMNS,
 *     `cols=a,b,re`) only the item after the last comma is completed
 *     (start is just after that comma) and columns already in the list are
 *     left out;
 *   - `set`: the setting names as `name=`, then their values where they
 *     are a fixed set (format, timer, seed=random);
 *   - a PATH argument: kind COMPLETE_FILES, so the front end uses its own
 *     file name completion; start is after the opening quote if the value
 *     has one ('my fi); an optional PATH positional gives way to the keys
 *     when the typed text starts one, a required one comes alone; quoted
 *     values of other types get nothing;
 *   - SQL (cmd_is_sql, or a line starting with an SQL keyword such as FROM,
 *     taken as the continuation of a statement): SQL keywords in the case
 *     typed (or, with nothing typed, in the case of the statement's first
 *     word), table names, and the columns of every table named anywhere in
 *     the statement (of every user table while none is named: SELECT amo
 *     before FROM); after FROM, JOIN, INTO, UPDATE or TABLE only table
 *     names; after `tbl.` or `alias.` (FROM orders o / orders AS o) only
 *     the columns of that table, with start after the dot;
 *   - nothing inside an SQL string, a quoted identifier or a comment.
 * Table and column names that are not identifiers come quoted, in SQL as
 * "Order Date" and in commands as 'Order Date' (a quote inside doubled);
 * the typed prefix is matched against the bare name. Matching is by
 * case-insensitive prefix; candidates are sorted and unique (ignoring
 * case). Statements end at ';' outside quotes, so only the
 * statement around the cursor counts.
 *
 * start may sit after '=', ',', '.' or an opening quote, where readline's
 * default word breaks would not put it: a readline front end either sets
 * its word break characters so that they agree (rl_completion_word_break_hook)
 * or prefixes each candidate with line[rl_start..start].
 *
 * A continuation line of a multi-line SQL statement is completed best by
 * passing the pending text, '\n' and the line, with point and start
 * shifted by the pending text's length.
 */
#ifndef QUARRY_COMPLETE_H
#define QUARRY_COMPLETE_H

#include "cmd.h"

enum complete_kind {
    COMPLETE_NONE,  /* nothing to offer */
    COMPLETE_WORDS, /* words[0..n_words) */
    COMPLETE_FILES, /* a file name: the front end completes line[start..point] itself */
};

struct completion {
    enum complete_kind kind;
    int start;        /* byte offset in the line where the word being completed starts */
    char **words;     /* candidates, each the full replacement for line[start..point] */
    int n_words;
    int append_space; /* 1: append ' ' after a unique match; 0: all are "key=", or a list */
};

/* Make c empty (COMPLETE_NONE, no words). */
void completion_init(struct completion *c);
/* Free the words and make c empty again. */
void completion_release(struct completion *c);

/*
 * Fill out with the candidates for the word that ends at byte point of
 * line (NUL-terminated); text after point only serves as context (the
 * tables an SQL statement names). point is clamped to [0, strlen(line)].
 * out must have been through completion_init; what it held is released
 * first. The words belong to out until completion_release. Never fails:
 * returns out->n_words (0 for COMPLETE_NONE and COMPLETE_FILES).
 */
int complete_line(struct cmd_ctx *ctx, const char *line, int point, struct completion *out);

/*
 * As complete_line, with the commands taken from cmds[0..n_cmds) instead
 * of cmd_table (looked up like cmd_find: name, alias or unique prefix of
 * at least two letters). For tests and for front ends with extra commands.
 */
int complete_line_cmds(struct cmd_ctx *ctx, const struct cmd_entry *const *cmds, int n_cmds,
                       const char *line, int point, struct completion *out);

#endif
