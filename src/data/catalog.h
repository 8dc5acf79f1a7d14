/*
 * catalog.h: the in-memory SQLite catalog that holds every dataset.
 *
 * One hardened :memory: connection (DEFENSIVE on, trusted schema off, the
 * FTS3 tokenizer and extension loading off, double-quoted string literals
 * off). Every statement the user runs is wrapped by catalog_begin /
 * catalog_commit / catalog_rollback in a SAVEPOINT. A committed statement
 * that changed the catalog keeps its savepoint open as an undo level:
 * catalog_undo rolls the newest one back. So the connection is inside one
 * long transaction between statements; user SQL may not BEGIN, COMMIT or
 * SAVEPOINT itself (the dispatcher's policy refuses it, catalog_set_policy),
 * nor create views or triggers (nor does open accept a file holding any).
 *
 * The catalog notices which tables every statement writes (catalog_watch.h),
 * so that caches of table data are never stale and no caller has to tell
 * them about a write.
 *
 * Column types: loaders declare each column as INTEGER, REAL, TEXT, or, for
 * ISO-8601 dates and timestamps kept as text, DATE_TEXT or TIMESTAMP_TEXT
 * (both have TEXT affinity). catalog_kind_of_decl reads them back, and
 * catalog_columns lists a table's columns with their kinds.
 *
 * Tables whose names start with "quarry_" or "sqlite_" are quarry's own
 * (models, transforms) and are hidden from `tables` unless asked.
 */
#ifndef QUARRY_CATALOG_H
#define QUARRY_CATALOG_H

#include <sqlite3.h>

#include "base/qerr.h"
#include "data/catalog_watch.h"

struct catalog;

enum catalog_kind {
    CATALOG_INTEGER,
    CATALOG_REAL,
    CATALOG_TEXT,
    CATALOG_DATE,      /* declared DATE_TEXT: YYYY-MM-DD */
    CATALOG_TIMESTAMP, /* declared TIMESTAMP_TEXT: YYYY-MM-DD[T ]hh:mm[:ss...] */
    CATALOG_OTHER,     /* anything SQL created (NUMERIC, BLOB, no type) */
};

/* Open an empty, hardened in-memory catalog. */
int catalog_open(struct catalog **out, struct qerr *err);
void catalog_free(struct catalog *cat);
/* The connection; borrowed, valid until catalog_free or catalog_load. */
sqlite3 *catalog_db(struct catalog *cat);

/* Run SQL quarry wrote itself (any number of statements); QE_SQL with SQLite's message. */
int catalog_exec(sqlite3 *db, const char *sql, struct qerr *err);

/* Apply quarry's hardening to any connection (also used on workspace files). */
int catalog_harden(sqlite3 *db, struct qerr *err);

/* Start a statement: open its savepoint. */
int catalog_begin(struct catalog *cat, struct qerr *err);
/*
 * End a statement successfully. With changed != 0 its savepoint stays open
 * as an undo level; otherwise it is released.
 */
int catalog_commit(struct catalog *cat, int changed, struct qerr *err);
/* Undo everything since catalog_begin and close that savepoint. */
void catalog_rollback(struct catalog *cat);

/*
 * Whether SQLite rolled back the whole transaction behind the catalog's
 * back (out of memory, even in a read, rolls back everything): then the
 * undo levels and the open statement are forgotten, and 1 comes back, for
 * the caller to tell the user; else 0.
 */
int catalog_lost(struct catalog *cat);
/* Revert the newest undo level. QE_ARG when there is nothing to undo. */
int catalog_undo(struct catalog *cat, struct qerr *err);
/* Number of undo levels held. */
int catalog_undo_depth(const struct catalog *cat);
/* Forget every undo level (keeps the data). */
int catalog_forget_undo(struct catalog *cat, struct qerr *err);
/*
 * Bytes SQLite holds beyond the catalog's own pages (almost all of it the
 * undo levels' copies of changed pages and column tables' copies of
 * changed columns), plus the dropped column tables kept for undo
 * (coltab_dropped_bytes).
 */
