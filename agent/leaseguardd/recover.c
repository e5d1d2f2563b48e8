// SPDX-License-Identifier: GPL-2.0
/*
 * A binding the router lost, recovered on demand (RFC 7513 section 7):
 * the kernel tells of a source no binding validates (LG_CMD_SAVI_MISS_NTF),
 * and leaseguardd asks the servers it knows who holds that address, with
 * an RFC 5007 LEASEQUERY by address. A LEASEQUERY-REPLY with a Client Data
 * for the address, on this link, becomes a binding again
 * (LG_CMD_BINDING_NEW, origin LG_BINDING_ORIGIN_LEASEQUERY).
 *
 * What a spoofer can make it cost, after the kernel's own holddown and
 * budgets:
 * - a source asked about is not asked again while its query is out;
 * - one answered "no binding here" (or that nobody answered) is not asked
 *   again for recover-negative-ttl seconds: a cache of the last
 *   LGD_RECOVER_NEG_MAX such sources, oldest evicted first (its TTL is the
 *   same for all: the oldest is also the first to expire);
 * - at most recover-rate new queries a second (a token bucket that holds
 *   one second's worth), and at most LGD_RECOVER_INFLIGHT_MAX out at once.
 *
 * Each query goes to every server known: the configured leasequery-server
 * addresses, and the servers of the bindings seen in this run (the last
 * LGD_RECOVER_LEARNED_MAX). It is sent from an ephemeral UDP port (the
 * relay owns 547; RFC 5007 section 4.3.3: the reply goes back to the
 * query's source address and port), from release-source when set, so
 * that a server that trusts the relay by its address trusts this too.
 * Retransmitted as RFC 8415 section 15 says, with RFC 5007 section 5's
 * LQ_TIMEOUT (1 s) as IRT and LQ_MAX_RT (10 s), but only
 * LGD_RECOVER_MRC times: a subscriber that waits longer has sent again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "binding.h"
#include "dhcp6_leasequery.h"
#include "lgd.h"

#define LGD_RECOVER_NEG_MAX		4096	/* negative answers cached */
#define LGD_RECOVER_NEG_BUCKETS		4096
#define LGD_RECOVER_INFLIGHT_MAX	256	/* queries out at once */
#define LGD_RECOVER_LEARNED_MAX		8	/* servers learned */
#define LGD_RECOVER_SERVERS_MAX	(LGD_LQ_SERVERS_MAX + LGD_RECOVER_LEARNED_MAX)
#define LGD_RECOVER_IRT			1000	/* ms, LQ_TIMEOUT */
#define LGD_RECOVER_MRT			10000	/* ms, LQ_MAX_RT */
#define LGD_RECOVER_MRC			3	/* transmissions in all */
#define LGD_RECOVER_MSG_MAX		512
#define LGD_RECOVER_LEASES		16	/* of a Client Data, kept */
#define LGD_RECOVER_LOG_PER_S		10	/* restore log lines a second */
#define DHCP6_SERVER_PORT		547
#define DHCP6_OPT_RELAY_MSG		9
#define DHCP6_OPT_INTERFACE_ID		18
#define DHCP6_RELAY_FORW		12

/* A negative answer: nobody has src on ifindex, until expires. */
struct lgd_neg {
	uint8_t addr[16];
	uint32_t ifindex;
	uint64_t expires;		/* ms; 0: the slot is free */
	int32_t next;			/* in its bucket's chain; -1: end */
};

/* One source being asked about: one LEASEQUERY, to every server. */
struct lgd_rq {
	struct lgd_timer timer;		/* first: container_of by cast */
	struct lgd_recover *r;
	struct lgd_rq *next;
	uint32_t xid;
	uint32_t ifindex;
	uint8_t addr[16];
	uint8_t link[16];		/* the query's link-address */
	bool has_mac;
	uint8_t mac[6];
	unsigned int attempts;
	uint32_t rt;			/* ms */
	unsigned int n_servers, n_negative;
	uint8_t servers[LGD_RECOVER_SERVERS_MAX][16];
	bool negative[LGD_RECOVER_SERVERS_MAX];
	size_t len;
	uint8_t pkt[LGD_RECOVER_MSG_MAX];
};

