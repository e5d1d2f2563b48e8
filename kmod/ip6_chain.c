// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IPv6 extension-header chain walker. See ip6_chain.h for the rules.
 *
 * reach() checks each header against what is left of the packet, then of
 * buf, before anything reads it, by subtracting from those bounds, so that
 * no sum can wrap whatever the caller passes. The walk only moves past a
 * header reach() accepted, so its offset stays within both bounds, and
 * bytes past pkt_len are never reached even when buf holds them.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <assert.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "ip6_chain.h"

#define IP6_HDR_LEN	40
#define IP6_EXT_MIN_LEN	8	/* the smallest extension header */
#define N_EXT_MAX	255	/* n_ext's saturation point */

/* Next Header values (IANA "Assigned Internet Protocol Numbers"). */
enum {
	NH_HOPOPTS = 0,
	NH_TCP = 6,
	NH_UDP = 17,
	NH_ROUTING = 43,
	NH_FRAGMENT = 44,
	NH_ESP = 50,
	NH_AH = 51,
	NH_ICMPV6 = 58,
	NH_DSTOPTS = 60,
	NH_SCTP = 132,
	NH_MOBILITY = 135,
	NH_HIP = 139,
	NH_SHIM6 = 140,
	NH_EXP1 = 253,		/* RFC 3692 experimentation */
	NH_EXP2 = 254,
};

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* The IANA "IPv6 Extension Header Types" registry, all of it. */
static bool is_ext(u8 nh)
{
	switch (nh) {
	case NH_HOPOPTS:
	case NH_ROUTING:
	case NH_FRAGMENT:
	case NH_AH:
	case NH_DSTOPTS:
	case NH_MOBILITY:
	case NH_HIP:
	case NH_SHIM6:
	case NH_EXP1:
	case NH_EXP2:
		return true;
	default:
		return false;
	}
}

/* The length of the extension header at p, of which 8 bytes are in buf. */
static u32 ext_len(u8 nh, const u8 *p)
{
	switch (nh) {
	case NH_FRAGMENT:
		return 8;
	case NH_AH:		/* RFC 4302: in 4-octet units, minus 2 */
		return ((u32)p[1] + 2) * 4;
	default:		/* RFC 8200 4.3: in 8-octet units, minus 1 */
		return ((u32)p[1] + 1) * 8;
	}
}

/*
 * How much of the upper-layer header must be there before the caller looks
 * at it: the fixed part of those whose ports or type it may read.
 */
static u32 l4_min_len(u8 proto)
{
	switch (proto) {
	case NH_TCP:
		return 20;
	case NH_UDP:
		return 8;
	case NH_ICMPV6:
		return 4;
	case NH_SCTP:
		return 12;
	case NH_ESP:
		return 8;	/* SPI and Sequence Number */
	default:
		return 0;
	}
}

/*
 * Whether len bytes at off are in the packet and in buf: IP6_CHAIN_OK, or
 * why not. off <= pkt_len and off <= buf_len, so neither subtraction
 * wraps, and ->need <= pkt_len.
 */
static enum ip6_chain_res reach(struct ip6_chain *c, u32 off, u32 len,
				u32 buf_len, u32 pkt_len)
{
	if (len > pkt_len - off)
		return IP6_CHAIN_INCOMPLETE;
	if (len > buf_len - off) {
		c->need = off + len;
		return IP6_CHAIN_NEED_MORE;
	}
	return IP6_CHAIN_OK;
}

enum ip6_chain_res ip6_chain_walk(const u8 *buf, u32 buf_len, u32 pkt_len,
				  struct ip6_chain *c)
{
	enum ip6_chain_res res;
	u32 off = IP6_HDR_LEN, len;
	u8 nh;

	*c = (struct ip6_chain){ 0 };
	if (pkt_len < IP6_HDR_LEN)
		return IP6_CHAIN_MALFORMED;
	res = reach(c, 0, IP6_HDR_LEN, buf_len, pkt_len);
	if (res != IP6_CHAIN_OK)
		return res;
	if (buf[0] >> 4 != 6)
		return IP6_CHAIN_MALFORMED;
	nh = buf[6];

	while (is_ext(nh)) {
		/* RFC 8200 4.1; receivers reject it anywhere else */
		if (nh == NH_HOPOPTS && off != IP6_HDR_LEN)
			return IP6_CHAIN_MALFORMED;
		res = reach(c, off, IP6_EXT_MIN_LEN, buf_len, pkt_len);
		if (res != IP6_CHAIN_OK)
			return res;
		len = ext_len(nh, buf + off);
		res = reach(c, off, len, buf_len, pkt_len);
		if (res != IP6_CHAIN_OK)
			return res;

		if (c->n_ext < N_EXT_MAX)
			c->n_ext++;
		if (nh == NH_FRAGMENT) {
			c->fragment = true;
			c->frag_off = get16(buf + off + 2) >> 3;
		}
		nh = buf[off];
		off += len;
		/* Fragment data follows, not headers (RFC 8200 4.5). */
		if (c->frag_off) {
			c->l4_proto = nh;
			c->l4_off = off;
			return IP6_CHAIN_LATER_FRAGMENT;
		}
	}

	c->l4_proto = nh;
	c->l4_off = off;
	return reach(c, off, l4_min_len(nh), buf_len, pkt_len);
}

static const char * const ip6_chain_res_names[] = {
	[IP6_CHAIN_OK] = "ok",
	[IP6_CHAIN_LATER_FRAGMENT] = "later_fragment",
	[IP6_CHAIN_NEED_MORE] = "need_more",
	[IP6_CHAIN_INCOMPLETE] = "incomplete",
	[IP6_CHAIN_MALFORMED] = "malformed",
};

static_assert(ARRAY_SIZE(ip6_chain_res_names) == IP6_CHAIN_MALFORMED + 1,
	      "a name for each enum ip6_chain_res");

const char *ip6_chain_res_name(enum ip6_chain_res res)
{
	unsigned int i = res;

	if (i >= ARRAY_SIZE(ip6_chain_res_names))
		return "unknown";
	return ip6_chain_res_names[i];
}
