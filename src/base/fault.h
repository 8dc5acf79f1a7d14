/*
 * fault.h: failures injected by the tests, so that error paths that real
 * runs reach only on a huge input (out of memory) can be shown to work.
 *
 * QUARRY_FAULT=oom:WHO:N in the environment makes the Nth allocation made
 * for WHO fail: WHO is the name a checked allocation gives (mem.h: "rfm",
 * "groups", "frame", ...), * for any of them, or buf for buf.h's x*
 * helpers (whose failure goes to the front end's handler). N counts from 1
 * over the whole process, and only that one allocation fails. Nothing is
 * armed unless the variable says so.
 *
 * QUARRY_FAULT=read:N makes the Nth read of a file or stream that load
 * makes fail with EIO (load_image.c), as a failing disk or a network file
 * system would. QUARRY_FAULT=full:N lets the catalog grow by at most N
 * pages in each statement (catalog.c): a write past that fails with
 * SQLite's "database or disk is full", as a full disk or memory would.
 * QUARRY_FAULT=save-midway (catalog.c) kills a save half-way.
 */
#ifndef QUARRY_FAULT_H
#define QUARRY_FAULT_H

/*
 * Count one allocation for who; nonzero when it is the one to fail. Safe
 * to call from several threads.
 */
int fault_oom(const char *who);

/*
 * For unit tests: arm as QUARRY_FAULT=oom:WHO:N would (replacing what the
 * environment said), and start counting again from 0. nth 0 disarms.
 * who is copied (at most 31 bytes).
 */
void fault_oom_arm(const char *who, long long nth);

/*
 * The allocations counted for the armed WHO since it was armed (by
 * fault_oom_arm or the environment). Arming with nth LLONG_MAX counts
 * without failing: a test learns how many allocations a statement makes,
 * then fails each in turn.
 */
long long fault_oom_count(void);

/*
 * Count one read of load's input; nonzero when it is the one to fail
 * (QUARRY_FAULT=read:N). Safe to call from several threads.
 */
int fault_read(void);

/* The pages the catalog may grow by in a statement (QUARRY_FAULT=full:N); 0: no limit. */
long long fault_full_pages(void);

/* For unit tests: arm read:N and full:N (0 disarms), counting reads again from 0. */
void fault_io_arm(long long read_nth, long long full_pages);

#endif
