package io.cxml.jobs.sample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One synthetic tenant (customer account): its languages, its teams and its routing policy
 * (intent x language x priority x channel -> team), which changes once, part-way through the history: a quarter of
 * the intents move to another team, and in tenants with four or more base teams one team is retired (its tickets go
 * to the next base team and it gets no ticket afterwards). Derived deterministically from (seed, account index).
 */
final class Tenant implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final String[] TEAM_POOL = {
        "billing", "cards", "payments", "accounts", "fraud", "tech-support", "onboarding", "loans",
        "general-support", "bookings", "media", "devices", "logistics", "returns"
    };
    /** Product names customers mention, in English whatever their language (code-switching). */
    private static final String[] PRODUCT_POOL = {
        "NovaPay", "Brightbank", "HomeHub", "Streamly", "TripMate", "CardPlus", "Lumo", "ParcelGo", "Fitly",
        "SmartHome Pro", "Quickloan", "Echo Speaker"
    };
    static final String ESCALATIONS = "escalations";
    static final String TIER_2 = "tier-2";

    final int index;
    final String accountId;
    /** Language indices into the corpus and their cumulative weights. */
    final int[] languages;
    final double[] languageCdf;
    /** Base teams (intent-based routing), then optional special teams. */
    final String[] baseTeams;
    final boolean hasEscalations;
    final boolean hasTier2;
    /** Per language index: the language desk, or null. */
    final String[] languageDesks;
    /** Day offset at which the routing policy changes. */
    final int policyChangeDay;
    final long seed;
    /** The tenant's product, as its customers name it. */
    final String product;
    /** Base team retired at the policy change, or null. */
    final String retiredTeam;

    Tenant(long seed, int index, SampleCorpus corpus, int days) {
        this.seed = seed;
        this.index = index;
        this.accountId = String.format("acct-%04d", index + 1);
        SplittableRandom r = Mix.random(seed, 0xACC0, index);
        String[] all = corpus.languages();
        int en = corpus.languageIndex("en");
        int primary = r.nextDouble() < 0.45 && en >= 0 ? en : r.nextInt(all.length);
        int extra = r.nextInt(3); // 0-2 secondary languages
        List<Integer> langs = new ArrayList<>(List.of(primary));
        List<Double> weights = new ArrayList<>(List.of(1.0));
        for (int i = 0; i < extra; i++) {
            int l = r.nextInt(all.length);
            if (!langs.contains(l)) {
                langs.add(l);
                weights.add(0.1 + 0.4 * r.nextDouble());
            }
        }
        languages = langs.stream().mapToInt(Integer::intValue).toArray();
        languageCdf = cdf(weights);
        int teamCount = 3 + r.nextInt(5);
        List<String> pool = new ArrayList<>(List.of(TEAM_POOL));
        baseTeams = new String[teamCount];
        for (int t = 0; t < teamCount; t++) {
            baseTeams[t] = pool.remove(r.nextInt(pool.size()));
        }
        hasEscalations = r.nextDouble() < 0.6;
        hasTier2 = r.nextDouble() < 0.4;
        languageDesks = new String[all.length];
        for (int i = 1; i < languages.length; i++) {
            if (r.nextDouble() < 0.7) {
                languageDesks[languages[i]] = all[languages[i]] + "-desk";
            }
        }
        policyChangeDay = days / 3 + r.nextInt(Math.max(1, days / 3));
        product = PRODUCT_POOL[(int) Math.floorMod(Mix.hash(seed, index, 0x9D0C), (long) PRODUCT_POOL.length)];
        // Drawn from a hash, not from r, so the other draws (and samples generated before) stay as they were.
        retiredTeam = teamCount >= 4
                ? baseTeams[(int) Math.floorMod(Mix.hash(seed, index, 0x7E71), (long) teamCount)] : null;
    }

    private static double[] cdf(List<Double> weights) {
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        double[] out = new double[weights.size()];
        double acc = 0;
        for (int i = 0; i < out.length; i++) {
            acc += weights.get(i) / total;
            out[i] = acc;
        }
        out[out.length - 1] = 1.0;
        return out;
    }

    int pickLanguage(double u) {
        for (int i = 0; i < languageCdf.length; i++) {
            if (u < languageCdf[i]) {
                return languages[i];
            }
        }
        return languages[languages.length - 1];
    }

    /**
     * @param day day offset
     * @return every team of the tenant that exists on that day, for noise (a ticket handed to an arbitrary team)
     */
    List<String> allTeams(int day) {
        List<String> teams = new ArrayList<>(List.of(baseTeams));
        if (day >= policyChangeDay && retiredTeam != null) {
            teams.remove(retiredTeam);
        }
        if (hasEscalations) {
            teams.add(ESCALATIONS);
        }
        if (hasTier2) {
            teams.add(TIER_2);
        }
        for (String desk : languageDesks) {
            if (desk != null) {
                teams.add(desk);
            }
        }
        return teams;
    }

    /**
     * The routing policy: which team should get a ticket.
     *
     * @param intent the true intent
     * @param language corpus language index
     * @param priority the priority
     * @param channel the channel
     * @param day day offset of creation
     * @return the team the policy says
     */
    String policyTeam(String intent, int language, String priority, String channel, int day) {
        if ("urgent".equals(priority) && hasEscalations) {
            return ESCALATIONS;
        }
        if (languageDesks[language] != null) {
            return languageDesks[language];
        }
        long h = Mix.hash(seed, intent, index);
        if ("phone".equals(channel) && hasTier2 && (h & 3) == 0) {
            return TIER_2;
        }
        // The policy change: after it, a quarter of the intents move to another team.
        boolean moved = day >= policyChangeDay && (Mix.hash(seed, intent, index, 0xC4A6) & 3) == 0;
        long pick = moved ? Mix.hash(seed, intent, index, 0x2) : h;
        int team = (int) Math.floorMod(pick, (long) baseTeams.length);
        if (day >= policyChangeDay && baseTeams[team].equals(retiredTeam)) {
            team = (team + 1) % baseTeams.length;
        }
        return baseTeams[team];
    }
}
