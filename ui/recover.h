/*
 * recover.h: nothing lost on a crash. With the autosave setting on (the
 * default at an interactive prompt) a session keeps a recovery set, a
 * folder of its own in the recovery folder (recover_root):
 *
 *   lock        held with flock by the running session (its pid inside,
 *               for people); a set whose lock can be taken is a dead one
 *   journal-G   how to rebuild the catalog: a header naming the base
 *               (nothing, snap-G.qdb, or a workspace file, with its size
 *               and time), then every completed statement that changed
 *               the catalog, appended and fsynced before its result shows
 *   snap-G.qdb  the catalog as catalog_save wrote it, when that is the base
 *
 * A snapshot restarts the journal (G + 1) at most every
 * QUARRY_SNAPSHOT_SECS seconds (60) or when replaying the journal would
 * take long, and at once after open, save, an undo the journal cannot
 * replay and SQL that reads the clock or random(). The next start finds
 * a dead set and offers to rebuild the catalog as it was after the last
 * completed statement; a clean quit removes the set.
 */
#ifndef QUARRY_RECOVER_H
#define QUARRY_RECOVER_H

#include "session.h"

/* A dead session's recovery set, found at start. */
struct recover_found {
    char *dir;     /* the set's folder; NULL when none was found */
    int lock;      /* its lock, held until released: -1 when none */
    long long when;/* the time of its last completed statement (seconds since 1970) */
    int n_stmts;   /* statements it holds that were not saved */
    int n_others;  /* further dead sets, older, left alone */
};

#define RECOVER_FOUND_INIT {NULL, -1, 0, 0, 0}

/*
 * The recovery folder: $QUARRY_RECOVERY_DIR, else
 * $XDG_STATE_HOME/quarry/recover, else ~/.local/state/quarry/recover;
 * NULL when there is no home. The caller frees it.
 */
char *recover_root(void);

/*
 * Look for the newest set left by a session that died (its lock is free)
 * and holds unsaved statements: 1 with *out filled and its lock held, 0
 * when there is none. Dead sets with nothing unsaved are removed on the
 * way. Creates nothing.
 */
int recover_find(struct recover_found *out);
/* Let go of a found set, leaving its files for a later start. */
void recover_found_release(struct recover_found *f);

/*
 * Tell the user about a found set. With ask (the full-screen interface,
 * before it opens) print the question on stdout and read the answer
 * from stdin: 1 for y. Without, print one line on stderr saying how to
 * recover (when stderr is a terminal) and return 0: a script never waits.
 */
int recover_offer(const struct recover_found *f, int ask);

/*
 * Rebuild the catalog from the found set (at start, into the session's
 * empty catalog): open its base, replay its journal. Says what it did
 * through the session's front end. When every statement replayed and the
 * session's own set (autosave, which this turns on) holds the result, the
 * found set is removed; otherwise it stays for another try (a file a load
 * read changed, say). Marks the session recovered; releases f.
 * 0 when at least the base was restored, -1 when nothing was.
 */
int recover_take(struct session *s, struct recover_found *f);

/*
 * After each statement (session_run calls it before the result shows):
 * follow the autosave setting (start or remove the session's set) and
 * journal the statement just run, or the statements it ran inside it as
 * typed (demo's steps): rc is its status, hist_before the history's
 * length before it ran. Problems are added to res as text, and
 * turn autosave off rather than fail the statement.
 */
void recover_after(struct session *s, int rc, int hist_before, struct cmd_result *res);
/* Start the session's set now if autosave is on (at start, before the first statement). */
void recover_sync(struct session *s);
/* The catalog was marked clean (after an init script): nothing in it is unsaved. */
void recover_clean(struct session *s);
/*
 * The session ends: remove its set, or with keep leave it for quarry
 * --recover (a recovered session that a script did not save, or an end
 * that is not a clean quit). Says nothing.
 */
void recover_end(struct session *s, int keep);

#endif
