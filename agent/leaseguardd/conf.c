// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's configuration file: one "key value" a line, '#' starts a
 * comment. See Documentation/leaseguardd.rst. An error names the file,
 * the line and what is wrong, and the daemon does not start half
 * configured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <openssl/evp.h>

#include "hex.h"
#include "lgd.h"
#include "store.h"

static const char *const lgd_trigger_names[] = {
	[LG_RELEASE_ADMIN]	= "admin",
	[LG_RELEASE_LINK_DOWN]	= "link-down",
	[LG_RELEASE_UNREACHABLE] = "unreachable",
	[LG_RELEASE_REPLACED]	= "replaced",
	[LG_RELEASE_MOVED]	= "moved",
};

const char *lgd_trigger_name(uint32_t reason)
{
	if (reason < sizeof(lgd_trigger_names) / sizeof(*lgd_trigger_names) &&
	    lgd_trigger_names[reason])
		return lgd_trigger_names[reason];
	return "unknown";
}

void lgd_conf_defaults(struct lgd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_INFO;
	c->routes = true;
	c->route_table = LGD_RT_TABLE_DEFAULT;
	c->route_metric = LGD_RT_METRIC_DEFAULT;
	c->route_protocol = LGD_RT_PROTOCOL_DEFAULT;
	strcpy(c->control_socket, LGD_CONTROL_DEFAULT);
	strcpy(c->store, LGD_STORE_DEFAULT);
	c->store_delay = LGD_STORE_DELAY_DEFAULT;
	c->recover_rate = LGD_RECOVER_RATE_DEFAULT;
	c->recover_negative_ttl = LGD_RECOVER_NEG_TTL_DEFAULT;
	c->if_default = (struct lgd_if_conf) {
		.name = "*",
		.triggers = LGD_TRIGGERS_DEFAULT,
		.link_down_hold = LGD_LINK_DOWN_HOLD_DEFAULT,
		.unreachable_hold = LGD_UNREACHABLE_HOLD_DEFAULT,
		.role = LGD_UNMANAGED,
		.max_bindings = LG_LINK_MAX_BINDINGS_DEFAULT,
		.savi_mode = LG_SAVI_OFF,
		.savi_anchor = LG_SAVI_ANCHOR_NONE,
		.shield = true,
		.release_forward = true,
		.miss_rate = LG_LINK_MISS_RATE_DEFAULT,
	};
	c->family_grace = LGD_FAMILY_GRACE_DEFAULT;
	c->drift_revert = true;
	c->ns_max_bindings = LGD_UNMANAGED;
	c->ns_miss_rate = LGD_UNMANAGED;
	c->release_request_type = LGD_UNMANAGED;
	c->release_reply_type = LGD_UNMANAGED;
	/* No partner; what one would get, written out. */
	c->partner.peer_port = LGD_PARTNER_PORT_DEFAULT;
	c->partner.listen_port = LGD_PARTNER_PORT_DEFAULT;
	strcpy(c->partner.key_path, LGD_TLS_KEY_DEFAULT);
	strcpy(c->partner.identity, LGD_TLS_IDENTITY_DEFAULT);
	c->partner.dead_ms = LGD_PS_DEAD_MS;
	c->partner.queue_max = LGD_PS_QUEUE_MAX;
	c->partner.hs_log_ms = LGD_PARTNER_HS_LOG_MS;
}

static int lgd_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int lgd_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on")) {
		*v = true;
		return 0;
	}
	if (!strcmp(s, "no") || !strcmp(s, "off")) {
		*v = false;
		return 0;
	}
	return -1;
}

static int lgd_triggers(const char *val, uint32_t *out)
{
	char buf[128], *tok, *save;
	uint32_t r, v = 0;

	if (strlen(val) >= sizeof(buf))
		return -1;
	strcpy(buf, val);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			for (r = 1; r <= LG_RELEASE_MAX; r++)
				v |= LGD_TRIGGER(r);
			continue;
		}
		for (r = 1; r <= LG_RELEASE_MAX; r++)
			if (!strcmp(tok, lgd_trigger_names[r]))
				break;
		if (r > LG_RELEASE_MAX)
			return -1;
		v |= LGD_TRIGGER(r);
	}
	*out = v;
	return 0;
}

static struct lgd_if_conf *lgd_if_slot(struct lgd_conf *c, const char *name)
{
	unsigned int i;

	if (!strcmp(name, "*"))
		return &c->if_default;
	for (i = 0; i < c->n_ifs; i++)
		if (!strcmp(c->ifs[i].name, name))
			return &c->ifs[i];
	if (c->n_ifs == LGD_MAX_IF_CONF)
		return NULL;
	/* A named interface starts from what "*" said so far. */
	c->ifs[c->n_ifs] = c->if_default;
	strcpy(c->ifs[c->n_ifs].name, name);
	return &c->ifs[c->n_ifs++];
}

