// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for agent/lib/dhcp6_leasequery.c.
 *
 * The input is parsed as a LEASEQUERY (as the Kea hook does) and as a
 * LEASEQUERY-REPLY (as leaseguardd does), with its first octet forced to
 * each type, from a heap buffer of exactly its size, so ASan reports any
 * read past it; every byte a dr_bytes points to is read. When a parse is
 * good, the result is built again into a heap buffer of exactly the length
 * the builder needs (one octet less must fail), parsed again, and the two
 * parses must say the same. A rebuilt message is no longer than the input
 * but for a status's name, and for the bare copy of each lease that came
 * only in an IA (29 octets at most each).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6_leasequery.h"

#define MAX_LEASES	32

static const uint8_t *in_buf;
static size_t in_len;
static volatile unsigned int sink;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Within [buf, buf + len), and every octet readable. */
static void touch(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	unsigned int sum = 0;
	size_t i;

	if (!n)
		return;
	CHECK(p >= buf && n <= len && (size_t)(p - buf) <= len - n);
	for (i = 0; i < n; i++)
		sum += p[i];
	sink += sum;
}

static void touch_duid(const struct dr_bytes *b, const uint8_t *buf,
		       size_t len, bool required)
{
	touch(b->data, b->len, buf, len);
	if (b->len || required)
		CHECK(b->len >= DR_DUID_MIN && b->len <= DR_DUID_MAX);
}

static bool same_bytes(const struct dr_bytes *a, const struct dr_bytes *b)
{
	return a->len == b->len && (!a->len ||
				    !memcmp(a->data, b->data, a->len));
}

/*
 * Builds with build(msg, buf, cap) into exactly the length it needs, at
 * most in_len + grow.
 */
#define BUILD(fn, msg, grow, outlen) ({					\
	size_t _big = in_len + (grow) + 64, _n;				\
	uint8_t *_b = (uint8_t *)malloc(_big);				\
									\
	CHECK(_b);							\
	_n = fn(msg, _b, _big);						\
	CHECK(_n >= 4 && _n <= in_len + (grow));			\
	free(_b);							\
	_b = (uint8_t *)malloc(_n);					\
	CHECK(_b);							\
	CHECK(fn(msg, _b, _n - 1) == 0);				\
	CHECK(fn(msg, _b, _n) == _n);					\
	*(outlen) = _n;							\
	_b;								\
})

static void check_query(const struct lq_query *q, const uint8_t *buf,
			size_t len)
{
	CHECK(q->xid <= 0xffffff);
	touch_duid(&q->client_id, buf, len, true);
	touch_duid(&q->server_id, buf, len, false);
	touch_duid(&q->query_client_id, buf, len,
		   q->query_type == LQ_QUERY_BY_CLIENTID);
	CHECK(q->n_oro <= LQ_MAX_ORO);
}

static void query(const uint8_t *data, size_t size)
{
	struct lq_query q1, q2;
	bool in_query;
	enum lq_err err;
	uint8_t *out;
	size_t len;

	err = lq_parse_query(data, size, &q1, &in_query);
	CHECK(err < LQ_ERR_COUNT);
	if (in_query) {
		/* A server answers it: whom, it must know. */
		CHECK(err != LQ_OK);
		touch_duid(&q1.client_id, data, size, true);
		touch_duid(&q1.server_id, data, size, false);
	}
	if (err != LQ_OK)
		return;
	check_query(&q1, data, size);

	out = BUILD(lq_build_query, &q1, 0, &len);
	CHECK(len <= size);
	CHECK(lq_parse_query(out, len, &q2, &in_query) == LQ_OK);
	check_query(&q2, out, len);
	CHECK(q1.xid == q2.xid && q1.query_type == q2.query_type);
	CHECK(same_bytes(&q1.client_id, &q2.client_id));
	CHECK(same_bytes(&q1.server_id, &q2.server_id));
	CHECK(!memcmp(q1.link_addr, q2.link_addr, 16));
	CHECK(q1.query_type != LQ_QUERY_BY_ADDRESS ||
	      !memcmp(q1.addr, q2.addr, 16));
	CHECK(same_bytes(&q1.query_client_id, &q2.query_client_id));
	CHECK(q1.n_oro == q2.n_oro &&
	      !memcmp(q1.oro, q2.oro, q1.n_oro * sizeof(q1.oro[0])));
	free(out);
}

