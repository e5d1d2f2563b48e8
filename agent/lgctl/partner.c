// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl partner: leaseguardd's failover partner, asked on its control
 * socket. "show" reads the answer to "partner" (our role, the partner's
 * state and HELLO, the sync session's counters, the connection's);
 * "role STATE" tells leaseguardd the router's VRRP state, as keepalived's
 * notify script does:
 *
 *	notify_master "/usr/sbin/lgctl partner role master"
 *
 * Without a partner configured, both say so and exit with
 * LG_EXIT_NOPARTNER, so that a script can tell that from a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"
#include "lgctl.h"

#define LG_PARTNER_WHAT	"lgctl partner"

const char lg_partner_help[] =
	"Usage: lgctl partner [ show ] [ socket PATH ]\n"
	"       lgctl partner role STATE [ socket PATH ]\n"
	"       lgctl partner help\n"
	"where  STATE := { master | backup | fault | stop }\n"
	"leaseguardd's failover partner: show prints our role, the partner's\n"
	"state, address and HELLO (node id, role, version), the sync session's\n"
	"queue and counters, and the connection's; role tells leaseguardd the\n"
	"router's VRRP state (keepalived's notify script; root only).\n"
	"PATH: leaseguardd's control-socket (default " LGD_CONTROL_DEFAULT ").\n"
	"Exit status 4: no partner configured.\n";

static const char *const lg_partner_roles[] = {
	"master", "backup", "fault", "stop", NULL
};

static const char *const lg_partner_strings[] = {
	"role", "state", "node-id", "peer", "listen", "connection",
	"peer-node-id", "peer-role", "peer-version", NULL
};

struct lg_partner_answer {
	bool none;		/* "partner state=none" */
	bool role_taken;	/* "role state=..." */
};

static void lg_partner_none(void)
{
	fprintf(stderr, "lgctl: no partner configured (leaseguardd.conf has no partner)\n");
}

/* An age in ms, as a person reads it: "120 ms", "4.2 s", "3m12s", "2d4h". */
static const char *lg_partner_age(const char *ms, char *buf, size_t len)
{
	unsigned long long v = strtoull(ms, NULL, 10), s = v / 1000;

	if (v < 1000)
		snprintf(buf, len, "%llu ms", v);
	else if (v < 60000)
		snprintf(buf, len, "%llu.%llu s", s, v % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%llud%lluh", s / 86400, s % 86400 / 3600);
	return buf;
}

/* " KEY AGE ago", or " KEY never". */
static void lg_partner_print_age(const struct lg_ctl_line *l, const char *label,
				 const char *key)
{
	const char *ms = lg_ctl_get(l, key);
	char age[32];

	if (*ms)
		printf("%s %s ago", label, lg_partner_age(ms, age, sizeof(age)));
	else
		printf("%s never", label);
}

static void lg_partner_print_partner(const struct lg_ctl_line *l)
{
	const char *port = lg_ctl_get(l, "port");
	char age[32];

	printf("partner %s", lg_ctl_get(l, "peer"));
	if (strcmp(port, "0"))
		printf(" port %s", port);
	else
		printf(" (it connects)");
	printf(": %s", lg_ctl_get(l, "state"));
	if (*lg_ctl_get(l, "state-age-ms"))
		printf(" for %s", lg_partner_age(lg_ctl_get(l, "state-age-ms"),
						 age, sizeof(age)));
	printf("\n");
	if (*lg_ctl_get(l, "connection"))
		printf("\tconnection %s\n", lg_ctl_get(l, "connection"));
	printf("\tlistening on %s port %s\n", lg_ctl_get(l, "listen"),
	       lg_ctl_get(l, "listen-port"));
	printf("\tour node %s\n", lg_ctl_get(l, "node-id"));
	if (*lg_ctl_get(l, "peer-node-id"))
		printf("\tits node %s: %s, version %s\n",
		       lg_ctl_get(l, "peer-node-id"),
		       lg_ctl_get(l, "peer-role"),
		       lg_ctl_get(l, "peer-version"));
	else
		printf("\tits node unknown (no HELLO yet)\n");
	lg_partner_print_age(l, "\tlast received", "last-recv-age-ms");
	lg_partner_print_age(l, ", last heartbeat", "last-heartbeat-age-ms");
	printf("\n");
}

#define G(k)	lg_ctl_get(l, k)

static void lg_partner_print_sync(const struct lg_ctl_line *l)
{
	printf("sync: queue %s (high %s)  tombstones %s (dropped %s)\n",
	       G("queue"), G("queue-hwm"), G("tombstones"),
	       G("tombstones-dropped"));
	printf("\tmessages sent %s  received %s  changes applied %s  refused %s\n",
	       G("sent"), G("received"), G("applied"), G("refused"));
	printf("\tconflicts won %s  lost %s  duplicates %s  gaps %s  resent %s\n",
	       G("conflicts-won"), G("conflicts-lost"), G("duplicates"),
	       G("gaps"), G("resent"));
	printf("\tbulks sent %s  received %s  overflows %s  malformed %s  unknown %s  dead %s\n",
	       G("bulks-sent"), G("bulks-received"), G("overflows"),
	       G("malformed"), G("unknown"), G("dead"));
}

static void lg_partner_print_connection(const struct lg_ctl_line *l)
{
	printf("connection: attempts %s (reconnects %s)  connects failed %s  backoff %s ms\n",
	       G("attempts"), G("reconnects"), G("connects-failed"),
	       G("backoff-ms"));
	printf("\thandshakes: connected %s  accepted %s  refused %s  duplicates %s  lost %s\n",
	       G("connected"), G("accepted"), G("refused"), G("duplicates"),
	       G("lost"));
	printf("\tfailed handshakes: key %s  identity %s  not TLS %s  other %s\n",
	       G("hs-key"), G("hs-identity"), G("hs-not-tls"), G("hs-other"));
	printf("\tbytes in %s  out %s\n", G("bytes-in"), G("bytes-out"));
}

#undef G

static bool lg_partner_line(struct lg_ctl_line *l, void *data)
{
	struct lg_partner_answer *a = data;
	bool partner = !strcmp(l->kind, "partner");

	if (partner && !strcmp(lg_ctl_get(l, "state"), "none"))
		a->none = true;
	if (!partner && strcmp(l->kind, "local") && strcmp(l->kind, "sync") &&
	    strcmp(l->kind, "connection"))
		return false;
	if (lg_json) {
		open_json_object(l->kind);
		lg_ctl_json_fields(l, lg_partner_strings, NULL);
		close_json_object();
	} else if (a->none) {
		/* said on stderr, below */
	} else if (partner) {
		lg_partner_print_partner(l);
	} else if (!strcmp(l->kind, "local")) {
		char age[32];

		printf("role %s", lg_ctl_get(l, "role"));
		if (*lg_ctl_get(l, "role-age-ms"))
			printf(" for %s", lg_partner_age(lg_ctl_get(l, "role-age-ms"),
							 age, sizeof(age)));
		if (*lg_ctl_get(l, "takeovers"))
			printf(" (takeovers %s)", lg_ctl_get(l, "takeovers"));
		printf("\n");
		if (*lg_ctl_get(l, "sent-updates"))
			printf("\tours sent: updates %s  deletes %s  kept back %s\n"
			       "\ttheirs into the kernel: made %s  replaced %s  deleted %s  refused %s\n",
			       lg_ctl_get(l, "sent-updates"),
			       lg_ctl_get(l, "sent-deletes"),
			       lg_ctl_get(l, "not-sent"), lg_ctl_get(l, "made"),
			       lg_ctl_get(l, "replaced"), lg_ctl_get(l, "deleted"),
			       lg_ctl_get(l, "kernel-refused"));
		/* Releases in flight the partner marked here, or ended. */
		if (*lg_ctl_get(l, "releases"))
			printf("\ttheir releases: marked %s  cancelled %s\n",
			       lg_ctl_get(l, "releases"),
			       lg_ctl_get(l, "release-cancels"));
	} else if (!strcmp(l->kind, "sync")) {
		lg_partner_print_sync(l);
	} else {
		lg_partner_print_connection(l);
	}
	return true;
}

/* "[ socket PATH ]", what both commands end with. */
static int lg_partner_socket(int argc, char **argv, const char **path)
{
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "socket"))
			return lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					    argv[0], LG_PARTNER_WHAT);
		ret = lg_arg_value(LG_PARTNER_WHAT, &argc, &argv, path);
		if (ret)
			return ret;
	}
	if (!*path)
		*path = LGD_CONTROL_DEFAULT;
	return 0;
}

