// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: where packets of configured interfaces meet leaseguard.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "leaseguard.h"

static void lg_link_count_rx(struct lg_link *link, unsigned int len)
{
	struct lg_counters *c = get_cpu_ptr(link->counters);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_inc(&c->c[LG_LINK_STATS_A_RX_PACKETS]);
	u64_stats_add(&c->c[LG_LINK_STATS_A_RX_BYTES], len);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
	put_cpu_ptr(link->counters);
}

/*
 * Might this be DHCPv6? Only UDP, maybe behind extension headers: any of
 * IANA's registry, as ip6_chain_walk() knows them, not only the kernel's.
 */
static bool lg_maybe_udp(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	switch (nexthdr) {
	case IPPROTO_UDP:
	case NEXTHDR_MOBILITY:
	case 139:	/* HIP */
	case 140:	/* Shim6 */
	case 253:	/* RFC 3692 experimentation */
	case 254:
		return true;
	}
	return ipv6_ext_hdr(nexthdr);
}

static unsigned int lg_ipv6_rx(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct lg_net *ln = lg_net(state->net);
	struct lg_link *link;

	link = lg_link_lookup_rcu(ln, state->in->ifindex);
	if (!link)
		return NF_ACCEPT;

	lg_link_count_rx(link, skb->len);
	if (READ_ONCE(link->role) == LG_ROLE_ACCESS) {
		if (lg_savi_rx(ln, link, skb) == NF_DROP ||
		    lg_mcast_rx6(ln, link, skb) == NF_DROP)
			return NF_DROP;
	}
	if (!lg_maybe_udp(skb))
		return NF_ACCEPT;
	lg_snoop_rx(ln, link, skb);
	/* A subscriber's releases were the shield's (lg_savi_rx()) to count. */
	if (!READ_ONCE(link->release_forward))
		return lg_relfwd_relayed(ln, link, skb);
	return NF_ACCEPT;
}

/* What leaves: the servers' answers through access interfaces, and relays. */
static unsigned int lg_ipv6_tx(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct lg_net *ln = lg_net(state->net);
	struct lg_link *link;

	link = lg_link_lookup_rcu(ln, state->out->ifindex);
	if (!link || !lg_maybe_udp(skb))
		return NF_ACCEPT;

	if (!READ_ONCE(link->release_forward) &&
	    lg_relfwd_relayed(ln, link, skb) == NF_DROP)
		return NF_DROP;
	if (READ_ONCE(link->role) == LG_ROLE_ACCESS)
		lg_snoop_tx(ln, link, skb);
	return NF_ACCEPT;
}

/*
 * Multicast the router forwards (ipmr/ip6mr) to an access interface: the
 * interface's membership state decides.
 */
static unsigned int lg_mcast_out(struct lg_net *ln, struct sk_buff *skb,
				 const struct nf_hook_state *state, int family)
{
	struct lg_link *out;

	if (!lg_mcast_enabled(ln, family))
		return NF_ACCEPT;
	out = lg_link_lookup_rcu(ln, state->out->ifindex);
	if (!out || READ_ONCE(out->role) != LG_ROLE_ACCESS)
		return NF_ACCEPT;
	return lg_mcast_forward(ln, out, skb, family);
}

/*
 * What the router forwards: the intermediate-relay policy and the
 * multicast filter look.
 */
static unsigned int lg_ipv6_forward(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct lg_net *ln = lg_net(state->net);

	if (ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr) &&
	    lg_mcast_out(ln, skb, state, AF_INET6) == NF_DROP)
		return NF_DROP;
	if (!READ_ONCE(ln->n_release_refusing) || !lg_maybe_udp(skb))
		return NF_ACCEPT;
	return lg_relfwd_forward(ln,
				 lg_link_lookup_rcu(ln, state->in->ifindex),
				 lg_link_lookup_rcu(ln, state->out->ifindex),
				 skb);
}

/* IPv4 matters for IGMP only: subscribers' reports in, multicast out. */
static unsigned int lg_ipv4_rx(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct lg_net *ln = lg_net(state->net);
	struct lg_link *link;

	if (ip_hdr(skb)->protocol != IPPROTO_IGMP)
		return NF_ACCEPT;
	link = lg_link_lookup_rcu(ln, state->in->ifindex);
	if (!link || READ_ONCE(link->role) != LG_ROLE_ACCESS)
		return NF_ACCEPT;
	return lg_mcast_rx4(ln, link, skb);
}

static unsigned int lg_ipv4_forward(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	if (!ipv4_is_multicast(ip_hdr(skb)->daddr))
		return NF_ACCEPT;
	return lg_mcast_out(lg_net(state->net), skb, state, AF_INET);
}

static const struct nf_hook_ops lg_nf_ops[] = {
	{
		.hook		= lg_ipv4_rx,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		/* As IPv6: before defragmentation and conntrack. */
		.priority	= NF_IP_PRI_RAW_BEFORE_DEFRAG,
	},
	{
		.hook		= lg_ipv4_forward,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= lg_ipv6_rx,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		/*
		 * Before defragmentation: every fragment is seen, and source
		 * validation drops before reassembly or conntrack cost
		 * anything.
		 */
		.priority	= NF_IP6_PRI_RAW_BEFORE_DEFRAG,
	},
	{
		.hook		= lg_ipv6_forward,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_FORWARD,
		/* First: a refused release goes whatever the rules say. */
		.priority	= NF_IP6_PRI_FIRST,
	},
	{
		.hook		= lg_ipv6_tx,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_POST_ROUTING,
		/* Last: what really leaves, after every other rule. */
		.priority	= NF_IP6_PRI_LAST,
	},
};

int lg_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, lg_nf_ops, ARRAY_SIZE(lg_nf_ops));
}

void lg_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, lg_nf_ops, ARRAY_SIZE(lg_nf_ops));
}