struct lgd_recover {
	const struct lgd_ctx *x;
	int fd;
	uint32_t seed;
	struct lgd_rq *rqs;
	size_t n_rqs;
	/* The token bucket, in thousandths of a query. */
	uint64_t tokens, last_fill;
	/* The negative cache: a ring in insertion order, hashed. */
	struct lgd_neg neg[LGD_RECOVER_NEG_MAX];
	int32_t buckets[LGD_RECOVER_NEG_BUCKETS];
	size_t neg_next;		/* the ring's oldest (next reused) */
	size_t n_learned, learned_next;
	uint8_t learned[LGD_RECOVER_LEARNED_MAX][16];
	uint64_t log_window, log_n, log_suppressed;
	struct lgd_recover_stats st;
	uint8_t buf[65536];
};

static const char *lgd_a(const uint8_t *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static uint32_t lgd_neg_hash(const struct lgd_recover *r, uint32_t ifindex,
			     const uint8_t *addr)
{
	uint32_t h = r->seed ^ ifindex;
	int i;

	/* FNV-1a, seeded: a spoofer cannot aim at one chain. */
	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return (h ^ (h >> 15)) % LGD_RECOVER_NEG_BUCKETS;
}

static int32_t *lgd_neg_slot(struct lgd_recover *r, uint32_t ifindex,
			     const uint8_t *addr)
{
	int32_t *p = &r->buckets[lgd_neg_hash(r, ifindex, addr)];

	while (*p >= 0) {
		struct lgd_neg *e = &r->neg[*p];

		if (e->ifindex == ifindex && !memcmp(e->addr, addr, 16))
			return p;
		p = &e->next;
	}
	return p;
}

static void lgd_neg_unlink(struct lgd_recover *r, int32_t *p)
{
	struct lgd_neg *e = &r->neg[*p];

	*p = e->next;
	e->expires = 0;
	e->next = -1;
}

/* Is src on ifindex answered "no" still? An expired answer goes. */
static bool lgd_neg_find(struct lgd_recover *r, uint32_t ifindex,
			 const uint8_t *addr, uint64_t now)
{
	int32_t *p = lgd_neg_slot(r, ifindex, addr);

	if (*p < 0)
		return false;
	if (r->neg[*p].expires > now)
		return true;
	lgd_neg_unlink(r, p);
	return false;
}

static void lgd_neg_forget(struct lgd_recover *r, uint32_t ifindex,
			   const uint8_t *addr)
{
	int32_t *p = lgd_neg_slot(r, ifindex, addr);

	if (*p >= 0)
		lgd_neg_unlink(r, p);
}

static void lgd_neg_add(struct lgd_recover *r, uint32_t ifindex,
			const uint8_t *addr, uint64_t now)
{
	uint32_t ttl = r->x->conf->recover_negative_ttl;
	struct lgd_neg *e;
	int32_t *p, i;

	if (!ttl)
		return;
	p = lgd_neg_slot(r, ifindex, addr);
	if (*p >= 0) {
		/* Renewed in place: it keeps its place in the ring. */
		r->neg[*p].expires = now + ttl * 1000ull;
		return;
	}
	i = r->neg_next;
	r->neg_next = (r->neg_next + 1) % LGD_RECOVER_NEG_MAX;
	e = &r->neg[i];
	if (e->expires)
		lgd_neg_forget(r, e->ifindex, e->addr);
	memcpy(e->addr, addr, 16);
	e->ifindex = ifindex;
	e->expires = now + ttl * 1000ull;
	/* The chain's head (p may have been the evicted one's next). */
	p = &r->buckets[lgd_neg_hash(r, ifindex, addr)];
	e->next = *p;
	*p = i;
}

/* Takes a token, if there is one. */
static bool lgd_budget(struct lgd_recover *r, uint64_t now)
{
	uint64_t rate = r->x->conf->recover_rate, cap = rate * 1000;

	if (!rate)
		return false;
	if (now > r->last_fill) {
		r->tokens += (now - r->last_fill) * rate;
		r->last_fill = now;
	}
	if (r->tokens > cap)
		r->tokens = cap;
	if (r->tokens < 1000)
		return false;
	r->tokens -= 1000;
	return true;
}

struct lgd_recover *lgd_recover_open(const struct lgd_ctx *x)
{
	const struct lgd_conf *c = x->conf;
	struct lgd_recover *r = calloc(1, sizeof(*r));
	size_t i;

	if (!r)
		return NULL;
	r->x = x;
	memset(r->buckets, 0xff, sizeof(r->buckets));
	for (i = 0; i < LGD_RECOVER_NEG_MAX; i++)
		r->neg[i].next = -1;
	if (getrandom(&r->seed, sizeof(r->seed), 0) != sizeof(r->seed))
		r->seed = random();
	r->last_fill = lgd_now_ms();
	r->tokens = c->recover_rate * 1000ull;
	r->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		goto err;
	if (c->has_release_source) {
		struct sockaddr_in6 src = { .sin6_family = AF_INET6 };

		memcpy(&src.sin6_addr, c->release_source, 16);
		if (bind(r->fd, (struct sockaddr *)&src, sizeof(src)))
			goto err;
	}
	return r;
err:
	lgd_err("recover socket: %s", strerror(errno));
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	return NULL;
}

static void lgd_rq_free(struct lgd_recover *r, struct lgd_rq *q)
{
	struct lgd_rq **p;

	for (p = &r->rqs; *p; p = &(*p)->next) {
		if (*p == q) {
			*p = q->next;
			r->n_rqs--;
			break;
		}
	}
	lgd_timer_stop(&q->timer);
	free(q);
}

void lgd_recover_close(struct lgd_recover *r)
{
	if (!r)
		return;
	while (r->rqs)
		lgd_rq_free(r, r->rqs);
	close(r->fd);
	free(r);
}

int lgd_recover_fd(const struct lgd_recover *r)
{
	return r ? r->fd : -1;
}

void lgd_recover_get_stats(const struct lgd_recover *r,
			   struct lgd_recover_stats *st)
{
	*st = r->st;
}

void lgd_recover_status(const struct lgd_recover *r, FILE *f)
{
	const struct lgd_recover_stats *s;

	if (!r) {
		fprintf(f, "recover state=off\n");
		return;
	}
	s = &r->st;
	fprintf(f, "recover state=%s rate=%u negative-ttl=%u servers=%zu in-flight=%zu events=%llu queries=%llu sent=%llu answers=%llu restored=%llu exists=%llu refused=%llu timed-out=%llu rate-limited=%llu negative-cached=%llu duplicates=%llu discarded=%llu errors=%llu\n",
		r->x->conf->recover_rate ? "on" : "off",
		r->x->conf->recover_rate, r->x->conf->recover_negative_ttl,
		r->x->conf->n_lq_servers + r->n_learned, r->n_rqs,
		(unsigned long long)s->events, (unsigned long long)s->queries,
		(unsigned long long)s->sent, (unsigned long long)s->answers,
		(unsigned long long)s->restored, (unsigned long long)s->exists,
		(unsigned long long)s->refused,
		(unsigned long long)s->timed_out,
		(unsigned long long)s->rate_limited,
		(unsigned long long)s->negative_cached,
		(unsigned long long)s->in_flight,
		(unsigned long long)s->discarded,
		(unsigned long long)s->errors);
}

void lgd_recover_learn(struct lgd_recover *r, const struct lg_binding *lb)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < lb->n_leases; i++)
		lgd_neg_forget(r, lb->ifindex, lb->leases[i].addr);
	if (!lb->has_server_addr)
		return;
	for (i = 0; i < r->n_learned; i++)
		if (!memcmp(r->learned[i], lb->server_addr, 16))
			return;
	memcpy(r->learned[r->learned_next], lb->server_addr, 16);
	r->learned_next = (r->learned_next + 1) % LGD_RECOVER_LEARNED_MAX;
	if (r->n_learned < LGD_RECOVER_LEARNED_MAX)
		r->n_learned++;
}

