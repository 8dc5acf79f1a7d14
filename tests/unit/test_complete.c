/*
 * test_complete.c: tab completion (commands/complete.c).
 *
 * Plan: a catalog with orders(id, customer_id, amount, recency, region)
 * and customers(id, name, region); each case completes a line with the
 * cursor at '|' (or at the end) and checks the candidates, where the word
 * starts and whether a space follows a unique match.
 *   1. first word: commands and SQL keywords in the case typed
 *   2. command arguments: tables, keys as key=, choices, files, as, help, set
 *   3. columns after key= and in comma lists (a test command with columns)
 *   4. SQL: keywords, tables, columns of the tables named, tbl. and alias.
 *   5. statements, quotes and comments around the cursor
 *   6. adversarial input: every cursor position of odd lines, random
 *      lines, very long lines
 *   7. modes: only the keys that apply in the mode the statement sets
 *   8. models: `plot tree ` offers the models in the model store, the
 *      other kinds the tables
 * Expected candidates are written out by hand from the rules in complete.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "complete.h"
#include "data/store.h"

static struct cmd_ctx ctx;
static struct completion comp;

/* A command with column arguments: no registered command has one yet. */
static const struct arg_spec mine_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1, .comp = COMP_TABLES},
    {.name = "by", .type = ARG_COLUMN, .comp = COMP_COLUMNS},
    {.name = "cols", .type = ARG_COLUMNS, .comp = COMP_COLUMNS},
    {.name = "k", .type = ARG_INT, .def = "3"},
    {.name = "mode", .type = ARG_ENUM, .choices = "fast|slow|safe", .comp = COMP_CHOICES},
    {.name = "verbose", .type = ARG_BOOL, .def = "no"},
    {.name = "out", .type = ARG_PATH, .comp = COMP_FILES},
    {0},
};

static const struct cmd_entry mine_entry = {
    .name = "mine",
    .synopsis = "mine TABLE [by=COL] [cols=A,B] [k=3] [mode=fast] [verbose=no] [out=PATH]",
    .args = mine_args,
    .flags = CMD_AS,
};

/* An optional path positional, and a key. */
static const struct arg_spec sketch_args[] = {
    {.name = "PATH", .positional = 1, .type = ARG_PATH, .comp = COMP_FILES},
    {.name = "scale", .type = ARG_REAL},
    {0},
};

static const struct cmd_entry sketch_entry = {
    .name = "sketch",
    .synopsis = "sketch [PATH] [scale=1]",
    .args = sketch_args,
};

static const struct cmd_entry *cmds[64];
static int n_cmds;

/*
 * Complete text with the cursor at its '|' (removed) or at its end, with
 * the registry (real = 1) or the registry plus `mine`. Returns the
 * candidates joined by spaces, "FILES" for file completion, "" for none.
 */
static char *
run_with(const char *text, int real)
{
    struct buf line = BUF_INIT, out = BUF_INIT;
    const char *bar = strchr(text, '|');
    int point = bar ? (int)(bar - text) : (int)strlen(text);
    buf_add(&line, text, bar ? (size_t)(bar - text) : strlen(text));
    if (bar)
        buf_adds(&line, bar + 1);
    int n = real ? complete_line(&ctx, line.data, point, &comp)
                 : complete_line_cmds(&ctx, cmds, n_cmds, line.data, point, &comp);
    CHECK_INT(n, comp.n_words);
    if (comp.kind == COMPLETE_FILES)
        buf_adds(&out, "FILES");
    for (int i = 0; i < comp.n_words; i++)
        buf_addf(&out, "%s%s", i ? " " : "", comp.words[i]);
    CHECK((comp.kind == COMPLETE_WORDS) == (comp.n_words > 0));
    CHECK(comp.start >= 0 && comp.start <= point);
    buf_release(&line);
    return buf_detach(&out);
}

#define CHECK_COMP(text, words, at, space)                                            \
    do {                                                                              \
        char *w_ = run_with(text, 0);                                                 \
        CHECK_STR(w_, words);                                                         \
        CHECK_INT(comp.start, at);                                                    \
        CHECK_INT(comp.append_space, space);                                          \
        free(w_);                                                                     \
    } while (0)

