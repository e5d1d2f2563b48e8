// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for agent/lib/sync_wire.c, the partner protocol's
 * codec.
 *
 * The input is read twice, each time from a heap buffer of exactly its
 * size, so ASan reports any read past it: as a stream of messages, as
 * leaseguardd's partner link reads what comes out of TLS (frame by frame
 * until one is malformed or incomplete); and as the payload of a message
 * whose type is its first octet, behind a header made to fit, so that the
 * fuzzer need not find a header first. A message that parses is built
 * again (no longer than it came: unknown attributes and padding are not
 * sent again), into a heap buffer of exactly the length the builder needs
 * (one octet less must fail), and parsed again: the two parses must say
 * the same.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "sync_wire.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_msg(const struct lg_sync_msg *m, const uint8_t *buf,
		      size_t len)
{
	const struct lg_binding *b = &m->b;
	size_t i;

	CHECK(m->hdr.version == LG_SYNC_VERSION);
	CHECK(m->hdr.len <= LG_SYNC_MSG_MAX);
	CHECK(m->hello.sw_version[LG_SYNC_SW_VERSION_MAX] == '\0');
	CHECK(b->ifname[IF_NAMESIZE - 1] == '\0');
	CHECK(b->client_duid_len <= LG_DUID_MAX);
	CHECK(b->server_duid_len <= LG_DUID_MAX);
	CHECK(b->interface_id_len <= LG_SYNC_IFID_MAX);
	/* Into the message, which the rebuild reads whole (ASan). */
	CHECK(!b->interface_id_len ||
	      (b->interface_id > buf + LG_SYNC_HDR_LEN &&
	       b->interface_id + b->interface_id_len <= buf + len));
	CHECK(b->n_leases <= LG_SYNC_MAX_LEASES);
	CHECK(!b->n_leases || b->leases == m->leases);
	for (i = 0; i < b->n_leases; i++) {
		CHECK(b->leases[i].plen >= 1 && b->leases[i].plen <= 128);
		CHECK(b->leases[i].preferred <= b->leases[i].valid);
	}
	if (m->hdr.type == LG_SYNC_MSG_UPDATE)
		CHECK(b->n_leases && b->has_client_lladdr &&
		      b->has_server_addr);
	/* RELEASING: bound, or releasing for a reason the kernel takes. */
	CHECK(!b->has_state || b->state == LG_BINDING_BOUND ||
	      (b->state == LG_BINDING_RELEASING && b->has_release_reason &&
	       b->release_reason >= 1 && b->release_reason <= LG_RELEASE_MAX));
	CHECK(b->has_state || !b->has_release_reason);
	if (m->hdr.type == LG_SYNC_MSG_UPDATE ||
	    m->hdr.type == LG_SYNC_MSG_DELETE)
		CHECK(b->ifname[0] && b->client_duid_len >= LG_DUID_MIN &&
		      b->has_ia_type && b->has_iaid);
}

static bool same_binding(const struct lg_binding *a,
			 const struct lg_binding *b)
{
	size_t i;

	if (strcmp(a->ifname, b->ifname) ||
	    a->client_duid_len != b->client_duid_len ||
	    memcmp(a->client_duid, b->client_duid, a->client_duid_len) ||
	    a->ia_type != b->ia_type || a->iaid != b->iaid ||
	    a->has_client_lladdr != b->has_client_lladdr ||
	    memcmp(a->client_lladdr, b->client_lladdr, 16) ||
	    a->has_server_addr != b->has_server_addr ||
	    memcmp(a->server_addr, b->server_addr, 16) ||
	    a->has_client_mac != b->has_client_mac ||
	    memcmp(a->client_mac, b->client_mac, 6) ||
	    a->server_duid_len != b->server_duid_len ||
	    memcmp(a->server_duid, b->server_duid, a->server_duid_len) ||
	    a->interface_id_len != b->interface_id_len ||
	    (a->interface_id_len &&
	     memcmp(a->interface_id, b->interface_id, a->interface_id_len)) ||
	    a->has_created != b->has_created || a->created != b->created ||
	    a->has_state != b->has_state || a->state != b->state ||
	    a->has_release_reason != b->has_release_reason ||
	    a->release_reason != b->release_reason ||
	    a->n_leases != b->n_leases)
		return false;
	for (i = 0; i < a->n_leases; i++)
		if (memcmp(&a->leases[i], &b->leases[i], sizeof(a->leases[i])))
			return false;
	return true;
}

