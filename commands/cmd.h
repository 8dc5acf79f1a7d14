/*
 * cmd.h: the command registry, parsed arguments, results and the session
 * context every command handler works in.
 *
 * A command is one `const struct cmd_entry` (designated initialisers) in a
 * file of commands/, listed once in commands/table.c. The dispatcher
 * (dispatch.c) looks a statement's first word up in that table, parses and
 * checks every argument against the entry's spec, opens the savepoint,
 * runs the handler and records the statement in the session history.
 * Handlers start from typed, checked arguments and return a result: text
 * lines and tables, which the front end renders. Nothing here prints.
 */
#ifndef QUARRY_CMD_H
#define QUARRY_CMD_H

#include <stddef.h>

#include "base/buf.h"
#include "data/catalog.h"
#include "base/qerr.h"

enum arg_type {
    ARG_INT,
    ARG_REAL,
    ARG_BOOL,    /* yes|no|on|off|true|false|1|0 */
    ARG_ENUM,    /* one of spec.choices, "a|b|c" */
    ARG_TEXT,
    ARG_TABLE,   /* an existing table */
    ARG_NAME,    /* a new identifier (table name) */
    ARG_COLUMN,  /* a column of the statement's TABLE */
    ARG_COLUMNS, /* comma list of columns of the statement's TABLE */
    ARG_PATH,
    ARG_DATE,     /* ISO 8601 date or timestamp; seconds since 1970 in arg_val.r */
    ARG_DURATION, /* 90s, 30m, 2h, 1d; seconds in arg_val.r */
};

enum comp_hint {
    COMP_NONE,
    COMP_TABLES,
    COMP_COLUMNS,
    COMP_CHOICES,
    COMP_FILES,
    COMP_COMMANDS,
    COMP_SETTINGS,
};

struct arg_spec {
    const char *name;     /* key of key=value, or placeholder (TABLE, PATH) if positional */
    int positional;       /* given by position, in spec order */
    enum arg_type type;
    const char *def;      /* default as help shows it; NULL = no default */
    const char *choices;  /* ARG_ENUM: "csv|tsv|arff" */
    double min, max;      /* ARG_INT/ARG_REAL range, checked when min < max */
    int required;
    const char *help;     /* one sentence */
    enum comp_hint comp;
    /*
     * ARG_ENUM read with args_choice: names[i] is choice i, in the order
     * of choices (set with ARG_NAMES; the registry test checks that the
     * two agree), so a handler's enum indexes names with designated
     * initialisers: [METHOD_DBSCAN] = "dbscan".
     */
    const char *const *names;
    int n_names;
    /*
     * The modes the key applies to; NULL: every mode. Conditions separated
     * by spaces, all of which must hold: KEY=a|b (enum KEY's value, typed
     * or default, is a or b) or !KEY (KEY is not typed). The dispatcher
     * refuses a key typed where a condition fails, saying where it applies.
     */
    const char *modes;
    /*
     * ARG_TABLE: a model's name passes too (plot tree MODEL); the handler
     * tells them apart. The modes (as above) where it names a model:
     * completion offers the stored models there, the tables elsewhere.
     */
    const char *or_model;
};

/* .names and .n_names of an enum spec from an array of choice names. */
#define ARG_NAMES(a) .names = (a), .n_names = (int)(sizeof(a) / sizeof((a)[0]))

/* cmd_entry.flags */
enum {
    CMD_WRITES = 1 << 0,   /* may change the catalog: an undo level when it succeeds */
    CMD_AS = 1 << 1,       /* accepts `as NAME` */
    CMD_AS_REQUIRED = 1 << 2,
    CMD_NO_SAVEPOINT = 1 << 3, /* manages the catalog itself (open, save, undo) */
    CMD_NOT_RECORDED = 1 << 4, /* left out of `history save` (history, help) */
    CMD_FREE_KEYS = 1 << 5,    /* takes any NAME=VALUE (set) */
    /*
     * NAME SELECT|WITH|VALUES ...: the rest of the statement is a query,
     * kept whole in args->sql and not parsed as arguments (view)
     */
    CMD_SQL_TAIL = 1 << 6,
};

struct cmd_ctx;
struct cmd_args;
struct cmd_result;

struct cmd_entry {
    const char *name;
    const char *alias;
    const char *family;   /* data, session, help, ... */
    const char *synopsis; /* one line, starts with the name */
    const char *help;     /* a paragraph */
    const char *example;  /* a statement that works on the sample data */
    const struct arg_spec *args; /* ended by an entry with name == NULL */
    int flags;
    int (*exec)(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err);
    /*
     * Another form of the command, with its own spec, help and handler: a
     * statement that types one of the keys variant_keys lists ("date|value")
     * is parsed and run as variant (compare TABLE date=... value=... is the
     * forecasting comparison; compare TABLE target=... the classifiers').
     * help COMMAND shows both; variant is not in cmd_table.
     */
    const struct cmd_entry *variant;
    const char *variant_keys;
    /* CMD_AS whose as NAME writes no table: what it means instead (help prints it) */
    const char *as_help;
};

