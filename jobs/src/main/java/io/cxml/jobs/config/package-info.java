/** Configuration: HOCON layers, command-line overrides, validation and redaction. */
package io.cxml.jobs.config;