static void rebuild(const struct lg_sync_msg *m1, size_t in_len)
{
	static struct lg_sync_msg m2;
	uint8_t *out;
	ssize_t n;

	if (m1->unknown_type)
		return;
	out = malloc(in_len);
	CHECK(out);
	n = lg_sync_build(m1, out, in_len);
	CHECK(n >= LG_SYNC_HDR_LEN && (size_t)n <= in_len);
	free(out);
	out = malloc(n);
	CHECK(out);
	CHECK(lg_sync_build(m1, out, n - 1) == -EMSGSIZE);
	CHECK(lg_sync_build(m1, out, n) == n);
	CHECK(lg_sync_frame_len(out, n) == n);
	CHECK(lg_sync_parse(out, n, &m2, NULL) == 0);
	check_msg(&m2, out, n);
	CHECK(m2.unknown_attrs == 0 && !m2.unknown_type);
	CHECK(m1->hdr.type == m2.hdr.type && m1->hdr.seq == m2.hdr.seq &&
	      m2.hdr.flags == 0);
	CHECK(!memcmp(&m1->hello, &m2.hello, sizeof(m1->hello)));
	CHECK(same_binding(&m1->b, &m2.b));
	CHECK(m1->change == m2.change && m1->reason == m2.reason &&
	      m1->time_ms == m2.time_ms && m1->recv_seq == m2.recv_seq &&
	      m1->count == m2.count);
	free(out);
}

static void parse(const uint8_t *buf, size_t len)
{
	static struct lg_sync_msg m;
	const char *why = NULL;
	int err;

	err = lg_sync_parse(buf, len, &m, &why);
	CHECK(err == 0 || err == -EAGAIN || err == -EPROTO ||
	      err == -EMSGSIZE || err == -EBADMSG);
	CHECK(err == -EAGAIN || err == 0 || why);
	if (err)
		return;
	check_msg(&m, buf, len);
	rebuild(&m, LG_SYNC_HDR_LEN + m.hdr.len);
}

/* Frame by frame, as the partner link reads its stream. */
static void stream(const uint8_t *buf, size_t len)
{
	ssize_t n;

	while ((n = lg_sync_frame_len(buf, len)) > 0) {
		CHECK((size_t)n <= len && n >= LG_SYNC_HDR_LEN);
		parse(buf, n);
		buf += n;
		len -= n;
	}
	CHECK(n == -EAGAIN || n == -EPROTO || n == -EMSGSIZE ||
	      n == -EBADMSG);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_sync_hdr h = { .version = LG_SYNC_VERSION };
	uint8_t *buf;

	buf = malloc(size ? size : 1);
	CHECK(buf);
	if (size)
		memcpy(buf, data, size);
	stream(buf, size);
	free(buf);

	if (!size || size - 1 > LG_SYNC_MSG_MAX)
		return 0;
	h.type = data[0];
	h.len = size - 1;
	h.seq = lg_sync_sequenced(h.type) ? 1 : 0;
	buf = malloc(LG_SYNC_HDR_LEN + size - 1);
	CHECK(buf);
	lg_sync_hdr_put(buf, &h);
	memcpy(buf + LG_SYNC_HDR_LEN, data + 1, size - 1);
	parse(buf, LG_SYNC_HDR_LEN + size - 1);
	free(buf);
	return 0;
}
