#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus output on the host (no module needed): the writer
# (agent/lgctl/prometheus.c, through a small program built here) and its
# escaping and refusals; "lgctl -o prometheus stats" for the figures of a
# fixture (through the hidden "lgctl stats prometheus-from FILE"), which
# holds every counter the kernel and leaseguardd have; the -o option's
# errors. Every exposition passes "promtool check metrics" with no output
# at all (it prints lint warnings on stderr), and lint() below, which
# checks what promtool does not: each family's samples contiguous after
# its HELP and TYPE, no duplicate series, no family without a sample.
#
#   prometheus_test.c ──> writer output ──┐
#   fixture ──lgctl stats prometheus-from──┴──> promtool check metrics, lint()
#
# "prometheus_test.sh --lint FILE" runs lint() alone (selftests/metrics.sh
# does, on the output of the VM).
#
# Needs: promtool (Debian's prometheus package), cc, a built agent/lgctl/lgctl
# (LGCTL overrides); valgrind optional.

set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
AGENT=$REPO/agent
LGCTL=${LGCTL:-$AGENT/lgctl/lgctl}

# lint FILE: prints what is wrong with the exposition, fails if anything.
lint() {
	awk '
	function bad(msg) { print "line " NR ": " msg; errors++ }
	/^# HELP / {
		if ($3 in help) bad("second HELP of " $3)
		if (cur != "" && !samples[cur]) bad("family " cur " has no sample")
		help[$3] = 1; cur = $3; typed = 0
		if ($3 !~ /^leaseguard_[a-z0-9_]*$/) bad("name " $3)
		if (NF < 4) bad("empty HELP of " $3)
		next
	}
	/^# TYPE / {
		if ($3 != cur || typed) bad("TYPE of " $3 " not right after its HELP")
		typed = 1; type[$3] = $4
		if ($4 == "counter" && $3 !~ /_total$/) bad("counter " $3 " without _total")
		if ($4 != "counter" && $3 ~ /_total$/) bad($4 " " $3 " with _total")
		next
	}
	/^#/ || /^$/ { bad("stray line: " $0); next }
	{
		name = $0; sub(/[{ ].*/, "", name)
		series = $0; sub(/ [^ ]*$/, "", series)
		if (name != cur || !typed) bad("sample of " name " outside its family (" cur ")")
		if (series in seen) bad("duplicate series " series)
		seen[series] = 1; samples[name]++
		if ($NF !~ /^[0-9]+$/) bad("value " $NF)
	}
	END {
		if (cur != "" && !samples[cur]) bad("family " cur " has no sample")
		if (!NR) bad("empty")
		exit errors > 0
	}' "$1"
}

if [[ ${1:-} == --lint ]]; then
	lint "$2"
	exit
fi

# shellcheck source=SCRIPTDIR/../lib.sh
source "$REPO/selftests/lib.sh"

command -v promtool >/dev/null || skip_all "promtool is not installed (Debian package prometheus)"
command -v "${CC:-cc}" >/dev/null || skip_all "${CC:-cc} is not installed"
[[ -x $LGCTL ]] || skip_all "agent/lgctl/lgctl is not built"

TMP=$(mktemp -d)
trap '[[ -n ${LG_KEEP_TMP:-} ]] || rm -rf "$TMP"' EXIT

# promtool_clean FILE: promtool takes it and says nothing at all.
promtool_clean() {
	local rc=0
	promtool check metrics <"$1" >"$TMP/promtool.out" 2>&1 || rc=$?
	if [[ $rc -ne 0 || -s $TMP/promtool.out ]]; then
		echo "# promtool exited $rc:"
		sed 's/^/#   /' "$TMP/promtool.out"
		return 1
	fi
}
lint_clean() {
	local out
	out=$(lint "$1") && return 0
	echo "# lint:"
	printf '%s\n' "$out" | sed 's/^/#   /'
	return 1
}
# run ARGS...: lgctl ARGS, stdout in $TMP/out, stderr in $TMP/err, exit in $rc
run() {
	rc=0
	"$LGCTL" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
}
# outcome: "exit RC" and stderr, to compare with check_eq
outcome() { printf 'exit %s\n%s' "$rc" "$(cat "$TMP/err")"; }
has_line() { grep -qxF -e "$1" "$2"; }
lacks() { ! grep -q -e "$1" "$2"; }

