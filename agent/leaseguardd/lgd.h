/* SPDX-License-Identifier: GPL-2.0 */
/* leaseguardd: the daemon's configuration, log and routes. */
#ifndef LGD_H
#define LGD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <syslog.h>
#include <net/if.h>
#include <linux/leaseguard.h>

#include "partner.h"

#define LGD_CONF_DEFAULT	"/etc/leaseguard/leaseguardd.conf"

/* RTPROT_*: free in the kernel's list and in iproute2's rt_protos. */
#define LGD_RT_PROTOCOL_DEFAULT	200
#define LGD_RT_TABLE_DEFAULT	254	/* main */
#define LGD_RT_METRIC_DEFAULT	1024

#define LGD_CONTROL_DEFAULT	"/run/leaseguard/leaseguardd.sock"
#define LGD_DUID_MAX		130

/* Release triggers (draft section 1.2), a bit per enum lg_release_reason. */
#define LGD_TRIGGER(reason)	(1u << (reason))
#define LGD_TRIGGERS_DEFAULT	LGD_TRIGGER(LG_RELEASE_ADMIN)

#define LGD_LINK_DOWN_HOLD_DEFAULT	30	/* seconds */
#define LGD_UNREACHABLE_HOLD_DEFAULT	60	/* seconds */

/*
 * How long our routes outlive the family (family.c): a module reload or
 * upgrade takes seconds, and a minute is short against lease lifetimes
 * (hours), so a route whose lease ended in the gap lives a minute longer.
 */
#define LGD_FAMILY_GRACE_DEFAULT	60	/* seconds */

/* A declared setting leaseguardd leaves to the kernel (and lgctl). */
#define LGD_UNMANAGED			UINT32_MAX

/* release-fallback: servers in the list (a pair and a spare or two). */
#define LGD_RELEASE_FALLBACK_MAX	4

/*
 * What "interface NAME KEY VALUE" lines say of one access interface;
 * "interface * ..." is what the others get.
 */
struct lgd_if_conf {
	char name[16];			/* IFNAMSIZ; "*": the default */
	uint32_t triggers;		/* LGD_TRIGGER() bits */
	uint32_t link_down_hold;	/* seconds */
	uint32_t unreachable_hold;	/* seconds */
	bool single_subscriber;
	bool has_server;
	uint8_t server[16];		/* release-server: instead of learned */
	/*
	 * release-fallback: where a RELEASE-REQUEST goes, in this order,
	 * when the lease's server does not answer (the other server of an
	 * HA pair); the lease's own server is skipped. Each with the DUID
	 * its Server Identifier is to carry (len 0: the lease's server's).
	 */
	uint8_t n_fallback;
	uint8_t fallback[LGD_RELEASE_FALLBACK_MAX][16];
	uint8_t fallback_duid_len[LGD_RELEASE_FALLBACK_MAX];
	uint8_t fallback_duid[LGD_RELEASE_FALLBACK_MAX][LGD_DUID_MAX];
	/*
	 * The kernel's configuration of the interface, declared (declare.c):
	 * LGD_UNMANAGED role leaves it alone; otherwise the rest is set
	 * whole, module defaults for what the file does not say.
	 */
	uint32_t role;			/* enum lg_role, or LGD_UNMANAGED */
	uint32_t max_bindings;
	uint32_t savi_mode;		/* enum lg_savi_mode */
	uint32_t savi_anchor;		/* enum lg_savi_anchor */
	bool shield, trust_release, release_forward;
	uint32_t miss_rate;		/* LG_CMD_SAVI_MISS_NTF/s */
	bool has_lq_link;
	uint8_t lq_link[16];		/* recover-link-address */
};

#define LGD_MAX_IF_CONF		256
#define LGD_MAX_SAVI_CONF	1024

/* "interface NAME savi-static PREFIX[,wide]": a static SAVI entry. */
struct lgd_savi_conf {
	char ifname[16];
	uint8_t addr[16];
	uint8_t plen;
	bool wide;
};

/*
 * "mcast igmp|mld KEY VALUE": the proxy settings declared, by attribute
 * (enum lg_mcast_attrs); set says which (a bit per attribute).
 */
struct lgd_mc_decl {
	uint32_t set;
	uint32_t v[LG_MCAST_A_MAX + 1];
	char upstream[16];		/* "": none */
};

