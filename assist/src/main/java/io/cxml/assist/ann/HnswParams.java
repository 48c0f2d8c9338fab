package io.cxml.assist.ann;

import java.io.Serializable;

/**
 * When and how a tenant's solved tickets are searched through an HNSW graph instead of exactly: the graph is built in
 * the run, so it pays back only for a tenant with many tickets (each exact query costs a pass over them) and many
 * queries in the run (the build is paid once).
 *
 * @param minTickets a tenant needs at least this many solved tickets (candidates of the run) to be searched
 *     approximately ({@code Long.MAX_VALUE}: always exactly)
 * @param minQueries ... and at least this many tickets to find suggestions for in the run
 * @param maxConnections HNSW's M: neighbours per node and layer (the lowest layer keeps twice as many)
 * @param beamWidth candidates kept while inserting a node (graph quality vs build time)
 * @param candidates nearest neighbours a query collects from the graph (its ef) before the top k are kept
 */
public record HnswParams(long minTickets, long minQueries, int maxConnections, int beamWidth, int candidates)
        implements Serializable {
    /** Checks the values, naming the setting to fix. */
    public HnswParams {
        require(minTickets >= 1, "cxml.assist.ann.min-tickets must be >= 1, got " + minTickets);
        require(minQueries >= 1, "cxml.assist.ann.min-queries must be >= 1, got " + minQueries);
        require(maxConnections >= 2 && maxConnections <= 512, "cxml.assist.ann.m must be in 2..512, got "
                + maxConnections);
        require(beamWidth >= 1 && beamWidth <= 3200, "cxml.assist.ann.beam-width must be in 1..3200, got "
                + beamWidth);
        require(candidates >= 1 && candidates <= 10_000, "cxml.assist.ann.candidates must be in 1..10000, got "
                + candidates);
    }

    /** Exact search for every tenant. */
    public static HnswParams exactOnly() {
        return new HnswParams(Long.MAX_VALUE, Long.MAX_VALUE, 16, 100, 100);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Cannot search approximately: " + message);
        }
    }
}