/* The servers to ask: configured, then learned, each once. */
static void lgd_rq_servers(struct lgd_recover *r, struct lgd_rq *q)
{
	const struct lgd_conf *c = r->x->conf;
	const uint8_t *cand[LGD_RECOVER_SERVERS_MAX];
	size_t n = 0, i, j;

	for (i = 0; i < c->n_lq_servers; i++)
		cand[n++] = c->lq_servers[i];
	for (i = 0; i < r->n_learned; i++)
		cand[n++] = r->learned[i];
	for (i = 0; i < n; i++) {
		for (j = 0; j < q->n_servers; j++)
			if (!memcmp(q->servers[j], cand[i], 16))
				break;
		if (j == q->n_servers)
			memcpy(q->servers[q->n_servers++], cand[i], 16);
	}
}

/*
 * The link-address of ifindex's link: recover-link-address, else a global
 * address of the interface, as dhcrelay gives its RELAY-FORWs (Kea's hook
 * finds the link of a link-address by the subnet it is in, or a subnet's
 * relay ip-addresses: kea/leasequery.cc, linkOfAddress()).
 */
static bool lgd_link_address(struct lgd_recover *r, uint32_t ifindex,
			     uint8_t *link)
{
	char name[IF_NAMESIZE];
	const struct lgd_if_conf *ic;
	struct ifaddrs *ifa, *i;
	bool found = false;

	lgd_ifname(r->x, ifindex, name);
	ic = lgd_conf_if(r->x->conf, name);
	if (ic->has_lq_link) {
		memcpy(link, ic->lq_link, 16);
		return true;
	}
	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		const struct sockaddr_in6 *sa = (void *)i->ifa_addr;

		if (!sa || sa->sin6_family != AF_INET6 ||
		    strcmp(i->ifa_name, name) ||
		    IN6_IS_ADDR_LINKLOCAL(&sa->sin6_addr) ||
		    IN6_IS_ADDR_LOOPBACK(&sa->sin6_addr) ||
		    IN6_IS_ADDR_MULTICAST(&sa->sin6_addr))
			continue;
		memcpy(link, &sa->sin6_addr, 16);
		found = true;
	}
	freeifaddrs(ifa);
	return found;
}

