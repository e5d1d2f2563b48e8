// SPDX-License-Identifier: GPL-2.0
/*
 * IGMP/MLD router side on access interfaces: the membership state of every
 * group on every access interface (mcast_state.c), learned from the
 * subscribers' reports, and the filter that keeps forwarded multicast off
 * interfaces that do not want it.
 *
 * Each (interface, group) has a state published whole under RCU, so the
 * forward hook reads it with no lock; changes, from packets, timers and
 * netlink, take one namespace lock. A group's timer fires at the earliest
 * of its timers. Queries are leaseguardd's to send: a record that asks
 * for one becomes LG_CMD_MC_QUERY_NTF.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/igmp.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/rhashtable.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "leaseguard.h"

/* Longer messages are not snooped (a report fits the link's MTU). */
#define LG_MC_MSG_MAX		9216
/* Groups a flush deletes under the lock at a time. */
#define LG_MC_FLUSH_BATCH	256

struct lg_mc_scratch {
	u8 buf[LG_MC_MSG_MAX];
};

static struct lg_mc_scratch __percpu *lg_mc_msgbuf;

static const struct rhashtable_params lg_mc_params = {
	.key_len	= sizeof(struct lg_mc_key),
	.key_offset	= offsetof(struct lg_mc_group, key),
	.head_offset	= offsetof(struct lg_mc_group, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params lg_mc_host_params = {
	.key_len	= sizeof(struct lg_mc_host_key),
	.key_offset	= offsetof(struct lg_mc_host, key),
	.head_offset	= offsetof(struct lg_mc_host, node),
	.automatic_shrinking = true,
};

static const u8 lg_mc_malformed_stat[__MC_ERR_MAX] = {
	[MC_ERR_SHORT]	= LG_STATS_A_MC_MALFORMED_SHORT,
	[MC_ERR_CSUM]	= LG_STATS_A_MC_MALFORMED_CSUM,
	[MC_ERR_TYPE]	= LG_STATS_A_MC_MALFORMED_TYPE,
	[MC_ERR_RECORD]	= LG_STATS_A_MC_MALFORMED_RECORD,
	[MC_ERR_GROUP]	= LG_STATS_A_MC_MALFORMED_GROUP,
	[MC_ERR_SOURCE]	= LG_STATS_A_MC_MALFORMED_SOURCE,
};

/* Milliseconds of a clock that the group timers (jiffies) agree with. */
u64 lg_mcast_now(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

static int lg_mc_fi(int family)
{
	return family == AF_INET ? LG_MC_IGMP : LG_MC_MLD;
}

bool lg_mcast_enabled(const struct lg_net *ln, int family)
{
	return READ_ONCE(ln->mcast.cfg[lg_mc_fi(family)].enable);
}

/* RTNL held: the configuration only changes under it. */
bool lg_mcast_is_upstream(const struct lg_net *ln, int ifindex)
{
	return ln->mcast.cfg[LG_MC_IGMP].upstream == ifindex ||
	       ln->mcast.cfg[LG_MC_MLD].upstream == ifindex;
}

static void lg_mc_params_of(const struct lg_mc_cfg *cfg, struct mc_params *p)
{
	u32 gmi = READ_ONCE(cfg->robustness) *
		  READ_ONCE(cfg->query_interval) * 1000 +
		  READ_ONCE(cfg->query_response_interval);

	p->max_version = READ_ONCE(cfg->version);
	p->gmi = gmi;
	p->ohpt = gmi;
	p->lmqt = READ_ONCE(cfg->last_member_count) *
		  READ_ONCE(cfg->last_member_interval);
	p->max_sources = READ_ONCE(cfg->max_sources);
}

static int lg_mc_key_cmp(const struct lg_mc_key *a, const struct lg_mc_key *b)
{
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return memcmp(a->group, b->group, MC_ADDR_LEN);
}

static void lg_mc_tree_insert(struct lg_mcast *mc, struct lg_mc_group *g)
{
	struct rb_node **p = &mc->tree.rb_node, *parent = NULL;

	while (*p) {
		struct lg_mc_group *o = rb_entry(*p, struct lg_mc_group, rb);

		parent = *p;
		p = lg_mc_key_cmp(&g->key, &o->key) < 0 ? &(*p)->rb_left :
							  &(*p)->rb_right;
	}
	rb_link_node(&g->rb, parent, p);
	rb_insert_color(&g->rb, &mc->tree);
}

/* The first group at or (!@inclusive) after @key; the lock held. */
struct lg_mc_group *lg_mcast_first_after(struct lg_net *ln,
					 const struct lg_mc_key *key,
					 bool inclusive)
{
	struct rb_node *n = ln->mcast.tree.rb_node;
	struct lg_mc_group *best = NULL;

	while (n) {
		struct lg_mc_group *g = rb_entry(n, struct lg_mc_group, rb);
		int cmp = lg_mc_key_cmp(&g->key, key);

		if (cmp > 0 || (inclusive && !cmp)) {
			best = g;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

struct lg_mc_group *lg_mcast_lookup(struct lg_net *ln, int ifindex,
				    const u8 group[MC_ADDR_LEN])
{
	struct lg_mc_key key = { .ifindex = ifindex };

	memcpy(key.group, group, MC_ADDR_LEN);
	return rhashtable_lookup_fast(&ln->mcast.groups, &key, lg_mc_params);
}

static void lg_mc_snap_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct lg_mc_snap, rcu));
}

static void lg_mc_group_free_rcu(struct rcu_head *head)
{
	struct lg_mc_group *g = container_of(head, struct lg_mc_group, rcu);

	kfree(rcu_dereference_protected(g->snap, true));
	kfree(g);
}

/* A copy of @s, its sources with it; the lock held. */
static struct lg_mc_snap *lg_mc_snap_new(const struct lg_net *ln,
					 const struct mc_state *s)
{
	struct lg_mc_snap *snap;

	snap = lg_kmalloc_kept(ln, struct_size(snap, sources, s->n_sources), 0);
	if (!snap)
		return NULL;
	snap->s = *s;
	snap->s.sources = snap->sources;
	memcpy(snap->sources, s->sources, s->n_sources * sizeof(*s->sources));
	return snap;
}

static struct lg_mc_snap *lg_mc_snap(const struct lg_net *ln,
				     const struct lg_mc_group *g)
{
	return rcu_dereference_protected(g->snap,
					 lockdep_is_held(&ln->mcast.lock));
}

static void lg_mc_arm(struct lg_mc_group *g, const struct mc_state *s, u64 now)
{
	u64 next = mc_state_next_timer(s);

	if (!next)
		return;
	/* One jiffy late rather than early: the state's timer has run out. */
	mod_timer(&g->timer, jiffies +
		  msecs_to_jiffies(next > now ? next - now : 0) + 1);
}

/* The host of @key, made if new; the lock held. */
static struct lg_mc_host *lg_mc_host_get(struct lg_net *ln,
					 const struct lg_mc_host_key *key)
{
	struct lg_mcast *mc = &ln->mcast;
	struct lg_mc_host *h;

	h = rhashtable_lookup_fast(&mc->hosts, key, lg_mc_host_params);
	if (h)
		return h;
	h = lg_kmalloc_kept(ln, sizeof(*h), __GFP_ZERO);
	if (!h)
		return NULL;
	h->key = *key;
	if (lg_should_fail() ||
	    rhashtable_insert_fast(&mc->hosts, &h->node, lg_mc_host_params)) {
		kfree(h);
		return NULL;
	}
	return h;
}

/* Forgets @h once it has no group left; the lock held. */
static void lg_mc_host_put(struct lg_net *ln, struct lg_mc_host *h)
{
	if (h->n_groups[LG_MC_IGMP] || h->n_groups[LG_MC_MLD])
		return;
	rhashtable_remove_fast(&ln->mcast.hosts, &h->node, lg_mc_host_params);
	kfree_rcu(h, rcu);
}

/* Unpublishes @g (the lock held); @reason 0: tell nobody. */
static void lg_mc_group_del(struct lg_net *ln, struct lg_mc_group *g,
			    u8 reason)
{
	struct lg_mcast *mc = &ln->mcast;
	struct lg_link *link;

	if (reason)
		lg_nl_notify_mc_group(ln, g, LG_CMD_MC_GROUP_DEL_NTF, reason);
	g->dead = true;
	rhashtable_remove_fast(&mc->groups, &g->node, lg_mc_params);
	rb_erase(&g->rb, &mc->tree);
	mc->gen++;
	mc->n_groups[lg_mc_fi(lg_mc_family(g))]--;
	mc->n_sources[lg_mc_fi(lg_mc_family(g))] -= lg_mc_snap(ln, g)->s.n_sources;
	g->host->n_groups[lg_mc_fi(lg_mc_family(g))]--;
	lg_mc_host_put(ln, g->host);
	link = xa_load(&ln->links, g->key.ifindex);
	if (link)
		link->n_mc_groups[lg_mc_fi(lg_mc_family(g))]--;
	lg_counter_dec(ln->counters, LG_STATS_A_MC_GROUPS);
	lg_counter_inc(ln->counters, LG_STATS_A_MC_GROUPS_DELETED);
	/*
	 * A callback already running holds off the grace period (softirq is
	 * an RCU read side) and sees ->dead; a pending one is gone.
	 */
	del_timer(&g->timer);
	call_rcu(&g->rcu, lg_mc_group_free_rcu);
}

/*
 * Replaces the state of @g with @s (the lock held). A change of timers
 * alone (@timers_only: the same sources, each as forwarded as before) is
 * written in place: a report that only refreshes a membership, by far the
 * most common, allocates nothing. Readers of the data path look at a
 * source's timer only to tell 0 from not 0, which such a change keeps.
 */
static int lg_mc_publish(struct lg_net *ln, struct lg_mc_group *g,
			 const struct mc_state *s, bool timers_only)
{
	struct lg_mc_snap *snap, *old = lg_mc_snap(ln, g);
	unsigned int i;

	if (timers_only && old->s.n_sources == s->n_sources) {
		old->s.compat = s->compat;
		old->s.group_timer = s->group_timer;
		old->s.v1_host_timer = s->v1_host_timer;
		old->s.v2_host_timer = s->v2_host_timer;
		for (i = 0; i < s->n_sources; i++)
			WRITE_ONCE(old->sources[i].timer, s->sources[i].timer);
		return 0;
	}
	snap = lg_mc_snap_new(ln, s);
	if (!snap)
		return -ENOMEM;
	ln->mcast.n_sources[lg_mc_fi(lg_mc_family(g))] +=
		s->n_sources - old->s.n_sources;
	rcu_assign_pointer(g->snap, snap);
	call_rcu(&old->rcu, lg_mc_snap_free_rcu);
	return 0;
}

static void lg_mc_timer(struct timer_list *t)
{
	struct lg_mc_group *g = from_timer(g, t, timer);
	struct lg_net *ln = g->ln;
	struct lg_mcast *mc = &ln->mcast;
	struct mc_params p;
	struct mc_state next;
	bool changed;
	u64 now;

	spin_lock_bh(&mc->lock);
	if (g->dead)
		goto out;
	now = lg_mcast_now();
	lg_mc_params_of(&mc->cfg[lg_mc_fi(lg_mc_family(g))], &p);
	next.sources = mc->scratch;
	changed = mc_state_expire(&lg_mc_snap(ln, g)->s, now, &p, &next);
	if (mc_state_empty(&next)) {
		lg_mc_group_del(ln, g, LG_MC_DEL_EXPIRED);
		goto out;
	}
	if (lg_mc_publish(ln, g, &next, !changed)) {
		/* Try again soon rather than lose the expiry. */
		lg_counter_inc(ln->counters, LG_STATS_A_MC_NOMEM);
		mod_timer(&g->timer, jiffies + HZ);
		goto out;
	}
	if (changed)
		lg_nl_notify_mc_group(ln, g, LG_CMD_MC_GROUP_NTF, 0);
	lg_mc_arm(g, &next, now);
out:
	spin_unlock_bh(&mc->lock);
}

/* A group whose first state is @s, created by @host; the lock held. */
static struct lg_mc_group *lg_mc_group_new(struct lg_net *ln,
					   struct lg_link *link,
					   const struct lg_mc_key *key,
					   int family, const struct mc_state *s,
					   struct lg_mc_host *host)
{
	struct lg_mcast *mc = &ln->mcast;
	struct lg_mc_group *g;

	g = lg_kmalloc_kept(ln, sizeof(*g), __GFP_ZERO);
	if (!g)
		return NULL;
	g->key = *key;
	g->ln = ln;
	g->host = host;
	timer_setup(&g->timer, lg_mc_timer, 0);
	RCU_INIT_POINTER(g->snap, lg_mc_snap_new(ln, s));
	if (!g->snap || lg_should_fail() ||
	    rhashtable_insert_fast(&mc->groups, &g->node, lg_mc_params)) {
		kfree(rcu_dereference_protected(g->snap, true));
		kfree(g);
		return NULL;
	}
	lg_mc_tree_insert(mc, g);
	mc->gen++;
	mc->n_groups[lg_mc_fi(family)]++;
	mc->n_sources[lg_mc_fi(family)] += s->n_sources;
	host->n_groups[lg_mc_fi(family)]++;
	link->n_mc_groups[lg_mc_fi(family)]++;
	lg_counter_inc(ln->counters, LG_STATS_A_MC_GROUPS);
	lg_counter_inc(ln->counters, LG_STATS_A_MC_GROUPS_CREATED);
	return g;
}

/*
 * Room for a new group of @fi on @link, created by the host of @hk: that
 * host, or NULL (counted) if a limit refuses it. The lock held.
 */
static struct lg_mc_host *lg_mc_room(struct lg_net *ln, struct lg_link *link,
				     int fi, const struct lg_mc_host_key *hk)
{
	struct lg_mcast *mc = &ln->mcast;
	const struct lg_mc_cfg *cfg = &mc->cfg[fi];
	struct lg_mc_host *host;

	if (link->n_mc_groups[fi] >= READ_ONCE(cfg->max_groups)) {
		lg_counter_inc(link->counters,
			       LG_LINK_STATS_A_MC_GROUPS_LIMITED);
		return NULL;
	}
	if (mc->n_groups[fi] >= READ_ONCE(cfg->ns_max_groups)) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_NS_LIMITED);
		return NULL;
	}
	host = lg_mc_host_get(ln, hk);
	if (!host) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_NOMEM);
		return NULL;
	}
	/* One subscriber must not fill a shared interface's groups. */
	if (host->n_groups[fi] >= READ_ONCE(cfg->max_groups_host)) {
		lg_counter_inc(link->counters,
			       LG_LINK_STATS_A_MC_HOST_LIMITED);
		lg_mc_host_put(ln, host);
		return NULL;
	}
	return host;
}

