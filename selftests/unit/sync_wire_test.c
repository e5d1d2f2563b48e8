// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for agent/lib/sync_wire.c, the partner protocol's codec,
 * built in userspace under ASan and UBSan.
 *
 * Two messages are written out by hand, octet by octet, and the builder
 * must produce exactly them; the others go round through lg_sync_build()
 * and lg_sync_parse(); malformed ones are written with the codec's own
 * writer (lg_sync_put() checks no policy) or by changing octets. Every
 * parse runs on a heap copy of exactly the message's length, so a read
 * past the end is an ASan report, not a quiet pass.
 *
 * With SYNC_WIRE_CORPUS_DIR set, every message parsed (not the truncated
 * copies) is also written there as a fuzzing seed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "kselftest_harness.h"

#include "sync_wire.h"
#include "unit.h"

/* ---- Hand-written messages --------------------------------------------- */

/* A BACKUP that received up to seq 0x102 from its peer. */
static const uint8_t hello_vec[] = {
	0x01, 0x01, 0x00, 0x00,			/* v1, HELLO, flags 0 */
	0x00, 0x00, 0x00, 0x3c,			/* length 60 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* seq 0 */
	0x00, 0x01, 0x00, 0x10,			/* NODE_ID, 16 octets */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x00, 0x02, 0x00, 0x04,			/* SW_VERSION, 4 octets */
	'0', '.', '2', '1',
	0x00, 0x03, 0x00, 0x01,			/* ROLE, 1 octet: */
	0x02, 0x00, 0x00, 0x00,			/*   BACKUP, padding */
	0x00, 0x04, 0x00, 0x08,			/* RECV_SEQ, 8 octets */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x05, 0x00, 0x08,			/* INSTANCE, 8 octets */
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};

static const uint8_t node_id[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static const uint8_t client_duid[] = {
	0x00, 0x03, 0x00, 0x01,			/* DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x01, 0x02,	/* 02:00:00:00:01:02 */
};

/* The relay released acc0's IA_PD 7 of that client at 1.7e12 ms. */
static const uint8_t delete_vec[] = {
	0x01, 0x03, 0x00, 0x00,			/* v1, DELETE, flags 0 */
	0x00, 0x00, 0x00, 0x40,			/* length 64 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,	/* seq 7 */
	0x00, 0x06, 0x00, 0x28,			/* BINDING, 40 octets: */
	0x00, 0x09, 0x00, 0x04,			/*   IFNAME, 4 octets */
	'a', 'c', 'c', '0',
	0x00, 0x0a, 0x00, 0x0a,			/*   CLIENT_DUID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x01, 0x02, 0x00, 0x00,			/*   (2 octets of padding) */
	0x00, 0x0b, 0x00, 0x01,			/*   IA_TYPE, 1 octet: */
	0x02, 0x00, 0x00, 0x00,			/*     IA_PD */
	0x00, 0x0c, 0x00, 0x04,			/*   IAID, 4 octets */
	0x00, 0x00, 0x00, 0x07,
	0x00, 0x18, 0x00, 0x01,			/* REASON, 1 octet: */
	0x05, 0x00, 0x00, 0x00,			/*   RELAY_RELEASE */
	0x00, 0x08, 0x00, 0x08,			/* TIME, 8 octets */
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,
};

static const uint8_t lladdr[16] = {		/* fe80::ff:fe00:102 */
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0x00, 0x01, 0x02
};

static const uint8_t server_addr[16] = {	/* 2001:db8:ffff::1 */
	0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};

static const uint8_t server_duid[] = {
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
};

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 };

static uint8_t ifid[] = { 'e', 't', 'h', '0', '/', '7' };

static const uint8_t addr_100[16] = {		/* 2001:db8:1::100 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
};

static const uint8_t prefix_ab00[16] = {	/* 2001:db8:ab00::/56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/* ---- The fixture -------------------------------------------------------- */

FIXTURE(sw) {
	struct lg_sync_msg in;		/* what is built */
	struct lg_sync_msg m;		/* what is parsed */
	struct lg_lease leases[8];	/* in.b's */
	struct lg_sync_writer w;	/* for hand-made messages */
	const char *why;
	uint8_t *copy;			/* what m points into */
	uint8_t out[70000];
	int seeds;
};

FIXTURE_SETUP(sw)
{
	memset(self, 0, sizeof(*self));
	self->in.b.leases = self->leases;
}

FIXTURE_TEARDOWN(sw)
{
	free(self->copy);
}

static int parse_copy(FIXTURE_DATA(sw) *self, const uint8_t *buf, size_t len)
{
	free(self->copy);
	self->copy = malloc(len ? len : 1);
	if (!self->copy)
		abort();
	memcpy(self->copy, buf, len);
	self->why = NULL;
	return lg_sync_parse(self->copy, len, &self->m, &self->why);
}

/* Parses, as a seed for the fuzzer too. */
#define PARSE(buf, len) ({						\
	write_seed("SYNC_WIRE_CORPUS_DIR", 0, _metadata->name,		\
		   self->seeds++, buf, len);				\
	parse_copy(self, buf, len);					\
})

/* Builds self->in into self->out, then parses that. */
#define ROUND_TRIP() ({							\
	ssize_t _n = lg_sync_build(&self->in, self->out,		\
				   sizeof(self->out));			\
	ASSERT_LT(0, _n);						\
	ASSERT_EQ(0, PARSE(self->out, _n));				\
	_n;								\
})

/* A hand-made message in self->out: BEGIN(type, seq), attributes, END(). */
#define BEGIN(type, seq) do {						\
	lg_sync_writer_init(&self->w, self->out, sizeof(self->out));	\
	lg_sync_msg_begin(&self->w, type, seq);				\
} while (0)
#define END() lg_sync_msg_end(&self->w)
#define PARSE_END() ({ ssize_t _n = END(); ASSERT_LT(0, _n);		\
		       PARSE(self->out, _n); })
#define EXPECT_BAD(what) do {						\
	EXPECT_EQ(-EBADMSG, PARSE_END());				\
	EXPECT_STREQ(what, self->why);					\
} while (0)

/* Octets to copy from (never self->out, which the writer writes to). */
static const uint8_t filler[65536];

/* in: an UPDATE of every field, its leases in leases[]. */
static void full_binding(struct lg_sync_msg *in, struct lg_lease *leases)
{
	struct lg_binding *b = &in->b;

	memset(in, 0, sizeof(*in));
	memset(leases, 0, 2 * sizeof(*leases));
	b->leases = leases;
	b->id = 99;			/* not sent */
	b->ifindex = 12;		/* not sent */
	strcpy(b->ifname, "acc0");
	memcpy(b->client_duid, client_duid, sizeof(client_duid));
	b->client_duid_len = sizeof(client_duid);
	b->has_ia_type = b->has_iaid = true;
	b->ia_type = LG_IA_PD;
	b->iaid = 7;
	b->has_client_lladdr = b->has_server_addr = b->has_client_mac = true;
	memcpy(b->client_lladdr, lladdr, 16);
	memcpy(b->server_addr, server_addr, 16);
	memcpy(b->client_mac, mac, 6);
	memcpy(b->server_duid, server_duid, sizeof(server_duid));
	b->server_duid_len = sizeof(server_duid);
	b->interface_id = ifid;
	b->interface_id_len = sizeof(ifid);
	b->has_created = true;
	b->created = 1700000000;
	memcpy(b->leases[0].addr, prefix_ab00, 16);
	b->leases[0].has_plen = b->leases[0].has_preferred = true;
	b->leases[0].has_valid = true;
	b->leases[0].plen = 56;
	b->leases[0].preferred = 1800;
	b->leases[0].valid = 3600;
	/* An address; its preferred is its valid. */
	memcpy(b->leases[1].addr, addr_100, 16);
	b->leases[1].has_valid = true;
	b->leases[1].valid = 0xffffffff;
	b->n_leases = 2;
	in->hdr.type = LG_SYNC_MSG_UPDATE;
	in->hdr.seq = 1;
	in->change = LG_SYNC_CHANGE_NEW;
	in->time_ms = 1700000000123ULL;
}

