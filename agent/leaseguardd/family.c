// SPDX-License-Identifier: GPL-2.0
/*
 * The life of the leaseguard generic netlink family, as the controller
 * (GENL_ID_CTRL, group "notify") tells it: CTRL_CMD_NEWFAMILY when
 * leaseguard.ko registers it, CTRL_CMD_DELFAMILY when rmmod takes it
 * away. A family that went away takes its ID and multicast groups with
 * it: our sockets hear nothing more, and its old ID may be another
 * family's next. So main.c stops using it (down), keeps the routes for
 * family-grace seconds (a reload is short), and when it is back
 * re-resolves, resubscribes, re-applies the declared configuration,
 * restores and reconciles (up); past the grace, the routes go (expired).
 *
 * The controller socket is joined before the family is first looked up,
 * so that no change falls between the two. While the family is not
 * there it is looked up again every LGD_FAMILY_NAG_MS as well, and the
 * log says so each time: a lost notification (ENOBUFS) or an up() that
 * failed is retried, and an operator is never left guessing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "lgd.h"

#define LGD_FAMILY_NAG_MS	10000

struct lgd_family_timer {
	struct lgd_timer t;		/* first: container of the timer */
	struct lgd_family *f;
};

struct lgd_family {
	const struct lgd_family_ops *ops;
	void *priv;
	const struct lgd_conf *conf;
	struct nl_sock *sk;		/* nlctrl "notify" */
	enum lgd_family_state state;
	uint16_t id;			/* while up */
	uint64_t since;			/* ms: state entered */
	struct lgd_family_timer grace, nag;
	bool routes_held;		/* gone, its routes still there */
	uint64_t ups, downs, expiries, lost;
};

static const char *const lgd_family_states[] = {
	[LGD_FAMILY_ABSENT] = "absent",
	[LGD_FAMILY_UP] = "up",
	[LGD_FAMILY_GONE] = "gone",
};

const char *lgd_family_state_name(enum lgd_family_state s)
{
	return lgd_family_states[s];
}

static void lgd_family_enter(struct lgd_family *f, enum lgd_family_state s)
{
	f->state = s;
	f->since = lgd_now_ms();
}

/* Present: up() it, or retry at the next nag if that fails. */
static void lgd_family_up(struct lgd_family *f, uint16_t id)
{
	uint64_t out = lgd_now_ms() - f->since;
	bool was_gone = f->state == LGD_FAMILY_GONE;

	if (f->ops->up(f->priv)) {
		lgd_err("leaseguard family %u: could not take it up; trying again in %u s",
			id, LGD_FAMILY_NAG_MS / 1000);
		lgd_timer_arm(&f->nag.t, lgd_now_ms() + LGD_FAMILY_NAG_MS);
		return;
	}
	lgd_timer_stop(&f->grace.t);
	lgd_timer_stop(&f->nag.t);
	f->routes_held = false;
	f->id = id;
	f->ups++;
	if (was_gone)
		lgd_notice("leaseguard family back (id %u) after %llu ms: resubscribed, configuration applied, routes reconciled",
			   id, (unsigned long long)out);
	lgd_family_enter(f, LGD_FAMILY_UP);
}

static void lgd_family_down(struct lgd_family *f)
{
	unsigned int grace = f->conf->family_grace;

	f->ops->down(f->priv);
	f->downs++;
	f->routes_held = true;
	lgd_family_enter(f, LGD_FAMILY_GONE);
	lgd_warn("leaseguard family gone (module unloaded?): no bindings are learned and no source is validated until it is back; routes kept for %u s (family-grace)",
		 grace);
	lgd_timer_arm(&f->grace.t, f->since + grace * 1000ull);
	lgd_timer_arm(&f->nag.t, f->since + LGD_FAMILY_NAG_MS);
}

static void lgd_family_grace_fire(struct lgd_timer *t)
{
	struct lgd_family *f = ((struct lgd_family_timer *)t)->f;

	if (f->state == LGD_FAMILY_UP)
		return;
	f->expiries++;
	f->routes_held = false;
	lgd_warn("leaseguard family not back within family-grace (%u s): removing our routes",
		 f->conf->family_grace);
	f->ops->expired(f->priv);
}

/* The ID of the family, 0 if there is none, -errno if nobody can say. */
static int lgd_family_lookup(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id = -ENOMEM;

	if (sk && !genl_connect(sk)) {
		id = genl_ctrl_resolve(sk, LEASEGUARD_GENL_NAME);
		if (id == -NLE_OBJ_NOTFOUND)
			id = 0;
		else if (id < 0)
			id = -EIO;
	}
	nl_socket_free(sk);
	return id;
}

/* What the controller says now, whatever notifications were lost. */
static void lgd_family_check(struct lgd_family *f)
{
	int id = lgd_family_lookup();

	if (id < 0) {
		lgd_err("asking the generic netlink controller: %s",
			strerror(-id));
		return;
	}
	if (f->state == LGD_FAMILY_UP && id != f->id)
		lgd_family_down(f);	/* gone, maybe back under a new ID */
	if (f->state != LGD_FAMILY_UP && id)
		lgd_family_up(f, id);
}

