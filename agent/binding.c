// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl binding: the DHCPv6 leases learned on access interfaces
 * (LG_CMD_BINDING_GET / LG_CMD_BINDING_DEL).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LG_LIFETIME_INFINITE	0xffffffffU

const char lg_binding_help[] =
	"Usage: lgctl binding [ show ] [ dev IFNAME ] [ duid DUID ]\n"
	"       lgctl binding get { ADDR [ dev IFNAME ] | id ID | duid DUID }\n"
	"       lgctl binding del { SELECTOR... | all }\n"
	"       lgctl binding help\n"
	"where  SELECTOR := { id ID | dev IFNAME | duid DUID | addr ADDR }\n"
	"       DUID := hex octets: 00:01:00:01:2b:3c:4d:5e or 000100012b3c4d5e\n";

static const char *const lg_ia_types[] = {
	[LG_IA_NA]	= "ia_na",
	[LG_IA_PD]	= "ia_pd",
};

static const char *const lg_binding_states[] = {
	[LG_BINDING_BOUND]	= "bound",
	[LG_BINDING_RELEASING]	= "releasing",
};

static const char *const lg_del_reasons[] = {
	[LG_BINDING_DEL_EXPIRED]	= "expired",
	[LG_BINDING_DEL_CLIENT_RELEASE]	= "client-release",
	[LG_BINDING_DEL_CLIENT_DECLINE]	= "client-decline",
	[LG_BINDING_DEL_ADMIN]		= "admin",
	[LG_BINDING_DEL_INTERFACE]	= "interface-gone",
	[LG_BINDING_DEL_SERVER]		= "server",
	[LG_BINDING_DEL_SUPERSEDED]	= "superseded",
};

/* A value from a newer module prints as its number. */
static const char *lg_enum_name(const char *const *names, size_t n,
				uint32_t v, char *buf, size_t len)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

const char *lg_del_reason_name(uint32_t reason, char *buf, size_t len)
{
	return lg_enum_name(lg_del_reasons, ARRAY_SIZE(lg_del_reasons),
			    reason, buf, len);
}

/* Octet strings */

static int lg_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "00:01:0a" (two digits between colons) or "00010a"; -ERANGE when there
 * are more than size octets, -EINVAL when it is not hex octets.
 */
int lg_hex_parse(const char *s, uint8_t *buf, size_t size)
{
	bool colons = strchr(s, ':');
	size_t n = 0;

	while (*s) {
		int hi = lg_hex_digit(s[0]);
		int lo = hi < 0 ? -1 : lg_hex_digit(s[1]);

		if (lo < 0)
			return -EINVAL;
		if (n == size)
			return -ERANGE;
		buf[n++] = hi << 4 | lo;
		s += 2;
		if (colons && *s && (*s++ != ':' || !*s))
			return -EINVAL;
	}
	return n;
}

char *lg_hex_format(const uint8_t *p, size_t len, char *out)
{
	char *o = out;
	size_t i;

	*o = '\0';
	for (i = 0; i < len; i++)
		o += sprintf(o, i ? ":%02x" : "%02x", p[i]);
	return out;
}

/* Model */

static int lg_attr_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	*has = true;
	return 0;
}

static int lg_attr_u64(const struct nlattr *a, bool *has, uint64_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u64(a);
	*has = true;
	return 0;
}

/* An attribute of exactly len octets. */
static int lg_attr_bin(const struct nlattr *a, bool *has, void *v,
		       size_t len)
{
	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memcpy(v, mnl_attr_get_payload(a), len);
	*has = true;
	return 0;
}

static int lg_attr_duid(const struct nlattr *a, uint8_t *duid, size_t *len)
{
	size_t n;

	if (!a)
		return 0;
	n = mnl_attr_get_payload_len(a);
	if (n < 1 || n > LG_DUID_MAX)
		return -EBADMSG;
	memcpy(duid, mnl_attr_get_payload(a), n);
	*len = n;
	return 0;
}

