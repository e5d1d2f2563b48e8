// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel configuration leaseguardd.conf declares: interface roles,
 * SAVI modes, anchors, shield, release settings, static SAVI entries,
 * the namespace's limits and message types, and the IGMP/MLD proxy
 * settings. The module keeps none of it across a reload (nor does a
 * reboot), and validation off is silent; so leaseguardd applies it at
 * start, at SIGHUP, whenever the family comes back (family.c) and
 * whenever a declared interface appears, with the requests lgctl sends.
 *
 * Drift: a LG_CMD_LINK_NTF, LG_CMD_LINK_DEL_NTF or LG_CMD_MCAST_NTF
 * (group "config") about something declared makes us read it back (the
 * notification may be an old one of our own) and compare; what differs
 * is logged, counted and shown on the control socket, and with
 * "config-drift revert" set back at once. The namespace settings send no
 * notification: they are compared when the declaration is applied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "binding.h"
#include "lgd.h"

enum lgd_decl_if_state {
	LGD_DECL_PENDING,		/* not applied yet */
	LGD_DECL_APPLIED,
	LGD_DECL_ABSENT,		/* no such interface (yet) */
	LGD_DECL_FAILED,		/* the kernel refused (logged) */
	LGD_DECL_KEPT,			/* drift accepted (config-drift keep) */
};

static const char *const lgd_decl_states[] = {
	[LGD_DECL_PENDING] = "pending", [LGD_DECL_APPLIED] = "applied",
	[LGD_DECL_ABSENT] = "absent", [LGD_DECL_FAILED] = "failed",
	[LGD_DECL_KEPT] = "drift-kept",
};

struct lgd_decl_if {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	enum lgd_decl_if_state state;
};

struct lgd_decl {
	const struct lgd_ctx *x;
	bool family;			/* up: requests can be sent */
	bool applied;			/* once, since the family came */
	unsigned int n_ifs;
	struct lgd_decl_if ifs[LGD_MAX_IF_CONF];
	enum lgd_decl_if_state ns, mc[2];
	uint64_t applies, drifts, reverts, failures;
	char last_drift[256];
};

/* What the kernel has of one interface (LG_CMD_LINK_GET). */
struct lgd_link_state {
	bool found;
	uint32_t role, max_bindings, savi_mode, savi_anchor, savi_entries;
	bool shield, trust_release, release_forward;
	uint32_t miss_rate;
};

struct lgd_savi_list {
	size_t n, cap;
	struct lgd_savi_conf *v;
};

static struct lg_nl *lgd_decl_nl(struct lgd_decl *dc)
{
	return dc->x->nl;
}

static const char *lgd_decl_err(struct lgd_decl *dc, int err, char *buf,
				size_t len)
{
	const char *ext = lg_nl_ext_msg(lgd_decl_nl(dc));

	snprintf(buf, len, "%s%s%s", strerror(-err), ext ? ": " : "",
		 ext ? ext : "");
	return buf;
}

static void lgd_decl_list(struct lgd_decl *dc);

struct lgd_decl *lgd_decl_open(const struct lgd_ctx *x)
{
	struct lgd_decl *dc = calloc(1, sizeof(*dc));

	if (!dc)
		return NULL;
	dc->x = x;
	lgd_decl_list(dc);
	return dc;
}

void lgd_decl_close(struct lgd_decl *dc)
{
	free(dc);
}

static struct lgd_decl_if *lgd_decl_if(struct lgd_decl *dc, const char *name)
{
	unsigned int i;

	for (i = 0; i < dc->n_ifs; i++)
		if (!strcmp(dc->ifs[i].name, name))
			return &dc->ifs[i];
	return NULL;
}

/* The declared interface called name, or NULL. */
static const struct lgd_if_conf *lgd_decl_conf(struct lgd_decl *dc,
					       const char *name)
{
	const struct lgd_conf *c = dc->x->conf;
	unsigned int i;

	for (i = 0; i < c->n_ifs; i++)
		if (lgd_if_managed(&c->ifs[i]) && !strcmp(c->ifs[i].name, name))
			return &c->ifs[i];
	return NULL;
}

