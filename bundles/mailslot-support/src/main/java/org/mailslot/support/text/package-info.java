/** Text for operators: how an exception reads in a status line or a log. Copied privately into each user by bnd. */
package org.mailslot.support.text;