/* A binding's key in a nest, every field as given (len 0: absent). */
static void put_key(struct lg_sync_writer *w, const char *ifname,
		    size_t ifname_len, size_t duid_len, int ia_type)
{
	static const uint8_t duid[200] = { 0, 3, 0, 1, 2 };

	if (ifname)
		lg_sync_put(w, LG_SYNC_A_IFNAME, ifname, ifname_len);
	if (duid_len != (size_t)-1)
		lg_sync_put(w, LG_SYNC_A_CLIENT_DUID, duid, duid_len);
	if (ia_type >= 0)
		lg_sync_put_u8(w, LG_SYNC_A_IA_TYPE, ia_type);
	lg_sync_put_u32(w, LG_SYNC_A_IAID, 7);
}

static void put_lease(struct lg_sync_writer *w, uint8_t plen,
		      uint32_t preferred, uint32_t valid)
{
	size_t nest = lg_sync_nest_begin(w, LG_SYNC_A_LEASE);

	lg_sync_put(w, LG_SYNC_A_ADDR, addr_100, 16);
	lg_sync_put_u8(w, LG_SYNC_A_PLEN, plen);
	lg_sync_put_u32(w, LG_SYNC_A_PREFERRED, preferred);
	lg_sync_put_u32(w, LG_SYNC_A_VALID, valid);
	lg_sync_nest_end(w, nest);
}

/* An UPDATE but for its leases: BEGIN_UPDATE(), leases, END_UPDATE(). */
#define BEGIN_UPDATE() size_t _nest; do {				\
	BEGIN(LG_SYNC_MSG_UPDATE, 1);					\
	_nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_BINDING);	\
	put_key(&self->w, "acc0", 4, 10, LG_IA_NA);			\
	lg_sync_put(&self->w, LG_SYNC_A_CLIENT_LLADDR, lladdr, 16);	\
	lg_sync_put(&self->w, LG_SYNC_A_SERVER_ADDR, server_addr, 16);	\
} while (0)
#define END_UPDATE() do {						\
	lg_sync_nest_end(&self->w, _nest);				\
	lg_sync_put_u8(&self->w, LG_SYNC_A_CHANGE, 1);			\
	lg_sync_put_u64(&self->w, LG_SYNC_A_TIME, 1);			\
} while (0)

/* ---- The hand-written messages ------------------------------------------ */

TEST_F(sw, hello_parsed)
{
	ASSERT_EQ(0, PARSE(hello_vec, sizeof(hello_vec)));
	EXPECT_EQ(LG_SYNC_VERSION, self->m.hdr.version);
	EXPECT_EQ(LG_SYNC_MSG_HELLO, self->m.hdr.type);
	EXPECT_EQ(60, self->m.hdr.len);
	EXPECT_EQ(0, self->m.hdr.seq);
	EXPECT_FALSE(self->m.unknown_type);
	EXPECT_EQ(0, self->m.unknown_attrs);
	EXPECT_EQ(0, memcmp(self->m.hello.node_id, node_id, 16));
	EXPECT_STREQ("0.21", self->m.hello.sw_version);
	EXPECT_EQ(LG_SYNC_ROLE_BACKUP, self->m.hello.role);
	EXPECT_EQ(0x102, self->m.hello.recv_seq);
	EXPECT_EQ(0x0123456789abcdefULL, self->m.hello.instance);
	EXPECT_EQ((ssize_t)sizeof(hello_vec),
		  lg_sync_frame_len(hello_vec, sizeof(hello_vec)));
}

TEST_F(sw, hello_built_octet_for_octet)
{
	struct lg_sync_hello *h = &self->in.hello;

	self->in.hdr.type = LG_SYNC_MSG_HELLO;
	memcpy(h->node_id, node_id, 16);
	strcpy(h->sw_version, "0.21");
	h->role = LG_SYNC_ROLE_BACKUP;
	h->recv_seq = 0x102;
	h->instance = 0x0123456789abcdefULL;
	ASSERT_EQ((ssize_t)sizeof(hello_vec),
		  lg_sync_build(&self->in, self->out, sizeof(self->out)));
	EXPECT_EQ(0, memcmp(hello_vec, self->out, sizeof(hello_vec)));
}

TEST_F(sw, delete_parsed)
{
	const struct lg_binding *b = &self->m.b;

	ASSERT_EQ(0, PARSE(delete_vec, sizeof(delete_vec)));
	EXPECT_EQ(LG_SYNC_MSG_DELETE, self->m.hdr.type);
	EXPECT_EQ(7, self->m.hdr.seq);
	EXPECT_STREQ("acc0", b->ifname);
	ASSERT_EQ(sizeof(client_duid), b->client_duid_len);
	EXPECT_EQ(0, memcmp(client_duid, b->client_duid, b->client_duid_len));
	EXPECT_TRUE(b->has_ia_type);
	EXPECT_TRUE(b->has_iaid);
	EXPECT_EQ(LG_IA_PD, b->ia_type);
	EXPECT_EQ(7, b->iaid);
	EXPECT_EQ(LG_SYNC_DEL_RELAY_RELEASE, self->m.reason);
	EXPECT_EQ(1700000000000ULL, self->m.time_ms);
	/* The key only: no pointer, nothing else. */
	EXPECT_EQ(NULL, b->leases);
	EXPECT_EQ(0, b->n_leases);
	EXPECT_EQ(NULL, b->interface_id);
	EXPECT_FALSE(b->has_client_lladdr);
	EXPECT_FALSE(b->has_server_addr);
}

TEST_F(sw, delete_built_octet_for_octet)
{
	/* A whole binding, of which a DELETE sends the key. */
	full_binding(&self->in, self->leases);
	self->in.hdr.type = LG_SYNC_MSG_DELETE;
	self->in.hdr.seq = 7;
	self->in.reason = LG_SYNC_DEL_RELAY_RELEASE;
	self->in.time_ms = 1700000000000ULL;
	ASSERT_EQ((ssize_t)sizeof(delete_vec),
		  lg_sync_build(&self->in, self->out, sizeof(self->out)));
	EXPECT_EQ(0, memcmp(delete_vec, self->out, sizeof(delete_vec)));
}

/* ---- Round trips --------------------------------------------------------- */

