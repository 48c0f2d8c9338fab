/**
 * Feature views computed with a model of this module, registered beside the feature store's built-in views by the
 * jobs: {@code ticket_embedding}, the base encoder's sentence embedding of each ticket.
 */
package io.cxml.runtime.views;