long long catalog_undo_bytes(struct catalog *cat);
/*
 * A quarter of the machine's memory, and at least floor bytes: the default
 * budget for what quarry keeps beside the tables (cached frames, undo).
 */
long long catalog_memory_default(long long floor);
/* Changes since the last save/open (any committed changing statement). */
int catalog_dirty(const struct catalog *cat);
/* Forget that there are unsaved changes (e.g. after a replayable init script). */
void catalog_mark_clean(struct catalog *cat);
/*
 * Say which workspace the catalog belongs to (path, copied; NULL for
 * none) and whether it holds unsaved changes: for a copy written or read
 * elsewhere, such as a crash-recovery snapshot (ui/recover.c), which must
 * not become the workspace that save writes to.
 */
void catalog_set_origin(struct catalog *cat, const char *path, int dirty);

/*
 * Write the whole catalog to path atomically (file_target.h): a temporary
 * file beside it, fsync, rename over it, fsync the folder. An existing
 * file at path is intact until the rename, then kept as PATH.bak; a
 * symbolic link is followed to the file it names; a device, FIFO or
 * folder is refused (QE_IO). Temporaries a killed save left are removed.
 * The file is written in rollback-journal mode, even when the catalog
 * came from a WAL-mode file. Column tables (data/coltab.h) are written
 * as ordinary tables and stay column tables in the catalog
 * (catalog_image_rows). QE_IO, QE_NOMEM, QE_SQL.
 */
int catalog_save(struct catalog *cat, const char *path, struct qerr *err);

/*
 * *img (size bytes, from sqlite3_serialize of db's main schema) replaced
 * by an image in which every column table of db is an ordinary table of
 * the same name, columns, declared types, rows and rowids, written
 * CREATE TABLE "t" ("a" TYPE, ...) as load writes one. db is only read.
 * Nothing when db has no column table. On failure *img may be NULL
 * (freed). catalog_rows.c. QE_SQL, QE_NOMEM.
 */
int catalog_image_rows(sqlite3 *db, unsigned char **img, sqlite3_int64 *size,
                       struct qerr *err);
/*
 * Replace the catalog with the workspace file at path. The file is opened
 * read-only and hardened, checked with quick_check, and refused if its
 * schema holds anything but plain tables and indexes (views, triggers,
 * generated columns and virtual tables could run code). A WAL-mode file
 * is opened immutable, so no -wal or -shm file is left beside it, and
 * refused when its write-ahead log holds changes. A FIFO or device is not
 * a workspace. On failure the current catalog is unchanged. Clears undo.
 */
int catalog_load(struct catalog *cat, const char *path, struct qerr *err);
/* The workspace path last saved or opened, or NULL for "in memory". */
const char *catalog_path(const struct catalog *cat);

/*
 * Write tracking (catalog_watch.h): the catalog notices every table a
 * statement writes, whoever runs it (commands, user SQL, the engine),
 * and every table a rollback or undo changes back. A copy of a table's
 * data taken when catalog_clock read c is current while
 * catalog_written_at(cat, table) <= c. Caches of table data (the frame
 * cache) need nothing else: no caller has to tell them.
 */
unsigned long long catalog_clock(struct catalog *cat);
/* The clock of the last write noticed to table (or to every table). */
unsigned long long catalog_written_at(const struct catalog *cat, const char *table);
/* Treat every table as written now (for tests, and for changes SQLite does not report). */
void catalog_touch(struct catalog *cat);
/*
 * Judge the statements prepared from now on with fn, as an SQLite
 * authorizer would (the dispatcher's rules for user SQL); NULL allows
 * everything again. The catalog keeps the connection's one authorizer
 * slot for its tracking, so this is the way to add rules.
 */
