// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl stats: the counters of the namespace and of each link; with
 * "-o prometheus", those and the rest of the figures an operator graphs
 * (bindings and groups per interface, leaseguardd's counters), in the
 * Prometheus text format (Documentation/metrics.rst).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"
#include "prometheus.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char lg_stats_help[] =
	"Usage: lgctl stats [ show ] [ dev IFNAME ]\n"
	"       lgctl -o prometheus stats [ show ] [ socket PATH ]\n"
	"       lgctl stats help\n"
	"-o prometheus: every counter of the namespace and its interfaces, the\n"
	"bindings and groups of each interface, and leaseguardd's counters when\n"
	"its control socket PATH answers (default " LGD_CONTROL_DEFAULT "),\n"
	"in the Prometheus text format (leaseguard_daemon_up says whether it did).\n";

/* Indexed by attribute id; a hole or an id past the end is "stat_N". */
const struct lg_counter_name lg_stats_names[] = {
	[LG_STATS_A_LINKS_GONE]		= { "links_gone", "links gone" },
	[LG_STATS_A_BINDINGS]		= { "bindings", "bindings" },
	[LG_STATS_A_BINDINGS_CREATED]	= { "bindings_created", "bindings created" },
	[LG_STATS_A_BINDINGS_DELETED]	= { "bindings_deleted", "bindings deleted" },
	[LG_STATS_A_BINDINGS_LIMITED]	= { "bindings_limited", "bindings limited" },
	[LG_STATS_A_LEASES_EXPIRED]	= { "leases_expired", "leases expired" },
	[LG_STATS_A_DHCP6_UNMATCHED]	= { "dhcp6_unmatched", "dhcp6 unmatched" },
	[LG_STATS_A_DHCP6_TOO_BIG]	= { "dhcp6_too_big", "dhcp6 too big" },
	[LG_STATS_A_DHCP6_NOMEM]	= { "dhcp6_nomem", "dhcp6 nomem" },
	[LG_STATS_A_DHCP6_MALFORMED_SHORT] =
		{ "dhcp6_malformed_short", "dhcp6 malformed short" },
	[LG_STATS_A_DHCP6_MALFORMED_OPT_OVERRUN] =
		{ "dhcp6_malformed_opt_overrun", "dhcp6 malformed opt-overrun" },
	[LG_STATS_A_DHCP6_MALFORMED_OPT_LEN] =
		{ "dhcp6_malformed_opt_len", "dhcp6 malformed opt-len" },
	[LG_STATS_A_DHCP6_MALFORMED_DUID] =
		{ "dhcp6_malformed_duid", "dhcp6 malformed duid" },
	[LG_STATS_A_DHCP6_MALFORMED_PREFIX_LEN] =
		{ "dhcp6_malformed_prefix_len", "dhcp6 malformed prefix-len" },
	[LG_STATS_A_DHCP6_MALFORMED_DUPLICATE] =
		{ "dhcp6_malformed_duplicate", "dhcp6 malformed duplicate" },
	[LG_STATS_A_DHCP6_MALFORMED_HOPS] =
		{ "dhcp6_malformed_hops", "dhcp6 malformed hops" },
	[LG_STATS_A_DHCP6_MALFORMED_NO_RELAY_MSG] =
		{ "dhcp6_malformed_no_relay_msg", "dhcp6 malformed no-relay-msg" },
	[LG_STATS_A_DHCP6_MALFORMED_TYPE] =
		{ "dhcp6_malformed_type", "dhcp6 malformed type" },
	[LG_STATS_A_DHCP6_REPLY_FROM_ACCESS] =
		{ "dhcp6_reply_from_access", "dhcp6 reply from access" },
	[LG_STATS_A_MC_GROUPS]		= { "mc_groups", "mc groups" },
	[LG_STATS_A_MC_GROUPS_CREATED]	= { "mc_groups_created", "mc groups created" },
	[LG_STATS_A_MC_GROUPS_DELETED]	= { "mc_groups_deleted", "mc groups deleted" },
	[LG_STATS_A_MC_RECORDS]		= { "mc_records", "mc records" },
	[LG_STATS_A_MC_RECORDS_IGNORED]	=
		{ "mc_records_ignored", "mc records ignored" },
	[LG_STATS_A_MC_NOMEM]		= { "mc_nomem", "mc nomem" },
	[LG_STATS_A_MC_MALFORMED_SHORT] =
		{ "mc_malformed_short", "mc malformed short" },
	[LG_STATS_A_MC_MALFORMED_CSUM] =
		{ "mc_malformed_csum", "mc malformed csum" },
	[LG_STATS_A_MC_MALFORMED_TYPE] =
		{ "mc_malformed_type", "mc malformed type" },
	[LG_STATS_A_MC_MALFORMED_RECORD] =
		{ "mc_malformed_record", "mc malformed record" },
	[LG_STATS_A_MC_MALFORMED_GROUP] =
		{ "mc_malformed_group", "mc malformed group" },
	[LG_STATS_A_MC_MALFORMED_SOURCE] =
		{ "mc_malformed_source", "mc malformed source" },
	[LG_STATS_A_MC_MALFORMED_IP]	= { "mc_malformed_ip", "mc malformed ip" },
	[LG_STATS_A_DHCP6_MALFORMED_CSUM] =
		{ "dhcp6_malformed_csum", "dhcp6 malformed csum" },
	[LG_STATS_A_ANCHOR_CONFLICTS]	= { "anchor_conflicts", "anchor conflicts" },
	[LG_STATS_A_MC_NS_LIMITED]	= { "mc_ns_limited", "mc ns limited" },
	[LG_STATS_A_SAVI_MISS_LIMITED] =
		{ "savi_miss_limited", "savi miss limited" },
};
const unsigned int lg_stats_names_n = ARRAY_SIZE(lg_stats_names);

const struct lg_counter_name lg_link_stats_names[] = {
	[LG_LINK_STATS_A_RX_PACKETS]	= { "rx_packets", "rx packets" },
	[LG_LINK_STATS_A_RX_BYTES]	= { "rx_bytes", "bytes" },
	[LG_LINK_STATS_A_DHCP6_SNOOPED]	= { "dhcp6_snooped", "dhcp6 snooped" },
	[LG_LINK_STATS_A_BINDINGS_LIMITED] =
		{ "bindings_limited", "bindings limited" },
	[LG_LINK_STATS_A_SAVI_PASSED]	= { "savi_passed", "savi passed" },
	[LG_LINK_STATS_A_SAVI_DROP_SOURCE] =
		{ "savi_drop_source", "savi drop source" },
	[LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED] =
		{ "savi_drop_unspecified", "savi drop unspecified" },
	[LG_LINK_STATS_A_SAVI_DROP_MAC]	= { "savi_drop_mac", "savi drop mac" },
	[LG_LINK_STATS_A_SAVI_MONITORED] =
		{ "savi_monitored", "savi monitored" },
	[LG_LINK_STATS_A_SHIELD_DROP_SERVER] =
		{ "shield_drop_server", "shield drop server" },
	[LG_LINK_STATS_A_SHIELD_DROP_RELEASE] =
		{ "shield_drop_release", "shield drop release" },
	[LG_LINK_STATS_A_SHIELD_DROP_HIDDEN] =
		{ "shield_drop_hidden", "shield drop hidden" },
	[LG_LINK_STATS_A_RELEASE_FWD_DROP] =
		{ "release_fwd_drop", "release fwd drop" },
	[LG_LINK_STATS_A_MC_REPORTS]	= { "mc_reports", "mc reports" },
	[LG_LINK_STATS_A_MC_QUERY_DROP]	= { "mc_query_drop", "mc query drop" },
	[LG_LINK_STATS_A_MC_GROUPS_LIMITED] =
		{ "mc_groups_limited", "mc groups limited" },
	[LG_LINK_STATS_A_MC_SOURCES_LIMITED] =
		{ "mc_sources_limited", "mc sources limited" },
	[LG_LINK_STATS_A_MC_FWD_PASSED]	= { "mc_fwd_passed", "mc fwd passed" },
	[LG_LINK_STATS_A_MC_FWD_DROP]	= { "mc_fwd_drop", "mc fwd drop" },
	[LG_LINK_STATS_A_MC_HOST_LIMITED] =
		{ "mc_host_limited", "mc host limited" },
	[LG_LINK_STATS_A_MC_SSM_ASM_IGNORED] =
		{ "mc_ssm_asm_ignored", "mc ssm asm ignored" },
	[LG_LINK_STATS_A_SAVI_MISS_SENT] =
		{ "savi_miss_sent", "savi miss sent" },
	[LG_LINK_STATS_A_SAVI_MISS_REPEATED] =
		{ "savi_miss_repeated", "savi miss repeated" },
	[LG_LINK_STATS_A_SAVI_MISS_LIMITED] =
		{ "savi_miss_limited", "savi miss limited" },
};
const unsigned int lg_link_stats_names_n = ARRAY_SIZE(lg_link_stats_names);

/*
 * Every u64 (or u32) in the nest is a counter, known or not; anything
 * else (the PAD attribute, or whatever a newer module adds) is skipped.
 */
int lg_counters_parse(const struct nlattr *nest, struct lg_counters *c)
{
	const struct nlattr *a;

	memset(c, 0, sizeof(*c));
	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);

		if (type >= LG_COUNTERS_MAX)
			continue;
		switch (mnl_attr_get_payload_len(a)) {
		case sizeof(uint64_t):
			c->val[type] = mnl_attr_get_u64(a);
			break;
		case sizeof(uint32_t):
			c->val[type] = mnl_attr_get_u32(a);
			break;
		default:
			continue;
		}
		c->present |= 1ULL << type;
	}
	return 0;
}

