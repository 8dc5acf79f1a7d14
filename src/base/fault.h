/*
 * fault.h: failures injected by the tests, so that error paths that real
 * runs reach only on a huge input (out of memory) can be shown to work.
 *
 * QUARRY_FAULT=oom:WHO:N in the environment makes the Nth allocation made
 * for WHO fail: WHO is the name a checked allocation gives (mem.h: "rfm",
 * "groups", "frame", ...), * for any of them, or buf for buf.h's x*
 * helpers (whose failure goes to the front end's handler). N counts from 1
 * over the whole process, and only that one allocation fails. Nothing is
 * armed unless the variable says so; QUARRY_FAULT=save-midway (catalog.c)
 * is the other fault the variable knows.
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

#endif
