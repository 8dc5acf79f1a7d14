/*
 * cmd_recommend.c: the recommendation family. `recommend TABLE user=COL
 * item=COL [method=itemcf|rules|popular] ... as NAME` writes top-N lists,
 * `similar TABLE item=ITEM [user=COL]` (or user=COL item=COL of=ITEM) shows
 * the items most like one item, `evalrec TABLE user=COL item=COL ...` holds out each user's last
 * items and scores the methods side by side (src/recommend/).
 *
 * A job reads the user and item columns into a frame, numbers users and
 * items by key order (prep/groups.h) and builds the binary user x item
 * matrix; rules come from a rules table (antecedent, consequent,
 * confidence; items as text, comma-separated) mapped onto the item codes.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "prep/groups.h"
#include "recommend/itemcf.h"
#include "recommend/recmat.h"
#include "recommend/recmetrics.h"

#include "base/banned.h"

static const char *const method_names[] = {
    [REC_ITEMCF] = "itemcf", [REC_RULES] = "rules", [REC_POPULAR] = "popular"};
static const char *const exclude_names[] = {"seen", "none"};

#define ARG_USER_ITEM                                                                         \
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,                      \
     .help = "The log: one row per (user, item) event; repeats count once.",                 \
     .comp = COMP_TABLES},                                                                    \
    {.name = "user", .type = ARG_COLUMN, .required = 1,                                       \
     .help = "The column naming the user (customer, session, basket).",                      \
     .comp = COMP_COLUMNS},                                                                   \
    {.name = "item", .type = ARG_COLUMN, .required = 1,                                       \
     .help = "The column naming the item (product).", .comp = COMP_COLUMNS}

#define ARG_NEIGHBOURS(m)                                                                     \
    {.name = "neighbours", .type = ARG_INT, .def = "100", .min = 1, .max = 100000,            \
     .modes = (m),                                                                            \
     .help = "Item CF keeps this many most similar items per item (0 pruning when it is "     \
             "at least the number of items).", .comp = COMP_NONE}

/* What every statement of the family reads. */
struct job {
    struct frame *f;          /* user, item */
    struct frame *ft;         /* the time column, or NULL */
    struct groups gu, gi;
    struct rec_rules rules;
    int n_rules_skipped;      /* rules naming an item the log does not have */
};

static void
job_release(struct job *j)
{
    free(j->rules.aptr);
    free(j->rules.aitem);
    free(j->rules.cptr);
    free(j->rules.citem);
    free(j->rules.conf);
    groups_release(&j->gu);
    groups_release(&j->gi);
    if (j->ft)
        frame_release(j->ft);
    if (j->f)
        frame_release(j->f);
}

/* Read user and item (and time=, when given) of TABLE and number the keys. */
static int
job_read_cols(struct cmd_ctx *ctx, const struct cmd_args *args, const char *user,
              const char *item, struct job *j, int with_time, struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const char *cols[2] = {user, item};
    if (kit_read(ctx, table, cols, 2, 0, &j->f, err) < 0)
        return -1;
    if (j->f->n_rows == 0)
        return qerr_set(err, QE_DATA, "table '%s' has no rows", table);
    if (with_time && args_given(args, "time")) {
        const char *tc = args_str(args, "time");
        if (kit_read(ctx, table, &tc, 1, FRAME_TIMES, &j->ft, err) < 0)
            return -1;
    }
    if (groups_init(&j->gu, j->f, 0, kit_progress, ctx, err) < 0 ||
        groups_init(&j->gi, j->f, 1, kit_progress, ctx, err) < 0)
        return -1;
    return 0;
}

/* job_read_cols with the statement's user= and item= columns. */
static int
job_read(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, int with_time,
         struct qerr *err)
{
    return job_read_cols(ctx, args, args_str(args, "user"), args_str(args, "item"), j, with_time,
                         err);
}

