/*
 * test_mem.c: running out of memory is an error, not a death.
 *
 * 1. mem.h's sizes: products that overflow, sizes malloc refuses, a
 *    realloc that fails and leaves its block alone, the first error wins.
 * 2. fault.h's counting: only the Nth allocation for the named module;
 *    the budget: blocks charged against set memory= beside the heap in
 *    use, what is freed no longer counted, the message and its advice.
 * 3. Every allocation site of rfm, groups, series, sessions, frame_read,
 *    k-means, hierarchical clustering and DBSCAN, failed one at a time
 *    (as SQLite's malloc tests do): each run fails with "out of memory:
 *    WHO needs ...", leaks nothing (LeakSanitizer at exit), and once N
 *    passes the number of sites the run succeeds with the hand-computed
 *    answer.
 * 4. buf's out-of-memory path calls the front end's handler with the size;
 *    with no handler the process stops on a trap, never in exit() or
 *    abort() inside the engine.
 */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "base/buf.h"
#include "base/datetime.h"
#include "base/fault.h"
#include "base/mem.h"
#include "cluster/cluster_hier.h"
#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "data/catalog.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/rfm.h"
#include "prep/series.h"
#include "prep/sessions.h"

/*
 * Let malloc say no to an impossible size (NULL) rather than have
 * AddressSanitizer stop the program: the engine's answer to NULL is what
 * is tested. ASAN_OPTIONS from the environment still applies on top.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static const char advice[] = "; use fewer rows or columns, drop tables you no longer need, or "
                             "lower set memory=MiB so undo and the frame cache keep less";

static void
test_sizes(void)
{
    struct qerr e = QERR_INIT;
    CHECK(mem_mul(3, 4) == 12);
    CHECK(mem_mul(0, SIZE_MAX) == 0);
    CHECK(mem_mul(SIZE_MAX / 2 + 1, 2) == SIZE_MAX);
    CHECK(mem_mul((size_t)1 << 32, (size_t)1 << 32) == SIZE_MAX);

    /* n x size overflows: no allocation is tried */
    CHECK(mem_alloc(SIZE_MAX / 4, 8, "k-means", "row values", &e) == NULL);
    CHECK_INT(e.code, QE_NOMEM);
    struct buf want = BUF_INIT;
    buf_addf(&want, "out of memory: k-means needs more memory than a process can address for "
                    "row values%s", advice);
    CHECK_STR(e.msg, want.data);
    qerr_clear(&e);

    /*
     * 64 TiB: malloc itself says no (with no budget: one past what a size_t
     * holds); the message gives the size (2^46 B = 2^26 MiB)
     */
    mem_budget_set(LLONG_MAX);
    CHECK(mem_budget_bytes() == SIZE_MAX);
    CHECK(mem_calloc((size_t)1 << 43, 8, "rfm", "customer totals", &e) == NULL);
    mem_budget_set(0);
    buf_reset(&want);
    buf_addf(&want, "out of memory: rfm needs 67108864.0 MiB for 8796093022208 customer totals%s",
             advice);
    CHECK_STR(e.msg, want.data);
    qerr_clear(&e);

    /* small sizes in KiB: 3 x 1000 bytes = 2.9 KiB */
    CHECK_INT(mem_fail(3, 1000, "groups", "keys", &e), -1);
    buf_reset(&want);
    buf_addf(&want, "out of memory: groups needs 2.9 KiB for 3 keys%s", advice);
    CHECK_STR(e.msg, want.data);
    /* the first error wins */
    CHECK(mem_alloc(SIZE_MAX, 2, "other", "things", &e) == NULL);
    CHECK_STR(e.msg, want.data);
    qerr_clear(&e);
    buf_release(&want);

    /* a failed realloc leaves the block as it was */
    char *p = mem_alloc(4, 1, "test", "bytes", &e);
    CHECK(p != NULL);
    memcpy(p, "abc", 4);
    CHECK(mem_realloc(p, (size_t)1 << 46, 1, "test", "bytes", &e) == NULL);
    CHECK_INT(e.code, QE_NOMEM);
    CHECK_STR(p, "abc");
    free(p);
    qerr_clear(&e);

    /* zero elements: a pointer to free, no error */
    p = mem_alloc(0, 8, "test", "rows", &e);
    CHECK(p != NULL);
    CHECK_INT(e.code, QE_OK);
    free(p);
}

