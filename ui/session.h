/*
 * session.h: one quarry session as the front ends see it: the command
 * context, where statements come from, and the front end that shows
 * results. The plain front end (text on stdout/stderr) and the curses one
 * (ui/tui.c) share the statement runner here.
 */
#ifndef QUARRY_SESSION_H
#define QUARRY_SESSION_H

#include <signal.h>
#include <stdio.h>

#include "cmd.h"

struct session;
struct recover;

/* How a front end shows what statements produce. */
struct front {
    void (*echo)(struct session *s, const char *stmt);
    void (*result)(struct session *s, const struct cmd_result *res);
    void (*error)(struct session *s, const char *stmt, int line, const struct qerr *err);
    void (*note)(struct session *s, const char *text); /* timer lines and the like */
};

struct session {
    struct cmd_ctx ctx;
    const struct front *front;
    const char *source; /* script name for messages, NULL when interactive or -c */
    int scripted;       /* statements come from -c, -f, --init or a pipe */
    int keep_going;     /* --keep-going: a script goes on after a failed statement */
    int failures;
    int stop;           /* stop reading input */
    int interrupted;    /* Ctrl-C stopped a script (the exit status is 130) */
    int quit;
    int echo;           /* --echo: print each statement before its result */
    double last_secs;   /* the last statement's wall time */
    long long last_rows;/* rows in its last result table, -1 if none */
    struct recover *rec;/* the crash-recovery set while autosave is on (recover.h) */
    int recovered;      /* 1: rebuilt from a dead session's set, 2: and that set is removed */
    int recovered_unsaved; /* the statements that set held unsaved */
};

/* Set by the SIGINT handler: at the prompt, and for the engine to poll. */
extern volatile sig_atomic_t session_sigint;
extern volatile int session_cancel;
/* Set when plain mode stopped because the reader of standard output left (exit 141). */
extern int session_pipe_closed;

/* Install the SIGINT handler (no SA_RESTART, so a blocking read returns EINTR). */
void session_signals(void);
/* Open the catalog and apply the defaults; plain front end. */
int session_init(struct session *s, struct qerr *err);
void session_release(struct session *s);
/* Run one statement (a splitter callback: arg is the session). */
int session_run(void *arg, const char *stmt, int line);
/*
 * Run a stream of statements: a FILE, or text when in is NULL. The first
 * failure stops it unless keep_going; Ctrl-C always stops it (interrupted
 * is set). A NUL byte or a read error in the FILE is a failure that stops
 * it too.
 */
void session_run_stream(struct session *s, FILE *in, const char *text);

/* Seconds on the monotonic clock, for timing statements. */
double session_now(void);
/* The interactive history file (QUARRY_HISTORY, else ~/.quarry_history); free it. */
char *session_history_path(void);

extern const struct front front_plain;

#endif
