// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * LEASEQUERY / LEASEQUERY-REPLY codec. See dhcp6_leasequery.h.
 *
 * Parsing walks each container (the message, the LQ_QUERY's query-options,
 * the Client Data, an IAADDR/IAPREFIX) with the option cursor of
 * dhcp6_opt.h, which checks every option header and length against what
 * is left of its container before anything reads the option. Building
 * writes through a writer that checks every octet against cap, after
 * checking that what it writes would parse.
 *
 * It also compiles as C++ (no designated initializers, no implicit casts
 * from void *), for the Kea hook's sake.
 */
#include <assert.h>
#include <string.h>

#include "dhcp6_leasequery.h"
#include "dhcp6_opt.h"
#include "dhcp6_write.h"

#define MSG_HDR_LEN	4	/* msg-type, transaction-id */
#define OPT_LEN_MAX	0xffff
#define LQ_QUERY_LEN	17	/* query-type, link-address */
#define IAADDR_LEN	24	/* address, preferred, valid */
#define IAPREFIX_LEN	25	/* preferred, valid, plen, prefix */
#define IA_LEN		12	/* IAID, T1, T2 */
#define MAX_IAS		255	/* IAs one reply builds */
#define STATUS_LEN	2
#define CLT_TIME_LEN	4
#define RELAY_DATA_LEN	16	/* peer-address, then the relay message */
#define ADDR_LEN	16
#define XID_MAX		0xffffff
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Parsing ------------------------------------------------------------ */

static uint32_t get_xid(const uint8_t *buf)
{
	return (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
}

/* CLIENTID, SERVERID: once per container, 3..130 octets. */
static enum lq_err parse_duid(const struct dhcp6_opt_cursor *c,
			      struct dr_bytes *b)
{
	if (b->len)
		return LQ_ERR_DUPLICATE;
	if (c->len < DR_DUID_MIN || c->len > DR_DUID_MAX)
		return LQ_ERR_DUID;
	b->data = c->data;
	b->len = c->len;
	return LQ_OK;
}

/* The options inside an IAADDR or IAPREFIX: unused, but checked. */
static enum lq_err walk_inner(const uint8_t *buf, size_t len)
{
	struct dhcp6_opt_cursor c;

	dhcp6_opt_init(&c, buf, len);
	while (dhcp6_opt_next(&c))
		;
	return c.overrun ? LQ_ERR_OPT_OVERRUN : LQ_OK;
}

static enum lq_err parse_lq_query(const uint8_t *buf, size_t len,
				  struct lq_query *q)
{
	struct dhcp6_opt_cursor c;
	bool has_addr = false;
	enum lq_err err;
	uint16_t i;

	if (len < LQ_QUERY_LEN)
		return LQ_ERR_OPT_LEN;
	q->query_type = buf[0];
	memcpy(q->link_addr, buf + 1, ADDR_LEN);
	if (q->query_type != LQ_QUERY_BY_ADDRESS &&
	    q->query_type != LQ_QUERY_BY_CLIENTID)
		return LQ_OK;		/* UnknownQueryType: the server's */

	dhcp6_opt_init(&c, buf + LQ_QUERY_LEN, len - LQ_QUERY_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_IAADDR:
			if (q->query_type != LQ_QUERY_BY_ADDRESS)
				break;
			if (has_addr)
				return LQ_ERR_DUPLICATE;
			if (c.len < IAADDR_LEN)
				return LQ_ERR_OPT_LEN;
			err = walk_inner(c.data + IAADDR_LEN,
					 c.len - IAADDR_LEN);
			if (err)
				return err;
			memcpy(q->addr, c.data, ADDR_LEN);
			has_addr = true;
			break;
		case DR_OPT_CLIENTID:
			if (q->query_type != LQ_QUERY_BY_CLIENTID)
				break;
			err = parse_duid(&c, &q->query_client_id);
			if (err)
				return err;
			break;
		case LQ_OPT_ORO:
			if (q->n_oro)
				return LQ_ERR_DUPLICATE;
			if (c.len % 2)
				return LQ_ERR_OPT_LEN;
			if (c.len / 2 > LQ_MAX_ORO)
				return LQ_ERR_TOO_MANY;
			for (i = 0; i < c.len / 2; i++)
				q->oro[i] = dhcp6_get16(c.data + 2 * i);
			q->n_oro = c.len / 2;
			break;
		default:
			break;
		}
	}
	if (c.overrun)
		return LQ_ERR_OPT_OVERRUN;
	if (q->query_type == LQ_QUERY_BY_ADDRESS ? !has_addr :
	    !q->query_client_id.len)
		return LQ_ERR_NO_QUERY_DATA;
	return LQ_OK;
}

