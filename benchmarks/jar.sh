# Sourced by the benchmark scripts. Builds the benchmarks jar (offline) when it is missing or older than
# the module's sources; MAVEN_REPO_LOCAL names a local repository other than ~/.m2/repository.
benchmarks_jar() {
    local module=$1
    if [ ! -f "$module/target/mailslot-benchmarks.jar" ] \
            || [ -n "$(find "$module/src" "$module/pom.xml" -newer "$module/target/mailslot-benchmarks.jar" -print -quit)" ]; then
        mvn -B -q -o ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL} -f "$module/pom.xml" package
    fi
}
