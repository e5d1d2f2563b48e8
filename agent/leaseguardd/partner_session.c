// SPDX-License-Identifier: GPL-2.0
/*
 * The partner session (partner_session.h): queue, sequencing, ACKs,
 * resend or bulk on a new connection, heartbeat and dead interval, and
 * the conflict rule, with no I/O and no clock of its own.
 *
 * Sending: a local change goes to the pending list, at most one entry a
 * binding key (the newest replaces the older); lgd_ps_tick() writes
 * pending entries out, each with the next seq, and moves them to the
 * in-flight list, where they stay until an ACK covers them. base is the
 * seq below which nothing is held: a partner whose HELLO says it has
 * received up to r, base <= r <= the last seq sent, gets what follows r
 * again; any other gets a bulk. Either way our next seq is r + 1, which is
 * what the partner expects: the receiver's side needs no other rule.
 *
 * Receiving: seqs in order are handled and ACKed together (ack_batch
 * messages or ack_delay_ms, whichever first); a duplicate is ignored; a
 * gap asks for a RESYNC, and the BULK_BEGIN that answers it is taken at
 * whatever seq it carries.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/queue.h>

#include "partner_session.h"

/* A binding's key: what the protocol names a binding by. */
struct ps_key {
	char ifname[IF_NAMESIZE];
	uint8_t duid_len;
	uint8_t duid[LG_DUID_MAX];
	uint8_t ia_type;
	uint32_t iaid;
};

/* What the queue's and the tombstones' hash tables hold. */
struct ps_hnode {
	struct ps_hnode *next;
	uint32_t hash;
	struct ps_key k;
};

struct ps_htab {
	struct ps_hnode **b;
	size_t nb, n;
};

struct ps_ent {
	struct ps_hnode h;		/* first: in s->qh */
	TAILQ_ENTRY(ps_ent) link;	/* s->pending or s->inflight */
	uint8_t type;			/* LG_SYNC_MSG_UPDATE or _DELETE */
	uint8_t change, reason;
	bool stale;			/* a newer change of the partner's */
	uint64_t time_ms, seq;		/* seq 0: pending */
	struct lg_binding b;
	struct lg_lease leases[LG_SYNC_MAX_LEASES];
	uint8_t ifid[LG_SYNC_IFID_MAX];
};

struct ps_tomb {
	struct ps_hnode h;		/* first: in s->th */
	TAILQ_ENTRY(ps_tomb) link;	/* s->tombs, oldest first */
	uint64_t time_ms;		/* the delete's */
	uint64_t born;			/* the session's now when made */
	uint64_t seq;			/* sent in a bulk with this seq */
	bool local, acked;
	uint8_t reason;
};

TAILQ_HEAD(ps_ents, ps_ent);
TAILQ_HEAD(ps_tombs, ps_tomb);

struct lgd_ps {
	struct lgd_ps_conf conf;
	const struct lgd_ps_ops *ops;
	void *priv;
	struct lgd_ps_stats st;
	uint64_t now;			/* the latest the caller gave */

	/* The connection. */
	bool up;			/* transport up, partner not dead */
	bool have_peer;			/* its HELLO came */
	struct lg_sync_hello peer;
	bool peer_known;		/* peer.instance from an earlier HELLO */
	uint64_t last_send, last_recv;

	/* Sending. */
	struct ps_ents pending, inflight;
	struct ps_htab qh;		/* every entry of both, by key */
	uint64_t next_seq, base;
	bool bulk_owed, overflow_logged;
	bool bulk_unacked;
	uint64_t bulk_end;		/* its BULK_END's seq */

	/* Receiving. */
	uint64_t recv_seq;
	unsigned int ack_owed;		/* in-order messages not ACKed yet */
	uint64_t ack_due;
	bool resync_out, bulk_in;
	uint32_t bulk_in_count;

	struct ps_tombs tombs;
	struct ps_htab th;
	uint64_t tomb_scan;

	uint8_t *out;
	size_t out_len, out_cap;
};

static void ps_log(struct lgd_ps *s, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ps_log(struct lgd_ps *s, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!s->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->ops->log(s->priv, prio, msg);
}

/* ---- Keys and hash tables ---------------------------------------------- */

static void key_of(struct ps_key *k, const struct lg_binding *b)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ifname, b->ifname, sizeof(k->ifname));
	k->ifname[IF_NAMESIZE - 1] = '\0';
	k->duid_len = b->client_duid_len;
	memcpy(k->duid, b->client_duid, b->client_duid_len);
	k->ia_type = b->ia_type;
	k->iaid = b->iaid;
}