#define CHECK_NONE(text)                                                              \
    do {                                                                              \
        char *w_ = run_with(text, 0);                                                 \
        CHECK_STR(w_, "");                                                            \
        CHECK_INT(comp.kind, COMPLETE_NONE);                                          \
        free(w_);                                                                     \
    } while (0)

static int
has(const char *word)
{
    for (int i = 0; i < comp.n_words; i++)
        if (strcmp(comp.words[i], word) == 0)
            return 1;
    return 0;
}

static void
test_first_word(void)
{
    char *w = run_with("", 1);
    CHECK(has("help") && has("load") && has("SELECT") && has("WITH") && has("CREATE"));
    CHECK(has("drop") && !has("DROP")); /* the command and the keyword, once */
    CHECK(!has("desc"));                 /* aliases are not offered */
    CHECK_INT(comp.start, 0);
    free(w);
    w = run_with("hel", 1);
    CHECK_STR(w, "help");
    CHECK_INT(comp.append_space, 1);
    free(w);
    w = run_with("desc", 1);
    CHECK_STR(w, "describe");
    free(w);
    CHECK_COMP("he", "head help", 0, 1);
    CHECK_COMP("se", "select sequences series sessions set", 0, 1);
    CHECK_COMP("sk", "sketch", 0, 1);
    CHECK_COMP("SE", "SELECT SEQUENCES SERIES SESSIONS SET", 0, 1);
    CHECK_COMP("Se", "select sequences series sessions set", 0, 1);
    CHECK_COMP("  de", "delete demo denormalize derive describe detach", 2, 1);
    CHECK_COMP("wi", "with", 0, 1);
    CHECK_COMP("mi", "mine", 0, 1);
    CHECK_COMP("he|lp", "head help", 0, 1);
    free(run_with("|head orders", 0)); /* the cursor at 0: the first word */
    CHECK(comp.n_words > 20 && has("head") && has("mine"));
    CHECK_INT(comp.start, 0);
    CHECK_NONE("xyz");
}

static void
test_command_args(void)
{
    CHECK_COMP("head orders n", "n=", 12, 0);
    CHECK_COMP("head ", "customers orders", 5, 1); /* a required TABLE comes alone */
    CHECK_COMP("head o", "orders", 5, 1);
    CHECK_COMP("head O", "orders", 5, 1);
    CHECK_COMP("head orders ", "n=", 12, 0);
    CHECK_NONE("head orders n=5 ");
    CHECK_NONE("head orders n=");
    CHECK_COMP("desc c", "customers", 5, 1);
    CHECK_COMP("des c", "customers", 4, 1); /* unique prefix of describe */
    CHECK_COMP("drop ", "customers orders", 5, 1);
    CHECK_NONE("nosuch ");
    CHECK_NONE("d o"); /* ambiguous command */
    /* Paths: the front end completes file names. */
    CHECK_COMP("load ", "FILES", 5, 1);
    CHECK_INT(comp.kind, COMPLETE_FILES);
    CHECK_COMP("load sample-data/or", "FILES", 5, 1);
    CHECK_COMP("load 'my fi", "FILES", 6, 1);
    CHECK_COMP("load 'my file.csv' fo", "format=", 19, 0);
    CHECK_COMP("load x.csv fo", "format=", 11, 0);
    CHECK_COMP("load x.csv format=", "arff auto csv json tsv", 18, 1);
    CHECK_COMP("load x.csv format=c", "csv", 18, 1);
    CHECK_COMP("load x.csv FORMAT=C", "csv", 18, 1);
    CHECK_COMP("load x.csv ", "as decimal= delim= encoding= format= header= na= onerror= skip=",
               11, 1);
    CHECK_COMP("load x.csv a", "as", 11, 1);
    CHECK_NONE("load x.csv as ");
    CHECK_NONE("load x.csv as o");
    CHECK_COMP("load x.csv as t ", "decimal= delim= encoding= format= header= na= onerror= skip=",
               16, 0);
    CHECK_COMP("load x.csv format=csv ",
               "as decimal= delim= encoding= header= na= onerror= skip=", 22, 1);
    CHECK_COMP("export orders ", "FILES", 14, 1);
    CHECK_COMP("export orders /tmp/o", "FILES", 14, 1);
    CHECK_COMP("export orders f", "FILES", 14, 1); /* a required path comes alone */
    CHECK_COMP("export orders x.csv f", "format=", 20, 0);
    CHECK_COMP("sketch ", "FILES", 7, 1);
    CHECK_COMP("sketch s", "scale=", 7, 0); /* an optional path gives way to a key */
    CHECK_COMP("sketch x", "FILES", 7, 1);
    CHECK_COMP("sketch 's", "FILES", 8, 1);
    CHECK_COMP("export orders x.csv format=t", "tsv", 27, 1);
    CHECK_COMP("save ", "FILES", 5, 1);
    CHECK_COMP("tables all=", "no yes", 11, 1);
    CHECK_COMP("tables ", "all=", 7, 0);
    CHECK_COMP("timer ", "off on", 6, 1);
    CHECK_COMP("history ", "list save", 8, 1);
    CHECK_COMP("history save ", "FILES", 13, 1);
    CHECK_COMP("rename orders ", "as", 14, 1);
    CHECK_NONE("rename orders as ");
    /* help COMMAND */
    CHECK_COMP("help d", "demo denormalize derive describe detach drop", 5, 1);
    CHECK_COMP("help ti", "timer", 5, 1);
    char *w = run_with("help ", 1);
    CHECK_INT(comp.n_words, cmd_table_len);
    CHECK(has("describe") && has("help") && !has("SELECT"));
    free(w);
    /* set NAME=VALUE */
    CHECK_COMP("set ", "format= memory= seed= threads= timer=", 4, 0);
    CHECK_COMP("set t", "threads= timer=", 4, 0);
    CHECK_COMP("set f", "format=", 4, 0);
    CHECK_COMP("set seed=42 ", "format= memory= threads= timer=", 12, 0);
    CHECK_COMP("set format=", "csv json table tsv", 11, 1);
    CHECK_COMP("set timer=o", "off on", 10, 1);
    CHECK_COMP("set seed=", "random", 9, 1);
    CHECK_NONE("set threads=");
    CHECK_NONE("set nosuch=");
}

