// SPDX-License-Identifier: GPL-2.0
/*
 * Source-address validation (SAVI) and DHCPv6-Shield on access interfaces.
 *
 * Every IPv6 packet that arrives on an access interface crosses this
 * before anything else sees it (defragmentation, conntrack, routing). So
 * it takes no lock, allocates nothing and costs one hash probe per prefix
 * length in use on the interface, however many subscribers there are. A
 * source it refuses may cost more, bounded, while leaseguardd listens
 * (savi_miss.c).
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "leaseguard.h"

static const struct rhashtable_params lg_savi_params = {
	.head_offset		= offsetof(struct lg_savi_entry, node),
	.key_offset		= offsetof(struct lg_savi_entry, key),
	.key_len		= sizeof(struct lg_lease_key),
	.automatic_shrinking	= true,
};

bool lg_release_type(const struct lg_net *ln, u8 type)
{
	return type == READ_ONCE(ln->release_request_type) ||
	       type == READ_ONCE(ln->release_reply_type);
}

/* What only a server or a relay sends (RFC 7610 section 5, and later). */
static bool lg_server_msg(u8 type)
{
	switch (type) {
	case DHCP6_ADVERTISE:
	case DHCP6_REPLY:
	case DHCP6_RECONFIGURE:
	case DHCP6_RELAY_REPL:
	case DHCP6_LEASEQUERY_REPLY:
	case DHCP6_LEASEQUERY_DONE:
	case DHCP6_LEASEQUERY_DATA:
	case DHCP6_DHCPV4_RESPONSE:
	case DHCP6_ADDR_REG_REPLY:
		return true;
	}
	return false;
}

static const u8 *lg_skb_mac(const struct sk_buff *skb)
{
	if (skb->dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb) ||
	    skb_mac_header_len(skb) < ETH_HLEN)
		return NULL;
	return eth_hdr(skb)->h_source;
}

/* What the log says of a source validation failure. */
static const char *lg_drop_reason(unsigned int counter)
{
	switch (counter) {
	case LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED:
		return "source :: outside DAD and MLD";
	case LG_LINK_STATS_A_SAVI_DROP_MAC:
		return "not the binding's MAC";
	}
	return "source not bound here";
}

static void lg_savi_log(struct lg_net *ln, const struct lg_link *link,
			const struct sk_buff *skb, const char *why,
			bool dropped)
{
	const u8 *mac;

	if (!net_ratelimit())
		return;
	mac = lg_skb_mac(skb);
	pr_info("%s: %s %pI6c (%pM): %s\n", lg_ifname_rcu(ln, link->ifindex),
		dropped ? "dropped" : "would drop", &ipv6_hdr(skb)->saddr,
		mac ?: (const u8 *)"\0\0\0\0\0", why);
}

/*
 * Walks the whole header chain, pulling it into the linear area when it
 * is not there yet: nothing may hide behind a page boundary either.
 */
enum ip6_chain_res lg_ip6_chain(struct sk_buff *skb, struct ip6_chain *c)
{
	unsigned int nhoff = skb_network_offset(skb);
	enum ip6_chain_res res;

	for (;;) {
		res = ip6_chain_walk(skb_network_header(skb),
				     skb_headlen(skb) - nhoff,
				     skb->len - nhoff, c);
		if (res != IP6_CHAIN_NEED_MORE)
			return res;
		/* @need only grows: this ends. */
		if (!pskb_may_pull(skb, nhoff + c->need))
			return IP6_CHAIN_INCOMPLETE;
	}
}

/*
 * The length of the UDP payload that starts at @off, as the receiver's UDP
 * takes it: a length field of 0 means the rest of the packet (Linux reads
 * it so, as RFC 2675 does). -1 if no receiver takes the datagram.
 */
static int lg_udp_payload_len(const struct sk_buff *skb,
			      const struct udphdr *uh, unsigned int off)
{
	unsigned int rest = skb->len - off, ulen = ntohs(uh->len);

	if (!ulen)
		return rest;
	if (ulen < sizeof(*uh) || ulen - sizeof(*uh) > rest)
		return -1;
	return ulen - sizeof(*uh);
}