/* The code of key text among g's keys (text by byte order, numbers by value), or -1. */
static int
key_code(const struct groups *g, const char *text)
{
    int lo = 0, hi = g->n_groups;
    if (g->is_text) {
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (strcmp(g->key_text[mid], text) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < g->n_groups && strcmp(g->key_text[lo], text) == 0 ? lo : -1;
    }
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end)
        return -1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->key_num[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n_groups && g->key_num[lo] == v ? lo : -1;
}

/* Cell (row, col) of a frame as text into b (text levels as they are, numbers %.15g). */
static const char *
cell_text(const struct frame *f, int col, long long row, char *b, size_t size)
{
    if (frame_missing(f, col, row))
        return NULL;
    if (f->kind[col] == FRAME_TEXT)
        return f->code[col][row] < 0 ? NULL : f->levels[col][f->code[col][row]];
    snprintf(b, size, "%.15g", frame_col(f, col)[row]);
    return b;
}

/* The code of text[a..b) trimmed of spaces among gi's keys, or -1; b scratch buffer. */
static int
piece_code(const struct groups *gi, const char *text, size_t a, size_t e, struct buf *b)
{
    while (a < e && text[a] == ' ')
        a++;
    while (e > a && text[e - 1] == ' ')
        e--;
    buf_reset(b);
    buf_add(b, text + a, e - a);
    return b->len ? key_code(gi, b->data) : -1;
}

/*
 * Append the codes of the comma-separated items of text to *a; 0, or 1 if
 * one is unknown. An item whose name holds a comma ('Tea, 40 bags') is
 * found by joining pieces: from each start, the shortest run of pieces
 * that names a known item is taken.
 */
static int
parse_items(const struct groups *gi, const char *text, int32_t **a, long long *n,
            long long *cap, struct qerr *err)
{
    struct buf b;
    buf_init(&b);
    size_t len = strlen(text), start = 0;
    int unknown = 0;
    while (start <= len && !unknown) {
        int c = -1;
        size_t e = start;
        for (;;) {
            while (e < len && text[e] != ',')
                e++;
            c = piece_code(gi, text, start, e, &b);
            if (c >= 0 || e >= len)
                break;
            e++; /* try the run with the next piece too */
        }
        if (c < 0) {
            unknown = b.len > 0 || e < len;
            break;
        }
        if (*n == *cap) {
            int32_t *g = mem_realloc(*a, (size_t)(*cap * 2 + 16), sizeof **a, "recommend",
                                     "rule items", err);
            if (!g) {
                buf_release(&b);
                return -1;
            }
            *a = g;
            *cap = *cap * 2 + 16;
        }
        (*a)[(*n)++] = c;
        start = e + 1;
    }
    buf_release(&b);
    return unknown;
}

/* Read the rules table of rules= onto the item codes. */
static int
read_rules(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, struct qerr *err)
{
    const char *name = args_str(args, "rules");
    if (!name) {
        qerr_set(err, QE_ARG, "method rules needs a rules table: rules=NAME");
        qerr_hint(err, "mine one first: rules TABLE tid=COL item=COL as NAME");
        return -1;
    }
    static const char *const cols[3] = {"antecedent", "consequent", "confidence"};
    struct frame *fr = NULL;
    struct rec_rules *r = &j->rules;
    long long na = 0, nc = 0, capa = 0, capc = 0;
    int rc = -1;
    if (kit_read(ctx, name, cols, 3, 0, &fr, err) < 0) {
        qerr_hint(err, "a rules table has columns antecedent, consequent and confidence "
                       "(as the rules command writes them)");
        return kit_fail_at(args, "rules", err);
    }
    if (fr->kind[2] != FRAME_NUM) {
        qerr_set(err, QE_DATA, "column 'confidence' of '%s' is not numeric", name);
        goto out;
    }
    r->aptr = mem_alloc((size_t)fr->n_rows + 1, sizeof *r->aptr, "recommend", "rules", err);
    r->cptr = mem_alloc((size_t)fr->n_rows + 1, sizeof *r->cptr, "recommend", "rules", err);
    r->conf = mem_alloc((size_t)fr->n_rows + 1, sizeof *r->conf, "recommend", "rules", err);
    if (!r->aptr || !r->cptr || !r->conf)
        goto out;
    r->aptr[0] = r->cptr[0] = 0;
    for (long long row = 0; row < fr->n_rows; row++) {
        char b1[40], b2[40];
        const char *a = cell_text(fr, 0, row, b1, sizeof b1);
        const char *c = cell_text(fr, 1, row, b2, sizeof b2);
        double conf = frame_col(fr, 2)[row];
        long long na0 = na, nc0 = nc;
        int ua = a ? parse_items(&j->gi, a, &r->aitem, &na, &capa, err) : 1;
        int uc = c ? parse_items(&j->gi, c, &r->citem, &nc, &capc, err) : 1;
        if (ua < 0 || uc < 0)
            goto out;
        if (ua || nc == nc0 || isnan(conf)) {
            na = na0; /* a rule that can never fire or names nothing known */
            nc = nc0;
            j->n_rules_skipped++;
            continue;
        }
        r->conf[r->n] = conf;
        r->n++;
        r->aptr[r->n] = na;
        r->cptr[r->n] = nc;
    }
    rc = 0;
out:
    frame_release(fr);
    return rc;
}

/* Top-n lists of the statement's method on m (neighbours fitted here for itemcf). */
static int
make_lists(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, enum rec_method me,
           const struct recmat *m, int n, int exclude_seen, const unsigned char *users,
           struct rec_lists *l, struct qerr *err)
{
    struct itemcf cf = {0};
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    int rc = -1;
    if (me == REC_RULES && !j->rules.aptr && read_rules(ctx, args, j, err) < 0)
        goto out;
    if (me == REC_ITEMCF && itemcf_fit(&cf, m, (int)args_int(args, "neighbours"), &t, err) < 0)
        goto out;
    struct rec_ask a = {.method = me, .m = m, .cf = &cf, .rules = &j->rules, .n = n,
                        .exclude_seen = exclude_seen, .users = users};
    rc = rec_top(&a, l, &t, err);
out:
    itemcf_release(&cf);
    return rc;
}

/* The row count of every list, and the rows: user, rank, item, score. */
static int
write_lists(struct cmd_ctx *ctx, const struct cmd_args *args, const struct job *j,
            const struct rec_lists *l, long long *n_out, struct qerr *err)
{
    long long n = 0;
    for (int u = 0; u < l->n_users; u++)
        n += rec_list_len(l, u);
    int32_t *uid = mem_alloc((size_t)n, sizeof *uid, "recommend", "recommendations", err);
    int32_t *iid = mem_alloc((size_t)n, sizeof *iid, "recommend", "recommendations", err);
    double *rank = mem_alloc((size_t)n, sizeof *rank, "recommend", "recommendations", err);
    double *score = mem_alloc((size_t)n, sizeof *score, "recommend", "recommendations", err);
    void *ku = NULL, *ki = NULL;
    int rc = -1;
    if (!uid || !iid || !rank || !score)
        goto out;
    long long w = 0;
    for (int u = 0; u < l->n_users; u++)
        for (int k = 0; k < rec_list_len(l, u); k++, w++) {
            uid[w] = u;
            iid[w] = l->item[(long long)u * l->n + k];
            rank[w] = k + 1;
            score[w] = l->score[(long long)u * l->n + k];
        }
    struct frame_out outs[4] = {
        {0},
        {.name = "rank", .decl = CATALOG_INTEGER, .num = rank},
        {0},
        {.name = "score", .decl = CATALOG_REAL, .num = score},
    };
    if (groups_out(&j->gu, uid, n, "user", j->f->decl[0], &outs[0], &ku, err) < 0 ||
        groups_out(&j->gi, iid, n, "item", j->f->decl[1], &outs[2], &ki, err) < 0)
        goto out;
    rc = kit_side_table(ctx, args, args->as, outs, 4, n, err);
    *n_out = n;
out:
    free(ku);
    free(ki);
    free(uid);
    free(iid);
    free(rank);
    free(score);
    return rc;
}

/* for=USER as a one-user mask (caller frees), or NULL for every user. */
static int
user_mask(const struct cmd_args *args, const struct job *j, unsigned char **mask,
          struct qerr *err)
{
    *mask = NULL;
    if (!args_given(args, "for"))
        return 0;
    int u = key_code(&j->gu, args_str(args, "for"));
    if (u < 0) {
        qerr_set(err, QE_NOTFOUND, "no user '%s' in column '%s'", args_str(args, "for"),
                 j->f->names[0]);
        return kit_fail_at(args, "for", err);
    }
    *mask = mem_calloc((size_t)j->gu.n_groups, 1, "recommend", "users", err);
    if (!*mask)
        return -1;
    (*mask)[u] = 1;
    return 0;
}

/* --- recommend ---------------------------------------------------------------- */

static const struct arg_spec cmd_recommend_args[] = {
    ARG_USER_ITEM,
    {.name = "method", .type = ARG_ENUM, .def = "itemcf", .choices = "itemcf|rules|popular",
     ARG_NAMES(method_names),
     .help = "itemcf: items similar (cosine) to the user's; rules: the best-confidence rule "
             "whose antecedent the user has; popular: the items most users have.",
     .comp = COMP_CHOICES},
    {.name = "n", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .help = "The length of each list.", .comp = COMP_NONE},
    {.name = "for", .type = ARG_TEXT,
     .help = "One user (a value of the user column): only their list, shown as well.",
     .comp = COMP_NONE},
    {.name = "rules", .type = ARG_TABLE, .modes = "method=rules",
     .help = "The rules table (antecedent, consequent, confidence; items comma-separated).",
     .comp = COMP_TABLES},
    {.name = "exclude", .type = ARG_ENUM, .def = "seen", .choices = "seen|none",
     ARG_NAMES(exclude_names),
     .help = "seen: leave out the items a user has; none: list them too.",
     .comp = COMP_CHOICES},
    ARG_NEIGHBOURS("method=itemcf"),
    KIT_REPLACE_ARG,
    {0},
};

static int
cmd_recommend_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err)
{
    struct job j = {0};
    struct recmat m = {0};
    struct rec_lists l = {0};
    unsigned char *mask = NULL;
    enum rec_method me = (enum rec_method)args_choice(args, "method");
    long long n_out = 0;
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0 ||
        job_read(ctx, args, &j, 0, err) < 0 || user_mask(args, &j, &mask, err) < 0)
        goto out;
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    if (recmat_build(&m, j.gu.id, j.gi.id, j.f->n_rows, j.gu.n_groups, j.gi.n_groups, NULL, &t,
                     err) < 0)
        goto out;
    if (make_lists(ctx, args, &j, me, &m, (int)args_int(args, "n"),
                   args_choice(args, "exclude") == 0, mask, &l, err) < 0 ||
        write_lists(ctx, args, &j, &l, &n_out, err) < 0)
        goto out;
    result_text(res, "recommend: %lld row%s into '%s' (%s, up to %lld per user) for %d user%s "
                "of %d, %d item%s; %lld distinct user-item pair%s (repeats counted once)",
                n_out, kit_plural(n_out), args->as, method_names[me], args_int(args, "n"),
                mask ? 1 : j.gu.n_groups, kit_plural(mask ? 1 : j.gu.n_groups), j.gu.n_groups,
                j.gi.n_groups, kit_plural(j.gi.n_groups), m.nnz, kit_plural(m.nnz));
    struct kit_skips sk = {0};
    kit_skip(&sk, j.gu.n_missing, "without a user");
    kit_skip(&sk, j.gi.n_missing, "without an item");
    kit_skips_report(res, &sk);
    if (j.n_rules_skipped)
        result_text(res, "%d rule%s naming an item not in '%s' left out", j.n_rules_skipped,
                    kit_plural(j.n_rules_skipped), args_str(args, "TABLE"));
    rc = mask ? kit_show(ctx, res, args->as, "rank", err) : 0;
