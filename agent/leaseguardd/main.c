// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd: turns the kernel's bindings into access routes.
 *
 * One epoll loop over two descriptors: the "bindings" multicast group of
 * the leaseguard family, and a signalfd. On start (and whenever events
 * were lost) it dumps the bindings and our routes and reconciles them:
 * what a binding needs is added, what none needs is removed, what is
 * right already is not touched, so a restart does not flap a route.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <linux/leaseguard.h>

#include "binding.h"
#include "version.h"
#include "lgd.h"
#include "mcast.h"
#include "store.h"

#define LGD_VERSION	LG_VERSION

/* Leases in one binding: the kernel keeps 4 (DHCP6_MAX_LEASES); room to grow. */
#define LGD_MAX_LEASES	16

#define LGD_MADE_ACCESS_MAX	16
/*
 * Event datagrams read in one turn of the loop. While the kernel snoops
 * at its full rate and each event costs the daemon more than the kernel
 * (a route, the store), the socket never runs dry: an unbounded drain
 * kept the timers (the failover partner's heartbeat and sync queue, the
 * control socket) waiting until the stream ended. The rest waits one turn:
 * epoll is level-triggered.
 */
#define LGD_EVENT_READS_PER_TURN	256

struct lgd {
	struct lgd_conf conf;
	const char *conf_path;
	bool conf_must_exist;
	char **overrides;		/* -o KEY=VALUE, applied after the file */
	int n_overrides;
	struct lg_nl events, req;
	struct lgd_routes *routes;
	void *bindings;			/* tsearch() by ID */
	size_t n_bindings;
	void *clients;			/* tsearch() by DUID */
	struct lgd_release *release;
	struct lgd_watch *watch;
	struct lgd_control *control;
	struct lgd_mcast *mcast;	/* NULL: no IGMP/MLD proxy */
	struct lgd_recover *recover;	/* NULL: no LEASEQUERY socket */
	struct lgd_failover *fo;	/* NULL: no partner, the router alone */
	/* Routes of bindings deleted in this round of events, removed at once. */
	struct lgd_route *dead;
	size_t n_dead, cap_dead;
	struct lgd_ctx ctx;		/* what the parts get of all this */
	int efd;			/* the epoll set */
	struct lgd_family *family;	/* the family's life */
	struct lgd_decl *decl;		/* the declared configuration */
	bool up;			/* the family is there and followed */
	bool events_lost;		/* by lgd_ctx_read_events: resync */
	/*
	 * In lgd_restore(): the restored bindings' routes wait for the sync
	 * that follows it. Those kept through a module reload are still
	 * there, and adding each again would only log "File exists".
	 */
	bool restoring;
	/*
	 * Interfaces the round's events made access (lgctl by hand, not
	 * declared): their pending bindings follow, after the round.
	 */
	uint32_t made_access[LGD_MADE_ACCESS_MAX];
	unsigned int n_made_access;
};

/* Epoll tags. */
enum {
	LGD_EP_SIGNAL, LGD_EP_EVENTS, LGD_EP_RELEASE, LGD_EP_WATCH,
	LGD_EP_CONTROL, LGD_EP_MCAST, LGD_EP_FAMILY, LGD_EP_RECOVER,
	LGD_EP_STORE, LGD_EP_PARTNER,
};

/* Routes and releases: alone, or the MASTER of a pair (failover.c). */
static bool lgd_active(const struct lgd *d)
{
	return lgd_failover_active(d->fo);
}

