// SPDX-License-Identifier: GPL-2.0
/*
 * The relay-initiated release (draft-gandhewar-dhc-v6-relay-initiated-
 * release-01): bindings the kernel marks releasing are queued; at the end
 * of each round of events the queue goes out as RELEASE-REQUESTs, one
 * per server and path MTU, retransmitted per RFC 8415 section 15; a
 * RELEASE-REQUEST-REPLY deletes the bindings the server let go (Success,
 * NoBinding) and puts the others back to bound.
 *
 * Requests leave from UDP port 547 (draft 3.1: the client/server format,
 * sent by a relay) and replies come back to it. A relay daemon on this
 * router (dhcrelay) owns that port, so the exchange goes through a raw
 * IPv6 socket for UDP instead: it sends with port 547 without binding it,
 * and gets a copy of each reply (a socket filter keeps only those) while
 * the kernel delivers the original to whoever owns the port, as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <search.h>
#include <sys/socket.h>
#include <linux/filter.h>

#include "dhcp6_release.h"
#include "binding.h"
#include "lgd.h"

#define DHCP6_SERVER_PORT	547

/* RFC 8415 section 7.6, as the draft sets them for RELEASE-REQUEST. */
#define REL_TIMEOUT_MS		1000	/* IRT */
#define REL_MAX_RC		4	/* MRC; MRT and MRD are 0 */

#define LGD_MSG_MAX		65535
#define LGD_REPLY_CLIENTS	4096	/* Client Data parsed per reply */

/* One binding in a request, and the Client Data it went into. */
struct lgd_req_item {
	uint64_t id;
	struct lgd_binding *b;		/* NULL once forgotten */
};

struct lgd_req {
	struct lgd_timer timer;		/* first: container of the timer */
	struct lgd_release *r;
	struct lgd_req *next, **pprev;	/* outstanding requests */
	uint32_t xid;
	uint8_t dst[16];		/* the server it goes to now */
	uint8_t server_duid_len;
	uint8_t server_duid[LGD_DUID_MAX];
	unsigned int attempts;		/* to dst */
	unsigned int sent;		/* to every server */
	uint32_t rt;			/* the current RT, ms */
	uint64_t started;
	/*
	 * release-fallback, as the bindings' interface had it: when dst
	 * does not answer, the request moves to the next server of the
	 * list (but the lease's own, first), with a new xid and a new
	 * schedule, and the server's DUID if the list gives it.
	 * alternate: dst is one of those, not the lease's server.
	 */
	bool alternate;
	uint8_t first[16];		/* the lease's server, if known */
	bool has_first;
	uint8_t n_fallback, next_fallback;
	uint8_t fallback[LGD_RELEASE_FALLBACK_MAX][16];
	uint8_t fallback_duid_len[LGD_RELEASE_FALLBACK_MAX];
	uint8_t fallback_duid[LGD_RELEASE_FALLBACK_MAX][LGD_DUID_MAX];
	uint8_t lease_duid_len;		/* the lease's server's */
	uint8_t lease_duid[LGD_DUID_MAX];
	size_t len;
	uint8_t *pkt;			/* UDP header and message */
	size_t n_items, n_live;
	struct lgd_req_item *items;
};

/*
 * How a binding's release ended, kept a while for "lgctl binding release"
 * (wait): the status is in the server's reply, which only we see.
 */
enum lgd_outcome_kind {
	LGD_OUT_RELEASED,		/* Success or NoBinding: deleted */
	LGD_OUT_REFUSED,		/* another status: bound again */
	LGD_OUT_TIMED_OUT,		/* no reply after REL_MAX_RC */
	LGD_OUT_NO_SERVER,		/* not sent: no server known */
	LGD_OUT_TOO_BIG,		/* not sent: does not fit a message */
	LGD_OUT_CANCELLED,		/* bound again before a reply */
	LGD_OUT_DELETED,		/* deleted (expiry...) before a reply */
};

struct lgd_outcome {
	uint64_t id;
	uint64_t at;			/* lgd_now_ms() when it ended */
	uint64_t ms;			/* from the first transmission */
	uint32_t xid;
	uint16_t status;
	uint8_t kind;			/* enum lgd_outcome_kind */
	uint8_t attempts;
	bool cleared;			/* timed out, deleted here anyway */
	bool has_server;
	uint8_t server[16];
};

/* The last outcomes: a ring that grows up to this, indexed by ID. */
#define LGD_OUTCOMES_MIN	256
#define LGD_OUTCOMES_MAX	65536

struct lgd_release {
	const struct lgd_ctx *x;
	int fd;
	uint8_t request_type, reply_type;
	struct lgd_req *reqs;
	size_t n_reqs;
	uint64_t *queue;		/* binding IDs */
	size_t n_queue, cap_queue;
	struct dr_client *clients;	/* scratch: building and parsing */
	uint8_t *buf;
	struct lgd_release_stats stats;
	struct lgd_outcome *outs;	/* ring: the oldest at out_head */
	size_t n_outs, cap_outs, out_head;
	void *out_index;		/* tsearch() of ring pointers, by id */
};

