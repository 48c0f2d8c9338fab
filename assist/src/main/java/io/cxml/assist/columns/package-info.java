/** The column contract shared by agent assist's search, re-ranking, publishing and evaluation. */
package io.cxml.assist.columns;
