/*
 * rng.h: a small seeded random number generator, xoshiro256** seeded
 * through splitmix64 (Blackman and Vigna). The same seed gives the same
 * stream on every platform; algorithms that draw take a struct rng the
 * caller seeded, so a command's `seed=N` makes its run reproducible.
 */
#ifndef QUARRY_RNG_H
#define QUARRY_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* Seed the state from one 64-bit seed (splitmix64 expands it). */
void rng_init(struct rng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* A double uniform in [0, 1), 53 random bits. */
double rng_uniform(struct rng *r);
/* An integer uniform in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t n);

#endif