#define LGD_RECOVER_RATE_DEFAULT	20	/* LEASEQUERY/s */
#define LGD_RECOVER_RATE_MAX		10000
#define LGD_RECOVER_NEG_TTL_DEFAULT	30	/* seconds */
#define LGD_RECOVER_NEG_TTL_MAX		3600
#define LGD_LQ_SERVERS_MAX		8	/* leasequery-server lines */

/*
 * partner-dead-interval: more than the heartbeat (LGD_PS_HEARTBEAT_MS,
 * 0.5 s) by a whole heartbeat at least, so that one late heartbeat does
 * not bring the link down; a minute at most, or a dead partner goes
 * unnoticed for longer than a takeover may wait.
 */
#define LGD_PARTNER_DEAD_MIN_MS		(2 * LGD_PS_HEARTBEAT_MS)
#define LGD_PARTNER_DEAD_MAX_MS		60000
/* partner-queue: changes queued or unacknowledged before a bulk. */
#define LGD_PARTNER_QUEUE_MIN		1024
#define LGD_PARTNER_QUEUE_LIMIT		16777216

struct lgd_conf {
	int log_level;			/* LOG_ERR..LOG_DEBUG */
	bool log_syslog;
	bool routes;			/* install access routes */
	uint32_t route_table;
	uint32_t route_metric;
	uint8_t route_protocol;
	/* Relay-initiated release. */
	uint16_t relay_id_len;		/* 0: DUID-UUID of /etc/machine-id */
	uint8_t relay_id[LGD_DUID_MAX];
	bool has_release_source;
	uint8_t release_source[16];
	bool release_clear_on_timeout;
	char control_socket[108];	/* sun_path */
	char store[256];		/* the binding store; "": off */
	uint32_t store_delay;		/* seconds: a commit at most this late */
	/* Recovery by LEASEQUERY (recover.c). */
	uint32_t recover_rate;		/* queries/s; 0: off */
	uint32_t recover_negative_ttl;	/* seconds */
	unsigned int n_lq_servers;
	uint8_t lq_servers[LGD_LQ_SERVERS_MAX][16];	/* leasequery-server */
	struct lgd_if_conf if_default;
	unsigned int n_ifs;
	struct lgd_if_conf ifs[LGD_MAX_IF_CONF];
	/* The family's life (family.c) and the declared configuration. */
	uint32_t family_grace;		/* seconds */
	bool drift_revert;		/* config-drift revert (or keep) */
	uint32_t ns_max_bindings;	/* LGD_UNMANAGED: the kernel's */
	uint32_t ns_miss_rate;		/* LGD_UNMANAGED: the kernel's */
	uint32_t release_request_type;	/* LGD_UNMANAGED: the kernel's */
	uint32_t release_reply_type;	/* LGD_UNMANAGED: the kernel's */
	unsigned int n_savi;
	struct lgd_savi_conf savi[LGD_MAX_SAVI_CONF];
	struct lgd_mc_decl mc[2];	/* IGMP, MLD */
	/*
	 * The failover partner (partner.c, Documentation/failover.rst).
	 * Without a "partner" line there is none, and the other partner
	 * keys, checked all the same, do nothing. Every field of partner is
	 * filled in (the defaults written out), but instance, role and
	 * sw_version, which are the daemon's to set at start.
	 */
	bool has_partner;
	bool has_node_id;		/* node-id given; else from the DUID */
	struct lgd_partner_conf partner;
};

void lgd_conf_defaults(struct lgd_conf *c);
/*
 * Reads path into c (which holds the defaults, or what to override).
 * Returns 0, or -1 after logging "FILE:LINE: what is wrong" (c is then
 * half read: throw it away). A missing file is an error only if
 * must_exist.
 */
int lgd_conf_load(struct lgd_conf *c, const char *path, bool must_exist);
/* One setting, as a line of the file says it: NULL, or what is wrong. */
const char *lgd_conf_set(struct lgd_conf *c, const char *key,
			 const char *val);
/* One line (tokenized in place; *key: its first word, NULL if empty). */
const char *lgd_conf_line(struct lgd_conf *c, char *line, const char **key);
/* A log level by name (err, warning, notice, info, debug), or -1. */
int lgd_log_level_parse(const char *s);
/* "interface NAME KEY VALUE": NULL, or what is wrong. */
const char *lgd_conf_set_if(struct lgd_conf *c, const char *name,
			    const char *key, const char *val);
