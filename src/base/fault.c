/*
 * fault.c: the fault injection of fault.h. Its state (what is armed, how
 * many allocations were counted) is process-wide by nature, so it is one
 * of the engine's three mutable globals (the others are buf.c's
 * out-of-memory handler and mem.c's memory budget); it is read from the
 * environment once and counted atomically, because kmeans and the loader
 * allocate from worker threads.
 */
#include "base/fault.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static char fault_who[32];
static atomic_llong fault_nth; /* 0: nothing armed */
static long long fault_seen;   /* allocations counted for fault_who, under fault_lock */
static atomic_llong read_nth, read_seen; /* read:N; 0: nothing armed */
static atomic_llong full_pages;          /* full:N; 0: no limit */

static void
arm(const char *who, size_t len, long long nth)
{
    pthread_mutex_lock(&fault_lock);
    if (len >= sizeof fault_who) {
        nth = 0;
        len = 0;
    }
    memcpy(fault_who, who, len);
    fault_who[len] = '\0';
    fault_seen = 0;
    atomic_store(&fault_nth, nth);
    pthread_mutex_unlock(&fault_lock);
}

/* N of "PREFIXN" when v has that form with N > 0, else 0. */
static long long
count_after(const char *v, const char *prefix)
{
    size_t l = strlen(prefix);
    if (strncmp(v, prefix, l) != 0 || !v[l])
        return 0;
    char *end;
    long long n = strtoll(v + l, &end, 10);
    return *end || n < 0 ? 0 : n;
}

static void
load_env(void)
{
    const char *v = getenv("QUARRY_FAULT");
    if (!v)
        return;
    atomic_store(&read_nth, count_after(v, "read:"));
    atomic_store(&full_pages, count_after(v, "full:"));
    if (strncmp(v, "oom:", 4) != 0)
        return;
    v += 4;
    const char *colon = strrchr(v, ':');
    char *end;
    long long nth = colon ? strtoll(colon + 1, &end, 10) : 0;
    if (colon && colon > v && colon[1] && !*end && nth > 0)
        arm(v, (size_t)(colon - v), nth);
}

int
fault_oom(const char *who)
{
    pthread_once(&fault_once, load_env);
    long long nth = atomic_load(&fault_nth);
    if (!nth)
        return 0;
    pthread_mutex_lock(&fault_lock);
    /* "*" stands for the checked allocations, not for buf's x* helpers */
    int match = strcmp(fault_who, who) == 0 || (strcmp(fault_who, "*") == 0 &&
                                                 strcmp(who, "buf") != 0);
    int fail = match && ++fault_seen == atomic_load(&fault_nth);
    pthread_mutex_unlock(&fault_lock);
    return fail;
}

void
fault_oom_arm(const char *who, long long nth)
{
    pthread_once(&fault_once, load_env);
    arm(who, strlen(who), nth > 0 ? nth : 0);
}

long long
fault_oom_count(void)
{
    pthread_once(&fault_once, load_env);
    pthread_mutex_lock(&fault_lock);
    long long n = fault_seen;
    pthread_mutex_unlock(&fault_lock);
    return n;
}

int
fault_read(void)
{
    pthread_once(&fault_once, load_env);
    long long nth = atomic_load(&read_nth);
    return nth && atomic_fetch_add(&read_seen, 1) + 1 == nth;
}

long long
fault_full_pages(void)
{
    pthread_once(&fault_once, load_env);
    return atomic_load(&full_pages);
}

void
fault_io_arm(long long read_n, long long full_n)
{
    pthread_once(&fault_once, load_env);
    atomic_store(&read_seen, 0);
    atomic_store(&read_nth, read_n > 0 ? read_n : 0);
    atomic_store(&full_pages, full_n > 0 ? full_n : 0);
}