static void key_to(struct lg_binding *b, const struct ps_key *k)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->ifname, k->ifname, sizeof(b->ifname));
	b->client_duid_len = k->duid_len;
	memcpy(b->client_duid, k->duid, k->duid_len);
	b->has_ia_type = b->has_iaid = true;
	b->ia_type = k->ia_type;
	b->iaid = k->iaid;
}

/* FNV-1a; the key is zero-filled past its strings, so memcmp() compares. */
static uint32_t key_hash(const struct ps_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int htab_grow(struct ps_htab *t)
{
	size_t nb = t->nb ? 2 * t->nb : 256, i;
	struct ps_hnode **b, *n, *next;

	b = calloc(nb, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (i = 0; i < t->nb; i++)
		for (n = t->b[i]; n; n = next) {
			next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

/*
 * The node must have its key. A table that cannot grow only has longer
 * chains.
 */
static void htab_add(struct ps_htab *t, struct ps_hnode *n)
{
	if (t->n >= 2 * t->nb)
		htab_grow(t);
	n->hash = key_hash(&n->k);
	n->next = t->b[n->hash & (t->nb - 1)];
	t->b[n->hash & (t->nb - 1)] = n;
	t->n++;
}

static void htab_del(struct ps_htab *t, struct ps_hnode *n)
{
	struct ps_hnode **pp = &t->b[n->hash & (t->nb - 1)];

	while (*pp && *pp != n)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = n->next;
		t->n--;
	}
}

/* The first node of key k after from (NULL: from the start). */
static struct ps_hnode *htab_find(const struct ps_htab *t,
				  const struct ps_key *k, uint32_t hash,
				  struct ps_hnode *from)
{
	struct ps_hnode *n;

	if (!t->nb)
		return NULL;
	n = from ? from->next : t->b[hash & (t->nb - 1)];
	for (; n; n = n->next)
		if (n->hash == hash && !memcmp(&n->k, k, sizeof(*k)))
			return n;
	return NULL;
}

/* ---- The queue ---------------------------------------------------------- */

static void queue_len_set(struct lgd_ps *s, long delta)
{
	s->st.queue_len += delta;
	if (s->st.queue_len > s->st.queue_hwm)
		s->st.queue_hwm = s->st.queue_len;
}

static void ent_free(struct lgd_ps *s, struct ps_ent *e, bool inflight)
{
	TAILQ_REMOVE(inflight ? &s->inflight : &s->pending, e, link);
	htab_del(&s->qh, &e->h);
	queue_len_set(s, -1);
	free(e);
}

static void queue_drop(struct lgd_ps *s)
{
	while (!TAILQ_EMPTY(&s->pending))
		ent_free(s, TAILQ_FIRST(&s->pending), false);
	while (!TAILQ_EMPTY(&s->inflight))
		ent_free(s, TAILQ_FIRST(&s->inflight), true);
}

static struct ps_ent *find_pending(struct lgd_ps *s, const struct ps_key *k)
{
	uint32_t hash = key_hash(k);
	struct ps_hnode *n = NULL;

	while ((n = htab_find(&s->qh, k, hash, n)))
		if (!((struct ps_ent *)n)->seq)
			return (struct ps_ent *)n;
	return NULL;
}

/*
 * A change of the partner's superseded ours of key k: the pending one is
 * dropped, those in flight are not sent again. Whether we had one.
 */
static bool queue_supersede(struct lgd_ps *s, const struct ps_key *k)
{
	uint32_t hash = key_hash(k);
	struct ps_hnode *n = NULL;
	struct ps_ent *e, *p = NULL;
	bool had = false;

	while ((n = htab_find(&s->qh, k, hash, n))) {
		e = (struct ps_ent *)n;
		if (e->stale)
			continue;
		had = true;
		if (e->seq)
			e->stale = true;
		else
			p = e;
	}
	if (p)
		ent_free(s, p, false);
	return had;
}

static void overflow(struct lgd_ps *s)
{
	queue_drop(s);
	s->base = s->next_seq - 1;
	s->bulk_owed = true;
	s->st.overflows++;
	if (!s->overflow_logged)
		ps_log(s, LOG_WARNING,
		       "partner: more than %u changes queued: queue dropped, a bulk is owed",
		       s->conf.queue_max);
	s->overflow_logged = true;
}

/* The pending entry of key k, made or reused (coalescing). */
static struct ps_ent *queue_slot(struct lgd_ps *s, const struct ps_key *k)
{
	struct ps_ent *e = find_pending(s, k);

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->h.k = *k;
	htab_add(&s->qh, &e->h);
	TAILQ_INSERT_TAIL(&s->pending, e, link);
	queue_len_set(s, 1);
	return e;
}

/* ---- Tombstones --------------------------------------------------------- */

static struct ps_tomb *tomb_find(struct lgd_ps *s, const struct ps_key *k)
{
	return (struct ps_tomb *)htab_find(&s->th, k, key_hash(k), NULL);
}

static void tomb_free(struct lgd_ps *s, struct ps_tomb *t)
{
	TAILQ_REMOVE(&s->tombs, t, link);
	htab_del(&s->th, &t->h);
	s->st.tombs--;
	free(t);
}

static void tomb_set(struct lgd_ps *s, const struct ps_key *k,
		     uint64_t time_ms, uint8_t reason, bool local)
{
	struct ps_tomb *t = tomb_find(s, k);

	if (t) {
		/* Renewed: to the back, as the youngest. */
		TAILQ_REMOVE(&s->tombs, t, link);
	} else {
		if (s->st.tombs >= s->conf.tomb_max) {
			tomb_free(s, TAILQ_FIRST(&s->tombs));
			s->st.tombs_dropped++;
		}
		t = calloc(1, sizeof(*t));
		if (!t)
			return;
		t->h.k = *k;
		htab_add(&s->th, &t->h);
		s->st.tombs++;
	}
	TAILQ_INSERT_TAIL(&s->tombs, t, link);
	t->time_ms = time_ms;
	t->reason = reason;
	t->born = s->now;
	t->local = local;
	t->acked = !local;
	t->seq = 0;
}

/* Those old enough, and acknowledged if ours, go. */
static void tomb_expire(struct lgd_ps *s)
{
	struct ps_tomb *t, *next;

	for (t = TAILQ_FIRST(&s->tombs); t; t = next) {
		next = TAILQ_NEXT(t, link);
		if (s->now - t->born < s->conf.tomb_ms)
			break;
		if (t->acked)
			tomb_free(s, t);
	}
}

/* ---- Output ------------------------------------------------------------- */

static int emit(struct lgd_ps *s, struct lg_sync_msg *m)
{
	size_t need = s->out_len + LG_SYNC_HDR_LEN + LG_SYNC_MSG_MAX;
	ssize_t n;

	if (need > s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap : 65536;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(s->out, cap);
		if (!p)
			return -ENOMEM;
		s->out = p;
		s->out_cap = cap;
	}
	n = lg_sync_build(m, s->out + s->out_len, s->out_cap - s->out_len);
	if (n < 0)
		return n;
	s->out_len += n;
	s->last_send = s->now;
	s->st.sent++;
	return 0;
}

static int emit_type(struct lgd_ps *s, uint8_t type, uint64_t seq)
{
	struct lg_sync_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.type = type;
	m.hdr.seq = seq;
	return emit(s, &m);
}

/* What apply_update() held, made: before any ACK that covers it. */
static void apply_flush(struct lgd_ps *s)
{
	int refused;

	if (!s->ops->apply_flush)
		return;
	refused = s->ops->apply_flush(s->priv);
	if (refused <= 0)
		return;
	s->st.applied -= refused;
	s->st.refused += refused;
}

static void send_ack(struct lgd_ps *s)
{
	struct lg_sync_msg m;

	apply_flush(s);
	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_ACK;
	m.recv_seq = s->recv_seq;
	if (!emit(s, &m))
		s->ack_owed = 0;
}

static void send_hello(struct lgd_ps *s)
{
	struct lg_sync_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_HELLO;
	memcpy(m.hello.node_id, s->conf.node_id, sizeof(m.hello.node_id));
	snprintf(m.hello.sw_version, sizeof(m.hello.sw_version), "%s",
		 s->conf.sw_version ? s->conf.sw_version : "leaseguard");
	m.hello.role = s->conf.role;
	m.hello.recv_seq = s->recv_seq;
	m.hello.instance = s->conf.instance;
	emit(s, &m);
}

/* An entry as its message; b's pointers are the entry's. */
static void ent_msg(struct ps_ent *e, struct lg_sync_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = e->type;
	m->hdr.seq = e->seq;
	m->b = e->b;
	m->b.leases = e->leases;
	m->b.interface_id = e->b.interface_id_len ? e->ifid : NULL;
	m->change = e->change;
	m->reason = e->reason;
	m->time_ms = e->time_ms;
}

struct bulk_walk {
	struct lgd_ps *s;
	uint32_t count;
};

static int bulk_one(void *arg, const struct lg_binding *b, uint64_t time_ms)
{
	struct bulk_walk *w = arg;
	struct lgd_ps *s = w->s;
	struct lg_sync_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_UPDATE;
	m.hdr.seq = s->next_seq;
	m.b = *b;
	m.change = LG_SYNC_CHANGE_UPDATE;
	m.time_ms = time_ms;
	err = emit(s, &m);
	if (err == -ENOMEM)
		return err;
	if (err) {
		/* One binding the protocol cannot carry: the rest go on. */
		ps_log(s, LOG_ERR, "partner: binding %s/%u not sent in the bulk (%s)",
		       b->ifname, b->iaid, strerror(-err));
		return 0;
	}
	s->next_seq++;
	w->count++;
	return 0;
}

/*
 * The whole table, then our deletes the partner has not acknowledged
 * (their tombstones), in one go. The queue is dropped: the bulk says it.
 */
static void send_bulk(struct lgd_ps *s)
{
	struct bulk_walk w = { .s = s };
	struct lg_sync_msg m;
	struct ps_tomb *t;
	int err;

	queue_drop(s);
	if (emit_type(s, LG_SYNC_MSG_BULK_BEGIN, s->next_seq))
		goto fail;
	s->next_seq++;
	err = s->ops->walk(s->priv, bulk_one, &w);
	if (err)
		goto fail;
	TAILQ_FOREACH(t, &s->tombs, link) {
		if (t->acked)
			continue;
		memset(&m, 0, sizeof(m));
		m.hdr.type = LG_SYNC_MSG_DELETE;
		m.hdr.seq = s->next_seq;
		key_to(&m.b, &t->h.k);
		m.reason = t->reason;
		m.time_ms = t->time_ms;
		if (emit(s, &m))
			goto fail;
		t->seq = s->next_seq++;
	}
	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_BULK_END;
	m.hdr.seq = s->next_seq;
	m.count = w.count;
	if (emit(s, &m))
		goto fail;
	s->bulk_end = s->next_seq++;
	s->base = s->bulk_end;
	s->bulk_unacked = true;
	s->bulk_owed = false;
	s->overflow_logged = false;
	s->st.bulks_sent++;
	ps_log(s, LOG_INFO, "partner: bulk of %u bindings sent", w.count);
	return;
fail:
	/* Out of memory: the connection cannot go on as it is. */
	ps_log(s, LOG_ERR, "partner: the bulk could not be written: down");
	s->up = false;
	s->out_len = 0;
}

/*
 * The queue, written out while the output buffer has room and the window
 * is open: what is in flight is base + 1 .. next_seq - 1.
 */
static void flush(struct lgd_ps *s)
{
	struct lg_sync_msg m;
	struct ps_ent *e;
	int err;

	if (!s->up || !s->have_peer)
		return;
	if (s->bulk_owed)
		send_bulk(s);
	while (s->up && s->out_len < s->conf.out_high &&
	       s->next_seq - 1 - s->base < s->conf.window &&
	       (e = TAILQ_FIRST(&s->pending))) {
		e->seq = s->next_seq;
		ent_msg(e, &m);
		err = emit(s, &m);
		if (err == -ENOMEM) {
			e->seq = 0;
			return;
		}
		TAILQ_REMOVE(&s->pending, e, link);
		if (err) {
			/* Checked when queued: cannot happen. */
			ps_log(s, LOG_ERR, "partner: %s not sent (%s)",
			       lg_sync_msg_name(e->type), strerror(-err));
			htab_del(&s->qh, &e->h);
			queue_len_set(s, -1);
			free(e);
			continue;
		}
		s->next_seq++;
		TAILQ_INSERT_TAIL(&s->inflight, e, link);
	}
}

/* ---- Local changes ------------------------------------------------------ */

/* What the protocol needs of a key, checked here rather than when sent. */
static bool key_valid(const struct lg_binding *b)
{
	return b->ifname[0] && b->has_ia_type && b->has_iaid &&
	       b->client_duid_len >= LG_DUID_MIN &&
	       b->client_duid_len <= LG_DUID_MAX;
}

int lgd_ps_local_update(struct lgd_ps *s, const struct lg_binding *b,
			uint8_t change, uint64_t time_ms)
{
	struct ps_tomb *t;
	struct ps_ent *e;
	struct ps_key k;

	if (b->n_leases > LG_SYNC_MAX_LEASES ||
	    b->interface_id_len > LG_SYNC_IFID_MAX)
		return -E2BIG;
	if (!key_valid(b) || !b->n_leases || !b->leases ||
	    !b->has_client_lladdr || !b->has_server_addr)
		return -EINVAL;
	key_of(&k, b);
	t = tomb_find(s, &k);
	if (t)
		tomb_free(s, t);
	if (s->bulk_owed)
		return 0;
	e = queue_slot(s, &k);
	if (!e)
		return -ENOMEM;
	e->type = LG_SYNC_MSG_UPDATE;
	e->change = change;
	e->time_ms = time_ms;
	e->b = *b;
	memcpy(e->leases, b->leases, b->n_leases * sizeof(*b->leases));
	if (b->interface_id_len)
		memcpy(e->ifid, b->interface_id, b->interface_id_len);
	e->b.leases = NULL;
	e->b.interface_id = NULL;
	if (s->st.queue_len > s->conf.queue_max)
		overflow(s);
	return 0;
}

int lgd_ps_local_delete(struct lgd_ps *s, const struct lg_binding *key,
			uint8_t reason, uint64_t time_ms)
{
	struct ps_ent *e;
	struct ps_key k;

	if (!key_valid(key))
		return -EINVAL;
	key_of(&k, key);
	tomb_set(s, &k, time_ms, reason, true);
	if (s->bulk_owed)
		return 0;
	e = queue_slot(s, &k);
	if (!e)
		return -ENOMEM;
	e->type = LG_SYNC_MSG_DELETE;
	e->reason = reason;
	e->time_ms = time_ms;
	key_to(&e->b, &k);
	if (s->st.queue_len > s->conf.queue_max)
		overflow(s);
	return 0;
}

/* ---- Received messages -------------------------------------------------- */

static void protocol_error(struct lgd_ps *s, const char *what)
{
	s->st.malformed++;
	ps_log(s, LOG_WARNING, "partner: %s: closing", what);
	s->up = false;
}

static void recv_ack(struct lgd_ps *s, uint64_t r);

/*
 * The partner's HELLO: what it has of ours decides between sending again
 * what followed and a bulk.
 */
static void recv_hello(struct lgd_ps *s, const struct lg_sync_hello *h)
{
	uint64_t r = h->recv_seq, last = s->next_seq - 1;
	bool same = s->peer_known && h->instance == s->peer.instance;
	struct ps_ent *e, *prev;
	uint64_t n = 0;

	if (s->have_peer) {
		protocol_error(s, "a second HELLO");
		return;
	}
	if (!memcmp(h->node_id, s->conf.node_id, sizeof(h->node_id))) {
		protocol_error(s, "the partner has our node id");
		return;
	}
	/* Our seqs go on from r + 1: they must not wrap to 0. */
	if (r > UINT64_MAX / 2) {
		protocol_error(s, "a RECV_SEQ out of range");
		return;
	}
	s->peer = *h;
	s->peer_known = true;
	s->have_peer = true;
	if (s->bulk_owed || !same || !r || r < s->base || r > last) {
		ps_log(s, LOG_INFO,
		       "partner: %s (instance %llx, it has up to %llu of ours): bulk",
		       same ? "reconnected" : "new partner",
		       (unsigned long long)h->instance,
		       (unsigned long long)r);
		s->bulk_owed = true;
		s->next_seq = r + 1;
		s->base = r;
		return;
	}
	/* What it lacks goes back to the pending list, in its order. */
	recv_ack(s, r);
	for (e = TAILQ_LAST(&s->inflight, ps_ents); e; e = prev) {
		prev = TAILQ_PREV(e, ps_ents, link);
		TAILQ_REMOVE(&s->inflight, e, link);
		if (e->stale || find_pending(s, &e->h.k)) {
			/* Superseded. */
			htab_del(&s->qh, &e->h);
			queue_len_set(s, -1);
			free(e);
			continue;
		}
		e->seq = 0;
		TAILQ_INSERT_HEAD(&s->pending, e, link);
		n++;
	}
	s->st.resent += n;
	s->next_seq = r + 1;
	s->base = r;
	ps_log(s, LOG_INFO, "partner: reconnected, %llu changes sent again",
	       (unsigned long long)n);
}

static void recv_ack(struct lgd_ps *s, uint64_t r)
{
	struct ps_ent *e;
	struct ps_tomb *t;

	if (r >= s->next_seq) {
		protocol_error(s, "an ACK of a seq not sent");
		return;
	}
	while ((e = TAILQ_FIRST(&s->inflight)) && e->seq <= r) {
		if (e->type == LG_SYNC_MSG_DELETE) {
			t = tomb_find(s, &e->h.k);
			if (t && t->local && t->time_ms == e->time_ms)
				t->acked = true;
		}
		ent_free(s, e, true);
	}
	if (s->bulk_unacked && r >= s->bulk_end) {
		TAILQ_FOREACH(t, &s->tombs, link)
			if (t->seq && t->seq <= r)
				t->acked = true;
		s->bulk_unacked = false;
	}
	if (r > s->base)
		s->base = r;
}

/*
 * The partner's update of a transaction we have: only its state may be
 * new (a release asked for, or over).
 */
static void recv_state(struct lgd_ps *s, const struct lg_sync_msg *m)
{
	int err;

	if (!m->b.has_state || !s->ops->apply_state)
		return;
	err = s->ops->apply_state(s->priv, &m->b);
	if (err < 0)
		s->st.refused++;
	else if (err > 0)
		s->st.applied++;
}

/* The tie rule between two updates of the same time: the larger id wins. */
static bool peer_wins_tie(const struct lgd_ps *s)
{
	return memcmp(s->peer.node_id, s->conf.node_id,
		      sizeof(s->conf.node_id)) > 0;
}

static void recv_update(struct lgd_ps *s, const struct lg_sync_msg *m)
{
	uint64_t t = m->time_ms, lt;
	struct ps_tomb *tomb;
	bool ours_queued;
	struct ps_key k;
	int err;

	key_of(&k, &m->b);
	tomb = tomb_find(s, &k);
	if (tomb) {
		/* At equal times the delete wins. */
		if (t <= tomb->time_ms) {
			s->st.conflicts_won++;
			return;
		}
	} else if (!s->ops->lookup(s->priv, &m->b, &lt)) {
		if (t < lt) {
			s->st.conflicts_won++;
			return;
		}
		if (t == lt) {
			/*
			 * The same transaction, unless we changed it too;
			 * perhaps the same leases in another state.
			 */
			if (!htab_find(&s->qh, &k, key_hash(&k), NULL)) {
				recv_state(s, m);
				return;
			}
			if (!peer_wins_tie(s)) {
				s->st.conflicts_won++;
				return;
			}
		}
	}
	err = s->ops->apply_update(s->priv, &m->b, t);
	if (err) {
		s->st.refused++;
		return;
	}
	s->st.applied++;
	ours_queued = queue_supersede(s, &k);
	if (ours_queued || (tomb && tomb->local && !tomb->acked))
		s->st.conflicts_lost++;
	if (tomb)
		tomb_free(s, tomb);
}

static void recv_delete(struct lgd_ps *s, const struct lg_sync_msg *m)
{
	uint64_t t = m->time_ms, lt;
	struct ps_tomb *tomb;
	struct ps_key k;
	int err;

	key_of(&k, &m->b);
	tomb = tomb_find(s, &k);
	if (tomb) {
		/* Already gone here; the newer time is the one to keep. */
		if (t > tomb->time_ms) {
			queue_supersede(s, &k);
			tomb_set(s, &k, t, m->reason, false);
		}
		return;
	}
	if (!s->ops->lookup(s->priv, &m->b, &lt)) {
		if (t < lt) {
			s->st.conflicts_won++;
			return;
		}
		err = s->ops->apply_delete(s->priv, &m->b, m->reason, t);
		if (err && err != -ENOENT) {
			s->st.refused++;
			return;
		}
		s->st.applied++;
	}
	if (queue_supersede(s, &k))
		s->st.conflicts_lost++;
	tomb_set(s, &k, t, m->reason, false);
}

/* A sequenced message: whether it is the one expected. */
static bool in_order(struct lgd_ps *s, const struct lg_sync_msg *m)
{
	uint64_t seq = m->hdr.seq;

	if (s->resync_out) {
		/* Waiting for the bulk that answers our RESYNC. */
		if (m->hdr.type != LG_SYNC_MSG_BULK_BEGIN || seq <= s->recv_seq)
			return false;
		s->resync_out = false;
		s->recv_seq = seq - 1;
	}
	if (seq <= s->recv_seq) {
		s->st.duplicates++;
		return false;
	}
	if (seq > s->recv_seq + 1) {
		s->st.gaps++;
		ps_log(s, LOG_WARNING,
		       "partner: seq %llu after %llu: RESYNC",
		       (unsigned long long)seq,
		       (unsigned long long)s->recv_seq);
		emit_type(s, LG_SYNC_MSG_RESYNC, 0);
		s->resync_out = true;
		s->bulk_in = false;
		return false;
	}
	s->recv_seq = seq;
	if (!s->ack_owed++)
		s->ack_due = s->now + s->conf.ack_delay_ms;
	return true;
}

void lgd_ps_recv(struct lgd_ps *s, uint64_t now, const struct lg_sync_msg *m)
{
	s->now = now;
	if (!s->up)
		return;
	s->st.received++;
	s->last_recv = now;
	s->st.last_recv_ms = now;
	s->st.unknown += m->unknown_attrs;
	if (m->unknown_type) {
		s->st.unknown++;
		return;
	}
	if (m->hdr.type == LG_SYNC_MSG_HELLO) {
		recv_hello(s, &m->hello);
		return;
	}
	if (!s->have_peer) {
		protocol_error(s, "a message before HELLO");
		return;
	}
	if (lg_sync_sequenced(m->hdr.type) && !in_order(s, m))
		return;
	switch (m->hdr.type) {
	case LG_SYNC_MSG_UPDATE:
		if (s->bulk_in)
			s->bulk_in_count++;
		recv_update(s, m);
		break;
	case LG_SYNC_MSG_DELETE:
		recv_delete(s, m);
		break;
	case LG_SYNC_MSG_BULK_BEGIN:
		s->bulk_in = true;
		s->bulk_in_count = 0;
		break;
	case LG_SYNC_MSG_BULK_END:
		if (s->bulk_in && m->count != s->bulk_in_count)
			ps_log(s, LOG_WARNING,
			       "partner: bulk of %u said %u", s->bulk_in_count,
			       m->count);
		if (s->bulk_in)
			s->st.bulks_received++;
		s->bulk_in = false;
		break;
	case LG_SYNC_MSG_ACK:
		recv_ack(s, m->recv_seq);
		break;
	case LG_SYNC_MSG_HEARTBEAT:
		s->st.last_heartbeat_ms = now;
		break;
	case LG_SYNC_MSG_RESYNC:
		ps_log(s, LOG_INFO, "partner: RESYNC asked");
		s->bulk_owed = true;
		break;
	}
}

ssize_t lgd_ps_input(struct lgd_ps *s, uint64_t now, const uint8_t *buf,
		     size_t len)
{
	struct lg_sync_msg m;
	const char *why = NULL;
	size_t off = 0;
	ssize_t n;
	int err;

	s->now = now;
	while (s->up && off < len) {
		n = lg_sync_frame_len(buf + off, len - off);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			protocol_error(s, "bad header");
			apply_flush(s);
			return n;
		}
		err = lg_sync_parse(buf + off, n, &m, &why);
		if (err) {
			s->st.malformed++;
			ps_log(s, LOG_WARNING, "partner: malformed %s: %s: closing",
			       lg_sync_msg_name(buf[off + 1]),
			       why ? why : strerror(-err));
			s->up = false;
			/* Those before it were in order: made all the same. */
			apply_flush(s);
			return err;
		}
		lgd_ps_recv(s, now, &m);
		off += n;
	}
	apply_flush(s);
	if (s->up && s->ack_owed >= s->conf.ack_batch)
		send_ack(s);
	flush(s);
	return off;
}

/* ---- Connection and time ------------------------------------------------ */

void lgd_ps_connected(struct lgd_ps *s, uint64_t now)
{
	s->now = now;
	s->up = true;
	s->have_peer = false;
	s->out_len = 0;
	s->ack_owed = 0;
	s->resync_out = s->bulk_in = false;
	s->last_recv = now;
	send_hello(s);
}

void lgd_ps_disconnected(struct lgd_ps *s)
{
	apply_flush(s);
	s->up = false;
	s->have_peer = false;
	s->out_len = 0;
	s->ack_owed = 0;
	s->resync_out = s->bulk_in = false;
}

uint64_t lgd_ps_tick(struct lgd_ps *s, uint64_t now)
{
	uint64_t next = now + 1000;

	s->now = now;
	apply_flush(s);
	if (now >= s->tomb_scan) {
		tomb_expire(s);
		s->tomb_scan = now + 1000;
	}
	if (s->tomb_scan < next)
		next = s->tomb_scan;
	if (!s->up)
		return next;
	if (now - s->last_recv >= s->conf.dead_ms) {
		s->st.dead++;
		ps_log(s, LOG_WARNING,
		       "partner: nothing received for %u ms: down",
		       s->conf.dead_ms);
		s->up = false;
		return next;
	}
	if (s->ack_owed && now >= s->ack_due)
		send_ack(s);
	flush(s);
	if (s->up && now - s->last_send >= s->conf.heartbeat_ms)
		emit_type(s, LG_SYNC_MSG_HEARTBEAT, 0);
	if (s->last_send + s->conf.heartbeat_ms < next)
		next = s->last_send + s->conf.heartbeat_ms;
	if (s->last_recv + s->conf.dead_ms < next)
		next = s->last_recv + s->conf.dead_ms;
	if (s->ack_owed && s->ack_due < next)
		next = s->ack_due;
	return next;
}

const uint8_t *lgd_ps_out(const struct lgd_ps *s, size_t *len)
{
	*len = s->up ? s->out_len : 0;
	return s->out;
}

void lgd_ps_out_consume(struct lgd_ps *s, size_t n)
{
	if (n >= s->out_len) {
		s->out_len = 0;
		return;
	}
	memmove(s->out, s->out + n, s->out_len - n);
	s->out_len -= n;
}

/* ---- The rest ----------------------------------------------------------- */

void lgd_ps_owe_bulk(struct lgd_ps *s)
{
	if (!s->bulk_owed)
		ps_log(s, LOG_WARNING,
		       "partner: changes of ours were not queued: a bulk owed");
	s->bulk_owed = true;
}

/* Said in the next HELLO (a role changes without a new connection). */
void lgd_ps_set_role(struct lgd_ps *s, uint8_t role)
{
	s->conf.role = role;
}

enum lgd_ps_state lgd_ps_state(const struct lgd_ps *s)
{
	if (!s->up)
		return LGD_PS_DOWN;
	if (!s->have_peer)
		return LGD_PS_HELLO;
	if (s->bulk_in || s->resync_out || s->bulk_owed || s->bulk_unacked)
		return LGD_PS_BULK;
	return LGD_PS_SYNCED;
}

const char *lgd_ps_state_name(enum lgd_ps_state st)
{
	static const char *const names[] = {
		[LGD_PS_DOWN] = "down",
		[LGD_PS_HELLO] = "hello",
		[LGD_PS_BULK] = "bulk",
		[LGD_PS_SYNCED] = "synced",
	};

	return st <= LGD_PS_SYNCED ? names[st] : "?";
}

const struct lgd_ps_stats *lgd_ps_stats(const struct lgd_ps *s)
{
	return &s->st;
}

const struct lg_sync_hello *lgd_ps_peer(const struct lgd_ps *s)
{
	return s->peer_known ? &s->peer : NULL;
}

#define DEFAULT(f, v)	do { if (!s->conf.f) s->conf.f = (v); } while (0)

struct lgd_ps *lgd_ps_new(const struct lgd_ps_conf *conf,
			  const struct lgd_ps_ops *ops, void *priv)
{
	struct lgd_ps *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->conf = *conf;
	DEFAULT(queue_max, LGD_PS_QUEUE_MAX);
	DEFAULT(window, LGD_PS_WINDOW);
	DEFAULT(heartbeat_ms, LGD_PS_HEARTBEAT_MS);
	DEFAULT(dead_ms, LGD_PS_DEAD_MS);
	DEFAULT(ack_delay_ms, LGD_PS_ACK_DELAY_MS);
	DEFAULT(ack_batch, LGD_PS_ACK_BATCH);
	DEFAULT(tomb_ms, s->conf.dead_ms + LGD_PS_BULK_MS);
	DEFAULT(tomb_max, s->conf.queue_max);
	DEFAULT(out_high, LGD_PS_OUT_HIGH);
	s->ops = ops;
	s->priv = priv;
	s->next_seq = 1;
	TAILQ_INIT(&s->pending);
	TAILQ_INIT(&s->inflight);
	TAILQ_INIT(&s->tombs);
	if (htab_grow(&s->qh) || htab_grow(&s->th)) {
		lgd_ps_free(s);
		return NULL;
	}
	return s;
}

void lgd_ps_free(struct lgd_ps *s)
{
	if (!s)
		return;
	queue_drop(s);
	while (!TAILQ_EMPTY(&s->tombs))
		tomb_free(s, TAILQ_FIRST(&s->tombs));
	free(s->qh.b);
	free(s->th.b);
	free(s->out);
	free(s);
}