static void
test_columns(void)
{
    CHECK_COMP("mine orders by=", "amount customer_id id recency region", 15, 1);
    CHECK_COMP("mine orders by=re", "recency region", 15, 1);
    CHECK_COMP("mine orders by=RE", "recency region", 15, 1);
    CHECK_COMP("mine customers by=", "id name region", 18, 1);
    /* cols=* (every numeric column, keys left out) is offered while the list is empty */
    CHECK_COMP("mine orders cols=", "* amount customer_id id recency region", 17, 0);
    CHECK_COMP("mine orders cols=*", "*", 17, 0);
    CHECK_COMP("mine orders cols=id,am", "amount", 20, 0);
    CHECK_COMP("mine orders cols=id,amount,", "customer_id recency region", 27, 0);
    CHECK_COMP("mine orders cols=id,amount,r", "recency region", 27, 0);
    CHECK_COMP("mine orders cols=id,|amount", "amount customer_id recency region", 20, 0);
    CHECK_COMP("mine orders cols=|id,amount", "customer_id id recency region", 17, 0);
    CHECK_COMP("mine orders k=2 cols=amount,region,", "customer_id id recency", 35, 0);
    CHECK_NONE("mine by=");              /* no table yet */
    CHECK_NONE("mine nosuch by=");       /* no such table */
    CHECK_NONE("mine orders by=x,");     /* not a list: nothing starts with "x," */
    CHECK_COMP("mine orders mode=s", "safe slow", 17, 1);
    CHECK_NONE("mine orders mode='s");   /* quoted text that is not a path */
    CHECK_COMP("mine orders verbose=", "no yes", 20, 1);
    CHECK_NONE("mine orders k=");
    CHECK_COMP("mine orders out=", "FILES", 16, 1);
    CHECK_COMP("mine orders out='a b", "FILES", 17, 1);
    CHECK_NONE("mine orders out='a b' x");
    CHECK_COMP("mine orders ", "as by= cols= k= mode= out= verbose=", 12, 1);
    CHECK_COMP("mine orders by=id ", "as cols= k= mode= out= verbose=", 18, 1);
    CHECK_COMP("mine orders as t ", "by= cols= k= mode= out= verbose=", 17, 0);
    CHECK_COMP("mine orders as t cols=re", "recency region", 22, 0);
    CHECK_COMP("mine ", "customers orders", 5, 1);
}

