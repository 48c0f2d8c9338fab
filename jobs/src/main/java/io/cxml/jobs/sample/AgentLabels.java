package io.cxml.jobs.sample;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The contact-reason custom field as agents fill it: set on {@link AgentLabelSpec#coverage()} of the tickets,
 * wrong on {@link AgentLabelSpec#errorRate()} of those (a similar intent of the same language: one that shares the
 * first word of its name, such as card_arrival for card_delivery_estimate), and, on tickets created before the
 * taxonomy change, with the old taxonomy's names ({@link #OLD_NAMES}). {@code conf/taxonomy/contact-reason-v2.tsv}
 * maps the old names back; the merged one has no single successor. Draws come from a stream of their own per ticket,
 * so the rest of the sample is the same bytes as without the field, and every version of a ticket has the same value.
 */
final class AgentLabels implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long STREAM = 0xA6E7L;

    /**
     * Current intent to its name in the old taxonomy: eight renames and one merge (card_arrival and
     * card_delivery_estimate were both card_delivery).
     */
    static final Map<String, String> OLD_NAMES = Map.ofEntries(
            Map.entry("lost_or_stolen_card", "lost_card"),
            Map.entry("lost_or_stolen_phone", "stolen_phone"),
            Map.entry("Refund_not_showing_up", "refund_not_showing"),
            Map.entry("change_pin", "pin_change"),
            Map.entry("weather/find", "weather"),
            Map.entry("alarm/set_alarm", "alarm_set"),
            Map.entry("reminder/set_reminder", "reminder_set"),
            Map.entry("PlayMusic", "music"),
            Map.entry("card_arrival", "card_delivery"),
            Map.entry("card_delivery_estimate", "card_delivery"));

    private final AgentLabelSpec spec;
    private final long seed;
    private final Instant change;
    /** Per language and intent index: the similar intents an agent confuses it with. */
    private final String[][][] similar;

    AgentLabels(SampleSpec sample, SampleCorpus corpus) {
        this.spec = sample.labels();
        this.seed = sample.seed();
        this.change = spec.changeDay(sample).atStartOfDay(ZoneOffset.UTC).toInstant();
        similar = new String[corpus.languages().length][][];
        for (int l = 0; l < similar.length; l++) {
            similar[l] = new String[corpus.intentCount(l)][];
            for (int i = 0; i < similar[l].length; i++) {
                similar[l][i] = similarTo(corpus, l, i);
            }
        }
    }

    private static String[] similarTo(SampleCorpus corpus, int language, int intent) {
        String name = corpus.intent(language, intent);
        List<String> close = new ArrayList<>();
        List<String> any = new ArrayList<>();
        for (int j = 0; j < corpus.intentCount(language); j++) {
            String other = corpus.intent(language, j);
            if (j != intent) {
                any.add(other);
                if (firstWord(other).equals(firstWord(name))) {
                    close.add(other);
                }
            }
        }
        return (close.isEmpty() ? any : close).toArray(new String[0]);
    }

    private static String firstWord(String intent) {
        return intent.split("[_/]", 2)[0].toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the custom field's name */
    String field() {
        return spec.field();
    }

    /**
     * @param ticketId the ticket
     * @param language its language index
     * @param intent its intent index
     * @param created its creation time
     * @param corpus the corpus
     * @return the field's value, or null when the agent left it empty
     */
    String value(String ticketId, int language, int intent, Instant created, SampleCorpus corpus) {
        SplittableRandom r = Mix.random(seed, STREAM, ticketId.hashCode());
        if (r.nextDouble() >= spec.coverage()) {
            return null;
        }
        String[] confusable = similar[language][intent];
        String label = r.nextDouble() < spec.errorRate() && confusable.length > 0
                ? confusable[r.nextInt(confusable.length)] : corpus.intent(language, intent);
        return created.isBefore(change) ? OLD_NAMES.getOrDefault(label, label) : label;
    }
}