out:
    free(mask);
    rec_lists_release(&l);
    recmat_release(&m);
    job_release(&j);
    return rc;
}

const struct cmd_entry cmd_recommend_entry = {
    .name = "recommend",
    .family = "recommendation",
    .synopsis = "recommend TABLE user=COL item=COL [method=itemcf|rules|popular] [n=10] "
                "[for=USER] [rules=NAME] [exclude=seen|none] [neighbours=100] [replace=yes] "
                "as NAME",
    .help = "Top-N recommendations per user from a log of (user, item) rows, written to a new "
            "table of user, rank, item and score. The log is read as binary implicit feedback: "
            "a user has an item or not, and a pair seen twice counts once (quantities are not "
            "weights). itemcf is item-based collaborative filtering: the cosine similarity of "
            "two items is the number of users who have both over the square root of the "
            "product of their user counts, computed sparsely (only pairs that share a user); "
            "each item keeps its neighbours most similar items, and a user's score for an item "
            "is the sum of its similarities to the user's items. rules scores an item by the "
            "best confidence among the rules of a rules table whose antecedent the user has "
            "and whose consequent holds it. popular lists the items most users have. Items the "
            "user has are left out unless exclude=none; ties go to the item that sorts first; "
            "a list is shorter when fewer items score. for=USER makes and shows one user's "
            "list. A table NAME that exists already is refused unless replace=yes. explain "
            "itemcf gives the formulas.",
    .example = "recommend order_items user=order_id item=product n=3 for=100001 as recs",
    .args = cmd_recommend_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_recommend_exec,
};

