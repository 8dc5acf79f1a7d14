/*
 * main.c: quarry's entry point: options, the choice of front end, and the
 * line-mode prompt used when a terminal is there but curses is not (a dumb
 * TERM, or --plain at a terminal).
 *
 * The full-screen interface (tui.c) starts when stdin and stdout are both
 * terminals, no -c/-f/--plain is given and curses can open the terminal.
 * Otherwise statements come from -c, -f or a pipe and print as text
 * (session.c). Every front end feeds the same splitter and cmd_run.
 */
#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "base/buf.h"
#include "cmd.h"
#include "data/file_kind.h"
#include "line_complete.h"
#include "recover.h"
#include "render.h"
#include "session.h"
#include "tui.h"
#include "remote.h"
#include "base/banned.h"

#ifndef QUARRY_VERSION
#define QUARRY_VERSION "dev"
#endif

/* --- interactive (readline) -------------------------------------------------- */

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
    if (*line) { /* attach's password as *** in the readline history file too (remote.h) */
        char *masked = remote_mask(line);
        add_history(masked ? masked : line);
        free(masked);
    }
    splitter_feed(&rl_split, line, session_run, rl_sess);
    free(line);
    rl_set_prompt(prompt_now());
}

static void
run_interactive(struct session *s)
{
    char *hist = session_history_path();
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
    line_complete_install(&s->ctx, &rl_split); /* Tab as in the full-screen interface */
    rl_callback_handler_install(prompt_now(), on_line);
    while (!rl_eof && !s->quit) {
        fd_set in;
        FD_ZERO(&in);
        FD_SET(STDIN_FILENO, &in);
        s->stop = 0;
        int r = select(STDIN_FILENO + 1, &in, NULL, NULL, NULL);
        if (r < 0 && errno == EINTR) {
            if (session_sigint) {
                session_sigint = 0;
                session_cancel = 0;
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
            "Usage: quarry [OPTION]... [WORKSPACE.qdb | DATAFILE]\n"
            "A terminal workbench for data mining: load CSV/ARFF data into an in-memory\n"
            "SQLite catalog and explore it with commands and SQL.\n"
            "\n"
            "  -c, --command=STATEMENTS  run STATEMENTS (separated by ; or newlines) and exit\n"
            "  -f, --file=SCRIPT         run the statements in SCRIPT (- for stdin) and exit\n"
            "      --init=SCRIPT         run SCRIPT, then continue interactively\n"
            "      --keep-going          go on after a failed statement (-c, -f, --init, stdin)\n"
            "      --plain               never start the full-screen interface\n"
            "      --format=FORMAT       print results as table (default), csv, tsv or json\n"
            "      --timing              print each statement's wall and CPU time\n"
            "      --echo                print each statement before its result\n"
            "      --recover             restore the session a crash or kill ended, then go on\n"
            "  -h, --help                show this help and exit\n"
            "  -V, --version             show the version and exit\n"
            "\n"
            "A DATAFILE (CSV, TSV, ARFF or JSON, also gzipped) is loaded into a fresh\n"
            "catalog as load DATAFILE would, instead of opening a workspace.\n"
            "-c and -f may be given more than once: they run in order, in one catalog.\n"
            "With no -c or -f and a terminal on stdin, quarry starts interactively;\n"
            "otherwise it reads statements from stdin. Statements that do not come from\n"
            "the prompt (-c, -f, --init, stdin) stop at the first failure unless\n"
            "--keep-going is given; Ctrl-C stops them.\n"
            "\n"
            "At the prompt, autosave journals each statement that changes the catalog\n"
            "(help set); after a crash the next start offers to recover the catalog as\n"
            "it was after the last completed statement.\n"
            "\n"
            "The table format shows reals to 15 significant digits, as the sqlite3 shell\n"
            "does; csv, tsv and json write them exactly (the shortest text that reads\n"
            "back as the same number). json is an array of objects, infinities and NaN\n"
            "as null; csv quotes as RFC 4180; tsv writes \\\\ \\t \\n \\r for backslash,\n"
            "tab, newline and CR.\n"
            "\n"
            "Exit status: 0 when every statement succeeded, 1 when one failed (or a\n"
            "script could not be read), 2 for a usage error, 130 after Ctrl-C.\n"
            "Inside quarry, type help for the commands. Manual: man quarry.\n");
}

/*
 * quarry may start again, once, at start-up, with GLIBC_TUNABLES set to
 * glibc.malloc.hugetlb=1 (a heap on transparent huge pages), which glibc
 * reads only while the program loads. Off by default since issue 18:
 * measured in paired rounds on an Intel Xeon VM (2026-12-05, 7 rounds
 * each, order alternating), it made the prep pipeline 1.70x slower
 * (median of per-round ratios, 1.11-2.08; sys time 0.2 -> 2.3 s, kernel
 * page zeroing and compaction) and a 1M-row load 1.37x slower
 * (0.70-1.68). Where it helps, QUARRY_HUGE_PAGES=1 turns it on. The
 * restarted process finds the variable set and does not start again;
 * QUARRY_NO_REEXEC=1 keeps quarry from restarting at all; if exec fails
 * quarry simply goes on as it is.
 *
 * Until issue 16 quarry also started again to set OPENBLAS_CORETYPE when
 * OpenBLAS had chosen kernels weaker than the CPU (SSE3 ones on an
 * AVX-512 VM), which cost every start a second exec (8 of 17 ms of
 * `quarry -c 'select 1'`). OpenBLAS and libpq are no longer linked: they
 * are loaded with dlopen when first used (base/blas_dl.h,
 * remote/pq_dl.h), and the BLAS loader sets OPENBLAS_CORETYPE before it
 * loads OpenBLAS again, in the same process. Nor do OpenBLAS's threads
 * start with quarry any more (they ran, spinning, through a first load).
 */
static void
restart_with_env(char **argv)
{
    if (getenv("QUARRY_NO_REEXEC"))
        return;
    const char *t = getenv("GLIBC_TUNABLES");
    const char *on = getenv("QUARRY_HUGE_PAGES");
    if (!on || strcmp(on, "1") != 0 || (t && strstr(t, "glibc.malloc.hugetlb")))
        return;
    struct buf v = BUF_INIT;
    if (t && *t)
        buf_addf(&v, "%s:", t);
    buf_adds(&v, "glibc.malloc.hugetlb=1");
    if (setenv("GLIBC_TUNABLES", v.data, 1) == 0)
        execv("/proc/self/exe", argv);
    buf_release(&v);
}

/*
 * The engine's out-of-memory handler (buf_set_oom_handler): a small
 * allocation failed (text, bookkeeping), so nothing can go on. Big,
 * data-sized allocations are not this: they fail their command with an
 * error and the session continues. Here the terminal is put back, the
 * user told, and quarry leaves with status 1 (_exit: no atexit handlers,
 * which could allocate).
 */
static int oom_tui; /* the full-screen interface holds the terminal */

static void
on_out_of_memory(size_t size)
{
    if (oom_tui) {
        fputs("\033[?1006l\033[?1000l", stdout); /* mouse reporting off, as tui_close */
        endwin();
    }
    fflush(stdout);
    fprintf(stderr, "quarry: out of memory (%zu bytes of bookkeeping could not be had); "
                    "quitting, and unsaved work in the catalog is lost\n", size);
    _exit(1);
}

/*
 * Is the file named on the command line data to load rather than a
 * workspace to open (quarry data.csv, as VisiData takes it)? A file that
 * is not an SQLite database, or a pipe or FIFO (quarry <(zcat x.gz)); a
 * missing, empty or unreadable one when its name ends as data does
 * (.csv, .tsv, .tab, .arff, .json, .jsonl, .ndjson, each also with .gz),
 * so that load says what is wrong with it.
 */
static int
is_data_file(const char *path)
{
    enum file_kind k = file_kind_sniff(path, NULL);
    struct stat st;
    if (k == FILE_KIND_OTHER)
        return 1;
    if (k == FILE_KIND_SPECIAL)
        return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
    if (k != FILE_KIND_NONE && k != FILE_KIND_EMPTY && k != FILE_KIND_UNREADABLE)
        return 0;
    static const char *const exts[] = {".csv", ".tsv", ".tab", ".arff", ".json", ".jsonl",
                                       ".ndjson"};
    size_t n = strlen(path);
    if (n > 3 && strcasecmp(path + n - 3, ".gz") == 0)
        n -= 3;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strncasecmp(path + n - e, exts[i], e) == 0)
            return 1;
    }
    return 0;
}

