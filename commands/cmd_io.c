/*
 * cmd_io.c: moving data in and out of the catalog: load and export (data
 * files), save and open (workspace files).
 */
#include "kit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/coltab.h"
#include "data/csv.h"
#include "data/file_kind.h"
#include "data/frame.h"
#include "data/load.h"

#include "remote.h"
#include "base/banned.h"

/* --- load ------------------------------------------------------------------ */

static const char *const format_names[] = {
    [LOAD_AUTO] = "auto", [LOAD_CSV] = "csv", [LOAD_TSV] = "tsv", [LOAD_ARFF] = "arff",
    [LOAD_JSON] = "json"};
static const char *const encoding_names[] = {
    [LOAD_ENC_UTF8] = "utf-8", [LOAD_ENC_LATIN1] = "latin1", [LOAD_ENC_CP1252] = "cp1252",
    [LOAD_ENC_UTF16] = "utf-16"};
enum header { HEADER_AUTO, HEADER_YES, HEADER_NO };
static const char *const header_names[] = {
    [HEADER_AUTO] = "auto", [HEADER_YES] = "yes", [HEADER_NO] = "no"};
enum onerror { ONERROR_FAIL, ONERROR_SKIP, ONERROR_PAD };
static const char *const onerror_names[] = {
    [ONERROR_FAIL] = "fail", [ONERROR_SKIP] = "skip", [ONERROR_PAD] = "pad"};
enum decimal { DECIMAL_POINT, DECIMAL_COMMA };
static const char *const decimal_names[] = {[DECIMAL_POINT] = ".", [DECIMAL_COMMA] = ","};

static const struct arg_spec cmd_load_args[] = {
    {.name = "PATH", .positional = 1, .type = ARG_PATH, .required = 1,
     .help = "The file to read.", .comp = COMP_FILES},
    {.name = "format", .type = ARG_ENUM, .def = "auto", .choices = "auto|csv|tsv|arff|json",
     ARG_NAMES(format_names),
     .help = "File format; auto goes by the extension (.csv, .tsv/.tab, .arff, "
             ".json/.jsonl/.ndjson, each also with .gz after it).",
     .comp = COMP_CHOICES},
    {.name = "header", .type = ARG_ENUM, .def = "auto", .choices = "auto|yes|no",
     ARG_NAMES(header_names), .modes = "format=auto|csv|tsv",
     .help = "Whether the first row holds column names; auto decides from the data.",
     .comp = COMP_CHOICES},
    {.name = "delim", .type = ARG_TEXT, .def = "auto", .modes = "format=auto|csv|tsv",
     .help = "Field separator, one character, or auto: sniffed from the first lines among , "
             "tab ; and | for csv (tab for tsv), else a single space when every first line "
             "splits at single spaces into the same fields, numbers among them, else runs "
             "of spaces and tabs by the same rule; write delim=tab, delim=';', delim=' ' or "
             "delim=blanks (runs of spaces and tabs, none at a line's ends; also '\\s+')."},
    {.name = "skip", .type = ARG_INT, .def = "0", .min = 0, .max = 1000000,
     .modes = "format=auto|csv|tsv",
     .help = "Lines to skip at the start (a title or notes above the table)."},
    {.name = "na", .type = ARG_TEXT, .def = LOAD_NA_DEFAULT,
     .modes = "format=auto|csv|tsv",
     .help = "Comma-separated markers read as missing (NULL) in columns of numbers or dates; "
             "na= leaves only empty fields missing. Text columns keep them."},
    {.name = "decimal", .type = ARG_ENUM, .def = ".", .choices = ".|,",
     ARG_NAMES(decimal_names), .modes = "format=auto|csv|tsv",
     .help = "The decimal mark: decimal=, reads 1,50 as 1.5 (the delimiter is then not ,).",
     .comp = COMP_CHOICES},
    {.name = "encoding", .type = ARG_ENUM, .def = "utf-8",
     .choices = "utf-8|latin1|cp1252|utf-16", ARG_NAMES(encoding_names),
     .help = "The file's text encoding, converted to UTF-8 as it loads (a file that starts "
             "with a UTF-16 byte order mark is converted without being asked).",
     .comp = COMP_CHOICES},
    {.name = "onerror", .type = ARG_ENUM, .def = "fail", .choices = "fail|skip|pad",
     ARG_NAMES(onerror_names),
     .help = "On a malformed row, fail (nothing is loaded), skip it and count it, or pad: fill "
             "a short row with NULL (other bad rows fail).",
     .comp = COMP_CHOICES},
    {0},
};