/*
 * DHCPv6-Shield: the counter of the reason to drop, with *@why for the
 * log, or 0 to pass.
 *
 * What it cannot check entirely, it drops (RFC 7610 section 5): a header
 * chain that hides the UDP header, and a message to the server port that
 * could carry a release it would not see. That is any first fragment (no
 * client fragments its messages, and the rest of the datagram is out of
 * sight), and a RELAY-FORW, or a release message on a trusted interface,
 * that does not parse whole: too long, malformed, nested too deep.
 */
static unsigned int lg_shield(struct lg_net *ln, const struct lg_link *link,
			      struct sk_buff *skb, enum ip6_chain_res res,
			      const struct ip6_chain *c, const char **why)
{
	const struct udphdr *uh;
	unsigned int off;
	const u8 *type;
	bool release;
	int len;
	u8 _type;

	if (res == IP6_CHAIN_LATER_FRAGMENT)
		return 0;	/* its first fragment was judged */
	*why = "header chain hides the upper-layer header";
	if (res != IP6_CHAIN_OK)
		return LG_LINK_STATS_A_SHIELD_DROP_HIDDEN;
	if (c->l4_proto != IPPROTO_UDP)
		return 0;

	/* The walk made the UDP header linear. */
	uh = (const struct udphdr *)(skb_network_header(skb) + c->l4_off);
	*why = "DHCPv6 server message from a subscriber";
	if (uh->dest == htons(DHCP6_CLIENT_PORT))
		return LG_LINK_STATS_A_SHIELD_DROP_SERVER;
	if (uh->dest != htons(DHCP6_SERVER_PORT))
		return 0;

	off = skb_network_offset(skb) + c->l4_off + sizeof(*uh);
	type = skb_header_pointer(skb, off, sizeof(_type), &_type);
	if (!type) {	/* no message; in a first fragment, a hidden one */
		*why = "header chain hides the upper-layer header";
		return c->fragment ? LG_LINK_STATS_A_SHIELD_DROP_HIDDEN : 0;
	}
	if (lg_server_msg(*type))
		return LG_LINK_STATS_A_SHIELD_DROP_SERVER;
	release = lg_release_type(ln, *type);
	*why = "RELEASE-REQUEST(-REPLY) from a subscriber";
	if (release && !READ_ONCE(link->release_trusted))
		return LG_LINK_STATS_A_SHIELD_DROP_RELEASE;

	*why = "fragmented DHCPv6 message";
	if (c->fragment)
		return LG_LINK_STATS_A_SHIELD_DROP_HIDDEN;
	if (*type != DHCP6_RELAY_FORW && !release)
		return 0;	/* its type says all */
	*why = "DHCPv6 message that cannot be checked whole";
	len = lg_udp_payload_len(skb, uh, off);
	if (len < 0)
		return LG_LINK_STATS_A_SHIELD_DROP_HIDDEN;
	return lg_snoop_shield(ln, link, skb, off, len, why);
}

/* Source :: is for Duplicate Address Detection and MLD reports only. */
static bool lg_unspecified_ok(const struct sk_buff *skb,
			      enum ip6_chain_res res, const struct ip6_chain *c)
{
	u8 type;

	if (res != IP6_CHAIN_OK || c->l4_proto != IPPROTO_ICMPV6)
		return false;
	type = skb_network_header(skb)[c->l4_off];
	switch (type) {
	case NDISC_NEIGHBOUR_SOLICITATION:
		return ipv6_addr_is_solict_mult(&ipv6_hdr(skb)->daddr);
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
		return true;
	}
	return false;
}

static bool lg_savi_static_rcu(struct lg_net *ln, const struct lg_link *link,
			       const struct in6_addr *addr)
{
	struct lg_lease_key key;
	unsigned int plen;

	for_each_set_bit(plen, link->static_plens, LG_PLENS) {
		lg_lease_key_init(&key, link->ifindex, addr->s6_addr, plen);
		if (rhashtable_lookup(&ln->savi_statics, &key, lg_savi_params))
			return true;
	}
	return false;
}

