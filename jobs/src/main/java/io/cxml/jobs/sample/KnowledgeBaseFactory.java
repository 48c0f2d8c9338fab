package io.cxml.jobs.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The help-centre articles of each sample tenant and the resolving reply an agent writes when a ticket is solved.
 * Per tenant and intent (of the tenant's languages): no article for about a fifth of the intents; otherwise one in
 * the tenant's primary language, often one in each secondary language and sometimes an English one. An article's
 * title and body are real corpus sentences of its intent in its locale (the customer's words: what the article
 * answers) and a resolution step. Some articles are rewritten part-way through the history (the first version is
 * outdated), some are archived (and some of those replaced by a new article). Each version is one export line
 * ({@code raw/kb/dt=<day of updated_at>}); the intent stays in {@code _truth} for measurement only.
 *
 * <p>Pure function of (spec, tenant): the ticket generator asks the same plan which article is current when it writes
 * a ticket's resolving reply, so replies point at the articles the export holds.
 */
final class KnowledgeBaseFactory implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Share of a tenant's intents without any article. */
    static final double NO_ARTICLE_SHARE = 0.2;
    static final double SECONDARY_LOCALE_SHARE = 0.5;
    static final double ENGLISH_FALLBACK_SHARE = 0.3;
    static final double OUTDATED_SHARE = 0.25;
    static final double ARCHIVED_SHARE = 0.12;
    /** Of the archived articles, the share replaced by a new article on the same day. */
    static final double REPLACED_SHARE = 0.5;
    private static final int SENTENCES = 4;
    private static final String[] STEPS = {
        "Open the app, go to Settings and follow the steps for %s.",
        "Our team resolves %s within one business day once the form in Help is sent.",
        "Check the status of %s under Account > Activity; most cases resolve there.",
        "Sign out and in again, then retry %s; if it still fails, reply with a screenshot.",
        "We have corrected %s on our side; no action is needed from you."
    };
    private static final Map<String, String> RESOLVED = Map.of(
            "en", "Good news: this is resolved.", "de", "Gute Nachrichten: das ist erledigt.",
            "it", "Buone notizie: risolto.", "nl", "Goed nieuws: dit is opgelost.", "da", "Godt nyt: det er løst.",
            "tr", "Sorun çözüldü.", "id", "Kabar baik: masalah ini sudah selesai.", "ja", "解決しました。",
            "zh", "好消息：问题已解决。", "ar", "تم حل المشكلة.");

    /** One version of an article. */
    record Version(Instant updatedAt, String title, String body, boolean archived) implements Serializable {}

    /** An article: its id, intent, locale and versions in time order. */
    record Article(String id, String intent, String locale, List<Version> versions) implements Serializable {
        /** @return the version current at a time, or null (not yet written, or archived then) */
        Version at(Instant time) {
            Version current = null;
            for (Version v : versions) {
                if (!v.updatedAt().isAfter(time)) {
                    current = v;
                }
            }
            return current == null || current.archived() ? null : current;
        }
    }

    private final SampleSpec spec;
    private final SampleCorpus corpus;
    private final Instant start;
    private final Map<Integer, List<Article>> plans = new TreeMap<>();

    KnowledgeBaseFactory(SampleSpec spec, SampleCorpus corpus) {
        this.spec = spec;
        this.corpus = corpus;
        this.start = spec.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** @return the tenant's articles, in a stable order */
    synchronized List<Article> articles(Tenant tenant) {
        return plans.computeIfAbsent(tenant.index, i -> plan(tenant));
    }

    private List<Article> plan(Tenant tenant) {
        Map<String, Map<Integer, Integer>> intents = new TreeMap<>(); // intent -> language -> intent index
        for (int l : tenant.languages) {
            for (int i = 0; i < corpus.intentCount(l); i++) {
                intents.computeIfAbsent(corpus.intent(l, i), k -> new LinkedHashMap<>()).put(l, i);
            }
        }
        int en = corpus.languageIndex("en");
        List<Article> out = new ArrayList<>();
        int next = 1;
        for (Map.Entry<String, Map<Integer, Integer>> e : intents.entrySet()) {
            String intent = e.getKey();
            SplittableRandom r = Mix.random(spec.seed(), 0xCB, tenant.index, intent.hashCode());
            if (r.nextDouble() < NO_ARTICLE_SHARE) {
                continue;
            }
            List<Integer> locales = new ArrayList<>();
            for (int i = 0; i < tenant.languages.length; i++) {
                int l = tenant.languages[i];
                if (e.getValue().containsKey(l) && (i == 0 || r.nextDouble() < SECONDARY_LOCALE_SHARE)) {
                    locales.add(l);
                }
            }
            if (en >= 0 && !locales.contains(en) && r.nextDouble() < ENGLISH_FALLBACK_SHARE) {
                for (int i = 0; i < corpus.intentCount(en); i++) {
                    if (corpus.intent(en, i).equals(intent)) {
                        e.getValue().put(en, i);
                        locales.add(en);
                    }
                }
            }
            for (int l : locales) {
                String id = String.format("kb-%s-%04d", tenant.accountId.substring(5), next++);
                List<Version> versions = versions(l, e.getValue().get(l), intent, r);
                out.add(new Article(id, intent, corpus.languages()[l], versions));
                Version last = versions.get(versions.size() - 1);
                if (last.archived() && r.nextDouble() < REPLACED_SHARE) {
                    String replacement = String.format("kb-%s-%04d", tenant.accountId.substring(5), next++);
                    out.add(new Article(replacement, intent, corpus.languages()[l], List.of(
                            version(last.updatedAt(), l, e.getValue().get(l), intent, r, false))));
                }
            }
        }
        return out;
    }

    private List<Version> versions(int language, int intentIndex, String intent, SplittableRandom r) {
        List<Version> versions = new ArrayList<>();
        versions.add(version(start, language, intentIndex, intent, r, false));
        int days = spec.days();
        if (days > 2 && r.nextDouble() < OUTDATED_SHARE) {
            versions.add(version(at(1 + r.nextInt(days - 1), r), language, intentIndex, intent, r, false));
        }
        if (days > 2 && r.nextDouble() < ARCHIVED_SHARE) {
            Instant previous = versions.get(versions.size() - 1).updatedAt();
            Instant archived = at(1 + r.nextInt(days - 1), r);
            if (archived.isAfter(previous)) {
                Version last = versions.get(versions.size() - 1);
                versions.add(new Version(archived, last.title(), last.body(), true));
            }
        }
        return versions;
    }

    private Instant at(int day, SplittableRandom r) {
        return start.plus(Duration.ofDays(day)).plusSeconds(r.nextInt(86_400));
    }

    private Version version(Instant at, int language, int intentIndex, String intent, SplittableRandom r,
            boolean archived) {
        String title = corpus.utterance(language, intentIndex, r.nextInt(Integer.MAX_VALUE));
        StringBuilder body = new StringBuilder();
        for (int s = 0; s < SENTENCES; s++) {
            body.append(corpus.utterance(language, intentIndex, r.nextInt(Integer.MAX_VALUE))).append(' ');
        }
        body.append(step(intent, r.nextInt(STEPS.length)));
        return new Version(at, title, body.toString().trim(), archived);
    }

    private static String step(String intent, int pick) {
        return String.format(STEPS[pick], intent.replace('_', ' ').replace('/', ' '));
    }

    /**
     * The agent's last message on a solved ticket: a resolution in the ticket's language that depends on its intent,
     * citing the tenant's article current at the solve time (in the ticket's locale, else English), when one exists.
     *
     * @param tenant the ticket's tenant
     * @param intent its true intent
     * @param language its language code
     * @param solved when it was solved
     * @param pick a random draw
     * @return the reply text
     */
    String resolvingReply(Tenant tenant, String intent, String language, Instant solved, int pick) {
        Article cited = null;
        for (String locale : List.of(language, "en")) {
            for (Article a : articles(tenant)) {
                if (cited == null && a.intent().equals(intent) && a.locale().equals(locale) && a.at(solved) != null) {
                    cited = a;
                }
            }
        }
        String reply = RESOLVED.getOrDefault(language, RESOLVED.get("en")) + " " + step(intent,
                Math.floorMod(pick, STEPS.length));
        return cited == null ? reply : reply + " See help article " + cited.id() + ": " + cited.at(solved).title();
    }

    /**
     * @param tenant a tenant
     * @param sink where each version's line goes, by its export day
     * @return lines written
     */
    int write(Tenant tenant, TicketFactory.LineSink sink) {
        int lines = 0;
        for (Article a : articles(tenant)) {
            SplittableRandom bad = Mix.random(spec.seed(), 0xBAD, tenant.index, a.id().hashCode());
            for (Version v : a.versions()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("article_id", a.id());
                n.put("account_id", tenant.accountId);
                n.put("locale", a.locale());
                n.put("title", v.title());
                n.put("body", v.body());
                n.put("updated_at", v.updatedAt().toString());
                n.put("archived", v.archived());
                n.putObject("_truth").put("intent", a.intent());
                sink.write(v.updatedAt().atZone(ZoneOffset.UTC).toLocalDate(), n.toString());
                lines++;
                if (bad.nextDouble() < spec.badRecordShare()) { // a broken copy, for the ingest's quarantine
                    ObjectNode broken = n.deepCopy();
                    if (bad.nextBoolean()) {
                        broken.remove("locale");
                    } else {
                        broken.put("updated_at", "yesterday");
                    }
                    sink.write(v.updatedAt().atZone(ZoneOffset.UTC).toLocalDate(), broken.toString());
                    lines++;
                }
            }
        }
        return lines;
    }
}
