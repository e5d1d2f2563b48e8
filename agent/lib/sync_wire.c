// SPDX-License-Identifier: GPL-2.0
/*
 * The partner protocol's codec (see sync_wire.h, its manual): headers,
 * attributes under a policy, and the messages from and to struct
 * lg_sync_msg. No I/O and no allocation: leaseguardd's partner link, the
 * unit test and the fuzzer drive it with buffers of their own.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "sync_wire.h"

static_assert(LG_SYNC_MAX_LEASES == LG_BINDING_MAX_LEASES,
	      "a synced binding must fit LG_CMD_BINDING_NEW");
static_assert(LG_SYNC_A_MAX <= UINT16_MAX, "attribute types are u16");

#define ALIGN4(n)	(((n) + 3) & ~(size_t)3)
#define ATTR_HDR_LEN	4

const struct lg_sync_policy lg_sync_policy[LG_SYNC_A_MAX + 1] = {
	[LG_SYNC_A_NODE_ID]	  = { LG_SYNC_K_BIN, 0, LG_SYNC_NODE_ID_LEN },
	[LG_SYNC_A_SW_VERSION]	  = { LG_SYNC_K_STRING, 1,
				      LG_SYNC_SW_VERSION_MAX },
	[LG_SYNC_A_ROLE]	  = { LG_SYNC_K_U8, LG_SYNC_ROLE_UNKNOWN,
				      LG_SYNC_ROLE_BACKUP },
	[LG_SYNC_A_RECV_SEQ]	  = { LG_SYNC_K_U64, 0, 0 },
	[LG_SYNC_A_INSTANCE]	  = { LG_SYNC_K_U64, 0, 0 },
	[LG_SYNC_A_BINDING]	  = { LG_SYNC_K_NEST, 0, UINT16_MAX },
	[LG_SYNC_A_CHANGE]	  = { LG_SYNC_K_U8, LG_SYNC_CHANGE_NEW,
				      LG_SYNC_CHANGE_UPDATE },
	[LG_SYNC_A_TIME]	  = { LG_SYNC_K_U64, 0, 0 },
	[LG_SYNC_A_IFNAME]	  = { LG_SYNC_K_STRING, 1, IF_NAMESIZE - 1 },
	[LG_SYNC_A_CLIENT_DUID]	  = { LG_SYNC_K_BINMAX, LG_DUID_MIN,
				      LG_DUID_MAX },
	[LG_SYNC_A_IA_TYPE]	  = { LG_SYNC_K_U8, LG_IA_NA, LG_IA_PD },
	[LG_SYNC_A_IAID]	  = { LG_SYNC_K_U32, 0, 0 },
	[LG_SYNC_A_CLIENT_LLADDR] = { LG_SYNC_K_BIN, 0, 16 },
	[LG_SYNC_A_CLIENT_MAC]	  = { LG_SYNC_K_BIN, 0, 6 },
	[LG_SYNC_A_SERVER_ADDR]	  = { LG_SYNC_K_BIN, 0, 16 },
	[LG_SYNC_A_SERVER_DUID]	  = { LG_SYNC_K_BINMAX, LG_DUID_MIN,
				      LG_DUID_MAX },
	[LG_SYNC_A_INTERFACE_ID]  = { LG_SYNC_K_BINMAX, 1, LG_SYNC_IFID_MAX },
	[LG_SYNC_A_CREATED]	  = { LG_SYNC_K_U64, 0, 0 },
	[LG_SYNC_A_LEASE]	  = { LG_SYNC_K_NEST | LG_SYNC_K_MULTI, 0,
				      UINT16_MAX },
	[LG_SYNC_A_ADDR]	  = { LG_SYNC_K_BIN, 0, 16 },
	[LG_SYNC_A_PLEN]	  = { LG_SYNC_K_U8, 1, 128 },
	[LG_SYNC_A_PREFERRED]	  = { LG_SYNC_K_U32, 0, 0 },
	[LG_SYNC_A_VALID]	  = { LG_SYNC_K_U32, 1, UINT32_MAX },
	[LG_SYNC_A_REASON]	  = { LG_SYNC_K_U8, LG_SYNC_DEL_RELEASED,
				      LG_SYNC_DEL_RELAY_RELEASE },
	[LG_SYNC_A_COUNT]	  = { LG_SYNC_K_U32, 0, 0 },
	/* Any value: one this side does not know is still a release. */
	[LG_SYNC_A_RELEASING]	  = { LG_SYNC_K_U8, 0, 0 },
};