static void lgd_family_nag_fire(struct lgd_timer *t)
{
	struct lgd_family *f = ((struct lgd_family_timer *)t)->f;

	if (f->state == LGD_FAMILY_UP)
		return;
	lgd_family_check(f);
	if (f->state == LGD_FAMILY_UP)
		return;
	lgd_warn("still waiting for the leaseguard family (%llu s; is leaseguard.ko loaded?): the declared configuration is not applied%s",
		 (unsigned long long)(lgd_now_ms() - f->since) / 1000,
		 f->routes_held ? ", our routes are kept" : "");
	lgd_timer_arm(&f->nag.t, lgd_now_ms() + LGD_FAMILY_NAG_MS);
}

struct lgd_family *lgd_family_open(const struct lgd_conf *conf,
				   const struct lgd_family_ops *ops,
				   void *priv)
{
	struct lgd_family *f = calloc(1, sizeof(*f));
	int grp;

	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	f->conf = conf;
	f->grace.f = f->nag.f = f;
	f->grace.t.fire = lgd_family_grace_fire;
	f->nag.t.fire = lgd_family_nag_fire;
	f->sk = nl_socket_alloc();
	if (!f->sk || genl_connect(f->sk))
		goto err;
	/* Events carry no sequence number of ours. */
	nl_socket_disable_seq_check(f->sk);
	grp = genl_ctrl_resolve_grp(f->sk, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(f->sk, grp) ||
	    nl_socket_set_nonblocking(f->sk))
		goto err;
	return f;
err:
	lgd_err("generic netlink controller: cannot follow the family's life");
	lgd_family_close(f);
	return NULL;
}

int lgd_family_start(struct lgd_family *f)
{
	int id = lgd_family_lookup();

	lgd_family_enter(f, LGD_FAMILY_ABSENT);
	if (id > 0) {
		/* There, but not to be followed: the caller gives up. */
		if (f->ops->up(f->priv))
			return -1;
		f->id = id;
		f->ups++;
		lgd_family_enter(f, LGD_FAMILY_UP);
		return 0;
	}
	/* Routes of an earlier run may be there: they get the grace too. */
	f->routes_held = true;
	lgd_warn("the leaseguard family is not there (is leaseguard.ko loaded?): waiting for it; the declared configuration is not applied; routes kept for %u s (family-grace)",
		 f->conf->family_grace);
	lgd_timer_arm(&f->grace.t, f->since + f->conf->family_grace * 1000ull);
	lgd_timer_arm(&f->nag.t, f->since + LGD_FAMILY_NAG_MS);
	return 0;
}

void lgd_family_close(struct lgd_family *f)
{
	if (!f)
		return;
	lgd_timer_stop(&f->grace.t);
	lgd_timer_stop(&f->nag.t);
	nl_socket_free(f->sk);
	free(f);
}

int lgd_family_fd(const struct lgd_family *f)
{
	return nl_socket_get_fd(f->sk);
}

enum lgd_family_state lgd_family_state(const struct lgd_family *f)
{
	return f->state;
}

static int lgd_family_event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct lgd_family *f = arg;
	uint16_t id;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    (g->cmd != CTRL_CMD_NEWFAMILY && g->cmd != CTRL_CMD_DELFAMILY) ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] || !tb[CTRL_ATTR_FAMILY_ID] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]),
		   LEASEGUARD_GENL_NAME))
		return NL_OK;
	id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	lgd_info("generic netlink controller: family %s %s (id %u)",
		 LEASEGUARD_GENL_NAME,
		 g->cmd == CTRL_CMD_NEWFAMILY ? "registered" : "unregistered",
		 id);
	if (g->cmd == CTRL_CMD_DELFAMILY) {
		if (f->state == LGD_FAMILY_UP && id == f->id)
			lgd_family_down(f);
	} else {
		if (f->state == LGD_FAMILY_UP && id != f->id)
			lgd_family_down(f);	/* its DELFAMILY was lost */
		if (f->state != LGD_FAMILY_UP)
			lgd_family_up(f, id);
	}
	return NL_OK;
}

/* Notifications carry no sequence number of ours. */
static int lgd_family_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg, (void)arg;
	return NL_OK;
}

void lgd_family_input(struct lgd_family *f)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return;
	/*
	 * A fresh callback set has libnl's sequence check back, whatever
	 * the socket says: every notification (sequence 0) would be
	 * dropped as a mismatch.
	 */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, lgd_family_any_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, lgd_family_event_cb, f);
	for (;;) {
		ret = nl_recvmsgs(f->sk, cb);
		if (ret == -NLE_NOMEM || ret == -NLE_MSG_OVERFLOW) {
			/* ENOBUFS: ask the controller what is true now. */
			f->lost++;
			lgd_warn("generic netlink controller notifications lost: asking it");
			lgd_family_check(f);
			continue;
		}
		if (ret <= 0)
			break;
	}
	nl_cb_put(cb);
}

void lgd_family_show(const struct lgd_family *f, FILE *out)
{
	uint64_t now = lgd_now_ms();
	long long left = -1;

	if (f->grace.t.slot)
		left = f->grace.t.when > now ? (long long)(f->grace.t.when - now) : 0;
	fprintf(out, "family state=%s id=%u since-ms=%llu grace=%u grace-left-ms=%lld routes-held=%d ups=%llu downs=%llu expiries=%llu lost=%llu\n",
		lgd_family_states[f->state],
		f->state == LGD_FAMILY_UP ? f->id : 0,
		(unsigned long long)(now - f->since), f->conf->family_grace,
		left, f->routes_held, (unsigned long long)f->ups,
		(unsigned long long)f->downs, (unsigned long long)f->expiries,
		(unsigned long long)f->lost);
}