TEST_F(sw, update_round_trip_every_field)
{
	const struct lg_binding *b = &self->m.b;
	ssize_t n;

	full_binding(&self->in, self->leases);
	self->in.hdr.seq = 0x1122334455667788ULL;
	self->in.change = LG_SYNC_CHANGE_UPDATE;
	n = ROUND_TRIP();
	EXPECT_EQ(n, lg_sync_frame_len(self->out, n));
	EXPECT_EQ(LG_SYNC_MSG_UPDATE, self->m.hdr.type);
	EXPECT_EQ(0x1122334455667788ULL, self->m.hdr.seq);
	EXPECT_EQ(LG_SYNC_CHANGE_UPDATE, self->m.change);
	EXPECT_EQ(1700000000123ULL, self->m.time_ms);
	EXPECT_EQ(0, b->id);
	EXPECT_EQ(0, b->ifindex);
	EXPECT_STREQ("acc0", b->ifname);
	ASSERT_EQ(sizeof(client_duid), b->client_duid_len);
	EXPECT_EQ(0, memcmp(client_duid, b->client_duid, b->client_duid_len));
	EXPECT_EQ(LG_IA_PD, b->ia_type);
	EXPECT_EQ(7, b->iaid);
	EXPECT_TRUE(b->has_client_lladdr && b->has_server_addr);
	EXPECT_EQ(0, memcmp(lladdr, b->client_lladdr, 16));
	EXPECT_EQ(0, memcmp(server_addr, b->server_addr, 16));
	EXPECT_TRUE(b->has_client_mac);
	EXPECT_EQ(0, memcmp(mac, b->client_mac, 6));
	ASSERT_EQ(sizeof(server_duid), b->server_duid_len);
	EXPECT_EQ(0, memcmp(server_duid, b->server_duid, b->server_duid_len));
	ASSERT_EQ(sizeof(ifid), b->interface_id_len);
	EXPECT_EQ(0, memcmp(ifid, b->interface_id, sizeof(ifid)));
	/* Into the parsed buffer, as documented. */
	EXPECT_TRUE(b->interface_id > self->copy &&
		    b->interface_id + sizeof(ifid) <= self->copy + n);
	EXPECT_TRUE(b->has_created);
	EXPECT_EQ(1700000000, b->created);
	EXPECT_FALSE(b->has_state || b->has_del_reason || b->has_origin);
	/* Into the message's own leases[]. */
	ASSERT_EQ(2, b->n_leases);
	ASSERT_TRUE(self->m.leases == b->leases);
	EXPECT_EQ(0, memcmp(prefix_ab00, b->leases[0].addr, 16));
	EXPECT_EQ(56, b->leases[0].plen);
	EXPECT_EQ(1800, b->leases[0].preferred);
	EXPECT_EQ(3600, b->leases[0].valid);
	EXPECT_EQ(0, memcmp(addr_100, b->leases[1].addr, 16));
	EXPECT_EQ(128, b->leases[1].plen);
	EXPECT_EQ(0xffffffff, b->leases[1].preferred);
	EXPECT_EQ(0xffffffff, b->leases[1].valid);
	EXPECT_TRUE(b->leases[1].has_plen && b->leases[1].has_preferred &&
		    b->leases[1].has_valid && !b->leases[1].has_expires);
}

TEST_F(sw, update_round_trip_required_only_and_limits)
{
	struct lg_binding *b = &self->in.b;
	size_t i;

	full_binding(&self->in, self->leases);
	b->has_client_mac = b->has_created = false;
	b->server_duid_len = b->interface_id_len = 0;
	b->interface_id = NULL;
	/* The longest of each: name, DUID, leases. */
	strcpy(b->ifname, "abcdefghijklmno");
	memset(b->client_duid, 0xd1, LG_DUID_MAX);
	b->client_duid_len = LG_DUID_MAX;
	for (i = 0; i < LG_SYNC_MAX_LEASES; i++) {
		b->leases[i] = b->leases[0];
		b->leases[i].addr[7] = i;
	}
	b->n_leases = LG_SYNC_MAX_LEASES;
	ROUND_TRIP();
	b = &self->m.b;
	EXPECT_STREQ("abcdefghijklmno", b->ifname);
	EXPECT_EQ(LG_DUID_MAX, b->client_duid_len);
	EXPECT_EQ(0xd1, b->client_duid[LG_DUID_MAX - 1]);
	EXPECT_FALSE(b->has_client_mac || b->has_created);
	EXPECT_EQ(0, b->server_duid_len);
	EXPECT_EQ(0, b->interface_id_len);
	EXPECT_EQ(NULL, b->interface_id);
	ASSERT_EQ(LG_SYNC_MAX_LEASES, b->n_leases);
	for (i = 0; i < LG_SYNC_MAX_LEASES; i++)
		EXPECT_EQ(i, b->leases[i].addr[7]);
}

/* ---- RELEASING: a binding's release in flight ----------------------------- */

/* The RELEASING attribute as it is on the wire, value v and its padding. */
static bool has_releasing_octets(const uint8_t *p, size_t len, uint8_t v)
{
	const uint8_t want[8] = { 0x00, LG_SYNC_A_RELEASING, 0x00, 0x01,
				  v, 0, 0, 0 };
	size_t i;

	for (i = LG_SYNC_HDR_LEN; i + sizeof(want) <= len; i += 4)
		if (!memcmp(p + i, want, sizeof(want)))
			return true;
	return false;
}

TEST_F(sw, update_releasing_round_trip)
{
	const struct lg_binding *b = &self->m.b;
	ssize_t plain, n;
	uint32_t reason;

	full_binding(&self->in, self->leases);
	plain = ROUND_TRIP();
	EXPECT_FALSE(b->has_state || b->has_release_reason);
	/* Every reason the kernel has, as it has it. */
	for (reason = 1; reason <= LG_RELEASE_MAX; reason++) {
		self->in.b.has_state = self->in.b.has_release_reason = true;
		self->in.b.state = LG_BINDING_RELEASING;
		self->in.b.release_reason = reason;
		n = ROUND_TRIP();
		EXPECT_EQ(plain + 8, n);
		EXPECT_TRUE(has_releasing_octets(self->out, n, reason));
		EXPECT_TRUE(b->has_state);
		EXPECT_EQ(LG_BINDING_RELEASING, b->state);
		EXPECT_TRUE(b->has_release_reason);
		EXPECT_EQ(reason, b->release_reason);
		EXPECT_EQ(0, self->m.unknown_attrs);
		/* The rest as before. */
		EXPECT_EQ(2, b->n_leases);
		EXPECT_EQ(1700000000123ULL, self->m.time_ms);
	}
	/* Bound again: said as 0, so that the partner cancels its own. */
	self->in.b.state = LG_BINDING_BOUND;
	self->in.b.has_release_reason = false;
	n = ROUND_TRIP();
	EXPECT_EQ(plain + 8, n);
	EXPECT_TRUE(has_releasing_octets(self->out, n, 0));
	EXPECT_TRUE(b->has_state);
	EXPECT_EQ(LG_BINDING_BOUND, b->state);
	EXPECT_FALSE(b->has_release_reason);
	/* Releasing with no reason known (or 0, which would read as bound). */
	self->in.b.state = LG_BINDING_RELEASING;
	self->in.b.has_release_reason = false;
	ROUND_TRIP();
	EXPECT_EQ(LG_BINDING_RELEASING, b->state);
	EXPECT_EQ(LG_RELEASE_ADMIN, b->release_reason);
	self->in.b.has_release_reason = true;
	self->in.b.release_reason = 0;
	ROUND_TRIP();
	EXPECT_EQ(LG_BINDING_RELEASING, b->state);
	EXPECT_EQ(LG_RELEASE_ADMIN, b->release_reason);
	/* A state the protocol has no word for is not said. */
	self->in.b.state = LG_BINDING_STATE_MAX + 1;
	EXPECT_EQ(plain, ROUND_TRIP());
	EXPECT_FALSE(b->has_state);
	/* A DELETE sends the key only, whatever the state. */
	self->in.b.state = LG_BINDING_RELEASING;
	self->in.hdr.type = LG_SYNC_MSG_DELETE;
	self->in.reason = LG_SYNC_DEL_RELAY_RELEASE;
	n = ROUND_TRIP();
	EXPECT_FALSE(has_releasing_octets(self->out, n, LG_RELEASE_ADMIN));
	EXPECT_FALSE(b->has_state);
}

