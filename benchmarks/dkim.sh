#!/usr/bin/env bash
# DKIM signing and verification, messages/s on one core: Mailslot's dkim-sign stage and verifier
# (in process, warmed up, keys cached as the verifier caches DNS) against python3-dkim's sign and
# verify (in process, same messages and keys), 1 KB and 100 KB, RSA 2048, Ed25519 and dual.
# Prints a markdown table. Needs Debian's python3-dkim, python3-nacl and openssl, and the other
# Mailslot modules installed in ~/.m2. No network, no ports.
#
# Usage: benchmarks/dkim.sh [--seconds N] [--python-count N]
# JAVA_OPTS is passed to the JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.dkim.internal.DkimBenchmark "$@"
