/*
 * main.c: quarry's entry point and its plain front end.
 *
 * The plain mode runs statements from -c, -f or a pipe and prints results
 * as text; the interactive mode (a terminal on stdin) reads lines with GNU
 * Readline. Both feed the same splitter and the same cmd_run; only this
 * file prints, handles signals and chooses the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd.h"
#include "render.h"
#include "banned.h"

#ifndef QUARRY_VERSION
#define QUARRY_VERSION "dev"
#endif

static volatile sig_atomic_t interrupted;
static volatile int interrupted_flag; /* what the engine polls */

struct session {
    struct cmd_ctx ctx;
    const char *source; /* script name for messages, NULL when interactive or -c */
    int keep_going;     /* -f: continue after a failed statement */
    int failures;
    int stop;           /* stop reading input */
    int quit;
    int echo;           /* --echo: print each statement before its result */
};

static void
on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    interrupted_flag = 1;
}

/* The engine's progress callback: a nonzero return cancels the command. */
static int
on_progress(void *arg, double fraction)
{
    (void)arg;
    (void)fraction;
    return interrupted_flag;
}

static double
now_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
cpu_times(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Print the line of stmt that holds byte pos, and a caret under pos. */
static void
print_caret(const char *stmt, int pos)
{
    const char *ls = stmt, *p = stmt;
    for (int i = 0; i < pos && *p; i++, p++)
        if (*p == '\n')
            ls = p + 1;
    const char *le = strchr(ls, '\n');
    size_t len = le ? (size_t)(le - ls) : strlen(ls);
    char *line = xstrndup(ls, len);
    char *before = xstrndup(ls, (size_t)(p - ls));
    fprintf(stderr, "  %s\n  %*s^\n", line, render_width(before), "");
    free(line);
    free(before);
}

static void
report_error(struct session *s, const char *stmt, int line, const struct qerr *err)
{
    fflush(stdout);
    if (s->source)
        fprintf(stderr, "error: line %d: %s\n", line, err->msg);
    else
        fprintf(stderr, "error: %s\n", err->msg);
    if (err->pos >= 0 && (size_t)err->pos <= strlen(stmt))
        print_caret(stmt, err->pos);
    if (err->hint)
        fprintf(stderr, "%s\n", err->hint);
}

static int
run_statement(void *arg, const char *stmt, int line)
{
    struct session *s = arg;
    struct cmd_result res;
    struct qerr err = QERR_INIT;
    double w0 = now_wall(), u0, s0, u1, s1;
    cpu_times(&u0, &s0);
    result_init(&res);
    if (s->echo) {
        fputs("quarry> ", stdout);
        for (const char *p = stmt; *p; p++) {
            fputc(*p, stdout);
            if (*p == '\n')
                fputs("   ...> ", stdout);
        }
        fputc('\n', stdout);
    }
    interrupted_flag = 0;
    interrupted = 0;
    int rc = cmd_run(&s->ctx, stmt, &res, &err);
    double w1 = now_wall();
    cpu_times(&u1, &s1);
    int fmt = render_format_parse(s->ctx.set.format);
    render_result(stdout, stderr, &res, fmt < 0 ? RENDER_TABLE : (enum render_format)fmt);
    if (rc < 0) {
        report_error(s, stmt, line, &err);
        s->failures++;
        if (s->source && !s->keep_going)
            s->stop = 1;
        if (err.code == QE_INTERRUPT)
            s->stop = 1; /* a script or -c text stops; the prompt returns */
    }
    if (s->ctx.set.timer) {
        fflush(stdout);
        fprintf(stderr, "time: real %.3fs user %.3fs sys %.3fs\n", w1 - w0, u1 - u0, s1 - s0);
    }
    fflush(stdout);
    if (res.quit) {
        s->quit = 1;
        s->stop = 1;
    }
    result_release(&res);
    qerr_clear(&err);
    return s->stop;
}

/* Run a stream of statements (a script, a pipe, or -c text). */
static void
run_stream(struct session *s, FILE *in, const char *text)
{
    struct splitter sp;
    splitter_init(&sp);
    if (text) {
        const char *p = text;
        while (*p && !s->stop) {
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            char *line = xstrndup(p, l);
            splitter_feed(&sp, line, run_statement, s);
            free(line);
            p += l;
            if (*p)
                p++;
        }
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while (!s->stop && (n = getline(&line, &cap, in)) >= 0) {
            if (n && line[n - 1] == '\n')
                line[n - 1] = '\0';
            splitter_feed(&sp, line, run_statement, s);
        }
        free(line);
    }
    if (!s->stop)
        splitter_finish(&sp, run_statement, s);
    splitter_release(&sp);
}

/* --- interactive (readline) -------------------------------------------------- */

static char *
history_path(void)
{
    const char *env = getenv("QUARRY_HISTORY");
    if (env)
        return xstrdup(env);
    const char *home = getenv("HOME");
    if (!home)
        return NULL;
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s/.quarry_history", home);
    return buf_detach(&b);
}

/*
 * The prompt runs on readline's callback interface so that Ctrl-C can be
 * handled between keys: select() returns EINTR, the line (and any pending
 * multi-line statement) is dropped and a fresh prompt drawn.
 */
static struct session *rl_sess;
static struct splitter rl_split;
static int rl_eof_warned, rl_eof;

static const char *
prompt_now(void)
{
    return splitter_pending(&rl_split) ? "   ...> " : "quarry> ";
}

static void
on_line(char *line)
{
    if (!line) {
        /* Ctrl-D at an empty prompt: leave, but not silently with unsaved work. */
        if (catalog_dirty(rl_sess->ctx.cat) && !rl_eof_warned) {
            printf("\nthe catalog has unsaved changes: save PATH keeps them; "
                   "Ctrl-D again leaves without saving\n");
            rl_eof_warned = 1;
        } else {
            putchar('\n');
            rl_eof = 1;
        }
        return;
    }
    rl_eof_warned = 0;
    if (*line)
        add_history(line);
    splitter_feed(&rl_split, line, run_statement, rl_sess);
    free(line);
    rl_set_prompt(prompt_now());
}

static void
run_interactive(struct session *s)
{
    char *hist = history_path();
    splitter_init(&rl_split);
    rl_sess = s;
    rl_readline_name = "quarry";
    rl_catch_signals = 0;
    using_history();
    stifle_history(2000);
    if (hist)
        read_history(hist);
    printf("quarry %s: type help for the commands, quit or Ctrl-D to leave\n", QUARRY_VERSION);
    s->source = NULL;
    rl_callback_handler_install(prompt_now(), on_line);
    while (!rl_eof && !s->quit) {
        fd_set in;
        FD_ZERO(&in);
        FD_SET(STDIN_FILENO, &in);
        s->stop = 0;
        int r = select(STDIN_FILENO + 1, &in, NULL, NULL, NULL);
        if (r < 0 && errno == EINTR) {
            if (interrupted) {
                interrupted = 0;
                interrupted_flag = 0;
                rl_free_line_state();
                rl_callback_sigcleanup();
                rl_replace_line("", 0);
                splitter_release(&rl_split);
                splitter_init(&rl_split);
                fputs("^C\n", stdout);
                rl_set_prompt(prompt_now());
                rl_on_new_line();
                rl_redisplay();
            }
            continue;
        }
        if (r < 0)
            break;
        rl_callback_read_char();
    }
    rl_callback_handler_remove();
    if (hist) {
        write_history(hist);
        history_truncate_file(hist, 2000);
    }
    free(hist);
    splitter_release(&rl_split);
}

/* --- options ------------------------------------------------------------------ */

static void
usage(FILE *out)
{
    fprintf(out,
            "Usage: quarry [OPTION]... [WORKSPACE.qdb]\n"
            "A terminal workbench for data mining: load CSV/ARFF data into an in-memory\n"
            "SQLite catalog and explore it with commands and SQL.\n"
            "\n"
            "  -c, --command=STATEMENTS  run STATEMENTS (separated by ; or newlines) and exit\n"
            "  -f, --file=SCRIPT         run the statements in SCRIPT (- for stdin) and exit;\n"
            "                            stops at the first failure unless --keep-going\n"
            "      --init=SCRIPT         run SCRIPT, then continue interactively\n"
            "      --keep-going          with -f, go on after a failed statement\n"
            "      --plain               never start the full-screen interface\n"
            "      --format=FORMAT       print results as table (default), csv, tsv or json\n"
            "      --timing              print each statement's wall and CPU time\n"
            "      --echo                print each statement before its result\n"
            "  -h, --help                show this help and exit\n"
            "  -V, --version             show the version and exit\n"
            "\n"
            "With no -c or -f and a terminal on stdin, quarry starts interactively;\n"
            "otherwise it reads statements from stdin. The exit status is 0 when every\n"
            "statement succeeded, 1 when one failed, 2 for a usage error.\n"
            "Inside quarry, type help for the commands. Manual: man quarry.\n");
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"command", required_argument, NULL, 'c'}, {"file", required_argument, NULL, 'f'},
        {"init", required_argument, NULL, 'I'},    {"keep-going", no_argument, NULL, 'k'},
        {"plain", no_argument, NULL, 'p'},         {"format", required_argument, NULL, 'F'},
        {"timing", no_argument, NULL, 't'},        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {"echo", no_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    const char *command = NULL, *file = NULL, *init = NULL, *format = NULL;
    int keep_going = 0, timing = 0, echo = 0, o;
    while ((o = getopt_long(argc, argv, "c:f:hV", opts, NULL)) != -1) {
        switch (o) {
        case 'c': command = optarg; break;
        case 'f': file = optarg; break;
        case 'I': init = optarg; break;
        case 'k': keep_going = 1; break;
        case 'p': break; /* plain is the only mode until the curses interface lands */
        case 'F': format = optarg; break;
        case 't': timing = 1; break;
        case 'e': echo = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V':
            printf("quarry %s\nSQLite %s\n", QUARRY_VERSION, sqlite3_libversion());
            return 0;
        default:
            fprintf(stderr, "Try 'quarry --help' for more information.\n");
            return 2;
        }
    }
    if (format && render_format_parse(format) < 0) {
        fprintf(stderr, "quarry: --format must be table, csv, tsv or json, not '%s'\n", format);
        return 2;
    }
    if (argc - optind > 1) {
        fprintf(stderr, "quarry: one workspace at a time; got '%s' and '%s'\n", argv[optind],
                argv[optind + 1]);
        fprintf(stderr, "Try 'quarry --help' for more information.\n");
        return 2;
    }

    struct session s;
    struct qerr err = QERR_INIT;
    memset(&s, 0, sizeof s);
    if (ctx_init(&s.ctx, &err) < 0) {
        fprintf(stderr, "quarry: %s\n", err.msg);
        qerr_clear(&err);
        return 1;
    }
    s.ctx.interrupted = &interrupted_flag;
    s.ctx.progress = on_progress;
    s.ctx.set.timer = timing;
    if (format)
        snprintf(s.ctx.set.format, sizeof s.ctx.set.format, "%s", format);
    s.keep_going = keep_going;
    s.echo = echo;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);

    if (optind < argc) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "open '");
        for (const char *p = argv[optind]; *p; p++)
            buf_add(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
        buf_addc(&b, '\'');
        run_statement(&s, b.data, 0);
        buf_release(&b);
    }
    if (!s.failures) {
        if (command) {
            run_stream(&s, NULL, command);
        } else if (file) {
            FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
            if (!in) {
                fprintf(stderr, "quarry: cannot open '%s': %s\n", file, strerror(errno));
                ctx_release(&s.ctx);
                return 1;
            }
            s.source = file;
            run_stream(&s, in, NULL);
            if (in != stdin)
                fclose(in);
        } else {
            if (init) {
                FILE *in = fopen(init, "r");
                if (!in) {
                    fprintf(stderr, "quarry: cannot open '%s': %s\n", init, strerror(errno));
                    ctx_release(&s.ctx);
                    return 1;
                }
                s.source = init;
                s.keep_going = 1;
                run_stream(&s, in, NULL);
                fclose(in);
                s.failures = 0;
                /* What an init script loads can be loaded again: not unsaved work. */
                catalog_mark_clean(s.ctx.cat);
            }
            if (isatty(STDIN_FILENO)) {
                run_interactive(&s);
                s.failures = 0; /* errors were shown as they happened */
            } else {
                s.source = "stdin";
                s.keep_going = 1;
                run_stream(&s, stdin, NULL);
            }
        }
    }
    int status = s.failures ? 1 : 0;
    ctx_release(&s.ctx);
    return status;
}
