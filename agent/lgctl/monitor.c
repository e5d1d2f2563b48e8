// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl monitor: print the family's notifications as they come, one line
 * (or one JSON object) per event, like "ip monitor".
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/leaseguard.h>

#include "hex.h"
#include "json_print.h"
#include "lgctl.h"

/* Room for bursts (a whole interface's bindings going at once). */
#define LG_MONITOR_RCVBUF	(1 << 20)

const char lg_monitor_help[] =
	"Usage: lgctl monitor [ GROUP... ]\n"
	"       lgctl monitor help\n"
	"where  GROUP := { all | bindings | config | mcast }, all by default\n"
	"Events: new, upd, del, miss (bindings); link, link-del, mcast (config);\n"
	"        group (new or changed), group-del, query (mcast)\n";

static volatile sig_atomic_t lg_monitor_stop;

static void lg_monitor_signal(int sig)
{
	(void)sig;
	lg_monitor_stop = 1;
}

static int monitor_binding(const struct nlattr *nest, const char *event)
{
	struct lg_binding b;
	char num[16];
	const char *reason = NULL;
	int err;

	err = lg_binding_parse(nest, &b);
	if (err)
		return err;
	if (b.has_del_reason)
		reason = lg_del_reason_name(b.del_reason, num, sizeof(num));
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s ", event);
	if (reason)
		print_string(PRINT_JSON, "reason", NULL, reason);
	print_binding("binding", &b, true);
	if (reason)
		print_string(PRINT_FP, NULL, " reason %s", reason);
	print_nl();
	close_json_object();
	lg_binding_free(&b);
	return 0;
}

static int monitor_link(const struct nlattr *nest, const char *text,
			const char *json)
{
	struct lg_link l;
	int err;

	err = lg_link_parse(nest, &l);
	if (err)
		return err;
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "%s ", text);
	print_string(PRINT_JSON, "event", NULL, json);
	print_link("link", &l);		/* ends the text line */
	close_json_object();
	return 0;
}

/*
 * LG_CMD_SAVI_MISS_NTF: "miss dev acc0 src 2001:db8::5 mac 02:..", a
 * source that no binding validates (for leaseguardd to ask the servers).
 */
