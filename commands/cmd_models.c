/*
 * cmd_models.c: `models`, the list of everything fitted that the model store
 * keeps (normalize's transforms now; classifiers, rule sets and
 * forecasters as they come). `drop model NAME` is in cmd_data.c, beside drop.
 */
#include "cmd.h"

#include <stdlib.h>

#include "data/store.h"

#include "base/banned.h"

static int
cmd_models_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    struct store_entry *e = NULL;
    int n = 0;
    if (store_list(ctx->cat, &e, &n, err) < 0)
        return -1;
    if (n == 0) {
        result_text(res, "nothing fitted yet; normalize TABLE cols=... stores a transform, "
                         "e.g. normalize orders cols=amount method=zscore as orders_z, and "
                         "train TABLE target=COL model=nb as NAME a classifier");
        return 0;
    }
    static const char *const head[] = {"kind", "name", "table", "columns", "created", "summary"};
    struct rtable *t = result_table(res, 6, head);
    for (int i = 0; i < n; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, e[i].kind, 0);
        rtable_set(t, r, 1, e[i].name, 0);
        rtable_set(t, r, 2, e[i].source, 0);
        rtable_set(t, r, 3, e[i].cols, 0);
        rtable_set(t, r, 4, e[i].created, 0);
        rtable_set(t, r, 5, e[i].problem ? "DAMAGED (see below)" : e[i].summary, 0);
    }
    for (int i = 0; i < n; i++)
        if (e[i].problem)
            result_text(res, "%s '%s' is damaged: %s; drop model %s and fit it again",
                        store_noun(e[i].is_transform), e[i].name, e[i].problem, e[i].name);
    store_entries_free(e, n);
    return 0;
}

const struct cmd_entry cmd_models_entry = {
    .name = "models",
    .family = "data",
    .synopsis = "models",
    .help = "List everything fitted that the catalog keeps: normalize's transforms and "
            "train's classifiers (rule sets and forecasters to come), each with its kind, its "
            "name, "
            "the table and columns it was fitted on, when it was made (UTC) and a short "
            "summary. They are rows of quarry_transforms and quarry_models, so save, open "
            "and undo keep them with the data. Each one's state is checked as it is listed: a "
            "damaged one (cut short or edited by hand in a workspace file) is marked, with "
            "what is wrong; drop model NAME removes it.",
    .example = "models",
    .exec = cmd_models_exec,
};
