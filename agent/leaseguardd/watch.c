// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness triggers of the relay-initiated release, from rtnetlink:
 *
 * - link-down: an interface not running (down, or no carrier) for
 *   link-down-hold seconds has its bindings released;
 * - unreachable: the client's link-local is kept in a *managed* neighbor
 *   entry (NTF_EXT_MANAGED), which the kernel keeps resolving by itself;
 *   when the entry has been FAILED for unreachable-hold seconds (no
 *   reachable state in between), the client's bindings are released.
 *
 * Both hold times let a client or a link come back (a reboot, a cable
 * swapped) without losing its leases. Neighbor entries the daemon made
 * are deleted when no binding needs them.
 *
 * And the anchor probe (RFC 7513's address-conflict detection): before a
 * binding moves to a client that asked for it in its own name, or is
 * released because its DUID bound on another interface ("moved"), its
 * current client's entry is set to PROBE: the kernel sends unicast
 * Neighbor Solicitations to its MAC (ucast_solicit, 3, one a second), and
 * the entry turns REACHABLE if the client answers, FAILED if not. On a
 * link that is not running nobody answers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "binding.h"
#include "lgd.h"

/* The kernel's NUD_VALID (include/net/neighbour.h): an answer was seen. */
#define LGD_NUD_VALID	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | \
			 NUD_PROBE | NUD_STALE | NUD_DELAY)

#define LGD_WATCH_BUF	(64 * 1024)

struct lgd_link {
	struct lgd_timer timer;		/* first: container of the timer */
	struct lgd_watch *w;
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	bool running;
	struct lgd_link *next;
};

struct lgd_neigh {
	struct lgd_timer timer;		/* first */
	struct lgd_watch *w;
	uint32_t ifindex;
	uint8_t addr[16];
	bool failed;
	size_t n_ids, cap_ids;
	uint64_t *ids;			/* the bindings of this client */
};

/* An anchor probe: the verdict is on the first answer or failure. */
struct lgd_probe {
	struct lgd_timer timer;		/* first */
	struct lgd_watch *w;
	uint64_t id;			/* the binding */
	uint32_t ifindex;
	uint8_t addr[16];
	bool started;			/* our PROBE state was seen */
	bool has_mac;
	uint8_t mac[6];			/* only this MAC's answer counts */
	struct lgd_probe *next;
};

/* No verdict by then (the kernel's default is 3 s): the client stays. */
#define LGD_PROBE_TIMEOUT_MS	15000

struct lgd_watch {
	const struct lgd_ctx *x;
	struct lgd_probe *probes;
	struct mnl_socket *ev;		/* link and neighbor groups */
	struct mnl_socket *req;		/* our requests */
	uint32_t req_portid, seq;
	char *buf;
	struct lgd_link *links;
	void *neighs;			/* tsearch() of struct lgd_neigh */
};

static int lgd_neigh_cmp(const void *a, const void *b)
{
	const struct lgd_neigh *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

static struct lgd_link *lgd_link_find(struct lgd_watch *w, uint32_t ifindex)
{
	struct lgd_link *l;

	for (l = w->links; l; l = l->next)
		if (l->ifindex == ifindex)
			return l;
	return NULL;
}

static const struct lgd_if_conf *lgd_link_conf(struct lgd_watch *w,
					       const struct lgd_link *l)
{
	return lgd_conf_if(w->x->conf, l->name);
}

static void lgd_link_fire(struct lgd_timer *t)
{
	struct lgd_link *l = (struct lgd_link *)t;
	struct lg_binding_sel sel = { .ifindex = l->ifindex,
				      .reason = LG_RELEASE_LINK_DOWN };
	int err;

	lgd_notice("%s has been down for %u s: releasing its bindings",
		   l->name, lgd_link_conf(l->w, l)->link_down_hold);
	err = lg_binding_release(l->w->x->nl, &sel);
	if (err && err != -ENOENT)
		lgd_err("releasing the bindings of %s: %s", l->name,
			strerror(-err));
}

/* Arms or stops the link's hold timer for its state and settings. */
static void lgd_link_eval(struct lgd_watch *w, struct lgd_link *l)
{
	const struct lgd_if_conf *ic = lgd_link_conf(w, l);

	if (l->running || !(ic->triggers & LGD_TRIGGER(LG_RELEASE_LINK_DOWN))) {
		lgd_timer_stop(&l->timer);
		return;
	}
	if (!l->timer.slot)
		lgd_timer_arm(&l->timer,
			      lgd_now_ms() + ic->link_down_hold * 1000ull);
}

static int lgd_link_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) == IFLA_IFNAME &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		tb[IFLA_IFNAME] = a;
	return MNL_CB_OK;
}