/* --- similar ------------------------------------------------------------------- */

static const struct arg_spec cmd_similar_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The log: one row per (user, item) event; repeats count once.",
     .comp = COMP_TABLES},
    {.name = "item", .type = ARG_TEXT, .required = 1,
     .help = "The item to find neighbours of (a value; its column is the one that holds it). "
             "With of=, the item column instead, as in the older form.",
     .comp = COMP_NONE},
    {.name = "user", .type = ARG_COLUMN,
     .help = "The column naming the user (customer, session, basket); needed unless the "
             "table has just the user and item columns.",
     .comp = COMP_COLUMNS},
    {.name = "of", .type = ARG_TEXT,
     .help = "The older form: the item, with item= naming its column and user= given.",
     .comp = COMP_NONE},
    {.name = "n", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .help = "How many items to list.", .comp = COMP_NONE},
    {0},
};

/* Whether column col of table holds the value v (as SQL's = compares them): 1, 0, -1 on error. */
static int
column_holds(struct cmd_ctx *ctx, const char *table, const char *col, const char *v,
             struct qerr *err)
{
    sqlite3 *db = catalog_db(ctx->cat);
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" WHERE \"%w\" = ?1 LIMIT 1", table, col);
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK && (rc = sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC)) == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return qerr_set(err, rc == SQLITE_NOMEM ? QE_NOMEM : QE_SQL, "%s", sqlite3_errmsg(db));
    return rc == SQLITE_ROW;
}

