#!/usr/bin/env bash
# OpenPGP throughput: Mailslot's mailslot-openpgp (in process, warmed up) against gpg
# (--compress-algo none, one process per message) and sqop (one process per message), on the
# same inputs in the same run: encrypt-and-sign and decrypt-and-verify, MB/s on 10 MiB and
# messages/s at 4 KiB, all ASCII armored. Prints a markdown table with the ratios.
# Needs Debian's gnupg and sqop, and the other Mailslot modules installed in ~/.m2. Uses a private
# GNUPGHOME in a temporary directory and stops its gpg-agent at the end. No network, no ports.
#
# Usage: benchmarks/crypto-openpgp.sh [--runs N] [--small N] [--large-mib N]
# JAVA_OPTS is passed to the JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jar.sh"
benchmarks_jar "$here"
exec java -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" org.mailslot.benchmarks.OpenPgpBenchmark "$@"
