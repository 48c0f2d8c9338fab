package io.cxml.experiments;

import io.cxml.contract.CuratedInteractions;
import java.util.Locale;

/** What is randomised: every ticket of one unit lands in the same arm. */
public enum ExperimentUnit {
    /** Each ticket on its own. */
    TICKET(CuratedInteractions.TICKET_ID),
    /** The end customer who opened the ticket (tickets without a requester stay out of the experiment). */
    REQUESTER(CuratedInteractions.REQUESTER_ID),
    /** The tenant (customer account). */
    ACCOUNT(CuratedInteractions.ACCOUNT_ID);

    private final String column;

    ExperimentUnit(String column) {
        this.column = column;
    }

    /** @return the curated column that identifies the unit */
    public String column() {
        return column;
    }

    /** @return whether several tickets share a unit, so intervals must be cluster-robust (computed per unit) */
    public boolean clustered() {
        return this != TICKET;
    }

    /**
     * @param value ticket, requester or account
     * @return the unit
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ExperimentUnit parse(String value) {
        for (ExperimentUnit u : values()) {
            if (u.name().toLowerCase(Locale.ROOT).equals(value)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unit '" + value + "' is not one of ticket, requester, account");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