static int
cmd_load_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *path = args_str(args, "PATH");
    int renamed = 0;
    char *name = args->as ? xstrdup(args->as) : load_table_name(path, &renamed);
    struct load_opts o = {0};
    struct load_result r;
    int rc = -1;
    load_result_init(&r);
    if (access(path, F_OK) != 0 && (rc = remote_load_query(ctx, res, path, args->as, err)) != 1)
        goto out; /* load 'SELECT ... FROM NAME.table' as T (remote.h) */
    rc = -1;
    if (remote_named(path) && access(path, F_OK) != 0) { /* an attached database's table */
        const char *dest = args->as ? args->as : strrchr(path, '.') + 1;
        if (catalog_has_table(ctx->cat, dest))
            rc = qerr_set(err, QE_ARG, "table '%s' already exists; drop it first or load %s as "
                          "OTHER_NAME", dest, path);
        else
            rc = remote_load(ctx, res, path, dest, err);
        goto out;
    }

    if (catalog_has_table(ctx->cat, name)) {
        qerr_set(err, QE_ARG, "table '%s' already exists; drop it first or load %s as OTHER_NAME",
                 name, path);
        goto out;
    }
    o.path = path;
    o.table = name;
    o.format = (enum load_format)args_choice(args, "format");
    enum header h = (enum header)args_choice(args, "header");
    o.header = h == HEADER_YES ? 1 : h == HEADER_NO ? 0 : -1;
    const char *d = args_str(args, "delim");
    if (d && strcmp(d, "auto") != 0) {
        if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0) {
            o.delim = '\t';
        } else if (strcmp(d, "blanks") == 0 || strcmp(d, "\\s+") == 0) {
            o.delim = CSV_DELIM_RUNS;
        } else if (strlen(d) == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r') {
            o.delim = d[0];
        } else {
            qerr_set(err, QE_ARG, "delim must be one character (or tab), not '%s'", d);
            kit_fail_at(args, "delim", err);
            goto out;
        }
    }
    enum onerror on = (enum onerror)args_choice(args, "onerror");
    o.skip_bad = on == ONERROR_SKIP;
    o.pad_short = on == ONERROR_PAD;
    o.skip_lines = (int)args_int(args, "skip");
    o.na = args_str(args, "na");
    o.decimal = args_choice(args, "decimal") == DECIMAL_COMMA ? ',' : '.';
    o.encoding = (enum load_encoding)args_choice(args, "encoding");
    o.progress = kit_progress;
    o.progress_ctx = ctx;
    /* Keep the numbers for the next command (a quarter of the memory budget, or 256 MB). */
    o.capture_bytes = ctx->set.memory_mb > 0 ? (size_t)ctx->set.memory_mb << 18 : (size_t)256 << 20;
    /*
     * A pipe or FIFO is held whole while it is read: at most a quarter of
     * the budget (its buffer doubles, so the old and new copies fit), or 1 GiB.
     */
    if (ctx->set.memory_mb > 0 && ctx->set.memory_mb < (1LL << 40))
        o.stream_bytes = (size_t)ctx->set.memory_mb << 18;
    /* set columns=on (issue 18): the rows go straight into a column table */
    o.columns = ctx->set.columns > 0;
    if ((o.columns && coltab_register(catalog_db(ctx->cat), err) < 0) ||
        load_file(catalog_db(ctx->cat), &o, &r, err) < 0)
        goto out;
    if (r.num) {
        frame_cache_adopt(ctx->cat, name, r.n_cols, r.names, r.decl, r.num, r.n_rows,
                          r.num_block, r.num_ld);
        r.num_block = NULL; /* the cache has it */
    }
    if (r.frame) { /* an ARFF load kept every column */
        frame_cache_adopt_frame(ctx->cat, name, r.frame);
        r.frame = NULL;
    }
    result_text(res, "loaded %lld row%s, %d column%s into '%s'", r.n_rows, r.n_rows == 1 ? "" : "s",
                r.n_cols, r.n_cols == 1 ? "" : "s", name);
    if (renamed)
        result_text(res, "named '%s', not '%.*s': that is an SQL keyword, which SQL takes as "
                    "a table name only in double quotes; load ... as NAME picks another", name,
                    (int)strlen(name) - 1, name);
    if (r.n_skipped) {
        buf_rtrim(&r.skipped);
        result_text(res, "skipped %lld malformed row%s:\n%s", r.n_skipped,
                    r.n_skipped == 1 ? "" : "s", r.skipped.data);
    }
    if (r.summary.len) {
        buf_rtrim(&r.summary);
        result_text(res, "%s", r.summary.data);
    }
    rc = 0;
