// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RELEASE-REQUEST / RELEASE-REQUEST-REPLY codec. See dhcp6_release.h.
 *
 * Parsing walks each container (the message, a Client Data, an IA, an
 * IAADDR/IAPREFIX) with one option cursor that checks every option header
 * and length against what is left of its container before anything reads
 * the option. Building first sizes the message with the same functions
 * dr_fit() uses, which also refuse what dr_parse() would reject, then
 * writes it through a writer that checks every octet against cap anyway.
 *
 * It also compiles as C++ (no designated initializers, no implicit casts
 * from void *), for the Kea hook's sake.
 */
#include <assert.h>
#include <string.h>

#include "dhcp6_release.h"
#include "dhcp6_opt.h"
#include "dhcp6_write.h"

#define MSG_HDR_LEN	4	/* msg-type, transaction-id */
#define OPT_LEN_MAX	0xffff
#define IA_LEN		12	/* IAID, T1, T2 */
#define IA_TA_LEN	4	/* IAID */
#define IAADDR_LEN	24	/* address, preferred, valid */
#define IAPREFIX_LEN	25	/* preferred, valid, plen, prefix */
#define STATUS_LEN	2	/* status-code, then a message */
#define XID_MAX		0xffffff
#define RELAY_FORW	12
#define RELAY_REPL	13
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Parsing ------------------------------------------------------------ */

/* CLIENTID, SERVERID, RELAY_ID: once per container, 3..130 octets. */
static enum dr_err parse_duid(const struct dhcp6_opt_cursor *c, struct dr_bytes *b)
{
	if (b->len)
		return DR_ERR_DUPLICATE;
	if (c->len < DR_DUID_MIN || c->len > DR_DUID_MAX)
		return DR_ERR_DUID;
	b->data = c->data;
	b->len = c->len;
	return DR_OK;
}

/* INTERFACE_ID: once per container, not empty (empty reads as absent). */
static enum dr_err parse_ifid(const struct dhcp6_opt_cursor *c, struct dr_bytes *b)
{
	if (b->len)
		return DR_ERR_DUPLICATE;
	if (!c->len)
		return DR_ERR_OPT_LEN;
	b->data = c->data;
	b->len = c->len;
	return DR_OK;
}

/* STATUS_CODE: once per container; its text kept only if text != NULL. */
static enum dr_err parse_status(const struct dhcp6_opt_cursor *c, bool *has_status,
				uint16_t *status, struct dr_bytes *text)
{
	if (*has_status)
		return DR_ERR_DUPLICATE;
	if (c->len < STATUS_LEN)
		return DR_ERR_OPT_LEN;
	*has_status = true;
	*status = dhcp6_get16(c->data);
	if (text) {
		text->data = c->data + STATUS_LEN;
		text->len = c->len - STATUS_LEN;
	}
	return DR_OK;
}

/* IA_TA and leases out of place: see DR_ERR_UNSUPPORTED. */
static bool is_lease_code(uint16_t code)
{
	return code == DR_OPT_IA_TA || code == DR_OPT_IAADDR ||
	       code == DR_OPT_IAPREFIX;
}

/*
 * An IAADDR in an IA_NA or IA_TA, an IAPREFIX in an IA_PD, or either in a
 * group of bare leases (ia->type DR_OPT_IAADDR/_IAPREFIX), which keep
 * their Status Code.
 */
static enum dr_err parse_lease(const struct dhcp6_opt_cursor *opt, struct dr_ia *ia)
{
	bool bare = ia->type == DR_OPT_IAADDR || ia->type == DR_OPT_IAPREFIX;
	struct dr_lease *lease;
	struct dhcp6_opt_cursor c;
	enum dr_err err;
	size_t fixed;

