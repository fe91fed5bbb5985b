#!/usr/bin/env bash
# Start a private, real STOMP broker (Debian's ActiveMQ 5.17) for the interop tests.
#
#   scripts/broker/start.sh            # installs activemq if missing, starts it, writes $BROKER_DIR/broker.env
#   source "$BROKER_DIR/broker.env"    # STOMP_URL, STOMP_TLS_URL, STOMP_CA, STOMP_LOGIN, STOMP_PASSCODE, ...
#   scripts/broker/stop.sh
#
# The broker runs as the current user (not Debian's system service), in the background, with
# everything (config, TLS material, data, log, pid) under $BROKER_DIR (default: target/broker).
# It listens on 127.0.0.1 only: STOMP on $STOMP_PORT (61613) and STOMP over TLS on
# $STOMP_TLS_PORT (61614, server certificate from a CA this script makes with the openssl CLI).
# Idempotent: if the broker this script started for $BROKER_DIR is up, it is reused.
#
# Environment knobs (all optional):
#   BROKER_DIR            work dir                               (default: <repo>/target/broker)
#   STOMP_PORT            plain STOMP port                       (default: 61613)
#   STOMP_TLS_PORT        STOMP over TLS port                    (default: 61614)
#   STOMP_TLS=0           do not open the TLS connector
#   STOMP_LOGIN/PASSCODE  the one broker user                    (default: sealscope/sealscope)
#   BROKER_START_TIMEOUT  seconds to wait for the port           (default: 90)
#   ACTIVEMQ_JAVA         java binary (default: Debian's default-java, i.e. OpenJDK 17 on bookworm)
#   ACTIVEMQ_HEAP         max heap                               (default: 256m)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BROKER_DIR=${BROKER_DIR:-$repo/target/broker}
STOMP_PORT=${STOMP_PORT:-61613}
STOMP_TLS_PORT=${STOMP_TLS_PORT:-61614}
STOMP_TLS=${STOMP_TLS:-1}
STOMP_LOGIN=${STOMP_LOGIN:-sealscope}
STOMP_PASSCODE=${STOMP_PASSCODE:-sealscope}
BROKER_START_TIMEOUT=${BROKER_START_TIMEOUT:-90}
ACTIVEMQ_HEAP=${ACTIVEMQ_HEAP:-256m}
ACTIVEMQ_HOME=/usr/share/activemq
HOST=127.0.0.1

log() { printf '[broker] %s\n' "$*" >&2; }
die() { printf '[broker] ERROR: %s\n' "$*" >&2; exit 1; }

for v in STOMP_LOGIN STOMP_PASSCODE; do
    # They go into activemq.xml and into a shell-sourced env file: keep them plain.
    [[ ${!v} =~ ^[A-Za-z0-9._-]+$ ]] || die "$v must match [A-Za-z0-9._-]+"
done
for v in STOMP_PORT STOMP_TLS_PORT BROKER_START_TIMEOUT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number"
done

mkdir -p "$BROKER_DIR"
BROKER_DIR=$(cd "$BROKER_DIR" && pwd)
instance=$BROKER_DIR/instance
conf=$instance/conf
data=$instance/data
tls=$BROKER_DIR/tls
pidfile=$BROKER_DIR/broker.pid
logfile=$BROKER_DIR/activemq.log
envfile=$BROKER_DIR/broker.env
ca_pem=$BROKER_DIR/ca.pem

# ---------------------------------------------------------------------------------------------
# install

apt_install() {
    local missing=() pkg sudo=""
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    log "installing ${missing[*]} (apt)"
    local t0=$SECONDS attempt
    # apt occasionally fails once on a fetched archive: retry.
    for attempt in 1 2 3 4; do
        if $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${missing[@]}" >"$BROKER_DIR/apt.log" 2>&1; then
            log "installed in $((SECONDS - t0)) s"
            return 0
        fi
        log "apt-get failed (attempt $attempt), retrying; tail of $BROKER_DIR/apt.log:"
        tail -n 5 "$BROKER_DIR/apt.log" >&2 || true
        sleep 5
    done
    return 1
}

# activemq pulls in default-jre-headless (OpenJDK 17 on bookworm), whose package carries keytool.
apt_install activemq openssl || die "could not install activemq"