/* Source validation: the counter of the reason it fails, or 0. */
static unsigned int lg_savi_check(struct lg_net *ln, const struct lg_link *link,
				  const struct sk_buff *skb,
				  enum ip6_chain_res res,
				  const struct ip6_chain *c)
{
	const struct in6_addr *saddr = &ipv6_hdr(skb)->saddr;
	bool anchor = READ_ONCE(link->savi_anchor) == LG_SAVI_ANCHOR_MAC;
	unsigned int reason;

	if ((saddr->s6_addr32[0] & htonl(0xffc00000)) == htonl(0xfe800000))
		return 0;	/* link-local: neighbor discovery needs it */
	if (ipv6_addr_any(saddr))
		return lg_unspecified_ok(skb, res, c) ? 0 :
		       LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED;

	switch (lg_binding_validate_rcu(ln, link, saddr,
					anchor ? lg_skb_mac(skb) : NULL,
					anchor)) {
	case LG_SAVI_VALID:
		return 0;
	case LG_SAVI_MAC_MISMATCH:
		reason = LG_LINK_STATS_A_SAVI_DROP_MAC;
		break;
	default:
		reason = LG_LINK_STATS_A_SAVI_DROP_SOURCE;
	}
	return lg_savi_static_rcu(ln, link, saddr) ? 0 : reason;
}

/* From the receive hook, for a packet arriving on an access interface. */
unsigned int lg_savi_rx(struct lg_net *ln, struct lg_link *link,
			struct sk_buff *skb)
{
	u8 mode = READ_ONCE(link->savi_mode);
	bool shield = READ_ONCE(link->dhcp6_shield);
	enum ip6_chain_res res;
	struct ip6_chain c;
	unsigned int drop;
	const char *why;

	if (mode == LG_SAVI_OFF && !shield)
		return NF_ACCEPT;

	res = lg_ip6_chain(skb, &c);
	if (shield) {
		drop = lg_shield(ln, link, skb, res, &c, &why);
		if (drop) {
			lg_counter_inc(link->counters, drop);
			lg_savi_log(ln, link, skb, why, true);
			return NF_DROP;
		}
	}
	if (mode == LG_SAVI_OFF)
		return NF_ACCEPT;

	drop = lg_savi_check(ln, link, skb, res, &c);
	if (!drop) {
		lg_counter_inc(link->counters, LG_LINK_STATS_A_SAVI_PASSED);
		return NF_ACCEPT;
	}
	if (drop == LG_LINK_STATS_A_SAVI_DROP_SOURCE)
		lg_savi_miss(ln, link, &ipv6_hdr(skb)->saddr, lg_skb_mac(skb));
	if (mode == LG_SAVI_MONITOR) {
		lg_counter_inc(link->counters, LG_LINK_STATS_A_SAVI_MONITORED);
		lg_savi_log(ln, link, skb, lg_drop_reason(drop), false);
		return NF_ACCEPT;
	}
	lg_counter_inc(link->counters, drop);
	lg_savi_log(ln, link, skb, lg_drop_reason(drop), true);
	return NF_DROP;
}

/* Static entries: for subscribers with addresses of their own. RTNL. */

static void lg_savi_plen_get(struct lg_link *link, u8 plen)
{
	if (!link->static_plen_refs[plen]++)
		set_bit(plen, link->static_plens);
}

static void lg_savi_plen_put(struct lg_link *link, u8 plen)
{
	if (!--link->static_plen_refs[plen])
		clear_bit(plen, link->static_plens);
}

/* Is @prefix/@plen inside @block/@bplen? */
static bool lg_savi_inside(const struct in6_addr *prefix, u8 plen,
			   const struct in6_addr *block, u8 bplen)
{
	return plen >= bplen && ipv6_prefix_equal(prefix, block, bplen);
}

/*
 * An entry is a prefix subscribers may send from: refuses what none may
 * (a wide entry may hold some), and a width that all but turns validation
 * off unless @wide says it is meant (::/0 validates every global source).
 */
