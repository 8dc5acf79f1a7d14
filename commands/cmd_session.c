/*
 * cmd_session.c: the session family: undo, history, set, show, timer, quit.
 */
#include "cmd.h"
#include "base/file_target.h"
#include "base/mem.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "kit.h"
#include "cmd_classify.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/banned.h"

/* --- undo and redo ---------------------------------------------------------- */

void
ctx_forget_redo(struct cmd_ctx *ctx)
{
    for (int i = 0; i < ctx->n_redo; i++)
        free(ctx->redo[i]);
    free(ctx->redo);
    ctx->redo = NULL;
    ctx->n_redo = 0;
}

/* A change since the last undo or redo makes what was undone the past: forget it. */
static void
redo_check(struct cmd_ctx *ctx)
{
    for (int i = ctx->redo_mark; i < ctx->n_hist; i++)
        if (ctx->hist[i].changed) {
            ctx_forget_redo(ctx);
            return;
        }
}

static void
redo_push(struct cmd_ctx *ctx, const char *stmt)
{
    ctx->redo = xrealloc(ctx->redo, (size_t)(ctx->n_redo + 1) * sizeof *ctx->redo);
    ctx->redo[ctx->n_redo++] = xstrdup(stmt);
}

static int
cmd_undo_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    redo_check(ctx);
    if (catalog_undo(ctx->cat, err) < 0) {
        qerr_hint(err, "undo reverts statements that changed the catalog since it was "
                       "opened; history lists them");
        return -1;
    }
    ctx->redo_mark = ctx->n_hist;
    for (int i = ctx->n_hist - 1; i >= 0; i--) {
        if (ctx->hist[i].changed) {
            ctx->hist[i].changed = 0;
            redo_push(ctx, ctx->hist[i].text);
            result_text(res, "undid: %s", ctx->hist[i].text);
            return 0;
        }
    }
    ctx_forget_redo(ctx); /* a change the history does not name: redo cannot run it again */
    result_text(res, "undid the last change");
    return 0;
}

const struct cmd_entry cmd_undo_entry = {
    .name = "undo",
    .family = "session",
    .synopsis = "undo",
    .help = "Revert the last statement that changed the catalog (a load, drop, rename, SQL "
            "that wrote, ...). Repeat to go further back; every change since the session "
            "started or the workspace was opened can be undone, until the copies of changed "
            "pages that undo keeps pass half of set memory (by default a quarter of the "
            "machine's memory, at least 1 GiB): then the history is cleared, with a message. "
            "A failed statement changed nothing, so there is nothing to undo for it. redo "
            "takes an undo back.",
    .example = "undo",
    .flags = CMD_NO_SAVEPOINT,
    .exec = cmd_undo_exec,
};

static int
cmd_redo_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    redo_check(ctx);
    if (ctx->n_redo == 0) {
        qerr_set(err, QE_ARG, "nothing to redo");
        qerr_hint(err, "redo runs again what undo took back, until a statement changes "
                       "the catalog");
        return -1;
    }
    char *stmt = ctx->redo[--ctx->n_redo];
    result_text(res, "redo: %s", stmt);
    res->recorded = 1; /* the statement is in the history as itself, as when first typed */
    int rc = cmd_run(ctx, stmt, res, err);
    if (rc < 0) {
        err->pos = -1; /* it points into the statement run again, not into redo */
        ctx->redo[ctx->n_redo++] = stmt; /* nothing changed: it can be tried again */
    } else {
        free(stmt);
    }
    ctx->redo_mark = ctx->n_hist;
    return rc;
}

const struct cmd_entry cmd_redo_entry = {
    .name = "redo",
    .family = "session",
    .synopsis = "redo",
    .help = "Take the last undo back: run again the statement it reverted, with the same "
            "arguments (a seed it drew included), so the result is the same; it goes into "
            "the history as itself. Repeat after several undos to run them again in order. A "
            "statement that changes the catalog after an undo ends what redo can take back, "
            "as in every editor, and so does open. A statement that reads a file reads it "
            "again.",
    .example = "redo",
    .flags = CMD_NO_SAVEPOINT,
    .exec = cmd_redo_exec,
};

/* --- history --------------------------------------------------------------- */

enum history_action { HISTORY_LIST, HISTORY_SAVE };
static const char *const action_names[] = {[HISTORY_LIST] = "list", [HISTORY_SAVE] = "save"};