# ---------------------------------------------------------------- writer
cat >"$TMP/prometheus_test.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prometheus.h"

/* One refusal: what the writer wrote until then, then err and why. */
static void refused(const char *name, void (*fn)(struct lg_prom *p))
{
	char *buf = NULL, why[320] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct lg_prom *p = lg_prom_new(f);
	int err;

	fn(p);
	err = lg_prom_end(p, why, sizeof(why));
	fclose(f);
	printf("%s: %d %s (%zu octets written)\n", name, err, why, len);
	free(buf);
}

static void counter_name(struct lg_prom *p)
{
	lg_prom_family(p, "t_packets", LG_PROM_COUNTER, "h");
}

static void metric_name(struct lg_prom *p)
{
	lg_prom_family(p, "1t", LG_PROM_GAUGE, "h");
}

static void metric_name_dash(struct lg_prom *p)
{
	lg_prom_family(p, "t-x", LG_PROM_GAUGE, "h");
}

static void label_reserved(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, "__name__", "x", NULL);
}

static void label_colon(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, "a:b", "x", NULL);
}

static void empty_help(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "");
}

static void family_twice(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, NULL);
	lg_prom_family(p, "u", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, NULL);
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 2, NULL);
}

static void series_twice(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, "a", "1", "b", "2", NULL);
	lg_prom_sample(p, 2, "b", "1", "a", "2", NULL);
	lg_prom_sample(p, 3, "b", "2", "a", "1", NULL);
	lg_prom_sample(p, 4, NULL);	/* not written: the error sticks */
}

static void empty_value(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, "a", "", NULL);
	lg_prom_sample(p, 2, NULL);
}

static void label_twice(struct lg_prom *p)
{
	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	lg_prom_sample(p, 1, "a", "1", "a", "2", NULL);
}

static void sample_first(struct lg_prom *p)
{
	lg_prom_sample(p, 1, NULL);
}

static void many_series(struct lg_prom *p)
{
	char v[16];
	int i;

	lg_prom_family(p, "t", LG_PROM_GAUGE, "h");
	for (i = 0; i < 5000; i++) {
		snprintf(v, sizeof(v), "%d", i);
		lg_prom_sample(p, i, "i", v, NULL);
	}
	lg_prom_sample(p, 0, "i", "4999", NULL);
}

int main(void)
{
	struct lg_prom *p = lg_prom_new(stdout);
	char why[320] = "";
	int err;

	lg_prom_family(p, "t_escapes_total", LG_PROM_COUNTER,
		       "Help: a \\ backslash, a \" quote,\na newline.");
	lg_prom_sample(p, 1, "v", "quote\" backslash\\ newline\n end", NULL);
	lg_prom_sample(p, 2, "v", "UTF-8 \xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", NULL);
	/* a stray byte, a cut sequence, overlong, a surrogate, > U+10FFFF */
	lg_prom_sample(p, 3, "v", "\xff|\xc3|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80",
		       NULL);
	lg_prom_sample(p, 4, "v", "", NULL);
	lg_prom_sample(p, 18446744073709551615ULL, "v", "max", "w", "x", NULL);
	lg_prom_family(p, "t_level", LG_PROM_GAUGE, "A gauge.");
	lg_prom_sample(p, 0, NULL);
	lg_prom_family(p, "t_untyped", LG_PROM_UNTYPED, "Labels in any order.");
	lg_prom_sample(p, 5, "b", "1", "a", "2", NULL);
	lg_prom_sample(p, 6, "a", "1", "b", "2", NULL);
	lg_prom_sample(p, 7, "a", "1", (const char *)NULL, "x", NULL);
	err = lg_prom_end(p, why, sizeof(why));
	printf("# end: %d %s\n", err, why);

	refused("counter without _total", counter_name);
	refused("metric name with a digit first", metric_name);
	refused("metric name with a dash", metric_name_dash);
	refused("reserved label name", label_reserved);
	refused("label name with a colon", label_colon);
	refused("empty HELP", empty_help);
	refused("family twice", family_twice);
	refused("series twice, labels in another order", series_twice);
	refused("an empty label is no label", empty_value);
	refused("label twice", label_twice);
	refused("sample before a family", sample_first);
	refused("5001st series repeats one", many_series);
	return 0;
}
EOF