static int lgd_link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_LINK_A_MAX + 1], *obj;
	struct lgd_link_state *ls = data;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_LINK_GET, LG_A_LINK, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_LINK_A_MAX);
	if (err)
		return err;
	ls->found = true;
#define U32(a, f) if (tb[a]) ls->f = mnl_attr_get_u32(tb[a])
#define U8(a, f) if (tb[a]) ls->f = mnl_attr_get_u8(tb[a])
	U32(LG_LINK_A_ROLE, role);
	U32(LG_LINK_A_MAX_BINDINGS, max_bindings);
	U32(LG_LINK_A_SAVI_MODE, savi_mode);
	U32(LG_LINK_A_SAVI_ANCHOR, savi_anchor);
	U32(LG_LINK_A_SAVI_ENTRIES, savi_entries);
	U8(LG_LINK_A_DHCP6_SHIELD, shield);
	U8(LG_LINK_A_RELEASE_TRUSTED, trust_release);
	U8(LG_LINK_A_RELEASE_FORWARD, release_forward);
	U32(LG_LINK_A_MISS_RATE, miss_rate);
#undef U32
#undef U8
	return 0;
}

/* ifindex's settings in the kernel, on nl; no role is LG_ROLE_NONE. */
static int lgd_link_get_nl(struct lg_nl *nl, uint32_t ifindex,
			   struct lgd_link_state *ls)
{
	struct nlmsghdr *nlh = lg_nl_msg(nl, LG_CMD_LINK_GET, 0);
	struct nlattr *nest;
	int err;

	memset(ls, 0, sizeof(*ls));
	nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	err = lg_nl_doit(nl, nlh, lgd_link_get_cb, ls);
	if (err == -ENOENT) {		/* no role: "none" */
		ls->role = LG_ROLE_NONE;
		return 0;
	}
	return err;
}

static int lgd_link_get(struct lgd_decl *dc, uint32_t ifindex,
			struct lgd_link_state *ls)
{
	return lgd_link_get_nl(lgd_decl_nl(dc), ifindex, ls);
}

uint32_t lgd_link_role(struct lg_nl *nl, uint32_t ifindex)
{
	struct lgd_link_state ls;

	return lgd_link_get_nl(nl, ifindex, &ls) ? LG_ROLE_NONE : ls.role;
}

static int lgd_savi_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_SAVI_A_MAX + 1], *obj;
	struct lgd_savi_list *l = data;
	struct lgd_savi_conf *e;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_SAVI_GET, LG_A_SAVI, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_SAVI_A_MAX);
	if (err || !tb[LG_SAVI_A_ADDR] || !tb[LG_SAVI_A_PLEN] ||
	    mnl_attr_get_payload_len(tb[LG_SAVI_A_ADDR]) != 16)
		return -EBADMSG;
	if (l->n == l->cap) {
		size_t cap = 2 * l->cap + 8;

		e = realloc(l->v, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		l->v = e;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, mnl_attr_get_payload(tb[LG_SAVI_A_ADDR]), 16);
	e->plen = mnl_attr_get_u32(tb[LG_SAVI_A_PLEN]);
	e->wide = tb[LG_SAVI_A_WIDE];
	return 0;
}

static void lgd_savi_reset(void *data)
{
	((struct lgd_savi_list *)data)->n = 0;
}

static int lgd_savi_dump(struct lgd_decl *dc, uint32_t ifindex,
			 struct lgd_savi_list *l)
{
	struct lg_nl *nl = lgd_decl_nl(dc);
	struct nlmsghdr *nlh = lg_nl_msg(nl, LG_CMD_SAVI_GET, NLM_F_DUMP);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_dump_req(nl, nlh, lgd_savi_cb, lgd_savi_reset, l);
}