/* The settings of interface name: its own, or the "*" ones. */
const struct lgd_if_conf *lgd_conf_if(const struct lgd_conf *c,
				      const char *name);
/* "admin", "link-down"...: the names of enum lg_release_reason. */
const char *lgd_trigger_name(uint32_t reason);
/*
 * The relay's DUID: relay-id, else DUID-UUID (RFC 6355) of machine-id;
 * and, unless node-id is given, the partner's node id made from it (the
 * first 16 octets of its SHA-256). 0, or -1 after logging why.
 */
int lgd_conf_relay_id(struct lgd_conf *c);
/*
 * Whether two partner settings are the same (instance, role and
 * sw_version aside): a SIGHUP that changes them takes effect at the next
 * start. The key file is compared by its path, not its contents.
 */
bool lgd_partner_conf_equal(const struct lgd_partner_conf *a,
			    const struct lgd_partner_conf *b);
/* What the whole file says that no line can: NULL, or what is wrong. */
const char *lgd_conf_check(const struct lgd_conf *c);
/* "interface NAME role ...": whether leaseguardd sets the interface. */
static inline bool lgd_if_managed(const struct lgd_if_conf *ic)
{
	return ic->role != LGD_UNMANAGED;
}

/* log.c */
void lgd_log_init(int level, bool use_syslog);
void lgd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define lgd_err(...)	lgd_log(LOG_ERR, __VA_ARGS__)
#define lgd_warn(...)	lgd_log(LOG_WARNING, __VA_ARGS__)
#define lgd_notice(...)	lgd_log(LOG_NOTICE, __VA_ARGS__)
#define lgd_info(...)	lgd_log(LOG_INFO, __VA_ARGS__)
#define lgd_debug(...)	lgd_log(LOG_DEBUG, __VA_ARGS__)

/* routes.c: the access routes of one binding, in rtnetlink. */
struct lgd_route {
	uint8_t dst[16];
	uint8_t plen;
	bool has_gw;
	uint8_t gw[16];			/* the client's link-local */
	uint32_t ifindex;
};

struct lgd_routes;

struct lgd_routes *lgd_routes_open(const struct lgd_conf *c);
void lgd_routes_close(struct lgd_routes *r);
/*
 * Adds (never replacing a route that is not ours) or deletes n routes, as
 * few sendmsg() as fit, every ACK checked. Returns how many failed (each
 * one logged), or -errno if the socket failed.
 */
int lgd_routes_change(struct lgd_routes *r, const struct lgd_route *v,
		      size_t n, bool add);
/* Our routes (our protocol, our table), into a malloc'ed array. */
int lgd_routes_dump(struct lgd_routes *r, struct lgd_route **v, size_t *n);
int lgd_route_cmp(const struct lgd_route *a, const struct lgd_route *b);
const char *lgd_route_str(const struct lgd_route *rt, char *buf,
			  size_t len);

/* timer.c: deadlines in CLOCK_MONOTONIC milliseconds, in a min-heap. */
struct lgd_timer {
	uint64_t when;
	size_t slot;			/* in the heap, +1; 0: not armed */
	void (*fire)(struct lgd_timer *t);
};

/* clock.c: CLOCK_MONOTONIC, in ms. */
uint64_t lgd_now_ms(void);
void lgd_timer_arm(struct lgd_timer *t, uint64_t when);
void lgd_timer_stop(struct lgd_timer *t);
/* Fires every timer that is due; returns ms to the next one, or -1. */
int lgd_timers_run(void);

/*
 * The daemon's copy of one kernel binding (main.c), with what the
 * daemon hangs on it: its routes and its release.
 */
struct lgd_lease {
	uint8_t addr[16];
	uint8_t plen;
};

struct lgd_client;
struct lgd_req;
struct lgd_neigh;