static void
test_sql(void)
{
    CHECK_COMP("SELECT * FROM ", "customers orders", 14, 1);
    CHECK_COMP("select * from o", "orders", 14, 1);
    CHECK_COMP("SELECT * FROM orders JOIN c", "customers", 26, 1);
    CHECK_COMP("INSERT INTO ", "customers orders", 12, 1);
    CHECK_COMP("SELECT am| FROM orders", "amount", 7, 1);
    CHECK_COMP("SELECT a| FROM orders", "abs add all alter amount and as asc avg", 7, 1);
    CHECK_COMP("SELECT A| FROM orders", "ABS ADD ALL ALTER amount AND AS ASC AVG", 7, 1);
    CHECK_COMP("select * from orders where re",
               "real recency recursive region rename replace", 27, 1);
    /* Before any table is named: the columns of every user table. */
    CHECK_COMP("SELECT cust", "customer_id customers", 7, 1);
    CHECK_COMP("SELECT amo", "amount", 7, 1);
    CHECK_COMP("SELECT na", "name natural", 7, 1);
    CHECK_NONE("SELECT ki"); /* not quarry_models.kind */
    CHECK_COMP("SELECT n| FROM customers", "name natural nocase not null nullif", 7, 1);
    CHECK_COMP("SELECT * FROM orders WHERE id IN (SELECT customer_id FROM customers WHERE n",
               "name natural nocase not null nullif", 74, 1);
    /* Nothing typed: keywords in the case of the statement's first word. */
    char *w = run_with("SELECT * FROM orders WHERE ", 0);
    CHECK(has("AND") && has("GROUP") && !has("and"));
    CHECK(has("amount") && has("customers") && !has("name"));
    CHECK_INT(comp.start, 27);
    free(w);
    w = run_with("select * from orders where ", 0);
    CHECK(has("and") && !has("AND") && has("region"));
    free(w);
    /* tbl. and alias. */
    CHECK_COMP("SELECT orders.re| FROM orders", "recency region", 14, 1);
    CHECK_COMP("SELECT o.| FROM orders o", "amount customer_id id recency region", 9, 1);
    CHECK_COMP("SELECT c.n| FROM orders o JOIN customers AS c ON o.customer_id = c.id", "name",
               9, 1);
    CHECK_COMP("SELECT * FROM orders o JOIN customers c ON o.customer_id = c.", "id name region",
               61, 1);
    CHECK_COMP("SELECT \"customers\".na", "name", 19, 1);
    CHECK_NONE("SELECT x.| FROM orders");
    /* The `sql` command and continuation lines. */
    CHECK_COMP("sql SELECT * FROM ", "customers orders", 18, 1);
    CHECK_COMP("FROM orders WHERE am", "amount", 18, 1);
    CHECK_COMP("  AND reg| FROM orders", "region", 6, 1);
    /* Strings, quoted identifiers, comments and numbers give nothing. */
    CHECK_NONE("SELECT * FROM orders WHERE region = 'ea");
    CHECK_NONE("SELECT \"am");
    CHECK_NONE("SELECT x -- comment am");
    CHECK_NONE("SELECT x /* am");
    CHECK_NONE("SELECT 12");
    CHECK_COMP("SELECT x /* c */ FROM ", "customers orders", 22, 1);
    CHECK_COMP("SELECT 'a;b' FROM ", "customers orders", 18, 1);
    /* quarry's own tables only once the prefix names them */
    w = run_with("SELECT * FROM ", 0);
    CHECK(!has("quarry_models"));
    free(w);
    CHECK_COMP("SELECT * FROM quarry_m", "quarry_models", 14, 1);
    CHECK_COMP("SELECT * FROM quarry_models WHERE ki", "kind", 34, 1);
}

