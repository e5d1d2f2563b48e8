// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl binding: the DHCPv6 leases learned on access interfaces
 * (LG_CMD_BINDING_GET / LG_CMD_BINDING_DEL / LG_CMD_BINDING_RELEASE),
 * and bindings made by hand (LG_CMD_BINDING_NEW).
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
	"       lgctl binding release { SELECTOR... | all } [ wait | nowait ]\n"
	"               [ socket PATH ] [ timeout SECONDS ]\n"
	"       lgctl binding add dev IFNAME duid DUID ia { na | pd } iaid IAID\n"
	"               lladdr ADDR [ mac MAC ] server ADDR [ server-duid DUID ]\n"
	"               [ interface-id HEX ] [ origin ORIGIN ] [ replace ] LEASE...\n"
	"       lgctl binding help\n"
	"where  SELECTOR := { id ID | dev IFNAME | duid DUID | addr ADDR }\n"
	"       DUID := hex octets: 00:01:00:01:2b:3c:4d:5e or 000100012b3c4d5e\n"
	"       LEASE := lease ADDR[/PLEN] [ preferred TIME ] valid TIME\n"
	"       TIME := seconds left, or forever   ORIGIN := { restored |\n"
	"               leasequery | synced }   PATH := leaseguardd's socket\n"
	"       SECONDS := 1..3600, default 30 (a silent server takes ~16 s)\n"
	"\"del\" forgets bindings here only; \"release\" marks them releasing, and\n"
	"leaseguardd asks the server to release them (RELEASE-REQUEST); lgctl\n"
	"waits if leaseguardd answers at PATH (default " LGD_CONTROL_DEFAULT ";\n"
	"\"wait\": always) and prints each outcome: released, refused, timed out,\n"
	"not sent, or none within SECONDS; exit 0 if each was released with\n"
	"Success, else 1. \"nowait\": return once they are marked. \"add\" makes\n"
	"a binding as snooping would (restored by default); \"replace\" updates\n"
	"the binding of that IA if there is one.\n";

static const char *const lg_ia_types[] = {
	[LG_IA_NA]	= "ia_na",
	[LG_IA_PD]	= "ia_pd",
};

static const char *const lg_binding_states[] = {
	[LG_BINDING_BOUND]	= "bound",
	[LG_BINDING_RELEASING]	= "releasing",
};

static const char *const lg_origins[] = {
	[LG_BINDING_ORIGIN_SNOOPED]	= "snooped",
	[LG_BINDING_ORIGIN_RESTORED]	= "restored",
	[LG_BINDING_ORIGIN_LEASEQUERY]	= "leasequery",
	[LG_BINDING_ORIGIN_SYNCED]	= "synced",
};

static const char *const lg_del_reasons[] = {
	[LG_BINDING_DEL_EXPIRED]	= "expired",
	[LG_BINDING_DEL_CLIENT_RELEASE]	= "client-release",
	[LG_BINDING_DEL_CLIENT_DECLINE]	= "client-decline",
	[LG_BINDING_DEL_ADMIN]		= "admin",
	[LG_BINDING_DEL_INTERFACE]	= "interface-gone",
	[LG_BINDING_DEL_SERVER]		= "server",
	[LG_BINDING_DEL_SUPERSEDED]	= "superseded",
	[LG_BINDING_DEL_RELAY_RELEASE]	= "relay-release",
};