step "The writer (agent/lgctl/prometheus.c)"
WT=$TMP/prometheus_test
if n "${CC:-cc}" -std=gnu11 -O2 -g -Wall -Wextra -Werror -I"$AGENT/lgctl" \
	-o "$WT" "$TMP/prometheus_test.c" "$AGENT/lgctl/prometheus.c" 2>"$TMP/cc.err"; then
	ok "the writer's test program builds"
else
	not_ok "the writer's test program builds"
	sed 's/^/#   /' "$TMP/cc.err"
fi
"$WT" >"$TMP/writer.out" 2>&1 || true
sed '/^# end:/,$d' "$TMP/writer.out" >"$TMP/writer.prom"
want_writer='# HELP t_escapes_total Help: a \\ backslash, a " quote,\na newline.
# TYPE t_escapes_total counter
t_escapes_total{v="quote\" backslash\\ newline\n end"} 1
t_escapes_total{v="UTF-8 é€𝄞"} 2
t_escapes_total{v="�|�|��|���|����"} 3
t_escapes_total 4
t_escapes_total{v="max",w="x"} 18446744073709551615
# HELP t_level A gauge.
# TYPE t_level gauge
t_level 0
# HELP t_untyped Labels in any order.
# TYPE t_untyped untyped
t_untyped{b="1",a="2"} 5
t_untyped{a="1",b="2"} 6
t_untyped{a="1"} 7'
check_eq "escaping: HELP (\\ and newline), label values (\\, \", newline), not UTF-8 as U+FFFD, empty labels left out" \
	"$want_writer" "$(cat "$TMP/writer.prom")"
check_eq "and it ends without an error" "# end: 0 " "$(grep '^# end:' "$TMP/writer.out")"
check "promtool check metrics takes it, silently" promtool_clean "$TMP/writer.prom"
want_refused='counter without _total: -22 counter t_packets does not end in _total (0 octets written)
metric name with a digit first: -22 bad metric name or type "1t" (0 octets written)
metric name with a dash: -22 bad metric name or type "t-x" (0 octets written)
reserved label name: -22 t: bad label "__name__" (26 octets written)
label name with a colon: -22 t: bad label "a:b" (26 octets written)
empty HELP: -22 family t has no HELP (0 octets written)
family twice: -17 family t given twice (60 octets written)
series twice, labels in another order: -17 duplicate series t{a="1",b="2"} (60 octets written)
an empty label is no label: -17 duplicate series t (30 octets written)
label twice: -17 t: label a given twice (26 octets written)
sample before a family: -22 a sample before any family (0 octets written)
5001st series repeats one: -17 duplicate series t{i="4999"} (82806 octets written)'
check_eq "refusals: bad names, _total, empty HELP, a family twice, duplicate series (also reordered, also by an empty label), a label twice; the first error sticks" \
	"$want_refused" "$(sed '1,/^# end:/d' "$TMP/writer.out")"
if command -v valgrind >/dev/null; then
	check "valgrind: the writer leaks nothing, reads nothing undefined" \
		valgrind -q --leak-check=full --error-exitcode=99 "$WT" >/dev/null
fi

# --------------------------------------------------- the table of metrics
step "Every counter has a metric"
missing=""
while read -r a; do
	grep -q "{ NS($a)," "$AGENT/lgctl/stats.c" || missing+=" LG_STATS_A_$a"