static int lgd_savi_change(struct lgd_decl *dc, uint8_t cmd, uint32_t ifindex,
			   const struct lgd_savi_conf *e)
{
	struct lg_nl *nl = lgd_decl_nl(dc);
	struct nlmsghdr *nlh = lg_nl_msg(nl, cmd, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, 16, e->addr);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, e->plen);
	if (cmd == LG_CMD_SAVI_ADD && e->wide)
		mnl_attr_put(nlh, LG_SAVI_A_WIDE, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

static bool lgd_savi_has(const struct lgd_savi_conf *v, size_t n,
			 const char *ifname, const struct lgd_savi_conf *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((!ifname || !strcmp(v[i].ifname, ifname)) &&
		    v[i].plen == e->plen && !memcmp(v[i].addr, e->addr, 16))
			return true;
	return false;
}

static const char *lgd_savi_str(const struct lgd_savi_conf *e, char *buf)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, e->addr, a, sizeof(a));
	sprintf(buf, "%s/%u", a, e->plen);
	return buf;
}

static int lgd_link_set(struct lgd_decl *dc, const struct lgd_if_conf *ic,
			uint32_t ifindex)
{
	struct lg_nl *nl = lgd_decl_nl(dc);
	struct nlmsghdr *nlh = lg_nl_msg(nl, LG_CMD_LINK_SET, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, ic->role);
	if (ic->role != LG_ROLE_NONE) {
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, ic->max_bindings);
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, ic->savi_mode);
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_ANCHOR, ic->savi_anchor);
		mnl_attr_put_u8(nlh, LG_LINK_A_DHCP6_SHIELD, ic->shield);
		mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_TRUSTED,
				ic->trust_release);
		mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_FORWARD,
				ic->release_forward);
		mnl_attr_put_u32(nlh, LG_LINK_A_MISS_RATE, ic->miss_rate);
	}
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

static const char *const lgd_role_names[] = { "none", "access", "upstream" };
static const char *const lgd_mode_names[] = { "off", "monitor", "enforce" };
static const char *const lgd_anchor_names[] = { "none", "mac" };

#define LGD_NAME(names, v) \
	((v) < sizeof(names) / sizeof(*(names)) ? (names)[v] : "?")

#define LGD_DIFF(buf, len, fmt, ...) \
	snprintf((buf) + strlen(buf), (len) - strlen(buf), "%s" fmt, \
		 *(buf) ? ", " : "", __VA_ARGS__)

/*
 * Compares interface ic (ifindex) with the kernel and, if fix, makes the
 * kernel's what ic says. diff gets what differed ("" if nothing). 0, or
 * how many requests failed (logged), or -errno if it could not be read.
 */
