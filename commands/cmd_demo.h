/*
 * cmd_demo.h: the guided demos of `demo` (issue 21) as data: each demo is
 * a list of steps, a statement and one sentence on why, which cmd_demo.c
 * runs one by one through cmd_run, the path a typed statement takes (so
 * the history, undo and savepoints treat each step as typed). The steps
 * themselves are in cmd_demo_steps.c.
 */
#ifndef QUARRY_CMD_DEMO_H
#define QUARRY_CMD_DEMO_H

struct demo_step {
    /*
     * The statement, as typed; {data} stands for the sample data folder
     * (data=), {tmp} for the temporary folder ($TMPDIR, else /tmp: a
     * figure of this run's timings is written there). NULL: a note only (a
     * step the published pipeline has and quarry has no command for yet):
     * why is printed, nothing runs.
     */
    const char *run;
    const char *why; /* one sentence: what the step does and why */
};

/*
 * A timed step: the wall-clock seconds its statement took are then written
 * to the table into, (store TEXT, rows INTEGER, seconds REAL), by a
 * statement run as typed,
 *   INSERT INTO into VALUES ('quarry (this run)', rows, seconds)
 * so the history holds the time measured and a replay of it rebuilds the
 * same table.
 */
struct demo_timing {
    int step;         /* 1-based */
    const char *into;
    long long rows;   /* the data volume the step's statement reads */
};

struct demo {
    const char *name;    /* demo NAME */
    const char *method;  /* the section of docs/METHODS.md it reproduces: "A" */
    const char *title;   /* one line */
    const char *prefix;  /* every table the demo makes starts with it */
    const struct demo_step *steps;
    int n_steps;
    const struct demo_timing *timed; /* its timed steps, or NULL */
    int n_timed;
};

/* The demos, in the order `demo` lists them (and of their names in the spec). */
extern const struct demo demo_list[];
extern const int demo_count;

#endif