static const char *const msg_names[] = {
	[LG_SYNC_MSG_HELLO]	 = "HELLO",
	[LG_SYNC_MSG_UPDATE]	 = "UPDATE",
	[LG_SYNC_MSG_DELETE]	 = "DELETE",
	[LG_SYNC_MSG_ACK]	 = "ACK",
	[LG_SYNC_MSG_HEARTBEAT]	 = "HEARTBEAT",
	[LG_SYNC_MSG_BULK_BEGIN] = "BULK_BEGIN",
	[LG_SYNC_MSG_BULK_END]	 = "BULK_END",
	[LG_SYNC_MSG_RESYNC]	 = "RESYNC",
};

const char *lg_sync_msg_name(uint8_t type)
{
	if (type && type <= LG_SYNC_MSG_TYPE_MAX)
		return msg_names[type];
	return "unknown";
}

static int bad(const char **why, const char *what)
{
	if (why)
		*why = what;
	return -EBADMSG;
}

/* ---- Octets in network byte order -------------------------------------- */

static void be_put(uint8_t *p, uint64_t v, size_t n)
{
	while (n--) {
		p[n] = v;
		v >>= 8;
	}
}

static uint64_t be_get(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

uint8_t lg_sync_get_u8(const struct lg_sync_attr *a)
{
	return a->val[0];
}

uint16_t lg_sync_get_u16(const struct lg_sync_attr *a)
{
	return be_get(a->val, 2);
}

uint32_t lg_sync_get_u32(const struct lg_sync_attr *a)
{
	return be_get(a->val, 4);
}

uint64_t lg_sync_get_u64(const struct lg_sync_attr *a)
{
	return be_get(a->val, 8);
}

/* ---- Header ------------------------------------------------------------ */

bool lg_sync_sequenced(uint8_t type)
{
	return type == LG_SYNC_MSG_UPDATE || type == LG_SYNC_MSG_DELETE ||
	       type == LG_SYNC_MSG_BULK_BEGIN || type == LG_SYNC_MSG_BULK_END;
}

static bool type_known(uint8_t type)
{
	return type && type <= LG_SYNC_MSG_TYPE_MAX;
}

/* Sequenced messages from 1, the others 0; any seq for an unknown type. */
static bool seq_fits(uint8_t type, uint64_t seq)
{
	if (!type_known(type))
		return true;
	return lg_sync_sequenced(type) ? seq != 0 : seq == 0;
}

void lg_sync_hdr_put(uint8_t out[LG_SYNC_HDR_LEN], const struct lg_sync_hdr *h)
{
	out[0] = h->version;
	out[1] = h->type;
	be_put(out + 2, h->flags, 2);
	be_put(out + 4, h->len, 4);
	be_put(out + 8, h->seq, 8);
}

int lg_sync_hdr_parse(const uint8_t *buf, size_t len, struct lg_sync_hdr *h)
{
	if (len < LG_SYNC_HDR_LEN)
		return -EAGAIN;
	h->version = buf[0];
	h->type = buf[1];
	h->flags = be_get(buf + 2, 2);
	h->len = be_get(buf + 4, 4);
	h->seq = be_get(buf + 8, 8);
	if (h->version != LG_SYNC_VERSION)
		return -EPROTO;
	if (h->len > LG_SYNC_MSG_MAX)
		return -EMSGSIZE;
	if (!seq_fits(h->type, h->seq))
		return -EBADMSG;
	return 0;
}

ssize_t lg_sync_frame_len(const uint8_t *buf, size_t len)
{
	struct lg_sync_hdr h;
	int err;

	err = lg_sync_hdr_parse(buf, len, &h);
	if (err)
		return err;
	if (len - LG_SYNC_HDR_LEN < h.len)
		return -EAGAIN;
	return LG_SYNC_HDR_LEN + (size_t)h.len;
}

/* ---- Writer ------------------------------------------------------------ */

void lg_sync_writer_init(struct lg_sync_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
}

/* n more octets, or NULL (and overflow) when they do not fit. */
static uint8_t *room(struct lg_sync_writer *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void lg_sync_msg_begin(struct lg_sync_writer *w, uint8_t type, uint64_t seq)
{
	struct lg_sync_hdr h = {
		.version = LG_SYNC_VERSION,
		.type = type,
		.seq = seq,
	};
	uint8_t *p;

	w->msg = w->len;
	p = room(w, LG_SYNC_HDR_LEN);
	if (p)
		lg_sync_hdr_put(p, &h);
}

ssize_t lg_sync_msg_end(struct lg_sync_writer *w)
{
	size_t n;

	if (w->overflow)
		return -EMSGSIZE;
	n = w->len - w->msg - LG_SYNC_HDR_LEN;
	if (n > LG_SYNC_MSG_MAX) {
		w->overflow = true;
		return -EMSGSIZE;
	}
	be_put(w->buf + w->msg + 4, n, 4);
	return LG_SYNC_HDR_LEN + n;
}

void lg_sync_put(struct lg_sync_writer *w, uint16_t type, const void *v,
		 size_t len)
{
	size_t pad = ALIGN4(len) - len;
	uint8_t *p;

	if (len > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	p = room(w, ATTR_HDR_LEN + len + pad);
	if (!p)
		return;
	be_put(p, type, 2);
	be_put(p + 2, len, 2);
	if (len)
		memcpy(p + ATTR_HDR_LEN, v, len);
	memset(p + ATTR_HDR_LEN + len, 0, pad);
}

static void put_int(struct lg_sync_writer *w, uint16_t type, uint64_t v,
		    size_t n)
{
	uint8_t b[8];

	be_put(b, v, n);
	lg_sync_put(w, type, b, n);
}

void lg_sync_put_u8(struct lg_sync_writer *w, uint16_t type, uint8_t v)
{
	put_int(w, type, v, 1);
}

void lg_sync_put_u16(struct lg_sync_writer *w, uint16_t type, uint16_t v)
{
	put_int(w, type, v, 2);
}

void lg_sync_put_u32(struct lg_sync_writer *w, uint16_t type, uint32_t v)
{
	put_int(w, type, v, 4);
}

void lg_sync_put_u64(struct lg_sync_writer *w, uint16_t type, uint64_t v)
{
	put_int(w, type, v, 8);
}

size_t lg_sync_nest_begin(struct lg_sync_writer *w, uint16_t type)
{
	size_t start = w->len;
	uint8_t *p = room(w, ATTR_HDR_LEN);

	if (p) {
		be_put(p, type, 2);
		be_put(p + 2, 0, 2);
	}
	return start;
}

void lg_sync_nest_end(struct lg_sync_writer *w, size_t start)
{
	size_t n;

	if (w->overflow)
		return;
	n = w->len - start - ATTR_HDR_LEN;
	if (n > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	be_put(w->buf + start + 2, n, 2);
}

/* ---- Parser ------------------------------------------------------------ */

/*
 * The attribute at *off of p[0..len): 1 and *off past it and its padding,
 * 0 at the end, or -EBADMSG when it overruns.
 */
static int next_attr(const uint8_t *p, size_t len, size_t *off,
		     uint16_t *type, struct lg_sync_attr *a, const char **why)
{
	size_t left = len - *off, alen;

	if (!left)
		return 0;
	if (left < ATTR_HDR_LEN)
		return bad(why, "attribute header overruns its payload");
	*type = be_get(p + *off, 2);
	alen = be_get(p + *off + 2, 2);
	if (ALIGN4(alen) > left - ATTR_HDR_LEN)
		return bad(why, "attribute overruns its payload");
	a->val = p + *off + ATTR_HDR_LEN;
	a->len = alen;
	*off += ATTR_HDR_LEN + ALIGN4(alen);
	return 1;
}

static int int_size(uint8_t kind)
{
	switch (kind) {
	case LG_SYNC_K_U8:
		return 1;
	case LG_SYNC_K_U16:
		return 2;
	case LG_SYNC_K_U32:
		return 4;
	case LG_SYNC_K_U64:
		return 8;
	}
	return 0;
}

static int attr_check(const struct lg_sync_policy *pol,
		      const struct lg_sync_attr *a, const char **why)
{
	uint8_t kind = pol->kind & ~LG_SYNC_K_MULTI;
	int size = int_size(kind);
	uint64_t v;

	if (size) {
		if (a->len != size)
			return bad(why, "integer attribute of the wrong length");
		v = be_get(a->val, size);
		if ((pol->min || pol->max) && (v < pol->min || v > pol->max))
			return bad(why, "attribute value out of range");
		return 0;
	}
	switch (kind) {
	case LG_SYNC_K_BIN:
		if (a->len != pol->max)
			return bad(why, "attribute of the wrong length");
		return 0;
	case LG_SYNC_K_STRING:
		if (memchr(a->val, '\0', a->len))
			return bad(why, "NUL in a text attribute");
		/* fall through */
	case LG_SYNC_K_BINMAX:
	case LG_SYNC_K_NEST:
		if (a->len < pol->min || a->len > pol->max)
			return bad(why, "attribute length out of range");
		return 0;
	}
	return bad(why, "attribute of no known kind");
}

int lg_sync_attrs_parse(const uint8_t *p, size_t len,
			const struct lg_sync_policy *pol, unsigned int max,
			struct lg_sync_attr *tb, unsigned int *unknown,
			const char **why)
{
	struct lg_sync_attr a;
	size_t off = 0;
	uint16_t type;
	int err;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while ((err = next_attr(p, len, &off, &type, &a, why)) > 0) {
		if (type > max || pol[type].kind == LG_SYNC_K_NONE) {
			(*unknown)++;
			continue;
		}
		err = attr_check(&pol[type], &a, why);
		if (err)
			return err;
		if (tb[type].n && !(pol[type].kind & LG_SYNC_K_MULTI))
			return bad(why, "attribute given twice");
		if (!tb[type].n) {
			tb[type].val = a.val;
			tb[type].len = a.len;
		}
		tb[type].n++;
	}
	return err;
}

/* ---- Messages: encoding ------------------------------------------------ */

/* An attribute of lg_sync_policy, -EINVAL if outside it. */
static int put_attr(struct lg_sync_writer *w, uint16_t type, const void *v,
		    size_t len)
{
	struct lg_sync_attr a = { .val = v, .len = len };

	if (len > UINT16_MAX || attr_check(&lg_sync_policy[type], &a, NULL))
		return -EINVAL;
	lg_sync_put(w, type, v, len);
	return 0;
}

static int put_uint(struct lg_sync_writer *w, uint16_t type, uint64_t v)
{
	int n = int_size(lg_sync_policy[type].kind);
	uint8_t b[8];

	if (n < 8 && v >> (8 * n))
		return -EINVAL;
	be_put(b, v, n);
	return put_attr(w, type, b, n);
}

static int put_lease(struct lg_sync_writer *w, const struct lg_lease *l)
{
	uint32_t plen = l->has_plen ? l->plen : 128;
	uint32_t preferred = l->has_preferred ? l->preferred : l->valid;
	size_t nest;
	int err;

	if (!l->has_valid || preferred > l->valid)
		return -EINVAL;
	nest = lg_sync_nest_begin(w, LG_SYNC_A_LEASE);
	err = put_attr(w, LG_SYNC_A_ADDR, l->addr, sizeof(l->addr));
	if (!err)
		err = put_uint(w, LG_SYNC_A_PLEN, plen);
	if (!err)
		err = put_uint(w, LG_SYNC_A_PREFERRED, preferred);
	if (!err)
		err = put_uint(w, LG_SYNC_A_VALID, l->valid);
	lg_sync_nest_end(w, nest);
	return err;
}

/*
 * The binding's state as RELEASING says it: 0 bound, or the release's
 * reason (never 0: that would read as bound). -1: not said.
 */
static int releasing_of(const struct lg_binding *b)
{
	if (!b->has_state)
		return -1;
	if (b->state == LG_BINDING_BOUND)
		return 0;
	if (b->state != LG_BINDING_RELEASING)
		return -1;		/* a state the protocol has no word for */
	if (!b->has_release_reason || !b->release_reason ||
	    b->release_reason > UINT8_MAX)
		return LG_RELEASE_ADMIN;
	return b->release_reason;
}

/* The rest of an UPDATE's binding, after its key. */
static int put_binding_rest(struct lg_sync_writer *w,
			    const struct lg_binding *b)
{
	int releasing = releasing_of(b);
	size_t i;
	int err;

	if (!b->has_client_lladdr || !b->has_server_addr || !b->n_leases ||
	    b->n_leases > LG_SYNC_MAX_LEASES || !b->leases ||
	    (b->interface_id_len && !b->interface_id))
		return -EINVAL;
	err = put_attr(w, LG_SYNC_A_CLIENT_LLADDR, b->client_lladdr, 16);
	if (!err)
		err = put_attr(w, LG_SYNC_A_SERVER_ADDR, b->server_addr, 16);
	if (!err && b->has_client_mac)
		err = put_attr(w, LG_SYNC_A_CLIENT_MAC, b->client_mac, 6);
	if (!err && b->server_duid_len)
		err = put_attr(w, LG_SYNC_A_SERVER_DUID, b->server_duid,
			       b->server_duid_len);
	if (!err && b->interface_id_len)
		err = put_attr(w, LG_SYNC_A_INTERFACE_ID, b->interface_id,
			       b->interface_id_len);
	if (!err && b->has_created)
		err = put_uint(w, LG_SYNC_A_CREATED, b->created);
	if (!err && releasing >= 0)
		err = put_uint(w, LG_SYNC_A_RELEASING, releasing);
	for (i = 0; !err && i < b->n_leases; i++)
		err = put_lease(w, &b->leases[i]);
	return err;
}

static int put_binding(struct lg_sync_writer *w, const struct lg_binding *b,
		       bool full)
{
	size_t nest;
	int err;

	if (!b->has_ia_type || !b->has_iaid)
		return -EINVAL;
	nest = lg_sync_nest_begin(w, LG_SYNC_A_BINDING);
	err = put_attr(w, LG_SYNC_A_IFNAME, b->ifname,
		       strnlen(b->ifname, sizeof(b->ifname)));
	if (!err)
		err = put_attr(w, LG_SYNC_A_CLIENT_DUID, b->client_duid,
			       b->client_duid_len);
	if (!err)
		err = put_uint(w, LG_SYNC_A_IA_TYPE, b->ia_type);
	if (!err)
		err = put_uint(w, LG_SYNC_A_IAID, b->iaid);
	if (!err && full)
		err = put_binding_rest(w, b);
	lg_sync_nest_end(w, nest);
	return err;
}

static int put_hello(struct lg_sync_writer *w, const struct lg_sync_hello *h)
{
	int err;

	err = put_attr(w, LG_SYNC_A_NODE_ID, h->node_id, sizeof(h->node_id));
	if (!err)
		err = put_attr(w, LG_SYNC_A_SW_VERSION, h->sw_version,
			       strnlen(h->sw_version, sizeof(h->sw_version)));
	if (!err)
		err = put_uint(w, LG_SYNC_A_ROLE, h->role);
	if (!err)
		err = put_uint(w, LG_SYNC_A_RECV_SEQ, h->recv_seq);
	if (!err)
		err = put_uint(w, LG_SYNC_A_INSTANCE, h->instance);
	return err;
}

ssize_t lg_sync_build(const struct lg_sync_msg *m, uint8_t *buf, size_t cap)
{
	uint8_t type = m->hdr.type;
	struct lg_sync_writer w;
	int err = 0;

	if (!type_known(type) || !seq_fits(type, m->hdr.seq))
		return -EINVAL;
	lg_sync_writer_init(&w, buf, cap);
	lg_sync_msg_begin(&w, type, m->hdr.seq);
	switch (type) {
	case LG_SYNC_MSG_HELLO:
		err = put_hello(&w, &m->hello);
		break;
	case LG_SYNC_MSG_UPDATE:
		err = put_binding(&w, &m->b, true);
		if (!err)
			err = put_uint(&w, LG_SYNC_A_CHANGE, m->change);
		if (!err)
			err = put_uint(&w, LG_SYNC_A_TIME, m->time_ms);
		break;
	case LG_SYNC_MSG_DELETE:
		err = put_binding(&w, &m->b, false);
		if (!err)
			err = put_uint(&w, LG_SYNC_A_REASON, m->reason);
		if (!err)
			err = put_uint(&w, LG_SYNC_A_TIME, m->time_ms);
		break;
	case LG_SYNC_MSG_ACK:
		err = put_uint(&w, LG_SYNC_A_RECV_SEQ, m->recv_seq);
		break;
	case LG_SYNC_MSG_BULK_END:
		err = put_uint(&w, LG_SYNC_A_COUNT, m->count);
		break;
	}
	if (err)
		return err;
	return lg_sync_msg_end(&w);
}

/* ---- Messages: decoding ------------------------------------------------ */

typedef struct lg_sync_attr attrs_t[LG_SYNC_A_MAX + 1];

static bool has_all(const attrs_t tb, const uint16_t *types, size_t n)
{
	while (n--)
		if (!tb[types[n]].val)
			return false;
	return true;
}

#define HAS_ALL(tb, ...) ({						\
	static const uint16_t _t[] = { __VA_ARGS__ };			\
	has_all(tb, _t, sizeof(_t) / sizeof(_t[0]));			\
})

static int parse_nest(const struct lg_sync_attr *a, attrs_t tb,
		      struct lg_sync_msg *m, const char **why)
{
	return lg_sync_attrs_parse(a->val, a->len, lg_sync_policy,
				   LG_SYNC_A_MAX, tb, &m->unknown_attrs, why);
}

static int parse_lease(const struct lg_sync_attr *a, struct lg_lease *l,
		       struct lg_sync_msg *m, const char **why)
{
	attrs_t tb;
	int err;

	err = parse_nest(a, tb, m, why);
	if (err)
		return err;
	if (!HAS_ALL(tb, LG_SYNC_A_ADDR, LG_SYNC_A_PLEN, LG_SYNC_A_PREFERRED,
		     LG_SYNC_A_VALID))
		return bad(why, "lease without address, length or lifetimes");
	memcpy(l->addr, tb[LG_SYNC_A_ADDR].val, sizeof(l->addr));
	l->plen = lg_sync_get_u8(&tb[LG_SYNC_A_PLEN]);
	l->preferred = lg_sync_get_u32(&tb[LG_SYNC_A_PREFERRED]);
	l->valid = lg_sync_get_u32(&tb[LG_SYNC_A_VALID]);
	if (l->preferred > l->valid)
		return bad(why, "lease preferred longer than valid");
	l->has_plen = l->has_preferred = l->has_valid = true;
	return 0;
}

/* Every LG_SYNC_A_LEASE of the binding nest a, in order. */
static int parse_leases(const struct lg_sync_attr *a, struct lg_sync_msg *m,
			const char **why)
{
	struct lg_sync_attr l;
	size_t off = 0;
	uint16_t type;
	int err;

	while (next_attr(a->val, a->len, &off, &type, &l, why) > 0) {
		if (type != LG_SYNC_A_LEASE)
			continue;
		err = parse_lease(&l, &m->leases[m->b.n_leases], m, why);
		if (err)
			return err;
		m->b.n_leases++;
	}
	m->b.leases = m->leases;
	return 0;
}

/*
 * RELEASING: 0 bound, else releasing. A reason from a newer partner is a
 * release all the same (the release matters, its reason only informs):
 * LG_RELEASE_ADMIN, counted as unknown.
 */
static void parse_releasing(const struct lg_sync_attr *a,
			    struct lg_sync_msg *m)
{
	struct lg_binding *b = &m->b;
	uint8_t v = lg_sync_get_u8(a);

	b->has_state = true;
	if (!v) {
		b->state = LG_BINDING_BOUND;
		return;
	}
	b->state = LG_BINDING_RELEASING;
	b->has_release_reason = true;
	b->release_reason = v;
	if (v > LG_RELEASE_MAX) {
		b->release_reason = LG_RELEASE_ADMIN;
		m->unknown_attrs++;
	}
}

static int parse_binding(const struct lg_sync_attr *a, struct lg_sync_msg *m,
			 bool full, const char **why)
{
	struct lg_binding *b = &m->b;
	attrs_t tb;
	int err;

	err = parse_nest(a, tb, m, why);
	if (err)
		return err;
	if (!HAS_ALL(tb, LG_SYNC_A_IFNAME, LG_SYNC_A_CLIENT_DUID,
		     LG_SYNC_A_IA_TYPE, LG_SYNC_A_IAID))
		return bad(why, "binding key incomplete");
	memcpy(b->ifname, tb[LG_SYNC_A_IFNAME].val, tb[LG_SYNC_A_IFNAME].len);
	b->client_duid_len = tb[LG_SYNC_A_CLIENT_DUID].len;
	memcpy(b->client_duid, tb[LG_SYNC_A_CLIENT_DUID].val,
	       b->client_duid_len);
	b->ia_type = lg_sync_get_u8(&tb[LG_SYNC_A_IA_TYPE]);
	b->iaid = lg_sync_get_u32(&tb[LG_SYNC_A_IAID]);
	b->has_ia_type = b->has_iaid = true;
	if (!full)
		return 0;

	if (!HAS_ALL(tb, LG_SYNC_A_CLIENT_LLADDR, LG_SYNC_A_SERVER_ADDR,
		     LG_SYNC_A_LEASE))
		return bad(why, "binding without client, server or lease");
	if (tb[LG_SYNC_A_LEASE].n > LG_SYNC_MAX_LEASES)
		return bad(why, "binding with too many leases");
	memcpy(b->client_lladdr, tb[LG_SYNC_A_CLIENT_LLADDR].val, 16);
	memcpy(b->server_addr, tb[LG_SYNC_A_SERVER_ADDR].val, 16);
	b->has_client_lladdr = b->has_server_addr = true;
	if (tb[LG_SYNC_A_CLIENT_MAC].val) {
		memcpy(b->client_mac, tb[LG_SYNC_A_CLIENT_MAC].val, 6);
		b->has_client_mac = true;
	}
	if (tb[LG_SYNC_A_SERVER_DUID].val) {
		b->server_duid_len = tb[LG_SYNC_A_SERVER_DUID].len;
		memcpy(b->server_duid, tb[LG_SYNC_A_SERVER_DUID].val,
		       b->server_duid_len);
	}
	if (tb[LG_SYNC_A_INTERFACE_ID].val) {
		/* Not written through: lg_binding's is not const. */
		b->interface_id = (uint8_t *)tb[LG_SYNC_A_INTERFACE_ID].val;
		b->interface_id_len = tb[LG_SYNC_A_INTERFACE_ID].len;
	}
	if (tb[LG_SYNC_A_CREATED].val) {
		b->created = lg_sync_get_u64(&tb[LG_SYNC_A_CREATED]);
		b->has_created = true;
	}
	if (tb[LG_SYNC_A_RELEASING].val)
		parse_releasing(&tb[LG_SYNC_A_RELEASING], m);
	return parse_leases(a, m, why);
}

static int parse_payload(const uint8_t *p, struct lg_sync_msg *m,
			 const char **why)
{
	struct lg_sync_hello *h = &m->hello;
	attrs_t tb;
	int err;

	err = lg_sync_attrs_parse(p, m->hdr.len, lg_sync_policy, LG_SYNC_A_MAX,
				  tb, &m->unknown_attrs, why);
	if (err)
		return err;
	switch (m->hdr.type) {
	case LG_SYNC_MSG_HELLO:
		if (!HAS_ALL(tb, LG_SYNC_A_NODE_ID, LG_SYNC_A_SW_VERSION,
			     LG_SYNC_A_ROLE, LG_SYNC_A_RECV_SEQ,
			     LG_SYNC_A_INSTANCE))
			return bad(why, "HELLO incomplete");
		memcpy(h->node_id, tb[LG_SYNC_A_NODE_ID].val,
		       sizeof(h->node_id));
		memcpy(h->sw_version, tb[LG_SYNC_A_SW_VERSION].val,
		       tb[LG_SYNC_A_SW_VERSION].len);
		h->role = lg_sync_get_u8(&tb[LG_SYNC_A_ROLE]);
		h->recv_seq = lg_sync_get_u64(&tb[LG_SYNC_A_RECV_SEQ]);
		h->instance = lg_sync_get_u64(&tb[LG_SYNC_A_INSTANCE]);
		return 0;
	case LG_SYNC_MSG_UPDATE:
		if (!HAS_ALL(tb, LG_SYNC_A_BINDING, LG_SYNC_A_CHANGE,
			     LG_SYNC_A_TIME))
			return bad(why, "UPDATE incomplete");
		m->change = lg_sync_get_u8(&tb[LG_SYNC_A_CHANGE]);
		m->time_ms = lg_sync_get_u64(&tb[LG_SYNC_A_TIME]);
		return parse_binding(&tb[LG_SYNC_A_BINDING], m, true, why);
	case LG_SYNC_MSG_DELETE:
		if (!HAS_ALL(tb, LG_SYNC_A_BINDING, LG_SYNC_A_REASON,
			     LG_SYNC_A_TIME))
			return bad(why, "DELETE incomplete");
		m->reason = lg_sync_get_u8(&tb[LG_SYNC_A_REASON]);
		m->time_ms = lg_sync_get_u64(&tb[LG_SYNC_A_TIME]);
		return parse_binding(&tb[LG_SYNC_A_BINDING], m, false, why);
	case LG_SYNC_MSG_ACK:
		if (!tb[LG_SYNC_A_RECV_SEQ].val)
			return bad(why, "ACK incomplete");
		m->recv_seq = lg_sync_get_u64(&tb[LG_SYNC_A_RECV_SEQ]);
		return 0;
	case LG_SYNC_MSG_BULK_END:
		if (!tb[LG_SYNC_A_COUNT].val)
			return bad(why, "BULK_END incomplete");
		m->count = lg_sync_get_u32(&tb[LG_SYNC_A_COUNT]);
		return 0;
	}
	return 0;
}

int lg_sync_parse(const uint8_t *buf, size_t len, struct lg_sync_msg *m,
		  const char **why)
{
	int err;

	memset(m, 0, sizeof(*m));
	err = lg_sync_hdr_parse(buf, len, &m->hdr);
	if (err == -EPROTO)
		bad(why, "unknown protocol version");
	else if (err == -EMSGSIZE)
		bad(why, "message longer than LG_SYNC_MSG_MAX");
	else if (err == -EBADMSG)
		bad(why, "sequence number of the wrong kind");
	if (!err && len - LG_SYNC_HDR_LEN < m->hdr.len)
		err = -EAGAIN;
	if (err)
		return err;
	if (!type_known(m->hdr.type)) {
		m->unknown_type = true;
		return 0;
	}
	return parse_payload(buf + LG_SYNC_HDR_LEN, m, why);
}

const char *lg_sync_role_name(uint8_t role)
{
	switch (role) {
	case LG_SYNC_ROLE_MASTER:
		return "master";
	case LG_SYNC_ROLE_BACKUP:
		return "backup";
	default:
		return "unknown";
	}
}
