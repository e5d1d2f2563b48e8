// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl release: the relay-initiated releases leaseguardd has in flight.
 * The kernel only knows which bindings are releasing; the requests, their
 * transaction-ids and retransmissions are the daemon's, so this asks the
 * daemon, on its control socket (see agent/control.c for the protocol).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "json_print.h"
#include "lgctl.h"

#define LGD_CONTROL_DEFAULT	"/run/leaseguard/leaseguardd.sock"

const char lg_release_help[] =
	"Usage: lgctl release [ show ] [ socket PATH ]\n"
	"       lgctl release help\n"
	"The RELEASE-REQUESTs leaseguardd sent and the server has not answered\n"
	"yet, with the bindings in each, and the counters of the exchange.\n"
	"PATH: leaseguardd's control-socket (default " LGD_CONTROL_DEFAULT ").\n"
	"To start a release: \"lgctl binding release\".\n";

/* The words of one line: "kind key=value key=value...". */
#define LG_REL_MAX_WORDS	24

struct lg_rel_line {
	const char *kind;
	int n;
	const char *key[LG_REL_MAX_WORDS], *val[LG_REL_MAX_WORDS];
};

static void lg_rel_split(char *s, struct lg_rel_line *l)
{
	char *save, *w, *eq;

	l->n = 0;
	l->kind = strtok_r(s, " ", &save);
	while ((w = strtok_r(NULL, " ", &save)) && l->n < LG_REL_MAX_WORDS) {
		eq = strchr(w, '=');
		if (!eq)
			continue;
		*eq = '\0';
		l->key[l->n] = w;
		l->val[l->n++] = eq + 1;
	}
}

static const char *lg_rel_get(const struct lg_rel_line *l, const char *key)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return l->val[i];
	return "";
}

/* Numbers are numbers in JSON; names and addresses are strings. */
static bool lg_rel_is_number(const char *key)
{
	static const char *const strings[] = {
		"xid", "server", "dev", "duid", "ia", "reason", NULL
	};
	int i;

	for (i = 0; strings[i]; i++)
		if (!strcmp(key, strings[i]))
			return false;
	return true;
}

static void lg_rel_json_fields(const struct lg_rel_line *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		char key[64];
		size_t k;

		/* next-ms -> next_ms: JSON keys are snake_case. */
		snprintf(key, sizeof(key), "%s", l->key[i]);
		for (k = 0; key[k]; k++)
			if (key[k] == '-')
				key[k] = '_';
		if (lg_rel_is_number(l->key[i]))
			print_u64(PRINT_JSON, key, NULL,
				  strtoull(l->val[i], NULL, 10));
		else
			print_string(PRINT_JSON, key, NULL, l->val[i]);
	}
}

static void lg_rel_print_request(const struct lg_rel_line *l)
{
	unsigned long long next = strtoull(lg_rel_get(l, "next-ms"), NULL, 10);

	printf("request %s to %s: attempt %s of %s, next in %llu.%01llu s, %s bindings\n",
	       lg_rel_get(l, "xid"), lg_rel_get(l, "server"),
	       lg_rel_get(l, "attempt"), lg_rel_get(l, "max"), next / 1000,
	       next % 1000 / 100, lg_rel_get(l, "count"));
}

static void lg_rel_print_binding(const struct lg_rel_line *l)
{
	printf("\tbinding %s dev %s duid %s %s %s (%s)\n",
	       lg_rel_get(l, "id"), lg_rel_get(l, "dev"),
	       lg_rel_get(l, "duid"),
	       !strcmp(lg_rel_get(l, "ia"), "pd") ? "IA_PD" : "IA_NA",
	       lg_rel_get(l, "iaid"), lg_rel_get(l, "reason"));
}

static void lg_rel_print_stats(const struct lg_rel_line *l)
{
	int i;

	printf("counters:");
	for (i = 0; i < l->n; i++)
		printf("%s%s %s", i % 4 ? "  " : "\n\t", l->key[i], l->val[i]);
	printf("\n");
}

/* Connects and asks; the answer into a FILE to read lines from. */
static FILE *lg_rel_ask(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const char cmd[] = "releases\n";
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lgctl: socket path \"%s\" is too long\n", path);
		return NULL;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, cmd, sizeof(cmd) - 1) != sizeof(cmd) - 1) {
		fprintf(stderr, "lgctl: leaseguardd at %s: %s%s\n", path,
			strerror(errno),
			errno == ENOENT || errno == ECONNREFUSED ?
			" (is leaseguardd running?)" : "");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	shutdown(fd, SHUT_WR);
	return fdopen(fd, "r");
}

static int release_show(int argc, char **argv)
{
	const char *path = LGD_CONTROL_DEFAULT;
	bool in_request = false, has_path = false, in_requests = true;
	struct lg_rel_line l;
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
	f = lg_rel_ask(path);
	if (!f)
		return 1;

	new_json_obj(lg_json, lg_pretty);
	open_json_object(NULL);
	open_json_array("requests");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		lg_rel_split(line, &l);
		if (!l.kind)
			continue;
		if (!strcmp(l.kind, "request")) {
			if (in_request) {
				close_json_array();
				close_json_object();
			}
			open_json_object(NULL);
			lg_rel_json_fields(&l);
			open_json_array("bindings");
			in_request = true;
			if (!lg_json)
				lg_rel_print_request(&l);
		} else if (!strcmp(l.kind, "binding") && in_request) {
			open_json_object(NULL);
			lg_rel_json_fields(&l);
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
			lg_rel_json_fields(&l);
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
