package io.cxml.assist;

import java.io.Serializable;
import java.util.Comparator;

/**
 * The order rows reach a search task in: by tenant, then candidate tickets, article chunks and queries (so a
 * tenant's candidates are all read before its first query), each by time and id. Candidates by solve time means the
 * tickets solved before a query are a prefix.
 *
 * @param tenant the tenant
 * @param role {@link #TICKET}, {@link #ARTICLE} or {@link #QUERY}
 * @param time solve time, version start or creation time (microseconds)
 * @param id the row's id (ticket, or article + chunk)
 */
public record SearchKey(String tenant, int role, long time, String id) implements Serializable, Comparable<SearchKey> {
    /** A solved ticket, candidate neighbour. */
    public static final int TICKET = 0;
    /** An article chunk of a published version. */
    public static final int ARTICLE = 1;
    /** A ticket to find suggestions for. */
    public static final int QUERY = 2;
    private static final Comparator<SearchKey> ORDER = Comparator.comparing(SearchKey::tenant)
            .thenComparingInt(SearchKey::role).thenComparingLong(SearchKey::time).thenComparing(SearchKey::id);

    @Override
    public int compareTo(SearchKey o) {
        return ORDER.compare(this, o);
    }
}