/* One record of a subscriber's message, from @hk; the lock held. */
static void lg_mc_record(struct lg_net *ln, struct lg_link *link,
			 const struct mc_msg *m, const struct mc_record *r,
			 const struct mc_params *p, u64 now,
			 const struct lg_mc_host_key *hk)
{
	struct lg_mcast *mc = &ln->mcast;
	struct lg_mc_key key = { .ifindex = link->ifindex };
	struct mc_query q = { .sources = mc->query_scratch };
	struct mc_state cur, next;
	enum mc_apply_res res;
	struct lg_mc_host *host;
	struct lg_mc_group *g;
	bool created = false;
	int family = m->family == MC_IGMP ? AF_INET : AF_INET6;
	int fi = lg_mc_fi(family);

	memcpy(key.group, r->group, MC_ADDR_LEN);
	g = rhashtable_lookup_fast(&mc->groups, &key, lg_mc_params);
	if (g) {
		cur = lg_mc_snap(ln, g)->s;
	} else {
		mc_state_init(&cur, m->family, now);
		cur.sources = NULL;
	}
	next.sources = mc->scratch;
	res = mc_state_apply(&cur, r, m, m->version, now, p, &next, &q);
	switch (res) {
	case MC_APPLY_LIMITED:
		lg_counter_inc(link->counters,
			       LG_LINK_STATS_A_MC_SOURCES_LIMITED);
		return;
	case MC_APPLY_IGNORED:
		lg_counter_inc(ln->counters, LG_STATS_A_MC_RECORDS_IGNORED);
		return;
	case MC_APPLY_TIMERS:
	case MC_APPLY_CHANGED:
		break;
	}
	if (next.n_sources > cur.n_sources &&
	    mc->n_sources[fi] + (next.n_sources - cur.n_sources) >
	    READ_ONCE(mc->cfg[fi].ns_max_sources)) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_NS_LIMITED);
		return;
	}
	lg_counter_inc(ln->counters, LG_STATS_A_MC_RECORDS);

	if (!g) {
		/* Nothing joined (a leave of a group never seen here). */
		if (mc_state_empty(&next))
			return;
		host = lg_mc_room(ln, link, fi, hk);
		if (!host)
			return;
		g = lg_mc_group_new(ln, link, &key, family, &next, host);
		if (!g) {
			lg_mc_host_put(ln, host);
			goto nomem;
		}
		created = true;
	} else if (mc_state_empty(&next)) {
		lg_mc_group_del(ln, g, LG_MC_DEL_LEFT);
		return;
	} else if (lg_mc_publish(ln, g, &next, res == MC_APPLY_TIMERS)) {
		goto nomem;
	}
	lg_mc_arm(g, &next, now);
	if (created || res == MC_APPLY_CHANGED)
		lg_nl_notify_mc_group(ln, g, LG_CMD_MC_GROUP_NTF, 0);
	if (q.n_sources)
		lg_nl_notify_mc_query(ln, g, &q, true);
	if (q.group)
		lg_nl_notify_mc_query(ln, g, &q, false);
	return;
