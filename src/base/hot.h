/*
 * hot.h: HOT, for an element-wise loop compiled for the vector units the
 * CPU has.
 *
 * A function marked HOT is built once for AVX-512, once for AVX2 and once
 * for the baseline, and the loader picks the one the running CPU can do
 * (GCC and clang's target_clones); GCC also gets -O3's vectoriser for it.
 * The loops so marked are element-wise with no FMA contraction (-std=c11
 * keeps -ffp-contract=off), so each variant gives the same bits.
 * Under ThreadSanitizer there is no multiversioning: its resolvers run
 * before TSan is ready.
 */
#ifndef QUARRY_BASE_HOT_H
#define QUARRY_BASE_HOT_H

#if defined(__SANITIZE_THREAD__)
#define HOT __attribute__((optimize("O3")))
#elif defined(__clang__)
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HOT __attribute__((optimize("O3"), target_clones("avx512f", "avx2", "default")))
#endif

#endif
