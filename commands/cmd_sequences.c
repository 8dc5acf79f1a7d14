/*
 * cmd_sequences.c: `sequences EVENTS user=COL time=COL event=COL [item=COL]
 * [until=DATE] [target=purchase] [horizon=7d] [maxlen=50] [window=30d]
 * [holdout=no] as NAME`: each user's log cut in time into a token
 * sequence, flat features and a label (src/prep/sequences.h), written as
 * one table that the sequence classifiers (train model=lstm) and the
 * others (logreg, tree, nb, forest) read alike.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/sequences.h"
#include "prep/sessions.h"

#include "base/banned.h"

/* The target= choices, by sessions.h's event kinds. */
static const char *const target_names[] = {[SESSIONS_VIEW] = "view", [SESSIONS_CART] = "cart",
                                           [SESSIONS_WISHLIST] = "wishlist",
                                           [SESSIONS_PURCHASE] = "purchase"};

static const struct arg_spec cmd_sequences_args[] = {
    {.name = "EVENTS", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The event log: one row per event.", .comp = COMP_TABLES},
    {.name = "user", .type = ARG_COLUMN, .required = 1,
     .help = "The column naming the user (customer) of each event.", .comp = COMP_COLUMNS},
    {.name = "time", .type = ARG_COLUMN, .required = 1,
     .help = "The event timestamp (ISO 8601 text); unparseable ones are skipped and counted.",
     .comp = COMP_COLUMNS},
    {.name = "event", .type = ARG_COLUMN, .required = 1,
     .help = "The event kind: view, cart, wishlist, purchase (as sessions reads them) or "
             "other.",
     .comp = COMP_COLUMNS},
    {.name = "item", .type = ARG_COLUMN,
     .help = "The product of each event: adds items, the distinct products in the window.",
     .comp = COMP_COLUMNS},
    {.name = "until", .type = ARG_DATE,
     .help = "The cut: features see only events before it, the label only the horizon after "
             "it (default: the day of the last event minus horizon, so the horizon fits).",
     .comp = COMP_NONE},
    {.name = "target", .type = ARG_ENUM, .def = "purchase",
     .choices = "view|cart|wishlist|purchase", ARG_NAMES(target_names),
     .help = "The event the label looks for after the cut.", .comp = COMP_CHOICES},
    {.name = "horizon", .type = ARG_DURATION, .def = "7d",
     .help = "How long after the cut the target event counts (s, m, h or d)."},
    {.name = "window", .type = ARG_DURATION, .def = "30d",
     .help = "How far back before the cut the sequence and the counts look."},
    {.name = "maxlen", .type = ARG_INT, .def = "50", .min = 1, .max = SEQUENCES_MAXLEN,
     .help = "The sequence's length: the last maxlen events of the window, left-padded "
             "with 0.",
     .comp = COMP_NONE},
    {.name = "holdout", .type = ARG_BOOL, .def = "no",
     .help = "yes: two rows per user, a train row cut at until - horizon and a test row cut "
             "at until, in a split column (train reads the train rows).",
     .comp = COMP_CHOICES},
    {.name = "gap", .type = ARG_DURATION, .def = "30m",
     .help = "The session gap of the behaviour type (as sessions)."},
    KIT_REPLACE_ARG,
    {0},
};

/* seconds as "YYYY-MM-DD", or with the time of day when it has one */
static void
fmt_time(double t, char *out, int size)
{
    long long day = datetime_day_of(t);
    char d[24];
    datetime_format(day, d, sizeof d);
    int s = (int)(t - (double)day * DATETIME_DAY) % 86400;
    if (s <= 0)
        snprintf(out, (size_t)size, "%.16s", d);
    else
        snprintf(out, (size_t)size, "%.16sT%02d:%02d:%02d", d, s / 3600, s / 60 % 60, s % 60);
}

struct job {
    struct kit_dated dd;
    struct groups g, gi;
    struct sequences_in in;
    struct sequences_out o;
    signed char *kind;
    const char *other;
};

static int
read_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, struct qerr *err)
{
    const char *cols[3] = {args_str(args, "user"), args_str(args, "event"),
                           args_given(args, "item") ? args_str(args, "item") : NULL};
    int n = cols[2] ? 3 : 2;
    if (cmd_read_event_log(ctx, args, "sequences", cols, n, &j->dd, &j->kind, &j->other, &j->g,
                           err) < 0)
        return -1;
    const struct frame *f = j->dd.f;
    if (n == 3 && groups_init(&j->gi, f, 2, kit_progress, ctx, err) < 0)
        return -1;
    j->in.n_rows = f->n_rows;
    j->in.user = j->g.id;
    j->in.n_users = j->g.n_groups;
    j->in.t = j->dd.t;
    j->in.kind = j->kind;
    j->in.item = n == 3 ? j->gi.id : NULL;
    j->in.progress = kit_progress;
    j->in.pctx = ctx;
    return 0;
}