nomem:
	lg_counter_inc(ln->counters, LG_STATS_A_MC_NOMEM);
}

/* Who sent @skb, for the per-host limit. */
static void lg_mc_host_key(const struct sk_buff *skb, int ifindex,
			   int family, struct lg_mc_host_key *hk)
{
	memset(hk, 0, sizeof(*hk));
	hk->ifindex = ifindex;
	if (skb->dev->type == ARPHRD_ETHER && skb_mac_header_was_set(skb) &&
	    skb_mac_header_len(skb) >= ETH_HLEN)
		ether_addr_copy(hk->addr, eth_hdr(skb)->h_source);
	else if (family == AF_INET)
		mc_addr_from_v4(hk->addr, (const u8 *)&ip_hdr(skb)->saddr);
	else
		memcpy(hk->addr, &ipv6_hdr(skb)->saddr, MC_ADDR_LEN);
}

/*
 * A subscriber's IGMP or MLD message, @len octets at @off of @skb: parsed
 * whole, then applied. Returns the verdict: malformed messages and queries
 * are dropped. BHs off: the message may be in this CPU's buffer.
 */
static unsigned int __lg_mc_snoop(struct lg_net *ln, struct lg_link *link,
				  struct sk_buff *skb, unsigned int off,
				  unsigned int len, int family)
{
	struct lg_mcast *mc = &ln->mcast;
	struct lg_mc_host_key hk;
	const u8 *data;
	struct mc_params p;
	struct mc_record r;
	struct mc_iter it = {};
	struct mc_msg m;
	enum mc_err err;
	u64 now;

	if (len > LG_MC_MSG_MAX) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_MALFORMED_RECORD);
		return NF_DROP;
	}
	data = skb_header_pointer(skb, off, len, this_cpu_ptr(lg_mc_msgbuf)->buf);
	if (!data) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_MALFORMED_SHORT);
		return NF_DROP;
	}
	if (family == AF_INET)
		err = mc_parse_igmp(data, len, &m);
	else
		err = mc_parse_mld(data, len, ipv6_hdr(skb)->saddr.s6_addr,
				   ipv6_hdr(skb)->daddr.s6_addr, &m);
	if (err) {
		lg_counter_inc(ln->counters, lg_mc_malformed_stat[err]);
		return NF_DROP;
	}
	if (m.kind == MC_MSG_QUERY) {
		lg_counter_inc(link->counters, LG_LINK_STATS_A_MC_QUERY_DROP);
		return NF_DROP;
	}
	lg_counter_inc(link->counters, LG_LINK_STATS_A_MC_REPORTS);

	lg_mc_host_key(skb, link->ifindex, family, &hk);
	lg_mc_params_of(&mc->cfg[lg_mc_fi(family)], &p);
	spin_lock_bh(&mc->lock);
	/*
	 * A link that stopped being an access link, or a family turned off
	 * (lg_mcast_set() flushes under this lock), has been flushed.
	 */
	if (xa_load(&ln->links, link->ifindex) != link ||
	    READ_ONCE(link->role) != LG_ROLE_ACCESS ||
	    !lg_mcast_enabled(ln, family))
		goto out;
	now = lg_mcast_now();
	while (mc_record_next(&m, &it, &r)) {
		if (r.type < MC_IS_IN || r.type > MC_BLOCK ||
		    !mc_group_routable(r.group)) {
			lg_counter_inc(ln->counters,
				       LG_STATS_A_MC_RECORDS_IGNORED);
			continue;
		}
		/* RFC 4604 section 3.1: SSM groups take no any-source join */
		if ((r.type == MC_IS_EX || r.type == MC_TO_EX) &&
		    mc_group_is_ssm(r.group)) {
			lg_counter_inc(link->counters,
				       LG_LINK_STATS_A_MC_SSM_ASM_IGNORED);
			continue;
		}
		lg_mc_record(ln, link, &m, &r, &p, now, &hk);
	}