/* One parsed argument value. */
struct arg_val {
    const struct arg_spec *spec;
    char *text;    /* as typed, unquoted; NULL when not given */
    long long i;   /* ARG_INT, ARG_BOOL */
    double r;      /* ARG_REAL; seconds for ARG_DATE and ARG_DURATION */
    char **list;   /* ARG_COLUMNS */
    int n_list;
    int pos;       /* byte offset of the value in the statement, -1 if defaulted */
    int key_pos;   /* byte offset of key=value (or of a positional value) */
};

#define CMD_MAX_ARGS 48 /* forecast: classical, ARIMA and neural keys */
#define CMD_MAX_FREE 16

struct cmd_args {
    const struct cmd_entry *cmd;
    struct arg_val vals[CMD_MAX_ARGS];
    int n_vals;
    char *as;      /* `as NAME`, or NULL */
    int as_pos;    /* where NAME starts in the statement */
    char *free_keys[CMD_MAX_FREE], *free_vals[CMD_MAX_FREE];
    int n_free;
    char *sql;     /* the query of a CMD_SQL_TAIL command (view SELECT ...), or NULL */
    /*
     * The first name a handler asked for that the command's spec does not
     * declare (a misspelling), and the first name read with args_choice
     * that is not an enum: args_check turns them into an internal error.
     */
    const char *unknown, *not_enum;
};

/*
 * Look up an argument by name; the value is the default if not typed.
 * name must be declared in the command's spec: any other name (a
 * misspelling in a handler) gives an empty value (text NULL, numbers 0,
 * not given) and is remembered, so the dispatcher fails the statement
 * with QE_INTERNAL (args_check) the first time that code runs.
 */
const struct arg_val *args_get(const struct cmd_args *a, const char *name);
/* The typed or default text of an argument, or NULL. */
const char *args_str(const struct cmd_args *a, const char *name);
long long args_int(const struct cmd_args *a, const char *name);
double args_real(const struct cmd_args *a, const char *name);
/*
 * An ARG_ENUM argument as the index of its value in the spec's choices
 * (a choice that ends in ':', such as value:, takes any text after it);
 * -1 when not given and without a default.
 */
int args_choice(const struct cmd_args *a, const char *name);
/* 1 if the user typed the argument (not defaulted). */
int args_given(const struct cmd_args *a, const char *name);
/*
 * QE_INTERNAL if a handler asked for a name its spec does not declare, or
 * read a non-enum argument with args_choice; 0 otherwise.
 */
int args_check(const struct cmd_args *a, struct qerr *err);
void args_release(struct cmd_args *a);
/*
 * Refuse (QE_ARG, err->pos at the key) a typed key whose spec's modes do
 * not hold in the statement; QE_INTERNAL for modes that name no argument
 * or choice. Called by cmd_parse once every value is set.
 */
int args_check_modes(const struct cmd_args *a, struct qerr *err);
/*
 * Whether argument sp of command c applies in the mode the typed values
 * set: typed[i] is the text given for c->args[i], or NULL (its default
 * counts then). Completion offers only the keys that apply.
 */
int args_applies(const struct cmd_entry *c, const struct arg_spec *sp, const char *const *typed);
/* "Applies to method=kmeans or kmedians." for argument sp of c; nothing without modes. */
void args_modes_text(const struct cmd_entry *c, const struct arg_spec *sp, struct buf *b);
/*
 * cols=*: every argument named cols that takes a column list (ARG_COLUMNS)
 * also takes *, every numeric (INTEGER or REAL) column of the statement's
 * TABLE that is not key-like (src/prep/keys.h's rule) and that no other
 * column argument of the statement names (profile's by=). args_star says
 * whether text is that for spec sp (the parser then leaves the list
 * empty); args_expand_star, which the dispatcher calls before the handler,
 * fills in the list and says in one line of res what * stands for and
 * what it left out; QE_ARG when no column is left.
 */
int args_star(const struct arg_spec *sp, const char *text);
int args_expand_star(struct cmd_ctx *ctx, struct cmd_args *a, struct cmd_result *res,
                     struct qerr *err);

/* --- results -------------------------------------------------------------- */

/*
 * A tabular result: n_rows x n_cols cells of text; NULL cell = SQL NULL.
 * A NUL inside a text value is stored as the bytes C0 80 (as modified
 * UTF-8 does); the front end writes it back as a NUL, \u0000 or ^@.
 */
struct rtable {
    int n_cols;
    char **cols;
    long long n_rows, cap_rows;
    char **cells;           /* row-major */
    unsigned char *num;     /* per cell: 1 if the value is a number */
    long long n_more;       /* rows the result had past n_rows, counted but not kept */
};

