/*
 * fuzz_statement.c: libFuzzer target for the statement path a user types
 * into: the splitter, the command parser against a small catalog, and the
 * completion engine at the end of each line. Build and run: make fuzz.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"

static struct cmd_ctx ctx;

static int
parse_one(void *arg, const char *stmt, int line)
{
    (void)arg;
    (void)line;
    struct cmd_args a;
    struct qerr e = QERR_INIT;
    if (!cmd_is_sql(stmt) && cmd_parse(&ctx, stmt, &a, &e) == 0)
        args_release(&a);
    qerr_clear(&e);
    return 0;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int ready;
    if (!ready) {
        struct qerr e = QERR_INIT;
        if (ctx_init(&ctx, &e) < 0)
            abort();
        sqlite3_exec(catalog_db(ctx.cat),
                     "CREATE TABLE orders(id INTEGER, amount REAL, \"odd name\" TEXT);"
                     "CREATE TABLE customers(customer_id INTEGER, city TEXT)",
                     NULL, NULL, NULL);
        ready = 1;
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct splitter sp;
    splitter_init(&sp);
    char *line = text;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        splitter_feed(&sp, line, parse_one, NULL);
        struct completion c;
        completion_init(&c);
        complete_line(&ctx, line, (int)strlen(line), &c);
        completion_release(&c);
        if (!nl)
            break;
        line = nl + 1;
    }
    splitter_finish(&sp, parse_one, NULL);
    splitter_release(&sp);
    free(text);
    return 0;
}
