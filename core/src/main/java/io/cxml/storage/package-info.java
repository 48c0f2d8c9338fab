/** The storage layout: one place that maps datasets to paths under the storage root (local or S3A). */
package io.cxml.storage;