/* Is a an address of ifindex (or the link-address we asked with)? */
static bool lgd_link_is_ours(struct lgd_recover *r, const struct lgd_rq *q,
			     const uint8_t *a)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (!memcmp(a, q->link, 16))
		return true;
	lgd_ifname(r->x, q->ifindex, name);
	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		const struct sockaddr_in6 *sa = (void *)i->ifa_addr;

		found = sa && sa->sin6_family == AF_INET6 &&
			!strcmp(i->ifa_name, name) &&
			!memcmp(&sa->sin6_addr, a, 16);
	}
	freeifaddrs(ifa);
	return found;
}

static void lgd_rq_send(struct lgd_rq *q)
{
	struct lgd_recover *r = q->r;
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(DHCP6_SERVER_PORT),
	};
	char a[INET6_ADDRSTRLEN];
	unsigned int i, sent = 0;
	uint32_t rnd;

	for (i = 0; i < q->n_servers; i++) {
		if (q->negative[i])
			continue;
		memcpy(&dst.sin6_addr, q->servers[i], 16);
		if (sendto(r->fd, q->pkt, q->len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0) {
			lgd_debug("LEASEQUERY xid %06x to %s: %s", q->xid,
				  lgd_a(q->servers[i], a), strerror(errno));
			continue;
		}
		sent++;
		r->st.sent++;
	}
	if (!sent && !q->attempts)
		r->st.errors++;
	q->attempts++;
	/* RFC 8415 15: RT = 2 RTprev + RAND, RAND in +-0.1 RTprev. */
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = random();
	if (q->attempts > 1)
		q->rt = 2 * q->rt;
	q->rt += (int)(rnd % 201 - 100) * (int)q->rt / 1000;
	if (q->rt > LGD_RECOVER_MRT)
		q->rt = LGD_RECOVER_MRT;
	lgd_timer_arm(&q->timer, lgd_now_ms() + q->rt);
}

