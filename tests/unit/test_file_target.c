/*
 * test_file_target.c: where a written file goes (file_target.h).
 *
 *   1. a new file: the content, 0666 less the umask, no temporary left
 *   2. an existing file keeps its permission bits; abort leaves it as it was
 *   3. links: a link stays a link and its target gets the content (relative,
 *      chained, dangling); a loop is an error
 *   4. a folder, and /proc, are refused
 *   5. devices: refused without FILE_TARGET_STREAM (the device stays a
 *      device), written in place with it; /dev/full's error reaches the caller
 *   6. FIFOs: refused without a reader (not waited on), written in place
 *      with one, refused without FILE_TARGET_STREAM
 *   7. our own descriptors (/dev/fd/N, /proc/self/fd/N): the bytes go down
 *      descriptor N, which stays open
 *   8. FILE_TARGET_BACKUP keeps the replaced file as TARGET.bak
 *   9. stale temporaries: only our pattern, only a dead pid, only old ones
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/file_target.h"
#include "check.h"

static char dir[64];

/* dir/name, in a buffer the caller releases. */
static char *
at(const char *name)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s/%s", dir, name);
    return buf_detach(&b);
}

static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    } else {
        check_fail++;
    }
}

/* The content of path ("<none>" when it cannot be read). */
static char *
slurp(const char *path)
{
    struct buf b = BUF_INIT;
    FILE *f = fopen(path, "r");
    if (!f)
        return xstrdup("<none>");
    char tmp[256];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    fclose(f);
    return buf_detach(&b);
}

#define CHECK_CONTENT(path, want)                                                    \
    do {                                                                             \
        char *c_ = slurp(path);                                                      \
        CHECK_STR(c_, want);                                                         \
        free(c_);                                                                    \
    } while (0)

/* Write text to path through file_target; the return of open/commit. */
static int
write_via(const char *path, int flags, const char *text, struct qerr *err)
{
    struct file_target t;
    if (file_target_open(&t, path, flags, err) < 0)
        return -1;
    if (file_target_write(&t, text, strlen(text), err) < 0) {
        file_target_abort(&t);
        return -1;
    }
    return file_target_commit(&t, err);
}

/* Entries of dir whose names contain ".tmp-". */
static int
temporaries(void)
{
    char *cmd = NULL;
    struct buf b = BUF_INIT;
    buf_addf(&b, "ls -a '%s' | grep -c '\\.tmp-'", dir);
    cmd = buf_detach(&b);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    free(cmd);
    return n;
}

