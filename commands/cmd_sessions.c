/*
 * cmd_sessions.c: `sessions EVENTS user=COL time=COL event=COL [gap=30m] as
 * NAME`: per-user event counts, sessions, behaviour type and customer
 * groups (src/prep/sessions.h), written as a new table.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/sessions.h"
#include "remote.h"

#include "base/banned.h"

static const struct arg_spec cmd_sessions_args[] = {
    {.name = "EVENTS", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The event log: one row per event.", .comp = COMP_TABLES},
    {.name = "user", .type = ARG_COLUMN, .required = 1,
     .help = "The column naming the user (customer) of each event.", .comp = COMP_COLUMNS},
    {.name = "time", .type = ARG_COLUMN, .required = 1,
     .help = "The event timestamp (ISO 8601 text); unparseable ones are skipped and counted "
             "(clean dates=COL converts other formats first).",
     .comp = COMP_COLUMNS},
    {.name = "event", .type = ARG_COLUMN, .required = 1,
     .help = "The event kind: view, cart, wishlist or purchase (other names count toward "
             "sessions only).",
     .comp = COMP_COLUMNS},
    {.name = "gap", .type = ARG_DURATION, .def = "30m",
     .help = "A longer pause between two events of a user starts a new session (s, m, h or "
             "d)."},
    KIT_REPLACE_ARG,
    {0},
};

enum { S_VIEWS, S_CARTS, S_WISH, S_BUYS, S_SESS, S_BROWSE, S_PSESS, S_LEN, S_RATE, S_VPB,
       S_BPM, S_PEAK, S_BEHAV, S_GROUPS, S_N = S_GROUPS + SESSIONS_N_GROUPS };

void
cmd_sessions_summary(struct cmd_result *res, const struct sessions_out *o, const char *other)
{
    static const char *const types[] = {"simple", "deterministic", "habitual",
                                        "preference-driven"};
    int nt[4] = {0};
    for (int i = 0; i < o->n; i++)
        for (int j = 0; j < 4; j++)
            nt[j] += strcmp(o->behaviour[i], types[j]) == 0;
    result_text(res, "behaviour: %d simple, %d deterministic, %d habitual, %d preference-driven",
                nt[0], nt[1], nt[2], nt[3]);
    struct buf b = BUF_INIT;
    for (int g = 0; g < SESSIONS_N_GROUPS; g++) {
        int c = 0;
        for (int i = 0; i < o->n; i++)
            c += o->group[g][i] > 0;
        buf_addf(&b, "%s%s %d", g ? ", " : "", sessions_group_names[g], c);
        if (o->threshold[g] > 0)
            buf_addf(&b, " (>= %.4g)", o->threshold[g]);
    }
    result_text(res, "groups: %s", b.data);
    buf_release(&b);
    struct kit_skips sk = {0};
    kit_skip(&sk, o->counts.n_no_user, "without a user");
    kit_skip(&sk, o->counts.n_bad_time, "without a parseable time");
    kit_skip(&sk, o->counts.n_no_event, "without an event");
    kit_skips_report(res, &sk);
    if (o->n_other)
        result_text(res, "%lld event%s of other kinds (e.g. '%s') count toward sessions only",
                    o->n_other, kit_plural(o->n_other), other ? other : "?");
}

/* What a statement builds: the engine's input and output and the arrays behind them. */
struct job {
    struct kit_dated dd;
    struct groups g;
    struct sessions_in in;
    struct sessions_out o;
    signed char *kind;
    const char *other; /* an event name of another kind, or NULL */
};

int
cmd_read_event_log(struct cmd_ctx *ctx, const struct cmd_args *args, const char *what,
                   const char *const *cols, int n, struct kit_dated *dd, signed char **kind,
                   const char **other, struct groups *g, struct qerr *err)
{
    const char *table = args_str(args, "EVENTS");
    if (kit_read_dated(ctx, args, table, cols, n, "time", dd, err) < 0)
        return -1;
    const struct frame *f = dd->f;
    if (f->n_rows == 0)
        return qerr_set(err, QE_DATA, "table '%s' has no rows; %s needs an event log", table,
                        what);
    if (f->kind[1] != FRAME_TEXT) {
        qerr_set(err, QE_ARG, "column '%s' holds numbers; event= needs the event name (view, "
                 "cart, wishlist, purchase)", f->names[1]);
        return kit_fail_at(args, "event", err);
    }
    *kind = xmalloc((size_t)f->n_rows + 1);
    if (sessions_kinds(f->levels[1], f->n_levels[1], f->code[1], f->n_rows, *kind, other,
                       err) < 0 ||
        groups_init(g, f, 0, kit_progress, ctx, err) < 0)
        return -1;
    return 0;
}

/* Read users, times and event kinds into j->in. */
static int
read_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, struct qerr *err)
{
    const char *cols[2] = {args_str(args, "user"), args_str(args, "event")};
    if (cmd_read_event_log(ctx, args, "sessions", cols, 2, &j->dd, &j->kind, &j->other, &j->g,
                           err) < 0)
        return -1;
    const struct frame *f = j->dd.f;
    j->in.n_rows = f->n_rows;
    j->in.user = j->g.id;
    j->in.n_users = j->g.n_groups;
    j->in.progress = kit_progress;
    j->in.pctx = ctx;
    j->in.t = j->dd.t;
    j->in.kind = j->kind;
    return 0;
}