static void lgd_rq_fire(struct lgd_timer *t)
{
	struct lgd_rq *q = (struct lgd_rq *)t;
	struct lgd_recover *r = q->r;
	char a[INET6_ADDRSTRLEN];

	if (q->attempts < LGD_RECOVER_MRC) {
		lgd_rq_send(q);
		return;
	}
	/* Nobody answered: cached as a "no", not to ask on every packet. */
	r->st.timed_out++;
	lgd_debug("LEASEQUERY for %s: no answer after %u attempts",
		  lgd_a(q->addr, a), q->attempts);
	lgd_neg_add(r, q->ifindex, q->addr, lgd_now_ms());
	lgd_rq_free(r, q);
}

static uint32_t lgd_rq_xid(struct lgd_recover *r)
{
	struct lgd_rq *q;
	uint32_t xid;

again:
	if (getrandom(&xid, sizeof(xid), 0) != sizeof(xid))
		xid = random();
	xid &= 0xffffff;
	for (q = r->rqs; q; q = q->next)
		if (q->xid == xid)
			goto again;
	return xid;
}

void lgd_recover_miss(struct lgd_recover *r, uint32_t ifindex,
		      const uint8_t *src, const uint8_t *mac)
{
	const struct lgd_conf *c;
	uint64_t now = lgd_now_ms();
	uint16_t oro[] = { DR_OPT_IA_NA, DR_OPT_IA_PD, LQ_OPT_LQ_RELAY_DATA };
	struct lq_query lq = {};
	struct lgd_rq *q;

	if (!r)
		return;
	c = r->x->conf;
	r->st.events++;
	for (q = r->rqs; q; q = q->next) {
		if (q->ifindex == ifindex && !memcmp(q->addr, src, 16)) {
			r->st.in_flight++;
			return;
		}
	}
	if (lgd_neg_find(r, ifindex, src, now)) {
		r->st.negative_cached++;
		return;
	}
	if (r->n_rqs >= LGD_RECOVER_INFLIGHT_MAX || !lgd_budget(r, now)) {
		r->st.rate_limited++;
		return;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		r->st.errors++;
		return;
	}
	q->r = r;
	q->ifindex = ifindex;
	memcpy(q->addr, src, 16);
	if (mac) {
		q->has_mac = true;
		memcpy(q->mac, mac, 6);
	}
	lgd_rq_servers(r, q);
	if (!q->n_servers || !lgd_link_address(r, ifindex, q->link)) {
		char a[INET6_ADDRSTRLEN], name[IF_NAMESIZE];

		r->st.errors++;
		lgd_debug("LEASEQUERY for %s on %s: %s", lgd_a(src, a),
			  lgd_ifname(r->x, ifindex, name),
			  q->n_servers ? "the interface has no global address (recover-link-address)" :
			  "no server known (leasequery-server)");
		free(q);
		return;
	}
	q->xid = lgd_rq_xid(r);
	lq.xid = q->xid;
	lq.client_id.data = c->relay_id;
	lq.client_id.len = c->relay_id_len;
	lq.query_type = LQ_QUERY_BY_ADDRESS;
	memcpy(lq.link_addr, q->link, 16);
	memcpy(lq.addr, src, 16);
	lq.n_oro = sizeof(oro) / sizeof(*oro);
	memcpy(lq.oro, oro, sizeof(oro));
	q->len = lq_build_query(&lq, q->pkt, sizeof(q->pkt));
	if (!q->len) {
		r->st.errors++;
		free(q);
		return;
	}
	q->timer.fire = lgd_rq_fire;
	q->rt = LGD_RECOVER_IRT;
	q->next = r->rqs;
	r->rqs = q;
	r->n_rqs++;
	r->st.queries++;
	lgd_rq_send(q);
}

/* The source of a reply as a server index of q, or -1. */
static int lgd_rq_server(const struct lgd_rq *q, const uint8_t *from)
{
	unsigned int i;

	for (i = 0; i < q->n_servers; i++)
		if (!memcmp(q->servers[i], from, 16))
			return i;
	return -1;
}