/* 1. */
static void
test_new_file(void)
{
    struct qerr err = QERR_INIT;
    char *p = at("new.txt");
    mode_t mask = umask(022);
    CHECK_OK(write_via(p, 0, "hello\n", &err), err);
    CHECK_CONTENT(p, "hello\n");
    struct stat st;
    CHECK_INT(stat(p, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0644);
    CHECK_INT(temporaries(), 0);
    umask(mask);
    free(p);
}

/* 2. */
static void
test_existing_file(void)
{
    struct qerr err = QERR_INIT;
    char *p = at("kept.txt");
    put(p, "old\n");
    chmod(p, 0600);
    CHECK_OK(write_via(p, 0, "new\n", &err), err);
    CHECK_CONTENT(p, "new\n");
    struct stat st;
    CHECK_INT(stat(p, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    /* Abort after writing: the file is as it was, the temporary gone. */
    struct file_target t;
    CHECK_OK(file_target_open(&t, p, 0, &err), err);
    CHECK(!file_target_is_stream(&t));
    CHECK_OK(file_target_write(&t, "half", 4, &err), err);
    file_target_abort(&t);
    CHECK_CONTENT(p, "new\n");
    CHECK_INT(temporaries(), 0);
    free(p);
}

/* 3. */
static void
test_links(void)
{
    struct qerr err = QERR_INIT;
    char *sub = at("sub"), *real = at("sub/real.txt"), *link = at("link.txt"),
         *link2 = at("link2.txt"), *dangle = at("dangle.txt"), *made = at("sub/made.txt"),
         *loop_a = at("loop_a"), *loop_b = at("loop_b");
    mkdir(sub, 0755);
    put(real, "before\n");
    CHECK_INT(symlink("sub/real.txt", link), 0); /* relative to the link's folder */
    CHECK_INT(symlink(link, link2), 0);          /* absolute, to another link */
    CHECK_OK(write_via(link2, 0, "after\n", &err), err);
    struct stat st;
    CHECK_INT(lstat(link, &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK_INT(lstat(link2, &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK_CONTENT(real, "after\n");
    CHECK_INT(temporaries(), 0);
    /* A dangling link: its target is made. */
    CHECK_INT(symlink("sub/made.txt", dangle), 0);
    CHECK_OK(write_via(dangle, 0, "made\n", &err), err);
    CHECK_INT(lstat(dangle, &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK_CONTENT(made, "made\n");
    /* A loop. */
    CHECK_INT(symlink("loop_b", loop_a), 0);
    CHECK_INT(symlink("loop_a", loop_b), 0);
    CHECK_INT(write_via(loop_a, 0, "x", &err), -1);
    CHECK_INT(err.code, QE_IO);
    CHECK_HAS(err.msg, "symbolic links to follow");
    qerr_clear(&err);
    free(sub);
    free(real);
    free(link);
    free(link2);
    free(dangle);
    free(made);
    free(loop_a);
    free(loop_b);
}

/* 4. */
static void
test_refused(void)
{
    struct qerr err = QERR_INIT;
    char *sub = at("sub");
    CHECK_INT(write_via(sub, FILE_TARGET_STREAM, "x", &err), -1);
    CHECK_INT(err.code, QE_IO);
    CHECK_HAS(err.msg, "it is a folder");
    qerr_clear(&err);
    CHECK_INT(write_via("/proc/self/comm", FILE_TARGET_STREAM, "x", &err), -1);
    CHECK_HAS(err.msg, "it is in /proc");
    qerr_clear(&err);
    CHECK_INT(write_via("", 0, "x", &err), -1);
    qerr_clear(&err);
    free(sub);
}

/* 5. */
static void
test_devices(void)
{
    struct qerr err = QERR_INIT;
    struct stat st;
    CHECK_INT(write_via("/dev/null", 0, "x", &err), -1);
    CHECK_INT(err.code, QE_IO);
    CHECK_STR(err.msg, "'/dev/null' is a device; only a regular file can be written here");
    qerr_clear(&err);
    CHECK_INT(stat("/dev/null", &st), 0);
    CHECK(S_ISCHR(st.st_mode)); /* as root too: not replaced by a file */
    CHECK_OK(write_via("/dev/null", FILE_TARGET_STREAM, "x", &err), err);
    CHECK_INT(stat("/dev/null", &st), 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK_INT(write_via("/dev/full", FILE_TARGET_STREAM, "x", &err), -1);
    CHECK_STR(err.msg, "cannot write '/dev/full': No space left on device");
    qerr_clear(&err);
}

/* 6. */
static void
test_fifo(void)
{
    struct qerr err = QERR_INIT;
    char *fifo = at("fifo");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(write_via(fifo, FILE_TARGET_STREAM, "x", &err), -1);
    CHECK_HAS(err.msg, "fifo': no program is reading the FIFO");
    qerr_clear(&err);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    CHECK(rd >= 0);
    CHECK_INT(write_via(fifo, 0, "x", &err), -1);
    CHECK_HAS(err.msg, "is a FIFO; only a regular file can be written here");
    qerr_clear(&err);
    CHECK_OK(write_via(fifo, FILE_TARGET_STREAM, "through\n", &err), err);
    char got[16] = {0};
    CHECK_INT(read(rd, got, sizeof got - 1), 8);
    CHECK_STR(got, "through\n");
    close(rd);
    struct stat st;
    CHECK_INT(lstat(fifo, &st), 0);
    CHECK(S_ISFIFO(st.st_mode));
    free(fifo);
}

/* 7. */
static void
test_own_descriptor(void)
{
    struct qerr err = QERR_INIT;
    int p[2];
    CHECK_INT(pipe(p), 0);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
    struct file_target t;
    CHECK_OK(file_target_open(&t, path, FILE_TARGET_STREAM, &err), err);
    CHECK(file_target_is_stream(&t));
    CHECK_OK(file_target_write(&t, "one ", 4, &err), err);
    CHECK_OK(file_target_commit(&t, &err), err);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    CHECK_OK(write_via(path, FILE_TARGET_STREAM, "two", &err), err);
    CHECK_INT(fcntl(p[1], F_GETFD) >= 0, 1); /* still open */
    close(p[1]);
    char got[16] = {0};
    CHECK_INT(read(p[0], got, sizeof got - 1), 7);
    CHECK_STR(got, "one two");
    close(p[0]);
    CHECK_INT(write_via(path, 0, "x", &err), -1);
    CHECK_HAS(err.msg, "one of quarry's own open files; only a regular file");
    qerr_clear(&err);
}

/* 8. */
static void
test_backup(void)
{
    struct qerr err = QERR_INIT;
    char *p = at("w.qdb"), *bak = at("w.qdb.bak");
    CHECK_OK(write_via(p, FILE_TARGET_BACKUP, "first", &err), err);
    CHECK_CONTENT(bak, "<none>"); /* nothing replaced, nothing kept */
    CHECK_OK(write_via(p, FILE_TARGET_BACKUP, "second", &err), err);
    CHECK_CONTENT(p, "second");
    CHECK_CONTENT(bak, "first");
    CHECK_OK(write_via(p, FILE_TARGET_BACKUP, "third", &err), err);
    CHECK_CONTENT(p, "third");
    CHECK_CONTENT(bak, "second");
    CHECK_OK(write_via(p, 0, "fourth", &err), err); /* without the flag: .bak untouched */
    CHECK_CONTENT(bak, "second");
    CHECK_INT(temporaries(), 0);
    free(p);
    free(bak);
}

/* Make dir/name with mtime age seconds ago. */
static char *
old_file(const char *name, int age)
{
    char *p = at(name);
    put(p, "stale");
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= age;
    tv[1] = tv[0];
    utimes(p, tv);
    return p;
}

/* 9. */
static void
test_stale(void)
{
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0); /* a pid no process has now */
    char name[128];
    char *target = at("ws.qdb");
    put(target, "current");
    snprintf(name, sizeof name, "ws.qdb.tmp-%ld-AbC123", (long)dead);
    char *gone = old_file(name, 120);
    snprintf(name, sizeof name, "ws.qdb.tmp-%ld-AbC124", (long)dead);
    char *young = old_file(name, 5); /* maybe still being written: kept */
    snprintf(name, sizeof name, "ws.qdb.tmp-%ld-AbC125", (long)getppid());
    char *alive = old_file(name, 120);
    snprintf(name, sizeof name, "ws.qdb.tmp-%ld-AbC12", (long)dead);
    char *short_name = old_file(name, 120); /* not mkstemp's six characters */
    snprintf(name, sizeof name, "other.qdb.tmp-%ld-AbC123", (long)dead);
    char *other = old_file(name, 120);
    snprintf(name, sizeof name, "ws.qdb.tmp-AbC123");
    char *old_pattern = old_file(name, 120); /* an older quarry's: no pid, left alone */
    /* The next write to the target removes exactly the stale one. */
    struct qerr err = QERR_INIT;
    CHECK_OK(write_via(target, FILE_TARGET_BACKUP, "saved", &err), err);
    CHECK_INT(access(gone, F_OK), -1);
    CHECK_INT(access(young, F_OK), 0);
    CHECK_INT(access(alive, F_OK), 0);
    CHECK_INT(access(short_name, F_OK), 0);
    CHECK_INT(access(other, F_OK), 0);
    CHECK_INT(access(old_pattern, F_OK), 0);
    CHECK_INT(file_target_clean_stale(target), 0);
    char *paths[] = {target, gone, young, alive, short_name, other, old_pattern};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
}

int
main(void)
{
    snprintf(dir, sizeof dir, "/tmp/quarry-ft.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_new_file();
    test_existing_file();
    test_links();
    test_refused();
    test_devices();
    test_fifo();
    test_own_descriptor();
    test_backup();
    test_stale();
    struct buf b = BUF_INIT;
    buf_addf(&b, "rm -rf '%s'", dir);
    if (system(b.data) != 0)
        check_fail++;
    buf_release(&b);
    return check_done("test_file_target");
}