done < <(sed -n '/^enum lg_stats_attrs/,/^};/p' "$REPO/uapi/linux/leaseguard.h" |
	 grep -o '^[[:space:]]*LG_STATS_A_[A-Z0-9_]*' | sed 's/[[:space:]]//g; s/LG_STATS_A_//' |
	 grep -vx 'UNSPEC\|PAD')
check_eq "each LG_STATS_A_* of the uapi has a row in lg_pm_metrics[] (stats.c)" "" "$missing"
missing=""
while read -r a; do
	grep -q "{ LINK($a)," "$AGENT/lgctl/stats.c" || missing+=" LG_LINK_STATS_A_$a"
done < <(sed -n '/^enum lg_link_stats_attrs/,/^};/p' "$REPO/uapi/linux/leaseguard.h" |
	 grep -o '^[[:space:]]*LG_LINK_STATS_A_[A-Z0-9_]*' | sed 's/[[:space:]]//g; s/LG_LINK_STATS_A_//' |
	 grep -vx 'UNSPEC\|PAD')
check_eq "each LG_LINK_STATS_A_* has one" "" "$missing"
# released is the sum of success and nobinding, for lgctl release show.
REL_KEYS=$(grep -o 'fprintf(f, "stats [^"]*"' "$AGENT/leaseguardd/release.c" | grep -o '[a-z_]*=' | tr -d = |
	   grep -vx released)
missing=""
for k in $REL_KEYS; do
	grep -q "{ REL(\"$k\")," "$AGENT/lgctl/stats.c" || missing+=" $k"
done
check "leaseguardd's release counters (release.c) are found" [ -n "$REL_KEYS" ]
check_eq "each has one" "" "$missing"
# The proxy line's words (mcast.c); family and upstream are names, and
# version is configuration.
PRX_KEYS=$( (sed -n '/^void lgd_mcast_show/,/^}/p' "$AGENT/leaseguardd/mcast.c" | grep -o '[a-z-]*=%'
	     grep -o 'LGD_MC_STAT("[a-z-]*"' "$AGENT/leaseguardd/mcast.c" | cut -d'"' -f2) |
	   tr -d '=%' | grep -vx 'family\|upstream\|version')
missing=""
for k in $PRX_KEYS; do
	grep -q "{ PRX(\"$k\")," "$AGENT/lgctl/stats.c" || missing+=" $k"
done
check "leaseguardd's proxy figures (mcast.c) are found" [ -n "$PRX_KEYS" ]
check_eq "each has one" "" "$missing"

# ----------------------------------------------------------- the fixture
step "lgctl stats prometheus-from: every figure, as the kernel and leaseguardd give them"
keys() {
	sed -n "/^const struct lg_counter_name $1\\[\\] = {/,/^};/p" "$AGENT/lgctl/stats.c" |
		grep -o '{ "[a-z0-9_]*"' | cut -d'"' -f2
}
{
	echo "# namespace: every counter, each its own value"
	v=100
	for k in $(keys lg_stats_names); do echo "stats $k $((v++))"; done
	echo "link 10 acc0 access enforce 65536"
	echo "link 11 up0 upstream off"
	printf '%s\n' 'link 12 we"ird\name access monitor 8'
	v=1000
	for k in $(keys lg_link_stats_names); do echo "link-stat acc0 $k $((v++))"; done
	echo "link-stat up0 rx_packets 5"
	printf '%s\n' 'link-stat we"ird\name savi_monitored 3'
	echo "binding acc0 bound 2"
	printf '%s\n' 'binding we"ird\name releasing'
	echo "group acc0 igmp"
	echo "group acc0 mld 3"
	line="daemon stats"
	for k in $REL_KEYS; do line+=" $k=$((v++))"; done
	echo "$line"
	echo "daemon request xid=0a0b0c server=2001:db8:f::2 attempt=1 max=4 next-ms=900 age-ms=100 count=2"
	echo "daemon binding id=3 dev=acc0 duid=00:01 ia=na iaid=1 reason=admin"
	echo "daemon binding id=4 dev=acc0 duid=00:01 ia=pd iaid=1 reason=admin"
	for f in igmp mld; do
		printf 'daemon proxy family=%s upstream=up0 version=3' $f
		for k in $PRX_KEYS; do printf ' %s=%d' "$k" $((v++)); done
		echo
	done
} >"$TMP/full.txt"
run stats prometheus-from "$TMP/full.txt"
cp "$TMP/out" "$TMP/full.prom"
check_eq "it runs" "exit 0" "$(outcome)"
check "promtool check metrics takes it, silently" promtool_clean "$TMP/full.prom"
check "each family's samples together after its HELP and TYPE, no duplicate, none empty" \
	lint_clean "$TMP/full.prom"
