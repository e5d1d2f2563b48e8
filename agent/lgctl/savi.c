// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl savi: the static entries of source-address validation
 * (LG_CMD_SAVI_GET / LG_CMD_SAVI_ADD / LG_CMD_SAVI_DEL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

const char lg_savi_help[] =
	"Usage: lgctl savi [ show ] [ dev IFNAME ]\n"
	"       lgctl savi add dev IFNAME PREFIX [ wide ]\n"
	"       lgctl savi del dev IFNAME PREFIX\n"
	"       lgctl savi help\n"
	"where  PREFIX := ADDR[/LEN], IPv6 with the host bits zero, LEN 0..128\n"
	"                 (128 if absent)\n"
	"Static entries: prefixes that the hosts behind an access interface may\n"
	"send from besides their bindings and link-local addresses; checked when\n"
	"the interface's savi mode (\"lgctl link help\") is monitor or enforce.\n"
	"A prefix shorter than /32 needs \"wide\" (\"::/0 wide\" passes every\n"
	"source). Multicast, link-local and IPv4-mapped prefixes are refused, and\n"
	"so is a longer prefix that holds :: or ::1.\n";

/* Model */

struct lg_savi {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t addr[16];
	uint32_t plen;
	bool wide;
};

struct lg_savi_list {
	struct lg_savi *v;
	size_t n, cap;
};

static int lg_savi_parse(const struct nlattr *nest, struct lg_savi *e)
{
	const struct nlattr *tb[LG_SAVI_A_MAX + 1];
	int err;

	memset(e, 0, sizeof(*e));
	err = lg_nl_parse_nest(nest, tb, LG_SAVI_A_MAX);
	if (err)
		return err;
	if (!tb[LG_SAVI_A_IFINDEX] || !tb[LG_SAVI_A_ADDR] ||
	    !tb[LG_SAVI_A_PLEN] ||
	    mnl_attr_validate(tb[LG_SAVI_A_IFINDEX], MNL_TYPE_U32) < 0 ||
	    mnl_attr_get_payload_len(tb[LG_SAVI_A_ADDR]) != sizeof(e->addr) ||
	    mnl_attr_validate(tb[LG_SAVI_A_PLEN], MNL_TYPE_U32) < 0)
		return -EBADMSG;
	e->ifindex = mnl_attr_get_u32(tb[LG_SAVI_A_IFINDEX]);
	memcpy(e->addr, mnl_attr_get_payload(tb[LG_SAVI_A_ADDR]),
	       sizeof(e->addr));
	e->plen = mnl_attr_get_u32(tb[LG_SAVI_A_PLEN]);
	e->wide = tb[LG_SAVI_A_WIDE] != NULL;
	if (tb[LG_SAVI_A_IFNAME]) {
		if (mnl_attr_validate(tb[LG_SAVI_A_IFNAME],
				      MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(e->ifname, sizeof(e->ifname), "%s",
			 mnl_attr_get_str(tb[LG_SAVI_A_IFNAME]));
	} else if (!if_indextoname(e->ifindex, e->ifname)) {
		e->ifname[0] = '\0';
	}
	return 0;
}

static int lg_savi_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_savi_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_SAVI_GET, LG_A_SAVI, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&list->v, &list->cap, list->n, sizeof(*list->v));
	if (!err)
		err = lg_savi_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

static void lg_savi_list_reset(void *data)
{
	struct lg_savi_list *list = data;

	list->n = 0;
}

static void lg_savi_list_free(struct lg_savi_list *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/* Every entry, or those of one interface (ifindex > 0). */
static int lg_savi_dump(struct lg_nl *nl, uint32_t ifindex,
			struct lg_savi_list *list)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_nl_msg(nl, LG_CMD_SAVI_GET, NLM_F_DUMP);
	if (ifindex) {
		nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
		mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
		mnl_attr_nest_end(nlh, nest);
	}
	return lg_nl_dump_req(nl, nlh, lg_savi_cb, lg_savi_list_reset, list);
}

/* LG_CMD_SAVI_ADD or LG_CMD_SAVI_DEL of one entry. */
static int lg_savi_change(struct lg_nl *nl, uint8_t cmd,
			  const struct lg_savi *e)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_nl_msg(nl, cmd, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, e->ifindex);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, sizeof(e->addr), e->addr);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, e->plen);
	if (e->wide)
		mnl_attr_put(nlh, LG_SAVI_A_WIDE, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

/*
 * "ADDR[/LEN]", 128 without LEN: 0, -EINVAL (not an IPv6 address),
 * -ERANGE (LEN is not 0..128) or -EADDRNOTAVAIL (host bits set).
 */
static int lg_prefix_parse(const char *s, uint8_t *addr, uint32_t *plen)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return -EINVAL;
	*plen = 128;
	if (slash && lg_parse_u32(slash + 1, 0, 128, plen))
		return -ERANGE;
	for (i = *plen; i < 128; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			return -EADDRNOTAVAIL;
	return 0;
}

/* "ADDR/LEN" into out, INET6_ADDRSTRLEN + 4 bytes. */
static const char *lg_prefix_format(const uint8_t *addr, uint32_t plen,
				    char *out)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, a, sizeof(a));
	sprintf(out, "%s/%u", a, plen);
	return out;
}