static void lgd_probes_down(struct lgd_watch *w, uint32_t ifindex);

static void lgd_on_link(struct lgd_watch *w, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct lgd_link *l, **pp;
	bool running;

	if (mnl_attr_parse(nlh, sizeof(*ifi), lgd_link_attr_cb, tb) < 0)
		return;
	l = lgd_link_find(w, ifi->ifi_index);
	if (nlh->nlmsg_type == RTM_DELLINK) {
		if (!l)
			return;
		for (pp = &w->links; *pp != l; pp = &(*pp)->next)
			;
		*pp = l->next;
		lgd_timer_stop(&l->timer);
		free(l);
		return;
	}
	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l)
			return;
		l->w = w;
		l->ifindex = ifi->ifi_index;
		l->timer.fire = lgd_link_fire;
		l->running = true;
		l->next = w->links;
		w->links = l;
	}
	if (tb[IFLA_IFNAME] &&
	    strcmp(l->name, mnl_attr_get_str(tb[IFLA_IFNAME]))) {
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(tb[IFLA_IFNAME]));
		/* New, or renamed: its declared configuration, if any. */
		if (w->x->link_new)
			w->x->link_new(w->x->priv, l->ifindex, l->name);
	}
	running = (ifi->ifi_flags & (IFF_UP | IFF_RUNNING)) ==
		  (IFF_UP | IFF_RUNNING);
	if (running != l->running)
		lgd_info("%s is %s", l->name, running ? "up" : "down");
	l->running = running;
	lgd_link_eval(w, l);
	if (!running)
		lgd_probes_down(w, l->ifindex);
}

static void lgd_neigh_fire(struct lgd_timer *t)
{
	struct lgd_neigh *n = (struct lgd_neigh *)t;
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	struct lgd_binding *b = n->n_ids ?
		lgd_binding_find(n->w->x, n->ids[0]) : NULL;

	lgd_notice("%s on %s has not answered for %u s: releasing %zu bindings",
		   inet_ntop(AF_INET6, n->addr, a, sizeof(a)),
		   lgd_ifname(n->w->x, n->ifindex, ifn),
		   b ? lgd_binding_if(n->w->x, b)->unreachable_hold : 0,
		   n->n_ids);
	lgd_release_ids(n->w->x, n->ids, n->n_ids, LG_RELEASE_UNREACHABLE);
}

static int lgd_neigh_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) == NDA_DST &&
	    mnl_attr_get_payload_len(a) == 16)
		tb[NDA_DST] = a;
	if (mnl_attr_get_type(a) == NDA_LLADDR)
		tb[NDA_LLADDR] = a;
	return MNL_CB_OK;
}

/* Sends the neighbour request @nlh and waits for its ack; -1 and errno. */
static int lgd_neigh_send(struct lgd_watch *w, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t len;

	if (mnl_socket_sendto(w->req, nlh, nlh->nlmsg_len) < 0)
		return -1;
	len = mnl_socket_recvfrom(w->req, buf, sizeof(buf));
	if (len < 0 || mnl_cb_run(buf, len, nlh->nlmsg_seq, w->req_portid,
				  NULL, NULL) < 0)
		return -1;
	return 0;
}

/* Our managed entry for n: made (add) or removed. */
static void lgd_neigh_request(struct lgd_watch *w, struct lgd_neigh *n,
			      bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], a[INET6_ADDRSTRLEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	nlh->nlmsg_type = add ? RTM_NEWNEIGH : RTM_DELNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	nlh->nlmsg_seq = ++w->seq;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = n->ifindex;
	ndm->ndm_state = NUD_NONE;
	mnl_attr_put(nlh, NDA_DST, 16, n->addr);
	if (add)
		mnl_attr_put_u32(nlh, NDA_FLAGS_EXT, NTF_EXT_MANAGED);
	if (lgd_neigh_send(w, nlh) < 0)
		goto err;
	return;
err:
	/* ENOENT on delete: gone with its interface, or flushed. */
	if (add || errno != ENOENT)
		lgd_warn("%s the managed neighbor %s: %s",
			 add ? "adding" : "deleting",
			 inet_ntop(AF_INET6, n->addr, a, sizeof(a)),
			 strerror(errno));
}

