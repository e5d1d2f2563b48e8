// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's partner session (agent/leaseguardd/partner_session.c)
 * driven alone: two sessions, A and B, wired back to back through a
 * simulated pipe the test can delay, drop, duplicate, reorder or cut, and
 * a fake clock. Each has a binding table of its own (the callbacks), and
 * the frames between them are real (sync_wire.c both ways).
 *
 * Checked: a change reaches the partner and is applied once; a change is
 * only queued (lazy); coalescing per binding key; ACKs cumulative;
 * reconnect sends again only what was not ACKed; queue overflow -> bulk;
 * a restarted partner (new instance) -> bulk; partition with changes on
 * both sides, then heal: the same table on both, by the conflict rule
 * (newest time; at equal times delete wins, then the larger node id);
 * the dead interval; a gap -> RESYNC -> bulk; duplicates; malformed
 * input counted. A binding's release in flight (RELEASING): a state
 * change at the same time crosses alone (apply_state), a bulk carries it,
 * an older one loses, a refusal is counted, and one without the state
 * (an older partner) leaves the receiver's as it is. A receiver that
 * holds the partner's updates for a batch (apply_flush): nothing it
 * writes (an ACK) goes out while it holds any, a stream read at once is
 * one batch, its refusals are counted as refused, and a second change of
 * a key it holds makes the first before the rule looks. Changes that
 * never reached the session (their notifications lost) go in a bulk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <linux/leaseguard.h>

#include "kselftest_harness.h"

#include "partner_session.h"
#include "sync_wire.h"

static uint64_t now = 1000000;

/* ---- A node: a session and its binding table ---------------------------- */

#define MAXREC	2048

struct rec {
	bool used;
	uint32_t iaid;
	uint8_t tag;			/* the lease's last octet: which version */
	uint64_t time_ms;
	bool has_state;			/* said by a partner, or set here */
	uint8_t releasing;		/* 0 bound, else the release's reason */
};

struct node {
	const char *name;
	struct lgd_ps *s;
	struct lgd_ps_conf conf;
	struct rec tab[MAXREC];
	unsigned int applied_upd, applied_del, applied_state;
	int refuse;			/* what apply_update returns */
	int refuse_state;		/* ... and apply_state */
	unsigned int warnings;
	char last_log[256];
};

static const uint8_t duid[] = { 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 1, 2 };

/* Binding iaid of the one client on acc0; tag names its version. */
static void make_binding(struct lg_binding *b, struct lg_lease *l,
			 uint32_t iaid, uint8_t tag)
{
	memset(b, 0, sizeof(*b));
	memset(l, 0, sizeof(*l));
	strcpy(b->ifname, "acc0");
	memcpy(b->client_duid, duid, sizeof(duid));
	b->client_duid_len = sizeof(duid);
	b->has_ia_type = b->has_iaid = true;
	b->ia_type = LG_IA_NA;
	b->iaid = iaid;
	b->has_client_lladdr = b->has_server_addr = true;
	b->client_lladdr[0] = 0xfe;
	b->client_lladdr[1] = 0x80;
	b->client_lladdr[15] = 1;
	b->server_addr[0] = 0x20;
	b->server_addr[15] = 0x53;
	l->addr[0] = 0x20;
	l->addr[1] = 0x01;
	l->addr[13] = iaid >> 8;
	l->addr[14] = iaid;
	l->addr[15] = tag;
	l->has_valid = true;
	l->valid = 3600;
	b->leases = l;
	b->n_leases = 1;
	/* One relayed binding: IAID 77 carries the relay's Interface-Id. */
	if (iaid == 77) {
		b->interface_id = (uint8_t *)"eth7";
		b->interface_id_len = 4;
	}
}

static struct rec *rec_find(struct node *n, uint32_t iaid)
{
	int i;

	for (i = 0; i < MAXREC; i++)
		if (n->tab[i].used && n->tab[i].iaid == iaid)
			return &n->tab[i];
	return NULL;
}

static struct rec *rec_set(struct node *n, uint32_t iaid, uint8_t tag,
			   uint64_t time_ms)
{
	struct rec *r = rec_find(n, iaid);
	int i;

	for (i = 0; !r && i < MAXREC; i++)
		if (!n->tab[i].used) {
			r = &n->tab[i];
			memset(r, 0, sizeof(*r));	/* a new binding: bound */
		}
	if (!r)
		abort();
	r->used = true;
	r->iaid = iaid;
	r->tag = tag;
	r->time_ms = time_ms;
	return r;
}

static bool is_ours(const struct lg_binding *b)
{
	return !strcmp(b->ifname, "acc0") &&
	       b->client_duid_len == sizeof(duid) &&
	       !memcmp(b->client_duid, duid, sizeof(duid)) &&
	       b->ia_type == LG_IA_NA;
}

static int cb_lookup(void *priv, const struct lg_binding *key,
		     uint64_t *time_ms)
{
	struct rec *r = is_ours(key) ? rec_find(priv, key->iaid) : NULL;

	if (!r)
		return -ENOENT;
	*time_ms = r->time_ms;
	return 0;
}

static int cb_apply_update(void *priv, const struct lg_binding *b,
			   uint64_t time_ms)
{
	struct node *n = priv;
	struct rec *r;

	if (!is_ours(b) || b->n_leases != 1 || b->leases[0].valid != 3600)
		abort();
	if ((b->iaid == 77) != (b->interface_id_len == 4) ||
	    (b->iaid == 77 && memcmp(b->interface_id, "eth7", 4)))
		abort();
	if (n->refuse)
		return n->refuse;
	r = rec_set(n, b->iaid, b->leases[0].addr[15], time_ms);
	/* As the kernel's REPLACE: the state stays unless the partner says. */
	if (b->has_state) {
		r->has_state = true;
		r->releasing = b->state == LG_BINDING_RELEASING ?
			       b->release_reason : 0;
	}
	n->applied_upd++;
	return 0;
}

static int cb_apply_state(void *priv, const struct lg_binding *b)
{
	struct node *n = priv;
	struct rec *r = is_ours(b) ? rec_find(n, b->iaid) : NULL;
	uint8_t releasing;

	if (!r || !b->has_state || b->n_leases != 1)
		abort();
	if (n->refuse_state)
		return n->refuse_state;
	releasing = b->state == LG_BINDING_RELEASING ? b->release_reason : 0;
	if (b->state == LG_BINDING_RELEASING && !releasing)
		abort();
	if (r->has_state && r->releasing == releasing)
		return 0;
	r->has_state = true;
	r->releasing = releasing;
	n->applied_state++;
	return 1;
}

static int cb_apply_delete(void *priv, const struct lg_binding *key,
			   uint8_t reason, uint64_t time_ms)
{
	struct node *n = priv;
	struct rec *r = is_ours(key) ? rec_find(n, key->iaid) : NULL;

	(void)reason, (void)time_ms;
	if (!r)
		return -ENOENT;
	r->used = false;
	n->applied_del++;
	return 0;
}

/* A binding in the state of its record. */
static void set_state(struct lg_binding *b, const struct rec *r)
{
	b->has_state = r->has_state;
	b->state = r->releasing ? LG_BINDING_RELEASING : LG_BINDING_BOUND;
	b->has_release_reason = r->releasing != 0;
	b->release_reason = r->releasing;
}

