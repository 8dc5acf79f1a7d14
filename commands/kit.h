/*
 * kit.h: the chores every command handler shares, defined once: the seed
 * of a randomised statement, progress and cancel, reading a table's
 * columns (as they are, as complete numeric rows, or beside a date column
 * read as seconds), writing a result (in place or into `as NAME`, or a
 * fresh table), showing a result table, and pointing the caret at an
 * argument.
 *
 * Counts in messages are written plainly with %lld ("69788 rows"), as the
 * README, SQL and every other command show them; the kit has no number
 * formatter of its own on purpose.
 */
#ifndef QUARRY_KIT_H
#define QUARRY_KIT_H

#include "cmd.h"
#include "data/frame.h"

/*
 * The seed of a randomised statement: seed= when the command's spec has
 * it and the user typed it; else the session seed, or a fresh one. A seed
 * not typed is recorded in the history (res->record_extra, " seed=N") so
 * a replay draws the same numbers.
 */
long long kit_seed(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res);

/*
 * The engine's progress callback for a handler: pass kit_progress and ctx
 * (the struct cmd_ctx) as the pctx. Reports to the front end and returns
 * nonzero, which cancels, when the front end asks or Ctrl-C was pressed.
 */
int kit_progress(void *ctx, double fraction);
/* The engine's words on where it is (tick_note), passed with ctx as kit_progress is: to the
 * front end's progress_text, if it has one. */
void kit_progress_text(void *ctx, const char *text);

/*
 * Read columns cols[0..n) of table (all columns when n == 0) with the
 * frame_read flags; *f belongs to the caller (frame_release). Errors are
 * frame_read's.
 */
int kit_read(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n, int flags,
             struct frame **f, struct qerr *err);
/* The first column of table alone, for commands that need only its rows. */
int kit_read_rows_only(struct cmd_ctx *ctx, const char *table, struct frame **f,
                       struct qerr *err);

/* Complete numeric rows: the frame's block, or a compact copy of its complete rows. */
struct kit_rows {
    struct frame *f;
    const double *x;  /* n x d, column-major, leading dimension ld */
    long long n, ld;
    int d;
    double *own;      /* the copy, when some rows had a missing value */
    long long *rows;  /* frame row of each row of the copy, or NULL (all rows) */
};
/*
 * Read cols of table as numbers and keep the rows without a missing
 * value. QE_DATA when a column holds no number at all; release with
 * kit_rows_release (also after a failure).
 */
int kit_read_complete(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n,
                      struct kit_rows *r, struct qerr *err);
void kit_rows_release(struct kit_rows *r);

/* Columns beside a date or timestamp column read as seconds (frame.h, FRAME_TIMES). */
struct kit_dated {
    struct frame *f;    /* the columns asked for, in order (then, read in one pass, the
                         * date column: use t, not f's columns past the ones asked for) */
    struct frame *ft;   /* the date column's own frame, or NULL when f holds it */
    const double *t;    /* seconds since 1970-01-01 per row of f; NaN = NULL or unparseable */
    const char *date_name; /* the date column's name as in the table */
    long long n_bad;    /* unparseable non-NULL dates */
    char *bad_example;  /* one of them, or NULL */
    struct frame *fnum; /* a column read again as numbers by kit_dated_numbers, or NULL */
};
/*
 * Read cols[0..n) of table into d->f and column date as timestamps into
 * d->t: one pass over a column table whose cols are all declared INTEGER
 * or REAL, else two reads (the numbers may be cached). Fails with QE_ARG, the caret on argument date_key, when the date
 * column is declared INTEGER or REAL; other errors are frame_read's.
 * Release d with kit_dated_release (also after a failure).
 */
int kit_read_dated(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
                   const char *const *cols, int n, const char *date_key, struct kit_dated *d,
                   struct qerr *err);
void kit_dated_release(struct kit_dated *d);
struct groups;
/*
 * Read an event log for sessions and sequences (in cmd_sessions.c): the
 * EVENTS table's cols (user, event[, more]) and time= into *dd as
 * kit_read_dated does; refuse an empty table and an event column of
 * numbers (what names the command); each row's event kind into *kind
 * (xmalloc'd, the caller frees) as sessions_kinds does, an event name of
 * another kind into *other; and the users (column 0) grouped into *g.
 */
int cmd_read_event_log(struct cmd_ctx *ctx, const struct cmd_args *args, const char *what,
                       const char *const *cols, int n, struct kit_dated *dd,
                       signed char **kind, const char **other, struct groups *g,
                       struct qerr *err);
/*
 * Column j of d->f as numbers in *x: the frame's own column when numeric;
 * a column SQL created without a declared type (read as text) is read
 * again as numbers (kept in d->fnum; *n_text gets its count of text
 * values); otherwise *x is NULL.
 */
int kit_dated_numbers(struct cmd_ctx *ctx, const char *table, struct kit_dated *d, int j,
                      const double **x, long long *n_text, struct qerr *err);
/*
 * The hint for an engine's data error (QE_DATA) on dated rows: when some
 * dates did not parse, say what one of them looks like.
 */