static int lgd_binding_cmp(const void *a, const void *b)
{
	const struct lgd_binding *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int lgd_client_cmp(const void *a, const void *b)
{
	const struct lgd_client *x = a, *y = b;

	if (x->duid_len != y->duid_len)
		return x->duid_len < y->duid_len ? -1 : 1;
	return memcmp(x->duid, y->duid, x->duid_len);
}

static struct lgd_binding *lgd_find(struct lgd *d, uint64_t id)
{
	struct lgd_binding key = { .id = id }, **slot;

	slot = tfind(&key, &d->bindings, lgd_binding_cmp);
	return slot ? *slot : NULL;
}

/* The context's callbacks (struct lgd_ctx): d is their priv. */
static struct lgd_binding *lgd_ctx_find(void *priv, uint64_t id)
{
	return lgd_find(priv, id);
}

static const char *lgd_ctx_ifname(void *priv, uint32_t ifindex, char *buf)
{
	struct lgd *d = priv;
	const char *name = lgd_watch_ifname(d->watch, ifindex);

	if (name)
		return strcpy(buf, name);
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

static int lgd_ctx_batch(void *priv, uint8_t cmd, const uint64_t *ids,
			 size_t n, uint32_t reason, bool cancel,
			 size_t *n_failed)
{
	struct lgd *d = priv;

	if (!d->up)
		return -LG_NL_ENOFAMILY;	/* no request on a dead ID */
	/*
	 * A backup sees nothing of the subscribers (a link down here, a
	 * client that does not answer us): the MASTER decides their ends.
	 */
	if (cmd == LG_CMD_BINDING_RELEASE && !cancel && !lgd_active(d)) {
		lgd_debug("backup: %zu releases (%s) left to the master", n,
			  lgd_trigger_name(reason));
		if (n_failed)
			*n_failed = n;
		return 0;
	}
	return lg_binding_batch(&d->req, cmd, ids, n, reason, cancel,
				n_failed);
}

static void lgd_restore_link(struct lgd *d, uint32_t ifindex,
			     const char *name, const char *why);

static void lgd_ctx_link_new(void *priv, uint32_t ifindex, const char *name)
{
	struct lgd *d = priv;

	if (d->decl)
		lgd_decl_link(d->decl, ifindex, name);
	/* Its declared role is there now: the store's bindings waiting for it. */
	lgd_restore_link(d, ifindex, name, "appeared");
}

/* The routes binding b needs, into v (room for b->n_leases). */
static size_t lgd_binding_routes(const struct lgd_binding *b,
				 struct lgd_route *v)
{
	size_t i, n = 0;

	if (!b->ifindex)
		return 0;
	for (i = 0; i < b->n_leases; i++) {
		struct lgd_route *rt = &v[n];

		memset(rt, 0, sizeof(*rt));
		memcpy(rt->dst, b->leases[i].addr, 16);
		rt->plen = b->leases[i].plen;
		rt->ifindex = b->ifindex;
		if (b->ia_type == LG_IA_PD) {
			if (!b->has_lladdr)
				continue;	/* nowhere to send it */
			rt->has_gw = true;
			memcpy(rt->gw, b->lladdr, 16);
		}
		n++;
	}
	return n;
}

static int lgd_route_qcmp(const void *a, const void *b)
{
	return lgd_route_cmp(a, b);
}

/*
 * Makes the routes of a binding want[0..n): removes those no longer
 * wanted, adds the new ones, leaves the rest alone. apply false: only
 * records them (the sync reconciles all routes at once).
 */
static void lgd_binding_set_routes(struct lgd *d, struct lgd_binding *b,
				   struct lgd_route *want, size_t n, bool apply)
{
	struct lgd_route del[LGD_MAX_LEASES], add[LGD_MAX_LEASES];
	size_t i = 0, j = 0, nd = 0, na = 0;

	qsort(want, n, sizeof(*want), lgd_route_qcmp);
	while (apply && (i < b->n_routes || j < n)) {
		int c = i == b->n_routes ? 1 : j == n ? -1 :
			lgd_route_cmp(&b->routes[i], &want[j]);

		if (c < 0)
			del[nd++] = b->routes[i++];
		else if (c > 0)
			add[na++] = want[j++];
		else
			i++, j++;
	}
	if (d->conf.routes && lgd_active(d)) {
		if (nd)
			lgd_routes_change(d->routes, del, nd, false);
		if (na)
			lgd_routes_change(d->routes, add, na, true);
	}
	free(b->routes);
	b->routes = n ? malloc(n * sizeof(*want)) : NULL;
	b->n_routes = b->routes ? n : 0;
	if (b->routes)
		memcpy(b->routes, want, n * sizeof(*want));
}

/* b is gone: its routes go with the round's (a link down: thousands). */
static void lgd_routes_defer_del(struct lgd *d, struct lgd_binding *b)
{
	struct lgd_route *v;

	if (!b->n_routes || !d->conf.routes || !lgd_active(d))
		return;
	if (d->n_dead + b->n_routes > d->cap_dead) {
		size_t cap = 2 * (d->cap_dead + b->n_routes);

		v = realloc(d->dead, cap * sizeof(*v));
		if (!v) {
			lgd_routes_change(d->routes, b->routes, b->n_routes,
					  false);
			return;
		}
		d->dead = v;
		d->cap_dead = cap;
	}
	memcpy(d->dead + d->n_dead, b->routes, b->n_routes * sizeof(*v));
	d->n_dead += b->n_routes;
}

static void lgd_routes_flush_dead(struct lgd *d)
{
	if (!d->n_dead)
		return;
	lgd_routes_change(d->routes, d->dead, d->n_dead, false);
	d->n_dead = 0;
}

static int lgd_copy(uint8_t **dst, const void *src, size_t len)
{
	free(*dst);
	*dst = NULL;
	if (!len)
		return 0;
	*dst = malloc(len);
	if (!*dst)
		return -1;
	memcpy(*dst, src, len);
	return 0;
}

/* A new binding, in the trees; NULL without memory. */
static struct lgd_binding *lgd_binding_new(struct lgd *d,
					   const struct lg_binding *lb)
{
	struct lgd_client key = { .duid_len = lb->client_duid_len }, *c, **cs;
	struct lgd_binding *b = calloc(1, sizeof(*b));

	memcpy(key.duid, lb->client_duid, lb->client_duid_len);
	cs = tfind(&key, &d->clients, lgd_client_cmp);
	c = cs ? *cs : NULL;
	if (!b)
		return NULL;
	if (!c) {
		c = malloc(sizeof(*c));
		if (c)
			*c = key;	/* the key first: tsearch() compares it */
		if (!c || !tsearch(c, &d->clients, lgd_client_cmp)) {
			free(c);
			free(b);
			return NULL;
		}
	}
	b->id = lb->id;
	if (!tsearch(b, &d->bindings, lgd_binding_cmp)) {
		if (!c->bindings) {
			tdelete(c, &d->clients, lgd_client_cmp);
			free(c);
		}
		free(b);
		return NULL;
	}
	b->client = c;
	b->client_next = c->bindings;
	c->bindings = b;
	d->n_bindings++;
	return b;
}

static void lgd_binding_destroy(void *p)
{
	struct lgd_binding *b = p;

	free(b->server_duid);
	free(b->ifid);
	free(b->leases);
	free(b->routes);
	free(b);
}

static void lgd_binding_free(struct lgd *d, struct lgd_binding *b)
{
	struct lgd_client *c = b->client;
	struct lgd_binding **pp;

	lgd_release_forget(d->release, b);
	lgd_watch_unbind(d->watch, b);
	for (pp = &c->bindings; *pp != b; pp = &(*pp)->client_next)
		;
	*pp = b->client_next;
	if (!c->bindings) {
		tdelete(c, &d->clients, lgd_client_cmp);
		free(c);
	}
	tdelete(b, &d->bindings, lgd_binding_cmp);
	d->n_bindings--;
	lgd_binding_destroy(b);
}

/* The kernel's view of b into b; false without memory. */
static bool lgd_binding_fill(struct lgd_binding *b, const struct lg_binding *lb)
{
	size_t i, n = 0;

	b->ifindex = lb->ifindex;
	b->ia_type = lb->ia_type;
	b->iaid = lb->iaid;
	b->state = lb->has_state ? lb->state : LG_BINDING_BOUND;
	b->release_reason = lb->has_release_reason ? lb->release_reason : 0;
	b->has_server_addr = lb->has_server_addr;
	memcpy(b->server_addr, lb->server_addr, 16);
	b->has_lladdr = lb->has_client_lladdr;
	memcpy(b->lladdr, lb->client_lladdr, 16);
	b->has_mac = lb->has_client_mac;
	memcpy(b->mac, lb->client_mac, 6);
	b->replied = lb->has_replied ? lb->replied : lb->updated * 1000;
	b->server_duid_len = lb->server_duid_len;
	b->ifid_len = lb->interface_id_len;
	if (lgd_copy(&b->server_duid, lb->server_duid, lb->server_duid_len) ||
	    lgd_copy(&b->ifid, lb->interface_id, lb->interface_id_len))
		return false;
	free(b->leases);
	b->leases = calloc(lb->n_leases + 1, sizeof(*b->leases));
	if (!b->leases)
		return false;
	for (i = 0; i < lb->n_leases && n < LGD_MAX_LEASES; i++) {
		if (!lb->leases[i].has_plen || lb->leases[i].plen > 128)
			continue;
		memcpy(b->leases[n].addr, lb->leases[i].addr, 16);
		b->leases[n++].plen = lb->leases[i].plen;
	}
	b->n_leases = n;
	return true;
}

static const char *lgd_anchor_str(const uint8_t *lladdr, bool has_mac,
				  const uint8_t *mac, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, lladdr, a, sizeof(a));
	if (has_mac)
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x %s", mac[0],
			 mac[1], mac[2], mac[3], mac[4], mac[5], a);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/*
 * "moved": a client just bound on b's interface. Its bindings on the other
 * interfaces are released if it no longer answers there: another
 * subscriber can replay its DUID (RFC 7513: probe the owner first).
 */
static void lgd_trigger_moved(struct lgd *d, const struct lgd_binding *b)
{
	char hex[LG_DUID_MAX * 3], ifn[IF_NAMESIZE], oifn[IF_NAMESIZE];
	char mine[64], theirs[64];
	struct lgd_binding *o;

	for (o = b->client->bindings; o; o = o->client_next) {
		if (o->ifindex == b->ifindex || o->state != LG_BINDING_BOUND ||
		    !(lgd_binding_if(&d->ctx, o)->triggers &
		      LGD_TRIGGER(LG_RELEASE_MOVED)))
			continue;
		o->away = true;
		o->away_ifindex = b->ifindex;
		o->away_has_mac = b->has_mac;
		memcpy(o->away_lladdr, b->lladdr, 16);
		memcpy(o->away_mac, b->mac, 6);
		if (o->probing)
			continue;	/* the running probe decides */
		lgd_notice("binding %llu on %s: client %s bound on %s from %s: probing its client %s",
			   (unsigned long long)o->id,
			   lgd_ifname(&d->ctx, o->ifindex, oifn),
			   lg_hex_format(b->client->duid, b->client->duid_len, hex),
			   lgd_ifname(&d->ctx, b->ifindex, ifn),
			   lgd_anchor_str(b->lladdr, b->has_mac, b->mac, theirs,
					  sizeof(theirs)),
			   lgd_anchor_str(o->lladdr, o->has_mac, o->mac, mine,
					  sizeof(mine)));
		o->probing = true;
		lgd_watch_probe(d->watch, o->id, o->ifindex, o->lladdr,
				o->has_mac ? o->mac : NULL);
	}
}

/*
 * Another client asked for b in its own name and the server answered
 * (RFC 7513: a neighbour can repeat b's DUID and IAID). The kernel kept
 * b's anchor; b moves only if its client no longer answers.
 */
static void lgd_anchor_conflict(struct lgd *d, struct lgd_binding *b,
				const struct lg_anchor *a)
{
	char mine[64], theirs[64], ifn[IF_NAMESIZE];

	b->has_move = true;
	b->move_has_mac = a->has_mac;
	memcpy(b->move_lladdr, a->lladdr, 16);
	memcpy(b->move_mac, a->mac, 6);
	if (b->probing)
		return;
	lgd_notice("binding %llu on %s: a request from %s, not its client %s: probing its client",
		   (unsigned long long)b->id,
		   lgd_ifname(&d->ctx, b->ifindex, ifn),
		   lgd_anchor_str(a->lladdr, a->has_mac, a->mac, theirs,
				  sizeof(theirs)),
		   lgd_anchor_str(b->lladdr, b->has_mac, b->mac, mine,
				  sizeof(mine)));
	b->probing = true;
	lgd_watch_probe(d->watch, b->id, b->ifindex, b->lladdr,
			b->has_mac ? b->mac : NULL);
}

static void lgd_anchor_verdict(void *priv, uint64_t id, bool answered)
{
	struct lgd *d = priv;
	struct lgd_binding *b = lgd_find(d, id);
	struct lg_anchor a = { .has_lladdr = true };
	char mine[64], theirs[64], ifn[IF_NAMESIZE], oifn[IF_NAMESIZE];
	int err;

	if (!b)
		return;
	b->probing = false;
	lgd_anchor_str(b->lladdr, b->has_mac, b->mac, mine, sizeof(mine));
	if (b->away) {
		b->away = false;
		lgd_anchor_str(b->away_lladdr, b->away_has_mac, b->away_mac,
			       theirs, sizeof(theirs));
		lgd_ifname(&d->ctx, b->away_ifindex, ifn);
		if (answered) {
			lgd_notice("binding %llu on %s: its client %s answers there: it stays; the same DUID on %s from %s is not a move",
				   (unsigned long long)id,
				   lgd_ifname(&d->ctx, b->ifindex, oifn), mine,
				   ifn, theirs);
		} else if (b->state == LG_BINDING_BOUND) {
			lgd_notice("binding %llu on %s: its client %s does not answer: it moved to %s (%s): releasing",
				   (unsigned long long)id,
				   lgd_ifname(&d->ctx, b->ifindex, oifn), mine,
				   ifn, theirs);
			b->has_move = false;	/* released: nowhere to move */
			lgd_release_ids(&d->ctx, &id, 1, LG_RELEASE_MOVED);
		}
	}
	if (!b->has_move)
		return;
	b->has_move = false;
	memcpy(a.lladdr, b->move_lladdr, 16);
	a.has_mac = b->move_has_mac;
	memcpy(a.mac, b->move_mac, 6);
	lgd_anchor_str(a.lladdr, a.has_mac, a.mac, theirs, sizeof(theirs));
	if (answered) {
		lgd_notice("binding %llu: its client %s answers: it stays there, %s is refused",
			   (unsigned long long)id, mine, theirs);
		return;
	}
	lgd_notice("binding %llu: its client %s does not answer: moved to %s",
		   (unsigned long long)id, mine, theirs);
	err = lg_binding_move(&d->req, id, &a);
	if (err)
		lgd_err("moving binding %llu: %s", (unsigned long long)id,
			strerror(-err));
}

/* "replaced": a new client on a single-subscriber interface. */
static void lgd_trigger_replaced(struct lgd *d, const struct lgd_binding *b)
{
	const struct lgd_if_conf *ic = lgd_binding_if(&d->ctx, b);
	struct lg_binding_sel sel = { .ifindex = b->ifindex };
	struct lg_binding_list list = {};
	uint64_t *ids;
	size_t i, n = 0;

	if (!ic->single_subscriber ||
	    !(ic->triggers & LGD_TRIGGER(LG_RELEASE_REPLACED)))
		return;
	if (lg_binding_dump(&d->req, &sel, &list))
		return;
	ids = calloc(list.n + 1, sizeof(*ids));
	for (i = 0; ids && i < list.n; i++) {
		const struct lg_binding *o = &list.v[i];

		if ((o->client_duid_len != b->client->duid_len ||
		     memcmp(o->client_duid, b->client->duid, o->client_duid_len)) &&
		    (!o->has_state || o->state == LG_BINDING_BOUND))
			ids[n++] = o->id;
	}
	if (n) {
		char ifn[IF_NAMESIZE];

		lgd_notice("%s is single-subscriber and has a new client: releasing %zu bindings of the old one",
			   lgd_ifname(&d->ctx, b->ifindex, ifn), n);
		lgd_release_ids(&d->ctx, ids, n, LG_RELEASE_REPLACED);
	}
	free(ids);
	lg_binding_list_free(&list);
}

/* A releasing binding goes to the server, if its interface says so. */
static void lgd_binding_state(struct lgd *d, struct lgd_binding *b)
{
	struct lg_binding_sel cancel = { .id = b->id, .has_id = true,
					 .cancel = true };
	char ifn[IF_NAMESIZE];

	if (b->state != LG_BINDING_RELEASING) {
		lgd_release_forget(d->release, b);
		return;
	}
	if (b->req || b->queued)
		return;
	/* A backup's releasing bindings wait: the takeover sends them. */
	if (!lgd_active(d))
		return;
	if (lgd_binding_if(&d->ctx, b)->triggers &
	    LGD_TRIGGER(b->release_reason)) {
		lgd_release_queue(d->release, b);
		return;
	}
	lgd_warn("binding %llu on %s: release (%s) is not enabled there; it stays",
		 (unsigned long long)b->id,
		 lgd_ifname(&d->ctx, b->ifindex, ifn),
		 lgd_trigger_name(b->release_reason));
	lg_binding_release(&d->req, &cancel);
}

/*
 * A binding from an event or a dump. Routes are applied now (events) or
 * only recorded (the sync reconciles them in bulk).
 */
static void lgd_binding_update(struct lgd *d, const struct lg_binding *lb,
			       bool is_new, bool apply_routes)
{
	struct lgd_route want[LGD_MAX_LEASES];
	struct lgd_binding *b = lgd_find(d, lb->id);
	bool created = !b, moved;
	size_t n;

	if (!b)
		b = lgd_binding_new(d, lb);
	moved = b && !created && b->has_lladdr &&
		memcmp(b->lladdr, lb->client_lladdr, 16);
	if (!b || !lgd_binding_fill(b, lb)) {
		lgd_err("binding %llu: out of memory", (unsigned long long)lb->id);
		return;
	}
	n = lgd_binding_routes(b, want);
	lgd_binding_set_routes(d, b, want, n, apply_routes);
	/* The unreachable watch follows the client to its new link-local. */
	if (moved)
		lgd_watch_unbind(d->watch, b);
	if (created || moved)
		lgd_watch_binding(d->watch, b);
	lgd_binding_state(d, b);
	if (is_new && b->state == LG_BINDING_BOUND) {
		lgd_trigger_moved(d, b);
		lgd_trigger_replaced(d, b);
	}
}

static int lgd_sync(struct lgd *d);

/* The failover pair's callbacks (struct lgd_ctx). */
static struct lgd_binding *lgd_ctx_by_key(void *priv,
					  const struct lg_binding *key)
{
	struct lgd_client ck = { .duid_len = key->client_duid_len }, **cs;
	struct lgd *d = priv;
	struct lgd_binding *b;

	if (key->client_duid_len > sizeof(ck.duid))
		return NULL;
	memcpy(ck.duid, key->client_duid, key->client_duid_len);
	cs = tfind(&ck, &d->clients, lgd_client_cmp);
	for (b = cs ? (*cs)->bindings : NULL; b; b = b->client_next)
		if (b->ifindex == key->ifindex && b->ia_type == key->ia_type &&
		    b->iaid == key->iaid)
			return b;
	return NULL;
}

static void lgd_ctx_learn(void *priv, const struct lg_binding *lb)
{
	struct lgd *d = priv;

	if (lb->n_leases > LGD_MAX_LEASES)
		return;
	lgd_binding_update(d, lb, false, !d->restoring);
	lgd_recover_learn(d->recover, lb);
}

static void lgd_resume_cb(const void *node, VISIT which, void *data)
{
	if (which == postorder || which == leaf)
		lgd_binding_state(data, *(struct lgd_binding *const *)node);
}

/*
 * The MASTER now, or no longer: every route laid or lifted at once (one
 * sync: the routes in batches), a new master sends the releases the old
 * one left waiting (its own, and those the partner marked releasing:
 * each from its first transmission) and an old one stops sending its own,
 * and the IGMP/MLD proxy forwards onto the access interfaces and queries
 * them, or stops both.
 */
static void lgd_ctx_role_changed(void *priv)
{
	struct lgd *d = priv;
	uint64_t t0 = lgd_now_ms();

	/* Open only while the family is up; it opens in the role then. */
	lgd_mcast_set_active(d->mcast, lgd_active(d));
	if (!lgd_active(d))
		lgd_release_stand_down(d->release);
	if (!d->up)
		return;		/* the family's return syncs in the new role */
	lgd_sync(d);
	if (lgd_active(d))
		twalk_r(d->bindings, lgd_resume_cb, d);
	lgd_release_flush(d->release);
	lgd_notice("%s: %zu bindings, routes %s in %llu ms",
		   lgd_active(d) ? "takeover" : "standing down", d->n_bindings,
		   lgd_active(d) ? "installed" : "removed",
		   (unsigned long long)(lgd_now_ms() - t0));
}

/* The control socket's "role STATE" (keepalived's notify script). */
static int lgd_role_cb(void *priv, const char *state, FILE *f)
{
	struct lgd *d = priv;
	int err = lgd_failover_set_role(d->fo, state);

	if (err)
		fprintf(f, "error role %s: not a keepalived state\n", state);
	return err;
}

/* A source no binding validates (recover.c); a bad one is skipped. */
static int lgd_on_miss(struct lgd *d, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[LG_A_MAX + 1], *mb[LG_MISS_A_MAX + 1];
	const struct nlattr *mac;

	if (lg_nl_parse_msg(nlh, tb, LG_A_MAX) || !tb[LG_A_MISS] ||
	    lg_nl_parse_nest(tb[LG_A_MISS], mb, LG_MISS_A_MAX) ||
	    !mb[LG_MISS_A_IFINDEX] || !mb[LG_MISS_A_SRC_ADDR] ||
	    mnl_attr_get_payload_len(mb[LG_MISS_A_IFINDEX]) != 4 ||
	    mnl_attr_get_payload_len(mb[LG_MISS_A_SRC_ADDR]) != 16)
		return 0;
	mac = mb[LG_MISS_A_SRC_MAC];
	if (mac && mnl_attr_get_payload_len(mac) != 6)
		mac = NULL;
	lgd_recover_miss(d->recover, mnl_attr_get_u32(mb[LG_MISS_A_IFINDEX]),
			 mnl_attr_get_payload(mb[LG_MISS_A_SRC_ADDR]),
			 mac ? mnl_attr_get_payload(mac) : NULL);
	return 0;
}

/* An access interface now (any LINK_NTF of one): noted for the round's end. */
static void lgd_note_access(struct lgd *d, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[LG_A_MAX + 1], *lt[LG_LINK_A_MAX + 1];
	uint32_t ifindex;
	unsigned int i;

	if (!d->ctx.store || lg_nl_parse_msg(nlh, tb, LG_A_MAX) ||
	    !tb[LG_A_LINK] ||
	    lg_nl_parse_nest(tb[LG_A_LINK], lt, LG_LINK_A_MAX) ||
	    !lt[LG_LINK_A_IFINDEX] || !lt[LG_LINK_A_ROLE] ||
	    mnl_attr_validate(lt[LG_LINK_A_IFINDEX], MNL_TYPE_U32) < 0 ||
	    mnl_attr_validate(lt[LG_LINK_A_ROLE], MNL_TYPE_U32) < 0 ||
	    mnl_attr_get_u32(lt[LG_LINK_A_ROLE]) != LG_ROLE_ACCESS)
		return;
	ifindex = mnl_attr_get_u32(lt[LG_LINK_A_IFINDEX]);
	for (i = 0; i < d->n_made_access; i++)
		if (d->made_access[i] == ifindex)
			return;
	/* More in one round: the rest wait for the next start or reload. */
	if (d->n_made_access < LGD_MADE_ACCESS_MAX)
		d->made_access[d->n_made_access++] = ifindex;
}

static int lgd_on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	struct lgd *d = data;
	struct lgd_binding *b;
	struct lg_binding lb;
	uint8_t cmd = lg_nl_cmd(nlh);
	struct lg_anchor a;

	if (cmd == LG_CMD_SAVI_MISS_NTF)
		return lgd_on_miss(d, nlh);
	if (cmd == LG_CMD_LINK_NTF || cmd == LG_CMD_LINK_DEL_NTF ||
	    cmd == LG_CMD_MCAST_NTF) {
		lgd_decl_event(d->decl, nlh);
		if (cmd == LG_CMD_LINK_NTF)
			lgd_note_access(d, nlh);
		return 0;
	}
	if (cmd != LG_CMD_BINDING_NEW_NTF && cmd != LG_CMD_BINDING_UPD_NTF &&
	    cmd != LG_CMD_BINDING_DEL_NTF && cmd != LG_CMD_BINDING_ANCHOR_NTF)
		return 0;
	if (lg_nl_parse_msg(nlh, tb, LG_A_MAX) || !tb[LG_A_BINDING] ||
	    lg_binding_parse(tb[LG_A_BINDING], &lb)) {
		lgd_warn("a binding event could not be parsed: resyncing");
		return -EBADMSG;
	}
	if (cmd == LG_CMD_BINDING_ANCHOR_NTF) {
		b = lgd_find(d, lb.id);
		if (b && tb[LG_A_ANCHOR] && !lg_anchor_parse(tb[LG_A_ANCHOR], &a))
			lgd_anchor_conflict(d, b, &a);
		lg_binding_free(&lb);
		return 0;
	}
	lgd_debug("binding %llu %s", (unsigned long long)lb.id,
		  cmd == LG_CMD_BINDING_NEW_NTF ? "new" :
		  cmd == LG_CMD_BINDING_UPD_NTF ? "updated" : "deleted");
	lgd_store_event(&d->ctx, cmd, tb[LG_A_BINDING], &lb);

	if (cmd == LG_CMD_BINDING_DEL_NTF) {
		b = lgd_find(d, lb.id);
		lgd_failover_event(d->fo, cmd, &lb, b);
		if (b) {
			lgd_routes_defer_del(d, b);
			lgd_binding_free(d, b);
		}
	} else if (lb.n_leases <= LGD_MAX_LEASES) {
		lgd_binding_update(d, &lb, cmd == LG_CMD_BINDING_NEW_NTF,
				   !d->restoring);
		lgd_recover_learn(d->recover, &lb);
		lgd_failover_event(d->fo, cmd, &lb, lgd_find(d, lb.id));
	}
	lg_binding_free(&lb);
	return 0;
}

