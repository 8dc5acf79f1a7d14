/*
 * session.c: running statements for a front end, and the plain front end
 * that prints results as text (tables on stdout, errors on stderr).
 */
#include "session.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "data/frame.h"
#include "recover.h"
#include "render.h"
#include "base/banned.h"

volatile sig_atomic_t session_sigint;
volatile int session_cancel;
int session_pipe_closed;

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
    /*
     * A reader that goes away (| head, a FIFO, a dead gnuplot) must not
     * kill quarry and its unsaved catalog: writes fail with EPIPE instead,
     * and session_run stops quietly when it is standard output.
     */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Whether standard output is a pipe or socket whose reader is gone: a
 * write there failed with EPIPE, or poll says the other end is closed.
 */
static int
stdout_closed(void)
{
    if (ferror(stdout) && errno == EPIPE)
        return 1;
    struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
    return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
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
    recover_end(s, 1); /* an end not through recover_end(s, 0) leaves the set */
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
    if (s->scripted && session_sigint) {
        /* Ctrl-C came between two statements of a script */
        s->interrupted = 1;
        s->stop = 1;
        return s->stop;
    }
    double w0 = session_now(), u0, s0, u1, s1;
    cpu_times(&u0, &s0);
    result_init(&res);
    if (s->echo)
        s->front->echo(s, stmt);
    session_cancel = 0;
    session_sigint = 0;
    double io_r, io_w;
    frame_io_times(s->ctx.cat, &io_r, &io_w, 1);
    int hist_before = s->ctx.n_hist;
    int rc = cmd_run(&s->ctx, stmt, &res, &err);
    double w1 = session_now();
    cpu_times(&u1, &s1);
    s->last_secs = w1 - w0;
    /* journaled (autosave) before the result shows: what the user saw done survives a crash */
    recover_after(s, rc, hist_before, &res);
    s->last_rows = -1;
    for (int i = 0; i < res.n_items; i++)
        if (res.items[i].kind == OUT_TABLE)
            s->last_rows = res.items[i].table->n_rows + res.items[i].table->n_more;
    s->front->result(s, &res);
    if (s->front == &front_plain && stdout_closed()) {
        /* the reader of our output left (| head): stop quietly, as cat and sqlite3 do */
        session_pipe_closed = 1;
        s->stop = 1;
        rc = 0;
    }
    if (rc < 0) {
        s->front->error(s, stmt, line, &err);
        s->failures++;
        if (s->scripted && !s->keep_going)
            s->stop = 1;
        if (err.code == QE_INTERRUPT)
            s->stop = 1; /* a script or -c text stops; the prompt returns */
    }
    if (s->scripted && (session_sigint || err.code == QE_INTERRUPT)) {
        /* Ctrl-C during a script, even in a statement that finished: stop it */
        s->interrupted = 1;
        s->stop = 1;
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

/*
 * Read one line of a script into b, without its newline: 1, or 0 at the
 * end, or -1 with err set: a read error, a NUL byte (not a text script:
 * a binary, /dev/zero), or Ctrl-C while waiting for input. A FIFO or a
 * terminal is read as the stream it is.
 */
static int
read_line(FILE *in, const char *name, struct buf *b, struct qerr *err)
{
    buf_reset(b);
    for (;;) {
        int c = getc_unlocked(in);
        if (c == '\n')
            return 1;
        if (c == '\0')
            return qerr_set(err, QE_DATA, "'%s' holds a NUL byte: it is not a text script, "
                            "so nothing more of it runs", name);
        if (c != EOF) {
            buf_addc(b, (char)c);
            continue;
        }
        if (!ferror(in))
            return b->len > 0;
        int e = errno;
        clearerr(in);
        if (e == EINTR && session_sigint)
            return qerr_set(err, QE_INTERRUPT, "interrupted");
        if (e != EINTR)
            return qerr_set(err, QE_IO, "cannot read '%s': %s", name, strerror(e));
    }
}

void
session_run_stream(struct session *s, FILE *in, const char *text)
{
    struct splitter sp;
    int was = s->scripted;
    s->scripted = 1;
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
        struct buf line = BUF_INIT;
        struct qerr err = QERR_INIT;
        int n = 0;
        while (!s->stop && (n = read_line(in, s->source ? s->source : "stdin", &line, &err)) > 0)
            splitter_feed(&sp, line.data, session_run, s);
        if (!s->stop && n < 0) {
            s->front->error(s, "", sp.line + 1, &err);
            s->failures++;
            s->interrupted = err.code == QE_INTERRUPT;
            s->stop = 1;
        }
        qerr_clear(&err);
        buf_release(&line);
    }
    if (!s->stop)
        splitter_finish(&sp, session_run, s);
    splitter_release(&sp);
    s->scripted = was;
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

/*
 * Everything below prints through render_clean: statements, messages and
 * hints quote file data (names, values), and a value must never reach the
 * terminal as an escape sequence.
 */
static void
plain_echo(struct session *s, const char *stmt)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "quarry> ");
    for (const char *p = stmt; *p; p++) {
        buf_addc(&b, *p);
        if (*p == '\n')
            buf_adds(&b, "   ...> ");
    }
    render_put_clean(stdout, b.data);
    fputc('\n', stdout);
    buf_release(&b);
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
    struct buf shown = BUF_INIT;
    render_clean(&shown, line, -1, 0);
    fprintf(stderr, "  %s\n  %*s^\n", shown.data, render_clean(NULL, before, -1, 0), "");
    buf_release(&shown);
    free(line);
    free(before);
}

static void
plain_error(struct session *s, const char *stmt, int line, const struct qerr *err)
{
    struct buf b = BUF_INIT;
    fflush(stdout);
    if (s->source)
        buf_addf(&b, "error: line %d: %s", line, err->msg);
    else
        buf_addf(&b, "error: %s", err->msg);
    render_put_clean(stderr, b.data);
    fputc('\n', stderr);
    if (err->pos >= 0 && (size_t)err->pos <= strlen(stmt))
        print_caret(stmt, err->pos);
    if (err->hint) {
        render_put_clean(stderr, err->hint);
        fputc('\n', stderr);
    }
    buf_release(&b);
}

static void
plain_note(struct session *s, const char *text)
{
    fflush(stdout);
    render_put_clean(stderr, text);
    fputc('\n', stderr);
}

const struct front front_plain = {
    .echo = plain_echo,
    .result = plain_result,
    .error = plain_error,
    .note = plain_note,
};
