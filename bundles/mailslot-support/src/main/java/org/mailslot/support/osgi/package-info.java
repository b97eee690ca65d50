/**
 * Rules for living in the OSGi framework that several bundles share. Copied privately into each user by bnd.
 */
package org.mailslot.support.osgi;
