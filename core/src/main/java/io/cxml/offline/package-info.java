/**
 * Offline by default: the settings that keep cxml's libraries from contacting anything but the endpoints the user
 * configured (telemetry, cloud metadata probes). docs/offline.md lists every client and what it reaches.
 */
package io.cxml.offline;