out:
    load_result_release(&r);
    free(name);
    return rc;
}

const struct cmd_entry cmd_load_entry = {
    .name = "load",
    .family = "data",
    .synopsis = "load PATH [as NAME] [format=auto] [header=auto] [delim=auto] [skip=0] [na=LIST] "
                "[decimal=.] [encoding=utf-8] [onerror=fail]",
    .help = "Read a CSV, TSV, ARFF or JSON file into a new table (named after the file unless "
            "as NAME is given; a name SQL keeps for itself, such as select.csv's, gets a _ "
            "after it, and load says so). PATH may start with ~ (the home folder); a path "
            "with spaces goes in double or single quotes, or with each space after a "
            "backslash. A file ending in .gz (x.csv.gz, x.tsv.gz, x.arff.gz, x.json.gz) is "
            "decompressed as it loads, up to the same bound as a pipe. Text in "
            "encoding=latin1, cp1252 or utf-16 is converted to UTF-8; a file that starts "
            "with a UTF-16 byte order mark is converted without being asked. JSON is an "
            "array of objects or JSON Lines (one object per line), read with SQLite's JSON "
            "functions: the columns are every key in the order first seen, typed as CSV "
            "values are, with true and false as 1 and 0 and nested objects and arrays kept "
            "as JSON text; invalid JSON is an error with its line and column. "
            "CSV follows RFC 4180: quoted fields may hold the delimiter, "
            "doubled quotes and newlines; CRLF line ends, a UTF-8 byte-order mark and blank "
            "lines are accepted; an empty field is missing (NULL), and so are NA, N/A, n/a, "
            "nan, NaN, NULL, null, - and ? in a column of numbers or dates (na= sets the "
            "list; load says how many). The delimiter is sniffed from the first lines unless "
            "delim= gives it (a single space only for lines of numbers that all split "
            "alike, and load says so); a trailing delimiter on every line is dropped; skip=N skips a "
            "title above the table. Each column's type is inferred from the whole file: "
            "integer, real, or text, with ISO-8601 dates and timestamps kept as text but "
            "marked as dates. With header=auto the first row is a header when it holds names "
            "over columns of numbers or dates, names and consecutive years, or (all text) "
            "values that do not appear again; load says which rule decided, and makes "
            "duplicate or empty names unique. ARFF numeric, nominal, string and date "
            "attributes, '?' for missing and sparse rows are read. A malformed row stops the "
            "load with the file and line and the option that fits (skip=, delim=, "
            "onerror=pad), unless onerror=skip. Numbers: integers that fit 64 bits (-2^63 "
            "to 2^63-1) are integers; a column holding a wider one "
            "(2^63, 20-digit ids) is kept as text, so that no digit is lost, and load says "
            "so; inf, -inf and Infinity are real infinities, and so is 1e400 (beyond the "
            "largest double; 1e-400 is 0); -0 is 0; NaN is missing (SQLite has no NaN); hex "
            "such as 0x10 is text. A table holds at most 2000 columns. PATH may be a pipe or "
            "FIFO (/dev/stdin), read whole into memory, up to a quarter of set memory (else 1 "
            "GiB); devices such as /dev/zero are refused. A file that changes while it loads "
            "is an error, and Ctrl-C stops a load at once; either way the catalog is "
            "unchanged.",
    .example = "load sample-data/orders.csv as orders",
    .args = cmd_load_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_load_exec,
};

