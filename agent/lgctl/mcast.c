// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl mcast: the IGMP/MLD proxy (LG_CMD_MCAST_GET / LG_CMD_MCAST_SET,
 * LG_CMD_MC_GROUP_GET), in text, in JSON, or as ietf-igmp-mld-proxy
 * instance data (RFC 7951) with our augment,
 * Documentation/leaseguard-igmp-mld-proxy@2026-11-23.yang.
 *
 * The YANG document is built from a model (struct lg_mc_state) that the
 * kernel's dumps and rtnetlink fill, or, for tests without the module,
 * the hidden "lgctl mcast yang-from FILE [ ietf | full ]" (see
 * lg_mc_state_load()). "--yang ietf" leaves our augment's nodes out: pure
 * ietf-igmp-mld-proxy data, which validates without our module.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <net/if.h>		/* before the linux/ headers */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char lg_mcast_help[] =
	"Usage: lgctl mcast [ show ] [ igmp | mld ] [ dev IFNAME ] [ group GROUP ]\n"
	"       lgctl mcast show [ igmp | mld ] --yang [ full | ietf ]\n"
	"       lgctl mcast set { igmp | mld } [ enable { on | off } ]\n"
	"               [ upstream { IFNAME | none } ] [ version N ] [ robustness N ]\n"
	"               [ query-interval SECONDS ] [ query-response-interval MS ]\n"
	"               [ last-member-interval MS ] [ last-member-count N ]\n"
	"               [ max-groups N ] [ max-groups-host N ] [ max-sources N ]\n"
	"               [ ns-max-groups N ] [ ns-max-sources N ]\n"
	"       lgctl mcast proxy [ socket PATH ]\n"
	"       lgctl mcast help\n"
	"where  version: IGMP 1..3 (default 3), MLD 1..2 (default 2)\n"
	"       robustness, last-member-count: 1..7 (default 2)\n"
	"       query-interval: 1..31744 s (default 125); last-member-interval:\n"
	"               100..25500 ms (default 1000); query-response-interval:\n"
	"               100..3174400 ms (default 10000), less than query-interval\n"
	"       max-groups, max-groups-host: per access interface, per host on one:\n"
	"               1..65536 (default 256, 64); max-sources: 1..256 (default 64)\n"
	"       ns-max-groups, ns-max-sources: in the namespace, 1..1048576 (default\n"
	"               8192), 1..16777216 (default 65536)\n"
	"\"show\": the settings and the groups; \"lgctl monitor mcast\": their events.\n"
	"\"--yang\": ietf-igmp-mld-proxy data (RFC 7951 JSON); \"full\" (default) adds\n"
	"our augment (validate with leaseguard-igmp-mld-proxy too), \"ietf\" not.\n"
	"\"proxy\": leaseguardd's side, on its control-socket PATH (default\n"
	"" LGD_CONTROL_DEFAULT "): upstream joins, routes, queries, counters.\n";

#define LG_MC_WHAT	"lgctl mcast"

/* Model */

/* A family's configuration: the u32 (or u8) attributes by id. */
struct lg_mcast {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint32_t present;		/* bit n: val[n] is set */
	uint32_t val[LG_MCAST_A_MAX + 1];
	char upstream_name[IF_NAMESIZE];
};

struct lg_mc_source {
	uint8_t addr[16];
	bool has_up_time, has_timer, has_forward;
	uint32_t up_time;		/* s */
	uint32_t timer;			/* ms */
	bool forward;
};

/* One group on one access interface. */
struct lg_mc_group {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t family;
	uint8_t addr[16];		/* 4 octets used for IGMP */
	bool has_filter_mode, has_compat, has_up_time, has_timer;
	bool has_del_reason;
	uint32_t filter_mode;		/* enum lg_mc_filter_mode */
	uint32_t compat;
	uint32_t up_time;		/* s */
	uint32_t timer;			/* ms */
	uint32_t del_reason;		/* enum lg_mc_del_reason */
	struct lg_mc_source *sources;
	size_t n_sources, cap_sources;
};

struct lg_mc_group_list {
	struct lg_mc_group *v;
	size_t n, cap;
};

struct lg_mcast_list {
	struct lg_mcast v[2];
	size_t n;
};

/* An interface of the YANG document (ietf-interfaces). */
struct lg_mc_if {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	const char *type;		/* identity of iana-if-type */
	bool up;			/* IFF_UP: enabled, admin-status */
	const char *oper;		/* oper-status */
	bool ok;			/* described: may be referred to */
};

/* Everything "show --yang" prints. */
struct lg_mc_state {
	struct lg_mcast_list cfg;
	struct lg_mc_group_list groups;
	struct lg_mc_if *ifs;
	size_t n_ifs, cap_ifs;
	char boot[32];			/* discontinuity-time */
};

/* "set" and "show" arguments, and the fixture's "mcast" lines. */
struct lg_mc_param {
	const char *word;		/* command line */
	const char *key;		/* JSON */
	unsigned int attr;
	uint32_t min, max;
	const char *what;		/* for the range error */
};

/* Printed in this order; version's range is the family's. */
static const struct lg_mc_param lg_mc_params[] = {
	{ "version", "version", LG_MCAST_A_VERSION, 1, 3, "" },
	{ "robustness", "robustness", LG_MCAST_A_ROBUSTNESS, 1, 7, "" },
	{ "query-interval", "query_interval", LG_MCAST_A_QUERY_INTERVAL,
	  1, 31744, " seconds" },
	{ "query-response-interval", "query_response_interval",
	  LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 100, 3174400, " ms" },
	{ "last-member-interval", "last_member_interval",
	  LG_MCAST_A_LAST_MEMBER_INTERVAL, 100, 25500, " ms" },
	{ "last-member-count", "last_member_count",
	  LG_MCAST_A_LAST_MEMBER_COUNT, 1, 7, "" },
	{ "max-groups", "max_groups", LG_MCAST_A_MAX_GROUPS, 1,
	  LG_MC_MAX_GROUPS_LIMIT, "" },
	{ "max-sources", "max_sources", LG_MCAST_A_MAX_SOURCES, 1,
	  LG_MC_MAX_SOURCES_LIMIT, "" },
	{ "max-groups-host", "max_groups_host", LG_MCAST_A_MAX_GROUPS_HOST, 1,
	  LG_MC_MAX_GROUPS_LIMIT, "" },
	{ "ns-max-groups", "ns_max_groups", LG_MCAST_A_NS_MAX_GROUPS, 1,
	  LG_MC_NS_MAX_GROUPS_LIMIT, "" },
	{ "ns-max-sources", "ns_max_sources", LG_MCAST_A_NS_MAX_SOURCES, 1,
	  LG_MC_NS_MAX_SOURCES_LIMIT, "" },
};

static const char *const lg_mc_del_reasons[] = {
	[LG_MC_DEL_EXPIRED]	= "expired",
	[LG_MC_DEL_LEFT]	= "left",
	[LG_MC_DEL_INTERFACE]	= "interface",
	[LG_MC_DEL_DISABLED]	= "disabled",
};

static bool lg_mc_has(const struct lg_mcast *m, unsigned int attr)
{
	return m->present & (1U << attr);
}

static void lg_mc_set(struct lg_mcast *m, unsigned int attr, uint32_t v)
{
	m->present |= 1U << attr;
	m->val[attr] = v;
}

static const char *lg_mc_family_name(uint8_t family)
{
	return family == AF_INET ? "igmp" : family == AF_INET6 ? "mld" : "?";
}

static int lg_mc_family_parse(const char *s)
{
	if (!strcmp(s, "igmp"))
		return AF_INET;
	if (!strcmp(s, "mld"))
		return AF_INET6;
	return -EINVAL;
}

