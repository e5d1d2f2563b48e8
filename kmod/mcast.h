/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LG_MCAST_H
#define _LG_MCAST_H

#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "mcast_state.h"

struct lg_net;
struct lg_link;
struct sk_buff;
struct netlink_ext_ack;

#define LG_MC_IGMP		0	/* index of a family in lg_mcast.cfg[] */
#define LG_MC_MLD		1

/* One family's proxy configuration (LG_MCAST_A_*); read locklessly. */
struct lg_mc_cfg {
	bool enable;
	int upstream;			/* ifindex, 0: none */
	u8 version;
	u32 robustness;
	u32 query_interval;		/* s */
	u32 query_response_interval;	/* ms */
	u32 last_member_interval;	/* ms */
	u32 last_member_count;
	u32 max_groups;			/* per access interface */
	u32 max_sources;		/* per group */
	u32 max_groups_host;		/* per host on an access interface */
	u32 ns_max_groups;		/* in the namespace */
	u32 ns_max_sources;		/* of all groups in the namespace */
};

/* Per namespace. */
struct lg_mcast {
	struct lg_mc_cfg cfg[2];	/* written under RTNL */
	/*
	 * Changes of group state: packets, timers and netlink. BH-safe: the
	 * snooping hooks and the timers run in softirq context.
	 */
	spinlock_t lock;
	struct rhashtable groups;	/* lg_mc_group by key: the data path */
	struct rb_root tree;		/* the same, in key order: dumps, flush */
	u32 gen;			/* bumped as groups come and go */
	u32 n_groups[2];
	u32 n_sources[2];		/* of all groups' states */
	struct rhashtable hosts;	/* lg_mc_host by key: their groups */
	/* The next state is built here, under the lock, then copied out. */
	struct mc_source *scratch;
	u8 (*query_scratch)[MC_ADDR_LEN];
};

/* A group on an access interface, found by (interface, address). */
struct lg_mc_key {
	u8 group[MC_ADDR_LEN];		/* IPv4-mapped for IGMP */
	int ifindex;
};

/*
 * Who reports from an access interface: its Ethernet source address, or
 * the IP source where the interface has none (addr: MAC, zero-padded).
 */
struct lg_mc_host_key {
	u8 addr[MC_ADDR_LEN];
	int ifindex;
};

/* A host with groups it created; under the lock only. */
struct lg_mc_host {
	struct rhash_head node;
	struct lg_mc_host_key key;
	u32 n_groups[2];		/* by lg_mc_fi() */
	struct rcu_head rcu;
};

/* A state as readers see it: replaced whole, freed after a grace period. */
struct lg_mc_snap {
	struct rcu_head rcu;
	struct mc_state s;
	struct mc_source sources[];
};

struct lg_mc_group {
	struct rhash_head node;		/* lg_mcast.groups */
	struct rb_node rb;		/* lg_mcast.tree */
	struct lg_mc_key key;
	struct lg_mc_snap __rcu *snap;
	struct timer_list timer;	/* the state's earliest timer */
	struct lg_net *ln;		/* for the timer */
	struct lg_mc_host *host;	/* whose report created it */
	bool dead;			/* unhashed: the timer must not rearm */
	struct rcu_head rcu;
};

static inline int lg_mc_family(const struct lg_mc_group *g)
{
	return mc_addr_is_v4(g->key.group) ? AF_INET : AF_INET6;
}

int lg_mcast_init(struct lg_net *ln);
void lg_mcast_destroy(struct lg_net *ln);

unsigned int lg_mcast_rx4(struct lg_net *ln, struct lg_link *link,
			  struct sk_buff *skb);
unsigned int lg_mcast_rx6(struct lg_net *ln, struct lg_link *link,
			  struct sk_buff *skb);
unsigned int lg_mcast_forward(struct lg_net *ln, struct lg_link *out,
			      struct sk_buff *skb, int family);
bool lg_mcast_enabled(const struct lg_net *ln, int family);
bool lg_mcast_is_upstream(const struct lg_net *ln, int ifindex);

/* The interface is no longer an access interface (or gone). */
void lg_mcast_flush_link(struct lg_net *ln, int ifindex);
/* A device is unregistered: it may have been an upstream interface. */
void lg_mcast_netdev_gone(struct lg_net *ln, int ifindex);

/* Configuration; RTNL held. @cfg is the whole new value. */
int lg_mcast_set(struct lg_net *ln, int family, const struct lg_mc_cfg *cfg,
		 struct netlink_ext_ack *extack);

/* For netlink (mcast_nl.c): walks under the lock. */
struct lg_mc_group *lg_mcast_lookup(struct lg_net *ln, int ifindex,
				    const u8 group[MC_ADDR_LEN]);
struct lg_mc_group *lg_mcast_first_after(struct lg_net *ln,
					 const struct lg_mc_key *key,
					 bool inclusive);
u64 lg_mcast_now(void);

/* mcast_nl.c */
int lg_nl_mc_group_put(struct sk_buff *skb, struct lg_net *ln,
		       const struct lg_mc_group *g, u64 now, u8 reason);
size_t lg_nl_mc_group_size(unsigned int n_sources);
void lg_nl_notify_mc_group(struct lg_net *ln, const struct lg_mc_group *g,
			   u8 cmd, u8 reason);
void lg_nl_notify_mc_query(struct lg_net *ln, const struct lg_mc_group *g,
			   const struct mc_query *q, bool sources);
void lg_nl_notify_mcast(struct lg_net *ln, int family);

#endif /* _LG_MCAST_H */