/*
 * The user and item columns (copies, *user_out and *item_out) and the item
 * of a similar statement. The form, item=ITEM: the item column is
 * the one column (user= aside) that holds ITEM; the user column is user=
 * or, in a two-column table, the other one. The older form, of=ITEM:
 * item= and user= name the columns.
 */
static int
similar_cols(struct cmd_ctx *ctx, const struct cmd_args *args, char **user_out,
             char **item_out, const char **value, struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *v = args_str(args, "item");
    const char *given = args_given(args, "user") ? args_str(args, "user") : NULL;
    const char *u = given, *it = NULL;
    int of = args_given(args, "of"), rc = -1, n_in = 0, named = 0;
    struct catalog_columns cc = {0};
    struct buf in = BUF_INIT;
    if (catalog_columns(catalog_db(ctx->cat), table, 0, &cc, err) < 0)
        return -1;
    for (int c = 0; c < cc.n; c++)
        named |= strcasecmp(cc.names[c], v) == 0;
    *value = of ? args_str(args, "of") : v;
    for (int c = 0; c < cc.n && of && !u && cc.n == 2; c++)
        u = strcasecmp(cc.names[c], v) != 0 ? cc.names[c] : NULL;
    for (int c = 0; c < cc.n && !of; c++) { /* the form: which columns hold v */
        int h = given && strcasecmp(cc.names[c], given) == 0
                    ? 0 : column_holds(ctx, table, cc.names[c], v, err);
        if (h < 0)
            goto out;
        if (h) {
            buf_addf(&in, "%s%s", n_in++ ? ", " : "", cc.names[c]);
            it = cc.names[c];
            u = given ? given : cc.n == 2 ? cc.names[1 - c] : NULL;
        }
    }
    if (of && !named) { /* the older form: item= is the column */
        qerr_set(err, QE_ARG, "with of=, item= names the item column, and '%s' has no "
                 "column '%s'", table, v);
        qerr_hint(err, "or name the item alone: similar %s item='%s'", table, *value);
    } else if (of && !u) {
        qerr_set(err, QE_ARG, "with of=, say which column is the user: user=COL");
    } else if (of) {
        it = v;
        rc = 0;
    } else if (n_in == 0 && named) {
        qerr_set(err, QE_ARG, "item= is the item itself ('%s' is a column of '%s', and no "
                 "column holds the value '%s')", v, table, v);
        qerr_hint(err, "to name the item column, give the item with of=: similar %s user=%s "
                  "item=%s of=ITEM", table, u ? u : "COL", v);
    } else if (n_in == 0) {
        qerr_set(err, QE_NOTFOUND, "no item '%s' in '%s': no column%s holds it", v, table,
                 u ? " but the user column" : "");
    } else if (n_in > 1) {
        qerr_set(err, QE_ARG, "'%s' is a value of %d columns of '%s' (%s)", v, n_in, table,
                 in.data);
        qerr_hint(err, "name the columns: similar %s user=COL item=COL of='%s'", table, v);
    } else if (!u) {
        qerr_set(err, QE_ARG, "'%s' is in column '%s'; which column is the user? '%s' has %d "
                 "columns", v, it, table, cc.n);
        qerr_hint(err, "add user=COL: similar %s user=COL item='%s'", table, v);
    } else {
        rc = 0;
    }
    if (rc == 0) { /* copies: cc goes */
        *user_out = xstrdup(u);
        *item_out = xstrdup(it);
    } else {
        kit_fail_at(args, of && named ? "of" : "item", err);
    }
out:
    catalog_columns_release(&cc);
    buf_release(&in);
    return rc;
}