static int lgd_config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_CONFIG_A_MAX + 1], *obj;
	uint32_t *types = data;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_CONFIG_GET, LG_A_CONFIG, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_CONFIG_A_MAX);
	if (err)
		return err;
	if (tb[LG_CONFIG_A_RELEASE_REQUEST_TYPE])
		types[0] = mnl_attr_get_u32(tb[LG_CONFIG_A_RELEASE_REQUEST_TYPE]);
	if (tb[LG_CONFIG_A_RELEASE_REPLY_TYPE])
		types[1] = mnl_attr_get_u32(tb[LG_CONFIG_A_RELEASE_REPLY_TYPE]);
	return 0;
}

/* The message types are the kernel's (lgctl config set release-*-type). */
static void lgd_fetch_types(struct lgd *d)
{
	uint32_t types[2] = { LG_RELEASE_REQUEST_TYPE_DEFAULT,
			      LG_RELEASE_REPLY_TYPE_DEFAULT };
	int err;

	err = lg_nl_doit(&d->req, lg_nl_msg(&d->req, LG_CMD_CONFIG_GET, 0),
			 lgd_config_cb, types);
	if (err)
		lgd_warn("reading the release message types: %s; using %u and %u",
			 strerror(-err), types[0], types[1]);
	lgd_release_types(d->release, types[0], types[1]);
}

