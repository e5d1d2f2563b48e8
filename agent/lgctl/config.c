// SPDX-License-Identifier: GPL-2.0
/* lgctl config: namespace-wide settings (LG_CMD_CONFIG_GET / _SET). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

const char lg_config_help[] =
	"Usage: lgctl config [ show ]\n"
	"       lgctl config set [ max-bindings N ] [ release-request-type T ]\n"
	"                        [ release-reply-type T ] [ miss-rate R ]\n"
	"       lgctl config help\n"
	"where  N := 1..16777216, bindings in the namespace\n"
	"       T := 38..255, the DHCPv6 message types of RELEASE-REQUEST and\n"
	"            RELEASE-REQUEST-REPLY (not yet assigned by IANA)\n"
	"       R := 0..100000 sources a second that no binding validates,\n"
	"            told to leaseguardd, in the namespace (default 100)\n";

/* 1..37 are assigned by IANA */
#define LG_RELEASE_TYPE_MIN	38
#define LG_RELEASE_TYPE_MAX	255

/* Model: the has_* fields say what the kernel sent, or what to set. */
struct lg_config {
	bool has_max_bindings;
	uint32_t max_bindings;
	bool has_release_request_type;
	uint32_t release_request_type;
	bool has_release_reply_type;
	uint32_t release_reply_type;
	bool has_miss_rate;
	uint32_t miss_rate;
};

static int lg_config_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	*has = true;
	return 0;
}

static int lg_config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *ctb[LG_CONFIG_A_MAX + 1], *obj;
	struct lg_config *c = data;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_CONFIG_GET, LG_A_CONFIG, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, ctb, LG_CONFIG_A_MAX);
	if (!err)
		err = lg_config_u32(ctb[LG_CONFIG_A_MAX_BINDINGS],
				    &c->has_max_bindings, &c->max_bindings);
	if (!err)
		err = lg_config_u32(ctb[LG_CONFIG_A_RELEASE_REQUEST_TYPE],
				    &c->has_release_request_type,
				    &c->release_request_type);
	if (!err)
		err = lg_config_u32(ctb[LG_CONFIG_A_RELEASE_REPLY_TYPE],
				    &c->has_release_reply_type,
				    &c->release_reply_type);
	if (!err)
		err = lg_config_u32(ctb[LG_CONFIG_A_MISS_RATE],
				    &c->has_miss_rate, &c->miss_rate);
	return err;
}

static int lg_config_get(struct lg_nl *nl, struct lg_config *c)
{
	memset(c, 0, sizeof(*c));
	return lg_nl_doit(nl, lg_nl_msg(nl, LG_CMD_CONFIG_GET, 0),
			  lg_config_cb, c);
}

static int lg_config_set(struct lg_nl *nl, const struct lg_config *c)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_nl_msg(nl, LG_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);
	if (c->has_max_bindings)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_MAX_BINDINGS,
				 c->max_bindings);
	if (c->has_release_request_type)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_RELEASE_REQUEST_TYPE,
				 c->release_request_type);
	if (c->has_release_reply_type)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_RELEASE_REPLY_TYPE,
				 c->release_reply_type);
	if (c->has_miss_rate)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_MISS_RATE, c->miss_rate);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

static void print_config(const struct lg_config *c)
{
	open_json_object(NULL);
	if (c->has_max_bindings) {
		print_uint(PRINT_ANY, "max_bindings", "max-bindings %u",
			   c->max_bindings);
		print_nl();
	}
	if (c->has_release_request_type) {
		print_uint(PRINT_ANY, "release_request_type",
			   "release-request-type %u", c->release_request_type);
		print_nl();
	}
	if (c->has_release_reply_type) {
		print_uint(PRINT_ANY, "release_reply_type",
			   "release-reply-type %u", c->release_reply_type);
		print_nl();
	}
	if (c->has_miss_rate) {
		print_uint(PRINT_ANY, "miss_rate", "miss-rate %u",
			   c->miss_rate);
		print_nl();
	}
	close_json_object();
}

static int config_show(int argc, char **argv)
{
	struct lg_config c;
	struct lg_nl nl;
	int ret, err;

	if (argc > 0)
		return lg_usage_err("Argument \"%s\" is unknown, try \"lgctl config help\".",
				    argv[0]);
	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_config_get(&nl, &c);
	if (err) {
		ret = lg_fail(&nl, err);
	} else {
		print_config(&c);
		ret = LG_EXIT_OK;
	}
	lg_nl_close(&nl);
	return ret;
}

/* "release-request-type T" and "release-reply-type T" */
static int lg_arg_release_type(const char *word, const char *s, bool *has,
			       uint32_t *v)
{
	if (lg_parse_u32(s, LG_RELEASE_TYPE_MIN, LG_RELEASE_TYPE_MAX, v))
		return lg_usage_err("Argument \"%s\" is wrong: %s is %u to %u.",
				    s, word, LG_RELEASE_TYPE_MIN,
				    LG_RELEASE_TYPE_MAX);
	*has = true;
	return 0;
}

static int config_set(int argc, char **argv)
{
	const char *max = NULL, *request = NULL, *reply = NULL, *miss = NULL;
	struct lg_config c = {};
	struct lg_nl nl;
	int ret, err;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "max-bindings"))
			ret = lg_arg_value("lgctl config", &argc, &argv, &max);
		else if (!strcmp(argv[0], "release-request-type"))
			ret = lg_arg_value("lgctl config", &argc, &argv,
					   &request);
		else if (!strcmp(argv[0], "release-reply-type"))
			ret = lg_arg_value("lgctl config", &argc, &argv, &reply);
		else if (!strcmp(argv[0], "miss-rate"))
			ret = lg_arg_value("lgctl config", &argc, &argv, &miss);
		else
			ret = lg_usage_err("Argument \"%s\" is unknown, try \"lgctl config help\".",
					   argv[0]);
		if (ret)
			return ret;
	}
	if (!max && !request && !reply && !miss)
		return lg_usage_err("Nothing to set, try \"lgctl config help\".");
	if (max) {
		ret = lg_arg_max_bindings(max, &c.max_bindings);
		if (ret)
			return ret;
		c.has_max_bindings = true;
	}
	if (request) {
		ret = lg_arg_release_type("release-request-type", request,
					  &c.has_release_request_type,
					  &c.release_request_type);
		if (ret)
			return ret;
	}
	if (reply) {
		ret = lg_arg_release_type("release-reply-type", reply,
					  &c.has_release_reply_type,
					  &c.release_reply_type);
		if (ret)
			return ret;
	}
	if (miss) {
		ret = lg_arg_miss_rate(miss, &c.miss_rate);
		if (ret)
			return ret;
		c.has_miss_rate = true;
	}
	/* with one of them, only the kernel knows the other */
	if (request && reply &&
	    c.release_request_type == c.release_reply_type)
		return lg_usage_err("Argument \"%s\" is wrong: the two release types must differ.",
				    reply);

	ret = lg_open(&nl);
	if (ret)
		return ret;
	err = lg_config_set(&nl, &c);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
	lg_nl_close(&nl);
	return ret;
}

static const struct lg_cmd_entry lg_config_cmds[] = {
	{ "show",	config_show,	NULL },
	{ "set",	config_set,	NULL },
	{}
};

int do_config(int argc, char **argv)
{
	return lg_dispatch("lgctl config", lg_config_cmds, lg_config_help,
			   argc, argv);
}