static const struct arg_spec cmd_history_args[] = {
    {.name = "ACTION", .positional = 1, .type = ARG_ENUM, .def = "list", .choices = "list|save",
     ARG_NAMES(action_names),
     .help = "list the statements, or save them as a script.", .comp = COMP_CHOICES},
    {.name = "FILE", .positional = 1, .type = ARG_PATH, .modes = "ACTION=save",
     .help = "The script to write with history save.", .comp = COMP_FILES},
    {0},
};

/* The successful statements as a script, to path (through a link; /dev/stdout in place). */
static int
write_script(struct cmd_ctx *ctx, const char *path, int *n_out, struct qerr *err)
{
    struct buf text = BUF_INIT;
    struct file_target t;
    int n = 0;
    buf_addf(&text, "# quarry session script; replay with: quarry -f %s\n", path);
    for (int i = 0; i < ctx->n_hist; i++) {
        if (!ctx->hist[i].ok || !ctx->hist[i].recorded)
            continue;
        const char *s = ctx->hist[i].text;
        size_t l = strlen(s);
        buf_addf(&text, "%s%s\n", s, cmd_is_sql(s) && (l == 0 || s[l - 1] != ';') ? ";" : "");
        n++;
    }
    int rc = file_target_open(&t, path, FILE_TARGET_STREAM, err);
    if (rc == 0 && (file_target_write(&t, text.data, text.len, err) < 0 ||
                    file_target_commit(&t, err) < 0)) {
        file_target_abort(&t);
        rc = -1;
    }
    buf_release(&text);
    if (rc == 0)
        *n_out = n;
    return rc;
}

static int
cmd_history_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *file = args_str(args, "FILE");
    if (args_choice(args, "ACTION") == HISTORY_SAVE) {
        if (!file)
            return qerr_set(err, QE_ARG, "history save needs a file: history save session.qry");
        int n = 0;
        if (write_script(ctx, file, &n, err) < 0)
            return -1;
        result_text(res, "wrote %d statement%s to %s; replay with quarry -f %s", n,
                    n == 1 ? "" : "s", file, file);
        return 0;
    }
    if (file)
        return qerr_set(err, QE_ARG, "history list takes no file; did you mean history save %s?",
                        file);
    static const char *const cols[] = {"#", "status", "statement"};
    struct rtable *t = result_table(res, 3, cols);
    for (int i = 0; i < ctx->n_hist; i++) {
        long long r = rtable_add_row(t);
        rtable_setf(t, r, 0, 1, "%d", i + 1);
        rtable_set(t, r, 1, ctx->hist[i].ok ? "ok" : "error", 0);
        rtable_set(t, r, 2, ctx->hist[i].text, 0);
    }
    return 0;
}

const struct cmd_entry cmd_history_entry = {
    .name = "history",
    .family = "session",
    .synopsis = "history [list|save] [FILE]",
    .help = "List the statements of this session with whether each succeeded, or write the "
            "successful ones to FILE as a script that quarry -f FILE replays to the same "
            "catalog. A statement that drew a random seed is written with the seed it drew, "
            "so a replay is exact.",
    .example = "history save /tmp/session.qry",
    .args = cmd_history_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_history_exec,
};

/* --- set / show ------------------------------------------------------------ */

struct setting {
    const char *name, *help;
};

static const struct setting settings[] = {
    {"threads", "worker threads for numeric work (1 to 256)"},
    {"seed", "random seed for commands that draw one, or 'random' for a fresh seed each time"},
    {"format", "how results print in plain mode: table, csv, tsv or json"},
    {"memory", "MiB for big allocations, half for cached data (e.g. 4096 or 4G); 0 = defaults"},
    {"timer", "print each statement's wall and CPU time: on or off"},
    {"autosave", "journal each change so that a crash loses nothing: on or off"},
    {"columns", "tables load and the commands make keep column arrays: on or off"},
    {NULL, NULL},
};

/*
 * The largest set memory= (MiB): 16 TiB. It keeps every size derived
 * from it (bytes for the frame cache and undo, memory_mb << 19 and << 18)
 * far inside 64 bits.
 */
#define MEMORY_MAX_MB (16LL << 20)

/* A whole number, all of v; with units, a trailing G (x 1024) or M is allowed too. */
static int
parse_ll(const char *v, int units, long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || errno || end == v)
        return -1;
    if (units && (*end == 'G' || *end == 'g')) {
        if (x > LLONG_MAX / 1024 || x < LLONG_MIN / 1024)
            return -1;
        x *= 1024;
        end++;
    } else if (units && (*end == 'M' || *end == 'm')) {
        end++;
    }
    if (*end)
        return -1;
    *out = x;
    return 0;
}

