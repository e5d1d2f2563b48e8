// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl mcast proxy: the IGMP/MLD proxy as leaseguardd runs it. The
 * kernel has the subscribers' side ("lgctl mcast show"); the upstream
 * memberships, the multicast routing entries and the queries are the
 * daemon's, so this asks the daemon on its control socket.
 */
#include <stdio.h>
#include <string.h>

#include "json_print.h"
#include "lgctl.h"

#define LG_MCP_WHAT	"lgctl mcast"

static const char *const lg_mcp_strings[] = { "family", "upstream", NULL };
static const char *const lg_mcp_bools[] = {
	"enable", "active", "passive", "routing", NULL
};

/* The counters, in the text's order: four a line. */
static const char *const lg_mcp_counters[] = {
	"joins", "leaves", "changes", "upstream-errors",
	"upstream-nobufs", "capped", "upcalls", "upcalls-ignored",
	"mfc-adds", "mfc-dels", "mfc-errors", "no-vif",
	"queries", "query-errors", "queries-held", NULL
};

static void lg_mcp_print_text(const struct lg_ctl_line *l)
{
	const char *up = lg_ctl_get(l, "upstream");
	int i;

	printf("%s: %s, upstream %s, version %s%s\n", lg_ctl_get(l, "family"),
	       strcmp(lg_ctl_get(l, "enable"), "1") ? "disabled" : "enabled",
	       strcmp(up, "-") ? up : "none", lg_ctl_get(l, "version"),
	       strcmp(lg_ctl_get(l, "active"), "1") ? "" : ": proxying");
	/* A router pair's BACKUP (an older leaseguardd says nothing). */
	if (!strcmp(lg_ctl_get(l, "passive"), "1"))
		printf("\tpassive (not the MASTER): no queries, nothing forwarded onto the access interfaces\n");
	printf("\tgroups %s (memberships %s), %s joined upstream on %s sockets\n",
	       lg_ctl_get(l, "groups"), lg_ctl_get(l, "memberships"),
	       lg_ctl_get(l, "upstream-groups"), lg_ctl_get(l, "sockets"));
	if (strcmp(lg_ctl_get(l, "routing"), "1"))
		printf("\trouting off\n");
	else
		printf("\trouting on: vifs %s, MFC entries %s\n",
		       lg_ctl_get(l, "vifs"), lg_ctl_get(l, "mfc"));
	for (i = 0; lg_mcp_counters[i]; i++)
		printf("%s%s %s", i % 4 ? "  " : "\t", lg_mcp_counters[i],
		       lg_ctl_get(l, lg_mcp_counters[i]));
	printf("\n");
}

static bool lg_mcp_line(struct lg_ctl_line *l, void *data)
{
	(void)data;
	if (strcmp(l->kind, "proxy"))
		return false;
	if (lg_json) {
		open_json_object(NULL);
		lg_ctl_json_fields(l, lg_mcp_strings, lg_mcp_bools);
		close_json_object();
	} else {
		lg_mcp_print_text(l);
	}
	return true;
}

int lg_mcast_proxy(int argc, char **argv)
{
	const char *path = NULL;
	int ret;
	FILE *f;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "help")) {
			fputs(lg_mcast_help, stdout);
			return 0;
		}
		if (strcmp(argv[0], "socket"))
			return lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					    argv[0], LG_MCP_WHAT);
		ret = lg_arg_value(LG_MCP_WHAT, &argc, &argv, &path);
		if (ret)
			return ret;
	}
	f = lg_ctl_ask(path ? path : LGD_CONTROL_DEFAULT, "mcast");
	if (!f)
		return 1;

	new_json_obj(lg_json, lg_pretty);
	open_json_array(NULL);
	ret = lg_ctl_read(f, lg_mcp_line, NULL, "");
	close_json_array();
	delete_json_obj();
	return ret;
}
