/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The router side of IGMPv3 (RFC 3376 section 6) and MLDv2 (RFC 3810
 * section 7) for one group on one interface, in plain C: the same file
 * builds into leaseguard.ko and userspace unit tests.
 *
 * A state is a filter mode, a group timer and a sorted source list; every
 * function here is pure: it reads a state and writes the next one into
 * memory the caller gives (sources included), so that the kernel can
 * publish whole states to lockless readers and a test can check each row
 * of the RFC's tables. Times are milliseconds of a monotonic clock the
 * caller reads (@now); a timer is the time it expires, 0 when it is not
 * running.
 *
 * In EXCLUDE mode the RFC's two lists share the source array: sources
 * whose timer runs are the Requested list (X), sources whose timer is 0
 * the Exclude list (Y). In INCLUDE mode every source's timer runs.
 */
#ifndef _LG_MCAST_STATE_H
#define _LG_MCAST_STATE_H

#include "mcast_parse.h"

#ifndef __KERNEL__
typedef unsigned long long u64;
#endif

enum mc_filter_mode {
	MC_MODE_INCLUDE = 1,
	MC_MODE_EXCLUDE = 2,
};

struct mc_source {
	u8 addr[MC_ADDR_LEN];
	u64 timer;		/* expiry; 0: not running (EXCLUDE: list Y) */
	u64 created;		/* when it joined this state: its up-time */
};

struct mc_state {
	u8 family;		/* enum mc_family */
	u8 mode;		/* enum mc_filter_mode */
	u8 compat;		/* version in force: lowest heard recently */
	u64 group_timer;	/* EXCLUDE only; 0 in INCLUDE */
	/* Older Version Host Present timers (RFC 3376 7.3.2), 0: none. */
	u64 v1_host_timer;
	u64 v2_host_timer;	/* IGMP only */
	u64 created;		/* up-time of the group */
	u16 n_sources;
	struct mc_source *sources;	/* sorted by addr (memcmp) */
};

/* The protocol's timer values, from the querier's configuration. */
struct mc_params {
	u8 max_version;		/* the querier's: IGMP 1..3, MLD 1..2 */
	u32 gmi;		/* Group Membership Interval: RV*QI + QRI */
	u32 lmqt;		/* Last Member Query Time: LMQC*LMQI */
	u32 ohpt;		/* Older Host Present Timeout: RV*QI + QRI */
	/*
	 * Per group: a record that would go beyond is refused whole. A state
	 * already beyond (the limit was lowered) is kept: a record may
	 * refresh or shrink it, not make it larger.
	 */
	u16 max_sources;
};

/*
 * The queries a record asks the querier for (the tables' "Send Q(G)" and
 * "Send Q(G,A)"). The state the call writes has already lowered the timers
 * as RFC 3376 section 6.6.3 says; sending them is the querier's job.
 */
struct mc_query {
	bool group;		/* Q(G) */
	u16 n_sources;		/* Q(G,A): A, sorted */
	u8 (*sources)[MC_ADDR_LEN];	/* capacity: as @out's sources */
};

enum mc_apply_res {
	MC_APPLY_CHANGED,	/* mode or source list changed */
	MC_APPLY_TIMERS,	/* only timers (or compat) changed */
	MC_APPLY_IGNORED,	/* nothing to do (e.g. BLOCK in v2 compat) */
	MC_APPLY_LIMITED,	/* refused: too many sources; @out untouched */
};

/* No state yet: INCLUDE({}) of @family, created @now. */
void mc_state_init(struct mc_state *s, u8 family, u64 now);

/*
 * One record heard in a message of version @msg_version (1..3 IGMP,
 * 1..2 MLD) applied to @old: writes the next state to @out, whose
 * sources must hold the larger of params->max_sources and
 * old->n_sources, and the queries to send to @q
 * (may be NULL). @old and @out must not share sources.
 */
enum mc_apply_res mc_state_apply(const struct mc_state *old,
				 const struct mc_record *rec,
				 const struct mc_msg *m, u8 msg_version,
				 u64 now, const struct mc_params *p,
				 struct mc_state *out, struct mc_query *q);

/*
 * Timers that have run out by @now (RFC 3376 section 6.5 and 6.2.2):
 * writes the next state to @out (capacity: old->n_sources) and returns
 * whether the mode or the source list changed.
 */
bool mc_state_expire(const struct mc_state *old, u64 now,
		     const struct mc_params *p, struct mc_state *out);

/* INCLUDE({}): the group is gone from the interface. */
bool mc_state_empty(const struct mc_state *s);

/* The earliest running timer of @s, 0 if none runs. */
u64 mc_state_next_timer(const struct mc_state *s);

/*
 * Whether traffic from @src to the group is wanted (RFC 3376 section 6.3):
 * INCLUDE lists it, or EXCLUDE does not have it in Y.
 */
bool mc_state_forwards(const struct mc_state *s, const u8 src[MC_ADDR_LEN]);

/* Index of @addr in the sorted sources, or -1. */
int mc_state_find(const struct mc_state *s, const u8 addr[MC_ADDR_LEN]);

#endif /* _LG_MCAST_STATE_H */