static int
cmd_similar_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    struct job j = {0};
    struct recmat m = {0};
    int n = (int)args_int(args, "n"), rc = -1;
    int32_t *item = NULL;
    double *sim = NULL;
    char *ucol = NULL, *icol = NULL;
    const char *value = NULL;
    if (similar_cols(ctx, args, &ucol, &icol, &value, err) < 0 ||
        job_read_cols(ctx, args, ucol, icol, &j, 0, err) < 0)
        goto out;
    int of = key_code(&j.gi, value);
    if (of < 0) {
        qerr_set(err, QE_NOTFOUND, "no item '%s' in column '%s'", value, j.f->names[1]);
        kit_fail_at(args, args_given(args, "of") ? "of" : "item", err);
        goto out;
    }
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    item = mem_alloc((size_t)n, sizeof *item, "similar", "items", err);
    sim = mem_alloc((size_t)n, sizeof *sim, "similar", "items", err);
    if (!item || !sim ||
        recmat_build(&m, j.gu.id, j.gi.id, j.f->n_rows, j.gu.n_groups, j.gi.n_groups, NULL, &t,
                     err) < 0)
        goto out;
    int k = itemcf_similar(&m, of, n, item, sim, err);
    if (k < 0)
        goto out;
    result_text(res, "similar: the %d item%s most like '%s' (%lld user%s), by cosine over %d "
                "users", k, kit_plural(k), value, recmat_item_count(&m, of),
                kit_plural(recmat_item_count(&m, of)), m.n_users);
    static const char *const cols[] = {"item", "cosine", "users", "shared"};
    struct rtable *tb = result_table(res, 4, cols);
    for (int r = 0; r < k; r++) {
        long long row = rtable_add_row(tb);
        char b[40];
        if (j.gi.is_text)
            rtable_set(tb, row, 0, j.gi.key_text[item[r]], 0);
        else {
            snprintf(b, sizeof b, "%.15g", j.gi.key_num[item[r]]);
            rtable_set(tb, row, 0, b, 1);
        }
        long long nj = recmat_item_count(&m, item[r]);
        rtable_setf(tb, row, 1, 1, "%.6f", sim[r]);
        rtable_setf(tb, row, 2, 1, "%lld", nj);
        /* shared users back from the cosine: co = cos sqrt(n_i n_j), an integer */
        rtable_setf(tb, row, 3, 1, "%.0f",
                    sim[r] * sqrt((double)nj * (double)recmat_item_count(&m, of)));
    }
    rc = 0;
