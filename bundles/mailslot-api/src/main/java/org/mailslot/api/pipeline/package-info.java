/**
 * The outbound pipeline: services that see, transform or hold back every message before it is
 * delivered (encryption and signing by policy, DKIM, disclaimers, ...).
 */
@Export
@Version("1.4.0")
package org.mailslot.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