static int lg_lease_parse(const struct nlattr *nest, struct lg_lease *l)
{
	const struct nlattr *tb[LG_LEASE_A_MAX + 1];
	bool has_addr = false;
	int err;

	err = lg_nl_parse_nest(nest, tb, LG_LEASE_A_MAX);
	if (!err)
		err = lg_attr_bin(tb[LG_LEASE_A_ADDR], &has_addr, l->addr,
				  sizeof(l->addr));
	if (!err && !has_addr)
		err = -EBADMSG;
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_PLEN], &l->has_plen, &l->plen);
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_PREFERRED], &l->has_preferred,
				  &l->preferred);
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_VALID], &l->has_valid,
				  &l->valid);
	if (!err)
		err = lg_attr_u64(tb[LG_LEASE_A_EXPIRES], &l->has_expires,
				  &l->expires);
	return err;
}

/* The leases: every LG_BINDING_A_LEASE of the nest, in order. */
static int lg_binding_parse_leases(const struct nlattr *nest,
				   struct lg_binding *b)
{
	const struct nlattr *a;
	size_t n = 0;
	int err;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == LG_BINDING_A_LEASE)
			n++;
	if (!n)
		return 0;
	b->leases = calloc(n, sizeof(*b->leases));
	if (!b->leases)
		return -ENOMEM;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != LG_BINDING_A_LEASE)
			continue;
		err = lg_lease_parse(a, &b->leases[b->n_leases]);
		if (err)
			return err;
		b->n_leases++;
	}
	return 0;
}

void lg_binding_free(struct lg_binding *b)
{
	free(b->leases);
	free(b->interface_id);
	b->leases = NULL;
	b->interface_id = NULL;
	b->n_leases = b->interface_id_len = 0;
}

int lg_binding_parse(const struct nlattr *nest, struct lg_binding *b)
{
	const struct nlattr *tb[LG_BINDING_A_MAX + 1];
	const struct nlattr *a;
	bool has_id = false, has_ifindex = false;
	int err;

	memset(b, 0, sizeof(*b));
	err = lg_nl_parse_nest(nest, tb, LG_BINDING_A_MAX);
	if (err)
		return err;
	err = lg_attr_u64(tb[LG_BINDING_A_ID], &has_id, &b->id);
	if (!err && !has_id)
		err = -EBADMSG;
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IFINDEX], &has_ifindex,
				  &b->ifindex);
	if (!err)
		err = lg_attr_duid(tb[LG_BINDING_A_CLIENT_DUID],
				   b->client_duid, &b->client_duid_len);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IA_TYPE], &b->has_ia_type,
				  &b->ia_type);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IAID], &b->has_iaid,
				  &b->iaid);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_STATE], &b->has_state,
				  &b->state);
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_LLADDR],
				  &b->has_client_lladdr, b->client_lladdr,
				  sizeof(b->client_lladdr));
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_MAC],
				  &b->has_client_mac, b->client_mac,
				  sizeof(b->client_mac));
	if (!err)
		err = lg_attr_duid(tb[LG_BINDING_A_SERVER_DUID],
				   b->server_duid, &b->server_duid_len);
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_SERVER_ADDR],
				  &b->has_server_addr, b->server_addr,
				  sizeof(b->server_addr));
	if (!err)
		err = lg_attr_u64(tb[LG_BINDING_A_CREATED], &b->has_created,
				  &b->created);
	if (!err)
		err = lg_attr_u64(tb[LG_BINDING_A_UPDATED], &b->has_updated,
				  &b->updated);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_DEL_REASON],
				  &b->has_del_reason, &b->del_reason);
	if (err)
		return err;

	a = tb[LG_BINDING_A_IFNAME];
	if (a) {
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(b->ifname, sizeof(b->ifname), "%s",
			 mnl_attr_get_str(a));
	} else if (!b->ifindex || !if_indextoname(b->ifindex, b->ifname)) {
		b->ifname[0] = '\0';
	}

	a = tb[LG_BINDING_A_INTERFACE_ID];
	if (a && mnl_attr_get_payload_len(a)) {
		b->interface_id_len = mnl_attr_get_payload_len(a);
		b->interface_id = malloc(b->interface_id_len);
		if (!b->interface_id) {
			b->interface_id_len = 0;
			return -ENOMEM;
		}
		memcpy(b->interface_id, mnl_attr_get_payload(a),
		       b->interface_id_len);
	}

	err = lg_binding_parse_leases(nest, b);
	if (err)
		lg_binding_free(b);
	return err;
}