struct lgd_gone {
	uint32_t gen;
	struct lgd_binding **v;
	size_t n, cap;
};

static void lgd_gone_cb(const void *node, VISIT which, void *data)
{
	struct lgd_binding *b = *(struct lgd_binding *const *)node;
	struct lgd_gone *g = data;

	if ((which != postorder && which != leaf) || b->sync_gen == g->gen ||
	    g->n == g->cap)
		return;
	g->v[g->n++] = b;
}

/* Dumps bindings and our routes, and makes the routes what bindings need. */
/* The events that wait, read during a long restore (store_sync.c). */
static void lgd_ctx_read_events(void *priv)
{
	struct lgd *d = priv;
	int err;

	do {
		err = lg_nl_read_events(&d->events, lgd_on_event, d);
	} while (!err);
	lgd_routes_flush_dead(d);
	if (err == -ENOBUFS || err == -EBADMSG)
		d->events_lost = true;
}

static int lgd_sync(struct lgd *d)
{
	static uint32_t gen;
	struct lg_binding_list list = {};
	struct lgd_route *want = NULL, *have = NULL, *del, *add;
	size_t n_want = 0, n_have = 0, i, j, nd = 0, na = 0, kept = 0;
	struct lgd_gone gone = { .gen = ++gen };
	int err;

	lgd_routes_flush_dead(d);
	lgd_fetch_types(d);
	err = lg_binding_dump(&d->req, NULL, &list);
	if (err) {
		lgd_err("dumping the bindings: %s", strerror(-err));
		return err;
	}
	for (i = 0; i < list.n; i++) {
		struct lgd_binding *b;

		if (list.v[i].n_leases > LGD_MAX_LEASES)
			continue;
		lgd_binding_update(d, &list.v[i], false, false);
		lgd_recover_learn(d->recover, &list.v[i]);
		b = lgd_find(d, list.v[i].id);
		if (b)
			b->sync_gen = gen;
	}
	/* Copies of bindings that are gone: their routes go below. */
	gone.cap = d->n_bindings;
	gone.v = calloc(gone.cap + 1, sizeof(*gone.v));
	if (!gone.v) {
		err = -ENOMEM;
		goto out;
	}
	twalk_r(d->bindings, lgd_gone_cb, &gone);
	for (i = 0; i < gone.n; i++)
		lgd_binding_free(d, gone.v[i]);
	free(gone.v);

	if (!d->conf.routes) {
		lgd_info("sync: %zu bindings (routes off)", list.n);
		goto out;
	}
	want = calloc(LGD_MAX_LEASES * (d->n_bindings + 1), sizeof(*want));
	if (!want) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; lgd_active(d) && i < list.n; i++) {
		struct lgd_binding *b = lgd_find(d, list.v[i].id);

		if (!b)
			continue;
		memcpy(want + n_want, b->routes, b->n_routes * sizeof(*want));
		n_want += b->n_routes;
	}
	err = lgd_routes_dump(d->routes, &have, &n_have);
	if (err) {
		lgd_err("dumping the routes: %s", strerror(-err));
		goto out;
	}
	qsort(want, n_want, sizeof(*want), lgd_route_qcmp);
	qsort(have, n_have, sizeof(*have), lgd_route_qcmp);
	/* In place: del is a prefix of have's slots, add of want's. */
	del = have;
	add = want;
	for (i = j = 0; i < n_have || j < n_want;) {
		int c = i == n_have ? 1 : j == n_want ? -1 :
			lgd_route_cmp(&have[i], &want[j]);

		if (c < 0) {
			del[nd++] = have[i++];
		} else if (c > 0) {
			add[na++] = want[j++];
		} else {
			i++, j++;
			kept++;
		}
	}
	err = lgd_routes_change(d->routes, del, nd, false);
	if (err >= 0)
		err = lgd_routes_change(d->routes, add, na, true);
	if (err < 0)
		lgd_err("changing routes: %s", strerror(-err));
	lgd_info("sync: %zu bindings%s; routes: %zu kept, %zu added, %zu removed",
		 list.n, lgd_active(d) ? "" : " (backup: none routed)", kept,
		 na, nd);
	err = err < 0 ? err : 0;
