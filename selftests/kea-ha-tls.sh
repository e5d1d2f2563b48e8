#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kea-ha.sh's pair over TLS: the hook sends a release's deletions to the
# HA peer over HTTPS, as libdhcp_ha.so talks to it. Both kea-ctrl-agents
# serve HTTPS and require a client certificate ("cert-required"); HA's
# relationship has "trust-anchor", "cert-file" and "key-file" and https
# URLs, which the hook takes as its own. The certificates are made here
# with openssl: a CA, each server's (its address in subjectAltName, used
# by its agent and as its HA client certificate), and two that must be
# refused: server2's address from another CA, and the right CA for
# another address.
#
# The story: a release at the primary reaches the standby over HTTPS.
# Then the standby's agent shows the certificate of another CA: the
# primary's hook refuses it, logs why and keeps the deletion queued; then
# a certificate of the right CA for another address: refused, logged;
# then its own: the queued deletion gets through.

export LG_KEA_HA_SOURCED=1
# shellcheck source=kea-ha.sh
source "$(dirname "$0")/kea-ha.sh"	# its functions, the topology
command -v openssl >/dev/null || skip_all "openssl is not installed"

URL1="https://[2001:db8:f::2]:8000/"
URL2="https://[2001:db8:e::2]:8000/"
URL2_RE='https://\[2001:db8:e::2\]:8000/'
PKI=$DIR_A/pki

# cert NAME CA ADDRESS: a certificate of CA for ADDRESS, in $PKI/NAME.crt
# and .key, for a server and a client both (as HA uses one).
cert() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=$1" -keyout "$PKI/$1.key" -out "$PKI/$1.csr" 2>/dev/null
	printf '%s\n' basicConstraints=CA:FALSE "subjectAltName=IP:$3" \
		extendedKeyUsage=serverAuth,clientAuth >"$PKI/$1.ext"
	openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.crt" -CAkey "$PKI/$2.key" \
		-CAcreateserial -days 2 -extfile "$PKI/$1.ext" -out "$PKI/$1.crt" 2>/dev/null
}

# HA's relationship over TLS: the server's own certificate as its client's.
eval "plain_$(declare -f ha_lib)"
ha_lib() {
	plain_ha_lib "$1" | jq -c --arg ca "$PKI/ca.crt" --arg crt "$PKI/$1.crt" \
		--arg key "$PKI/$1.key" '.parameters["high-availability"][0] +=
		{ "trust-anchor": $ca, "cert-file": $crt, "key-file": $key }'
}

# agent_tls N CERT: server N's kea-ctrl-agent restarted on HTTPS with the
# certificate CERT, client certificates required.
agent_tls() {
	server "$1"
	_dhcp_kill ca
	jq --arg ca "$PKI/ca.crt" --arg crt "$PKI/$2.crt" --arg key "$PKI/$2.key" \
		'.["Control-agent"] += { "trust-anchor": $ca, "cert-file": $crt,
		"key-file": $key, "cert-required": true }' "$LG_DHCP_DIR/ca.conf" \
		>"$LG_DHCP_DIR/ca-tls.conf"
	: >"$LG_DHCP_DIR/ca.log"
	_dhcp_bg ca "$LG_KEA_NS" "$LG_DHCP_DIR/ca.out" env KEA_PIDFILE_DIR="$LG_DHCP_DIR" \
		KEA_LOCKFILE_DIR="$LG_DHCP_DIR" kea-ctrl-agent -c "$LG_DHCP_DIR/ca-tls.conf"
	wait_for grep -q CTRL_AGENT_HTTPS_SERVICE_STARTED "$LG_DHCP_DIR/ca.log" ||
		_dhcp_fail "kea-ctrl-agent did not start on HTTPS" "$LG_DHCP_DIR/ca.log"
	server 1
}

# kea-ha.sh's server start, then its agent on HTTPS.
eval "plain_$(declare -f kea_ha_start)"
kea_ha_start() {
	plain_kea_ha_start "$1"
	agent_tls "$1" "server$1"
}

# ca N COMMAND [ARGUMENTS]: as kea-ha.sh's, over HTTPS with server1's
# client certificate; trusts both CAs, to watch server2 whichever it shows.
ca() {
	local ns=srv url=$URL1 body
	[[ $1 == 1 ]] || { ns=srv2; url=$URL2; }
	body="{ \"command\": \"$2\", \"service\": [ \"dhcp6\" ]${3:+, \"arguments\": $3} }"
	ip netns exec $ns curl -s -m 5 --cacert "$PKI/both.crt" --cert "$PKI/server1.crt" \
		--key "$PKI/server1.key" -H 'Content-Type: application/json' -d "$body" "$url"
}