enum lq_err lq_parse_query(const uint8_t *buf, size_t len,
			   struct lq_query *q, bool *in_query)
{
	struct dhcp6_opt_cursor c;
	const uint8_t *query = NULL;
	size_t query_len = 0;
	enum lq_err err;
	bool dummy;

	if (!in_query)
		in_query = &dummy;
	*in_query = false;
	memset(q, 0, sizeof(*q));
	if (len < MSG_HDR_LEN)
		return LQ_ERR_SHORT;
	if (buf[0] != LQ_MSG_LEASEQUERY)
		return LQ_ERR_TYPE;
	q->xid = get_xid(buf);

	dhcp6_opt_init(&c, buf + MSG_HDR_LEN, len - MSG_HDR_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_CLIENTID:
			err = parse_duid(&c, &q->client_id);
			break;
		case DR_OPT_SERVERID:
			err = parse_duid(&c, &q->server_id);
			break;
		case LQ_OPT_LQ_QUERY:
			/* Twice: which one would the server answer? */
			err = query ? LQ_ERR_DUPLICATE : LQ_OK;
			query = c.data;
			query_len = c.len;
			break;
		default:
			err = LQ_OK;
			break;
		}
		if (err)
			return err;
	}
	if (c.overrun)
		return LQ_ERR_OPT_OVERRUN;
	if (!q->client_id.len)
		return LQ_ERR_NO_CLIENT_ID;

	/* From here on the message is good: the query is what is wrong. */
	*in_query = true;
	if (!query)
		return LQ_ERR_NO_QUERY;
	err = parse_lq_query(query, query_len, q);
	if (err)
		return err;
	*in_query = false;
	return LQ_OK;
}

static bool same_lease(const struct lq_lease *a, const struct lq_lease *b)
{
	return a->prefix == b->prefix && a->plen == b->plen &&
	       !memcmp(a->addr, b->addr, ADDR_LEN);
}

/*
 * An IAADDR or IAPREFIX of the Client Data, or of an IA in it (ia not
 * NULL: its IAID). A lease met before is that lease (see "The IAs").
 */
static enum lq_err parse_lease(const struct dhcp6_opt_cursor *c,
			       struct lq_reply *r, const uint32_t *ia)
{
	struct lq_lease *l, tmp;
	uint16_t i;

	l = &tmp;
	memset(l, 0, sizeof(*l));
	if (c->code == DR_OPT_IAADDR) {
		if (c->len < IAADDR_LEN)
			return LQ_ERR_OPT_LEN;
		memcpy(l->addr, c->data, ADDR_LEN);
		l->plen = 128;
		l->preferred = dhcp6_get32(c->data + 16);
		l->valid = dhcp6_get32(c->data + 20);
		if (walk_inner(c->data + IAADDR_LEN, c->len - IAADDR_LEN))
			return LQ_ERR_OPT_OVERRUN;
	} else {
		if (c->len < IAPREFIX_LEN)
			return LQ_ERR_OPT_LEN;
		l->prefix = true;
		l->preferred = dhcp6_get32(c->data);
		l->valid = dhcp6_get32(c->data + 4);
		l->plen = c->data[8];
		if (l->plen > 128)
			return LQ_ERR_PREFIX_LEN;
		memcpy(l->addr, c->data + 9, ADDR_LEN);
		if (walk_inner(c->data + IAPREFIX_LEN, c->len - IAPREFIX_LEN))
			return LQ_ERR_OPT_OVERRUN;
	}
	for (i = 0; i < r->n_leases && !same_lease(&r->leases[i], l); i++)
		;
	if (i == r->n_leases) {
		if (r->n_leases >= r->max_leases)
			return LQ_ERR_TOO_MANY;
		r->leases[r->n_leases++] = *l;
	}
	l = &r->leases[i];
	if (ia) {
		if (l->has_iaid && l->iaid != *ia)
			return LQ_ERR_DUPLICATE;
		l->has_iaid = true;
		l->iaid = *ia;
	}
	return LQ_OK;
}

/* An IA_NA or IA_PD in the Client Data: its leases' IAID. */
static enum lq_err parse_ia(const struct dhcp6_opt_cursor *opt,
			    struct lq_reply *r)
{
	uint16_t want = opt->code == DR_OPT_IA_NA ? DR_OPT_IAADDR :
						    DR_OPT_IAPREFIX;
	struct dhcp6_opt_cursor c;
	enum lq_err err;
	uint32_t iaid;