struct lgd_binding {
	uint64_t id;
	uint32_t ifindex;
	uint32_t iaid;
	uint8_t ia_type;		/* enum lg_ia_type */
	uint8_t state;			/* enum lg_binding_state */
	uint8_t release_reason;		/* enum lg_release_reason */
	uint8_t n_leases;
	uint8_t server_duid_len;
	uint16_t ifid_len;
	bool has_server_addr, has_lladdr, has_mac;
	uint8_t server_addr[16];
	uint8_t lladdr[16];		/* the client's link-local */
	uint8_t mac[6];			/* and MAC: its anchor */
	/* Another client asked for it: where it moves if ours is gone. */
	bool probing, has_move, move_has_mac;
	uint8_t move_lladdr[16], move_mac[6];
	/* Its DUID bound on another interface: released if ours is gone. */
	bool away, away_has_mac;
	uint32_t away_ifindex;
	uint8_t away_lladdr[16], away_mac[6];
	uint8_t *server_duid, *ifid;
	struct lgd_lease *leases;
	size_t n_routes;
	struct lgd_route *routes;	/* installed, sorted */
	struct lgd_client *client;	/* its DUID */
	struct lgd_binding *client_next;
	struct lgd_neigh *neigh;	/* liveness of lladdr, if watched */
	struct lgd_req *req;		/* the RELEASE-REQUEST it is in */
	struct lgd_binding *queue_next;	/* waiting for the next request */
	bool queued;
	uint32_t sync_gen;		/* the last sync that saw it */
	/*
	 * Its last server transaction (LG_BINDING_A_REPLIED, CLOCK_REALTIME
	 * ms): a conflict with the failover partner goes to the newer.
	 */
	uint64_t replied;
	bool partner_deleted;		/* on the partner's word (failover.c) */
	/*
	 * Its release as the partner has it, as far as we know: what it told
	 * us, or what we sent it (failover.c). state_echo: we just asked the
	 * kernel for that state on the partner's word; its notification is
	 * not sent back.
	 */
	bool partner_releasing, state_echo;
};

/* All bindings of one client DUID (on any interface). */
struct lgd_client {
	uint8_t duid_len;
	uint8_t duid[LGD_DUID_MAX];
	struct lgd_binding *bindings;
};

struct lg_nl;

/*
 * What the daemon's parts (release.c, watch.c, mcast.c, querier.c) get
 * from main.c, passed in at open: the settings, the request socket, and
 * narrow callbacks into main.c's copies of the bindings, rather than
 * main.c's globals. A unit test fills one in with its own
 * (selftests/unit/lgd_release_test.c drives release.c with no event loop).
 */
struct lgd_ctx {
	const struct lgd_conf *conf;	/* the current settings */
	struct lg_nl *nl;		/* requests; has joined no group */
	struct lgd_store *store;	/* store.h; NULL: "store off" */
	void *priv;			/* the callbacks' (main.c: struct lgd) */
	/* The daemon's copy of binding id, or NULL. */
	struct lgd_binding *(*binding_find)(void *priv, uint64_t id);
	/* The name of an interface into buf (IF_NAMESIZE), or "ifN". */
	const char *(*ifname)(void *priv, uint32_t ifindex, char *buf);
	/*
	 * cmd (LG_CMD_BINDING_DEL or LG_CMD_BINDING_RELEASE) of the n
	 * bindings ids, as lg_binding_batch() does it.
	 */
	int (*binding_batch)(void *priv, uint8_t cmd, const uint64_t *ids,
			     size_t n, uint32_t reason, bool cancel,
			     size_t *n_failed);
	/*
	 * The client at binding id's anchor answered a probe
	 * (lgd_watch_probe), or did not: the move to the other anchor, or
	 * the release of a binding its DUID left behind on another
	 * interface, goes ahead or not.
	 */
	void (*anchor_verdict)(void *priv, uint64_t id, bool answered);
	/* An interface appeared or got a new name (may be NULL). */
	void (*link_new)(void *priv, uint32_t ifindex, const char *name);
	/*
	 * Reads the binding events that wait, as the loop would: between
	 * the batches of a long restore, whose notifications would overrun
	 * the socket. NULL: not now.
	 */
	void (*read_events)(void *priv);
	/* The failover pair (failover.c). The binding of key's key, or NULL. */
	struct lgd_binding *(*binding_by_key)(void *priv,
					      const struct lg_binding *key);
	/* A binding the kernel just made or changed, into the copies. */
	void (*binding_learn)(void *priv, const struct lg_binding *lb);
	/* The router became the MASTER, or stopped being it. */
	void (*role_changed)(void *priv);
};