/* --- replacing a file of another kind -------------------------------------- */

/* path as the parser reads it back: quoted with ' when it holds a space, quote, ;, # or =. */
static void
add_path(struct buf *b, const char *path)
{
    if (*path && !strpbrk(path, " \t\n\r'\";#="))
        buf_adds(b, path);
    else {
        buf_addc(b, '\'');
        for (const char *p = path; *p; p++)
            buf_add(b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
        buf_addc(b, '\'');
    }
}

/*
 * save and export never replace a file of another kind without being
 * told: save only a workspace, an empty file or nothing; export anything
 * but an SQLite database. Returns 0 to go on: the file is of the kind,
 * the statement says replace=yes, or the user said yes to the question.
 * At the full-screen prompt (ctx->can_ask) it asks instead, y/N, as open
 * and quit do (cmd.h: res->confirm), and returns 1: the handler stops
 * having done nothing, and a yes runs the statement again confirmed,
 * recorded in the history with replace=yes. Elsewhere (scripts, plain
 * mode) it refuses (QE_ARG, -1) with the statement to type (retyped as
 * given, then replace=yes) and the other way out.
 */
static int
check_replace(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              const char *path, const char *retyped, struct qerr *err)
{
    int save = strcmp(args->cmd->name, "save") == 0;
    enum file_kind k = file_kind_sniff(path, NULL);
    /* A folder, device or FIFO: file_target_open refuses or streams it, and says why. */
    int ok = k == FILE_KIND_SPECIAL ||
             (save ? k == FILE_KIND_NONE || k == FILE_KIND_EMPTY || k == FILE_KIND_WORKSPACE
                   : k != FILE_KIND_WORKSPACE && k != FILE_KIND_DATABASE &&
                         k != FILE_KIND_UNREADABLE);
    if (ok || args_int(args, "replace"))
        return 0;
    const char *with = save ? "a workspace" : "an exported table";
    if (ctx->confirmed) {
        free(res->record_extra);
        res->record_extra = xstrdup(" replace=yes");
        return 0;
    }
    if (ctx->can_ask) {
        /* The why in the pane, whole; the question short, to fit the prompt line. */
        const char *base = strrchr(path, '/');
        struct buf q = BUF_INIT;
        if (save)
            result_text(res, "'%s' is %s; save would replace it with a workspace, keeping the "
                        "old file as %s.bak", path, file_kind_phrase(k), path);
        else
            result_text(res, "'%s' is %s; export would replace it with %s", path,
                        file_kind_phrase(k), with);
        buf_addf(&q, "Replace %s? (y/N) ", base && base[1] ? base + 1 : path);
        free(res->confirm);
        res->confirm = buf_detach(&q);
        return 1;
    }
    struct buf hint = BUF_INIT;
    buf_addf(&hint, "to replace it, type: %s replace=yes", retyped);
    if (save)
        buf_addf(&hint, " (the old file is kept as %s.bak); or save the workspace under "
                        "another name, e.g. work.qdb", path);
    else
        buf_adds(&hint, "; or export to another file name");
    qerr_set(err, QE_ARG, "'%s' is %s; %s would replace it with %s", path,
             file_kind_phrase(k), args->cmd->name, with);
    qerr_hint(err, "%s", hint.data);
    buf_release(&hint);
    return -1;
}

/* --- export ---------------------------------------------------------------- */

enum export_choice { EXPORT_AUTO, EXPORT_CSV, EXPORT_TSV, EXPORT_JSON, EXPORT_JSONL };
static const char *const export_names[] = {
    [EXPORT_AUTO] = "auto", [EXPORT_CSV] = "csv", [EXPORT_TSV] = "tsv", [EXPORT_JSON] = "json",
    [EXPORT_JSONL] = "jsonl"};
static const enum load_format export_formats[] = {
    [EXPORT_AUTO] = LOAD_AUTO, [EXPORT_CSV] = LOAD_CSV, [EXPORT_TSV] = LOAD_TSV,
    [EXPORT_JSON] = LOAD_JSON, [EXPORT_JSONL] = LOAD_JSONL};

static const struct arg_spec cmd_export_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to write.", .comp = COMP_TABLES},
    {.name = "PATH", .positional = 1, .type = ARG_PATH, .required = 1,
     .help = "The file to write (a file that exists is replaced, but not an SQLite database "
             "unless replace=yes).", .comp = COMP_FILES},
    {.name = "format", .type = ARG_ENUM, .def = "auto", .choices = "auto|csv|tsv|json|jsonl",
     ARG_NAMES(export_names),
     .help = "File format; auto goes by the extension: .csv (or none) csv, .tsv/.tab tsv, "
             ".json json (an array of objects), .jsonl/.ndjson jsonl (an object a line); "
             "another extension is refused.",
     .comp = COMP_CHOICES},
    {.name = "replace", .type = ARG_BOOL, .def = "no", .choices = "yes|no",
     .help = "yes: write over PATH even when it is an SQLite database (a workspace), or "
             "over a remote table NAME.table that exists.",
     .comp = COMP_CHOICES},
    {0},
};