static const char *const lg_release_reasons[] = {
	[LG_RELEASE_ADMIN]		= "admin",
	[LG_RELEASE_LINK_DOWN]		= "link-down",
	[LG_RELEASE_UNREACHABLE]	= "unreachable",
	[LG_RELEASE_REPLACED]		= "replaced",
	[LG_RELEASE_MOVED]		= "moved",
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

const char *lg_release_reason_name(uint32_t reason, char *buf, size_t len)
{
	return lg_enum_name(lg_release_reasons, ARRAY_SIZE(lg_release_reasons),
			    reason, buf, len);
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
	if (b->has_release_reason)
		print_string(PRINT_ANY, "release_reason", " (%s)",
			     lg_release_reason_name(b->release_reason, num,
						    sizeof(num)));
	if (b->has_origin) {
		s = lg_enum_name(lg_origins, ARRAY_SIZE(lg_origins), b->origin,
				 num, sizeof(num));
		print_string(oneline && b->origin == LG_BINDING_ORIGIN_SNOOPED ?
			     PRINT_JSON : PRINT_ANY, "origin", " %s", s);
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
	/* Milliseconds: failover partners compare it (the newest wins). */
	if (b->has_replied)
		print_u64(PRINT_JSON, "replied", NULL, b->replied);
	if (lg_show_stats &&
	    (b->has_created || b->has_updated || b->has_replied)) {
		print_string(PRINT_FP, NULL, "%s", "   ");
		if (b->has_created)
			print_u64(PRINT_FP, NULL, " created %" PRIu64 "s ago",
				  lg_secs_between(b->created, now));
		if (b->has_updated)
			print_u64(PRINT_FP, NULL, " updated %" PRIu64 "s ago",
				  lg_secs_between(b->updated, now));
		if (b->has_replied)
			print_u64(PRINT_FP, NULL, " replied %" PRIu64 "s ago",
				  lg_secs_between(b->replied / 1000, now));
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

/* "del" and "release": the selectors, or "all" alone. */
static int binding_change(int argc, char **argv,
			  int (*change)(struct lg_nl *nl,
					const struct lg_binding_sel *sel))
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
	err = change(&nl, &sel);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static int binding_del(int argc, char **argv)
{
	return binding_change(argc, argv, lg_binding_del);
}

/*
 * "release": the selectors, as "del" takes them, and how to wait: "wait",
 * "nowait", "socket PATH", "timeout SECONDS".
 */
static int binding_release(int argc, char **argv)
{
	static const char what[] = "lgctl binding";
	struct lg_release_opts o = { .mode = LG_RELEASE_WAIT_AUTO };
	const char *timeout = NULL, *socket = NULL, *mode = NULL;
	struct lg_binding_sel sel;
	struct binding_args a;
	char **rest;
	struct lg_nl nl;
	int i, n = 0, ret;

	rest = calloc(argc + 1, sizeof(*rest));
	if (!rest)
		return lg_fail(NULL, -ENOMEM);
	for (i = 0, ret = 0; i < argc && !ret; i++) {
		int left = argc - i;
		char **at = argv + i;

		if (!strcmp(argv[i], "wait") || !strcmp(argv[i], "nowait")) {
			ret = mode ? lg_usage_err("Arguments \"%s\" and \"%s\" do not go together, try \"%s help\".",
						  mode, argv[i], what) : 0;
			mode = argv[i];
		} else if (!strcmp(argv[i], "socket")) {
			ret = lg_arg_value(what, &left, &at, &socket);
			i = at - argv;
		} else if (!strcmp(argv[i], "timeout")) {
			ret = lg_arg_value(what, &left, &at, &timeout);
			i = at - argv;
		} else {
			rest[n++] = argv[i];
		}
	}
	if (!ret)
		ret = binding_args_parse(n, rest,
					 SEL_ID | SEL_DEV | SEL_DUID | SEL_ADDR |
					 SEL_ALL, &a);
	free(rest);
	if (ret)
		return ret;
	if (!a.id && !a.dev && !a.duid && !a.addr && !a.all)
		return lg_usage_err("Argument \"id\", \"dev\", \"duid\", \"addr\" or \"all\" is required, try \"%s help\".",
				    what);
	if (a.all && (a.id || a.dev || a.duid || a.addr))
		return lg_usage_err("Argument \"all\" goes alone, try \"%s help\".",
				    what);
	if (mode && !strcmp(mode, "nowait") && (socket || timeout))
		return lg_usage_err("Arguments \"nowait\" and \"%s\" do not go together, try \"%s help\".",
				    socket ? "socket" : "timeout", what);
	if (timeout && lg_parse_u32(timeout, 1, LG_RELEASE_TIMEOUT_MAX,
				    &o.timeout))
		return lg_usage_err("Argument \"%s\" is wrong: timeout is 1 to %u seconds.",
				    timeout, LG_RELEASE_TIMEOUT_MAX);
	if (mode)
		o.mode = !strcmp(mode, "wait") ? LG_RELEASE_WAIT :
			 LG_RELEASE_NOWAIT;
	o.socket = socket;
	ret = binding_args_sel(&a, &sel);
	if (!ret)
		ret = lg_open(&nl);
	if (ret)
		return ret;
	ret = lg_release_wait(&nl, &sel, &o);
	lg_nl_close(&nl);
	return ret;
}

/* "valid TIME", "preferred TIME": seconds, or forever. */
static int binding_arg_time(const char *key, const char *s, uint32_t min,
			    uint32_t *v)
{
	if (!strcmp(s, "forever")) {
		*v = LG_LIFETIME_INFINITE;
		return 0;
	}
	if (lg_parse_u32(s, min, LG_LIFETIME_INFINITE, v))
		return lg_usage_err("Argument \"%s\" is wrong: %s is %u to %u seconds, or \"forever\".",
				    s, key, min, LG_LIFETIME_INFINITE);
	return 0;
}

/* "lease ADDR[/PLEN]" */
static int binding_arg_lease(const char *s, struct lg_lease *l)
{
	char addr[INET6_ADDRSTRLEN + 4];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= INET6_ADDRSTRLEN)
		n = INET6_ADDRSTRLEN;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, l->addr) != 1)
		return lg_usage_err("Argument \"%s\" is wrong: a lease is an IPv6 address or prefix.",
				    s);
	if (slash && lg_parse_u32(slash + 1, 1, 128, &l->plen))
		return lg_usage_err("Argument \"%s\" is wrong: a prefix length is 1 to 128.",
				    s);
	l->has_plen = !!slash;
	return 0;
}

/* A DUID argument into buf: its length, or the usage error's exit code. */
static int binding_arg_duid(const char *key, const char *s, uint8_t *buf,
			    size_t *len)
{
	int n = lg_hex_parse(s, buf, LG_DUID_MAX);

	if (n < LG_DUID_MIN)
		return lg_usage_err("Argument \"%s\" is wrong: %s is %u to %u hex octets, like 00:01:00:01:2b:3c:4d:5e.",
				    s, key, LG_DUID_MIN, LG_DUID_MAX);
	*len = n;
	return 0;
}

/* The words of "add" that take a value, in the order of the grammar. */
enum { A_DEV, A_DUID, A_IA, A_IAID, A_LLADDR, A_MAC, A_SERVER, A_SDUID,
       A_IFID, A_ORIGIN, A__N };

static const char *const binding_add_words[A__N] = {
	"dev", "duid", "ia", "iaid", "lladdr", "mac", "server", "server-duid",
	"interface-id", "origin",
};

/* The command line of "add" into b: 0, or the usage error's exit code. */
static int binding_add_parse(int argc, char **argv, struct lg_binding *b,
			     bool *replace)
{
	static const char what[] = "lgctl binding";
	const char *v[A__N] = {}, *t[2];
	struct lg_lease *l = NULL;
	uint8_t buf[LG_DUID_MAX];
	int ret = 0, i, n;

	for (; argc > 0 && !ret; argc--, argv++) {
		const char *w = argv[0];

		for (i = 0; i < A__N; i++)
			if (!strcmp(w, binding_add_words[i]))
				break;
		if (i < A__N) {
			ret = lg_arg_value(what, &argc, &argv, &v[i]);
		} else if (!strcmp(w, "replace")) {
			ret = *replace ?
			      lg_usage_err("Argument \"replace\" is given twice, try \"%s help\".",
					   what) : 0;
			*replace = true;
		} else if (!strcmp(w, "lease")) {
			t[0] = NULL;
			if (b->n_leases == LG_BINDING_MAX_LEASES)
				return lg_usage_err("Argument \"lease\" is wrong: a binding has at most %u leases.",
						    LG_BINDING_MAX_LEASES);
			ret = lg_arg_value(what, &argc, &argv, &t[0]);
			l = &b->leases[b->n_leases++];
			if (!ret)
				ret = binding_arg_lease(t[0], l);
		} else if (!strcmp(w, "preferred") || !strcmp(w, "valid")) {
			bool valid = w[0] == 'v';

			if (!l)
				return lg_usage_err("Argument \"%s\" goes after \"lease ADDR\", try \"%s help\".",
						    w, what);
			t[0] = valid && l->has_valid ? w :
			       !valid && l->has_preferred ? w : NULL;
			ret = lg_arg_value(what, &argc, &argv, &t[0]);
			if (!ret)
				ret = binding_arg_time(w, t[0], valid,
						       valid ? &l->valid :
						       &l->preferred);
			if (valid)
				l->has_valid = true;
			else
				l->has_preferred = true;
		} else {
			ret = lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					   w, what);
		}
	}
	if (ret)
		return ret;
	for (i = 0; i <= A_SERVER; i++)
		if (i != A_MAC && !v[i])
			return lg_usage_err("Argument \"%s\" is required, try \"%s help\".",
					    binding_add_words[i], what);
	if (!b->n_leases)
		return lg_usage_err("Argument \"lease\" is required, try \"%s help\".",
				    what);
	for (i = 0; i < (int)b->n_leases; i++)
		if (!b->leases[i].has_valid)
			return lg_usage_err("Argument \"valid\" is required after each \"lease\", try \"%s help\".",
					    what);

	ret = binding_arg_duid("a DUID", v[A_DUID], b->client_duid,
			       &b->client_duid_len);
	if (ret)
		return ret;
	if (!strcmp(v[A_IA], "na") || !strcmp(v[A_IA], "pd"))
		b->ia_type = v[A_IA][0] == 'n' ? LG_IA_NA : LG_IA_PD;
	else
		return lg_usage_err("Argument \"%s\" is wrong: ia is na or pd.",
				    v[A_IA]);
	if (lg_parse_u32(v[A_IAID], 0, UINT32_MAX, &b->iaid))
		return lg_usage_err("Argument \"%s\" is wrong: iaid is 0 to %u.",
				    v[A_IAID], UINT32_MAX);
	if (inet_pton(AF_INET6, v[A_LLADDR], b->client_lladdr) != 1)
		return lg_usage_err("Argument \"%s\" is wrong: lladdr is an IPv6 address.",
				    v[A_LLADDR]);
	if (inet_pton(AF_INET6, v[A_SERVER], b->server_addr) != 1)
		return lg_usage_err("Argument \"%s\" is wrong: server is an IPv6 address.",
				    v[A_SERVER]);
	if (v[A_MAC]) {
		if (lg_hex_parse(v[A_MAC], b->client_mac,
				 sizeof(b->client_mac)) != 6)
			return lg_usage_err("Argument \"%s\" is wrong: a MAC is 6 hex octets, like 02:00:00:00:01:02.",
					    v[A_MAC]);
		b->has_client_mac = true;
	}
	if (v[A_SDUID]) {
		ret = binding_arg_duid("a server DUID", v[A_SDUID],
				       b->server_duid, &b->server_duid_len);
		if (ret)
			return ret;
	}
	if (v[A_IFID]) {
		n = lg_hex_parse(v[A_IFID], buf, 32);
		if (n < 1)
			return lg_usage_err("Argument \"%s\" is wrong: interface-id is 1 to 32 hex octets.",
					    v[A_IFID]);
		b->interface_id = malloc(n);
		if (!b->interface_id)
			return lg_fail(NULL, -ENOMEM);
		memcpy(b->interface_id, buf, n);
		b->interface_id_len = n;
	}
	if (v[A_ORIGIN]) {
		for (i = LG_BINDING_ORIGIN_RESTORED; i <= LG_BINDING_ORIGIN_MAX; i++)
			if (!strcmp(v[A_ORIGIN], lg_origins[i]))
				break;
		if (i > LG_BINDING_ORIGIN_MAX)
			return lg_usage_err("Argument \"%s\" is wrong: origin is restored, leasequery or synced.",
					    v[A_ORIGIN]);
		b->origin = i;
		b->has_origin = true;
	}
	b->ifindex = if_nametoindex(v[A_DEV]);
	if (!b->ifindex)
		return lg_no_device(v[A_DEV]);
	return 0;
}

static int binding_add(int argc, char **argv)
{
	struct lg_binding b = {}, out;
	struct lg_binding_list list = {};
	bool replace = false;
	struct lg_nl nl;
	int ret, err;

	b.leases = calloc(LG_BINDING_MAX_LEASES, sizeof(*b.leases));
	if (!b.leases)
		return lg_fail(NULL, -ENOMEM);
	ret = binding_add_parse(argc, argv, &b, &replace);
	if (!ret)
		ret = lg_open(&nl);
	if (ret) {
		lg_binding_free(&b);
		return ret;
	}
	err = lg_binding_new(&nl, &b, replace, &out);
	if (err) {
		ret = lg_fail(&nl, err);
	} else {
		list.v = &out;
		list.n = 1;
		print_bindings(&list);
		lg_binding_free(&out);
		ret = LG_EXIT_OK;
	}
	lg_binding_free(&b);
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_binding_cmds[] = {
	{ "show",	binding_show,	NULL },
	{ "get",	binding_get,	NULL },
	{ "del",	binding_del,	NULL },
	{ "release",	binding_release, NULL },
	{ "add",	binding_add,	NULL },
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
