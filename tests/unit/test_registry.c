/*
 * test_registry.c: the meta-test of the command table. Every command has
 * a family, a synopsis that starts with its name, help, an example, a
 * section in man/quarry.1 that shows the same synopsis, and a transcript
 * test that uses it. Also the parser on the statement syntax of
 * docs/DESIGN.md, and the argument specs as handlers read them: an enum's
 * names agree with its choices, modes name real keys and choices, a key
 * typed outside its modes is refused with a caret, and a handler that asks
 * for a name its spec lacks fails loudly, checked in the sources of every
 * handler too.
 */
#include <ctype.h>
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
    CHECK_STR(e.msg, "format must be one of auto, csv, tsv, arff, json, not 'xls'");
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

/* Every enum read by index names its choices in order; every mode names a real key and choice. */
static void
test_specs(void)
{
    for (int i = 0; i < cmd_table_len; i++) {
        const struct cmd_entry *c = cmd_table[i];
        for (const struct arg_spec *a = c->args; a && a->name; a++) {
            if (a->names) {
                CHECK(a->type == ARG_ENUM);
                struct buf b = BUF_INIT;
                for (int k = 0; k < a->n_names; k++) {
                    CHECK(a->names[k] != NULL); /* a hole in the designated initialisers */
                    buf_addf(&b, "%s%s", k ? "|" : "", a->names[k] ? a->names[k] : "(null)");
                }
                if (strcmp(b.data, a->choices) != 0)
                    fprintf(stderr, "%s %s: names %s, choices %s\n", c->name, a->name, b.data,
                            a->choices);
                CHECK_STR(b.data, a->choices);
                buf_release(&b);
            }
            if (!a->modes)
                continue;
            /* The key typed, nothing else: a mode may fail (QE_ARG), never be malformed. */
            struct cmd_args args = {.cmd = c};
            for (const struct arg_spec *o = c->args; o->name; o++)
                args.vals[args.n_vals++] = (struct arg_val){.spec = o, .pos = -1, .key_pos = -1};
            args.vals[a - c->args].pos = 0;
            struct qerr e = QERR_INIT;
            args_check_modes(&args, &e);
            if (e.code == QE_INTERNAL)
                fprintf(stderr, "%s\n", e.msg);
            CHECK(e.code != QE_INTERNAL);
            qerr_clear(&e);
        }
    }
}