const struct lgd_if_conf *lgd_conf_if(const struct lgd_conf *c,
				      const char *name)
{
	unsigned int i;

	for (i = 0; name && i < c->n_ifs; i++)
		if (!strcmp(c->ifs[i].name, name))
			return &c->ifs[i];
	return &c->if_default;
}

/* A word of names[] (n of them), or -1. */
static int lgd_word(const char *s, const char *const *names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
}

static const char *const lgd_roles[] = {
	[LG_ROLE_NONE] = "none", [LG_ROLE_ACCESS] = "access",
	[LG_ROLE_UPSTREAM] = "upstream",
};
static const char *const lgd_savi_modes[] = {
	[LG_SAVI_OFF] = "off", [LG_SAVI_MONITOR] = "monitor",
	[LG_SAVI_ENFORCE] = "enforce",
};
static const char *const lgd_savi_anchors[] = {
	[LG_SAVI_ANCHOR_NONE] = "none", [LG_SAVI_ANCHOR_MAC] = "mac",
};

#define LGD_WORD(s, names) lgd_word(s, names, sizeof(names) / sizeof(*names))

/* "PREFIX/LEN" or "PREFIX/LEN,wide", as LG_CMD_SAVI_ADD takes it. */
static const char *lgd_savi_parse(const char *val, struct lgd_savi_conf *e)
{
	char buf[INET6_ADDRSTRLEN + 16], *slash, *comma;
	uint32_t plen;
	unsigned int i;

	if (strlen(val) >= sizeof(buf))
		return "savi-static is \"none\" or PREFIX/LEN[,wide]";
	strcpy(buf, val);
	comma = strchr(buf, ',');
	if (comma) {
		*comma++ = '\0';
		if (strcmp(comma, "wide"))
			return "savi-static is \"none\" or PREFIX/LEN[,wide]";
	}
	e->wide = comma;
	slash = strchr(buf, '/');
	if (!slash)
		return "savi-static is \"none\" or PREFIX/LEN[,wide]";
	*slash++ = '\0';
	if (inet_pton(AF_INET6, buf, e->addr) != 1 ||
	    lgd_u32(slash, 0, 128, &plen))
		return "savi-static is \"none\" or PREFIX/LEN[,wide]";
	e->plen = plen;
	for (i = plen; i < 128; i++)
		if (e->addr[i / 8] & (0x80 >> (i % 8)))
			return "savi-static: host bits set";
	if (plen < LG_SAVI_WIDE_PLEN && !e->wide)
		return "savi-static: a prefix shorter than /32 needs \",wide\"";
	return NULL;
}

/* :: or 0.0.0.0 (IPv4 is in the last 4 octets, the rest zero). */
static bool lgd_a6_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

/*
 * "release-fallback none|ADDR[=DUID][,...]": the servers a RELEASE-REQUEST
 * goes to, in order, when the lease's server does not answer. Each must
 * be a server's unicast address: a release waits for one server's answer
 * at a time, and a link-local one has no interface to leave by (the
 * socket is not bound to one). DUID: the server's own, for the Server
 * Identifier (a server drops a request with another's, draft 3.2.1).
 */
static const char *lgd_conf_set_fallback(struct lgd_if_conf *ic,
					 const char *val)
{
	static const char syntax[] =
		"release-fallback is \"none\" or a comma list of at most 4 ADDR or ADDR=DUID (an IPv6 address; the server's DUID in hex, 3 to 130 octets)";
	static char why[160];
	uint8_t list[LGD_RELEASE_FALLBACK_MAX][16];
	uint8_t duid[LGD_RELEASE_FALLBACK_MAX][LGD_DUID_MAX] = {};
	uint8_t duid_len[LGD_RELEASE_FALLBACK_MAX] = {};
	char buf[LGD_RELEASE_FALLBACK_MAX *
		 (INET6_ADDRSTRLEN + 1 + 3 * LGD_DUID_MAX + 1)];
	char *tok, *save, *eq;
	const char *bad;
	unsigned int n = 0, i;
	int len;

	if (!strcmp(val, "none")) {
		ic->n_fallback = 0;
		return NULL;
	}
	if (strlen(val) >= sizeof(buf) || *val == ',' ||
	    val[strlen(val) - 1] == ',' || strstr(val, ",,"))
		return syntax;
	strcpy(buf, val);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == LGD_RELEASE_FALLBACK_MAX)
			return syntax;
		eq = strchr(tok, '=');
		if (eq) {
			*eq++ = '\0';
			len = lg_hex_parse(eq, duid[n], LGD_DUID_MAX);
			if (len < 3)
				return syntax;
			duid_len[n] = len;
		}
		if (inet_pton(AF_INET6, tok, list[n]) != 1)
			return syntax;
		bad = NULL;
		if (lgd_a6_unspecified(list[n]))
			bad = "the unspecified address";
		else if (list[n][0] == 0xff)
			bad = "a multicast address (a release waits for one server at a time)";
		else if (list[n][0] == 0xfe && (list[n][1] & 0xc0) == 0x80)
			bad = "a link-local address (it needs an interface: give a global or unique local one)";
		for (i = 0; !bad && i < n; i++)
			if (!memcmp(list[i], list[n], 16))
				bad = "given twice";
		if (bad) {
			snprintf(why, sizeof(why), "release-fallback: %s is %s",
				 tok, bad);
			return why;
		}
		n++;
	}
	memcpy(ic->fallback, list, n * 16);
	memcpy(ic->fallback_duid, duid, n * LGD_DUID_MAX);
	memcpy(ic->fallback_duid_len, duid_len, n);
	ic->n_fallback = n;
	return NULL;
}

