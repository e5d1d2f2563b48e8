/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * An IPv6 extension-header chain walker in plain C: no kernel or libc calls,
 * so that the same file builds into leaseguard.ko, userspace unit tests and
 * fuzz targets.
 *
 * ip6_chain_walk() finds where the upper-layer header of a packet really
 * is, so that a filter looks at the same header the receiver will, and
 * tells a first fragment that leaves that header out (RFC 7112), which a
 * port filter could otherwise be evaded with. It never allocates, keeps no
 * state, and never reads outside [buf, buf + buf_len).
 */
#ifndef _LG_IP6_CHAIN_H
#define _LG_IP6_CHAIN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
#endif

/*
 * Where the header chain of an IPv6 packet ends. Offsets count from the
 * start of the IPv6 header.
 */
struct ip6_chain {
	u32 l4_off;	/* upper-layer header (LATER_FRAGMENT: fragment data) */
	u32 need;	/* NEED_MORE: this many bytes must be readable */
	u16 frag_off;	/* last Fragment header's offset, 8-octet units */
	u8 l4_proto;	/* the Next Header value that ended the chain */
	u8 n_ext;	/* extension headers walked (saturates at 255) */
	bool fragment;	/* a Fragment header was seen */
};

enum ip6_chain_res {
	/* l4_proto starts at l4_off and its minimum header is in buf */
	IP6_CHAIN_OK,
	/* Fragment Offset != 0: the upper-layer header is not in this one */
	IP6_CHAIN_LATER_FRAGMENT,
	/*
	 * buf ends before the chain does, the packet does not: make ->need
	 * bytes readable and call again
	 */
	IP6_CHAIN_NEED_MORE,
	/*
	 * the packet ends inside the chain or inside the minimum upper-layer
	 * header; with ->fragment, a first fragment RFC 7112 forbids
	 */
	IP6_CHAIN_INCOMPLETE,
	/* not IPv6, shorter than 40 bytes, or Hop-by-Hop not first */
	IP6_CHAIN_MALFORMED,
};

/*
 * Walks the header chain of the IPv6 packet at buf into *c (which it
 * overwrites). buf_len bytes of buf are readable; pkt_len is the packet's
 * length from the IPv6 header, as the caller trimmed it (Payload Length is
 * not read). A buf_len past pkt_len counts as pkt_len.
 *
 * Extension headers (IANA "IPv6 Extension Header Types") are walked: 0
 * Hop-by-Hop (first only), 43 Routing, 44 Fragment (8 bytes), 51 AH
 * ((len + 2) * 4 bytes), and 60 Destination Options, 135 Mobility, 139 HIP,
 * 140 Shim6, 253 and 254 ((len + 1) * 8 bytes). Any other Next Header,
 * 50 ESP and 59 No Next Header included, ends the chain. A Fragment header
 * with a non-zero offset ends it too (IP6_CHAIN_LATER_FRAGMENT); one with
 * offset 0, atomic or not, is walked past. There is no limit on the number
 * of headers (RFC 7610): each is at least 8 bytes, so the walk ends.
 *
 * Every extension header, and the upper-layer header's minimum (TCP 20,
 * UDP 8, ICMPv6 4, SCTP 12, ESP 8, others 0), must lie inside buf for
 * IP6_CHAIN_OK; inside pkt_len but not buf is IP6_CHAIN_NEED_MORE. Once
 * the chain's end is found, l4_proto and l4_off are set whatever the result
 * (an RFC 7112 IP6_CHAIN_INCOMPLETE says which header was left out).
 */
enum ip6_chain_res ip6_chain_walk(const u8 *buf, u32 buf_len, u32 pkt_len,
				  struct ip6_chain *c);

/* A name for each result, for logs and tests ("ok", "need_more"...). */
const char *ip6_chain_res_name(enum ip6_chain_res res);

#endif /* _LG_IP6_CHAIN_H */
