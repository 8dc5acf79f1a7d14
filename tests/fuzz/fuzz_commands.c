/*
 * fuzz_commands.c: libFuzzer target for every command through the
 * dispatcher. The fuzzer's bytes are choices in a grammar read from the
 * command table (cmd_table): which command (by name, alias or prefix),
 * which of its positional arguments and keys (its arg_spec entries), and
 * which value for each, drawn by the spec's type, choices and range
 * (edges, just outside them, and classic hostile numbers), with table and
 * column names from the live catalog; some bytes go in raw, and some
 * statements are raw bytes alone. A command registered tomorrow is fuzzed
 * the day it is added, with no change here.
 *
 * A script of up to four statements goes through the splitter, and each
 * statement through cmd_run, in a fresh session whose catalog holds
 * three small tables, from inside a private folder that holds a CSV, a
 * TSV, an ARFF file and a workspace to read (the working directory while
 * an input runs: give libFuzzer an absolute -artifact_prefix). kit.c checks each statement:
 * a failure changes nothing, a success changes the catalog only if it
 * says so. Statements are cancelled after 2 s (the progress callback).
 *
 * An input that starts with the line "#!quarry" is instead a script run
 * as it stands (LITERAL below): findings are kept in that form.
 *
 * Left out, to keep the fuzzer on commands: SQL statements (fuzz_statement
 * parses them; a LITERAL script runs its SQL) and statements whose PATH values are not one of the
 * folder's files (those are parsed only, never run, so nothing outside
 * the folder is read or written). plot runs /bin/true as gnuplot.
 * Build and run: make fuzz.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ctype.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complete.h"
#include "kit.h"

#include "base/banned.h"

/*
 * An input that starts with this line is a script, run as it stands (SQL
 * too): the form of the findings in tests/fuzz/findings and of readable
 * seeds.
 */
#define LITERAL "#!quarry\n"

/* --- the folder ----------------------------------------------------------------- */

struct file {
    const char *name, *text; /* text NULL: an output, removed after each input */
};

static const struct file files[] = {
    {"in.csv", "id,city,amount,day\n1,Oslo,10.5,2024-01-31\n2,\"Rome, IT\",-3,2024-02-29\n"
               "3,Oslo,,2024-03-01\n4,Zoë,1e5,\n"},
    {"in.tsv", "a\tb\n1\tx\n2\t\n3\ty\n"},
    {"in.arff", "@relation r\n@attribute kind {buy,sell,'hold on'}\n@attribute v numeric\n"
                "@attribute d date 'yyyy-MM-dd'\n@data\nbuy,1,2024-01-01\nsell,?,?\n"
                "{0 'hold on', 1 2.5}\n"},
    {"ws.quarry", NULL}, /* a workspace: saved at start, restored after each input */
    {"out.csv", NULL},
    {"out.quarry", NULL},
    {"out.png", NULL},
    {"out.svg", NULL},
    {"out.gp", NULL},
    {"out.qry", NULL},
};
#define N_FILES (sizeof files / sizeof *files)

static struct buf workspace; /* the bytes of ws.quarry */
static char folder[] = "/tmp/quarry-fuzz-commands-XXXXXX";
static int home = -1; /* the working directory, for libFuzzer's relative paths */

