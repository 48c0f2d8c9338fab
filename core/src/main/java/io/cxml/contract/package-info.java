/** Data contracts: field names and Spark schemas of every dataset cxml reads or writes. */
package io.cxml.contract;
