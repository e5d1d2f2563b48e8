// SPDX-License-Identifier: GPL-2.0
/*
 * Intermediate relays (draft-gandhewar-dhc-v6-relay-initiated-release
 * section 4.2): an interface whose release_forward is off lets no
 * RELEASE-REQUEST or RELEASE-REQUEST-REPLY be relayed across it.
 *
 * A relay agent on this router carries them inside RELAY-FORW and
 * RELAY-REPL, which go to the server port: those are dropped where they
 * arrive (PRE_ROUTING) or leave (POST_ROUTING) by such an interface. What
 * the router forwards, bare or inside, is dropped in the forward hook. The
 * bare ones this router sends or receives itself (leaseguardd's exchange
 * with the server) are not relayed and pass.
 *
 * Only UDP to port 547 is looked into, and only where it crosses such an
 * interface: the hooks check the interface (or, to forward, a count per
 * namespace) before they call in here.
 */
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/udp.h>

#include "leaseguard.h"
#include "dhcp6_opt.h"

/* RFC 3315's HOP_COUNT_LIMIT (RFC 8415 lowered it to 8). */
#define LG_RELAY_DEPTH_MAX	32
#define LG_RELAY_HDR_LEN	34	/* msg-type, hop-count, link, peer */

enum lg_relfwd_kind {
	LG_RELFWD_OTHER,	/* no release message in it */
	LG_RELFWD_BARE,		/* a release message, not relayed */
	LG_RELFWD_RELAYED,	/* one inside relay messages */
	LG_RELFWD_UNKNOWN,	/* what it carries is out of sight */
};

/*
 * Walks the relay layers of the DHCPv6 message at [@off, @off + @len) of
 * @skb down to the message inside, reading only the headers it needs (no
 * pull). @cut: the datagram goes on past @len (this is a first fragment).
 *
 * What it cannot read entirely is unknown: a relay layer that is cut (the
 * outermost one spans the whole datagram), nested too deep, short, without
 * a Relay Message, with two (servers differ on which one counts: Kea takes
 * the last), or whose options do not fill it exactly.
 */
static enum lg_relfwd_kind lg_relfwd_walk(const struct lg_net *ln,
					  const struct sk_buff *skb,
					  unsigned int off, unsigned int len,
					  bool cut)
{
	unsigned int depth, pos, end, olen, inner_off = 0, inner_len = 0;
	u8 buf[DHCP6_OPT_HDR_LEN];
	const u8 *p;
	bool found;

	for (depth = 0; ; depth++) {
		if (!len)
			return cut ? LG_RELFWD_UNKNOWN : LG_RELFWD_OTHER;
		p = skb_header_pointer(skb, off, 1, buf);
		if (!p)
			return LG_RELFWD_UNKNOWN;
		if (*p != DHCP6_RELAY_FORW && *p != DHCP6_RELAY_REPL)
			break;
		/* Cut, deeper than any relay goes, or short: no telling. */
		if (cut || depth == LG_RELAY_DEPTH_MAX || len < LG_RELAY_HDR_LEN)
			return LG_RELFWD_UNKNOWN;

		found = false;
		end = off + len;
		for (pos = off + LG_RELAY_HDR_LEN; pos < end;
		     pos += DHCP6_OPT_HDR_LEN + olen) {
			if (end - pos < DHCP6_OPT_HDR_LEN)
				return LG_RELFWD_UNKNOWN;
			p = skb_header_pointer(skb, pos, DHCP6_OPT_HDR_LEN, buf);
			if (!p)
				return LG_RELFWD_UNKNOWN;
			olen = dhcp6_get16(p + 2);
			if (olen > end - pos - DHCP6_OPT_HDR_LEN)
				return LG_RELFWD_UNKNOWN;
			if (dhcp6_get16(p) != DHCP6_OPT_RELAY_MSG)
				continue;
			if (found)
				return LG_RELFWD_UNKNOWN;
			found = true;
			inner_off = pos + DHCP6_OPT_HDR_LEN;
			inner_len = olen;
		}
		if (!found)
			return LG_RELFWD_UNKNOWN;
		off = inner_off;
		len = inner_len;
	}
	if (!lg_release_type(ln, *p))
		return LG_RELFWD_OTHER;
	return depth ? LG_RELFWD_RELAYED : LG_RELFWD_BARE;
}