/* " label value" per counter in text; "key":value in JSON. */
/* In text, each counter follows @sep: " " on one line, "\n    " a line each. */
void lg_counters_print(const struct lg_counters *c,
		       const struct lg_counter_name *names, unsigned int n,
		       const char *sep)
{
	unsigned int id;

	for (id = 0; id < LG_COUNTERS_MAX; id++) {
		const char *key, *label;
		char buf[16];

		if (!(c->present & (1ULL << id)))
			continue;
		if (id < n && names[id].key) {
			key = names[id].key;
			label = names[id].label;
		} else {
			snprintf(buf, sizeof(buf), "stat_%u", id);
			key = label = buf;
		}
		print_string(PRINT_FP, NULL, "%s", sep);
		print_string(PRINT_FP, NULL, "%s", label);
		print_u64(PRINT_ANY, key, " %" PRIu64, c->val[id]);
	}
}

static int lg_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_STATS_GET, LG_A_STATS, &obj);
	if (err)
		return err < 0 ? err : 0;
	return lg_counters_parse(obj, data);
}

static int lg_stats_get(struct lg_nl *nl, struct lg_counters *c)
{
	memset(c, 0, sizeof(*c));
	return lg_nl_doit(nl, lg_nl_msg(nl, LG_CMD_STATS_GET, 0), lg_stats_cb,
			  c);
}

static void print_link_stats(const struct lg_link *l)
{
	open_json_object(NULL);
	print_uint(PRINT_ANY, "ifindex", "%u:", l->ifindex);
	print_string(PRINT_ANY, "ifname", " %s", l->ifname);
	lg_counters_print(&l->stats, lg_link_stats_names,
			  lg_link_stats_names_n, " ");
	print_nl();
	close_json_object();
}

/*
 * -o prometheus
 * -------------
 * Everything is read first (a snapshot), then written, into memory, and
 * to stdout only when all of it was: a scrape gets all or nothing.
 */

#define LG_PM_STATES	16	/* binding states counted (enum lg_binding_state) */
#define LG_PM_FAMILIES	2	/* IGMP, MLD */
#define LG_PM_TIMEOUT_S	2	/* leaseguardd answers within */

static const char *const lg_pm_family_names[LG_PM_FAMILIES] = { "igmp", "mld" };

/* An interface: configured (link), or met in a dump. */
struct lg_pm_if {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE + 16];
	const struct lg_link *link;
	uint64_t bindings[LG_PM_STATES];	/* by state */
	uint64_t groups[LG_PM_FAMILIES];
};

struct lg_pm_snap {
	struct lg_counters ns;
	struct lg_link_list links;
	struct lg_pm_if *ifs;		/* by ifindex */
	size_t n_ifs, cap_ifs;
	bool daemon_up;
	char **lines;			/* leaseguardd's answers */
	size_t n_lines, cap_lines;
};

/* Where a figure comes from. */
enum lg_pm_src {
	LG_PM_NS,	/* LG_STATS_A_*, attr */
	LG_PM_LINK,	/* LG_LINK_STATS_A_*, attr; label ifname */
	LG_PM_RELEASE,	/* leaseguardd's "stats" line, key */
	LG_PM_PROXY,	/* its "proxy" lines, key; label family */
};

/*
 * The counters and leaseguardd's figures, as metrics: one row each, the
 * rows of a family together, its HELP on the first. label and value: the
 * row's own label (a drop reason, an outcome), if it has one.
 */
struct lg_pm_metric {
	enum lg_pm_src src;
	unsigned int attr;
	const char *key;
	const char *name;
	enum lg_prom_type type;
	const char *label, *value;
	const char *help;
};

#define C	LG_PROM_COUNTER
#define G	LG_PROM_GAUGE
#define NS(a)	LG_PM_NS, LG_STATS_A_##a, NULL
#define LINK(a)	LG_PM_LINK, LG_LINK_STATS_A_##a, NULL
#define REL(k)	LG_PM_RELEASE, 0, k
#define PRX(k)	LG_PM_PROXY, 0, k
#define R(r)	"reason", r

