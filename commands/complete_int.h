/*
 * complete_int.h: what the two halves of tab completion share
 * (commands/complete.c: the collector, the statement around the cursor
 * and commands; commands/complete_sql.c: SQL). complete.h is the public
 * interface; nothing outside these two files includes this one.
 */
#ifndef QUARRY_COMPLETE_INT_H
#define QUARRY_COMPLETE_INT_H

#include "complete.h"

/* How a word is offered: as it is, in lower or upper case, or as a name (quoted if need be). */
enum word_case { CASE_ASIS, CASE_LOWER, CASE_UPPER, CASE_NAME };

/* The word being completed is s[start..pt); a job carries the statement and the output. */
struct job {
    struct cmd_ctx *ctx;
    const struct cmd_entry *const *cmds;
    int n_cmds;
    const char *s; /* the statement around the cursor */
    int n, pt;     /* its length and the cursor in it */
    struct completion *out;
    const char *prefix; /* s + out->start */
    size_t len;         /* pt - out->start */
    char quote;         /* quotes a name that is not an identifier: " in SQL, ' in commands */
};

/*
 * A token of a command, as parse.c reads it ([key=]value, the value
 * possibly quoted), or of SQL (a word, a quoted identifier, other).
 */
struct tok {
    int pos, end; /* the token is s[pos..end) */
    int key_len;  /* command: bytes of the key before '=', 0 for a bare word */
    int val_pos;  /* command: where the value starts */
    int kind;     /* SQL: SQL_WORD, SQL_QUOTED or SQL_OTHER */
};

struct toks {
    struct tok *t;
    int n;
};

enum { SQL_WORD, SQL_QUOTED, SQL_OTHER };

/*
 * Make room for element n of an array that grows by doubling: its capacity
 * is the next power of two >= 8, so it is derived from n and not stored.
 */
void *cpl_grow(void *p, int n, size_t size);
/* Append t to tk. */
void cpl_toks_push(struct toks *tk, struct tok t);
/* Complete the word that starts at start (<= pt). */
void cpl_word_at(struct job *j, int start);
/* LOWER if the text has a lower-case letter, UPPER if only upper-case ones, else ASIS. */
enum word_case cpl_case_of(const char *s, size_t len);
/* Bytes of an SQL identifier (and of a word being completed); >= 0x80 is UTF-8. */
int cpl_ident_char(int c);
/*
 * Offer word[0..wlen) + suffix if it starts with the typed prefix (ignoring
 * case) and is not offered yet (ignoring case): the first one offered wins,
 * so callers offer commands before keywords and names before keywords. A
 * CASE_NAME word that is not an identifier (Order Date) is quoted.
 */
void cpl_add_word(struct job *j, const char *word, size_t wlen, const char *suffix,
                  enum word_case wc);
/* Offer each word of the NULL-ended list. */
void cpl_add_list(struct job *j, const char *const *words, enum word_case wc);
/* The index of name[0..len) in names (ignoring case), or -1. */
int cpl_name_index(char **names, int n, const char *name, size_t len);
/* The catalog's tables; quarry's own ones only once the prefix names them. */
void cpl_add_tables(struct job *j);
/* The columns of table, except those in skip[0..n_skip). */
void cpl_add_columns(struct job *j, const char *table, char **skip, int n_skip);

/* SQL keywords and the common functions, offered inside SQL (NULL-ended). */
extern const char *const cpl_sql_words[];
/* Is token t a plain word (SQL_WORD) that is one of words (ignoring case)? */
int cpl_stok_in(const char *s, const struct tok *t, const char *const *words);
/* Complete the word at the cursor of the SQL statement j->s. */
void cpl_sql(struct job *j);

#endif
