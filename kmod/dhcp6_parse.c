// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DHCPv6 message parser (RFC 8415). See dhcp6_parse.h for the rules.
 *
 * Every container (a message body, an IA, an IAADDR/IAPREFIX, a relay
 * layer) is walked with the same option cursor, which checks each option
 * header and length against what is left of its container before anything
 * reads the option's data. Relay layers are unwrapped in a loop, so the
 * stack depth does not depend on the input.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <assert.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "dhcp6_parse.h"
#include "dhcp6_opt.h"

#define DHCP6_MSG_HDR_LEN	4	/* msg-type, transaction-id */
#define DHCP6_RELAY_HDR_LEN	34	/* msg-type, hop-count, link, peer */
#define DHCP6_IA_LEN		12	/* IAID, T1, T2 */
#define DHCP6_IAADDR_LEN	24	/* address, preferred, valid */
#define DHCP6_IAPREFIX_LEN	25	/* preferred, valid, plen, prefix */
#define DHCP6_STATUS_LEN	2	/* status-code, then a message */
#define DHCP6_LLADDR_MIN	3	/* hardware type, then an address */

static void set_bytes(struct dhcp6_bytes *b, const u8 *data, u16 len)
{
	b->data = data;
	b->len = len;
}

/* CLIENTID, SERVERID, RELAY_ID: once per container, 3..130 octets. */
static enum dhcp6_err parse_duid(const struct dhcp6_opt_cursor *c,
				 struct dhcp6_bytes *duid)
{
	if (duid->len)
		return DHCP6_ERR_DUPLICATE;
	if (c->len < DHCP6_DUID_MIN || c->len > DHCP6_DUID_MAX)
		return DHCP6_ERR_DUID;
	set_bytes(duid, c->data, c->len);
	return DHCP6_OK;
}

/* A STATUS_CODE: once per container; the message text is not kept. */
static enum dhcp6_err parse_status(const struct dhcp6_opt_cursor *c,
				   bool *has_status, u16 *status)
{
	if (*has_status)
		return DHCP6_ERR_DUPLICATE;
	if (c->len < DHCP6_STATUS_LEN)
		return DHCP6_ERR_OPT_LEN;
	*has_status = true;
	*status = dhcp6_get16(c->data);
	return DHCP6_OK;
}

/* An IAADDR (in an IA_NA) or an IAPREFIX (in an IA_PD), into *lease. */
static enum dhcp6_err parse_lease(const struct dhcp6_opt_cursor *opt,
				  struct dhcp6_lease *lease)
{
	struct dhcp6_opt_cursor c;
	enum dhcp6_err err;
	size_t fixed;

	memset(lease, 0, sizeof(*lease));
	if (opt->code == DHCP6_OPT_IAADDR) {
		if (opt->len < DHCP6_IAADDR_LEN)
			return DHCP6_ERR_OPT_LEN;
		memcpy(lease->addr, opt->data, sizeof(lease->addr));
		lease->plen = 128;
		lease->preferred = dhcp6_get32(opt->data + 16);
		lease->valid = dhcp6_get32(opt->data + 20);
		fixed = DHCP6_IAADDR_LEN;
	} else {
		if (opt->len < DHCP6_IAPREFIX_LEN)
			return DHCP6_ERR_OPT_LEN;
		lease->preferred = dhcp6_get32(opt->data);
		lease->valid = dhcp6_get32(opt->data + 4);
		lease->plen = opt->data[8];
		if (lease->plen > 128)
			return DHCP6_ERR_PREFIX_LEN;
		memcpy(lease->addr, opt->data + 9, sizeof(lease->addr));
		fixed = DHCP6_IAPREFIX_LEN;
	}

	dhcp6_opt_init(&c, opt->data + fixed, opt->len - fixed);
	while (dhcp6_opt_next(&c)) {
		if (c.code != DHCP6_OPT_STATUS_CODE)
			continue;
		err = parse_status(&c, &lease->has_status, &lease->status);
		if (err)
			return err;
	}
	return c.overrun ? DHCP6_ERR_OPT_OVERRUN : DHCP6_OK;
}

/* Where the next lease of an IA goes: spare if it is not kept. */
static struct dhcp6_lease *lease_slot(struct dhcp6_ia *ia,
				      struct dhcp6_lease *spare)
{
	if (!ia)
		return spare;
	if (ia->n_leases == DHCP6_MAX_LEASES) {
		ia->leases_truncated = true;
		return spare;
	}
	return &ia->leases[ia->n_leases];
}

