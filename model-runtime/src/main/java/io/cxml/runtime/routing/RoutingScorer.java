package io.cxml.runtime.routing;

import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.storage.ListingFingerprint;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes tickets with one routing version, inside an executor. The index is read once per JVM and version; a
 * tenant's model is read (only its bytes) the first time a task of the JVM meets the tenant and kept in a bounded
 * cache shared by the JVM's tasks. Unknown tenants, small tenants and teams that no longer exist are handled
 * explicitly ({@link Routed#source()}), never by failing.
 */
public final class RoutingScorer {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingScorer.class);
    /** Tenant models kept per JVM and version (a few MB at the default feature sizes). */
    static final int CACHED_TENANTS = 20_000;
    private static final Map<String, RoutingScorer> SCORERS = new ConcurrentHashMap<>();

    private final ModelSource source;
    private final RoutingIndex index;
    private final TenantModel global;
    private final Map<String, TenantModel> models;
    private final Map<String, FSDataInputStream> artifacts = new HashMap<>();

    private RoutingScorer(ModelSource source) {
        this.source = source;
        this.index = RoutingIndex.read(source.uri(), source.hadoop());
        try (FSDataInputStream in = PackedArtifact.open(source.uri(), index.global.artifact(), source.hadoop())) {
            this.global = PackedArtifact.read(in, index.global);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.models = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TenantModel> eldest) {
                return size() > CACHED_TENANTS;
            }
        };
    }

    /**
     * Checks a routing version's directory on the driver and describes it for executors.
     *
     * @param modelUri the version's model directory
     * @param label readable version, e.g. {@code routing@v2}
     * @param hadoop the driver's Hadoop configuration
     * @return the source (its fingerprint covers the index and the artifacts)
     */
    public static ModelSource source(String modelUri, String label, Configuration hadoop) {
        Path dir = new Path(modelUri);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(new Path(dir, RoutingIndex.FILE))) {
                throw new IllegalArgumentException("Cannot route with " + label + ": " + modelUri + " has no "
                        + RoutingIndex.FILE + " (not a routing version, or an incomplete one). Check it with "
                        + "`cxml models list routing`");
            }
            ListingFingerprint digest = ListingFingerprint.of("");
            FileStatus[] files = fs.listStatus(dir);
            java.util.Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            for (FileStatus f : files) {
                digest.add(f.getPath().getName(), f);
            }
            Map<String, String> conf = new HashMap<>();
            hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
            return new ModelSource(modelUri, label, digest.hex(24),
                    conf);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read routing version " + modelUri + " of " + label
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param source a routing version (from {@link #source})
     * @return this JVM's scorer for it
     */
    public static RoutingScorer get(ModelSource source) {
        return SCORERS.computeIfAbsent(source.fingerprint(), k -> {
            ExecutorSettings.applyForThisExecutor();
            long start = System.nanoTime();
            RoutingScorer s = new RoutingScorer(source);
            LOG.info("loaded routing index {} ({} tenant models, {} fallback tenants) in {} ms", source.label(),
                    s.index.tenants.size(), s.index.fallback.size(), (System.nanoTime() - start) / 1_000_000);
            return s;
        });
    }

    /** @return the version's index */
    public RoutingIndex index() {
        return index;
    }

    /**
     * @param e the ticket
     * @param activeTeams the tenant's teams that exist now, or null when unknown (every model team is allowed)
     * @return the decision
     */
    public Routed route(RoutingExample e, Set<String> activeTeams) {
        RoutingIndex.Entry entry = e.tenant() == null ? null : index.tenants.get(e.tenant());
        if (entry != null) {
            TenantModel model = tenantModel(e.tenant(), entry);
            float[] x = index.features.vector(e, model.teams());
            List<TenantModel.Scored> ranked = model.rank(x, activeTeams);
            if (!ranked.isEmpty()) {
                boolean avoided = activeTeams != null && !activeTeams.contains(model.rank(x, null).get(0).team());
                return decision(ranked, Routed.TENANT, avoided);
            }
            return global(e, activeTeams, Routed.FALLBACK_TEAMS_CHANGED, true);
        }
        RoutingIndex.Fallback fallback = e.tenant() == null ? null : index.fallback.get(e.tenant());
        if (fallback != null) {
            Set<String> allowed = new java.util.HashSet<>(fallback.teams());
            if (activeTeams != null) {
                allowed.retainAll(activeTeams);
            }
            return global(e, allowed.isEmpty() ? activeTeams : allowed, Routed.FALLBACK_SMALL_TENANT,
                    allowed.size() < fallback.teams().size());
        }
        return global(e, activeTeams, Routed.FALLBACK_UNKNOWN_TENANT, false);
    }

    private Routed global(RoutingExample e, Set<String> allowed, String why, boolean avoided) {
        List<TenantModel.Scored> ranked = global.rank(index.features.vector(e, null), allowed);
        if (ranked.isEmpty()) { // none of the allowed teams is known to the global model
            ranked = global.rank(index.features.vector(e, null), null);
        }
        return decision(ranked, why, avoided);
    }

    private static Routed decision(List<TenantModel.Scored> ranked, String why, boolean avoided) {
        TenantModel.Scored best = ranked.get(0);
        return new Routed(best.team(), best.probability(), List.copyOf(ranked.subList(0, Math.min(3,
                ranked.size()))), why, avoided);
    }

    private TenantModel tenantModel(String tenant, RoutingIndex.Entry entry) {
        synchronized (models) {
            TenantModel m = models.get(tenant);
            if (m != null) {
                return m;
            }
            FSDataInputStream in = artifacts.computeIfAbsent(entry.artifact(),
                    a -> PackedArtifact.open(source.uri(), a, source.hadoop()));
            m = PackedArtifact.read(in, entry);
            models.put(tenant, m);
            return m;
        }
    }

    /** Closes every scorer of this JVM (executor shutdown). */
    public static synchronized void closeAll() {
        for (RoutingScorer s : SCORERS.values()) {
            synchronized (s.models) {
                for (FSDataInputStream in : s.artifacts.values()) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // closing a read stream: nothing to recover
                    }
                }
                s.artifacts.clear();
            }
        }
        SCORERS.clear();
    }

}
