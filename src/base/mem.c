/*
 * mem.c: the checked, overflow-safe allocations of mem.h, and the memory
 * budget they are charged to. The budget's state (the limit set memory=
 * gave, an estimate of the bytes in use) is process-wide, for the reasons
 * mem.h gives; with fault.c's state and buf.c's handler it is one of the
 * engine's three mutable globals, and like them it is safe from any thread.
 */
#include "base/mem.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/fault.h"
#include "base/banned.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MEM_SANITIZED 1
#endif
#endif
#ifdef MEM_SANITIZED
/* The sanitizers' allocator replaces glibc's, and counts what it hands out. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#define MIB ((size_t)1 << 20)

static atomic_llong budget_mib;   /* set memory=; 0: the default */
static atomic_size_t budget_est;  /* the last reading of the heap, plus every charge since */
static pthread_mutex_t budget_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static size_t default_bytes, machine_bytes;
static size_t rlimit_bytes;   /* ulimit -v, or 0 for none */
static int default_by_rlimit; /* the default is half of ulimit -v, not of the machine */

size_t
mem_mul(size_t a, size_t b)
{
    size_t p;
    return __builtin_mul_overflow(a, b, &p) ? SIZE_MAX : p;
}

/* Append "38.1 MiB" (or KiB under 0.1 MiB) for bytes to s, of cap bytes. */
static void
size_text(char *s, size_t cap, size_t bytes)
{
    double mib = (double)bytes / (double)MIB;
    if (mib < 0.1)
        snprintf(s, cap, "%.1f KiB", (double)bytes / 1024.0);
    else
        snprintf(s, cap, "%.1f MiB", mib);
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
    char need[32];
    size_text(need, sizeof need, bytes);
    return qerr_set(err, QE_NOMEM, "out of memory: %s needs %s for %zu %s; %s", who, need, n,
                    what, advice);
}

/* --- the budget ------------------------------------------------------------- */

static void
find_default(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    machine_bytes = pages > 0 && page > 0 ? mem_mul((size_t)pages, (size_t)page) : 0;
    /*
     * Half the machine: with the other half's quarters for the frame cache
     * and undo (catalog_memory_default), quarry's own share. At least 1 GiB,
     * so a small machine or one that cannot say still runs real work.
     */
    default_bytes = machine_bytes / 2 > ((size_t)1 << 30) ? machine_bytes / 2 : (size_t)1 << 30;
    /*
     * Under ulimit -v, malloc fails at the limit however much RAM there is,
     * and the binary, the libraries and OpenBLAS's buffers count against it
     * too: half of it leaves them room.
     */
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        rlimit_bytes = rl.rlim_cur < SIZE_MAX ? (size_t)rl.rlim_cur : SIZE_MAX;
    if (rlimit_bytes && rlimit_bytes / 2 < default_bytes) {
        default_bytes = rlimit_bytes / 2;
        default_by_rlimit = 1;
    }
}

void
mem_budget_set(long long mib)
{
    atomic_store(&budget_mib, mib > 0 ? mib : 0);
}

size_t
mem_budget_bytes(void)
{
    long long mib = atomic_load(&budget_mib);
    if (mib > 0)
        return (unsigned long long)mib > SIZE_MAX / MIB ? SIZE_MAX : (size_t)mib * MIB;
    pthread_once(&default_once, find_default);
    return default_bytes;
}

size_t
mem_budget_held(void)
{
    size_t heap = 0;
#if defined(MEM_SANITIZED)
    heap = __sanitizer_get_current_allocated_bytes();
#elif defined(__GLIBC__)
    struct mallinfo2 mi = mallinfo2();
    heap = mi.uordblks + mi.hblkhd;
#endif
    /* SQLite allocates through the same malloc: its tables and undo are not ours */
    sqlite3_int64 sql = sqlite3_memory_used();
    return sql > 0 && (size_t)sql < heap ? heap - (size_t)sql : sql > 0 ? 0 : heap;
}