static int lg_binding_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	struct lg_binding_list *list = data;
	int err;

	if (lg_nl_cmd(nlh) != LG_CMD_BINDING_GET)
		return 0;
	err = lg_nl_parse_msg(nlh, tb, LG_A_MAX);
	if (err)
		return err;
	if (!tb[LG_A_BINDING])
		return -EBADMSG;
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;
		struct lg_binding *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	err = lg_binding_parse(tb[LG_A_BINDING], &list->v[list->n]);
	if (err)
		return err;
	list->n++;
	return 0;
}

static void lg_binding_list_reset(void *data)
{
	struct lg_binding_list *list = data;
	size_t i;

	for (i = 0; i < list->n; i++)
		lg_binding_free(&list->v[i]);
	list->n = 0;
}

void lg_binding_list_free(struct lg_binding_list *list)
{
	lg_binding_list_reset(list);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/* LG_A_BINDING with the selectors that are set. */
static void lg_binding_put_sel(struct nlmsghdr *nlh,
			       const struct lg_binding_sel *sel)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	if (sel->has_id)
		mnl_attr_put_u64(nlh, LG_BINDING_A_ID, sel->id);
	if (sel->ifindex)
		mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, sel->ifindex);
	if (sel->duid_len)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, sel->duid_len,
			     sel->duid);
	if (sel->has_addr)
		mnl_attr_put(nlh, LG_BINDING_A_ADDR, sizeof(sel->addr),
			     sel->addr);
	if (sel->all)
		mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
}

/* A dump request with the filter the kernel takes: interface, DUID. */
static struct nlmsghdr *lg_binding_dump_msg(struct lg_nl *nl,
					    const struct lg_binding_sel *sel)
{
	struct nlmsghdr *nlh;

	nlh = lg_nl_msg(nl, LG_CMD_BINDING_GET, NLM_F_DUMP);
	if (sel && (sel->ifindex || sel->duid_len)) {
		struct lg_binding_sel f = {
			.ifindex = sel->ifindex,
			.duid_len = sel->duid_len,
		};

		memcpy(f.duid, sel->duid, sel->duid_len);
		lg_binding_put_sel(nlh, &f);
	}
	return nlh;
}

int lg_binding_dump(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    struct lg_binding_list *list)
{
	return lg_nl_dump_req(nl, lg_binding_dump_msg(nl, sel), lg_binding_cb,
			      lg_binding_list_reset, list);
}

int lg_binding_get(struct lg_nl *nl, const struct lg_binding_sel *sel,
		   struct lg_binding *b)
{
	struct lg_binding_list list = {};
	struct lg_binding_sel s = {};
	struct nlmsghdr *nlh;
	int err;

	/* one of ID or ADDR; IFINDEX only with ADDR */
	if (sel->has_id) {
		s.has_id = true;
		s.id = sel->id;
	} else if (sel->has_addr) {
		s.has_addr = true;
		memcpy(s.addr, sel->addr, sizeof(s.addr));
		s.ifindex = sel->ifindex;
	} else {
		return -EINVAL;
	}
	nlh = lg_nl_msg(nl, LG_CMD_BINDING_GET, 0);
	lg_binding_put_sel(nlh, &s);
	err = lg_nl_doit(nl, nlh, lg_binding_cb, &list);
	if (!err && list.n != 1)
		err = -EBADMSG;
	if (!err) {
		*b = list.v[0];
		list.n = 0;	/* b owns its leases now */
	}
	lg_binding_list_free(&list);
	return err;
}

