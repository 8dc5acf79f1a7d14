/*
 * recover.c: the recovery set of a session (autosave) and rebuilding a
 * catalog from the set a dead session left (recover.h has the layout).
 *
 * The journal is a text header line, then records: "T LEN HASH\n", LEN
 * bytes of payload, "\n". T is H (the header: base and settings), S (a
 * statement) or N (the count of unsaved statements changed without one).
 * A payload is KEY=VALUE fields, each ended by a NUL byte. HASH (64-bit
 * FNV-1a of the payload) and the length find a record cut short by a
 * kill in the middle of its write: reading stops there, so what is read
 * is always a prefix of what was written, and each record is one write
 * followed by fdatasync.
 *
 * A journal restart writes the new base first (catalog_save's atomic
 * rename, or a hard link to the workspace), then journal-G+1 under a
 * temporary name renamed into place, and only then removes generation G:
 * whenever the process dies, the newest journal and its base are whole.
 */
#define _GNU_SOURCE /* strcasestr */
#include "recover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "recover_int.h"
#include "base/banned.h"

#define MAGIC "quarry-journal 1\n"

char *
recover_root(void)
{
    const char *env = getenv("QUARRY_RECOVERY_DIR"), *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    struct buf b = BUF_INIT;
    if (env && *env)
        buf_adds(&b, env);
    else if (state && state[0] == '/')
        buf_addf(&b, "%s/quarry/recover", state);
    else if (home && *home)
        buf_addf(&b, "%s/.local/state/quarry/recover", home);
    else
        return NULL;
    return buf_detach(&b);
}

static unsigned long long
fnv(const char *p, size_t n)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return h;
}

int
recover_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

void
recover_field(struct buf *payload, const char *key, const char *value)
{
    buf_addf(payload, "%s=%s", key, value);
    buf_addc(payload, '\0');
}

void
recover_record(struct buf *out, char tag, const struct buf *payload)
{
    buf_addf(out, "%c %zu %016llx\n", tag, payload->len, fnv(payload->data, payload->len));
    buf_add(out, payload->data, payload->len);
    buf_addc(out, '\n');
}

const char *
recover_get(const struct recover_rec *r, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = r->payload; p < r->payload + r->len; p += strlen(p) + 1)
        if (strncmp(p, key, kl) == 0 && p[kl] == '=')
            return p + kl + 1;
    return NULL;
}

long long
recover_get_ll(const struct recover_rec *r, const char *key, long long def)
{
    const char *v = recover_get(r, key);
    char *end;
    long long x = v ? strtoll(v, &end, 10) : 0;
    return v && *v && !*end ? x : def;
}

void
recover_journal_release(struct recover_journal *j)
{
    free(j->recs);
    buf_release(&j->text);
    memset(j, 0, sizeof *j);
}

/*
 * Read path as a journal: the header and the whole records after it. A
 * record cut short or damaged ends it. -1 when there is no header.
 */
static int
journal_read(const char *path, struct recover_journal *j)
{
    memset(j, 0, sizeof *j);
    buf_init(&j->text);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    char chunk[65536];
    ssize_t got;
    if (fstat(fd, &st) == 0)
        j->mtime = st.st_mtime;
    while ((got = read(fd, chunk, sizeof chunk)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0)
            buf_add(&j->text, chunk, (size_t)got);
    close(fd);
    const char *t = j->text.data;
    size_t len = j->text.len, pos = strlen(MAGIC);
    if (len < pos || memcmp(t, MAGIC, pos) != 0)
        return -1;
    int cap = 0;
    while (pos < len) {
        char tag;
        size_t n;
        unsigned long long h;
        int used = 0;
        const char *nl = memchr(t + pos, '\n', len - pos);
        if (!nl || nl - (t + pos) > 60)
            break;
        char line[64];
        memcpy(line, t + pos, (size_t)(nl - (t + pos)));
        line[nl - (t + pos)] = '\0';
        if (sscanf(line, "%c %zu %llx%n", &tag, &n, &h, &used) != 3 || line[used] != '\0')
            break;
        size_t at = (size_t)(nl - t) + 1;
        if (n > len - at || len - at - n < 1 || t[at + n] != '\n' || fnv(t + at, n) != h ||
            (n > 0 && t[at + n - 1] != '\0'))
            break;
        if (j->n == cap) {
            cap = cap ? 2 * cap : 64;
            j->recs = xrealloc(j->recs, (size_t)cap * sizeof *j->recs);
        }
        j->recs[j->n++] = (struct recover_rec){tag, t + at, n};
        pos = at + n + 1;
    }
    if (j->n == 0 || j->recs[0].tag != 'H')
        return -1;
    /* the unsaved count: the header's, then each record's own */
    j->n_unsaved = (int)recover_get_ll(&j->recs[0], "n", 0);
    for (int i = 1; i < j->n; i++) {
        long long u = recover_get_ll(&j->recs[i], "n", -1);
        if (u >= 0)
            j->n_unsaved = (int)u;
    }
    return 0;
}

/* The highest generation G with a dir/journal-G, or -1. */
long
recover_newest(const char *dir)
{
    DIR *d = opendir(dir);
    long best = -1;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char *end;
        if (strncmp(e->d_name, "journal-", 8) != 0)
            continue;
        long g = strtol(e->d_name + 8, &end, 10);
        if (end != e->d_name + 8 && !*end && g > best)
            best = g;
    }
    closedir(d);
    return best;
}