out:
    free(ucol);
    free(icol);
    free(item);
    free(sim);
    recmat_release(&m);
    job_release(&j);
    return rc;
}

const struct cmd_entry cmd_similar_entry = {
    .name = "similar",
    .family = "recommendation",
    .synopsis = "similar TABLE item=ITEM [user=COL] [n=10]",
    .help = "The n items most like one item by cosine similarity over the users of a (user, "
            "item) log, read as binary implicit feedback (repeats count once): the users who "
            "have both over the square root of the product of their user counts. ITEM is the "
            "item itself; its column is the one that holds it, and the user column is user= "
            "or, in a table of two columns, the other one. The older form user=COL item=COL "
            "of=ITEM names both columns. Shows each item with its cosine, its user count and "
            "the users it shares with ITEM; ties go to the item that sorts first.",
    .example = "similar order_items user=order_id item='Camping tent' n=5",
    .args = cmd_similar_args,
    .exec = cmd_similar_exec,
};

/* --- evalrec ------------------------------------------------------------------- */

static const struct arg_spec cmd_evalrec_args[] = {
    ARG_USER_ITEM,
    {.name = "time", .type = ARG_COLUMN,
     .help = "When each row happened (a date, timestamp or number): the last items are held "
             "out. Without it, the last rows in table order (holdout=last) or a seeded random "
             "share.", .comp = COMP_COLUMNS},
    {.name = "holdout", .type = ARG_TEXT, .def = "last",
     .help = "last: each user's last item; a share such as 0.2: that part of each user's "
             "items (at least one, and one always kept).", .comp = COMP_NONE},
    {.name = "n", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .help = "The list length N of the metrics @N.", .comp = COMP_NONE},
    {.name = "methods", .type = ARG_TEXT, .def = "itemcf,popular",
     .help = "The methods to compare, comma-separated: itemcf, rules, popular (rules needs "
             "rules=).", .comp = COMP_NONE},
    {.name = "rules", .type = ARG_TABLE,
     .help = "The rules table for method rules.", .comp = COMP_TABLES},
    ARG_NEIGHBOURS(NULL),
    {.name = "seed", .type = ARG_INT,
     .help = "The seed of a random share (holdout=0.2 without time=).", .comp = COMP_NONE},
    {0},
};

/* holdout= as a share (0 = last) and methods= as a list; QE_ARG with the caret otherwise. */
static int
eval_options(const struct cmd_args *args, double *share, int *me, int *n_me, struct qerr *err)
{
    const char *h = args_str(args, "holdout");
    *share = 0;
    if (strcmp(h, "last") != 0) {
        char *end;
        *share = strtod(h, &end);
        if (end == h || *end || !(*share > 0 && *share < 1)) {
            qerr_set(err, QE_ARG, "holdout='%s' is neither last nor a share between 0 and 1", h);
            return kit_fail_at(args, "holdout", err);
        }
    }
    *n_me = 0;
    const char *p = args_str(args, "methods");
    while (*p) {
        size_t len = strcspn(p, ",");
        int found = -1;
        for (int k = 0; k < 3; k++)
            if (strlen(method_names[k]) == len && strncmp(p, method_names[k], len) == 0)
                found = k;
        if (found < 0 || *n_me == 3) {
            qerr_set(err, QE_ARG, "methods='%s': '%.*s' is not itemcf, rules or popular",
                     args_str(args, "methods"), (int)len, p);
            return kit_fail_at(args, "methods", err);
        }
        me[(*n_me)++] = found;
        p += len + (p[len] == ',');
    }
    if (*n_me == 0) {
        qerr_set(err, QE_ARG, "methods= names no method");
        return kit_fail_at(args, "methods", err);
    }
    return 0;
}

/* One row of the comparison. */
static void
eval_row(struct rtable *tb, const char *method, const struct rec_metrics *r)
{
    long long row = rtable_add_row(tb);
    rtable_set(tb, row, 0, method, 0);
    rtable_setf(tb, row, 1, 1, "%d", r->n_users);
    const double v[6] = {r->precision, r->recall, r->hit_rate, r->map, r->coverage,
                         r->diversity};
    for (int k = 0; k < 6; k++)
        if (!isnan(v[k]))
            rtable_setf(tb, row, 2 + k, 1, "%.4f", v[k]);
}