out:
	free(want);
	free(have);
	lg_binding_list_free(&list);
	lgd_release_flush(d->release);
	return err;
}

static int lgd_conf_read(struct lgd *d, struct lgd_conf *c)
{
	const char *why;
	int i;

	lgd_conf_defaults(c);
	if (lgd_conf_load(c, d->conf_path, d->conf_must_exist))
		return -1;
	for (i = 0; i < d->n_overrides; i++) {
		char *line = strdup(d->overrides[i]), *eq = strchr(line, '=');
		const char *why, *key;

		/* KEY=VALUE is the line "KEY VALUE". */
		why = !line ? "out of memory" : !eq ? "not KEY=VALUE" :
		      (*eq = ' ', lgd_conf_line(c, line, &key));
		free(line);
		if (why) {
			lgd_err("-o %s: %s", d->overrides[i], why);
			return -1;
		}
	}
	why = lgd_conf_check(c);
	if (why) {
		lgd_err("%s: %s", d->conf_path, why);
		return -1;
	}
	return lgd_conf_relay_id(c);
}

static void lgd_rewatch_cb(const void *node, VISIT which, void *data)
{
	struct lgd_binding *b = *(struct lgd_binding *const *)node;
	struct lgd *d = data;

	if (which != postorder && which != leaf)
		return;
	lgd_watch_unbind(d->watch, b);
	lgd_watch_binding(d->watch, b);
	lgd_binding_state(d, b);
}