out:
	spin_unlock_bh(&mc->lock);
	return NF_ACCEPT;
}

/*
 * The hooks mostly run in softirq, but NFQUEUE reinjects from process
 * context with BHs on: the per-CPU buffer needs them off, or a softirq on
 * this CPU could snoop into it under us.
 */
static unsigned int lg_mc_snoop(struct lg_net *ln, struct lg_link *link,
				struct sk_buff *skb, unsigned int off,
				unsigned int len, int family)
{
	unsigned int verdict;

	local_bh_disable();
	verdict = __lg_mc_snoop(ln, link, skb, off, len, family);
	local_bh_enable();
	return verdict;
}

unsigned int lg_mcast_rx4(struct lg_net *ln, struct lg_link *link,
			  struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = skb_network_offset(skb) + iph->ihl * 4;
	unsigned int end = skb_network_offset(skb) + ntohs(iph->tot_len);

	if (iph->protocol != IPPROTO_IGMP || !lg_mcast_enabled(ln, AF_INET))
		return NF_ACCEPT;
	/* This router's own, looped back (ip_mc_output): no subscriber's. */
	if (skb->pkt_type == PACKET_LOOPBACK)
		return NF_ACCEPT;
	/* Before defragmentation: a fragment of IGMP is nobody's report. */
	if (ip_is_fragment(iph) || end > skb->len || end < off) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_MALFORMED_IP);
		return NF_DROP;
	}
	/* RFC 3376 section 4: reports are sent with TTL 1. */
	if (iph->ttl != 1) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_MALFORMED_IP);
		return NF_DROP;
	}
	return lg_mc_snoop(ln, link, skb, off, end - off, AF_INET);
}

