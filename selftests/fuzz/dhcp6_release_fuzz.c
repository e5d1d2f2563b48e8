// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for agent/lib/dhcp6_release.c.
 *
 * The input is parsed as a RELEASE-REQUEST or RELEASE-REQUEST-REPLY from
 * a heap buffer of exactly its size, so ASan reports any read past it, and
 * every byte a dr_bytes points to is read whatever the result. When the
 * parse is good, the result is built again, into a heap buffer of exactly
 * the length dr_fit() promises, and parsed again: the two parses must
 * describe the same message, and building the second must give the same
 * octets as building the first. All of it twice: as leaseguardd parses
 * (no DR_PARSE_ flag), and as the Kea hook does (IA_TA, bare leases).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6_release.h"

#define MAX_CLIENTS	512

static const uint8_t *in_buf;
static size_t in_len;
static volatile unsigned int sink;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Within [buf, buf + len), and every octet readable. */
static void touch_bytes(const struct dr_bytes *b, const uint8_t *buf,
			size_t len)
{
	unsigned int sum = 0;
	uint16_t i;

	if (!b->len)
		return;
	CHECK(b->data >= buf);
	CHECK(b->len <= len);
	CHECK((size_t)(b->data - buf) <= len - b->len);
	for (i = 0; i < b->len; i++)
		sum += b->data[i];
	sink += sum;
}

static void touch_duid(const struct dr_bytes *b, bool required)
{
	touch_bytes(b, in_buf, in_len);
	if (b->len || required)
		CHECK(b->len >= DR_DUID_MIN && b->len <= DR_DUID_MAX);
}

static bool same_bytes(const struct dr_bytes *a, const struct dr_bytes *b)
{
	return a->len == b->len && (!a->len ||
				    !memcmp(a->data, b->data, a->len));
}

/* What a good parse promises. */
static void check_parsed(const struct dr_msg *m)
{
	int i, j, k;

	CHECK(m->xid <= 0xffffff);
	CHECK(m->type != 12 && m->type != 13);
	touch_duid(&m->server_id, false);
	touch_duid(&m->relay_id, false);
	touch_bytes(&m->ifid, in_buf, in_len);
	touch_bytes(&m->status_text, in_buf, in_len);
	CHECK(m->has_status || (!m->status && !m->status_text.len));
	CHECK(m->n_clients <= m->max_clients);
	for (i = 0; i < m->n_clients; i++) {
		const struct dr_client *c = &m->clients[i];

		touch_duid(&c->duid, true);
		touch_bytes(&c->ifid, in_buf, in_len);
		CHECK(c->has_status || !c->status);
		CHECK(c->n_ias <= DR_MAX_CLIENT_IAS);
		for (j = 0; j < c->n_ias; j++) {
			const struct dr_ia *ia = &c->ias[j];
			bool bare = ia->type == DR_OPT_IAADDR ||
				    ia->type == DR_OPT_IAPREFIX;
			bool prefix = ia->type == DR_OPT_IA_PD ||
				      ia->type == DR_OPT_IAPREFIX;

			CHECK(ia->type == DR_OPT_IA_NA ||
			      ia->type == DR_OPT_IA_PD ||
			      (ia->type == DR_OPT_IA_TA &&
			       (m->parse_flags & DR_PARSE_IA_TA)) ||
			      (bare && (m->parse_flags & DR_PARSE_BARE_LEASES)));
			CHECK(ia->has_status || !ia->status);
			CHECK(!bare || (!ia->has_status && !ia->iaid &&
					ia->n_leases));
			CHECK(ia->n_leases <= DR_MAX_IA_LEASES);
			for (k = 0; k < ia->n_leases; k++) {
				CHECK(prefix ? ia->leases[k].plen <= 128 :
				      ia->leases[k].plen == 128);
				CHECK(bare || !ia->leases[k].has_status);
				CHECK(ia->leases[k].has_status ||
				      !ia->leases[k].status);
			}
			for (k = 0; k < j; k++)
				CHECK(c->ias[k].type != ia->type ||
				      c->ias[k].iaid != ia->iaid);
		}
	}
}