check "no counter is unknown" lacks unknown_stat "$TMP/full.prom"
for l in 'leaseguard_bindings 101' \
	 'leaseguard_links_gone_total 100' \
	 'leaseguard_dhcp6_malformed_total{reason="opt_overrun"} 110' \
	 'leaseguard_mc_malformed_total{reason="ip"} 131' \
	 'leaseguard_link_receive_bytes_total{ifname="acc0"} 1001' \
	 'leaseguard_link_savi_drops_total{ifname="acc0",reason="source"} 1005' \
	 'leaseguard_link_savi_drops_total{ifname="acc0",reason="unspecified"} 1006' \
	 'leaseguard_link_savi_drops_total{ifname="acc0",reason="mac"} 1007' \
	 'leaseguard_link_shield_drops_total{ifname="acc0",reason="hidden"} 1011' \
	 'leaseguard_link_mc_forward_drops_total{ifname="acc0"} 1018' \
	 'leaseguard_link_receive_packets_total{ifname="up0"} 5' \
	 'leaseguard_link_savi_monitored_total{ifname="we\"ird\\name"} 3' \
	 'leaseguard_link_info{ifname="acc0",role="access",savi_mode="enforce"} 1' \
	 'leaseguard_link_info{ifname="up0",role="upstream",savi_mode="off"} 1' \
	 'leaseguard_link_max_bindings{ifname="we\"ird\\name"} 8' \
	 'leaseguard_link_bindings{ifname="acc0",state="bound"} 2' \
	 'leaseguard_link_bindings{ifname="acc0",state="releasing"} 0' \
	 'leaseguard_link_bindings{ifname="we\"ird\\name",state="releasing"} 1' \
	 'leaseguard_link_mc_groups{ifname="acc0",family="igmp"} 1' \
	 'leaseguard_link_mc_groups{ifname="acc0",family="mld"} 3' \
	 'leaseguard_link_mc_groups{ifname="we\"ird\\name",family="igmp"} 0' \
	 'leaseguard_daemon_up 1' \
	 'leaseguard_release_requests_total 1024' \
	 'leaseguard_release_replies_discarded_total{reason="server_id"} 1030' \
	 'leaseguard_release_bindings_total{outcome="success"} 1031' \
	 'leaseguard_release_bindings_total{outcome="nobinding"} 1032' \
	 'leaseguard_release_bindings_total{outcome="no_server"} 1035' \
	 'leaseguard_release_alternate_requests_total 1036' \
	 'leaseguard_release_alternate_replies_total 1037' \
	 'leaseguard_release_replies_discarded_total{reason="source"} 1038' \
	 'leaseguard_release_requests_in_flight 1' \
	 'leaseguard_release_bindings_in_flight 2' \
	 'leaseguard_mc_proxy_enabled{family="igmp"} 1039' \
	 'leaseguard_mc_proxy_passive{family="igmp"} 1041' \
	 'leaseguard_mc_proxy_queries_held_total{family="mld"} 1076' \
	 'leaseguard_mc_proxy_query_errors_total{family="mld"} 1075'; do
	check "has $l" has_line "$l" "$TMP/full.prom"
done
check_eq "no group or binding series for up0 (not an access interface)" "" \
	"$(grep -E '^leaseguard_link_(bindings|mc_groups)\{ifname="up0"' "$TMP/full.prom")"
