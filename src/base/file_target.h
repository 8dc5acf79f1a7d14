/*
 * file_target.h: where a file quarry writes really goes, decided in one
 * place for every writer (save, export, history save, plot files and
 * plot scripts).
 *
 * - A symbolic link is followed, hop by hop, to the file it names: the
 *   link stays a link and its target gets the new content (a dangling
 *   link's target is created, as a shell's > would).
 * - A regular file, or a name not yet taken, is written atomically: a
 *   temporary "TARGET.tmp-PID-XXXXXX" beside the target, synced, renamed
 *   over it, and the folder synced. An existing file keeps its permission
 *   bits; a new one gets 0666 less the umask, as a plain create would.
 *   Temporaries of that pattern left by a writer that was killed (its pid
 *   gone, the file over a minute old, owned by us) are removed first.
 * - A character device or a FIFO (/dev/null, a named pipe) and quarry's
 *   own descriptors (/dev/stdout, /dev/fd/N, /proc/self/fd/N) are written
 *   in place, not atomically, when the writer allows streams
 *   (FILE_TARGET_STREAM: export, history, plots), and refused otherwise
 *   (a workspace is a file). A FIFO that no program reads is refused
 *   rather than waited on. Directories, block devices and sockets are
 *   always refused.
 * - With FILE_TARGET_BACKUP an existing target is kept as "TARGET.bak"
 *   when the new content replaces it.
 *
 * Use: file_target_open, then file_target_write as often as needed, then
 * file_target_commit (which also releases), or file_target_abort on any
 * failure (the target is then untouched, unless it is a stream).
 */
#ifndef QUARRY_FILE_TARGET_H
#define QUARRY_FILE_TARGET_H

#include <stddef.h>
#include <sys/types.h>

#include "base/qerr.h"

/* file_target_open flags */
enum {
    FILE_TARGET_STREAM = 1 << 0, /* write a device, FIFO or own descriptor in place */
    FILE_TARGET_BACKUP = 1 << 1, /* keep a replaced file as TARGET.bak */
};

/* A temporary older than this (seconds) whose writer is gone is stale. */
#define FILE_TARGET_STALE_SECS 60

struct file_target {
    int fd;        /* where the bytes go; -1 once committed or aborted */
    char *path;    /* as the caller named it, for messages */
    char *target;  /* the file that gets the bytes: path with its links followed */
    char *tmp;     /* the temporary beside target; NULL when written in place */
    int flags;
    int existed;   /* target was a regular file when opened */
};

/*
 * Decide where path goes and open it for writing (t is the caller's; it
 * need not be initialised). Errors: QE_IO (a directory, a device or FIFO
 * without FILE_TARGET_STREAM, a block device or socket, a FIFO nobody
 * reads, a link loop, no permission), each message naming path. On error
 * nothing is left open or created.
 */
int file_target_open(struct file_target *t, const char *path, int flags, struct qerr *err);
/* Write len bytes of data; QE_IO (the disk is full, the reader went away). */
int file_target_write(struct file_target *t, const void *data, size_t len, struct qerr *err);
/*
 * Finish: sync and rename the temporary over the target (keeping the old
 * file as TARGET.bak with FILE_TARGET_BACKUP), or close a stream. Releases
 * t whatever happens; on error the temporary is removed and the target is
 * as it was. QE_IO.
 */
int file_target_commit(struct file_target *t, struct qerr *err);
/* Give up: close, remove the temporary, release t. Safe on a released t. */
void file_target_abort(struct file_target *t);
/* 1 when t writes in place (a device, FIFO or descriptor), not through a temporary. */
int file_target_is_stream(const struct file_target *t);

/*
 * Remove the stale temporaries of target (its folder's entries named
 * "BASENAME.tmp-PID-XXXXXX", regular files owned by us, older than
 * FILE_TARGET_STALE_SECS, whose PID is not a live process). Returns how
 * many were removed. file_target_open calls it; exposed for tests.
 */
int file_target_clean_stale(const char *target);

#endif