static const struct lg_pm_metric lg_pm_metrics[] = {
	/* the namespace */
	{ NS(LINKS_GONE), "leaseguard_links_gone_total", C, NULL, NULL,
	  "Interface configurations dropped because the interface was unregistered or left the namespace." },
	{ NS(BINDINGS), "leaseguard_bindings", G, NULL, NULL,
	  "Bindings in the namespace now." },
	{ NS(BINDINGS_CREATED), "leaseguard_bindings_created_total", C, NULL, NULL,
	  "Bindings created." },
	{ NS(BINDINGS_DELETED), "leaseguard_bindings_deleted_total", C, NULL, NULL,
	  "Bindings deleted." },
	{ NS(BINDINGS_LIMITED), "leaseguard_bindings_limited_total", C, NULL, NULL,
	  "Leases not learned because the namespace had max-bindings bindings." },
	{ NS(LEASES_EXPIRED), "leaseguard_leases_expired_total", C, NULL, NULL,
	  "Leases that reached their valid lifetime." },
	{ NS(DHCP6_UNMATCHED), "leaseguard_dhcp6_unmatched_total", C, NULL, NULL,
	  "Server replies that matched no client request seen on an access interface." },
	{ NS(DHCP6_TOO_BIG), "leaseguard_dhcp6_too_big_total", C, NULL, NULL,
	  "DHCPv6 messages too large to snoop." },
	{ NS(DHCP6_NOMEM), "leaseguard_dhcp6_nomem_total", C, NULL, NULL,
	  "Leases not learned for want of memory." },
	{ NS(DHCP6_MALFORMED_SHORT), "leaseguard_dhcp6_malformed_total", C, R("short"),
	  "DHCPv6 messages left out of snooping as malformed (never dropped from the wire), by reason." },
	{ NS(DHCP6_MALFORMED_OPT_OVERRUN), "leaseguard_dhcp6_malformed_total", C, R("opt_overrun"), NULL },
	{ NS(DHCP6_MALFORMED_OPT_LEN), "leaseguard_dhcp6_malformed_total", C, R("opt_len"), NULL },
	{ NS(DHCP6_MALFORMED_DUID), "leaseguard_dhcp6_malformed_total", C, R("duid"), NULL },
	{ NS(DHCP6_MALFORMED_PREFIX_LEN), "leaseguard_dhcp6_malformed_total", C, R("prefix_len"), NULL },
	{ NS(DHCP6_MALFORMED_DUPLICATE), "leaseguard_dhcp6_malformed_total", C, R("duplicate"), NULL },
	{ NS(DHCP6_MALFORMED_HOPS), "leaseguard_dhcp6_malformed_total", C, R("hops"), NULL },
	{ NS(DHCP6_MALFORMED_NO_RELAY_MSG), "leaseguard_dhcp6_malformed_total", C, R("no_relay_msg"), NULL },
	{ NS(DHCP6_MALFORMED_TYPE), "leaseguard_dhcp6_malformed_total", C, R("type"), NULL },
	{ NS(DHCP6_MALFORMED_CSUM), "leaseguard_dhcp6_malformed_total", C, R("csum"), NULL },
	{ NS(DHCP6_REPLY_FROM_ACCESS), "leaseguard_dhcp6_reply_from_access_total", C, NULL, NULL,
	  "Server messages not learned from because they arrived on an access interface." },
	{ NS(MC_GROUPS), "leaseguard_mc_groups", G, NULL, NULL,
	  "IGMP and MLD groups on all access interfaces now." },
	{ NS(MC_GROUPS_CREATED), "leaseguard_mc_groups_created_total", C, NULL, NULL,
	  "Groups that appeared on an access interface." },
	{ NS(MC_GROUPS_DELETED), "leaseguard_mc_groups_deleted_total", C, NULL, NULL,
	  "Groups that went away from an access interface." },
	{ NS(MC_RECORDS), "leaseguard_mc_records_total", C, NULL, NULL,
	  "IGMP/MLD group records applied." },
	{ NS(MC_RECORDS_IGNORED), "leaseguard_mc_records_ignored_total", C, NULL, NULL,
	  "Group records ignored: unknown type, link scope, or older-version compatibility." },
	{ NS(MC_NOMEM), "leaseguard_mc_nomem_total", C, NULL, NULL,
	  "IGMP/MLD state not kept for want of memory." },
	{ NS(MC_MALFORMED_SHORT), "leaseguard_mc_malformed_total", C, R("short"),
	  "IGMP/MLD messages dropped as malformed, by reason." },
	{ NS(MC_MALFORMED_CSUM), "leaseguard_mc_malformed_total", C, R("csum"), NULL },
	{ NS(MC_MALFORMED_TYPE), "leaseguard_mc_malformed_total", C, R("type"), NULL },
	{ NS(MC_MALFORMED_RECORD), "leaseguard_mc_malformed_total", C, R("record"), NULL },
	{ NS(MC_MALFORMED_GROUP), "leaseguard_mc_malformed_total", C, R("group"), NULL },
	{ NS(MC_MALFORMED_SOURCE), "leaseguard_mc_malformed_total", C, R("source"), NULL },
	{ NS(MC_MALFORMED_IP), "leaseguard_mc_malformed_total", C, R("ip"), NULL },
	{ NS(ANCHOR_CONFLICTS), "leaseguard_anchor_conflicts_total", C, NULL, NULL,
	  "Server replies to a request from another client (MAC) than the binding's: the binding kept its client." },
	{ NS(MC_NS_LIMITED), "leaseguard_mc_namespace_limited_total", C, NULL, NULL,
	  "New groups or records refused: the namespace had ns-max-groups groups or ns-max-sources sources." },
	{ NS(SAVI_MISS_LIMITED), "leaseguard_savi_miss_limited_total", C, NULL, NULL,
	  "Unvalidated sources not told to leaseguardd: over the namespace's miss-rate." },

	/* each configured interface */
	{ LINK(RX_PACKETS), "leaseguard_link_receive_packets_total", C, NULL, NULL,
	  "IPv6 packets that arrived on the interface and were seen by leaseguard." },
	{ LINK(RX_BYTES), "leaseguard_link_receive_bytes_total", C, NULL, NULL,
	  "Bytes of those packets, from the IPv6 header on." },
	{ LINK(DHCP6_SNOOPED), "leaseguard_link_dhcp6_snooped_total", C, NULL, NULL,
	  "DHCPv6 messages parsed on the interface." },
	{ LINK(BINDINGS_LIMITED), "leaseguard_link_bindings_limited_total", C, NULL, NULL,
	  "Leases not learned because the interface had max-bindings bindings." },
	{ LINK(SAVI_PASSED), "leaseguard_link_savi_passed_total", C, NULL, NULL,
	  "Packets whose source address was checked and valid." },
	{ LINK(SAVI_DROP_SOURCE), "leaseguard_link_savi_drops_total", C, R("source"),
	  "Packets dropped by source-address validation, by reason." },
	{ LINK(SAVI_DROP_UNSPECIFIED), "leaseguard_link_savi_drops_total", C, R("unspecified"), NULL },
	{ LINK(SAVI_DROP_MAC), "leaseguard_link_savi_drops_total", C, R("mac"), NULL },
	{ LINK(SAVI_MONITORED), "leaseguard_link_savi_monitored_total", C, NULL, NULL,
	  "Packets from invalid sources passed in monitor mode." },
	{ LINK(SHIELD_DROP_SERVER), "leaseguard_link_shield_drops_total", C, R("server"),
	  "Packets dropped by DHCPv6-Shield, by reason." },
	{ LINK(SHIELD_DROP_RELEASE), "leaseguard_link_shield_drops_total", C, R("release"), NULL },
	{ LINK(SHIELD_DROP_HIDDEN), "leaseguard_link_shield_drops_total", C, R("hidden"), NULL },
	{ LINK(RELEASE_FWD_DROP), "leaseguard_link_release_forward_drops_total", C, NULL, NULL,
	  "Relayed or forwarded RELEASE-REQUEST(-REPLY) dropped because the interface does not forward them." },
	{ LINK(MC_REPORTS), "leaseguard_link_mc_reports_total", C, NULL, NULL,
	  "IGMP/MLD reports and leaves snooped." },
	{ LINK(MC_QUERY_DROP), "leaseguard_link_mc_query_drops_total", C, NULL, NULL,
	  "IGMP/MLD queries from a subscriber, dropped." },
	{ LINK(MC_GROUPS_LIMITED), "leaseguard_link_mc_groups_limited_total", C, NULL, NULL,
	  "New groups refused: the interface had max-groups groups." },
	{ LINK(MC_SOURCES_LIMITED), "leaseguard_link_mc_sources_limited_total", C, NULL, NULL,
	  "Group records refused: a group would have had more than max-sources sources." },
	{ LINK(MC_FWD_PASSED), "leaseguard_link_mc_forward_passed_total", C, NULL, NULL,
	  "Multicast packets forwarded out of the interface that its groups wanted." },
	{ LINK(MC_FWD_DROP), "leaseguard_link_mc_forward_drops_total", C, NULL, NULL,
	  "Multicast packets forwarded to the interface that its groups did not want, dropped." },
	{ LINK(MC_HOST_LIMITED), "leaseguard_link_mc_host_limited_total", C, NULL, NULL,
	  "New groups refused: the reporting host had max-groups-host groups on the interface." },
	{ LINK(MC_SSM_ASM_IGNORED), "leaseguard_link_mc_ssm_asm_ignored_total", C, NULL, NULL,
	  "Any-source joins of source-specific (SSM) groups, ignored." },
	{ LINK(SAVI_MISS_SENT), "leaseguard_link_savi_misses_total", C, R("sent"),
	  "Sources no binding validates, by what became of them: told to leaseguardd (sent), in the holddown (repeated), over a miss-rate (limited)." },
	{ LINK(SAVI_MISS_REPEATED), "leaseguard_link_savi_misses_total", C, R("repeated"), NULL },
	{ LINK(SAVI_MISS_LIMITED), "leaseguard_link_savi_misses_total", C, R("limited"), NULL },

	/* leaseguardd: the relay-initiated release */
	{ REL("requests"), "leaseguard_release_requests_total", C, NULL, NULL,
	  "RELEASE-REQUEST messages sent (first transmissions)." },
	{ REL("retransmissions"), "leaseguard_release_retransmissions_total", C, NULL, NULL,
	  "RELEASE-REQUEST retransmissions." },
	{ REL("replies"), "leaseguard_release_replies_total", C, NULL, NULL,
	  "RELEASE-REQUEST-REPLY messages accepted." },
	{ REL("discarded_malformed"), "leaseguard_release_replies_discarded_total", C, R("malformed"),
	  "RELEASE-REQUEST-REPLY messages discarded, by reason." },
	{ REL("discarded_xid"), "leaseguard_release_replies_discarded_total", C, R("xid"), NULL },
	{ REL("discarded_no_status"), "leaseguard_release_replies_discarded_total", C, R("no_status"), NULL },
	{ REL("discarded_server_id"), "leaseguard_release_replies_discarded_total", C, R("server_id"), NULL },
	{ REL("discarded_source"), "leaseguard_release_replies_discarded_total", C, R("source"), NULL },
	{ REL("success"), "leaseguard_release_bindings_total", C, "outcome", "success",
	  "Bindings whose release ended, by outcome: success and nobinding (the server answered Success or NoBinding: deleted), refused (another status), timed_out (no reply), no_server (none known)." },
	{ REL("nobinding"), "leaseguard_release_bindings_total", C, "outcome", "nobinding", NULL },
	{ REL("refused"), "leaseguard_release_bindings_total", C, "outcome", "refused", NULL },
	{ REL("timed_out"), "leaseguard_release_bindings_total", C, "outcome", "timed_out", NULL },
	{ REL("no_server"), "leaseguard_release_bindings_total", C, "outcome", "no_server", NULL },
	{ REL("alternate"), "leaseguard_release_alternate_requests_total", C, NULL, NULL,
	  "RELEASE-REQUESTs sent to a release-fallback server (the lease's did not answer, or is unknown)." },
	{ REL("alternate_replies"), "leaseguard_release_alternate_replies_total", C, NULL, NULL,
	  "RELEASE-REQUEST-REPLY messages accepted from a release-fallback server." },

	/* leaseguardd: the IGMP/MLD proxy, per family */
	{ PRX("enable"), "leaseguard_mc_proxy_enabled", G, NULL, NULL,
	  "1 if the family is enabled in the module." },
	{ PRX("active"), "leaseguard_mc_proxy_active", G, NULL, NULL,
	  "1 if leaseguardd proxies the family on its upstream interface." },
	{ PRX("passive"), "leaseguard_mc_proxy_passive", G, NULL, NULL,
	  "1 if the router is not its pair's MASTER: it sends no query and forwards nothing onto the access interfaces." },
	{ PRX("routing"), "leaseguard_mc_proxy_routing", G, NULL, NULL,
	  "1 if leaseguardd routes the family's multicast (ipmr/ip6mr)." },
	{ PRX("groups"), "leaseguard_mc_proxy_groups", G, NULL, NULL,
	  "Groups leaseguardd knows of on the access interfaces." },
	{ PRX("memberships"), "leaseguard_mc_proxy_memberships", G, NULL, NULL,
	  "Group memberships of access interfaces (a group on two interfaces counts twice)." },
	{ PRX("upstream-groups"), "leaseguard_mc_proxy_upstream_groups", G, NULL, NULL,
	  "Groups joined on the upstream interface." },
	{ PRX("sockets"), "leaseguard_mc_proxy_sockets", G, NULL, NULL,
	  "Sockets holding the upstream memberships." },
	{ PRX("vifs"), "leaseguard_mc_proxy_vifs", G, NULL, NULL,
	  "Multicast routing vifs." },
	{ PRX("mfc"), "leaseguard_mc_proxy_mfc_entries", G, NULL, NULL,
	  "(S,G) multicast forwarding entries installed." },
	{ PRX("joins"), "leaseguard_mc_proxy_joins_total", C, NULL, NULL,
	  "Joins of a group on the upstream interface." },
	{ PRX("leaves"), "leaseguard_mc_proxy_leaves_total", C, NULL, NULL,
	  "Leaves of a group on the upstream interface." },
	{ PRX("changes"), "leaseguard_mc_proxy_changes_total", C, NULL, NULL,
	  "Source-filter changes of a joined group." },
	{ PRX("upstream-errors"), "leaseguard_mc_proxy_upstream_errors_total", C, NULL, NULL,
	  "Upstream membership socket calls that failed." },
	{ PRX("upstream-nobufs"), "leaseguard_mc_proxy_upstream_nobufs_total", C, NULL, NULL,
	  "Of those, the ones that failed with ENOBUFS or ENOMEM (the kernel's limits)." },
	{ PRX("capped"), "leaseguard_mc_proxy_capped_total", C, NULL, NULL,
	  "Merged states with more sources than one filter takes (more is received, not less)." },
	{ PRX("upcalls"), "leaseguard_mc_proxy_upcalls_total", C, NULL, NULL,
	  "Multicast routing NOCACHE upcalls." },
	{ PRX("upcalls-ignored"), "leaseguard_mc_proxy_upcalls_ignored_total", C, NULL, NULL,
	  "Of those, the ones not from the upstream vif or for a link-local group." },
	{ PRX("mfc-adds"), "leaseguard_mc_proxy_mfc_adds_total", C, NULL, NULL,
	  "(S,G) entries added." },
	{ PRX("mfc-dels"), "leaseguard_mc_proxy_mfc_dels_total", C, NULL, NULL,
	  "(S,G) entries removed." },
	{ PRX("mfc-errors"), "leaseguard_mc_proxy_mfc_errors_total", C, NULL, NULL,
	  "Multicast routing calls that failed." },
	{ PRX("no-vif"), "leaseguard_mc_proxy_no_vif_total", C, NULL, NULL,
	  "Access interfaces that wanted an (S,G) and got no vif." },
	{ PRX("queries"), "leaseguard_mc_proxy_queries_total", C, NULL, NULL,
	  "Queries sent on access interfaces." },
	{ PRX("query-errors"), "leaseguard_mc_proxy_query_errors_total", C, NULL, NULL,
	  "Queries that could not be sent." },
	{ PRX("queries-held"), "leaseguard_mc_proxy_queries_held_total", C, NULL, NULL,
	  "Group-specific queries a passive router (not its pair's MASTER) did not send." },
};