/* An UPDATE whose binding holds RELEASING: len octets of val. */
#define UPDATE_RELEASING(val, len) do {					\
	BEGIN_UPDATE();							\
	lg_sync_put(&self->w, LG_SYNC_A_RELEASING, val, len);		\
	put_lease(&self->w, 64, 1, 2);					\
	END_UPDATE();							\
} while (0)

TEST_F(sw, releasing_hostile)
{
	static const uint8_t v[8] = { LG_RELEASE_UNREACHABLE };
	static const size_t bad_len[] = { 0, 2, 4, 8 };
	static const uint8_t unknown[] = { LG_RELEASE_MAX + 1, 0x80, 0xff };
	const struct lg_binding *b = &self->m.b;
	unsigned int i;

	/* As a partner writes it. */
	UPDATE_RELEASING(v, 1);
	ASSERT_EQ(0, PARSE_END());
	EXPECT_EQ(LG_BINDING_RELEASING, b->state);
	EXPECT_EQ(LG_RELEASE_UNREACHABLE, b->release_reason);
	/* A length other than 1: malformed, the connection closes. */
	for (i = 0; i < ARRAY_SIZE(bad_len); i++) {
		UPDATE_RELEASING(v, bad_len[i]);
		EXPECT_BAD("integer attribute of the wrong length");
	}
	/* Twice in one binding. */
	{
		BEGIN_UPDATE();
		lg_sync_put_u8(&self->w, LG_SYNC_A_RELEASING, 1);
		lg_sync_put_u8(&self->w, LG_SYNC_A_RELEASING, 0);
		put_lease(&self->w, 64, 1, 2);
		END_UPDATE();
		EXPECT_BAD("attribute given twice");
	}
	/*
	 * A reason this side does not know: a newer partner's. Still a
	 * release (the one thing that matters), for a reason the kernel
	 * takes, and counted as unknown; the link stays up.
	 */
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		UPDATE_RELEASING(&unknown[i], 1);
		ASSERT_EQ(0, PARSE_END());
		EXPECT_TRUE(b->has_state);
		EXPECT_EQ(LG_BINDING_RELEASING, b->state);
		EXPECT_EQ(LG_RELEASE_ADMIN, b->release_reason);
		EXPECT_EQ(1, self->m.unknown_attrs);
	}
	/* Outside a binding it means nothing: checked, then ignored. */
	{
		BEGIN_UPDATE();
		put_lease(&self->w, 64, 1, 2);
		END_UPDATE();
		lg_sync_put_u8(&self->w, LG_SYNC_A_RELEASING, 1);
		ASSERT_EQ(0, PARSE_END());
		EXPECT_FALSE(b->has_state);
		EXPECT_EQ(0, self->m.unknown_attrs);
	}
	{
		BEGIN_UPDATE();
		put_lease(&self->w, 64, 1, 2);
		END_UPDATE();
		lg_sync_put(&self->w, LG_SYNC_A_RELEASING, v, 3);
		EXPECT_BAD("integer attribute of the wrong length");
	}
	{
		size_t nest;

		BEGIN_UPDATE();
		nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_LEASE);
		lg_sync_put(&self->w, LG_SYNC_A_ADDR, addr_100, 16);
		lg_sync_put_u8(&self->w, LG_SYNC_A_PLEN, 128);
		lg_sync_put_u32(&self->w, LG_SYNC_A_PREFERRED, 1);
		lg_sync_put_u32(&self->w, LG_SYNC_A_VALID, 2);
		lg_sync_put_u8(&self->w, LG_SYNC_A_RELEASING, 1);
		lg_sync_nest_end(&self->w, nest);
		END_UPDATE();
		ASSERT_EQ(0, PARSE_END());
		EXPECT_FALSE(b->has_state);
	}
	/* In a DELETE's key. */
	{
		size_t nest;

		BEGIN(LG_SYNC_MSG_DELETE, 2);
		nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_BINDING);
		put_key(&self->w, "acc0", 4, 10, LG_IA_NA);
		lg_sync_put_u8(&self->w, LG_SYNC_A_RELEASING, 1);
		lg_sync_nest_end(&self->w, nest);
		lg_sync_put_u8(&self->w, LG_SYNC_A_REASON, 1);
		lg_sync_put_u64(&self->w, LG_SYNC_A_TIME, 1);
		ASSERT_EQ(0, PARSE_END());
		EXPECT_FALSE(b->has_state);
	}
}

/*
 * Both ways compatible with a partner of the first protocol: an UPDATE
 * without RELEASING leaves the state unsaid (the receiver keeps its own),
 * and an older parser, whose attributes end before RELEASING, skips it as
 * unknown.
 */
TEST_F(sw, releasing_and_an_older_partner)
{
	const uint8_t *nest;
	struct lg_sync_attr tb[LG_SYNC_A_RELEASING];
	unsigned int unknown = 0;
	size_t off;
	ssize_t n;

	BEGIN_UPDATE();
	put_lease(&self->w, 64, 1, 2);
	END_UPDATE();
	ASSERT_EQ(0, PARSE_END());
	EXPECT_FALSE(self->m.b.has_state);
	EXPECT_FALSE(self->m.b.has_release_reason);

	full_binding(&self->in, self->leases);
	self->in.b.has_state = true;
	self->in.b.state = LG_BINDING_RELEASING;
	n = lg_sync_build(&self->in, self->out, sizeof(self->out));
	ASSERT_LT(0, n);
	/* The first attribute is the binding: its nest's value. */
	ASSERT_EQ(LG_SYNC_A_BINDING, self->out[LG_SYNC_HDR_LEN + 1]);
	nest = self->out + LG_SYNC_HDR_LEN + 4;
	off = self->out[LG_SYNC_HDR_LEN + 2] << 8 | self->out[LG_SYNC_HDR_LEN + 3];
	ASSERT_EQ(0, lg_sync_attrs_parse(nest, off, lg_sync_policy,
					 LG_SYNC_A_RELEASING - 1, tb, &unknown,
					 NULL));
	EXPECT_EQ(1, unknown);
	EXPECT_NE(NULL, tb[LG_SYNC_A_IFNAME].val);
	EXPECT_EQ(2, tb[LG_SYNC_A_LEASE].n);
}

