package io.cxml.assist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The k best hits seen so far: highest score first, ties by smaller id, so the result is the same in any order. */
final class TopK {
    /** One hit: score, id and (articles) version start in microseconds, else {@link Long#MIN_VALUE}. */
    record Hit(float score, String id, long version) {}

    static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble((Hit h) -> -h.score())
            .thenComparing(Hit::id);
    private final int k;
    private final PriorityQueue<Hit> worstFirst = new PriorityQueue<>(BEST_FIRST.reversed());

    TopK(int k) {
        this.k = k;
    }

    void offer(float score, String id, long version) {
        Hit h = new Hit(score, id, version);
        if (worstFirst.size() < k) {
            worstFirst.add(h);
        } else if (BEST_FIRST.compare(h, worstFirst.peek()) < 0) {
            worstFirst.poll();
            worstFirst.add(h);
        }
    }

    List<Hit> sorted() {
        List<Hit> out = new ArrayList<>(worstFirst);
        out.sort(BEST_FIRST);
        return out;
    }
}