/*
 * OUT_BLOCK is rendered text such as a plot from gnuplot's dumb terminal:
 * lines that may carry ANSI colour codes (SGR), which the full-screen
 * front end turns into colours and the plain one removes.
 */
enum out_kind { OUT_TEXT, OUT_TABLE, OUT_BLOCK };

struct out_item {
    enum out_kind kind;
    char *text;           /* OUT_TEXT, OUT_BLOCK: lines, no trailing newline */
    struct rtable *table; /* OUT_TABLE */
};

struct cmd_result {
    struct out_item *items;
    int n_items, cap_items;
    int changed;          /* the catalog changed (set by the dispatcher too) */
    int quit;             /* the front end should end the session */
    char *record_extra;   /* appended to the statement in the history (e.g. " seed=42") */
    char *view_table;     /* the front end should open its grid viewer on this table */
    char *view_query;     /* ... or on this query's rows (view SELECT ...) */
    int pick_tables;      /* the first table lists table names: the front end may offer them */
    /*
     * A yes/no question ("Unsaved changes. Quit without saving? (y/N)"):
     * the statement did nothing and is not in the history; the front end
     * asks, and on yes runs it again with ctx->confirmed set (kit_confirm).
     */
    char *confirm;
    char *confirm_stmt;   /* the statement that asked (set by cmd_run unless the handler did) */
    int confirm_enter;    /* Enter answers yes too (demo's "Enter: the next step") */
    /*
     * The handler ran a statement through cmd_run, which recorded it in
     * the history (redo): the dispatcher records nothing more.
     */
    int recorded;
    /*
     * The figures the statement drew, each a self-contained gnuplot script
     * that writes out.png in its working directory (plot_run.h's
     * plot_run_script draws it): report puts them beside the statement.
     */
    char **figures;
    int n_figures;
};

