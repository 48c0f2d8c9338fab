/** {@code cxml monitor drift|quality}: watching the scored tickets (docs/operations.md). */
package io.cxml.jobs.monitor;
