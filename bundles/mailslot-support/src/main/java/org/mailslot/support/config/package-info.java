/** How configuration values are written: lists and durations, read alike by every PID. Copied privately into each user by bnd. */
package org.mailslot.support.config;
