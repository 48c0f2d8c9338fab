package io.cxml.jobs.sample;

import java.util.SplittableRandom;

/** Deterministic hashing and random streams: everything the generator draws derives from (seed, keys). */
final class Mix {
    private Mix() {}

    /** SplitMix64 finalizer: a well-mixed 64-bit hash of a 64-bit value. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long hash(long seed, long... keys) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            h = mix64(h ^ k);
        }
        return h;
    }

    static long hash(long seed, String key, long... keys) {
        return hash(hash(seed, key.hashCode()), keys);
    }

    static SplittableRandom random(long seed, long... keys) {
        return new SplittableRandom(hash(seed, keys));
    }

    /** A uniform double in [0, 1) from a hash. */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }
}