static int
cmd_evalrec_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    struct job j = {0};
    struct recmat train = {0}, test = {0};
    struct rec_lists l = {0};
    double share = 0;
    int me[3] = {0}, n_me = 0, n = (int)args_int(args, "n"), rc = -1;
    if (eval_options(args, &share, me, &n_me, err) < 0 || job_read(ctx, args, &j, 1, err) < 0)
        goto out;
    const double *time = j.ft ? frame_col(j.ft, 0) : NULL;
    long long seed = share > 0 && !time ? kit_seed(ctx, args, res) : 0;
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    if (rec_holdout(j.gu.id, j.gi.id, time, j.f->n_rows, j.gu.n_groups, j.gi.n_groups, share,
                    (uint64_t)seed, &train, &test, &t, err) < 0)
        goto out;
    char hn[40], pn[40], rn[40];
    snprintf(pn, sizeof pn, "precision@%d", n);
    snprintf(rn, sizeof rn, "recall@%d", n);
    snprintf(hn, sizeof hn, "map@%d", n);
    const char *cols[8] = {"method", "users", pn, rn, "hit_rate", hn, "coverage", "diversity"};
    struct rec_metrics r[3];
    for (int k = 0; k < n_me; k++) {
        if (make_lists(ctx, args, &j, (enum rec_method)me[k], &train, n, 1, NULL, &l, err) < 0 ||
            rec_evaluate(&l, &test, &train, j.gi.n_groups, &r[k], &t, err) < 0)
            goto out;
        rec_lists_release(&l);
    }
    if (share > 0)
        result_text(res, "evalrec: held out %.0f%% of the items of each of %d users (%s), %lld "
                    "pairs; %lld pairs left to learn from; %d items in the catalogue",
                    share * 100, r[0].n_users, time ? "the latest by time" : "drawn at random",
                    test.nnz, train.nnz, j.gi.n_groups);
    else
        result_text(res, "evalrec: held out the last item of each of %d users (%s); %lld pairs "
                    "left to learn from; %d items in the catalogue", r[0].n_users,
                    time ? "by time" : "by table order", train.nnz, j.gi.n_groups);
    struct rtable *tb = result_table(res, 8, cols);
    for (int k = 0; k < n_me; k++)
        eval_row(tb, method_names[me[k]], &r[k]);
    if (j.n_rules_skipped)
        result_text(res, "%d rule%s naming an item not in '%s' left out", j.n_rules_skipped,
                    kit_plural(j.n_rules_skipped), args_str(args, "TABLE"));
    rc = 0;
out:
    rec_lists_release(&l);
    recmat_release(&train);
    recmat_release(&test);
    job_release(&j);
    return rc;
}

const struct cmd_entry cmd_evalrec_entry = {
    .name = "evalrec",
    .family = "recommendation",
    .synopsis = "evalrec TABLE user=COL item=COL [time=COL] [holdout=last|0.2] [n=10] "
                "[methods=itemcf,rules,popular] [rules=NAME] [neighbours=100] [seed=N]",
    .help = "Offline evaluation of top-N recommendation on a (user, item) log read as binary "
            "implicit feedback: each user with two or more items holds out their last item "
            "(holdout=last, by time= or else by table order) or a share of them (the latest "
            "by time, or drawn at random by the seed), the methods recommend n items from the "
            "rest, and each method's lists are scored side by side: precision@N (hits / N), "
            "recall@N (hits / held-out items), hit rate (users with a hit), MAP@N, catalogue "
            "coverage (items ever listed / items) and intra-list diversity (1 - the mean "
            "cosine between the items of a list). Means are over the users who held an item "
            "out. A rules table mined on the whole log has seen the held-out items: mine it "
            "on the training part for a fair comparison. explain recmetrics gives the "
            "formulas.",
    .example = "evalrec order_items user=order_id item=product n=5",
    .args = cmd_evalrec_args,
    .exec = cmd_evalrec_exec,
};