enum { O_LABEL, O_VIEWS, O_CARTS, O_WISH, O_BUYS, O_OTHERS, O_EVENTS, O_ITEMS, O_DAYS,
       O_RECENCY, O_TENURE, O_N };

static int
write_table(struct cmd_ctx *ctx, const struct cmd_args *args, const struct job *j,
            struct qerr *err)
{
    static const char *const names[O_N] = {"label", "views", "carts", "wishlists",
                                           "purchases", "others", "events", "items",
                                           "active_days", "recency_days", "tenure_days"};
    const struct sequences_out *o = &j->o;
    const double *vals[O_N] = {o->label, o->count[0], o->count[1], o->count[2], o->count[3],
                               o->count[4], o->events, o->items, o->active_days,
                               o->recency_days, o->tenure_days};
    int m = o->maxlen, width = m >= 100 ? (m >= 1000 ? 4 : 3) : 2, n = 0, rc = -1;
    struct frame_out *outs = xcalloc((size_t)(4 + O_N + m), sizeof *outs);
    char (*seqname)[16] = xcalloc((size_t)m, sizeof *seqname);
    const char **split = NULL;
    void *keys = NULL;
    if (groups_out(&j->g, o->user, o->n, j->dd.f->names[0], j->dd.f->decl[0], &outs[n++],
                   &keys, err) < 0)
        goto out;
    if (o->n_cuts == 2) {
        split = xcalloc((size_t)o->n + 1, sizeof *split);
        for (long long r = 0; r < o->n; r++)
            split[r] = o->test[r] ? "test" : "train";
        outs[n++] = (struct frame_out){.name = "split", .decl = CATALOG_TEXT, .text = split};
    }
    long long others = 0;
    for (long long r = 0; r < o->n; r++)
        others += o->count[SEQ_OTHERS][r] > 0;
    for (int i = 0; i < O_N; i++) {
        if ((i == O_OTHERS && !others) || (i == O_ITEMS && !o->items))
            continue;
        outs[n++] = (struct frame_out){
            .name = names[i], .decl = i >= O_RECENCY ? CATALOG_REAL : CATALOG_INTEGER,
            .num = vals[i]};
    }
    outs[n++] = (struct frame_out){.name = "behaviour", .decl = CATALOG_TEXT,
                                   .text = o->behaviour};
    for (int k = 0; k < m; k++) {
        snprintf(seqname[k], sizeof seqname[k], "seq_%0*d", width, k + 1);
        outs[n++] = (struct frame_out){.name = seqname[k], .decl = CATALOG_INTEGER,
                                       .num = o->seq[k]};
    }
    rc = kit_side_table(ctx, args, args->as, outs, n, o->n, err);
out:
    free(keys);
    free(split);
    free(seqname);
    free(outs);
    return rc;
}