TEST_F(sw, every_other_message_round_trip)
{
	static const struct {
		uint8_t type;
		uint64_t seq;
		ssize_t len;
	} t[] = {
		{ LG_SYNC_MSG_ACK, 0, 16 + 12 },
		{ LG_SYNC_MSG_HEARTBEAT, 0, 16 },
		{ LG_SYNC_MSG_BULK_BEGIN, 41, 16 },
		{ LG_SYNC_MSG_BULK_END, UINT64_MAX, 16 + 8 },
		{ LG_SYNC_MSG_RESYNC, 0, 16 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		memset(&self->in, 0, sizeof(self->in));
		self->in.hdr.type = t[i].type;
		self->in.hdr.seq = t[i].seq;
		self->in.recv_seq = 0xfedcba9876543210ULL;
		self->in.count = 100000;
		EXPECT_EQ(t[i].len, ROUND_TRIP());
		EXPECT_EQ(t[i].type, self->m.hdr.type);
		EXPECT_EQ(t[i].seq, self->m.hdr.seq);
		EXPECT_EQ(t[i].type == LG_SYNC_MSG_ACK ?
			  0xfedcba9876543210ULL : 0, self->m.recv_seq);
		EXPECT_EQ(t[i].type == LG_SYNC_MSG_BULK_END ? 100000 : 0,
			  self->m.count);
		EXPECT_EQ(t[i].seq != 0, lg_sync_sequenced(t[i].type));
		EXPECT_EQ(0, self->m.unknown_attrs);
	}
}

TEST_F(sw, hello_round_trip_longest_version_and_roles)
{
	struct lg_sync_hello *h = &self->in.hello;
	int role;

	self->in.hdr.type = LG_SYNC_MSG_HELLO;
	memset(h->sw_version, 'v', LG_SYNC_SW_VERSION_MAX);
	for (role = LG_SYNC_ROLE_UNKNOWN; role <= LG_SYNC_ROLE_BACKUP; role++) {
		h->role = role;
		h->recv_seq = role;
		ROUND_TRIP();
		EXPECT_EQ(role, self->m.hello.role);
		EXPECT_EQ((uint64_t)role, self->m.hello.recv_seq);
		EXPECT_EQ(LG_SYNC_SW_VERSION_MAX,
			  strlen(self->m.hello.sw_version));
	}
}

TEST_F(sw, names)
{
	EXPECT_STREQ("HELLO", lg_sync_msg_name(LG_SYNC_MSG_HELLO));
	EXPECT_STREQ("RESYNC", lg_sync_msg_name(LG_SYNC_MSG_RESYNC));
	EXPECT_STREQ("unknown", lg_sync_msg_name(0));
	EXPECT_STREQ("unknown", lg_sync_msg_name(LG_SYNC_MSG_TYPE_MAX + 1));
}

/* ---- Headers and framing ------------------------------------------------- */

TEST_F(sw, truncated_header_wants_more)
{
	struct lg_sync_hdr h;
	size_t len;

	for (len = 0; len < LG_SYNC_HDR_LEN; len++) {
		EXPECT_EQ(-EAGAIN, lg_sync_hdr_parse(hello_vec, len, &h));
		EXPECT_EQ(-EAGAIN, lg_sync_frame_len(hello_vec, len));
		EXPECT_EQ(-EAGAIN, parse_copy(self, hello_vec, len));
	}
	/* A header whose payload has not all come yet. */
	for (; len < sizeof(hello_vec); len++) {
		EXPECT_EQ(-EAGAIN, lg_sync_frame_len(hello_vec, len));
		EXPECT_EQ(-EAGAIN, parse_copy(self, hello_vec, len));
	}
}

TEST_F(sw, stream_of_messages)
{
	uint8_t buf[sizeof(hello_vec) + sizeof(delete_vec) + 5];
	ssize_t n;

	memcpy(buf, hello_vec, sizeof(hello_vec));
	memcpy(buf + sizeof(hello_vec), delete_vec, sizeof(delete_vec));
	n = lg_sync_frame_len(buf, sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(hello_vec), n);
	/* What follows the first message is not read as its. */
	ASSERT_EQ(0, parse_copy(self, buf, sizeof(buf)));
	EXPECT_EQ(LG_SYNC_MSG_HELLO, self->m.hdr.type);
	EXPECT_EQ((ssize_t)sizeof(delete_vec),
		  lg_sync_frame_len(buf + n, sizeof(buf) - n));
	ASSERT_EQ(0, parse_copy(self, buf + n, sizeof(delete_vec)));
	EXPECT_EQ(LG_SYNC_MSG_DELETE, self->m.hdr.type);
	EXPECT_EQ(-EAGAIN, lg_sync_frame_len(buf + n + sizeof(delete_vec), 5));
}

TEST_F(sw, bad_version)
{
	uint8_t buf[sizeof(hello_vec)];
	int v;

	memcpy(buf, hello_vec, sizeof(buf));
	for (v = 0; v < 256; v++) {
		if (v == LG_SYNC_VERSION)
			continue;
		buf[0] = v;
		EXPECT_EQ(-EPROTO, lg_sync_frame_len(buf, sizeof(buf)));
		EXPECT_EQ(-EPROTO, PARSE(buf, sizeof(buf)));
		EXPECT_STREQ("unknown protocol version", self->why);
	}
}

TEST_F(sw, length_bounds)
{
	struct lg_sync_hdr h = {
		.version = 1, .type = LG_SYNC_MSG_HEARTBEAT,
		.len = LG_SYNC_MSG_MAX + 1,
	};
	uint8_t buf[LG_SYNC_HDR_LEN];

	lg_sync_hdr_put(buf, &h);
	EXPECT_EQ(-EMSGSIZE, lg_sync_hdr_parse(buf, sizeof(buf), &h));
	EXPECT_EQ(-EMSGSIZE, lg_sync_frame_len(buf, sizeof(buf)));
	EXPECT_EQ(-EMSGSIZE, PARSE(buf, sizeof(buf)));
	EXPECT_STREQ("message longer than LG_SYNC_MSG_MAX", self->why);
	h.len = UINT32_MAX;
	lg_sync_hdr_put(buf, &h);
	EXPECT_EQ(-EMSGSIZE, lg_sync_frame_len(buf, sizeof(buf)));
	/* The longest is fine, and wants its payload. */
	h.len = LG_SYNC_MSG_MAX;
	lg_sync_hdr_put(buf, &h);
	EXPECT_EQ(0, lg_sync_hdr_parse(buf, sizeof(buf), &h));
	EXPECT_EQ(LG_SYNC_MSG_MAX, h.len);
	EXPECT_EQ(-EAGAIN, lg_sync_frame_len(buf, sizeof(buf)));
	EXPECT_EQ(-EAGAIN, parse_copy(self, buf, sizeof(buf)));
}

TEST_F(sw, longest_message_parsed)
{
	ssize_t n;

	/* A HEARTBEAT of unknown attributes up to the most. */
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	while (self->w.len + 4 + 1000 <= LG_SYNC_HDR_LEN + LG_SYNC_MSG_MAX)
		lg_sync_put(&self->w, 500, filler, 1000);
	lg_sync_put(&self->w, 501, filler,
		    LG_SYNC_HDR_LEN + LG_SYNC_MSG_MAX - self->w.len - 4);
	n = END();
	ASSERT_EQ(LG_SYNC_HDR_LEN + LG_SYNC_MSG_MAX, n);
	ASSERT_EQ(0, parse_copy(self, self->out, n));
	EXPECT_EQ(66, self->m.unknown_attrs);
	/* One octet more does not fit a message. */
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	lg_sync_put(&self->w, 500, filler, LG_SYNC_MSG_MAX - 4 + 1);
	EXPECT_EQ(-EMSGSIZE, END());
	EXPECT_TRUE(self->w.overflow);
}

TEST_F(sw, seq_of_the_wrong_kind)
{
	struct lg_sync_hdr h = { .version = 1 };
	uint8_t buf[LG_SYNC_HDR_LEN + 16];
	int type;

	memset(buf, 0, sizeof(buf));
	for (type = 1; type <= LG_SYNC_MSG_TYPE_MAX; type++) {
		h.type = type;
		h.seq = lg_sync_sequenced(type) ? 0 : 1;
		lg_sync_hdr_put(buf, &h);
		EXPECT_EQ(-EBADMSG, lg_sync_hdr_parse(buf, sizeof(buf), &h));
		EXPECT_EQ(-EBADMSG, PARSE(buf, LG_SYNC_HDR_LEN));
		EXPECT_STREQ("sequence number of the wrong kind", self->why);
		/* Nor will the builder send it. */
		self->in.hdr = h;
		EXPECT_EQ(-EINVAL, lg_sync_build(&self->in, self->out,
						 sizeof(self->out)));
	}
}

TEST_F(sw, flags_ignored)
{
	uint8_t buf[sizeof(hello_vec)];

	memcpy(buf, hello_vec, sizeof(buf));
	buf[2] = 0xff;
	buf[3] = 0x01;
	ASSERT_EQ(0, PARSE(buf, sizeof(buf)));
	EXPECT_EQ(0xff01, self->m.hdr.flags);
	EXPECT_EQ(0x102, self->m.hello.recv_seq);
}

TEST_F(sw, unknown_type_skipped)
{
	uint8_t buf[LG_SYNC_HDR_LEN + 8] = { 0 };
	struct lg_sync_hdr h = {
		.version = 1, .type = 200, .len = 8, .seq = 12345,
	};

	/* Whatever its payload: it is not read. */
	memset(buf + LG_SYNC_HDR_LEN, 0xff, 8);
	lg_sync_hdr_put(buf, &h);
	EXPECT_EQ((ssize_t)sizeof(buf), lg_sync_frame_len(buf, sizeof(buf)));
	ASSERT_EQ(0, PARSE(buf, sizeof(buf)));
	EXPECT_TRUE(self->m.unknown_type);
	EXPECT_EQ(200, self->m.hdr.type);
	EXPECT_EQ(12345, self->m.hdr.seq);
	h.type = 0;
	h.seq = 0;
	lg_sync_hdr_put(buf, &h);
	ASSERT_EQ(0, PARSE(buf, sizeof(buf)));
	EXPECT_TRUE(self->m.unknown_type);
	/* Nor is it sent. */
	self->in.hdr.type = 200;
	EXPECT_EQ(-EINVAL, lg_sync_build(&self->in, self->out,
					 sizeof(self->out)));
}

/* ---- Attributes ---------------------------------------------------------- */

TEST_F(sw, unknown_attributes_skipped_and_counted)
{
	size_t nest;

	BEGIN_UPDATE();
	lg_sync_put_u32(&self->w, 1000, 5);		/* in the binding */
	nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_LEASE);
	lg_sync_put(&self->w, LG_SYNC_A_ADDR, addr_100, 16);
	lg_sync_put_u8(&self->w, LG_SYNC_A_PLEN, 128);
	lg_sync_put(&self->w, LG_SYNC_A_UNSPEC, NULL, 0);	/* in a lease */
	lg_sync_put_u32(&self->w, LG_SYNC_A_PREFERRED, 10);
	lg_sync_put_u32(&self->w, LG_SYNC_A_VALID, 20);
	lg_sync_nest_end(&self->w, nest);
	END_UPDATE();
	lg_sync_put(&self->w, UINT16_MAX, "new!", 4);	/* at the top */
	/* Known, not an UPDATE's: checked, ignored. */
	lg_sync_put_u8(&self->w, LG_SYNC_A_ROLE, LG_SYNC_ROLE_MASTER);
	ASSERT_EQ(0, PARSE_END());
	EXPECT_EQ(3, self->m.unknown_attrs);
	ASSERT_EQ(1, self->m.b.n_leases);
	EXPECT_EQ(10, self->m.b.leases[0].preferred);
	EXPECT_EQ(20, self->m.b.leases[0].valid);
	EXPECT_EQ(0, self->m.hello.role);
}

