/** The end-to-end pipeline command. */
package io.cxml.jobs.pipeline;