/* The names handlers pass to args_get and friends, as string literals in one source file. */
static int
names_used(const char *src, char names[][32], int max)
{
    static const char *const calls[] = {"args_get(", "args_str(", "args_int(", "args_real(",
                                        "args_given(", "args_choice(", "kit_fail_at(",
                                        "pj_need(", NULL};
    int n = 0;
    for (int c = 0; calls[c]; c++) {
        for (const char *p = src; (p = strstr(p, calls[c])) != NULL; p++) {
            if (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue; /* a longer name that ends so */
            const char *q = p + strlen(calls[c]);
            while (*q && *q != '"' && *q != ')' && *q != ';')
                q++;
            if (*q != '"' || n == max)
                continue; /* a name in a variable: the key it is given is checked instead */
            const char *e = strchr(q + 1, '"');
            if (e && e - q - 1 < 32) {
                memcpy(names[n], q + 1, (size_t)(e - q - 1));
                names[n++][e - q - 1] = 0;
            }
        }
    }
    return n;
}

/* The argument names a source file declares: `{.name = "x", ... .type = ARG_...`. */
static int
declared(const char *src, const char *name)
{
    char pat[48];
    snprintf(pat, sizeof pat, "{.name = \"%s\",", name);
    for (const char *p = src; (p = strstr(p, pat)) != NULL; p++) {
        const char *eol = strchr(p, '\n');
        const char *t = strstr(p, ".type = ARG_");
        if (t && (!eol || t < eol))
            return 1;
    }
    return 0;
}

/*
 * Every name a handler reads is declared in its family's specs: a
 * misspelling is a test failure before it can be a silent 0 in a rare
 * path. The plot family spans cmd_plot*.c, the classify family
 * cmd_classify*.c and the option specs in cmd_classify.h, the forecast
 * family cmd_forecast*.c and cmd_forecast.h, trace cmd_trace*.c; kit.c reads
 * seed= for the commands that draw (each declares it).
 */
static void
test_handler_names(void)
{
    glob_t g;
    CHECK(glob("commands/cmd_*.c", 0, NULL, &g) == 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *src = slurp(g.gl_pathv[i]);
        struct buf family = BUF_INIT;
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        int plot = strncmp(base, "cmd_plot", 8) == 0;
        int classify = strncmp(base, "cmd_classify", 12) == 0;
        int forecast = strncmp(base, "cmd_forecast", 12) == 0;
        int trace = strncmp(base, "cmd_trace", 9) == 0;
        if (plot || classify || forecast || trace) {
            glob_t pg;
            if (glob(plot       ? "commands/cmd_plot*.c"
                     : forecast ? "commands/cmd_forecast*.[ch]"
                     : trace    ? "commands/cmd_trace*.c"
                                : "commands/cmd_classify*.[ch]",
                     0, NULL, &pg) == 0) {
                for (size_t k = 0; k < pg.gl_pathc; k++) {
                    char *t = slurp(pg.gl_pathv[k]);
                    buf_adds(&family, t ? t : "");
                    free(t);
                }
                globfree(&pg);
            }
        } else {
            buf_adds(&family, src ? src : "");
        }
        char names[256][32];
        int n = src ? names_used(src, names, 256) : 0;
        if (src && strstr(src, "kit_seed("))
            memcpy(names[n++], "seed", 5);
        for (int k = 0; k < n; k++) {
            int ok = declared(family.data, names[k]);
            if (!ok)
                fprintf(stderr, "%s reads argument '%s', which no spec of its family declares\n",
                        g.gl_pathv[i], names[k]);
            CHECK(ok);
        }
        CHECK(n > 0 || strstr(base, "cmd_plot_") != NULL || strcmp(base, "cmd_describe.c") == 0 ||
              (src && !strstr(src, "args_")));
        buf_release(&family);
        free(src);
    }
    globfree(&g);
}

/* A key typed outside its modes is refused where it stands; the modes' help says where it applies. */
static void
test_modes(void)
{
    struct cmd_ctx ctx;
    struct qerr e = QERR_INIT;
    struct cmd_args a;
    CHECK(ctx_init(&ctx, &e) == 0);
    sqlite3_exec(catalog_db(ctx.cat), "CREATE TABLE t(x REAL, y REAL, g TEXT)", NULL, NULL, NULL);
    const char *stmt = "cluster t cols=x,y method=dbscan k=5";
    CHECK(cmd_parse(&ctx, stmt, &a, &e) < 0);
    CHECK_STR(e.msg, "k does not apply to method=dbscan; only to method=kmeans, kmedians, "
                     "kmedoids or hierarchical");
    CHECK_INT(e.pos, (int)(strstr(stmt, "k=5") - stmt));
    qerr_clear(&e);
    /* The default counts as the mode: kmeans takes k, not eps. */
    CHECK(cmd_parse(&ctx, "cluster t cols=x k=3", &a, &e) == 0);
    CHECK_INT(args_choice(&a, "method"), 0);
    CHECK_INT(args_int(&a, "k"), 3);
    args_release(&a);
    CHECK(cmd_parse(&ctx, "cluster t cols=x eps=0.5", &a, &e) < 0);
    CHECK_STR(e.msg, "eps does not apply to method=kmeans; only to method=dbscan");
    qerr_clear(&e);
    /* Two conditions on other keys, and a mode given after the key it governs. */
    CHECK(cmd_parse(&ctx, "cluster t cols=x p=3 method=kmedoids distance=minkowski", &a, &e) == 0);
    CHECK_INT(args_choice(&a, "method"), 2);
    CHECK_INT(args_choice(&a, "distance"), 2);
    args_release(&a);
    CHECK(cmd_parse(&ctx, "cluster t cols=x method=kmedoids p=3", &a, &e) < 0);
    CHECK_STR(e.msg, "p does not apply to distance=euclidean; only to distance=minkowski");
    qerr_clear(&e);
    /* A positional mode reads as the command: plot hist. */
    stmt = "plot hist t col=x x=y";
    CHECK(cmd_parse(&ctx, stmt, &a, &e) < 0);
    CHECK_STR(e.msg, "x does not apply to plot hist; only to plot scatter, line, heatmap, bar, "
                     "loss, elbow, corr, confusion or roc");
    CHECK_INT(e.pos, (int)(strstr(stmt, "x=y") - stmt));
    qerr_clear(&e);
    /* !KEY: not with another key; KEY=choice of a key without a default. */
    CHECK(cmd_parse(&ctx, "split t by=time:x stratify=g", &a, &e) < 0);
    CHECK_STR(e.msg, "stratify does not apply with by=; give one of them");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "clean t k=3 dedupe=yes", &a, &e) < 0);
    CHECK_STR(e.msg, "k applies only to missing=knn");
    qerr_clear(&e);
    CHECK(cmd_parse(&ctx, "clean t cols=x dedupe=yes", &a, &e) < 0);
    CHECK_STR(e.msg, "cols applies only with missing=");
    qerr_clear(&e);
    /* A choice that ends in ':' takes any text after it. */
    CHECK(cmd_parse(&ctx, "clean t missing=value:0 cols=x", &a, &e) == 0);
    CHECK_INT(args_choice(&a, "missing"), 4);
    CHECK_STR(args_str(&a, "missing"), "value:0");
    args_release(&a);
    CHECK(cmd_parse(&ctx, "clean t missing=KNN k=2", &a, &e) == 0);
    CHECK_INT(args_choice(&a, "missing"), 5);
    args_release(&a);
    /* help says where a key applies. */
    struct buf b = BUF_INIT;
    const struct cmd_entry *c = cmd_find("cluster", &e);
    for (const struct arg_spec *s = c->args; s->name; s++)
        if (strcmp(s->name, "k") == 0)
            args_modes_text(c, s, &b);
    CHECK_STR(b.data, "Applies to method=kmeans, kmedians, kmedoids or hierarchical.");
    buf_release(&b);
    ctx_release(&ctx);
}