# failed_with WHY: server1's hook logged a failure to reach server2 for WHY.
failed_with() {
	grep -q "RELEASE_REQUEST_HA_FAILED HA peer server2 ($URL2_RE) did not take the released leases: TLS handshake: $1" \
		"$DIR_A/kea.log"
}

step "1. The certificates: a CA, the servers', another CA's, another address's."
mkdir -p "$PKI"
for c in ca evil; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=leaseguard test $c" -keyout "$PKI/$c.key" -out "$PKI/$c.crt" 2>/dev/null
done
cat "$PKI/ca.crt" "$PKI/evil.crt" >"$PKI/both.crt"
cert server1 ca 2001:db8:f::2
cert server2 ca 2001:db8:e::2
cert server2-evil evil 2001:db8:e::2
cert server2-elsewhere ca 2001:db8:e::99
check "server2's certificate verifies against the CA" \
	openssl verify -CAfile "$PKI/ca.crt" "$PKI/server2.crt"

step "2. Two Keas in hot-standby over HTTPS; the hook takes HA's TLS keys."
kea_ha_start 1
kea_ha_start 2
check "server1's hook sends to server2 over TLS" grep -q \
	"RELEASE_REQUEST_HA_PEERS releases are sent to the HA peers server2 $URL2_RE (TLS) (libdhcp_ha.so's peers)" \
	"$DIR_A/kea.log"
check "server2's agent refuses a client without a certificate" \
	bash -c "! ip netns exec srv2 curl -s -m 5 --cacert $PKI/ca.crt -d '{}' '$URL2'"
wait_for -t 120 is hot-standby ha_state 1
check "HA's pair is in hot-standby over HTTPS" wait_for -t 120 is hot-standby ha_state 2

step "3. A release at the primary reaches the standby over HTTPS."
server 1
relay_start acc0
client_start sub eth0
SUB=$(client_duid sub eth0)
client_leases
check "server2 has the address $NA (HA's update)" wait_for has 2 IA_NA "$NA"
REPLY=$(release 1 "$SUB")
check_eq "server1 answers: a RELEASE-REQUEST-REPLY" f1 "${REPLY:0:2}"
check "neither server has them" both_gone "released at the primary, sent over HTTPS"
check "server1 logged server2's answer" grep -q \
	"RELEASE_REQUEST_HA_SENT HA peer server2 took the released leases: result 0" "$DIR_A/kea.log"

step "4. The standby shows another CA's certificate, then another address's: refused, queued."
client_stop sub eth0
client_start sub eth0
client_leases
check "server2 has the new address $NA" wait_for has 2 IA_NA "$NA"
agent_tls 2 server2-evil
REPLY=$(release 1 "$SUB")
check_eq "server1 answers: a RELEASE-REQUEST-REPLY" f1 "${REPLY:0:2}"
check "server1 has let them go" wait_for eval "hasnt 1 IA_NA $NA && hasnt 1 IA_PD $PD"
check "server1's hook refuses the other CA's certificate, 1 command queued" wait_for \
	failed_with "the peer's certificate is refused: unable to get local issuer certificate; 1 commands queued"
check "server2 still has the address" has 2 IA_NA "$NA"
agent_tls 2 server2-elsewhere
check "and a certificate for another address" wait_for -t 40 \
	failed_with "the peer's certificate is refused: IP address mismatch; 1 commands queued"

step "5. The standby's own certificate again: the queued deletion gets through."
T0=$SECONDS
agent_tls 2 server2
check "the queued deletion reaches server2" both_gone "queued while refused" 60
echo "# the right certificate to both gone: $((SECONDS - T0)) s"
check "server1 logged server2 back" grep -q \
	"RELEASE_REQUEST_HA_BACK HA peer server2 answers again" "$DIR_A/kea.log"
echo "# server1's hook, on server2:"
grep -o 'RELEASE_REQUEST_HA_[A-Z]* HA peer server2.*' "$DIR_A/kea.log" | sed 's/^/#   /'
check_eq "no error of the hook's in server1's log" "" \
	"$(grep ' ERROR .*RELEASE_REQUEST_' "$DIR_A/kea.log" || true)"

tap_done