void kit_dated_hint(const struct kit_dated *d, struct qerr *err);

/*
 * Write f's rows back with outs replacing or adding columns and keep (or
 * NULL) choosing rows: in place, or into args->as. An out named like a
 * column of f rewrites it (clean, normalize); one named like another
 * column of the table is refused as kit_claim refuses it. After the first
 * write of a statement the work continues on the written table, so
 * *table is updated to it.
 */
int kit_write(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
              const struct frame *f, const struct frame_out *outs, int n_outs,
              const unsigned char *keep, struct qerr *err);
/* kit_write, where give[i] (NULL, or &the malloc'd array outs[i].num) lets an in-place write
 * into a column table keep that array as the table's storage (frame.h, frame_write's give). */
int kit_write_give(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
                   const struct frame *f, const struct frame_out *outs, int n_outs,
                   double **const *give, struct qerr *err);
/*
 * A command's side table (TABLE_clusters, TABLE_elbow, or as NAME), or
 * the output of a command whose as NAME is required and takes replace=yes
 * (rfm, series, sessions: the dispatcher leaves a taken NAME to the
 * handler, which calls kit_claim with it before the work): create table
 * name from the columns. One that exists is replaced only when the
 * statement says replace=yes (kit_claim's refusal otherwise); a result
 * with two columns of the same name is refused as kit_write_new does.
 */
int kit_side_table(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                   const struct frame_out *outs, int n_outs, long long n_rows,
                   struct qerr *err);

/*
 * Nothing is written over without a word. A command that writes a column
 * or a side table under a name of its choosing (cluster's into=cluster
 * and TABLE_clusters) refuses one that exists, as derive does, unless the
 * statement says replace=yes: a re-run means it by typing that. Every
 * such command has this argument in its spec; a command reads it only
 * through the kit.
 */
#define KIT_REPLACE_ARG KIT_REPLACE_ARG_IN(NULL)
/* The same for a command that writes such names in some modes only (spec modes). */
#define KIT_REPLACE_ARG_IN(m)                                                                 \
    {.name = "replace", .type = ARG_BOOL, .def = "no", .modes = (m),                          \
     .help = "yes: write over columns and tables of the names this writes that exist "        \
             "already (without it they are refused).",                                         \
     .comp = COMP_CHOICES}
/*
 * Refuse (QE_ARG), before any work, a statement that would write over
 * what exists: columns cols[0..n_cols) of table (also when `as` copies
 * it) and tables[0..n_tables) (NULL entries skipped), unless it says
 * replace=yes. key is the argument that named the columns (into), or
 * NULL. The message names what exists; the hint gives the statement to
 * type with replace=yes, and the other ways out (into=NAME, as NAME).
 */
int kit_claim(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
              const char *const *cols, int n_cols, const char *key,
              const char *const *tables, int n_tables, struct qerr *err);
/*
 * 1 when the statement says replace=yes (its spec has KIT_REPLACE_ARG):
 * for what kit_claim cannot see, such as a model train would replace.
 */
int kit_replacing(const struct cmd_args *args);
/*
 * Create table name from the columns, refusing (QE_ARG) a result with two
 * columns of the same name (case-insensitive): a source column may be
 * named like one the command adds.
 */
int kit_write_new(struct cmd_ctx *ctx, const char *name, const struct frame_out *outs,
                  int n_outs, long long n_rows, struct qerr *err);
/* Show every row of table as a result table, ordered by the SQL expression order (or NULL). */
int kit_show(struct cmd_ctx *ctx, struct cmd_result *res, const char *table, const char *order,
             struct qerr *err);

/* Why rows were skipped, said in one line: "skipped 5 rows: 2 without a user, 3 ...". */
struct kit_skips {
    struct buf text;
    long long n;
};
/*
 * Count n skipped rows for a reason (printf fmt, after the count: "without
 * a '%s'"); nothing when n is 0. Returns 1 when counted, so the caller may
 * append to s->text (" (e.g. 'soon')").
 */
int kit_skip(struct kit_skips *s, long long n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The line "skipped N rows: ..." when any were; releases s. */
void kit_skips_report(struct cmd_result *res, struct kit_skips *s);

/*
 * Whether a statement that drops unsaved work (open, quit) goes on: 1
 * when nothing is unsaved, when no one can be asked (scripts and plain
 * mode mean what they say) or when the user said yes; else 0, with
 * question (printf fmt) in res->confirm for the front end to ask, and
 * the handler returns 0 having done nothing.
 */
int kit_confirm(struct cmd_ctx *ctx, struct cmd_result *res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put the caret of err under argument key of the statement; returns -1. */
int kit_fail_at(const struct cmd_args *args, const char *key, struct qerr *err);
/* v rounded to 6 significant digits (summary tables). */
double kit_sig(double v);
/* "" for 1, "s" otherwise. */
const char *kit_plural(long long n);

/* name followed by suffix ("T" + "_clusters"), for a result's side tables; free() it. */
char *kit_name(const char *name, const char *suffix);

#endif