static void
test_fault_counting(void)
{
    fault_oom_arm("rfm", 2);
    CHECK_INT(fault_oom("rfm"), 0);
    CHECK_INT(fault_oom("groups"), 0); /* not counted: another module */
    CHECK_INT(fault_oom("rfm"), 1);
    CHECK_INT(fault_oom("rfm"), 0); /* only the Nth fails */
    fault_oom_arm("*", 1);
    CHECK_INT(fault_oom("buf"), 0); /* "*" is the checked allocations only */
    CHECK_INT(fault_oom("frame"), 1);
    fault_oom_arm("rfm", 0);
    CHECK_INT(fault_oom("rfm"), 0);
    struct qerr e = QERR_INIT;
    fault_oom_arm("test", 1);
    void *p = mem_alloc(1, 1, "test", "bytes", &e);
    CHECK(p == NULL);
    CHECK_INT(e.code, QE_NOMEM);
    qerr_clear(&e);
    p = mem_alloc(1, 1, "test", "bytes", &e);
    CHECK(p != NULL);
    free(p);
    fault_oom_arm("test", 0);
}

/*
 * The budget (mem.h): each allocation is charged against set memory=
 * beside what the heap holds; what is freed stops counting.
 */
static void
test_budget(void)
{
    const size_t mib = (size_t)1 << 20;
    struct qerr e = QERR_INIT;

    /* the default: half the machine, at least 1 GiB (no ulimit -v here) */
    mem_budget_set(0);
    size_t half = (size_t)sysconf(_SC_PHYS_PAGES) * (size_t)sysconf(_SC_PAGESIZE) / 2;
    CHECK(mem_budget_bytes() == (half > ((size_t)1 << 30) ? half : (size_t)1 << 30));
    mem_budget_set(100);
    CHECK(mem_budget_bytes() == 100 * mib);

    /* 40 MiB of room: one 24 MiB block fits, a second does not */
    size_t held = mem_budget_held();
    long long budget = (long long)(held / mib) + 40;
    mem_budget_set(budget);
    double *a = mem_alloc(3 * mib, 8, "test", "values", &e);
    CHECK(a != NULL);
    memset(a, 1, 24 * mib);
    CHECK(mem_budget_held() >= held + 24 * mib);
    double *b = mem_alloc(3 * mib, 8, "test", "values", &e);
    CHECK(b == NULL);
    CHECK_INT(e.code, QE_NOMEM);
    struct buf want = BUF_INIT;
    buf_addf(&want, "out of memory: test needs 24.0 MiB for 3145728 values, over set "
             "memory=%lld MiB (", budget);
    CHECK_HAS(e.msg, want.data);
    /* the advice: a setting that holds both blocks, and it does */
    const char *s = e.msg ? strstr(e.msg, "; set memory=") : NULL;
    CHECK(s != NULL);
    long long advised = s ? strtoll(s + strlen("; set memory="), NULL, 10) : 0;
    CHECK_HAS(e.msg, " or more, or use fewer rows");
    CHECK(advised >= (long long)((held + 48 * mib) / mib));
    qerr_clear(&e);
    mem_budget_set(advised);
    b = mem_alloc(3 * mib, 8, "test", "values", &e);
    CHECK(b != NULL);
    free(b);
    mem_budget_set(budget);

    /* a realloc past the budget fails and leaves the block as it was */
    CHECK(mem_realloc(a, 6 * mib, 8, "test", "values", &e) == NULL);
    CHECK_INT(e.code, QE_NOMEM);
    CHECK_NEAR(a[3 * mib - 1], a[0], 0);
    qerr_clear(&e);

    /* what was freed stops counting: the same block fits again */
    free(a);
    b = mem_alloc(3 * mib, 8, "test", "values", &e);
    CHECK(b != NULL);
    free(b);

    /* many small blocks add up: about 40 of 1 MiB fit, not 60 */
    void *blocks[60];
    int got = 0;
    for (int i = 0; i < 60; i++) {
        blocks[i] = mem_alloc(mib, 1, "test", "bytes", &e);
        got += blocks[i] != NULL;
    }
    CHECK(got >= 36 && got <= 40);
    CHECK_INT(e.code, QE_NOMEM);
    qerr_clear(&e);
    for (int i = 0; i < 60; i++)
        free(blocks[i]);

    /* mem_budget_fits asks without charging: asked often, still fits */
    for (int i = 0; i < 10; i++)
        CHECK_OK(mem_budget_fits(3 * mib, 8, "test", "values", &e), e);
    CHECK_INT(mem_budget_fits(6 * mib, 8, "test", "values", &e), -1);
    CHECK_HAS(e.msg, "out of memory: test needs 48.0 MiB for 6291456 values, over set memory=");
    qerr_clear(&e);

    /* one block over the whole budget; and a size past a size_t */
    mem_budget_set(16);
    CHECK(mem_alloc(5 * mib, 4, "rfm", "customer totals", &e) == NULL);
    CHECK_HAS(e.msg, "out of memory: rfm needs 20.0 MiB for 5242880 customer totals, over set "
                     "memory=16 MiB (");
    qerr_clear(&e);
    CHECK_INT(mem_budget_fits(SIZE_MAX / 2, 4, "x", "values", &e), -1);
    CHECK_HAS(e.msg, "needs more memory than a process can address");
    qerr_clear(&e);
    /* a budget past the machine: the advice is fewer rows */
    CHECK(mem_alloc(half, 4, "rfm", "customer totals", &e) == NULL);
    CHECK_HAS(e.msg, "; use fewer rows (the machine has ");
    qerr_clear(&e);
    buf_release(&want);
    mem_budget_set(0);
}

