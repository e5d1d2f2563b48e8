/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LG_LEASEGUARD_H
#define _LG_LEASEGUARD_H

#include <linux/memcontrol.h>
#include <linux/netdevice.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/leaseguard.h>

#include "binding.h"
#include "counters.h"
#include "ip6_chain.h"
#include "mcast.h"
#include "savi_miss.h"

/* An interface that has a leaseguard configuration (role other than none). */
struct lg_link {
	int ifindex;
	u8 role;			/* enum lg_role; read locklessly */
	u32 max_bindings;		/* LG_LINK_A_MAX_BINDINGS */
	u32 n_bindings;			/* under bindings.lock */
	/* Guaranteed share of bindings.max (lg_links_reserve); same lock. */
	u32 reserve;
	/* Prefix lengths of the leases here: a lookup probes only these. */
	u32 plen_refs[LG_PLENS];	/* under bindings.lock */
	DECLARE_BITMAP(plens, LG_PLENS);	/* read locklessly */

	/* Source validation (savi.c); the policy fields are read locklessly. */
	u8 savi_mode;			/* enum lg_savi_mode */
	u8 savi_anchor;			/* enum lg_savi_anchor */
	bool dhcp6_shield;
	bool release_trusted;
	/* Intermediate relay (relfwd.c), any role; read locklessly. */
	bool release_forward;
	u32 n_mc_groups[2];		/* by family; under mcast.lock */
	u32 n_static;			/* under RTNL */
	struct list_head statics;	/* lg_savi_entry.list; RTNL, RCU */
	u16 static_plen_refs[LG_PLENS];	/* under RTNL */
	DECLARE_BITMAP(static_plens, LG_PLENS);
	struct lg_miss_link miss;	/* LG_CMD_SAVI_MISS_NTF (savi_miss.c) */

	struct lg_counters __percpu *counters;	/* LG_LINK_STATS_A_* */
	struct rcu_head rcu;
};

/* Per network namespace state. */
struct lg_net {
	struct net *net;
	/*
	 * ifindex -> struct lg_link. Readers use RCU (the packet hooks, dumps);
	 * writers hold RTNL, which also orders them against the netdevice
	 * notifier that drops the configuration of a vanishing device.
	 */
	struct xarray links;
	u32 links_gen;			/* bumped on every change; dump seq */
	struct lg_counters __percpu *counters;	/* LG_STATS_A_* */
	struct lg_bindings bindings;
	struct rhashtable savi_statics;	/* lg_savi_entry by lg_lease_key */
	u8 release_request_type;	/* LG_CONFIG_A_RELEASE_*_TYPE */
	u8 release_reply_type;
	/*
	 * Links whose release_forward is off; written under RTNL. While it
	 * is 0, forwarded packets cost the forward hook one read.
	 */
	u32 n_release_refusing;
	struct lg_mcast mcast;		/* IGMP/MLD proxy (mcast.c) */
	struct lg_miss_net miss;	/* LG_CMD_SAVI_MISS_NTF's budget */
	/*
	 * Pays for what packets make the namespace keep; set once, under
	 * RTNL, and held till the namespace goes (lg_net_set_memcg()).
	 */
	struct mem_cgroup *memcg;
};

extern unsigned int lg_net_id;

static inline struct lg_net *lg_net(const struct net *net)
{
	return net_generic(net, lg_net_id);
}

/* main.c */
void lg_net_set_memcg(struct lg_net *ln);

/* fault.c: only a debug kernel has CONFIG_FAULT_INJECTION. */
#ifdef CONFIG_FAULT_INJECTION
bool lg_should_fail(void);
void lg_fault_init(void);
void lg_fault_exit(void);
#else
static inline bool lg_should_fail(void)
{
	return false;
}

static inline void lg_fault_init(void)
{
}

static inline void lg_fault_exit(void)
{
}
#endif

/*
 * What packets make a namespace keep (bindings, multicast groups, their
 * source lists and hosts) is charged to its memcg. Those allocations run
 * in softirq, in a worker, or in the task of whoever sent the packet, where
 * __GFP_ACCOUNT alone would charge nobody or a stranger: set_active_memcg()
 * names the cgroup (per CPU in softirq) for the allocations in between.
 * Two per-CPU accesses around each allocation, nothing per packet. Still
 * GFP_ATOMIC: the charge may go past memory.max rather than fail, and the
 * cgroup's own tasks then reclaim or meet its OOM killer, as for socket
 * buffers; the namespace's limits bound the total.
 */
static inline gfp_t lg_charge_begin(const struct lg_net *ln,
				    struct mem_cgroup **old)
{
	struct mem_cgroup *memcg = READ_ONCE(ln->memcg);

	*old = set_active_memcg(memcg);
	return memcg ? GFP_ATOMIC | __GFP_ACCOUNT : GFP_ATOMIC;
}

static inline void lg_charge_end(struct mem_cgroup *old)
{
	set_active_memcg(old);
}

/* kmalloc() of something a namespace keeps; @flags: 0 or __GFP_ZERO. */
static inline void *lg_kmalloc_kept(const struct lg_net *ln, size_t size,
				    gfp_t flags)
{
	struct mem_cgroup *old;
	void *p;

	if (lg_should_fail())
		return NULL;
	p = kmalloc(size, lg_charge_begin(ln, &old) | flags);
	lg_charge_end(old);
	return p;
}

