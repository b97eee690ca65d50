#!/usr/bin/env bash
# MX delivery with tls.security.level = dane against may, to a private Postfix as the MX host of a
# DNSSEC-signed domain: knot (127.0.0.41:15354) signs dane.test, unbound (127.0.0.42:15355) validates
# it, Postfix listens on 127.0.0.2:25 with STARTTLS. Prints a markdown table of messages per second.
# Needs root and Debian's postfix, knot, knot-dnsutils and unbound; the other modules in ~/.m2.
#
# Usage: benchmarks/dane.sh [--count N] [--reps N] [--threads 1,4]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.benchmarks.DaneBenchmark "$@"