void result_init(struct cmd_result *r);
/* Add a figure's PNG script to r, which takes ownership (freed on failure). */
void result_figure(struct cmd_result *r, char *script);
void result_release(struct cmd_result *r);
void result_text(struct cmd_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a block of rendered text that may hold ANSI colour codes (a plot). */
void result_block(struct cmd_result *r, const char *text);
/*
 * The rows of a user query's result the full-screen front end keeps: a
 * screenful (the pane less the echo, header, rule and the line of
 * result_more_rows) for a query (sql, len bytes, starts with SELECT, WITH
 * or VALUES; the caller checks that it only reads); -1 (all) in plain
 * mode, where a script means every row, and for any other statement.
 */
long long result_screen_rows(const struct cmd_ctx *ctx, const char *sql, size_t len);
/*
 * After the last table was cut to a screenful (n_more rows counted, not
 * kept): a line saying how many more rows there are and the view
 * statement, on one line, that pages through them all.
 */
void result_more_rows(struct cmd_result *r, const char *sql, size_t len);
/* Remove the last item (a table that could not be completed). */
void result_drop_last(struct cmd_result *r);
/* A new table with the given column names, owned by r. */
struct rtable *result_table(struct cmd_result *r, int n_cols, const char *const *cols);
/* Append a row; returns its index. Cells are set with rtable_set. */
long long rtable_add_row(struct rtable *t);
/* Set a cell (copies text; NULL stores SQL NULL). */
void rtable_set(struct rtable *t, long long row, int col, const char *text, int is_num);
void rtable_setf(struct rtable *t, long long row, int col, int is_num, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
const char *rtable_get(const struct rtable *t, long long row, int col);
void rtable_free(struct rtable *t);

/* --- session --------------------------------------------------------------- */

struct hist_entry {
    char *text;
    int ok;
    int recorded; /* goes into `history save` */
    int changed;  /* holds an undo level (cleared when undone or by open) */
};

struct cmd_settings {
    int threads;
    long long seed;     /* -1: draw a fresh seed for each statement that needs one */
    char format[8];     /* table|csv|tsv|json */
    long long memory_mb;
    int timer;
    int autosave;       /* journal statements for crash recovery (the front end does it) */
    int columns;        /* load makes column tables (src/data/coltab.h; issue 18, on) */
    int null_text_set;
    char nulltext[16];
};

struct report_log;

struct cmd_ctx {
    struct catalog *cat;
    struct cmd_settings set;
    struct hist_entry *hist;
    int n_hist, cap_hist;
    /*
     * Progress/cancel: the engine calls progress() with the fraction done
     * (negative when unknown); a nonzero return cancels.
     */
    int (*progress)(void *pctx, double fraction);
    void *pctx;
    /* What a long loop is at, in words ("epoch 12/200, loss 0.031"), for the front end to
     * show beside the fraction while the statement runs; NULL: not shown. */
    void (*progress_text)(void *pctx, const char *text);
    volatile int *interrupted; /* set by the UI's SIGINT handler */
    const char *deny_reason;   /* why the authorizer refused user SQL */
    int screen;                /* a full-screen front end is running (view works) */
    int width, height;         /* the output pane in characters (inline plots); 0: unknown */
    int can_ask;               /* the front end can ask the user (the TUI's prompt): res->confirm */
    int confirmed;             /* the user said yes to this statement's question */
    /*
     * What undo took back, oldest first, for redo to run again: valid
     * while no statement changed the catalog since history entry
     * redo_mark (the last undo or redo); open forgets it.
     */
    char **redo;
    int n_redo, redo_mark;
    struct report_log *log;    /* what the session ran and showed, for report (cmd_report.h) */
};

int ctx_init(struct cmd_ctx *ctx, struct qerr *err);
void ctx_release(struct cmd_ctx *ctx);
/* Forget what redo could run again (open, and a change after an undo). */
void ctx_forget_redo(struct cmd_ctx *ctx);
/* Draw a seed for a statement: the session seed if set, else a fresh one. */
long long ctx_seed(struct cmd_ctx *ctx);

/* --- the table and the dispatcher ------------------------------------------ */

/*
 * Every command entry, in family order (commands/table.c), and the
 * families in the order help lists them, ended by NULL. An entry's
 * .family is one of cmd_families.
 */
extern const struct cmd_entry *const cmd_table[];
extern const int cmd_table_len;
extern const char *const cmd_families[];

/*
 * Look up a command by exact name, alias or unique prefix. On failure
 * fills err with "unknown command ... did you mean" or the ambiguous
 * candidates.
 */
const struct cmd_entry *cmd_find(const char *name, struct qerr *err);

/* Is the statement SQL (starts with an SQL keyword or `sql`)? */
int cmd_is_sql(const char *stmt);
/* The length of the word (letters and '_') at p. */
size_t cmd_word_len(const char *p);
/* The n bytes at p are the word w, in any case. */
int cmd_word_is(const char *p, size_t n, const char *w);

/*
 * Split input into statements. Feeds text line by line; complete
 * statements come out through the callback. SQL statements continue until
 * a ';' ends them (sqlite3_complete); commands end at a newline or ';'
 * outside quotes; a trailing '\' continues a line; '#' starts a comment.
 */
struct splitter {
    struct buf pending;
    int pending_line; /* line number where the pending statement started */
    int line;         /* lines fed so far */
    int mode;         /* 0 between statements, 1 in SQL, 2 in a command */
    char quote;       /* the open quote character, or 0 */
    int block_comment;/* inside an SQL comment */
};
void splitter_init(struct splitter *s);
void splitter_release(struct splitter *s);
/* Feed one line (without its newline). Calls emit for each complete statement. */
int splitter_feed(struct splitter *s, const char *line,
                  int (*emit)(void *arg, const char *stmt, int line), void *arg);
/* End of input: emit what is pending (an unterminated SQL statement too). */
int splitter_finish(struct splitter *s, int (*emit)(void *arg, const char *stmt, int line),
                    void *arg);
/* 1 while a multi-line statement is pending (the prompt shows a continuation). */
int splitter_pending(const struct splitter *s);

/*
 * Run one statement: parse, check, savepoint, execute, record. Returns 0
 * or -1 with err set (err->pos locates the offending argument).
 */
int cmd_run(struct cmd_ctx *ctx, const char *stmt, struct cmd_result *res, struct qerr *err);

/* Parse a statement against a command's spec (exposed for completion and tests). */
int cmd_parse(struct cmd_ctx *ctx, const char *stmt, struct cmd_args *out, struct qerr *err);

/* Helpers for handlers. */
int cmd_sql_table(struct cmd_ctx *ctx, struct cmd_result *res, const char *sql,
                  const char *const *binds, int n_binds, struct qerr *err);
/*
 * Names (and declared types, when decls is not NULL) of the columns of
 * table, from catalog_columns; no table gives n == 0. The caller frees
 * each array with cmd_free_names.
 */
int cmd_table_columns(struct cmd_ctx *ctx, const char *table, char ***names, char ***decls,
                      int *n, struct qerr *err);
/*
 * Put column i of the current row of st into cell (row, col) as quarry
 * shows values: integers, shortest reals, text, NULL, "<blob N bytes>".
 */
void cmd_set_cell(struct rtable *t, long long row, int col, sqlite3_stmt *st, int i);
/* Names of user tables (no quarry_/sqlite_ tables unless all), from catalog_tables. */
int cmd_table_names(struct cmd_ctx *ctx, int all, char ***names, int *n);
void cmd_free_names(char **names, int n);
/* The full `help CMD` text of a command. */
void cmd_help_format(const struct cmd_entry *c, struct buf *b);

#endif