/*
 * The relay data's innermost RELAY-FORW (the first relay's, ours when we
 * relay for the link): its link-address, peer-address and Interface-Id.
 */
static bool lgd_relay_inner(const uint8_t *m, size_t len, uint8_t *link,
			    uint8_t *peer, const uint8_t **ifid,
			    size_t *ifid_len)
{
	int depth;

	for (depth = 0; depth < 32; depth++) {
		const uint8_t *inner = NULL, *o;
		size_t off, inner_len = 0;

		if (len < 34 || m[0] != DHCP6_RELAY_FORW)
			return false;
		*ifid = NULL;
		*ifid_len = 0;
		for (off = 34; off + 4 <= len;) {
			uint16_t code = m[off] << 8 | m[off + 1];
			uint16_t olen = m[off + 2] << 8 | m[off + 3];

			o = m + off + 4;
			if (off + 4 + olen > len)
				return false;
			if (code == DHCP6_OPT_RELAY_MSG) {
				inner = o;
				inner_len = olen;
			} else if (code == DHCP6_OPT_INTERFACE_ID) {
				*ifid = o;
				*ifid_len = olen;
			}
			off += 4 + olen;
		}
		if (!inner || inner_len < 1 || inner[0] != DHCP6_RELAY_FORW) {
			memcpy(link, m + 2, 16);
			memcpy(peer, m + 18, 16);
			return true;
		}
		m = inner;
		len = inner_len;
	}
	return false;
}

static bool lgd_ll_unicast(const uint8_t *a)
{
	static const uint8_t zero[8];

	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80 &&
	       memcmp(a + 8, zero, 8);
}

/* Does lease l hold the address a? */
static bool lgd_lease_holds(const struct lq_lease *l, const uint8_t *a)
{
	unsigned int bits = l->prefix ? l->plen : 128, i;

	for (i = 0; i < bits / 8; i++)
		if (l->addr[i] != a[i])
			return false;
	return bits % 8 == 0 ||
	       !((l->addr[i] ^ a[i]) & (0xff00 >> (bits % 8)));
}

static bool lgd_log_ok(struct lgd_recover *r)
{
	uint64_t s = lgd_now_ms() / 1000;

	if (s != r->log_window) {
		if (r->log_suppressed)
			lgd_notice("recover: %llu more bindings restored (log lines suppressed)",
				   (unsigned long long)r->log_suppressed);
		r->log_window = s;
		r->log_n = 0;
		r->log_suppressed = 0;
	}
	if (r->log_n++ < LGD_RECOVER_LOG_PER_S)
		return true;
	r->log_suppressed++;
	return false;
}

/*
 * The binding's last server transaction (LG_BINDING_A_REPLIED, realtime
 * ms): RFC 5007's CLT_TIME is how long ago the client's last transaction
 * with the server was. 0 (unknown: the kernel says now) without one, or
 * one from before the epoch.
 */