static void lgd_probe_end(struct lgd_watch *w, struct lgd_probe *p,
			  bool answered)
{
	struct lgd_neigh key = { .ifindex = p->ifindex }, **slot;
	struct lgd_probe **pp, *q;

	for (pp = &w->probes; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	lgd_timer_stop(&p->timer);
	/* The last probe of an entry the unreachable trigger watches. */
	for (q = w->probes; q; q = q->next)
		if (q->ifindex == p->ifindex && !memcmp(q->addr, p->addr, 16))
			break;
	memcpy(key.addr, p->addr, 16);
	slot = q ? NULL : tfind(&key, &w->neighs, lgd_neigh_cmp);
	if (slot)
		lgd_neigh_request(w, *slot, true);
	w->x->anchor_verdict(w->x->priv, p->id, answered);
	free(p);
}

/* Nobody answers on a link that is not running (its entries are flushed). */
static void lgd_probes_down(struct lgd_watch *w, uint32_t ifindex)
{
	struct lgd_probe *p, *next;

	for (p = w->probes; p; p = next) {
		next = p->next;
		if (p->ifindex == ifindex)
			lgd_probe_end(w, p, false);
	}
}

static void lgd_probe_fire(struct lgd_timer *t)
{
	struct lgd_probe *p = (struct lgd_probe *)t;
	char a[INET6_ADDRSTRLEN];

	lgd_warn("probe of %s: no verdict in %u s; the binding stays",
		 inet_ntop(AF_INET6, p->addr, a, sizeof(a)),
		 LGD_PROBE_TIMEOUT_MS / 1000);
	lgd_probe_end(p->w, p, true);
}

/*
 * A neighbor event about a probed address: states from before our PROBE
 * do not count, nor an answer from another MAC (then the timeout keeps
 * the binding where it is).
 */
static void lgd_probe_event(struct lgd_watch *w, uint32_t ifindex,
			    const uint8_t *addr, uint16_t state,
			    const struct nlattr *lladdr)
{
	struct lgd_probe *p, *next;

	for (p = w->probes; p; p = next) {
		next = p->next;
		if (p->ifindex != ifindex || memcmp(p->addr, addr, 16))
			continue;
		if (state & NUD_PROBE)
			p->started = true;
		else if (p->started &&
			 (state & (NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP)) &&
			 (!p->has_mac ||
			  (lladdr && mnl_attr_get_payload_len(lladdr) == 6 &&
			   !memcmp(mnl_attr_get_payload(lladdr), p->mac, 6))))
			lgd_probe_end(w, p, true);
		else if (p->started && (state & NUD_FAILED))
			lgd_probe_end(w, p, false);
	}
}

void lgd_watch_probe(struct lgd_watch *w, uint64_t id, uint32_t ifindex,
		     const uint8_t *addr, const uint8_t *mac)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], a[INET6_ADDRSTRLEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct lgd_link *l = lgd_link_find(w, ifindex);
	struct lgd_probe *p, *q;
	struct ndmsg *ndm;

	if (l && !l->running) {
		lgd_info("probe of %s on %s: the link is down, nobody answers",
			 inet_ntop(AF_INET6, addr, a, sizeof(a)), l->name);
		w->x->anchor_verdict(w->x->priv, id, false);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		lgd_err("anchor probe: out of memory");
		w->x->anchor_verdict(w->x->priv, id, true);
		return;
	}
	p->w = w;
	p->id = id;
	p->ifindex = ifindex;
	memcpy(p->addr, addr, 16);
	p->has_mac = mac;
	if (mac)
		memcpy(p->mac, mac, 6);
	p->timer.fire = lgd_probe_fire;
	p->next = w->probes;
	w->probes = p;
	lgd_timer_arm(&p->timer, lgd_now_ms() + LGD_PROBE_TIMEOUT_MS);
	/* One client, several bindings (IA_NA, IA_PD): one probe serves all. */
	for (q = p->next; q; q = q->next)
		if (q->ifindex == ifindex && !memcmp(q->addr, addr, 16)) {
			p->started = q->started;
			return;
		}

	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			   NLM_F_REPLACE;
	nlh->nlmsg_seq = ++w->seq;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PROBE;
	mnl_attr_put(nlh, NDA_DST, 16, addr);
	if (mac)
		mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	/*
	 * Not managed while probed: the kernel keeps a managed entry's state
	 * whatever is asked (__neigh_update(), NEIGH_UPDATE_F_MANAGED), so
	 * the unreachable trigger's entry would never be probed.
	 * lgd_probe_end() makes it managed again.
	 */
	if (lgd_neigh_send(w, nlh) < 0)
		goto err;
	return;
err:
	lgd_warn("probing %s: %s; the binding stays",
		 inet_ntop(AF_INET6, addr, a, sizeof(a)), strerror(errno));
	lgd_probe_end(w, p, true);
}