static int cb_walk(void *priv,
		   int (*fn)(void *arg, const struct lg_binding *b,
			     uint64_t time_ms),
		   void *arg)
{
	struct node *n = priv;
	struct lg_binding b;
	struct lg_lease l;
	int i, err;

	for (i = 0; i < MAXREC; i++) {
		if (!n->tab[i].used)
			continue;
		make_binding(&b, &l, n->tab[i].iaid, n->tab[i].tag);
		set_state(&b, &n->tab[i]);
		err = fn(arg, &b, n->tab[i].time_ms);
		if (err)
			return err;
	}
	return 0;
}

static void cb_log(void *priv, int prio, const char *msg)
{
	struct node *n = priv;

	if (prio <= LOG_WARNING)
		n->warnings++;
	snprintf(n->last_log, sizeof(n->last_log), "%s", msg);
	if (getenv("LGD_PARTNER_TEST_LOG"))
		fprintf(stderr, "# %s %llu: %s\n", n->name,
			(unsigned long long)now, msg);
}

static const struct lgd_ps_ops ops = {
	.lookup = cb_lookup,
	.apply_update = cb_apply_update,
	.apply_state = cb_apply_state,
	.apply_delete = cb_apply_delete,
	.walk = cb_walk,
	.log = cb_log,
};

/* A partner that takes no state (no apply_state). */
static const struct lgd_ps_ops ops_no_state = {
	.lookup = cb_lookup,
	.apply_update = cb_apply_update,
	.apply_delete = cb_apply_delete,
	.walk = cb_walk,
	.log = cb_log,
};

/*
 * A receiver whose "kernel" answers in batches, as failover.c's does:
 * apply_update() holds the binding, apply_flush() makes what it holds.
 * Only one node of a test uses it (held_node).
 */
#define MAXHELD	1024

static struct {
	struct node *node;
	struct {
		uint32_t iaid;
		uint8_t tag;
		uint64_t time_ms;
		bool has_state;
		uint8_t releasing;
	} v[MAXHELD];
	size_t n;
	size_t out_len;			/* the session's output then */
	unsigned int flushes, written_while_held, refuse_every;
	int refused;			/* not told the session yet */
} held;

static void held_make(void)
{
	size_t i;

	if (held.n)
		held.flushes++;
	for (i = 0; i < held.n; i++) {
		struct rec *r;

		if (held.refuse_every &&
		    !(held.v[i].iaid % held.refuse_every)) {
			held.refused++;
			continue;
		}
		r = rec_set(held.node, held.v[i].iaid, held.v[i].tag,
			    held.v[i].time_ms);
		if (held.v[i].has_state) {
			r->has_state = true;
			r->releasing = held.v[i].releasing;
		}
		held.node->applied_upd++;
	}
	held.n = 0;
}

/* The session wrote nothing while it held: no ACK the kernel had not earned. */
static void held_check_out(struct node *n)
{
	size_t len;

	lgd_ps_out(n->s, &len);
	if (held.n && len != held.out_len)
		held.written_while_held++;
}

static int cb_held_lookup(void *priv, const struct lg_binding *key,
			  uint64_t *time_ms)
{
	size_t i;

	held_check_out(priv);
	/* failover.c's rule: a key it holds is made before it is looked up. */
	for (i = 0; is_ours(key) && i < held.n; i++)
		if (held.v[i].iaid == key->iaid) {
			held_make();
			break;
		}
	return cb_lookup(priv, key, time_ms);
}

static int cb_held_apply_update(void *priv, const struct lg_binding *b,
				uint64_t time_ms)
{
	struct node *n = priv;
	size_t len;

	if (n != held.node || !is_ours(b) || b->n_leases != 1)
		abort();
	held_check_out(n);
	if (held.n == MAXHELD)
		held_make();
	if (!held.n) {
		lgd_ps_out(n->s, &len);
		held.out_len = len;
	}
	held.v[held.n].iaid = b->iaid;
	held.v[held.n].tag = b->leases[0].addr[15];
	held.v[held.n].time_ms = time_ms;
	held.v[held.n].has_state = b->has_state;
	held.v[held.n].releasing = b->state == LG_BINDING_RELEASING ?
				   b->release_reason : 0;
	held.n++;
	return 0;
}

static int cb_held_flush(void *priv)
{
	int refused;

	held_check_out(priv);
	held_make();
	refused = held.refused;
	held.refused = 0;
	return refused;
}

static const struct lgd_ps_ops ops_held = {
	.lookup = cb_held_lookup,
	.apply_update = cb_held_apply_update,
	.apply_flush = cb_held_flush,
	.apply_state = cb_apply_state,
	.apply_delete = cb_apply_delete,
	.walk = cb_walk,
	.log = cb_log,
};

/* What the next node_start() gives its session. */
static const struct lgd_ps_ops *node_ops = &ops;

/* A (re)started node: a new instance, an empty table, conf's settings. */
static void node_start(struct node *n, const char *name, uint8_t id,
		       uint64_t instance, uint32_t queue_max, uint32_t window)
{
	lgd_ps_free(n->s);
	memset(n, 0, sizeof(*n));
	n->name = name;
	memset(n->conf.node_id, id, sizeof(n->conf.node_id));
	n->conf.instance = instance;
	n->conf.role = id == 1 ? LG_SYNC_ROLE_MASTER : LG_SYNC_ROLE_BACKUP;
	n->conf.sw_version = "test";
	n->conf.queue_max = queue_max;
	n->conf.window = window;
	n->s = lgd_ps_new(&n->conf, node_ops, n);
	if (!n->s)
		abort();
}

/* A local change: into the table, then to the session. */
static int local_upd(struct node *n, uint32_t iaid, uint8_t tag, uint64_t t)
{
	struct lg_binding b;
	struct lg_lease l;

	rec_set(n, iaid, tag, t);
	make_binding(&b, &l, iaid, tag);
	return lgd_ps_local_update(n->s, &b, LG_SYNC_CHANGE_UPDATE, t);
}

/*
 * A release asked for (reason) or over (0) here: the binding's state
 * changes, its leases and time do not.
 */
static int local_rel(struct node *n, uint32_t iaid, uint8_t reason)
{
	struct rec *r = rec_find(n, iaid);
	struct lg_binding b;
	struct lg_lease l;

	if (!r)
		abort();
	r->has_state = true;
	r->releasing = reason;
	make_binding(&b, &l, iaid, r->tag);
	set_state(&b, r);
	return lgd_ps_local_update(n->s, &b, LG_SYNC_CHANGE_UPDATE, r->time_ms);
}

static int local_del(struct node *n, uint32_t iaid, uint64_t t)
{
	struct rec *r = rec_find(n, iaid);
	struct lg_binding b;
	struct lg_lease l;

	if (r)
		r->used = false;
	make_binding(&b, &l, iaid, 0);
	return lgd_ps_local_delete(n->s, &b, LG_SYNC_DEL_RELEASED, t);
}

/* ---- The pipe: one direction ------------------------------------------- */

#define MAXF	8192

struct frame {
	uint8_t *buf;
	size_t len;
	uint64_t at;
};

struct link {
	struct frame f[MAXF];
	size_t n;
	bool cut;			/* everything lost (a partition) */
	uint32_t delay;			/* ms */
	int drop_type, drop_n;		/* the next drop_n of drop_type lost */
	int dup_type, dup_n;		/* ... sent twice */
	bool swap;			/* the next two swapped */
	struct frame held;
	unsigned int seen[LG_SYNC_MSG_TYPE_MAX + 1];	/* by type, sent */
};

static void link_push(struct link *k, const uint8_t *p, size_t len)
{
	if (k->n == MAXF)
		abort();
	k->f[k->n].buf = malloc(len);
	memcpy(k->f[k->n].buf, p, len);
	k->f[k->n].len = len;
	k->f[k->n].at = now + k->delay;
	k->n++;
}

