/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of lgctl: options, helpers, objects. */
#ifndef LGCTL_H
#define LGCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <net/if.h>

#include "binding.h"
#include "version.h"

#define LGCTL_VERSION	LG_VERSION

/* Exit codes */
#define LG_EXIT_OK		0
#define LG_EXIT_FAIL		1	/* the operation failed */
#define LG_EXIT_USAGE		2	/* bad command line */
#define LG_EXIT_NOMODULE	3	/* the leaseguard family is absent */
#define LG_EXIT_NOPARTNER	4	/* "lgctl partner": none configured */

/* Global options: -o (-j), -p, -s */
enum lg_format {
	LG_FMT_TEXT,
	LG_FMT_JSON,		/* lg_json is set too */
	LG_FMT_PROMETHEUS,	/* "lgctl stats" only */
};

extern enum lg_format lg_format;
extern bool lg_json;
extern bool lg_pretty;
extern bool lg_show_stats;

/*
 * A word of the command line, what runs it, and its usage or, for an
 * object, what it is for (NULL: hidden).
 */
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
/*
 * "[ dev IFNAME ]" and nothing else, as "show" takes it: *ifindex is 0
 * without dev. Returns 0 or the exit code of the error it printed.
 */
int lg_args_dev(const char *what, int argc, char **argv, const char **dev,
		unsigned int *ifindex);
/* A decimal number in min..max: 0, -EINVAL (not a number) or -ERANGE. */
int lg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
int lg_parse_u64(const char *s, uint64_t *v);
/* "max-bindings N": 0, or the usage error's exit code. */
int lg_arg_max_bindings(const char *s, uint32_t *v);
/* "miss-rate N" (LG_CMD_SAVI_MISS_NTF a second): the same. */
int lg_arg_miss_rate(const char *s, uint32_t *v);

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
		       const struct lg_counter_name *names, unsigned int n,
		       const char *sep);

/* Links: the model of LG_A_LINK. */
struct lg_link {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	bool has_role;
	uint32_t role;
	bool has_max_bindings;
	uint32_t max_bindings;
	bool has_bindings;
	uint32_t bindings;
	bool has_savi_mode;
	uint32_t savi_mode;
	bool has_savi_anchor;
	uint32_t savi_anchor;
	bool has_shield;
	bool shield;
	bool has_release_trusted;
	bool release_trusted;
	bool has_release_forward;
	bool release_forward;
	bool has_savi_entries;
	uint32_t savi_entries;
	bool has_miss_rate;
	uint32_t miss_rate;
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
/* LG_CMD_LINK_SET of the has_* fields of link that are set. */
int lg_link_set(struct lg_nl *nl, const struct lg_link *link);
int lg_link_parse(const struct nlattr *nest, struct lg_link *l);
void print_link(const char *key, const struct lg_link *l);
/*
 * A link's counters in text, a line per group ("\n" INDENT "savi drop:
 * source N unspecified N mac N"), for "lgctl -s link show" (link.c).
 */
void lg_link_stats_print_text(const struct lg_counters *c,
			      const char *indent);

/*
 * The binding as JSON object key (NULL in an array); text: a block like
 * "ip addr" or, oneline, one line for "lgctl monitor" that the caller ends.
 */
void print_binding(const char *key, const struct lg_binding *b, bool oneline);
const char *lg_del_reason_name(uint32_t reason, char *buf, size_t len);
const char *lg_release_reason_name(uint32_t reason, char *buf, size_t len);

/* Objects */
extern const char lg_link_help[];
extern const char lg_stats_help[];
extern const char lg_binding_help[];
extern const char lg_config_help[];
extern const char lg_monitor_help[];
extern const char lg_savi_help[];
extern const char lg_release_help[];
extern const char lg_mcast_help[];
extern const char lg_daemon_help[];
extern const char lg_partner_help[];
int do_link(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_binding(int argc, char **argv);
int do_config(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_savi(int argc, char **argv);
int do_release(int argc, char **argv);
int do_mcast(int argc, char **argv);
int do_daemon(int argc, char **argv);
int do_partner(int argc, char **argv);

/* lgctl_control.c: asking leaseguardd on its control socket */
#define LGD_CONTROL_DEFAULT	"/run/leaseguard/leaseguardd.sock"
#define LG_CTL_MAX_WORDS	32

/* One line of an answer: "kind key=value key=value...". */
struct lg_ctl_line {
	const char *kind;
	int n;
	const char *key[LG_CTL_MAX_WORDS], *val[LG_CTL_MAX_WORDS];
};

/*
 * Connects to path and sends cmd; the answer as a FILE to read lines
 * from, or NULL (the reason printed).
 */
FILE *lg_ctl_ask(const char *path, const char *cmd);
/* The same, silent: NULL with *err a -errno (-ENOENT: no such socket). */
FILE *lg_ctl_open(const char *path, const char *cmd, int *err);
/*
 * Reads the answer f to its end and closes it: each line with a kind to
 * cb, which says whether it used it. "error ..." lines are printed. 0, or
 * 1 after an error line or when cb used none ("gave no answer", then
 * older: a hint such as " (an older leaseguardd?)", or "").
 */
int lg_ctl_read(FILE *f, bool (*cb)(struct lg_ctl_line *l, void *data),
		void *data, const char *older);
/* Splits s (changed in place) into l; words without '=' are skipped. */
void lg_ctl_split(char *s, struct lg_ctl_line *l);
/* The value of key in l, "" if absent. */
const char *lg_ctl_get(const struct lg_ctl_line *l, const char *key);
/*
 * l's pairs as JSON members, keys in snake_case: numbers, but strings
 * and booleans for the keys in those lists (NULL-terminated, or NULL).
 */
void lg_ctl_json_fields(const struct lg_ctl_line *l,
			const char *const *strings, const char *const *bools);

/*
 * "lgctl binding release ... [ wait | nowait ] [ socket PATH ] [ timeout
 * SECONDS ]" (lgctl_release.c): marks the bindings of sel releasing and,
 * unless nowait, follows each one's outcome on leaseguardd's control
 * socket. Returns an exit code.
 */
enum lg_release_mode {
	LG_RELEASE_WAIT_AUTO,		/* wait if leaseguardd is there */
	LG_RELEASE_WAIT,
	LG_RELEASE_NOWAIT,
};

struct lg_release_opts {
	enum lg_release_mode mode;
	const char *socket;		/* NULL: LGD_CONTROL_DEFAULT */
	uint32_t timeout;		/* seconds; 0: the default */
};

#define LG_RELEASE_TIMEOUT_DEFAULT	30	/* s: 4 transmissions take ~16 */
#define LG_RELEASE_TIMEOUT_MAX		3600

int lg_release_wait(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    const struct lg_release_opts *o);

/* "lgctl mcast proxy" (lgctl_mcast_proxy.c). */
int lg_mcast_proxy(int argc, char **argv);

/*
 * "lgctl monitor": print an event of the IGMP/MLD proxy, cmd
 * LG_CMD_MCAST_NTF (obj is LG_A_MCAST) or LG_CMD_MC_*_NTF (LG_A_MC_GROUP),
 * as one line or JSON object. Returns 0 or -EBADMSG.
 */
int lg_mcast_event(uint8_t cmd, const struct nlattr *obj);

#endif /* LGCTL_H */