	if (opt->len < IA_LEN)
		return LQ_ERR_OPT_LEN;
	iaid = dhcp6_get32(opt->data);
	dhcp6_opt_init(&c, opt->data + IA_LEN, opt->len - IA_LEN);
	while (dhcp6_opt_next(&c)) {
		if (c.code != want)
			continue;
		err = parse_lease(&c, r, &iaid);
		if (err)
			return err;
	}
	return c.overrun ? LQ_ERR_OPT_OVERRUN : LQ_OK;
}

static enum lq_err parse_relay_data(const struct dhcp6_opt_cursor *c,
				    struct lq_reply *r)
{
	if (r->has_relay_data)
		return LQ_ERR_DUPLICATE;
	if (c->len < RELAY_DATA_LEN)
		return LQ_ERR_OPT_LEN;
	r->has_relay_data = true;
	memcpy(r->relay_peer, c->data, ADDR_LEN);
	r->relay_msg.data = c->data + RELAY_DATA_LEN;
	r->relay_msg.len = c->len - RELAY_DATA_LEN;
	return LQ_OK;
}

static enum lq_err parse_client_data(const struct dhcp6_opt_cursor *opt,
				     struct lq_reply *r)
{
	struct dhcp6_opt_cursor c;
	enum lq_err err;

	if (r->has_client)
		return LQ_ERR_DUPLICATE;
	r->has_client = true;
	dhcp6_opt_init(&c, opt->data, opt->len);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_CLIENTID:
			err = parse_duid(&c, &r->client_duid);
			break;
		case DR_OPT_IAADDR:
		case DR_OPT_IAPREFIX:
			err = parse_lease(&c, r, NULL);
			break;
		case DR_OPT_IA_NA:
		case DR_OPT_IA_PD:
			err = parse_ia(&c, r);
			break;
		case LQ_OPT_CLT_TIME:
			if (r->has_clt_time)
				return LQ_ERR_DUPLICATE;
			if (c.len != CLT_TIME_LEN)
				return LQ_ERR_OPT_LEN;
			r->has_clt_time = true;
			r->clt_time = dhcp6_get32(c.data);
			err = LQ_OK;
			break;
		case LQ_OPT_LQ_RELAY_DATA:
			err = parse_relay_data(&c, r);
			break;
		default:
			err = LQ_OK;
			break;
		}
		if (err)
			return err;
	}
	if (c.overrun)
		return LQ_ERR_OPT_OVERRUN;
	if (!r->client_duid.len)
		return LQ_ERR_NO_CLIENT_ID;
	return LQ_OK;
}

enum lq_err lq_parse_reply(const uint8_t *buf, size_t len, struct lq_reply *r)
{
	struct lq_lease *leases = r->leases;
	uint16_t max_leases = r->max_leases;
	struct dhcp6_opt_cursor c;
	enum lq_err err;

	memset(r, 0, sizeof(*r));
	r->leases = leases;
	r->max_leases = leases ? max_leases : 0;
	if (len < MSG_HDR_LEN)
		return LQ_ERR_SHORT;
	if (buf[0] != LQ_MSG_LEASEQUERY_REPLY)
		return LQ_ERR_TYPE;
	r->xid = get_xid(buf);

	dhcp6_opt_init(&c, buf + MSG_HDR_LEN, len - MSG_HDR_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_CLIENTID:
			err = parse_duid(&c, &r->client_id);
			break;
		case DR_OPT_SERVERID:
			err = parse_duid(&c, &r->server_id);
			break;
		case DR_OPT_STATUS_CODE:
			if (r->has_status)
				return LQ_ERR_DUPLICATE;
			if (c.len < STATUS_LEN)
				return LQ_ERR_OPT_LEN;
			r->has_status = true;
			r->status = dhcp6_get16(c.data);
			r->status_text.data = c.data + STATUS_LEN;
			r->status_text.len = c.len - STATUS_LEN;
			err = LQ_OK;
			break;
		case LQ_OPT_CLIENT_DATA:
			err = parse_client_data(&c, r);
			break;
		case LQ_OPT_LQ_RELAY_DATA:
			err = parse_relay_data(&c, r);
			break;
		case LQ_OPT_LQ_CLIENT_LINK:
			if (r->links)
				return LQ_ERR_DUPLICATE;
			if (!c.len || c.len % ADDR_LEN)
				return LQ_ERR_OPT_LEN;
			r->links = c.data;
			r->n_links = c.len / ADDR_LEN;
			err = LQ_OK;
			break;
		default:
			err = LQ_OK;
			break;
		}
		if (err)
			return err;
	}
	if (c.overrun)
		return LQ_ERR_OPT_OVERRUN;
	return LQ_OK;
}

