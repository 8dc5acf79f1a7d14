/*
 * sessions.c: rows are bucketed by user (a counting sort, stable), each
 * user's events sorted by time, then walked once to cut sessions and
 * count. The behaviour rule and the group cut-offs are documented in
 * sessions.h.
 */
#include "prep/sessions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "base/mem.h"
#include "base/tick.h"
#include "prep/event_log.h"
#include "base/banned.h"

const char *const sessions_group_names[SESSIONS_N_GROUPS] = {
    "high_turnover", "carted", "wishlisted", "transacted", "many_carts", "many_wishlists",
};

enum sessions_event
sessions_kind(const char *name)
{
    static const struct {
        const char *name;
        enum sessions_event kind;
    } names[] = {
        {"view", SESSIONS_VIEW},         {"pageview", SESSIONS_VIEW},
        {"cart", SESSIONS_CART},         {"addtocart", SESSIONS_CART},
        {"add_to_cart", SESSIONS_CART},  {"wishlist", SESSIONS_WISHLIST},
        {"addtowishlist", SESSIONS_WISHLIST}, {"add_to_wishlist", SESSIONS_WISHLIST},
        {"purchase", SESSIONS_PURCHASE}, {"transaction", SESSIONS_PURCHASE},
        {"order", SESSIONS_PURCHASE},    {"buy", SESSIONS_PURCHASE},
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].kind;
    return SESSIONS_OTHER;
}

const char *
sessions_behaviour(double views, double wishlists, double browse, double views_in_browse,
                   double months, double purchase_sessions, double peak_hour)
{
    /* preference: the planted type wishlists after 25% of browsing views, the others ~1% */
    if (wishlists >= 2 && wishlists >= 0.10 * views)
        return "preference-driven";
    /* deterministic: one view per browsing session, exactly */
    double vps = browse > 0 ? views_in_browse / browse : 0;
    if (browse == 0 || vps <= 1.0)
        return "deterministic";
    /* habitual: 1-2 views of favourites, 1.2 sessions a month, orders at a favourite hour */
    if (vps < 1.8 && browse / months < 1.75)
        return "habitual";
    if (purchase_sessions >= 3 && peak_hour >= 0.6 * purchase_sessions && vps < 2.2)
        return "habitual";
    return "simple";
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * Upper quartile (linear interpolation) of the positive values of
 * x[0..n-1] into *q, sorted in v (room for n values); -1 with err set
 * when t cancels or the sort's buffer does not fit.
 */
static int
upper_quartile(const double *x, int n, double *v, double *q, struct tick *t, struct qerr *err)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (x[i] > 0)
            v[k++] = x[i];
    *q = 0;
    if (k > 0) {
        if (tick_sort(v, (size_t)k, sizeof(*v), cmp_double, t, "sessions", err) < 0)
            return -1;
        double pos = 0.75 * (k - 1);
        int lo = (int)floor(pos);
        *q = lo + 1 < k ? v[lo] + (v[lo + 1] - v[lo]) * (pos - lo) : v[lo];
    }
    return 0;
}

void
sessions_out_release(struct sessions_out *o)
{
    free(o->user);
    for (int i = 0; i < 4; i++)
        free(o->count[i]);
    free(o->sessions);
    free(o->browse_sessions);
    free(o->session_seconds);
    free(o->cart_to_purchase);
    free(o->views_per_browse);
    free(o->browse_per_month);
    free(o->purchase_sessions);
    free(o->peak_hour_share);
    free(o->behaviour);
    for (int i = 0; i < SESSIONS_N_GROUPS; i++)
        free(o->group[i]);
    memset(o, 0, sizeof(*o));
}

static double *
new_col(int n, struct qerr *err)
{
    return mem_calloc((size_t)n + 1, sizeof(double), "sessions", "users' results", err);
}

