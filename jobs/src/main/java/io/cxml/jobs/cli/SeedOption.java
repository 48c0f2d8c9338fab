package io.cxml.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --seed S} of the sample-data generator (generate-sample, pipeline --sample). */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "S",
            description = "Random seed of the sample data (default: cxml.sample.seed); same seed, same bytes.")
    Long seed;

    /** @return the seed given, or null for cxml.sample.seed */
    public Long seed() {
        return seed;
    }
}