static int lgd_outcome_cmp(const void *a, const void *b)
{
	const struct lgd_outcome *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void lgd_outcome_unindex(struct lgd_release *r, struct lgd_outcome *o)
{
	struct lgd_outcome **slot = tfind(o, &r->out_index, lgd_outcome_cmp);

	/* only if the index has this one, not a later outcome of the ID */
	if (slot && *slot == o)
		tdelete(o, &r->out_index, lgd_outcome_cmp);
}

static void lgd_outcome_index(struct lgd_release *r, struct lgd_outcome *o)
{
	struct lgd_outcome **slot = tsearch(o, &r->out_index, lgd_outcome_cmp);

	if (slot)
		*slot = o;	/* the latest outcome of an ID wins */
}

static void lgd_outcome_nofree(void *p)
{
	(void)p;
}

/* Room for one more: grows the ring (oldest first), or drops the oldest. */
static struct lgd_outcome *lgd_outcome_slot(struct lgd_release *r)
{
	struct lgd_outcome *o;
	size_t i, cap;

	if (r->n_outs == r->cap_outs && r->cap_outs < LGD_OUTCOMES_MAX) {
		cap = r->cap_outs ? 2 * r->cap_outs : LGD_OUTCOMES_MIN;
		o = malloc(cap * sizeof(*o));
		if (o) {
			for (i = 0; i < r->n_outs; i++)
				o[i] = r->outs[(r->out_head + i) % r->cap_outs];
			tdestroy(r->out_index, lgd_outcome_nofree);
			r->out_index = NULL;
			free(r->outs);
			r->outs = o;
			r->cap_outs = cap;
			r->out_head = 0;
			for (i = 0; i < r->n_outs; i++)
				lgd_outcome_index(r, &r->outs[i]);
		}
	}
	if (!r->cap_outs)
		return NULL;
	if (r->n_outs == r->cap_outs) {
		o = &r->outs[r->out_head];
		lgd_outcome_unindex(r, o);
		r->out_head = (r->out_head + 1) % r->cap_outs;
		r->n_outs--;
	}
	o = &r->outs[(r->out_head + r->n_outs++) % r->cap_outs];
	memset(o, 0, sizeof(*o));
	return o;
}

/* Keeps how binding id's release ended; q: the request it was in. */
static void lgd_outcome_add(struct lgd_release *r, uint64_t id,
			    enum lgd_outcome_kind kind, const struct lgd_req *q,
			    uint16_t status, bool cleared)
{
	struct lgd_outcome *o = lgd_outcome_slot(r);

	if (!o)
		return;
	o->id = id;
	o->at = lgd_now_ms();
	o->kind = kind;
	o->status = status;
	o->cleared = cleared;
	if (q) {
		o->ms = o->at - q->started;
		o->xid = q->xid;
		o->attempts = q->sent;
		o->has_server = true;
		memcpy(o->server, q->dst, 16);
	}
	lgd_outcome_index(r, o);
}

static void lgd_req_fire(struct lgd_timer *t);

/* A socket filter: UDP to port 547 whose first payload octet is the type. */
static int lgd_release_filter(struct lgd_release *r)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP6_SERVER_PORT, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 8),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, r->reply_type, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(*code), code };

	return setsockopt(r->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

struct lgd_release *lgd_release_open(const struct lgd_ctx *x)
{
	const struct lgd_conf *c = x->conf;
	struct lgd_release *r = calloc(1, sizeof(*r));
	int offset = 6, rcvbuf = 4 << 20;
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };

	if (!r)
		return NULL;
	r->x = x;
	r->request_type = LG_RELEASE_REQUEST_TYPE_DEFAULT;
	r->reply_type = LG_RELEASE_REPLY_TYPE_DEFAULT;
	r->clients = calloc(LGD_REPLY_CLIENTS, sizeof(*r->clients));
	r->buf = malloc(LGD_MSG_MAX + 8);
	r->fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       IPPROTO_UDP);
	if (!r->clients || !r->buf || r->fd < 0) {
		lgd_err("release socket: %s", strerror(errno));
		goto err;
	}
	/* The kernel sums UDP checksums out, and checks them in. */
	if (setsockopt(r->fd, IPPROTO_IPV6, IPV6_CHECKSUM, &offset,
		       sizeof(offset)) ||
	    lgd_release_filter(r)) {
		lgd_err("release socket: %s", strerror(errno));
		goto err;
	}
	if (setsockopt(r->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (c->has_release_source) {
		memcpy(&src.sin6_addr, c->release_source, 16);
		if (bind(r->fd, (struct sockaddr *)&src, sizeof(src))) {
			char a[INET6_ADDRSTRLEN];

			lgd_err("release-source %s: %s",
				inet_ntop(AF_INET6, c->release_source, a,
					  sizeof(a)), strerror(errno));
			goto err;
		}
	}
	return r;

err:
	lgd_release_close(r);
	return NULL;
}

static void lgd_req_free(struct lgd_req *q)
{
	size_t i;

	for (i = 0; i < q->n_items; i++)
		if (q->items[i].b)
			q->items[i].b->req = NULL;
	lgd_timer_stop(&q->timer);
	*q->pprev = q->next;
	if (q->next)
		q->next->pprev = q->pprev;
	q->r->n_reqs--;
	free(q->items);
	free(q->pkt);
	free(q);
}

void lgd_release_close(struct lgd_release *r)
{
	if (!r)
		return;
	while (r->reqs)
		lgd_req_free(r->reqs);
	if (r->fd >= 0)
		close(r->fd);
	free(r->queue);
	free(r->clients);
	free(r->buf);
	tdestroy(r->out_index, lgd_outcome_nofree);
	free(r->outs);
	free(r);
}

size_t lgd_release_pending(const struct lgd_release *r)
{
	return r->n_reqs;
}

int lgd_release_fd(const struct lgd_release *r)
{
	return r->fd;
}

void lgd_release_ids(const struct lgd_ctx *x, const uint64_t *ids, size_t n,
		     uint32_t reason)
{
	size_t failed = 0;
	int err;

	if (!n)
		return;
	err = x->binding_batch(x->priv, LG_CMD_BINDING_RELEASE, ids, n, reason,
			       false, &failed);
	if (err)
		lgd_err("releasing %zu bindings (%s): %s", n,
			lgd_trigger_name(reason), strerror(-err));
}

void lgd_release_types(struct lgd_release *r, uint8_t request, uint8_t reply)
{
	if (r->request_type == request && r->reply_type == reply)
		return;
	r->request_type = request;
	r->reply_type = reply;
	if (lgd_release_filter(r))
		lgd_err("release socket filter: %s", strerror(errno));
}

void lgd_release_queue(struct lgd_release *r, struct lgd_binding *b)
{
	uint64_t *q;

	if (b->queued || b->req)
		return;
	if (r->n_queue == r->cap_queue) {
		size_t cap = r->cap_queue ? 2 * r->cap_queue : 256;

		q = realloc(r->queue, cap * sizeof(*q));
		if (!q) {
			lgd_err("release queue: out of memory");
			return;
		}
		r->queue = q;
		r->cap_queue = cap;
	}
	r->queue[r->n_queue++] = b->id;
	b->queued = true;
}

void lgd_release_forget(struct lgd_release *r, struct lgd_binding *b)
{
	struct lgd_req *q = b->req;
	size_t i;

	/*
	 * Still releasing: it is being deleted (expired, released by the
	 * client, deleted by hand); else someone made it bound again.
	 */
	if (q || b->queued)
		lgd_outcome_add(r, b->id,
				b->state == LG_BINDING_RELEASING ?
				LGD_OUT_DELETED : LGD_OUT_CANCELLED, q, 0,
				false);
	b->queued = false;	/* the flush skips its ID */
	if (!q)
		return;
	b->req = NULL;
	for (i = 0; i < q->n_items; i++)
		if (q->items[i].b == b)
			q->items[i].b = NULL;
	if (!--q->n_live)
		lgd_req_free(q);
}

/* RAND of RFC 8415 section 15: uniform in -0.1..0.1, here in per mille. */
static int lgd_rand_permille(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = random();
	return (int)(v % 201) - 100;
}

/* The first RT of an exchange: IRT + RAND IRT. */
static uint32_t lgd_first_rt(void)
{
	return REL_TIMEOUT_MS + REL_TIMEOUT_MS * lgd_rand_permille() / 1000;
}

static uint32_t lgd_new_xid(struct lgd_release *r)
{
	struct lgd_req *q;
	uint32_t xid;

again:
	if (getrandom(&xid, sizeof(xid), 0) != sizeof(xid))
		xid = random();
	xid &= 0xffffff;
	for (q = r->reqs; q; q = q->next)
		if (q->xid == xid)
			goto again;
	return xid;
}

static const char *lgd_addr_str(const uint8_t *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static void lgd_req_send(struct lgd_req *q)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	char a[INET6_ADDRSTRLEN];

	memcpy(&dst.sin6_addr, q->dst, 16);
	if (sendto(q->r->fd, q->pkt, q->len, 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0)
		lgd_warn("RELEASE-REQUEST xid %06x to %s: %s", q->xid,
			 lgd_addr_str(q->dst, a), strerror(errno));
	else
		lgd_debug("RELEASE-REQUEST xid %06x to %s: %zu bindings, attempt %u, next in %u ms",
			  q->xid, lgd_addr_str(q->dst, a), q->n_live,
			  q->attempts + 1, q->rt);
	q->attempts++;
	q->sent++;
	lgd_timer_arm(&q->timer, lgd_now_ms() + q->rt);
}

/* The path MTU towards dst, as the kernel knows it; 1280 at least. */
static size_t lgd_path_mtu(const uint8_t *dst)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(DHCP6_SERVER_PORT) };
	socklen_t len = sizeof(int);
	int fd, mtu = 1280;

	memcpy(&sa.sin6_addr, dst, 16);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return mtu;
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &len);
	close(fd);
	return mtu < 1280 ? 1280 : mtu > LGD_MSG_MAX ? LGD_MSG_MAX : mtu;
}