TEST_F(sw, attribute_overruns)
{
	ssize_t n;
	size_t cut;

	/* The payload ends inside an attribute, header or value. */
	full_binding(&self->in, self->leases);
	n = lg_sync_build(&self->in, self->out, sizeof(self->out));
	ASSERT_LT(0, n);
	for (cut = 1; cut < (size_t)n - LG_SYNC_HDR_LEN; cut++) {
		/* The header says the payload is only cut octets. */
		self->out[4] = 0;
		self->out[5] = 0;
		self->out[6] = cut >> 8;
		self->out[7] = cut;
		EXPECT_EQ(-EBADMSG, parse_copy(self, self->out,
					       LG_SYNC_HDR_LEN + cut));
	}
	/* The value is longer than what is left. */
	BEGIN(LG_SYNC_MSG_ACK, 0);
	lg_sync_put_u64(&self->w, LG_SYNC_A_RECV_SEQ, 1);
	ASSERT_EQ(28, END());
	self->out[19] = 9;
	EXPECT_EQ(-EBADMSG, PARSE(self->out, 28));
	EXPECT_STREQ("attribute overruns its payload", self->why);
	/* Its header, cut. */
	self->out[19] = 8;
	self->out[7] = 14;
	EXPECT_EQ(-EBADMSG, PARSE(self->out, 30));
	EXPECT_STREQ("attribute header overruns its payload", self->why);
	/* The last one's padding is missing. */
	BEGIN(LG_SYNC_MSG_BULK_END, 1);
	lg_sync_put_u32(&self->w, LG_SYNC_A_COUNT, 1);
	lg_sync_put_u8(&self->w, LG_SYNC_A_ROLE, 1);
	ASSERT_EQ(32, END());
	self->out[7] = 13;
	EXPECT_EQ(-EBADMSG, PARSE(self->out, 29));
	EXPECT_STREQ("attribute overruns its payload", self->why);
}

TEST_F(sw, attribute_overruns_its_nest)
{
	size_t nest;

	BEGIN_UPDATE();
	nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_LEASE);
	lg_sync_put(&self->w, LG_SYNC_A_ADDR, addr_100, 16);
	lg_sync_nest_end(&self->w, nest);
	/* The address's length says 20: past its nest, not its message. */
	self->out[nest + 4 + 3] = 20;
	END_UPDATE();
	EXPECT_BAD("attribute overruns its payload");
}

TEST_F(sw, wrong_exact_lengths)
{
	static const struct { uint16_t type; size_t len; } t[] = {
		{ LG_SYNC_A_NODE_ID, 15 }, { LG_SYNC_A_NODE_ID, 17 },
		{ LG_SYNC_A_CLIENT_LLADDR, 0 }, { LG_SYNC_A_SERVER_ADDR, 4 },
		{ LG_SYNC_A_CLIENT_MAC, 8 }, { LG_SYNC_A_ADDR, 15 },
	};
	static const struct { uint16_t type; size_t len; } ints[] = {
		{ LG_SYNC_A_ROLE, 2 }, { LG_SYNC_A_RECV_SEQ, 4 },
		{ LG_SYNC_A_IAID, 3 }, { LG_SYNC_A_IAID, 8 },
		{ LG_SYNC_A_TIME, 0 }, { LG_SYNC_A_PLEN, 4 },
	};
	static const uint8_t zero[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
		lg_sync_put(&self->w, t[i].type, zero, t[i].len);
		EXPECT_BAD("attribute of the wrong length");
	}
	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
		lg_sync_put(&self->w, ints[i].type, zero, ints[i].len);
		EXPECT_BAD("integer attribute of the wrong length");
	}
}

