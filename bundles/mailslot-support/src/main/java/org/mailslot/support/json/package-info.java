/** JSON for scripts and pages: one small writer, so every bundle escapes alike. Copied privately into each user by bnd. */
package org.mailslot.support.json;