/*
 * An IA_NA or IA_PD. It is stored in *ia when there is room (ia != NULL),
 * and validated all the same when there is not.
 */
static enum dhcp6_err parse_ia_body(const struct dhcp6_opt_cursor *opt,
				    struct dhcp6_ia *ia)
{
	u16 lease_code = opt->code == DHCP6_OPT_IA_NA ?
			 DHCP6_OPT_IAADDR : DHCP6_OPT_IAPREFIX;
	struct dhcp6_lease spare, *lease;
	bool has_status = false;
	struct dhcp6_opt_cursor c;
	enum dhcp6_err err;
	u16 status = 0;

	dhcp6_opt_init(&c, opt->data + DHCP6_IA_LEN, opt->len - DHCP6_IA_LEN);
	while (dhcp6_opt_next(&c)) {
		if (c.code == DHCP6_OPT_STATUS_CODE) {
			err = parse_status(&c, &has_status, &status);
		} else if (c.code == lease_code) {
			lease = lease_slot(ia, &spare);
			err = parse_lease(&c, lease);
			if (!err && lease != &spare)
				ia->n_leases++;
		} else {
			continue;
		}
		if (err)
			return err;
	}
	if (ia) {
		ia->has_status = has_status;
		ia->status = status;
	}
	return c.overrun ? DHCP6_ERR_OPT_OVERRUN : DHCP6_OK;
}

static enum dhcp6_err parse_ia(const struct dhcp6_opt_cursor *opt,
			       struct dhcp6_msg *msg)
{
	struct dhcp6_ia *ia = NULL;
	enum dhcp6_err err;
	u32 iaid;
	int i;

	if (opt->len < DHCP6_IA_LEN)
		return DHCP6_ERR_OPT_LEN;
	iaid = dhcp6_get32(opt->data);

	/* Only the IAs kept can be compared: enough for any real client. */
	for (i = 0; i < msg->n_ias; i++)
		if (msg->ias[i].type == opt->code && msg->ias[i].iaid == iaid)
			return DHCP6_ERR_DUPLICATE;

	if (msg->n_ias < DHCP6_MAX_IAS) {
		ia = &msg->ias[msg->n_ias];
		memset(ia, 0, sizeof(*ia));
		ia->type = opt->code;
		ia->iaid = iaid;
		ia->t1 = dhcp6_get32(opt->data + 4);
		ia->t2 = dhcp6_get32(opt->data + 8);
	} else {
		msg->ias_truncated = true;
	}

	err = parse_ia_body(opt, ia);
	if (!err && ia)
		msg->n_ias++;
	return err;
}

/* A client or server message: anything but RELAY-FORW/RELAY-REPL. */
static enum dhcp6_err parse_msg(const u8 *buf, size_t len,
				struct dhcp6_msg *msg)
{
	struct dhcp6_opt_cursor c;
	enum dhcp6_err err;

	if (len < DHCP6_MSG_HDR_LEN)
		return DHCP6_ERR_SHORT;
	msg->type = buf[0];
	msg->xid = (u32)buf[1] << 16 | (u32)buf[2] << 8 | buf[3];

	dhcp6_opt_init(&c, buf + DHCP6_MSG_HDR_LEN, len - DHCP6_MSG_HDR_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DHCP6_OPT_CLIENTID:
			err = parse_duid(&c, &msg->client_id);
			break;
		case DHCP6_OPT_SERVERID:
			err = parse_duid(&c, &msg->server_id);
			break;
		case DHCP6_OPT_STATUS_CODE:
			err = parse_status(&c, &msg->has_status, &msg->status);
			break;
		case DHCP6_OPT_RAPID_COMMIT:
			if (msg->rapid_commit)
				return DHCP6_ERR_DUPLICATE;
			if (c.len)
				return DHCP6_ERR_OPT_LEN;
			msg->rapid_commit = true;
			err = DHCP6_OK;
			break;
		case DHCP6_OPT_IA_NA:
		case DHCP6_OPT_IA_PD:
			err = parse_ia(&c, msg);
			break;
		default:	/* IA_TA and anything leaseguard does not use */
			continue;
		}
		if (err)
			return err;
	}
	return c.overrun ? DHCP6_ERR_OPT_OVERRUN : DHCP6_OK;
}

