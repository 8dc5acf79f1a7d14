/*
 * recover_set.c: the running session's recovery set (recover.h): made
 * when autosave goes on, a record appended for each statement that
 * changed the catalog, restarted from a new base now and then, removed at
 * a clean end or when autosave goes off.
 */
#define _GNU_SOURCE /* strcasestr */
#include "recover.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "recover_int.h"
#include "base/banned.h"

struct recover {
    char *dir;          /* the set's folder */
    char *cwd;          /* where relative paths in statements point */
    int lock, journal;  /* the held lock; journal-<gen> open for appending */
    long gen;
    int n_records;      /* statements in the journal */
    int n_unsaved;      /* statements since the catalog was last saved (or opened) */
    int levels;         /* undo levels held by statements in the journal */
    double replay_secs; /* their run time: about what replaying the journal takes */
    double base_at;     /* session_now() when the journal restarted */
    double snap_cost;   /* seconds the last snapshot took */
};

enum base { BASE_NONE, BASE_SNAPSHOT, BASE_WORKSPACE };

/* Say something about autosave: in the statement's result, else as a note. */
static void
say(struct session *s, struct cmd_result *res, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    if (res)
        result_text(res, "%s", b.data);
    else
        s->front->note(s, b.data);
    buf_release(&b);
}

static char *
absolute(const char *cwd, const char *path)
{
    struct buf b = BUF_INIT;
    if (path[0] != '/' && cwd)
        buf_addf(&b, "%s/", cwd);
    buf_adds(&b, path);
    return buf_detach(&b);
}

/* QUARRY_SNAPSHOT_SECS (0 = after every statement that changed something, for tests), else 60. */
static double
snapshot_secs(void)
{
    const char *v = getenv("QUARRY_SNAPSHOT_SECS");
    char *end;
    double x = v ? strtod(v, &end) : 0;
    return v && *v && !*end && x >= 0 ? x : 60;
}

static void
fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* mkdir -p, the folders made private (they hold the user's data). */
static int
make_dirs(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *q = p + 1; *q && rc == 0; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            rc = -1;
        *q = '/';
    }
    if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
        rc = -1;
    free(p);
    return rc;
}

static void
set_ll(struct buf *payload, const char *key, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    recover_field(payload, key, num);
}