/* Set err: bytes (n x size) for who's what would pass the budget limit, held in use. */
static int
over_budget(size_t n, size_t size, size_t held, size_t limit, const char *who,
            const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size);
    char need[32], used[32], budget[80], change[96];
    size_text(need, sizeof need, bytes);
    size_text(used, sizeof used, held);
    long long mib = atomic_load(&budget_mib);
    if (mib > 0)
        snprintf(budget, sizeof budget, "set memory=%lld MiB", mib);
    else
        snprintf(budget, sizeof budget, "the default memory budget of %zu MiB, half %s",
                 limit / MIB, default_by_rlimit ? "of ulimit -v" : "the machine's memory");
    /*
     * What would do, rounded up to 16 MiB; past the machine's memory or
     * ulimit -v, no setting would, only fewer rows.
     */
    size_t want = held + bytes < held ? SIZE_MAX : held + bytes;
    size_t want_mib = want / MIB > SIZE_MAX / 2 ? SIZE_MAX : (want / MIB + 16) / 16 * 16;
    pthread_once(&default_once, find_default);
    if (rlimit_bytes && want > rlimit_bytes)
        snprintf(change, sizeof change, "use fewer rows (ulimit -v allows %zu MiB)",
                 rlimit_bytes / MIB);
    else if (machine_bytes && want > machine_bytes)
        snprintf(change, sizeof change, "use fewer rows (the machine has %zu MiB)",
                 machine_bytes / MIB);
    else
        snprintf(change, sizeof change, "set memory=%zu or more, or use fewer rows", want_mib);
    return qerr_set(err, QE_NOMEM, "out of memory: %s needs %s for %zu %s, over %s (%s in "
                    "use); %s", who, need, n, what, budget, used, change);
}

/*
 * Do n x size bytes fit, in place of a block of `replaces` bytes the
 * caller holds (a realloc's; 0 for a new block), so that only the
 * difference is added? The cheap estimate answers yes when it can; else
 * the heap is read, and the estimate reset to the reading. With charge,
 * the difference is added to the estimate (the caller allocates next)
 * and *charged says how much (for a malloc that then fails).
 */
static int
budget_check(size_t n, size_t size, size_t replaces, size_t *charged, const char *who,
             const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size), limit = mem_budget_bytes();
    size_t need = bytes > replaces ? bytes - replaces : 0;
    /* charged before the test, so that threads allocating at once see each other */
    size_t est = charged ? atomic_fetch_add(&budget_est, need) : atomic_load(&budget_est);
    if (charged)
        *charged = need;
    if (limit == SIZE_MAX || (bytes <= limit && est <= limit - need))
        return 0;
    if (bytes > limit) { /* one block past the whole budget */
        if (charged)
            atomic_fetch_sub(&budget_est, need);
        return over_budget(n, size, mem_budget_held(), limit, who, what, err);
    }
    pthread_mutex_lock(&budget_lock);
    size_t held = mem_budget_held();
    atomic_store(&budget_est, charged ? held + need : held);
    pthread_mutex_unlock(&budget_lock);
    if (held <= limit - need)
        return 0;
    if (charged)
        atomic_fetch_sub(&budget_est, need);
    return over_budget(n, size, held, limit, who, what, err);
}

int
mem_charge(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t charged;
    if (mem_mul(n, size) == SIZE_MAX)
        return mem_fail(n, size, who, what, err);
    return budget_check(n, size, 0, &charged, who, what, err);
}

int
mem_budget_fits(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    if (mem_mul(n, size) == SIZE_MAX)
        return mem_fail(n, size, who, what, err);
    return budget_check(n, size, 0, NULL, who, what, err);
}

/* --- the allocations ------------------------------------------------------- */

/*
 * The checks every allocation makes before malloc: the size fits a
 * size_t, no fault is injected, the budget holds (for the bytes beyond
 * the replaced block, *charged of them). Nonzero, with err set, when the
 * allocation must not be tried.
 */
static int
refuse(size_t n, size_t size, size_t replaces, size_t *charged, const char *who,
       const char *what, struct qerr *err)
{
    *charged = 0;
    if (mem_mul(n, size) == SIZE_MAX || fault_oom(who))
        return mem_fail(n, size, who, what, err);
    return budget_check(n, size, replaces, charged, who, what, err);
}

/* After a malloc that said no: give back the charge, and say so. */
static void *
failed(size_t n, size_t size, size_t charged, const char *who, const char *what,
       struct qerr *err)
{
    atomic_fetch_sub(&budget_est, charged);
    mem_fail(n, size, who, what, err);
    return NULL;
}

void *
mem_alloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size), charged;
    if (refuse(n, size, 0, &charged, who, what, err))
        return NULL;
    void *p = malloc(bytes ? bytes : 1);
    return p ? p : failed(n, size, charged, who, what, err);
}

void *
mem_calloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size), charged;
    if (refuse(n, size, 0, &charged, who, what, err))
        return NULL;
    void *p = calloc(bytes ? bytes : 1, 1);
    return p ? p : failed(n, size, charged, who, what, err);
}

void *
mem_realloc(void *p, size_t n, size_t size, const char *who, const char *what, struct qerr *err)
{
    size_t bytes = mem_mul(n, size), charged, old = 0;
#if defined(__GLIBC__) || defined(MEM_SANITIZED)
    /* the block's own bytes are in use already: only the growth is new */
    old = p ? malloc_usable_size(p) : 0;
#endif
    if (refuse(n, size, old, &charged, who, what, err))
        return NULL;
    void *q = realloc(p, bytes ? bytes : 1);
    return q ? q : failed(n, size, charged, who, what, err);
}