static int monitor_miss(const struct nlattr *nest)
{
	const struct nlattr *tb[LG_MISS_A_MAX + 1];
	char ifname[IF_NAMESIZE] = "", addr[INET6_ADDRSTRLEN], mac[18];
	uint32_t ifindex;
	int err;

	err = lg_nl_parse_nest(nest, tb, LG_MISS_A_MAX);
	if (err)
		return err;
	if (!tb[LG_MISS_A_IFINDEX] ||
	    mnl_attr_validate(tb[LG_MISS_A_IFINDEX], MNL_TYPE_U32) < 0 ||
	    !tb[LG_MISS_A_SRC_ADDR] ||
	    mnl_attr_get_payload_len(tb[LG_MISS_A_SRC_ADDR]) != 16 ||
	    (tb[LG_MISS_A_SRC_MAC] &&
	     mnl_attr_get_payload_len(tb[LG_MISS_A_SRC_MAC]) != 6))
		return -EBADMSG;
	ifindex = mnl_attr_get_u32(tb[LG_MISS_A_IFINDEX]);
	if (!if_indextoname(ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", ifindex);
	inet_ntop(AF_INET6, mnl_attr_get_payload(tb[LG_MISS_A_SRC_ADDR]), addr,
		  sizeof(addr));
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", "miss");
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	print_string(PRINT_ANY, "ifname", " dev %s", ifname);
	print_string(PRINT_ANY, "src", " src %s", addr);
	if (tb[LG_MISS_A_SRC_MAC])
		print_string(PRINT_ANY, "mac", " mac %s",
			     lg_hex_format(mnl_attr_get_payload(tb[LG_MISS_A_SRC_MAC]),
					   6, mac));
	print_nl();
	close_json_object();
	return 0;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	uint8_t cmd = lg_nl_cmd(nlh);
	int err;

	(void)data;
	switch (cmd) {
	case LG_CMD_BINDING_NEW_NTF:
	case LG_CMD_BINDING_UPD_NTF:
	case LG_CMD_BINDING_DEL_NTF:
	case LG_CMD_LINK_NTF:
	case LG_CMD_LINK_DEL_NTF:
	case LG_CMD_MCAST_NTF:
	case LG_CMD_MC_GROUP_NTF:
	case LG_CMD_MC_GROUP_DEL_NTF:
	case LG_CMD_MC_QUERY_NTF:
	case LG_CMD_SAVI_MISS_NTF:
		break;
	default:
		return 0;	/* an event of a newer module */
	}
	err = lg_nl_parse_msg(nlh, tb, LG_A_MAX);
	if (err)
		return err;
	switch (cmd) {
	case LG_CMD_BINDING_NEW_NTF:
	case LG_CMD_BINDING_UPD_NTF:
	case LG_CMD_BINDING_DEL_NTF:
		if (!tb[LG_A_BINDING])
			return -EBADMSG;
		err = monitor_binding(tb[LG_A_BINDING],
				      cmd == LG_CMD_BINDING_NEW_NTF ? "new" :
				      cmd == LG_CMD_BINDING_UPD_NTF ? "upd" :
				      "del");
		break;
	case LG_CMD_LINK_NTF:
	case LG_CMD_LINK_DEL_NTF:
		if (!tb[LG_A_LINK])
			return -EBADMSG;
		err = cmd == LG_CMD_LINK_NTF ?
		      monitor_link(tb[LG_A_LINK], "link", "link") :
		      monitor_link(tb[LG_A_LINK], "link-del", "link_del");
		break;
	case LG_CMD_SAVI_MISS_NTF:
		if (!tb[LG_A_MISS])
			return -EBADMSG;
		err = monitor_miss(tb[LG_A_MISS]);
		break;
	case LG_CMD_MCAST_NTF:
		if (!tb[LG_A_MCAST])
			return -EBADMSG;
		err = lg_mcast_event(cmd, tb[LG_A_MCAST]);
		break;
	default:
		if (!tb[LG_A_MC_GROUP])
			return -EBADMSG;
		err = lg_mcast_event(cmd, tb[LG_A_MC_GROUP]);
		break;
	}
	/* readers of a pipe or a file see each event as it happens */
	fflush(stdout);
	return err;
}

/*
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so a
 * signal cannot slip in between the check of the flag and the wait.
 */
static int monitor_loop(struct lg_nl *nl)
{
	struct sigaction sa = { .sa_handler = lg_monitor_signal };
	struct pollfd pfd = { .fd = lg_nl_fd(nl), .events = POLLIN };
	sigset_t block, wait;
	int err = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait);
	sigdelset(&wait, SIGINT);
	sigdelset(&wait, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!lg_monitor_stop) {
		if (ppoll(&pfd, 1, NULL, &wait) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		err = lg_nl_read_events(nl, monitor_cb, NULL);
		if (err == -ENOBUFS) {
			fflush(stdout);
			fprintf(stderr, "lgctl: events lost (overrun)\n");
			err = 0;
		} else if (err == -EINTR || err == -EAGAIN) {
			err = 0;
		} else if (err) {
			break;
		}
	}
	return err;
}

/*
 * Join a group: 0, or the exit code of the error it printed. A group the
 * module lacks is an error only when asked for by name (an older module
 * has no "mcast" events, and "all" means all it has).
 */
static int monitor_join(struct lg_nl *nl, const char *group, bool named)
{
	int err = lg_nl_join(nl, group);

	if (err == -ENOENT && !named)
		return 0;
	if (err == -ENOENT) {
		fprintf(stderr, "lgctl: the leaseguard module has no \"%s\" events\n",
			group);
		return LG_EXIT_FAIL;
	}
	return err ? lg_fail(nl, err) : 0;
}

int do_monitor(int argc, char **argv)
{
	bool bindings = false, config = false, mcast = false;
	bool mcast_named = false;
	int rcvbuf = LG_MONITOR_RCVBUF;
	struct lg_nl nl;
	int ret, err;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		fputs(lg_monitor_help, stdout);
		return LG_EXIT_OK;
	}
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "all"))
			bindings = config = mcast = true;
		else if (!strcmp(argv[0], LEASEGUARD_MCGRP_BINDINGS))
			bindings = true;
		else if (!strcmp(argv[0], LEASEGUARD_MCGRP_CONFIG))
			config = true;
		else if (!strcmp(argv[0], LEASEGUARD_MCGRP_MCAST))
			mcast = mcast_named = true;
		else
			return lg_usage_err("Argument \"%s\" is unknown, try \"lgctl monitor help\".",
					    argv[0]);
	}
	if (!bindings && !config && !mcast)
		bindings = config = mcast = true;

	ret = lg_open(&nl);
	if (ret)
		return ret;
	/* best effort: the default buffer still works, only overruns sooner */
	setsockopt(lg_nl_fd(&nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	ret = 0;
	if (bindings)
		ret = monitor_join(&nl, LEASEGUARD_MCGRP_BINDINGS, true);
	if (!ret && config)
		ret = monitor_join(&nl, LEASEGUARD_MCGRP_CONFIG, true);
	if (!ret && mcast)
		ret = monitor_join(&nl, LEASEGUARD_MCGRP_MCAST,
				   mcast_named);
	if (ret)
		goto out;
	/* one compact object per line, whatever -p says */
	new_json_obj(lg_json, false);
	err = monitor_loop(&nl);
	ret = err ? lg_fail(&nl, err) : LG_EXIT_OK;
out:
	lg_nl_close(&nl);
	return ret;
}