/* Names that are not identifiers come quoted: "..." in SQL, '...' in commands. */
static void
test_quoted_names(void)
{
    sqlite3 *db = catalog_db(ctx.cat);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TABLE sales(\"Order Date\" TEXT, \"it's\" INTEGER, qty INTEGER)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_COMP("SELECT * FROM sales WHERE Or", "\"Order Date\" or order orders", 26, 1);
    CHECK_COMP("SELECT sales.i", "\"it's\"", 13, 1);
    CHECK_COMP("SELECT * FROM sales WHERE q", "qty", 26, 1);
    CHECK_COMP("mine sales by=O", "'Order Date'", 14, 1);
    CHECK_COMP("mine sales by=i", "'it''s'", 14, 1);
    CHECK_COMP("mine sales cols='Order Date',", "'it''s' qty", 29, 0);
    CHECK_COMP("mine sales cols='it''s',q", "qty", 24, 0);
    CHECK_COMP("mine sales cols=qty,'it''s',", "'Order Date'", 28, 0);
    CHECK_NONE("mine sales cols='Ord");
    CHECK_NONE("mine sales by='Order Date'");
    CHECK_COMP("load 'my file.csv'", "", 0, 0); /* the quote closed: nothing */
    CHECK_INT(sqlite3_exec(db, "DROP TABLE sales", NULL, NULL, NULL), SQLITE_OK);
}

static void
test_statements(void)
{
    CHECK_COMP("head orders; head c", "customers", 18, 1);
    CHECK_COMP("SELECT 1; SELECT * FROM o", "orders", 24, 1);
    CHECK_COMP("head 'a;b'; head c", "customers", 17, 1);
    CHECK_COMP("head c|; SELECT * FROM orders", "customers", 5, 1);
    free(run_with("head orders; ", 0)); /* a new statement: the first word */
    CHECK(comp.n_words > 20 && has("head"));
    CHECK_INT(comp.start, 13);
    CHECK_NONE("head orders # a comment c");
    CHECK_NONE("# head c");
    CHECK_COMP("SELECT *\nFROM orders\nWHERE am", "amount", 27, 1);
}

/* Every cursor position of a line: must not crash, start within bounds. */
static void
every_point(const char *line)
{
    int len = (int)strlen(line);
    for (int p = -2; p <= len + 2; p++) {
        int n = complete_line_cmds(&ctx, cmds, n_cmds, line, p, &comp);
        if (n != comp.n_words || comp.start < 0 || comp.start > len ||
            (comp.kind == COMPLETE_WORDS) != (n > 0)) {
            CHECK(!"bad completion");
            fprintf(stderr, "  line '%s' point %d\n", line, p);
            return;
        }
    }
    check_pass++;
}

/* Has the last completion every word of yes and none of no (space-separated)? */
static int
offers(const char *yes, const char *no)
{
    char buf[256];
    for (int k = 0; k < 2; k++) {
        snprintf(buf, sizeof buf, "%s", k ? no : yes);
        for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
            if (has(w) != !k)
                return 0;
    }
    return 1;
}

