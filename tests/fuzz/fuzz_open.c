/*
 * fuzz_open.c: libFuzzer target for opening a workspace (catalog_load in
 * src/data/catalog.h, what `open` calls). The seeds
 * (tests/fuzz/corpus/fuzz_open) are small workspaces quarry saved itself,
 * so mutations are damaged or hostile workspace files: the input is
 * written to a file and opened over a catalog that holds one table.
 *
 * What must hold, beside no crash, leak or undefined behaviour:
 * - a refused file leaves the catalog exactly as it was;
 * - an opened one holds only tables and indexes (no view or trigger);
 * - the read commands run on what opened (tables, describe, head, and
 *   each fails cleanly or succeeds without changing the catalog);
 * - what opened saves, and the saved file opens again to the same
 *   catalog.
 *
 * The seeds were made with quarry -c "...; save NAME.quarry": an empty
 * catalog (a 0-byte file), tests/data/people.csv alone, people and
 * weather.arff with a normalize transform and a clustering, and people
 * with an index and a table whose names hold a quote and a comma.
 * Build and run: make fuzz.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"

#include "base/banned.h"

static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};

static void
remove_all(const char *path)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* describe and head on each of the first tables (quarry's own ones too). */
static void
read_tables(struct cmd_ctx *ctx)
{
    char **names = NULL;
    int n = 0;
    fuzz_run(ctx, "tables all=yes");
    cmd_table_names(ctx, 1, &names, &n);
    for (int i = 0; i < n && i < 4; i++) {
        struct buf s = BUF_INIT;
        buf_adds(&s, "describe ");
        fuzz_quote(&s, names[i]);
        fuzz_run(ctx, s.data);
        buf_reset(&s);
        buf_adds(&s, "head ");
        fuzz_quote(&s, names[i]);
        buf_adds(&s, " n=3");
        fuzz_run(ctx, s.data);
        buf_release(&s);
    }
    cmd_free_names(names, n);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char path[64], copy[64];
    snprintf(path, sizeof path, "/tmp/quarry-fuzz-open-%d.quarry", (int)getpid());
    snprintf(copy, sizeof copy, "/tmp/quarry-fuzz-open-%d.copy.quarry", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);

    struct cmd_ctx ctx;
    struct qerr e = QERR_INIT;
    fuzz_session(&ctx, 2000);
    fuzz_exec(&ctx, "CREATE TABLE kept(a INTEGER, b TEXT); INSERT INTO kept VALUES (1, 'x'), (2, NULL)");
    unsigned long long before = fuzz_catalog_hash(&ctx);
    if (catalog_load(ctx.cat, path, &e) < 0) {
        if (!e.code || fuzz_catalog_hash(&ctx) != before) {
            fprintf(stderr, "fuzz: a refused workspace changed the catalog (%s)\n",
                    e.msg ? e.msg : "no error");
            abort();
        }
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(catalog_db(ctx.cat), "SELECT type, name FROM sqlite_schema WHERE "
                           "type NOT IN ('table', 'index')", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) == SQLITE_ROW) {
        fprintf(stderr, "fuzz: the workspace opened with a %s\n",
                st ? (const char *)sqlite3_column_text(st, 0) : "broken schema");
        abort();
    }
    sqlite3_finalize(st);
    read_tables(&ctx);
    /* What opened saves, and opens again as it was. */
    unsigned long long opened = fuzz_catalog_hash(&ctx);
    qerr_clear(&e);
    if (catalog_save(ctx.cat, copy, &e) < 0) {
        fprintf(stderr, "fuzz: an opened workspace does not save: %s\n", e.msg);
        abort();
    }
    if (catalog_load(ctx.cat, copy, &e) < 0 || fuzz_catalog_hash(&ctx) != opened) {
        fprintf(stderr, "fuzz: a saved workspace does not open as it was: %s\n",
                e.msg ? e.msg : "the catalog differs");
        abort();
    }
out:
    qerr_clear(&e);
    ctx_release(&ctx);
    remove_all(path);
    remove_all(copy);
    return 0;
}