static inline struct lgd_binding *lgd_binding_find(const struct lgd_ctx *x,
						   uint64_t id)
{
	return x->binding_find(x->priv, id);
}

static inline const char *lgd_ifname(const struct lgd_ctx *x,
				     uint32_t ifindex, char *buf)
{
	return x->ifname(x->priv, ifindex, buf);
}

/* A binding's interface settings. */
static inline const struct lgd_if_conf *
lgd_binding_if(const struct lgd_ctx *x, const struct lgd_binding *b)
{
	char buf[IF_NAMESIZE];

	return lgd_conf_if(x->conf, lgd_ifname(x, b->ifindex, buf));
}

/* Asks the kernel to release these bindings (LG_CMD_BINDING_RELEASE). */
void lgd_release_ids(const struct lgd_ctx *x, const uint64_t *ids, size_t n,
		     uint32_t reason);

/* release.c: the RELEASE-REQUEST exchange with the server. */
struct lgd_release;

struct lgd_release_stats {
	uint64_t requests;		/* messages sent first time */
	uint64_t retransmissions;
	uint64_t replies;		/* accepted */
	uint64_t discarded_parse;	/* dr_parse() refused it */
	uint64_t discarded_xid;		/* no outstanding request has it */
	uint64_t discarded_no_status;	/* no top-level Status Code */
	uint64_t discarded_server;	/* another Server Identifier */
	uint64_t released;		/* bindings: Success or NoBinding */
	uint64_t nobinding;		/* of those, NoBinding */
	uint64_t refused;		/* bindings: another status */
	uint64_t timed_out;		/* bindings: no reply after MRC */
	uint64_t unsendable;		/* bindings: no server known */
	uint64_t alternate;		/* requests to a fallback server */
	uint64_t alternate_replies;	/* replies accepted from one */
	uint64_t discarded_source;	/* from another than the alternate */
};

struct lgd_release *lgd_release_open(const struct lgd_ctx *x);
void lgd_release_close(struct lgd_release *r);
int lgd_release_fd(const struct lgd_release *r);
/* Requests waiting for a reply. */
size_t lgd_release_pending(const struct lgd_release *r);
/* The raw socket is readable. */
void lgd_release_input(struct lgd_release *r);
/* b is releasing: it goes into the next request (lgd_release_flush). */
void lgd_release_queue(struct lgd_release *r, struct lgd_binding *b);
/* b is gone or bound again: forget it. */
void lgd_release_forget(struct lgd_release *r, struct lgd_binding *b);
/* Sends what was queued, batched per server. */
void lgd_release_flush(struct lgd_release *r);
/* Which message types: from the kernel's configuration. */
void lgd_release_types(struct lgd_release *r, uint8_t request,
		       uint8_t reply);
/*
 * No longer the MASTER: requests in flight and queued stop, their bindings
 * stay releasing for the new MASTER to send.
 */
void lgd_release_stand_down(struct lgd_release *r);
/* "lgctl release show": one line per request and per binding in it. */
void lgd_release_show(struct lgd_release *r, FILE *f);
/* The control socket's "outcome since=MS ID...": how each release ended. */
void lgd_release_outcomes(struct lgd_release *r, FILE *f, char *args);

/* watch.c: liveness triggers (link down, client unreachable). */
struct lgd_watch;

struct lgd_watch *lgd_watch_open(const struct lgd_ctx *x);
void lgd_watch_close(struct lgd_watch *w);
int lgd_watch_fd(const struct lgd_watch *w);
void lgd_watch_input(struct lgd_watch *w);
/* Settings changed: re-evaluates every interface. */
void lgd_watch_reconfigure(struct lgd_watch *w);
/* b's client link-local is watched if its interface wants it. */
void lgd_watch_binding(struct lgd_watch *w, struct lgd_binding *b);
void lgd_watch_unbind(struct lgd_watch *w, struct lgd_binding *b);
/*
 * RFC 7513's address-conflict detection: does the client at addr (with
 * mac, if not NULL) on ifindex still answer unicast Neighbor
 * Solicitations? The context's anchor_verdict(id) says, after a few seconds; at
 * once "no" if ifindex is not running (nobody can answer there).
 */