/* The header of a journal whose base is base (a name in the set, a path, or ""). */
static void
header(struct session *s, struct recover *r, const char *base, const char *origin,
       struct buf *out)
{
    struct buf p = BUF_INIT, full = BUF_INIT;
    struct stat st;
    recover_field(&p, "cwd", r->cwd ? r->cwd : "");
    recover_field(&p, "base", base);
    if (*base) {
        if (base[0] == '/')
            buf_adds(&full, base);
        else
            buf_addf(&full, "%s/%s", r->dir, base);
        if (stat(full.data, &st) == 0) {
            set_ll(&p, "size", (long long)st.st_size);
            set_ll(&p, "mtime", (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
        }
    }
    recover_field(&p, "workspace", origin ? origin : "");
    set_ll(&p, "n", r->n_unsaved);
    set_ll(&p, "threads", s->ctx.set.threads);
    set_ll(&p, "seed", s->ctx.set.seed);
    set_ll(&p, "memory", s->ctx.set.memory_mb);
    set_ll(&p, "columns", s->ctx.set.columns);
    buf_adds(out, "quarry-journal 1\n");
    recover_record(out, 'H', &p);
    buf_release(&p);
    buf_release(&full);
}

/*
 * Start generation gen + 1 from a new base: a snapshot of the catalog, the
 * workspace it was just saved to or opened from (a hard link to it when
 * the folders share a file system, so a later save elsewhere cannot change
 * it), or nothing. Generation gen is removed only once the new one is whole.
 */
static int
restart(struct session *s, struct recover *r, enum base kind, struct qerr *err)
{
    struct catalog *cat = s->ctx.cat;
    long g = r->gen + 1;
    struct buf snap = BUF_INIT, jpath = BUF_INIT, tmp = BUF_INIT, text = BUF_INIT;
    struct buf name = BUF_INIT;
    char *origin = catalog_path(cat) ? absolute(r->cwd, catalog_path(cat)) : NULL;
    char *was = catalog_path(cat) ? xstrdup(catalog_path(cat)) : NULL;
    const char *base = "";
    int fd = -1, jfd = -1, rc = -1, made = 0;

    buf_addf(&snap, "%s/snap-%ld.qdb", r->dir, g);
    buf_addf(&name, "snap-%ld.qdb", g);
    unlink(snap.data); /* a failed restart's leftover: save would keep it as a .bak */
    if (kind == BASE_SNAPSHOT) {
        int dirty = catalog_dirty(cat);
        double t0 = session_now();
        int src = catalog_save(cat, snap.data, err);
        /* the snapshot is not the workspace: save still writes where it wrote */
        catalog_set_origin(cat, was, dirty);
        r->snap_cost = session_now() - t0;
        if (src < 0)
            goto out;
        made = 1;
        base = name.data;
    } else if (kind == BASE_WORKSPACE && origin) {
        /* through a symbolic link to the file itself, as save writes through it */
        made = linkat(AT_FDCWD, origin, AT_FDCWD, snap.data, AT_SYMLINK_FOLLOW) == 0;
        base = made ? name.data : origin;
    }
    header(s, r, base, origin, &text);
    buf_addf(&jpath, "%s/journal-%ld", r->dir, g);
    buf_addf(&tmp, "%s.tmp", jpath.data);
    fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || recover_write_all(fd, text.data, text.len) < 0 || fdatasync(fd) < 0 ||
        close(fd) < 0) {
        qerr_set(err, QE_IO, "cannot write '%s': %s", tmp.data, strerror(errno));
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp.data, jpath.data) < 0) {
        qerr_set(err, QE_IO, "cannot write '%s': %s", jpath.data, strerror(errno));
        goto out;
    }
    fsync_dir(r->dir);
    jfd = open(jpath.data, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (jfd < 0) {
        qerr_set(err, QE_IO, "cannot open '%s': %s", jpath.data, strerror(errno));
        goto out;
    }
    if (r->journal >= 0)
        close(r->journal);
    buf_reset(&tmp);
    buf_addf(&tmp, "%s/journal-%ld", r->dir, r->gen);
    unlink(tmp.data);
    buf_reset(&tmp);
    buf_addf(&tmp, "%s/snap-%ld.qdb", r->dir, r->gen);
    unlink(tmp.data);
    r->journal = jfd;
    r->gen = g;
    r->n_records = 0;
    r->levels = 0;
    r->replay_secs = 0;
    r->base_at = session_now();
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (rc < 0) {
        if (made)
            unlink(snap.data);
        unlink(tmp.data);
    }
    buf_release(&snap);
    buf_release(&jpath);
    buf_release(&tmp);
    buf_release(&text);
    buf_release(&name);
    free(origin);
    free(was);
    return rc;
}

/* Append one record and flush it to the disk before the statement's result shows. */
static int
append(struct recover *r, char tag, const struct buf *payload, struct qerr *err)
{
    struct buf rec = BUF_INIT;
    recover_record(&rec, tag, payload);
    int rc = 0;
    if (recover_write_all(r->journal, rec.data, rec.len) < 0 || fdatasync(r->journal) < 0)
        rc = qerr_set(err, QE_IO, "cannot write the journal in '%s': %s", r->dir,
                      strerror(errno));
    buf_release(&rec);
    return rc;
}

static void
set_free(struct recover *r, int remove)
{
    if (r->journal >= 0)
        close(r->journal);
    if (remove)
        recover_remove_dir(r->dir);
    if (r->lock >= 0)
        close(r->lock); /* last: nobody may take the set while it is being removed */
    free(r->dir);
    free(r->cwd);
    free(r);
}

/* Does the catalog hold any table (quarry's own included)? */
static int
has_tables(struct catalog *cat)
{
    char **names = NULL;
    int n = 0;
    struct qerr e = QERR_INIT;
    catalog_tables(catalog_db(cat), 1, &names, &n, &e);
    catalog_names_free(names, n);
    qerr_clear(&e);
    return n > 0;
}

/* Make the session's set, its base what the catalog holds now. */
static struct recover *
set_open(struct session *s, int unsaved, struct qerr *err)
{
    struct recover *r = xcalloc(1, sizeof *r);
    struct catalog *cat = s->ctx.cat;
    char *root = recover_root();
    struct buf dir = BUF_INIT, lock = BUF_INIT;
    char cwd[4096];
    r->lock = r->journal = -1;
    r->gen = -1;
    r->n_unsaved = unsaved;
    if (!root) {
        qerr_set(err, QE_IO, "there is no recovery folder: set HOME or QUARRY_RECOVERY_DIR");
        goto fail;
    }
    if (make_dirs(root) < 0) {
        qerr_set(err, QE_IO, "cannot make the recovery folder '%s': %s", root, strerror(errno));
        goto fail;
    }
    buf_addf(&dir, "%s/%ld-%lld", root, (long)getpid(), (long long)time(NULL));
    for (int i = 1; mkdir(dir.data, 0700) < 0; i++) {
        if (errno != EEXIST || i > 100) {
            qerr_set(err, QE_IO, "cannot write in '%s': %s", root, strerror(errno));
            goto fail;
        }
        buf_reset(&dir);
        buf_addf(&dir, "%s/%ld-%lld-%d", root, (long)getpid(), (long long)time(NULL), i);
    }
    r->dir = buf_detach(&dir);
    r->cwd = getcwd(cwd, sizeof cwd) ? xstrdup(cwd) : NULL;
    buf_addf(&lock, "%s/lock", r->dir);
    r->lock = open(lock.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (r->lock < 0 || flock(r->lock, LOCK_EX | LOCK_NB) < 0) {
        qerr_set(err, QE_IO, "cannot lock '%s': %s", lock.data, strerror(errno));
        goto fail;
    }
    buf_reset(&lock);
    buf_addf(&lock, "%ld\n", (long)getpid());
    recover_write_all(r->lock, lock.data, lock.len);
    enum base kind = catalog_dirty(cat) ? BASE_SNAPSHOT
                     : catalog_path(cat) ? BASE_WORKSPACE
                     : has_tables(cat)   ? BASE_SNAPSHOT
                                         : BASE_NONE;
    if (restart(s, r, kind, err) < 0)
        goto fail;
    free(root);
    buf_release(&lock);
    return r;
fail:
    if (r->dir)
        set_free(r, 1);
    else
        free(r);
    free(root);
    buf_release(&dir);
    buf_release(&lock);
    return NULL;
}

/* Autosave cannot go on: say why, remove the set, turn the setting off. */
static void
stop(struct session *s, struct cmd_result *res, const struct qerr *err)
{
    say(s, res, "autosave is off: %s; the catalog is as it was, but a crash would now lose it "
        "(save keeps it)", err->msg);
    if (s->rec)
        set_free(s->rec, 1);
    s->rec = NULL;
    s->ctx.set.autosave = 0;
}

static void
sync_setting(struct session *s, struct cmd_result *res, int unsaved)
{
    struct qerr err = QERR_INIT;
    if (!s->ctx.set.autosave && s->rec) {
        say(s, res, "autosave off: the recovery journal in %s is removed", s->rec->dir);
        set_free(s->rec, 1);
        s->rec = NULL;
    } else if (s->ctx.set.autosave && !s->rec) {
        s->rec = set_open(s, unsaved, &err);
        if (!s->rec)
            stop(s, res, &err);
        else if (res)
            say(s, res, "autosave on: a crash loses nothing; the journal is in %s", s->rec->dir);
    }
    qerr_clear(&err);
}

void
recover_sync(struct session *s)
{
    sync_setting(s, NULL, s->recovered ? s->recovered_unsaved : catalog_dirty(s->ctx.cat));
}

/*
 * SQL whose result a replay would not repeat: the clock, random(). Such a
 * statement is followed by a snapshot instead of a journal record (a
 * deterministic date() call costs one snapshot too, which is cheap).
 */
static int
not_repeatable(const char *text)
{
    static const char *const words[] = {"random", "'now'", "current_", "date()", "time()",
                                        "julianday()", "unixepoch()", "strftime("};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasestr(text, words[i]))
            return 1;
    return 0;
}

/* The command a statement starts with, or NULL for SQL or something unknown. */
static const struct cmd_entry *
command_of(const char *text)
{
    struct qerr e = QERR_INIT;
    char word[32];
    size_t n = 0;
    while (*text == ' ' || *text == '\t' || *text == '\n')
        text++;
    if (cmd_is_sql(text))
        return NULL;
    while (n + 1 < sizeof word && (text[n] == '_' || (text[n] >= 'a' && text[n] <= 'z') ||
                                   (text[n] >= 'A' && text[n] <= 'Z')))
        n++;
    memcpy(word, text, n);
    word[n] = '\0';
    const struct cmd_entry *c = n ? cmd_find(word, &e) : NULL;
    qerr_clear(&e);
    return c;
}

/* The statement record: its text, and for a load the file it read as it was then. */
static void
statement_payload(struct session *s, const char *text, const struct cmd_entry *c,
                  struct buf *p)
{
    struct recover *r = s->rec;
    set_ll(p, "n", r->n_unsaved);
    recover_field(p, "text", text);
    if (!c || strcmp(c->name, "load") != 0)
        return;
    struct cmd_args args;
    struct qerr e = QERR_INIT;
    struct stat st;
    if (cmd_parse(&s->ctx, text, &args, &e) == 0) {
        const char *path = args_str(&args, "PATH");
        char *abs = path ? absolute(r->cwd, path) : NULL;
        if (abs && stat(abs, &st) == 0) {
            recover_field(p, "file", abs);
            set_ll(p, "size", (long long)st.st_size);
            set_ll(p, "mtime", (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
        }
        free(abs);
        args_release(&args);
    }
    qerr_clear(&e);
}

/* Journal the statement just run (the last history entry); a restart where a replay cannot. */
static int
journal(struct session *s, const struct hist_entry *h, struct qerr *err)
{
    struct recover *r = s->rec;
    struct cmd_ctx *ctx = &s->ctx;
    const struct cmd_entry *c = command_of(h->text);
    const char *name = c ? c->name : "";
    struct buf p = BUF_INIT;
    int rc = 0;
    if (strcmp(name, "open") == 0 || strcmp(name, "save") == 0) {
        r->n_unsaved = 0; /* the workspace holds it all */
        rc = restart(s, r, BASE_WORKSPACE, err);
    } else if (strcmp(name, "undo") == 0) {
        r->n_unsaved++;
        if (r->levels > 0) { /* it undid a statement of this journal, which a replay redoes */
            statement_payload(s, h->text, c, &p);
            rc = append(r, 'S', &p, err);
            r->levels--;
            r->n_records++;
        } else {
            rc = restart(s, r, BASE_SNAPSHOT, err);
        }
    } else if (strcmp(name, "set") == 0) {
        statement_payload(s, h->text, c, &p);
        rc = append(r, 'S', &p, err);
        r->n_records++;
    } else if (h->changed) {
        r->n_unsaved++;
        if (not_repeatable(h->text)) {
            rc = restart(s, r, BASE_SNAPSHOT, err);
        } else {
            statement_payload(s, h->text, c, &p);
            rc = append(r, 'S', &p, err);
            r->levels++;
            r->n_records++;
            r->replay_secs += s->last_secs;
        }
    }
    /* the undo limit may have forgotten levels: an undo past them needs a snapshot */
    if (r->levels > catalog_undo_depth(ctx->cat))
        r->levels = catalog_undo_depth(ctx->cat);
    buf_release(&p);
    return rc;
}

/*
 * A snapshot now? Only with statements in the journal; after the interval,
 * or when replaying them would take ten seconds; and never more often than
 * ten times what a snapshot costs, so that it takes at most a tenth of
 * the session's time however big the catalog.
 */
static int
snapshot_due(const struct recover *r)
{
    double every = snapshot_secs(), since = session_now() - r->base_at;
    if (r->n_records == 0)
        return 0;
    if (every == 0)
        return 1;
    return since >= 10 * r->snap_cost && (since >= every || r->replay_secs >= 10);
}

/*
 * Journal the statements one statement ran inside it, each in the history
 * as typed (demo's steps; demo itself is not recorded): each that did its
 * work, in order, even when a later one failed (the steps before it stay
 * done). A step that restarts the set (a snapshot: SQL with random()) puts
 * the steps after it in that snapshot too, so the journal stops there. The
 * statement's time counts once towards the replay time (snapshot_due).
 */
static int
journal_steps(struct session *s, int from, struct qerr *err)
{
    struct cmd_ctx *ctx = &s->ctx;
    double total = s->last_secs; /* the whole statement's: shared out among the steps */
    int n = 0, rc = 0;
    for (int i = from; i < ctx->n_hist; i++)
        n += ctx->hist[i].ok && ctx->hist[i].recorded;
    s->last_secs = n ? total / n : 0;
    for (int i = from; i < ctx->n_hist && rc == 0; i++) {
        long gen = s->rec->gen;
        if (!ctx->hist[i].ok || !ctx->hist[i].recorded)
            continue;
        rc = journal(s, &ctx->hist[i], err);
        if (s->rec->gen != gen)
            break;
    }
    s->last_secs = total;
    return rc;
}

void
recover_after(struct session *s, int rc, int hist_before, struct cmd_result *res)
{
    struct cmd_ctx *ctx = &s->ctx;
    struct qerr err = QERR_INIT;
    if (!ctx->set.autosave || !s->rec) {
        /* set autosave=on|off, or autosave could not start: nothing to journal */
        sync_setting(s, res, catalog_dirty(ctx->cat));
        return;
    }
    if (ctx->n_hist > hist_before + 1 ? journal_steps(s, hist_before, &err) < 0
                                      : rc == 0 && ctx->n_hist == hist_before + 1 &&
                                            ctx->hist[hist_before].ok &&
                                            journal(s, &ctx->hist[hist_before], &err) < 0) {
        stop(s, res, &err);
    } else if (snapshot_due(s->rec) && restart(s, s->rec, BASE_SNAPSHOT, &err) < 0) {
        /* the journal still holds everything: keep it, and try again later */
        say(s, res, "autosave could not write a snapshot (%s); the journal goes on", err.msg);
        s->rec->base_at = session_now();
    }
    qerr_clear(&err);
}

void
recover_clean(struct session *s)
{
    struct recover *r = s->rec;
    struct qerr err = QERR_INIT;
    struct buf p = BUF_INIT;
    if (r && r->n_unsaved) {
        r->n_unsaved = 0;
        set_ll(&p, "n", 0);
        if (append(r, 'N', &p, &err) < 0)
            stop(s, NULL, &err);
    }
    buf_release(&p);
    qerr_clear(&err);
}

void
recover_end(struct session *s, int keep)
{
    if (!s->rec)
        return;
    set_free(s->rec, !keep);
    s->rec = NULL;
}
