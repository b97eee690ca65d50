#!/usr/bin/env bash
# S/MIME throughput: Mailslot's S/MIME component vs `openssl cms` on the same inputs and keys, in the
# same run: encrypt-and-sign and decrypt-and-verify of a 10 MB message (MB/s, median of --large-reps)
# and of 4 KB messages (messages/s). Prints a markdown table with the ratios.
# Needs Debian's openssl and the other Mailslot modules installed in ~/.m2 (mvn -o install).
#
# Usage: benchmarks/crypto-smime.sh [--large-reps N] [--small N] [--openssl-small N] [--large-size BYTES]
# JAVA_OPTS is passed to the JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
exec java -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.benchmarks.SmimeBenchmark "$@"
