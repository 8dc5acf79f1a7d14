/*
 * blas_core.c: the OpenBLAS kernels this CPU should run (blas_core.h).
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "base/blas_core.h"
#include "base/banned.h"

struct cpu_vec
blas_core_cpu(void)
{
    struct cpu_vec v = {0, 0};
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    v.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    v.avx512 = v.avx2 && __builtin_cpu_supports("avx512f") &&
               __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#endif
    return v;
}

static int
in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(name, *list) == 0)
            return 1;
    return 0;
}

const char *
blas_core_better(const char *current, struct cpu_vec cpu)
{
    /* The cores OpenBLAS falls back to, all weaker than Haswell. */
    static const char *const weak[] = {
        "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Sandybridge",
        "Katmai", "Coppermine", "Northwood", "Banias", "Opteron", "Opteron_SSE3",
        "Barcelona", "Bobcat", "Bulldozer", "Piledriver", "Steamroller", "Excavator",
        "unknown", NULL,
    };
    static const char *const avx2_only[] = {"Haswell", "Zen", NULL};
    if (!current)
        return NULL;
    if (cpu.avx512 && (in_list(current, weak) || in_list(current, avx2_only)))
        return "SkylakeX";
    if (cpu.avx2 && in_list(current, weak))
        return "Haswell";
    return NULL;
}

const char *
blas_core_wanted(const char *config, const char *corename)
{
    if (!config || !strstr(config, "DYNAMIC_ARCH"))
        return NULL;
    return blas_core_better(corename, blas_core_cpu());
}
