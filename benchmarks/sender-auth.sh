#!/usr/bin/env bash
# Sender checks of received mail, messages/s on one core: SPF (MAIL FROM and HELO), DKIM (RSA 2048,
# Ed25519, both), DMARC and the Authentication-Results field of a 1 KB message, in process, one thread,
# DNS answers cached. Prints a markdown table. Needs Debian's publicsuffix and the other Mailslot
# modules installed in ~/.m2. No network, no ports.
#
# Usage: benchmarks/sender-auth.sh [--seconds N]
# JAVA_OPTS is passed to the JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.auth.internal.SenderAuthBenchmark "$@"
