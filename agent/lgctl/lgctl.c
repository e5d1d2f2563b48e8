// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl: show and change the leaseguard state of the network namespace.
 *
 *	lgctl [ -o FORMAT | -j ] [ -p ] [ -s ] [ -V ] OBJECT { COMMAND | help }
 *
 * Exit status:
 *	0  success
 *	1  the operation failed (the kernel refused it, no such device)
 *	2  usage error (unknown, missing, duplicate or bad argument)
 *	3  the leaseguard module is not loaded
 *	4  "lgctl partner": leaseguardd has no failover partner configured
 *
 * Adding an object: a file with do_OBJECT() and its help text (for
 * "lgctl OBJECT help"), declared in lgctl.h, plus a row in lg_objects[]
 * with a one-line description (for "lgctl help").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

enum lg_format lg_format;
bool lg_json;
bool lg_pretty;
bool lg_show_stats;

static const char lg_main_help[] =
	"Usage: lgctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	"       lgctl help\n"
	"where  OPTIONS := { -o FORMAT | -j | -p | -s | -V }\n"
	"       FORMAT := { text | json | prometheus }\n"
	"       (-o output format: text (the default), json, or prometheus\n"
	"       (\"lgctl stats\" only: the Prometheus text format); -j is -o json;\n"
	"       -p pretty JSON, -s statistics, -V version)\n";

static const char lg_exit_help[] =
	"Exit status: 0 ok, 1 operation failed, 2 usage error,\n"
	"             3 leaseguard module not loaded,\n"
	"             4 no failover partner configured (lgctl partner)\n";

static int do_help(int argc, char **argv);
static int do_version(int argc, char **argv);

/*
 * The whole grammar does not fit a screen: the main help lists what each
 * object is for (the help column here) and "lgctl OBJECT help" gives the
 * object's grammar.
 */
static const struct lg_cmd_entry lg_objects[] = {
	{ "link",	do_link,	"the role, limits, savi and shield of interfaces" },
	{ "stats",	do_stats,	"counters of the namespace and interfaces" },
	{ "binding",	do_binding,	"DHCPv6 leases learned on access interfaces" },
	{ "savi",	do_savi,	"static prefixes for source-address validation" },
	{ "release",	do_release,	"relay-initiated releases leaseguardd has in flight" },
	{ "config",	do_config,	"namespace-wide settings" },
	{ "mcast",	do_mcast,	"the IGMP/MLD proxy: settings and groups" },
	{ "monitor",	do_monitor,	"watch bindings, configuration and groups change" },
	{ "daemon",	do_daemon,	"leaseguardd's own state: its binding store" },
	{ "partner",	do_partner,	"leaseguardd's failover partner; the VRRP role" },
	{ "help",	do_help,	NULL },
	{ "version",	do_version,	NULL },
	{}
};

static void lg_usage(FILE *f)
{
	const struct lg_cmd_entry *o;

	fputs(lg_main_help, f);
	fputs("\nObjects (\"lgctl OBJECT help\" gives their commands):\n", f);
	for (o = lg_objects; o->name; o++)
		if (o->help)
			fprintf(f, "  %-10s %s\n", o->name, o->help);
	fprintf(f, "\n%s", lg_exit_help);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	lg_usage(stdout);
	return LG_EXIT_OK;
}

static int do_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s", "lgctl");
	print_string(PRINT_ANY, "version", " %s", LGCTL_VERSION);
	print_uint(PRINT_ANY, "genl_version", " (leaseguard genl version %u)",
		   LEASEGUARD_GENL_VERSION);
	print_nl();
	close_json_object();
	return LG_EXIT_OK;
}

int lg_dispatch(const char *what, const struct lg_cmd_entry *cmds,
		const char *help, int argc, char **argv)
{
	const struct lg_cmd_entry *c;

	if (argc < 1)
		return cmds[0].fn(0, argv);
	if (help && !strcmp(argv[0], "help")) {
		fputs(help, stdout);
		return LG_EXIT_OK;
	}
	for (c = cmds; c->name; c++)
		if (!strcmp(argv[0], c->name))
			return c->fn(argc - 1, argv + 1);
	return lg_usage_err("Command \"%s\" is unknown, try \"%s help\".",
			    argv[0], what);
}

int lg_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return LG_EXIT_USAGE;
}

int lg_arg_value(const char *what, int *argc, char ***argv,
		 const char **val)
{
	const char *key = (*argv)[0];

	if (*val)
		return lg_usage_err("Argument \"%s\" is given twice, try \"%s help\".",
				    key, what);
	if (*argc < 2)
		return lg_usage_err("Argument \"%s\" needs a value, try \"%s help\".",
				    key, what);
	(*argc)--;
	(*argv)++;
	*val = (*argv)[0];
	return 0;
}