static const char *lgd_conf_set_savi(struct lgd_conf *c, const char *name,
				     const char *val)
{
	struct lgd_savi_conf e = {};
	unsigned int i, j;
	const char *why;

	if (!strcmp(val, "none")) {
		/* Forgets what the file said so far for this interface. */
		for (i = j = 0; i < c->n_savi; i++)
			if (strcmp(c->savi[i].ifname, name))
				c->savi[j++] = c->savi[i];
		c->n_savi = j;
		return NULL;
	}
	if (!strcmp(name, "*"))
		return "savi-static is for a named interface";
	why = lgd_savi_parse(val, &e);
	if (why)
		return why;
	strcpy(e.ifname, name);
	for (i = 0; i < c->n_savi; i++)
		if (!strcmp(c->savi[i].ifname, name) &&
		    c->savi[i].plen == e.plen &&
		    !memcmp(c->savi[i].addr, e.addr, 16))
			return "savi-static: declared twice";
	if (c->n_savi == LGD_MAX_SAVI_CONF)
		return "too many savi-static entries";
	c->savi[c->n_savi++] = e;
	return NULL;
}

const char *lgd_conf_set_if(struct lgd_conf *c, const char *name,
			    const char *key, const char *val)
{
	struct lgd_if_conf *ic;
	uint32_t v;

	if (!*name || strlen(name) >= sizeof(ic->name) || strchr(name, '/'))
		return "not an interface name";
	ic = lgd_if_slot(c, name);
	if (!ic)
		return "too many interfaces";
	if (!strcmp(key, "release")) {
		if (lgd_triggers(val, &v))
			return "release is none, all, or a comma list of admin, link-down, unreachable, replaced, moved";
		ic->triggers = v;
	} else if (!strcmp(key, "link-down-hold")) {
		if (lgd_u32(val, 0, 86400, &v))
			return "link-down-hold is 0 to 86400 seconds";
		ic->link_down_hold = v;
	} else if (!strcmp(key, "unreachable-hold")) {
		if (lgd_u32(val, 0, 86400, &v))
			return "unreachable-hold is 0 to 86400 seconds";
		ic->unreachable_hold = v;
	} else if (!strcmp(key, "single-subscriber")) {
		if (lgd_bool(val, &ic->single_subscriber))
			return "single-subscriber is yes or no";
	} else if (!strcmp(key, "release-server")) {
		if (!strcmp(val, "learned")) {
			ic->has_server = false;
		} else if (inet_pton(AF_INET6, val, ic->server) != 1) {
			return "release-server is \"learned\" or an IPv6 address";
		} else {
			ic->has_server = true;
		}
	} else if (!strcmp(key, "release-fallback")) {
		return lgd_conf_set_fallback(ic, val);
	} else if (!strcmp(key, "role")) {
		if (!strcmp(val, "unmanaged"))
			ic->role = LGD_UNMANAGED;
		else if (LGD_WORD(val, lgd_roles) < 0)
			return "role is unmanaged, access, upstream or none";
		else
			ic->role = LGD_WORD(val, lgd_roles);
	} else if (!strcmp(key, "max-bindings")) {
		if (lgd_u32(val, 1, LG_MAX_BINDINGS_LIMIT, &v))
			return "max-bindings is 1 to 16777216";
		ic->max_bindings = v;
	} else if (!strcmp(key, "savi")) {
		if (LGD_WORD(val, lgd_savi_modes) < 0)
			return "savi is off, monitor or enforce";
		ic->savi_mode = LGD_WORD(val, lgd_savi_modes);
	} else if (!strcmp(key, "anchor")) {
		if (LGD_WORD(val, lgd_savi_anchors) < 0)
			return "anchor is none or mac";
		ic->savi_anchor = LGD_WORD(val, lgd_savi_anchors);
	} else if (!strcmp(key, "shield")) {
		if (lgd_bool(val, &ic->shield))
			return "shield is on or off";
	} else if (!strcmp(key, "trust-release")) {
		if (lgd_bool(val, &ic->trust_release))
			return "trust-release is on or off";
	} else if (!strcmp(key, "release-forward")) {
		if (lgd_bool(val, &ic->release_forward))
			return "release-forward is on or off";
	} else if (!strcmp(key, "miss-rate")) {
		if (lgd_u32(val, 0, LG_MISS_RATE_LIMIT, &v))
			return "miss-rate is 0 to 100000";
		ic->miss_rate = v;
	} else if (!strcmp(key, "savi-static")) {
		return lgd_conf_set_savi(c, ic->name, val);
	} else if (!strcmp(key, "recover-link-address")) {
		if (!strcmp(val, "auto"))
			ic->has_lq_link = false;
		else if (inet_pton(AF_INET6, val, ic->lq_link) != 1)
			return "recover-link-address is \"auto\" or an IPv6 address";
		else
			ic->has_lq_link = true;
	} else {
		return "unknown interface key";
	}
	return NULL;
}

