/*
 * cmd_trace_lstm.c: the gate values of one LSTM step of a model made by
 * train model=lstm (src/classify/seqnn_trace.h), for trace MODEL
 * (cmd_trace_model.c): a table of every unit's i, f, g, o, c_prev, c and
 * h, and the cell and output equations worked with the numbers.
 */
#include "cmd_classify.h"
#include "cmd_trace.h"

#include <stdlib.h>
#include <string.h>

#include "classify/seqnn_trace.h"
#include "base/banned.h"

/* Units whose equations the summary works out; the table has them all. */
#define SHOWN 8

/* The feature name of sequence step s (1-based, in the order of seq_N), or NULL. */
static const char *
step_name(const struct model *m, int s)
{
    for (size_t j = 0; j < m->enc.p; j++) {
        int pos = seqnn_position(m->enc.names[j]), rank = 1;
        if (pos < 0)
            continue;
        for (size_t k = 0; k < m->enc.p; k++)
            rank += seqnn_position(m->enc.names[k]) >= 0 &&
                    seqnn_position(m->enc.names[k]) < pos;
        if (rank == s)
            return m->enc.names[j];
    }
    return NULL;
}

/* A number for an equation: 4 decimals, negatives in brackets after an operator. */
static void
num(struct buf *b, double v, int bracket)
{
    buf_addf(b, bracket && v < 0 ? "(%.4f)" : "%.4f", v);
}

static void
say_step(struct buf *b, const struct model *m, const struct seqnn_gates *g, const char *name)
{
    const char *col = step_name(m, g->step);
    buf_addf(b, "LSTM layer %d of %d, step %d of %d", g->layer, g->layers, g->step, g->T);
    if (g->token >= 0)
        buf_addf(b, " (%s = token %d)", col ? col : "?", g->token);
    buf_addf(b, ", %d unit%s; every unit's gates in '%s'\n", g->H, kit_plural(g->H), name);
    buf_adds(b, "gates i, f, o = sigmoid(.), g = tanh(.) of [x_t, h_t-1] W + b;\n"
                "c = f * c_prev + i * g;  h = o * tanh(c)\n");
    for (int j = 0; j < g->H && j < SHOWN; j++) {
        buf_addf(b, "unit %d: c = ", j + 1);
        num(b, g->f[j], 0);
        buf_adds(b, " * ");
        num(b, g->c_prev[j], 1);
        buf_adds(b, " + ");
        num(b, g->i[j], 0);
        buf_adds(b, " * ");
        num(b, g->g[j], 1);
        buf_adds(b, " = ");
        num(b, g->c[j], 0);
        buf_adds(b, "; h = ");
        num(b, g->o[j], 0);
        buf_adds(b, " * tanh(");
        num(b, g->c[j], 0);
        buf_adds(b, ") = ");
        num(b, g->h[j], 0);
        buf_adds(b, "\n");
    }
    if (g->H > SHOWN)
        buf_addf(b, "(units %d .. %d in the table)\n", SHOWN + 1, g->H);
    buf_addf(b, "check: the last step's h worked here %s the network's own (largest "
                "difference %.1e)\n",
             g->h_diff < 1e-6 ? "agrees with" : "DIFFERS from", g->h_diff);
}

static int
write_gates(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            const struct seqnn_gates *g, struct qerr *err)
{
    double *unit = malloc(((size_t)g->H + 1) * sizeof *unit);
    if (!unit)
        return qerr_set(err, QE_NOMEM, "out of memory for the gate trace");
    for (int j = 0; j < g->H; j++)
        unit[j] = j + 1;
    const double *col[7] = {g->i, g->f, g->g, g->o, g->c_prev, g->c, g->h};
    static const char *const cn[7] = {"i", "f", "g", "o", "c_prev", "c", "h"};
    struct frame_out o[8] = {{.name = "unit", .decl = CATALOG_INTEGER, .num = unit}};
    for (int c = 0; c < 7; c++)
        o[1 + c] = (struct frame_out){.name = cn[c], .decl = CATALOG_REAL, .num = col[c]};
    int rc = kit_side_table(ctx, args, name, o, 8, g->H, err);
    free(unit);
    return rc;
}

int
cmd_trace_lstm(struct cmd_ctx *ctx, const struct cmd_args *args, const struct model *m,
               const double *x, struct buf *b, struct qerr *err)
{
    struct seqnn_gates g = {0};
    char *name = cmd_trace_table(args, "_lstm_trace");
    const char *claim[1] = {args->as ? NULL : name};
    int rc = -1;
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 1, err) < 0)
        goto out;
    if (seqnn_lstm_trace(m->state, x, (int)args_int(args, "layer"), (int)args_int(args, "step"),
                         &g, err) < 0) {
        if (err->msg && (strncmp(err->msg, "step=", 5) == 0 || strncmp(err->msg, "layer=", 6) == 0))
            kit_fail_at(args, err->msg[0] == 's' ? "step" : "layer", err);
        goto out;
    }
    if (write_gates(ctx, args, name, &g, err) < 0)
        goto out;
    say_step(b, m, &g, name);
    rc = 0;
out:
    seqnn_gates_release(&g);
    free(name);
    return rc;
}
