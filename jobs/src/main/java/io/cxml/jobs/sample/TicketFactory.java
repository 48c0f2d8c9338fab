package io.cxml.jobs.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxml.contract.RawInteraction;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates the raw export lines of one ticket: its versions (a reopened ticket is exported again when it changes),
 * an occasional exact duplicate, and an occasional broken copy. Outcomes depend on the ticket: misrouted tickets (the
 * team differs from the tenant's policy) take longer and score lower CSAT, severe intents escalate more. The
 * customer's words are corpus sentences at home on the creation day ({@link UtteranceHomes}), varied
 * ({@link TextVariation}); follow-ups carry a {@link Tone} that matches the outcome with probability
 * {@link SampleSpec#toneStrength()}. Pure function of (spec, ticket index): the same spec gives the same lines. The
 * variation and the tone draw from a second random stream, so the first stream's draws (channels, times, outcomes,
 * duplicates, broken lines) are those it always made.
 */
final class TicketFactory implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String[] BAD_KINDS = {
        "malformed_json", "missing_ticket_id", "wrong_type", "invalid_timestamp", "empty_text", "oversized_text"
    };
    private static final String[] CHANNELS = {"email", "chat", "web", "phone", "social"};
    private static final double[] CHANNEL_CDF = {0.40, 0.70, 0.85, 0.95, 1.0};
    private static final String SEVERE = ".*(stolen|compromised|fraud|declined|failed|not_working|lost|cancel"
            + "|wrong|reverted|pending|terminate|alarm/cancel).*";
    static final int OVERSIZED_CHARS = 25_000;
    /** Share of tickets, beyond those where the customer restates the request, with a customer follow-up. */
    static final double FOLLOW_UP_SHARE = 0.55;

    /** Sink for generated lines, by export partition date. */
    interface LineSink {
        void write(LocalDate dt, String line);
    }

    private final SampleSpec spec;
    private final SampleCorpus corpus;
    private final AgentLabels agentLabels;
    private final Tenant[] tenants;
    private final double[] tenantCdf;
    private final int[] customerPool;
    /** Per language, intent indices ordered by (seeded) popularity. */
    private final int[][] intentOrder;
    private final UtteranceHomes homes;
    private final DriftScenarios scenarios;
    private final KnowledgeBaseFactory kb;
    private final Instant start;
    private final Instant end;

    TicketFactory(SampleSpec spec, SampleCorpus corpus) {
        this.spec = spec;
        this.corpus = corpus;
        this.agentLabels = new AgentLabels(spec, corpus);
        tenants = new Tenant[spec.accounts()];
        double[] weights = new double[spec.accounts()];
        double total = 0;
        for (int a = 0; a < tenants.length; a++) {
            tenants[a] = new Tenant(spec.seed(), a, corpus, spec.days());
            weights[a] = 1.0 / Math.pow(a + 1, 0.7); // a few big tenants, a long tail of small ones
            total += weights[a];
        }
        tenantCdf = new double[tenants.length];
        customerPool = new int[tenants.length];
        double acc = 0;
        for (int a = 0; a < tenants.length; a++) {
            acc += weights[a] / total;
            tenantCdf[a] = acc;
            customerPool[a] = (int) Math.max(5, spec.tickets() * weights[a] / total / 3);
        }
        tenantCdf[tenants.length - 1] = 1.0;
        String[] languages = corpus.languages();
        intentOrder = new int[languages.length][];
        for (int l = 0; l < languages.length; l++) {
            int lang = l;
            int[] heldOutable = IntStream.range(0, corpus.intentCount(l))
                    .filter(i -> corpus.utteranceCount(lang, i) >= UtteranceHomes.MIN_POOL).toArray();
            intentOrder[l] = (heldOutable.length > 0 ? IntStream.of(heldOutable)
                    : IntStream.range(0, corpus.intentCount(l))).boxed()
                    .sorted(Comparator.comparingLong(i -> Mix.hash(spec.seed(), corpus.intent(lang, i))))
                    .mapToInt(Integer::intValue).toArray();
        }
        homes = new UtteranceHomes(corpus, spec.days(), spec.seed());
        scenarios = new DriftScenarios(spec, corpus, tenants, intentOrder);
        kb = new KnowledgeBaseFactory(spec, corpus);
        start = spec.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        end = spec.endDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
    }

    /** Mutable state of one ticket while its timeline is generated. */
    private static final class Ticket {
        String id;
        Tenant tenant;
        int language;
        String intent;
        int intentIndex;
        String channel;
        String priority;
        Instant created;
        String requester;
        String subject;
        String team;
        boolean misrouted;
        double severity;
        boolean vip;
        /** Index of the opening message's corpus sentence in its pool. */
        int sentence;
        Tone tone;
    }

    void generate(long index, LineSink sink, SampleStats stats) {
        SplittableRandom r = Mix.random(spec.seed(), 0x71C, index);
        Ticket t = new Ticket();
        t.id = String.format("T%09d", index + 1);
        t.tenant = tenants[pick(tenantCdf, r.nextDouble())];
        t.language = t.tenant.pickLanguage(r.nextDouble());
        int[] order = intentOrder[t.language];
        t.intentIndex = order[(int) (order.length * Math.pow(r.nextDouble(), 1.6))];
        t.intent = corpus.intent(t.language, t.intentIndex);
        t.severity = (t.intent.matches(SEVERE) ? 0.6 : 0.0) + 0.4 * Mix.unit(Mix.hash(spec.seed(), t.intent));
        t.channel = CHANNELS[pick(CHANNEL_CDF, r.nextDouble())];
        t.priority = priority(r.nextDouble() + 0.25 * t.severity);
        int day = r.nextInt(spec.days());
        int hour = r.nextDouble() < 0.7 ? 8 + r.nextInt(10) : r.nextInt(24);
        t.created = start.plus(Duration.ofDays(day)).plusSeconds(hour * 3600L + r.nextInt(3600));
        int pool = customerPool[t.tenant.index];
        int customer = (int) (pool * Math.pow(r.nextDouble(), 2));
        t.vip = customer < Math.max(1, pool / 20);
        t.requester = String.format("cust-%04d-%06d", t.tenant.index + 1, customer);
        if (scenarios.active()) {
            plant(t, day, index);
        }
        String policy = scenarios.team(t.tenant, t.tenant.policyTeam(t.intent, t.language, t.priority, t.channel,
                day), day);
        t.misrouted = r.nextDouble() < 0.08;
        if (t.misrouted) {
            List<String> teams = t.tenant.allTeams(day);
            t.team = scenarios.team(t.tenant, teams.get(r.nextInt(teams.size())), day);
            t.misrouted = !t.team.equals(policy);
        } else {
            t.team = policy;
        }
        String code = corpus.languages()[t.language];
        Phrases.Lang phrases = Phrases.of(code);
        PhraseBank bank = corpus.phrases();
        SplittableRandom v = Mix.random(spec.seed(), 0x70E, index); // variation and tone: r's draws stay as they were
        boolean mail = "email".equals(t.channel) || "web".equals(t.channel);
        t.subject = mail ? shorten(utterance(t, day, r.nextInt())) : null;

        ArrayNode messages = JSON.createArrayNode();
        t.sentence = homes.sentence(t.language, t.intentIndex, day, r.nextInt());
        String first = TextVariation.opening(corpus.utterance(t.language, t.intentIndex, t.sentence), code,
                t.tenant.product, t.channel, bank, v);
        Instant clock = t.created;
        addMessage(messages, "customer", clock, "email".equals(t.channel) ? asEmail(first, phrases, r) : first);
        clock = clock.plusSeconds(60L * (5 + (long) (lognormal(r, 3.5, 1.0))));
        String reply = phrases.agentReplies()[r.nextInt(phrases.agentReplies().length)];
        addMessage(messages, "agent", clock, reply);
        boolean restates = r.nextDouble() < 0.35;
        long followGap = 0;
        String restated = null;
        if (restates) {
            followGap = 60L * (2 + (long) lognormal(r, 3.0, 1.0));
            restated = utterance(t, day, r.nextInt());
        }

        double hours = handleHours(t, r);
        boolean escalated = r.nextDouble() < 0.03 + 0.12 * ("urgent".equals(t.priority) ? 1 : 0)
                + 0.10 * (t.misrouted ? 1 : 0) + 0.06 * t.severity;
        if (escalated) {
            hours *= 1.5;
        }
        Instant solved = t.created.plusSeconds((long) (hours * 3600));
        boolean reopened = r.nextDouble() < 0.04 + 0.10 * (t.misrouted ? 1 : 0) + 0.04 * t.severity;
        Integer csat = r.nextDouble() < 0.45 ? csat(t, hours, escalated, reopened, r.nextGaussian()) : null;
        t.tone = tone(t, hours, escalated, reopened, csat, v);

        if (restates || v.nextDouble() < FOLLOW_UP_SHARE) {
            clock = clock.plusSeconds(restates ? followGap : 60L * (2 + (long) lognormal(v, 3.0, 1.0)));
            String follow = TextVariation.followUp(bank.tonePhrase(code, t.tone, v.nextInt()), t.tone,
                    t.tone == Tone.POSITIVE ? null : restated, code, t.channel, v);
            if ("email".equals(t.channel)) {
                follow = follow + "\n\nOn " + clock.minusSeconds(600) + ", Support <support@"
                        + t.tenant.accountId + ".example> " + phrases.wrote() + "\n> " + reply;
            }
            addMessage(messages, "customer", clock, follow);
        }

        Instant reopenAt = solved.plusSeconds(3600L * (6 + r.nextInt(96)));
        if (reopened && reopenAt.isBefore(end)) {
            // First version: solved, exported; later the customer writes again and the ticket is exported again.
            ObjectNode v1 = ticket(t, resolved(t, messages.deepCopy(), solved), solved, solved, false, escalated,
                    null);
            emit(sink, v1, solved, stats);
            stats.supersededVersions++;
            String again = TextVariation.typed(utterance(t, day, r.nextInt()), code, t.channel, v);
            addMessage(messages, "customer", reopenAt, t.tone == Tone.POSITIVE ? again
                    : TextVariation.followUp(bank.tonePhrase(code, t.tone, v.nextInt()), t.tone, again, code,
                            t.channel, v));
            Instant solved2 = reopenAt.plusSeconds((long) (handleHours(t, r) * 3600));
            finish(sink, t, messages, solved2, true, escalated, csat, r, stats);
        } else {
            finish(sink, t, messages, solved, false, escalated, reopened ? null : csat, r, stats);
        }
        stats.tickets++;
    }

    /** The drift scenarios' changes to language and intent, from a random stream of their own. */
    private void plant(Ticket t, int day, long index) {
        SplittableRandom s = Mix.random(spec.seed(), 0xD21F7, index);
        int language = scenarios.language(t.language, day, s);
        if (language != t.language) {
            t.language = language;
            int[] order = intentOrder[language];
            t.intentIndex = order[(int) (order.length * Math.pow(s.nextDouble(), 1.6))];
        }
        t.intentIndex = scenarios.intent(t.language, t.intentIndex, day, s);
        t.intent = corpus.intent(t.language, t.intentIndex);
        t.severity = (t.intent.matches(SEVERE) ? 0.6 : 0.0) + 0.4 * Mix.unit(Mix.hash(spec.seed(), t.intent));
    }

    /** @return what the drift scenarios planted (run record) */
    java.util.Map<String, Object> scenarioFacts() {
        return scenarios.facts();
    }

    /** A corpus sentence of the ticket's intent at home on its creation day. */
    private String utterance(Ticket t, int day, int pick) {
        return corpus.utterance(t.language, t.intentIndex, homes.sentence(t.language, t.intentIndex, day, pick));
    }

    /**
     * The customer's tone: with probability {@link SampleSpec#toneStrength()} the one the outcome implies (the CSAT
     * given, or for unrated tickets the one the customer would have given), otherwise any tone.
     */
    private Tone tone(Ticket t, double hours, boolean escalated, boolean reopened, Integer csat,
            SplittableRandom v) {
        int felt = csat != null ? csat : csat(t, hours, escalated, reopened, v.nextGaussian());
        Tone outcome = Tone.ofOutcome(felt, escalated, reopened);
        return v.nextDouble() < spec.toneStrength() ? outcome : Tone.values()[v.nextInt(Tone.values().length)];
    }

    private void finish(LineSink sink, Ticket t, ArrayNode messages, Instant solved, boolean reopened,
            boolean escalated, Integer csat, SplittableRandom r, SampleStats stats) {
        Instant updated;
        Instant solvedAt;
        if (solved.isAfter(end)) { // still open when the export was taken
            solvedAt = null;
            updated = lastMessageTime(messages).isAfter(end) ? end : lastMessageTime(messages);
            trimAfter(messages, end);
            csat = null;
        } else {
            solvedAt = solved;
            updated = solved;
            resolved(t, messages, solved);
        }
        ObjectNode version = ticket(t, messages, updated, solvedAt, reopened, escalated, csat);
        String line = emit(sink, version, updated, stats);
        LocalDate dt = dt(updated);
        if (r.nextDouble() < spec.duplicateShare()) {
            sink.write(dt, line);
            stats.lines++;
            stats.duplicateLines++;
        }
        if (r.nextDouble() < spec.badRecordShare()) {
            String kind = BAD_KINDS[r.nextInt(BAD_KINDS.length)];
            sink.write(dt, corrupt(kind, version, line, r));
            stats.lines++;
            stats.bad(kind);
        }
    }

    /** Adds the agent's resolving reply (intent-dependent, citing the current help article) at the solve time. */
    private ArrayNode resolved(Ticket t, ArrayNode messages, Instant solved) {
        addMessage(messages, "agent", solved, kb.resolvingReply(t.tenant, t.intent, corpus.languages()[t.language],
                solved, (int) Mix.hash(spec.seed(), t.id, 0x2E5)));
        return messages;
    }

    private String emit(LineSink sink, ObjectNode version, Instant updated, SampleStats stats) {
        String line = version.toString();
        sink.write(dt(updated), line);
        stats.lines++;
        return line;
    }

    private ObjectNode ticket(Ticket t, ArrayNode messages, Instant updated, Instant solved, boolean reopened,
            boolean escalated, Integer csat) {
        ObjectNode n = JSON.createObjectNode();
        n.put(RawInteraction.TICKET_ID, t.id);
        n.put(RawInteraction.ACCOUNT_ID, t.tenant.accountId);
        n.put(RawInteraction.REQUESTER_ID, t.requester);
        n.put(RawInteraction.CHANNEL, t.channel);
        n.put(RawInteraction.PRIORITY, t.priority);
        n.put(RawInteraction.CREATED_AT, t.created.toString());
        n.put(RawInteraction.UPDATED_AT, updated.toString());
        if (solved == null) {
            n.putNull(RawInteraction.SOLVED_AT);
        } else {
            n.put(RawInteraction.SOLVED_AT, solved.toString());
        }
        if (t.subject != null) {
            n.put(RawInteraction.SUBJECT, t.subject);
        }
        n.set(RawInteraction.MESSAGES, messages);
        ArrayNode tags = n.putArray(RawInteraction.TAGS);
        tags.add(t.channel);
        if (t.vip) {
            tags.add("vip");
        }
        if (escalated) {
            tags.add("escalated");
        }
        n.put(RawInteraction.ASSIGNED_GROUP, t.team);
        if (csat == null) {
            n.putNull(RawInteraction.CSAT);
        } else {
            n.put(RawInteraction.CSAT, csat);
        }
        n.put(RawInteraction.REOPENED, reopened);
        n.put(RawInteraction.ESCALATED, escalated);
        String reason = agentLabels.value(t.id, t.language, t.intentIndex, t.created, corpus);
        if (reason != null) {
            n.putObject(RawInteraction.CUSTOM_FIELDS).put(agentLabels.field(), reason);
        }
        ObjectNode truth = n.putObject(RawInteraction.TRUTH);
        truth.put(RawInteraction.TRUTH_INTENT, t.intent);
        truth.put(RawInteraction.TRUTH_LANGUAGE, corpus.languages()[t.language]);
        truth.put(RawInteraction.TRUTH_TONE, t.tone.label());
        truth.put(RawInteraction.TRUTH_SENTENCE, corpus.languages()[t.language] + "/" + t.intent + "/" + t.sentence);
        return n;
    }

    private static String corrupt(String kind, ObjectNode version, String line, SplittableRandom r) {
        ObjectNode bad = version.deepCopy();
        switch (kind) {
            case "malformed_json":
                return line.substring(0, Math.max(1, line.length() / 2));
            case "missing_ticket_id":
                bad.remove(RawInteraction.TICKET_ID);
                break;
            case "wrong_type":
                if (r.nextBoolean()) {
                    bad.put(RawInteraction.TICKET_ID, Long.parseLong(bad.get(RawInteraction.TICKET_ID).asText()
                            .substring(1)));
                } else {
                    bad.put(RawInteraction.CSAT, "five");
                }
                break;
            case "invalid_timestamp":
                bad.put(RawInteraction.CREATED_AT, r.nextBoolean() ? "2026-02-30T25:61:00Z" : "yesterday");
                break;
            case "empty_text":
                bad.remove(RawInteraction.SUBJECT);
                for (var m : bad.withArray(RawInteraction.MESSAGES)) {
                    ((ObjectNode) m).put(RawInteraction.MESSAGE_BODY, "  \n ");
                }
                break;
            case "oversized_text":
                ObjectNode m = (ObjectNode) bad.withArray(RawInteraction.MESSAGES).get(0);
                String body = m.get(RawInteraction.MESSAGE_BODY).asText() + " ";
                m.put(RawInteraction.MESSAGE_BODY, body.repeat(OVERSIZED_CHARS / body.length() + 1));
                break;
            default:
                throw new IllegalArgumentException("Unknown bad-record kind " + kind);
        }
        return bad.toString();
    }

    private double handleHours(Ticket t, SplittableRandom r) {
        double median = switch (t.priority) {
            case "urgent" -> 2;
            case "high" -> 6;
            case "low" -> 30;
            default -> 16;
        };
        double intentFactor = 0.6 + Mix.unit(Mix.hash(spec.seed(), t.intent, 7)) * 1.0;
        return Math.max(0.05, median * intentFactor * (t.misrouted ? 1.8 : 1.0) * Math.exp(0.6 * r.nextGaussian()));
    }

    private int csat(Ticket t, double hours, boolean escalated, boolean reopened, double gaussian) {
        double score = 4.5 - 1.0 * t.severity - (t.misrouted ? 0.9 : 0) - 0.25 * (Math.log1p(hours / 4) / Math.log(2))
                - (escalated ? 0.6 : 0) - (reopened ? 0.8 : 0) + 0.7 * gaussian;
        return (int) Math.max(1, Math.min(5, Math.round(score)));
    }

    private static String priority(double u) {
        return u < 0.15 ? "low" : u < 0.70 ? "normal" : u < 0.92 ? "high" : "urgent";
    }

    private static String asEmail(String text, Phrases.Lang p, SplittableRandom r) {
        String greeting = p.greetings()[r.nextInt(p.greetings().length)];
        String name = Phrases.name(r.nextInt());
        String signature = switch (r.nextInt(3)) {
            case 0 -> p.signOffs()[r.nextInt(p.signOffs().length)] + "\n" + name;
            case 1 -> "-- \n" + name + "\n+1 555 0100";
            default -> "Sent from my iPhone";
        };
        return greeting + "\n\n" + text + "\n\n" + signature;
    }

    private static String shorten(String utterance) {
        String[] words = utterance.split("\\s+");
        if (words.length > 1) {
            return String.join(" ", Arrays.copyOf(words, Math.min(words.length, 7)));
        }
        return utterance.length() > 14 ? utterance.substring(0, 14) : utterance;
    }

    private static void addMessage(ArrayNode messages, String author, Instant at, String body) {
        ObjectNode m = messages.addObject();
        m.put(RawInteraction.MESSAGE_AUTHOR, author);
        m.put(RawInteraction.MESSAGE_SENT_AT, at.toString());
        m.put(RawInteraction.MESSAGE_BODY, body);
    }

    private static Instant lastMessageTime(ArrayNode messages) {
        return Instant.parse(messages.get(messages.size() - 1).get(RawInteraction.MESSAGE_SENT_AT).asText());
    }

    private static void trimAfter(ArrayNode messages, Instant end) {
        for (int i = messages.size() - 1; i > 0; i--) {
            if (Instant.parse(messages.get(i).get(RawInteraction.MESSAGE_SENT_AT).asText()).isAfter(end)) {
                messages.remove(i);
            }
        }
    }

    private static double lognormal(SplittableRandom r, double mu, double sigma) {
        return Math.exp(mu + sigma * r.nextGaussian());
    }

    private static int pick(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i + 1 : -i - 1);
    }

    private static LocalDate dt(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