TEST_F(sw, values_out_of_range)
{
	static const struct { uint16_t type; uint32_t v; } t[] = {
		{ LG_SYNC_A_ROLE, 3 }, { LG_SYNC_A_CHANGE, 0 },
		{ LG_SYNC_A_CHANGE, 3 }, { LG_SYNC_A_IA_TYPE, 0 },
		{ LG_SYNC_A_IA_TYPE, 3 }, { LG_SYNC_A_PLEN, 0 },
		{ LG_SYNC_A_PLEN, 129 }, { LG_SYNC_A_VALID, 0 },
		{ LG_SYNC_A_REASON, 0 }, { LG_SYNC_A_REASON, 6 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		BEGIN(LG_SYNC_MSG_RESYNC, 0);
		if (t[i].type == LG_SYNC_A_VALID)
			lg_sync_put_u32(&self->w, t[i].type, t[i].v);
		else
			lg_sync_put_u8(&self->w, t[i].type, t[i].v);
		EXPECT_BAD("attribute value out of range");
	}
}

TEST_F(sw, attribute_twice)
{
	BEGIN(LG_SYNC_MSG_ACK, 0);
	lg_sync_put_u64(&self->w, LG_SYNC_A_RECV_SEQ, 1);
	lg_sync_put_u64(&self->w, LG_SYNC_A_RECV_SEQ, 2);
	EXPECT_BAD("attribute given twice");
}

TEST_F(sw, required_attributes)
{
	BEGIN(LG_SYNC_MSG_ACK, 0);
	EXPECT_BAD("ACK incomplete");
	BEGIN(LG_SYNC_MSG_BULK_END, 3);
	EXPECT_BAD("BULK_END incomplete");
	BEGIN(LG_SYNC_MSG_HELLO, 0);
	lg_sync_put(&self->w, LG_SYNC_A_NODE_ID, node_id, 16);
	lg_sync_put(&self->w, LG_SYNC_A_SW_VERSION, "1", 1);
	lg_sync_put_u8(&self->w, LG_SYNC_A_ROLE, 0);
	lg_sync_put_u64(&self->w, LG_SYNC_A_RECV_SEQ, 0);
	EXPECT_BAD("HELLO incomplete");
	BEGIN(LG_SYNC_MSG_UPDATE, 1);
	lg_sync_put_u8(&self->w, LG_SYNC_A_CHANGE, 1);
	lg_sync_put_u64(&self->w, LG_SYNC_A_TIME, 1);
	EXPECT_BAD("UPDATE incomplete");
	BEGIN(LG_SYNC_MSG_DELETE, 1);
	lg_sync_nest_end(&self->w, lg_sync_nest_begin(&self->w,
						      LG_SYNC_A_BINDING));
	lg_sync_put_u64(&self->w, LG_SYNC_A_TIME, 1);
	EXPECT_BAD("DELETE incomplete");
	/* An UPDATE's binding without a lease. */
	{
		BEGIN_UPDATE();
		END_UPDATE();
		EXPECT_BAD("binding without client, server or lease");
	}
	{
		BEGIN_UPDATE();
		put_lease(&self->w, 64, 1, 2);
		/* A lease without its address. */
		lg_sync_nest_end(&self->w, lg_sync_nest_begin(&self->w,
							      LG_SYNC_A_LEASE));
		END_UPDATE();
		EXPECT_BAD("lease without address, length or lifetimes");
	}
}

TEST_F(sw, preferred_over_valid)
{
	BEGIN_UPDATE();
	put_lease(&self->w, 64, 3601, 3600);
	END_UPDATE();
	EXPECT_BAD("lease preferred longer than valid");
}

TEST_F(sw, too_many_leases)
{
	int i;

	{
		BEGIN_UPDATE();
		for (i = 0; i < LG_SYNC_MAX_LEASES; i++)
			put_lease(&self->w, 64, 1, 2);
		END_UPDATE();
		ASSERT_EQ(0, PARSE_END());
		EXPECT_EQ(LG_SYNC_MAX_LEASES, self->m.b.n_leases);
	}
	{
		BEGIN_UPDATE();
		for (i = 0; i <= LG_SYNC_MAX_LEASES; i++)
			put_lease(&self->w, 64, 1, 2);
		END_UPDATE();
		EXPECT_BAD("binding with too many leases");
	}
}

/* DELETEs of a key, every field as given. */
#define DELETE_KEY(ifname, ifname_len, duid_len, ia_type) do {		\
	size_t _n;							\
	BEGIN(LG_SYNC_MSG_DELETE, 2);					\
	_n = lg_sync_nest_begin(&self->w, LG_SYNC_A_BINDING);		\
	put_key(&self->w, ifname, ifname_len, duid_len, ia_type);	\
	lg_sync_nest_end(&self->w, _n);					\
	lg_sync_put_u8(&self->w, LG_SYNC_A_REASON, 1);			\
	lg_sync_put_u64(&self->w, LG_SYNC_A_TIME, 1);			\
} while (0)

TEST_F(sw, key_lengths)
{
	DELETE_KEY("acc0", 4, LG_DUID_MIN, LG_IA_NA);
	ASSERT_EQ(0, PARSE_END());
	EXPECT_EQ(LG_DUID_MIN, self->m.b.client_duid_len);
	DELETE_KEY("acc0", 4, LG_DUID_MAX, LG_IA_NA);
	ASSERT_EQ(0, PARSE_END());
	EXPECT_EQ(LG_DUID_MAX, self->m.b.client_duid_len);
	/* A DUID longer than LG_DUID_MAX, shorter than LG_DUID_MIN, none. */
	DELETE_KEY("acc0", 4, LG_DUID_MAX + 1, LG_IA_NA);
	EXPECT_BAD("attribute length out of range");
	DELETE_KEY("acc0", 4, LG_DUID_MIN - 1, LG_IA_NA);
	EXPECT_BAD("attribute length out of range");
	DELETE_KEY("acc0", 4, 0, LG_IA_NA);
	EXPECT_BAD("attribute length out of range");
	/* An interface name of 0 or 16 octets, or with a NUL. */
	DELETE_KEY("", 0, 10, LG_IA_NA);
	EXPECT_BAD("attribute length out of range");
	DELETE_KEY("abcdefghijklmnop", 16, 10, LG_IA_NA);
	EXPECT_BAD("attribute length out of range");
	DELETE_KEY("ac\0c0", 5, 10, LG_IA_NA);
	EXPECT_BAD("NUL in a text attribute");
	/* A key field missing. */
	DELETE_KEY(NULL, 0, 10, LG_IA_NA);
	EXPECT_BAD("binding key incomplete");
	DELETE_KEY("acc0", 4, -1, LG_IA_NA);
	EXPECT_BAD("binding key incomplete");
	DELETE_KEY("acc0", 4, 10, -1);
	EXPECT_BAD("binding key incomplete");
}

TEST_F(sw, every_truncation_of_an_update)
{
	ssize_t n, len;

	full_binding(&self->in, self->leases);
	n = lg_sync_build(&self->in, self->out, sizeof(self->out));
	ASSERT_LT(0, n);
	/* Cut anywhere, the header still says n: wait for more. */
	for (len = 0; len < n; len++)
		EXPECT_EQ(-EAGAIN, parse_copy(self, self->out, len));
	EXPECT_EQ(0, PARSE(self->out, n));
}

/* A deterministic generator: the same garbage on every run. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

TEST_F(sw, garbage_never_read_past_the_end)
{
	uint32_t s = 21;
	ssize_t n;
	int i, ok = 0;

	full_binding(&self->in, self->leases);
	n = lg_sync_build(&self->in, self->out, sizeof(self->out));
	ASSERT_LT(0, n);
	/* Octets of a good UPDATE changed at random: no crash, no overread. */
	for (i = 0; i < 20000; i++) {
		uint8_t buf[512];
		int k, flips = 1 + lcg(&s) % 4;

		ASSERT_LE((size_t)n, sizeof(buf));
		memcpy(buf, self->out, n);
		for (k = 0; k < flips; k++)
			buf[LG_SYNC_HDR_LEN + lcg(&s) % (n - LG_SYNC_HDR_LEN)] =
				lcg(&s);
		if (!parse_copy(self, buf, n)) {
			ok++;
			EXPECT_LE(self->m.b.n_leases, LG_SYNC_MAX_LEASES);
		}
	}
	/* Some changes hit values only, and still parse. */
	EXPECT_LT(0, ok);
	EXPECT_GT(20000, ok);
}

/* ---- The writer ----------------------------------------------------------- */

