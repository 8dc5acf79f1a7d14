/*
 * sessions.c: `sessions EVENTS user=COL time=COL event=COL [gap=30m] as
 * NAME`: per-user event counts, sessions, behaviour type and customer
 * groups (src/sessions.h), written as a new table.
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

#include "base/banned.h"

static const struct arg_spec sessions_args[] = {
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
    {.name = "gap", .type = ARG_TEXT, .def = "30m",
     .help = "A longer pause between two events of a user starts a new session (s, m, h or "
             "d)."},
    {0},
};

enum { S_VIEWS, S_CARTS, S_WISH, S_BUYS, S_SESS, S_BROWSE, S_PSESS, S_LEN, S_RATE, S_VPB,
       S_BPM, S_PEAK, S_BEHAV, S_GROUPS, S_N = S_GROUPS + SESSIONS_N_GROUPS };

static void
summarise(struct cmd_result *res, const struct sessions_out *o, const char *other)
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
    long long sk = o->n_no_user + o->n_bad_time + o->n_no_event;
    if (sk) {
        struct buf s = BUF_INIT;
        if (o->n_no_user)
            buf_addf(&s, ", %lld without a user", o->n_no_user);
        if (o->n_bad_time)
            buf_addf(&s, ", %lld without a parseable time", o->n_bad_time);
        if (o->n_no_event)
            buf_addf(&s, ", %lld without an event", o->n_no_event);
        result_text(res, "skipped %lld row%s: %s", sk, kit_plural(sk), s.data + 2);
        buf_release(&s);
    }
    if (o->n_other)
        result_text(res, "%lld event%s of other kinds (e.g. '%s') count toward sessions only",
                    o->n_other, kit_plural(o->n_other), other ? other : "?");
}

static int
cmd_sessions_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "EVENTS");
    const char *cols[2] = {args_str(args, "user"), args_str(args, "event")};
    const char *name = args->as;
    struct frame *f = NULL;
    struct kit_dated dd = {0};
    struct groups g = {0};
    struct sessions_out o = {0};
    signed char *kind = NULL;
    void *keys = NULL;
    int rc = -1;

    struct sessions_in in = {0};
    const char *gap = args_str(args, "gap");
    if (datetime_duration(gap, &in.gap) < 0) {
        qerr_set(err, QE_ARG, "gap must be a duration such as 30m, 90s, 2h or 1d, not '%s'", gap);
        err->pos = args_get(args, "gap")->pos;
        return -1;
    }
    if (kit_read_dated(ctx, args, table, cols, 2, "time", &dd, err) < 0)
        goto out;
    f = dd.f;
    if (f->n_rows == 0) {
        qerr_set(err, QE_DATA, "table '%s' has no rows; sessions needs an event log", table);
        goto out;
    }
    if (f->kind[1] != FRAME_TEXT) {
        qerr_set(err, QE_ARG, "column '%s' holds numbers; event= needs the event name (view, "
                 "cart, wishlist, purchase)", f->names[1]);
        err->pos = args_get(args, "event")->pos;
        goto out;
    }
    /* the kind of each level once, then per row */
    const char *other = NULL;
    int nl = f->n_levels[1];
    signed char *lk = xmalloc((size_t)nl + 1);
    for (int i = 0; i < nl; i++) {
        lk[i] = (signed char)sessions_kind(f->levels[1][i]);
        if (lk[i] == SESSIONS_OTHER && !other)
            other = f->levels[1][i];
    }
    kind = xmalloc((size_t)f->n_rows + 1);
    for (long long r = 0; r < f->n_rows; r++)
        kind[r] = f->code[1][r] >= 0 ? lk[f->code[1][r]] : -1;
    free(lk);
    if (groups_init(&g, f, 0, err) < 0)
        goto out;
    in.n_rows = f->n_rows;
    in.user = g.id;
    in.n_users = g.n_groups;
    in.t = dd.t;
    in.kind = kind;
    if (sessions_compute(&in, &o, err) < 0) {
        kit_dated_hint(&dd, err);
        goto out;
    }
    static const char *const names[S_N] = {
        "views", "carts", "wishlists", "purchases", "sessions", "browse_sessions",
        "purchase_sessions", "session_seconds", "cart_to_purchase", "views_per_browse",
        "browse_per_month", "peak_hour_share", "behaviour"};
    struct frame_out outs[1 + S_N];
    groups_out(&g, o.user, o.n, f->names[0], f->decl[0], &outs[0], &keys);
    const double *vals[S_BEHAV] = {o.count[0], o.count[1], o.count[2], o.count[3], o.sessions,
                                   o.browse_sessions, o.purchase_sessions, o.session_seconds,
                                   o.cart_to_purchase, o.views_per_browse, o.browse_per_month,
                                   o.peak_hour_share};
    for (int i = 0; i < S_BEHAV; i++)
        outs[1 + i] = (struct frame_out){
            .name = names[i], .decl = i < S_LEN ? CATALOG_INTEGER : CATALOG_REAL,
            .num = vals[i]};
    outs[1 + S_BEHAV] = (struct frame_out){.name = names[S_BEHAV], .decl = CATALOG_TEXT,
                                           .text = o.behaviour};
    for (int i = 0; i < SESSIONS_N_GROUPS; i++)
        outs[1 + S_GROUPS + i] = (struct frame_out){
            .name = sessions_group_names[i], .decl = CATALOG_INTEGER, .num = o.group[i]};
    for (int i = 1; i < 1 + S_N; i++)
        if (strcasecmp(outs[i].name, f->names[0]) == 0) {
            qerr_set(err, QE_ARG, "the user column may not be called '%s': sessions writes a "
                     "column of that name; rename it first", f->names[0]);
            goto out;
        }
    if (frame_write_new(ctx->cat, name, outs, 1 + S_N, o.n, err) < 0)
        goto out;
    double n_sess = 0;
    for (int i = 0; i < o.n; i++)
        n_sess += o.sessions[i];
    result_text(res, "sessions: %d user%s, %lld event%s, %.0f session%s (gap %s) into '%s'; "
                "the log spans %.1f days (%.2f months)",
                o.n, kit_plural(o.n), o.n_events, kit_plural(o.n_events), n_sess,
                n_sess == 1 ? "" : "s", gap, name, o.months * 30.4375, o.months);
    summarise(res, &o, other);
    if (dd.bad_example)
        result_text(res, "unparseable times look like '%s'", dd.bad_example);
    rc = 0;
out:
    free(keys);
    free(kind);

    sessions_out_release(&o);
    groups_release(&g);
    kit_dated_release(&dd);
    return rc;
}

const struct cmd_entry cmd_sessions_entry = {
    .name = "sessions",
    .family = "preprocessing",
    .synopsis = "sessions EVENTS user=COL time=COL event=COL [gap=30m] as NAME",
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
            "the day and views_per_browse < 2.2; simple otherwise.",
    .example = "sessions events user=customer_id time=ts event=event as s",
    .args = sessions_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_sessions_exec,
};
