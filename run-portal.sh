#!/usr/bin/env bash
# Starts DS01 Portal on this machine: builds it when the sources are newer than the package, then runs it.
# Without DS01_DB_URL the portal starts its built-in PostgreSQL with data under DS01_DATA_DIR (./data).
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need java || ! need mvn; then
    if [ "$(id -u)" -eq 0 ] && need apt-get; then
        echo "run-portal: installing Java 17 and Maven (Debian packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven
    else
        echo "run-portal: Java 17 and Maven are needed (apt-get install openjdk-17-jdk-headless maven)" >&2
        exit 1
    fi
fi

# The portal signs people in through its own PAM service and will not start without it (PAM would quietly use
# /etc/pam.d/other instead).
pam_service=${DS01_IDENTITY_PAM_SERVICE:-ds01-portal}
if [[ $pam_service =~ ^[a-z0-9][a-z0-9._-]{0,63}$ ]] && [ ! -f "/etc/pam.d/$pam_service" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        install -m 0644 deploy/pam/ds01-portal "/etc/pam.d/$pam_service"
        echo "run-portal: installed the portal's PAM service file as /etc/pam.d/$pam_service (from deploy/pam/ds01-portal)"
    else
        echo "run-portal: the PAM service file /etc/pam.d/$pam_service is missing; install it as root:" \
            "sudo install -m 0644 deploy/pam/ds01-portal /etc/pam.d/$pam_service" >&2
        exit 1
    fi
fi

jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src db config -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "run-portal: building the portal (mvn package)"
    mvn -B -q package -DskipTests
fi
exec java ${DS01_JAVA_OPTS:-} -jar "$jar" "$@"