unsigned int lg_mcast_rx6(struct lg_net *ln, struct lg_link *link,
			  struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int thoff = 0, flags = 0, addr_type;
	unsigned int end;
	u8 _type;
	const u8 *type;

	if (!lg_mcast_enabled(ln, AF_INET6) ||
	    (ip6h->nexthdr != IPPROTO_ICMPV6 && ip6h->nexthdr != NEXTHDR_HOP))
		return NF_ACCEPT;
	/* This router's own, looped back (ip6_finish_output2). */
	if (skb->pkt_type == PACKET_LOOPBACK)
		return NF_ACCEPT;
	if (ipv6_find_hdr(skb, &thoff, IPPROTO_ICMPV6, NULL, &flags) !=
	    IPPROTO_ICMPV6 || (flags & IP6_FH_F_FRAG))
		return NF_ACCEPT;
	type = skb_header_pointer(skb, thoff, 1, &_type);
	if (!type || (*type != MLD_T_QUERY && *type != MLD_T_V1_REPORT &&
		      *type != MLD_T_V1_DONE && *type != MLD_T_V2_REPORT))
		return NF_ACCEPT;

	end = skb_network_offset(skb) + sizeof(*ip6h) +
	      ntohs(ip6h->payload_len);
	/*
	 * RFC 3810 section 5: hop limit 1, from a link-local address (or
	 * :: for a report of a host with none yet).
	 */
	addr_type = ipv6_addr_type(&ip6h->saddr);
	if (ip6h->hop_limit != 1 || end > skb->len || end < thoff ||
	    !(addr_type & IPV6_ADDR_LINKLOCAL ||
	      (addr_type == IPV6_ADDR_ANY && *type == MLD_T_V2_REPORT))) {
		lg_counter_inc(ln->counters, LG_STATS_A_MC_MALFORMED_IP);
		return NF_DROP;
	}
	return lg_mc_snoop(ln, link, skb, thoff, end - thoff, AF_INET6);
}

