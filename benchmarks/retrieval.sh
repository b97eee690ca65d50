#!/usr/bin/env bash
# Messages per second retrieved over IMAPS from a private Dovecot on 127.0.0.3:993 (10,000 messages of
# 4 KB by default): Mailslot's retrieval account (fetched, each message fsync'd into the local Maildir
# and recorded, then handed to a counting handler) against fetchmail from Debian on the same mailbox in
# the same run. Prints a markdown table. Needs root (Dovecot), Debian's dovecot-imapd and fetchmail,
# and the other Mailslot modules in ~/.m2; the classes of this checkout's mailslot-retrieval,
# mailslot-api and mailslot-test-peers come first when they are compiled (mvn -o compile), so the
# checkout's code is what is measured. Wrap it in flock /tmp/mailslot-peers.lock when other Dovecot
# users share the machine.
#
# Usage: benchmarks/retrieval.sh [--messages N] [--size BYTES] [--reps N] [--batch N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
classes=""
for module in bundles/mailslot-retrieval bundles/mailslot-api itests/mailslot-test-peers; do
    if [ -d "$here/../$module/target/classes" ]; then
        classes="$classes$here/../$module/target/classes:"
    fi
done
echo "class path first: ${classes:-(nothing compiled in this checkout: the ~/.m2 jars)}"
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$classes$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.benchmarks.RetrievalBenchmark "$@"