/*
 * Run fn with the Nth allocation for who failing, N = 1, 2, ... until a
 * run succeeds. Every failed run must be a clean QE_NOMEM naming who; fn
 * frees what it made either way. Returns the number of failed runs.
 */
static int
fail_each(const char *who, int (*fn)(struct qerr *err))
{
    char want[96], got[96];
    snprintf(want, sizeof want, "out of memory: %s needs ", who);
    for (int nth = 1; nth <= 200; nth++) {
        struct qerr e = QERR_INIT;
        fault_oom_arm(who, nth);
        int rc = fn(&e);
        fault_oom_arm(who, 0);
        if (rc == 0) {
            CHECK_INT(e.code, QE_OK);
            qerr_clear(&e);
            return nth - 1;
        }
        CHECK_INT(e.code, QE_NOMEM);
        snprintf(got, strlen(want) + 1, "%s", e.msg ? e.msg : "");
        CHECK_STR(got, want);
        qerr_clear(&e);
    }
    CHECK(!"a run succeeded");
    return -1;
}

static double
at_day(int y, int m, int d)
{
    return (double)datetime_days(y, m, d) * 86400 + 36000;
}

/* Three customers: 0 orders on days 1, 3, 6; 1 on days 2, 5; 2 on day 4. */
static int
run_rfm(struct qerr *err)
{
    static const int32_t cust[] = {0, 1, 0, 2, 1, 0};
    static const double amount[] = {10, 20, 30, 40, 50, 60};
    double t[6];
    for (int i = 0; i < 6; i++)
        t[i] = at_day(2024, 3, i + 1);
    struct rfm_in in = {.n_rows = 6, .cust = cust, .n_cust = 3, .t = t, .amount = amount,
                        .scores = 5};
    struct rfm_out o;
    if (rfm_compute(&in, &o, err) < 0) {
        CHECK(o.n == 0 && o.cust == NULL && o.segment == NULL); /* released */
        return -1;
    }
    /* as of the day after the last order (March 7): recency 1, 2, 3 days */
    CHECK_INT(o.n, 3);
    CHECK_NEAR(o.recency[0], 1, 0);
    CHECK_NEAR(o.recency[2], 3, 0);
    CHECK_NEAR(o.frequency[0], 3, 0);
    CHECK_NEAR(o.frequency[1], 2, 0);
    CHECK_NEAR(o.monetary[0], 100, 0);
    CHECK_NEAR(o.monetary[1], 70, 0);
    CHECK_NEAR(o.monetary[2], 40, 0);
    rfm_out_release(&o);
    return 0;
}

static struct catalog *cat;
static struct frame *gframe; /* t: s TEXT, i INTEGER, r REAL; 4 rows, one all NULL */