/* SIGHUP: a new configuration, or the old one if the new one is wrong. */
static void lgd_reload(struct lgd *d)
{
	struct lgd_conf c;
	struct lgd_routes *r;
	bool same_routes;

	if (lgd_conf_read(d, &c)) {
		lgd_err("reload: configuration rejected, the old one stays");
		return;
	}
	lgd_log_init(c.log_level, c.log_syslog);
	same_routes = c.routes == d->conf.routes &&
		      c.route_table == d->conf.route_table &&
		      c.route_metric == d->conf.route_metric &&
		      c.route_protocol == d->conf.route_protocol;
	if (!same_routes) {
		r = lgd_routes_open(&c);
		if (!r) {
			lgd_err("reload: no rtnetlink socket, the old configuration stays");
			return;
		}
		/* Off with the old routes; the sync lays the new ones. */
		if (d->conf.routes) {
			struct lgd_route *v;
			size_t n;

			if (!lgd_routes_dump(d->routes, &v, &n)) {
				lgd_routes_change(d->routes, v, n, false);
				free(v);
			}
		}
		lgd_routes_close(d->routes);
		d->routes = r;
	}
	if (strcmp(c.control_socket, d->conf.control_socket) ||
	    c.has_release_source != d->conf.has_release_source ||
	    memcmp(c.release_source, d->conf.release_source, 16))
		lgd_notice("reload: control-socket and release-source change at the next start");
	if (strcmp(c.store, d->conf.store))
		lgd_notice("reload: store changes at the next start");
	if (c.has_partner != d->conf.has_partner ||
	    (c.has_partner &&
	     !lgd_partner_conf_equal(&c.partner, &d->conf.partner)))
		lgd_notice("reload: the partner settings change at the next start");
	c.has_partner = d->conf.has_partner;
	c.partner = d->conf.partner;
	memcpy(c.control_socket, d->conf.control_socket,
	       sizeof(c.control_socket));
	memcpy(c.store, d->conf.store, sizeof(c.store));
	if (d->ctx.store)
		lgd_store_set_delay(d->ctx.store, c.store_delay * 1000);
	c.has_release_source = d->conf.has_release_source;
	memcpy(c.release_source, d->conf.release_source, 16);
	d->conf = c;
	lgd_info("reloaded %s", d->conf_path);
	/* Triggers, hold times and the kernel's message types may have changed. */
	if (d->up)
		lgd_fetch_types(d);
	/* The proxy's settings are the kernel's: only a fresh look at them. */
	if (d->mcast)
		lgd_mcast_resync(d->mcast);
	lgd_watch_reconfigure(d->watch);
	twalk_r(d->bindings, lgd_rewatch_cb, d);
	if (d->up)
		lgd_decl_apply(d->decl);
	if (!same_routes && d->up)
		lgd_sync(d);
	lgd_release_flush(d->release);
}

static void lgd_epoll(struct lgd *d, int op, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	if (fd >= 0)
		epoll_ctl(d->efd, op, fd, &ev);
}

/* The events socket: the new family's groups. */
static int lgd_events_open(struct lgd *d)
{
	/*
	 * Doubled by the kernel: 64 MiB, about 50,000 notifications (each
	 * charged its skb's truesize, about 1.3 KiB): 3 to 4 s of the
	 * kernel's snooping at its full rate in the QEMU guest, so that a
	 * daemon a few seconds behind (a commit, a burst) is not resynced.
	 */
	int err, fd, rcvbuf = 32 << 20;

	if (d->events.sk) {
		lgd_epoll(d, EPOLL_CTL_DEL, lg_nl_fd(&d->events), 0);
		lg_nl_close(&d->events);
	}
	/* Subscribe before dumping: no change can fall between the two. */
	err = lg_nl_open(&d->events);
	if (!err)
		err = lg_nl_join(&d->events, LEASEGUARD_MCGRP_BINDINGS);
	if (err)
		return err;
	/* Drift of the declared configuration: not fatal without. */
	err = lg_nl_join(&d->events, LEASEGUARD_MCGRP_CONFIG);
	if (err)
		lgd_warn("the family's config group: %s; configuration drift goes unseen",
			 strerror(-err));
	fd = lg_nl_fd(&d->events);
	/* A burst (a link down with 10k subscribers) must not overrun. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	lgd_epoll(d, EPOLL_CTL_ADD, fd, LGD_EP_EVENTS);
	return 0;
}

/*
 * The store's bindings the kernel lost (store_sync.c): after the declared
 * configuration (LG_CMD_BINDING_NEW needs its interface's access role)
 * and before the sync, which then routes what was restored (its routes,
 * kept through the grace, stay untouched). At start and on every return
 * of the family: a new family ID is a new module instance to the store.
 */
static int lgd_restore(struct lgd *d)
{
	int err;

	/* Not from an event's callback: read_events would re-enter. */
	d->ctx.read_events = lgd_ctx_read_events;
	d->restoring = true;
	err = lgd_store_reconcile(&d->ctx);
	d->restoring = false;
	d->ctx.read_events = NULL;
	if (d->events_lost) {
		/* The sync that follows makes the copies and routes whole. */
		d->events_lost = false;
		lgd_warn("binding events lost during the restore: resyncing");
		lgd_store_resync(&d->ctx);
		lgd_failover_resync(d->fo);
	}
	return err;
}

/*
 * An interface appeared (or was renamed): the store's bindings of it that
 * were not restored for want of it (or, made access by hand, of its
 * role). Not while the family is away: its return reconciles the whole
 * store. Called from the link watch or after an events round, not from
 * an event's callback: read_events may read the restore's notifications.
 */
static void lgd_restore_link(struct lgd *d, uint32_t ifindex,
			     const char *name, const char *why)
{
	if (!d->up || !d->ctx.store)
		return;
	d->ctx.read_events = lgd_ctx_read_events;
	lgd_store_restore_link(&d->ctx, ifindex, name, why);
	d->ctx.read_events = NULL;
	if (d->events_lost) {
		d->events_lost = false;
		lgd_warn("binding events lost during a restore: resyncing");
		lgd_sync(d);
		lgd_store_resync(&d->ctx);
		lgd_failover_resync(d->fo);
	}
}

/*
 * The pending bindings of the interfaces the round's events made access.
 * Each costs a query of the store by name (its index): a link event that
 * changes something else on an access interface finds nothing pending.
 */
static void lgd_restore_made_access(struct lgd *d)
{
	char name[IF_NAMESIZE];
	unsigned int i, n = d->n_made_access;

	d->n_made_access = 0;
	for (i = 0; i < n; i++)
		if (if_indextoname(d->made_access[i], name))
			lgd_restore_link(d, d->made_access[i], name,
					 "made access");
}

/* The family is there (at start, or back): follow it again. */
static int lgd_family_up_cb(void *priv)
{
	struct lgd *d = priv;
	int err;

	err = d->req.sk ? lg_nl_resolve(&d->req) : lg_nl_open(&d->req);
	if (!err)
		err = lgd_events_open(d);
	if (err) {
		lgd_err("leaseguard netlink family: %s", strerror(-err));
		d->req.family_id = 0;
		return err;
	}
	d->up = true;
	lgd_notice("leaseguard family %u: subscribed; applying the declared configuration",
		   d->req.family_id);
	lgd_decl_apply(d->decl);
	lgd_restore(d);
	err = lgd_sync(d);
	if (err) {
		d->up = false;
		d->req.family_id = 0;
		return err;
	}
	/* The partner: now that what it sends can be made bindings. */
	if (d->fo && !lgd_failover_link(d->fo, true))
		lgd_epoll(d, EPOLL_CTL_ADD, lgd_failover_fd(d->fo),
			  LGD_EP_PARTNER);
	else if (d->fo) {
		/* Its key: fatal at start, as any wrong setting is. */
		d->up = false;
		d->req.family_id = 0;
		return -EKEYREJECTED;
	}
	/* The IGMP/MLD proxy: not fatal, the module may not have it. */
	if (!d->mcast) {
		d->mcast = lgd_mcast_open(&d->ctx, lgd_active(d));
		if (d->mcast)
			lgd_epoll(d, EPOLL_CTL_ADD, lgd_mcast_fd(d->mcast),
				  LGD_EP_MCAST);
	}
	return 0;
}

static void lgd_collect_cb(const void *node, VISIT which, void *data)
{
	struct lgd_gone *g = data;

	if ((which == postorder || which == leaf) && g->n < g->cap)
		g->v[g->n++] = *(struct lgd_binding *const *)node;
}

/*
 * The copies of the bindings, not their routes (the sync or the grace's
 * end decides those): the module's binding IDs start again at 1 when it
 * comes back, so an old copy would pass for a new binding.
 */
static size_t lgd_forget_all(struct lgd *d)
{
	struct lgd_gone all = { .cap = d->n_bindings };
	size_t i;

	all.v = calloc(all.cap + 1, sizeof(*all.v));
	if (!all.v)
		return 0;
	twalk_r(d->bindings, lgd_collect_cb, &all);
	for (i = 0; i < all.n; i++)
		lgd_binding_free(d, all.v[i]);
	free(all.v);
	return all.n;
}

struct lgd_drain {
	struct lgd *d;
	size_t n;
};

static int lgd_drain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	struct lgd_drain *dr = data;
	uint8_t cmd = lg_nl_cmd(nlh);
	struct lg_binding lb;

	if (cmd != LG_CMD_BINDING_NEW_NTF && cmd != LG_CMD_BINDING_UPD_NTF &&
	    cmd != LG_CMD_BINDING_DEL_NTF)
		return 0;
	if (lg_nl_parse_msg(nlh, tb, LG_A_MAX) || !tb[LG_A_BINDING] ||
	    lg_binding_parse(tb[LG_A_BINDING], &lb)) {
		lgd_warn("a binding event could not be parsed: not in the store");
		return 0;
	}
	lgd_store_event(&dr->d->ctx, cmd, tb[LG_A_BINDING], &lb);
	lg_binding_free(&lb);
	dr->n++;
	return 0;
}

