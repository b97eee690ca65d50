/** Helpers for components configured through Config Admin. */
@Export
@Version("1.0.1")
package org.mailslot.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
