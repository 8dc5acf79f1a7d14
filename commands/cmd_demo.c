/*
 * cmd_demo.c: `demo`, the published pipelines of docs/METHODS.md replayed
 * step by step on the sample data (issue 21).
 *
 * A demo is data (cmd_demo_steps.c): statements and one sentence each on
 * why. Each step runs through cmd_run, as if typed: its own savepoint, its
 * own line in the history (so `history save` writes the steps, which
 * replay to the same catalog, and undo takes them back one at a time);
 * demo itself is never saved in a script. Where the front end can ask (the
 * TUI's prompt) and fast=no, one step runs per statement and the front end
 * asks for Enter before the next (res->confirm, answered by running
 * `demo NAME step=N+1`); plain mode and fast=yes run straight through.
 * A timed step (cmd_demo.h, demo_timing) is followed by an INSERT of its
 * wall-clock seconds, run as typed, so the history holds the time.
 */
#include "kit.h"
#include "cmd_demo.h"
#include "cmd_report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/banned.h"

static const char *const demo_names[] = {"segments-forecast", "behaviour", "purchase", "survey",
                                         "marketing"};

static const struct arg_spec cmd_demo_args[] = {
    {.name = "NAME", .positional = 1, .type = ARG_ENUM,
     .choices = "segments-forecast|behaviour|purchase|survey|marketing", ARG_NAMES(demo_names),
     .help = "The demo to run (without it, demo lists them).", .comp = COMP_CHOICES},
    {.name = "fast", .type = ARG_BOOL, .def = "no",
     .help = "yes: run every step straight through, without waiting for Enter in the "
             "full-screen front end (plain mode never waits).",
     .comp = COMP_NONE},
    {.name = "step", .type = ARG_INT, .def = "1", .min = 1, .max = 1000,
     .help = "Start at this step (the earlier steps' tables must exist); Enter in the "
             "full-screen front end runs the next step this way.",
     .comp = COMP_NONE},
    {.name = "data", .type = ARG_PATH, .def = "sample-data",
     .help = "The folder that holds the sample data (customers.csv, orders.csv, ...).",
     .comp = COMP_FILES},
    {0},
};

static const struct demo *
demo_find(const char *name)
{
    for (int i = 0; i < demo_count; i++)
        if (strcmp(demo_list[i].name, name) == 0)
            return &demo_list[i];
    return NULL;
}

/* `demo` alone: the demos, one row each. */
static int
list_demos(struct cmd_result *res)
{
    static const char *const cols[] = {"demo", "method", "steps", "what it replays"};
    struct rtable *t = result_table(res, 4, cols);
    for (int i = 0; i < demo_count; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, demo_list[i].name, 0);
        rtable_set(t, r, 1, demo_list[i].method, 0);
        rtable_setf(t, r, 2, 1, "%d", demo_list[i].n_steps);
        rtable_set(t, r, 3, demo_list[i].title, 0);
    }
    result_text(res, "demo NAME replays one step by step (fast=yes: straight through); "
                     "explain demo says more");
    return 0;
}

/* The statement of a step with {data} replaced by the data folder, {tmp} by the temporary one. */
static char *
step_text(const char *run, const char *data)
{
    struct buf b = BUF_INIT;
    const char *tmp = getenv("TMPDIR");
    for (const char *p = run; *p;) {
        if (strncmp(p, "{data}", 6) == 0) {
            buf_adds(&b, data);
            p += 6;
        } else if (strncmp(p, "{tmp}", 5) == 0) {
            buf_adds(&b, tmp && *tmp == '/' ? tmp : "/tmp");
            p += 5;
        } else {
            buf_addc(&b, *p++);
        }
    }
    return buf_detach(&b);
}

