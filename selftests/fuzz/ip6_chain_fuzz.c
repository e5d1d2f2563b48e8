// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for kmod/ip6_chain.c.
 *
 * The input is one packet from its IPv6 header, walked whole (buf_len =
 * pkt_len = size), then from a heap copy of its first half, then by
 * following ->need from nothing, each copy exactly as long as buf_len so
 * that ASan reports any read past it. What each result promises is
 * checked, and a walk of part of the packet must end as the whole walk
 * does unless it asks for more.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ip6_chain.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* The minimum upper-layer headers, written out again as an oracle. */
static uint32_t min_len(uint8_t proto)
{
	switch (proto) {
	case 6:			/* TCP */
		return 20;
	case 17:		/* UDP */
	case 50:		/* ESP */
		return 8;
	case 58:		/* ICMPv6 */
		return 4;
	case 132:		/* SCTP */
		return 12;
	}
	return 0;
}

static int is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 ||
	       nh == 135 || nh == 139 || nh == 140 || nh == 253 || nh == 254;
}

static int same(const struct ip6_chain *a, const struct ip6_chain *b)
{
	return a->l4_off == b->l4_off && a->need == b->need &&
	       a->frag_off == b->frag_off && a->l4_proto == b->l4_proto &&
	       a->n_ext == b->n_ext && a->fragment == b->fragment;
}

/* Walks a heap copy of data[0, buf_len) and checks what the result says. */
static enum ip6_chain_res walk(const uint8_t *data, uint32_t buf_len,
			       uint32_t pkt_len, struct ip6_chain *c)
{
	enum ip6_chain_res res;
	uint8_t *copy;

	copy = malloc(buf_len ? buf_len : 1);
	CHECK(copy);
	memcpy(copy, data, buf_len);
	res = ip6_chain_walk(copy, buf_len, pkt_len, c);
	free(copy);

	CHECK(res <= IP6_CHAIN_MALFORMED);
	CHECK(ip6_chain_res_name(res)[0]);
	CHECK(res == IP6_CHAIN_NEED_MORE || !c->need);
	CHECK(c->fragment || !c->frag_off);
	/* each extension header is 8 bytes or more, after the IPv6 one */
	CHECK(!c->l4_off || c->l4_off >= 40 + 8u * c->n_ext);

	switch (res) {
	case IP6_CHAIN_OK:
		CHECK(c->l4_off >= 40);
		CHECK(!is_ext(c->l4_proto));
		CHECK(c->l4_off <= buf_len);	/* and so <= pkt_len */
		CHECK(min_len(c->l4_proto) <= buf_len - c->l4_off);
		CHECK(!c->frag_off);
		break;
	case IP6_CHAIN_LATER_FRAGMENT:
		CHECK(c->fragment && c->frag_off);
		CHECK(c->l4_off >= 48 && c->l4_off <= buf_len);
		break;
	case IP6_CHAIN_NEED_MORE:
		CHECK(c->need > buf_len && c->need <= pkt_len);
		break;
	case IP6_CHAIN_INCOMPLETE:
		CHECK(c->l4_off <= pkt_len);
		break;
	case IP6_CHAIN_MALFORMED:
		break;
	}
	return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ip6_chain_res whole_res, res;
	struct ip6_chain whole, c;
	uint32_t len, n;

	if (size > UINT32_MAX)
		return 0;
	len = size;

	/* The whole packet in buf: never NEED_MORE. */
	whole_res = walk(data, len, len, &whole);
	CHECK(whole_res != IP6_CHAIN_NEED_MORE);

	/* Half of it: asks for more, or ends the same. */
	res = walk(data, len / 2, len, &c);
	CHECK(res == IP6_CHAIN_NEED_MORE ||
	      (res == whole_res && same(&c, &whole)));

	/* Following ->need gets there, asking for more each time. */
	n = 0;
	while ((res = walk(data, n, len, &c)) == IP6_CHAIN_NEED_MORE)
		n = c.need;
	CHECK(res == whole_res && same(&c, &whole));
	return 0;
}
