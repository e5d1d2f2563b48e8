/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Builds DHCPv6 messages for tests and load generators:
 *
 *	struct d6b b;
 *	d6b_msg(&b, DHCP6_REPLY, xid);
 *	d6b_put(&b, DHCP6_OPT_CLIENTID, duid, duid_len);
 *	d6b_ia(&b, DHCP6_OPT_IA_NA, iaid, 0, 0);
 *	d6b_iaaddr(&b, &addr, 1800, 3600);
 *	d6b_end(&b);
 *
 * Containers (IAs, IAADDR/IAPREFIX, Relay Message) are opened with
 * d6b_open() or the helpers and closed with d6b_end(); lengths are filled
 * in on close. Nothing is checked: tests build malformed messages too.
 */
#ifndef _LG_DHCP6_BUILD_H
#define _LG_DHCP6_BUILD_H

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

struct d6b {
	uint8_t buf[4096];
	size_t len;
	size_t open[16];	/* offsets of open options' headers */
	int depth;
};

static inline void d6b_raw(struct d6b *b, const void *p, size_t n)
{
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static inline void d6b_u8(struct d6b *b, uint8_t v)
{
	b->buf[b->len++] = v;
}

static inline void d6b_u16(struct d6b *b, uint16_t v)
{
	d6b_u8(b, v >> 8);
	d6b_u8(b, v);
}

static inline void d6b_u32(struct d6b *b, uint32_t v)
{
	d6b_u16(b, v >> 16);
	d6b_u16(b, v);
}

/* A client/server message header. */
static inline void d6b_msg(struct d6b *b, uint8_t type, uint32_t xid)
{
	b->len = 0;
	b->depth = 0;
	d6b_u8(b, type);
	d6b_u8(b, xid >> 16);
	d6b_u16(b, xid);
}

/* A relay header, at the start or inside an open Relay Message. */
static inline void d6b_relay(struct d6b *b, uint8_t type, uint8_t hops,
			     const struct in6_addr *link,
			     const struct in6_addr *peer)
{
	d6b_u8(b, type);
	d6b_u8(b, hops);
	d6b_raw(b, link, 16);
	d6b_raw(b, peer, 16);
}

static inline void d6b_open(struct d6b *b, uint16_t code)
{
	b->open[b->depth++] = b->len;
	d6b_u16(b, code);
	d6b_u16(b, 0);
}

static inline void d6b_end(struct d6b *b)
{
	size_t at = b->open[--b->depth];
	size_t n = b->len - at - 4;

	b->buf[at + 2] = n >> 8;
	b->buf[at + 3] = n;
}

static inline void d6b_put(struct d6b *b, uint16_t code, const void *data,
			   uint16_t len)
{
	d6b_u16(b, code);
	d6b_u16(b, len);
	d6b_raw(b, data, len);
}

static inline void d6b_ia(struct d6b *b, uint16_t code, uint32_t iaid,
			  uint32_t t1, uint32_t t2)
{
	d6b_open(b, code);
	d6b_u32(b, iaid);
	d6b_u32(b, t1);
	d6b_u32(b, t2);
}

/* An IAADDR, left open for a Status Code: close it with d6b_end(). */
static inline void d6b_iaaddr_open(struct d6b *b, const struct in6_addr *a,
				   uint32_t preferred, uint32_t valid)
{
	d6b_open(b, 5);
	d6b_raw(b, a, 16);
	d6b_u32(b, preferred);
	d6b_u32(b, valid);
}

static inline void d6b_iaaddr(struct d6b *b, const struct in6_addr *a,
			      uint32_t preferred, uint32_t valid)
{
	d6b_iaaddr_open(b, a, preferred, valid);
	d6b_end(b);
}

static inline void d6b_iaprefix(struct d6b *b, uint8_t plen,
				const struct in6_addr *prefix,
				uint32_t preferred, uint32_t valid)
{
	d6b_open(b, 26);
	d6b_u32(b, preferred);
	d6b_u32(b, valid);
	d6b_u8(b, plen);
	d6b_raw(b, prefix, 16);
	d6b_end(b);
}

static inline void d6b_status(struct d6b *b, uint16_t code)
{
	d6b_u16(b, 13);
	d6b_u16(b, 2);
	d6b_u16(b, code);
}

#endif /* _LG_DHCP6_BUILD_H */