void catalog_set_policy(struct catalog *cat, catalog_watch_policy fn, void *arg);
/*
 * One slot for a cache that lives as long as the catalog (the frame
 * cache); cache_free is called on it by catalog_free.
 */
void **catalog_cache_slot(struct catalog *cat, void (*cache_free)(void *));

/*
 * What the catalog holds. Every listing of tables or columns in quarry
 * comes from these functions. They read the schema of any connection db
 * (the catalog's is catalog_db(cat)); names compare ignoring ASCII case,
 * as SQLite compares them.
 */

/* 1 if a table or view named name exists in the catalog's main schema. */
int catalog_has_table(struct catalog *cat, const char *name);
/*
 * 1 if anything in main or temp (a table, view, index or trigger) is
 * named name: a new table cannot take the name.
 */
int catalog_name_taken(sqlite3 *db, const char *name);
/*
 * The tables and views of the main schema, sorted by name: quarry's own
 * (quarry_*) only when all is set, SQLite's own (sqlite_*) never. *names
 * gets *n strings the caller frees with catalog_names_free. QE_SQL when
 * SQLite refuses (then *names is NULL and *n 0).
 */
int catalog_tables(sqlite3 *db, int all, char ***names, int *n, struct qerr *err);
/* Free n strings and the array that holds them (NULL is fine). */
void catalog_names_free(char **names, int n);

/* The columns of a table, in its order: three arrays of n. */
struct catalog_columns {
    int n;
    char **names;
    char **decls;             /* the declared types as written, "" for none */
    enum catalog_kind *kinds; /* the declared types' kinds (catalog_kind_of_decl) */
};
/* catalog_columns flags */
enum {
    CATALOG_GENERATED = 1 << 0, /* list generated columns too (they can be read, not written) */
};
/*
 * Fill out (which the caller releases with catalog_columns_release) with
 * the columns of table, looked up as SQL would (temp before main).
 * Generated columns only with CATALOG_GENERATED, a virtual table's hidden
 * ones never. No such table gives n == 0 (every table has a column), not
 * an error; QE_SQL when SQLite refuses.
 */
int catalog_columns(sqlite3 *db, const char *table, int flags, struct catalog_columns *out,
                    struct qerr *err);
void catalog_columns_release(struct catalog_columns *c);

/*
 * The name that reaches table's rowid in SQL whatever its columns are
 * called: "rowid", else "_rowid_", else "oid", the first that no column
 * of table (generated and hidden ones included) and none of the n_more
 * names in more (columns about to be added; NULL when none) takes. A
 * column named rowid hides the real rowid from SQL, so every statement
 * quarry writes that needs row identity says this name instead. Returns
 * a static string; a table that does not exist gives "rowid". NULL with
 * QE_ARG when the names take all three (the message names them and says
 * to rename one), or with QE_SQL when SQLite refuses.
 */
const char *catalog_rowid_name(sqlite3 *db, const char *table, const char *const *more,
                               int n_more, struct qerr *err);

/* A table as SQLite's table_list describes it. */
struct catalog_table {
    char *schema;      /* "main" or "temp" */
    char *name;        /* as created */
    char *type;        /* "table", "view", "virtual" or "shadow" */
    int without_rowid;
};
/*
 * Look name up as SQL would (temp before main): 1 and out filled (release
 * it with catalog_table_release) when found, 0 when not, -1 with QE_SQL
 * when SQLite refuses.
 */
int catalog_table_find(sqlite3 *db, const char *name, struct catalog_table *out,
                       struct qerr *err);
void catalog_table_release(struct catalog_table *t);
/* Map a declared type to a kind. */
enum catalog_kind catalog_kind_of_decl(const char *decltype);
const char *catalog_kind_name(enum catalog_kind kind);

/*
 * The closest existing name to want among the n candidates by edit
 * distance, or NULL if none is close enough to suggest.
 */
const char *catalog_suggest(const char *want, const char *const *cands, int n);

#endif