#undef C
#undef G
#undef NS
#undef LINK
#undef REL
#undef PRX
#undef R

static void lg_pm_snap_free(struct lg_pm_snap *s)
{
	size_t i;

	lg_link_list_free(&s->links);
	free(s->ifs);
	for (i = 0; i < s->n_lines; i++)
		free(s->lines[i]);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}

/*
 * The interface ifindex, added (in order) if new, named name when it has
 * no name yet; NULL: no memory.
 */
static struct lg_pm_if *lg_pm_if_get(struct lg_pm_snap *s, uint32_t ifindex,
				     const char *name)
{
	size_t lo = 0, hi = s->n_ifs, mid;
	struct lg_pm_if *i;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->ifs[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->n_ifs || s->ifs[lo].ifindex != ifindex) {
		if (lg_grow(&s->ifs, &s->cap_ifs, s->n_ifs, sizeof(*s->ifs)))
			return NULL;
		memmove(&s->ifs[lo + 1], &s->ifs[lo],
			(s->n_ifs - lo) * sizeof(*s->ifs));
		s->n_ifs++;
		memset(&s->ifs[lo], 0, sizeof(s->ifs[lo]));
		s->ifs[lo].ifindex = ifindex;
	}
	i = &s->ifs[lo];
	if (!i->ifname[0] && name && *name)
		snprintf(i->ifname, sizeof(i->ifname), "%s", name);
	return i;
}