static void link_clear(struct link *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->f[i].buf);
	k->n = 0;
	free(k->held.buf);
	k->held.buf = NULL;
}

/* What from wrote, into the link, frame by frame. */
static void pump(struct node *from, struct link *k)
{
	size_t len, off = 0;
	const uint8_t *p = lgd_ps_out(from->s, &len);
	ssize_t n;
	int type;

	while (off < len) {
		n = lg_sync_frame_len(p + off, len - off);
		if (n < 0)
			abort();
		type = p[off + 1];
		if (type <= LG_SYNC_MSG_TYPE_MAX)
			k->seen[type]++;
		if (k->cut) {
			/* lost */
		} else if (k->drop_n && type == k->drop_type) {
			k->drop_n--;
		} else if (k->swap && !k->held.buf) {
			k->held.buf = malloc(n);
			memcpy(k->held.buf, p + off, n);
			k->held.len = n;
		} else {
			link_push(k, p + off, n);
			if (k->dup_n && type == k->dup_type) {
				k->dup_n--;
				link_push(k, p + off, n);
			}
			if (k->held.buf) {
				link_push(k, k->held.buf, k->held.len);
				free(k->held.buf);
				k->held.buf = NULL;
				k->swap = false;
			}
		}
		off += n;
	}
	lgd_ps_out_consume(from->s, len);
}

/* What is due, to node to; lost if its transport is down. */
static void deliver(struct link *k, struct node *to)
{
	size_t i = 0, j;

	while (i < k->n && k->f[i].at <= now) {
		if (lgd_ps_state(to->s) != LGD_PS_DOWN)
			lgd_ps_input(to->s, now, k->f[i].buf, k->f[i].len);
		free(k->f[i].buf);
		i++;
	}
	for (j = 0; i < k->n; i++, j++)
		k->f[j] = k->f[i];
	k->n = j;
}

struct world {
	struct node a, b;
	struct link ab, ba;
};

/* ms of time, in 5 ms steps: ticks, then the pipe both ways. */
static void run(struct world *w, uint64_t ms)
{
	uint64_t end = now + ms;

	while (now < end) {
		now += 5;
		lgd_ps_tick(w->a.s, now);
		lgd_ps_tick(w->b.s, now);
		pump(&w->a, &w->ab);
		pump(&w->b, &w->ba);
		deliver(&w->ab, &w->b);
		deliver(&w->ba, &w->a);
		pump(&w->a, &w->ab);
		pump(&w->b, &w->ba);
	}
}

static void connect_both(struct world *w)
{
	link_clear(&w->ab);
	link_clear(&w->ba);
	lgd_ps_connected(w->a.s, now);
	lgd_ps_connected(w->b.s, now);
}

static void disconnect_both(struct world *w)
{
	lgd_ps_disconnected(w->a.s);
	lgd_ps_disconnected(w->b.s);
	link_clear(&w->ab);
	link_clear(&w->ba);
}

static const struct lgd_ps_stats *st(struct node *n)
{
	return lgd_ps_stats(n->s);
}

static bool tables_equal(struct node *x, struct node *y)
{
	struct rec *r, *o;
	int i;

	for (i = 0; i < MAXREC; i++) {
		r = &x->tab[i];
		if (!r->used)
			continue;
		o = rec_find(y, r->iaid);
		if (!o || o->tag != r->tag || o->time_ms != r->time_ms ||
		    o->releasing != r->releasing)
			return false;
	}
	for (i = 0; i < MAXREC; i++)
		if (y->tab[i].used && !rec_find(x, y->tab[i].iaid))
			return false;
	return true;
}

FIXTURE(pair) {
	struct world *w;
};

FIXTURE_SETUP(pair)
{
	self->w = calloc(1, sizeof(*self->w));
	ASSERT_NE(NULL, self->w);
	node_ops = &ops;
	node_start(&self->w->a, "A", 1, 0xa1, 0, 0);
	node_start(&self->w->b, "B", 2, 0xb1, 0, 0);
}

FIXTURE_TEARDOWN(pair)
{
	link_clear(&self->w->ab);
	link_clear(&self->w->ba);
	lgd_ps_free(self->w->a.s);
	lgd_ps_free(self->w->b.s);
	free(self->w);
}

/* Connected, both HELLOs and first (empty) bulks done. */
static void up(struct world *w)
{
	connect_both(w);
	run(w, 200);
}

TEST_F(pair, hello_then_synced)
{
	struct world *w = self->w;

	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->a.s));
	EXPECT_STREQ("down", lgd_ps_state_name(LGD_PS_DOWN));
	connect_both(w);
	EXPECT_EQ(LGD_PS_HELLO, lgd_ps_state(w->a.s));
	EXPECT_STREQ("hello", lgd_ps_state_name(LGD_PS_HELLO));
	EXPECT_STREQ("bulk", lgd_ps_state_name(LGD_PS_BULK));
	run(w, 200);
	EXPECT_STREQ("synced", lgd_ps_state_name(lgd_ps_state(w->a.s)));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
	/* Neither had received anything: RECV_SEQ 0, a (empty) bulk each. */
	EXPECT_EQ(1, w->ab.seen[LG_SYNC_MSG_HELLO]);
	EXPECT_EQ(1, st(&w->a)->bulks_sent);
	EXPECT_EQ(1, st(&w->b)->bulks_received);
	ASSERT_NE(NULL, lgd_ps_peer(w->a.s));
	EXPECT_EQ(0xb1, lgd_ps_peer(w->a.s)->instance);
	EXPECT_EQ(LG_SYNC_ROLE_BACKUP, lgd_ps_peer(w->a.s)->role);
}

TEST_F(pair, change_reaches_peer_once)
{
	struct world *w = self->w;
	size_t len;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 7, 5000));
	/* Lazy: queued, nothing written, nothing at B. */
	lgd_ps_out(w->a.s, &len);
	EXPECT_EQ(0, len);
	EXPECT_EQ(1, st(&w->a)->queue_len);
	EXPECT_EQ(NULL, rec_find(&w->b, 1));
	run(w, 100);
	ASSERT_NE(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(7, rec_find(&w->b, 1)->tag);
	EXPECT_EQ(5000, rec_find(&w->b, 1)->time_ms);
	EXPECT_EQ(1, w->b.applied_upd);
	EXPECT_EQ(0, st(&w->a)->queue_len);	/* ACKed */
	run(w, 2000);
	EXPECT_EQ(1, w->b.applied_upd);
	EXPECT_EQ(1, st(&w->b)->applied);
	/* And a delete. */
	ASSERT_EQ(0, local_del(&w->a, 1, 6000));
	run(w, 100);
	EXPECT_EQ(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(1, w->b.applied_del);
	EXPECT_EQ(0, st(&w->a)->malformed + st(&w->b)->malformed);
	/* Changes of one side only: no conflict. */
	EXPECT_EQ(0, st(&w->b)->conflicts_won + st(&w->b)->conflicts_lost);
	EXPECT_EQ(0, st(&w->a)->conflicts_won + st(&w->a)->conflicts_lost);
}

/* A partner that reads nothing never holds a local change up. */
TEST_F(pair, lazy_while_partner_silent)
{
	struct world *w = self->w;
	size_t len;
	int i;

	up(w);
	w->ab.cut = w->ba.cut = true;
	for (i = 1; i <= 200; i++) {
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000 + i));
		lgd_ps_out(w->a.s, &len);
		ASSERT_EQ(0, len);
	}
	EXPECT_EQ(200, st(&w->a)->queue_len);
	run(w, 100);
	/* Written and kept: nothing ACKed them. */
	EXPECT_EQ(200, st(&w->a)->queue_len);
	EXPECT_EQ(200, w->ab.seen[LG_SYNC_MSG_UPDATE]);
}

