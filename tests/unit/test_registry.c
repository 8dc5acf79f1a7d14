/*
 * test_registry.c: the meta-test of the command table. Every command has
 * a family, a synopsis that starts with its name, help, an example, a
 * section in man/quarry.1 that shows the same synopsis, and a transcript
 * test that uses it. Also the parser on the statement syntax of docs/DESIGN.md.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd.h"

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    fclose(f);
    return buf_detach(&b);
}

/* The manual with roff escapes for '-' and '\' undone. */
static char *
man_text(void)
{
    char *raw = slurp("man/quarry.1");
    if (!raw)
        return NULL;
    struct buf b = BUF_INIT;
    for (const char *p = raw; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            buf_addc(&b, '-');
            p++;
        } else if (p[0] == '\\' && p[1] == 'e') {
            buf_addc(&b, '\\');
            p++;
        } else if (p[0] == '\\' && p[1] == '&') {
            p++;
        } else {
            buf_addc(&b, *p);
        }
    }
    free(raw);
    return buf_detach(&b);
}

/* 1 if some transcript has a statement starting with the command's name. */
static int
in_transcript(const char *name, char **texts, int n)
{
    size_t l = strlen(name);
    for (int i = 0; i < n; i++) {
        for (const char *p = texts[i]; p && *p;) {
            if (strncmp(p, name, l) == 0 && (p[l] == ' ' || p[l] == '\n' || p[l] == ';'))
                return 1;
            const char *nl = strchr(p, '\n');
            p = nl ? nl + 1 : NULL;
        }
    }
    return 0;
}

static void
test_table(void)
{
    char *man = man_text();
    CHECK(man != NULL);
    glob_t g;
    char *texts[256];
    int nt = 0;
    if (glob("tests/transcripts/*.qry", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && nt < 256; i++)
            texts[nt++] = slurp(g.gl_pathv[i]);
        globfree(&g);
    }
    for (int i = 0; i < cmd_table_len; i++) {
        const struct cmd_entry *c = cmd_table[i];
        int fam = 0;
        for (int f = 0; cmd_families[f]; f++)
            fam |= strcmp(c->family, cmd_families[f]) == 0;
        if (!fam)
            fprintf(stderr, "command '%s': unknown family '%s'\n", c->name, c->family);
        CHECK(fam);
        CHECK(strncmp(c->synopsis, c->name, strlen(c->name)) == 0);
        CHECK(c->help && strlen(c->help) > 20);
        CHECK(c->example && *c->example);
        CHECK(c->exec != NULL);
        int in_man = man && strstr(man, c->synopsis) != NULL;
        if (!in_man)
            fprintf(stderr, "man/quarry.1 lacks the synopsis '%s'\n", c->synopsis);
        CHECK(in_man);
        int used = in_transcript(c->name, texts, nt);
        if (!used && strcmp(c->name, "sql") != 0 && strcmp(c->name, "quit") != 0)
            fprintf(stderr, "no transcript uses '%s'\n", c->name);
        CHECK(used || strcmp(c->name, "sql") == 0 || strcmp(c->name, "quit") == 0);
        for (const struct arg_spec *a = c->args; a && a->name; a++) {
            CHECK(a->help && *a->help);
            if (a->type == ARG_ENUM)
                CHECK(a->choices != NULL);
        }
        /* Names and aliases are unique. */
        for (int j = 0; j < i; j++)
            CHECK(strcmp(cmd_table[j]->name, c->name) != 0);
    }
    for (int i = 0; i < nt; i++)
        free(texts[i]);
    free(man);
}

static void
test_lookup(void)
{
    struct qerr e = QERR_INIT;
    CHECK(cmd_find("describe", &e) != NULL);
    CHECK(cmd_find("desc", &e) != NULL);
    CHECK_STR(cmd_find("descr", &e)->name, "describe");
    CHECK_PTR(cmd_find("decsribe", &e), NULL);
    CHECK_STR(e.msg, "unknown command 'decsribe'; did you mean 'describe'?");
    qerr_clear(&e);
    CHECK_PTR(cmd_find("h", &e), NULL);
    CHECK_STR(e.msg, "ambiguous command 'h': could be head, history, help");
    qerr_clear(&e);
    static const char *const names[] = {"customers", "orders", "order_items"};
    CHECK_STR(catalog_suggest("cust", names, 3), "customers");
    CHECK_STR(catalog_suggest("ordres", names, 3), "orders");
    CHECK_PTR(catalog_suggest("ord", names, 3), NULL); /* two names start so */
    CHECK_PTR(catalog_suggest("xyz", names, 3), NULL);
    CHECK_PTR(cmd_find("zzzz", &e), NULL);
    CHECK_STR(e.msg, "unknown command 'zzzz'; type help for the list of commands");
    qerr_clear(&e);
}

static void
test_is_sql(void)
{
    CHECK(cmd_is_sql("SELECT 1"));
    CHECK(cmd_is_sql("  with x as (select 1) select * from x"));
    CHECK(cmd_is_sql("sql select 1"));
    CHECK(cmd_is_sql("DROP TABLE t"));
    CHECK(!cmd_is_sql("drop t"));
    CHECK(!cmd_is_sql("describe t"));
    CHECK(!cmd_is_sql("sqlx"));
    CHECK(cmd_is_sql("explain query plan select 1"));
}