static size_t lg_mc_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static const char *lg_mc_addr(uint8_t family, const uint8_t *addr,
			      char *buf)
{
	return inet_ntop(family, addr, buf, INET6_ADDRSTRLEN);
}

static const char *lg_mc_mode_name(const struct lg_mc_group *g)
{
	if (!g->has_filter_mode)
		return "?";
	return g->filter_mode == LG_MC_EXCLUDE ? "exclude" : "include";
}

static bool lg_mc_exclude(const struct lg_mc_group *g)
{
	return g->has_filter_mode && g->filter_mode == LG_MC_EXCLUDE;
}

/* Traffic from s is wanted on g's interface (FORWARD, or as it implies). */
static bool lg_mc_forward(const struct lg_mc_group *g,
			  const struct lg_mc_source *s)
{
	if (s->has_forward)
		return s->forward;
	return !lg_mc_exclude(g) || (s->has_timer && s->timer);
}

/* Netlink */

static int lg_mc_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	*has = true;
	return 0;
}

static int lg_mc_u8(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(a);
	*has = true;
	return 0;
}

static int lg_mcast_parse(const struct nlattr *nest, struct lg_mcast *m)
{
	const struct nlattr *tb[LG_MCAST_A_MAX + 1];
	unsigned int attr;
	uint32_t v;
	bool has;
	int err;

	memset(m, 0, sizeof(*m));
	err = lg_nl_parse_nest(nest, tb, LG_MCAST_A_MAX);
	if (err)
		return err;
	if (!tb[LG_MCAST_A_FAMILY] ||
	    mnl_attr_validate(tb[LG_MCAST_A_FAMILY], MNL_TYPE_U8) < 0)
		return -EBADMSG;
	m->family = mnl_attr_get_u8(tb[LG_MCAST_A_FAMILY]);
	for (attr = LG_MCAST_A_ENABLE; attr <= LG_MCAST_A_MAX; attr++) {
		has = false;
		switch (attr) {
		case LG_MCAST_A_UPSTREAM_NAME:
			continue;
		case LG_MCAST_A_ENABLE:
		case LG_MCAST_A_VERSION:
			err = lg_mc_u8(tb[attr], &has, &v);
			break;
		default:
			err = lg_mc_u32(tb[attr], &has, &v);
			break;
		}
		if (err)
			return err;
		if (has)
			lg_mc_set(m, attr, v);
	}
	if (tb[LG_MCAST_A_UPSTREAM_NAME]) {
		if (mnl_attr_validate(tb[LG_MCAST_A_UPSTREAM_NAME],
				      MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(m->upstream_name, sizeof(m->upstream_name), "%s",
			 mnl_attr_get_str(tb[LG_MCAST_A_UPSTREAM_NAME]));
	} else if (lg_mc_has(m, LG_MCAST_A_UPSTREAM) &&
		   m->val[LG_MCAST_A_UPSTREAM] &&
		   !if_indextoname(m->val[LG_MCAST_A_UPSTREAM],
				   m->upstream_name)) {
		m->upstream_name[0] = '\0';
	}
	return 0;
}

static int lg_mcast_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_mcast_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_MCAST_GET, LG_A_MCAST, &obj);
	if (err)
		return err < 0 ? err : 0;
	if (list->n == ARRAY_SIZE(list->v))
		return -EBADMSG;
	err = lg_mcast_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

static void lg_mcast_list_reset(void *data)
{
	struct lg_mcast_list *list = data;

	list->n = 0;
}

/* Both families (family 0), or one. */
static int lg_mcast_get(struct lg_nl *nl, uint8_t family,
			struct lg_mcast_list *list)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	list->n = 0;
	if (!family)
		return lg_nl_dump(nl, LG_CMD_MCAST_GET, lg_mcast_cb,
				  lg_mcast_list_reset, list);
	nlh = lg_nl_msg(nl, LG_CMD_MCAST_GET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, family);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, lg_mcast_cb, list);
}

static int lg_mcast_set(struct lg_nl *nl, const struct lg_mcast *m)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int attr;

	nlh = lg_nl_msg(nl, LG_CMD_MCAST_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, m->family);
	for (attr = LG_MCAST_A_ENABLE; attr <= LG_MCAST_A_MAX; attr++) {
		if (!lg_mc_has(m, attr))
			continue;
		if (attr == LG_MCAST_A_ENABLE || attr == LG_MCAST_A_VERSION)
			mnl_attr_put_u8(nlh, attr, m->val[attr]);
		else
			mnl_attr_put_u32(nlh, attr, m->val[attr]);
	}
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

static void lg_mc_group_free(struct lg_mc_group *g)
{
	free(g->sources);
	g->sources = NULL;
	g->n_sources = g->cap_sources = 0;
}

static void lg_mc_group_list_free(struct lg_mc_group_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		lg_mc_group_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

static void lg_mc_group_list_reset(void *data)
{
	struct lg_mc_group_list *list = data;
	size_t i;

	for (i = 0; i < list->n; i++)
		lg_mc_group_free(&list->v[i]);
	list->n = 0;
}

static int lg_mc_addr_attr(const struct nlattr *a, uint8_t family,
			   uint8_t *addr)
{
	size_t len = lg_mc_addr_len(family);

	if (mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memcpy(addr, mnl_attr_get_payload(a), len);
	return 0;
}

static int lg_mc_source_parse(const struct nlattr *nest,
			      const struct lg_mc_group *g,
			      struct lg_mc_source *s)
{
	const struct nlattr *tb[LG_MC_SOURCE_A_MAX + 1];
	uint32_t fwd = 0;
	int err;

	memset(s, 0, sizeof(*s));
	err = lg_nl_parse_nest(nest, tb, LG_MC_SOURCE_A_MAX);
	if (err)
		return err;
	if (!tb[LG_MC_SOURCE_A_ADDR])
		return -EBADMSG;
	err = lg_mc_addr_attr(tb[LG_MC_SOURCE_A_ADDR], g->family, s->addr);
	if (!err)
		err = lg_mc_u32(tb[LG_MC_SOURCE_A_UP_TIME], &s->has_up_time,
				&s->up_time);
	if (!err)
		err = lg_mc_u32(tb[LG_MC_SOURCE_A_TIMER], &s->has_timer,
				&s->timer);
	if (!err)
		err = lg_mc_u8(tb[LG_MC_SOURCE_A_FORWARD], &s->has_forward,
			       &fwd);
	s->forward = fwd;
	return err;
}

static int lg_mc_group_parse(const struct nlattr *nest, struct lg_mc_group *g)
{
	const struct nlattr *tb[LG_MC_GROUP_A_MAX + 1], *a;
	uint32_t family = 0;
	bool has;
	int err;

	memset(g, 0, sizeof(*g));
	err = lg_nl_parse_nest(nest, tb, LG_MC_GROUP_A_MAX);
	if (err)
		return err;
	if (!tb[LG_MC_GROUP_A_IFINDEX] || !tb[LG_MC_GROUP_A_GROUP] ||
	    mnl_attr_validate(tb[LG_MC_GROUP_A_IFINDEX], MNL_TYPE_U32) < 0 ||
	    lg_mc_u8(tb[LG_MC_GROUP_A_FAMILY], &has, &family) || !has ||
	    (family != AF_INET && family != AF_INET6))
		return -EBADMSG;
	g->ifindex = mnl_attr_get_u32(tb[LG_MC_GROUP_A_IFINDEX]);
	g->family = family;
	err = lg_mc_addr_attr(tb[LG_MC_GROUP_A_GROUP], g->family, g->addr);
	if (err)
		return err;
	if (tb[LG_MC_GROUP_A_IFNAME]) {
		if (mnl_attr_validate(tb[LG_MC_GROUP_A_IFNAME],
				      MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(g->ifname, sizeof(g->ifname), "%s",
			 mnl_attr_get_str(tb[LG_MC_GROUP_A_IFNAME]));
	} else if (!if_indextoname(g->ifindex, g->ifname)) {
		g->ifname[0] = '\0';
	}
	err = lg_mc_u32(tb[LG_MC_GROUP_A_FILTER_MODE], &g->has_filter_mode,
			&g->filter_mode);
	if (!err)
		err = lg_mc_u8(tb[LG_MC_GROUP_A_COMPAT], &g->has_compat,
			       &g->compat);
	if (!err)
		err = lg_mc_u32(tb[LG_MC_GROUP_A_UP_TIME], &g->has_up_time,
				&g->up_time);
	if (!err)
		err = lg_mc_u32(tb[LG_MC_GROUP_A_TIMER], &g->has_timer,
				&g->timer);
	if (!err)
		err = lg_mc_u32(tb[LG_MC_GROUP_A_DEL_REASON],
				&g->has_del_reason, &g->del_reason);
	if (err)
		return err;
	/* SOURCE comes once per source: walk the nest */
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != LG_MC_GROUP_A_SOURCE)
			continue;
		err = lg_grow(&g->sources, &g->cap_sources, g->n_sources,
			      sizeof(*g->sources));
		if (!err)
			err = lg_mc_source_parse(a, g,
						 &g->sources[g->n_sources]);
		if (err) {
			lg_mc_group_free(g);
			return err;
		}
		g->n_sources++;
	}
	return 0;
}

static int lg_mc_group_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_mc_group_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_MC_GROUP_GET, LG_A_MC_GROUP, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&list->v, &list->cap, list->n, sizeof(*list->v));
	if (!err)
		err = lg_mc_group_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

/* Every group, or those of one interface and/or family (0: any). */
static int lg_mc_group_dump(struct lg_nl *nl, uint32_t ifindex,
			    uint8_t family, struct lg_mc_group_list *list)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_nl_msg(nl, LG_CMD_MC_GROUP_GET, NLM_F_DUMP);
	if (ifindex || family) {
		nest = mnl_attr_nest_start(nlh, LG_A_MC_GROUP);
		if (ifindex)
			mnl_attr_put_u32(nlh, LG_MC_GROUP_A_IFINDEX, ifindex);
		if (family)
			mnl_attr_put_u8(nlh, LG_MC_GROUP_A_FAMILY, family);
		mnl_attr_nest_end(nlh, nest);
	}
	return lg_nl_dump_req(nl, nlh, lg_mc_group_cb, lg_mc_group_list_reset,
			      list);
}