TEST_F(pair, coalescing)
{
	struct world *w = self->w;
	int i;

	up(w);
	for (i = 1; i <= 10; i++)
		ASSERT_EQ(0, local_upd(&w->a, 1, i, 5000 + i));
	ASSERT_EQ(0, local_upd(&w->a, 2, 1, 5000));
	ASSERT_EQ(0, local_del(&w->a, 2, 5001));
	EXPECT_EQ(2, st(&w->a)->queue_len);
	EXPECT_EQ(2, st(&w->a)->queue_hwm);
	run(w, 100);
	EXPECT_EQ(1, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(1, w->ab.seen[LG_SYNC_MSG_DELETE]);
	EXPECT_EQ(1, w->b.applied_upd);
	ASSERT_NE(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(10, rec_find(&w->b, 1)->tag);
	EXPECT_EQ(NULL, rec_find(&w->b, 2));
}

TEST_F(pair, ack_window)
{
	struct world *w = self->w;
	unsigned int acks;
	int i;

	up(w);
	acks = w->ba.seen[LG_SYNC_MSG_ACK];
	for (i = 1; i <= 10; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 20);
	/* Applied at B, its ACK not out yet (ack delay 50 ms). */
	EXPECT_EQ(10, w->b.applied_upd);
	EXPECT_EQ(10, st(&w->a)->queue_len);
	EXPECT_EQ(acks, w->ba.seen[LG_SYNC_MSG_ACK]);
	run(w, 100);
	EXPECT_EQ(acks + 1, w->ba.seen[LG_SYNC_MSG_ACK]);
	EXPECT_EQ(0, st(&w->a)->queue_len);

	/* 200 in one go: an ACK each 64, and one for the rest. */
	acks = w->ba.seen[LG_SYNC_MSG_ACK];
	for (i = 1; i <= 200; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 2, 6000));
	run(w, 200);
	EXPECT_EQ(210, w->b.applied_upd);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_LE(w->ba.seen[LG_SYNC_MSG_ACK] - acks, 4);
	EXPECT_GE(w->ba.seen[LG_SYNC_MSG_ACK] - acks, 3);
}

/* At most window messages unacknowledged; the rest waits, coalescing. */
TEST_F(pair, send_window)
{
	struct world *w = self->w;
	int i;

	node_start(&w->a, "A", 1, 0xa1, 0, 8);
	up(w);
	w->ab.delay = 100;
	for (i = 1; i <= 20; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 50);
	EXPECT_EQ(8, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(20, st(&w->a)->queue_len);
	/* Not sent yet: still one entry, the newest. */
	ASSERT_EQ(0, local_upd(&w->a, 20, 2, 5001));
	EXPECT_EQ(20, st(&w->a)->queue_len);
	run(w, 1000);
	EXPECT_EQ(20, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(20, w->b.applied_upd);
	ASSERT_NE(NULL, rec_find(&w->b, 20));
	EXPECT_EQ(2, rec_find(&w->b, 20)->tag);
}

TEST_F(pair, reconnect_resends_only_unacked)
{
	struct world *w = self->w;
	uint64_t bulks = 0;
	int i;

	up(w);
	for (i = 1; i <= 5; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 200);
	EXPECT_EQ(5, w->b.applied_upd);
	bulks = st(&w->a)->bulks_sent;
	/* Three more are lost on the way, and the connection breaks. */
	w->ab.cut = true;
	for (i = 6; i <= 8; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 200);
	EXPECT_EQ(3, st(&w->a)->queue_len);
	disconnect_both(w);
	w->ab.cut = false;
	up(w);
	EXPECT_EQ(3, st(&w->a)->resent);
	EXPECT_EQ(bulks, st(&w->a)->bulks_sent);
	EXPECT_EQ(8, w->b.applied_upd);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));

	/* Two arrive, their ACK is lost: B's HELLO says it has them. */
	w->ba.cut = true;
	for (i = 9; i <= 10; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 200);
	EXPECT_EQ(10, w->b.applied_upd);
	EXPECT_EQ(2, st(&w->a)->queue_len);
	disconnect_both(w);
	w->ba.cut = false;
	up(w);
	EXPECT_EQ(3, st(&w->a)->resent);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(10, w->b.applied_upd);
	EXPECT_EQ(0, st(&w->b)->duplicates);
	EXPECT_EQ(bulks, st(&w->a)->bulks_sent);
}

TEST_F(pair, queue_overflow_bulk)
{
	struct world *w = self->w;
	int i;

	node_start(&w->a, "A", 1, 0xa1, 16, 0);
	up(w);
	disconnect_both(w);
	for (i = 1; i <= 50; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 3, 5000 + i));
	ASSERT_EQ(0, local_del(&w->a, 50, 7000));
	EXPECT_EQ(1, st(&w->a)->overflows);
	EXPECT_EQ(1, w->a.warnings);		/* logged once */
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(17, st(&w->a)->queue_hwm);
	up(w);
	EXPECT_EQ(2, st(&w->a)->bulks_sent);
	EXPECT_EQ(2, st(&w->b)->bulks_received);
	EXPECT_EQ(49, w->b.applied_upd);
	EXPECT_EQ(NULL, rec_find(&w->b, 50));
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));
}

/* A deleted binding the partner may still have: its delete is in the bulk. */
TEST_F(pair, overflow_bulk_carries_deletes)
{
	struct world *w = self->w;
	int i;

	node_start(&w->a, "A", 1, 0xa1, 16, 0);
	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 100, 1, 4000));
	run(w, 200);
	ASSERT_NE(NULL, rec_find(&w->b, 100));
	disconnect_both(w);
	ASSERT_EQ(0, local_del(&w->a, 100, 4500));
	for (i = 1; i <= 20; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 3, 5000 + i));
	EXPECT_EQ(1, st(&w->a)->overflows);
	up(w);
	EXPECT_EQ(NULL, rec_find(&w->b, 100));
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	/* Acknowledged, the tombstone goes after tomb_ms. */
	EXPECT_EQ(1, st(&w->a)->tombs);
	run(w, LGD_PS_DEAD_MS + LGD_PS_BULK_MS + 1100);
	EXPECT_EQ(0, st(&w->a)->tombs);
}

TEST_F(pair, restarted_partner_gets_bulk)
{
	struct world *w = self->w;
	uint64_t bulks;
	int i;

	up(w);
	for (i = 1; i <= 5; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 4, 5000));
	run(w, 200);
	EXPECT_EQ(5, w->b.applied_upd);
	bulks = st(&w->a)->bulks_sent;
	/* B restarts: a new instance, its table empty. */
	disconnect_both(w);
	node_start(&w->b, "B", 2, 0xb2, 0, 0);
	up(w);
	EXPECT_EQ(bulks + 1, st(&w->a)->bulks_sent);
	EXPECT_EQ(1, st(&w->b)->bulks_received);
	EXPECT_EQ(5, w->b.applied_upd);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(0xb2, lgd_ps_peer(w->a.s)->instance);
}

/*
 * Partition with changes on both sides, then heal. B's node id is the
 * larger. Each key is a case of the rule:
 *   1 A updates at 2000, B at 3000: B's
 *   2 A updates at 3000, B at 2000: A's
 *   3 B deletes at 3000, A updated at 2000: deleted on both
 *   4 A deletes at 2000, B updates at 3000: B's, on both
 *   5 both update at 2500: the larger node id's, B's
 *   6 A deletes at 2500, B updates at 2500: the delete wins
 *   7, 8 one side only: kept
 *   9 deleted on both: gone, not a conflict
 */