/* The links' entries, before any dump: s->links stays as it is. */
static int lg_pm_links_index(struct lg_pm_snap *s)
{
	struct lg_pm_if *i;
	size_t k;

	for (k = 0; k < s->links.n; k++) {
		i = lg_pm_if_get(s, s->links.v[k].ifindex,
				 s->links.v[k].ifname);
		if (!i)
			return -ENOMEM;
		i->link = &s->links.v[k];
	}
	return 0;
}

/* An attribute of a dump: 0 (absent: *has false), or -EBADMSG. */
static int lg_pm_u32(const struct nlattr *a, uint32_t *v, bool *has)
{
	*has = a != NULL;
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static const char *lg_pm_str(const struct nlattr *a)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(a);
}

/* Bindings: counted by interface and state, never kept. */
static int lg_pm_binding_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *obj, *tb[LG_BINDING_A_MAX + 1];
	struct lg_pm_snap *s = data;
	uint32_t ifindex = 0, state = 0;
	bool has_if, has_state;
	struct lg_pm_if *i;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_GET, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_BINDING_A_MAX);
	if (!err)
		err = lg_pm_u32(tb[LG_BINDING_A_IFINDEX], &ifindex, &has_if);
	if (!err)
		err = lg_pm_u32(tb[LG_BINDING_A_STATE], &state, &has_state);
	if (err)
		return err;
	if (!has_if || !has_state || state >= LG_PM_STATES)
		return 0;
	i = lg_pm_if_get(s, ifindex, lg_pm_str(tb[LG_BINDING_A_IFNAME]));
	if (!i)
		return -ENOMEM;
	i->bindings[state]++;
	return 0;
}

static void lg_pm_bindings_reset(void *data)
{
	struct lg_pm_snap *s = data;
	size_t k;

	for (k = 0; k < s->n_ifs; k++)
		memset(s->ifs[k].bindings, 0, sizeof(s->ifs[k].bindings));
}

/* Groups: counted by interface and family. */
static int lg_pm_group_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *obj, *tb[LG_MC_GROUP_A_MAX + 1];
	struct lg_pm_snap *s = data;
	uint32_t ifindex = 0;
	struct lg_pm_if *i;
	uint8_t family;
	bool has_if;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_MC_GROUP_GET, LG_A_MC_GROUP, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_MC_GROUP_A_MAX);
	if (!err)
		err = lg_pm_u32(tb[LG_MC_GROUP_A_IFINDEX], &ifindex, &has_if);
	if (err)
		return err;
	if (!has_if || !tb[LG_MC_GROUP_A_FAMILY] ||
	    mnl_attr_validate(tb[LG_MC_GROUP_A_FAMILY], MNL_TYPE_U8) < 0)
		return 0;
	family = mnl_attr_get_u8(tb[LG_MC_GROUP_A_FAMILY]);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	i = lg_pm_if_get(s, ifindex, lg_pm_str(tb[LG_MC_GROUP_A_IFNAME]));
	if (!i)
		return -ENOMEM;
	i->groups[family == AF_INET6]++;
	return 0;
}

static void lg_pm_groups_reset(void *data)
{
	struct lg_pm_snap *s = data;
	size_t k;

	for (k = 0; k < s->n_ifs; k++)
		memset(s->ifs[k].groups, 0, sizeof(s->ifs[k].groups));
}

static int lg_pm_add_line(struct lg_pm_snap *s, const char *line)
{
	char *dup;

	if (lg_grow(&s->lines, &s->cap_lines, s->n_lines, sizeof(*s->lines)))
		return -ENOMEM;
	dup = strdup(line);
	if (!dup)
		return -ENOMEM;
	s->lines[s->n_lines++] = dup;
	return 0;
}

/*
 * Asks leaseguardd cmd, quietly (its absence is a figure, not an error),
 * and keeps the lines of a whole answer. Returns 1 when one was read, 0
 * when there was none (no daemon, a stuck one: LG_PM_TIMEOUT_S), or
 * -ENOMEM.
 */
static int lg_pm_ask(struct lg_pm_snap *s, const char *path, const char *cmd)
{
	struct timeval tv = { .tv_sec = LG_PM_TIMEOUT_S };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t first = s->n_lines;
	char line[4096];
	int fd, n, ret = 1;
	FILE *f;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	strcpy(sa.sun_path, path);
	n = snprintf(line, sizeof(line), "%s\n", cmd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send(fd, line, n, MSG_NOSIGNAL) != n) {
		close(fd);
		return 0;
	}
	shutdown(fd, SHUT_WR);
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	while (ret > 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (lg_pm_add_line(s, line))
			ret = -ENOMEM;
	}
	if (ret > 0 && ferror(f))
		ret = 0;		/* cut short: none of it */
	fclose(f);
	if (ret <= 0) {
		while (s->n_lines > first)
			free(s->lines[--s->n_lines]);
	}
	return ret;
}

/* Whether the answers hold a line of this kind. */
static bool lg_pm_has_kind(const struct lg_pm_snap *s, const char *kind)
{
	size_t k, n = strlen(kind);

	for (k = 0; k < s->n_lines; k++)
		if (!strncmp(s->lines[k], kind, n) &&
		    (s->lines[k][n] == ' ' || !s->lines[k][n]))
			return true;
	return false;
}