/* "mcast igmp|mld KEY VALUE": NULL, or what is wrong. */
static const char *lgd_conf_set_mcast(struct lgd_conf *c, const char *fam,
				      const char *key, const char *val)
{
	static char why[96];
	struct lgd_mc_decl *m;
	uint32_t attr, min = 1, max, v;
	bool b;

	if (strcmp(fam, "igmp") && strcmp(fam, "mld"))
		return "mcast igmp|mld KEY VALUE: igmp or mld";
	m = &c->mc[!strcmp(fam, "mld")];
	if (!strcmp(key, "enable")) {
		attr = LG_MCAST_A_ENABLE, min = 0, max = 1;
	} else if (!strcmp(key, "upstream")) {
		attr = LG_MCAST_A_UPSTREAM, min = 0, max = 0;
	} else if (!strcmp(key, "version")) {
		attr = LG_MCAST_A_VERSION, max = m == &c->mc[1] ? 2 : 3;
	} else if (!strcmp(key, "robustness")) {
		attr = LG_MCAST_A_ROBUSTNESS, max = 7;
	} else if (!strcmp(key, "query-interval")) {
		attr = LG_MCAST_A_QUERY_INTERVAL, max = 31744;
	} else if (!strcmp(key, "query-response-interval")) {
		attr = LG_MCAST_A_QUERY_RESPONSE_INTERVAL, min = 100, max = 3174400;
	} else if (!strcmp(key, "last-member-interval")) {
		attr = LG_MCAST_A_LAST_MEMBER_INTERVAL, min = 100, max = 25500;
	} else if (!strcmp(key, "last-member-count")) {
		attr = LG_MCAST_A_LAST_MEMBER_COUNT, max = 7;
	} else if (!strcmp(key, "max-groups")) {
		attr = LG_MCAST_A_MAX_GROUPS, max = LG_MC_MAX_GROUPS_LIMIT;
	} else if (!strcmp(key, "max-groups-host")) {
		attr = LG_MCAST_A_MAX_GROUPS_HOST, max = LG_MC_MAX_GROUPS_LIMIT;
	} else if (!strcmp(key, "max-sources")) {
		attr = LG_MCAST_A_MAX_SOURCES, max = LG_MC_MAX_SOURCES_LIMIT;
	} else if (!strcmp(key, "ns-max-groups")) {
		attr = LG_MCAST_A_NS_MAX_GROUPS, max = LG_MC_NS_MAX_GROUPS_LIMIT;
	} else if (!strcmp(key, "ns-max-sources")) {
		attr = LG_MCAST_A_NS_MAX_SOURCES, max = LG_MC_NS_MAX_SOURCES_LIMIT;
	} else {
		return "unknown mcast key";
	}
	if (!strcmp(val, "unmanaged")) {
		m->set &= ~(1u << attr);
		return NULL;
	}
	if (attr == LG_MCAST_A_ENABLE) {
		if (lgd_bool(val, &b))
			return "enable is on, off or unmanaged";
		v = b;
	} else if (attr == LG_MCAST_A_UPSTREAM) {
		if (strlen(val) >= sizeof(m->upstream) || strchr(val, '/'))
			return "upstream is an interface name, none or unmanaged";
		snprintf(m->upstream, sizeof(m->upstream), "%s",
			 strcmp(val, "none") ? val : "");
		v = 0;
	} else if (lgd_u32(val, min, max, &v)) {
		snprintf(why, sizeof(why), "%s is %u to %u, or unmanaged", key,
			 min, max);
		return why;
	}
	m->v[attr] = v;
	m->set |= 1u << attr;
	return NULL;
}

/*
 * A partner's address as "ADDR", "[IPV6]:PORT" or "IPV4:PORT", numeric:
 * its canonical text into addr, its octets into a (IPv4 as the last 4),
 * the port into *port (unchanged when none is given). -1 when it is none
 * of these.
 */