TEST_F(sw, writer_never_writes_past_its_buffer)
{
	uint8_t buf[300];
	ssize_t n, cap;

	full_binding(&self->in, self->leases);
	n = lg_sync_build(&self->in, self->out, sizeof(self->out));
	ASSERT_LT(0, n);
	ASSERT_LT(n, (ssize_t)sizeof(buf));
	for (cap = 0; cap < n; cap++) {
		uint8_t *exact = malloc(cap ? cap : 1);

		ASSERT_NE(NULL, exact);
		memset(buf, 0xa5, sizeof(buf));
		EXPECT_EQ(-EMSGSIZE, lg_sync_build(&self->in, buf, cap));
		EXPECT_EQ(0xa5, buf[cap]);
		EXPECT_EQ(0xa5, buf[sizeof(buf) - 1]);
		/* On the heap, exactly cap: ASan sees a write past it. */
		EXPECT_EQ(-EMSGSIZE, lg_sync_build(&self->in, exact, cap));
		free(exact);
	}
	EXPECT_EQ(n, lg_sync_build(&self->in, buf, n));
	EXPECT_EQ(0, memcmp(buf, self->out, n));
}

TEST_F(sw, writer_overflow_sticks)
{
	uint8_t buf[24];
	size_t nest;

	lg_sync_writer_init(&self->w, buf, sizeof(buf));
	lg_sync_msg_begin(&self->w, LG_SYNC_MSG_ACK, 0);
	lg_sync_put_u64(&self->w, LG_SYNC_A_RECV_SEQ, 1);	/* 12: no */
	EXPECT_TRUE(self->w.overflow);
	EXPECT_EQ(16, self->w.len);
	lg_sync_put_u8(&self->w, LG_SYNC_A_ROLE, 1);		/* 8: not now */
	EXPECT_EQ(16, self->w.len);
	nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_BINDING);
	lg_sync_nest_end(&self->w, nest);
	EXPECT_EQ(16, self->w.len);
	EXPECT_EQ(-EMSGSIZE, lg_sync_msg_end(&self->w));
	/* An attribute over 65535 octets, a nest over 65535. */
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	lg_sync_put(&self->w, 500, filler, 65536);
	EXPECT_TRUE(self->w.overflow);
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	nest = lg_sync_nest_begin(&self->w, LG_SYNC_A_BINDING);
	lg_sync_put(&self->w, 500, filler, 65532);
	EXPECT_FALSE(self->w.overflow);
	lg_sync_nest_end(&self->w, nest);
	EXPECT_TRUE(self->w.overflow);
	EXPECT_EQ(-EMSGSIZE, END());
}

TEST_F(sw, writer_two_messages_in_one_buffer)
{
	ssize_t a, b;

	lg_sync_writer_init(&self->w, self->out, sizeof(self->out));
	lg_sync_msg_begin(&self->w, LG_SYNC_MSG_HEARTBEAT, 0);
	a = lg_sync_msg_end(&self->w);
	lg_sync_msg_begin(&self->w, LG_SYNC_MSG_BULK_END, 9);
	lg_sync_put_u32(&self->w, LG_SYNC_A_COUNT, 3);
	b = lg_sync_msg_end(&self->w);
	ASSERT_EQ(16, a);
	ASSERT_EQ(24, b);
	EXPECT_EQ(a + b, (ssize_t)self->w.len);
	ASSERT_EQ(0, PARSE(self->out + a, b));
	EXPECT_EQ(9, self->m.hdr.seq);
	EXPECT_EQ(3, self->m.count);
}

TEST_F(sw, build_refusals)
{
	struct lg_binding *b = &self->in.b;

#define REFUSED(change) do {						\
	full_binding(&self->in, self->leases);					\
	change;								\
	EXPECT_EQ(-EINVAL, lg_sync_build(&self->in, self->out,		\
					 sizeof(self->out)));		\
} while (0)
	REFUSED(b->ifname[0] = '\0');
	REFUSED(memset(b->ifname, 'a', sizeof(b->ifname)));
	REFUSED(b->client_duid_len = 0);
	REFUSED(b->client_duid_len = LG_DUID_MAX + 1);
	REFUSED(b->has_ia_type = false);
	REFUSED(b->ia_type = 3);
	REFUSED(b->ia_type = 0x101);
	REFUSED(b->has_iaid = false);
	REFUSED(b->has_client_lladdr = false);
	REFUSED(b->has_server_addr = false);
	REFUSED(b->n_leases = 0);
	REFUSED(b->n_leases = LG_SYNC_MAX_LEASES + 1);
	REFUSED(b->leases = NULL);
	REFUSED(b->server_duid_len = 2);
	REFUSED(b->interface_id_len = LG_SYNC_IFID_MAX + 1);
	REFUSED(b->interface_id = NULL);
	REFUSED(b->leases[0].has_valid = false);
	REFUSED(b->leases[0].plen = 0);
	REFUSED(b->leases[0].plen = 129);
	REFUSED(b->leases[0].valid = 0; b->leases[0].preferred = 0);
	REFUSED(b->leases[0].preferred = b->leases[0].valid + 1);
	REFUSED(self->in.change = 0);
	REFUSED(self->in.hdr.type = LG_SYNC_MSG_DELETE);	/* reason 0 */
	REFUSED(self->in.hdr.type = LG_SYNC_MSG_HELLO);	/* no version */
	REFUSED(self->in.hdr.type = LG_SYNC_MSG_HELLO;
		strcpy(self->in.hello.sw_version, "1");
		self->in.hello.role = 3);
	REFUSED(self->in.hdr.type = 0);
#undef REFUSED
}

/* The kinds no message uses yet, through a policy of the test's. */
TEST_F(sw, policy_u16_and_multi)
{
	static const struct lg_sync_policy pol[] = {
		[1] = { LG_SYNC_K_U16, 10, 20 },
		[2] = { LG_SYNC_K_U16 | LG_SYNC_K_MULTI, 0, 0 },
		[3] = { 0x7f, 0, 0 },
	};
	struct lg_sync_attr tb[ARRAY_SIZE(pol)];
	unsigned int unknown = 0;
	const char *why = NULL;
	size_t len;

	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	lg_sync_put_u16(&self->w, 1, 15);
	lg_sync_put_u16(&self->w, 2, 0xbeef);
	lg_sync_put_u16(&self->w, 2, 2);
	lg_sync_put_u16(&self->w, 4, 2);
	len = self->w.len - LG_SYNC_HDR_LEN;
	ASSERT_EQ(0, lg_sync_attrs_parse(self->out + LG_SYNC_HDR_LEN, len, pol,
					 3, tb, &unknown, &why));
	EXPECT_EQ(15, lg_sync_get_u16(&tb[1]));
	EXPECT_EQ(0xbeef, lg_sync_get_u16(&tb[2]));
	EXPECT_EQ(2, tb[2].n);
	EXPECT_EQ(1, unknown);
	EXPECT_EQ(NULL, tb[3].val);
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	lg_sync_put_u16(&self->w, 1, 21);
	EXPECT_EQ(-EBADMSG, lg_sync_attrs_parse(self->out + LG_SYNC_HDR_LEN,
						8, pol, 3, tb, &unknown,
						&why));
	EXPECT_STREQ("attribute value out of range", why);
	BEGIN(LG_SYNC_MSG_HEARTBEAT, 0);
	lg_sync_put_u16(&self->w, 3, 1);
	EXPECT_EQ(-EBADMSG, lg_sync_attrs_parse(self->out + LG_SYNC_HDR_LEN,
						8, pol, 3, tb, &unknown,
						NULL));
}

TEST_HARNESS_MAIN