/* The kernel's figures, then leaseguardd's (if it answers). */
static int lg_pm_collect(struct lg_pm_snap *s, const char *path)
{
	struct lg_nl nl;
	int ret, err;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_stats_get(&nl, &s->ns);
	if (!err)
		err = lg_link_dump(&nl, &s->links);
	if (!err)
		err = lg_pm_links_index(s);
	if (!err)
		err = lg_nl_dump(&nl, LG_CMD_BINDING_GET, lg_pm_binding_cb,
				 lg_pm_bindings_reset, s);
	if (!err) {
		err = lg_nl_dump(&nl, LG_CMD_MC_GROUP_GET, lg_pm_group_cb,
				 lg_pm_groups_reset, s);
		if (err == -EOPNOTSUPP)	/* a module without the proxy */
			err = 0;
	}
	if (err) {
		ret = lg_fail(&nl, err);
		lg_nl_close(&nl);
		return ret;
	}
	lg_nl_close(&nl);

	err = lg_pm_ask(s, path, "releases");
	if (err > 0 && lg_pm_has_kind(s, "stats")) {
		s->daemon_up = true;
		err = lg_pm_ask(s, path, "mcast");
	}
	if (err < 0)
		return lg_fail(NULL, err);
	return LG_EXIT_OK;
}

/* Output */

static const char *lg_pm_ifname(const struct lg_pm_if *i, char *buf,
				size_t len)
{
	/* ':' is in no interface's name: this one cannot be another's. */
	if (i->ifname[0])
		return i->ifname;
	snprintf(buf, len, "ifindex:%u", i->ifindex);
	return buf;
}

static bool lg_pm_access(const struct lg_pm_if *i)
{
	return i->link && i->link->has_role &&
	       i->link->role == LG_ROLE_ACCESS;
}

static const char *lg_pm_enum(const char *const *names, size_t n,
			      uint32_t v, char *buf, size_t len)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

static const char *const lg_pm_roles[] = { "none", "access", "upstream" };
static const char *const lg_pm_savi_modes[] = { "off", "monitor", "enforce" };
static const char *const lg_pm_states[] = {
	[LG_BINDING_BOUND] = "bound", [LG_BINDING_RELEASING] = "releasing",
};

/* The samples of rows [first, end) of the table, one family. */
static void lg_pm_rows(struct lg_prom *p, const struct lg_pm_snap *s,
		       size_t first, size_t end, bool write, size_t *count)
{
	const struct lg_pm_metric *m;
	struct lg_ctl_line l;
	char buf[32], line[4096];
	size_t k, r;

	*count = 0;
	for (r = first; r < end && lg_pm_metrics[r].src == LG_PM_NS; r++) {
		m = &lg_pm_metrics[r];
		if (!(s->ns.present & (1ULL << m->attr)))
			continue;
		++*count;
		if (write)
			lg_prom_sample(p, s->ns.val[m->attr], m->label,
				       m->value, NULL);
	}
	for (k = 0; k < s->n_ifs; k++) {
		const struct lg_pm_if *i = &s->ifs[k];

		if (!i->link || !i->link->has_stats)
			continue;
		for (r = first; r < end; r++) {
			m = &lg_pm_metrics[r];
			if (m->src != LG_PM_LINK ||
			    !(i->link->stats.present & (1ULL << m->attr)))
				continue;
			++*count;
			if (write)
				lg_prom_sample(p, i->link->stats.val[m->attr],
					       "ifname",
					       lg_pm_ifname(i, buf, sizeof(buf)),
					       m->label, m->value, NULL);
		}
	}
	for (k = 0; s->daemon_up && k < s->n_lines; k++) {
		snprintf(line, sizeof(line), "%s", s->lines[k]);
		lg_ctl_split(line, &l);
		if (!l.kind)
			continue;
		for (r = first; r < end; r++) {
			const char *v, *fam;

			m = &lg_pm_metrics[r];
			if (!((m->src == LG_PM_RELEASE && !strcmp(l.kind, "stats")) ||
			      (m->src == LG_PM_PROXY && !strcmp(l.kind, "proxy"))))
				continue;
			v = lg_ctl_get(&l, m->key);
			fam = lg_ctl_get(&l, "family");
			if (!*v || (m->src == LG_PM_PROXY && !*fam))
				continue;
			++*count;
			if (!write)
				continue;
			if (m->src == LG_PM_PROXY)
				lg_prom_sample(p, strtoull(v, NULL, 10),
					       "family", fam, m->label,
					       m->value, NULL);
			else
				lg_prom_sample(p, strtoull(v, NULL, 10),
					       m->label, m->value, NULL);
		}
	}
}

/* The table's families, those of src, each when it has a sample. */
static void lg_pm_table(struct lg_prom *p, const struct lg_pm_snap *s,
			enum lg_pm_src src)
{
	const size_t n = ARRAY_SIZE(lg_pm_metrics);
	size_t first, end, count;

	for (first = 0; first < n; first = end) {
		for (end = first + 1; end < n &&
		     !strcmp(lg_pm_metrics[end].name, lg_pm_metrics[first].name);
		     end++)
			;
		if (lg_pm_metrics[first].src != src)
			continue;
		lg_pm_rows(p, s, first, end, false, &count);
		if (!count)
			continue;
		lg_prom_family(p, lg_pm_metrics[first].name,
			       lg_pm_metrics[first].type,
			       lg_pm_metrics[first].help);
		lg_pm_rows(p, s, first, end, true, &count);
	}
}

/* Whether the table has a kernel counter attr of src. */
static bool lg_pm_known(enum lg_pm_src src, unsigned int attr)
{
	size_t r;

	for (r = 0; r < ARRAY_SIZE(lg_pm_metrics); r++)
		if (lg_pm_metrics[r].src == src && lg_pm_metrics[r].attr == attr)
			return true;
	return false;
}

/* Counters of a newer module, by attribute id (untyped: unknown). */
static void lg_pm_unknown(struct lg_prom *p, const struct lg_pm_snap *s)
{
	char id[16], buf[32];
	unsigned int a;
	bool head = false;
	size_t k;

	for (a = 0; a < LG_COUNTERS_MAX; a++) {
		if (!(s->ns.present & (1ULL << a)) || lg_pm_known(LG_PM_NS, a))
			continue;
		if (!head)
			lg_prom_family(p, "leaseguard_unknown_stat",
				       LG_PROM_UNTYPED,
				       "A namespace counter this lgctl does not know, by attribute id (LG_STATS_A_*).");
		head = true;
		snprintf(id, sizeof(id), "%u", a);
		lg_prom_sample(p, s->ns.val[a], "id", id, NULL);
	}
	head = false;
	for (k = 0; k < s->n_ifs; k++) {
		const struct lg_pm_if *i = &s->ifs[k];

		for (a = 0; i->link && a < LG_COUNTERS_MAX; a++) {
			if (!(i->link->stats.present & (1ULL << a)) ||
			    lg_pm_known(LG_PM_LINK, a))
				continue;
			if (!head)
				lg_prom_family(p, "leaseguard_link_unknown_stat",
					       LG_PROM_UNTYPED,
					       "An interface counter this lgctl does not know, by attribute id (LG_LINK_STATS_A_*).");
			head = true;
			snprintf(id, sizeof(id), "%u", a);
			lg_prom_sample(p, i->link->stats.val[a], "ifname",
				       lg_pm_ifname(i, buf, sizeof(buf)),
				       "id", id, NULL);
		}
	}
}