/*
 * Most packets are plain UDP to another port: one look at the UDP header
 * settles those, before any walk. Extension headers take the full walk.
 */
static bool lg_relfwd_plain_other(const struct sk_buff *skb)
{
	const struct udphdr *uh;
	struct udphdr _uh;

	if (ipv6_hdr(skb)->nexthdr != IPPROTO_UDP)
		return false;
	uh = skb_header_pointer(skb, skb_network_offset(skb) +
				sizeof(struct ipv6hdr), sizeof(_uh), &_uh);
	return uh && uh->dest != htons(DHCP6_SERVER_PORT);
}

static enum lg_relfwd_kind lg_relfwd_classify(struct lg_net *ln,
					      struct sk_buff *skb)
{
	unsigned int off, rest, ulen;
	const struct udphdr *uh;
	enum ip6_chain_res res;
	struct ip6_chain c;

	if (lg_relfwd_plain_other(skb))
		return LG_RELFWD_OTHER;
	res = lg_ip6_chain(skb, &c);
	/* RFC 7112: a first fragment without its UDP header hides the port. */
	if (res == IP6_CHAIN_INCOMPLETE && c.fragment &&
	    (!c.l4_off || c.l4_proto == IPPROTO_UDP))
		return LG_RELFWD_UNKNOWN;
	if (res != IP6_CHAIN_OK || c.l4_proto != IPPROTO_UDP)
		return LG_RELFWD_OTHER;

	/* The walk made the UDP header linear. */
	uh = (const struct udphdr *)(skb_network_header(skb) + c.l4_off);
	if (uh->dest != htons(DHCP6_SERVER_PORT))
		return LG_RELFWD_OTHER;
	off = skb_network_offset(skb) + c.l4_off + sizeof(*uh);
	rest = skb->len - off;
	ulen = ntohs(uh->len);
	/* 0: the rest of the datagram, as Linux's UDP reads it (RFC 2675) */
	if (!ulen)
		return lg_relfwd_walk(ln, skb, off, rest, c.fragment);
	if (ulen < sizeof(*uh))
		return LG_RELFWD_OTHER;	/* no receiver takes it */
	ulen -= sizeof(*uh);
	return lg_relfwd_walk(ln, skb, off, min(ulen, rest), ulen > rest);
}

static unsigned int lg_relfwd_drop(struct lg_link *link)
{
	lg_counter_inc(link->counters, LG_LINK_STATS_A_RELEASE_FWD_DROP);
	return NF_DROP;
}

/*
 * A packet arrives on, or leaves by, @link, whose release_forward is off:
 * a relay agent of this router relays what it carries inside relay
 * messages.
 */
unsigned int lg_relfwd_relayed(struct lg_net *ln, struct lg_link *link,
			       struct sk_buff *skb)
{
	switch (lg_relfwd_classify(ln, skb)) {
	case LG_RELFWD_RELAYED:
	case LG_RELFWD_UNKNOWN:
		return lg_relfwd_drop(link);
	default:
		return NF_ACCEPT;
	}
}

/* The router forwards a packet from @in to @out (either may be NULL). */
unsigned int lg_relfwd_forward(struct lg_net *ln, struct lg_link *in,
			       struct lg_link *out, struct sk_buff *skb)
{
	struct lg_link *refusing;

	/* The way in is counted first: it is where the packet was refused. */
	if (in && !READ_ONCE(in->release_forward))
		refusing = in;
	else if (out && !READ_ONCE(out->release_forward))
		refusing = out;
	else
		return NF_ACCEPT;

	if (lg_relfwd_classify(ln, skb) == LG_RELFWD_OTHER)
		return NF_ACCEPT;
	return lg_relfwd_drop(refusing);
}