TEST_F(pair, partition_and_heal)
{
	struct world *w = self->w;
	int i;

	up(w);
	for (i = 1; i <= 6; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 1000));
	ASSERT_EQ(0, local_upd(&w->a, 9, 1, 1000));
	run(w, 200);
	ASSERT_TRUE(tables_equal(&w->a, &w->b));

	w->ab.cut = w->ba.cut = true;
	ASSERT_EQ(0, local_upd(&w->a, 1, 0xa, 2000));
	ASSERT_EQ(0, local_upd(&w->b, 1, 0xb, 3000));
	ASSERT_EQ(0, local_upd(&w->a, 2, 0xa, 3000));
	ASSERT_EQ(0, local_upd(&w->b, 2, 0xb, 2000));
	ASSERT_EQ(0, local_upd(&w->a, 3, 0xa, 2000));
	ASSERT_EQ(0, local_del(&w->b, 3, 3000));
	ASSERT_EQ(0, local_del(&w->a, 4, 2000));
	ASSERT_EQ(0, local_upd(&w->b, 4, 0xb, 3000));
	ASSERT_EQ(0, local_upd(&w->a, 5, 0xa, 2500));
	ASSERT_EQ(0, local_upd(&w->b, 5, 0xb, 2500));
	ASSERT_EQ(0, local_del(&w->a, 6, 2500));
	ASSERT_EQ(0, local_upd(&w->b, 6, 0xb, 2500));
	ASSERT_EQ(0, local_upd(&w->a, 7, 0xa, 2000));
	ASSERT_EQ(0, local_upd(&w->b, 8, 0xb, 2000));
	ASSERT_EQ(0, local_del(&w->a, 9, 2000));
	ASSERT_EQ(0, local_del(&w->b, 9, 2600));
	/* Both declare the other dead; the caller closes. */
	run(w, 3100);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->a.s));
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->b.s));
	disconnect_both(w);

	w->ab.cut = w->ba.cut = false;
	up(w);
	run(w, 500);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	ASSERT_NE(NULL, rec_find(&w->a, 1));
	EXPECT_EQ(0xb, rec_find(&w->a, 1)->tag);
	ASSERT_NE(NULL, rec_find(&w->b, 2));
	EXPECT_EQ(0xa, rec_find(&w->b, 2)->tag);
	EXPECT_EQ(NULL, rec_find(&w->a, 3));
	EXPECT_EQ(NULL, rec_find(&w->b, 3));
	ASSERT_NE(NULL, rec_find(&w->a, 4));
	EXPECT_EQ(0xb, rec_find(&w->a, 4)->tag);
	ASSERT_NE(NULL, rec_find(&w->a, 5));
	EXPECT_EQ(0xb, rec_find(&w->a, 5)->tag);
	EXPECT_EQ(NULL, rec_find(&w->a, 6));
	EXPECT_EQ(NULL, rec_find(&w->b, 6));
	EXPECT_NE(NULL, rec_find(&w->b, 7));
	EXPECT_NE(NULL, rec_find(&w->a, 8));
	EXPECT_EQ(NULL, rec_find(&w->a, 9));
	EXPECT_EQ(NULL, rec_find(&w->b, 9));
	/* A lost 1, 3, 4, 5 and won 2, 6; B the other way round. */
	EXPECT_EQ(2, st(&w->a)->conflicts_won);
	EXPECT_EQ(4, st(&w->a)->conflicts_lost);
	EXPECT_EQ(4, st(&w->b)->conflicts_won);
	EXPECT_EQ(2, st(&w->b)->conflicts_lost);
	/* The un-ACKed were sent again, no bulk was needed. */
	EXPECT_EQ(2, st(&w->a)->bulks_sent + st(&w->b)->bulks_sent);
	EXPECT_LT(0, st(&w->a)->resent);
	EXPECT_LT(0, st(&w->b)->resent);
}

/*
 * More than the hash tables' first size, deletes, and bindings made again
 * after their delete (their tombstone goes, the queued delete becomes the
 * update).
 */
TEST_F(pair, many_bindings_and_rebind)
{
	struct world *w = self->w;
	int i;

	up(w);
	disconnect_both(w);
	for (i = 1; i <= 1000; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	EXPECT_EQ(1000, st(&w->a)->queue_len);
	up(w);
	EXPECT_EQ(1000, w->b.applied_upd);
	EXPECT_EQ(1, st(&w->a)->bulks_sent);	/* the first, empty */
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_NE(NULL, rec_find(&w->b, 77));

	for (i = 1; i <= 300; i++)
		ASSERT_EQ(0, local_del(&w->a, i, 6000));
	for (i = 1; i <= 100; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 2, 7000));
	EXPECT_EQ(200, st(&w->a)->tombs);
	EXPECT_EQ(300, st(&w->a)->queue_len);
	run(w, 300);
	EXPECT_EQ(200, w->b.applied_del);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(2, rec_find(&w->b, 50)->tag);
	EXPECT_EQ(NULL, rec_find(&w->b, 150));
}

/* Tombstones are capped at tomb_max (queue_max), the oldest dropped. */
TEST_F(pair, tombstone_cap)
{
	struct world *w = self->w;
	int i;

	node_start(&w->a, "A", 1, 0xa1, 16, 0);
	for (i = 1; i <= 20; i++)
		ASSERT_EQ(0, local_del(&w->a, i, 6000));
	EXPECT_EQ(16, st(&w->a)->tombs);
	EXPECT_EQ(4, st(&w->a)->tombs_dropped);
}

/* What the partner's kernel refuses is counted, not sent again. */
TEST_F(pair, refused)
{
	struct world *w = self->w;

	up(w);
	w->b.refuse = -EINVAL;
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 5000));
	run(w, 200);
	EXPECT_EQ(1, st(&w->b)->refused);
	EXPECT_EQ(0, st(&w->b)->applied);
	EXPECT_EQ(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(0, st(&w->a)->queue_len);
	/* Too many leases for the protocol: refused at the door. */
	{
		struct lg_lease l[LG_SYNC_MAX_LEASES + 1];
		struct lg_binding b;

		make_binding(&b, l, 2, 1);
		b.n_leases = LG_SYNC_MAX_LEASES + 1;
		EXPECT_EQ(-E2BIG, lgd_ps_local_update(w->a.s, &b, 1, 5000));
		/* No interface name: the protocol names it. */
		make_binding(&b, l, 2, 1);
		b.ifname[0] = '\0';
		EXPECT_EQ(-EINVAL, lgd_ps_local_update(w->a.s, &b, 1, 5000));
		EXPECT_EQ(-EINVAL, lgd_ps_local_delete(w->a.s, &b, 1, 5000));
		EXPECT_EQ(0, st(&w->a)->queue_len);
	}
}

/*
 * The partner's newer change of a binding whose change of ours still
 * waits to be written: ours is dropped, never sent.
 */