static int lgd_decl_link_sync(struct lgd_decl *dc, const struct lgd_if_conf *ic,
			      uint32_t ifindex, bool fix, char *diff,
			      size_t len)
{
	const struct lgd_conf *c = dc->x->conf;
	struct lgd_savi_list have = {};
	struct lgd_link_state ls;
	char ebuf[LG_NL_EXT_MSG_LEN + 64], p[64];
	bool link_diff;
	int err, failed = 0;
	size_t i;

	*diff = '\0';
	err = lgd_link_get(dc, ifindex, &ls);
	if (err)
		return err;
	if (ls.role != ic->role) {
		LGD_DIFF(diff, len, "role %s (declared %s)",
			 LGD_NAME(lgd_role_names, ls.role),
			 LGD_NAME(lgd_role_names, ic->role));
	} else if (ic->role != LG_ROLE_NONE) {
		if (ls.savi_mode != ic->savi_mode)
			LGD_DIFF(diff, len, "savi %s (declared %s)",
				 LGD_NAME(lgd_mode_names, ls.savi_mode),
				 LGD_NAME(lgd_mode_names, ic->savi_mode));
		if (ls.savi_anchor != ic->savi_anchor)
			LGD_DIFF(diff, len, "anchor %s (declared %s)",
				 LGD_NAME(lgd_anchor_names, ls.savi_anchor),
				 LGD_NAME(lgd_anchor_names, ic->savi_anchor));
		if (ls.shield != ic->shield)
			LGD_DIFF(diff, len, "shield %d (declared %d)",
				 ls.shield, ic->shield);
		if (ls.trust_release != ic->trust_release)
			LGD_DIFF(diff, len, "trust-release %d (declared %d)",
				 ls.trust_release, ic->trust_release);
		if (ls.release_forward != ic->release_forward)
			LGD_DIFF(diff, len, "release-forward %d (declared %d)",
				 ls.release_forward, ic->release_forward);
		if (ls.max_bindings != ic->max_bindings)
			LGD_DIFF(diff, len, "max-bindings %u (declared %u)",
				 ls.max_bindings, ic->max_bindings);
		if (ls.miss_rate != ic->miss_rate)
			LGD_DIFF(diff, len, "miss-rate %u (declared %u)",
				 ls.miss_rate, ic->miss_rate);
	}
	link_diff = *diff;
	if (link_diff && fix) {
		err = lgd_link_set(dc, ic, ifindex);
		if (err) {
			lgd_err("%s: setting the declared configuration: %s",
				ic->name, lgd_decl_err(dc, err, ebuf,
							sizeof(ebuf)));
			failed++;
		}
	}
	/* Static entries go with the access role (and come with it). */
	if (ic->role != LG_ROLE_ACCESS || failed)
		return failed;
	err = lgd_savi_dump(dc, ifindex, &have);
	if (err) {
		free(have.v);
		return err;
	}
	for (i = 0; i < c->n_savi; i++) {
		const struct lgd_savi_conf *e = &c->savi[i];

		if (strcmp(e->ifname, ic->name) ||
		    lgd_savi_has(have.v, have.n, NULL, e))
			continue;
		/* A new role has none: not a drift of its own. */
		if (!link_diff || ls.role == LG_ROLE_ACCESS)
			LGD_DIFF(diff, len, "savi-static %s missing",
				 lgd_savi_str(e, p));
		if (fix && (err = lgd_savi_change(dc, LG_CMD_SAVI_ADD, ifindex,
						  e)) && err != -EEXIST) {
			lgd_err("%s: savi-static %s: %s", ic->name,
				lgd_savi_str(e, p),
				lgd_decl_err(dc, err, ebuf, sizeof(ebuf)));
			failed++;
		}
	}
	for (i = 0; i < have.n; i++) {
		const struct lgd_savi_conf *e = &have.v[i];

		if (lgd_savi_has(c->savi, c->n_savi, ic->name, e))
			continue;
		LGD_DIFF(diff, len, "savi-static %s not declared",
			 lgd_savi_str(e, p));
		if (fix && (err = lgd_savi_change(dc, LG_CMD_SAVI_DEL, ifindex,
						  e)) && err != -ENOENT) {
			lgd_err("%s: deleting static entry %s: %s", ic->name,
				lgd_savi_str(e, p),
				lgd_decl_err(dc, err, ebuf, sizeof(ebuf)));
			failed++;
		}
	}
	free(have.v);
	return failed;
}

/* One family of the proxy: as with an interface. */
struct lgd_mc_state {
	bool found;
	uint32_t v[LG_MCAST_A_MAX + 1];
};

static int lgd_mc_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_MCAST_A_MAX + 1], *obj;
	struct lgd_mc_state *ms = data;
	unsigned int a;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_MCAST_GET, LG_A_MCAST, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_MCAST_A_MAX);
	if (err)
		return err;
	ms->found = true;
	for (a = 1; a <= LG_MCAST_A_MAX; a++) {
		if (!tb[a] || a == LG_MCAST_A_UPSTREAM_NAME)
			continue;
		if (a == LG_MCAST_A_ENABLE || a == LG_MCAST_A_VERSION ||
		    a == LG_MCAST_A_FAMILY)
			ms->v[a] = mnl_attr_get_u8(tb[a]);
		else if (mnl_attr_get_payload_len(tb[a]) == 4)
			ms->v[a] = mnl_attr_get_u32(tb[a]);
	}
	return 0;
}

