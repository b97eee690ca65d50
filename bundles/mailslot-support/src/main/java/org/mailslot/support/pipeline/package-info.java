/** The rule for naming required pipeline stages, shared by the spool and retrieval. Copied privately into each user by bnd. */
package org.mailslot.support.pipeline;