/* The registry's own modes (cmd_cluster.c, cmd_plot.c, cmd_normalize.c, cmd_clean.c). */
static void
test_modes(void)
{
    static const struct {
        const char *line, *yes, *no;
    } cases[] = {
        /* method's default is kmeans: dbscan's and hierarchical's keys wait */
        {"cluster orders ", "k= init= restarts= seed= into= method=", "eps= minpts= linkage= height="},
        {"cluster orders method=dbscan ", "eps= minpts= into=", "k= init= restarts= linkage="},
        {"cluster orders method=hierarchical ", "k= linkage= height= trace=", "eps= init="},
        {"cluster orders method=kmedoids ", "k= distance=", "p= eps= trace= linkage="},
        {"cluster orders method=kmedoids distance=minkowski ", "k= p=", "eps="},
        /* the key under the cursor does not set the mode it is typing */
        {"cluster orders method=dbscan k|", "", "k="},
        {"plot hist orders ", "col= bins=", "x= y= z= band="},
        {"plot line orders ", "x= y= band=", "col= bins= z="},
        {"normalize orders using=t ", "cols=", "method= range="},
        {"normalize orders method=zscore ", "cols= using=", "range="},
        {"clean orders ", "missing= dedupe=", "cols= k="},
        {"clean orders missing=knn ", "cols= k=", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = run_with(cases[i].line, 1);
        if (!offers(cases[i].yes, cases[i].no))
            printf("  modes: '%s' offers '%s'\n", cases[i].line, w);
        CHECK(offers(cases[i].yes, cases[i].no));
        free(w);
    }
}

/*
 * compare's forecasting form (a statement with date= or value=, cmd.h's
 * variant): its keys and the forecasting models, not the classifiers'.
 */
static void
test_compare_forms(void)
{
    static const struct {
        const char *line, *yes, *no;
    } cases[] = {
        {"compare orders ", "models= target= folds=", "date= value= holdout= horizon="},
        {"compare orders date=recency ",
         "value= by= models= holdout= season= detail= lags= epochs= seed= threads=",
         "target= folds= cols= date="},
        {"compare orders value=amount ", "date= by= models= holdout=", "target= folds="},
        {"compare orders date=recency value=amount models=mlp,cnn ", "lags= epochs= detail=",
         "folds= model="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = run_with(cases[i].line, 1);
        if (!offers(cases[i].yes, cases[i].no))
            printf("  compare: '%s' offers '%s'\n", cases[i].line, w);
        CHECK(offers(cases[i].yes, cases[i].no));
        free(w);
    }
    /* the value of a key of the form: columns for by=, the forecasters for models= */
    char *w = run_with("compare orders date=recency by=reg", 1);
    CHECK_STR(w, "region");
    free(w);
    w = run_with("compare orders date=recency value=amount models=", 1);
    CHECK(has("snaive") && has("holtwinters") && has("arima") && has("cnn") &&
          has("wavelet") && !has("tree") && !has("logreg"));
    CHECK_INT(comp.append_space, 0); /* a comma list: room for the next */
    free(w);
    w = run_with("compare orders date=recency models=snaive,holt", 1);
    CHECK_STR(w, "holt holtwinters");
    CHECK_INT(comp.start, (int)strlen("compare orders date=recency models=snaive,"));
    free(w);
    w = run_with("compare orders date=recency models=snaive,l| value=amount", 1);
    CHECK_STR(w, "lstm");
    free(w);
    /* forecast's own models= and model= alike */
    w = run_with("forecast orders date=recency value=amount models=arima,g", 1);
    CHECK_STR(w, "gru");
    free(w);
    w = run_with("forecast orders model=hol", 1);
    CHECK_STR(w, "holt holtwinters");
    free(w);
}

static void
test_adversarial(void)
{
    static const char *const lines[] = {
        "", " ", "'", "''", "'''", "\"", "[", "`", ";", ";;;", "=", "==", "a=b=c", "#", "--",
        "/*", "*/", ".", "..", ",", "head =", "head '", "head 'orders", "head orders n='5",
        "load '", "load ''''", "mine orders cols=,,,", "mine orders cols='a,b", "mine = = =",
        "mine orders as", "mine as as as", "set =", "set ==", "help '", "SELECT '", "SELECT \"",
        "SELECT [x", "SELECT `", "SELECT .", "SELECT ..", "SELECT o.", "SELECT \"\".",
        "SELECT * FROM orders o, o.", "sql", "sql ", "drop table ", "explain ",
        "\t\n\r head\t", "head\\", "x;y;z", "'a;b' c", "SELECT 1.5.", "SELECT [a].",
        "\xff\xfe\x80", "h\xc3\xa9" "ad orders", "SELECT * FROM \xc3\xa9.", NULL,
    };
    for (int i = 0; lines[i]; i++)
        every_point(lines[i]);
    CHECK_INT(complete_line(&ctx, NULL, 0, &comp), 0);
    CHECK_INT(comp.kind, COMPLETE_NONE);
    CHECK(complete_line(&ctx, "head o", -7, &comp) > 20); /* clamped to 0: the first word */
    CHECK_INT(comp.start, 0);
    CHECK_INT(complete_line(&ctx, "head o", 99, &comp), 1);
    CHECK_STR(comp.words[0], "orders");

    /* Random lines over the characters that matter. */
    static const char alphabet[] = "ab o=,.;'\"#-/*[]` sqlSELECTFROMheadmineorderscols";
    unsigned long long x = 88172645463325252ULL;
    for (int r = 0; r < 300; r++) {
        char line[40];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int len = (int)(x % (sizeof line - 1));
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            line[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        line[len] = 0;
        every_point(line);
    }

    /* Very long lines. */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 100000; i++)
        buf_adds(&b, "a ");
    CHECK_INT(complete_line_cmds(&ctx, cmds, n_cmds, b.data, (int)b.len, &comp), 0);
    buf_reset(&b);
    buf_adds(&b, "head ");
    buf_addn(&b, 'x', 1000000);
    CHECK_INT(complete_line_cmds(&ctx, cmds, n_cmds, b.data, (int)b.len, &comp), 0);
    buf_reset(&b);
    buf_addn(&b, 'h', 1000000);
    CHECK_INT(complete_line_cmds(&ctx, cmds, n_cmds, b.data, (int)b.len, &comp), 0);
    buf_reset(&b);
    buf_adds(&b, "SELECT * FROM orders o");
    for (int i = 0; i < 20000; i++)
        buf_adds(&b, ", customers c JOIN orders AS o ON o.id = c.id");
    buf_adds(&b, " WHERE o.re");
    CHECK_INT(complete_line_cmds(&ctx, cmds, n_cmds, b.data, (int)b.len, &comp), 2);
    CHECK_INT(comp.start, (int)b.len - 2);
    buf_reset(&b);
    buf_adds(&b, "mine orders cols=");
    for (int i = 0; i < 50000; i++)
        buf_adds(&b, "id,amount,");
    CHECK_INT(complete_line_cmds(&ctx, cmds, n_cmds, b.data, (int)b.len, &comp), 3);
    buf_release(&b);
}

static void
test_models(void)
{
    /* the real model store in place of the fake quarry_models the SQL cases read */
    struct qerr e = QERR_INIT;
    static const struct store_kind tree = {.name = "tree", .version = 1, .min_version = 1};
    static const struct store_kind norm = {.name = "normalize", .is_transform = 1,
                                           .version = 1, .min_version = 1};
    struct store_meta meta = {.source = "orders"};
    CHECK_INT(sqlite3_exec(catalog_db(ctx.cat), "DROP TABLE quarry_models;", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(store_put(ctx.cat, &tree, "churn_tree", &meta, "state", 5, &e), 0);
    CHECK_INT(store_put(ctx.cat, &tree, "big_tree", &meta, "state", 5, &e), 0);
    CHECK_INT(store_put(ctx.cat, &norm, "scaled", &meta, "state", 5, &e), 0);
    char *w = run_with("plot tree ", 1);
    CHECK_STR(w, "big_tree churn_tree"); /* no tables, no transform */
    free(w);
    w = run_with("plot tree ch", 1);
    CHECK_STR(w, "churn_tree");
    CHECK_INT(comp.start, 10);
    free(w);
    w = run_with("plot tree churn_tree depth=2 |", 1); /* then the keys */
    CHECK(has("tree=") && !has("big_tree"));
    free(w);
    w = run_with("plot scatter ", 1);
    CHECK(has("orders") && has("customers") && !has("churn_tree"));
    free(w);
    w = run_with("plot ", 1); /* the kinds come first */
    CHECK(has("tree") && !has("churn_tree") && !has("orders"));
    free(w);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    if (ctx_init(&ctx, &e) < 0)
        return 1;
    completion_init(&comp);
    cmds[n_cmds++] = &mine_entry;
    cmds[n_cmds++] = &sketch_entry;
    for (int i = 0; i < cmd_table_len && n_cmds < 64; i++)
        cmds[n_cmds++] = cmd_table[i];
    CHECK_INT(sqlite3_exec(catalog_db(ctx.cat),
                           "CREATE TABLE orders(id INTEGER, customer_id INTEGER, amount REAL, "
                           "recency INTEGER, region TEXT);"
                           "CREATE TABLE customers(id INTEGER, name TEXT, region TEXT);"
                           "CREATE TABLE quarry_models(name TEXT, kind TEXT);",
                           NULL, NULL, NULL),
              SQLITE_OK);
    test_first_word();
    test_command_args();
    test_columns();
    test_sql();
    test_quoted_names();
    test_statements();
    test_adversarial();
    test_modes();
    test_compare_forms();
    test_models();
    completion_release(&comp);
    ctx_release(&ctx);
    return check_done("test_complete");
}
