// SPDX-License-Identifier: GPL-2.0
/* lgctl link: the role of an interface (LG_CMD_LINK_GET / LG_CMD_LINK_SET). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char lg_link_help[] =
	"Usage: lgctl link [ show ] [ dev IFNAME ]\n"
	"       lgctl link set dev IFNAME [ role ROLE ] [ max-bindings N ]\n"
	"               [ savi MODE ] [ anchor { none | mac } ]\n"
	"               [ shield { on | off } ] [ trust-release { on | off } ]\n"
	"               [ release-forward { on | off } ] [ miss-rate N ]\n"
	"       lgctl link help\n"
	"where  ROLE := { access | upstream | none }\n"
	"       N := 1..16777216, bindings on the interface\n"
	"       MODE := { off | monitor | enforce }, source-address validation\n"
	"       miss-rate: 0..100000 sources a second that no binding validates,\n"
	"       told to leaseguardd (default 10)\n"
	"On access interfaces: \"anchor mac\" ties a binding's sources to its\n"
	"client's MAC; \"shield\" drops DHCPv6 server messages from subscribers\n"
	"(RFC 7610), and RELEASE-REQUEST unless \"trust-release on\".\n"
	"On any interface, \"release-forward off\" lets no RELEASE-REQUEST\n"
	"(or its reply) be relayed or forwarded across it.\n"
	"Static sources: \"lgctl savi help\".\n";

static const char *const lg_roles[] = {
	[LG_ROLE_NONE]		= "none",
	[LG_ROLE_ACCESS]	= "access",
	[LG_ROLE_UPSTREAM]	= "upstream",
};

static const char *const lg_savi_modes[] = {
	[LG_SAVI_OFF]		= "off",
	[LG_SAVI_MONITOR]	= "monitor",
	[LG_SAVI_ENFORCE]	= "enforce",
};

static const char *const lg_savi_anchors[] = {
	[LG_SAVI_ANCHOR_NONE]	= "none",
	[LG_SAVI_ANCHOR_MAC]	= "mac",
};

/* A value from a newer module prints as its number. */
static const char *lg_name(const char *const *names, size_t n, uint32_t v,
			   char *buf, size_t len)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

static int lg_name_parse(const char *const *names, size_t n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -EINVAL;
}

static int lg_on_off_parse(const char *s)
{
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	return -EINVAL;
}

/* Model */

static int lg_link_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	*has = true;
	return 0;
}

static int lg_link_bool(const struct nlattr *a, bool *has, bool *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(a);
	*has = true;
	return 0;
}

int lg_link_parse(const struct nlattr *nest, struct lg_link *l)
{
	const struct nlattr *tb[LG_LINK_A_MAX + 1];
	int err;

	memset(l, 0, sizeof(*l));
	err = lg_nl_parse_nest(nest, tb, LG_LINK_A_MAX);
	if (err)
		return err;
	if (!tb[LG_LINK_A_IFINDEX] ||
	    mnl_attr_validate(tb[LG_LINK_A_IFINDEX], MNL_TYPE_U32) < 0)
		return -EBADMSG;
	l->ifindex = mnl_attr_get_u32(tb[LG_LINK_A_IFINDEX]);
	if (tb[LG_LINK_A_IFNAME]) {
		if (mnl_attr_validate(tb[LG_LINK_A_IFNAME],
				      MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(l->ifname, sizeof(l->ifname), "%s",
			 mnl_attr_get_str(tb[LG_LINK_A_IFNAME]));
	} else if (!if_indextoname(l->ifindex, l->ifname)) {
		l->ifname[0] = '\0';
	}
	err = lg_link_u32(tb[LG_LINK_A_ROLE], &l->has_role, &l->role);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_MAX_BINDINGS],
				  &l->has_max_bindings, &l->max_bindings);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_BINDINGS], &l->has_bindings,
				  &l->bindings);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_SAVI_MODE], &l->has_savi_mode,
				  &l->savi_mode);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_SAVI_ANCHOR],
				  &l->has_savi_anchor, &l->savi_anchor);
	if (!err)
		err = lg_link_bool(tb[LG_LINK_A_DHCP6_SHIELD], &l->has_shield,
				   &l->shield);
	if (!err)
		err = lg_link_bool(tb[LG_LINK_A_RELEASE_TRUSTED],
				   &l->has_release_trusted,
				   &l->release_trusted);
	if (!err)
		err = lg_link_bool(tb[LG_LINK_A_RELEASE_FORWARD],
				   &l->has_release_forward,
				   &l->release_forward);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_MISS_RATE], &l->has_miss_rate,
				  &l->miss_rate);
	if (!err)
		err = lg_link_u32(tb[LG_LINK_A_SAVI_ENTRIES],
				  &l->has_savi_entries, &l->savi_entries);
	if (err)
		return err;
	if (tb[LG_LINK_A_STATS]) {
		err = lg_counters_parse(tb[LG_LINK_A_STATS], &l->stats);
		if (err)
			return err;
		l->has_stats = true;
	}
	return 0;
}