	if (ia->n_leases == DR_MAX_IA_LEASES)
		return DR_ERR_TOO_MANY;
	lease = &ia->leases[ia->n_leases];
	memset(lease, 0, sizeof(*lease));
	if (opt->code == DR_OPT_IAADDR) {
		if (opt->len < IAADDR_LEN)
			return DR_ERR_OPT_LEN;
		memcpy(lease->addr, opt->data, sizeof(lease->addr));
		lease->plen = 128;
		fixed = IAADDR_LEN;
	} else {
		if (opt->len < IAPREFIX_LEN)
			return DR_ERR_OPT_LEN;
		lease->plen = opt->data[8];
		if (lease->plen > 128)
			return DR_ERR_PREFIX_LEN;
		memcpy(lease->addr, opt->data + 9, sizeof(lease->addr));
		fixed = IAPREFIX_LEN;
	}

	/* Nothing else inside is used, but garbage there is still garbage. */
	dhcp6_opt_init(&c, opt->data + fixed, opt->len - fixed);
	while (dhcp6_opt_next(&c)) {
		if (!bare || c.code != DR_OPT_STATUS_CODE)
			continue;
		err = parse_status(&c, &lease->has_status, &lease->status,
				   NULL);
		if (err)
			return err;
	}
	if (c.overrun)
		return DR_ERR_OPT_OVERRUN;
	ia->n_leases++;
	return DR_OK;
}

/* An IAADDR or IAPREFIX straight in a Client Data: into its type's group. */
static enum dr_err parse_bare_lease(const struct dhcp6_opt_cursor *opt,
				    struct dr_client *cl)
{
	struct dr_ia *ia;
	enum dr_err err;
	int i;

	for (i = 0; i < cl->n_ias; i++)
		if (cl->ias[i].type == opt->code)
			return parse_lease(opt, &cl->ias[i]);
	if (cl->n_ias == DR_MAX_CLIENT_IAS)
		return DR_ERR_TOO_MANY;
	ia = &cl->ias[cl->n_ias];
	memset(ia, 0, sizeof(*ia));
	ia->type = opt->code;
	err = parse_lease(opt, ia);
	if (err)
		return err;
	cl->n_ias++;
	return DR_OK;
}

static enum dr_err parse_ia(const struct dhcp6_opt_cursor *opt,
			    struct dr_client *cl)
{
	uint16_t lease_code = opt->code == DR_OPT_IA_PD ?
			      DR_OPT_IAPREFIX : DR_OPT_IAADDR;
	size_t fixed = opt->code == DR_OPT_IA_TA ? IA_TA_LEN : IA_LEN;
	struct dhcp6_opt_cursor c;
	enum dr_err err;
	struct dr_ia *ia;
	uint32_t iaid;
	int i;

	if (opt->len < fixed)
		return DR_ERR_OPT_LEN;
	iaid = dhcp6_get32(opt->data);
	for (i = 0; i < cl->n_ias; i++)
		if (cl->ias[i].type == opt->code && cl->ias[i].iaid == iaid)
			return DR_ERR_DUPLICATE;
	if (cl->n_ias == DR_MAX_CLIENT_IAS)
		return DR_ERR_TOO_MANY;

	ia = &cl->ias[cl->n_ias];
	memset(ia, 0, sizeof(*ia));
	ia->type = opt->code;
	ia->iaid = iaid;
	dhcp6_opt_init(&c, opt->data + fixed, opt->len - fixed);
	while (dhcp6_opt_next(&c)) {
		if (c.code == DR_OPT_STATUS_CODE)
			err = parse_status(&c, &ia->has_status, &ia->status,
					   NULL);
		else if (c.code == lease_code)
			err = parse_lease(&c, ia);
		else if (is_lease_code(c.code))
			err = DR_ERR_UNSUPPORTED;
		else
			continue;
		if (err)
			return err;
	}
	if (c.overrun)
		return DR_ERR_OPT_OVERRUN;
	cl->n_ias++;
	return DR_OK;
}

static enum dr_err parse_client(const struct dhcp6_opt_cursor *opt,
				struct dr_msg *m)
{
	struct dr_client *cl;
	struct dhcp6_opt_cursor c;
	enum dr_err err;