static int lg_partner_show(int argc, char **argv)
{
	struct lg_partner_answer a = {};
	const char *path = NULL;
	int ret;
	FILE *f;

	ret = lg_partner_socket(argc, argv, &path);
	if (ret)
		return ret;
	f = lg_ctl_ask(path, "partner");
	if (!f)
		return LG_EXIT_FAIL;

	new_json_obj(lg_json, lg_pretty);
	open_json_object(NULL);
	ret = lg_ctl_read(f, lg_partner_line, &a, " (an older leaseguardd?)");
	close_json_object();
	delete_json_obj();
	if (!ret && a.none) {
		lg_partner_none();
		return LG_EXIT_NOPARTNER;
	}
	return ret;
}

static bool lg_partner_role_line(struct lg_ctl_line *l, void *data)
{
	struct lg_partner_answer *a = data;

	if (!strcmp(l->kind, "partner") &&
	    !strcmp(lg_ctl_get(l, "state"), "none"))
		return a->none = true;
	if (!strcmp(l->kind, "role"))
		return a->role_taken = true;
	return false;
}

static int lg_partner_role(int argc, char **argv)
{
	struct lg_partner_answer a = {};
	const char *path = NULL;
	char cmd[32];
	int i, ret;
	FILE *f;

	if (argc < 1)
		return lg_usage_err("Command \"role\" needs a STATE: master, backup, fault or stop.");
	for (i = 0; lg_partner_roles[i]; i++)
		if (!strcmp(argv[0], lg_partner_roles[i]))
			break;
	if (!lg_partner_roles[i])
		return lg_usage_err("Role \"%s\" is unknown: STATE is master, backup, fault or stop.",
				    argv[0]);
	ret = lg_partner_socket(argc - 1, argv + 1, &path);
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "role %s", lg_partner_roles[i]);
	f = lg_ctl_ask(path, cmd);
	if (!f)
		return LG_EXIT_FAIL;
	ret = lg_ctl_read(f, lg_partner_role_line, &a,
			  " (an older leaseguardd?)");
	if (ret)
		return ret;
	if (a.none) {
		lg_partner_none();
		return LG_EXIT_NOPARTNER;
	}
	return a.role_taken ? LG_EXIT_OK : LG_EXIT_FAIL;
}

static const struct lg_cmd_entry lg_partner_cmds[] = {
	{ "show", lg_partner_show, NULL },
	{ "role", lg_partner_role, NULL },
	{}
};

int do_partner(int argc, char **argv)
{
	/* "lgctl partner socket PATH": show is the default. */
	if (argc > 0 && !strcmp(argv[0], "socket"))
		return lg_partner_show(argc, argv);
	return lg_dispatch(LG_PARTNER_WHAT, lg_partner_cmds, lg_partner_help,
			   argc, argv);
}