static int lg_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_link_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_LINK_GET, LG_A_LINK, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&list->v, &list->cap, list->n, sizeof(*list->v));
	if (!err)
		err = lg_link_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

static void lg_link_list_reset(void *data)
{
	struct lg_link_list *list = data;

	list->n = 0;
}

void lg_link_list_free(struct lg_link_list *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

int lg_link_dump(struct lg_nl *nl, struct lg_link_list *list)
{
	return lg_nl_dump(nl, LG_CMD_LINK_GET, lg_link_cb, lg_link_list_reset,
			  list);
}

int lg_link_get(struct lg_nl *nl, uint32_t ifindex, struct lg_link *link)
{
	struct lg_link_list list = {};
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	nlh = lg_nl_msg(nl, LG_CMD_LINK_GET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	err = lg_nl_doit(nl, nlh, lg_link_cb, &list);
	if (!err && list.n != 1)
		err = -EBADMSG;
	if (!err)
		*link = list.v[0];
	lg_link_list_free(&list);
	return err;
}

int lg_link_set(struct lg_nl *nl, const struct lg_link *l)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_nl_msg(nl, LG_CMD_LINK_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, l->ifindex);
	if (l->has_role)
		mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, l->role);
	if (l->has_max_bindings)
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, l->max_bindings);
	if (l->has_savi_mode)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, l->savi_mode);
	if (l->has_savi_anchor)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_ANCHOR, l->savi_anchor);
	if (l->has_shield)
		mnl_attr_put_u8(nlh, LG_LINK_A_DHCP6_SHIELD, l->shield);
	if (l->has_release_trusted)
		mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_TRUSTED,
				l->release_trusted);
	if (l->has_release_forward)
		mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_FORWARD,
				l->release_forward);
	if (l->has_miss_rate)
		mnl_attr_put_u32(nlh, LG_LINK_A_MISS_RATE, l->miss_rate);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

/* Printer */

/*
 * "lgctl -s link show" in text: a line per group of counters, like "ip -s
 * link", each short enough for 80 columns with typical values; JSON keeps
 * the flat "stats" object (lg_counters_print()). A counter of a newer
 * module goes on a last line, "other:", as stat_N.
 */
struct lg_stats_group {
	const char *label;
	struct {
		unsigned int id;
		const char *label;
	} c[7];
};

static const struct lg_stats_group lg_link_stats_groups[] = {
	{ "rx", {
		{ LG_LINK_STATS_A_RX_PACKETS, "packets" },
		{ LG_LINK_STATS_A_RX_BYTES, "bytes" } } },
	{ "dhcp6", {
		{ LG_LINK_STATS_A_DHCP6_SNOOPED, "snooped" },
		{ LG_LINK_STATS_A_BINDINGS_LIMITED, "bindings-limited" } } },
	{ "savi", {
		{ LG_LINK_STATS_A_SAVI_PASSED, "passed" },
		{ LG_LINK_STATS_A_SAVI_MONITORED, "monitored" } } },
	{ "savi drop", {
		{ LG_LINK_STATS_A_SAVI_DROP_SOURCE, "source" },
		{ LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED, "unspecified" },
		{ LG_LINK_STATS_A_SAVI_DROP_MAC, "mac" } } },
	{ "savi miss", {
		{ LG_LINK_STATS_A_SAVI_MISS_SENT, "sent" },
		{ LG_LINK_STATS_A_SAVI_MISS_REPEATED, "repeated" },
		{ LG_LINK_STATS_A_SAVI_MISS_LIMITED, "limited" } } },
	{ "shield drop", {
		{ LG_LINK_STATS_A_SHIELD_DROP_SERVER, "server" },
		{ LG_LINK_STATS_A_SHIELD_DROP_RELEASE, "release" },
		{ LG_LINK_STATS_A_SHIELD_DROP_HIDDEN, "hidden" } } },
	{ "release-forward", {
		{ LG_LINK_STATS_A_RELEASE_FWD_DROP, "drop" } } },
	{ "mcast", {
		{ LG_LINK_STATS_A_MC_REPORTS, "reports" },
		{ LG_LINK_STATS_A_MC_QUERY_DROP, "query-drop" },
		{ LG_LINK_STATS_A_MC_GROUPS_LIMITED, "groups-limited" },
		{ LG_LINK_STATS_A_MC_SOURCES_LIMITED, "sources-limited" } } },
	{ "mcast host", {
		{ LG_LINK_STATS_A_MC_HOST_LIMITED, "limited" } } },
	{ "mcast ssm", {
		{ LG_LINK_STATS_A_MC_SSM_ASM_IGNORED, "asm-ignored" } } },
	{ "mcast forward", {
		{ LG_LINK_STATS_A_MC_FWD_PASSED, "passed" },
		{ LG_LINK_STATS_A_MC_FWD_DROP, "drop" } } },
};