static void
write_file(const char *name, const char *data, size_t len)
{
    FILE *f = fopen(name, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

static void
restore_folder(void)
{
    for (size_t i = 0; i < N_FILES; i++) {
        if (files[i].text)
            write_file(files[i].name, files[i].text, strlen(files[i].text));
        else if (strcmp(files[i].name, "ws.quarry") == 0)
            write_file(files[i].name, workspace.data, workspace.len);
        else
            unlink(files[i].name);
    }
}

static int
known_file(const char *name)
{
    for (size_t i = 0; i < N_FILES; i++)
        if (strcmp(name, files[i].name) == 0)
            return 1;
    return 0;
}

/* --- the catalog -------------------------------------------------------------------- */

static const char setup_sql[] =
    "CREATE TABLE orders(id INTEGER, customer INTEGER, ts TIMESTAMP_TEXT, day DATE_TEXT, "
    "amount REAL, city TEXT, segment INTEGER);"
    "INSERT INTO orders VALUES"
    "(1, 10, '2024-01-01T09:00:00', '2024-01-01', 12.5, 'Oslo', 0),"
    "(2, 10, '2024-01-01T09:20:00', '2024-01-01', 80, 'Oslo', 1),"
    "(3, 11, '2024-01-02T10:00:00', '2024-01-02', -4, 'Rome', 0),"
    "(4, 12, '2024-02-10T23:59:59', '2024-02-10', NULL, NULL, 1),"
    "(5, 12, '2024-02-11T00:00:00', '2024-02-11', 1e6, 'Rome', 1),"
    "(6, 13, '2024-03-31T12:00:00', '2024-03-31', 0, 'Zoë', 0),"
    "(7, 13, '2024-03-31T12:10:00', '2024-03-31', 0, 'Zoë', 0),"
    "(8, 14, NULL, NULL, 7.25, 'Oslo', 2);"
    "CREATE TABLE customers(customer_id INTEGER, age INTEGER, city TEXT, \"odd name\" TEXT, "
    "score REAL);"
    "INSERT INTO customers VALUES (10, 31, 'Oslo', 'a''b', 0.5), (11, 45, 'Rome', NULL, 2),"
    "(12, NULL, 'Rome', 'x,y', -1), (13, 22, 'Zoë', '', 1e-300), (14, 31, 'Oslo', 'a''b', 0.5);"
    "CREATE TABLE merges(\"left\" INTEGER, \"right\" INTEGER, height REAL, ids INTEGER);"
    "INSERT INTO merges VALUES (0, 1, 0.5, 2), (2, 3, 1.5, 2), (4, 5, 3, 4);";

static void
catalog_setup(struct cmd_ctx *ctx)
{
    fuzz_exec(ctx, setup_sql);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* At exit: the folder goes (a crash keeps it, with the input's files). */
static void
remove_folder(void)
{
    if (fchdir(home) == 0)
        nftw(folder, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
first_call(void)
{
    home = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (home < 0 || !mkdtemp(folder) || chdir(folder) < 0)
        abort();
    atexit(remove_folder);
    setenv("QUARRY_GNUPLOT", "/bin/true", 1);
    setenv("TMPDIR", folder, 1);
    /* The workspace: the session's catalog, saved. */
    struct cmd_ctx ctx;
    struct qerr e = QERR_INIT;
    fuzz_session(&ctx, 2000);
    catalog_setup(&ctx);
    if (catalog_save(ctx.cat, "ws.quarry", &e) < 0)
        abort();
    ctx_release(&ctx);
    FILE *f = fopen("ws.quarry", "rb");
    char tmp[4096];
    size_t n;
    while (f && (n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&workspace, tmp, n);
    if (f)
        fclose(f);
    restore_folder();
}

/* --- the fuzzer's choices -------------------------------------------------------- */

struct bytes {
    const unsigned char *p;
    size_t n;
};

static unsigned
take(struct bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

/* A choice among n (n > 0). */
static unsigned
pick(struct bytes *b, unsigned n)
{
    unsigned v = take(b);
    if (n > 256)
        v = v << 8 | take(b);
    return v % n;
}

/* One chance in n. */
static int
chance(struct bytes *b, unsigned n)
{
    return pick(b, n) == 0;
}

/* Up to max raw bytes of the input, without NUL (they end a statement in C). */
static void
add_raw(struct bytes *b, struct buf *out, unsigned max)
{
    unsigned n = pick(b, max + 1);
    for (unsigned i = 0; i < n && b->n; i++) {
        char c = (char)take(b);
        buf_addc(out, c ? c : ' ');
    }
}

/* --- values ------------------------------------------------------------------------ */

static const char *const ints[] = {
    "0", "-1", "1", "2", "3", "10", "100000", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "1e3", "0x10", "1.5", "", "abc", "+2", "007", "-0",
};
static const char *const reals[] = {
    "0", "-0", "0.5", "1", "3", "1e-6", "1e-300", "4.9e-324", "1e308", "-1e308", "1e400",
    "nan", "inf", "-inf", ".5", "5.", "1,2", "", "1e", "0x1p3",
};
static const char *const bools[] = {"yes", "no", "on", "off", "true", "false", "1", "0",
                                    "YES", "maybe", ""};
/* Text values seen in quarry's keys (ranges, durations, dates, lists, sizes, names). */
static const char *const texts[] = {
    "", "x", "1", "-1", "0.5", "2..5", "1..3", "5..2", "2..100000", "30m", "90s", "2h", "1d",
    "0s", "-5m", "2024-01-01", "2024-02-29T12:00:00", "2024-13-01", "0.7,0.3", "0.5,0.5,0",
    "0.7,0.15,0.15", "1,2", "-1,1", "0,0", "time:ts", "time:day", "time:nosuch",
    "value:0", "value:abc", "800x600", "10x10", "0x0", "99999x99999", "auto", "3", "0",
    "1e308", "nan", "inf", "a b", "it's", ",", "'", "\"", "%s%n", "$(touch pwned)",
    "`id`", "a\\", "\xc3\xa9", "\xff", "segment", "orders", "amount", "help",
};
/* New names: fresh, and taken, reserved, not identifiers. */
static const char *const fresh_names[] = {"t2", "res", "out_1", "Seg"};
static const char *const names[] = {
    "t2", "orders", "customers", "new table", "1bad", "quarry_x", "sqlite_y", "rowid",
    "x", "Orders", "\xc3\xa9t\xc3\xa9", "a'b", "a;b", "",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
/* derive's expressions. */
static const char *const exprs[] = {
    "amount * 2", "substr(ts, 1, 7)", "amount > 100", "1/0", "'x'", "NULL", "id", "age",
    "score", "abs(-9223372036854775807 - 1)", "1e308 * 10", "zeroblob(10)", "char(0)",
    "(SELECT count(*) FROM orders)", "city || '!'", "nosuch + 1", "amount +", "x",
};

#define PICK(b, arr) ((arr)[pick((b), sizeof(arr) / sizeof *(arr))])

/* A choice of "a|b|c", or one of the ways to miss: a prefix, upper case, no such. */
static void
add_choice(struct bytes *b, struct buf *out, const char *choices)
{
    int n = 1;
    for (const char *p = choices; *p; p++)
        n += *p == '|';
    unsigned k = pick(b, (unsigned)n);
    const char *s = choices;
    for (unsigned i = 0; i < k; i++)
        s = strchr(s, '|') + 1;
    size_t len = strcspn(s, "|");
    switch (pick(b, 12)) {
    case 0:
        buf_add(out, s, len > 2 ? 2 : len);
        return;
    case 1:
        for (size_t i = 0; i < len; i++)
            buf_addc(out, (char)toupper((unsigned char)s[i]));
        return;
    case 2:
        buf_adds(out, "nosuch");
        return;
    default:
        buf_add(out, s, len);
        if (len && s[len - 1] == ':') /* value: takes text after it */
            buf_adds(out, PICK(b, texts));
    }
}

/* A number from a spec's range: an edge, just past one, the middle, or a classic. */
static void
add_number(struct bytes *b, struct buf *out, const struct arg_spec *sp, int integer)
{
    int ranged = sp->min < sp->max;
    switch (ranged ? pick(b, 8) : 7) {
    case 0:
        buf_addf(out, integer ? "%.0f" : "%.17g", sp->min);
        return;
    case 1:
        buf_addf(out, integer ? "%.0f" : "%.17g", sp->max);
        return;
    case 2:
        buf_addf(out, integer ? "%.0f" : "%.17g", integer ? sp->min - 1 : sp->min - 1e-9);
        return;
    case 3:
        buf_addf(out, integer ? "%.0f" : "%.17g", integer ? sp->max + 1 : sp->max * 1.000001 + 1);
        return;
    case 4:
        buf_addf(out, integer ? "%.0f" : "%.17g", integer ? (double)(long long)((sp->min + sp->max) / 2)
                                                          : (sp->min + sp->max) / 2);
        return;
    case 5: /* small values from the bottom of the range */
        buf_addf(out, integer ? "%.0f" : "%.17g", sp->min + pick(b, 20));
        return;
    case 6:
        if (sp->def) {
            buf_adds(out, sp->def);
            return;
        }
        /* fall through */
    default:
        buf_adds(out, integer ? PICK(b, ints) : PICK(b, reals));
    }
}

static const char *
some_table(struct bytes *b, char **tables, int n_tables)
{
    static const char *const others[] = {"nosuch", "quarry_transforms", "sqlite_schema", ""};
    if (n_tables && !chance(b, 8))
        return tables[pick(b, (unsigned)n_tables)];
    return PICK(b, others);
}

static const char *
some_column(struct bytes *b, char **cols, int n_cols)
{
    static const char *const others[] = {"nosuch", "rowid", "*", "", "Amount"};
    if (n_cols && !chance(b, 8))
        return cols[pick(b, (unsigned)n_cols)];
    return PICK(b, others);
}

/* The statement being built: the live catalog's names for its values. */
struct gen {
    struct cmd_ctx *ctx;
    struct bytes *b;
    char **tables;
    int n_tables;
    char **cols; /* of the statement's table */
    int n_cols;
};

/* A value as typed: quoted when it holds what would end it, sometimes raw bytes. */
static void
add_value(struct gen *g, struct buf *out, const struct arg_spec *sp)
{
    struct bytes *b = g->b;
    struct buf v = BUF_INIT;
    switch (sp->type) {
    case ARG_INT:
        add_number(b, &v, sp, 1);
        break;
    case ARG_REAL:
        add_number(b, &v, sp, 0);
        break;
    case ARG_BOOL:
        buf_adds(&v, PICK(b, bools));
        break;
    case ARG_ENUM:
        add_choice(b, &v, sp->choices ? sp->choices : "x");
        break;
    case ARG_TABLE:
        buf_adds(&v, some_table(b, g->tables, g->n_tables));
        break;
    case ARG_NAME:
        buf_adds(&v, chance(b, 4) ? PICK(b, names) : PICK(b, fresh_names));
        break;
    case ARG_COLUMN:
        buf_adds(&v, some_column(b, g->cols, g->n_cols));
        break;
    case ARG_COLUMNS: {
        unsigned n = 1 + pick(b, 4);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                buf_addc(&v, ',');
            buf_adds(&v, some_column(b, g->cols, g->n_cols));
        }
        break;
    }
    case ARG_PATH:
        buf_adds(&v, files[pick(b, N_FILES)].name);
        break;
    default: /* ARG_TEXT and any type added later */
        if (sp->choices && !chance(b, 4))
            add_choice(b, &v, sp->choices);
        else if (chance(b, 3))
            buf_adds(&v, cmd_table[pick(b, (unsigned)cmd_table_len)]->name);
        else if (chance(b, 3))
            buf_adds(&v, some_column(b, g->cols, g->n_cols));
        else
            buf_adds(&v, PICK(b, texts));
    }
    if (chance(b, 16))
        add_raw(b, &v, 8);
    int plain = v.len > 0;
    for (size_t i = 0; i < v.len; i++)
        if (strchr(" \t,'\";#=", v.data[i]))
            plain = 0;
    if (sp->type == ARG_COLUMNS) /* the commas separate its items */
        plain = v.len > 0 && !strpbrk(v.data, " \t'\";#=");
    if (plain && !chance(b, 8))
        buf_add(out, v.data, v.len);
    else
        fuzz_quote(out, v.len ? v.data : "");
    buf_release(&v);
}

/*
 * One of the completion engine's words for what follows text (a command
 * name and a space: the keys of `set` as "threads=", ...; "set format=":
 * its values), or NULL; the caller frees it.
 */
static char *
completed(struct gen *g, const char *text)
{
    struct completion comp;
    char *w = NULL;
    completion_init(&comp);
    complete_line(g->ctx, text, (int)strlen(text), &comp);
    if (comp.n_words)
        w = xstrdup(comp.words[pick(g->b, (unsigned)comp.n_words)]);
    completion_release(&comp);
    return w;
}

/*
 * NAME=VALUE for a command that takes any key (CMD_FREE_KEYS): a key and
 * its values from the completion engine where it knows them (set), else a
 * new name and an expression (derive) or any value.
 */
static void
add_free_pair(struct gen *g, struct buf *out, const struct cmd_entry *c)
{
    struct bytes *b = g->b;
    struct buf line = BUF_INIT;
    buf_addf(&line, "%s ", c->name);
    char *key = chance(b, 4) ? NULL : completed(g, line.data);
    if (key && strchr(key, '=') == key + strlen(key) - 1) {
        buf_adds(&line, key);
        buf_adds(out, key);
        char *value = chance(b, 2) ? completed(g, line.data) : NULL;
        if (value) {
            buf_adds(out, value);
        } else {
            struct arg_spec text = {.name = "value", .type = ARG_TEXT};
            add_value(g, out, &text);
        }
        free(value);
    } else {
        buf_adds(out, !chance(b, 2) ? PICK(b, fresh_names)
                      : chance(b, 2) ? PICK(b, names) : some_column(b, g->cols, g->n_cols));
        buf_addc(out, '=');
        fuzz_quote(out, PICK(b, exprs));
    }
    free(key);
    buf_release(&line);
}

/* " key=value" for spec key (NULL: an unknown key), now and then misspelt or bare. */
static void
add_key(struct gen *g, struct buf *out, const struct arg_spec *key)
{
    struct bytes *b = g->b;
    buf_addc(out, ' ');
    switch (key ? pick(b, 24) : 0) {
    case 0:
        buf_adds(out, "nosuch=1");
        break;
    case 1: /* a misspelling */
        buf_add(out, key->name, strlen(key->name) - 1);
        buf_addc(out, '=');
        add_value(g, out, key);
        break;
    case 2: /* no value */
        buf_adds(out, key->name);
        if (chance(b, 2))
            buf_addc(out, '=');
        break;
    default:
        buf_adds(out, key->name);
        buf_addc(out, '=');
        add_value(g, out, key);
    }
}

/* One statement of the grammar into out. */
static void
add_statement(struct gen *g, struct buf *out)
{
    struct bytes *b = g->b;
    const struct cmd_entry *c = cmd_table[pick(b, (unsigned)cmd_table_len)];
    switch (pick(b, 16)) {
    case 0:
        buf_add(out, c->name, strlen(c->name) > 3 ? 3 : strlen(c->name));
        break;
    case 1:
        for (const char *p = c->name; *p; p++)
            buf_addc(out, (char)toupper((unsigned char)*p));
        break;
    case 2:
        buf_adds(out, c->alias ? c->alias : c->name);
        break;
    default:
        buf_adds(out, c->name);
    }
    /* The statement's table first: its columns are the column values. */
    const char *table = NULL;
    const struct arg_spec *sp;
    for (sp = c->args; sp && sp->name; sp++)
        if (sp->positional && sp->type == ARG_TABLE) {
            table = some_table(b, g->tables, g->n_tables);
            break;
        }
    g->cols = NULL;
    g->n_cols = 0;
    if (table) {
        struct qerr e = QERR_INIT;
        cmd_table_columns(g->ctx, table, &g->cols, NULL, &g->n_cols, &e);
        qerr_clear(&e);
    }
    /* Positionals in order; an optional one may be left out. */
    int used_table = 0;
    for (sp = c->args; sp && sp->name; sp++) {
        if (!sp->positional || (!sp->required && chance(b, 3)))
            continue;
        buf_addc(out, ' ');
        if (sp->type == ARG_TABLE && !used_table && table) {
            struct buf v = BUF_INIT;
            fuzz_quote(&v, table);
            buf_adds(out, strpbrk(table, " \t,'\";#=") || !*table ? v.data : table);
            buf_release(&v);
            used_table = 1;
        } else {
            add_value(g, out, sp);
        }
    }
    /*
     * Keys: the required ones (mostly), then a few others (mostly not
     * given yet); now and then one misspelt, bare or unknown.
     */
    const struct arg_spec *keys[CMD_MAX_ARGS];
    int n_keys = 0, used[CMD_MAX_ARGS] = {0};
    for (sp = c->args; sp && sp->name && n_keys < CMD_MAX_ARGS; sp++)
        if (!sp->positional)
            keys[n_keys++] = sp;
    for (int k = 0; k < n_keys; k++)
        if (keys[k]->required && !chance(b, 16)) {
            add_key(g, out, keys[k]);
            used[k] = 1;
        }
    unsigned n = n_keys ? pick(b, 5) : chance(b, 16);
    for (unsigned i = 0; i < n; i++) {
        if ((c->flags & CMD_FREE_KEYS) && chance(b, 2)) {
            buf_addc(out, ' ');
            add_free_pair(g, out, c);
            continue;
        }
        int k = n_keys ? (int)pick(b, (unsigned)n_keys) : -1;
        if (k >= 0 && used[k] && !chance(b, 8))
            continue;
        add_key(g, out, k >= 0 ? keys[k] : NULL);
        if (k >= 0)
            used[k] = 1;
    }
    if ((c->flags & CMD_FREE_KEYS) && !n_keys && !chance(b, 8)) {
        buf_addc(out, ' ');
        add_free_pair(g, out, c);
    }
    if ((c->flags & CMD_AS_REQUIRED)  ? !chance(b, 16)
        : (c->flags & CMD_AS)         ? chance(b, 3)
                                      : chance(b, 32)) {
        buf_adds(out, " as ");
        struct arg_spec name = {.name = "NAME", .type = ARG_NAME};
        add_value(g, out, &name);
    }
    if (chance(b, 12)) {
        buf_addc(out, ' ');
        add_raw(b, out, 16);
    }
    cmd_free_names(g->cols, g->n_cols);
    g->cols = NULL;
    g->n_cols = 0;
}

/* --- running ------------------------------------------------------------------------ */

/*
 * 1 if the statement may run: a command whose PATH values are the
 * folder's files. (An open finding may be steered around here, with its
 * reproducer in tests/fuzz/findings/; none is open.)
 */
static int
safe_to_run(struct cmd_ctx *ctx, const char *stmt)
{
    struct cmd_args a;
    struct qerr e = QERR_INIT;
    int ok = 1;
    if (cmd_parse(ctx, stmt, &a, &e) == 0) {
        for (int i = 0; i < a.n_vals; i++)
            if (a.vals[i].spec->type == ARG_PATH && a.vals[i].text && !known_file(a.vals[i].text))
                ok = 0;
        args_release(&a);
    }
    qerr_clear(&e);
    return ok;
}

static int literal; /* the input is a script (LITERAL): SQL runs too */

static int
run_one(void *arg, const char *stmt, int line)
{
    (void)line;
    struct cmd_ctx *ctx = arg;
    if (cmd_is_sql(stmt) ? literal : safe_to_run(ctx, stmt))
        fuzz_run(ctx, stmt);
    return 0;
}

/* Feed text to the splitter line by line, as a script is read. */
static void
feed(struct splitter *sp, struct cmd_ctx *ctx, char *text)
{
    char *line = text;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        splitter_feed(sp, line, run_one, ctx);
        if (!nl)
            break;
        line = nl + 1;
    }
}

static void
tables_of(struct cmd_ctx *ctx, struct gen *g)
{
    cmd_free_names(g->tables, g->n_tables);
    cmd_table_names(ctx, 1, &g->tables, &g->n_tables);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int ready;
    if (!ready) {
        first_call();
        ready = 1;
    } else if (chdir(folder) < 0) {
        abort();
    }
    struct bytes b = {data, size};
    struct cmd_ctx ctx;
    fuzz_session(&ctx, 2000);
    catalog_setup(&ctx);
    struct gen g = {.ctx = &ctx, .b = &b};
    struct splitter sp;
    splitter_init(&sp);
    literal = size >= strlen(LITERAL) && memcmp(data, LITERAL, strlen(LITERAL)) == 0;
    if (literal) {
        char *text = xstrndup((const char *)data + strlen(LITERAL), size - strlen(LITERAL));
        feed(&sp, &ctx, text);
        free(text);
    }
    unsigned n = literal ? 0 : 1 + pick(&b, 4);
    for (unsigned i = 0; i < n; i++) {
        struct buf stmt = BUF_INIT;
        tables_of(&ctx, &g);
        if (chance(&b, 16))
            add_raw(&b, &stmt, 64);
        else
            add_statement(&g, &stmt);
        if (stmt.len)
            feed(&sp, &ctx, stmt.data);
        buf_release(&stmt);
    }
    splitter_finish(&sp, run_one, &ctx);
    splitter_release(&sp);
    cmd_free_names(g.tables, g.n_tables);
    ctx_release(&ctx);
    restore_folder();
    if (fchdir(home) < 0)
        abort();
    return 0;
}