struct lgd_out {
	uint8_t dst[16];
	bool alternate;			/* dst: the fallback's first */
	const struct lgd_if_conf *ic;	/* its release-fallback */
	struct lgd_binding *b;
};

/*
 * The destination of b's release: configured, or learned; else the first
 * server of release-fallback. False: none, or no server DUID to put in
 * the Server Identifier (draft 4.1.1: MUST).
 */
static bool lgd_release_dst(struct lgd_release *r, struct lgd_binding *b,
			    struct lgd_out *out)
{
	const struct lgd_if_conf *ic = lgd_binding_if(r->x, b);

	out->b = b;
	out->ic = ic;
	out->alternate = false;
	if (ic->has_server) {
		memcpy(out->dst, ic->server, 16);
	} else if (b->has_server_addr) {
		memcpy(out->dst, b->server_addr, 16);
	} else if (ic->n_fallback) {
		memcpy(out->dst, ic->fallback[0], 16);
		out->alternate = true;
	} else {
		return false;
	}
	return b->server_duid_len >= DR_DUID_MIN;
}

static int lgd_bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
			 size_t blen)
{
	/* An absent Interface-Id is NULL: memcmp() may not see it. */
	int c = alen && blen ? memcmp(a, b, alen < blen ? alen : blen) : 0;

	return c ? c : (alen > blen) - (alen < blen);
}

/* The same release-fallback list, and the same place in it. */
static int lgd_fallback_cmp(const struct lgd_out *p, const struct lgd_out *q)
{
	const struct lgd_if_conf *a = p->ic, *b = q->ic;
	int c = (p->alternate > q->alternate) - (p->alternate < q->alternate);
	unsigned int i;

	if (!c)
		c = lgd_bytes_cmp(a->fallback[0], a->n_fallback * 16,
				  b->fallback[0], b->n_fallback * 16);
	for (i = 0; !c && i < a->n_fallback; i++)
		c = lgd_bytes_cmp(a->fallback_duid[i], a->fallback_duid_len[i],
				  b->fallback_duid[i], b->fallback_duid_len[i]);
	return c;
}

/*
 * Same server (and fallback), then same Interface-Id, then same client
 * (interface, DUID).
 */
static int lgd_out_cmp(const void *x, const void *y)
{
	const struct lgd_out *p = x, *q = y;
	const struct lgd_binding *a = p->b, *b = q->b;
	int c;

	c = memcmp(p->dst, q->dst, 16);
	if (!c)
		c = lgd_bytes_cmp(a->server_duid, a->server_duid_len,
				  b->server_duid, b->server_duid_len);
	if (!c)
		c = lgd_fallback_cmp(p, q);
	if (!c)
		c = lgd_bytes_cmp(a->ifid, a->ifid_len, b->ifid, b->ifid_len);
	if (!c)
		c = (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex);
	if (!c)
		c = lgd_bytes_cmp(a->client->duid, a->client->duid_len,
				  b->client->duid, b->client->duid_len);
	if (!c)
		c = (a->id > b->id) - (a->id < b->id);
	return c;
}