TEST_F(pair, newer_change_drops_pending)
{
	struct world *w = self->w;

	node_start(&w->a, "A", 1, 0xa1, 0, 1);
	up(w);
	w->ab.delay = 100;
	ASSERT_EQ(0, local_upd(&w->a, 1, 0xa, 2000));
	ASSERT_EQ(0, local_upd(&w->a, 2, 0xa, 2000));
	ASSERT_EQ(0, local_upd(&w->b, 2, 0xb, 3000));
	run(w, 50);
	EXPECT_EQ(1, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(1, st(&w->a)->conflicts_lost);
	EXPECT_EQ(1, st(&w->a)->queue_len);
	run(w, 500);
	EXPECT_EQ(1, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(0xb, rec_find(&w->a, 2)->tag);
}

/*
 * The stream as a transport gives it: written in pieces, read in pieces
 * that cut messages anywhere; the caller keeps what lgd_ps_input() left.
 */
TEST_F(pair, stream_in_pieces)
{
	struct world *w = self->w;
	uint8_t sent[4096], rbuf[4096];
	size_t len, rlen = 0, off = 0, chunk;
	const uint8_t *p;
	ssize_t n;
	int i;

	up(w);
	for (i = 1; i <= 3; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	lgd_ps_tick(w->a.s, now);
	p = lgd_ps_out(w->a.s, &len);
	ASSERT_LT(100, len);
	ASSERT_GE(sizeof(sent), len);
	memcpy(sent, p, len);
	/* The transport took 7 octets: the rest is still there. */
	lgd_ps_out_consume(w->a.s, 7);
	p = lgd_ps_out(w->a.s, &chunk);
	ASSERT_EQ(len - 7, chunk);
	EXPECT_EQ(0, memcmp(p, sent + 7, chunk));
	lgd_ps_out_consume(w->a.s, chunk);

	while (off < len) {
		chunk = len - off < 5 ? len - off : 5;
		memcpy(rbuf + rlen, sent + off, chunk);
		rlen += chunk;
		off += chunk;
		n = lgd_ps_input(w->b.s, now, rbuf, rlen);
		ASSERT_LE(0, n);
		memmove(rbuf, rbuf + n, rlen - n);
		rlen -= n;
	}
	EXPECT_EQ(0, rlen);
	EXPECT_EQ(3, w->b.applied_upd);
	EXPECT_EQ(0, st(&w->b)->malformed);
}

/* A partner's older update, arriving after our delete, does not revive it. */
TEST_F(pair, tombstone_beats_older_update)
{
	struct world *w = self->w;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 1000));
	run(w, 200);
	/* B renews at 2000, A deletes at 3000; B's update is still on its way. */
	w->ba.delay = 300;
	ASSERT_EQ(0, local_upd(&w->b, 1, 2, 2000));
	run(w, 10);
	ASSERT_EQ(0, local_del(&w->a, 1, 3000));
	run(w, 600);
	EXPECT_EQ(NULL, rec_find(&w->a, 1));
	EXPECT_EQ(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(1, st(&w->a)->conflicts_won);
}

TEST_F(pair, dead_interval)
{
	struct world *w = self->w;
	uint64_t cut_at, down_at = 0;

	up(w);
	/* Heartbeats keep an idle pair up. */
	run(w, 10000);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
	EXPECT_GE(st(&w->a)->last_heartbeat_ms, now - 600);
	EXPECT_LE(w->ab.seen[LG_SYNC_MSG_HEARTBEAT], 10000 / 500 + 1);
	EXPECT_GE(w->ab.seen[LG_SYNC_MSG_HEARTBEAT], 10000 / 505 - 1);

	w->ab.cut = w->ba.cut = true;
	cut_at = now;
	while (now < cut_at + 5000 && !down_at) {
		run(w, 5);
		if (lgd_ps_state(w->a.s) == LGD_PS_DOWN)
			down_at = now;
	}
	ASSERT_NE(0, down_at);
	EXPECT_LE(down_at - cut_at, 3000);
	EXPECT_GE(down_at - cut_at, 3000 - 500);
	EXPECT_EQ(1, st(&w->a)->dead);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->b.s));
}

TEST_F(pair, gap_resync_bulk)
{
	struct world *w = self->w;
	uint64_t bulks;

	up(w);
	bulks = st(&w->a)->bulks_sent;
	w->ab.drop_type = LG_SYNC_MSG_UPDATE;
	w->ab.drop_n = 1;
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 5000));
	ASSERT_EQ(0, local_upd(&w->a, 2, 1, 5000));
	ASSERT_EQ(0, local_upd(&w->a, 3, 1, 5000));
	run(w, 300);
	EXPECT_EQ(1, st(&w->b)->gaps);
	EXPECT_EQ(1, w->ba.seen[LG_SYNC_MSG_RESYNC]);
	EXPECT_EQ(bulks + 1, st(&w->a)->bulks_sent);
	EXPECT_EQ(2, st(&w->b)->bulks_received);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->a.s));
}

TEST_F(pair, duplicates_and_reorder)
{
	struct world *w = self->w;

	up(w);
	w->ab.dup_type = LG_SYNC_MSG_UPDATE;
	w->ab.dup_n = 2;
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 5000));
	ASSERT_EQ(0, local_upd(&w->a, 2, 1, 5000));
	run(w, 200);
	EXPECT_EQ(2, st(&w->b)->duplicates);
	EXPECT_EQ(2, w->b.applied_upd);
	EXPECT_EQ(0, st(&w->b)->gaps);

	/* Two swapped: a gap, then what it lacks by a bulk. */
	w->ab.swap = true;
	ASSERT_EQ(0, local_upd(&w->a, 3, 1, 5000));
	ASSERT_EQ(0, local_upd(&w->a, 4, 1, 5000));
	run(w, 300);
	EXPECT_EQ(1, st(&w->b)->gaps);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
}

/* ---- A release in flight (RELEASING) ------------------------------------ */

/*
 * A releases a binding it synced: the state crosses alone (same time, no
 * new leases) and B marks its copy; the cancel crosses too. An update
 * that does not say the state (an older partner's) leaves B's as it is.
 */
TEST_F(pair, releasing_crosses_and_is_cancelled)
{
	struct world *w = self->w;
	struct lg_binding b;
	struct lg_lease l;
	struct rec *r;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 7, 5000));
	run(w, 100);
	ASSERT_NE(NULL, (r = rec_find(&w->b, 1)));
	EXPECT_EQ(0, r->releasing);
	EXPECT_EQ(1, w->b.applied_upd);

	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_LINK_DOWN));
	run(w, 100);
	EXPECT_EQ(LG_RELEASE_LINK_DOWN, r->releasing);
	EXPECT_EQ(5000, r->time_ms);
	/* The state alone: no REPLACE of the leases. */
	EXPECT_EQ(1, w->b.applied_upd);
	EXPECT_EQ(1, w->b.applied_state);
	EXPECT_EQ(2, st(&w->b)->applied);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	/* The same again (an echo) changes nothing and is not counted. */
	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_LINK_DOWN));
	run(w, 100);
	EXPECT_EQ(1, w->b.applied_state);
	EXPECT_EQ(2, st(&w->b)->applied);

	/* A renewal while releasing: newer leases, the state with them. */
	ASSERT_EQ(0, local_upd(&w->a, 1, 8, 6000));
	rec_find(&w->a, 1)->releasing = LG_RELEASE_LINK_DOWN;
	make_binding(&b, &l, 1, 8);
	set_state(&b, rec_find(&w->a, 1));
	ASSERT_EQ(0, lgd_ps_local_update(w->a.s, &b, LG_SYNC_CHANGE_UPDATE,
					 6000));
	run(w, 100);
	EXPECT_EQ(8, r->tag);
	EXPECT_EQ(LG_RELEASE_LINK_DOWN, r->releasing);
	EXPECT_EQ(2, w->b.applied_upd);

	/* The server refused, or did not answer: bound again, on both. */
	ASSERT_EQ(0, local_rel(&w->a, 1, 0));
	run(w, 100);
	EXPECT_EQ(0, r->releasing);
	EXPECT_TRUE(r->has_state);
	EXPECT_EQ(2, w->b.applied_state);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));

	/* Released again, then an older partner's renewal: no state said. */
	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_ADMIN));
	run(w, 100);
	EXPECT_EQ(LG_RELEASE_ADMIN, r->releasing);
	make_binding(&b, &l, 1, 9);
	ASSERT_EQ(0, lgd_ps_local_update(w->a.s, &b, LG_SYNC_CHANGE_UPDATE,
					 7000));
	run(w, 100);
	EXPECT_EQ(9, r->tag);
	EXPECT_EQ(LG_RELEASE_ADMIN, r->releasing);
	/* And its update of the same time, no state: nothing to apply. */
	ASSERT_EQ(0, lgd_ps_local_update(w->a.s, &b, LG_SYNC_CHANGE_UPDATE,
					 7000));
	run(w, 100);
	EXPECT_EQ(3, w->b.applied_state);
	EXPECT_EQ(LG_RELEASE_ADMIN, r->releasing);

	/* The release went through: the delete ends it on both. */
	ASSERT_EQ(0, local_del(&w->a, 1, 8000));
	run(w, 100);
	EXPECT_EQ(NULL, rec_find(&w->b, 1));
	EXPECT_EQ(0, st(&w->a)->malformed + st(&w->b)->malformed);
	EXPECT_EQ(0, st(&w->b)->conflicts_won + st(&w->b)->conflicts_lost);
}

