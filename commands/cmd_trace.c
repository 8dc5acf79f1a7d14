/*
 * cmd_trace.c: `trace`, the arithmetic of a method worked step by step for
 * checking by hand or teaching. The first word says what: a model made by
 * train (one prediction, cmd_trace_model.c), or one of the taught
 * algorithms, kmeans, dbscan (cmd_trace_cluster.c), apriori
 * (cmd_trace_rules.c) and split (cmd_trace_split.c), each of which writes
 * its steps to tables and prints a summary. The keys of each apply to it
 * alone (the spec's modes), so the dispatcher refuses the others.
 */
#include "cmd_trace.h"

#include <stdlib.h>
#include <strings.h>

#include "kit.h"
#include "base/banned.h"

/* The taught algorithms, by the first word; any other word is a model. */
#define TRACE_WORDS "kmeans|dbscan|apriori|split"

static const struct arg_spec cmd_trace_args[] = {
    {.name = "MODEL", .positional = 1, .type = ARG_TEXT, .required = 1, .choices = TRACE_WORDS,
     .help = "A model made by train (models lists them), or kmeans, dbscan, apriori or split "
             "to work that algorithm step by step on TABLE.",
     .comp = COMP_CHOICES},
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table: the row's, for a model (it needs the model's columns); the data, for "
             "an algorithm.",
     .comp = COMP_TABLES},
    {.name = "row", .type = ARG_INT, .def = "1", .min = 1, .max = 1e15,
     .help = "A model: the row to trace, 1 the first, in the table's order (as head shows it).",
     .comp = COMP_NONE},
    {.name = "step", .type = ARG_INT, .def = "0", .min = 0, .max = 100000,
     .help = "An lstm model: the sequence step whose gates to trace, 1 the first (0: the "
             "last).",
     .comp = COMP_NONE},
    {.name = "layer", .type = ARG_INT, .def = "1", .min = 1, .max = 16,
     .help = "An lstm model: the LSTM layer to trace, 1 the one reading the embedding.",
     .comp = COMP_NONE},
    {.name = "cols", .type = ARG_COLUMNS, .modes = "MODEL=kmeans|dbscan|split",
     .help = "The numeric columns to cluster (kmeans, dbscan), or the features to split on "
             "(split: numeric or text; default every column but target).",
     .comp = COMP_COLUMNS},
    {.name = "k", .type = ARG_INT, .min = 1, .max = 1000, .modes = "MODEL=kmeans",
     .help = "kmeans: the number of clusters (default 3, or as many as start= names).",
     .comp = COMP_NONE},
    {.name = "start", .type = ARG_TEXT, .modes = "MODEL=kmeans",
     .help = "kmeans: the rows that are the starting centres, e.g. start=1,4,7 (default: "
             "k-means++ seeding).",
     .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 1e18, .modes = "MODEL=kmeans !start",
     .help = "kmeans: the seed of the k-means++ start (default: the session seed, else a "
             "fresh one).",
     .comp = COMP_NONE},
    {.name = "maxiter", .type = ARG_INT, .def = "20", .min = 1, .max = 1000,
     .modes = "MODEL=kmeans", .help = "kmeans: iterations at most.", .comp = COMP_NONE},
    {.name = "eps", .type = ARG_REAL, .min = 0, .max = 1e300, .modes = "MODEL=dbscan",
     .help = "dbscan: the neighbourhood radius (required).", .comp = COMP_NONE},
    {.name = "minpts", .type = ARG_INT, .def = "5", .min = 1, .max = 1e9,
     .modes = "MODEL=dbscan",
     .help = "dbscan: neighbours (the row itself included) that make a row core.",
     .comp = COMP_NONE},
    {.name = "tid", .type = ARG_COLUMN, .modes = "MODEL=apriori",
     .help = "apriori: the transaction of each row (required).", .comp = COMP_COLUMNS},
    {.name = "item", .type = ARG_COLUMN, .modes = "MODEL=apriori",
     .help = "apriori: the item of each row (required).", .comp = COMP_COLUMNS},
    {.name = "minsup", .type = ARG_REAL, .def = "2", .min = 0, .max = 1e15,
     .modes = "MODEL=apriori",
     .help = "apriori: the support an itemset needs: a count of transactions (1 and up) or "
             "a share of them (below 1).",
     .comp = COMP_NONE},
    {.name = "maxlen", .type = ARG_INT, .def = "10", .min = 1, .max = 30,
     .modes = "MODEL=apriori", .help = "apriori: the largest itemset.", .comp = COMP_NONE},
    {.name = "target", .type = ARG_COLUMN, .modes = "MODEL=split",
     .help = "split: the class column (required).", .comp = COMP_COLUMNS},
    KIT_REPLACE_ARG,
    {0},
};