/*
 * The binding notifications the module sent before it went wait on the
 * events socket: its groups went with the family, not what they had
 * delivered. Into the store, committed, so that the family's return (or
 * a reboot) restores them; not into the copies, which go next, and no
 * request goes to the dead ID.
 */
static void lgd_drain_to_store(struct lgd *d)
{
	struct lgd_drain dr = { .d = d };
	bool lost = false;
	int err;

	if (!d->ctx.store || !d->events.sk)
		return;
	for (;;) {
		err = lg_nl_read_events(&d->events, lgd_drain_cb, &dr);
		if (!err)
			continue;
		if (err != -ENOBUFS || lost)
			break;
		lost = true;
	}
	if (err != -EAGAIN && err != -EINTR)
		lgd_err("family gone: reading its last binding events: %s",
			strerror(-err));
	if (lost)
		lgd_warn("family gone: binding events were lost before it went: the store may miss some");
	lgd_store_flush(d->ctx.store);
	if (dr.n)
		lgd_info("family gone: %zu binding events read into the store before letting it go",
			 dr.n);
}

static void lgd_family_down_cb(void *priv)
{
	struct lgd *d = priv;

	lgd_drain_to_store(d);
	d->up = false;
	d->req.family_id = 0;
	if (d->events.sk) {
		lgd_epoll(d, EPOLL_CTL_DEL, lg_nl_fd(&d->events), 0);
		lg_nl_close(&d->events);
	}
	/* Its groups and routing state went with the module. */
	if (d->mcast) {
		lgd_epoll(d, EPOLL_CTL_DEL, lgd_mcast_fd(d->mcast), 0);
		lgd_mcast_close(d->mcast);
		d->mcast = NULL;
	}
	lgd_decl_gone(d->decl);
	if (d->fo) {
		lgd_epoll(d, EPOLL_CTL_DEL, lgd_failover_fd(d->fo), 0);
		lgd_failover_link(d->fo, false);
	}
	lgd_routes_flush_dead(d);
	/*
	 * No DEL notification comes for them: the store keeps its rows, and
	 * restores them when the family is back (a new instance to it).
	 */
	lgd_info("%zu bindings went with the family; their routes stay for now%s",
		 lgd_forget_all(d), d->ctx.store ? ", the store keeps them" : "");
}

/* The grace is over: our routes go. */
static void lgd_family_expired_cb(void *priv)
{
	struct lgd *d = priv;
	struct lgd_route *v;
	size_t n;

	lgd_forget_all(d);
	d->n_dead = 0;
	if (!d->conf.routes || lgd_routes_dump(d->routes, &v, &n))
		return;
	lgd_routes_change(d->routes, v, n, false);
	free(v);
	lgd_warn("family-grace over: %zu routes of ours removed", n);
}

static const struct lgd_family_ops lgd_family_ops = {
	.up = lgd_family_up_cb,
	.down = lgd_family_down_cb,
	.expired = lgd_family_expired_cb,
};

static void lgd_status(void *priv, FILE *f)
{
	struct lgd *d = priv;

	lgd_family_show(d->family, f);
	lgd_decl_show(d->decl, f);
}

static void lgd_usage(FILE *f)
{
	fprintf(f,
		"Usage: leaseguardd [ -c FILE ] [ -o KEY=VALUE ]... [ -t ]\n"
		"  -c FILE       configuration (default " LGD_CONF_DEFAULT ")\n"
		"  -o KEY=VALUE  a setting of the file, overriding it\n"
		"  -t            check the configuration and exit\n"
		"  -V            print the version\n"
		"Signals: HUP reloads the configuration, TERM and INT stop.\n");
}

