/*
 * catalog.c: the hardened in-memory SQLite catalog, statement savepoints,
 * undo levels and workspace files. Listing what it holds is in
 * catalog_list.c; noticing what each statement writes in catalog_watch.c,
 * which this file attaches to every connection it opens.
 *
 * Undo works by keeping the savepoint of every statement that changed the
 * catalog open: savepoint q1 is the oldest level, q<depth> the newest.
 * Undo is ROLLBACK TO + RELEASE of the newest. A statement in progress
 * opens q<depth+1>. Because the connection is then always inside a write
 * transaction, VACUUM INTO and the backup API are unavailable for saving;
 * sqlite3_serialize reads the current pages (uncommitted ones included),
 * and the bytes go to a temporary file that is renamed into place.
 */
#include "data/catalog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fault.h"
#include "base/file_target.h"
#include "data/catalog_watch.h"
#include "data/coltab.h"

#include "base/banned.h"

struct catalog {
    sqlite3 *db;
    int depth;    /* undo levels held (open savepoints q1..q<depth>) */
    int open_sp;  /* 1 while a statement's savepoint is open */
    int rolled_back; /* SQLite rolled a whole transaction back (rollback_hook) */
    int dirty;
    char *path;
    struct catalog_watch *watch;   /* which tables each statement writes */
    void *cache;                   /* the frame cache (frame_cache.c), freed with cache_free */
    void (*cache_free)(void *);
};

int
catalog_exec(sqlite3 *db, const char *sql, struct qerr *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int
catalog_harden(sqlite3 *db, struct qerr *err)
{
    static const int on[] = {SQLITE_DBCONFIG_DEFENSIVE};
    static const int off[] = {SQLITE_DBCONFIG_TRUSTED_SCHEMA, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER,
                              SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, SQLITE_DBCONFIG_DQS_DDL,
                              SQLITE_DBCONFIG_DQS_DML};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
        if (sqlite3_db_config(db, on[i], 1, (int *)NULL) != SQLITE_OK)
            return qerr_set(err, QE_INTERNAL, "cannot harden the catalog connection");
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        if (sqlite3_db_config(db, off[i], 0, (int *)NULL) != SQLITE_OK)
            return qerr_set(err, QE_INTERNAL, "cannot harden the catalog connection");
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 2000);
    return 0;
}

