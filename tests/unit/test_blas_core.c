/*
 * test_blas_core.c: the OpenBLAS kernels for this CPU (base/blas_core.h).
 *
 * 1. blas_core_better on a table of cores and CPUs written out by hand:
 *    a fallback core on an AVX-512 CPU becomes SkylakeX, on an AVX2 CPU
 *    Haswell; Haswell and Zen become SkylakeX only where AVX-512 is there;
 *    a good or unknown-to-the-table core, or an old CPU, is left alone.
 * 2. blas_core_cpu agrees with the kernel's own list of CPU flags in
 *    /proc/cpuinfo (read independently here).
 * 3. blas_core_wanted acts only for a DYNAMIC_ARCH build (its config
 *    string says so), and then as blas_core_better on this CPU. That the
 *    loaded OpenBLAS really runs the core it names is test_blas_dl's.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/blas_core.h"

static void
test_table(void)
{
    struct cpu_vec k512 = {1, 1}, k2 = {0, 1}, old = {0, 0};
    CHECK_STR(blas_core_better("Prescott", k512), "SkylakeX");
    CHECK_STR(blas_core_better("prescott", k512), "SkylakeX");
    CHECK_STR(blas_core_better("Sandybridge", k512), "SkylakeX");
    CHECK_STR(blas_core_better("Haswell", k512), "SkylakeX");
    CHECK_STR(blas_core_better("Zen", k512), "SkylakeX");
    CHECK_STR(blas_core_better("Prescott", k2), "Haswell");
    CHECK_STR(blas_core_better("Nehalem", k2), "Haswell");
    CHECK_STR(blas_core_better("Excavator", k2), "Haswell");
    CHECK_PTR(blas_core_better("Haswell", k2), NULL);
    CHECK_PTR(blas_core_better("Zen", k2), NULL);
    CHECK_PTR(blas_core_better("SkylakeX", k512), NULL);
    CHECK_PTR(blas_core_better("Cooperlake", k512), NULL);
    CHECK_PTR(blas_core_better("SapphireRapids", k512), NULL);
    CHECK_PTR(blas_core_better("Prescott", old), NULL);
    CHECK_PTR(blas_core_better("NewCoreOf2030", k512), NULL);
    CHECK_PTR(blas_core_better(NULL, k512), NULL);
}

/* Is the word `flag` in /proc/cpuinfo's first flags line? -1 if unreadable. */
static int
cpuinfo_has(const char *flag)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[8192];
    int found = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        found = 0;
        for (char *w = strtok(strchr(line, ':') + 1, " \n"); w; w = strtok(NULL, " \n"))
            if (strcmp(w, flag) == 0)
                found = 1;
        break;
    }
    fclose(f);
    return found;
}

static void
test_cpu(void)
{
#if defined(__x86_64__)
    struct cpu_vec v = blas_core_cpu();
    int a2 = cpuinfo_has("avx2"), fma = cpuinfo_has("fma");
    if (a2 < 0) {
        printf("test_blas_core: no /proc/cpuinfo flags; CPU part skipped\n");
        return;
    }
    int a512 = 1;
    static const char *const f512[] = {"avx512f", "avx512cd", "avx512bw", "avx512dq",
                                       "avx512vl"};
    for (int i = 0; i < 5; i++)
        a512 &= cpuinfo_has(f512[i]) == 1;
    CHECK_INT(v.avx2, a2 && fma);
    CHECK_INT(v.avx512, a2 && fma && a512);
#endif
}

static void
test_wanted(void)
{
    const char *dyn = "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64";
    const char *fixed = "OpenBLAS 0.3.21 NO_AFFINITY Prescott MAX_THREADS=64";
    struct cpu_vec cpu = blas_core_cpu();
    CHECK_PTR(blas_core_wanted(dyn, "Prescott"), blas_core_better("Prescott", cpu));
    CHECK_PTR(blas_core_wanted(dyn, "SkylakeX"), NULL);
    CHECK_PTR(blas_core_wanted(fixed, "Prescott"), NULL);
    CHECK_PTR(blas_core_wanted(NULL, "Prescott"), NULL);
    CHECK_PTR(blas_core_wanted(dyn, NULL), NULL);
}

int
main(void)
{
    test_table();
    test_cpu();
    test_wanted();
    return check_done("test_blas_core");
}