int lg_binding_del(struct lg_nl *nl, const struct lg_binding_sel *sel)
{
	struct nlmsghdr *nlh;

	nlh = lg_nl_msg(nl, LG_CMD_BINDING_DEL, 0);
	lg_binding_put_sel(nlh, sel);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

/* Printer */

static const char *lg_ip6(const uint8_t *addr, char *buf)
{
	return inet_ntop(AF_INET6, addr, buf, INET6_ADDRSTRLEN);
}

/* Seconds from now to t, or from t to now; never negative. */
static uint64_t lg_secs_between(uint64_t from, uint64_t to)
{
	return to > from ? to - from : 0;
}

/* A granted lifetime: a number in JSON, "forever" in text if infinite. */
static void print_lifetime(const char *key, uint32_t v)
{
	char fmt[32];

	print_uint(PRINT_JSON, key, NULL, v);
	if (v == LG_LIFETIME_INFINITE) {
		snprintf(fmt, sizeof(fmt), " %s %%s", key);
		print_string(PRINT_FP, NULL, fmt, "forever");
	} else {
		snprintf(fmt, sizeof(fmt), " %s %%u", key);
		print_uint(PRINT_FP, NULL, fmt, v);
	}
}

/* Text: a line per lease; JSON: "leases":[{...}] (expires absolute). */
static void print_leases(const struct lg_binding *b, time_t now)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	open_json_array("leases");
	for (i = 0; i < b->n_leases; i++) {
		const struct lg_lease *l = &b->leases[i];

		open_json_object(NULL);
		print_string(PRINT_FP, NULL, "%s", "    ");
		print_string(PRINT_ANY, "addr", "%s", lg_ip6(l->addr, addr));
		if (l->has_plen)
			print_uint(PRINT_ANY, "plen", "/%u", l->plen);
		if (l->has_preferred)
			print_lifetime("preferred", l->preferred);
		if (l->has_valid)
			print_lifetime("valid", l->valid);
		if (l->has_expires) {
			print_u64(PRINT_JSON, "expires", NULL, l->expires);
			print_u64(PRINT_FP, NULL, " expires %" PRIu64 "s",
				  lg_secs_between(now, l->expires));
		} else {
			print_string(PRINT_FP, NULL, " expires %s", "forever");
		}
		print_nl();
		close_json_object();
	}
	close_json_array();
}

/* Text only: " ADDR/PLEN valid V" per lease, for one-line output. */
static void print_leases_brief(const struct lg_binding *b)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < b->n_leases; i++) {
		const struct lg_lease *l = &b->leases[i];

		print_string(PRINT_FP, NULL, " %s", lg_ip6(l->addr, addr));
		if (l->has_plen)
			print_uint(PRINT_FP, NULL, "/%u", l->plen);
		if (l->has_valid)
			print_lifetime("valid", l->valid);
	}
}

/*
 * The binding as the JSON object key (NULL in an array). Text: a block
 * like "ip addr" or, oneline, the first line and the leases in brief
 * without a newline (the caller ends the line).
 */