static int
open_memory(sqlite3 **out, struct qerr *err)
{
    sqlite3 *db = NULL;
    /*
     * NOMUTEX: quarry uses the connection from one thread only; without it
     * every sqlite3_column_* call takes a mutex, 20% of the time to read a
     * frame of 5M rows x 3 columns (bench/sections/rfm.sh).
     */
    if (sqlite3_open_v2(":memory:", &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        qerr_set(err, QE_NOMEM, "cannot open the in-memory catalog: %s",
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    /*
     * Debian builds SQLite with SECURE_DELETE: every freed page is zeroed,
     * and so written (and journaled for undo) once more. In memory that
     * buys nothing and cost 16% of a 1M-row update-then-rebuild, and 60 MB.
     * FAST still zeroes deleted cells inside pages being written; the free
     * pages are zeroed when a workspace is saved (scrub_free_pages).
     *
     * temp_store = MEMORY: the catalog lives in memory, and so do its
     * sorts (ORDER BY, GROUP BY, DISTINCT, CREATE INDEX) and temporary
     * tables. With SQLite's default they spill to files in /var/tmp once
     * past the page cache (2 MB): describe on 1.5M rows wrote about 4
     * million pages there (issue 13; tests/unit/test_temp_store.c).
     */
    if (catalog_harden(db, err) < 0 || catalog_exec(db, "PRAGMA secure_delete = FAST", err) < 0 ||
        catalog_exec(db, "PRAGMA temp_store = MEMORY", err) < 0) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

/* SQLite rolled a whole transaction back: an explicit ROLLBACK or an error's (not ROLLBACK TO). */
static void
on_rollback(void *arg)
{
    ((struct catalog *)arg)->rolled_back = 1;
}

int
catalog_open(struct catalog **out, struct qerr *err)
{
    sqlite3 *db = NULL;
    if (open_memory(&db, err) < 0)
        return -1;
    struct catalog *cat = xcalloc(1, sizeof *cat);
    cat->db = db;
    sqlite3_rollback_hook(db, on_rollback, cat);
    cat->watch = catalog_watch_new();
    catalog_watch_attach(cat->watch, db);
    *out = cat;
    return 0;
}

void
catalog_free(struct catalog *cat)
{
    if (!cat)
        return;
    if (cat->cache_free)
        cat->cache_free(cat->cache);
    sqlite3_close(cat->db);
    catalog_watch_free(cat->watch);
    free(cat->path);
    free(cat);
}

sqlite3 *
catalog_db(struct catalog *cat)
{
    return cat->db;
}

static int
savepoint_cmd(struct catalog *cat, const char *verb, int level, struct qerr *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "%s q%d", verb, level);
    if (catalog_exec(cat->db, sql, err) < 0)
        return -1;
    coltab_savepoint(cat->db, verb[0] == 'S' ? 0 : verb[0] == 'R' && verb[1] == 'E' ? 1 : 2,
                     level);
    return 0;
}

/*
 * SQLite rolls back the whole transaction on some errors (out of memory,
 * an interrupted write); then every savepoint is gone. Notice it, so the
 * undo count stays true, and say so.
 */
static int
check_transaction(struct catalog *cat, struct qerr *err)
{
    /*
     * Autocommit alone misses a loss that a later statement hid: a loader
     * that goes on after SQLite rolled everything back starts a new
     * transaction with its next SAVEPOINT. The rollback hook sees both.
     */
    int rolled = cat->rolled_back;
    cat->rolled_back = 0;
    if ((cat->depth || cat->open_sp) && (rolled || sqlite3_get_autocommit(cat->db))) {
        cat->depth = 0;
        cat->open_sp = 0;
        catalog_watch_touch(cat->watch); /* a rollback no statement asked for */
        return qerr_set(err, QE_SQL, "SQLite rolled back every change since the last save or "
                                     "open after an error; undo history is gone");
    }
    return 0;
}

int
catalog_begin(struct catalog *cat, struct qerr *err)
{
    if (cat->open_sp)
        return qerr_set(err, QE_INTERNAL, "a statement is already running");
    if (cat->depth == 0)
        cat->rolled_back = 0; /* no transaction to lose yet: the next savepoint starts one */
    if (savepoint_cmd(cat, "SAVEPOINT", cat->depth + 1, err) < 0) {
        /* out of memory in SAVEPOINT itself: SQLite may have rolled back everything */
        struct qerr e = QERR_INIT;
        if (check_transaction(cat, &e) < 0)
            qerr_hint(err, "%s", e.msg);
        qerr_clear(&e);
        return -1;
    }
    cat->open_sp = 1;
    long long room = fault_full_pages(); /* QUARRY_FAULT=full:N: the catalog fills up */
    sqlite3_stmt *st = NULL;
    if (room && sqlite3_prepare_v2(cat->db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
                 (long long)sqlite3_column_int64(st, 0) + room);
        sqlite3_finalize(st);
        st = NULL;
        if (catalog_exec(cat->db, sql, err) < 0)
            return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

int
catalog_commit(struct catalog *cat, int changed, struct qerr *err)
{
    if (!cat->open_sp)
        return qerr_set(err, QE_INTERNAL, "no statement is running");
    if (check_transaction(cat, err) < 0)
        return -1;
    cat->open_sp = 0;
    if (changed) {
        cat->depth++;
        cat->dirty = 1;
        return 0;
    }
    return savepoint_cmd(cat, "RELEASE", cat->depth + 1, err);
}

int
catalog_lost(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    int lost = check_transaction(cat, &e) < 0;
    qerr_clear(&e);
    return lost;
}

void
catalog_rollback(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    if (!cat->open_sp || check_transaction(cat, &e) < 0) {
        qerr_clear(&e);
        return;
    }
    cat->open_sp = 0;
    savepoint_cmd(cat, "ROLLBACK TO", cat->depth + 1, &e);
    savepoint_cmd(cat, "RELEASE", cat->depth + 1, &e);
    qerr_clear(&e);
}

int
catalog_undo(struct catalog *cat, struct qerr *err)
{
    if (cat->depth == 0)
        return qerr_set(err, QE_ARG, "nothing to undo");
    if (savepoint_cmd(cat, "ROLLBACK TO", cat->depth, err) < 0 ||
        savepoint_cmd(cat, "RELEASE", cat->depth, err) < 0)
        return -1;
    cat->depth--;
    cat->dirty = 1;
    return 0;
}

unsigned long long
catalog_clock(struct catalog *cat)
{
    return catalog_watch_clock(cat->watch);
}

unsigned long long
catalog_written_at(const struct catalog *cat, const char *table)
{
    return catalog_watch_stamp(cat->watch, table);
}

void
catalog_touch(struct catalog *cat)
{
    catalog_watch_touch(cat->watch);
}

void
catalog_set_policy(struct catalog *cat, catalog_watch_policy fn, void *arg)
{
    catalog_watch_set_policy(cat->watch, fn, arg);
}

void **
catalog_cache_slot(struct catalog *cat, void (*cache_free)(void *))
{
    cat->cache_free = cache_free;
    return &cat->cache;
}

int
catalog_undo_depth(const struct catalog *cat)
{
    return cat->depth;
}

int
catalog_forget_undo(struct catalog *cat, struct qerr *err)
{
    if (cat->depth == 0)
        return 0;
    /* Releasing the outermost savepoint commits every level inside it. */
    if (savepoint_cmd(cat, "RELEASE", 1, err) < 0)
        return -1;
    cat->depth = 0;
    return 0;
}

long long
catalog_undo_bytes(struct catalog *cat)
{
    int cur = 0, hi = 0;
    if (sqlite3_db_status(cat->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) != SQLITE_OK)
        cur = 0;
    long long extra = (long long)sqlite3_memory_used() - cur;
    /* dropped column tables are kept for undo too, outside SQLite's allocator */
    return (extra > 0 ? extra : 0) + coltab_dropped_bytes(cat->db);
}

long long
catalog_memory_default(long long floor)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    long long quarter = pages > 0 && page > 0 ? (long long)pages * page / 4 : 0;
    return quarter > floor ? quarter : floor;
}

int
catalog_dirty(const struct catalog *cat)
{
    return cat->dirty;
}

void
catalog_mark_clean(struct catalog *cat)
{
    cat->dirty = 0;
}

void
catalog_set_origin(struct catalog *cat, const char *path, int dirty)
{
    char *copy = path ? xstrdup(path) : NULL;
    free(cat->path);
    cat->path = copy;
    cat->dirty = dirty != 0;
}

const char *
catalog_path(const struct catalog *cat)
{
    return cat->path;
}

static unsigned
be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/*
 * Zero the free pages of a database image (the file format's freelist:
 * header offset 32 the first trunk page, each trunk page the next trunk,
 * a count and that many leaf page numbers), so a saved workspace holds no
 * deleted data even though the catalog runs with secure_delete FAST.
 * Trunk pages keep their list and lose the rest. Stops at anything out of
 * range rather than trust a damaged list.
 */
static void
scrub_free_pages(unsigned char *img, sqlite3_int64 size)
{
    if (size < 100)
        return;
    unsigned page = (unsigned)img[16] << 8 | img[17];
    if (page == 1)
        page = 65536;
    if (page < 512 || size % page != 0)
        return;
    sqlite3_int64 n_pages = size / page;
    unsigned trunk = be32(img + 32);
    for (sqlite3_int64 guard = 0; trunk > 1 && trunk <= n_pages && guard < n_pages; guard++) {
        unsigned char *t = img + (sqlite3_int64)(trunk - 1) * page;
        unsigned n = be32(t + 4);
        if (n > page / 4 - 2)
            return;
        for (unsigned i = 0; i < n; i++) {
            unsigned leaf = be32(t + 8 + 4 * i);
            if (leaf > 1 && leaf <= n_pages && leaf != trunk)
                memset(img + (sqlite3_int64)(leaf - 1) * page, 0, page);
        }
        memset(t + 8 + 4 * n, 0, page - 8 - 4 * n);
        trunk = be32(t);
    }
}

int
catalog_save(struct catalog *cat, const char *path, struct qerr *err)
{
    int rc = -1;
    unsigned char *img = NULL;
    sqlite3_int64 size = 0;
    struct file_target t = {.fd = -1};

    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        qerr_set(err, QE_IO, "'%s' is a directory; give a file name such as '%s/work.qdb'", path,
                 path);
        goto out;
    }
    img = sqlite3_serialize(cat->db, "main", &size, 0);
    if (!img && size != 0) {
        qerr_set(err, QE_NOMEM, "cannot serialize the catalog (%lld bytes)", (long long)size);
        goto out;
    }
    /* a column table's rows are not in the pages: write them as an ordinary table's */
    if (catalog_image_rows(cat->db, &img, &size, err) < 0)
        goto out;
    scrub_free_pages(img, size);
    /*
     * A workspace opened from a WAL-mode file carries that mode in its
     * header (bytes 18 and 19 are 2), and SQLite would then make -wal and
     * -shm files beside it whenever it is opened: write it in rollback
     * mode (1), which is what quarry's workspaces are.
     */
    if (size >= 100 && img[18] == 2 && img[19] == 2)
        img[18] = img[19] = 1;
    /* A workspace is a file: through a link to its target, never onto a device or FIFO. */
    if (file_target_open(&t, path, FILE_TARGET_BACKUP, err) < 0) {
        if (err->code == QE_IO && strstr(err->msg, "only a regular file"))
            qerr_hint(err, "save writes a workspace file; give a name such as work.qdb");
        goto out;
    }
    size_t half = (size_t)size / 2;
    if (file_target_write(&t, img, half, err) < 0)
        goto out;
    /*
     * Fault injection for the test suite: die half-way through the write,
     * as a crash or kill would, to show the old workspace survives.
     */
    const char *fault = getenv("QUARRY_FAULT");
    if (fault && strcmp(fault, "save-midway") == 0)
        raise(SIGKILL);
    if (file_target_write(&t, img + half, (size_t)size - half, err) < 0 ||
        file_target_commit(&t, err) < 0)
        goto out;
    free(cat->path);
    cat->path = xstrdup(path);
    cat->dirty = 0;
    rc = 0;
out:
    file_target_abort(&t);
    sqlite3_free(img);
    return rc;
}

/*
 * Refuse anything in a foreign file's schema that quarry never creates:
 * views and triggers can call functions whenever a table is read or
 * written, so a hostile workspace could use them to run code; generated
 * columns run an expression (as costly as their author likes) each time a
 * row is read; a virtual table needs a module, whose code is not the file's.
 */
static int
check_schema(sqlite3 *db, const char *path, struct qerr *err)
{
    static const char *const queries[] = {
        "SELECT 'a ' || type, name FROM sqlite_schema WHERE type NOT IN ('table','index') "
        "LIMIT 1",
        "SELECT 'a virtual table', name FROM sqlite_schema WHERE type = 'table' AND "
        "sql LIKE 'CREATE VIRTUAL%' LIMIT 1",
        "SELECT 'a generated column', m.name || '.' || x.name FROM sqlite_schema m, "
        "pragma_table_xinfo(m.name) x WHERE m.type = 'table' AND x.hidden IN (2, 3) LIMIT 1",
    };
    sqlite3_stmt *st = NULL;
    int rc = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0] && rc == 0; i++) {
        if (sqlite3_prepare_v2(db, queries[i], -1, &st, NULL) != SQLITE_OK)
            return qerr_set(err, QE_DATA, "'%s' is not a quarry workspace: %s", path,
                            sqlite3_errmsg(db));
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            rc = qerr_set(err, QE_DATA,
                          "refusing '%s': it holds %s '%s', which quarry never creates and "
                          "which could run code",
                          path, (const char *)sqlite3_column_text(st, 0),
                          (const char *)sqlite3_column_text(st, 1));
            qerr_hint(err, "open only workspaces written by quarry's save; load CSV data with "
                           "load");
        } else if (s != SQLITE_DONE) {
            rc = qerr_set(err, QE_DATA, "'%s' is not a quarry workspace: %s", path,
                          sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
    }
    return rc;
}

static int
quick_check(sqlite3 *db, const char *path, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        rc = qerr_set(err, QE_DATA, "'%s' is not a quarry workspace: %s", path,
                      sqlite3_errmsg(db));
    } else if (sqlite3_step(st) != SQLITE_ROW) {
        rc = qerr_set(err, QE_DATA, "'%s' is not a quarry workspace: %s", path,
                      sqlite3_errmsg(db));
    } else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            rc = qerr_set(err, QE_DATA, "'%s' is damaged: %s", path, r ? r : "?");
    }
    sqlite3_finalize(st);
    return rc;
}

