/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The DHCPv6 option walk (RFC 8415 section 21.1), shared by the parsers:
 * kmod/dhcp6_parse.c and agent/lib/dhcp6_release.c. Each option header and
 * length is checked against what is left of its container before anything
 * reads the option. Plain C, and C++ for the Kea hook.
 */
#ifndef _LG_DHCP6_OPT_H
#define _LG_DHCP6_OPT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>

typedef unsigned char u8;	/* as dhcp6_parse.h and ip6_chain.h have them */
typedef unsigned short u16;
typedef unsigned int u32;
#endif

#define DHCP6_OPT_HDR_LEN	4	/* option-code, option-len */

static inline u16 dhcp6_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 dhcp6_get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 |
	       (u32)p[2] << 8 | p[3];
}

/* The options of one container, and the one dhcp6_opt_next() returned. */
struct dhcp6_opt_cursor {
	const u8 *pos;
	size_t left;
	bool overrun;		/* an option ran past its container */
	u16 code;
	u16 len;
	const u8 *data;
};

static inline void dhcp6_opt_init(struct dhcp6_opt_cursor *c,
				  const u8 *buf, size_t len)
{
	c->pos = buf;
	c->left = len;
	c->overrun = false;
}

/*
 * Steps to the next option. Returns false at the end of the container, or
 * on an option that does not fit in it, and then sets c->overrun.
 */
static inline bool dhcp6_opt_next(struct dhcp6_opt_cursor *c)
{
	if (!c->left)
		return false;
	if (c->left < DHCP6_OPT_HDR_LEN) {
		c->overrun = true;
		return false;
	}
	c->code = dhcp6_get16(c->pos);
	c->len = dhcp6_get16(c->pos + 2);
	if (c->len > c->left - DHCP6_OPT_HDR_LEN) {
		c->overrun = true;
		return false;
	}
	c->data = c->pos + DHCP6_OPT_HDR_LEN;
	c->pos += DHCP6_OPT_HDR_LEN + c->len;
	c->left -= DHCP6_OPT_HDR_LEN + c->len;
	return true;
}

#endif /* _LG_DHCP6_OPT_H */