static int
cmd_export_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *path = args_str(args, "PATH");
    int choice = args_choice(args, "format");
    enum load_format f = export_formats[choice];
    if (remote_named(path) && access(path, F_OK) != 0) /* an attached database (remote.h) */
        return remote_export(ctx, res, table, path, (int)args_int(args, "replace"), err);
    if (f == LOAD_AUTO && load_export_format(path, &f, err) < 0)
        return kit_fail_at(args, "PATH", err);
    struct buf stmt = BUF_INIT;
    buf_addf(&stmt, "export %s ", table);
    add_path(&stmt, path);
    if (args_given(args, "format"))
        buf_addf(&stmt, " format=%s", export_names[choice]);
    int rc = check_replace(ctx, args, res, path, stmt.data, err);
    buf_release(&stmt);
    long long n = 0;
    if (rc != 0)
        return rc < 0 ? -1 : 0; /* refused, or asked */
    if (load_export(catalog_db(ctx->cat), table, path, f, &n, err) < 0)
        return -1;
    result_text(res, "wrote %lld row%s of '%s' to %s", n, n == 1 ? "" : "s", table, path);
    return 0;
}

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .family = "data",
    .synopsis = "export TABLE PATH [format=auto] [replace=no]",
    .help = "Write a table to a CSV, TSV, JSON or JSON Lines file, chosen by the extension "
            "(.csv, .tsv, .json, .jsonl; another extension is refused unless format= says "
            "which to write). CSV and TSV have a header row; fields are quoted only when "
            "needed, missing values are empty, and reals are written with enough digits to "
            "read back exactly (infinities as inf and -inf), so loading the file gives the "
            "same rows and types. JSON is an array of objects, JSON Lines an object a line: "
            "numbers as JSON numbers at full precision, missing values, infinities and NaN "
            "as null, text as JSON strings (bytes that are not UTF-8 become U+FFFD). An "
            "SQLite database (a "
            "workspace) is not replaced without a word: at the full-screen prompt export "
            "asks first; in a script or plain mode it refuses unless replace=yes. The file "
            "is written under a temporary name and renamed into place (through a symbolic "
            "link, into the file it names); /dev/stdout, a FIFO or a device is written "
            "directly. A PATH that names an attached database's table, NAME.table (see "
            "attach), sends the rows there in bulk (COPY) as a new table, in one remote "
            "transaction; a table that exists there is refused unless replace=yes.",
    .example = "export orders /tmp/orders_copy.csv",
    .args = cmd_export_args,
    .exec = cmd_export_exec,
};

/* --- save ------------------------------------------------------------------ */

