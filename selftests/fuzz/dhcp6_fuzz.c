// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for kmod/dhcp6_parse.c.
 *
 * libFuzzer hands over a heap buffer of exactly size octets, so ASan
 * reports any read past it. On top of that, every field of the result is
 * checked against its bounds and every byte a dhcp6_bytes points to is
 * read, whatever the return value: a wrong pointer or length shows up
 * here even when the parser itself did not misread.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dhcp6_parse.h"

static const uint8_t *in_buf;
static size_t in_len;
static volatile unsigned int sink;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void touch_bytes(const struct dhcp6_bytes *b)
{
	unsigned int sum = 0;
	uint16_t i;

	if (!b->len)
		return;
	CHECK(b->data >= in_buf);
	CHECK(b->len <= in_len);
	CHECK((size_t)(b->data - in_buf) <= in_len - b->len);
	for (i = 0; i < b->len; i++)
		sum += b->data[i];
	sink += sum;
}

static void touch_lease(const struct dhcp6_lease *l, int kept)
{
	unsigned int sum = l->plen + l->preferred + l->valid + l->status;
	int i;

	if (kept)
		CHECK(l->plen <= 128);
	CHECK(l->has_status || !l->status);
	for (i = 0; i < 16; i++)
		sum += l->addr[i];
	sink += sum;
}

static void touch_ia(const struct dhcp6_ia *ia, int kept)
{
	int i;

	if (kept) {
		CHECK(ia->type == DHCP6_OPT_IA_NA ||
		      ia->type == DHCP6_OPT_IA_PD);
		CHECK(ia->n_leases <= DHCP6_MAX_LEASES);
		CHECK(!ia->leases_truncated ||
		      ia->n_leases == DHCP6_MAX_LEASES);
	}
	sink += ia->iaid + ia->t1 + ia->t2 + ia->status;
	for (i = 0; i < DHCP6_MAX_LEASES; i++)
		touch_lease(&ia->leases[i], kept && i < ia->n_leases);
}

static void touch_relay(const struct dhcp6_relay *r, int kept)
{
	unsigned int sum = r->hop_count + r->lladdr_type;
	int i;

	if (kept)
		CHECK(r->type == DHCP6_RELAY_FORW ||
		      r->type == DHCP6_RELAY_REPL);
	for (i = 0; i < 16; i++)
		sum += r->link_addr[i] + r->peer_addr[i];
	sink += sum;
	touch_bytes(&r->interface_id);
	touch_bytes(&r->relay_id);
	touch_bytes(&r->lladdr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_packet pkt;
	const struct dhcp6_msg *m = &pkt.msg;
	enum dhcp6_err err;
	int i;

	in_buf = data;
	in_len = size;
	err = dhcp6_parse(data, size, &pkt);
	CHECK(err < __DHCP6_ERR_MAX);
	CHECK(dhcp6_err_name(err)[0]);

	/* Error or not, nothing may point outside the input. */
	CHECK(pkt.n_relays <= DHCP6_HOP_COUNT_LIMIT + 1);
	for (i = 0; i < DHCP6_HOP_COUNT_LIMIT + 1; i++)
		touch_relay(&pkt.relays[i], i < pkt.n_relays);
	CHECK(m->n_ias <= DHCP6_MAX_IAS);
	CHECK(!m->ias_truncated || m->n_ias == DHCP6_MAX_IAS);
	for (i = 0; i < DHCP6_MAX_IAS; i++)
		touch_ia(&m->ias[i], i < m->n_ias);
	touch_bytes(&m->client_id);
	touch_bytes(&m->server_id);
	sink += m->type + m->xid + m->status + m->rapid_commit;

	if (err)
		return 0;

	/* What a good parse promises. */
	CHECK(m->type != DHCP6_RELAY_FORW && m->type != DHCP6_RELAY_REPL);
	CHECK(m->xid <= 0xffffff);
	CHECK(!m->client_id.len || (m->client_id.len >= DHCP6_DUID_MIN &&
				    m->client_id.len <= DHCP6_DUID_MAX));
	CHECK(!m->server_id.len || (m->server_id.len >= DHCP6_DUID_MIN &&
				    m->server_id.len <= DHCP6_DUID_MAX));
	for (i = 0; i < pkt.n_relays; i++) {
		const struct dhcp6_relay *r = &pkt.relays[i];

		CHECK(i == 0 || r->type == pkt.relays[0].type);
		CHECK(!r->relay_id.len ||
		      (r->relay_id.len >= DHCP6_DUID_MIN &&
		       r->relay_id.len <= DHCP6_DUID_MAX));
	}
	return 0;
}