static bool lgd_same_server(const struct lgd_out *p, const struct lgd_out *q)
{
	return !memcmp(p->dst, q->dst, 16) &&
	       !lgd_bytes_cmp(p->b->server_duid, p->b->server_duid_len,
			      q->b->server_duid, q->b->server_duid_len) &&
	       !lgd_fallback_cmp(p, q);
}

static bool lgd_same_client(const struct lgd_binding *a,
			    const struct lgd_binding *b)
{
	return a->ifindex == b->ifindex && a->client == b->client &&
	       !lgd_bytes_cmp(a->ifid, a->ifid_len, b->ifid, b->ifid_len);
}

static void lgd_ia_of(const struct lgd_binding *b, struct dr_ia *ia)
{
	size_t i;

	memset(ia, 0, sizeof(*ia));
	ia->type = b->ia_type == LG_IA_PD ? DR_OPT_IA_PD : DR_OPT_IA_NA;
	ia->iaid = b->iaid;
	for (i = 0; i < b->n_leases && i < DR_MAX_IA_LEASES; i++) {
		memcpy(ia->leases[i].addr, b->leases[i].addr, 16);
		ia->leases[i].plen = b->leases[i].plen;
	}
	ia->n_leases = i;
}

/* Makes a request of out[0..n), already encoded in r->buf, and sends it. */
static void lgd_req_start(struct lgd_release *r, const struct dr_msg *m,
			  struct lgd_out *out, size_t n, size_t len)
{
	struct lgd_req *q = calloc(1, sizeof(*q));
	size_t j;

	if (q) {
		q->items = calloc(n, sizeof(*q->items));
		q->pkt = malloc(len + 8);
	}
	if (!q || !q->items || !q->pkt) {
		lgd_err("release: out of memory");
		if (q) {
			free(q->items);
			free(q->pkt);
			free(q);
		}
		return;
	}
	q->r = r;
	q->timer.fire = lgd_req_fire;
	q->xid = lgd_new_xid(r);
	r->buf[8 + 1] = q->xid >> 16;
	r->buf[8 + 2] = q->xid >> 8;
	r->buf[8 + 3] = q->xid;
	/* UDP: 547 to 547; the kernel fills in the checksum. */
	r->buf[0] = r->buf[2] = DHCP6_SERVER_PORT >> 8;
	r->buf[1] = r->buf[3] = DHCP6_SERVER_PORT & 0xff;
	r->buf[4] = (len + 8) >> 8;
	r->buf[5] = (len + 8) & 0xff;
	r->buf[6] = r->buf[7] = 0;
	q->len = len + 8;
	memcpy(q->pkt, r->buf, q->len);
	memcpy(q->dst, out[0].dst, 16);
	q->alternate = out[0].alternate;
	q->has_first = !q->alternate;
	memcpy(q->first, out[0].dst, 16);
	q->n_fallback = out[0].ic->n_fallback;
	memcpy(q->fallback, out[0].ic->fallback, q->n_fallback * 16);
	memcpy(q->fallback_duid_len, out[0].ic->fallback_duid_len,
	       q->n_fallback);
	memcpy(q->fallback_duid, out[0].ic->fallback_duid,
	       q->n_fallback * LGD_DUID_MAX);
	/* Without the lease's server, dst is the first of the list. */
	q->next_fallback = q->alternate;
	q->server_duid_len = m->server_id.len;
	memcpy(q->server_duid, m->server_id.data, m->server_id.len);
	q->lease_duid_len = out[0].b->server_duid_len;
	memcpy(q->lease_duid, out[0].b->server_duid, q->lease_duid_len);
	for (j = 0; j < n; j++) {
		q->items[j].id = out[j].b->id;
		q->items[j].b = out[j].b;
		out[j].b->req = q;
	}
	q->n_items = q->n_live = n;
	q->started = lgd_now_ms();
	q->rt = lgd_first_rt();
	q->next = r->reqs;
	q->pprev = &r->reqs;
	if (r->reqs)
		r->reqs->pprev = &q->next;
	r->reqs = q;
	r->n_reqs++;
	r->stats.requests++;
	r->stats.alternate += q->alternate;
	lgd_req_send(q);
}

static void lgd_release_end(struct lgd_release *r, const uint64_t *ids,
			    size_t n, bool del);

/*
 * One server's bindings out[0..n), sorted, into as few requests as the
 * path MTU allows. Each client (interface and DUID) gets one Client Data
 * with an IA per binding; the Interface-Id goes at the top when every
 * client of the message shares it, else into each Client Data. Clients
 * are encoded LGD_REPLY_CLIENTS at a time (the scratch array).
 */
static void lgd_release_send_group(struct lgd_release *r,
				   struct lgd_out *out, size_t n)
{
	const struct lgd_conf *c = r->x->conf;
	const struct lgd_if_conf *ic = out[0].ic;
	size_t cap = lgd_path_mtu(out[0].dst) - 48;
	size_t *first = calloc(LGD_REPLY_CLIENTS + 1, sizeof(*first));
	struct dr_client *cl = r->clients;
	struct dr_msg m = {
		.type = r->request_type,
		.server_id = { out[0].b->server_duid, out[0].b->server_duid_len },
		.relay_id = { c->relay_id, c->relay_id_len },
	};
	size_t i = 0, j, nc, shared, len;