static int lgd_decl_mc_sync(struct lgd_decl *dc, int fi, bool fix, char *diff,
			    size_t len)
{
	const struct lgd_mc_decl *m = &dc->x->conf->mc[fi];
	struct lg_nl *nl = lgd_decl_nl(dc);
	uint8_t af = fi ? AF_INET6 : AF_INET;
	char ebuf[LG_NL_EXT_MSG_LEN + 64];
	struct lgd_mc_state ms = {};
	uint32_t want[LG_MCAST_A_MAX + 1], set = m->set, a;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	*diff = '\0';
	memcpy(want, m->v, sizeof(want));
	if (set & (1u << LG_MCAST_A_UPSTREAM) && m->upstream[0]) {
		want[LG_MCAST_A_UPSTREAM] = if_nametoindex(m->upstream);
		if (!want[LG_MCAST_A_UPSTREAM])
			set &= ~(1u << LG_MCAST_A_UPSTREAM);	/* when it appears */
	}
	nlh = lg_nl_msg(nl, LG_CMD_MCAST_GET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, af);
	mnl_attr_nest_end(nlh, nest);
	err = lg_nl_doit(nl, nlh, lgd_mc_get_cb, &ms);
	if (err)
		return err;
	for (a = 1; a <= LG_MCAST_A_MAX; a++)
		if (set & (1u << a) && ms.v[a] != want[a])
			LGD_DIFF(diff, len, "attribute %u is %u (declared %u)",
				 a, ms.v[a], want[a]);
	if (!*diff || !fix)
		return 0;
	nlh = lg_nl_msg(nl, LG_CMD_MCAST_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, af);
	for (a = 1; a <= LG_MCAST_A_MAX; a++) {
		if (!(set & (1u << a)))
			continue;
		if (a == LG_MCAST_A_ENABLE || a == LG_MCAST_A_VERSION)
			mnl_attr_put_u8(nlh, a, want[a]);
		else
			mnl_attr_put_u32(nlh, a, want[a]);
	}
	mnl_attr_nest_end(nlh, nest);
	err = lg_nl_doit(nl, nlh, NULL, NULL);
	if (err) {
		lgd_err("mcast %s: setting the declared configuration: %s",
			fi ? "mld" : "igmp",
			lgd_decl_err(dc, err, ebuf, sizeof(ebuf)));
		return 1;
	}
	return 0;
}

static int lgd_ns_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_CONFIG_A_MAX + 1], *obj;
	uint32_t *v = data;
	unsigned int a;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_CONFIG_GET, LG_A_CONFIG, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_CONFIG_A_MAX);
	for (a = 1; !err && a <= LG_CONFIG_A_MAX; a++)
		if (tb[a])
			v[a] = mnl_attr_get_u32(tb[a]);
	return err;
}