int
sessions_out_alloc(struct sessions_out *o, int n, struct qerr *err)
{
    o->n = n;
    o->user = mem_alloc((size_t)n + 1, sizeof(*o->user), "sessions", "users' results", err);
    int ok = o->user != NULL;
    for (int i = 0; i < 4; i++)
        ok &= (o->count[i] = new_col(n, err)) != NULL;
    ok &= (o->sessions = new_col(n, err)) != NULL;
    ok &= (o->browse_sessions = new_col(n, err)) != NULL;
    ok &= (o->session_seconds = new_col(n, err)) != NULL;
    ok &= (o->cart_to_purchase = new_col(n, err)) != NULL;
    ok &= (o->views_per_browse = new_col(n, err)) != NULL;
    ok &= (o->browse_per_month = new_col(n, err)) != NULL;
    ok &= (o->purchase_sessions = new_col(n, err)) != NULL;
    ok &= (o->peak_hour_share = new_col(n, err)) != NULL;
    o->behaviour = mem_alloc((size_t)n + 1, sizeof(*o->behaviour), "sessions", "users' results",
                             err);
    ok &= o->behaviour != NULL;
    for (int i = 0; i < SESSIONS_N_GROUPS; i++)
        ok &= (o->group[i] = new_col(n, err)) != NULL;
    return ok ? 0 : -1;
}

void
sessions_set_user(struct sessions_out *o, int k, const double cnt[4], double n_sess,
                  double len_sum, double browse, double views_in_browse, double purchase_sess,
                  double peak)
{
    for (int j = 0; j < 4; j++)
        o->count[j][k] = cnt[j];
    o->sessions[k] = n_sess;
    o->browse_sessions[k] = browse;
    o->session_seconds[k] = len_sum / n_sess;
    o->cart_to_purchase[k] =
        cnt[SESSIONS_CART] > 0 ? cnt[SESSIONS_PURCHASE] / cnt[SESSIONS_CART] : NAN;
    o->views_per_browse[k] = browse > 0 ? views_in_browse / browse : NAN;
    o->browse_per_month[k] = browse / o->months;
    o->purchase_sessions[k] = purchase_sess;
    o->peak_hour_share[k] = purchase_sess > 0 ? peak / purchase_sess : NAN;
    o->behaviour[k] = sessions_behaviour(cnt[SESSIONS_VIEW], cnt[SESSIONS_WISHLIST], browse,
                                         views_in_browse, o->months, purchase_sess, peak);
}