/* A handler that asks for a name its spec lacks gets nothing and an internal error. */
static void
test_unknown_name(void)
{
    struct cmd_ctx ctx;
    struct qerr e = QERR_INIT;
    struct cmd_args a;
    CHECK(ctx_init(&ctx, &e) == 0);
    sqlite3_exec(catalog_db(ctx.cat), "CREATE TABLE t(x REAL)", NULL, NULL, NULL);
    CHECK(cmd_parse(&ctx, "head t n=3", &a, &e) == 0);
    CHECK(args_check(&a, &e) == 0);
    CHECK_INT(args_int(&a, "n"), 3);
    CHECK_INT(args_int(&a, "nn"), 0);     /* misspelt */
    CHECK(args_str(&a, "TABEL") == NULL); /* the first one is reported */
    CHECK(!args_given(&a, "nn"));
    CHECK(args_check(&a, &e) < 0);
    CHECK_INT(e.code, QE_INTERNAL);
    CHECK_STR(e.msg, "internal error: the handler of 'head' asks for argument 'nn', which its "
                     "spec does not declare");
    qerr_clear(&e);
    args_release(&a);
    CHECK(cmd_parse(&ctx, "head t", &a, &e) == 0);
    CHECK_INT(args_choice(&a, "n"), -1); /* an int read as a choice */
    CHECK(args_check(&a, &e) < 0);
    CHECK_INT(e.code, QE_INTERNAL);
    qerr_clear(&e);
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
    test_specs();
    test_handler_names();
    test_modes();
    test_unknown_name();
    return check_done("test_registry");
}
