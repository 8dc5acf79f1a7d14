/*
 * file_target.c: file_target (see file_target.h), the one place that
 * decides what writing a path means: follow its links, then write a
 * regular file through a temporary and a rename, a stream in place, and
 * refuse the rest.
 */
#include "base/file_target.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

#include "base/banned.h"

/* As many hops as Linux follows (MAXSYMLINKS) before ELOOP. */
#define MAX_HOPS 40

static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

static const char *
base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* N when path names one of this process's descriptors (/dev/fd/N, /proc/self/fd/N), else -1. */
static int
own_fd(const char *path)
{
    static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
    char mine[40];
    snprintf(mine, sizeof mine, "/proc/%ld/fd/", (long)getpid());
    const char *rest = NULL;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !rest; i++)
        if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
            rest = path + strlen(dirs[i]);
    if (!rest && strncmp(path, mine, strlen(mine)) == 0)
        rest = path + strlen(mine);
    if (!rest || *rest < '0' || *rest > '9')
        return -1;
    char *end;
    errno = 0;
    long n = strtol(rest, &end, 10);
    if (errno || *end || n > INT_MAX)
        return -1;
    return (int)n;
}

/*
 * Follow path's symbolic links, one hop at a time, to what it names: a
 * file, a name not taken yet, or (where a hop is one) a descriptor of
 * ours, *fd >= 0. *out gets the last path (the caller frees it).
 */
static int
follow_links(const char *path, char **out, int *fd, struct qerr *err)
{
    char *cur = xstrdup(path);
    *fd = -1;
    for (int hops = 0;; hops++) {
        if ((*fd = own_fd(cur)) >= 0)
            break;
        struct stat st;
        if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
            break; /* a file, or a name to create (or an error the open will report) */
        if (hops == MAX_HOPS) {
            free(cur);
            return qerr_set(err, QE_IO, "cannot write '%s': more than %d symbolic links to "
                            "follow (a loop?)", path, MAX_HOPS);
        }
        size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : PATH_MAX;
        char *link = NULL;
        ssize_t n;
        for (;;) {
            link = xrealloc(link, cap);
            n = readlink(cur, link, cap);
            if (n < 0 || (size_t)n < cap)
                break;
            cap *= 2; /* the link grew since lstat */
        }
        if (n < 0) {
            int e = errno;
            free(link);
            free(cur);
            return qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(e));
        }
        link[n] = '\0';
        if (link[0] == '/') {
            free(cur);
            cur = link;
        } else {
            /* A relative link is relative to the folder the link is in. */
            char *dir = dir_of(cur);
            struct buf b = BUF_INIT;
            buf_addf(&b, "%s/%s", dir, link);
            free(dir);
            free(link);
            free(cur);
            cur = buf_detach(&b);
        }
    }
    *out = cur;
    return 0;
}

static const char *
kind_name(mode_t m)
{
    return S_ISDIR(m)    ? "a folder"
           : S_ISCHR(m)  ? "a device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

/* A stream refused to a writer that needs a file: say what it is and what to give instead. */
static int
not_a_file(struct file_target *t, const char *what, struct qerr *err)
{
    qerr_set(err, QE_IO, "'%s' is %s; only a regular file can be written here", t->path, what);
    qerr_hint(err, "give the name of a file");
    return -1;
}

/* Open a device or FIFO in place; a FIFO nobody reads is refused rather than waited on. */
static int
open_stream(struct file_target *t, mode_t kind, struct qerr *err)
{
    int fl = O_WRONLY | O_NOCTTY | O_CLOEXEC | (S_ISFIFO(kind) ? O_NONBLOCK : 0);
    int fd = open(t->target, fl);
    if (fd < 0) {
        if (errno == ENXIO && S_ISFIFO(kind))
            return qerr_set(err, QE_IO, "cannot write '%s': no program is reading the FIFO",
                            t->path);
        return qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        close(fd); /* it changed since we looked: write nothing */
        return qerr_set(err, QE_IO, "cannot write '%s': it changed while being opened", t->path);
    }
    if (S_ISFIFO(kind))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    t->fd = fd;
    return 0;
}

/* Write to descriptor n of ours (/dev/stdout and the like): a copy, so closing it leaves n open. */
static int
open_own(struct file_target *t, int n, struct qerr *err)
{
    int fl = fcntl(n, F_GETFL);
    if (fl < 0)
        return qerr_set(err, QE_IO, "cannot write '%s': descriptor %d is not open", t->path, n);
    if ((fl & O_ACCMODE) == O_RDONLY)
        return qerr_set(err, QE_IO, "cannot write '%s': descriptor %d is open for reading only",
                        t->path, n);
    t->fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
    if (t->fd < 0)
        return qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
    return 0;
}

static void
release(struct file_target *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    free(t->path);
    free(t->target);
    free(t->tmp);
    t->path = t->target = t->tmp = NULL;
}

int
file_target_open(struct file_target *t, const char *path, int flags, struct qerr *err)
{
    int own = -1;
    memset(t, 0, sizeof *t);
    t->fd = -1;
    t->flags = flags;
    t->path = xstrdup(path);
    if (!*path) {
        qerr_set(err, QE_IO, "cannot write a file with an empty name");
        goto fail;
    }
    if (follow_links(path, &t->target, &own, err) < 0)
        goto fail;
    if (own >= 0) {
        if (!(flags & FILE_TARGET_STREAM)) {
            not_a_file(t, "one of quarry's own open files", err);
            goto fail;
        }
        if (open_own(t, own, err) < 0)
            goto fail;
        return 0;
    }
    if (strncmp(t->target, "/proc/", 6) == 0 || strcmp(t->target, "/proc") == 0) {
        qerr_set(err, QE_IO, "cannot write '%s': it is in /proc, the kernel's view of processes",
                 path);
        goto fail;
    }
    struct stat st;
    mode_t mode;
    if (lstat(t->target, &st) == 0) {
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
            if (!(flags & FILE_TARGET_STREAM)) {
                not_a_file(t, kind_name(st.st_mode), err);
                goto fail;
            }
            if (open_stream(t, st.st_mode, err) < 0)
                goto fail;
            return 0;
        }
        if (S_ISLNK(st.st_mode)) { /* only when it changed under follow_links */
            qerr_set(err, QE_IO, "cannot write '%s': its link changed while being followed",
                     path);
            goto fail;
        }
        if (!S_ISREG(st.st_mode)) {
            qerr_set(err, QE_IO, "cannot write '%s': it is %s", path, kind_name(st.st_mode));
            goto fail;
        }
        t->existed = 1;
        mode = st.st_mode & 07777;
    } else if (errno == ENOENT) {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    } else {
        qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    file_target_clean_stale(t->target);
    struct buf tmp = BUF_INIT;
    buf_addf(&tmp, "%s.tmp-%ld-XXXXXX", t->target, (long)getpid());
    t->tmp = buf_detach(&tmp);
    t->fd = mkstemp(t->tmp);
    if (t->fd < 0) {
        qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(errno));
        free(t->tmp);
        t->tmp = NULL;
        goto fail;
    }
    fcntl(t->fd, F_SETFD, FD_CLOEXEC); /* never handed to gnuplot */
    fchmod(t->fd, mode);
    if (t->existed && (st.st_uid != geteuid() || st.st_gid != getegid()))
        (void)!fchown(t->fd, st.st_uid, st.st_gid); /* best effort: root keeps the owner */
    return 0;
fail:
    file_target_abort(t);
    return -1;
}