struct collected {
    char *stmts[16];
    int lines[16];
    int n;
};

static int
collect(void *arg, const char *stmt, int line)
{
    struct collected *c = arg;
    if (c->n < 16) {
        c->lines[c->n] = line;
        c->stmts[c->n++] = xstrdup(stmt);
    }
    return 0;
}

static void
test_splitter(void)
{
    struct splitter s;
    struct collected c = {0};
    splitter_init(&s);
    splitter_feed(&s, "load a.csv as o; describe o  # a comment", collect, &c);
    splitter_feed(&s, "SELECT 1,", collect, &c);
    CHECK(splitter_pending(&s));
    splitter_feed(&s, "  ';' -- not the end;", collect, &c);
    splitter_feed(&s, "  2; head o", collect, &c);
    splitter_feed(&s, "head o \\", collect, &c);
    splitter_feed(&s, "  n=3", collect, &c);
    splitter_feed(&s, "set x='a;b' # c", collect, &c);
    splitter_feed(&s, "# only a comment", collect, &c);
    splitter_feed(&s, "select 9", collect, &c);
    splitter_finish(&s, collect, &c);
    CHECK_INT(c.n, 7);
    CHECK_STR(c.stmts[0], "load a.csv as o");
    CHECK_STR(c.stmts[1], "describe o");
    CHECK_STR(c.stmts[2], "SELECT 1,\n  ';' -- not the end;\n  2;");
    CHECK_INT(c.lines[2], 2);
    CHECK_STR(c.stmts[3], "head o");
    CHECK_STR(c.stmts[4], "head o    n=3");
    CHECK_STR(c.stmts[5], "set x='a;b'");
    CHECK_STR(c.stmts[6], "select 9");
    CHECK_INT(c.lines[6], 9);
    for (int i = 0; i < c.n; i++)
        free(c.stmts[i]);
    splitter_release(&s);
}

static void
test_parse(void)
{
    struct cmd_ctx ctx;
    struct qerr e = QERR_INIT;
    struct cmd_args a;
    CHECK_OK(ctx_init(&ctx, &e), e);
    sqlite3_exec(catalog_db(ctx.cat), "CREATE TABLE orders(amount REAL, id INTEGER)", NULL, NULL,
                 NULL);
    CHECK_OK(cmd_parse(&ctx, "head orders n=3", &a, &e), e);
    CHECK_STR(args_str(&a, "TABLE"), "orders");
    CHECK_INT(args_int(&a, "n"), 3);
    CHECK(args_given(&a, "n"));
    args_release(&a);
    CHECK_OK(cmd_parse(&ctx, "head orders", &a, &e), e);
    CHECK_INT(args_int(&a, "n"), 10);
    CHECK(!args_given(&a, "n"));
    args_release(&a);
    CHECK(cmd_parse(&ctx, "head ordrs", &a, &e) < 0);
    CHECK_STR(e.msg, "unknown table 'ordrs'; did you mean 'orders'?");
    CHECK_INT(e.pos, 5);
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "head orders n=x", &a, &e) < 0);
    CHECK_STR(e.msg, "n must be a whole number, not 'x'");
    CHECK_INT(e.pos, 14);
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "head orders n=-1", &a, &e) < 0);
    CHECK_STR(e.msg, "n must be between 0 and 1000000000, not -1");
    qerr_clear(&e);
    CHECK_OK(cmd_parse(&ctx, "load 'my file.csv' as t2 format=csv", &a, &e), e);
    CHECK_STR(args_str(&a, "PATH"), "my file.csv");
    CHECK_STR(a.as, "t2");
    args_release(&a);
    CHECK(cmd_parse(&ctx, "load x.csv format=xls", &a, &e) < 0);
    CHECK_STR(e.msg, "format must be one of auto, csv, tsv, arff, not 'xls'");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "load x.csv fromat=csv", &a, &e) < 0);
    CHECK_STR(e.msg, "unknown key 'fromat' for 'load'; did you mean 'format'?");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "load 'x.csv", &a, &e) < 0);
    CHECK_HAS(e.msg, "unterminated quote");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "load", &a, &e) < 0);
    CHECK_STR(e.msg, "'load' needs PATH");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "rename orders as 9x", &a, &e) < 0);
    CHECK_HAS(e.msg, "'9x' is not a valid name");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "head orders n=1 n=2", &a, &e) < 0);
    CHECK_STR(e.msg, "n is given twice");
    qerr_clear(&e);
    CHECK_OK(cmd_parse(&ctx, "set seed=4 threads=2", &a, &e), e);
    CHECK_INT(a.n_free, 2);
    CHECK_STR(a.free_keys[1], "threads");
    args_release(&a);
    ctx_release(&ctx);
}

int
main(void)
{
    test_table();
    test_lookup();
    test_is_sql();
    test_splitter();
    test_parse();
    return check_done("test_registry");
}