static void check_reply(const struct lq_reply *r, const uint8_t *buf,
			size_t len)
{
	uint16_t i;

	CHECK(r->xid <= 0xffffff);
	touch_duid(&r->client_id, buf, len, false);
	touch_duid(&r->server_id, buf, len, false);
	touch(r->status_text.data, r->status_text.len, buf, len);
	CHECK(r->has_status || (!r->status && !r->status_text.len));
	CHECK(r->has_client || (!r->client_duid.len && !r->n_leases &&
				!r->has_clt_time));
	touch_duid(&r->client_duid, buf, len, r->has_client);
	CHECK(r->n_leases <= r->max_leases);
	for (i = 0; i < r->n_leases; i++) {
		CHECK(r->leases[i].prefix ? r->leases[i].plen <= 128 :
		      r->leases[i].plen == 128);
		CHECK(r->leases[i].has_iaid || !r->leases[i].iaid);
	}
	CHECK(r->has_relay_data || !r->relay_msg.len);
	touch(r->relay_msg.data, r->relay_msg.len, buf, len);
	touch(r->links, (size_t)r->n_links * 16, buf, len);
}

static void reply(const uint8_t *data, size_t size)
{
	static struct lq_lease l1[MAX_LEASES], l2[MAX_LEASES];
	struct lq_reply r1, r2;
	struct dr_bytes text;
	const char *name;
	enum lq_err err;
	uint8_t *out;
	size_t len;

	r1.leases = l1;
	r1.max_leases = MAX_LEASES;
	err = lq_parse_reply(data, size, &r1);
	CHECK(err < LQ_ERR_COUNT);
	CHECK(lq_err_name(err)[0]);
	if (err != LQ_OK)
		return;
	check_reply(&r1, data, size);
	/* Relay data at the top is built in the Client Data: none, none. */
	if (r1.has_relay_data && !r1.has_client)
		return;

	out = BUILD(lq_build_reply, &r1, 16 + 29 * (size_t)r1.n_leases, &len);
	r2.leases = l2;
	r2.max_leases = MAX_LEASES;
	CHECK(lq_parse_reply(out, len, &r2) == LQ_OK);
	check_reply(&r2, out, len);
	text = r1.status_text;
	name = dr_status_name(r1.status);
	if (!text.len) {
		text.data = (const uint8_t *)name;
		text.len = strlen(name);
	}
	CHECK(r1.xid == r2.xid);
	CHECK(same_bytes(&r1.client_id, &r2.client_id));
	CHECK(same_bytes(&r1.server_id, &r2.server_id));
	CHECK(r1.has_status == r2.has_status && r1.status == r2.status);
	CHECK(!r1.has_status || same_bytes(&text, &r2.status_text));
	CHECK(r1.has_client == r2.has_client);
	CHECK(same_bytes(&r1.client_duid, &r2.client_duid));
	CHECK(r1.has_clt_time == r2.has_clt_time &&
	      r1.clt_time == r2.clt_time);
	CHECK(r1.n_leases == r2.n_leases &&
	      !memcmp(l1, l2, r1.n_leases * sizeof(l1[0])));
	CHECK(r1.has_relay_data == r2.has_relay_data &&
	      !memcmp(r1.relay_peer, r2.relay_peer, 16) &&
	      same_bytes(&r1.relay_msg, &r2.relay_msg));
	CHECK(r1.n_links == r2.n_links &&
	      (!r1.n_links || !memcmp(r1.links, r2.links, r1.n_links * 16)));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = (uint8_t *)malloc(size ? size : 1);

	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	in_buf = buf;
	in_len = size;
	if (size)
		buf[0] = LQ_MSG_LEASEQUERY;
	query(buf, size);
	if (size)
		buf[0] = LQ_MSG_LEASEQUERY_REPLY;
	reply(buf, size);
	free(buf);
	return 0;
}