	if (!first) {
		lgd_err("release: out of memory");
		return;
	}
	/* To the list's first server (no other known): its DUID, if given. */
	if (out[0].alternate && ic->fallback_duid_len[0]) {
		m.server_id.data = ic->fallback_duid[0];
		m.server_id.len = ic->fallback_duid_len[0];
	}
	while (i < n) {
		/* first[k]: the index in out of client k's first binding. */
		for (nc = 0; i < n; i++) {
			struct lgd_binding *b = out[i].b;

			if (!nc || !lgd_same_client(out[first[nc - 1]].b, b) ||
			    cl[nc - 1].n_ias == DR_MAX_CLIENT_IAS) {
				if (nc == LGD_REPLY_CLIENTS)
					break;
				memset(&cl[nc], 0, sizeof(cl[nc]));
				cl[nc].duid.data = b->client->duid;
				cl[nc].duid.len = b->client->duid_len;
				cl[nc].ifid.data = b->ifid;
				cl[nc].ifid.len = b->ifid_len;
				first[nc++] = i;
			}
			lgd_ia_of(b, &cl[nc - 1].ias[cl[nc - 1].n_ias++]);
		}
		first[nc] = i;

		for (j = 0; j < nc; j += m.n_clients) {
			m.clients = cl + j;
			m.n_clients = nc - j;
			m.ifid = cl[j].ifid;
			/* No message holds more clients than cap / 11 octets. */
			for (shared = 1; shared < m.n_clients &&
			     shared <= cap / 11; shared++)
				if (lgd_bytes_cmp(cl[j + shared].ifid.data,
						  cl[j + shared].ifid.len,
						  m.ifid.data, m.ifid.len))
					break;
			m.n_clients = dr_fit(&m, cap);
			if (m.n_clients > shared) {
				m.ifid.len = 0;
				m.n_clients = nc - j;
				m.n_clients = dr_fit(&m, cap);
			}
			if (!m.n_clients) {
				uint64_t ids[DR_MAX_CLIENT_IAS];
				size_t k;

				lgd_err("release: a client does not fit in a message of %zu octets; it stays",
					cap);
				for (k = first[j]; k < first[j + 1]; k++) {
					ids[k - first[j]] = out[k].b->id;
					lgd_outcome_add(r, out[k].b->id,
							LGD_OUT_TOO_BIG, NULL,
							0, false);
				}
				r->stats.unsendable += k - first[j];
				lgd_release_end(r, ids, k - first[j], false);
				m.n_clients = 1;
				continue;
			}
			len = dr_build(&m, r->buf + 8, cap);
			if (!len) {
				lgd_err("release: cannot encode a request");
				continue;
			}
			lgd_req_start(r, &m, out + first[j],
				      first[j + m.n_clients] - first[j], len);
		}
	}
	free(first);
}

void lgd_release_flush(struct lgd_release *r)
{
	struct lgd_out *out;
	size_t i, n = 0, start;
	uint64_t *cancel;
	size_t n_cancel = 0;

	if (!r->n_queue)
		return;
	out = calloc(r->n_queue, sizeof(*out));
	cancel = calloc(r->n_queue, sizeof(*cancel));
	if (!out || !cancel) {
		lgd_err("release: out of memory");
		free(out);
		free(cancel);
		return;
	}
	for (i = 0; i < r->n_queue; i++) {
		struct lgd_binding *b = lgd_binding_find(r->x, r->queue[i]);
		char ifn[IF_NAMESIZE], a[LG_DUID_MAX * 3];

		if (!b || !b->queued)
			continue;	/* gone, or bound again */
		b->queued = false;
		if (b->state != LG_BINDING_RELEASING || b->req)
			continue;
		if (!lgd_release_dst(r, b, &out[n])) {
			lgd_warn("binding %llu (%s on %s): no server known to send the release to; it stays",
				 (unsigned long long)b->id,
				 lg_hex_format(b->client->duid,
					       b->client->duid_len, a),
				 lgd_ifname(r->x, b->ifindex, ifn));
			r->stats.unsendable++;
			lgd_outcome_add(r, b->id, LGD_OUT_NO_SERVER, NULL, 0,
					false);
			cancel[n_cancel++] = b->id;
			continue;
		}
		n++;
	}
	r->n_queue = 0;
	lgd_release_end(r, cancel, n_cancel, false);

	qsort(out, n, sizeof(*out), lgd_out_cmp);
	for (start = 0, i = 1; i <= n; i++) {
		if (i < n && lgd_same_server(&out[start], &out[i]))
			continue;
		lgd_release_send_group(r, out + start, i - start);
		start = i;
	}
	free(out);
	free(cancel);
}

/*
 * Ends the release of the bindings in ids: deleted (the server let them
 * go, or clear_on_timeout) or bound again.
 */
static void lgd_release_end(struct lgd_release *r, const uint64_t *ids,
			    size_t n, bool del)
{
	size_t failed = 0;
	int err;

	if (!n)
		return;
	if (del)
		err = r->x->binding_batch(r->x->priv, LG_CMD_BINDING_DEL, ids,
					  n, LG_BINDING_DEL_RELAY_RELEASE,
					  false, &failed);
	else
		err = r->x->binding_batch(r->x->priv, LG_CMD_BINDING_RELEASE,
					  ids, n, 0, true, &failed);
	if (err)
		lgd_err("%s %zu bindings: %s", del ? "deleting" : "un-releasing",
			n, strerror(-err));
	else if (failed)
		lgd_debug("%s: %zu of %zu bindings were gone already",
			  del ? "deleting" : "un-releasing", failed, n);
}

/*
 * The request's Server Identifier becomes duid: the top-level option is
 * replaced in the message (the rest moves), and the UDP length follows.
 * A longer DUID may take a full message past the new server's path MTU:
 * the kernel then fragments it. 0, or -1 (no memory: the request is
 * unchanged).
 */
static int lgd_req_set_server_id(struct lgd_req *q, const uint8_t *duid,
				 size_t len)
{
	size_t off = 8 + 4, olen = 0, n;
	uint8_t *pkt;

	while (off + 4 <= q->len) {
		olen = q->pkt[off + 2] << 8 | q->pkt[off + 3];
		if ((q->pkt[off] << 8 | q->pkt[off + 1]) == DR_OPT_SERVERID)
			break;
		off += 4 + olen;
	}
	if (off + 4 > q->len || off + 4 + olen > q->len)
		return -1;	/* dr_build() always puts one: not reached */
	n = q->len - olen + len;
	if (n > 0xffff)		/* the UDP length */
		return -1;
	pkt = malloc(n);
	if (!pkt)
		return -1;
	memcpy(pkt, q->pkt, off + 2);
	pkt[off + 2] = len >> 8;
	pkt[off + 3] = len;
	memcpy(pkt + off + 4, duid, len);
	memcpy(pkt + off + 4 + len, q->pkt + off + 4 + olen,
	       q->len - off - 4 - olen);
	pkt[4] = n >> 8;
	pkt[5] = n;
	free(q->pkt);
	q->pkt = pkt;
	q->len = n;
	q->server_duid_len = len;
	memcpy(q->server_duid, duid, len);
	return 0;
}