/* Move the items of sub to the end of res (sub keeps none). */
static void
take_items(struct cmd_result *res, struct cmd_result *sub)
{
    if (sub->n_items == 0)
        return;
    if (res->n_items + sub->n_items > res->cap_items) {
        int cap = res->cap_items ? res->cap_items : 16;
        while (cap < res->n_items + sub->n_items)
            cap *= 2;
        res->items = xrealloc(res->items, (size_t)cap * sizeof *res->items);
        res->cap_items = cap;
    }
    memcpy(res->items + res->n_items, sub->items, (size_t)sub->n_items * sizeof *sub->items);
    res->n_items += sub->n_items;
    sub->n_items = 0;
}

/* A step's own tables exist already: the demo ran here before (step 1 only). */
static int
ran_before(struct cmd_ctx *ctx, const struct demo *d, struct qerr *err)
{
    char **names;
    int n, found = -1;
    cmd_table_names(ctx, 0, &names, &n);
    for (int i = 0; i < n && found < 0; i++)
        if (strncmp(names[i], d->prefix, strlen(d->prefix)) == 0)
            found = i;
    if (found >= 0) {
        qerr_set(err, QE_ARG, "demo %s has run here already: table '%s' exists", d->name,
                 names[found]);
        qerr_hint(err, "its tables all start with %s: drop them, or open a fresh workspace, to "
                       "run it again (undo takes the steps back one by one)",
                  d->prefix);
    }
    cmd_free_names(names, n);
    return found >= 0 ? -1 : 0;
}

/* Run step i (0-based) of d: its heading, the statement through cmd_run, its result. */
static int
run_step(struct cmd_ctx *ctx, const struct demo *d, int i, const char *data,
         struct cmd_result *res, struct qerr *err)
{
    const struct demo_step *s = &d->steps[i];
    result_text(res, "[%s %d/%d] %s", d->name, i + 1, d->n_steps, s->why);
    if (!s->run) {
        result_text(res, "  (no statement: quarry has no command for this step yet)");
        return 0;
    }
    char *stmt = step_text(s->run, data);
    result_text(res, "  > %s", stmt);
    struct cmd_result sub;
    result_init(&sub);
    /* The step goes into report's log as if typed, with its figures (demo itself is
     * left out of the log): run it as the outermost statement. */
    int depth = report_log_steps_begin(ctx);
    int rc = cmd_run(ctx, stmt, &sub, err);
    report_log_steps_end(ctx, depth);
    take_items(res, &sub);
    res->changed |= sub.changed;
    if (rc < 0) {
        err->pos = -1; /* it points into the step, not into demo */
        qerr_hint(err, "demo %s stopped at step %d of %d; the steps before it stay done (demo %s "
                       "step=%d tries it again)",
                  d->name, i + 1, d->n_steps, d->name, i + 1);
    }
    result_release(&sub);
    free(stmt);
    return rc;
}

/* Now, in seconds, on the monotonic clock. */
static double
demo_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * After step i took secs, when it is a timed one (cmd_demo.h): its row
 * of the timing's table, by a statement run as typed (the history holds
 * the time, so a replay rebuilds the table); the line printed names the
 * row, not the time, which differs from run to run.
 */
static int
record_time(struct cmd_ctx *ctx, const struct demo *d, int i, double secs,
            struct cmd_result *res, struct qerr *err)
{
    const struct demo_timing *tm = NULL;
    for (int k = 0; k < d->n_timed; k++)
        if (d->timed[k].step == i + 1)
            tm = &d->timed[k];
    if (!tm)
        return 0;
    struct buf q = BUF_INIT;
    buf_addf(&q, "INSERT INTO %s VALUES ('quarry (this run)', %lld, %.9g)", tm->into, tm->rows,
             secs > 0 ? secs : 1e-9);
    result_text(res, "  > INSERT INTO %s VALUES ('quarry (this run)', %lld, the seconds it "
                     "took)",
                tm->into, tm->rows);
    struct cmd_result sub;
    result_init(&sub);
    int rc = cmd_run(ctx, q.data, &sub, err);
    res->changed |= sub.changed;
    if (rc < 0)
        qerr_hint(err, "demo %s stopped at step %d of %d (demo %s step=%d tries it again)",
                  d->name, i + 1, d->n_steps, d->name, i + 1);
    result_release(&sub);
    buf_release(&q);
    return rc;
}