/* A module without the proxy does not know the commands. */
static int lg_mc_fail(const struct lg_nl *nl, int err)
{
	if (err == -EOPNOTSUPP) {
		fprintf(stderr, "lgctl: the leaseguard module has no IGMP/MLD proxy (it is older than lgctl)\n");
		return LG_EXIT_FAIL;
	}
	return lg_fail(nl, err);
}

/* Printer: text and JSON */

/* "12.3s" in text, milliseconds in JSON. */
static void print_mc_timer(const char *key, const char *label, uint32_t ms)
{
	char buf[32];

	print_uint(PRINT_JSON, key, NULL, ms);
	snprintf(buf, sizeof(buf), "%u.%us", ms / 1000, ms % 1000 / 100);
	print_string(PRINT_FP, NULL, label, buf);
}

static void print_mcast(const char *key, const struct lg_mcast *m)
{
	const struct lg_mc_param *p;
	char fmt[64];
	uint32_t up;

	open_json_object(key);
	print_string(PRINT_ANY, "family", "%s:", lg_mc_family_name(m->family));
	if (lg_mc_has(m, LG_MCAST_A_ENABLE)) {
		print_bool(PRINT_JSON, "enable", NULL,
			   m->val[LG_MCAST_A_ENABLE]);
		print_string(PRINT_FP, NULL, " %s",
			     m->val[LG_MCAST_A_ENABLE] ? "enabled" :
			     "disabled");
	}
	if (lg_mc_has(m, LG_MCAST_A_UPSTREAM)) {
		up = m->val[LG_MCAST_A_UPSTREAM];
		print_uint(PRINT_JSON, "upstream_ifindex", NULL, up);
		if (!up) {
			print_string(PRINT_JSON, "upstream", NULL, NULL);
			print_string(PRINT_FP, NULL, " upstream %s", "none");
		} else if (m->upstream_name[0]) {
			print_string(PRINT_ANY, "upstream", " upstream %s",
				     m->upstream_name);
		} else {
			print_string(PRINT_JSON, "upstream", NULL, NULL);
			print_uint(PRINT_FP, NULL, " upstream if%u", up);
		}
	}
	for (p = lg_mc_params; p < lg_mc_params + ARRAY_SIZE(lg_mc_params);
	     p++) {
		if (!lg_mc_has(m, p->attr))
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%u", p->word);
		print_uint(PRINT_ANY, p->key, fmt, m->val[p->attr]);
	}
	if (lg_mc_has(m, LG_MCAST_A_GROUPS))
		print_uint(PRINT_ANY, "groups", " groups %u",
			   m->val[LG_MCAST_A_GROUPS]);
	if (lg_mc_has(m, LG_MCAST_A_SOURCES))
		print_uint(PRINT_ANY, "sources", " sources %u",
			   m->val[LG_MCAST_A_SOURCES]);
	print_nl();
	close_json_object();
}

/*
 * Text: "IFNAME GROUP MODE vN up Ns [expires T]", then a line per source
 * or, oneline, the sources on the same line (the caller ends it).
 */
static void print_mc_group(const char *key, const struct lg_mc_group *g,
			   bool oneline)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	open_json_object(key);
	print_uint(PRINT_JSON, "ifindex", NULL, g->ifindex);
	if (g->ifname[0])
		print_string(PRINT_ANY, "ifname", "%s", g->ifname);
	else
		print_uint(PRINT_FP, NULL, "if%u", g->ifindex);
	print_string(PRINT_JSON, "family", NULL, lg_mc_family_name(g->family));
	print_string(PRINT_ANY, "group", " %s",
		     lg_mc_addr(g->family, g->addr, addr));
	if (g->has_filter_mode)
		print_string(PRINT_ANY, "filter_mode", " %s",
			     lg_mc_mode_name(g));
	if (g->has_compat)
		print_uint(PRINT_ANY, "compat_version", " v%u", g->compat);
	if (g->has_up_time)
		print_uint(PRINT_ANY, "up_time", " up %us", g->up_time);
	if (g->has_timer) {
		/* the group timer runs in EXCLUDE mode only */
		if (g->timer || lg_mc_exclude(g))
			print_mc_timer("timer_ms", " expires %s", g->timer);
		else
			print_uint(PRINT_JSON, "timer_ms", NULL, g->timer);
	}
	open_json_array("sources");
	for (i = 0; i < g->n_sources; i++) {
		const struct lg_mc_source *s = &g->sources[i];
		bool fwd = lg_mc_forward(g, s);

		open_json_object(NULL);
		print_string(PRINT_FP, NULL, "%s", oneline ? " " : "\n    ");
		print_string(PRINT_ANY, "addr", "source %s",
			     lg_mc_addr(g->family, s->addr, addr));
		if (!oneline && s->has_up_time)
			print_uint(PRINT_ANY, "up_time", " up %us",
				   s->up_time);
		else if (s->has_up_time)
			print_uint(PRINT_JSON, "up_time", NULL, s->up_time);
		if (s->has_timer) {
			if (!oneline && s->timer)
				print_mc_timer("timer_ms", " expires %s",
					       s->timer);
			else
				print_uint(PRINT_JSON, "timer_ms", NULL,
					   s->timer);
		}
		if (s->has_up_time || s->has_timer || s->has_forward) {
			print_bool(PRINT_JSON, "forward", NULL, fwd);
			if (!fwd)
				print_string(PRINT_FP, NULL, "%s",
					     " excluded");
		}
		close_json_object();
	}
	close_json_array();
	if (!oneline)
		print_nl();
	close_json_object();
}

