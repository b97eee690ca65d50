/**
 * The SMTP listeners as an operator sees them: what each one serves, whether it is bound, and
 * what it has done so far ({@code mailslot:listeners}).
 */
@Export
@Version("1.1.1")
package org.mailslot.api.listener;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