/* What the dumps give per interface: configuration, bindings, groups. */
static void lg_pm_ifs(struct lg_prom *p, const struct lg_pm_snap *s)
{
	char buf[32], b1[16], b2[16];
	unsigned int st, fam;
	bool head = false;
	size_t k;

	if (s->links.n) {
		lg_prom_family(p, "leaseguard_link_info", LG_PROM_GAUGE,
			       "1 for each interface leaseguard has a role for, with its role and source-address validation mode.");
		for (k = 0; k < s->n_ifs; k++) {
			const struct lg_link *l = s->ifs[k].link;

			if (!l)
				continue;
			lg_prom_sample(p, 1, "ifname",
				       lg_pm_ifname(&s->ifs[k], buf, sizeof(buf)),
				       "role",
				       lg_pm_enum(lg_pm_roles, ARRAY_SIZE(lg_pm_roles),
						  l->role, b1, sizeof(b1)),
				       "savi_mode",
				       lg_pm_enum(lg_pm_savi_modes,
						  ARRAY_SIZE(lg_pm_savi_modes),
						  l->savi_mode, b2, sizeof(b2)),
				       NULL);
		}
	}
	for (k = 0; k < s->n_ifs; k++) {
		const struct lg_link *l = s->ifs[k].link;

		if (!l || !l->has_max_bindings)
			continue;
		if (!head)
			lg_prom_family(p, "leaseguard_link_max_bindings",
				       LG_PROM_GAUGE,
				       "The most bindings the interface takes (max-bindings).");
		head = true;
		lg_prom_sample(p, l->max_bindings, "ifname",
			       lg_pm_ifname(&s->ifs[k], buf, sizeof(buf)),
			       NULL);
	}

	/* Every access interface has all its series, at 0 too. */
	head = false;
	for (k = 0; k < s->n_ifs; k++) {
		const struct lg_pm_if *i = &s->ifs[k];

		for (st = 0; st < LG_PM_STATES; st++) {
			bool known = st < ARRAY_SIZE(lg_pm_states) &&
				     lg_pm_states[st];

			if (!i->bindings[st] && !(known && lg_pm_access(i)))
				continue;
			if (!head)
				lg_prom_family(p, "leaseguard_link_bindings",
					       LG_PROM_GAUGE,
					       "Bindings on the interface now, by state (from the binding table).");
			head = true;
			lg_prom_sample(p, i->bindings[st], "ifname",
				       lg_pm_ifname(i, buf, sizeof(buf)),
				       "state",
				       lg_pm_enum(lg_pm_states,
						  ARRAY_SIZE(lg_pm_states), st,
						  b1, sizeof(b1)),
				       NULL);
		}
	}
	head = false;
	for (k = 0; k < s->n_ifs; k++) {
		const struct lg_pm_if *i = &s->ifs[k];

		for (fam = 0; fam < LG_PM_FAMILIES; fam++) {
			if (!i->groups[fam] && !lg_pm_access(i))
				continue;
			if (!head)
				lg_prom_family(p, "leaseguard_link_mc_groups",
					       LG_PROM_GAUGE,
					       "IGMP or MLD groups on the interface now, by family.");
			head = true;
			lg_prom_sample(p, i->groups[fam], "ifname",
				       lg_pm_ifname(i, buf, sizeof(buf)),
				       "family", lg_pm_family_names[fam], NULL);
		}
	}
}

/* leaseguardd's in-flight releases, counted from its answer's lines. */
static void lg_pm_in_flight(struct lg_prom *p, const struct lg_pm_snap *s)
{
	uint64_t requests = 0, bindings = 0;
	size_t k;

	for (k = 0; k < s->n_lines; k++) {
		requests += !strncmp(s->lines[k], "request ", 8);
		bindings += !strncmp(s->lines[k], "binding ", 8);
	}
	lg_prom_family(p, "leaseguard_release_requests_in_flight",
		       LG_PROM_GAUGE,
		       "RELEASE-REQUEST messages leaseguardd waits for a reply to.");
	lg_prom_sample(p, requests, NULL);
	lg_prom_family(p, "leaseguard_release_bindings_in_flight",
		       LG_PROM_GAUGE, "Bindings in those requests.");
	lg_prom_sample(p, bindings, NULL);
}

/* The whole exposition of s to out: 0 or an exit code (said why). */
static int lg_pm_write(const struct lg_pm_snap *s, FILE *out)
{
	struct lg_prom *p;
	char *buf = NULL, why[400] = "";
	size_t len = 0;
	FILE *mem;
	int err;

	mem = open_memstream(&buf, &len);
	if (!mem)
		return lg_fail(NULL, -ENOMEM);
	p = lg_prom_new(mem);
	if (p) {
		lg_pm_table(p, s, LG_PM_NS);
		lg_pm_ifs(p, s);
		lg_pm_table(p, s, LG_PM_LINK);
		lg_pm_unknown(p, s);
		lg_prom_family(p, "leaseguard_daemon_up", LG_PROM_GAUGE,
			       "1 if leaseguardd answered on its control socket; its figures (leaseguard_release_*, leaseguard_mc_proxy_*) are there only then.");
		lg_prom_sample(p, s->daemon_up, NULL);
		if (s->daemon_up) {
			lg_pm_table(p, s, LG_PM_RELEASE);
			lg_pm_in_flight(p, s);
			lg_pm_table(p, s, LG_PM_PROXY);
		}
	}
	err = lg_prom_end(p, why, sizeof(why));
	fclose(mem);
	if (!err && (fwrite(buf, 1, len, out) != len || fflush(out)))
		err = errno ? -errno : -EIO;
	free(buf);
	if (err == -EINVAL || err == -EEXIST) {
		/* a bug of this file: the table, or a duplicate series */
		fprintf(stderr, "lgctl: prometheus output: %s\n", why);
		return LG_EXIT_FAIL;
	}
	return err ? lg_fail(NULL, err) : LG_EXIT_OK;
}

static int stats_prometheus(int argc, char **argv)
{
	const char *path = NULL;
	struct lg_pm_snap s = {};
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev"))
			return lg_usage_err("Argument \"dev\" is not taken with -o prometheus: its output is the whole namespace.");
		if (strcmp(argv[0], "socket"))
			return lg_usage_err("Argument \"%s\" is unknown, try \"lgctl stats help\".",
					    argv[0]);
		ret = lg_arg_value("lgctl stats", &argc, &argv, &path);
		if (ret)
			return ret;
	}
	ret = lg_pm_collect(&s, path ? path : LGD_CONTROL_DEFAULT);
	if (!ret)
		ret = lg_pm_write(&s, stdout);
	lg_pm_snap_free(&s);
	return ret;
}

/*
 * Hidden: "lgctl stats prometheus-from FILE", the output for the figures
 * of a fixture, a line each ('#' comments; selftests/host/prometheus_test.sh):
 *
 *	stats KEY VALUE			a namespace counter (JSON key or id)
 *	link IFINDEX IFNAME ROLE [ SAVI_MODE [ MAX_BINDINGS ] ]
 *	link-stat IFNAME KEY VALUE	an interface counter (JSON key or id)
 *	binding IFNAME STATE [ N ]	N bindings (1) in STATE (name or number)
 *	group IFNAME igmp|mld [ N ]	N groups (1)
 *	daemon WORDS...			a line of leaseguardd's answers
 */
#define LG_PM_FIXTURE_WORDS	40

static int lg_pm_key(const char *s, const struct lg_counter_name *names,
		     unsigned int n, unsigned int *id)
{
	uint32_t v;

	for (v = 0; v < n; v++)
		if (names[v].key && !strcmp(names[v].key, s)) {
			*id = v;
			return 0;
		}
	if (lg_parse_u32(s, 1, LG_COUNTERS_MAX - 1, &v))
		return -EINVAL;
	*id = v;
	return 0;
}

