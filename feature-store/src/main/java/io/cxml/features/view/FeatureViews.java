package io.cxml.features.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog of feature views defined in code, in a stable order. */
public final class FeatureViews {
    private final Map<String, FeatureView> views = new LinkedHashMap<>();

    private FeatureViews(List<FeatureView> list) {
        for (FeatureView v : list) {
            if (views.put(v.definition().name(), v) != null) {
                throw new IllegalArgumentException("Cannot list feature views: two views are named "
                        + v.definition().name() + ". Rename one");
            }
        }
    }

    /**
     * @param options settings of the built-in views
     * @return the built-in views: {@code ticket_text}, {@code customer_history}, {@code account_context}
     */
    public static FeatureViews builtIn(FeatureOptions options) {
        return of(List.of(new TicketTextView(options), new CustomerHistoryView(options),
                new AccountContextView(options)));
    }

    /**
     * @param views views
     * @return a catalog of these views
     */
    public static FeatureViews of(List<FeatureView> views) {
        return new FeatureViews(views);
    }

    /** @return every view, in catalog order */
    public List<FeatureView> all() {
        return List.copyOf(views.values());
    }

    /** @return the view names, in catalog order */
    public List<String> names() {
        return List.copyOf(views.keySet());
    }

    /**
     * @param name a view name
     * @return the view
     */
    public FeatureView get(String name) {
        FeatureView v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Cannot find feature view '" + name + "': known views are "
                    + views.keySet() + ". Check the name (bin/cxml features list)");
        }
        return v;
    }

    /**
     * @param names view names, or an empty list for all
     * @return the views, in the order given
     */
    public List<FeatureView> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return all();
        }
        List<FeatureView> out = new ArrayList<>();
        for (String n : names) {
            out.add(get(n.trim()));
        }
        return out;
    }
}