/* The namespace's settings: they send no notification; set at apply. */
static int lgd_decl_ns_apply(struct lgd_decl *dc)
{
	const struct lgd_conf *c = dc->x->conf;
	uint32_t want[LG_CONFIG_A_MAX + 1], have[LG_CONFIG_A_MAX + 1] = {};
	struct lg_nl *nl = lgd_decl_nl(dc);
	char ebuf[LG_NL_EXT_MSG_LEN + 64];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int a, n = 0;
	int err;

	/* What the file does not name (a newer module's, too) is left be. */
	for (a = 0; a <= LG_CONFIG_A_MAX; a++)
		want[a] = LGD_UNMANAGED;
	want[LG_CONFIG_A_MAX_BINDINGS] = c->ns_max_bindings;
	want[LG_CONFIG_A_RELEASE_REQUEST_TYPE] = c->release_request_type;
	want[LG_CONFIG_A_RELEASE_REPLY_TYPE] = c->release_reply_type;
	want[LG_CONFIG_A_MISS_RATE] = c->ns_miss_rate;
	err = lg_nl_doit(nl, lg_nl_msg(nl, LG_CMD_CONFIG_GET, 0),
			 lgd_ns_get_cb, have);
	if (err)
		goto err;
	nlh = lg_nl_msg(nl, LG_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);
	for (a = 1; a <= LG_CONFIG_A_MAX; a++) {
		if (want[a] == LGD_UNMANAGED || want[a] == have[a])
			continue;
		mnl_attr_put_u32(nlh, a, want[a]);
		n++;
	}
	mnl_attr_nest_end(nlh, nest);
	if (!n)
		return 0;
	err = lg_nl_doit(nl, nlh, NULL, NULL);
	if (!err) {
		lgd_info("namespace settings: %u set as declared", n);
		return 0;
	}
err:
	lgd_err("namespace settings: %s", lgd_decl_err(dc, err, ebuf,
							 sizeof(ebuf)));
	return 1;
}

/* Applies interface ic if it is there; its state in dc. */
static int lgd_decl_apply_if(struct lgd_decl *dc, const struct lgd_if_conf *ic)
{
	struct lgd_decl_if *di = lgd_decl_if(dc, ic->name);
	char diff[512];
	int ret;

	if (!di)
		return 0;
	di->ifindex = if_nametoindex(ic->name);
	if (!di->ifindex) {
		di->state = LGD_DECL_ABSENT;
		lgd_warn("interface %s is declared but not present: its configuration is applied when it appears",
			 ic->name);
		return 0;
	}
	ret = lgd_decl_link_sync(dc, ic, di->ifindex, true, diff, sizeof(diff));
	if (ret < 0) {
		char ebuf[LG_NL_EXT_MSG_LEN + 64];

		lgd_err("%s: reading its configuration: %s", ic->name,
			lgd_decl_err(dc, ret, ebuf, sizeof(ebuf)));
		ret = 1;
	}
	di->state = ret ? LGD_DECL_FAILED : LGD_DECL_APPLIED;
	if (!ret && *diff)
		lgd_info("%s: set as declared (was: %s)",
			 ic->name, diff);
	return ret;
}

/* The interfaces as now declared (SIGHUP may have changed them). */
static void lgd_decl_list(struct lgd_decl *dc)
{
	const struct lgd_conf *c = dc->x->conf;
	unsigned int i;

	dc->n_ifs = 0;
	for (i = 0; i < c->n_ifs; i++) {
		if (!lgd_if_managed(&c->ifs[i]))
			continue;
		snprintf(dc->ifs[dc->n_ifs].name, IF_NAMESIZE, "%s",
			 c->ifs[i].name);
		dc->ifs[dc->n_ifs].ifindex = 0;
		dc->ifs[dc->n_ifs++].state = LGD_DECL_PENDING;
	}
}

int lgd_decl_apply(struct lgd_decl *dc)
{
	const struct lgd_conf *c = dc->x->conf;
	unsigned int i, failed = 0, absent = 0;
	char diff[512];
	int fi, ret;

	dc->family = true;
	dc->applies++;
	lgd_decl_list(dc);
	/* Roles first: the proxy's upstream must not be an access one. */
	for (i = 0; i < c->n_ifs; i++)
		if (lgd_if_managed(&c->ifs[i]))
			failed += lgd_decl_apply_if(dc, &c->ifs[i]);
	dc->ns = lgd_decl_ns_apply(dc) ? LGD_DECL_FAILED : LGD_DECL_APPLIED;
	failed += dc->ns == LGD_DECL_FAILED;
	for (fi = 0; fi < 2; fi++) {
		if (!c->mc[fi].set)
			continue;
		ret = lgd_decl_mc_sync(dc, fi, true, diff, sizeof(diff));
		dc->mc[fi] = ret ? LGD_DECL_FAILED : LGD_DECL_APPLIED;
		if (ret < 0)
			lgd_err("mcast %s: reading its configuration: %s",
				fi ? "mld" : "igmp", strerror(-ret));
		failed += !!ret;
	}
	for (i = 0; i < dc->n_ifs; i++)
		absent += dc->ifs[i].state == LGD_DECL_ABSENT;
	dc->failures += failed;
	dc->applied = !failed;
	if (failed)
		lgd_warn("declared configuration NOT fully applied: %u failures (see above); validation may be off",
			 failed);
	else
		lgd_notice("declared configuration applied: %u interfaces (%u not present yet)",
			   dc->n_ifs, absent);
	return failed;
}

