/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of lgctl: options, helpers, objects. */
#ifndef LGCTL_H
#define LGCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "nl.h"

#define LGCTL_VERSION	"0.1"

/* Exit codes */
#define LG_EXIT_OK		0
#define LG_EXIT_FAIL		1	/* the operation failed */
#define LG_EXIT_USAGE		2	/* bad command line */
#define LG_EXIT_NOMODULE	3	/* the leaseguard family is absent */

/* Global options: -j, -p, -s */
extern bool lg_json;
extern bool lg_pretty;
extern bool lg_show_stats;

/* A word of the command line, what runs it, its usage (NULL: hidden). */
struct lg_cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

/*
 * Run the command argv[0] of cmds (cmds[0] when argc == 0), or print help
 * for "help". what names the object ("lgctl link") in the messages.
 * Returns an exit code.
 */
int lg_dispatch(const char *what, const struct lg_cmd_entry *cmds,
		const char *help, int argc, char **argv);

/* Messages for the exit codes; each returns the code. */
int lg_usage_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int lg_no_device(const char *ifname);
int lg_fail(const struct lg_nl *nl, int err);
int lg_open(struct lg_nl *nl);

/* Command line helpers: "dev IFNAME" and friends. */
int lg_arg_value(const char *what, int *argc, char ***argv,
		 const char **val);

/* Counters: a nest of u64 attributes, kept by attribute id. */
#define LG_COUNTERS_MAX	64

struct lg_counters {
	uint64_t present;		/* bit n: val[n] is set */
	uint64_t val[LG_COUNTERS_MAX];
};

struct lg_counter_name {
	const char *key;		/* JSON key, snake_case of the enum */
	const char *label;		/* text label */
};

extern const struct lg_counter_name lg_stats_names[];
extern const unsigned int lg_stats_names_n;
extern const struct lg_counter_name lg_link_stats_names[];
extern const unsigned int lg_link_stats_names_n;

int lg_counters_parse(const struct nlattr *nest, struct lg_counters *c);
void lg_counters_print(const struct lg_counters *c,
		       const struct lg_counter_name *names, unsigned int n);

/* Links: the model of LG_A_LINK. */
struct lg_link {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	bool has_role;
	uint32_t role;
	bool has_stats;
	struct lg_counters stats;
};

struct lg_link_list {
	struct lg_link *v;
	size_t n, cap;
};

int lg_link_get(struct lg_nl *nl, uint32_t ifindex, struct lg_link *link);
int lg_link_dump(struct lg_nl *nl, struct lg_link_list *list);
void lg_link_list_free(struct lg_link_list *list);

/* Objects */
extern const char lg_link_help[];
extern const char lg_stats_help[];
int do_link(int argc, char **argv);
int do_stats(int argc, char **argv);

#endif /* LGCTL_H */