static int lgd_partner_addr(const char *val, char addr[INET6_ADDRSTRLEN],
			    uint8_t a[16], int *family, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8], *host = buf, *colon = NULL;
	uint32_t v;

	if (strlen(val) >= sizeof(buf))
		return -1;
	strcpy(buf, val);
	if (*buf == '[') {
		/* [IPV6] or [IPV6]:PORT */
		host = buf + 1;
		colon = strchr(host, ']');
		if (!colon || (colon[1] && colon[1] != ':'))
			return -1;
		*colon++ = '\0';
		if (!*colon)
			colon = NULL;
		*family = AF_INET6;
	} else if (strchr(buf, ':')) {
		/* IPV6, or IPV4:PORT (one colon, after a dotted quad) */
		colon = strchr(buf, ':');
		if (strchr(colon + 1, ':') || !strchr(buf, '.') ||
		    strchr(colon, '.'))
			colon = NULL;
		*family = colon ? AF_INET : AF_INET6;
	} else {
		*family = AF_INET;
	}
	if (colon) {
		*colon++ = '\0';
		if (lgd_u32(colon, 1, 65535, &v))
			return -1;
	}
	memset(a, 0, 16);
	if (inet_pton(*family, host, *family == AF_INET6 ? a : a + 12) != 1 ||
	    !inet_ntop(*family, *family == AF_INET6 ? a : a + 12, addr,
		       INET6_ADDRSTRLEN))
		return -1;
	if (colon)
		*port = v;
	return 0;
}

/* What an address may not be, for the partner or to listen on: NULL, or why. */
static const char *lgd_partner_addr_bad(const uint8_t a[16], int family)
{
	if (family == AF_INET6 && a[0] == 0xff)
		return "a multicast address";
	if (family == AF_INET && (a[12] & 0xf0) == 0xe0)
		return "a multicast address";
	if (family == AF_INET && !memcmp(a + 12, "\xff\xff\xff\xff", 4))
		return "the broadcast address";
	/* Without %IFNAME, which these keys do not take, connect() fails. */
	if (family == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "a link-local address (it needs an interface: give a global or unique local one)";
	return NULL;
}

static const char *lgd_conf_set_partner_addr(struct lgd_conf *c,
					     const char *val)
{
	static char why[160];
	struct lgd_partner_conf *pc = &c->partner;
	uint16_t port = LGD_PARTNER_PORT_DEFAULT;
	char addr[INET6_ADDRSTRLEN];
	const char *bad;
	uint8_t a[16];
	int family;

	if (!strcmp(val, "none")) {
		c->has_partner = false;
		pc->peer_addr[0] = '\0';
		pc->peer_port = LGD_PARTNER_PORT_DEFAULT;
		return NULL;
	}
	if (lgd_partner_addr(val, addr, a, &family, &port))
		return "partner is \"none\" or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)";
	bad = lgd_a6_unspecified(a) ?
	      "the unspecified address (the partner is one router)" :
	      lgd_partner_addr_bad(a, family);
	if (bad) {
		snprintf(why, sizeof(why), "partner: not %s", bad);
		return why;
	}
	strcpy(pc->peer_addr, addr);
	pc->peer_port = port;
	c->has_partner = true;
	return NULL;
}

static const char *lgd_conf_set_partner_listen(struct lgd_conf *c,
					       const char *val)
{
	static char why[160];
	struct lgd_partner_conf *pc = &c->partner;
	uint16_t port = LGD_PARTNER_PORT_DEFAULT;
	char addr[INET6_ADDRSTRLEN];
	const char *bad;
	uint8_t a[16];
	int family;

	if (!strcmp(val, "none") || !strcmp(val, "any")) {
		pc->listen_addr[0] = '\0';
		pc->listen_port = strcmp(val, "none") ?
				  LGD_PARTNER_PORT_DEFAULT : 0;
		return NULL;
	}
	if (lgd_partner_addr(val, addr, a, &family, &port))
		return "partner-listen is any, none, or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)";
	bad = lgd_partner_addr_bad(a, family);
	if (bad) {
		snprintf(why, sizeof(why), "partner-listen: not %s", bad);
		return why;
	}
	/* "::" is "any": IPv6 and IPv4 (partner.c clears IPV6_V6ONLY). */
	if (family == AF_INET6 && lgd_a6_unspecified(a))
		addr[0] = '\0';
	strcpy(pc->listen_addr, addr);
	pc->listen_port = port;
	return NULL;
}

/*
 * Seconds with at most three decimals ("1.5"), into ms within
 * [min_ms, max_ms]: 0, or -1.
 */
static int lgd_seconds_ms(const char *s, uint32_t min_ms, uint32_t max_ms,
			  uint32_t *ms)
{
	uint64_t v = 0;
	int decimals = -1;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 3 || v > max_ms)
			return -1;
		v = v * 10 + (*s - '0');
		if (decimals >= 0)
			decimals++;
	}
	if (!decimals)
		return -1;		/* "1." */
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3; decimals++)
		v *= 10;
	if (v < min_ms || v > max_ms)
		return -1;
	*ms = v;
	return 0;
}