/*
 * dst did not answer: the request moves to the next server of its
 * release-fallback, but the lease's own (tried first), as a new exchange
 * (RFC 8415 section 15: a new xid, RT from IRT, MRC transmissions). A
 * late answer of the server left behind has the old xid: it is discarded.
 * The message is the same but for the Server Identifier: the server's
 * DUID if the list gives it (a server drops a request for another, draft
 * 3.2.1; Kea's HA peers have a DUID each), else the lease server's (for
 * a pair that shares one). False: no server left.
 */
static bool lgd_req_next_server(struct lgd_req *q)
{
	struct lgd_release *r = q->r;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const uint8_t *next = NULL;
	uint32_t old = q->xid;
	unsigned int i = q->n_fallback;

	while (q->next_fallback < q->n_fallback && !next) {
		i = q->next_fallback++;
		next = q->fallback[i];
		if (q->has_first && !memcmp(next, q->first, 16))
			next = NULL;
	}
	if (!next)
		return false;
	if (q->fallback_duid_len[i] ?
	    lgd_req_set_server_id(q, q->fallback_duid[i],
				  q->fallback_duid_len[i]) :
	    lgd_req_set_server_id(q, q->lease_duid, q->lease_duid_len)) {
		lgd_err("RELEASE-REQUEST xid %06x: out of memory for the alternate server %s",
			old, lgd_addr_str(next, b));
		return false;
	}
	lgd_warn("RELEASE-REQUEST xid %06x to %s: no reply after %u transmissions; %zu bindings go to the alternate server %s",
		 old, lgd_addr_str(q->dst, a), q->attempts, q->n_live,
		 lgd_addr_str(next, b));
	memcpy(q->dst, next, 16);
	q->alternate = true;
	q->xid = lgd_new_xid(r);
	q->pkt[8 + 1] = q->xid >> 16;
	q->pkt[8 + 2] = q->xid >> 8;
	q->pkt[8 + 3] = q->xid;
	q->attempts = 0;
	q->rt = lgd_first_rt();
	r->stats.alternate++;
	lgd_req_send(q);
	return true;
}

static void lgd_req_fire(struct lgd_timer *t)
{
	struct lgd_req *q = (struct lgd_req *)t;
	struct lgd_release *r = q->r;
	const struct lgd_conf *c = r->x->conf;
	char a[INET6_ADDRSTRLEN];
	uint64_t *ids;
	size_t i, n = 0;

	if (q->attempts < REL_MAX_RC) {
		/* RT = 2 RTprev + RAND RTprev; MRT 0: no ceiling. */
		q->rt = 2 * q->rt + (int64_t)q->rt * lgd_rand_permille() / 1000;
		r->stats.retransmissions++;
		lgd_req_send(q);
		return;
	}
	if (lgd_req_next_server(q))
		return;
	ids = calloc(q->n_items, sizeof(*ids));
	for (i = 0; ids && i < q->n_items; i++)
		if (q->items[i].b) {
			ids[n++] = q->items[i].id;
			lgd_outcome_add(r, q->items[i].id, LGD_OUT_TIMED_OUT,
					q, 0, c->release_clear_on_timeout);
		}
	r->stats.timed_out += n;
	lgd_warn("RELEASE-REQUEST xid %06x to %s: no reply after %u transmissions in %llu ms%s; %zu bindings %s",
		 q->xid, lgd_addr_str(q->dst, a), q->attempts,
		 (unsigned long long)(lgd_now_ms() - q->started),
		 q->sent > q->attempts ? " (with the servers before)" : "", n,
		 c->release_clear_on_timeout ? "cleared here" : "stay");
	lgd_req_free(q);
	lgd_release_end(r, ids, n, c->release_clear_on_timeout);
	free(ids);
}

static bool lgd_bytes_eq(const struct dr_bytes *x, const uint8_t *p,
			 size_t len)
{
	return x->len == len && !memcmp(x->data, p, len);
}

/* The status the reply gives binding b (draft 3.1.2: innermost wins). */
static uint16_t lgd_reply_status(const struct dr_msg *m,
				 const struct lgd_binding *b)
{
	const struct dr_client *c = NULL;
	const struct dr_ia *ia = NULL;
	uint16_t type = b->ia_type == LG_IA_PD ? DR_OPT_IA_PD : DR_OPT_IA_NA;
	uint16_t status = m->status;
	size_t i, j;

	for (i = 0; i < m->n_clients && !c; i++) {
		const struct dr_client *x = &m->clients[i];
		const struct dr_bytes *ifid = dr_client_ifid(m, x);

		if (!lgd_bytes_eq(&x->duid, b->client->duid,
				  b->client->duid_len))
			continue;
		/* An Interface-Id in the reply must be the binding's. */
		if (ifid->len && !lgd_bytes_eq(ifid, b->ifid, b->ifid_len))
			continue;
		c = x;
		for (j = 0; j < c->n_ias; j++)
			if (c->ias[j].type == type && c->ias[j].iaid == b->iaid)
				ia = &c->ias[j];
	}
	dr_status_of(m, c, ia, &status);
	return status;
}