/*
 * Forwarded multicast leaving through access interface @out: passes only
 * if the interface's state for the group wants its source.
 */
unsigned int lg_mcast_forward(struct lg_net *ln, struct lg_link *out,
			      struct sk_buff *skb, int family)
{
	struct lg_mc_key key = { .ifindex = out->ifindex };
	const struct lg_mc_snap *snap;
	struct lg_mc_group *g;
	u8 src[MC_ADDR_LEN];
	bool pass = false;

	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (!ipv4_is_multicast(iph->daddr))
			return NF_ACCEPT;
		mc_addr_from_v4(key.group, (const u8 *)&iph->daddr);
		mc_addr_from_v4(src, (const u8 *)&iph->saddr);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (!ipv6_addr_is_multicast(&ip6h->daddr))
			return NF_ACCEPT;
		memcpy(key.group, &ip6h->daddr, MC_ADDR_LEN);
		memcpy(src, &ip6h->saddr, MC_ADDR_LEN);
	}
	if (!mc_group_routable(key.group))
		return NF_ACCEPT;

	g = rhashtable_lookup(&ln->mcast.groups, &key, lg_mc_params);
	if (g) {
		snap = rcu_dereference(g->snap);
		pass = mc_state_forwards(&snap->s, src);
	}
	lg_counter_inc(out->counters, pass ? LG_LINK_STATS_A_MC_FWD_PASSED :
					     LG_LINK_STATS_A_MC_FWD_DROP);
	return pass ? NF_ACCEPT : NF_DROP;
}