/* The partner's keys: NULL, or what is wrong; "unknown key" if not one. */
static const char *lgd_conf_set_partner(struct lgd_conf *c, const char *key,
					const char *val)
{
	static const uint8_t zero[LG_SYNC_NODE_ID_LEN];
	struct lgd_partner_conf *pc = &c->partner;
	uint8_t id[LG_SYNC_NODE_ID_LEN];
	uint32_t v;
	size_t i;

	if (!strcmp(key, "partner")) {
		return lgd_conf_set_partner_addr(c, val);
	} else if (!strcmp(key, "partner-listen")) {
		return lgd_conf_set_partner_listen(c, val);
	} else if (!strcmp(key, "partner-key")) {
		if (*val != '/' || strlen(val) >= sizeof(pc->key_path))
			return "partner-key is an absolute path of at most 255 characters";
		strcpy(pc->key_path, val);
	} else if (!strcmp(key, "partner-identity")) {
		/* As partner_tls.c takes it: printable ASCII, no blanks. */
		for (i = 0; val[i]; i++)
			if ((unsigned char)val[i] <= 0x20 ||
			    (unsigned char)val[i] >= 0x7f)
				break;
		if (val[i] || i > LGD_TLS_IDENTITY_MAX)
			return "partner-identity is 1 to 128 printable ASCII characters without spaces";
		strcpy(pc->identity, val);
	} else if (!strcmp(key, "partner-dead-interval")) {
		if (lgd_seconds_ms(val, LGD_PARTNER_DEAD_MIN_MS,
				   LGD_PARTNER_DEAD_MAX_MS, &v))
			return "partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)";
		pc->dead_ms = v;
	} else if (!strcmp(key, "partner-queue")) {
		if (lgd_u32(val, LGD_PARTNER_QUEUE_MIN, LGD_PARTNER_QUEUE_LIMIT,
			    &v))
			return "partner-queue is 1024 to 16777216 changes";
		pc->queue_max = v;
	} else if (!strcmp(key, "node-id")) {
		if (!strcmp(val, "auto")) {
			c->has_node_id = false;
			memset(pc->node_id, 0, sizeof(pc->node_id));
			return NULL;
		}
		if (lg_hex_parse(val, id, sizeof(id)) != sizeof(id))
			return "node-id is \"auto\" or 32 hex digits (16 octets)";
		if (!memcmp(id, zero, sizeof(id)))
			return "node-id: all zeros is not a node id";
		memcpy(pc->node_id, id, sizeof(id));
		c->has_node_id = true;
	} else {
		return "unknown key";
	}
	return NULL;
}

bool lgd_partner_conf_equal(const struct lgd_partner_conf *a,
			    const struct lgd_partner_conf *b)
{
	return !strcmp(a->peer_addr, b->peer_addr) &&
	       a->peer_port == b->peer_port &&
	       !strcmp(a->listen_addr, b->listen_addr) &&
	       a->listen_port == b->listen_port &&
	       !strcmp(a->key_path, b->key_path) &&
	       !strcmp(a->identity, b->identity) &&
	       a->dead_ms == b->dead_ms && a->queue_max == b->queue_max &&
	       a->hs_log_ms == b->hs_log_ms &&
	       !memcmp(a->node_id, b->node_id, sizeof(a->node_id));
}

/* What the partner's keys say together. */
static const char *lgd_conf_check_partner(const struct lgd_conf *c)
{
	static char why[256];
	const struct lgd_partner_conf *pc = &c->partner;
	bool peer6 = strchr(pc->peer_addr, ':'), listen6;

	if (!c->has_partner || !pc->listen_port || !*pc->listen_addr)
		return NULL;
	/*
	 * The partner connects to our address in its own "partner" line,
	 * and we connect from the listen address: one family for both
	 * ("any" listens on both; 0.0.0.0 on IPv4 only).
	 */
	listen6 = strchr(pc->listen_addr, ':');
	if (peer6 != listen6) {
		snprintf(why, sizeof(why),
			 "partner-listen %s is %s and partner %s is %s: give both of one family, or partner-listen any",
			 pc->listen_addr, listen6 ? "IPv6" : "IPv4",
			 pc->peer_addr, peer6 ? "IPv6" : "IPv4");
		return why;
	}
	if (!strcmp(pc->listen_addr, pc->peer_addr) &&
	    pc->listen_port == pc->peer_port) {
		snprintf(why, sizeof(why),
			 "partner and partner-listen are both %s port %u: the partner is the other router",
			 pc->peer_addr, pc->peer_port);
		return why;
	}
	return NULL;
}

const char *lgd_conf_check(const struct lgd_conf *c)
{
	static char why[96];
	unsigned int i;

	for (i = 0; i < c->n_savi; i++)
		if (lgd_conf_if(c, c->savi[i].ifname)->role != LG_ROLE_ACCESS) {
			snprintf(why, sizeof(why),
				 "interface %s: savi-static needs role access",
				 c->savi[i].ifname);
			return why;
		}
	if (c->release_request_type != LGD_UNMANAGED &&
	    c->release_request_type == c->release_reply_type)
		return "release-request-type and release-reply-type must differ";
	return lgd_conf_check_partner(c);
}