static void lgd_release_reply(struct lgd_release *r, const uint8_t *msg,
			      size_t len, const uint8_t *from)
{
	struct dr_msg m = { .clients = r->clients,
			    .max_clients = LGD_REPLY_CLIENTS };
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], duid[LG_DUID_MAX * 3];
	uint64_t *del = NULL, *keep = NULL;
	size_t i, n_del = 0, n_keep = 0;
	struct lgd_req *q;
	enum dr_err err;

	err = dr_parse(msg, len, &m);
	if (err) {
		r->stats.discarded_parse++;
		lgd_info("RELEASE-REQUEST-REPLY from %s discarded: malformed (%s)",
			 lgd_addr_str(from, a), dr_err_name(err));
		return;
	}
	for (q = r->reqs; q && q->xid != m.xid; q = q->next)
		;
	if (!q) {
		r->stats.discarded_xid++;
		lgd_info("RELEASE-REQUEST-REPLY from %s discarded: xid %06x is not outstanding",
			 lgd_addr_str(from, a), m.xid);
		return;
	}
	/*
	 * A request to a release-fallback server: only that server answers
	 * it, from the address asked (and, as any reply, with the Server
	 * Identifier requested, checked below).
	 */
	if (q->alternate && memcmp(from, q->dst, 16)) {
		char d[INET6_ADDRSTRLEN];

		r->stats.discarded_source++;
		lgd_info("RELEASE-REQUEST-REPLY from %s discarded: xid %06x went to %s",
			 lgd_addr_str(from, a), m.xid, lgd_addr_str(q->dst, d));
		return;
	}
	if (!m.has_status) {
		r->stats.discarded_no_status++;
		lgd_info("RELEASE-REQUEST-REPLY from %s discarded: no Status Code",
			 lgd_addr_str(from, a));
		return;
	}
	if (m.server_id.len &&
	    !lgd_bytes_eq(&m.server_id, q->server_duid, q->server_duid_len)) {
		r->stats.discarded_server++;
		lgd_info("RELEASE-REQUEST-REPLY from %s discarded: another server's identifier",
			 lgd_addr_str(from, a));
		return;
	}
	r->stats.replies++;
	if (q->alternate) {
		r->stats.alternate_replies++;
		lgd_notice("RELEASE-REQUEST-REPLY xid %06x from the alternate server %s: %s",
			   m.xid, lgd_addr_str(from, a),
			   dr_status_name(m.status));
	}
	del = calloc(q->n_items, sizeof(*del));
	keep = calloc(q->n_items, sizeof(*keep));
	for (i = 0; del && keep && i < q->n_items; i++) {
		struct lgd_binding *b = q->items[i].b;
		uint16_t status;

		if (!b)
			continue;
		status = lgd_reply_status(&m, b);
		lgd_outcome_add(r, b->id,
				dr_is_success_or_nobinding(status) ?
				LGD_OUT_RELEASED : LGD_OUT_REFUSED, q, status,
				false);
		if (dr_is_success_or_nobinding(status)) {
			del[n_del++] = b->id;
			r->stats.released++;
			if (status == DR_STATUS_NO_BINDING)
				r->stats.nobinding++;
			lgd_info("binding %llu (%s on %s) released by the server: %s (%s)",
				 (unsigned long long)b->id,
				 lg_hex_format(b->client->duid,
					       b->client->duid_len, duid),
				 lgd_ifname(r->x, b->ifindex, ifn),
				 dr_status_name(status), a);
		} else {
			keep[n_keep++] = b->id;
			r->stats.refused++;
			lgd_warn("binding %llu (%s on %s): the server %s refused the release (%s); it stays until its leases expire",
				 (unsigned long long)b->id,
				 lg_hex_format(b->client->duid,
					       b->client->duid_len, duid),
				 lgd_ifname(r->x, b->ifindex, ifn), a,
				 dr_status_name(status));
		}
	}
	lgd_debug("RELEASE-REQUEST-REPLY xid %06x from %s: %s, after %llu ms",
		  m.xid, lgd_addr_str(from, a), dr_status_name(m.status),
		  (unsigned long long)(lgd_now_ms() - q->started));
	lgd_req_free(q);
	lgd_release_end(r, del, n_del, true);
	lgd_release_end(r, keep, n_keep, false);
	free(del);
	free(keep);
}

void lgd_release_input(struct lgd_release *r)
{
	struct sockaddr_in6 from;
	socklen_t flen;
	ssize_t len;

	for (;;) {
		flen = sizeof(from);
		len = recvfrom(r->fd, r->buf, LGD_MSG_MAX + 8, 0,
			       (struct sockaddr *)&from, &flen);
		if (len < 0) {
			if (errno != EAGAIN && errno != EINTR)
				lgd_warn("release socket: %s", strerror(errno));
			return;
		}
		/* The filter checked the port and the type; the kernel, the sum. */
		if (len <= 8 || r->buf[8] != r->reply_type)
			continue;
		lgd_release_reply(r, r->buf + 8, len - 8,
				  from.sin6_addr.s6_addr);
	}
}

void lgd_release_show(struct lgd_release *r, FILE *f)
{
	const struct lgd_release_stats *s = &r->stats;
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], duid[LG_DUID_MAX * 3];
	uint64_t now = lgd_now_ms();
	struct lgd_req *q;
	size_t i;

	for (q = r->reqs; q; q = q->next) {
		fprintf(f, "request xid=%06x server=%s attempt=%u max=%u next-ms=%llu age-ms=%llu count=%zu alternate=%d\n",
			q->xid, lgd_addr_str(q->dst, a), q->attempts,
			REL_MAX_RC,
			(unsigned long long)(q->timer.when > now ?
					     q->timer.when - now : 0),
			(unsigned long long)(now - q->started), q->n_live,
			q->alternate);
		for (i = 0; i < q->n_items; i++) {
			const struct lgd_binding *b = q->items[i].b;

			if (!b)
				continue;
			fprintf(f, "binding id=%llu dev=%s duid=%s ia=%s iaid=%u reason=%s\n",
				(unsigned long long)b->id,
				lgd_ifname(r->x, b->ifindex, ifn),
				lg_hex_format(b->client->duid,
					      b->client->duid_len, duid),
				b->ia_type == LG_IA_PD ? "pd" : "na", b->iaid,
				lgd_trigger_name(b->release_reason));
		}
	}
	fprintf(f, "stats requests=%llu retransmissions=%llu replies=%llu discarded_malformed=%llu discarded_xid=%llu discarded_no_status=%llu discarded_server_id=%llu released=%llu success=%llu nobinding=%llu refused=%llu timed_out=%llu no_server=%llu alternate=%llu alternate_replies=%llu discarded_source=%llu\n",
		(unsigned long long)s->requests,
		(unsigned long long)s->retransmissions,
		(unsigned long long)s->replies,
		(unsigned long long)s->discarded_parse,
		(unsigned long long)s->discarded_xid,
		(unsigned long long)s->discarded_no_status,
		(unsigned long long)s->discarded_server,
		(unsigned long long)s->released,
		(unsigned long long)(s->released - s->nobinding),
		(unsigned long long)s->nobinding,
		(unsigned long long)s->refused,
		(unsigned long long)s->timed_out,
		(unsigned long long)s->unsendable,
		(unsigned long long)s->alternate,
		(unsigned long long)s->alternate_replies,
		(unsigned long long)s->discarded_source);
}

