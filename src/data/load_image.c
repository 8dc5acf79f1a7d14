/*
 * load_image.c: the bytes of the file a load reads (load_int.h's struct
 * load_image), read with pread rather than mapped.
 *
 * A mapped file that shrinks while it is read kills the process with
 * SIGBUS, and the engine may not catch signals; a read just comes back
 * short. So a regular file gets an image instead of a mapping: anonymous
 * memory as long as the file, all zeros at first, whose chunks are read
 * from the file when a reader first meets them (csv.h's struct csv_fill:
 * a zero byte before the end asks for its chunk) and given back to the
 * kernel once every reader is past them. Pointers into the image stay
 * valid for the whole load, as they did into the mapping; a chunk given
 * back reads as zeros again and is read again if a later pass comes back
 * to it. A read that finds the file shorter than it was fails the load.
 *
 * Pipes, FIFOs and files whose size is unknown (size 0, as /proc files
 * say) are read whole into memory first, up to a bound; devices are
 * refused (/dev/zero and /dev/urandom never end).
 *
 * The central structure is the chunk table got[]: got[k] is set once
 * chunk k's bytes are in the image. Readers may run on two threads (the
 * parsing thread reads ahead, the inserting thread gives chunks back
 * behind it), so got[] is read without the lock on the fast path, with
 * acquire and release order, and changed under the lock.
 */
#include "data/load_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fault.h"
#include "base/mem.h"
#include "base/qerr.h"

#include "base/banned.h"

/* Seconds on a monotonic clock. */
double
load_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
open_error(const char *path, struct qerr *err)
{
    if (errno == ENOENT || errno == ENOTDIR)
        return qerr_set(err, QE_NOTFOUND,
                        "file '%s' does not exist; check the name and the folder", path);
    return qerr_set(err, QE_IO, "cannot open '%s': %s", path, strerror(errno));
}

/* What a file of mode st is, for an error that refuses it; NULL when it can be read. */
static const char *
refused_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode))
        return "a device (a terminal, /dev/zero, /dev/urandom, ...)";
    if (S_ISBLK(mode))
        return "a disk device";
    if (S_ISSOCK(mode))
        return "a socket";
    return NULL;
}

/*
 * Read a stream (a pipe, a FIFO, a file of unknown size) whole into
 * m->base, at most max bytes. fd is non-blocking: poll waits for data
 * (a silent FIFO waits for ever) in slices of LOAD_POLL_MS, calling
 * cancel between them and whenever LOAD_PROGRESS_SECONDS have passed.
 */
static int
read_stream(struct load_image *m, int fd, size_t max, int (*cancel)(void *), void *cancel_ctx,
            struct qerr *err)
{
    char *data = NULL;
    size_t len = 0, cap = 0;
    double due = load_clock() + LOAD_PROGRESS_SECONDS;
    int rc = -1;

    for (;;) {
        if (cancel && load_clock() >= due) {
            due = load_clock() + LOAD_PROGRESS_SECONDS;
            if (cancel(cancel_ctx)) {
                qerr_set(err, QE_INTERRUPT, "load of '%s' cancelled", m->path);
                goto out;
            }
        }
        /* never more than the bound, one byte past it and the NUL */
        if (cap - len < ((size_t)1 << 16) + 1 && cap < max + 2) {
            size_t more = cap ? mem_mul(cap, 2) : (size_t)1 << 20;
            if (more > max + 2)
                more = max + 2;
            char *p = mem_realloc(data, more, 1, "load", "bytes of the file", err);
            if (!p)
                goto out;
            data = p;
            cap = more;
        }
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int ready = poll(&pfd, 1, LOAD_POLL_MS);
        if (ready < 0 && errno != EINTR && errno != EAGAIN) {
            qerr_set(err, QE_IO, "cannot read '%s': %s", m->path, strerror(errno));
            goto out;
        }
        if (ready <= 0) {
            due = 0; /* nothing came: see whether the user gave up waiting */
            continue;
        }
        size_t want = cap - len - 1;
        if (want > max - len + 1)
            want = max - len + 1; /* one byte past the bound tells that it was passed */
        ssize_t n = fault_read() ? (errno = EIO, -1) : read(fd, data + len, want);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n < 0) {
            qerr_set(err, QE_IO, "cannot read '%s': %s", m->path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            qerr_set(err, QE_DATA,
                     "'%s' is a stream (a pipe or FIFO) of more than %zu MiB, the most load "
                     "keeps in memory; save it to a file and load that, or raise set memory=",
                     m->path, max >> 20);
            goto out;
        }
    }
    data[len] = '\0';
    m->base = data;
    m->size = len;
    data = NULL;
    rc = 0;
out:
    free(data);
    return rc;
}