static int
run_groups(struct qerr *err)
{
    /* keys: s = b a - b, i = 3 1 - 3 (direct table), r = 1e9 5 - -2.5 (sorted) */
    static const int32_t want[3][4] = {{1, 0, -1, 1}, {1, 0, -1, 1}, {2, 1, -1, 0}};
    static const int want_n[3] = {2, 2, 3};
    for (int col = 0; col < 3; col++) {
        struct groups g;
        if (groups_init(&g, gframe, col, NULL, NULL, err) < 0) {
            CHECK(g.id == NULL && g.key_num == NULL && g.key_text == NULL);
            return -1;
        }
        CHECK_INT(g.n_groups, want_n[col]);
        for (int r = 0; r < 4; r++)
            CHECK_INT(g.id[r], want[col][r]);
        struct frame_out out;
        void *store = NULL;
        const int32_t ids[] = {1, 0};
        int rc = groups_out(&g, ids, 2, "k", CATALOG_INTEGER, &out, &store, err);
        if (rc == 0 && col == 0)
            CHECK_STR(out.text[0], "b");
        free(store);
        groups_release(&g);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Monthly sums of two groups: January 1 + (2), February 3 + (nothing). */
static int
run_series(struct qerr *err)
{
    static const int32_t group[] = {0, 1, 0, -1};
    static const double value[] = {1, 2, 3, 4};
    double t[] = {at_day(2024, 1, 5), at_day(2024, 1, 20), at_day(2024, 2, 3),
                  at_day(2024, 2, 10)};
    struct series_in in = {.n_rows = 4, .group = group, .n_groups = 2, .t = t, .value = value,
                           .period = SERIES_MONTH, .agg = SERIES_SUM, .max_cells = 1000};
    struct series_out o;
    if (series_build(&in, &o, err) < 0) {
        CHECK(o.value == NULL && o.group == NULL);
        return -1;
    }
    CHECK_INT(o.n, 4);
    static const double want[] = {1, 3, 2, 0}; /* group 0: Jan, Feb; group 1: Jan, Feb */
    for (int i = 0; i < 4; i++)
        CHECK_NEAR(o.value[i], want[i], 0);
    CHECK_INT(o.n_no_group, 1);
    series_out_release(&o);
    return 0;
}

/* User 0 views then buys a minute later; user 1 only views. */
static int
run_sessions(struct qerr *err)
{
    static const int32_t user[] = {0, 0, 1};
    static const signed char kind[] = {SESSIONS_VIEW, SESSIONS_PURCHASE, SESSIONS_VIEW};
    double t0 = at_day(2024, 5, 1);
    double t[] = {t0, t0 + 60, t0 + 100};
    struct sessions_in in = {.n_rows = 3, .user = user, .n_users = 2, .t = t, .kind = kind,
                             .gap = 1800};
    struct sessions_out o;
    if (sessions_compute(&in, &o, err) < 0) {
        CHECK(o.user == NULL && o.sessions == NULL);
        return -1;
    }
    CHECK_INT(o.n, 2);
    CHECK_NEAR(o.sessions[0], 1, 0);
    CHECK_NEAR(o.sessions[1], 1, 0);
    CHECK_NEAR(o.count[SESSIONS_PURCHASE][0], 1, 0);
    CHECK_NEAR(o.count[SESSIONS_PURCHASE][1], 0, 0);
    CHECK_NEAR(o.session_seconds[0], 60, 0);
    sessions_out_release(&o);
    return 0;
}

static int
run_frame(struct qerr *err)
{
    struct frame *f = NULL;
    if (frame_read(cat, "t", NULL, 0, FRAME_NO_CACHE, NULL, NULL, &f, err) < 0) {
        CHECK(f == NULL);
        return -1;
    }
    CHECK_INT(f->n_rows, 4);
    CHECK_INT(f->kind[0], FRAME_TEXT);
    CHECK_INT(f->n_levels[0], 2);
    CHECK_INT(f->n_missing[0], 1);
    CHECK_NEAR(frame_col(f, 2)[3], -2.5, 0);
    frame_release(f);
    return 0;
}

/* Two clumps of three on a line, in a block with leading dimension 8. */
static const double clumps[8] = {0, 0.1, 0.2, 10, 10.1, 10.2};

static int
run_kmeans(struct qerr *err)
{
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.k = 2;
    o.restarts = 2;
    struct kmeans_result r;
    int rc = kmeans_fit(clumps, 6, 1, 8, &o, &r, err);
    if (rc == 0) {
        CHECK_INT(r.counts[0], 3);
        CHECK_INT(r.counts[1], 3);
        CHECK(r.labels[0] == r.labels[2] && r.labels[0] != r.labels[3]);
    }
    kmeans_result_release(&r);
    return rc;
}

static int
run_hier(struct qerr *err)
{
    struct hier_merge m[5];
    int32_t lab[6];
    double h;
    if (hier_fit(clumps, 6, 1, 8, HIER_SINGLE, m, NULL, NULL, err) < 0 ||
        hier_cut(m, 6, 2, lab, &h, err) < 0)
        return -1;
    CHECK_NEAR(h, 0.1, 1e-12); /* the last merge kept joins 0.1 apart */
    CHECK(lab[0] == lab[2] && lab[3] == lab[5] && lab[0] != lab[3]);
    return 0;
}

static int
run_dbscan(struct qerr *err)
{
    struct dbscan_opts o = {.eps = 0.15, .minpts = 2};
    int32_t lab[6];
    struct dbscan_result r;
    if (dbscan_fit(clumps, 6, 1, 8, &o, lab, &r, err) < 0)
        return -1;
    CHECK_INT(r.n_clusters, 2);
    CHECK_INT(r.n_noise, 0);
    return 0;
}

static void
test_each_site(void)
{
    /* rfm: 2 per-customer arrays (the running figures, the seen flags), 8 result columns,
     * 3 rankings of 4 arrays each (the order, the keys, the radix sort's indexes and counts) */
    CHECK_INT(fail_each("rfm", run_rfm), 22);
    CHECK(fail_each("groups", run_groups) >= 8);
    /* series: row periods, 2 cell sums, 3 result columns */
    CHECK_INT(fail_each("series", run_series), 6);
    CHECK(fail_each("sessions", run_sessions) >= 20);
    /* frame: values, rowids, text codes, dictionary slots and levels, missing flags */
    CHECK(fail_each("frame", run_frame) >= 6);
    CHECK(fail_each("k-means", run_kmeans) >= 12);
    CHECK(fail_each("k-means++", run_kmeans) >= 1);
    CHECK(fail_each("hierarchical clustering", run_hier) >= 7);
    CHECK_INT(fail_each("cut", run_hier), 2);
    CHECK(fail_each("k-d tree", run_dbscan) >= 4);
    CHECK(fail_each("dbscan", run_dbscan) >= 2);
}

static jmp_buf oom_jump;
static volatile size_t oom_size;

static void
on_oom(size_t size)
{
    oom_size = size;
    longjmp(oom_jump, 1);
}

static void
test_handler(void)
{
    buf_set_oom_handler(on_oom);
    oom_size = 0;
    if (setjmp(oom_jump) == 0) {
        void *p = xmalloc(SIZE_MAX - 4096); /* malloc says no */
        free(p);
        CHECK(!"xmalloc returned");
    }
    CHECK(oom_size == SIZE_MAX - 4096);

    /* a buf that cannot grow is left as it was */
    static struct buf b = BUF_INIT;
    oom_size = 0;
    fault_oom_arm("buf", 1);
    if (setjmp(oom_jump) == 0) {
        buf_adds(&b, "hello");
        CHECK(!"buf_adds returned");
    }
    fault_oom_arm("buf", 0);
    CHECK_INT(oom_size, 64); /* a buf's first block */
    CHECK_INT(b.len, 0);
    CHECK_STR(b.data, "");
    buf_adds(&b, "hello");
    CHECK_STR(b.data, "hello");
    buf_release(&b);
    buf_set_oom_handler(NULL);

    /* no handler: a trap (SIGILL), in a child */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        void *p = xmalloc(SIZE_MAX - 4096);
        free(p);
        _exit(0);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK_INT(WIFSIGNALED(status) ? WTERMSIG(status) : 0, SIGILL);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(cat),
                     "CREATE TABLE t (s TEXT, i INTEGER, r REAL);"
                     "INSERT INTO t VALUES ('b', 3, 1e9), ('a', 1, 5), (NULL, NULL, NULL),"
                     "('b', 3, -2.5);",
                     NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql: %s\n", msg);
        return 1;
    }
    if (frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &gframe, &err) < 0) {
        fprintf(stderr, "frame_read: %s\n", err.msg);
        return 1;
    }
    test_sizes();
    test_fault_counting();
    test_budget();
    test_each_site();
    test_handler();
    frame_release(gframe);
    catalog_free(cat);
    return check_done("test_mem");
}
