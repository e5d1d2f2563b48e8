// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl release: the relay-initiated releases leaseguardd has in flight.
 * The kernel only knows which bindings are releasing; the requests, their
 * transaction-ids and retransmissions are the daemon's, so this asks the
 * daemon, on its control socket (see agent/control.c for the protocol).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"
#include "lgctl.h"

const char lg_release_help[] =
	"Usage: lgctl release [ show ] [ socket PATH ]\n"
	"       lgctl release help\n"
	"The RELEASE-REQUESTs leaseguardd sent and the server has not answered\n"
	"yet, with the bindings in each, and the counters of the exchange.\n"
	"PATH: leaseguardd's control-socket (default " LGD_CONTROL_DEFAULT ").\n"
	"To start a release: \"lgctl binding release\".\n";

/* The keys whose values are names or addresses; the others are numbers. */
static const char *const lg_rel_strings[] = {
	"xid", "server", "dev", "duid", "ia", "reason", NULL
};

static void lg_rel_print_request(const struct lg_ctl_line *l)
{
	unsigned long long next = strtoull(lg_ctl_get(l, "next-ms"), NULL, 10);

	printf("request %s to %s: attempt %s of %s, next in %llu.%01llu s, %s bindings\n",
	       lg_ctl_get(l, "xid"), lg_ctl_get(l, "server"),
	       lg_ctl_get(l, "attempt"), lg_ctl_get(l, "max"), next / 1000,
	       next % 1000 / 100, lg_ctl_get(l, "count"));
}

static void lg_rel_print_binding(const struct lg_ctl_line *l)
{
	printf("\tbinding %s dev %s duid %s %s %s (%s)\n",
	       lg_ctl_get(l, "id"), lg_ctl_get(l, "dev"),
	       lg_ctl_get(l, "duid"),
	       !strcmp(lg_ctl_get(l, "ia"), "pd") ? "IA_PD" : "IA_NA",
	       lg_ctl_get(l, "iaid"), lg_ctl_get(l, "reason"));
}

static void lg_rel_print_stats(const struct lg_ctl_line *l)
{
	int i;

	printf("counters:");
	for (i = 0; i < l->n; i++)
		printf("%s%s %s", i % 4 ? "  " : "\n\t", l->key[i], l->val[i]);
	printf("\n");
}

static int release_show(int argc, char **argv)
{
	const char *path = LGD_CONTROL_DEFAULT;
	bool in_request = false, has_path = false, in_requests = true;
	struct lg_ctl_line l;
	char line[4096];
	int ret = 0;
	FILE *f;

	while (argc > 0) {
		if (!strcmp(argv[0], "socket")) {
			if (has_path)
				return lg_usage_err("duplicate \"socket\"");
			if (argc < 2)
				return lg_usage_err("\"socket\" needs a path");
			path = argv[1];
			has_path = true;
			argc -= 2;
			argv += 2;
		} else {
			return lg_usage_err("unknown argument \"%s\" (try \"lgctl release help\")",
					    argv[0]);
		}
	}
	f = lg_ctl_ask(path, "releases");
	if (!f)
		return 1;

	new_json_obj(lg_json, lg_pretty);
	open_json_object(NULL);
	open_json_array("requests");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		lg_ctl_split(line, &l);
		if (!l.kind)
			continue;
		if (!strcmp(l.kind, "request")) {
			if (in_request) {
				close_json_array();
				close_json_object();
			}
			open_json_object(NULL);
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			open_json_array("bindings");
			in_request = true;
			if (!lg_json)
				lg_rel_print_request(&l);
		} else if (!strcmp(l.kind, "binding") && in_request) {
			open_json_object(NULL);
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			close_json_object();
			if (!lg_json)
				lg_rel_print_binding(&l);
		} else if (!strcmp(l.kind, "stats")) {
			if (in_request) {
				close_json_array();
				close_json_object();
				in_request = false;
			}
			if (in_requests)
				close_json_array();
			in_requests = false;
			open_json_object("stats");
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			close_json_object();
			if (!lg_json)
				lg_rel_print_stats(&l);
		} else if (!strcmp(l.kind, "error")) {
			fprintf(stderr, "lgctl: leaseguardd says: %s\n",
				line + strlen("error") + 1);
			ret = 1;
		}
	}
	fclose(f);
	if (in_request) {
		close_json_array();
		close_json_object();
	}
	if (in_requests)
		close_json_array();
	close_json_object();
	delete_json_obj();
	return ret;
}

static const struct lg_cmd_entry lg_release_cmds[] = {
	{ "show",	release_show,	NULL },
	{}
};

int do_release(int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "socket"))
		return release_show(argc, argv);
	return lg_dispatch("lgctl release", lg_release_cmds, lg_release_help,
			   argc, argv);
}