static void
report(struct cmd_result *res, const struct cmd_args *args, const struct job *j)
{
    const struct sequences_out *o = &j->o;
    char c0[40], c1[40], last[40];
    fmt_time(o->cut[0], c0, sizeof c0);
    fmt_time(o->cut[1], c1, sizeof c1);
    fmt_time(o->last, last, sizeof last);
    if (!args_given(args, "until"))
        result_text(res, "cut at %s: the last event (%s) minus horizon %s, to the day "
                         "(until= sets it)",
                    c1, last, args_str(args, "horizon"));
    long long n_test = 0;
    for (long long r = 0; r < o->n; r++)
        n_test += o->test[r];
    if (o->n_cuts == 2)
        result_text(res, "holdout: %lld train rows cut at %s (labels up to %s), %lld test "
                         "rows cut at %s", o->n - n_test, c0, c1, n_test, c1);
    result_text(res, "sequences: %lld row%s into '%s'; features from the %s before each cut, "
                     "label 1 when %s happens within %s after it: %lld row%s (%.1f%%)",
                o->n, kit_plural(o->n), args->as, args_str(args, "window"),
                args_str(args, "target"), args_str(args, "horizon"), o->n_positive,
                kit_plural(o->n_positive), 100.0 * (double)o->n_positive / (double)o->n);
    result_text(res, "seq_01..: the last %d events as tokens 1 + kind + 5 x gap (kind view 0, "
                     "cart 1, wishlist 2, purchase 3, other 4; gap to the event before <= 1h "
                     "0, <= 1d 1, <= 7d 2, else 3), 0 pads; explain sequences",
                o->maxlen);
    struct kit_skips sk = {0};
    kit_skip(&sk, o->counts.n_no_user, "without a user");
    kit_skip(&sk, o->counts.n_bad_time, "without a parseable time");
    kit_skip(&sk, o->counts.n_no_event, "without an event");
    kit_skips_report(res, &sk);
    if (j->other)
        result_text(res, "events of other kinds (e.g. '%s') are token kind 4 and counted in "
                         "others", j->other);
}

static int
cmd_sequences_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err)
{
    struct job j = {.in = {.cut = args_given(args, "until") ? args_real(args, "until") : NAN,
                           .horizon = args_real(args, "horizon"),
                           .window = args_real(args, "window"),
                           .maxlen = (int)args_int(args, "maxlen"),
                           .target = (int)args_choice(args, "target"),
                           .holdout = (int)args_int(args, "holdout"),
                           .gap = args_real(args, "gap")}};
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0 ||
        read_input(ctx, args, &j, err) < 0)
        goto out;
    if (sequences_compute(&j.in, &j.o, err) < 0) {
        kit_dated_hint(&j.dd, err);
        if (err->code == QE_DATA && args_given(args, "until") && !err->hint) {
            char c[40];
            fmt_time(args_real(args, "until"), c, sizeof c);
            qerr_hint(err, "the cut is %s (until=); the window looks back %s from it", c,
                      args_str(args, "window"));
        }
        goto out;
    }
    if (write_table(ctx, args, &j, err) < 0)
        goto out;
    report(res, args, &j);
    rc = 0;
out:
    free(j.kind);
    sequences_out_release(&j.o);
    groups_release(&j.g);
    groups_release(&j.gi);
    kit_dated_release(&j.dd);
    return rc;
}

const struct cmd_entry cmd_sequences_entry = {
    .name = "sequences",
    .family = "preprocessing",
    .synopsis = "sequences EVENTS user=COL time=COL event=COL [item=COL] [until=DATE] "
                "[target=purchase] [horizon=7d] [window=30d] [maxlen=50] [holdout=no] "
                "[gap=30m] [replace=yes] as NAME",
    .help = "Cut each user's event log at a point in time (until) for purchase prediction: "
            "one row per user with an event in the window before the cut; label is 1 when "
            "the user's target event happens within horizon after the cut, else 0. "
            "Strictly in time: every feature sees only events before the cut. The flat "
            "features, for any classifier: views, carts, wishlists, purchases (others, when "
            "the log has other kinds), events and active_days in the window, items (with "
            "item=), recency_days (since the last event before the cut), tenure_days (since "
            "the first) and behaviour (the sessions rule over the events before the cut). "
            "The sequence, for model=rnn|lstm|gru: seq_01 .. seq_NN, the last maxlen events "
            "of the window as tokens (1 + kind + 5 x gap bucket), left-padded with 0, so "
            "the latest event is the last column; the other models leave them out unless "
            "cols= names them. holdout=yes writes two rows per user in a split column: "
            "train cut at until - horizon, test cut at until, so a model is scored on a "
            "later period. explain sequences.",
    .example = "sequences events user=customer_id time=ts event=event as seqs",
    .args = cmd_sequences_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_sequences_exec,
};