void print_binding(const char *key, const struct lg_binding *b, bool oneline)
{
	char hex[3 * LG_DUID_MAX], addr[INET6_ADDRSTRLEN], num[16];
	time_t now = time(NULL);
	const char *s;

	open_json_object(key);
	print_u64(PRINT_ANY, "id", "%" PRIu64 ":", b->id);
	if (b->ifindex)
		print_uint(PRINT_JSON, "ifindex", NULL, b->ifindex);
	if (b->ifname[0])
		print_string(PRINT_ANY, "ifname", " %s", b->ifname);
	else if (b->ifindex)
		print_uint(PRINT_FP, NULL, " if%u", b->ifindex);
	if (b->has_ia_type)
		print_string(PRINT_ANY, "ia_type", " %s",
			     lg_enum_name(lg_ia_types, ARRAY_SIZE(lg_ia_types),
					  b->ia_type, num, sizeof(num)));
	if (b->has_iaid)
		print_uint(PRINT_ANY, "iaid", " iaid %u", b->iaid);
	if (b->client_duid_len)
		print_string(PRINT_ANY, "client_duid", " duid %s",
			     lg_hex_format(b->client_duid, b->client_duid_len,
					   hex));
	if (b->has_state) {
		s = lg_enum_name(lg_binding_states,
				 ARRAY_SIZE(lg_binding_states), b->state, num,
				 sizeof(num));
		/* one line says only what is unusual */
		print_string(oneline && b->state == LG_BINDING_BOUND ?
			     PRINT_JSON : PRINT_ANY, "state", " %s", s);
	}
	if (!is_json_context()) {
		if (oneline) {
			print_leases_brief(b);
			close_json_object();
			return;
		}
		print_nl();
		print_leases(b, now);
	}

	if (b->has_client_lladdr || b->has_client_mac) {
		print_string(PRINT_FP, NULL, "%s", "    client");
		if (b->has_client_lladdr)
			print_string(PRINT_ANY, "client_lladdr", " %s",
				     lg_ip6(b->client_lladdr, addr));
		if (b->has_client_mac)
			print_string(PRINT_ANY, "client_mac", " mac %s",
				     lg_hex_format(b->client_mac,
						   sizeof(b->client_mac), hex));
		print_nl();
	}
	if (b->has_server_addr || b->server_duid_len || b->interface_id_len) {
		print_string(PRINT_FP, NULL, "%s", "    server");
		lg_hex_format(b->server_duid, b->server_duid_len, hex);
		if (b->server_duid_len)
			print_string(PRINT_JSON, "server_duid", NULL, hex);
		if (b->has_server_addr)
			print_string(PRINT_ANY, "server_addr", " %s",
				     lg_ip6(b->server_addr, addr));
		if (b->server_duid_len)
			print_string(PRINT_FP, NULL, " duid %s", hex);
		if (b->interface_id_len) {
			char *id = malloc(3 * b->interface_id_len);

			if (id)
				print_string(PRINT_ANY, "interface_id",
					     " interface-id %s",
					     lg_hex_format(b->interface_id,
							   b->interface_id_len,
							   id));
			free(id);
		}
		print_nl();
	}
	if (b->has_created)
		print_u64(PRINT_JSON, "created", NULL, b->created);
	if (b->has_updated)
		print_u64(PRINT_JSON, "updated", NULL, b->updated);
	if (lg_show_stats && (b->has_created || b->has_updated)) {
		print_string(PRINT_FP, NULL, "%s", "   ");
		if (b->has_created)
			print_u64(PRINT_FP, NULL, " created %" PRIu64 "s ago",
				  lg_secs_between(b->created, now));
		if (b->has_updated)
			print_u64(PRINT_FP, NULL, " updated %" PRIu64 "s ago",
				  lg_secs_between(b->updated, now));
		print_nl();
	}
	if (is_json_context())
		print_leases(b, now);
	close_json_object();
}

/* Commands */

/* The selectors a command takes */
#define SEL_ID		0x01
#define SEL_DEV		0x02
#define SEL_DUID	0x04
#define SEL_ADDR	0x08	/* "addr ADDR" */
#define SEL_BARE_ADDR	0x10	/* "ADDR" */
#define SEL_ALL		0x20

struct binding_args {
	const char *id, *dev, *duid, *addr;
	bool all;
};