static int
apply_setting(struct cmd_ctx *ctx, const char *k, const char *v, struct qerr *err)
{
    long long x;
    if (strcasecmp(k, "threads") == 0) {
        if (parse_ll(v, 0, &x) < 0 || x < 1 || x > 256)
            return qerr_set(err, QE_ARG, "threads must be a whole number from 1 to 256, not '%s'",
                            v);
        ctx->set.threads = (int)x;
    } else if (strcasecmp(k, "seed") == 0) {
        if (strcasecmp(v, "random") == 0)
            ctx->set.seed = -1;
        else if (parse_ll(v, 0, &x) < 0 || x < 0)
            return qerr_set(err, QE_ARG, "seed must be a whole number from 0 to %lld, or "
                            "random, not '%s'", LLONG_MAX, v);
        else
            ctx->set.seed = x;
    } else if (strcasecmp(k, "format") == 0) {
        if (strcmp(v, "table") && strcmp(v, "csv") && strcmp(v, "tsv") && strcmp(v, "json"))
            return qerr_set(err, QE_ARG, "format must be one of table, csv, tsv, json, not '%s'",
                            v);
        snprintf(ctx->set.format, sizeof ctx->set.format, "%s", v);
    } else if (strcasecmp(k, "memory") == 0) {
        if (parse_ll(v, 1, &x) < 0 || x < 0 || x > MEMORY_MAX_MB)
            return qerr_set(err, QE_ARG, "memory must be MiB from 1 to %lld (16T), or 0 for "
                            "the defaults; e.g. 4096 or 4G, not '%s'", MEMORY_MAX_MB, v);
        ctx->set.memory_mb = x;
    } else if (strcasecmp(k, "timer") == 0) {
        if (strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0)
            ctx->set.timer = 1;
        else if (strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0)
            ctx->set.timer = 0;
        else
            return qerr_set(err, QE_ARG, "timer must be on or off, not '%s'", v);
    } else if (strcasecmp(k, "columns") == 0) {
        /* the column tables of issue 18 (docs/COLUMNS.md) */
        int n = 0;
        if (strcasecmp(v, "on") == 0)
            ctx->set.columns = 1;
        else if (strcasecmp(v, "off") == 0) /* the column tables become ordinary again */
            ctx->set.columns = coltab_all_to_rows(catalog_db(ctx->cat), &n, err) < 0 ? -1 : 0;
        else
            return qerr_set(err, QE_ARG, "columns must be on or off, not '%s'", v);
        if (ctx->set.columns < 0)
            return -1;
    } else if (strcasecmp(k, "autosave") == 0) {
        if (strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0)
            ctx->set.autosave = 1;
        else if (strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0)
            ctx->set.autosave = 0;
        else
            return qerr_set(err, QE_ARG, "autosave must be on or off, not '%s'", v);
    } else {
        const char *names[8];
        int n = 0;
        for (int i = 0; settings[i].name; i++)
            names[n++] = settings[i].name;
        const char *s = catalog_suggest(k, names, n);
        if (s)
            return qerr_set(err, QE_ARG, "unknown setting '%s'; did you mean '%s'?", k, s);
        return qerr_set(err, QE_ARG, "unknown setting '%s'; type show to list the settings", k);
    }
    return 0;
}

static int
cmd_set_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
             struct qerr *err)
{
    if (args->n_free == 0)
        return qerr_set(err, QE_ARG, "set needs NAME=VALUE, e.g. set seed=42; show lists the "
                                     "settings");
    /* Check everything first so a bad value changes nothing. */
    struct cmd_settings saved = ctx->set;
    for (int i = 0; i < args->n_free; i++) {
        if (apply_setting(ctx, args->free_keys[i], args->free_vals[i], err) < 0) {
            ctx->set = saved;
            return -1;
        }
    }
    /* Cached frames may take half the budget (0: the cache's default). */
    frame_cache_limit(ctx->cat, (size_t)ctx->set.memory_mb << 19);
    /* Every allocation that grows with the data is checked against it (mem.h). */
    mem_budget_set(ctx->set.memory_mb);
    for (int i = 0; i < args->n_free; i++)
        result_text(res, "%s = %s", args->free_keys[i], args->free_vals[i]);
    return 0;
}