/* b, parsed from dr_build(a), is a again (see dr_build()'s comment). */
static void check_same(const struct dr_msg *a, const struct dr_msg *b)
{
	const char *name = dr_status_name(a->status);
	struct dr_bytes text = a->status_text;
	int i, j, k;

	if (!text.len && strcmp(name, "unknown")) {
		text.data = (const uint8_t *)name;
		text.len = strlen(name);
	}
	CHECK(a->type == b->type && a->xid == b->xid);
	CHECK(same_bytes(&a->server_id, &b->server_id));
	CHECK(same_bytes(&a->relay_id, &b->relay_id));
	CHECK(same_bytes(&a->ifid, &b->ifid));
	CHECK(a->has_status == b->has_status && a->status == b->status);
	CHECK(!a->has_status || same_bytes(&text, &b->status_text));
	CHECK(a->n_clients == b->n_clients);
	for (i = 0; i < a->n_clients; i++) {
		const struct dr_client *ca = &a->clients[i];
		const struct dr_client *cb = &b->clients[i];

		CHECK(same_bytes(&ca->duid, &cb->duid));
		CHECK(same_bytes(dr_client_ifid(a, ca), dr_client_ifid(b, cb)));
		CHECK(ca->has_status == cb->has_status &&
		      ca->status == cb->status);
		CHECK(ca->n_ias == cb->n_ias);
		for (j = 0; j < ca->n_ias; j++) {
			const struct dr_ia *ia = &ca->ias[j];
			const struct dr_ia *ib = &cb->ias[j];

			CHECK(ia->type == ib->type && ia->iaid == ib->iaid);
			CHECK(ia->has_status == ib->has_status &&
			      ia->status == ib->status);
			CHECK(ia->n_leases == ib->n_leases);
			for (k = 0; k < ia->n_leases; k++) {
				CHECK(ia->leases[k].plen == ib->leases[k].plen);
				CHECK(!memcmp(ia->leases[k].addr,
					      ib->leases[k].addr, 16));
				CHECK(ia->leases[k].has_status ==
				      ib->leases[k].has_status &&
				      ia->leases[k].status ==
				      ib->leases[k].status);
			}
		}
	}
}

/* Builds m into a heap buffer of exactly the length it needs. */
static uint8_t *build(const struct dr_msg *m, size_t *len)
{
	size_t big = in_len + 64, n;
	uint8_t *buf;

	/*
	 * A parsed message always builds again, as long or shorter, but for
	 * a top-level status's name (16 octets at most) where it had no text.
	 */
	buf = (uint8_t *)malloc(big);
	CHECK(buf);
	n = dr_build(m, buf, big);
	CHECK(n >= 4 && n <= in_len + 16);
	free(buf);

	CHECK(dr_fit(m, n) == m->n_clients);
	if (m->n_clients)
		CHECK(dr_fit(m, n - 1) == m->n_clients - 1);
	buf = (uint8_t *)malloc(n);
	CHECK(buf);
	CHECK(dr_build(m, buf, n - 1) == 0);
	CHECK(dr_build(m, buf, n) == n);
	*len = n;
	return buf;
}

static void one(const uint8_t *data, size_t size, uint8_t flags)
{
	static struct dr_client c1[MAX_CLIENTS], c2[MAX_CLIENTS];
	struct dr_msg m1 = { 0 }, m2 = { 0 };
	uint8_t *out, *again;
	size_t len, len2;
	enum dr_err err;

	in_buf = data;
	in_len = size;
	m1.clients = c1;
	m1.max_clients = MAX_CLIENTS;
	m1.parse_flags = flags;
	err = dr_parse(data, size, &m1);
	CHECK(err < DR_ERR_COUNT);
	CHECK(dr_err_name(err)[0]);
	CHECK(m1.clients == c1 && m1.max_clients == MAX_CLIENTS);
	CHECK(m1.parse_flags == flags);
	CHECK(m1.n_clients <= MAX_CLIENTS);
	if (err)
		return;
	check_parsed(&m1);

	out = build(&m1, &len);
	m2.clients = c2;
	m2.max_clients = MAX_CLIENTS;
	m2.parse_flags = flags;
	CHECK(dr_parse(out, len, &m2) == DR_OK);
	in_buf = out;
	in_len = len;
	check_parsed(&m2);
	check_same(&m1, &m2);

	/* and what came back builds to the same octets */
	again = build(&m2, &len2);
	CHECK(len2 == len && !memcmp(again, out, len));
	free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, 0);
	one(data, size, DR_PARSE_IA_TA | DR_PARSE_BARE_LEASES);
	return 0;
}
