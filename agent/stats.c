// SPDX-License-Identifier: GPL-2.0
/* lgctl stats: the counters of the namespace and of each link. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char lg_stats_help[] =
	"Usage: lgctl stats [ show ] [ dev IFNAME ]\n"
	"       lgctl stats help\n";

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
	{}
};

int do_stats(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && !strcmp(argv[0], "dev"))
		return stats_show(argc, argv);
	return lg_dispatch("lgctl stats", lg_stats_cmds, lg_stats_help, argc,
			   argv);
}