/* A release and its cancel queued before either was written: only the last. */
TEST_F(pair, releasing_coalesced)
{
	struct world *w = self->w;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 7, 5000));
	run(w, 100);
	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_ADMIN));
	ASSERT_EQ(0, local_rel(&w->a, 1, 0));
	EXPECT_EQ(1, st(&w->a)->queue_len);
	run(w, 100);
	EXPECT_EQ(2, w->ab.seen[LG_SYNC_MSG_UPDATE]);
	EXPECT_EQ(0, rec_find(&w->b, 1)->releasing);
	/* B had it bound with no state said: "bound" is a change of it. */
	EXPECT_EQ(1, w->b.applied_state);
}

/*
 * A restarted B (empty) gets the releasing state in the bulk; a B that
 * has the binding at the same time gets it through apply_state.
 */
TEST_F(pair, releasing_in_the_bulk)
{
	struct world *w = self->w;
	int i;

	up(w);
	for (i = 1; i <= 4; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 100);
	/* Released while the link is cut, then a queue overflow: bulk. */
	w->ab.cut = w->ba.cut = true;
	ASSERT_EQ(0, local_rel(&w->a, 2, LG_RELEASE_UNREACHABLE));
	ASSERT_EQ(0, local_rel(&w->a, 3, LG_RELEASE_MOVED));
	run(w, 3100);
	disconnect_both(w);
	w->ab.cut = w->ba.cut = false;
	/* A new instance of A: B gets a bulk, not a resend. */
	{
		struct rec tab[MAXREC];

		memcpy(tab, w->a.tab, sizeof(tab));
		node_start(&w->a, "A", 1, 0xa2, 0, 0);
		memcpy(w->a.tab, tab, sizeof(tab));
	}
	up(w);
	EXPECT_EQ(2, st(&w->b)->bulks_received);
	/* The same transactions as B's: the states alone. */
	EXPECT_EQ(2, w->b.applied_state);
	EXPECT_EQ(LG_RELEASE_UNREACHABLE, rec_find(&w->b, 2)->releasing);
	EXPECT_EQ(LG_RELEASE_MOVED, rec_find(&w->b, 3)->releasing);
	EXPECT_EQ(0, rec_find(&w->b, 1)->releasing);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(4, w->b.applied_upd);

	/* B restarts, empty: made from the bulk, state and all. */
	disconnect_both(w);
	node_start(&w->b, "B", 2, 0xb2, 0, 0);
	up(w);
	EXPECT_EQ(4, w->b.applied_upd);
	EXPECT_EQ(0, w->b.applied_state);
	EXPECT_EQ(LG_RELEASE_UNREACHABLE, rec_find(&w->b, 2)->releasing);
	EXPECT_EQ(LG_RELEASE_MOVED, rec_find(&w->b, 3)->releasing);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
}

/* Against a newer transaction of ours, the partner's state loses. */
TEST_F(pair, releasing_older_loses)
{
	struct world *w = self->w;
	uint64_t won;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 5000));
	run(w, 100);
	/* B learns a newer lease while the link is cut. */
	w->ab.cut = w->ba.cut = true;
	ASSERT_EQ(0, local_upd(&w->b, 1, 2, 6000));
	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_ADMIN));
	won = st(&w->b)->conflicts_won;
	w->ab.cut = false;
	run(w, 100);
	EXPECT_EQ(won + 1, st(&w->b)->conflicts_won);
	EXPECT_EQ(0, rec_find(&w->b, 1)->releasing);
	EXPECT_EQ(0, w->b.applied_state);
}

/* A state the partner's kernel refuses is counted; none taken, none lost. */
TEST_F(pair, releasing_refused_or_not_taken)
{
	struct world *w = self->w;

	up(w);
	ASSERT_EQ(0, local_upd(&w->a, 1, 1, 5000));
	run(w, 100);
	w->b.refuse_state = -ENODEV;
	ASSERT_EQ(0, local_rel(&w->a, 1, LG_RELEASE_ADMIN));
	run(w, 100);
	EXPECT_EQ(1, st(&w->b)->refused);
	EXPECT_EQ(0, rec_find(&w->b, 1)->releasing);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));

	/* A session with no apply_state ignores a state alone. */
	disconnect_both(w);
	node_ops = &ops_no_state;
	node_start(&w->b, "B", 2, 0xb2, 0, 0);
	up(w);
	EXPECT_EQ(1, w->b.applied_upd);
	EXPECT_EQ(LG_RELEASE_ADMIN, rec_find(&w->b, 1)->releasing);
	ASSERT_EQ(0, local_rel(&w->a, 1, 0));
	run(w, 100);
	EXPECT_EQ(LG_RELEASE_ADMIN, rec_find(&w->b, 1)->releasing);
	EXPECT_EQ(0, st(&w->b)->refused);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
}

/* Message m, built, to n's input: 0, or the build's error. */
static int feed(struct node *n, const struct lg_sync_msg *m)
{
	uint8_t buf[512];
	ssize_t len = lg_sync_build(m, buf, sizeof(buf));

	if (len < 0)
		return len;
	lgd_ps_input(n->s, now, buf, len);
	return 0;
}

