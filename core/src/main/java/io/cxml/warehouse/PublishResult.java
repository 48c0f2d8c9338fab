package io.cxml.warehouse;

/**
 * What a publish did. Re-publishing the same data gives {@code inserted = updated = 0}.
 *
 * @param table the target table, qualified
 * @param rows rows in the published DataFrame
 * @param inserted rows whose key was new
 * @param updated rows whose key existed with different values
 * @param unchanged rows whose key existed with the same values
 * @param createdTable whether the target table was created
 * @param addedColumns how many columns were added to an existing target
 * @param millis wall time
 */
public record PublishResult(String table, long rows, long inserted, long updated, long unchanged,
        boolean createdTable, int addedColumns, long millis) {}
