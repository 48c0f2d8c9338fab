package io.cxml.jobs.sample;

import java.io.Serializable;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The planted {@link DriftScenario}s of one sample, resolved against its tenants and corpus: which language, which
 * new intent, which tenant and teams. Applied per ticket by {@link TicketFactory} with a random stream of its own.
 */
final class DriftScenarios implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Popularity rank (in English) from which the intent held back until the new-intent scenario is chosen. */
    private static final int NEW_INTENT_RANK = 3;

    private final int languageShiftDay;
    private final int targetLanguage;
    private final int newIntentDay;
    private final int english;
    private final int newIntent;
    private final int substituteIntent;
    private final int reorgDay;
    private final String reorgTenant;
    private final String[] mergedTeams;
    private final String mergedInto;
    private final Map<String, Object> facts = new LinkedHashMap<>();

    DriftScenarios(SampleSpec spec, SampleCorpus corpus, Tenant[] tenants, int[][] intentOrder) {
        int shift = Integer.MAX_VALUE;
        int fresh = Integer.MAX_VALUE;
        int reorg = Integer.MAX_VALUE;
        for (DriftScenario s : spec.scenarios()) {
            int day = (int) Math.max(0, ChronoUnit.DAYS.between(spec.startDate(), s.from()));
            switch (s.kind()) {
                case LANGUAGE_SHIFT -> shift = Math.min(shift, day);
                case NEW_INTENT -> fresh = Math.min(fresh, day);
                case TEAM_REORG -> reorg = Math.min(reorg, day);
                default -> throw new IllegalStateException(s.kind().name());
            }
        }
        targetLanguage = corpus.languageIndex(DriftScenario.LANGUAGE_SHIFT_TARGET);
        english = corpus.languageIndex("en");
        languageShiftDay = targetLanguage < 0 ? Integer.MAX_VALUE : shift;
        newIntent = english < 0 ? -1 : englishOnly(corpus, intentOrder[english], english);
        boolean canAddIntent = newIntent >= 0;
        newIntentDay = canAddIntent ? fresh : Integer.MAX_VALUE;
        substituteIntent = canAddIntent ? intentOrder[english][0] : -1;
        Tenant reorganised = null;
        for (Tenant t : tenants) { // tenants are ordered by size, largest first
            if (t.baseTeams.length >= 3) {
                reorganised = t;
                break;
            }
        }
        reorgDay = reorganised == null ? Integer.MAX_VALUE : reorg;
        reorgTenant = reorganised == null ? null : reorganised.accountId;
        mergedTeams = reorganised == null ? new String[0] : mergeable(reorganised);
        mergedInto = mergedTeams.length == 0 ? null : mergedTeams[0] + "-and-" + mergedTeams[1];
        for (DriftScenario s : spec.scenarios()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("from", s.from().toString());
            switch (s.kind()) {
                case LANGUAGE_SHIFT -> {
                    f.put("language", DriftScenario.LANGUAGE_SHIFT_TARGET);
                    f.put("share", DriftScenario.LANGUAGE_SHIFT_SHARE);
                    f.put("planted", languageShiftDay != Integer.MAX_VALUE);
                }
                case NEW_INTENT -> {
                    f.put("intent", canAddIntent ? corpus.intent(english, newIntent) : null);
                    f.put("share_of_english", DriftScenario.NEW_INTENT_SHARE);
                    f.put("planted", newIntentDay != Integer.MAX_VALUE);
                }
                case TEAM_REORG -> {
                    f.put("tenant", reorgTenant);
                    f.put("merged", mergedTeams.length == 0 ? List.of() : List.of(mergedTeams));
                    f.put("into", mergedInto);
                    f.put("planted", reorgDay != Integer.MAX_VALUE);
                }
                default -> throw new IllegalStateException(s.kind().name());
            }
            facts.put(s.kind().cliName(), f);
        }
    }

    /** The first intent from the popularity rank on that only English tickets have (so it can be held back). */
    private static int englishOnly(SampleCorpus corpus, int[] order, int english) {
        java.util.Set<String> elsewhere = new java.util.HashSet<>();
        for (int l = 0; l < corpus.languages().length; l++) {
            for (int i = 0; l != english && i < corpus.intentCount(l); i++) {
                elsewhere.add(corpus.intent(l, i));
            }
        }
        for (int rank = NEW_INTENT_RANK; rank < order.length; rank++) {
            if (!elsewhere.contains(corpus.intent(english, order[rank])) && order[rank] != order[0]) {
                return order[rank];
            }
        }
        return -1;
    }

    /** Two base teams that the policy change does not retire. */
    private static String[] mergeable(Tenant t) {
        return java.util.Arrays.stream(t.baseTeams).filter(team -> !team.equals(t.retiredTeam)).limit(2)
                .toArray(String[]::new);
    }

    /** @return whether any scenario is planted */
    boolean active() {
        return languageShiftDay != Integer.MAX_VALUE || newIntentDay != Integer.MAX_VALUE
                || reorgDay != Integer.MAX_VALUE;
    }

    /** @return scenario name to what was planted (for the run record) */
    Map<String, Object> facts() {
        return facts;
    }

    /**
     * @param language the ticket's language
     * @param day its creation day offset
     * @param s the scenario stream
     * @return its language under the scenarios
     */
    int language(int language, int day, SplittableRandom s) {
        double u = s.nextDouble();
        return day >= languageShiftDay && u < DriftScenario.LANGUAGE_SHIFT_SHARE ? targetLanguage : language;
    }

    /**
     * @param language the ticket's language
     * @param intent its intent index
     * @param day its creation day offset
     * @param s the scenario stream
     * @return its intent under the scenarios: never the new intent before its day, often after it
     */
    int intent(int language, int intent, int day, SplittableRandom s) {
        double u = s.nextDouble();
        if (newIntent < 0 || language != english || newIntentDay == Integer.MAX_VALUE) {
            return intent;
        }
        if (day < newIntentDay) {
            return intent == newIntent ? substituteIntent : intent;
        }
        return u < DriftScenario.NEW_INTENT_SHARE ? newIntent : intent;
    }

    /**
     * @param tenant the ticket's tenant
     * @param team the team the tenant's policy (or noise) gave it
     * @param day its creation day offset
     * @return the team under the reorganisation
     */
    String team(Tenant tenant, String team, int day) {
        if (day < reorgDay || !tenant.accountId.equals(reorgTenant)) {
            return team;
        }
        return team.equals(mergedTeams[0]) || team.equals(mergedTeams[1]) ? mergedInto : team;
    }
}