/* Reserve an image of the regular file fd of size bytes (> 0). */
static int
reserve(struct load_image *m, int fd, size_t size, struct qerr *err)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size + 1 + (size_t)page - 1) / (size_t)page * (size_t)page;
    /* NORESERVE: only the chunks read at the same time take memory. */
    void *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
    if (base == MAP_FAILED)
        return mem_fail(size, 1, "load", "bytes of the file", err);
    madvise(base, len, MADV_HUGEPAGE);
    m->n_chunks = (size + LOAD_CHUNK - 1) / LOAD_CHUNK;
    m->got = calloc(m->n_chunks, 1);
    if (!m->got) {
        munmap(base, len);
        return mem_fail(m->n_chunks, 1, "load", "chunks of the file", err);
    }
    m->base = base;
    m->map_len = len;
    m->size = size;
    m->fd = fd;
    return 0;
}

int
load_image_open(struct load_image *m, const char *path, size_t max_stream,
                int (*cancel)(void *), void *cancel_ctx, struct qerr *err)
{
    struct stat st;
    int fd = -1, rc = -1;

    memset(m, 0, sizeof(*m));
    m->fd = -1;
    m->path = path;
    pthread_mutex_init(&m->mu, NULL);
    qerr_init(&m->err);
    /* Look before opening: opening a device or a FIFO can block or have effects. */
    if (stat(path, &st) < 0)
        return open_error(path, err);
    const char *kind = refused_kind(st.st_mode);
    if (kind && S_ISDIR(st.st_mode))
        return qerr_set(err, QE_IO, "'%s' is a folder, not a file; name a .csv, .tsv or .arff "
                        "file", path);
    if (kind)
        return qerr_set(err, QE_IO, "'%s' is %s, not a file; load a file, a pipe or a FIFO",
                        path, kind);
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return open_error(path, err);
    if (fstat(fd, &st) < 0) {
        qerr_set(err, QE_IO, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    kind = refused_kind(st.st_mode);
    if (kind) { /* it changed since the stat */
        qerr_set(err, QE_IO, "'%s' is %s, not a file; load a file, a pipe or a FIFO", path,
                 kind);
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        rc = read_stream(m, fd, max_stream ? max_stream : LOAD_STREAM_MAX, cancel, cancel_ctx,
                         err);
        goto out;
    }
    /* A regular file never blocks, but O_NONBLOCK could make a read on some file systems short. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (reserve(m, fd, (size_t)st.st_size, err) < 0)
        goto out;
    m->mtime = st.st_mtim;
    fd = -1; /* the image's now */
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Read chunk k into the image; called with the lock held. -1 when the file is shorter now. */
static int
read_chunk(struct load_image *m, size_t k)
{
    size_t off = k * LOAD_CHUNK, len = m->size - off < LOAD_CHUNK ? m->size - off : LOAD_CHUNK;
    size_t done = 0;
    while (done < len) {
        ssize_t n = fault_read() ? (errno = EIO, -1) /* QUARRY_FAULT=read:N */
                                 : pread(m->fd, m->base + off + done, len - done,
                                         (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            qerr_set(&m->err, QE_IO, "cannot read '%s': %s", m->path, strerror(errno));
            return -1;
        }
        if (n == 0) {
            qerr_set(&m->err, QE_IO,
                     "'%s' changed while it was loading: it is shorter now (%lld bytes were "
                     "there at the start); load it again once nothing writes to it",
                     m->path, (long long)m->size);
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

int
load_image_fill(struct load_image *m, const char *p, size_t n)
{
    if (!m->got)
        return 0; /* all in memory */
    size_t from = (size_t)(p - m->base), to = from + n;
    if (to > m->size)
        to = m->size;
    if (from >= to)
        return 0;
    int rc = 0;
    for (size_t k = from / LOAD_CHUNK; k <= (to - 1) / LOAD_CHUNK; k++) {
        if (__atomic_load_n(&m->got[k], __ATOMIC_ACQUIRE))
            continue;
        pthread_mutex_lock(&m->mu);
        if (m->failed) {
            rc = -1;
        } else if (!m->got[k]) {
            if (read_chunk(m, k) < 0) {
                m->failed = 1;
                rc = -1;
            } else {
                __atomic_store_n(&m->got[k], 1, __ATOMIC_RELEASE);
                rc = 1;
            }
        }
        pthread_mutex_unlock(&m->mu);
        if (rc < 0)
            return -1;
    }
    return rc;
}

void
load_image_release(struct load_image *m, const char *upto)
{
    if (!m->got)
        return;
    size_t end = (size_t)(upto - m->base) / LOAD_CHUNK; /* chunks before the one upto is in */
    if (end > m->n_chunks)
        end = m->n_chunks;
    pthread_mutex_lock(&m->mu);
    for (size_t k = m->kept; k < end; k++) {
        if (!m->got[k])
            continue;
        size_t j = k;
        while (j < end && m->got[j])
            __atomic_store_n(&m->got[j++], 0, __ATOMIC_RELEASE);
        /* Anonymous pages given back read as zeros: exactly "not read yet". */
        madvise(m->base + k * LOAD_CHUNK, (j - k) * LOAD_CHUNK, MADV_DONTNEED);
        k = j;
    }
    if (end > m->kept)
        m->kept = end;
    pthread_mutex_unlock(&m->mu);
}

void
load_image_rewind(struct load_image *m)
{
    pthread_mutex_lock(&m->mu);
    m->kept = 0;
    pthread_mutex_unlock(&m->mu);
}

int
load_image_check(struct load_image *m)
{
    struct stat st;
    if (m->fd < 0 || fstat(m->fd, &st) < 0)
        return 0;
    if ((size_t)st.st_size == m->size && st.st_mtim.tv_sec == m->mtime.tv_sec &&
        st.st_mtim.tv_nsec == m->mtime.tv_nsec)
        return 0;
    pthread_mutex_lock(&m->mu);
    if (!m->failed) {
        m->failed = 1;
        qerr_set(&m->err, QE_IO,
                 "'%s' changed while it was loading (%lld bytes then, %lld now); load it "
                 "again once nothing writes to it", m->path, (long long)m->size,
                 (long long)st.st_size);
    }
    pthread_mutex_unlock(&m->mu);
    return -1;
}

int
load_image_failed(struct load_image *m, struct qerr *err)
{
    pthread_mutex_lock(&m->mu);
    int failed = m->failed;
    if (failed) {
        qerr_clear(err); /* the file changing explains whatever went wrong after it */
        qerr_set(err, m->err.code, "%s", m->err.msg);
    }
    pthread_mutex_unlock(&m->mu);
    return failed;
}

void
load_image_adopt(struct load_image *m, char *data, size_t size)
{
    if (m->map_len)
        munmap(m->base, m->map_len);
    else
        free(m->base);
    if (m->fd >= 0)
        close(m->fd);
    free(m->got);
    m->base = data;
    m->size = size;
    m->map_len = 0;
    m->fd = -1;
    m->got = NULL;
    m->n_chunks = 0;
    m->kept = 0;
}

void
load_image_close(struct load_image *m)
{
    if (m->map_len)
        munmap(m->base, m->map_len);
    else
        free(m->base);
    if (m->fd >= 0)
        close(m->fd);
    free(m->got);
    qerr_clear(&m->err);
    pthread_mutex_destroy(&m->mu);
    memset(m, 0, sizeof(*m));
    m->fd = -1;
}
