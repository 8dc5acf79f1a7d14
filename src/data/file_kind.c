/*
 * file_kind.c: file_kind_sniff (file_kind.h), from a stat and the first
 * 100 bytes of a file: SQLite's header is 100 bytes, its magic string the
 * first 16, the application id big-endian at offset 68.
 */
#include "data/file_kind.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/banned.h"

#define SQLITE_MAGIC "SQLite format 3"  /* and its NUL: 16 bytes */
#define APP_ID_AT 68

enum file_kind
file_kind_sniff(const char *path, unsigned *app_id)
{
    struct stat st;
    unsigned char h[100];
    if (app_id)
        *app_id = 0;
    if (stat(path, &st) < 0)
        return errno == ENOENT || errno == ENOTDIR ? FILE_KIND_NONE : FILE_KIND_UNREADABLE;
    if (!S_ISREG(st.st_mode))
        return FILE_KIND_SPECIAL;
    if (st.st_size == 0)
        return FILE_KIND_EMPTY;
    /* O_NONBLOCK: should the name become a FIFO since the stat, open does not wait. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return FILE_KIND_UNREADABLE;
    size_t got = 0;
    while (got < sizeof h) {
        ssize_t n = read(fd, h + got, sizeof h - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got < sizeof SQLITE_MAGIC || memcmp(h, SQLITE_MAGIC, sizeof SQLITE_MAGIC) != 0)
        return FILE_KIND_OTHER;
    unsigned id = 0;
    if (got >= APP_ID_AT + 4)
        id = (unsigned)h[APP_ID_AT] << 24 | (unsigned)h[APP_ID_AT + 1] << 16 |
             (unsigned)h[APP_ID_AT + 2] << 8 | h[APP_ID_AT + 3];
    if (id == 0)
        return FILE_KIND_WORKSPACE;
    if (app_id)
        *app_id = id;
    return FILE_KIND_DATABASE;
}

const char *
file_kind_phrase(enum file_kind k)
{
    switch (k) {
    case FILE_KIND_NONE: return "not there";
    case FILE_KIND_EMPTY: return "an empty file";
    case FILE_KIND_WORKSPACE: return "a quarry workspace (an SQLite database)";
    case FILE_KIND_DATABASE: return "an SQLite database of another program";
    case FILE_KIND_OTHER: return "not a quarry workspace (it is not an SQLite database)";
    case FILE_KIND_UNREADABLE: return "a file quarry cannot read";
    case FILE_KIND_SPECIAL: return "not a regular file";
    }
    return "?";
}