int lg_args_dev(const char *what, int argc, char **argv, const char **dev,
		unsigned int *ifindex)
{
	int ret;

	*dev = NULL;
	*ifindex = 0;
	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "dev"))
			return lg_usage_err("Argument \"%s\" is unknown, try \"%s help\".",
					    argv[0], what);
		ret = lg_arg_value(what, &argc, &argv, dev);
		if (ret)
			return ret;
	}
	if (*dev) {
		*ifindex = if_nametoindex(*dev);
		if (!*ifindex)
			return lg_no_device(*dev);
	}
	return 0;
}

int lg_parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	/* strtoull() takes "-1" and leading blanks: digits only */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*v = n;
	return 0;
}

int lg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	uint64_t n;
	int err;

	err = lg_parse_u64(s, &n);
	if (err)
		return err;
	if (n < min || n > max)
		return -ERANGE;
	*v = n;
	return 0;
}

int lg_arg_max_bindings(const char *s, uint32_t *v)
{
	if (lg_parse_u32(s, 1, LG_MAX_BINDINGS_LIMIT, v))
		return lg_usage_err("Argument \"%s\" is wrong: max-bindings is 1 to %u.",
				    s, LG_MAX_BINDINGS_LIMIT);
	return 0;
}

int lg_arg_miss_rate(const char *s, uint32_t *v)
{
	if (lg_parse_u32(s, 0, LG_MISS_RATE_LIMIT, v))
		return lg_usage_err("Argument \"%s\" is wrong: miss-rate is 0 to %u.",
				    s, LG_MISS_RATE_LIMIT);
	return 0;
}

int lg_no_device(const char *ifname)
{
	fprintf(stderr, "Cannot find device \"%s\"\n", ifname);
	return LG_EXIT_FAIL;
}

int lg_fail(const struct lg_nl *nl, int err)
{
	const char *msg = nl ? lg_nl_ext_msg(nl) : NULL;

	if (err == -LG_NL_ENOFAMILY) {
		fprintf(stderr, "lgctl: the leaseguard module is not loaded "
			"(try \"modprobe leaseguard\" or "
			"\"insmod kmod/leaseguard.ko\")\n");
		return LG_EXIT_NOMODULE;
	}
	fprintf(stderr, "lgctl: %s", strerror(-err));
	if (msg)
		fprintf(stderr, ": %s", msg);
	if (err == -EPERM)
		fprintf(stderr, " (needs CAP_NET_ADMIN)");
	else if (err == -EINTR)
		fprintf(stderr, " (the dump kept changing under us, try again)");
	fputc('\n', stderr);
	return LG_EXIT_FAIL;
}

int lg_open(struct lg_nl *nl)
{
	int err = lg_nl_open(nl);

	return err ? lg_fail(nl, err) : LG_EXIT_OK;
}

static const char *const lg_format_names[] = {
	[LG_FMT_TEXT] = "text",
	[LG_FMT_JSON] = "json",
	[LG_FMT_PROMETHEUS] = "prometheus",
};

/* "-o FORMAT": 0, or the usage error's exit code. */
static int lg_opt_format(int *argc, char ***argv)
{
	const char *name;
	size_t i;

	if (*argc < 2)
		return lg_usage_err("Option \"-o\" needs a FORMAT: text, json or prometheus.");
	(*argc)--;
	(*argv)++;
	name = (*argv)[0];
	for (i = 0; i < sizeof(lg_format_names) / sizeof(lg_format_names[0]); i++)
		if (!strcmp(name, lg_format_names[i])) {
			lg_format = i;
			/* the last of -o, -j and -p wins */
			lg_json = lg_format == LG_FMT_JSON;
			lg_pretty = false;
			return 0;
		}
	return lg_usage_err("Output format \"%s\" is unknown: FORMAT is text, json or prometheus.",
			    name);
}

int main(int argc, char **argv)
{
	bool version = false;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (!strcmp(opt, "-o")) {
			ret = lg_opt_format(&argc, &argv);
			if (ret)
				return ret;
		} else if (!strcmp(opt, "-j")) {
			lg_json = true;
			lg_format = LG_FMT_JSON;
		} else if (!strcmp(opt, "-p")) {
			lg_json = lg_pretty = true;
			lg_format = LG_FMT_JSON;
		} else if (!strcmp(opt, "-s")) {
			lg_show_stats = true;
		} else if (!strcmp(opt, "-V")) {
			version = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			return do_help(0, NULL);
		} else {
			return lg_usage_err("Option \"%s\" is unknown, try \"lgctl help\".",
					    opt);
		}
	}

	if (lg_format == LG_FMT_PROMETHEUS && !version && argc > 0 &&
	    strcmp(argv[0], "stats") && strcmp(argv[0], "help"))
		return lg_usage_err("Output format \"prometheus\" is for \"lgctl stats\" only, not \"%s\".",
				    argv[0]);
	new_json_obj(lg_json, lg_pretty);
	if (version) {
		ret = do_version(0, NULL);
	} else if (argc < 1) {
		lg_usage(stderr);
		ret = LG_EXIT_USAGE;
	} else {
		ret = lg_dispatch("lgctl", lg_objects, NULL, argc, argv);
	}
	delete_json_obj();
	return ret;
}