/* Monitor */

static int print_mc_group_event(const struct nlattr *obj, const char *text,
				const char *json)
{
	const char *reason = NULL;
	struct lg_mc_group g;
	char num[16];
	int err;

	err = lg_mc_group_parse(obj, &g);
	if (err)
		return err;
	if (g.has_del_reason) {
		if (g.del_reason < ARRAY_SIZE(lg_mc_del_reasons) &&
		    lg_mc_del_reasons[g.del_reason]) {
			reason = lg_mc_del_reasons[g.del_reason];
		} else {
			snprintf(num, sizeof(num), "%u", g.del_reason);
			reason = num;
		}
	}
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "%s ", text);
	print_string(PRINT_JSON, "event", NULL, json);
	if (reason)
		print_string(PRINT_JSON, "reason", NULL, reason);
	print_mc_group("group", &g, true);
	if (reason)
		print_string(PRINT_FP, NULL, " reason %s", reason);
	print_nl();
	close_json_object();
	lg_mc_group_free(&g);
	return 0;
}

int lg_mcast_event(uint8_t cmd, const struct nlattr *obj)
{
	struct lg_mcast m;
	int err;

	switch (cmd) {
	case LG_CMD_MCAST_NTF:
		err = lg_mcast_parse(obj, &m);
		if (err)
			return err;
		open_json_object(NULL);
		print_string(PRINT_FP, NULL, "%s ", "mcast");
		print_string(PRINT_JSON, "event", NULL, "mcast");
		print_mcast("mcast", &m);	/* ends the text line */
		close_json_object();
		return 0;
	case LG_CMD_MC_GROUP_NTF:
		return print_mc_group_event(obj, "group", "group");
	case LG_CMD_MC_GROUP_DEL_NTF:
		return print_mc_group_event(obj, "group-del", "group_del");
	case LG_CMD_MC_QUERY_NTF:
		return print_mc_group_event(obj, "query", "query");
	}
	return 0;
}

/* YANG: ietf-igmp-mld-proxy instance data */

#define LG_IMP		"ietf-igmp-mld-proxy:"
#define LG_LG_IMP	"leaseguard-igmp-mld-proxy:"

/* "--yang ietf": none of our augment's nodes (LG_LG_IMP). */
static bool lg_yang_ietf;

static struct lg_mc_if *lg_mc_if_find(const struct lg_mc_state *st,
				      uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < st->n_ifs; i++)
		if (st->ifs[i].ifindex == ifindex)
			return &st->ifs[i];
	return NULL;
}

/* An interface that the document may name, or NULL. */
static const struct lg_mc_if *lg_mc_if_ok(const struct lg_mc_state *st,
					  uint32_t ifindex)
{
	const struct lg_mc_if *i = lg_mc_if_find(st, ifindex);

	return i && i->ok ? i : NULL;
}

static int lg_mc_if_add(struct lg_mc_state *st, uint32_t ifindex)
{
	int err;

	if (!ifindex || lg_mc_if_find(st, ifindex))
		return 0;
	err = lg_grow(&st->ifs, &st->cap_ifs, st->n_ifs, sizeof(*st->ifs));
	if (err)
		return err;
	memset(&st->ifs[st->n_ifs], 0, sizeof(st->ifs[0]));
	st->ifs[st->n_ifs++].ifindex = ifindex;
	return 0;
}

static int lg_mc_if_cmp(const void *a, const void *b)
{
	const struct lg_mc_if *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static const char *lg_mc_if_type(unsigned short arphrd, const char *kind)
{
	if (kind && !strcmp(kind, "bridge"))
		return "bridge";
	if (kind && !strcmp(kind, "vlan"))
		return "l2vlan";
	if (kind && !strcmp(kind, "bond"))
		return "ieee8023adLag";
	switch (arphrd) {
	case ARPHRD_ETHER:		/* veth too */
		return "ethernetCsmacd";
	case ARPHRD_LOOPBACK:
		return "softwareLoopback";
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
	case ARPHRD_IPGRE:
	case ARPHRD_IP6GRE:
		return "tunnel";
	case ARPHRD_NONE:		/* tun, wireguard */
		return "propVirtual";
	}
	return "other";
}

/* IF_OPER_* (RFC 2863) as ietf-interfaces' oper-status */
static const char *const lg_mc_oper[] = {
	"unknown", "not-present", "down", "lower-layer-down", "testing",
	"dormant", "up",
};

static int lg_mc_linkinfo_cb(const struct nlattr *a, void *data)
{
	const char **kind = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		*kind = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

struct lg_mc_link {
	struct lg_mc_if *i;
	const char *kind;
};

static int lg_mc_link_attr_cb(const struct nlattr *a, void *data)
{
	struct lg_mc_link *l = data;
	uint8_t oper;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(l->i->name, sizeof(l->i->name), "%s",
				 mnl_attr_get_str(a));
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			break;
		oper = mnl_attr_get_u8(a);
		if (oper < ARRAY_SIZE(lg_mc_oper))
			l->i->oper = lg_mc_oper[oper];
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, lg_mc_linkinfo_cb, &l->kind);
		break;
	}
	return MNL_CB_OK;
}

static int lg_mc_link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct lg_mc_link *l = data;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	l->i->oper = "unknown";
	mnl_attr_parse(nlh, sizeof(*ifm), lg_mc_link_attr_cb, l);
	l->i->up = ifm->ifi_flags & IFF_UP;
	l->i->type = lg_mc_if_type(ifm->ifi_type, l->kind);
	l->i->ok = l->i->name[0];
	return MNL_CB_OK;
}

