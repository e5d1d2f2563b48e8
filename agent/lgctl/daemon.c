// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl daemon: what leaseguardd itself keeps, asked on its control
 * socket ("status"): its binding store and its recovery of lost bindings
 * by LEASEQUERY. One line per part of the daemon ("store key=value ...",
 * "recover key=value ..."); kinds this lgctl does not know are skipped, so
 * that a newer leaseguardd does not break it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_print.h"
#include "lgctl.h"

#define LG_DAEMON_WHAT	"lgctl daemon"

const char lg_daemon_help[] =
	"Usage: lgctl daemon [ show ] [ socket PATH ]\n"
	"       lgctl daemon help\n"
	"leaseguardd's own state: its binding store (path, rows, commits,\n"
	"changes waiting, errors, and what the last reconcile restored), and\n"
	"its recovery of lost bindings by LEASEQUERY (queries, answers,\n"
	"bindings restored, refused, rate-limited, negative-cached, errors).\n"
	"PATH: leaseguardd's control-socket (default " LGD_CONTROL_DEFAULT ").\n";

static const char *const lg_daemon_strings[] = {
	"path", "state", "last-error", NULL
};

static const char *lg_daemon_time(const char *secs, char *buf, size_t len)
{
	time_t t = strtoull(secs, NULL, 10);
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm))
		return "never";
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static void lg_daemon_print_store(const struct lg_ctl_line *l)
{
	const char *state = lg_ctl_get(l, "state");
	char when[32];

	if (!strcmp(state, "off")) {
		printf("store: off\n");
		return;
	}
	printf("store %s: %s, %s bindings\n", lg_ctl_get(l, "path"), state,
	       lg_ctl_get(l, "rows"));
	printf("\tpending %s  commits %s (%s changes)  last commit %s (%s us)\n",
	       lg_ctl_get(l, "pending"), lg_ctl_get(l, "commits"),
	       lg_ctl_get(l, "committed"),
	       lg_daemon_time(lg_ctl_get(l, "last-commit"), when, sizeof(when)),
	       lg_ctl_get(l, "last-commit-us"));
	printf("\terrors %s (last: %s)  set aside %s  invalid rows %s\n",
	       lg_ctl_get(l, "errors"), lg_ctl_get(l, "last-error"),
	       lg_ctl_get(l, "set-aside"), lg_ctl_get(l, "invalid"));
	printf("\treconcile: restored %s  refused %s  written %s  dropped %s\n",
	       lg_ctl_get(l, "restored"), lg_ctl_get(l, "refused"),
	       lg_ctl_get(l, "written"), lg_ctl_get(l, "dropped"));
}

static void lg_daemon_print_recover(const struct lg_ctl_line *l)
{
	/* No rate: leaseguardd has no LEASEQUERY socket at all. */
	if (!*lg_ctl_get(l, "rate")) {
		printf("recover: off (no socket, see the log)\n");
		return;
	}
	printf("recover: %s, %s queries/s, negative answers kept %s s, %s servers, %s in flight\n",
	       lg_ctl_get(l, "state"), lg_ctl_get(l, "rate"),
	       lg_ctl_get(l, "negative-ttl"), lg_ctl_get(l, "servers"),
	       lg_ctl_get(l, "in-flight"));
	printf("\tevents %s  queries %s (sent %s)  answers %s  restored %s (existed %s)\n",
	       lg_ctl_get(l, "events"), lg_ctl_get(l, "queries"),
	       lg_ctl_get(l, "sent"), lg_ctl_get(l, "answers"),
	       lg_ctl_get(l, "restored"), lg_ctl_get(l, "exists"));
	printf("\trefused %s  timed out %s  rate-limited %s  negative-cached %s  duplicates %s  discarded %s  errors %s\n",
	       lg_ctl_get(l, "refused"), lg_ctl_get(l, "timed-out"),
	       lg_ctl_get(l, "rate-limited"), lg_ctl_get(l, "negative-cached"),
	       lg_ctl_get(l, "duplicates"), lg_ctl_get(l, "discarded"),
	       lg_ctl_get(l, "errors"));
}

/* A line of "status": store and recover are ours; the store is a must. */
static bool lg_daemon_line(struct lg_ctl_line *l, void *data)
{
	bool store = !strcmp(l->kind, "store");

	(void)data;
	if (!store && strcmp(l->kind, "recover"))
		return false;
	if (lg_json) {
		open_json_object(l->kind);
		lg_ctl_json_fields(l, lg_daemon_strings, NULL);
		close_json_object();
	} else if (store) {
		lg_daemon_print_store(l);
	} else {
		lg_daemon_print_recover(l);
	}
	return store;
}

static int lg_daemon_show(int argc, char **argv)
{
	const char *path = NULL;
	int ret;
	FILE *f;

	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "socket"))
			return lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					    argv[0], LG_DAEMON_WHAT);
		ret = lg_arg_value(LG_DAEMON_WHAT, &argc, &argv, &path);
		if (ret)
			return ret;
	}
	f = lg_ctl_ask(path ? path : LGD_CONTROL_DEFAULT, "status");
	if (!f)
		return 1;

	new_json_obj(lg_json, lg_pretty);
	open_json_object(NULL);
	ret = lg_ctl_read(f, lg_daemon_line, NULL, " (an older leaseguardd?)");
	close_json_object();
	delete_json_obj();
	return ret;
}

static const struct lg_cmd_entry lg_daemon_cmds[] = {
	{ "show", lg_daemon_show, NULL },
	{}
};

int do_daemon(int argc, char **argv)
{
	/* "lgctl daemon socket PATH": show is the default. */
	if (argc > 0 && !strcmp(argv[0], "socket"))
		return lg_daemon_show(argc, argv);
	return lg_dispatch(LG_DAEMON_WHAT, lg_daemon_cmds, lg_daemon_help,
			   argc, argv);
}
