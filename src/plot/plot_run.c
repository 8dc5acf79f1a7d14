/*
 * plot_run.c: running gnuplot. The script goes into a private temporary
 * directory (mkdtemp, 0700); gnuplot runs there as a child with -d (no
 * init file), stdin from /dev/null, a minimal environment and a time
 * limit; stdout and stderr are drained with poll so neither pipe can fill
 * and block it. Its output file is read back (text) or copied to the
 * user's path (file_target.h: a temporary name beside the target, then a
 * rename; a link followed to its target; a device or FIFO in place).
 */
#define _GNU_SOURCE /* nftw, posix_spawn_file_actions_addchdir_np */
#include "plot/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/file_target.h"

#include "base/banned.h"

#define INSTALL_HINT "install it with: sudo apt-get install -y gnuplot-nox"

static int
executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int
plot_find_gnuplot(const char *override, char **path, struct qerr *err)
{
    const char *env = getenv("QUARRY_GNUPLOT");
    const char *want = override && *override ? override : env && *env ? env : NULL;
    if (want) {
        if (executable(want)) {
            *path = xstrdup(want);
            return 0;
        }
        qerr_set(err, QE_NOTFOUND, "gnuplot not found at '%s' (QUARRY_GNUPLOT); plots need "
                                   "gnuplot: " INSTALL_HINT, want);
        return -1;
    }
    const char *dirs = getenv("PATH");
    if (!dirs || !*dirs)
        dirs = "/usr/bin:/bin";
    struct buf b = BUF_INIT;
    for (const char *p = dirs; *p;) {
        const char *e = strchr(p, ':');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        buf_reset(&b);
        buf_add(&b, l ? p : ".", l ? l : 1);
        buf_adds(&b, "/gnuplot");
        if (executable(b.data)) {
            *path = buf_detach(&b);
            return 0;
        }
        p += l;
        if (*p == ':')
            p++;
    }
    buf_release(&b);
    qerr_set(err, QE_NOTFOUND, "gnuplot is not installed (not on PATH); plots need it: "
                               INSTALL_HINT);
    return -1;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static int
write_file(const char *path, const char *data, size_t len, struct qerr *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(errno));
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            return qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(e));
        }
        data += n;
        len -= (size_t)n;
    }
    if (close(fd) < 0)
        return qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(errno));
    return 0;
}

static int
read_file(const char *path, struct buf *out, struct qerr *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return qerr_set(err, QE_IO, "gnuplot wrote no output ('%s': %s)", path,
                        strerror(errno));
    char tmp[65536];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return qerr_set(err, QE_IO, "cannot read '%s': %s", path, strerror(e));
        }
        if (n == 0)
            break;
        buf_add(out, tmp, (size_t)n);
    }
    close(fd);
    return 0;
}

/* Write len bytes to the user's path: through a link to its target; a device or FIFO in place. */
static int
put_file(const char *path, const char *data, size_t len, struct qerr *err)
{
    struct file_target t;
    if (file_target_open(&t, path, FILE_TARGET_STREAM, err) < 0)
        return -1;
    if (file_target_write(&t, data, len, err) < 0 || file_target_commit(&t, err) < 0) {
        file_target_abort(&t);
        return -1;
    }
    return 0;
}

/* Copy gnuplot's output file src to the user's dest. */
static int
install_file(const char *src, const char *dest, struct qerr *err)
{
    struct buf data = BUF_INIT;
    int rc = read_file(src, &data, err);
    if (rc == 0)
        rc = put_file(dest, data.data, data.len, err);
    buf_release(&data);
    return rc;
}