/* Printer */

static void print_savi(const struct lg_savi *e)
{
	char prefix[INET6_ADDRSTRLEN + 4];

	open_json_object(NULL);
	print_uint(PRINT_JSON, "ifindex", NULL, e->ifindex);
	if (e->ifname[0])
		print_string(PRINT_ANY, "ifname", "%s", e->ifname);
	else
		print_uint(PRINT_FP, NULL, "if%u", e->ifindex);
	print_string(PRINT_ANY, "prefix", " %s",
		     lg_prefix_format(e->addr, e->plen, prefix));
	print_bool(PRINT_JSON, "wide", NULL, e->wide);
	if (e->wide)
		print_string(PRINT_FP, NULL, " %s", "wide");
	print_nl();
	close_json_object();
}

/* Commands */

static int savi_show(int argc, char **argv)
{
	struct lg_savi_list list = {};
	const char *dev = NULL;
	unsigned int ifindex = 0;
	struct lg_nl nl;
	size_t i;
	int ret, err;

	ret = lg_args_dev("lgctl savi", argc, argv, &dev, &ifindex);
	if (ret)
		return ret;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_savi_dump(&nl, ifindex, &list);
	if (err) {
		ret = lg_fail(&nl, err);
	} else {
		open_json_array(NULL);
		for (i = 0; i < list.n; i++)
			print_savi(&list.v[i]);
		close_json_array();
		ret = LG_EXIT_OK;
	}
	lg_savi_list_free(&list);
	lg_nl_close(&nl);
	return ret;
}

/* add and del: "dev IFNAME PREFIX", in any order; add takes "wide". */
static int savi_change(int argc, char **argv, uint8_t cmd)
{
	char masked[INET6_ADDRSTRLEN + 4];
	const char *dev = NULL, *prefix = NULL;
	struct lg_savi e = {};
	struct lg_nl nl;
	int ret, err;
	unsigned int i;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dev")) {
			ret = lg_arg_value("lgctl savi", &argc, &argv, &dev);
			if (ret)
				return ret;
		} else if (cmd == LG_CMD_SAVI_ADD && !strcmp(argv[0], "wide") &&
			   !e.wide) {
			e.wide = true;
		} else if (!prefix) {
			prefix = argv[0];
		} else {
			return lg_usage_err("Argument \"%s\" is unknown, try \"lgctl savi help\".",
					    argv[0]);
		}
	}
	if (!dev)
		return lg_usage_err("Argument \"dev\" is required, try \"lgctl savi help\".");
	if (!prefix)
		return lg_usage_err("Argument PREFIX is required, try \"lgctl savi help\".");
	err = lg_prefix_parse(prefix, e.addr, &e.plen);
	if (err == -EINVAL)
		return lg_usage_err("Argument \"%s\" is wrong: not an IPv6 prefix.",
				    prefix);
	if (err == -ERANGE)
		return lg_usage_err("Argument \"%s\" is wrong: the prefix length is 0 to 128.",
				    prefix);
	if (err == -EADDRNOTAVAIL) {
		/* name the prefix that was probably meant */
		for (i = e.plen; i < 128; i++)
			e.addr[i / 8] &= ~(0x80 >> (i % 8));
		return lg_usage_err("Argument \"%s\" is wrong: host bits are set, the prefix is %s.",
				    prefix,
				    lg_prefix_format(e.addr, e.plen, masked));
	}
	e.ifindex = if_nametoindex(dev);
	if (!e.ifindex)
		return lg_no_device(dev);

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_savi_change(&nl, cmd, &e);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static int savi_add(int argc, char **argv)
{
	return savi_change(argc, argv, LG_CMD_SAVI_ADD);
}

static int savi_del(int argc, char **argv)
{
	return savi_change(argc, argv, LG_CMD_SAVI_DEL);
}

static const struct lg_cmd_entry lg_savi_cmds[] = {
	{ "show",	savi_show,	NULL },
	{ "add",	savi_add,	NULL },
	{ "del",	savi_del,	NULL },
	{}
};

int do_savi(int argc, char **argv)
{
	/* "[ show ]" is optional before arguments too */
	if (argc > 0 && !strcmp(argv[0], "dev"))
		return savi_show(argc, argv);
	return lg_dispatch("lgctl savi", lg_savi_cmds, lg_savi_help, argc,
			   argv);
}
