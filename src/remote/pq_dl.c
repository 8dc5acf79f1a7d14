/*
 * pq_dl.c: libpq loaded on first use (pq_dl.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote/pq_dl.h"
#include "base/banned.h"

#define PQ_LIB "libpq.so.5"

struct pq_functions pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static int pq_loaded;
static char pq_why[400]; /* why the load failed */

static void
load_once(void)
{
    const char *name = getenv("QUARRY_PQ_LIB");
    if (!name || !*name)
        name = PQ_LIB;
    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(pq_why, sizeof pq_why, "%s", e ? e : name);
        return;
    }
    struct pq_functions f;
    const char *missing = NULL;
#define PQ_DL_SYM(fn)                                                                         \
    if (!(f.fn = (__typeof__(f.fn))dlsym(h, #fn)) && !missing)                                \
        missing = #fn;
    PQ_FUNCTIONS(PQ_DL_SYM)
#undef PQ_DL_SYM
    if (missing) {
        snprintf(pq_why, sizeof pq_why, "%s has no %s (libpq too old?)", name, missing);
        dlclose(h);
        return;
    }
    pq = f;
    pq_loaded = 1;
}

int
pq_dl_load(struct qerr *err)
{
    pthread_once(&pq_once, load_once);
    if (pq_loaded)
        return 0;
    qerr_set(err, QE_NOTFOUND, "PostgreSQL's client library could not be loaded: %s", pq_why);
    qerr_hint(err, "install it (Debian: sudo apt-get install libpq5), or set QUARRY_PQ_LIB to "
                   "the file of libpq");
    return -1;
}