int
file_target_write(struct file_target *t, const void *data, size_t len, struct qerr *err)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(t->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return qerr_set(err, QE_IO, "cannot write '%s': %s", t->path,
                            n < 0 ? strerror(errno) : "nothing was written");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Keep the file at target as TARGET.bak: a second name for it, else a rename. */
static int
keep_backup(struct file_target *t, int *moved, struct qerr *err)
{
    struct buf bak = BUF_INIT;
    int rc = 0;
    buf_addf(&bak, "%s.bak", t->target);
    if (unlink(bak.data) < 0 && errno != ENOENT) {
        rc = qerr_set(err, QE_IO, "cannot replace the backup '%s': %s", bak.data,
                      strerror(errno));
    } else if (link(t->target, bak.data) < 0) {
        /* No hard links here (some file systems): move it; the new file follows at once. */
        if (errno == ENOENT)
            ; /* the target went away meanwhile: nothing to keep */
        else if (rename(t->target, bak.data) == 0)
            *moved = 1;
        else
            rc = qerr_set(err, QE_IO, "cannot keep the old '%s' as '%s': %s", t->path,
                          bak.data, strerror(errno));
    }
    buf_release(&bak);
    return rc;
}

int
file_target_commit(struct file_target *t, struct qerr *err)
{
    int rc = 0, moved = 0;
    if (!t->tmp) {
        if (close(t->fd) < 0 && errno != EINTR)
            rc = qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
        t->fd = -1;
        release(t);
        return rc;
    }
    if (fsync(t->fd) < 0) {
        rc = qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
    } else {
        int fd = t->fd;
        t->fd = -1;
        if (close(fd) < 0)
            rc = qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
    }
    if (rc == 0 && (t->flags & FILE_TARGET_BACKUP) && t->existed)
        rc = keep_backup(t, &moved, err);
    if (rc == 0 && rename(t->tmp, t->target) < 0) {
        rc = qerr_set(err, QE_IO, "cannot write '%s': %s", t->path, strerror(errno));
        if (moved) { /* put the old file back where it was */
            struct buf bak = BUF_INIT;
            buf_addf(&bak, "%s.bak", t->target);
            rename(bak.data, t->target);
            buf_release(&bak);
        }
    }
    if (rc == 0) {
        free(t->tmp);
        t->tmp = NULL;
        char *dir = dir_of(t->target);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) { /* the rename itself reaches the disk */
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    file_target_abort(t);
    return rc;
}

void
file_target_abort(struct file_target *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    if (t->tmp)
        unlink(t->tmp);
    release(t);
}

int
file_target_is_stream(const struct file_target *t)
{
    return t->fd >= 0 && !t->tmp;
}

/* A name "PID-XXXXXX" as mkstemp fills the pattern: the pid, or -1. */
static long
temp_pid(const char *s)
{
    if (*s < '1' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    long pid = strtol(s, &end, 10);
    if (errno || *end != '-' || pid > INT_MAX || strlen(end + 1) != 6)
        return -1;
    for (const char *x = end + 1; *x; x++)
        if (!((*x >= '0' && *x <= '9') || (*x >= 'a' && *x <= 'z') || (*x >= 'A' && *x <= 'Z')))
            return -1;
    return pid;
}

int
file_target_clean_stale(const char *target)
{
    char *dir = dir_of(target);
    const char *base = base_of(target);
    size_t bl = strlen(base);
    DIR *d = opendir(dir);
    int n = 0;
    time_t now = time(NULL);
    struct dirent *e;
    struct buf full = BUF_INIT;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".tmp-", 5) != 0)
            continue;
        long pid = temp_pid(e->d_name + bl + 5);
        /* Only a writer that is gone: kill says EPERM for another user's live process. */
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        buf_reset(&full);
        buf_addf(&full, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(full.data, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            now - st.st_mtime < FILE_TARGET_STALE_SECS)
            continue;
        if (unlink(full.data) == 0)
            n++;
    }
    if (d)
        closedir(d);
    buf_release(&full);
    free(dir);
    return n;
}