static const char *const lq_err_names[] = {
	"ok",
	"short",
	"type",
	"opt_overrun",
	"opt_len",
	"duid",
	"prefix_len",
	"duplicate",
	"too_many",
	"no_client_id",
	"no_query",
	"no_query_data",
};

static_assert(ARRAY_SIZE(lq_err_names) == LQ_ERR_COUNT,
	      "a name for each LQ_ERR_");

const char *lq_err_name(enum lq_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(lq_err_names))
		return "unknown";
	return lq_err_names[err];
}

/* ---- Building ----------------------------------------------------------- */

static void w_lease(struct dhcp6_writer *w, const struct lq_lease *l)
{
	if (l->prefix) {
		w_put16(w, DR_OPT_IAPREFIX);
		w_put16(w, IAPREFIX_LEN);
		w_put32(w, l->preferred);
		w_put32(w, l->valid);
		w_put8(w, l->plen);
		w_put(w, l->addr, ADDR_LEN);
	} else {
		w_put16(w, DR_OPT_IAADDR);
		w_put16(w, IAADDR_LEN);
		w_put(w, l->addr, ADDR_LEN);
		w_put32(w, l->preferred);
		w_put32(w, l->valid);
	}
}

/*
 * The IAs of "The IAs": for each lease with an IAID whose IA was not
 * written yet, that IA with every lease of its kind and IAID.
 */
static void w_ias(struct dhcp6_writer *w, const struct lq_reply *r)
{
	uint16_t i, j, k;
	size_t at;

	for (i = 0; i < r->n_leases; i++) {
		const struct lq_lease *l = &r->leases[i];

		if (!l->has_iaid)
			continue;
		for (j = 0; j < i; j++)
			if (r->leases[j].has_iaid &&
			    r->leases[j].prefix == l->prefix &&
			    r->leases[j].iaid == l->iaid)
				break;
		if (j < i)
			continue;	/* written with lease j */
		at = w_begin(w, l->prefix ? DR_OPT_IA_PD : DR_OPT_IA_NA);
		w_put32(w, l->iaid);
		w_put32(w, 0);		/* T1, T2: the requestor renews nothing */
		w_put32(w, 0);
		for (k = i; k < r->n_leases; k++)
			if (r->leases[k].has_iaid &&
			    r->leases[k].prefix == l->prefix &&
			    r->leases[k].iaid == l->iaid)
				w_lease(w, &r->leases[k]);
		w_end(w, at);
	}
}

/* How many IAs w_ias() writes. */
static size_t n_ias(const struct lq_reply *r)
{
	uint16_t i, j;
	size_t n = 0;

	for (i = 0; i < r->n_leases; i++) {
		const struct lq_lease *l = &r->leases[i];

		if (!l->has_iaid)
			continue;
		for (j = 0; j < i; j++)
			if (r->leases[j].has_iaid &&
			    r->leases[j].prefix == l->prefix &&
			    r->leases[j].iaid == l->iaid)
				break;
		n += j == i;
	}
	return n;
}

static void w_hdr(struct dhcp6_writer *w, uint8_t type, uint32_t xid)
{
	w_put8(w, type);
	w_put8(w, (uint8_t)(xid >> 16));
	w_put16(w, (uint16_t)xid);
}

static bool duid_ok(const struct dr_bytes *b, bool required)
{
	if (!b->len)
		return !required;
	return b->len >= DR_DUID_MIN && b->len <= DR_DUID_MAX;
}

static size_t w_done(const struct dhcp6_writer *w)
{
	return w->full ? 0 : w->len;
}

