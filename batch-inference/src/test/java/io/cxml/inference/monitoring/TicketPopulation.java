package io.cxml.inference.monitoring;

import io.cxml.training.profile.Profile;
import io.cxml.training.profile.ProfileAccumulator;
import io.cxml.training.profile.Profiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A seeded population of scored tickets as profile rows, with the drifts a help desk sees planted on demand: six
 * tenants with their own language mix and teams, channels, priorities, log-normal text lengths, 30 intents with a
 * skewed frequency, and a model that is confident on the intents it knows and unsure on the ones it does not.
 */
final class TicketPopulation {
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it");
    static final List<String> CHANNELS = List.of("email", "chat", "web", "phone");
    static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");
    static final int TENANTS = 6;
    static final int INTENTS = 30;
    /** Prefix of intents the model was not trained on. */
    static final String NEW_INTENT = "new-";
    static final double[][] LANGUAGE_MIX = {
        {0.7, 0.1, 0.1, 0.05, 0.05}, {0.5, 0.4, 0.05, 0.03, 0.02}, {0.6, 0.1, 0.2, 0.05, 0.05},
        {0.8, 0.05, 0.05, 0.05, 0.05}, {0.4, 0.2, 0.2, 0.1, 0.1}, {0.3, 0.1, 0.1, 0.3, 0.2}};

    /** One ticket before the model scored it. */
    record Ticket(String tenant, String language, String channel, String priority, String team, double chars,
            String intent) {
        Ticket withLanguage(String l) {
            return new Ticket(tenant, l, channel, priority, team, chars, intent);
        }

        Ticket withTeam(String t) {
            return new Ticket(tenant, language, channel, priority, t, chars, intent);
        }

        Ticket withIntent(String i) {
            return new Ticket(tenant, language, channel, priority, team, chars, i);
        }
    }

    private TicketPopulation() {}

    static String tenant(int i) {
        return "t" + i;
    }

    static List<Ticket> tickets(long seed, int n) {
        Random r = new Random(seed);
        List<Ticket> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int t = r.nextInt(TENANTS);
            String language = LANGUAGES.get(pick(r, LANGUAGE_MIX[t]));
            int intent = (int) Math.min(INTENTS - 1, Math.floor(-Math.log(1 - r.nextDouble()) * 8));
            String team = tenant(t) + "-team" + (intent % 4);
            out.add(new Ticket(tenant(t), language, CHANNELS.get(pick(r, new double[] {0.5, 0.3, 0.15, 0.05})),
                    PRIORITIES.get(pick(r, new double[] {0.3, 0.5, 0.15, 0.05})), team,
                    Math.exp(4.5 + 0.6 * r.nextGaussian()), "intent" + intent));
        }
        return out;
    }

    /** Scores tickets the way a trained model behaves: right and confident on known intents, unsure otherwise. */
    static List<Row> scored(long seed, List<Ticket> tickets) {
        Random r = new Random(seed * 31 + 7);
        List<Row> out = new ArrayList<>(tickets.size());
        for (Ticket t : tickets) {
            boolean known = !t.intent().startsWith(NEW_INTENT);
            double confidence;
            String predicted;
            if (known && r.nextDouble() < 0.9) {
                predicted = t.intent();
                confidence = 0.6 + 0.4 * Math.sqrt(r.nextDouble());
            } else {
                predicted = "intent" + r.nextInt(INTENTS);
                confidence = 0.15 + 0.45 * r.nextDouble();
            }
            out.add(RowFactory.create(t.language(), t.channel(), t.priority(), t.tenant(), t.team(), t.chars(),
                    predicted, confidence, confidence < 0.5));
        }
        return out;
    }

    static List<Ticket> map(List<Ticket> tickets, java.util.function.Predicate<Ticket> which,
            UnaryOperator<Ticket> change) {
        return tickets.stream().map(t -> which.test(t) ? change.apply(t) : t).toList();
    }

    /** The reference profile: edges from the rows themselves, as a training run computes them. */
    static Profile reference(List<Row> rows) {
        Map<String, double[]> edges = Map.of(
                io.cxml.training.profile.ProfileColumns.TEXT_CHARS, deciles(rows, 5),
                io.cxml.training.profile.ProfileColumns.CONFIDENCE, deciles(rows, 7));
        return profile(rows, edges);
    }

    static Profile profile(List<Row> rows, Map<String, double[]> edges) {
        ProfileAccumulator acc = new ProfileAccumulator(edges);
        rows.forEach(acc::add);
        return acc.finish(Map.of(), Map.of());
    }

    private static double[] deciles(List<Row> rows, int column) {
        double[] v = rows.stream().mapToDouble(x -> x.getDouble(column)).sorted().toArray();
        double[] out = new double[Profiler.BINS - 1];
        for (int i = 1; i < Profiler.BINS; i++) {
            out[i - 1] = v[(int) ((long) v.length * i / Profiler.BINS)];
        }
        return out;
    }

    private static int pick(Random r, double[] weights) {
        double u = r.nextDouble();
        double c = 0;
        for (int i = 0; i < weights.length; i++) {
            c += weights[i];
            if (u < c) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