/* A DHCPv6 message type of the release exchange (1..37 are IANA's). */
static const char *lgd_msg_type(const char *val, uint32_t *type)
{
	uint32_t v;

	if (!strcmp(val, "unmanaged"))
		v = LGD_UNMANAGED;
	else if (lgd_u32(val, 38, 255, &v))
		return "a release message type is unmanaged or 38 to 255";
	*type = v;
	return NULL;
}

/* Applies one "key value"; returns NULL or what is wrong. */
const char *lgd_conf_set(struct lgd_conf *c, const char *key,
				 const char *val)
{
	uint32_t v;
	int level, n;

	if (!strcmp(key, "log-level")) {
		level = lgd_log_level_parse(val);
		if (level < 0)
			return "log-level is err, warning, notice, info or debug";
		c->log_level = level;
	} else if (!strcmp(key, "log-syslog")) {
		if (lgd_bool(val, &c->log_syslog))
			return "log-syslog is yes or no";
	} else if (!strcmp(key, "routes")) {
		if (lgd_bool(val, &c->routes))
			return "routes is yes or no";
	} else if (!strcmp(key, "route-table")) {
		if (!strcmp(val, "main"))
			v = LGD_RT_TABLE_DEFAULT;
		else if (lgd_u32(val, 1, UINT32_MAX, &v))
			return "route-table is \"main\" or 1 to 4294967295";
		c->route_table = v;
	} else if (!strcmp(key, "route-metric")) {
		if (lgd_u32(val, 0, UINT32_MAX, &v))
			return "route-metric is 0 to 4294967295";
		c->route_metric = v;
	} else if (!strcmp(key, "route-protocol")) {
		/* 0-4 are the kernel's own (unspec, redirect, kernel, boot, static). */
		if (lgd_u32(val, 5, 255, &v))
			return "route-protocol is 5 to 255";
		c->route_protocol = v;
	} else if (!strcmp(key, "relay-id")) {
		if (!strcmp(val, "auto"))
			c->relay_id_len = 0;
		else if ((n = lg_hex_parse(val, c->relay_id,
					   sizeof(c->relay_id))) < 3)
			return "relay-id is \"auto\" or a DUID in hex, 3 to 130 octets";
		else
			c->relay_id_len = n;
	} else if (!strcmp(key, "release-source")) {
		if (!strcmp(val, "auto"))
			c->has_release_source = false;
		else if (inet_pton(AF_INET6, val, c->release_source) != 1)
			return "release-source is \"auto\" or an IPv6 address";
		else
			c->has_release_source = true;
	} else if (!strcmp(key, "release-clear-on-timeout")) {
		if (lgd_bool(val, &c->release_clear_on_timeout))
			return "release-clear-on-timeout is yes or no";
	} else if (!strcmp(key, "family-grace")) {
		if (lgd_u32(val, 0, 86400, &v))
			return "family-grace is 0 to 86400 seconds";
		c->family_grace = v;
	} else if (!strcmp(key, "config-drift")) {
		if (strcmp(val, "revert") && strcmp(val, "keep"))
			return "config-drift is revert or keep";
		c->drift_revert = !strcmp(val, "revert");
	} else if (!strcmp(key, "ns-max-bindings")) {
		if (!strcmp(val, "unmanaged"))
			v = LGD_UNMANAGED;
		else if (lgd_u32(val, 1, LG_MAX_BINDINGS_LIMIT, &v))
			return "ns-max-bindings is unmanaged or 1 to 16777216";
		c->ns_max_bindings = v;
	} else if (!strcmp(key, "ns-miss-rate")) {
		if (!strcmp(val, "unmanaged"))
			v = LGD_UNMANAGED;
		else if (lgd_u32(val, 0, LG_MISS_RATE_LIMIT, &v))
			return "ns-miss-rate is unmanaged or 0 to 100000";
		c->ns_miss_rate = v;
	} else if (!strcmp(key, "release-request-type")) {
		return lgd_msg_type(val, &c->release_request_type);
	} else if (!strcmp(key, "release-reply-type")) {
		return lgd_msg_type(val, &c->release_reply_type);
	} else if (!strcmp(key, "control-socket")) {
		if (*val != '/' || strlen(val) >= sizeof(c->control_socket))
			return "control-socket is an absolute path of at most 107 characters";
		strcpy(c->control_socket, val);
	} else if (!strcmp(key, "store")) {
		if (!strcmp(val, "off"))
			c->store[0] = '\0';
		else if (*val != '/' || strlen(val) >= sizeof(c->store))
			return "store is \"off\" or an absolute path of at most 255 characters";
		else
			strcpy(c->store, val);
	} else if (!strcmp(key, "store-delay")) {
		if (lgd_u32(val, 0, LGD_STORE_DELAY_MAX, &v))
			return "store-delay is 0 to 300 seconds";
		c->store_delay = v;
	} else if (!strcmp(key, "recover-rate")) {
		if (lgd_u32(val, 0, LGD_RECOVER_RATE_MAX, &v))
			return "recover-rate is 0 to 10000 queries per second";
		c->recover_rate = v;
	} else if (!strcmp(key, "recover-negative-ttl")) {
		if (lgd_u32(val, 0, LGD_RECOVER_NEG_TTL_MAX, &v))
			return "recover-negative-ttl is 0 to 3600 seconds";
		c->recover_negative_ttl = v;
	} else if (!strcmp(key, "leasequery-server")) {
		/* One a line; "none" forgets those of the lines before. */
		if (!strcmp(val, "none"))
			c->n_lq_servers = 0;
		else if (c->n_lq_servers == LGD_LQ_SERVERS_MAX)
			return "at most 8 leasequery-server lines";
		else if (inet_pton(AF_INET6, val,
				   c->lq_servers[c->n_lq_servers]) != 1)
			return "leasequery-server is \"none\" or an IPv6 address";
		else
			c->n_lq_servers++;
	} else {
		/* The failover partner's, or "unknown key". */
		return lgd_conf_set_partner(c, key, val);
	}
	return NULL;
}