	if (m->n_clients == m->max_clients)
		return DR_ERR_TOO_MANY;
	cl = &m->clients[m->n_clients];
	memset(cl, 0, sizeof(*cl));

	dhcp6_opt_init(&c, opt->data, opt->len);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_CLIENTID:
			err = parse_duid(&c, &cl->duid);
			break;
		case DR_OPT_STATUS_CODE:
			err = parse_status(&c, &cl->has_status, &cl->status,
					   NULL);
			break;
		case DR_OPT_INTERFACE_ID:
			err = parse_ifid(&c, &cl->ifid);
			break;
		case DR_OPT_IA_NA:
		case DR_OPT_IA_PD:
			err = parse_ia(&c, cl);
			break;
		case DR_OPT_IA_TA:
			if (!(m->parse_flags & DR_PARSE_IA_TA))
				return DR_ERR_UNSUPPORTED;
			err = parse_ia(&c, cl);
			break;
		case DR_OPT_IAADDR:
		case DR_OPT_IAPREFIX:
			if (!(m->parse_flags & DR_PARSE_BARE_LEASES))
				return DR_ERR_UNSUPPORTED;
			err = parse_bare_lease(&c, cl);
			break;
		default:	/* CLT_TIME and the like */
			continue;
		}
		if (err)
			return err;
	}
	if (c.overrun)
		return DR_ERR_OPT_OVERRUN;
	if (!cl->duid.len)
		return DR_ERR_NO_CLIENT_ID;
	m->n_clients++;
	return DR_OK;
}

enum dr_err dr_parse(const uint8_t *buf, size_t len, struct dr_msg *m)
{
	struct dr_client *clients = m->clients;
	uint16_t max_clients = m->max_clients;
	uint8_t flags = m->parse_flags;
	struct dhcp6_opt_cursor c;
	enum dr_err err;

	memset(m, 0, sizeof(*m));
	m->clients = clients;
	m->max_clients = max_clients;
	m->parse_flags = flags;
	if (len < MSG_HDR_LEN)
		return DR_ERR_SHORT;
	m->type = buf[0];
	m->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	if (m->type == RELAY_FORW || m->type == RELAY_REPL)
		return DR_ERR_TYPE;

	dhcp6_opt_init(&c, buf + MSG_HDR_LEN, len - MSG_HDR_LEN);
	while (dhcp6_opt_next(&c)) {
		switch (c.code) {
		case DR_OPT_SERVERID:
			err = parse_duid(&c, &m->server_id);
			break;
		case DR_OPT_RELAY_ID:
			err = parse_duid(&c, &m->relay_id);
			break;
		case DR_OPT_STATUS_CODE:
			err = parse_status(&c, &m->has_status, &m->status,
					   &m->status_text);
			break;
		case DR_OPT_INTERFACE_ID:
			err = parse_ifid(&c, &m->ifid);
			break;
		case DR_OPT_CLIENT_DATA:
			err = parse_client(&c, m);
			break;
		default:
			continue;
		}
		if (err)
			return err;
	}
	return c.overrun ? DR_ERR_OPT_OVERRUN : DR_OK;
}

/* ---- Status names ------------------------------------------------------- */

/* The registry's names, which Kea prints too. */
static const char *const dr_status_names[] = {
	"Success",		/* 0, RFC 8415 */
	"UnspecFail",
	"NoAddrsAvail",
	"NoBinding",
	"NotOnLink",
	"UseMulticast",
	"NoPrefixAvail",
	"UnknownQueryType",	/* 7, RFC 5007 */
	"MalformedQuery",
	"NotConfigured",
	"NotAllowed",
	"QueryTerminated",	/* 11, RFC 5460 */
};

static_assert(ARRAY_SIZE(dr_status_names) == DR_STATUS_QUERY_TERMINATED + 1,
	      "a name for each DR_STATUS_");

