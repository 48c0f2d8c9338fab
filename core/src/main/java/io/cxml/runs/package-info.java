/** Run records: what each job run read, wrote, rejected and how long it took. */
package io.cxml.runs;
