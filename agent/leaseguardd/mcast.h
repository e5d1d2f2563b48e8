/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leaseguardd's IGMP/MLD proxy (RFC 4605): the kernel's per-access-
 * interface group state merged on the upstream interface (mcast.c), the
 * kernel's multicast routing programmed from it (mroute.c), and the
 * queries on the access interfaces (querier.c).
 *
 * Families are indexed fi: 0 is IGMP (AF_INET), 1 is MLD (AF_INET6).
 * Addresses are 16 octets for both; an IPv4 one fills the first 4, the
 * rest is 0, so that memcmp() orders both the same way as the kernel.
 */
#ifndef LGD_MCAST_H
#define LGD_MCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>

#define LGD_MC_IGMP		0
#define LGD_MC_MLD		1
#define LGD_MC_FAMILIES		2

#define lgd_mc_af(fi)		((fi) == LGD_MC_MLD ? AF_INET6 : AF_INET)
#define lgd_mc_alen(fi)		((fi) == LGD_MC_MLD ? 16u : 4u)
#define lgd_mc_name(fi)		((fi) == LGD_MC_MLD ? "MLD" : "IGMP")

struct lgd_mc_addr {
	uint8_t a[16];
};

/* One family's proxy configuration, as the kernel has it (LG_A_MCAST). */
struct lgd_mc_conf {
	bool known;			/* the kernel told us */
	bool enable;
	uint32_t upstream;		/* ifindex, 0: none */
	char upstream_name[IF_NAMESIZE];
	uint8_t version;		/* IGMP 1..3, MLD 1..2 */
	uint32_t robustness;
	uint32_t query_interval;	/* s */
	uint32_t query_response_interval; /* ms */
	uint32_t last_member_interval;	/* ms */
	uint32_t last_member_count;
	uint32_t max_groups;		/* per access interface */
	uint32_t max_sources;		/* per group */
};

/* Whether the family's version has sources (IGMPv3, MLDv2). */
static inline bool lgd_mc_v3(int fi, uint8_t version)
{
	return fi == LGD_MC_MLD ? version >= 2 : version >= 3;
}

/* mcast.c: the mirror of the kernel's state, the proxy, the glue. */
struct lgd_ctx;
struct lgd_mcast;

/*
 * Subscribes to the "mcast" and "config" groups, dumps, joins upstream
 * and starts the queriers, in the role given (lgd_mcast_set_active()).
 * NULL if the module has no IGMP/MLD proxy (logged; the rest of
 * leaseguardd works without it) or on error.
 */
struct lgd_mcast *lgd_mcast_open(const struct lgd_ctx *x, bool active);
/*
 * The router's role in a pair. Active (the MASTER, or alone) queries the
 * access interfaces and forwards onto them. Passive (the BACKUP) sends no
 * query and forwards nothing downstream, but keeps its state and its
 * upstream memberships: a takeover puts every (S,G) entry's access
 * interfaces back at once and sends the startup queries.
 */
void lgd_mcast_set_active(struct lgd_mcast *m, bool active);
/* Leaves every group, stops routing multicast, frees everything. */
void lgd_mcast_close(struct lgd_mcast *m);
/* One descriptor (an epoll set of the proxy's sockets) to poll. */
int lgd_mcast_fd(const struct lgd_mcast *m);
/* lgd_mcast_fd() is readable: events, upcalls. */
void lgd_mcast_input(struct lgd_mcast *m);
/* Dumps the kernel's state again and applies what differs. */
void lgd_mcast_resync(struct lgd_mcast *m);
/*
 * For the control socket ("mcast"): a line per family,
 * "proxy family=igmp|mld key=value...", what the proxy holds (groups,
 * upstream memberships, sockets, vifs, MFC entries) and its counters.
 */
void lgd_mcast_show(const struct lgd_mcast *m, FILE *out);

/* One access interface's state of a group, as LG_A_MC_GROUP says it. */
struct lgd_mc_src {
	struct lgd_mc_addr addr;
	bool fwd;			/* LG_MC_SOURCE_A_FORWARD */
};

struct lgd_mc_state {
	uint8_t mode;			/* enum lg_mc_filter_mode */
	size_t n_src;
	const struct lgd_mc_src *src;	/* sorted by addr */
};

/* Whether state s wants traffic from src (RFC 3376 section 6.3). */
bool lgd_mc_wants(const struct lgd_mc_state *s, const struct lgd_mc_addr *src);
/*
 * RFC 3376 section 3.2 merge of n interface states into the upstream
 * one: EXCLUDE of the sources no state wants if any state is EXCLUDE,
 * else INCLUDE of those some state wants. *list (sorted, malloc'ed, NULL
 * when empty) and *n. Returns 0 or -ENOMEM.
 */
int lgd_mc_merge(const struct lgd_mc_state *v, size_t n, uint8_t *mode,
		 struct lgd_mc_addr **list, size_t *n_list);

/* mroute.c: the kernel's multicast routing (ipmr, ip6mr). */
#define LGD_MROUTE_MAX_VIFS	32	/* MAXVIFS, MAXMIFS */

