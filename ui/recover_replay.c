/*
 * recover_replay.c: rebuilding the catalog from a dead session's recovery
 * set: open its base, run its journal's statements again (seeds as they
 * were drawn, loads from their files, which must be as they were), and
 * hand the result to the session's own set.
 */
#include "recover.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "data/coltab.h"
#include "recover_int.h"
#include "base/banned.h"

/* NULL when path is as the journal recorded it (size, mtime in ns), else what changed. */
static const char *
file_changed(const char *path, long long size, long long mtime)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return errno == ENOENT ? "it is gone" : strerror(errno);
    if (size >= 0 && (long long)st.st_size != size)
        return "its size changed";
    if (mtime >= 0 && (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec != mtime)
        return "it was modified";
    return NULL;
}

static void
say_error(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say_error(struct session *s, const char *fmt, ...)
{
    struct qerr e = QERR_INIT;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    qerr_set(&e, QE_DATA, "%s", b.data);
    s->front->error(s, "", 0, &e);
    qerr_clear(&e);
    buf_release(&b);
}

static void
say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct session *s, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    s->front->note(s, b.data);
    buf_release(&b);
}

/* Run one statement of the journal, its output dropped. */
static int
run(struct session *s, const char *text, struct qerr *err)
{
    struct cmd_result res;
    result_init(&res);
    session_cancel = 0;
    session_sigint = 0;
    int rc = cmd_run(&s->ctx, text, &res, err);
    result_release(&res);
    return rc;
}

/* Open the journal's base into the catalog: 0, or -1 having said why not. */
static int
open_base(struct session *s, const char *dir, const struct recover_rec *h, struct buf *what)
{
    const char *base = recover_get(h, "base");
    struct buf full = BUF_INIT;
    struct qerr e = QERR_INIT;
    int rc = 0;
    if (!base || !*base) {
        buf_adds(what, "from an empty catalog");
        return 0;
    }
    if (base[0] == '/')
        buf_adds(&full, base);
    else
        buf_addf(&full, "%s/%s", dir, base);
    const char *why = file_changed(full.data, recover_get_ll(h, "size", -1),
                                   recover_get_ll(h, "mtime", -1));
    if (why) {
        say_error(s, "cannot recover: the session's base '%s' has changed since (%s)", full.data,
                  why);
        rc = -1;
    } else if (catalog_load(s->ctx.cat, full.data, &e) < 0) {
        say_error(s, "cannot recover: %s", e.msg);
        rc = -1;
    } else if (base[0] == '/') {
        buf_addf(what, "from the workspace %s", base);
    } else {
        buf_adds(what, "from a snapshot");
    }
    qerr_clear(&e);
    buf_release(&full);
    return rc;
}

/* The settings that change results, as the session had them at the base. */
static void
apply_settings(struct session *s, const struct recover_rec *h)
{
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    long long seed = recover_get_ll(h, "seed", -1);
    buf_addf(&b, "set threads=%lld memory=%lld", recover_get_ll(h, "threads", 1),
             recover_get_ll(h, "memory", 0));
    if (seed >= 0)
        buf_addf(&b, " seed=%lld", seed);
    else
        buf_adds(&b, " seed=random");
    long long columns = recover_get_ll(h, "columns", -1); /* -1: a set from before issue 18 */
    if (columns >= 0)
        buf_addf(&b, " columns=%s", columns ? "on" : "off");
    if (run(s, b.data, &e) < 0)
        say(s, "recovery: the settings (%s) were not restored: %s", b.data, e.msg);
    qerr_clear(&e);
    buf_release(&b);
}

/*
 * Replay the statements after the header: the number replayed, and in
 * *stopped whether one could not be (said why).
 */