/* Describe i (by its ifindex) with RTM_GETLINK: 0 or -errno. */
static int lg_mc_link_get(struct mnl_socket *rt, uint32_t seq,
			  struct lg_mc_if *i)
{
	static char buf[32768];
	struct lg_mc_link l = { .i = i };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = i->ifindex;
	if (mnl_socket_sendto(rt, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(rt, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	ret = mnl_cb_run(buf, n, seq, mnl_socket_get_portid(rt),
			 lg_mc_link_cb, &l);
	if (ret < 0)
		return -errno;
	return i->ok ? 0 : -ENODEV;
}

/*
 * Describe the interfaces of st that are not yet: one that is gone
 * (-ENODEV) stays !ok, and the document leaves it and what is on it out.
 */
static int lg_mc_links_describe(struct lg_mc_state *st)
{
	struct mnl_socket *rt;
	uint32_t seq = time(NULL);
	size_t k;
	int err = 0;

	rt = mnl_socket_open(NETLINK_ROUTE);
	if (!rt)
		return -errno;
	if (mnl_socket_bind(rt, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	for (k = 0; k < st->n_ifs && !err; k++) {
		if (st->ifs[k].ok)
			continue;
		err = lg_mc_link_get(rt, seq++, &st->ifs[k]);
		if (err == -ENODEV)
			err = 0;
	}
out:
	mnl_socket_close(rt);
	return err;
}

static void lg_mc_boot_time(char *buf, size_t len)
{
	struct timespec real, boot;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	t = real.tv_sec - boot.tv_sec;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_yang_interfaces(const struct lg_mc_state *st)
{
	char type[64];
	size_t k;
	bool any = false;

	open_json_object("ietf-interfaces:interfaces");
	for (k = 0; k < st->n_ifs; k++) {
		const struct lg_mc_if *i = &st->ifs[k];

		if (!i->ok)
			continue;
		if (!any)
			open_json_array("interface");
		any = true;
		open_json_object(NULL);
		print_string(PRINT_JSON, "name", NULL, i->name);
		snprintf(type, sizeof(type), "iana-if-type:%s", i->type);
		print_string(PRINT_JSON, "type", NULL, type);
		print_bool(PRINT_JSON, "enabled", NULL, i->up);
		print_string(PRINT_JSON, "admin-status", NULL,
			     i->up ? "up" : "down");
		print_string(PRINT_JSON, "oper-status", NULL, i->oper);
		print_uint(PRINT_JSON, "if-index", NULL, i->ifindex);
		open_json_object("statistics");
		print_string(PRINT_JSON, "discontinuity-time", NULL, st->boot);
		close_json_object();
		close_json_object();
	}
	if (any)
		close_json_array();
	close_json_object();
}

/* A source of a group on one interface, for the merge. */
struct lg_mc_ref {
	const struct lg_mc_group *g;
	const struct lg_mc_source *s;
};

static int lg_mc_ref_cmp(const void *a, const void *b)
{
	const struct lg_mc_ref *x = a, *y = b;
	int c = memcmp(x->s->addr, y->s->addr, sizeof(x->s->addr));

	if (c)
		return c;
	return x->g->ifindex < y->g->ifindex ? -1 :
	       x->g->ifindex > y->g->ifindex;
}

static int lg_mc_gptr_cmp(const void *a, const void *b)
{
	const struct lg_mc_group *x = *(const struct lg_mc_group **)a;
	const struct lg_mc_group *y = *(const struct lg_mc_group **)b;
	int c = memcmp(x->addr, y->addr, sizeof(x->addr));

	if (c)
		return c;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static const struct lg_mc_source *lg_mc_source_find(const struct lg_mc_group *g,
						    const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < g->n_sources; i++)
		if (!memcmp(g->sources[i].addr, addr, sizeof(g->sources[i].addr)))
			return &g->sources[i];
	return NULL;
}

/*
 * Whether some interface of the group (m[0..n)) wants traffic from addr:
 * RFC 4605 section 4.1, the merged state excludes a source only if every
 * EXCLUDE interface excludes it and no interface includes it.
 */
static bool lg_mc_wanted(const struct lg_mc_group *const *m, size_t n,
			 const uint8_t *addr)
{
	const struct lg_mc_source *s;
	size_t k;

	for (k = 0; k < n; k++) {
		s = lg_mc_source_find(m[k], addr);
		if (s ? lg_mc_forward(m[k], s) : lg_mc_exclude(m[k]))
			return true;
	}
	return false;
}

/* The merged source entries of one group (members m[0..n), by ifindex). */
static int print_yang_sources(const struct lg_mc_state *st,
			      const struct lg_mc_group *const *m, size_t n)
{
	char addr[INET6_ADDRSTRLEN];
	struct lg_mc_ref *refs;
	size_t k, j, nr = 0, a, b;
	uint32_t up;
	bool has_up;

	for (k = 0; k < n; k++)
		nr += m[k]->n_sources;
	if (!nr)
		return 0;
	refs = calloc(nr, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	nr = 0;
	for (k = 0; k < n; k++)
		for (j = 0; j < m[k]->n_sources; j++) {
			refs[nr].g = m[k];
			refs[nr++].s = &m[k]->sources[j];
		}
	qsort(refs, nr, sizeof(*refs), lg_mc_ref_cmp);

	open_json_array("source");
	for (a = 0; a < nr; a = b) {
		has_up = false;
		up = 0;
		for (b = a; b < nr && !memcmp(refs[b].s->addr, refs[a].s->addr,
					      sizeof(refs[a].s->addr)); b++) {
			if (refs[b].s->has_up_time &&
			    (!has_up || refs[b].s->up_time > up))
				up = refs[b].s->up_time;
			has_up |= refs[b].s->has_up_time;
		}
		open_json_object(NULL);
		print_string(PRINT_JSON, "source-address", NULL,
			     lg_mc_addr(refs[a].g->family, refs[a].s->addr,
					addr));
		if (has_up)
			print_uint(PRINT_JSON, "up-time", NULL, up);
		print_string(PRINT_JSON, "filter-mode", NULL,
			     lg_mc_wanted(m, n, refs[a].s->addr) ?
			     "include" : "exclude");
		open_json_array("downstream-interface");
		for (j = a; j < b; j++) {
			const struct lg_mc_group *g = refs[j].g;
			const struct lg_mc_source *s = refs[j].s;

			if (j > a && g->ifindex == refs[j - 1].g->ifindex)
				continue;	/* listed twice: once */
			open_json_object(NULL);
			print_string(PRINT_JSON, "interface-name", NULL,
				     lg_mc_if_ok(st, g->ifindex)->name);
			if (g->has_filter_mode)
				print_string(PRINT_JSON, "filter-mode", NULL,
					     lg_mc_mode_name(g));
			if (!lg_yang_ietf)
				print_bool(PRINT_JSON, LG_LG_IMP "forwarding",
					   NULL, lg_mc_forward(g, s));
			if (!lg_yang_ietf && s->has_timer && s->timer)
				print_uint(PRINT_JSON, LG_LG_IMP "expires",
					   NULL, s->timer);
			close_json_object();
		}
		close_json_array();
		close_json_object();
	}
	close_json_array();
	free(refs);
	return 0;
}

/* The augment: the group on each of its interfaces. */
static void print_yang_downstream(const struct lg_mc_state *st,
				  const struct lg_mc_group *const *m, size_t n)
{
	size_t k;

	open_json_array(LG_LG_IMP "downstream-interface");
	for (k = 0; k < n; k++) {
		const struct lg_mc_group *g = m[k];

		open_json_object(NULL);
		print_string(PRINT_JSON, "interface-name", NULL,
			     lg_mc_if_ok(st, g->ifindex)->name);
		if (g->has_filter_mode)
			print_string(PRINT_JSON, "filter-mode", NULL,
				     lg_mc_mode_name(g));
		if (g->has_compat)
			print_uint(PRINT_JSON, "compatibility-version", NULL,
				   g->compat);
		if (g->has_up_time)
			print_uint(PRINT_JSON, "up-time", NULL, g->up_time);
		if (g->has_timer && lg_mc_exclude(g))
			print_uint(PRINT_JSON, "expires", NULL, g->timer);
		close_json_object();
	}
	close_json_array();
}

/* The groups of a family on the access interfaces, merged per address. */
static int print_yang_groups(const struct lg_mc_state *st, uint8_t family,
			     uint32_t upstream)
{
	const struct lg_mc_group **m;
	char addr[INET6_ADDRSTRLEN];
	size_t k, n = 0, a, b, c;
	uint32_t up;
	bool any_up, exclude;
	int err = 0;

	m = calloc(st->groups.n ? st->groups.n : 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (k = 0; k < st->groups.n; k++) {
		const struct lg_mc_group *g = &st->groups.v[k];

		if (g->family == family && g->ifindex != upstream &&
		    lg_mc_if_ok(st, g->ifindex))
			m[n++] = g;
	}
	qsort(m, n, sizeof(*m), lg_mc_gptr_cmp);
	/* one entry per interface: a duplicate would repeat a key */
	for (a = 0, c = 0; a < n; a++)
		if (!c || lg_mc_gptr_cmp(&m[a], &m[c - 1]))
			m[c++] = m[a];
	n = c;

	if (n)
		open_json_array("group");
	for (a = 0; a < n && !err; a = b) {
		any_up = exclude = false;
		up = 0;
		for (b = a; b < n && !memcmp(m[b]->addr, m[a]->addr,
					     sizeof(m[a]->addr)); b++) {
			if (m[b]->has_up_time &&
			    (!any_up || m[b]->up_time > up))
				up = m[b]->up_time;
			any_up |= m[b]->has_up_time;
			exclude |= lg_mc_exclude(m[b]);
		}
		open_json_object(NULL);
		print_string(PRINT_JSON, "group-address", NULL,
			     lg_mc_addr(family, m[a]->addr, addr));
		if (any_up)
			print_uint(PRINT_JSON, "up-time", NULL, up);
		print_string(PRINT_JSON, "filter-mode", NULL,
			     exclude ? "exclude" : "include");
		err = print_yang_sources(st, m + a, b - a);
		if (!lg_yang_ietf)
			print_yang_downstream(st, m + a, b - a);
		close_json_object();
	}
	if (n)
		close_json_array();
	free(m);
	return err;
}

/* A control-plane-protocol per family that is enabled or has an upstream. */
static int print_yang_protocol(const struct lg_mc_state *st,
			       const struct lg_mcast *cfg)
{
	const char *fam = lg_mc_family_name(cfg->family);
	const struct lg_mc_if *up = NULL;
	char name[64];
	int err = 0;

	if (lg_mc_has(cfg, LG_MCAST_A_UPSTREAM))
		up = lg_mc_if_ok(st, cfg->val[LG_MCAST_A_UPSTREAM]);
	open_json_object(NULL);
	snprintf(name, sizeof(name), LG_IMP "%s-proxy", fam);
	print_string(PRINT_JSON, "type", NULL, name);
	print_string(PRINT_JSON, "name", NULL, fam);
	open_json_object(name);
	open_json_object("interfaces");
	/* the groups hang from the upstream interface: none, nowhere */
	if (up) {
		open_json_array("interface");
		open_json_object(NULL);
		print_string(PRINT_JSON, "interface-name", NULL, up->name);
		if (lg_mc_has(cfg, LG_MCAST_A_VERSION))
			print_uint(PRINT_JSON, "version", NULL,
				   cfg->val[LG_MCAST_A_VERSION]);
		print_bool(PRINT_JSON, "enable", NULL,
			   lg_mc_has(cfg, LG_MCAST_A_ENABLE) &&
			   cfg->val[LG_MCAST_A_ENABLE]);
		err = print_yang_groups(st, cfg->family, up->ifindex);
		close_json_object();
		close_json_array();
	}
	close_json_object();
	close_json_object();
	close_json_object();
	return err;
}

static bool lg_mc_configured(const struct lg_mcast *cfg)
{
	return (lg_mc_has(cfg, LG_MCAST_A_ENABLE) &&
		cfg->val[LG_MCAST_A_ENABLE]) ||
	       (lg_mc_has(cfg, LG_MCAST_A_UPSTREAM) &&
		cfg->val[LG_MCAST_A_UPSTREAM]);
}

/* The document, as one JSON value: pretty unless -j. */
static int print_mcast_yang(const struct lg_mc_state *st)
{
	size_t k;
	bool any = false;
	int err = 0;

	new_json_obj(true, !lg_json || lg_pretty);
	open_json_object(NULL);
	print_yang_interfaces(st);
	open_json_object("ietf-routing:routing");
	open_json_object("control-plane-protocols");
	for (k = 0; k < st->cfg.n && !err; k++) {
		if (!lg_mc_configured(&st->cfg.v[k]))
			continue;
		if (!any)
			open_json_array("control-plane-protocol");
		any = true;
		err = print_yang_protocol(st, &st->cfg.v[k]);
	}
	if (any)
		close_json_array();
	close_json_object();
	close_json_object();
	close_json_object();
	delete_json_obj();
	return err;
}

static void lg_mc_state_free(struct lg_mc_state *st)
{
	lg_mc_group_list_free(&st->groups);
	free(st->ifs);
	memset(st, 0, sizeof(*st));
}

/*
 * The interfaces the document names: the upstream ones of the families
 * shown, the access interfaces, and those of the groups (the same, but
 * one may have changed role between the dumps).
 */
static int lg_mc_state_ifs(struct lg_mc_state *st,
			   const struct lg_link_list *links)
{
	size_t k;
	int err = 0;

	for (k = 0; k < st->cfg.n && !err; k++)
		if (lg_mc_configured(&st->cfg.v[k]) &&
		    lg_mc_has(&st->cfg.v[k], LG_MCAST_A_UPSTREAM))
			err = lg_mc_if_add(st,
					   st->cfg.v[k].val[LG_MCAST_A_UPSTREAM]);
	for (k = 0; links && k < links->n && !err; k++)
		if (links->v[k].has_role &&
		    links->v[k].role == LG_ROLE_ACCESS)
			err = lg_mc_if_add(st, links->v[k].ifindex);
	for (k = 0; k < st->groups.n && !err; k++)
		err = lg_mc_if_add(st, st->groups.v[k].ifindex);
	if (!err)
		err = lg_mc_links_describe(st);
	if (!err)
		qsort(st->ifs, st->n_ifs, sizeof(*st->ifs), lg_mc_if_cmp);
	return err;
}

/* The test hook: the state from a file (selftests/host/yang/state.txt) */

#define LG_MC_FIXTURE_WORDS	32

static struct lg_mc_if *lg_mc_if_by_name(struct lg_mc_state *st,
					 const char *name)
{
	size_t i;

	for (i = 0; i < st->n_ifs; i++)
		if (!strcmp(st->ifs[i].name, name))
			return &st->ifs[i];
	return NULL;
}

static int lg_mc_parse_u32_word(const char *s, uint32_t *v)
{
	return lg_parse_u32(s, 0, UINT32_MAX, v);
}

static int lg_mc_set_args(int argc, char **argv, struct lg_mcast *m,
			  const char **upstream);

static int lg_mc_fixture_line(struct lg_mc_state *st, int argc, char **argv)
{
	static const char *const types[] = {
		"ethernetCsmacd", "softwareLoopback", "tunnel", "other",
		"bridge", "l2vlan", "ieee8023adLag", "propVirtual",
	};
	struct lg_mc_group *g;
	struct lg_mc_source *s;
	struct lg_mc_if *i;
	const char *upstream = NULL;
	uint32_t v;
	size_t k;
	int family, err;

	if (!strcmp(argv[0], "iface") && (argc == 2 || argc == 6)) {
		if (argc == 2) {
			v = if_nametoindex(argv[1]);
			if (!v)
				return -ENODEV;
			if (lg_mc_if_find(st, v))
				return -EINVAL;
			err = lg_mc_if_add(st, v);
			if (!err)
				snprintf(st->ifs[st->n_ifs - 1].name,
					 sizeof(st->ifs[0].name), "%s",
					 argv[1]);
			return err;
		}
		err = lg_mc_parse_u32_word(argv[2], &v);
		if (err || !v || lg_mc_if_find(st, v))
			return -EINVAL;
		err = lg_mc_if_add(st, v);
		if (err)
			return err;
		i = &st->ifs[st->n_ifs - 1];
		snprintf(i->name, sizeof(i->name), "%s", argv[1]);
		for (k = 0; k < ARRAY_SIZE(types); k++)
			if (!strcmp(argv[3], types[k]))
				i->type = types[k];
		for (k = 0; k < ARRAY_SIZE(lg_mc_oper); k++)
			if (!strcmp(argv[5], lg_mc_oper[k]))
				i->oper = lg_mc_oper[k];
		i->up = !strcmp(argv[4], "up");
		i->ok = true;
		if (!i->type || !i->oper ||
		    (!i->up && strcmp(argv[4], "down")))
			return -EINVAL;
		return 0;
	}
	if (!strcmp(argv[0], "boot") && argc == 2) {
		snprintf(st->boot, sizeof(st->boot), "%s", argv[1]);
		return 0;
	}
	if (!strcmp(argv[0], "mcast") && argc >= 2) {
		if (st->cfg.n == ARRAY_SIZE(st->cfg.v))
			return -EINVAL;
		if (lg_mc_set_args(argc - 1, argv + 1, &st->cfg.v[st->cfg.n],
				   &upstream))
			return -EINVAL;
		if (upstream && strcmp(upstream, "none")) {
			i = lg_mc_if_by_name(st, upstream);
			if (!i)
				return -ENODEV;
			lg_mc_set(&st->cfg.v[st->cfg.n], LG_MCAST_A_UPSTREAM,
				  i->ifindex);
		}
		st->cfg.n++;
		return 0;
	}
	if (!strcmp(argv[0], "group") && argc == 7) {
		err = lg_grow(&st->groups.v, &st->groups.cap, st->groups.n,
			      sizeof(*st->groups.v));
		if (err)
			return err;
		g = &st->groups.v[st->groups.n];
		memset(g, 0, sizeof(*g));
		i = lg_mc_if_by_name(st, argv[1]);
		if (!i)
			return -ENODEV;
		g->ifindex = i->ifindex;
		snprintf(g->ifname, sizeof(g->ifname), "%s", i->name);
		family = strchr(argv[2], ':') ? AF_INET6 : AF_INET;
		g->family = family;
		if (inet_pton(family, argv[2], g->addr) != 1)
			return -EINVAL;
		g->has_filter_mode = g->has_compat = true;
		g->has_up_time = g->has_timer = true;
		if (!strcmp(argv[3], "include"))
			g->filter_mode = LG_MC_INCLUDE;
		else if (!strcmp(argv[3], "exclude"))
			g->filter_mode = LG_MC_EXCLUDE;
		else
			return -EINVAL;
		if (lg_mc_parse_u32_word(argv[4], &g->compat) ||
		    lg_mc_parse_u32_word(argv[5], &g->up_time) ||
		    lg_mc_parse_u32_word(argv[6], &g->timer))
			return -EINVAL;
		st->groups.n++;
		return 0;
	}
	if (!strcmp(argv[0], "source") && argc == 5 && st->groups.n) {
		g = &st->groups.v[st->groups.n - 1];
		err = lg_grow(&g->sources, &g->cap_sources, g->n_sources,
			      sizeof(*g->sources));
		if (err)
			return err;
		s = &g->sources[g->n_sources];
		memset(s, 0, sizeof(*s));
		s->has_up_time = s->has_timer = s->has_forward = true;
		if (inet_pton(g->family, argv[1], s->addr) != 1 ||
		    lg_mc_parse_u32_word(argv[2], &s->up_time) ||
		    lg_mc_parse_u32_word(argv[3], &s->timer) ||
		    lg_mc_parse_u32_word(argv[4], &v) || v > 1)
			return -EINVAL;
		s->forward = v;
		g->n_sources++;
		return 0;
	}
	return -EINVAL;
}

/*
 * The state of a fixture: a line per fact, '#' comments (the words are in
 * selftests/host/yang/state.txt). "iface NAME" alone describes a real
 * interface; boot defaults to the real boot time.
 */
static int lg_mc_state_load(const char *path, struct lg_mc_state *st)
{
	char line[1024], *argv[LG_MC_FIXTURE_WORDS], *save, *w;
	unsigned int lineno = 0;
	FILE *f;
	int argc, err = 0;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "lgctl: %s: %s\n", path, strerror(errno));
		return LG_EXIT_FAIL;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		lineno++;
		argc = 0;
		for (w = strtok_r(line, " \t\r\n", &save);
		     w && *w != '#' && argc < LG_MC_FIXTURE_WORDS;
		     w = strtok_r(NULL, " \t\r\n", &save))
			argv[argc++] = w;
		if (argc)
			err = lg_mc_fixture_line(st, argc, argv);
	}
	fclose(f);
	if (!err)
		err = lg_mc_links_describe(st);
	if (err) {
		fprintf(stderr, "lgctl: %s:%u: %s\n", path, lineno,
			err == -EINVAL ? "bad line" : strerror(-err));
		return LG_EXIT_FAIL;
	}
	if (!st->boot[0])
		lg_mc_boot_time(st->boot, sizeof(st->boot));
	qsort(st->ifs, st->n_ifs, sizeof(*st->ifs), lg_mc_if_cmp);
	return LG_EXIT_OK;
}

/* "full" or "ietf": 0, or the exit code of a usage error. */
static int lg_mc_yang_form(const char *word)
{
	if (!strcmp(word, "ietf") || !strcmp(word, "full")) {
		lg_yang_ietf = !strcmp(word, "ietf");
		return 0;
	}
	return lg_usage_err("Argument \"%s\" is wrong: --yang is full or ietf.",
			    word);
}

/*
 * Hidden: "lgctl mcast yang-from FILE [ full | ietf ]", show --yang of a
 * fixture.
 */
static int mcast_yang_from(int argc, char **argv)
{
	struct lg_mc_state st = {};
	int ret;

	if (argc < 1 || argc > 2)
		return lg_usage_err("Argument FILE is required, try \"%s help\".",
				    LG_MC_WHAT);
	if (argc == 2) {
		ret = lg_mc_yang_form(argv[1]);
		if (ret)
			return ret;
	}
	ret = lg_mc_state_load(argv[0], &st);
	if (!ret && print_mcast_yang(&st))
		ret = lg_fail(NULL, -ENOMEM);
	lg_mc_state_free(&st);
	return ret;
}

/* Commands */

static int mcast_show_yang(uint8_t family)
{
	struct lg_link_list links = {};
	struct lg_mc_state st = {};
	struct lg_nl nl;
	int ret, err;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_mcast_get(&nl, family, &st.cfg);
	if (!err)
		err = lg_mc_group_dump(&nl, 0, family, &st.groups);
	if (!err)
		err = lg_link_dump(&nl, &links);
	if (err) {
		ret = lg_mc_fail(&nl, err);
		goto out;
	}
	err = lg_mc_state_ifs(&st, &links);
	if (err) {
		fprintf(stderr, "lgctl: rtnetlink: %s\n", strerror(-err));
		ret = LG_EXIT_FAIL;
		goto out;
	}
	lg_mc_boot_time(st.boot, sizeof(st.boot));
	ret = print_mcast_yang(&st) ? lg_fail(NULL, -ENOMEM) : LG_EXIT_OK;
out:
	lg_link_list_free(&links);
	lg_mc_state_free(&st);
	lg_nl_close(&nl);
	return ret;
}

/*
 * "igmp" or "mld" as a word of the command line: 0 if word is neither,
 * 1 if taken, or the exit code of a usage error.
 */
static int lg_mc_arg_family(const char *word, uint8_t *family)
{
	int f = lg_mc_family_parse(word);

	if (f < 0)
		return 0;
	if (*family == f)
		return lg_usage_err("Argument \"%s\" is given twice, try \"%s help\".",
				    word, LG_MC_WHAT);
	if (*family)
		return lg_usage_err("Arguments \"igmp\" and \"mld\" do not go together, try \"%s help\".",
				    LG_MC_WHAT);
	*family = f;
	return 1;
}

static int mcast_show(int argc, char **argv)
{
	const char *dev = NULL, *group = NULL, *yang = NULL;
	struct lg_mc_group_list list = {};
	struct lg_mcast_list cfg = {};
	uint8_t family = 0, gaddr[16];
	uint32_t ifindex = 0;
	struct lg_nl nl;
	bool filter;
	size_t i;
	int ret, err;

	for (; argc > 0; argc--, argv++) {
		ret = lg_mc_arg_family(argv[0], &family);
		if (ret == 1)
			continue;
		if (ret)
			return ret;
		if (!strcmp(argv[0], "dev"))
			ret = lg_arg_value(LG_MC_WHAT, &argc, &argv, &dev);
		else if (!strcmp(argv[0], "group"))
			ret = lg_arg_value(LG_MC_WHAT, &argc, &argv, &group);
		else if (!strcmp(argv[0], "--yang") && !yang) {
			yang = argv[0];
			/* "--yang full" or "--yang ietf"; alone: full */
			if (argc > 1 && (!strcmp(argv[1], "full") ||
					 !strcmp(argv[1], "ietf"))) {
				ret = lg_mc_yang_form(argv[1]);
				argc--;
				argv++;
			}
		}
		else if (!strcmp(argv[0], "--yang"))
			ret = lg_usage_err("Argument \"--yang\" is given twice, try \"%s help\".",
					   LG_MC_WHAT);
		else
			ret = lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					   argv[0], LG_MC_WHAT);
		if (ret)
			return ret;
	}
	if (yang && (dev || group))
		return lg_usage_err("Arguments \"--yang\" and \"%s\" do not go together, try \"%s help\".",
				    dev ? "dev" : "group", LG_MC_WHAT);
	if (group) {
		if (inet_pton(AF_INET, group, gaddr) == 1 &&
		    (gaddr[0] & 0xf0) == 0xe0 && family != AF_INET6) {
			family = AF_INET;
		} else if (inet_pton(AF_INET6, group, gaddr) == 1 &&
			   gaddr[0] == 0xff && family != AF_INET) {
			family = AF_INET6;
		} else {
			return lg_usage_err("Argument \"%s\" is wrong: not %s multicast address.",
					    group,
					    family == AF_INET ? "an IPv4" :
					    family == AF_INET6 ? "an IPv6" :
					    "a");
		}
	}
	if (yang)
		return mcast_show_yang(family);
	if (dev) {
		ifindex = if_nametoindex(dev);
		if (!ifindex)
			return lg_no_device(dev);
	}
	filter = dev || group;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = filter ? 0 : lg_mcast_get(&nl, family, &cfg);
	if (!err)
		err = lg_mc_group_dump(&nl, ifindex, family, &list);
	if (err) {
		ret = lg_mc_fail(&nl, err);
		goto out;
	}

	open_json_object(NULL);
	if (!filter) {
		open_json_array("config");
		for (i = 0; i < cfg.n; i++)
			print_mcast(NULL, &cfg.v[i]);
		close_json_array();
	}
	open_json_array("groups");
	for (i = 0; i < list.n; i++) {
		const struct lg_mc_group *g = &list.v[i];

		/* a module that does not filter still gives what was asked */
		if ((ifindex && g->ifindex != ifindex) ||
		    (family && g->family != family) ||
		    (group && memcmp(g->addr, gaddr,
				     lg_mc_addr_len(g->family))))
			continue;
		print_mc_group(NULL, g, false);
	}
	close_json_array();
	close_json_object();
	ret = LG_EXIT_OK;
out:
	lg_mc_group_list_free(&list);
	lg_nl_close(&nl);
	return ret;
}

static int lg_mc_on_off(const char *s, uint32_t *v)
{
	if (!strcmp(s, "on"))
		*v = 1;
	else if (!strcmp(s, "off"))
		*v = 0;
	else
		return lg_usage_err("Argument \"%s\" is wrong: enable is on or off.",
				    s);
	return 0;
}

/*
 * The words of "set" (also the fixture's "mcast" lines) into m, but the
 * upstream interface's name, left in *upstream ("none" or a name): 0 or
 * the exit code of the usage error it printed.
 */
static int lg_mc_set_args(int argc, char **argv, struct lg_mcast *m,
			  const char **upstream)
{
	const char *vals[ARRAY_SIZE(lg_mc_params)] = {};
	const struct lg_mc_param *p;
	const char *enable = NULL;
	uint32_t v, max, qi = 0, qri = 0;
	uint8_t family = 0;
	size_t k;
	int ret;

	memset(m, 0, sizeof(*m));
	*upstream = NULL;
	for (; argc > 0; argc--, argv++) {
		ret = lg_mc_arg_family(argv[0], &family);
		if (ret == 1)
			continue;
		if (ret)
			return ret;
		if (!strcmp(argv[0], "enable")) {
			ret = lg_arg_value(LG_MC_WHAT, &argc, &argv, &enable);
		} else if (!strcmp(argv[0], "upstream")) {
			ret = lg_arg_value(LG_MC_WHAT, &argc, &argv, upstream);
		} else {
			for (k = 0; k < ARRAY_SIZE(lg_mc_params); k++)
				if (!strcmp(argv[0], lg_mc_params[k].word))
					break;
			if (k < ARRAY_SIZE(lg_mc_params))
				ret = lg_arg_value(LG_MC_WHAT, &argc, &argv,
						   &vals[k]);
			else
				ret = lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
						   argv[0], LG_MC_WHAT);
		}
		if (ret)
			return ret;
	}
	if (!family)
		return lg_usage_err("Argument \"igmp\" or \"mld\" is required, try \"%s help\".",
				    LG_MC_WHAT);
	m->family = family;
	if (enable) {
		ret = lg_mc_on_off(enable, &v);
		if (ret)
			return ret;
		lg_mc_set(m, LG_MCAST_A_ENABLE, v);
	}
	for (k = 0; k < ARRAY_SIZE(lg_mc_params); k++) {
		p = &lg_mc_params[k];
		if (!vals[k])
			continue;
		max = p->attr == LG_MCAST_A_VERSION && family == AF_INET6 ?
		      2 : p->max;
		if (lg_parse_u32(vals[k], p->min, max, &v)) {
			if (p->attr == LG_MCAST_A_VERSION)
				return lg_usage_err("Argument \"%s\" is wrong: the %s version is %u to %u.",
						    vals[k],
						    family == AF_INET ? "IGMP" :
						    "MLD", p->min, max);
			return lg_usage_err("Argument \"%s\" is wrong: %s is %u to %u%s.",
					    vals[k], p->word, p->min, max,
					    p->what);
		}
		lg_mc_set(m, p->attr, v);
		if (p->attr == LG_MCAST_A_QUERY_INTERVAL)
			qi = v;
		else if (p->attr == LG_MCAST_A_QUERY_RESPONSE_INTERVAL)
			qri = v;
	}
	/* with one of them, only the kernel knows the other */
	if (qi && qri && (uint64_t)qri >= (uint64_t)qi * 1000)
		return lg_usage_err("Argument \"%u\" is wrong: query-response-interval must be less than query-interval (%u ms).",
				    qri, qi * 1000);
	if (!m->present && !*upstream)
		return lg_usage_err("Nothing to set, try \"%s help\".",
				    LG_MC_WHAT);
	return 0;
}

static int mcast_set(int argc, char **argv)
{
	const char *upstream;
	struct lg_mcast m;
	struct lg_nl nl;
	uint32_t ifindex = 0;
	int ret, err;

	ret = lg_mc_set_args(argc, argv, &m, &upstream);
	if (ret)
		return ret;
	if (upstream) {
		if (strcmp(upstream, "none")) {
			ifindex = if_nametoindex(upstream);
			if (!ifindex)
				return lg_no_device(upstream);
		}
		lg_mc_set(&m, LG_MCAST_A_UPSTREAM, ifindex);
	}

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_mcast_set(&nl, &m);
	ret = err ? lg_mc_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_mcast_cmds[] = {
	{ "show",	mcast_show,	NULL },
	{ "set",	mcast_set,	NULL },
	{ "proxy",	lg_mcast_proxy,	NULL },
	{ "yang-from",	mcast_yang_from, NULL },	/* tests, not in help */
	{}
};

int do_mcast(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && (lg_mc_family_parse(argv[0]) >= 0 ||
			 !strcmp(argv[0], "dev") || !strcmp(argv[0], "group") ||
			 !strcmp(argv[0], "--yang")))
		return mcast_show(argc, argv);
	return lg_dispatch(LG_MC_WHAT, lg_mcast_cmds, lg_mcast_help, argc,
			   argv);
}