/* A variable-length relay option other than a DUID: once, not empty. */
static enum dhcp6_err parse_relay_bytes(const struct dhcp6_opt_cursor *c,
					struct dhcp6_bytes *b, u16 min)
{
	if (b->len)
		return DHCP6_ERR_DUPLICATE;
	if (c->len < min)
		return DHCP6_ERR_OPT_LEN;
	set_bytes(b, c->data, c->len);
	return DHCP6_OK;
}

/*
 * One relay layer. On success *inner is its RELAY_MSG, which the caller
 * unwraps next.
 */
static enum dhcp6_err parse_relay(const u8 *buf, size_t len,
				  struct dhcp6_relay *relay,
				  struct dhcp6_bytes *inner)
{
	struct dhcp6_bytes lladdr = { 0 };
	struct dhcp6_opt_cursor c;
	enum dhcp6_err err;

	if (len < DHCP6_RELAY_HDR_LEN)
		return DHCP6_ERR_SHORT;
	relay->type = buf[0];
	relay->hop_count = buf[1];
	memcpy(relay->link_addr, buf + 2, sizeof(relay->link_addr));
	memcpy(relay->peer_addr, buf + 18, sizeof(relay->peer_addr));
	set_bytes(inner, NULL, 0);

	dhcp6_opt_init(&c, buf + DHCP6_RELAY_HDR_LEN, len - DHCP6_RELAY_HDR_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DHCP6_OPT_RELAY_MSG:
			err = parse_relay_bytes(&c, inner, 1);
			break;
		case DHCP6_OPT_INTERFACE_ID:
			err = parse_relay_bytes(&c, &relay->interface_id, 1);
			break;
		case DHCP6_OPT_RELAY_ID:
			err = parse_duid(&c, &relay->relay_id);
			break;
		case DHCP6_OPT_CLIENT_LINKLAYER_ADDR:
			err = parse_relay_bytes(&c, &lladdr, DHCP6_LLADDR_MIN);
			break;
		default:
			continue;
		}
		if (err)
			return err;
	}
	if (c.overrun)
		return DHCP6_ERR_OPT_OVERRUN;
	if (lladdr.len) {
		relay->lladdr_type = dhcp6_get16(lladdr.data);
		set_bytes(&relay->lladdr, lladdr.data + 2, lladdr.len - 2);
	}
	if (!inner->len)
		return DHCP6_ERR_NO_RELAY_MSG;
	return DHCP6_OK;
}

static bool is_relay(u8 type)
{
	return type == DHCP6_RELAY_FORW || type == DHCP6_RELAY_REPL;
}

enum dhcp6_err dhcp6_parse(const u8 *buf, size_t len,
			   struct dhcp6_packet *pkt)
{
	struct dhcp6_bytes inner;
	enum dhcp6_err err;
	u8 outer = 0;

	memset(pkt, 0, sizeof(*pkt));
	for (;;) {
		if (!len)
			return DHCP6_ERR_SHORT;
		if (!is_relay(buf[0]))
			return parse_msg(buf, len, &pkt->msg);
		if (outer && buf[0] != outer)
			return DHCP6_ERR_TYPE;
		if (pkt->n_relays == DHCP6_HOP_COUNT_LIMIT + 1)
			return DHCP6_ERR_HOPS;

		err = parse_relay(buf, len, &pkt->relays[pkt->n_relays],
				  &inner);
		if (err)
			return err;
		pkt->n_relays++;
		outer = buf[0];
		buf = inner.data;
		len = inner.len;
	}
}

static const char * const dhcp6_err_names[] = {
	[DHCP6_OK] = "ok",
	[DHCP6_ERR_SHORT] = "short",
	[DHCP6_ERR_OPT_OVERRUN] = "opt_overrun",
	[DHCP6_ERR_OPT_LEN] = "opt_len",
	[DHCP6_ERR_DUID] = "duid",
	[DHCP6_ERR_PREFIX_LEN] = "prefix_len",
	[DHCP6_ERR_DUPLICATE] = "duplicate",
	[DHCP6_ERR_HOPS] = "hops",
	[DHCP6_ERR_NO_RELAY_MSG] = "no_relay_msg",
	[DHCP6_ERR_TYPE] = "type",
};

static_assert(ARRAY_SIZE(dhcp6_err_names) == __DHCP6_ERR_MAX,
	      "a name for each enum dhcp6_err");

const char *dhcp6_err_name(enum dhcp6_err err)
{
	unsigned int i = err;

	if (i >= ARRAY_SIZE(dhcp6_err_names))
		return "unknown";
	return dhcp6_err_names[i];
}