static uint64_t lgd_clt_replied(const struct lq_reply *rep)
{
	struct timespec ts;
	uint64_t now;

	if (!rep->has_clt_time || clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	now = (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if ((uint64_t)rep->clt_time * 1000 >= now)
		return 0;
	return now - (uint64_t)rep->clt_time * 1000;
}

/*
 * The Client Data as bindings: one per IA (kind and IAID). A lease with no
 * IAID (a server that does not say, see dhcp6_leasequery.h "The IAs") is
 * in the IA of its kind with IAID 0; snooping the client's next renewal
 * makes the binding of its real IAID, and this one expires with its lease.
 */
static void lgd_restore(struct lgd_recover *r, struct lgd_rq *q,
			const struct lq_reply *rep, const uint8_t *from,
			const uint8_t *lladdr, const uint8_t *ifid,
			size_t ifid_len)
{
	bool done[LGD_RECOVER_LEASES] = {};
	char a[INET6_ADDRSTRLEN], sa[INET6_ADDRSTRLEN], name[IF_NAMESIZE];
	uint64_t replied = lgd_clt_replied(rep);
	uint16_t i, j;

	for (i = 0; i < rep->n_leases; i++) {
		struct lg_lease ll[LG_BINDING_MAX_LEASES] = {};
		const struct lq_lease *l = &rep->leases[i];
		struct lg_binding b = {
			.ifindex = q->ifindex,
			.ia_type = l->prefix ? LG_IA_PD : LG_IA_NA,
			.has_ia_type = true,
			.iaid = l->has_iaid ? l->iaid : 0,
			.has_iaid = true,
			.has_origin = true,
			.origin = LG_BINDING_ORIGIN_LEASEQUERY,
			.has_replied = replied != 0,
			.replied = replied,
			.has_client_lladdr = true,
			.has_server_addr = true,
			.leases = ll,
		};
		int err;

		if (done[i])
			continue;
		for (j = i; j < rep->n_leases; j++) {
			const struct lq_lease *m = &rep->leases[j];

			if (done[j] || m->prefix != l->prefix ||
			    (m->has_iaid ? m->iaid : 0) != b.iaid)
				continue;
			done[j] = true;
			if (!m->valid || b.n_leases == LG_BINDING_MAX_LEASES)
				continue;
			memcpy(ll[b.n_leases].addr, m->addr, 16);
			ll[b.n_leases].plen = m->plen;
			ll[b.n_leases].has_plen = true;
			ll[b.n_leases].preferred = m->preferred < m->valid ?
						   m->preferred : m->valid;
			ll[b.n_leases].has_preferred = true;
			ll[b.n_leases].valid = m->valid;
			ll[b.n_leases].has_valid = true;
			b.n_leases++;
		}
		if (!b.n_leases)
			continue;
		b.client_duid_len = rep->client_duid.len;
		memcpy(b.client_duid, rep->client_duid.data,
		       rep->client_duid.len);
		memcpy(b.client_lladdr, lladdr, 16);
		b.has_client_mac = q->has_mac;
		memcpy(b.client_mac, q->mac, 6);
		memcpy(b.server_addr, from, 16);
		if (rep->server_id.len >= LG_DUID_MIN &&
		    rep->server_id.len <= LG_DUID_MAX) {
			b.server_duid_len = rep->server_id.len;
			memcpy(b.server_duid, rep->server_id.data,
			       rep->server_id.len);
		}
		if (ifid && ifid_len >= 1 && ifid_len <= 32) {
			b.interface_id = (uint8_t *)ifid;
			b.interface_id_len = ifid_len;
		}
		err = lg_binding_new(r->x->nl, &b, false, NULL);
		if (!err) {
			r->st.restored++;
			if (lgd_log_ok(r))
				lgd_notice("recover: %s on %s: binding restored from %s (LEASEQUERY): IA_%s %u, %u leases",
					   lgd_a(q->addr, a),
					   lgd_ifname(r->x, q->ifindex, name),
					   lgd_a(from, sa),
					   l->prefix ? "PD" : "NA", b.iaid,
					   (unsigned int)b.n_leases);
		} else if (err == -EEXIST) {
			r->st.exists++;
		} else {
			r->st.errors++;
			lgd_warn("recover: %s on %s: LG_CMD_BINDING_NEW: %s",
				 lgd_a(q->addr, a),
				 lgd_ifname(r->x, q->ifindex, name),
				 strerror(-err));
		}
	}
}

/* A negative answer from server i of q: the source is done when all are. */
static void lgd_rq_negative(struct lgd_recover *r, struct lgd_rq *q, int i,
			    const char *why)
{
	char a[INET6_ADDRSTRLEN];

	if (!q->negative[i]) {
		q->negative[i] = true;
		q->n_negative++;
	}
	lgd_debug("LEASEQUERY for %s: %s", lgd_a(q->addr, a), why);
	if (q->n_negative < q->n_servers)
		return;
	r->st.refused++;
	lgd_neg_add(r, q->ifindex, q->addr, lgd_now_ms());
	lgd_rq_free(r, q);
}

static void lgd_recover_reply(struct lgd_recover *r, const uint8_t *msg,
			      size_t len, const uint8_t *from)
{
	const struct lgd_conf *c = r->x->conf;
	struct lq_lease leases[LGD_RECOVER_LEASES];
	struct lq_reply rep = { .leases = leases,
				.max_leases = LGD_RECOVER_LEASES };
	const uint8_t *ifid = NULL;
	uint8_t link[16], lladdr[16];
	size_t ifid_len = 0;
	struct lgd_rq *q;
	bool holds = false;
	uint16_t i;
	int s;

	if (lq_parse_reply(msg, len, &rep) != LQ_OK) {
		r->st.discarded++;
		return;
	}
	for (q = r->rqs; q && q->xid != rep.xid; q = q->next)
		;
	if (!q || rep.client_id.len != c->relay_id_len ||
	    memcmp(rep.client_id.data, c->relay_id, c->relay_id_len) ||
	    (s = lgd_rq_server(q, from)) < 0) {
		r->st.discarded++;
		return;
	}
	r->st.answers++;
	if (rep.has_status && rep.status != DR_STATUS_SUCCESS) {
		/* NotConfigured, NotAllowed...: this server will not say. */
		if (rep.status != DR_STATUS_NOT_CONFIGURED)
			r->st.errors++;
		lgd_rq_negative(r, q, s, dr_status_name(rep.status));
		return;
	}
	for (i = 0; rep.has_client && i < rep.n_leases; i++)
		holds |= rep.leases[i].valid &&
			 lgd_lease_holds(&rep.leases[i], q->addr);
	if (!holds) {
		lgd_rq_negative(r, q, s, "no binding");
		return;
	}
	/*
	 * The link: the server answered for the link-address we gave (RFC
	 * 5007 4.1.2.1), and the relay data, when there is some, says that the
	 * client's last message came in by this interface: the first relay's
	 * link-address is one of its addresses.
	 */
	if (rep.has_relay_data &&
	    lgd_relay_inner(rep.relay_msg.data, rep.relay_msg.len, link,
			    lladdr, &ifid, &ifid_len)) {
		if (!lgd_link_is_ours(r, q, link)) {
			lgd_rq_negative(r, q, s, "bound on another link");
			return;
		}
	} else {
		ifid = NULL;
		memset(lladdr, 0, sizeof(lladdr));
	}
	/*
	 * The client's link-local: the relay's peer-address, else the
	 * modified EUI-64 (RFC 4291 2.5.1) of the MAC the packet came from:
	 * what a client that does not use RFC 7217 addresses has.
	 */
	if (!lgd_ll_unicast(lladdr)) {
		if (!q->has_mac) {
			r->st.errors++;
			lgd_rq_negative(r, q, s, "no client link-local known");
			return;
		}
		memset(lladdr, 0, 16);
		lladdr[0] = 0xfe;
		lladdr[1] = 0x80;
		lladdr[8] = q->mac[0] ^ 0x02;
		lladdr[9] = q->mac[1];
		lladdr[10] = q->mac[2];
		lladdr[11] = 0xff;
		lladdr[12] = 0xfe;
		lladdr[13] = q->mac[3];
		lladdr[14] = q->mac[4];
		lladdr[15] = q->mac[5];
	}
	lgd_restore(r, q, &rep, from, lladdr, ifid, ifid_len);
	lgd_rq_free(r, q);
}

void lgd_recover_input(struct lgd_recover *r)
{
	struct sockaddr_in6 from;
	socklen_t flen;
	ssize_t len;

	for (;;) {
		flen = sizeof(from);
		len = recvfrom(r->fd, r->buf, sizeof(r->buf), 0,
			       (struct sockaddr *)&from, &flen);
		if (len < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNREFUSED)
				lgd_warn("recover socket: %s", strerror(errno));
			if (errno != ECONNREFUSED)
				return;
			continue;
		}
		if (ntohs(from.sin6_port) != DHCP6_SERVER_PORT) {
			r->st.discarded++;
			continue;
		}
		lgd_recover_reply(r, r->buf, len, from.sin6_addr.s6_addr);
	}
}
