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

#include "nl.h"

#define LGCTL_VERSION	"0.1"

/*
 * Room for one more element in a growing array (*v, n used, *cap
 * allocated): 0 or -ENOMEM, *v unchanged then.
 */
static inline int lg_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void **p = v, *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 16;
	nv = realloc(*p, ncap * size);
	if (!nv)
		return -ENOMEM;
	*p = nv;
	*cap = ncap;
	return 0;
}

/* Exit codes */
#define LG_EXIT_OK		0
#define LG_EXIT_FAIL		1	/* the operation failed */
#define LG_EXIT_USAGE		2	/* bad command line */
#define LG_EXIT_NOMODULE	3	/* the leaseguard family is absent */

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

/* Octet strings (DUIDs, MACs, Interface-Ids) as "00:01:0a" */
#define LG_DUID_MIN	3
#define LG_DUID_MAX	130

#include "hex.h"

/* Bindings: the model of LG_A_BINDING. */
struct lg_lease {
	uint8_t addr[16];
	bool has_plen, has_preferred, has_valid, has_expires;
	uint32_t plen;
	uint32_t preferred;
	uint32_t valid;
	uint64_t expires;		/* CLOCK_REALTIME seconds */
};

struct lg_binding {
	uint64_t id;
	uint32_t ifindex;		/* 0: absent */
	char ifname[IF_NAMESIZE];
	size_t client_duid_len;		/* 0: absent */
	uint8_t client_duid[LG_DUID_MAX];
	bool has_ia_type, has_iaid, has_state, has_del_reason;
	uint32_t ia_type;
	uint32_t iaid;
	uint32_t state;
	uint32_t del_reason;
	bool has_release_reason;	/* LG_BINDING_RELEASING only */
	uint32_t release_reason;	/* enum lg_release_reason */
	bool has_client_lladdr, has_client_mac, has_server_addr;
	uint8_t client_lladdr[16];
	uint8_t client_mac[6];
	uint8_t server_addr[16];
	size_t server_duid_len;		/* 0: absent */
	uint8_t server_duid[LG_DUID_MAX];
	size_t interface_id_len;	/* 0: absent */
	uint8_t *interface_id;
	bool has_created, has_updated;
	uint64_t created, updated;	/* CLOCK_REALTIME seconds */
	struct lg_lease *leases;
	size_t n_leases;
};

struct lg_binding_list {
	struct lg_binding *v;
	size_t n, cap;
};

/*
 * A dump filter, or the selectors of a GET, DEL or RELEASE; 0 lengths are
 * absent.
 */
struct lg_binding_sel {
	uint64_t id;
	bool has_id;
	uint32_t ifindex;		/* 0: absent */
	size_t duid_len;
	uint8_t duid[LG_DUID_MAX];
	bool has_addr;
	uint8_t addr[16];
	bool all;
	/*
	 * DEL: enum lg_binding_del_reason; RELEASE: enum lg_release_reason.
	 * 0: not sent (the kernel's default).
	 */
	uint32_t reason;
	bool cancel;			/* RELEASE: bound again */
};

int lg_binding_parse(const struct nlattr *nest, struct lg_binding *b);
void lg_binding_free(struct lg_binding *b);
void lg_binding_list_free(struct lg_binding_list *list);
/* Dump with the filter's ifindex and duid (sel may be NULL). */
int lg_binding_dump(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    struct lg_binding_list *list);
/* By the selector's id, or its addr (and ifindex); -ENOENT: none. */
int lg_binding_get(struct lg_nl *nl, const struct lg_binding_sel *sel,
		   struct lg_binding *b);
/* The selectors of sel, and its reason (if not 0). */
int lg_binding_del(struct lg_nl *nl, const struct lg_binding_sel *sel);
/* The selectors of sel, its reason (if not 0) and cancel. */
int lg_binding_release(struct lg_nl *nl, const struct lg_binding_sel *sel);
/* A client a binding may be anchored to (LG_A_ANCHOR). */
struct lg_anchor {
	uint8_t lladdr[16];
	bool has_lladdr, has_mac;
	uint8_t mac[6];
};

/* LG_A_ANCHOR of an LG_CMD_BINDING_ANCHOR_NTF; -EBADMSG without lladdr. */
int lg_anchor_parse(const struct nlattr *nest, struct lg_anchor *a);
/* LG_CMD_BINDING_MOVE: binding id is a's from now on. */
int lg_binding_move(struct lg_nl *nl, uint64_t id, const struct lg_anchor *a);
/*
 * cmd (LG_CMD_BINDING_DEL or LG_CMD_BINDING_RELEASE) of each of the n
 * bindings ids[], with reason (if not 0) and, to release, cancel: one
 * request per ID, batched (lg_nl_batch(): nl should have joined no
 * group). *n_failed (may be NULL): the requests that did not succeed,
 * -ENOENT (the binding is gone) included, and those whose ACK a socket
 * error left unread. Returns 0, the -errno of the socket, or else the
 * first error of a request other than -ENOENT.
 */
int lg_binding_batch(struct lg_nl *nl, uint8_t cmd, const uint64_t *ids,
		     size_t n, uint32_t reason, bool cancel, size_t *n_failed);
/* A dump request with the filter of sel; each reply appends to a list. */
struct nlmsghdr *lg_binding_dump_msg(struct lg_nl *nl,
				     const struct lg_binding_sel *sel);
int lg_binding_cb(const struct nlmsghdr *nlh, void *data);
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
int do_link(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_binding(int argc, char **argv);
int do_config(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_savi(int argc, char **argv);
int do_release(int argc, char **argv);
int do_mcast(int argc, char **argv);

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