int
plot_save_script(const struct plot_spec *p, const struct plot_out *o, const char *output,
                 const char *path, struct qerr *err)
{
    struct buf script = BUF_INIT;
    int rc = plot_script(p, o, output, (unsigned long long)time(NULL) ^ 0x5eedULL, &script, err);
    if (rc == 0)
        rc = put_file(path, script.data, script.len, err);
    buf_release(&script);
    return rc;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/*
 * Run argv in dir with env; collect stderr (stdout too, into the same
 * buffer: gnuplot's `print` goes to stderr, its warnings too). Returns
 * the exit status, or -1 with err set (timeout, cancel, spawn failure).
 */
static int
run_child(char *const argv[], char *const envp[], const char *dir, const struct plot_run *run,
          struct buf *msgs, struct qerr *err)
{
    int out_pipe[2] = {-1, -1};
    if (pipe(out_pipe) < 0)
        return qerr_set(err, QE_IO, "cannot start gnuplot: %s", strerror(errno));
    fcntl(out_pipe[0], F_SETFD, FD_CLOEXEC);
    /*
     * posix_spawn, not fork: nothing of quarry runs in the child, and the
     * child starts with default SIGINT/SIGPIPE handling, stdin from
     * /dev/null, stdout and stderr on the pipe and dir as its directory.
     */
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t def, none;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGPIPE);
    sigemptyset(&none);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 2);
    posix_spawn_file_actions_addclose(&fa, out_pipe[1]);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int se = posix_spawn(&pid, argv[0], &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (se != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return qerr_set(err, se == ENOENT ? QE_NOTFOUND : QE_IO, "cannot run gnuplot '%s': %s",
                        argv[0], strerror(se));
    }
    close(out_pipe[1]);
    int timeout = run->timeout_ms;
    if (timeout <= 0) {
        const char *env = getenv("QUARRY_PLOT_TIMEOUT");
        long sec = env ? strtol(env, NULL, 10) : 0;
        timeout = sec > 0 && sec < 86400 ? (int)sec * 1000 : 60000;
    }
    double deadline = now_ms() + timeout;
    int rc = 0, open_fd = 1, status = 0, exited = 0;
    char tmp[4096];
    /*
     * Until gnuplot exits: its output is drained as it comes, and a
     * window helper that inherited the pipe cannot keep us waiting.
     */
    while (!exited) {
        struct pollfd pfd = {.fd = out_pipe[0], .events = POLLIN};
        int n = open_fd ? poll(&pfd, 1, 20) : (usleep(2000), 0);
        if (n > 0) {
            ssize_t got = read(out_pipe[0], tmp, sizeof tmp);
            if (got > 0) {
                if (msgs->len < 65536)
                    buf_add(msgs, tmp, (size_t)got);
            } else if (got == 0 || errno != EINTR) {
                open_fd = 0;
            }
        }
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            exited = 1;
            break;
        }
        if (run->progress && run->progress(run->pctx, -1.0)) {
            rc = qerr_set(err, QE_INTERRUPT, "interrupted; gnuplot was stopped");
            break;
        }
        if (now_ms() > deadline) {
            rc = qerr_set(err, QE_IO, "gnuplot did not finish within %d s and was "
                                             "stopped",
                          timeout / 1000);
            qerr_hint(err, "plot fewer points with sample=N");
            break;
        }
    }
    if (exited && open_fd) {
        /* What is left in the pipe, without waiting for writers that outlive gnuplot. */
        fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
        ssize_t got;
        while ((got = read(out_pipe[0], tmp, sizeof tmp)) > 0)
            if (msgs->len < 65536)
                buf_add(msgs, tmp, (size_t)got);
    }
    close(out_pipe[0]);
    if (rc < 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        return -1;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/*
 * gnuplot's error, e.g. `"plot.gp" line 12: undefined variable: x`, with
 * the script line it refers to, into err.
 */
static void
gnuplot_error(const char *msgs, const char *script, int status, struct qerr *err)
{
    const char *at = strstr(msgs, "\" line ");
    if (at) {
        char *end;
        long line = strtol(at + 7, &end, 10);
        const char *what = *end == ':' ? end + 1 : end;
        while (*what == ' ')
            what++;
        size_t wl = strcspn(what, "\n");
        const char *p = script;
        for (long i = 1; i < line && p; i++) {
            p = strchr(p, '\n');
            if (p)
                p++;
        }
        size_t pl = p ? strcspn(p, "\n") : 0;
        qerr_set(err, QE_DATA, "gnuplot failed: %.*s (script line %ld: %.*s)", (int)wl, what,
                 line, (int)(pl > 120 ? 120 : pl), p ? p : "");
    } else {
        size_t l = strlen(msgs);
        while (l && (msgs[l - 1] == '\n' || msgs[l - 1] == ' '))
            l--;
        qerr_set(err, QE_DATA, "gnuplot failed (exit status %d)%s%.*s", status,
                 l ? ": " : "", (int)(l > 400 ? 400 : l), msgs);
    }
    qerr_hint(err, "save the script with script=FILE.gp to look at it");
}

static const char *const term_ext[] = {"txt", "png", "svg", "pdf", "txt"};

int
plot_render(const struct plot_spec *p, const struct plot_out *o, const char *dest,
            const struct plot_run *run, struct buf *text, struct qerr *err)
{
    struct buf script = BUF_INIT, out = BUF_INIT;
    char *gp = NULL;
    int rc = -1;
    if (plot_find_gnuplot(run->gnuplot, &gp, err) < 0) /* the first thing to say, if missing */
        goto out;
    if (o->term == PLOT_TERM_WINDOW && !(getenv("DISPLAY") && *getenv("DISPLAY"))) {
        qerr_set(err, QE_ARG, "window=yes needs a display, and DISPLAY is not set");
        qerr_hint(err, "leave window out for an inline plot, or write a file with to=FILE.png");
        goto out;
    }
    /* gnuplot runs in its own directory (plot_run_script): the output is named from there */
    buf_addf(&out, "out.%s", term_ext[o->term]);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long seed = (unsigned long long)ts.tv_nsec * 6364136223846793005ULL ^
                              (unsigned long long)ts.tv_sec ^ ((unsigned long long)getpid() << 32);
    if (plot_script(p, o, o->term == PLOT_TERM_WINDOW ? NULL : out.data, seed, &script, err) < 0)
        goto out;
    rc = plot_run_script(script.data, script.len, o->term, dest, run, text, err);
out:
    free(gp);
    buf_release(&script);
    buf_release(&out);
    return rc;
}

int
plot_run_script(const char *script, size_t len, enum plot_term term, const char *dest,
                const struct plot_run *run, struct buf *text, struct qerr *err)
{
    char *gp = NULL;
    char *dir = NULL;
    struct buf path = BUF_INIT, out = BUF_INIT, msgs = BUF_INIT;
    struct buf env_home = BUF_INIT, env_display = BUF_INIT, env_xauth = BUF_INIT;
    int rc = -1, have_dir = 0;
    if (plot_find_gnuplot(run->gnuplot, &gp, err) < 0)
        goto out;
    const char *tmp = getenv("TMPDIR");
    struct buf tdir = BUF_INIT;
    buf_addf(&tdir, "%s/quarry-plot-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
    dir = buf_detach(&tdir);
    if (!mkdtemp(dir)) {
        qerr_set(err, QE_IO, "cannot make a temporary directory in '%s': %s",
                 tmp && *tmp == '/' ? tmp : "/tmp", strerror(errno));
        goto out;
    }
    have_dir = 1;
    buf_addf(&out, "%s/out.%s", dir, term_ext[term]);
    buf_addf(&path, "%s/plot.gp", dir);
    if (write_file(path.data, script, len, err) < 0)
        goto out;
    /* A minimal environment: nothing of the user's reaches gnuplot but the display. */
    buf_addf(&env_home, "HOME=%s", dir);
    char *envp[8];
    int ne = 0;
    envp[ne++] = "PATH=/usr/bin:/bin";
    envp[ne++] = "LC_ALL=C.UTF-8";
    envp[ne++] = env_home.data;
    if (term == PLOT_TERM_WINDOW) {
        buf_addf(&env_display, "DISPLAY=%s", getenv("DISPLAY"));
        envp[ne++] = env_display.data;
        if (getenv("XAUTHORITY")) {
            buf_addf(&env_xauth, "XAUTHORITY=%s", getenv("XAUTHORITY"));
            envp[ne++] = env_xauth.data;
        }
    }
    envp[ne] = NULL;
    char *argv[5];
    int na = 0;
    argv[na++] = gp;
    argv[na++] = "-d";
    if (term == PLOT_TERM_WINDOW)
        argv[na++] = "-persist";
    argv[na++] = "plot.gp";
    argv[na] = NULL;
    int status = run_child(argv, envp, dir, run, &msgs, err);
    if (status < 0)
        goto out;
    if (status == 127) {
        qerr_set(err, QE_NOTFOUND, "cannot run gnuplot at '%s'; " INSTALL_HINT, gp);
        goto out;
    }
    if (term == PLOT_TERM_WINDOW && strstr(msgs.data, "QUARRY_NO_WINDOW")) {
        qerr_set(err, QE_ARG, "this gnuplot cannot open a window (gnuplot-nox has no window "
                              "terminal)");
        qerr_hint(err, "install one with: sudo apt-get install -y gnuplot-qt; or use "
                       "to=FILE.png");
        goto out;
    }
    if (status != 0) {
        gnuplot_error(msgs.data, script, status, err);
        goto out;
    }
    if (term == PLOT_TERM_DUMB) {
        struct buf raw = BUF_INIT;
        if (read_file(out.data, &raw, err) < 0) {
            buf_release(&raw);
            goto out;
        }
        /*
         * Lines without their trailing blanks, and without the blank lines
         * gnuplot leaves above and below the figure; after the form feed
         * it starts with.
         */
        size_t base = text->len;
        const char *q = raw.data + (raw.len && raw.data[0] == '\f' ? 1 : 0);
        while (*q) {
            size_t l = strcspn(q, "\n"), e = 0;
            int esc = 0;
            /* e: just after the last visible character; SGR sequences are not visible. */
            for (size_t i = 0; i < l; i++) {
                if (q[i] == '\033' && i + 1 < l && q[i + 1] == '[') {
                    esc = 1;
                    while (i < l && q[i] != 'm')
                        i++;
                } else if (q[i] != ' ' && q[i] != '\r') {
                    e = i + 1;
                }
            }
            if (e > 0 || text->len > base) {
                buf_add(text, q, e);
                if (esc && e > 0)
                    buf_adds(text, "\033[0m");
                buf_addc(text, '\n');
            }
            q += l + (q[l] == '\n');
        }
        size_t end = text->len;
        while (end > base && text->data[end - 1] == '\n')
            end--;
        buf_truncate(text, end);
        buf_release(&raw);
    } else if (term != PLOT_TERM_WINDOW) {
        if (install_file(out.data, dest, err) < 0)
            goto out;
    }
    rc = 0;
out:
    if (have_dir)
        nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(dir);
    free(gp);
    buf_release(&path);
    buf_release(&out);
    buf_release(&msgs);
    buf_release(&env_home);
    buf_release(&env_display);
    buf_release(&env_xauth);
    return rc;
}