static const char *status_label(uint16_t status)
{
	if (status >= ARRAY_SIZE(dr_status_names))
		return NULL;
	return dr_status_names[status];
}

/* ---- Sizing: what dr_build() will write, 0 if it cannot ---------------- */

static bool same_bytes(const struct dr_bytes *a, const struct dr_bytes *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/* A DUID's option, or 0 if the DUID is absent or out of range. */
static size_t duid_size(const struct dr_bytes *duid)
{
	if (duid->len < DR_DUID_MIN || duid->len > DR_DUID_MAX)
		return 0;
	return DHCP6_OPT_HDR_LEN + duid->len;
}

/* An optional DUID's option: 0 if absent, SIZE_MAX if out of range. */
static size_t opt_duid_size(const struct dr_bytes *duid)
{
	size_t n;

	if (!duid->len)
		return 0;
	n = duid_size(duid);
	return n ? n : SIZE_MAX;
}

/* Bare leases: an IAADDR or IAPREFIX group, with no IA around it. */
static bool is_bare(uint16_t ia_type)
{
	return ia_type == DR_OPT_IAADDR || ia_type == DR_OPT_IAPREFIX;
}

static bool is_prefix(uint16_t ia_type)
{
	return ia_type == DR_OPT_IA_PD || ia_type == DR_OPT_IAPREFIX;
}

/* A Client Data's or an IA's status: no text. */
static size_t status_size(bool has_status)
{
	return has_status ? DHCP6_OPT_HDR_LEN + STATUS_LEN : 0;
}

/* A bare lease carries its own status. */
static size_t lease_size(const struct dr_ia *ia, const struct dr_lease *l)
{
	return DHCP6_OPT_HDR_LEN + (is_prefix(ia->type) ? IAPREFIX_LEN :
				    IAADDR_LEN) +
	       (is_bare(ia->type) ? status_size(l->has_status) : 0);
}

/* The top-level status's text: m->status_text, else the status's name. */
static struct dr_bytes top_status_text(const struct dr_msg *m)
{
	const char *name = status_label(m->status);
	struct dr_bytes t = m->status_text;

	if (!t.len && name) {
		t.data = (const uint8_t *)name;
		t.len = (uint16_t)strlen(name);
	}
	return t;
}

static size_t ia_size(const struct dr_ia *ia)
{
	size_t n = 0;
	uint8_t i, plen;

	switch (ia->type) {
	case DR_OPT_IA_NA:
	case DR_OPT_IA_PD:
	case DR_OPT_IA_TA:
		break;
	case DR_OPT_IAADDR:
	case DR_OPT_IAPREFIX:
		if (!ia->n_leases || ia->iaid || ia->has_status)
			return 0;	/* would not parse back */
		break;
	default:
		return 0;
	}
	if (ia->n_leases > DR_MAX_IA_LEASES)
		return 0;
	for (i = 0; i < ia->n_leases; i++) {
		plen = ia->leases[i].plen;
		if (is_prefix(ia->type) ? plen > 128 : plen != 128)
			return 0;
		if (ia->leases[i].has_status && !is_bare(ia->type))
			return 0;	/* not written: would not parse back */
		n += lease_size(ia, &ia->leases[i]);
	}
	/* at most 4 + 12 + 6 + 8 * 35: no overflow of a 16-bit length */
	if (is_bare(ia->type))
		return n;
	return DHCP6_OPT_HDR_LEN +
	       (ia->type == DR_OPT_IA_TA ? IA_TA_LEN : IA_LEN) +
	       status_size(ia->has_status) + n;
}

/* Whether c's Interface-Id is written: it is there and not the common one. */
static bool own_ifid(const struct dr_msg *m, const struct dr_client *c)
{
	return c->ifid.len && !same_bytes(&c->ifid, &m->ifid);
}

/* A whole Client Data option, or 0 if c cannot be encoded. */
static size_t client_size(const struct dr_msg *m, const struct dr_client *c)
{
	size_t n, body;
	uint8_t i, j;

	body = duid_size(&c->duid);
	if (!body || c->n_ias > DR_MAX_CLIENT_IAS)
		return 0;
	body += status_size(c->has_status);
	if (own_ifid(m, c))
		body += DHCP6_OPT_HDR_LEN + c->ifid.len;
	for (i = 0; i < c->n_ias; i++) {
		for (j = 0; j < i; j++)
			if (c->ias[j].type == c->ias[i].type &&
			    c->ias[j].iaid == c->ias[i].iaid)
				return 0;
		n = ia_size(&c->ias[i]);
		if (!n)
			return 0;
		body += n;
	}
	if (body > OPT_LEN_MAX)
		return 0;
	return DHCP6_OPT_HDR_LEN + body;
}

/* The header and the top-level options, or 0 if they cannot be encoded. */
static size_t head_size(const struct dr_msg *m)
{
	size_t server = opt_duid_size(&m->server_id);
	size_t relay = opt_duid_size(&m->relay_id);
	size_t n = MSG_HDR_LEN;

	if (m->type == RELAY_FORW || m->type == RELAY_REPL ||
	    m->xid > XID_MAX || server == SIZE_MAX || relay == SIZE_MAX)
		return 0;
	n += server + relay;
	if (m->has_status) {
		if (m->status_text.len > OPT_LEN_MAX - STATUS_LEN)
			return 0;
		n += DHCP6_OPT_HDR_LEN + STATUS_LEN + top_status_text(m).len;
	}
	if (m->ifid.len)
		n += DHCP6_OPT_HDR_LEN + m->ifid.len;
	return n;
}

uint16_t dr_fit(const struct dr_msg *m, size_t cap)
{
	size_t total = head_size(m), n;
	uint16_t i;

	if (!total || total > cap)
		return 0;
	for (i = 0; i < m->n_clients; i++) {
		n = client_size(m, &m->clients[i]);
		if (!n || n > cap - total)
			break;
		total += n;
	}
	return i;
}

/* ---- Writing ------------------------------------------------------------ */

/* Octet strings were checked against 16 bits by the sizing functions. */
static void w_bytes(struct dhcp6_writer *w, uint16_t code,
		    const struct dr_bytes *b)
{
	w_opt(w, code, b->data, (uint16_t)b->len);
}

static void w_status(struct dhcp6_writer *w, uint16_t status,
		     const struct dr_bytes *text)
{
	size_t at = w_begin(w, DR_OPT_STATUS_CODE);

	w_put16(w, status);
	if (text)
		w_put(w, text->data, text->len);
	w_end(w, at);
}

/* The leases of ia: with their own status when they have no IA. */
static void w_leases(struct dhcp6_writer *w, const struct dr_ia *ia)
{
	size_t lease;
	uint8_t i;

	for (i = 0; i < ia->n_leases; i++) {
		const struct dr_lease *l = &ia->leases[i];

		if (!is_prefix(ia->type)) {
			lease = w_begin(w, DR_OPT_IAADDR);
			w_put(w, l->addr, sizeof(l->addr));
			w_put32(w, 0);	/* preferred */
			w_put32(w, 0);	/* valid */
		} else {
			lease = w_begin(w, DR_OPT_IAPREFIX);
			w_put32(w, 0);	/* preferred */
			w_put32(w, 0);	/* valid */
			w_put8(w, l->plen);
			w_put(w, l->addr, sizeof(l->addr));
		}
		if (is_bare(ia->type) && l->has_status)
			w_status(w, l->status, NULL);
		w_end(w, lease);
	}
}

static void w_ia(struct dhcp6_writer *w, const struct dr_ia *ia)
{
	size_t at;

	if (is_bare(ia->type)) {
		w_leases(w, ia);
		return;
	}
	at = w_begin(w, ia->type);
	w_put32(w, ia->iaid);
	if (ia->type != DR_OPT_IA_TA) {
		w_put32(w, 0);		/* T1 */
		w_put32(w, 0);		/* T2 */
	}
	if (ia->has_status)
		w_status(w, ia->status, NULL);
	w_leases(w, ia);
	w_end(w, at);
}

static void w_client(struct dhcp6_writer *w, const struct dr_msg *m,
		     const struct dr_client *c)
{
	size_t at = w_begin(w, DR_OPT_CLIENT_DATA);
	uint8_t i;

	w_bytes(w, DR_OPT_CLIENTID, &c->duid);
	if (c->has_status)
		w_status(w, c->status, NULL);
	if (own_ifid(m, c))
		w_bytes(w, DR_OPT_INTERFACE_ID, &c->ifid);
	for (i = 0; i < c->n_ias; i++)
		w_ia(w, &c->ias[i]);
	w_end(w, at);
}

size_t dr_build(const struct dr_msg *m, uint8_t *buf, size_t cap)
{
	struct dhcp6_writer w = { buf, cap, 0, false };
	struct dr_bytes text;
	uint16_t i;

	/* dr_fit() checks the clients; the writer, cap when there are none */
	if (!head_size(m) || dr_fit(m, cap) != m->n_clients)
		return 0;

	w_put8(&w, m->type);
	w_put8(&w, (uint8_t)(m->xid >> 16));
	w_put16(&w, (uint16_t)m->xid);
	if (m->server_id.len)
		w_bytes(&w, DR_OPT_SERVERID, &m->server_id);
	if (m->relay_id.len)
		w_bytes(&w, DR_OPT_RELAY_ID, &m->relay_id);
	if (m->has_status) {
		text = top_status_text(m);
		w_status(&w, m->status, &text);
	}
	if (m->ifid.len)
		w_bytes(&w, DR_OPT_INTERFACE_ID, &m->ifid);
	for (i = 0; i < m->n_clients; i++)
		w_client(&w, m, &m->clients[i]);
	return w.full ? 0 : w.len;
}

/* ---- Error names and helpers -------------------------------------------- */

static const char *const dr_err_names[] = {
	"ok",			/* DR_OK */
	"short",		/* DR_ERR_SHORT */
	"opt_overrun",		/* DR_ERR_OPT_OVERRUN */
	"opt_len",		/* DR_ERR_OPT_LEN */
	"duid",			/* DR_ERR_DUID */
	"prefix_len",		/* DR_ERR_PREFIX_LEN */
	"duplicate",		/* DR_ERR_DUPLICATE */
	"too_many",		/* DR_ERR_TOO_MANY */
	"type",			/* DR_ERR_TYPE */
	"no_client_id",		/* DR_ERR_NO_CLIENT_ID */
	"unsupported",		/* DR_ERR_UNSUPPORTED */
};

static_assert(ARRAY_SIZE(dr_err_names) == DR_ERR_COUNT,
	      "a name for each enum dr_err");

const char *dr_err_name(enum dr_err err)
{
	unsigned int i = err;

	if (i >= ARRAY_SIZE(dr_err_names))
		return "unknown";
	return dr_err_names[i];
}

const char *dr_status_name(uint16_t status)
{
	const char *name = status_label(status);

	return name ? name : "unknown";
}

bool dr_is_success_or_nobinding(uint16_t status)
{
	return status == DR_STATUS_SUCCESS || status == DR_STATUS_NO_BINDING;
}

bool dr_status_of(const struct dr_msg *m, const struct dr_client *c,
		  const struct dr_ia *ia, uint16_t *status)
{
	if (ia && ia->has_status)
		*status = ia->status;
	else if (c && c->has_status)
		*status = c->status;
	else if (m->has_status)
		*status = m->status;
	else
		return false;
	return true;
}

const struct dr_bytes *dr_client_ifid(const struct dr_msg *m,
				      const struct dr_client *c)
{
	return c->ifid.len ? &c->ifid : &m->ifid;
}