static int
replay(struct session *s, const struct recover_journal *j, int *stopped, const char **last)
{
    int done = 0;
    *stopped = 0;
    for (int i = 1; i < j->n && !*stopped; i++) {
        const struct recover_rec *r = &j->recs[i];
        const char *text = recover_get(r, "text"), *file = recover_get(r, "file");
        struct qerr e = QERR_INIT;
        if (r->tag != 'S' || !text)
            continue;
        const char *why = file ? file_changed(file, recover_get_ll(r, "size", -1),
                                              recover_get_ll(r, "mtime", -1))
                               : NULL;
        if (why) {
            say_error(s, "the replay stops before '%s': '%s' has changed since it was read "
                      "(%s)", text, file, why);
            *stopped = 1;
        } else if (run(s, text, &e) < 0) {
            say_error(s, "the replay stops at '%s': %s", text, e.msg);
            *stopped = 1;
        } else {
            done++;
            *last = text;
        }
        qerr_clear(&e);
    }
    return done;
}

int
recover_take(struct session *s, struct recover_found *f)
{
    struct recover_journal j;
    struct buf what = BUF_INIT;
    char when[64];
    int rc = -1, stopped = 1, here = -1;
    const char *last = NULL;
    recover_when_text(f->when, when, sizeof when);
    say(s, "recovering the session that ended at %s", when);
    if (recover_load_journal(f->dir, &j) < 0) {
        say_error(s, "cannot recover: no readable journal in '%s'", f->dir);
        goto out;
    }
    const struct recover_rec *h = &j.recs[0];
    const char *cwd = recover_get(h, "cwd"), *ws = recover_get(h, "workspace");
    /* statements name files relative to where that session ran */
    here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cwd && *cwd && chdir(cwd) < 0)
        say(s, "recovery: cannot go to '%s', where that session ran (%s); relative paths "
            "are read from here", cwd, strerror(errno));
    if (open_base(s, f->dir, h, &what) < 0)
        goto out;
    rc = 0;
    s->recovered = 1;
    apply_settings(s, h);
    /* the base (a snapshot or a workspace) holds rows: load's tables become columns again */
    int conv = 0;
    struct qerr e = QERR_INIT;
    if (s->ctx.set.columns > 0 && coltab_all_from_rows(catalog_db(s->ctx.cat), &conv, &e) < 0)
        say(s, "recovery: the tables stay ordinary tables: %s", e.msg);
    qerr_clear(&e);
    int done = replay(s, &j, &stopped, &last);
    catalog_set_origin(s->ctx.cat, ws && *ws ? ws : NULL, 1);
    char **names = NULL;
    int n_tables = 0;
    cmd_table_names(&s->ctx, 0, &names, &n_tables);
    cmd_free_names(names, n_tables);
    say(s, "recovered %s%s, %d statement%s replayed", what.data,
        stopped ? " as far as it goes" : "", done, done == 1 ? "" : "s");
    if (last)
        say(s, "the last one: %s", last);
    if (ws && *ws)
        say(s, "the catalog holds %d table%s, not saved yet: save writes %s to %s", n_tables,
            n_tables == 1 ? "" : "s", n_tables == 1 ? "it" : "them", ws);
    else
        say(s, "the catalog holds %d table%s, not saved yet: save FILE keeps %s", n_tables,
            n_tables == 1 ? "" : "s", n_tables == 1 ? "it" : "them");
out:
    if (here >= 0) {
        if (fchdir(here) < 0)
            say(s, "recovery: cannot go back to the folder quarry started in");
        close(here);
    }
    recover_journal_release(&j);
    s->recovered_unsaved = f->n_stmts;
    s->ctx.set.autosave = 1;
    recover_sync(s);
    if (rc == 0 && !stopped && s->rec) {
        recover_remove_dir(f->dir);
        s->recovered = 2; /* the session's own set holds it now */
    } else {
        say(s, "the recovery set stays in %s: %s", f->dir,
            rc < 0 ? "delete the folder to drop it"
                   : "put back what changed and run quarry --recover to try again, or "
                     "delete the folder to drop it");
    }
    recover_found_release(f);
    buf_release(&what);
    return rc;
}