static int lg_pm_word(const char *s, const char *const *names, size_t n,
		      uint32_t *v)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (names[k] && !strcmp(names[k], s)) {
			*v = k;
			return 0;
		}
	return lg_parse_u32(s, 0, UINT32_MAX, v);
}

static struct lg_link *lg_pm_fixture_link(struct lg_pm_snap *s,
					  const char *name)
{
	size_t k;

	for (k = 0; k < s->links.n; k++)
		if (!strcmp(s->links.v[k].ifname, name))
			return &s->links.v[k];
	return NULL;
}

static int lg_pm_fixture_line(struct lg_pm_snap *s, int argc, char **argv)
{
	struct lg_counters *c = NULL;
	struct lg_link *l;
	unsigned int id;
	uint64_t v, n = 1;
	uint32_t w;
	char line[4096];
	int k, len;

	if (!strcmp(argv[0], "daemon") && argc >= 2) {
		for (len = 0, k = 1; k < argc && len < (int)sizeof(line); k++)
			len += snprintf(line + len, sizeof(line) - len, "%s%s",
					k > 1 ? " " : "", argv[k]);
		return lg_pm_add_line(s, line);
	}
	if (!strcmp(argv[0], "stats") && argc == 3) {
		c = &s->ns;
		if (lg_pm_key(argv[1], lg_stats_names, lg_stats_names_n, &id))
			return -EINVAL;
	} else if (!strcmp(argv[0], "link-stat") && argc == 4) {
		l = lg_pm_fixture_link(s, argv[1]);
		if (!l || lg_pm_key(argv[2], lg_link_stats_names,
				    lg_link_stats_names_n, &id))
			return -EINVAL;
		l->has_stats = true;
		c = &l->stats;
	}
	if (c) {
		if (lg_parse_u64(argv[argc - 1], &v))
			return -EINVAL;
		c->val[id] = v;
		c->present |= 1ULL << id;
		return 0;
	}
	if (!strcmp(argv[0], "link") && argc >= 4 && argc <= 6) {
		if (lg_grow(&s->links.v, &s->links.cap, s->links.n,
			    sizeof(*s->links.v)))
			return -ENOMEM;
		l = &s->links.v[s->links.n];
		memset(l, 0, sizeof(*l));
		if (lg_parse_u32(argv[1], 1, UINT32_MAX, &l->ifindex) ||
		    strlen(argv[2]) >= sizeof(l->ifname) ||
		    lg_pm_word(argv[3], lg_pm_roles, ARRAY_SIZE(lg_pm_roles),
			       &l->role) ||
		    (argc > 4 && lg_pm_word(argv[4], lg_pm_savi_modes,
					    ARRAY_SIZE(lg_pm_savi_modes),
					    &l->savi_mode)) ||
		    (argc > 5 && lg_parse_u32(argv[5], 0, UINT32_MAX,
					      &l->max_bindings)))
			return -EINVAL;
		strcpy(l->ifname, argv[2]);
		l->has_role = true;
		l->has_savi_mode = argc > 4;
		l->has_max_bindings = argc > 5;
		s->links.n++;
		return 0;
	}
	if ((!strcmp(argv[0], "binding") || !strcmp(argv[0], "group")) &&
	    (argc == 3 || argc == 4)) {
		struct lg_pm_if *i;

		l = lg_pm_fixture_link(s, argv[1]);
		if (!l || (argc == 4 && lg_parse_u64(argv[3], &n)))
			return -EINVAL;
		if (lg_pm_links_index(s))
			return -ENOMEM;
		i = lg_pm_if_get(s, l->ifindex, NULL);
		if (!i)
			return -ENOMEM;
		if (argv[0][0] == 'b') {
			if (lg_pm_word(argv[2], lg_pm_states,
				       ARRAY_SIZE(lg_pm_states), &w) ||
			    w >= LG_PM_STATES)
				return -EINVAL;
			i->bindings[w] += n;
		} else {
			if (lg_pm_word(argv[2], lg_pm_family_names,
				       LG_PM_FAMILIES, &w) ||
			    w >= LG_PM_FAMILIES)
				return -EINVAL;
			i->groups[w] += n;
		}
		return 0;
	}
	return -EINVAL;
}

static int stats_prometheus_from(int argc, char **argv)
{
	char line[4096], *words[LG_PM_FIXTURE_WORDS], *save, *w;
	struct lg_pm_snap s = {};
	unsigned int lineno = 0;
	int n, err = 0, ret;
	FILE *f;

	if (argc != 1)
		return lg_usage_err("Argument FILE is required.");
	f = fopen(argv[0], "r");
	if (!f) {
		fprintf(stderr, "lgctl: %s: %s\n", argv[0], strerror(errno));
		return LG_EXIT_FAIL;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		lineno++;
		n = 0;
		for (w = strtok_r(line, " \t\r\n", &save);
		     w && *w != '#' && n < LG_PM_FIXTURE_WORDS;
		     w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
		if (n)
			err = lg_pm_fixture_line(&s, n, words);
	}
	fclose(f);
	/* Links may come after their bindings' lines: index them all. */
	if (!err)
		err = lg_pm_links_index(&s);
	if (err) {
		fprintf(stderr, "lgctl: %s:%u: %s\n", argv[0], lineno,
			err == -EINVAL ? "bad line" : strerror(-err));
		lg_pm_snap_free(&s);
		return LG_EXIT_FAIL;
	}
	s.daemon_up = lg_pm_has_kind(&s, "stats");
	ret = lg_pm_write(&s, stdout);
	lg_pm_snap_free(&s);
	return ret;
}

static int stats_show(int argc, char **argv)
{
	struct lg_link_list list = {};
	struct lg_counters ns;
	const char *dev = NULL;
	unsigned int ifindex = 0;
	struct lg_link one;
	struct lg_nl nl;
	size_t i;
	int ret, err;

	if (lg_format == LG_FMT_PROMETHEUS)
		return stats_prometheus(argc, argv);
	ret = lg_args_dev("lgctl stats", argc, argv, &dev, &ifindex);
	if (ret)
		return ret;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	if (dev) {
		err = lg_link_get(&nl, ifindex, &one);
	} else {
		err = lg_stats_get(&nl, &ns);
		if (!err)
			err = lg_link_dump(&nl, &list);
	}
	if (err) {
		ret = lg_fail(&nl, err);
		goto out;
	}

	open_json_object(NULL);
	if (!dev) {
		print_string(PRINT_FP, NULL, "%s", "namespace:");
		lg_counters_print(&ns, lg_stats_names, lg_stats_names_n,
				  "\n    ");
		print_nl();
	}
	open_json_array("links");
	if (dev)
		print_link_stats(&one);
	for (i = 0; i < list.n; i++)
		print_link_stats(&list.v[i]);
	close_json_array();
	close_json_object();
	ret = LG_EXIT_OK;
out:
	lg_link_list_free(&list);
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_stats_cmds[] = {
	{ "show",	stats_show,	NULL },
	{ "prometheus-from", stats_prometheus_from, NULL },	/* hidden */
	{}
};

int do_stats(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && (!strcmp(argv[0], "dev") || !strcmp(argv[0], "socket")))
		return stats_show(argc, argv);
	return lg_dispatch("lgctl stats", lg_stats_cmds, lg_stats_help, argc,
			   argv);
}
