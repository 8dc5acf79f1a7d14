/*
 * blas_core.h: which OpenBLAS kernels this CPU should run (issue 18).
 *
 * OpenBLAS built with DYNAMIC_ARCH picks its kernels while it loads, from
 * the CPU's family and model numbers. On a virtual machine whose CPU model
 * it does not know (an "Intel Xeon Processor" VM with AVX-512, OpenBLAS
 * 0.3.21) it falls back to Prescott, SSE3 kernels: dgemm runs at a
 * quarter of what the SkylakeX kernels give on the same CPU. OpenBLAS
 * reads OPENBLAS_CORETYPE only while it loads, so the loader that finds
 * the weak choice sets the variable and loads it again (blas_dl.c).
 */
#ifndef QUARRY_BLAS_CORE_H
#define QUARRY_BLAS_CORE_H

/* What the CPU and the operating system let a program use. */
struct cpu_vec {
    int avx512; /* AVX-512 F, CD, BW, DQ and VL: what SkylakeX kernels use */
    int avx2;   /* AVX2 and FMA: what Haswell kernels use */
};

/*
 * The CPU's vector features (cpuid and the OS's saved register state,
 * through the compiler's __builtin_cpu_supports); all zero off x86-64.
 */
struct cpu_vec blas_core_cpu(void);

/*
 * The OPENBLAS_CORETYPE value that would give this CPU better kernels
 * than `current` (what openblas_get_corename() reports, any case), or
 * NULL when `current` already uses what the CPU has or is a core this
 * function does not know to be weaker. SkylakeX for AVX-512, Haswell for
 * AVX2 only; the cores counted as already good enough: SkylakeX,
 * Cooperlake and SapphireRapids for AVX-512; those, Haswell and Zen for
 * AVX2. Only cores OpenBLAS is known to pick as a fallback are replaced
 * (Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Sandybridge,
 * Barcelona, Bulldozer and its successors, Katmai/Coppermine/Northwood,
 * and unknown).
 */
const char *blas_core_better(const char *current, struct cpu_vec cpu);

/*
 * For this process, given a loaded OpenBLAS's openblas_get_config() and
 * openblas_get_corename(): blas_core_better(corename, blas_core_cpu())
 * when config says DYNAMIC_ARCH (else the library has one set of kernels
 * and the variable would change nothing), or NULL (also for NULL
 * arguments). The caller decides whether to act (OPENBLAS_CORETYPE
 * already set means the user chose).
 */
const char *blas_core_wanted(const char *config, const char *corename);

#endif