int main(int argc, char **argv)
{
	struct lgd d = { .conf_path = LGD_CONF_DEFAULT };
	struct epoll_event evs[8];
	struct signalfd_siginfo si = {};
	bool check_only = false;
	int opt, efd, sfd, err, i, reads;
	sigset_t sigs;

	lgd_log_init(LOG_INFO, false);
	d.overrides = calloc(argc, sizeof(*d.overrides));
	while ((opt = getopt(argc, argv, "c:o:tVh")) != -1) {
		switch (opt) {
		case 'c':
			d.conf_path = optarg;
			d.conf_must_exist = true;
			break;
		case 'o':
			d.overrides[d.n_overrides++] = optarg;
			break;
		case 't':
			check_only = true;
			break;
		case 'V':
			printf("leaseguardd %s\n", LGD_VERSION);
			return 0;
		case 'h':
			lgd_usage(stdout);
			return 0;
		default:
			lgd_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		lgd_err("unexpected argument \"%s\"", argv[optind]);
		return 2;
	}
	if (lgd_conf_read(&d, &d.conf))
		return 1;
	if (check_only) {
		/* The Relay-Id too: the server's trust list needs it. */
		char id[3 * sizeof(d.conf.relay_id)];

		printf("%s: configuration ok; relay-id %s\n", d.conf_path,
		       lg_hex_format(d.conf.relay_id, d.conf.relay_id_len, id));
		return 0;
	}
	lgd_log_init(d.conf.log_level, d.conf.log_syslog);
	d.ctx = (struct lgd_ctx){
		.conf = &d.conf,
		.nl = &d.req,
		.priv = &d,
		.binding_find = lgd_ctx_find,
		.ifname = lgd_ctx_ifname,
		.binding_batch = lgd_ctx_batch,
		.anchor_verdict = lgd_anchor_verdict,
		.link_new = lgd_ctx_link_new,
		.binding_by_key = lgd_ctx_by_key,
		.binding_learn = lgd_ctx_learn,
		.role_changed = lgd_ctx_role_changed,
	};

	d.routes = lgd_routes_open(&d.conf);
	d.release = d.routes ? lgd_release_open(&d.ctx) : NULL;
	d.watch = d.release ? lgd_watch_open(&d.ctx) : NULL;
	d.control = d.watch ? lgd_control_open(d.conf.control_socket) : NULL;
	d.decl = d.control ? lgd_decl_open(&d.ctx) : NULL;
	/* Before the family is looked up: no change falls in between. */
	d.family = d.decl ? lgd_family_open(&d.conf, &lgd_family_ops, &d) :
		   NULL;
	if (!d.family)
		return 1;
	lgd_control_on_status(d.control, lgd_status, &d);
	/* Recovery by LEASEQUERY: not fatal, nothing else needs it. */
	d.recover = lgd_recover_open(&d.ctx);
	lgd_control_recover(d.control, d.recover);
	/*
	 * The partner: fatal when configured and it cannot start (its key),
	 * as a router that believes itself paired and is not would surprise.
	 */
	if (d.conf.has_partner) {
		d.fo = lgd_failover_open(&d.ctx);
		if (!d.fo)
			return 1;
		lgd_control_on_partner(d.control, lgd_failover_show, d.fo);
		lgd_control_on_role(d.control, lgd_role_cb, &d);
	}
	/* Not fatal: a store that cannot be written is retried and counted. */
	if (d.conf.store[0]) {
		d.ctx.store = lgd_store_open(d.conf.store,
					     d.conf.store_delay * 1000);
		if (!d.ctx.store)
			return 1;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	d.efd = efd = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || efd < 0) {
		lgd_err("signalfd/epoll: %s", strerror(errno));
		return 1;
	}
	lgd_epoll(&d, EPOLL_CTL_ADD, sfd, LGD_EP_SIGNAL);
	lgd_epoll(&d, EPOLL_CTL_ADD, lgd_release_fd(d.release), LGD_EP_RELEASE);
	lgd_epoll(&d, EPOLL_CTL_ADD, lgd_watch_fd(d.watch), LGD_EP_WATCH);
	lgd_epoll(&d, EPOLL_CTL_ADD, lgd_control_fd(d.control), LGD_EP_CONTROL);
	lgd_epoll(&d, EPOLL_CTL_ADD, lgd_family_fd(d.family), LGD_EP_FAMILY);
	if (d.recover)
		lgd_epoll(&d, EPOLL_CTL_ADD, lgd_recover_fd(d.recover),
			  LGD_EP_RECOVER);
	/* The store's writer thread says a batch is written. */
	if (d.ctx.store)
		lgd_epoll(&d, EPOLL_CTL_ADD, lgd_store_fd(d.ctx.store),
			  LGD_EP_STORE);

	lgd_notice("leaseguardd %s starting: routes %s, table %u, metric %u, protocol %u",
		   LGD_VERSION, d.conf.routes ? "on" : "off",
		   d.conf.route_table, d.conf.route_metric,
		   d.conf.route_protocol);
	/* Up now (a failure there is fatal at start), or waits for it. */
	if (lgd_family_start(d.family))
		return 1;

	for (;;) {
		int n = epoll_wait(efd, evs, 8, lgd_timers_run());

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lgd_err("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case LGD_EP_SIGNAL:
				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					break;
				if (si.ssi_signo == SIGHUP) {
					lgd_reload(&d);
					break;
				}
				goto stop;
			case LGD_EP_EVENTS:
				if (!d.up)
					break;
				/* A slice, then the releases of the round. */
				reads = 0;
				do {
					err = lg_nl_read_events(&d.events,
								lgd_on_event, &d);
				} while (!err &&
					 ++reads < LGD_EVENT_READS_PER_TURN);
				lgd_routes_flush_dead(&d);
				lgd_restore_made_access(&d);
				if (err == -ENOBUFS || err == -EBADMSG) {
					lgd_warn("binding events lost: resyncing");
					lgd_sync(&d);
					lgd_store_resync(&d.ctx);
					lgd_failover_resync(d.fo);
					/* Config events too: a fresh look. */
					lgd_decl_apply(d.decl);
				} else if (err && err != -EAGAIN && err != -EINTR) {
					lgd_err("reading events: %s",
						strerror(-err));
					return 1;
				}
				break;
			case LGD_EP_RELEASE:
				lgd_release_input(d.release);
				break;
			case LGD_EP_WATCH:
				lgd_watch_input(d.watch);
				break;
			case LGD_EP_CONTROL:
				lgd_control_input(d.control, d.release, d.mcast,
						  d.ctx.store);
				break;
			case LGD_EP_MCAST:
				if (d.mcast)
					lgd_mcast_input(d.mcast);
				break;
			case LGD_EP_FAMILY:
				lgd_family_input(d.family);
				break;
			case LGD_EP_RECOVER:
				lgd_recover_input(d.recover);
				break;
			case LGD_EP_STORE:
				lgd_store_input(d.ctx.store);
				break;
			case LGD_EP_PARTNER:
				lgd_failover_input(d.fo);
				break;
			}
		}
		lgd_release_flush(d.release);
	}

stop:
	/* Routes and managed neighbors stay: the next start takes them over. */
	lgd_notice("stopping on signal %u; %zu bindings' routes stay (%zu releases unanswered)",
		   si.ssi_signo, d.n_bindings, lgd_release_pending(d.release));
	lgd_failover_close(d.fo);
	lgd_mcast_close(d.mcast);
	lgd_recover_close(d.recover);
	lgd_family_close(d.family);
	lgd_decl_close(d.decl);
	lgd_store_close(d.ctx.store);
	lgd_control_close(d.control);
	lgd_release_close(d.release);
	lgd_watch_close(d.watch);
	tdestroy(d.bindings, lgd_binding_destroy);
	tdestroy(d.clients, free);
	lgd_routes_flush_dead(&d);
	free(d.dead);
	lgd_routes_close(d.routes);
	if (d.events.sk)
		lg_nl_close(&d.events);
	if (d.req.sk)
		lg_nl_close(&d.req);
	free(d.overrides);
	return 0;
}