int
cmd_sessions_columns(const struct sessions_out *o, struct frame_out *outs)
{
    static const char *const names[S_N] = {
        "views", "carts", "wishlists", "purchases", "sessions", "browse_sessions",
        "purchase_sessions", "session_seconds", "cart_to_purchase", "views_per_browse",
        "browse_per_month", "peak_hour_share", "behaviour"};
    const double *vals[S_BEHAV] = {o->count[0], o->count[1], o->count[2], o->count[3],
                                   o->sessions, o->browse_sessions, o->purchase_sessions,
                                   o->session_seconds, o->cart_to_purchase,
                                   o->views_per_browse, o->browse_per_month, o->peak_hour_share};
    for (int i = 0; i < S_BEHAV; i++)
        outs[i] = (struct frame_out){
            .name = names[i], .decl = i < S_LEN ? CATALOG_INTEGER : CATALOG_REAL,
            .num = vals[i]};
    outs[S_BEHAV] = (struct frame_out){.name = names[S_BEHAV], .decl = CATALOG_TEXT,
                                       .text = o->behaviour};
    for (int i = 0; i < SESSIONS_N_GROUPS; i++)
        outs[S_GROUPS + i] = (struct frame_out){
            .name = sessions_group_names[i], .decl = CATALOG_INTEGER, .num = o->group[i]};
    return S_N;
}

/* The table: the user column under its own name, the statistics, behaviour and groups. */
static int
write_sessions(struct cmd_ctx *ctx, const struct cmd_args *args, const struct job *j,
               struct qerr *err)
{
    const struct sessions_out *o = &j->o;
    const struct frame *f = j->dd.f;
    struct frame_out outs[1 + S_N];
    void *keys = NULL;
    if (groups_out(&j->g, o->user, o->n, f->names[0], f->decl[0], &outs[0], &keys, err) < 0)
        return -1;
    cmd_sessions_columns(o, outs + 1);
    int rc = kit_side_table(ctx, args, args->as, outs, 1 + S_N, o->n, err);
    free(keys);
    return rc;
}

static int
cmd_sessions_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    struct job j = {.in = {.gap = args_real(args, "gap")}};
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (remote_named(args_str(args, "EVENTS")) && !catalog_has_table(ctx->cat, args_str(args, "EVENTS")))
        return remote_sessions(ctx, args, res, err); /* pushed down to PostgreSQL (remote.h) */
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (read_input(ctx, args, &j, err) < 0)
        goto out;
    if (sessions_compute(&j.in, &j.o, err) < 0) {
        kit_dated_hint(&j.dd, err);
        goto out;
    }
    if (write_sessions(ctx, args, &j, err) < 0)
        goto out;
    const struct sessions_out *o = &j.o;
    double n_sess = 0;
    for (int i = 0; i < o->n; i++)
        n_sess += o->sessions[i];
    result_text(res, "sessions: %d user%s, %lld event%s, %.0f session%s (gap %s) into '%s'; "
                "the log spans %.1f days (%.2f months)",
                o->n, kit_plural(o->n), o->counts.n_events, kit_plural(o->counts.n_events), n_sess,
                n_sess == 1 ? "" : "s", args_str(args, "gap"), args->as, o->months * 30.4375,
                o->months);
    cmd_sessions_summary(res, o, j.other);
    if (j.dd.bad_example)
        result_text(res, "unparseable times look like '%s'", j.dd.bad_example);
    rc = 0;
out:
    free(j.kind);
    sessions_out_release(&j.o);
    groups_release(&j.g);
    kit_dated_release(&j.dd);
    return rc;
}

const struct cmd_entry cmd_sessions_entry = {
    .name = "sessions",
    .family = "preprocessing",
    .synopsis = "sessions EVENTS user=COL time=COL event=COL [gap=30m] [replace=yes] as NAME",
    .help = "Per-user statistics of an event log, one row per user: views, carts, wishlists "
            "and purchases (event names compared case-insensitively; addtocart and "
            "transaction are understood too), sessions (a user's events in time order, a new "
            "session after a pause longer than gap), browse_sessions (sessions without a "
            "purchase), session_seconds (mean time from a session's first event to its last), "
            "cart_to_purchase (purchase events / cart events; NULL without carts), "
            "purchase_sessions, views_per_browse (views in browsing sessions per browsing "
            "session), "
            "browse_per_month (browsing sessions per month of the whole log's span: days / "
            "30.4375, at least one day), peak_hour_share (the largest share of purchase "
            "sessions starting in one hour of the day; NULL without any), behaviour, "
            "and the six customer groups as 0/1 columns: transacted, carted, wishlisted, and "
            "high_turnover, many_carts, many_wishlists for users whose purchase, cart or "
            "wishlist count is at least the upper quartile of the positive counts. Behaviour "
            "is the first rule that holds: preference-driven if at least 2 wishlist events "
            "and wishlists >= 0.10 x views; deterministic if no browsing session or one view "
            "per browsing session; habitual if views_per_browse < 1.8 and browse_per_month < "
            "1.75, or at least 3 purchase sessions with >= 60% starting in the same hour of "
            "the day and views_per_browse < 2.2; simple otherwise. A table NAME that exists "
            "already is refused unless replace=yes.",
    .example = "sessions events user=customer_id time=ts event=event as s",
    .args = cmd_sessions_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_sessions_exec,
};