void lg_link_stats_print_text(const struct lg_counters *c, const char *indent)
{
	uint64_t shown = 0;
	unsigned int g, k, id, n;

	for (g = 0; g < ARRAY_SIZE(lg_link_stats_groups); g++) {
		const struct lg_stats_group *sg = &lg_link_stats_groups[g];

		for (n = 0, k = 0; k < ARRAY_SIZE(sg->c) && sg->c[k].label;
		     k++) {
			id = sg->c[k].id;
			if (!(c->present & (1ULL << id)))
				continue;
			if (!n++)
				printf("\n%s%s:", indent, sg->label);
			printf(" %s %" PRIu64, sg->c[k].label, c->val[id]);
			shown |= 1ULL << id;
		}
	}
	for (n = 0, id = 0; id < LG_COUNTERS_MAX; id++) {
		if (!(c->present & (1ULL << id)) || (shown & (1ULL << id)))
			continue;
		/* four a line */
		if (!(n++ % 4))
			printf("\n%s%s", indent, n == 1 ? "other:" : "      ");
		printf(" stat_%u %" PRIu64, id, c->val[id]);
	}
}

/* JSON true or false; in text, fmt gets "on" or "off". */
static void print_on_off(enum output_type kind, const char *key,
			 const char *fmt, bool v)
{
	print_bool(PRINT_JSON, key, NULL, v);
	if (kind == PRINT_ANY)
		print_string(PRINT_FP, NULL, fmt, v ? "on" : "off");
}

void print_link(const char *key, const struct lg_link *l)
{
	enum output_type kind;
	char buf[16];

	open_json_object(key);
	print_uint(PRINT_ANY, "ifindex", "%u:", l->ifindex);
	print_string(PRINT_ANY, "ifname", " %s", l->ifname);
	if (l->has_role)
		print_string(PRINT_ANY, "role", " role %s",
			     lg_name(lg_roles, ARRAY_SIZE(lg_roles), l->role,
				     buf, sizeof(buf)));
	/*
	 * Bindings and source validation are for access interfaces only:
	 * elsewhere, JSON only.
	 */
	kind = l->has_role && l->role == LG_ROLE_ACCESS ? PRINT_ANY : PRINT_JSON;
	if (l->has_bindings)
		print_uint(kind, "bindings", " bindings %u", l->bindings);
	if (l->has_max_bindings)
		print_uint(kind, "max_bindings", " max-bindings %u",
			   l->max_bindings);
	if (l->has_savi_mode)
		print_string(kind, "savi", " savi %s",
			     lg_name(lg_savi_modes, ARRAY_SIZE(lg_savi_modes),
				     l->savi_mode, buf, sizeof(buf)));
	if (l->has_savi_anchor)
		print_string(kind, "anchor", " anchor %s",
			     lg_name(lg_savi_anchors,
				     ARRAY_SIZE(lg_savi_anchors),
				     l->savi_anchor, buf, sizeof(buf)));
	if (l->has_shield)
		print_on_off(kind, "shield", " shield %s", l->shield);
	if (l->has_release_trusted)
		print_on_off(kind, "trust_release", " trust-release %s",
			     l->release_trusted);
	if (l->has_savi_entries)
		print_uint(kind, "savi_entries", " entries %u",
			   l->savi_entries);
	if (l->has_miss_rate)
		print_uint(kind, "miss_rate", " miss-rate %u", l->miss_rate);
	/* Any role; in text only when off, which is unusual. */
	if (l->has_release_forward)
		print_on_off(l->release_forward ? PRINT_JSON : PRINT_ANY,
			     "release_forward", " release-forward %s",
			     l->release_forward);
	if (l->has_stats && is_json_context()) {
		open_json_object("stats");
		lg_counters_print(&l->stats, lg_link_stats_names,
				  lg_link_stats_names_n, " ");
		close_json_object();
	} else if (l->has_stats && lg_show_stats) {
		lg_link_stats_print_text(&l->stats, "    ");
	}
	print_nl();
	close_json_object();
}

/* Commands */

