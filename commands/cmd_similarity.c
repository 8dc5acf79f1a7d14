/*
 * cmd_similarity.c: `similarity TABLE cols=... [by=COL]
 * [method=cosine|pearson|jaccard] [top=10] as NAME`: each row's top most
 * similar other rows by their vectors of cols (src/prep/similarity.h),
 * written as a long table: the row's key, the neighbour's, the similarity
 * and its rank.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/frame.h"
#include "prep/groups.h"
#include "prep/similarity.h"

#include "base/banned.h"

static const char *const method_names[] = {[SIMILARITY_COSINE] = "cosine",
                                           [SIMILARITY_PEARSON] = "pearson",
                                           [SIMILARITY_JACCARD] = "jaccard"};

static const struct arg_spec cmd_similarity_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The rows to compare, one vector each (a user's behaviour counts, say).",
     .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns that make a row's vector; rows missing one are skipped.",
     .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_COLUMN,
     .help = "The column naming each row, once per row (default: the row number, rowid).",
     .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "cosine", .choices = "cosine|pearson|jaccard",
     ARG_NAMES(method_names),
     .help = "cosine of the angle; pearson: the cosine after taking each row's mean out; "
             "jaccard: shared positive columns over columns positive in either.",
     .comp = COMP_CHOICES},
    {.name = "top", .type = ARG_INT, .def = "10", .min = 1, .max = 100000,
     .help = "The most similar rows kept for each row.", .comp = COMP_NONE},
    KIT_REPLACE_ARG,
    {0},
};

/* The key of each complete row: its group id in g (by=), or its rowid. */
static int
write_pairs(struct cmd_ctx *ctx, const struct cmd_args *args, const struct kit_rows *kr,
            const struct groups *g, const struct frame *fb, const struct similarity_out *o,
            struct qerr *err)
{
    struct frame_out outs[4];
    void *k1 = NULL, *k2 = NULL;
    int32_t *ia = NULL, *ib = NULL;
    double *ra = NULL, *rb = NULL, *rank = xcalloc((size_t)o->n + 1, sizeof *rank);
    int rc = -1;
    for (long long i = 0; i < o->n; i++)
        rank[i] = o->rank[i];
    if (g) {
        ia = xcalloc((size_t)o->n + 1, sizeof *ia);
        ib = xcalloc((size_t)o->n + 1, sizeof *ib);
        for (long long i = 0; i < o->n; i++) {
            long long fa = kr->rows ? kr->rows[o->a[i]] : o->a[i];
            long long fbr = kr->rows ? kr->rows[o->b[i]] : o->b[i];
            ia[i] = g->id[fa];
            ib[i] = g->id[fbr];
        }
        if (groups_out(g, ia, o->n, fb->names[0], fb->decl[0], &outs[0], &k1, err) < 0 ||
            groups_out(g, ib, o->n, "neighbour", fb->decl[0], &outs[1], &k2, err) < 0)
            goto out;
    } else {
        ra = xcalloc((size_t)o->n + 1, sizeof *ra);
        rb = xcalloc((size_t)o->n + 1, sizeof *rb);
        for (long long i = 0; i < o->n; i++) {
            long long fa = kr->rows ? kr->rows[o->a[i]] : o->a[i];
            long long fbr = kr->rows ? kr->rows[o->b[i]] : o->b[i];
            ra[i] = (double)kr->f->rowid[fa];
            rb[i] = (double)kr->f->rowid[fbr];
        }
        outs[0] = (struct frame_out){.name = "row", .decl = CATALOG_INTEGER, .num = ra};
        outs[1] = (struct frame_out){.name = "neighbour", .decl = CATALOG_INTEGER, .num = rb};
    }
    outs[2] = (struct frame_out){.name = "similarity", .decl = CATALOG_REAL, .num = o->sim};
    outs[3] = (struct frame_out){.name = "rank", .decl = CATALOG_INTEGER, .num = rank};
    rc = kit_side_table(ctx, args, args->as, outs, 4, o->n, err);
out:
    free(k1);
    free(k2);
    free(ia);
    free(ib);
    free(ra);
    free(rb);
    free(rank);
    return rc;
}

static int
cmd_similarity_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct arg_val *cols = args_get(args, "cols");
    struct kit_rows kr = {0};
    struct frame *fb = NULL;
    struct groups g = {0};
    struct similarity_out o = {0};
    double *x = NULL;
    int rc = -1, by = args_given(args, "by");
    const char *out_name[1] = {args->as};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0 ||
        kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &kr,
                          err) < 0)
        goto out;
    if (by) {
        const char *bc[1] = {args_str(args, "by")};
        if (kit_read(ctx, table, bc, 1, 0, &fb, err) < 0 ||
            groups_init(&g, fb, 0, kit_progress, ctx, err) < 0)
            goto out;
        if (g.n_missing > 0 || g.n_groups != fb->n_rows) {
            qerr_set(err, QE_DATA, "by=%s must name each row once: %lld of %lld rows %s",
                     bc[0], g.n_missing ? g.n_missing : fb->n_rows - g.n_groups, fb->n_rows,
                     g.n_missing ? "have no value" : "repeat a value");
            kit_fail_at(args, "by", err);
            goto out;
        }
    }
    size_t n = (size_t)kr.n, p = (size_t)kr.d;
    x = xcalloc(n * p + 1, sizeof *x);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            x[i * p + j] = kr.x[j * (size_t)kr.ld + i];
    enum similarity_method m = (enum similarity_method)args_choice(args, "method");
    if (similarity_top(x, n, p, m, (int)args_int(args, "top"), kit_progress, ctx, &o, err) < 0 ||
        write_pairs(ctx, args, &kr, by ? &g : NULL, fb, &o, err) < 0)
        goto out;
    result_text(res, "similarity: %s of %zu rows over %zu column%s, the top %lld of each: "
                     "%lld pairs into '%s'",
                method_names[m], n, p, p == 1 ? "" : "s", args_int(args, "top"), o.n, args->as);
    long long skipped = kr.f->n_rows - kr.n;
    if (skipped)
        result_text(res, "%lld row%s with a missing value skipped", skipped,
                    kit_plural(skipped));
    rc = 0;
out:
    free(x);
    similarity_out_release(&o);
    groups_release(&g);
    frame_release(fb);
    kit_rows_release(&kr);
    return rc;
}

const struct cmd_entry cmd_similarity_entry = {
    .name = "similarity",
    .family = "preprocessing",
    .synopsis = "similarity TABLE cols=COLS [by=COL] [method=cosine|pearson|jaccard] [top=10] "
                "[replace=yes] as NAME",
    .help = "The most similar rows of each row by the vectors of cols, as a long table: the "
            "row (by=, or row), neighbour, similarity and rank (1 = the most similar; ties "
            "keep the earlier row). cosine = a.b / (|a| |b|); pearson is the cosine after "
            "each row's mean over its columns is taken out (the correlation of the two "
            "rows); jaccard = the columns positive in both over the columns positive in "
            "either. A pair without a value (a zero vector for cosine, a constant row for "
            "pearson, two empty rows for jaccard) is no neighbour. Every pair is computed "
            "(in blocks, memory growing with rows x top); rows with a missing value are "
            "skipped. A table NAME that exists already is refused unless replace=yes.",
    .example = "similarity customers cols=age by=customer_id top=3 as near",
    .args = cmd_similarity_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_similarity_exec,
};