static int lg_savi_check_entry(const struct in6_addr *prefix, u8 plen,
			       bool wide, struct netlink_ext_ack *extack)
{
	static const struct in6_addr mc = { { { 0xff } } };
	static const struct in6_addr ll = { { { 0xfe, 0x80 } } };
	static const struct in6_addr mapped = { { { [10] = 0xff,
						      [11] = 0xff } } };

	if (lg_savi_inside(prefix, plen, &mc, 8)) {
		NL_SET_ERR_MSG_MOD(extack, "a multicast prefix cannot be a source");
		return -EINVAL;
	}
	if (lg_savi_inside(prefix, plen, &ll, 10)) {
		NL_SET_ERR_MSG_MOD(extack, "link-local sources are valid without an entry");
		return -EINVAL;
	}
	if (lg_savi_inside(prefix, plen, &mapped, 96)) {
		NL_SET_ERR_MSG_MOD(extack, "an IPv4-mapped address cannot be a source");
		return -EINVAL;
	}
	if (plen < LG_SAVI_WIDE_PLEN) {
		if (wide)
			return 0;
		NL_SET_ERR_MSG_MOD(extack, "a prefix shorter than /32 needs the wide flag");
		return -EINVAL;
	}
	/* ::/96: unspecified, loopback, IPv4-compatible (deprecated). */
	if (ipv6_prefix_equal(prefix, &in6addr_any, min_t(u8, plen, 96))) {
		NL_SET_ERR_MSG_MOD(extack, "the prefix holds the unspecified or loopback address");
		return -EINVAL;
	}
	return 0;
}

int lg_savi_add(struct lg_net *ln, struct lg_link *link,
		const struct in6_addr *prefix, u8 plen, bool wide,
		struct netlink_ext_ack *extack)
{
	struct lg_savi_entry *e;
	struct in6_addr clean;
	int err;

	ASSERT_RTNL();
	if (link->role != LG_ROLE_ACCESS) {
		NL_SET_ERR_MSG_MOD(extack, "not an access interface");
		return -EOPNOTSUPP;
	}
	ipv6_addr_prefix(&clean, prefix, plen);
	if (!ipv6_addr_equal(&clean, prefix)) {
		NL_SET_ERR_MSG_MOD(extack, "host bits set in the prefix");
		return -EINVAL;
	}
	err = lg_savi_check_entry(prefix, plen, wide, extack);
	if (err)
		return err;
	if (link->n_static >= LG_SAVI_MAX_ENTRIES) {
		NL_SET_ERR_MSG_MOD(extack, "too many static entries on the interface");
		return -ENOSPC;
	}

	e = lg_should_fail() ? NULL : kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	lg_lease_key_init(&e->key, link->ifindex, prefix->s6_addr, plen);
	err = lg_should_fail() ? -ENOMEM :
	      rhashtable_lookup_insert_fast(&ln->savi_statics, &e->node,
					    lg_savi_params);
	if (err) {
		kfree(e);
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "the entry exists");
		return err;
	}
	list_add_tail_rcu(&e->list, &link->statics);
	link->n_static++;
	lg_savi_plen_get(link, plen);
	return 0;
}

static void lg_savi_remove(struct lg_net *ln, struct lg_link *link,
			   struct lg_savi_entry *e)
{
	rhashtable_remove_fast(&ln->savi_statics, &e->node, lg_savi_params);
	list_del_rcu(&e->list);
	link->n_static--;
	lg_savi_plen_put(link, e->key.plen);
	kfree_rcu(e, rcu);
}

int lg_savi_del(struct lg_net *ln, struct lg_link *link,
		const struct in6_addr *prefix, u8 plen,
		struct netlink_ext_ack *extack)
{
	struct lg_savi_entry *e;
	struct lg_lease_key key;

	ASSERT_RTNL();
	lg_lease_key_init(&key, link->ifindex, prefix->s6_addr, plen);
	e = rhashtable_lookup_fast(&ln->savi_statics, &key, lg_savi_params);
	if (!e || !ipv6_addr_equal(&e->key.prefix, prefix)) {
		NL_SET_ERR_MSG_MOD(extack, "no such entry");
		return -ENOENT;
	}
	lg_savi_remove(ln, link, e);
	return 0;
}

void lg_savi_flush_link(struct lg_net *ln, struct lg_link *link)
{
	struct lg_savi_entry *e, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(e, tmp, &link->statics, list)
		lg_savi_remove(ln, link, e);
}

int lg_savi_init(struct lg_net *ln)
{
	ln->release_request_type = LG_RELEASE_REQUEST_TYPE_DEFAULT;
	ln->release_reply_type = LG_RELEASE_REPLY_TYPE_DEFAULT;
	lg_savi_miss_init_net(&ln->miss);
	return rhashtable_init(&ln->savi_statics, &lg_savi_params);
}

static void lg_savi_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* The namespace is going: no hook or netlink reader is left. */
void lg_savi_destroy(struct lg_net *ln)
{
	rhashtable_free_and_destroy(&ln->savi_statics, lg_savi_free, NULL);
}