size_t lq_build_query(const struct lq_query *q, uint8_t *buf, size_t cap)
{
	struct dhcp6_writer w = { buf, cap, 0, false };
	size_t at;
	int i;

	if (q->xid > XID_MAX || !duid_ok(&q->client_id, true) ||
	    !duid_ok(&q->server_id, false) || q->n_oro > LQ_MAX_ORO ||
	    (q->query_type == LQ_QUERY_BY_CLIENTID &&
	     !duid_ok(&q->query_client_id, true)))
		return 0;

	w_hdr(&w, LQ_MSG_LEASEQUERY, q->xid);
	w_opt(&w, DR_OPT_CLIENTID, q->client_id.data, q->client_id.len);
	if (q->server_id.len)
		w_opt(&w, DR_OPT_SERVERID, q->server_id.data,
		      q->server_id.len);
	at = w_begin(&w, LQ_OPT_LQ_QUERY);
	w_put8(&w, q->query_type);
	w_put(&w, q->link_addr, ADDR_LEN);
	if (q->query_type == LQ_QUERY_BY_ADDRESS) {
		w_put16(&w, DR_OPT_IAADDR);
		w_put16(&w, IAADDR_LEN);
		w_put(&w, q->addr, ADDR_LEN);
		w_put32(&w, 0);		/* RFC 5007 4.1.2.1: lifetimes unused */
		w_put32(&w, 0);
	} else if (q->query_type == LQ_QUERY_BY_CLIENTID) {
		w_opt(&w, DR_OPT_CLIENTID, q->query_client_id.data,
		      q->query_client_id.len);
	}
	if (q->n_oro) {
		w_put16(&w, LQ_OPT_ORO);
		w_put16(&w, (uint16_t)(2 * q->n_oro));
		for (i = 0; i < q->n_oro; i++)
			w_put16(&w, q->oro[i]);
	}
	w_end(&w, at);
	return w_done(&w);
}

size_t lq_build_reply(const struct lq_reply *r, uint8_t *buf, size_t cap)
{
	struct dhcp6_writer w = { buf, cap, 0, false };
	const char *name;
	size_t at;
	uint16_t i;

	if (r->xid > XID_MAX || !duid_ok(&r->client_id, false) ||
	    !duid_ok(&r->server_id, false) ||
	    (r->has_client && !duid_ok(&r->client_duid, true)) ||
	    (r->n_leases && !r->leases) || (r->n_links && !r->links) ||
	    (r->has_relay_data && !r->has_client))
		return 0;
	for (i = 0; r->has_client && i < r->n_leases; i++) {
		const struct lq_lease *l = &r->leases[i];

		if (l->prefix ? l->plen > 128 : l->plen != 128)
			return 0;
	}
	/*
	 * The IAs are found again lease by lease: keep that quadratic small.
	 * More leases than a Client Data holds bare would not fit anyway.
	 */
	if (r->has_client && (r->n_leases > OPT_LEN_MAX / (4 + IAADDR_LEN) ||
			      n_ias(r) > MAX_IAS))
		return 0;

	w_hdr(&w, LQ_MSG_LEASEQUERY_REPLY, r->xid);
	if (r->client_id.len)
		w_opt(&w, DR_OPT_CLIENTID, r->client_id.data,
		      r->client_id.len);
	if (r->server_id.len)
		w_opt(&w, DR_OPT_SERVERID, r->server_id.data,
		      r->server_id.len);
	if (r->has_status) {
		at = w_begin(&w, DR_OPT_STATUS_CODE);
		w_put16(&w, r->status);
		if (r->status_text.len) {
			w_put(&w, r->status_text.data, r->status_text.len);
		} else {
			name = dr_status_name(r->status);
			w_put(&w, name, strlen(name));
		}
		w_end(&w, at);
	}
	if (r->has_client) {
		at = w_begin(&w, LQ_OPT_CLIENT_DATA);
		w_opt(&w, DR_OPT_CLIENTID, r->client_duid.data,
		      r->client_duid.len);
		for (i = 0; i < r->n_leases; i++)
			w_lease(&w, &r->leases[i]);
		w_ias(&w, r);
		if (r->has_clt_time) {
			w_put16(&w, LQ_OPT_CLT_TIME);
			w_put16(&w, CLT_TIME_LEN);
			w_put32(&w, r->clt_time);
		}
		if (r->has_relay_data) {
			size_t rd = w_begin(&w, LQ_OPT_LQ_RELAY_DATA);

			w_put(&w, r->relay_peer, ADDR_LEN);
			w_put(&w, r->relay_msg.data, r->relay_msg.len);
			w_end(&w, rd);
		}
		w_end(&w, at);
	}
	if (r->n_links) {
		if ((size_t)r->n_links * ADDR_LEN > OPT_LEN_MAX)
			return 0;
		w_opt(&w, LQ_OPT_LQ_CLIENT_LINK, r->links,
		      (uint16_t)(r->n_links * ADDR_LEN));
	}
	return w_done(&w);
}