const struct cmd_entry cmd_set_entry = {
    .name = "set",
    .family = "session",
    .synopsis = "set NAME=VALUE ...",
    .help = "Change a session setting: threads, seed, format, memory, timer, autosave or "
            "columns (show lists them with their values). Settings are recorded in the "
            "history like any statement, so a replayed script runs with the same settings. With "
            "autosave=on (the default in the full-screen interface) each statement that "
            "changes the catalog is written to a journal, with a snapshot of the catalog now "
            "and then, in a recovery folder ($QUARRY_RECOVERY_DIR, else "
            "$XDG_STATE_HOME/quarry/recover, else ~/.local/state/quarry/recover); after a "
            "crash or kill the next start offers to restore the catalog as it was after the "
            "last completed statement (quarry --recover). A clean quit removes the journal. "
            "With columns=on (the default) the tables load and the commands make keep their "
            "data as column arrays that SQL sees as ordinary tables; save writes them as "
            "ordinary SQLite tables and open brings them back as column tables; "
            "columns=off turns every column table into an ordinary one.",
    .example = "set seed=42",
    .flags = CMD_FREE_KEYS,
    .exec = cmd_set_exec,
};

static const struct arg_spec cmd_show_args[] = {
    {.name = "MODEL", .positional = 1, .type = ARG_TEXT,
     .help = "A model made by train: describe it instead (models lists them).",
     .comp = COMP_NONE},
    {0},
};

static int
cmd_show_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    if (args_given(args, "MODEL"))
        return clf_show(ctx, args_str(args, "MODEL"), res, err) < 0
                   ? kit_fail_at(args, "MODEL", err)
                   : 0;
    static const char *const cols[] = {"setting", "value", "meaning"};
    struct rtable *t = result_table(res, 3, cols);
    for (int i = 0; settings[i].name; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, settings[i].name, 0);
        rtable_set(t, r, 2, settings[i].help, 0);
        switch (i) {
        case 0: rtable_setf(t, r, 1, 1, "%d", ctx->set.threads); break;
        case 1:
            if (ctx->set.seed < 0)
                rtable_set(t, r, 1, "random", 0);
            else
                rtable_setf(t, r, 1, 1, "%lld", ctx->set.seed);
            break;
        case 2: rtable_set(t, r, 1, ctx->set.format, 0); break;
        case 3: rtable_setf(t, r, 1, 1, "%lld", ctx->set.memory_mb); break;
        case 4: rtable_set(t, r, 1, ctx->set.timer ? "on" : "off", 0); break;
        case 5: rtable_set(t, r, 1, ctx->set.autosave ? "on" : "off", 0); break;
        default: rtable_set(t, r, 1, ctx->set.columns ? "on" : "off", 0); break;
        }
    }
    return 0;
}

const struct cmd_entry cmd_show_entry = {
    .name = "show",
    .family = "session",
    .synopsis = "show [MODEL]",
    .help = "List the session settings with their current values; change them with set. "
            "show MODEL describes a model made by train instead: its method and options, the "
            "columns and how text is encoded, the classes, and what the method learned.",
    .example = "show",
    .args = cmd_show_args,
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_show_exec,
};

/* --- timer ----------------------------------------------------------------- */

static const struct arg_spec cmd_timer_args[] = {
    {.name = "STATE", .positional = 1, .type = ARG_BOOL, .required = 1,
     .help = "on or off.", .comp = COMP_CHOICES, .choices = "on|off"},
    {0},
};

static int
cmd_timer_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    ctx->set.timer = (int)args_int(args, "STATE");
    return 0;
}

const struct cmd_entry cmd_timer_entry = {
    .name = "timer",
    .family = "session",
    .synopsis = "timer on|off",
    .help = "Print each statement's elapsed wall-clock and CPU time after its result, as the "
            "sqlite3 shell's .timer does (same as set timer=on and the --timing flag).",
    .example = "timer on",
    .args = cmd_timer_args,
    .exec = cmd_timer_exec,
};

/* --- quit ------------------------------------------------------------------ */

static int
cmd_quit_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    if (kit_confirm(ctx, res, "Unsaved changes. Quit without saving? (y/N) "))
        res->quit = 1;
    return 0;
}

const struct cmd_entry cmd_quit_entry = {
    .name = "quit",
    .alias = "exit",
    .family = "session",
    .synopsis = "quit",
    .help = "End the session (Ctrl-D at an empty prompt does the same). Save first with save "
            "PATH to keep the catalog: at the full-screen prompt quit asks first when work is "
            "unsaved; in a script or plain mode it goes ahead.",
    .example = "quit",
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_quit_exec,
};
