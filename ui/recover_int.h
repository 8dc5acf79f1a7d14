/*
 * recover_int.h: what the pieces of crash recovery share: the journal's
 * records (recover.c reads them and finds sets, recover_set.c writes the
 * session's own set, recover_replay.c rebuilds a catalog from one).
 */
#ifndef QUARRY_RECOVER_INT_H
#define QUARRY_RECOVER_INT_H

#include <stddef.h>

#include "base/buf.h"

/* One record of a journal: its tag and its payload of KEY=VALUE\0 fields. */
struct recover_rec {
    char tag;            /* H header, S statement, N unsaved count */
    const char *payload; /* inside recover_journal.text */
    size_t len;
};

/* A journal as read: every whole record, in order (recs[0] is the header). */
struct recover_journal {
    struct buf text;
    struct recover_rec *recs;
    int n;
    int n_unsaved;      /* unsaved statements after the last record */
    long long mtime;    /* when it was last written */
    long gen;           /* its generation, -1 when there is none */
};

/* Write all n bytes to fd; -1 with errno set. */
int recover_write_all(int fd, const char *p, size_t n);
/* Add KEY=VALUE and its NUL to a payload. */
void recover_field(struct buf *payload, const char *key, const char *value);
/* Add a whole record (header line, payload, newline) to out. */
void recover_record(struct buf *out, char tag, const struct buf *payload);
/* A field of a record (borrowed), or NULL. */
const char *recover_get(const struct recover_rec *r, const char *key);
/* A field as a whole number, or def when missing or not a number. */
long long recover_get_ll(const struct recover_rec *r, const char *key, long long def);
/* The highest generation G with a dir/journal-G, or -1. */
long recover_newest(const char *dir);
/* Read dir's newest journal into j (released with recover_journal_release); -1 if none. */
int recover_load_journal(const char *dir, struct recover_journal *j);
void recover_journal_release(struct recover_journal *j);
/* Remove a set: every file in dir, then dir. */
void recover_remove_dir(const char *dir);
/* A time as the user reads it: 2025-01-31 14:02:09 (local time). */
void recover_when_text(long long when, char *out, size_t size);

#endif
