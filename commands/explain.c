/*
 * explain.c: `explain TOPIC`, how a method works: the formula, the rule
 * and the conventions quarry follows, for teaching and for checking a
 * result by hand. Topics are the methods below; any command without a
 * topic of its own falls back to its help.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#include "banned.h"

struct topic {
    const char *name;
    const char *text;
};

static const struct topic topics[] = {
    {"clean",
     "clean repairs a table in three steps, in this order.\n"
     "1. dates=COL: every value is parsed as a date in one of the usual layouts and written\n"
     "   as ISO 8601 (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss when any value has a time). d/m/y\n"
     "   is read day first unless a value has a second field above 12. A value that is not\n"
     "   a real calendar date (30/02/2023, 'last week') becomes NULL and is counted.\n"
     "2. dedupe=yes: of rows equal in every column (NULL equals NULL), the first is kept.\n"
     "3. missing=: for each column of cols with missing values (NULL, or text in a numeric\n"
     "   column), drop the row, or fill with\n"
     "     mean    (1/n) sum x_i over the values present\n"
     "     median  the middle value (linear interpolation at rank (n-1)/2)\n"
     "     mode    the most frequent value; ties go to the one that sorts first\n"
     "     value:X the constant X\n"
     "     knn     the mean of column c over the k nearest rows that have c, by\n"
     "             d(a,b) = sqrt(T/P * sum over shared coordinates (a_j - b_j)^2)\n"
     "             where T counts the features and P those present in both rows\n"
     "   Text columns always take their mode."},
    {"outliers",
     "A value x is an outlier when it lies outside the bounds of its column:\n"
     "  iqr     [q1 - k (q3 - q1), q3 + k (q3 - q1)]   Tukey's fences, k = 1.5\n"
     "  zscore  |x - mean| / sd > k                     sd with n-1, k = 3\n"
     "  mad     |x - median| / (1.4826 MAD) > k         MAD = median |x - median|, k = 3\n"
     "1.4826 = 1 / Phi^-1(3/4) makes 1.4826 MAD estimate sd for normal data. The mad rule\n"
     "resists the outliers it looks for; zscore is pulled by them (a huge value inflates\n"
     "sd). action=flag writes 1/0, clip replaces x by the bound it crossed, drop removes\n"
     "the row."},
    {"normalize",
     "normalize fits one transform per column and stores (center, scale, lo, hi):\n"
     "  minmax  y = lo + (x - min) / (max - min) * (hi - lo)    default [lo, hi] = [-1, 1]\n"
     "  zscore  y = (x - mean) / sd                             sd with n-1\n"
     "  robust  y = (x - median) / (q3 - q1)\n"
     "  log     y = ln(1 + x)                                   x > -1\n"
     "The inverse (denormalize) is x = min + (y - lo) / (hi - lo) * (max - min),\n"
     "x = mean + y sd, x = median + y IQR, x = e^y - 1. Scaling matters for every\n"
     "distance-based method: without it the column with the largest range decides the\n"
     "distances alone. A constant column has max = min (or sd = 0) and is refused."},
    {"encode",
     "encode turns a category column into numbers.\n"
     "  onehot   one 0/1 column per category: x_c = 1 if the row's value is c\n"
     "  ordinal  one column of ranks 0..L-1 of the categories in sorted order\n"
     "One-hot keeps categories equidistant (every pair differs in two coordinates);\n"
     "ordinal invents an order, which suits trees but misleads distances."},
    {"split",
     "split labels rows train / valid / test. Counts: n_i = floor(n r_i), then the rows\n"
     "left over go one each to the shares with the largest remainders n r_i - n_i, so\n"
     "the counts add up to n. Random: a seeded Fisher-Yates shuffle, then the first n_1\n"
     "rows are train, the next n_2 valid, the rest test. stratify=COL does this within\n"
     "each value of COL. by=time:COL sorts by COL instead of shuffling: the model is\n"
     "trained on the past and tested on the future, as a forecast will be used."},
    {"sample",
     "sample draws n of N rows without replacement by a partial Fisher-Yates shuffle:\n"
     "for i = 0..n-1 swap row i with a uniformly drawn row of i..N-1. Every subset of\n"
     "size n is equally likely. stratify=COL allocates n to the groups in proportion,\n"
     "n_g = n N_g / N rounded by largest remainder, and draws within each."},
};

static const int n_topics = (int)(sizeof topics / sizeof topics[0]);

static int
cmd_explain_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *want = args_str(args, "TOPIC");
    if (!want) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "topics:");
        for (int i = 0; i < n_topics; i++)
            buf_addf(&b, " %s", topics[i].name);
        buf_adds(&b, "\n(and every command: explain COMMAND shows its help)");
        result_text(res, "%s", b.data);
        buf_release(&b);
        return 0;
    }
    for (int i = 0; i < n_topics; i++)
        if (strcasecmp(want, topics[i].name) == 0) {
            result_text(res, "%s", topics[i].text);
            return 0;
        }
    struct qerr e2 = QERR_INIT;
    const struct cmd_entry *c = cmd_find(want, &e2);
    qerr_clear(&e2);
    if (c) {
        struct buf b = BUF_INIT;
        cmd_help_format(c, &b);
        result_text(res, "%s", b.data);
        buf_release(&b);
        return 0;
    }
    const char *names[64];
    for (int i = 0; i < n_topics && i < 64; i++)
        names[i] = topics[i].name;
    const char *near = catalog_suggest(want, names, n_topics);
    qerr_set(err, QE_NOTFOUND, "no topic named '%s'", want);
    if (near)
        qerr_hint(err, "did you mean explain %s?", near);
    else
        qerr_hint(err, "type explain to list the topics");
    err->pos = args_get(args, "TOPIC")->pos;
    return -1;
}

static const struct arg_spec explain_args[] = {
    {.name = "TOPIC", .positional = 1, .type = ARG_TEXT,
     .help = "A method or command; without it, the list of topics.", .comp = COMP_COMMANDS},
    {0},
};

const struct cmd_entry cmd_explain_entry = {
    .name = "explain",
    .family = "help",
    .synopsis = "explain [TOPIC]",
    .help = "Explain how a method works: its formulas, the rule it applies and the "
            "conventions quarry follows (which standard deviation, which quantile), so a "
            "result can be checked by hand. explain alone lists the topics.",
    .example = "explain normalize",
    .args = explain_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_explain_exec,
};