void lgd_watch_probe(struct lgd_watch *w, uint64_t id, uint32_t ifindex,
		     const uint8_t *addr, const uint8_t *mac);
/* The name of an interface, as rtnetlink last said; NULL if unknown. */
const char *lgd_watch_ifname(struct lgd_watch *w, uint32_t ifindex);

/* family.c: the life of the generic netlink family (see there). */
enum lgd_family_state {
	LGD_FAMILY_ABSENT,		/* not seen since the start */
	LGD_FAMILY_UP,
	LGD_FAMILY_GONE,		/* went away: routes kept for the grace */
};

struct lgd_family_ops {
	/* Resolve, resubscribe, apply, restore, reconcile: 0 or -errno. */
	int (*up)(void *priv);
	/* Gone: no more requests on its ID. */
	void (*down)(void *priv);
	/* Not back within family-grace: our routes go. */
	void (*expired)(void *priv);
};

struct lgd_family;

struct lgd_family *lgd_family_open(const struct lgd_conf *conf,
				   const struct lgd_family_ops *ops,
				   void *priv);
void lgd_family_close(struct lgd_family *f);
/*
 * Looks the family up: up() now, or waits for it (loudly). -1: it is
 * there but up() failed (at start, that is fatal).
 */
int lgd_family_start(struct lgd_family *f);
int lgd_family_fd(const struct lgd_family *f);
void lgd_family_input(struct lgd_family *f);
enum lgd_family_state lgd_family_state(const struct lgd_family *f);
const char *lgd_family_state_name(enum lgd_family_state s);
/* The control socket's "status": "family state=up|gone|absent ...". */
void lgd_family_show(const struct lgd_family *f, FILE *out);

/* genl.c: the family's ID again (0, or -LG_NL_ENOFAMILY). */
struct lg_nl;
int lg_nl_resolve(struct lg_nl *nl);

/* declare.c: the kernel configuration leaseguardd.conf declares. */
struct lgd_decl;
struct nlmsghdr;

struct lgd_decl *lgd_decl_open(const struct lgd_ctx *x);
void lgd_decl_close(struct lgd_decl *dc);
/*
 * Makes the kernel's configuration what the file declares (at start,
 * SIGHUP, the family's return); returns how many settings failed.
 */
int lgd_decl_apply(struct lgd_decl *dc);
/* The family is gone: nothing is applied any more. */
void lgd_decl_gone(struct lgd_decl *dc);
/* An interface appeared or was renamed (rtnetlink): apply it if declared. */
void lgd_decl_link(struct lgd_decl *dc, uint32_t ifindex, const char *name);
/* LG_CMD_LINK_NTF, LG_CMD_LINK_DEL_NTF, LG_CMD_MCAST_NTF: drift? */
void lgd_decl_event(struct lgd_decl *dc, const struct nlmsghdr *nlh);
/* The control socket's "status": "config state=..." and a line per interface. */
void lgd_decl_show(const struct lgd_decl *dc, FILE *out);
/* ifindex's role in the kernel (LINK_GET): LG_ROLE_NONE if none or unknown. */
uint32_t lgd_link_role(struct lg_nl *nl, uint32_t ifindex);

/*
 * control.c: the UNIX socket "lgctl release show" and "lgctl mcast proxy"
 * talk to.
 */
struct lgd_control;
struct lgd_mcast;
struct lgd_store;

struct lgd_control *lgd_control_open(const char *path);
void lgd_control_close(struct lgd_control *c);
int lgd_control_fd(const struct lgd_control *c);
/* A client connected: answers its one command. */
void lgd_control_input(struct lgd_control *c, struct lgd_release *r,
		       struct lgd_mcast *m, struct lgd_store *s);
/* "status": after the store's line, show(priv, f) writes the daemon's state. */
void lgd_control_on_status(struct lgd_control *c,
			   void (*show)(void *priv, FILE *f), void *priv);
/*
 * "partner": show(priv, f) writes ours, one line "local role=ROLE"
 * (master, backup, fault, stop or unknown: the last "role" taken), then
 * lgd_partner_show(). Never registered (no partner configured): the
 * answer is "partner state=none", which lgctl says as "no partner
 * configured".
 */
void lgd_control_on_partner(struct lgd_control *c,
			    void (*show)(void *priv, FILE *f), void *priv);