/* 1 if the file at path says it is in WAL mode (header bytes 18 and 19 are 2). */
static int
wal_mode(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    return n == (ssize_t)sizeof h && memcmp(h, "SQLite format 3", 16) == 0 &&
           (h[18] == 2 || h[19] == 2);
}

/*
 * Open the workspace at path read-only. A WAL-mode file (another tool's)
 * would make SQLite create PATH-wal and PATH-shm beside it and leave them
 * there; it is opened immutable instead, which reads the file alone. That
 * is the whole workspace only when no write-ahead log holds more, so a
 * non-empty PATH-wal is refused.
 */
static int
open_source(const char *path, sqlite3 **src, struct qerr *err)
{
    int rc = 0;
    struct buf name = BUF_INIT;
    int flags = SQLITE_OPEN_READONLY;
    if (wal_mode(path)) {
        struct stat st;
        buf_addf(&name, "%s-wal", path);
        if (stat(name.data, &st) == 0 && st.st_size > 0) {
            qerr_set(err, QE_DATA, "'%s' has changes in its write-ahead log '%s' that are not "
                     "in the file itself", path, name.data);
            qerr_hint(err, "close the program that writes it, or merge the log in first: "
                           "sqlite3 '%s' 'PRAGMA wal_checkpoint(TRUNCATE)'", path);
            buf_release(&name);
            return -1;
        }
        /* A URI, escaped: "file:" then the path with every unusual byte as %XX. */
        buf_reset(&name);
        buf_adds(&name, "file:");
        for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || strchr("/._-~", *p))
                buf_addc(&name, (char)*p);
            else
                buf_addf(&name, "%%%02X", *p);
        }
        buf_adds(&name, "?immutable=1");
        flags |= SQLITE_OPEN_URI;
    } else {
        buf_adds(&name, path);
    }
    if (sqlite3_open_v2(name.data, src, flags, NULL) != SQLITE_OK)
        rc = qerr_set(err, QE_IO, "cannot open '%s': %s", path,
                      *src ? sqlite3_errmsg(*src) : "out of memory");
    buf_release(&name);
    return rc;
}