TEST_F(pair, malformed_input)
{
	struct world *w = self->w;
	/* Version 2. */
	static const uint8_t bad_ver[16] = { 2, LG_SYNC_MSG_HEARTBEAT };
	/* An UPDATE whose only attribute runs past the payload. */
	static const uint8_t overrun[24] = {
		1, LG_SYNC_MSG_UPDATE, 0, 0, 0, 0, 0, 8,
		0, 0, 0, 0, 0, 0, 0, 1,
		0, LG_SYNC_A_BINDING, 0, 40, 0, 0, 0, 0,
	};
	/* A type from the future: skipped. */
	static const uint8_t future[16] = { 1, 99 };
	struct lg_sync_msg m;

	up(w);
	EXPECT_EQ(16, lgd_ps_input(w->b.s, now, future, sizeof(future)));
	EXPECT_EQ(1, st(&w->b)->unknown);
	EXPECT_EQ(LGD_PS_SYNCED, lgd_ps_state(w->b.s));
	/* A partial frame waits for the rest. */
	EXPECT_EQ(0, lgd_ps_input(w->b.s, now, overrun, 10));
	EXPECT_EQ(-EBADMSG, lgd_ps_input(w->b.s, now, overrun,
					 sizeof(overrun)));
	EXPECT_EQ(1, st(&w->b)->malformed);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->b.s));

	EXPECT_GT(0, lgd_ps_input(w->a.s, now, bad_ver, sizeof(bad_ver)));
	EXPECT_EQ(1, st(&w->a)->malformed);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->a.s));

	/* A sequenced message before HELLO is a protocol error too. */
	disconnect_both(w);
	lgd_ps_connected(w->b.s, now);
	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_BULK_BEGIN;
	m.hdr.seq = 1;
	ASSERT_EQ(0, feed(&w->b, &m));
	EXPECT_EQ(2, st(&w->b)->malformed);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->b.s));

	/* A second HELLO; a partner with our own node id. */
	disconnect_both(w);
	up(w);
	lgd_ps_connected(w->b.s, now);
	pump(&w->b, &w->ba);
	deliver(&w->ba, &w->a);
	EXPECT_EQ(2, st(&w->a)->malformed);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->a.s));
	disconnect_both(w);
	node_start(&w->b, "B", 1, 0xb2, 0, 0);
	up(w);
	EXPECT_EQ(3, st(&w->a)->malformed);

	/* A RECV_SEQ our seqs would wrap after. */
	disconnect_both(w);
	lgd_ps_connected(w->a.s, now);
	memset(&m, 0, sizeof(m));
	m.hdr.type = LG_SYNC_MSG_HELLO;
	memset(m.hello.node_id, 3, sizeof(m.hello.node_id));
	strcpy(m.hello.sw_version, "x");
	m.hello.recv_seq = UINT64_MAX;
	ASSERT_EQ(0, feed(&w->a, &m));
	EXPECT_EQ(4, st(&w->a)->malformed);
	EXPECT_EQ(LGD_PS_DOWN, lgd_ps_state(w->a.s));
}

/*
 * Bindings made while the notifications were lost: never queued. The
 * daemon owes the partner a bulk, which carries them and what was
 * queued meanwhile.
 */
TEST_F(pair, lost_changes_bulk)
{
	struct world *w = self->w;
	int i;

	up(w);
	EXPECT_EQ(1, st(&w->a)->bulks_sent);
	for (i = 1; i <= 50; i++)
		rec_set(&w->a, i, 3, 5000 + i);
	ASSERT_EQ(0, local_upd(&w->a, 51, 3, 6000));
	lgd_ps_owe_bulk(w->a.s);
	EXPECT_EQ(1, w->a.warnings);
	lgd_ps_owe_bulk(w->a.s);	/* once owed, said once */
	EXPECT_EQ(1, w->a.warnings);
	run(w, 300);
	EXPECT_EQ(2, st(&w->a)->bulks_sent);
	EXPECT_EQ(2, st(&w->b)->bulks_received);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	ASSERT_NE(NULL, rec_find(&w->b, 50));
	EXPECT_EQ(5050, rec_find(&w->b, 50)->time_ms);
	/* Owed while down: written on the next connection. */
	disconnect_both(w);
	rec_set(&w->a, 60, 3, 7000);
	lgd_ps_owe_bulk(w->a.s);
	up(w);
	EXPECT_EQ(3, st(&w->a)->bulks_sent);
	ASSERT_NE(NULL, rec_find(&w->b, 60));
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
}

/* B in batches, its table empty: up, nothing held. */
static void held_up(struct world *w)
{
	memset(&held, 0, sizeof(held));
	node_ops = &ops_held;
	node_start(&w->b, "B", 2, 0xb1, 0, 0);
	node_ops = &ops;
	held.node = &w->b;
	up(w);
}

/* What A writes on a tick, read by B at once (one lgd_ps_input()). */
static bool one_read(struct world *w)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	lgd_ps_tick(w->a.s, now);
	p = lgd_ps_out(w->a.s, &len);
	if (!len)
		return false;
	n = lgd_ps_input(w->b.s, now, p, len);
	lgd_ps_out_consume(w->a.s, len);
	return n == (ssize_t)len;
}

/*
 * A stream of updates read at once is one batch, made before the ACK
 * that covers it is written; the partner's queue then drains.
 */
TEST_F(pair, held_stream_one_batch)
{
	struct world *w = self->w;
	size_t len;
	int i;

	held_up(w);
	for (i = 1; i <= 300; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000 + i));
	held.flushes = 0;
	ASSERT_TRUE(one_read(w));
	EXPECT_EQ(0, held.n);
	EXPECT_EQ(1, held.flushes);
	EXPECT_EQ(300, w->b.applied_upd);
	EXPECT_EQ(300, st(&w->b)->applied);
	/* 300 past ack_batch: the ACK is written, after the batch. */
	lgd_ps_out(w->b.s, &len);
	EXPECT_LT(0, len);
	EXPECT_EQ(0, held.written_while_held);
	run(w, 200);
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(0, held.written_while_held);
}

/* What the batch's kernel refused: refused, not applied; ACKed all the same. */
TEST_F(pair, held_refusals_counted)
{
	struct world *w = self->w;
	int i;

	held_up(w);
	held.refuse_every = 10;
	for (i = 1; i <= 100; i++)
		ASSERT_EQ(0, local_upd(&w->a, i, 1, 5000));
	run(w, 200);
	EXPECT_EQ(90, st(&w->b)->applied);
	EXPECT_EQ(10, st(&w->b)->refused);
	EXPECT_EQ(90, w->b.applied_upd);
	EXPECT_EQ(NULL, rec_find(&w->b, 10));
	ASSERT_NE(NULL, rec_find(&w->b, 11));
	EXPECT_EQ(0, st(&w->a)->queue_len);
	EXPECT_EQ(0, held.written_while_held);
}

/*
 * Two changes of one key in one read: the first is made before the rule
 * weighs the second, which wins on its newer time.
 */
TEST_F(pair, held_key_twice_in_a_read)
{
	struct world *w = self->w;
	uint8_t buf[4096];
	const uint8_t *p;
	size_t len, off = 0;

	held_up(w);
	ASSERT_EQ(0, local_upd(&w->a, 5, 1, 5000));
	ASSERT_EQ(0, local_upd(&w->a, 6, 1, 5000));
	lgd_ps_tick(w->a.s, now);
	p = lgd_ps_out(w->a.s, &len);
	ASSERT_GE(sizeof(buf), len);
	memcpy(buf, p, len);
	off = len;
	lgd_ps_out_consume(w->a.s, len);
	ASSERT_EQ(0, local_upd(&w->a, 5, 2, 6000));
	lgd_ps_tick(w->a.s, now);
	p = lgd_ps_out(w->a.s, &len);
	ASSERT_GE(sizeof(buf) - off, len);
	memcpy(buf + off, p, len);
	off += len;
	lgd_ps_out_consume(w->a.s, len);
	held.flushes = 0;
	ASSERT_EQ((ssize_t)off, lgd_ps_input(w->b.s, now, buf, off));
	EXPECT_EQ(2, held.flushes);
	ASSERT_NE(NULL, rec_find(&w->b, 5));
	EXPECT_EQ(2, rec_find(&w->b, 5)->tag);
	EXPECT_EQ(6000, rec_find(&w->b, 5)->time_ms);
	EXPECT_EQ(3, st(&w->b)->applied);
	EXPECT_EQ(0, st(&w->b)->conflicts_won);
	run(w, 200);
	EXPECT_TRUE(tables_equal(&w->a, &w->b));
	EXPECT_EQ(0, held.written_while_held);
}

TEST_HARNESS_MAIN