/*
 * "role STATE" (keepalived's notify: master, backup, fault, stop), from
 * root or the daemon's own uid only; an unknown state is refused before
 * role() is called. role() returns 0 (taken; control.c answers "role
 * state=STATE") or -EINVAL, best after writing "error WHY" to f (else
 * control.c writes a generic refusal). Never registered: "partner
 * state=none".
 */
void lgd_control_on_role(struct lgd_control *c,
			 int (*role)(void *priv, const char *state, FILE *f),
			 void *priv);

/*
 * recover.c: a binding the router lost, recovered on demand (RFC 7513
 * section 7) with an RFC 5007 LEASEQUERY to the servers.
 */
struct lgd_recover;
struct lg_binding;

struct lgd_recover_stats {
	uint64_t events;		/* LG_CMD_SAVI_MISS_NTF received */
	uint64_t queries;		/* LEASEQUERYs started (one per source) */
	uint64_t sent;			/* messages sent, retransmissions too */
	uint64_t answers;		/* replies accepted */
	uint64_t restored;		/* bindings made (LG_CMD_BINDING_NEW) */
	uint64_t exists;		/* of those, EEXIST: snooping was first */
	uint64_t refused;		/* sources answered "no binding here" */
	uint64_t timed_out;		/* sources no server answered */
	uint64_t rate_limited;		/* events over recover-rate */
	uint64_t negative_cached;	/* events of a cached negative answer */
	uint64_t in_flight;		/* events of a source being asked */
	uint64_t discarded;		/* replies not parsed or not ours */
	uint64_t errors;		/* no server, no link address, a send
					   or BINDING_NEW failed */
};

/*
 * Not fatal when NULL (no socket): main.c then ignores the events.
 * The control socket's "status" gets a "recover ..." line from
 * lgd_recover_status() once lgd_control_recover() told it of r.
 */
struct lgd_recover *lgd_recover_open(const struct lgd_ctx *x);
void lgd_recover_close(struct lgd_recover *r);
int lgd_recover_fd(const struct lgd_recover *r);
void lgd_recover_input(struct lgd_recover *r);
/* LG_CMD_SAVI_MISS_NTF: src (with its mac, or NULL) on ifindex. */
void lgd_recover_miss(struct lgd_recover *r, uint32_t ifindex,
		      const uint8_t *src, const uint8_t *mac);
/* A binding the kernel has: its server is learned, its leases not missing. */
void lgd_recover_learn(struct lgd_recover *r, const struct lg_binding *lb);
void lgd_recover_get_stats(const struct lgd_recover *r,
			   struct lgd_recover_stats *st);
void lgd_recover_status(const struct lgd_recover *r, FILE *f);
void lgd_control_recover(struct lgd_control *c, struct lgd_recover *r);

/*
 * failover.c: the router pair (Documentation/failover.rst). NULL f: no
 * partner, the router acts alone (always active).
 */
struct lgd_failover;

struct lgd_failover *lgd_failover_open(const struct lgd_ctx *x);
void lgd_failover_close(struct lgd_failover *f);
/* The partner link started (the module is there) or stopped: 0 or -1. */
int lgd_failover_link(struct lgd_failover *f, bool up);
/* The link's descriptor, -1 while it is stopped. */
int lgd_failover_fd(const struct lgd_failover *f);
void lgd_failover_input(struct lgd_failover *f);
/*
 * A binding notification (b: our copy, if any, after it: what the partner
 * knows of its state is kept there), for the partner.
 */
void lgd_failover_event(struct lgd_failover *f, uint8_t cmd,
			const struct lg_binding *lb, struct lgd_binding *b);
/*
 * Whether this router routes its subscribers and sends releases: alone,
 * or the MASTER of a pair.
 */
/*
 * Binding events were lost (the sync that follows makes our copies whole):
 * the changes among them were never queued for the partner, so it gets
 * the whole table (a bulk).
 */
void lgd_failover_resync(struct lgd_failover *f);
bool lgd_failover_active(const struct lgd_failover *f);
/* keepalived's state (master, backup, fault, stop): 0 or -EINVAL. */
int lgd_failover_set_role(struct lgd_failover *f, const char *state);
/* The control socket's "partner" (priv: f). */
void lgd_failover_show(void *priv, FILE *out);

#endif /* LGD_H */