int
catalog_load(struct catalog *cat, const char *path, struct qerr *err)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *bk = NULL;
    int rc = -1;
    struct stat st;

    if (stat(path, &st) < 0) {
        qerr_set(err, QE_NOTFOUND, "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        qerr_set(err, QE_IO, "'%s' is a directory, not a workspace file", path);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) { /* a FIFO would never end, a device never be a workspace */
        qerr_set(err, QE_IO, "'%s' is %s, not a workspace file", path,
                 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ? "a device"
                                                                      : "not a regular file");
        goto out;
    }
    if (open_source(path, &src, err) < 0)
        goto out;
    if (catalog_harden(src, err) < 0 || quick_check(src, path, err) < 0 ||
        check_schema(src, path, err) < 0)
        goto out;
    if (open_memory(&dst, err) < 0)
        goto out;
    bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", path, sqlite3_errmsg(dst));
        goto out;
    }
    int brc = sqlite3_backup_step(bk, -1);
    sqlite3_backup_finish(bk);
    if (brc != SQLITE_DONE) {
        qerr_set(err, QE_IO, "cannot read '%s': %s", path, sqlite3_errstr(brc));
        goto out;
    }
    /* The copy carries the file's schema: check it again on the catalog side. */
    if (check_schema(dst, path, err) < 0)
        goto out;
    if (cat->open_sp) {
        /* The statement's savepoint dies with the old connection. */
        cat->open_sp = 0;
    }
    sqlite3_close(cat->db);
    cat->db = dst;
    sqlite3_rollback_hook(dst, on_rollback, cat);
    cat->rolled_back = 0;
    catalog_watch_attach(cat->watch, dst); /* every table is new */
    dst = NULL;
    cat->depth = 0;
    cat->dirty = 0;
    free(cat->path);
    cat->path = xstrdup(path);
    rc = 0;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}
