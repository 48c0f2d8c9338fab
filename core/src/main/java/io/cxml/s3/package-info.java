/**
 * S3 through Hadoop's S3A connector: typed settings applied to a Hadoop or Spark configuration (endpoint, region,
 * path-style access, credential providers, the S3A magic committer) and failure messages that say what to fix.
 * Credentials come from the standard AWS provider chain or from explicitly given keys; they are never logged.
 */
package io.cxml.s3;