/*
 * DUID-UUID (RFC 6355): type 4 and the 16 octets of /etc/machine-id,
 * which is stable across reboots and unique per installation.
 */
static int lgd_conf_machine_duid(struct lgd_conf *c)
{
	char line[64];
	FILE *f;

	f = fopen("/etc/machine-id", "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		lgd_err("relay-id: /etc/machine-id is unreadable; set relay-id");
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	c->relay_id[0] = 0;
	c->relay_id[1] = 4;
	if (lg_hex_parse(line, c->relay_id + 2, 16) != 16) {
		lgd_err("relay-id: /etc/machine-id is not 32 hex digits; set relay-id");
		return -1;
	}
	c->relay_id_len = 18;
	return 0;
}

/*
 * The partner protocol's node id, unless node-id gives one: the first 16
 * octets of SHA-256 over the relay's DUID. Stable (the DUID is), and two
 * routers whose relay ids differ get different ones, as the tie-breaks
 * of the one-connection and the conflict rules need.
 */
static int lgd_conf_node_id(struct lgd_conf *c)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len;

	if (!EVP_Digest(c->relay_id, c->relay_id_len, md, &len, EVP_sha256(),
			NULL) || len < sizeof(c->partner.node_id)) {
		lgd_err("node-id: SHA-256 failed; set node-id");
		return -1;
	}
	memcpy(c->partner.node_id, md, sizeof(c->partner.node_id));
	return 0;
}

/*
 * DUID-UUID (RFC 6355): type 4 and the 16 octets of /etc/machine-id,
 * which is stable across reboots and unique per installation.
 */
int lgd_conf_relay_id(struct lgd_conf *c)
{
	if (!c->relay_id_len && lgd_conf_machine_duid(c))
		return -1;
	return c->has_node_id ? 0 : lgd_conf_node_id(c);
}

/* One line of the file, or of -o: NULL, or what is wrong. */
const char *lgd_conf_line(struct lgd_conf *c, char *line, const char **key)
{
	char *tok[6];
	int n = 0;

	/* Up to 5 words: a fifth is one too many for every kind of line. */
	*key = NULL;
	for (tok[n] = strtok(line, " \t\r\n"); tok[n] && n < 5;
	     tok[++n] = strtok(NULL, " \t\r\n"))
		;
	if (!n)
		return NULL;
	*key = tok[0];
	if (!strcmp(tok[0], "interface")) {
		if (n < 4)
			return "interface NAME KEY VALUE: missing a word";
		if (n > 4)
			return "interface NAME KEY VALUE: one value only";
		return lgd_conf_set_if(c, tok[1], tok[2], tok[3]);
	}
	if (!strcmp(tok[0], "mcast")) {
		if (n != 4)
			return "mcast igmp|mld KEY VALUE: four words";
		return lgd_conf_set_mcast(c, tok[1], tok[2], tok[3]);
	}
	if (n < 2)
		return "missing value";
	if (n > 2)
		return "one value only";
	return lgd_conf_set(c, tok[0], tok[1]);
}

static char *lgd_conf_trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return s;
}

int lgd_conf_load(struct lgd_conf *c, const char *path, bool must_exist)
{
	char line[1024], copy[1024], *p;
	unsigned int lineno = 0;
	const char *why, *key;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		lgd_err("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			lgd_err("%s:%u: line longer than %zu characters", path,
				lineno, sizeof(line) - 2);
			goto err;
		}
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		line[strcspn(line, "\n")] = '\0';
		snprintf(copy, sizeof(copy), "%s", line);
		why = lgd_conf_line(c, line, &key);
		if (why) {
			lgd_err("%s:%u: \"%s\": %s", path, lineno,
				lgd_conf_trim(copy), why);
			goto err;
		}
	}
	if (ferror(f)) {
		lgd_err("%s: read error", path);
		goto err;
	}
	fclose(f);
	return 0;

err:
	fclose(f);
	return -1;
}
