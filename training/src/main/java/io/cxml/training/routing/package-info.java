/**
 * Per-tenant routing: one small DJL model per tenant (the best team for a ticket, among the tenant's current teams),
 * trained thousands at a time inside Spark tasks, plus a global fallback; stored as a few packed artifacts and an
 * index per registry version; evaluated per tenant and language against two baselines; gated on per-tenant
 * regressions; scored on the executors.
 */
package io.cxml.training.routing;