static const struct arg_spec cmd_save_args[] = {
    {.name = "PATH", .positional = 1, .type = ARG_PATH,
     .help = "The workspace file (.qdb); default: the one last saved or opened.",
     .comp = COMP_FILES},
    {.name = "replace", .type = ARG_BOOL, .def = "no", .choices = "yes|no",
     .help = "yes: write over PATH even when it is not a workspace (a CSV file, say); the "
             "old file is kept as PATH.bak.",
     .comp = COMP_CHOICES},
    {0},
};

static int
cmd_save_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *path = args_str(args, "PATH");
    if (!path)
        path = catalog_path(ctx->cat);
    if (!path)
        return qerr_set(err, QE_ARG, "save needs a file name the first time: save work.qdb");
    char *copy = xstrdup(path);
    struct buf stmt = BUF_INIT;
    buf_adds(&stmt, "save ");
    add_path(&stmt, copy);
    int rc = check_replace(ctx, args, res, copy, stmt.data, err);
    buf_release(&stmt);
    /* a file holds ordinary tables (issue 18): catalog_save writes column tables so */
    if (rc == 0) {
        rc = catalog_save(ctx->cat, copy, err);
        if (rc == 0)
            result_text(res, "saved the catalog to %s", copy);
    }
    free(copy);
    return rc < 0 ? -1 : 0; /* a question asked is no failure */
}

const struct cmd_entry cmd_save_entry = {
    .name = "save",
    .family = "data",
    .synopsis = "save [PATH] [replace=no]",
    .help = "Write the whole catalog (every table, model and setting table) to a workspace "
            "file, atomically: the data goes to a temporary file in the same folder, is "
            "flushed to disk, then renamed over PATH, so an interrupted save never damages "
            "an existing workspace; the workspace it replaces is kept as PATH.bak. A file "
            "that is not a workspace (a CSV, another program's database) is not replaced "
            "without a word: at the full-screen prompt save asks first; in a script or plain "
            "mode it refuses unless replace=yes. A symbolic link is followed to the file it "
            "names; a device or FIFO is refused. Reopen it with open PATH or quarry PATH.",
    .example = "save /tmp/shop.qdb",
    .args = cmd_save_args,
    .flags = CMD_NO_SAVEPOINT,
    .exec = cmd_save_exec,
};

/* --- open ------------------------------------------------------------------ */

static const struct arg_spec cmd_open_args[] = {
    {.name = "PATH", .positional = 1, .type = ARG_PATH, .required = 1,
     .help = "The workspace file to open.", .comp = COMP_FILES},
    {0},
};

static int
cmd_open_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *path = args_str(args, "PATH");
    if (access(path, R_OK) == 0 &&
        !kit_confirm(ctx, res, "Unsaved changes. Open %s without saving them? (y/N) ", path))
        return 0;
    if (catalog_load(ctx->cat, path, err) < 0)
        return -1;
    /* the tables load made come back as column tables (a file holds rows: save) */
    int conv = 0;
    if (ctx->set.columns > 0 && coltab_all_from_rows(catalog_db(ctx->cat), &conv, err) < 0)
        return -1;
    for (int i = 0; i < ctx->n_hist; i++)
        ctx->hist[i].changed = 0;
    ctx_forget_redo(ctx);
    char **names = NULL;
    int n = 0;
    cmd_table_names(ctx, 0, &names, &n);
    result_text(res, "opened %s: %d table%s", path, n, n == 1 ? "" : "s");
    cmd_free_names(names, n);
    return 0;
}

const struct cmd_entry cmd_open_entry = {
    .name = "open",
    .family = "data",
    .synopsis = "open PATH",
    .help = "Replace the catalog with a workspace file written by save. The file is opened "
            "read-only and checked first: a damaged file, or one whose schema holds views, "
            "triggers, generated columns or virtual tables (which quarry never writes and "
            "which could run code), is refused and the current catalog stays as it was. A "
            "WAL-mode file is read without leaving -wal and -shm files beside it. Unsaved "
            "work and the undo history are dropped: at the full-screen prompt open asks "
            "first when work is unsaved (as Ctrl-D does); in a script or plain mode it goes "
            "ahead.",
    .example = "open /tmp/shop.qdb",
    .args = cmd_open_args,
    .flags = CMD_NO_SAVEPOINT,
    .exec = cmd_open_exec,
};