/* The six groups of o's n users and the "many" cut-offs; scratch holds n values. */
static int
groups_of(struct sessions_out *o, double *scratch, struct tick *tk, struct qerr *err)
{
    int n = o->n;
    if (upper_quartile(o->count[SESSIONS_PURCHASE], n, scratch,
                       &o->threshold[SESSIONS_HIGH_TURNOVER], tk, err) < 0 ||
        upper_quartile(o->count[SESSIONS_CART], n, scratch, &o->threshold[SESSIONS_MANY_CARTS],
                       tk, err) < 0 ||
        upper_quartile(o->count[SESSIONS_WISHLIST], n, scratch,
                       &o->threshold[SESSIONS_MANY_WISHLISTS], tk, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        double p = o->count[SESSIONS_PURCHASE][i], c = o->count[SESSIONS_CART][i],
               w = o->count[SESSIONS_WISHLIST][i];
        o->group[SESSIONS_TRANSACTED][i] = p > 0;
        o->group[SESSIONS_CARTED][i] = c > 0;
        o->group[SESSIONS_WISHLISTED][i] = w > 0;
        o->group[SESSIONS_HIGH_TURNOVER][i] = p > 0 && p >= o->threshold[SESSIONS_HIGH_TURNOVER];
        o->group[SESSIONS_MANY_CARTS][i] = c > 0 && c >= o->threshold[SESSIONS_MANY_CARTS];
        o->group[SESSIONS_MANY_WISHLISTS][i] =
            w > 0 && w >= o->threshold[SESSIONS_MANY_WISHLISTS];
    }
    return 0;
}

int
sessions_groups(struct sessions_out *o, int (*progress)(void *pctx, double fraction), void *pctx,
                struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    double *scratch = new_col(o->n, err);
    int rc = scratch ? groups_of(o, scratch, &tk, err) : -1;
    free(scratch);
    return rc;
}

int
sessions_compute(const struct sessions_in *in, struct sessions_out *o, struct qerr *err)
{
    memset(o, 0, sizeof(*o));
    struct event_log lg;
    double *scratch = NULL;
    int rc = -1;
    struct tick tk;
    tick_init(&tk, in->progress, in->pctx);
    int built = event_log_build(in->user, in->t, in->kind, in->n_rows, in->n_users, "sessions",
                                &tk, &lg, err);
    o->counts = lg.n;
    if (built < 0)
        return -1;
    const long long *start = lg.start;
    const struct ev *ev = lg.ev;
    for (long long i = 0; i < lg.n.n_events; i++)
        o->n_other += in->kind[ev[i].row] == SESSIONS_OTHER;
    o->months = fmax(lg.t_hi - lg.t_lo, DATETIME_DAY) / (30.4375 * DATETIME_DAY);
    for (int u = 0; u < in->n_users; u++)
        o->n += start[u + 1] > start[u];
    int n = o->n;
    int ok = sessions_out_alloc(o, n, err) == 0;
    scratch = new_col(n, err);
    if (!ok || !scratch)
        goto out;

    int k = 0;
    for (int u = 0; u < in->n_users; u++) {
        if (start[u + 1] == start[u])
            continue;
        /* a clock read per user: a user's events may be many */
        if (tick(&tk, (double)u / (double)in->n_users))
            goto cancel;
        double cnt[5] = {0}, len_sum = 0, n_sess = 0, browse = 0, views_in_browse = 0;
        double purchase_sess = 0, hours[24] = {0};
        long long s0 = start[u];
        /* walk sessions: [s0, e) */
        while (s0 < start[u + 1]) {
            long long e = s0 + 1;
            while (e < start[u + 1] && ev[e].t - ev[e - 1].t <= in->gap)
                e++;
            double sc[5] = {0};
            for (long long i = s0; i < e; i++)
                sc[in->kind[ev[i].row]]++;
            for (int j = 0; j < 5; j++)
                cnt[j] += sc[j];
            n_sess++;
            len_sum += ev[e - 1].t - ev[s0].t;
            if (sc[SESSIONS_PURCHASE] > 0) {
                purchase_sess++;
                double sec = fmod(ev[s0].t, DATETIME_DAY);
                if (sec < 0)
                    sec += DATETIME_DAY;
                hours[(int)(sec / 3600) % 24]++;
            } else {
                browse++;
                views_in_browse += sc[SESSIONS_VIEW];
            }
            s0 = e;
        }
        double peak = 0;
        for (int h = 0; h < 24; h++)
            peak = fmax(peak, hours[h]);
        o->user[k] = u;
        sessions_set_user(o, k, cnt, n_sess, len_sum, browse, views_in_browse, purchase_sess,
                          peak);
        k++;
    }
    if (groups_of(o, scratch, &tk, err) < 0)
        goto out;
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    event_log_release(&lg);
    free(scratch);
    if (rc < 0)
        sessions_out_release(o);
    return rc;
}

int
sessions_kinds(char *const *levels, int n_levels, const int32_t *code, long long n_rows,
               signed char *kind, const char **other, struct qerr *err)
{
    signed char *lk = mem_alloc((size_t)n_levels, 1, "sessions", "event names", err);
    if (!lk)
        return -1;
    *other = NULL;
    for (int i = 0; i < n_levels; i++) {
        lk[i] = (signed char)sessions_kind(levels[i]);
        if (lk[i] == SESSIONS_OTHER && !*other)
            *other = levels[i];
    }
    for (long long r = 0; r < n_rows; r++)
        kind[r] = code[r] >= 0 ? lk[code[r]] : -1;
    free(lk);
    return 0;
}