static void lgd_on_neigh(struct lgd_watch *w, const struct nlmsghdr *nlh)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = {};
	struct lgd_neigh key = {}, **slot, *n;
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];

	if (ndm->ndm_family != AF_INET6 ||
	    mnl_attr_parse(nlh, sizeof(*ndm), lgd_neigh_attr_cb, tb) < 0 ||
	    !tb[NDA_DST])
		return;
	key.ifindex = ndm->ndm_ifindex;
	memcpy(key.addr, mnl_attr_get_payload(tb[NDA_DST]), 16);
	if (w->probes && nlh->nlmsg_type == RTM_NEWNEIGH)
		lgd_probe_event(w, key.ifindex, key.addr, ndm->ndm_state,
				tb[NDA_LLADDR]);
	slot = tfind(&key, &w->neighs, lgd_neigh_cmp);
	if (!slot)
		return;
	n = *slot;
	if (nlh->nlmsg_type == RTM_DELNEIGH) {
		/* Flushed by somebody: the watch goes on. */
		lgd_neigh_request(w, n, true);
		return;
	}
	if (ndm->ndm_state & LGD_NUD_VALID) {
		if (n->failed)
			lgd_info("%s on %s answers again",
				 inet_ntop(AF_INET6, n->addr, a, sizeof(a)),
				 lgd_ifname(w->x, n->ifindex, ifn));
		n->failed = false;
		lgd_timer_stop(&n->timer);
	} else if ((ndm->ndm_state & NUD_FAILED) && !n->failed) {
		struct lgd_binding *b = lgd_binding_find(w->x, n->ids[0]);
		uint32_t hold = b ? lgd_binding_if(w->x, b)->unreachable_hold : 0;

		lgd_info("%s on %s does not answer: released in %u s unless it does",
			 inet_ntop(AF_INET6, n->addr, a, sizeof(a)),
			 lgd_ifname(w->x, n->ifindex, ifn), hold);
		n->failed = true;
		lgd_timer_arm(&n->timer, lgd_now_ms() + hold * 1000ull);
	}
}

static int lgd_watch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lgd_watch *w = data;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		lgd_on_link(w, nlh);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		lgd_on_neigh(w, nlh);
		break;
	}
	return MNL_CB_OK;
}

/* A dump of links (RTM_GETLINK) or neighbors, through the event callback. */
static int lgd_watch_dump(struct lgd_watch *w, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(w->buf);
	uint32_t seq = ++w->seq;
	struct rtgenmsg *g;
	ssize_t len;
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, type == RTM_GETLINK ?
				       sizeof(struct ifinfomsg) :
				       sizeof(struct ndmsg));
	g->rtgen_family = type == RTM_GETLINK ? AF_UNSPEC : AF_INET6;
	if (mnl_socket_sendto(w->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(w->req, w->buf, LGD_WATCH_BUF);
		if (len < 0)
			return -errno;
		ret = mnl_cb_run(w->buf, len, seq, w->req_portid,
				 lgd_watch_cb, w);
	} while (ret == MNL_CB_OK);
	return ret < 0 ? -errno : 0;
}

struct lgd_watch *lgd_watch_open(const struct lgd_ctx *x)
{
	struct lgd_watch *w = calloc(1, sizeof(*w));
	unsigned int groups[] = { RTNLGRP_LINK, RTNLGRP_NEIGH };
	int rcvbuf = 8 << 20, i;

