/*
 * session.c: running statements for a front end, and the plain front end
 * that prints results as text (tables on stdout, errors on stderr).
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "data/frame.h"
#include "render.h"
#include "base/utf8.h"
#include "base/banned.h"

volatile sig_atomic_t session_sigint;
volatile int session_cancel;

static void
on_sigint(int sig)
{
    (void)sig;
    session_sigint = 1;
    session_cancel = 1;
}

void
session_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

/* The engine's progress callback in plain mode: a nonzero return cancels. */
static int
plain_progress(void *arg, double fraction)
{
    (void)arg;
    (void)fraction;
    return session_cancel;
}

static int
env_int(const char *name, int def)
{
    const char *v = getenv(name);
    char *end;
    long x = v ? strtol(v, &end, 10) : 0;
    return v && *v && !*end && x >= 20 && x <= 1000 ? (int)x : def;
}

int
session_init(struct session *s, struct qerr *err)
{
    memset(s, 0, sizeof *s);
    if (ctx_init(&s->ctx, err) < 0)
        return -1;
    s->ctx.interrupted = &session_cancel;
    s->ctx.progress = plain_progress;
    /* Plain mode: inline plots at $COLUMNS x $LINES when set, else 80 x 24. */
    s->ctx.width = env_int("COLUMNS", 80);
    s->ctx.height = env_int("LINES", 24);
    s->front = &front_plain;
    s->last_rows = -1;
    return 0;
}

void
session_release(struct session *s)
{
    ctx_release(&s->ctx);
}

double
session_now(void)
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

int
session_run(void *arg, const char *stmt, int line)
{
    struct session *s = arg;
    struct cmd_result res;
    struct qerr err = QERR_INIT;
    double w0 = session_now(), u0, s0, u1, s1;
    cpu_times(&u0, &s0);
    result_init(&res);
    if (s->echo)
        s->front->echo(s, stmt);
    session_cancel = 0;
    session_sigint = 0;
    double io_r, io_w;
    frame_io_times(s->ctx.cat, &io_r, &io_w, 1);
    int rc = cmd_run(&s->ctx, stmt, &res, &err);
    double w1 = session_now();
    cpu_times(&u1, &s1);
    s->last_secs = w1 - w0;
    s->last_rows = -1;
    for (int i = 0; i < res.n_items; i++)
        if (res.items[i].kind == OUT_TABLE)
            s->last_rows = res.items[i].table->n_rows;
    s->front->result(s, &res);
    if (rc < 0) {
        s->front->error(s, stmt, line, &err);
        s->failures++;
        if (s->source && !s->keep_going)
            s->stop = 1;
        if (err.code == QE_INTERRUPT)
            s->stop = 1; /* a script or -c text stops; the prompt returns */
    }
    if (s->ctx.set.timer) {
        char t[160];
        snprintf(t, sizeof t, "time: real %.3fs user %.3fs sys %.3fs", w1 - w0, u1 - u0,
                 s1 - s0);
        frame_io_times(s->ctx.cat, &io_r, &io_w, 0);
        if (io_r + io_w > 0) {
            size_t len = strlen(t);
            snprintf(t + len, sizeof t - len, " (data path: read %.3fs, write %.3fs)", io_r,
                     io_w);
        }
        s->front->note(s, t);
    }
    if (res.quit) {
        s->quit = 1;
        s->stop = 1;
    }
    result_release(&res);
    qerr_clear(&err);
    return s->stop;
}

void
session_run_stream(struct session *s, FILE *in, const char *text)
{
    struct splitter sp;
    splitter_init(&sp);
    if (text) {
        const char *p = text;
        while (*p && !s->stop) {
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            char *line = xstrndup(p, l);
            splitter_feed(&sp, line, session_run, s);
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
            splitter_feed(&sp, line, session_run, s);
        }
        free(line);
    }
    if (!s->stop)
        splitter_finish(&sp, session_run, s);
    splitter_release(&sp);
}

char *
session_history_path(void)
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

/* --- the plain front end ------------------------------------------------------- */

static void
plain_echo(struct session *s, const char *stmt)
{
    fputs("quarry> ", stdout);
    for (const char *p = stmt; *p; p++) {
        fputc(*p, stdout);
        if (*p == '\n')
            fputs("   ...> ", stdout);
    }
    fputc('\n', stdout);
}

static void
plain_result(struct session *s, const struct cmd_result *res)
{
    int fmt = render_format_parse(s->ctx.set.format);
    render_result(stdout, stderr, res, fmt < 0 ? RENDER_TABLE : (enum render_format)fmt);
    fflush(stdout);
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
    fprintf(stderr, "  %s\n  %*s^\n", line, utf8_width(before), "");
    free(line);
    free(before);
}

static void
plain_error(struct session *s, const char *stmt, int line, const struct qerr *err)
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

static void
plain_note(struct session *s, const char *text)
{
    fflush(stdout);
    fprintf(stderr, "%s\n", text);
}

const struct front front_plain = {
    .echo = plain_echo,
    .result = plain_result,
    .error = plain_error,
    .note = plain_note,
};