/* link.c */
struct lg_link_cfg {
	bool has_role;
	u8 role;
	u32 max_bindings;		/* 0: keep */
	s8 savi_mode;			/* -1: keep, for all five */
	s8 savi_anchor;
	s8 dhcp6_shield;
	s8 release_trusted;
	s8 release_forward;
	s64 miss_rate;			/* -1: keep */
};

struct lg_link *lg_link_lookup_rcu(struct lg_net *ln, int ifindex);
const char *lg_ifname_rcu(struct lg_net *ln, int ifindex);
void lg_link_plen_get(struct lg_link *link, u8 plen);
void lg_link_plen_put(struct lg_link *link, u8 plen);
int lg_link_set(struct lg_net *ln, struct net_device *dev,
		const struct lg_link_cfg *cfg, struct netlink_ext_ack *extack);
void lg_links_flush(struct lg_net *ln);
void lg_links_reserve(struct lg_net *ln);

/* A binding was created on @link, or deleted; bindings.lock held. */
static inline void lg_link_binding_get(struct lg_bindings *bs,
				       struct lg_link *link)
{
	if (link->n_bindings++ < link->reserve)
		bs->reserve_unused--;
}

static inline void lg_link_binding_put(struct lg_bindings *bs,
				       struct lg_link *link)
{
	if (--link->n_bindings < link->reserve)
		bs->reserve_unused++;
}

int lg_link_notifier_register(void);
void lg_link_notifier_unregister(void);

/* savi.c */
struct lg_savi_entry {
	struct rhash_head node;		/* lg_net.savi_statics */
	struct list_head list;		/* lg_link.statics */
	struct lg_lease_key key;
	struct rcu_head rcu;
};

int lg_savi_init(struct lg_net *ln);
void lg_savi_destroy(struct lg_net *ln);
unsigned int lg_savi_rx(struct lg_net *ln, struct lg_link *link,
			struct sk_buff *skb);
int lg_savi_add(struct lg_net *ln, struct lg_link *link,
		const struct in6_addr *prefix, u8 plen, bool wide,
		struct netlink_ext_ack *extack);
int lg_savi_del(struct lg_net *ln, struct lg_link *link,
		const struct in6_addr *prefix, u8 plen,
		struct netlink_ext_ack *extack);
void lg_savi_flush_link(struct lg_net *ln, struct lg_link *link);
bool lg_release_type(const struct lg_net *ln, u8 type);
enum ip6_chain_res lg_ip6_chain(struct sk_buff *skb, struct ip6_chain *c);

/* relfwd.c */
unsigned int lg_relfwd_relayed(struct lg_net *ln, struct lg_link *link,
			       struct sk_buff *skb);
unsigned int lg_relfwd_forward(struct lg_net *ln, struct lg_link *in,
			       struct lg_link *out, struct sk_buff *skb);

/* snoop.c */
int lg_snoop_init(void);
void lg_snoop_exit(void);
void lg_snoop_rx(struct lg_net *ln, struct lg_link *link, struct sk_buff *skb);
unsigned int lg_snoop_shield(struct lg_net *ln, const struct lg_link *link,
			     struct sk_buff *skb, unsigned int off,
			     unsigned int len, const char **why);
void lg_snoop_tx(struct lg_net *ln, struct lg_link *link, struct sk_buff *skb);

/* mcast.c, mcast_nl.c: the IGMP/MLD proxy (declared in mcast.h) */
int lg_mcast_module_init(void);
void lg_mcast_module_exit(void);
extern const struct nla_policy lg_cmd_mcast_get_policy[LG_A_MAX + 1];
extern const struct nla_policy lg_cmd_mcast_set_policy[LG_A_MAX + 1];
extern const struct nla_policy lg_cmd_mc_group_get_policy[LG_A_MAX + 1];
extern const struct nla_policy lg_cmd_mc_group_dump_policy[LG_A_MAX + 1];
int lg_nl_mcast_get_doit(struct sk_buff *skb, struct genl_info *info);
int lg_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int lg_nl_mcast_set_doit(struct sk_buff *skb, struct genl_info *info);
int lg_nl_mc_group_dump_start(struct netlink_callback *cb);
int lg_nl_mc_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int lg_nl_mc_group_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb);

/* hook.c */
int lg_hooks_register(struct net *net);
void lg_hooks_unregister(struct net *net);

/* netlink.c */
enum lg_mcgrp {
	LG_MCGRP_CONFIG,
	LG_MCGRP_BINDINGS,
	LG_MCGRP_MCAST,
};

extern struct genl_family lg_genl_family;
int lg_nl_dump_ret(struct sk_buff *skb, int err);
bool lg_nl_has_listeners(struct lg_net *ln, unsigned int group);
int lg_genl_register(void);
void lg_genl_unregister(void);
void lg_nl_notify_link(struct lg_net *ln, const struct lg_link *link,
		       const struct net_device *dev, u8 cmd);
void lg_nl_notify_binding(struct lg_net *ln, const struct lg_binding *b,
			  u8 cmd, u8 reason);
void lg_nl_notify_binding_anchor(struct lg_net *ln, const struct lg_binding *b,
				 const struct in6_addr *lladdr, const u8 *mac);
int lg_nl_binding_reply(struct sk_buff *skb, struct lg_net *ln,
			const struct lg_binding *b, u32 portid, u32 seq);

#endif /* _LG_LEASEGUARD_H */