static int link_show(int argc, char **argv)
{
	struct lg_link_list list = {};
	const char *dev = NULL;
	struct lg_link one;
	unsigned int ifindex = 0;
	struct lg_nl nl;
	size_t i;
	int ret, err;

	ret = lg_args_dev("lgctl link", argc, argv, &dev, &ifindex);
	if (ret)
		return ret;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	if (dev) {
		err = lg_link_get(&nl, ifindex, &one);
		if (err == -ENOENT) {
			/* exists, but leaseguard leaves it alone */
			memset(&one, 0, sizeof(one));
			one.ifindex = ifindex;
			snprintf(one.ifname, sizeof(one.ifname), "%s", dev);
			one.has_role = true;
			one.role = LG_ROLE_NONE;
			err = 0;
		}
	} else {
		err = lg_link_dump(&nl, &list);
	}
	if (err) {
		ret = lg_fail(&nl, err);
		goto out;
	}

	open_json_array(NULL);
	if (dev)
		print_link(NULL, &one);
	for (i = 0; i < list.n; i++)
		print_link(NULL, &list.v[i]);
	close_json_array();
	ret = LG_EXIT_OK;
out:
	lg_link_list_free(&list);
	lg_nl_close(&nl);
	return ret;
}

static int link_set(int argc, char **argv)
{
	const char *dev = NULL, *role = NULL, *max = NULL, *savi = NULL;
	const char *anchor = NULL, *shield = NULL, *trust = NULL;
	const char *forward = NULL, *miss = NULL;
	struct lg_link l = {};
	struct lg_nl nl;
	int ret, err, r;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &dev);
		else if (!strcmp(argv[0], "role"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &role);
		else if (!strcmp(argv[0], "max-bindings"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &max);
		else if (!strcmp(argv[0], "savi"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &savi);
		else if (!strcmp(argv[0], "anchor"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &anchor);
		else if (!strcmp(argv[0], "shield"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &shield);
		else if (!strcmp(argv[0], "trust-release"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &trust);
		else if (!strcmp(argv[0], "release-forward"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &forward);
		else if (!strcmp(argv[0], "miss-rate"))
			ret = lg_arg_value("lgctl link", &argc, &argv, &miss);
		else
			ret = lg_usage_err("Argument \"%s\" is unknown, try \"lgctl link help\".",
					   argv[0]);
		if (ret)
			return ret;
	}
	if (!dev)
		return lg_usage_err("Argument \"dev\" is required, try \"lgctl link help\".");
	if (!role && !max && !savi && !anchor && !shield && !trust && !forward &&
	    !miss)
		return lg_usage_err("Nothing to set, try \"lgctl link help\".");
	if (role) {
		r = lg_name_parse(lg_roles, ARRAY_SIZE(lg_roles), role);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: role is access, upstream or none.",
					    role);
		l.has_role = true;
		l.role = r;
	}
	if (max) {
		ret = lg_arg_max_bindings(max, &l.max_bindings);
		if (ret)
			return ret;
		l.has_max_bindings = true;
	}
	if (savi) {
		r = lg_name_parse(lg_savi_modes, ARRAY_SIZE(lg_savi_modes), savi);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: savi is off, monitor or enforce.",
					    savi);
		l.has_savi_mode = true;
		l.savi_mode = r;
	}
	if (anchor) {
		r = lg_name_parse(lg_savi_anchors, ARRAY_SIZE(lg_savi_anchors),
				  anchor);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: anchor is none or mac.",
					    anchor);
		l.has_savi_anchor = true;
		l.savi_anchor = r;
	}
	if (shield) {
		r = lg_on_off_parse(shield);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: shield is on or off.",
					    shield);
		l.has_shield = true;
		l.shield = r;
	}
	if (trust) {
		r = lg_on_off_parse(trust);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: trust-release is on or off.",
					    trust);
		l.has_release_trusted = true;
		l.release_trusted = r;
	}
	if (forward) {
		r = lg_on_off_parse(forward);
		if (r < 0)
			return lg_usage_err("Argument \"%s\" is wrong: release-forward is on or off.",
					    forward);
		l.has_release_forward = true;
		l.release_forward = r;
	}
	if (miss) {
		ret = lg_arg_miss_rate(miss, &l.miss_rate);
		if (ret)
			return ret;
		l.has_miss_rate = true;
	}
	l.ifindex = if_nametoindex(dev);
	if (!l.ifindex)
		return lg_no_device(dev);

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_link_set(&nl, &l);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_link_cmds[] = {
	{ "show",	link_show,	NULL },
	{ "set",	link_set,	NULL },
	{}
};

int do_link(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && !strcmp(argv[0], "dev"))
		return link_show(argc, argv);
	return lg_dispatch("lgctl link", lg_link_cmds, lg_link_help, argc,
			   argv);
}