static int
cmd_demo_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    if (!args_given(args, "NAME"))
        return list_demos(res);
    const struct demo *d = demo_find(args_str(args, "NAME"));
    int from = (int)args_int(args, "step") - 1;
    const char *data = args_str(args, "data");
    if (!d)
        return qerr_set(err, QE_INTERNAL, "demo %s has no steps", args_str(args, "NAME"));
    if (from >= d->n_steps) {
        qerr_set(err, QE_ARG, "demo %s has %d steps", d->name, d->n_steps);
        return kit_fail_at(args, "step", err);
    }
    if (from == 0 && ran_before(ctx, d, err) < 0)
        return -1;
    if (from == 0)
        result_text(res, "demo %s: docs/METHODS.md %s, %s (%d steps; its tables start with %s)",
                    d->name, d->method, d->title, d->n_steps, d->prefix);
    int wait = ctx->can_ask && !args_int(args, "fast");
    int last = wait ? from + 1 : d->n_steps;
    for (int i = from; i < last; i++) {
        double t0 = demo_clock();
        if (run_step(ctx, d, i, data, res, err) < 0)
            return -1;
        double secs = demo_clock() - t0;
        if (record_time(ctx, d, i, secs, res, err) < 0)
            return -1;
    }
    if (last < d->n_steps) {
        struct buf q = BUF_INIT;
        buf_addf(&q, "Enter: step %d of %d (any other key stops) ", last + 1, d->n_steps);
        res->confirm = buf_detach(&q);
        res->confirm_enter = 1;
        buf_addf(&q, "demo %s step=%d", d->name, last + 1);
        if (args_given(args, "data")) {
            buf_adds(&q, " data='");
            for (const char *p = data; *p; p++)
                buf_add(&q, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
            buf_addc(&q, '\'');
        }
        res->confirm_stmt = buf_detach(&q);
        return 0;
    }
    result_text(res, "demo %s done: %d steps, each in the history as typed (undo takes them "
                     "back one at a time; history save writes them as a script)",
                d->name, d->n_steps);
    return 0;
}

const struct cmd_entry cmd_demo_entry = {
    .name = "demo",
    .family = "help",
    .synopsis = "demo [NAME] [fast=yes] [step=1] [data=sample-data]",
    .help = "Replay a published pipeline of docs/METHODS.md on the sample data, step by "
            "step: each step prints the statement it runs and one sentence on why, runs it "
            "as if typed (its own line in the history, its own undo level) and shows its "
            "result, a table or a plot in the terminal. In the full-screen front end the "
            "next step waits for Enter (any other key stops; demo NAME step=N goes on from "
            "step N); plain mode and fast=yes run straight through. Each demo ends with "
            "quarry's figures beside the published ones. Without NAME, demo lists them: "
            "segments-forecast (A: RFM-style features, k-means k=4 and k=5, naive Bayes, a "
            "1-D CNN forecast of each segment's monthly value with intervals and its "
            "figures), behaviour (B: behaviour types, rules between behaviour items, cosine "
            "similarity, clustering, a wavelet network), purchase (C: RNN against logistic "
            "regression, tree and rules), survey (D: k-means and DBSCAN, Apriori and "
            "FP-Growth, item CF top-N) and marketing (E: six customer groups, the sales "
            "trend, query time against data volume). A demo's tables start with its own "
            "prefix (sf_, bh_, pu_, sv_, mk_); one that ran already is refused. The networks "
            "train few epochs so a demo takes seconds.",
    .example = "demo segments-forecast fast=yes",
    .args = cmd_demo_args,
    .flags = CMD_NO_SAVEPOINT | CMD_NOT_RECORDED,
    .exec = cmd_demo_exec,
};