struct lgd_mroute;

struct lgd_mc_upcall {
	int vif;			/* where the packet came in */
	struct lgd_mc_addr src, grp;
};

/*
 * The family's multicast routing socket (MRT_INIT / MRT6_INIT), or NULL
 * and *err: -EADDRINUSE when another multicast router holds it.
 */
struct lgd_mroute *lgd_mroute_open(int fi, int *err);
/* MRT_DONE: the kernel flushes our vifs and entries. */
void lgd_mroute_close(struct lgd_mroute *mr);
int lgd_mroute_fd(const struct lgd_mroute *mr);
/*
 * The vif of ifindex: found, or added if create. Returns the vif, or
 * -ENOENT (none, create false), -ENOSPC (all LGD_MROUTE_MAX_VIFS taken)
 * or the -errno of MRT_ADD_VIF.
 */
int lgd_mroute_vif(struct lgd_mroute *mr, uint32_t ifindex, bool create);
void lgd_mroute_vif_del(struct lgd_mroute *mr, uint32_t ifindex);
/* The interfaces that have a vif, into v[LGD_MROUTE_MAX_VIFS]. */
size_t lgd_mroute_vifs(const struct lgd_mroute *mr, uint32_t *v);
/* Adds or replaces (S,G): in on vif iif, out on the vifs of bits oifs. */
int lgd_mroute_mfc_add(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
		       const struct lgd_mc_addr *grp, int iif, uint32_t oifs);
int lgd_mroute_mfc_del(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
		       const struct lgd_mc_addr *grp, int iif);
/* Packets (S,G) forwarded so far (SIOCGETSGCNT). */
int lgd_mroute_sg_count(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
			const struct lgd_mc_addr *grp, uint64_t *pkts);
/*
 * Reads one message: 1 and *u for a NOCACHE upcall, 0 for anything else
 * (an IGMP packet, another upcall), or -errno (-EAGAIN: nothing left).
 */
int lgd_mroute_read(struct lgd_mroute *mr, struct lgd_mc_upcall *u);

/* querier.c: General and Group(-and-Source)-Specific Queries. */
struct lgd_querier;

/* The families' settings, which it reads as they change: they outlive it. */
struct lgd_querier *lgd_querier_open(const struct lgd_ctx *x,
				     const struct lgd_mc_conf *igmp,
				     const struct lgd_mc_conf *mld);
void lgd_querier_close(struct lgd_querier *q);
/*
 * Queries on ifindex for family fi, on (the startup queries first) or
 * off (nothing pending is sent).
 */
void lgd_querier_set(struct lgd_querier *q, int fi, uint32_t ifindex,
		     bool on);
/*
 * Queries sent, failed to send, and kept back by a passive router, on the
 * family's interfaces so far.
 */
void lgd_querier_counts(const struct lgd_querier *q, int fi, uint64_t *sent,
			uint64_t *failed, uint64_t *held);
/*
 * The router's role in a pair: active (the MASTER, or alone; the default)
 * sends queries, passive sends none and keeps its state. Going active
 * restarts every interface with its startup queries, the first at once;
 * going passive stops them at once.
 */
void lgd_querier_set_active(struct lgd_querier *q, bool active);
bool lgd_querier_active(const struct lgd_querier *q);
/* The family's configuration changed: intervals apply from now on. */
void lgd_querier_reconf(struct lgd_querier *q, int fi);
/*
 * LG_CMD_MC_QUERY_NTF: LAST_MEMBER_COUNT queries for grp (n_src 0) or for
 * its sources src[0..n_src), LAST_MEMBER_INTERVAL apart.
 */
void lgd_querier_request(struct lgd_querier *q, int fi, uint32_t ifindex,
			 const struct lgd_mc_addr *grp,
			 const struct lgd_mc_addr *src, size_t n_src);

/* The codes of RFC 3376 4.1.1/4.1.7 (8 bits) and RFC 3810 5.1.3 (16). */
uint8_t lgd_igmp_code(uint32_t v);
uint32_t lgd_igmp_code_value(uint8_t code);
uint16_t lgd_mld_code(uint32_t v);
uint32_t lgd_mld_code_value(uint16_t code);

/*
 * One query of the given version into buf (len octets): general (grp
 * NULL), group-specific (n_src 0) or group-and-source-specific. mrt_ms:
 * the maximum response time. IGMP checksums are computed; MLD ones are
 * left 0 (the kernel fills them). Returns the length, or 0 if it does
 * not fit or the version has no such query.
 */
size_t lgd_igmp_query(uint8_t *buf, size_t len, uint8_t version,
		      const struct lgd_mc_conf *c, uint32_t mrt_ms,
		      const struct lgd_mc_addr *grp,
		      const struct lgd_mc_addr *src, size_t n_src);
size_t lgd_mld_query(uint8_t *buf, size_t len, uint8_t version,
		     const struct lgd_mc_conf *c, uint32_t mrt_ms,
		     const struct lgd_mc_addr *grp,
		     const struct lgd_mc_addr *src, size_t n_src);

#endif /* LGD_MCAST_H */