check_eq "every counter of the kernel and leaseguardd is a sample" \
	"$(( $(keys lg_stats_names | wc -l) + $(keys lg_link_stats_names | wc -l) + 1 + 1 +
	     $(wc -w <<<"$REL_KEYS") + 2 * $(wc -w <<<"$PRX_KEYS") ))" \
	"$(grep -cE '^leaseguard_([a-z0-9_]*_total|bindings|mc_groups|mc_proxy_[a-z_]*|link_unknown_stat|unknown_stat)(\{| )' "$TMP/full.prom")"
grep '^# TYPE ' "$TMP/full.prom" | cut -d' ' -f3 | sort >"$TMP/families"
undocumented=$(while read -r f; do
	grep -q "^\`\`$f\`\`" "$REPO/Documentation/metrics.rst" 2>/dev/null || echo "$f"
done <"$TMP/families" | paste -sd' ')
check_eq "Documentation/metrics.rst documents each of the $(wc -l <"$TMP/families") families" "" "$undocumented"

step "A newer module's counters, no leaseguardd, a name twice, a broken fixture"
printf '%s\n' 'stats bindings 1' 'stats 63 7' 'link 10 acc0 access' 'link-stat acc0 62 9' \
	'link-stat acc0 rx_packets 1' >"$TMP/newer.txt"
run stats prometheus-from "$TMP/newer.txt"
cp "$TMP/out" "$TMP/newer.prom"
check_eq "it runs" "exit 0" "$(outcome)"
check "promtool check metrics takes it, silently" promtool_clean "$TMP/newer.prom"
check "lint too" lint_clean "$TMP/newer.prom"
check "an unknown namespace counter is leaseguard_unknown_stat{id}" \
	has_line 'leaseguard_unknown_stat{id="63"} 7' "$TMP/newer.prom"
check "an unknown interface counter is leaseguard_link_unknown_stat{ifname,id}" \
	has_line 'leaseguard_link_unknown_stat{ifname="acc0",id="62"} 9' "$TMP/newer.prom"
check "without leaseguardd: leaseguard_daemon_up 0" \
	has_line 'leaseguard_daemon_up 0' "$TMP/newer.prom"
check "and none of its families" lacks '^# TYPE leaseguard_\(release\|mc_proxy\)_' "$TMP/newer.prom"
check "an access interface without bindings or groups has them at 0" \
	has_line 'leaseguard_link_bindings{ifname="acc0",state="bound"} 0' "$TMP/newer.prom"
check "an idle namespace still passes (families without samples are left out)" \
	lacks '^leaseguard_link_max_bindings' "$TMP/newer.prom"

printf '%s\n' 'link 10 acc0 access' 'link 11 acc0 access' >"$TMP/twice.txt"
run stats prometheus-from "$TMP/twice.txt"
check_eq "two interfaces of one name: a duplicate series is refused, not written" \
	"exit 1