static int binding_args_parse(int argc, char **argv, unsigned int ok,
			      struct binding_args *a)
{
	static const char what[] = "lgctl binding";
	struct in6_addr in6;
	int ret;

	memset(a, 0, sizeof(*a));
	for (; argc > 0; argc--, argv++) {
		const char *w = argv[0];

		if ((ok & SEL_ID) && !strcmp(w, "id")) {
			ret = lg_arg_value(what, &argc, &argv, &a->id);
		} else if ((ok & SEL_DEV) && !strcmp(w, "dev")) {
			ret = lg_arg_value(what, &argc, &argv, &a->dev);
		} else if ((ok & SEL_DUID) && !strcmp(w, "duid")) {
			ret = lg_arg_value(what, &argc, &argv, &a->duid);
		} else if ((ok & (SEL_ADDR | SEL_BARE_ADDR)) &&
			   !strcmp(w, "addr")) {
			ret = lg_arg_value(what, &argc, &argv, &a->addr);
		} else if ((ok & SEL_ALL) && !strcmp(w, "all")) {
			ret = a->all ?
			      lg_usage_err("Argument \"all\" is given twice, try \"%s help\".",
					   what) : 0;
			a->all = true;
		} else if ((ok & SEL_BARE_ADDR) &&
			   inet_pton(AF_INET6, w, &in6) == 1) {
			ret = a->addr ?
			      lg_usage_err("Argument \"%s\" is given twice, try \"%s help\".",
					   w, what) : 0;
			a->addr = w;
		} else {
			ret = lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					   w, what);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* The selectors from the words: a usage error, then a missing device. */
static int binding_args_sel(const struct binding_args *a,
			    struct lg_binding_sel *sel)
{
	int n;

	memset(sel, 0, sizeof(*sel));
	if (a->id) {
		if (lg_parse_u64(a->id, &sel->id))
			return lg_usage_err("Argument \"%s\" is wrong: id is a number.",
					    a->id);
		sel->has_id = true;
	}
	if (a->duid) {
		n = lg_hex_parse(a->duid, sel->duid, sizeof(sel->duid));
		if (n == -EINVAL)
			return lg_usage_err("Argument \"%s\" is wrong: a DUID is hex octets, like 00:01:00:01:2b:3c:4d:5e.",
					    a->duid);
		if (n < LG_DUID_MIN)
			return lg_usage_err("Argument \"%s\" is wrong: a DUID is %u to %u octets.",
					    a->duid, LG_DUID_MIN, LG_DUID_MAX);
		sel->duid_len = n;
	}
	if (a->addr) {
		if (inet_pton(AF_INET6, a->addr, sel->addr) != 1)
			return lg_usage_err("Argument \"%s\" is wrong: not an IPv6 address.",
					    a->addr);
		sel->has_addr = true;
	}
	sel->all = a->all;
	if (a->dev) {
		sel->ifindex = if_nametoindex(a->dev);
		if (!sel->ifindex)
			return lg_no_device(a->dev);
	}
	return 0;
}

static void print_bindings(const struct lg_binding_list *list)
{
	size_t i;

	open_json_array(NULL);
	for (i = 0; i < list->n; i++)
		print_binding(NULL, &list->v[i], false);
	close_json_array();
}

/* Prints each binding as it comes: a million need not be held in memory. */
static int lg_binding_print_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_binding_list one = {};
	int err;

	(void)data;
	err = lg_binding_cb(nlh, &one);
	if (!err && one.n)
		print_binding(NULL, &one.v[0], false);
	lg_binding_list_free(&one);
	return err;
}

static int binding_show(int argc, char **argv)
{
	struct lg_binding_sel sel;
	struct binding_args a;
	struct lg_nl nl;
	bool intr;
	int ret, err;

	ret = binding_args_parse(argc, argv, SEL_DEV | SEL_DUID, &a);
	if (!ret)
		ret = binding_args_sel(&a, &sel);
	if (!ret)
		ret = lg_open(&nl);
	if (ret)
		return ret;
	open_json_array(NULL);
	err = lg_nl_dump_once(&nl, lg_binding_dump_msg(&nl, &sel),
			      lg_binding_print_cb, NULL, &intr);
	close_json_array();
	if (err) {
		ret = lg_fail(&nl, err);
	} else {
		if (intr)
			fprintf(stderr, "Dump was interrupted and may be inconsistent.\n");
		ret = LG_EXIT_OK;
	}
	lg_nl_close(&nl);
	return ret;
}

static int binding_get(int argc, char **argv)
{
	struct lg_binding_list list = {};
	struct lg_binding_sel sel;
	struct binding_args a;
	struct lg_binding b;
	char hex[3 * LG_DUID_MAX];
	struct lg_nl nl;
	int ret, err;

	ret = binding_args_parse(argc, argv,
				 SEL_ID | SEL_DUID | SEL_ADDR | SEL_BARE_ADDR |
				 SEL_DEV, &a);
	if (ret)
		return ret;
	if (!!a.addr + !!a.id + !!a.duid == 0)
		return lg_usage_err("Argument ADDR, \"id\" or \"duid\" is required, try \"lgctl binding help\".");
	if (!!a.addr + !!a.id + !!a.duid > 1)
		return lg_usage_err("Arguments ADDR, \"id\" and \"duid\" do not go together, try \"lgctl binding help\".");
	if (a.dev && !a.addr)
		return lg_usage_err("Argument \"dev\" goes only with ADDR, try \"lgctl binding help\".");
	ret = binding_args_sel(&a, &sel);
	if (!ret)
		ret = lg_open(&nl);
	if (ret)
		return ret;

	if (a.duid) {
		err = lg_binding_dump(&nl, &sel, &list);
		if (!err && !list.n) {
			fprintf(stderr, "lgctl: no binding has client DUID %s\n",
				lg_hex_format(sel.duid, sel.duid_len, hex));
			ret = LG_EXIT_FAIL;
			goto out;
		}
	} else {
		err = lg_binding_get(&nl, &sel, &b);
		if (!err) {
			list.v = malloc(sizeof(*list.v));
			if (list.v) {
				list.v[0] = b;
				list.n = list.cap = 1;
			} else {
				lg_binding_free(&b);
				err = -ENOMEM;
			}
		}
	}
	if (err) {
		ret = lg_fail(&nl, err);
	} else {
		print_bindings(&list);
		ret = LG_EXIT_OK;
	}
out:
	lg_binding_list_free(&list);
	lg_nl_close(&nl);
	return ret;
}

static int binding_del(int argc, char **argv)
{
	struct lg_binding_sel sel;
	struct binding_args a;
	struct lg_nl nl;
	int ret, err;

	ret = binding_args_parse(argc, argv,
				 SEL_ID | SEL_DEV | SEL_DUID | SEL_ADDR |
				 SEL_ALL, &a);
	if (ret)
		return ret;
	if (!a.id && !a.dev && !a.duid && !a.addr && !a.all)
		return lg_usage_err("Argument \"id\", \"dev\", \"duid\", \"addr\" or \"all\" is required, try \"lgctl binding help\".");
	if (a.all && (a.id || a.dev || a.duid || a.addr))
		return lg_usage_err("Argument \"all\" goes alone, try \"lgctl binding help\".");
	ret = binding_args_sel(&a, &sel);
	if (!ret)
		ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_binding_del(&nl, &sel);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_binding_cmds[] = {
	{ "show",	binding_show,	NULL },
	{ "get",	binding_get,	NULL },
	{ "del",	binding_del,	NULL },
	{}
};

int do_binding(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && (!strcmp(argv[0], "dev") || !strcmp(argv[0], "duid")))
		return binding_show(argc, argv);
	return lg_dispatch("lgctl binding", lg_binding_cmds, lg_binding_help,
			   argc, argv);
}