/* -c and -f, as many as given, run in the order given (as psql does). */
struct action {
    int file;
    const char *arg;
    FILE *fp; /* the -f script, opened before anything runs */
};

/*
 * A script to read: - is stdin. NULL, said on stderr, when it cannot be
 * opened or is a directory. Anything else is read as a stream of lines
 * (a pipe, /dev/stdin, a process substitution); one that is not text
 * fails at its first NUL byte (session_run_stream).
 */
static FILE *
open_script(const char *name)
{
    FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
    struct stat st;
    struct buf msg = BUF_INIT;
    if (!fp)
        buf_addf(&msg, "quarry: cannot open '%s': %s", name, strerror(errno));
    else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode))
        buf_addf(&msg, "quarry: '%s' is a directory, not a script", name);
    if (msg.len) {
        render_put_clean(stderr, msg.data);
        fputc('\n', stderr);
        if (fp && fp != stdin)
            fclose(fp);
        fp = NULL;
    }
    buf_release(&msg);
    return fp;
}

static void
close_scripts(struct action *acts, int n)
{
    for (int i = 0; i < n; i++)
        if (acts[i].fp && acts[i].fp != stdin)
            fclose(acts[i].fp);
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
        {"recover", no_argument, NULL, 'R'},       {NULL, 0, NULL, 0},
    };
    const char *init = NULL, *format = NULL;
    int keep_going = 0, timing = 0, echo = 0, plain = 0, recover = 0, o;
    buf_set_oom_handler(on_out_of_memory);
    struct action *acts = xcalloc((size_t)argc + 1, sizeof *acts);
    int n_acts = 0;
    restart_with_env(argv);
    /*
     * Column arrays of a few MB come and go with every command: keep them
     * on the heap for reuse instead of a fresh mmap (and its page faults)
     * each time, and grow and trim the heap in large steps. About 10% less
     * CPU on the preprocessing pipeline of bench/sections/prep.sh.
     */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    while ((o = getopt_long(argc, argv, "c:f:hV", opts, NULL)) != -1) {
        switch (o) {
        case 'c': acts[n_acts++] = (struct action){0, optarg, NULL}; break;
        case 'f': acts[n_acts++] = (struct action){1, optarg, NULL}; break;
        case 'I': init = optarg; break;
        case 'k': keep_going = 1; break;
        case 'p': plain = 1; break;
        case 'F': format = optarg; break;
        case 't': timing = 1; break;
        case 'e': echo = 1; break;
        case 'R': recover = 1; break;
        case 'h': usage(stdout); free(acts); return 0;
        case 'V':
            printf("quarry %s\nSQLite %s\n", QUARRY_VERSION, sqlite3_libversion());
            free(acts);
            return 0;
        default:
            fprintf(stderr, "Try 'quarry --help' for more information.\n");
            free(acts);
            return 2;
        }
    }
    if (format && render_format_parse(format) < 0) {
        fprintf(stderr, "quarry: --format must be table, csv, tsv or json, not '%s'\n", format);
        free(acts);
        return 2;
    }
    if (argc - optind > 1) {
        fprintf(stderr, "quarry: one workspace at a time; got '%s' and '%s'\n", argv[optind],
                argv[optind + 1]);
        fprintf(stderr, "Try 'quarry --help' for more information.\n");
        free(acts);
        return 2;
    }

    struct session s;
    struct qerr err = QERR_INIT;
    if (session_init(&s, &err) < 0) {
        fprintf(stderr, "quarry: %s\n", err.msg);
        qerr_clear(&err);
        free(acts);
        return 1;
    }
    s.ctx.set.timer = timing;
    if (format)
        snprintf(s.ctx.set.format, sizeof s.ctx.set.format, "%s", format);
    s.keep_going = keep_going;
    s.echo = echo;
    session_signals();

    /* every -f script, and the --init script, opens before anything runs */
    int opened = 1;
    for (int i = 0; i < n_acts && opened; i++)
        opened = !acts[i].file || (acts[i].fp = open_script(acts[i].arg)) != NULL;
    FILE *script = opened && init && !n_acts ? open_script(init) : NULL;
    if (!opened || (init && !n_acts && !script)) {
        close_scripts(acts, n_acts);
        session_release(&s);
        free(acts);
        return 1;
    }
    int interactive = !n_acts && isatty(STDIN_FILENO);
    int screen = interactive && !plain && isatty(STDOUT_FILENO);
    /* A session a crash ended: the full-screen interface asks, anything else is told. */
    struct recover_found found = RECOVER_FOUND_INIT;
    int take = recover_find(&found) && (recover || recover_offer(&found, screen));
    if (recover && !take) {
        fprintf(stderr, "quarry: --recover: there is no unsaved session to recover\n");
        close_scripts(acts, n_acts);
        if (script && script != stdin)
            fclose(script);
        session_release(&s);
        free(acts);
        return 1;
    }
    if (!take)
        recover_found_release(&found);
    int use_tui = screen && tui_open(&s) == 0;
    oom_tui = use_tui;
    s.ctx.set.autosave = interactive;
    if (take)
        recover_take(&s, &found);
    recover_sync(&s);

    if (s.recovered && (optind < argc || script)) {
        /* they would start another catalog, or fail on the recovered one's tables */
        struct buf b = BUF_INIT;
        buf_addf(&b, "not %s %s: the catalog holds the recovered session (save it first)",
                 optind < argc ? "opening" : "running", optind < argc ? argv[optind] : init);
        s.front->note(&s, b.data);
        buf_release(&b);
    } else if (optind < argc) {
        /* a workspace is opened; a data file is loaded into the fresh catalog */
        int data = is_data_file(argv[optind]);
        struct buf b = BUF_INIT;
        buf_adds(&b, data ? "load '" : "open '");
        for (const char *p = argv[optind]; *p; p++)
            buf_add(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
        buf_addc(&b, '\'');
        session_run(&s, b.data, 0);
        buf_release(&b);
        if (data && s.failures == 0) {
            /* What the command line loads can be loaded again: not unsaved work. */
            catalog_mark_clean(s.ctx.cat);
            recover_clean(&s);
        }
    }
    int open_failed = s.failures > 0;
    if (n_acts) {
        /* a failed workspace open runs nothing; a script that stopped stops the rest */
        for (int i = 0; i < n_acts && !open_failed && !s.stop; i++) {
            s.source = acts[i].file ? acts[i].arg : NULL;
            session_run_stream(&s, acts[i].fp, acts[i].file ? NULL : acts[i].arg);
            s.source = NULL;
        }
    } else {
        if (script && !s.recovered) {
            /*
             * The init script stops at a failure or Ctrl-C; the session goes
             * on, except that Ctrl-C also ends statements piped on stdin.
             */
            s.source = init;
            session_run_stream(&s, script, NULL);
            s.failures = 0;
            s.stop = 0;
            s.interrupted = s.interrupted && !interactive;
            /* What an init script loads can be loaded again: not unsaved work. */
            catalog_mark_clean(s.ctx.cat);
            recover_clean(&s);
        }
        s.source = NULL;
        if (use_tui) {
            tui_loop(&s);
            s.failures = 0; /* errors were shown as they happened */
        } else if (interactive) {
            run_interactive(&s);
            s.failures = 0;
        } else if (!s.interrupted) {
            s.source = "stdin";
            session_run_stream(&s, stdin, NULL);
        }
    }
    /*
     * A clean end removes the recovery set, except that a script leaves a
     * recovered session it did not save where quarry --recover finds it.
     */
    int keep = s.recovered == 2 && !interactive && catalog_dirty(s.ctx.cat);
    if (keep && s.rec)
        s.front->note(&s, "the recovered session is not saved: it stays in the recovery "
                          "folder, and quarry --recover restores it again");
    recover_end(&s, keep);
    if (use_tui)
        tui_close(&s);
    oom_tui = 0;
    if (script && script != stdin)
        fclose(script);
    close_scripts(acts, n_acts);
    /* 128 + SIGPIPE, the status cat and sqlite3 end with when their reader leaves */
    int status = session_pipe_closed ? 141 : s.interrupted ? 130 : s.failures ? 1 : 0;
    session_release(&s);
    free(acts);
    return status;
}