/*
 * Deletes the groups of @ifindex (0: all) and @family (0: both), in
 * batches so that BHs are not held off for long: each deletion may build
 * a notification. Process context; whoever calls has already stopped new
 * groups there (role, enable), so the walk resumes after the last key.
 */
static void lg_mc_flush(struct lg_net *ln, int ifindex, int family,
			u8 reason)
{
	struct lg_mc_key key = { .ifindex = ifindex };
	struct lg_mc_group *g, *next;
	bool inclusive = true;
	int batch;

	do {
		batch = 0;
		spin_lock_bh(&ln->mcast.lock);
		g = lg_mcast_first_after(ln, &key, inclusive);
		for (; g; g = next) {
			if (++batch > LG_MC_FLUSH_BATCH)
				break;
			next = rb_entry_safe(rb_next(&g->rb),
					     struct lg_mc_group, rb);
			if (ifindex && g->key.ifindex != ifindex) {
				g = NULL;
				break;
			}
			key = g->key;
			inclusive = false;
			if (!family || lg_mc_family(g) == family)
				lg_mc_group_del(ln, g, reason);
		}
		spin_unlock_bh(&ln->mcast.lock);
		cond_resched();
	} while (g);
}

void lg_mcast_flush_link(struct lg_net *ln, int ifindex)
{
	lg_mc_flush(ln, ifindex, 0, LG_MC_DEL_INTERFACE);
}

void lg_mcast_netdev_gone(struct lg_net *ln, int ifindex)
{
	int fi;

	ASSERT_RTNL();
	for (fi = 0; fi < 2; fi++) {
		if (ln->mcast.cfg[fi].upstream != ifindex)
			continue;
		WRITE_ONCE(ln->mcast.cfg[fi].upstream, 0);
		lg_nl_notify_mcast(ln, fi == LG_MC_IGMP ? AF_INET : AF_INET6);
	}
}

int lg_mcast_set(struct lg_net *ln, int family, const struct lg_mc_cfg *cfg,
		 struct netlink_ext_ack *extack)
{
	struct lg_mc_cfg *cur = &ln->mcast.cfg[lg_mc_fi(family)];
	bool disable = cur->enable && !cfg->enable;

