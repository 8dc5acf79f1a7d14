/*
 * cmd_forecast_next.c: `forecast MODEL horizon=N`: continue from a
 * stored forecaster (cmd_forecast.h).
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_forecast.h"
#include "data/store.h"

#include "base/banned.h"

/* The stored forecaster called name: its method and an open reader, or -1 with err set. */
static int
find_model(struct cmd_ctx *ctx, const char *name, const struct fc_method **me,
           struct store_reader *r, struct qerr *err)
{
    for (int i = 0; fc_methods[i]; i++) {
        struct qerr e2 = QERR_INIT;
        if (!fc_methods[i]->kind || !fc_methods[i]->load)
            continue;
        memset(r, 0, sizeof *r);
        if (store_get(ctx->cat, fc_methods[i]->kind, name, r, &e2) == 0) {
            *me = fc_methods[i];
            return 0;
        }
        store_reader_release(r);
        qerr_clear(&e2);
    }
    qerr_set(err, QE_NOTFOUND, "no forecast model named '%s' to continue from", name);
    qerr_hint(err, "forecast TABLE date=COL value=COL model=NAME fits one (kept under the "
              "table's name); models lists them");
    return -1;
}

int
fc_cmd_continue(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *name = args_str(args, "TABLE");
    const struct fc_method *me = NULL;
    struct store_reader r = {0};
    char *out = args->as ? xstrdup(args->as) : kit_name(name, "_next");
    int h = (int)args_int(args, "horizon"), rc = -1, ng = 0;
    double level = args_real(args, "level");
    char **gn = NULL;
    double *col = NULL;
    int64_t n64 = 0;
    if (h < 1) {
        qerr_set(err, QE_ARG, "continuing a forecaster needs horizon=N of 1 or more");
        kit_fail_at(args, "horizon", err);
        goto out;
    }
    const char *names[1] = {out};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, names, 1, err) < 0 ||
        find_model(ctx, name, &me, &r, err) < 0 ||
        store_read_count(&r, 1, 1000000, &n64, err) < 0)
        goto out;
    ng = (int)n64;
    gn = xcalloc((size_t)ng + 1, sizeof(char *));
    size_t rows = (size_t)ng * (size_t)h;
    col = xmalloc((rows + 1) * 4 * sizeof(double));
    double *step = col, *mean = col + rows, *lo = col + 2 * rows, *hi = col + 3 * rows;
    for (int g = 0; g < ng; g++) {
        void *model = NULL;
        if (store_read_str(&r, &gn[g], err) < 0 || me->load(&r, &model, err) < 0)
            goto out;
        size_t at = (size_t)g * (size_t)h;
        int prc = me->predict(model, h, level, mean + at, lo + at, hi + at, err);
        me->release(model);
        if (prc < 0)
            goto out;
        for (int k = 0; k < h; k++)
            step[at + (size_t)k] = k + 1;
    }
    const char **gtext = xmalloc((rows + 1) * sizeof(char *));
    for (size_t i = 0; i < rows; i++)
        gtext[i] = gn[i / (size_t)h];
    struct frame_out outs[] = {
        {.name = "series", .decl = CATALOG_TEXT, .text = gtext},
        {.name = "step", .decl = CATALOG_INTEGER, .num = step},
        {.name = "predicted", .decl = CATALOG_REAL, .num = mean},
        {.name = "lower", .decl = CATALOG_REAL, .num = lo},
        {.name = "upper", .decl = CATALOG_REAL, .num = hi},
    };
    rc = kit_side_table(ctx, args, out, outs, 5, (long long)rows, err);
    free(gtext);
    if (rc < 0)
        goto out;
    result_text(res, "forecast: continued %s model '%s' (%d series) %d step%s past the end of "
                "its fitting window (step 1 is the first period after it, the holdout's "
                "first when it had one); %zu rows into '%s'", me->name, name, ng, h,
                kit_plural(h), rows, out);
out:
    for (int g = 0; gn && g < ng; g++)
        free(gn[g]);
    free(gn);
    free(col);
    store_reader_release(&r);
    free(out);
    return rc;
}