	if (!w)
		return NULL;
	w->x = x;
	w->seq = time(NULL);
	w->buf = malloc(LGD_WATCH_BUF);
	w->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	w->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!w->buf || !w->ev || !w->req ||
	    mnl_socket_bind(w->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(w->req, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	for (i = 0; i < 2; i++)
		if (mnl_socket_setsockopt(w->ev, NETLINK_ADD_MEMBERSHIP,
					  &groups[i], sizeof(groups[i])) < 0)
			goto err;
	if (setsockopt(mnl_socket_get_fd(w->ev), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(w->ev), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	w->req_portid = mnl_socket_get_portid(w->req);
	/* Subscribed first: no change falls between the dump and events. */
	if (lgd_watch_dump(w, RTM_GETLINK))
		goto err;
	return w;
err:
	lgd_err("rtnetlink (links, neighbors): %s", strerror(errno));
	lgd_watch_close(w);
	return NULL;
}

static void lgd_neigh_free(void *p)
{
	struct lgd_neigh *n = p;

	lgd_timer_stop(&n->timer);
	free(n->ids);
	free(n);
}

void lgd_watch_close(struct lgd_watch *w)
{
	struct lgd_link *l;

	if (!w)
		return;
	while (w->probes) {
		struct lgd_probe *p = w->probes;

		w->probes = p->next;
		lgd_timer_stop(&p->timer);
		free(p);
	}
	while ((l = w->links)) {
		w->links = l->next;
		lgd_timer_stop(&l->timer);
		free(l);
	}
	/* Managed entries stay, like routes: the next start takes them. */
	tdestroy(w->neighs, lgd_neigh_free);
	if (w->ev)
		mnl_socket_close(w->ev);
	if (w->req)
		mnl_socket_close(w->req);
	free(w->buf);
	free(w);
}

int lgd_watch_fd(const struct lgd_watch *w)
{
	return mnl_socket_get_fd(w->ev);
}

void lgd_watch_input(struct lgd_watch *w)
{
	ssize_t len;

	for (;;) {
		len = mnl_socket_recvfrom(w->ev, w->buf, LGD_WATCH_BUF);
		if (len < 0) {
			if (errno == ENOBUFS) {
				lgd_warn("link and neighbor events lost: dumping them");
				lgd_watch_dump(w, RTM_GETLINK);
				lgd_watch_dump(w, RTM_GETNEIGH);
				continue;
			}
			return;
		}
		mnl_cb_run(w->buf, len, 0, 0, lgd_watch_cb, w);
	}
}

void lgd_watch_reconfigure(struct lgd_watch *w)
{
	struct lgd_link *l;

	for (l = w->links; l; l = l->next)
		lgd_link_eval(w, l);
}

void lgd_watch_binding(struct lgd_watch *w, struct lgd_binding *b)
{
	struct lgd_neigh key = {}, **slot, *n;
	uint64_t *ids;

	if (b->neigh || !b->has_lladdr || !b->ifindex ||
	    !(lgd_binding_if(w->x, b)->triggers &
	      LGD_TRIGGER(LG_RELEASE_UNREACHABLE)))
		return;
	key.ifindex = b->ifindex;
	memcpy(key.addr, b->lladdr, 16);
	slot = tfind(&key, &w->neighs, lgd_neigh_cmp);
	n = slot ? *slot : NULL;
	if (!n) {
		n = calloc(1, sizeof(*n));
		if (n) {
			/* The key first: tsearch() compares it. */
			*n = key;
			n->w = w;
			n->timer.fire = lgd_neigh_fire;
		}
		if (!n || !tsearch(n, &w->neighs, lgd_neigh_cmp)) {
			free(n);
			lgd_err("neighbor watch: out of memory");
			return;
		}
		lgd_neigh_request(w, n, true);
	}
	if (n->n_ids == n->cap_ids) {
		ids = realloc(n->ids, (n->cap_ids + 4) * sizeof(*ids));
		if (!ids)
			return;
		n->ids = ids;
		n->cap_ids += 4;
	}
	n->ids[n->n_ids++] = b->id;
	b->neigh = n;
}

void lgd_watch_unbind(struct lgd_watch *w, struct lgd_binding *b)
{
	struct lgd_neigh *n = b->neigh;
	size_t i;

	if (!n)
		return;
	b->neigh = NULL;
	for (i = 0; i < n->n_ids; i++)
		if (n->ids[i] == b->id)
			n->ids[i] = n->ids[--n->n_ids];
	if (n->n_ids)
		return;
	tdelete(n, &w->neighs, lgd_neigh_cmp);
	lgd_neigh_request(w, n, false);
	lgd_neigh_free(n);
}

const char *lgd_watch_ifname(struct lgd_watch *w, uint32_t ifindex)
{
	struct lgd_link *l = w ? lgd_link_find(w, ifindex) : NULL;

	return l && l->name[0] ? l->name : NULL;
}
