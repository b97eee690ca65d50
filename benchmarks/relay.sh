#!/usr/bin/env bash
# Messages per second relayed to Postfix's smtp-sink on loopback: Mailslot's MailTransport, a
# private Postfix with relayhost = the sink (fed by smtp-source), and smtp-source straight into the
# sink (its ceiling); 1 KB and 100 KB messages, 1 and 8 connections. Prints a markdown table.
# Needs root (Postfix runs as root with a private configuration), Debian's postfix package, and the
# other Mailslot modules installed in ~/.m2. Peers listen on 127.0.0.20:20026 (sink) and
# 127.0.0.21:20025 (Postfix) and are stopped at the end.
#
# Usage: benchmarks/relay.sh [--small N] [--large N] [--reps N] [--only mailslot|mailslot-dkim|postfix|sink]... [--dkim rsa|ed25519|dual]
#                            [--conns 1,8] [--sizes 1024,102400]
# JAVA_OPTS is passed to the JVM, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=relay.jfr".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
# Warnings only: a log line per message would be measured too.
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.benchmarks.RelayBenchmark "$@"