	ASSERT_RTNL();
	if (!memcmp(cur, cfg, sizeof(*cfg)))
		return 0;
	/* Field by field: the packet path reads them locklessly. */
	WRITE_ONCE(cur->upstream, cfg->upstream);
	WRITE_ONCE(cur->version, cfg->version);
	WRITE_ONCE(cur->robustness, cfg->robustness);
	WRITE_ONCE(cur->query_interval, cfg->query_interval);
	WRITE_ONCE(cur->query_response_interval,
		   cfg->query_response_interval);
	WRITE_ONCE(cur->last_member_interval, cfg->last_member_interval);
	WRITE_ONCE(cur->last_member_count, cfg->last_member_count);
	WRITE_ONCE(cur->max_groups, cfg->max_groups);
	WRITE_ONCE(cur->max_sources, cfg->max_sources);
	WRITE_ONCE(cur->max_groups_host, cfg->max_groups_host);
	WRITE_ONCE(cur->ns_max_groups, cfg->ns_max_groups);
	WRITE_ONCE(cur->ns_max_sources, cfg->ns_max_sources);
	WRITE_ONCE(cur->enable, cfg->enable);
	if (disable)
		lg_mc_flush(ln, 0, family, LG_MC_DEL_DISABLED);
	lg_nl_notify_mcast(ln, family);
	return 0;
}

static void lg_mc_cfg_defaults(struct lg_mc_cfg *cfg, int family)
{
	*cfg = (struct lg_mc_cfg) {
		.version = family == AF_INET ? 3 : 2,
		.robustness = 2,
		.query_interval = 125,
		.query_response_interval = 10000,
		.last_member_interval = 1000,
		.last_member_count = 2,
		.max_groups = LG_MC_MAX_GROUPS_DEFAULT,
		.max_sources = LG_MC_MAX_SOURCES_DEFAULT,
		.max_groups_host = LG_MC_MAX_GROUPS_HOST_DEFAULT,
		.ns_max_groups = LG_MC_NS_MAX_GROUPS_DEFAULT,
		.ns_max_sources = LG_MC_NS_MAX_SOURCES_DEFAULT,
	};
}

int lg_mcast_init(struct lg_net *ln)
{
	struct lg_mcast *mc = &ln->mcast;
	int err;

	lg_mc_cfg_defaults(&mc->cfg[LG_MC_IGMP], AF_INET);
	lg_mc_cfg_defaults(&mc->cfg[LG_MC_MLD], AF_INET6);
	spin_lock_init(&mc->lock);
	mc->tree = RB_ROOT;
	mc->gen = 1;
	mc->scratch = kvcalloc(LG_MC_MAX_SOURCES_LIMIT, sizeof(*mc->scratch),
			       GFP_KERNEL_ACCOUNT);
	mc->query_scratch = kvcalloc(LG_MC_MAX_SOURCES_LIMIT,
				     sizeof(*mc->query_scratch), GFP_KERNEL_ACCOUNT);
	if (!mc->scratch || !mc->query_scratch) {
		err = -ENOMEM;
		goto err_free;
	}
	err = rhashtable_init(&mc->groups, &lg_mc_params);
	if (err)
		goto err_free;
	err = rhashtable_init(&mc->hosts, &lg_mc_host_params);
	if (err)
		goto err_groups;
	return 0;

err_groups:
	rhashtable_destroy(&mc->groups);
err_free:
	kvfree(mc->scratch);
	kvfree(mc->query_scratch);
	return err;
}

/* The namespace is going: its hooks and netlink can no longer reach here. */
void lg_mcast_destroy(struct lg_net *ln)
{
	struct lg_mcast *mc = &ln->mcast;

	lg_mc_flush(ln, 0, 0, 0);
	/*
	 * A timer callback that fired before the flush may still wait for
	 * the lock, inside this namespace's memory; it runs in softirq, a
	 * read side of RCU: a grace period sees it out.
	 */
	synchronize_rcu();
	rhashtable_destroy(&mc->groups);
	rhashtable_destroy(&mc->hosts);		/* empty with the groups */
	kvfree(mc->scratch);
	kvfree(mc->query_scratch);
}

int lg_mcast_module_init(void)
{
	lg_mc_msgbuf = alloc_percpu(struct lg_mc_scratch);
	return lg_mc_msgbuf ? 0 : -ENOMEM;
}

void lg_mcast_module_exit(void)
{
	free_percpu(lg_mc_msgbuf);
}