lgctl: prometheus output: duplicate series leaseguard_link_info{ifname=\"acc0\",role=\"access\",savi_mode=\"off\"}" \
	"$(outcome)"
check "nothing on stdout: all or nothing" [ ! -s "$TMP/out" ]
printf '%s\n' 'link 10 acc0 access' 'binding acc1 bound' >"$TMP/broken.txt"
run stats prometheus-from "$TMP/broken.txt"
check_eq "a broken fixture says where" "exit 1
lgctl: $TMP/broken.txt:2: bad line" "$(outcome)"
if command -v valgrind >/dev/null; then
	check "valgrind: prometheus-from leaks nothing" \
		valgrind -q --leak-check=full --error-exitcode=99 "$LGCTL" \
		stats prometheus-from "$TMP/full.txt" >/dev/null
fi

# -------------------------------------------------------------- options
step "The -o option"
run -o bogus stats
check_eq "-o bogus: a usage error that names the formats" \
	'exit 2
Output format "bogus" is unknown: FORMAT is text, json or prometheus.' "$(outcome)"
run -o
check_eq "-o without FORMAT" \
	'exit 2
Option "-o" needs a FORMAT: text, json or prometheus.' "$(outcome)"
run -o prometheus link show
check_eq "-o prometheus is for stats only" \
	'exit 2
Output format "prometheus" is for "lgctl stats" only, not "link".' "$(outcome)"
run -o prometheus stats dev lo
check_eq "-o prometheus stats takes no dev" \
	'exit 2
Argument "dev" is not taken with -o prometheus: its output is the whole namespace.' "$(outcome)"
run -o prometheus stats socket
check_eq "socket needs a PATH" \
	'exit 2
Argument "socket" needs a value, try "lgctl stats help".' "$(outcome)"
run -o prometheus stats show socket /a socket /b
check_eq "socket once" \
	'exit 2
Argument "socket" is given twice, try "lgctl stats help".' "$(outcome)"
run -o json -V
check_eq "-o json is -j" "$("$LGCTL" -j -V)" "$(cat "$TMP/out")"
run -j -o text -V
check_eq "the last of -j and -o wins" "$("$LGCTL" -V)" "$(cat "$TMP/out")"
run -o prometheus stats help
check "stats help shows -o prometheus and socket" \
	grep -qF "lgctl -o prometheus stats [ show ] [ socket PATH ]" "$TMP/out"
run help
check "lgctl help lists -o FORMAT" grep -qF "FORMAT := { text | json | prometheus }" "$TMP/out"
if [[ -d /sys/module/leaseguard ]]; then
	ok "# SKIP the module is loaded here: the not-loaded case is not"
else
	run -o prometheus stats socket "$TMP/no.sock"
	check_eq "no module: exit 3 with the hint, and nothing on stdout (the textfile stays as it was)" \
		'exit 3
lgctl: the leaseguard module is not loaded (try "modprobe leaseguard" or "insmod kmod/leaseguard.ko")
' "$(outcome)
$(cat "$TMP/out")"
fi

# ------------------------------------------------------ the systemd units
step "dist/leaseguard-metrics.service and .timer"
UNIT=$REPO/dist/leaseguard-metrics.service
TIMER=$REPO/dist/leaseguard-metrics.timer
if command -v systemd-analyze >/dev/null; then
	mkdir "$TMP/units"
	cp "$UNIT" "$TIMER" "$TMP/units/"
	check_eq "systemd-analyze verify takes both, without a word" "exit 0" \
		"$(cd "$TMP/units" && systemd-analyze verify --man=no ./leaseguard-metrics.service \
			./leaseguard-metrics.timer 2>&1; echo "exit $?")"
else
	ok "# SKIP systemd-analyze is not installed"
fi
check "the timer runs it every 15 s" grep -qxF "OnUnitActiveSec=15s" "$TIMER"
check "to the second (not the default minute)" grep -qxF "AccuracySec=1s" "$TIMER"
check_eq "it writes node_exporter's textfile directory, atomically" \
	"f=/var/lib/prometheus/node-exporter/leaseguard.prom; if /usr/sbin/lgctl -o prometheus stats >\"\$f.\$\$\"; then mv -f \"\$f.\$\$\" \"\$f\"; else rm -f \"\$f.\$\$\" \"\$f\"; exit 1; fi" \
	"$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" "$UNIT" | sed 's/\$\$/$/g')"
if [[ ! -d /sys/module/leaseguard ]]; then
	# Its command here, where lgctl fails: the old file goes, no temporary stays.
	mkdir "$TMP/textfile"
	echo "leaseguard_daemon_up 1" >"$TMP/textfile/leaseguard.prom"
	sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" "$UNIT" | sed 's/\$\$/$/g' |
		sed "s|/usr/sbin/lgctl|$LGCTL|; s|/var/lib/prometheus/node-exporter|$TMP/textfile|" \
		>"$TMP/unit.sh"
	rc=0
	sh "$TMP/unit.sh" 2>/dev/null || rc=$?
	check_eq "no module: the unit fails, and leaves no file (stale figures would look live)" \
		"exit 1 files:" "exit $rc files:$(ls "$TMP/textfile")"
fi

tap_done
