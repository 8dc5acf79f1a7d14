/*
 * prep_util.c: helpers the preprocessing commands share (prep_cmd.h).
 */
#include "prep_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

unsigned long long
prep_seed(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res)
{
    if (args_given(args, "seed"))
        return (unsigned long long)args_int(args, "seed");
    long long seed = ctx_seed(ctx);
    char extra[40];
    snprintf(extra, sizeof extra, " seed=%lld", seed);
    free(res->record_extra);
    res->record_extra = xstrdup(extra);
    return (unsigned long long)seed;
}

int
prep_read(struct cmd_ctx *ctx, const char *table, char *const *cols, int n, int flags,
          struct frame **f, struct qerr *err)
{
    return frame_read(ctx->cat, table, (const char *const *)cols, n, flags, ctx->progress,
                      ctx->pctx, f, err);
}

int
prep_write(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
           const struct frame *f, const struct frame_out *outs, int n_outs,
           const unsigned char *keep, struct qerr *err)
{
    struct frame_write w = {
        .src = *table, .dest = NULL, .f = f, .outs = outs, .n_outs = n_outs, .keep = keep,
    };
    if (args->as && strcmp(args->as, *table) != 0)
        w.dest = args->as;
    if (frame_write(ctx->cat, &w, err) < 0)
        return -1;
    if (w.dest)
        *table = args->as;
    return 0;
}

int
prep_fail_at(const struct cmd_args *args, const char *key, struct qerr *err)
{
    const struct arg_val *v = args_get(args, key);
    if (v)
        err->pos = v->pos;
    return -1;
}


const char *
prep_count(char buf[32], long long n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n), o = 0;
    if (n < 0)
        buf[o++] = '-';
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}