static const char *const lgd_outcome_names[] = {
	[LGD_OUT_RELEASED]	= "released",
	[LGD_OUT_REFUSED]	= "refused",
	[LGD_OUT_TIMED_OUT]	= "timed-out",
	[LGD_OUT_NO_SERVER]	= "not-sent",
	[LGD_OUT_TOO_BIG]	= "not-sent",
	[LGD_OUT_CANCELLED]	= "cancelled",
	[LGD_OUT_DELETED]	= "deleted",
};

static void lgd_outcome_print(const struct lgd_outcome *o, FILE *f)
{
	char a[INET6_ADDRSTRLEN];

	fprintf(f, "binding id=%llu outcome=%s", (unsigned long long)o->id,
		lgd_outcome_names[o->kind]);
	if (o->kind == LGD_OUT_RELEASED || o->kind == LGD_OUT_REFUSED)
		fprintf(f, " status=%s code=%u", dr_status_name(o->status),
			o->status);
	if (o->kind == LGD_OUT_NO_SERVER)
		fprintf(f, " why=no-server");
	if (o->kind == LGD_OUT_TOO_BIG)
		fprintf(f, " why=too-big");
	if (o->kind == LGD_OUT_TIMED_OUT)
		fprintf(f, " cleared=%d", o->cleared);
	if (o->has_server)
		fprintf(f, " xid=%06x server=%s attempts=%u ms=%llu", o->xid,
			lgd_addr_str(o->server, a), o->attempts,
			(unsigned long long)o->ms);
	fputc('\n', f);
}

/*
 * "outcome since=MS ID...": for each ID, how its release ended at or
 * after MS (CLOCK_MONOTONIC ms, as the asker took it before it marked the
 * bindings), or where it is now:
 *
 *	binding id=N outcome=released|refused status=NAME code=N xid=HEX
 *		server=ADDR attempts=N ms=N
 *	binding id=N outcome=timed-out cleared=0|1 xid=... attempts=N ms=N
 *	binding id=N outcome=not-sent why=no-server|too-big|not-enabled
 *		[trigger=NAME dev=IF]
 *	binding id=N outcome=cancelled|deleted [xid=...]
 *	binding id=N outcome=pending stage=unseen|queued|sent [attempt=N
 *		max=N xid=HEX server=ADDR]
 *	binding id=N outcome=unknown	(no such binding here)
 *
 * "not-enabled": the binding is bound and its interface does not enable
 * the trigger (admin, unless it is releasing for another reason), so no
 * request will go; the daemon cancels such a release when it sees it.
 */
void lgd_release_outcomes(struct lgd_release *r, FILE *f, char *args)
{
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], *w, *save, *end;
	unsigned long long since = 0, id;

	for (w = strtok_r(args, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		struct lgd_outcome key, **slot;
		const struct lgd_binding *b;
		const struct lgd_req *q;
		uint32_t reason;

		if (!strncmp(w, "since=", 6)) {
			since = strtoull(w + 6, NULL, 10);
			continue;
		}
		errno = 0;
		id = strtoull(w, &end, 10);
		if (*end || errno) {
			fprintf(f, "error bad binding ID \"%s\"\n", w);
			continue;
		}
		key.id = id;
		slot = tfind(&key, &r->out_index, lgd_outcome_cmp);
		if (slot && (*slot)->at >= since) {
			lgd_outcome_print(*slot, f);
			continue;
		}
		b = lgd_binding_find(r->x, id);
		if (!b) {
			fprintf(f, "binding id=%llu outcome=unknown\n", id);
			continue;
		}
		q = b->req;
		if (q) {
			fprintf(f, "binding id=%llu outcome=pending stage=sent attempt=%u max=%u xid=%06x server=%s\n",
				id, q->attempts, REL_MAX_RC, q->xid,
				lgd_addr_str(q->dst, a));
			continue;
		}
		if (b->queued || b->state == LG_BINDING_RELEASING) {
			fprintf(f, "binding id=%llu outcome=pending stage=queued\n",
				id);
			continue;
		}
		reason = b->release_reason ? b->release_reason :
			 LG_RELEASE_ADMIN;
		if (!(lgd_binding_if(r->x, b)->triggers &
		      LGD_TRIGGER(reason))) {
			fprintf(f, "binding id=%llu outcome=not-sent why=not-enabled trigger=%s dev=%s\n",
				id, lgd_trigger_name(reason),
				lgd_ifname(r->x, b->ifindex, ifn));
			continue;
		}
		/* bound here: the kernel's event has not been read yet */
		fprintf(f, "binding id=%llu outcome=pending stage=unseen\n", id);
	}
}

/*
 * A router that stops being the MASTER stops its requests (only the
 * MASTER sends them) without ending them: the bindings stay releasing,
 * the partner has them so, and the new MASTER sends its own from the
 * start. Were they left to run, their timeout here would cancel the
 * releases, and the cancel would cross to the new MASTER. A late reply
 * to one finds no request (discarded_xid).
 */
void lgd_release_stand_down(struct lgd_release *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_queue; i++) {
		struct lgd_binding *b = lgd_binding_find(r->x, r->queue[i]);

		if (b && b->queued) {
			b->queued = false;
			n++;
		}
	}
	r->n_queue = 0;
	while (r->reqs) {
		n += r->reqs->n_live;
		lgd_req_free(r->reqs);
	}
	if (n)
		lgd_notice("no longer the master: %zu releases in flight left to the partner",
			   n);
}