char *
cmd_trace_table(const struct cmd_args *args, const char *suffix)
{
    return args->as ? kit_name(args->as, "") : kit_name(args_str(args, "TABLE"), suffix);
}

static int
cmd_trace_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    static int (*const run[])(struct cmd_ctx *, const struct cmd_args *, struct cmd_result *,
                              struct qerr *) = {cmd_trace_kmeans, cmd_trace_dbscan,
                                                cmd_trace_apriori, cmd_trace_split};
    static const char *const words[] = {"kmeans", "dbscan", "apriori", "split"};
    static const char *const model_keys[] = {"row", "step", "layer"};
    const char *what = args_str(args, "MODEL");
    for (int i = 0; i < 4; i++)
        if (strcasecmp(what, words[i]) == 0) {
            for (int k = 0; k < 3; k++)
                if (args_given(args, model_keys[k])) {
                    qerr_set(err, QE_ARG, "%s= is for a model's prediction, not trace %s",
                             model_keys[k], words[i]);
                    return kit_fail_at(args, model_keys[k], err);
                }
            return run[i](ctx, args, res, err);
        }
    return cmd_trace_model(ctx, args, res, err);
}

const struct cmd_entry cmd_trace_entry = {
    .name = "trace",
    .family = "classify",
    .synopsis = "trace MODEL|kmeans|dbscan|apriori|split TABLE [row=1] [step=N] [key=value "
                "...] [as NAME]",
    .help = "Work a method step by step, for checking it by hand or teaching. trace MODEL "
            "TABLE row=N shows the arithmetic of one prediction of a model made by train: the "
            "row as the model sees it, then the method's account (naive Bayes: each class's "
            "log prior and each feature's log likelihood, their sums and the normalised "
            "probabilities; a tree: the path of splits; logreg: each class's linear score term "
            "by term; svm: each feature standardised, its weight and term, the bias and the "
            "decision; knn: the k neighbours with their distances, classes and weights, and "
            "the votes; forest: the first three trees' paths, each tree's leaf, the majority "
            "and the mean of the trees' shares; lstm: the gates of one step, step=N (default "
            "the last) of layer=N, every unit's i, f, g, o, c_prev, c and h into "
            "TABLE_lstm_trace, and c = f * c_prev + i * g, h = o * tanh(c) worked with the "
            "numbers), then the class probabilities and the predicted class. "
            "trace kmeans TABLE cols=A,B k=3 [start=ROWS] runs Lloyd's k-means from the "
            "start rows (or k-means++) until no point moves: NAME has each iteration's moved "
            "points, inertia and largest centre shift, NAME_centres every centre after each "
            "iteration (0: the start), NAME_points each point's cluster at each iteration "
            "(plot trace NAME draws them). "
            "trace dbscan TABLE cols= eps= minpts= lists the rows in the order they join "
            "their clusters, the row that reached each, and core, border or noise. "
            "trace apriori TABLE tid= item= minsup= lists every candidate itemset of every "
            "level: joined, then pruned (a subset not frequent, named), or counted and "
            "frequent or not. "
            "trace split TABLE target= [cols=] lists the gini of every candidate split of "
            "the table's rows (the root node of a tree), the node's gini, each side's, the "
            "weighted gini and the gain, best first marked. Without as NAME the tables are "
            "TABLE_kmeans_trace, TABLE_dbscan_trace, TABLE_apriori_trace, "
            "TABLE_split_trace or TABLE_lstm_trace (replace=yes writes over them). The first word is a model "
            "unless it is one of the four algorithms.",
    .example = "trace city_nb customers row=3",
    .args = cmd_trace_args,
    .flags = CMD_AS,
    .exec = cmd_trace_exec,
};