void lgd_decl_gone(struct lgd_decl *dc)
{
	unsigned int i;

	dc->family = false;
	dc->applied = false;
	for (i = 0; i < dc->n_ifs; i++)
		dc->ifs[i].state = LGD_DECL_PENDING;
	dc->ns = dc->mc[0] = dc->mc[1] = LGD_DECL_PENDING;
}

void lgd_decl_link(struct lgd_decl *dc, uint32_t ifindex, const char *name)
{
	const struct lgd_if_conf *ic = lgd_decl_conf(dc, name);
	struct lgd_decl_if *di = lgd_decl_if(dc, name);
	char diff[512];
	int fi;

	if (!dc->family)
		return;
	if (ic && di && (di->state == LGD_DECL_ABSENT ||
			 di->ifindex != ifindex)) {
		lgd_notice("declared interface %s appeared (ifindex %u): applying its configuration",
			   name, ifindex);
		lgd_decl_apply_if(dc, ic);
	}
	for (fi = 0; fi < 2; fi++)
		if (dc->x->conf->mc[fi].set & (1u << LG_MCAST_A_UPSTREAM) &&
		    !strcmp(dc->x->conf->mc[fi].upstream, name))
			lgd_decl_mc_sync(dc, fi, true, diff, sizeof(diff));
}

static void lgd_decl_drift(struct lgd_decl *dc, const char *what,
			   const char *diff, bool reverted, int failed)
{
	dc->drifts++;
	snprintf(dc->last_drift, sizeof(dc->last_drift), "%s: %s", what, diff);
	if (!dc->x->conf->drift_revert) {
		lgd_warn("configuration drift on %s: %s: kept (config-drift keep)",
			 what, diff);
		return;
	}
	if (reverted && !failed)
		dc->reverts++;
	lgd_warn("configuration drift on %s: %s: %s", what, diff,
		 failed ? "reverting FAILED" : "reverted to the declaration");
}

/* Something declared was changed by hand, maybe: compare, act. */
static void lgd_decl_check_link(struct lgd_decl *dc, uint32_t ifindex,
				const char *name)
{
	const struct lgd_if_conf *ic = lgd_decl_conf(dc, name);
	struct lgd_decl_if *di = lgd_decl_if(dc, name);
	bool revert = dc->x->conf->drift_revert;
	char diff[512], what[IF_NAMESIZE + 16];
	int ret;

	if (!ic || !di || di->state == LGD_DECL_PENDING)
		return;
	ret = lgd_decl_link_sync(dc, ic, ifindex, false, diff, sizeof(diff));
	if (ret < 0 || !*diff) {
		if (!ret && di->state == LGD_DECL_KEPT)
			di->state = LGD_DECL_APPLIED;	/* put back by hand */
		return;
	}
	if (revert)
		ret = lgd_decl_link_sync(dc, ic, ifindex, true, diff,
					 sizeof(diff));
	snprintf(what, sizeof(what), "interface %s", name);
	lgd_decl_drift(dc, what, diff, revert, ret);
	di->state = !revert ? LGD_DECL_KEPT : ret ? LGD_DECL_FAILED :
		    LGD_DECL_APPLIED;
}

