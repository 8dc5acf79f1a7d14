/* mem.c: the checked, overflow-safe allocations of mem.h. */
#include "base/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/fault.h"
#include "base/banned.h"

size_t
mem_mul(size_t a, size_t b)
{
    size_t p;
    return __builtin_mul_overflow(a, b, &p) ? SIZE_MAX : p;
}

int
mem_fail(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size);
    /*
     * What to change: the input (rows, columns) or the memory the session
     * holds elsewhere (tables, and undo and the frame cache, whose share is
     * set memory=).
     */
    static const char advice[] = "use fewer rows or columns, drop tables you no longer need, "
                                 "or lower set memory=MiB so undo and the frame cache keep less";
    if (bytes == SIZE_MAX || n == SIZE_MAX)
        return qerr_set(err, QE_NOMEM, "out of memory: %s needs more memory than a process "
                        "can address for %s; %s", who, what, advice);
    double mib = (double)bytes / 1048576.0;
    if (mib < 0.1)
        return qerr_set(err, QE_NOMEM, "out of memory: %s needs %.1f KiB for %zu %s; %s", who,
                        (double)bytes / 1024.0, n, what, advice);
    return qerr_set(err, QE_NOMEM, "out of memory: %s needs %.1f MiB for %zu %s; %s", who, mib,
                    n, what, advice);
}

void *
mem_alloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size);
    void *p = bytes == SIZE_MAX || fault_oom(who) ? NULL : malloc(bytes ? bytes : 1);
    if (!p)
        mem_fail(n, size, who, what, err);
    return p;
}

void *
mem_calloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size);
    void *p = bytes == SIZE_MAX || fault_oom(who) ? NULL : calloc(bytes ? bytes : 1, 1);
    if (!p)
        mem_fail(n, size, who, what, err);
    return p;
}

void *
mem_realloc(void *p, size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size);
    void *q = bytes == SIZE_MAX || fault_oom(who) ? NULL : realloc(p, bytes ? bytes : 1);
    if (!q)
        mem_fail(n, size, who, what, err);
    return q;
}