int
recover_load_journal(const char *dir, struct recover_journal *j)
{
    long g = recover_newest(dir);
    struct buf p = BUF_INIT;
    memset(j, 0, sizeof *j);
    buf_init(&j->text);
    buf_addf(&p, "%s/journal-%ld", dir, g);
    int rc = g < 0 ? -1 : journal_read(p.data, j);
    j->gen = g;
    buf_release(&p);
    return rc;
}

void
recover_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct buf p = BUF_INIT;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        buf_reset(&p);
        buf_addf(&p, "%s/%s", dir, e->d_name);
        unlink(p.data);
    }
    closedir(d);
    rmdir(dir);
    buf_release(&p);
}

/* One set in the folder: 1 and *lock held if it is dead with unsaved work. */
static int
look_at(const char *dir, int *lock, long long *when, int *n_stmts)
{
    struct buf p = BUF_INIT;
    struct recover_journal j;
    struct stat st;
    int rc = 0;
    *lock = -1;
    buf_addf(&p, "%s/lock", dir);
    int fd = open(p.data, O_RDWR | O_CLOEXEC);
    int old = stat(dir, &st) == 0 && st.st_mtime < time(NULL) - 60;
    if (fd < 0) {
        /* no lock: a set being made this moment, or the ruin of one that never started */
        if (old && errno == ENOENT)
            recover_remove_dir(dir);
        goto out;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        close(fd); /* its session is running */
        goto out;
    }
    if (recover_load_journal(dir, &j) < 0) {
        if (old)
            recover_remove_dir(dir);
        close(fd);
    } else if (j.n_unsaved == 0) {
        recover_remove_dir(dir); /* it died with nothing unsaved */
        close(fd);
    } else {
        *lock = fd;
        *when = j.mtime;
        *n_stmts = j.n_unsaved;
        rc = 1;
    }
    recover_journal_release(&j);
out:
    buf_release(&p);
    return rc;
}

int
recover_find(struct recover_found *out)
{
    char *root = recover_root();
    DIR *d = root ? opendir(root) : NULL;
    struct buf dir = BUF_INIT;
    *out = (struct recover_found)RECOVER_FOUND_INIT;
    if (!d) {
        free(root);
        return 0;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        int lock, n;
        long long when;
        if (e->d_name[0] == '.')
            continue;
        buf_reset(&dir);
        buf_addf(&dir, "%s/%s", root, e->d_name);
        if (!look_at(dir.data, &lock, &when, &n))
            continue;
        if (out->dir && when <= out->when) {
            out->n_others++;
            close(lock);
            continue;
        }
        if (out->dir) {
            out->n_others++;
            close(out->lock);
            free(out->dir);
        }
        out->dir = xstrdup(dir.data);
        out->lock = lock;
        out->when = when;
        out->n_stmts = n;
    }
    closedir(d);
    buf_release(&dir);
    free(root);
    return out->dir != NULL;
}

void
recover_found_release(struct recover_found *f)
{
    if (f->lock >= 0)
        close(f->lock);
    free(f->dir);
    *f = (struct recover_found)RECOVER_FOUND_INIT;
}

void
recover_when_text(long long when, char *out, size_t size)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(out, size, "%lld", when);
}

int
recover_offer(const struct recover_found *f, int ask)
{
    char when[64], line[64];
    recover_when_text(f->when, when, sizeof when);
    const char *s = f->n_stmts == 1 ? "" : "s";
    if (f->n_others)
        fprintf(ask ? stdout : stderr, "quarry: %d older unsaved session%s also wait%s in "
                "the recovery folder; the newest is offered first\n", f->n_others,
                f->n_others == 1 ? "" : "s", f->n_others == 1 ? "s" : "");
    if (!ask) {
        if (isatty(STDERR_FILENO))
            fprintf(stderr, "quarry: an unsaved session from %s (%d statement%s) can be "
                    "restored: quarry --recover\n", when, f->n_stmts, s);
        return 0;
    }
    printf("recover the unsaved session from %s (%d statement%s)? (y/N) ", when, f->n_stmts, s);
    fflush(stdout);
    /* a byte at a time, so that nothing typed after the answer sits in stdio's buffer */
    size_t n = 0;
    char c;
    ssize_t got;
    while ((got = read(STDIN_FILENO, &c, 1)) == 1 && c != '\n')
        if (n + 1 < sizeof line)
            line[n++] = c;
    line[n] = '\0';
    if (got != 1)
        putchar('\n'); /* Ctrl-D or Ctrl-C: no */
    return got == 1 && (line[0] == 'y' || line[0] == 'Y');
}