static void lgd_decl_check_mc(struct lgd_decl *dc, int fi)
{
	bool revert = dc->x->conf->drift_revert;
	char diff[512];
	int ret;

	if (!dc->x->conf->mc[fi].set || dc->mc[fi] == LGD_DECL_PENDING)
		return;
	ret = lgd_decl_mc_sync(dc, fi, false, diff, sizeof(diff));
	if (ret < 0 || !*diff)
		return;
	if (revert)
		ret = lgd_decl_mc_sync(dc, fi, true, diff, sizeof(diff));
	lgd_decl_drift(dc, fi ? "mcast mld" : "mcast igmp", diff, revert, ret);
	dc->mc[fi] = !revert ? LGD_DECL_KEPT : ret ? LGD_DECL_FAILED :
		     LGD_DECL_APPLIED;
}

void lgd_decl_event(struct lgd_decl *dc, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[LG_A_MAX + 1], *lt[LG_LINK_A_MAX + 1];
	const struct nlattr *mt[LG_MCAST_A_MAX + 1];
	uint8_t cmd = lg_nl_cmd(nlh);
	char name[IF_NAMESIZE];
	uint32_t ifindex;

	if (!dc->family || lg_nl_parse_msg(nlh, tb, LG_A_MAX))
		return;
	if (cmd == LG_CMD_MCAST_NTF) {
		if (tb[LG_A_MCAST] &&
		    !lg_nl_parse_nest(tb[LG_A_MCAST], mt, LG_MCAST_A_MAX) &&
		    mt[LG_MCAST_A_FAMILY])
			lgd_decl_check_mc(dc, mnl_attr_get_u8(mt[LG_MCAST_A_FAMILY]) ==
					  AF_INET6);
		return;
	}
	if ((cmd != LG_CMD_LINK_NTF && cmd != LG_CMD_LINK_DEL_NTF) ||
	    !tb[LG_A_LINK] || lg_nl_parse_nest(tb[LG_A_LINK], lt, LG_LINK_A_MAX) ||
	    !lt[LG_LINK_A_IFINDEX])
		return;
	ifindex = mnl_attr_get_u32(lt[LG_LINK_A_IFINDEX]);
	/* The name now: a LINK_DEL_NTF of a vanished interface has none. */
	if (!if_indextoname(ifindex, name)) {
		struct lgd_decl_if *di;

		if (lt[LG_LINK_A_IFNAME] &&
		    (di = lgd_decl_if(dc, mnl_attr_get_str(lt[LG_LINK_A_IFNAME]))))
			di->state = LGD_DECL_ABSENT;
		return;
	}
	lgd_decl_check_link(dc, ifindex, name);
}

void lgd_decl_show(const struct lgd_decl *dc, FILE *out)
{
	unsigned int i, n[LGD_DECL_KEPT + 1] = {};
	const char *state;

	for (i = 0; i < dc->n_ifs; i++)
		n[dc->ifs[i].state]++;
	state = !dc->family ? "not-applied" :
		!dc->applied ? "partly-applied" :
		n[LGD_DECL_KEPT] ? "drift-kept" : "applied";
	fprintf(out, "config state=%s drift-policy=%s interfaces=%u applied=%u absent=%u failed=%u drift-kept=%u applies=%llu drifts=%llu reverts=%llu failures=%llu\n",
		state, dc->x->conf->drift_revert ? "revert" : "keep", dc->n_ifs,
		n[LGD_DECL_APPLIED], n[LGD_DECL_ABSENT], n[LGD_DECL_FAILED],
		n[LGD_DECL_KEPT], (unsigned long long)dc->applies,
		(unsigned long long)dc->drifts, (unsigned long long)dc->reverts,
		(unsigned long long)dc->failures);
	for (i = 0; i < dc->n_ifs; i++)
		fprintf(out, "interface name=%s ifindex=%u state=%s\n",
			dc->ifs[i].name, dc->ifs[i].ifindex,
			dc->family ? lgd_decl_states[dc->ifs[i].state] :
				     "not-applied");
	if (dc->last_drift[0])
		fprintf(out, "last-drift %s\n", dc->last_drift);
}