java=${ACTIVEMQ_JAVA:-}
if [[ -z $java ]]; then
    if [[ -x /usr/lib/jvm/default-java/bin/java ]]; then
        java=/usr/lib/jvm/default-java/bin/java
    else
        java=$(command -v java) || die "no java found"
    fi
fi
keytool=$(dirname "$(readlink -f "$java")")/keytool
[[ -x $keytool ]] || keytool=$(command -v keytool) || die "no keytool found"
[[ -f $ACTIVEMQ_HOME/bin/activemq.jar ]] || die "$ACTIVEMQ_HOME/bin/activemq.jar missing (activemq package broken?)"

# ---------------------------------------------------------------------------------------------
# helpers

# Our broker's pid, if the pid file names a live ActiveMQ of this BROKER_DIR.
our_pid() {
    local pid
    [[ -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "-Dactivemq.base=$instance" || return 1
    echo "$pid"
}

port_open() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# A real STOMP handshake on the plain port: CONNECT with the credentials, expect CONNECTED.
stomp_ping() {
    # The passcode reaches the inner shell through its environment, not its arguments.
    STOMP_PASSCODE=$STOMP_PASSCODE timeout 5 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "CONNECT\naccept-version:1.2\nhost:localhost\nlogin:%s\npasscode:%s\n\n\0" "$2" "$STOMP_PASSCODE" >&3
        IFS= read -r line <&3 || exit 1
        [[ $line == CONNECTED* ]] || { echo "$line" >&2; exit 1; }
        printf "DISCONNECT\n\n\0" >&3
    ' "$HOST" "$STOMP_PORT" "$STOMP_LOGIN" 2>/dev/null
}

# The same over TLS, verifying the server certificate against our CA and the IP address.
# (s_client -quiet ignores EOF on stdin, so end with DISCONNECT: the broker then closes.)
stomp_tls_ping() {
    local out
    out=$(printf 'CONNECT\naccept-version:1.2\nhost:localhost\nlogin:%s\npasscode:%s\n\n\0DISCONNECT\nreceipt:bye\n\n\0' \
            "$STOMP_LOGIN" "$STOMP_PASSCODE" |
        timeout 10 openssl s_client -connect "$HOST:$STOMP_TLS_PORT" -CAfile "$ca_pem" \
            -verify_return_error -verify_ip "$HOST" -quiet 2>/dev/null | head -c 9) || true
    [[ $out == CONNECTED ]]
}

write_env() {
    local pid=$1 tmp
    tmp=$(mktemp "$BROKER_DIR/.broker.env.XXXXXX")
    {
        echo "# written by scripts/broker/start.sh; source it"
        echo "BROKER_KIND=activemq"
        echo "BROKER_DIR=$(printf %q "$BROKER_DIR")"
        echo "BROKER_PID=$pid"
        echo "BROKER_LOG=$(printf %q "$logfile")"
        echo "STOMP_HOST=$HOST"
        echo "STOMP_PORT=$STOMP_PORT"
        echo "STOMP_URL=stomp://$HOST:$STOMP_PORT"
        if [[ $STOMP_TLS == 1 ]]; then
            echo "STOMP_TLS_PORT=$STOMP_TLS_PORT"
            echo "STOMP_TLS_URL=stomp+ssl://$HOST:$STOMP_TLS_PORT"
            echo "STOMP_CA=$(printf %q "$ca_pem")"
        else
            echo "STOMP_TLS_PORT="
            echo "STOMP_TLS_URL="
            echo "STOMP_CA="
        fi
        echo "STOMP_LOGIN=$STOMP_LOGIN"
        echo "STOMP_PASSCODE=$STOMP_PASSCODE"
    } >"$tmp"
    mv -f "$tmp" "$envfile"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

report() {
    local pid=$1
    write_env "$pid"
    log "ActiveMQ (pid $pid, RSS $(($(rss_kb "$pid") / 1024)) MiB) listening on:"
    log "  STOMP      stomp://$HOST:$STOMP_PORT   login $STOMP_LOGIN / passcode $STOMP_PASSCODE"
    if [[ $STOMP_TLS == 1 ]]; then
        log "  STOMP+TLS  stomp+ssl://$HOST:$STOMP_TLS_PORT   CA certificate: $ca_pem"
    fi
    log "  log: $logfile"
    log "  env: $envfile"
    cat "$envfile"
}

started_pid=""  # set once this run has launched a JVM: a failed start does not leave it behind
fail() {
    log "$*"
    if [[ -f $logfile ]]; then
        log "last lines of $logfile:"
        tail -n 40 "$logfile" >&2 || true
    fi
    if [[ -n $started_pid ]] && kill -0 "$started_pid" 2>/dev/null; then
        log "stopping the half-started broker (pid $started_pid)"
        kill -TERM "$started_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$started_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$started_pid" 2>/dev/null || true
    fi
    [[ -n $started_pid ]] && rm -f "$pidfile"
    exit 1
}

# Wait (bounded) until the broker answers STOMP; the process must stay alive meanwhile.
wait_ready() {
    local pid=$1 deadline=$((SECONDS + BROKER_START_TIMEOUT)) plain_ok=0
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || fail "broker process $pid died during start-up"
        if [[ $plain_ok == 0 ]] && port_open "$STOMP_PORT"; then
            stomp_ping || fail "port $STOMP_PORT is open but the STOMP handshake (CONNECT as $STOMP_LOGIN) failed"
            plain_ok=1
        fi
        if [[ $plain_ok == 1 ]] && { [[ $STOMP_TLS != 1 ]] || stomp_tls_ping; }; then
            return 0
        fi
        sleep 0.5
    done
    if [[ $plain_ok == 0 ]]; then
        fail "broker did not listen on $HOST:$STOMP_PORT within $BROKER_START_TIMEOUT s"
    fi
    fail "no STOMP-over-TLS handshake on $HOST:$STOMP_TLS_PORT (CA $ca_pem) within $BROKER_START_TIMEOUT s"
}

# ---------------------------------------------------------------------------------------------
# reuse a broker we started before

settings="port=$STOMP_PORT tls=$STOMP_TLS tls_port=$STOMP_TLS_PORT login=$STOMP_LOGIN passcode=$STOMP_PASSCODE"
if pid=$(our_pid); then
    if [[ $(cat "$BROKER_DIR/broker.settings" 2>/dev/null) != "$settings" ]]; then
        die "the broker running for $BROKER_DIR (pid $pid) has other settings" \
            "($(cat "$BROKER_DIR/broker.settings" 2>/dev/null)): run scripts/broker/stop.sh first"
    fi
    log "reusing the broker already running for $BROKER_DIR (pid $pid)"
    wait_ready "$pid"
    report "$pid"
    exit 0
fi
rm -f "$pidfile" "$envfile"

for p in "$STOMP_PORT" $([[ $STOMP_TLS == 1 ]] && echo "$STOMP_TLS_PORT"); do
    if port_open "$p"; then
        die "$HOST:$p is already in use by another process (not a broker started for $BROKER_DIR)"
    fi
done

# ---------------------------------------------------------------------------------------------
# TLS material: a CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI,
# then turned into a PKCS#12 key store by keytool for the broker's JVM. Reused while valid.

mkdir -p "$conf" "$data" "$instance/tmp"
kspass=sealscope-broker-keystore
if [[ $STOMP_TLS == 1 ]]; then
    if [[ ! -s $conf/broker.ks || ! -s $ca_pem ]] ||
        ! openssl x509 -in "$tls/server.pem" -noout -checkend 86400 >/dev/null 2>&1; then
        log "generating the test CA and server certificate in $tls"
        rm -rf "$tls" && mkdir -p "$tls"
        (
            cd "$tls"
            umask 077
            openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
                -keyout ca.key -out ca.pem -subj "/O=Sealscope tests/CN=Sealscope test broker CA" \
                -addext "basicConstraints=critical,CA:TRUE" \
                -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
            openssl req -new -newkey rsa:2048 -nodes -sha256 \
                -keyout server.key -out server.csr -subj "/O=Sealscope tests/CN=127.0.0.1" 2>/dev/null
            printf '%s\n' \
                "basicConstraints=critical,CA:FALSE" \
                "keyUsage=critical,digitalSignature,keyEncipherment" \
                "extendedKeyUsage=serverAuth" \
                "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
                -sha256 -days 825 -extfile server.ext -out server.pem 2>/dev/null
            openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem \
                -name broker -out server.p12 -passout "pass:$kspass"
        ) || die "openssl failed to make the TLS material"
        rm -f "$conf/broker.ks"
        "$keytool" -importkeystore -noprompt \
            -srckeystore "$tls/server.p12" -srcstoretype PKCS12 -srcstorepass "$kspass" \
            -destkeystore "$conf/broker.ks" -deststoretype PKCS12 -deststorepass "$kspass" \
            >/dev/null 2>&1 || die "keytool failed to import $tls/server.p12"
        cp "$tls/ca.pem" "$ca_pem"
    fi
    ssl_context="
        <sslContext>
            <sslContext keyStore=\"\${activemq.conf}/broker.ks\" keyStorePassword=\"$kspass\" keyStoreType=\"PKCS12\"/>
        </sslContext>"
    tls_connector="
            <transportConnector name=\"stomp+ssl\" uri=\"stomp+ssl://$HOST:$STOMP_TLS_PORT?transport.closeAsync=false\"/>"
else
    ssl_context=""
    tls_connector=""
fi

# ---------------------------------------------------------------------------------------------
# broker configuration (rewritten at every start)

cat >"$conf/activemq.xml" <<EOF
<!-- written by scripts/broker/start.sh: a throw-away broker for Sealscope's STOMP interop tests -->
<beans
  xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">

    <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>

    <broker xmlns="http://activemq.apache.org/schema/core"
            brokerName="sealscope-test"
            useJmx="false"
            persistent="false"
            advisorySupport="false"
            schedulerSupport="false"
            dataDirectory="\${activemq.data}">

        <plugins>
            <simpleAuthenticationPlugin anonymousAccessAllowed="false">
                <users>
                    <authenticationUser username="$STOMP_LOGIN" password="$STOMP_PASSCODE" groups="users,admins"/>
                </users>
            </simpleAuthenticationPlugin>
        </plugins>

        <systemUsage>
            <systemUsage>
                <memoryUsage><memoryUsage limit="64 mb"/></memoryUsage>
                <storeUsage><storeUsage limit="512 mb"/></storeUsage>
                <tempUsage><tempUsage limit="512 mb"/></tempUsage>
            </systemUsage>
        </systemUsage>
$ssl_context
        <transportConnectors>
            <transportConnector name="stomp" uri="stomp://$HOST:$STOMP_PORT?transport.closeAsync=false"/>$tls_connector
        </transportConnectors>
    </broker>
</beans>
EOF

# Debian's ActiveMQ logs through log4j 1.2 (slf4j-log4j12): log4j.properties from the conf dir.
cat >"$conf/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, out
log4j.logger.org.springframework=WARN
log4j.logger.org.apache.xbean=WARN
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=%d{ISO8601} | %-5p | %m | %c | %t%n
EOF

# ---------------------------------------------------------------------------------------------
# start (the JVM command line of /usr/bin/activemq, minus its init-script and root/su logic)

log "starting ActiveMQ for $BROKER_DIR ($java)"
t0=$(date +%s.%N)
: >"$logfile"
setsid "$java" -Xms32m "-Xmx$ACTIVEMQ_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true \
    -Djava.io.tmpdir="$instance/tmp" \
    -Dorg.apache.activemq.UseDedicatedTaskRunner=false \
    --add-reads=java.xml=java.logging \
    --add-opens java.base/java.security=ALL-UNNAMED \
    --add-opens java.base/java.net=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED \
    --add-opens java.base/java.util=ALL-UNNAMED \
    --add-opens java.naming/javax.naming.spi=ALL-UNNAMED \
    --add-opens java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED \
    --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
    -Dactivemq.classpath="$conf" \
    -Dactivemq.home="$ACTIVEMQ_HOME" \
    -Dactivemq.base="$instance" \
    -Dactivemq.conf="$conf" \
    -Dactivemq.data="$data" \
    -jar "$ACTIVEMQ_HOME/bin/activemq.jar" start "xbean:file:$conf/activemq.xml" \
    </dev/null >>"$logfile" 2>&1 &
pid=$!
started_pid=$pid
echo "$pid" >"$pidfile"
echo "$settings" >"$BROKER_DIR/broker.settings"

wait_ready "$pid"
t1=$(date +%s.%N)
log "ready in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"
report "$pid"
