// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for kmod/mcast_parse.c and the state machine behind it,
 * kmod/mcast_state.c.
 *
 * The input is one message: first octet 4, then an IGMP message; or 6,
 * then the IPv6 source and destination (16 octets each), then an ICMPv6
 * message. It is parsed from a heap copy of exactly its length, so that
 * ASan reports a read past it. Then, as a mutated message hardly ever
 * keeps a good checksum, a copy with the checksum set right is parsed,
 * and if accepted its records are walked, each checked to lie inside the
 * message, and applied in order to a state, twice over, with an older
 * version's report in between and expiry at times the input picks.
 *
 * Each step is checked against a model written from the RFC's tables as
 * plain set operations on unsorted arrays, field by field; and each state
 * against what must hold of any state: sources sorted and unique, no more
 * than max_sources, timers that run in the future, INCLUDE without a
 * group timer or Y sources, EXCLUDE with a group timer, compat from the
 * host timers, and mc_state_find(), _forwards(), _next_timer() and
 * _empty() agreeing with the source list.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcast_state.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define MAXS		64
#define GMI		1000
#define LMQT		200
#define OHPT		900

typedef uint8_t addr_t[MC_ADDR_LEN];

/* ---- The model --------------------------------------------------------- */

struct model {
	struct mc_state s;
	struct mc_source src[65535 + MAXS];
	addr_t q[65535 + MAXS];
	int nq;
	bool qg;
	enum mc_apply_res res;
};

static struct model model;
static addr_t rec_set[65535];

static int cmp_addr(const void *a, const void *b)
{
	return memcmp(a, b, MC_ADDR_LEN);
}

static uint8_t top_of(uint8_t family)
{
	return family == MC_IGMP ? 3 : 2;
}

static uint8_t compat_of(const struct mc_state *s, const struct mc_params *p)
{
	uint8_t v = top_of(s->family);

	if (s->v1_host_timer)
		v = 1;
	else if (s->v2_host_timer)
		v = 2;
	return p->max_version && p->max_version < v ? p->max_version : v;
}

/* Index of @a among @n unsorted sources, or -1. */
static int lookup(const struct mc_source *s, int n, const uint8_t *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (!memcmp(s[i].addr, a, MC_ADDR_LEN))
			return i;
	return -1;
}

static bool in_rec(int nb, const uint8_t *a)
{
	return nb && bsearch(a, rec_set, nb, MC_ADDR_LEN, cmp_addr);
}

static void add(struct model *r, const uint8_t *a, uint64_t timer,
		uint64_t created)
{
	struct mc_source *s = &r->src[r->s.n_sources++];

	memcpy(s->addr, a, MC_ADDR_LEN);
	s->timer = timer;
	s->created = created;
}

static void query(struct model *r, const uint8_t *a)
{
	memcpy(r->q[r->nq++], a, MC_ADDR_LEN);
}

/* Mode, addresses or Y changed: both sorted. */
static bool list_changed(const struct mc_state *a, const struct mc_state *b)
{
	int i;

	if (a->mode != b->mode || a->n_sources != b->n_sources)
		return true;
	for (i = 0; i < a->n_sources; i++)
		if (memcmp(a->sources[i].addr, b->sources[i].addr,
			   MC_ADDR_LEN) ||
		    !a->sources[i].timer != !b->sources[i].timer)
			return true;
	return false;
}

static bool timers_changed(const struct mc_state *a, const struct mc_state *b)
{
	int i;

	if (a->compat != b->compat || a->group_timer != b->group_timer ||
	    a->v1_host_timer != b->v1_host_timer ||
	    a->v2_host_timer != b->v2_host_timer ||
	    a->n_sources != b->n_sources)
		return true;
	for (i = 0; i < a->n_sources; i++)
		if (a->sources[i].timer != b->sources[i].timer)
			return true;
	return false;
}

/* RFC 3376 sections 6.4 and 7.3.2, as written there. */
static void model_apply(const struct mc_state *old, const struct mc_record *r,
			const struct mc_msg *m, uint8_t ver, uint64_t now,
			const struct mc_params *p, struct model *out)
{
	const struct mc_source *a = old->sources;
	uint64_t gmi = now + GMI, lmqt = now + LMQT;
	uint8_t top = top_of(old->family), type = r->type;
	bool no_src = false;
	int na = old->n_sources, nb = 0, i, j;
	struct mc_state *s = &out->s;

	out->s = *old;
	out->s.sources = out->src;
	out->s.n_sources = 0;
	out->nq = 0;
	out->qg = false;
	out->res = MC_APPLY_IGNORED;
	if (type < MC_IS_IN || type > MC_BLOCK ||
	    m->family != old->family || m->kind == MC_MSG_QUERY)
		return;
	if (m->kind == MC_MSG_REPORT && ver == 1)
		s->v1_host_timer = now + OHPT;
	if (m->kind == MC_MSG_REPORT && ver == 2 && top == 3)
		s->v2_host_timer = now + OHPT;
	s->compat = compat_of(s, p);
	if (s->compat < top && type == MC_BLOCK)
		type = 0;
	if (s->compat < top && (type == MC_IS_EX || type == MC_TO_EX))
		no_src = true;
	if (top == 3 && s->compat == 1 && m->kind == MC_MSG_LEAVE)
		type = 0;
	if (!type) {
		if (s->compat == old->compat &&
		    s->v1_host_timer == old->v1_host_timer &&
		    s->v2_host_timer == old->v2_host_timer)
			return;
		type = MC_ALLOW;
		no_src = true;
	}

	/* B (INCLUDE) or A (EXCLUDE): the record's sources as a set */
	if (!no_src) {
		for (i = 0; i < r->n_sources; i++)
			mc_record_source(m, r, i, rec_set[i]);
		if (r->n_sources)
			qsort(rec_set, r->n_sources, MC_ADDR_LEN, cmp_addr);
		for (i = 0; i < r->n_sources; i++)
			if (!nb || memcmp(rec_set[nb - 1], rec_set[i],
					  MC_ADDR_LEN))
				memmove(rec_set[nb++], rec_set[i],
					MC_ADDR_LEN);
	}

	if (old->mode == MC_MODE_INCLUDE) {
		switch (type) {
		case MC_IS_IN:
		case MC_ALLOW:
		case MC_TO_IN:
			/* INCLUDE(A+B), (B)=GMI, TO_IN: Q(G,A-B) */
			for (i = 0; i < na; i++) {
				add(out, a[i].addr, a[i].timer, a[i].created);
				if (type == MC_TO_IN && !in_rec(nb, a[i].addr))
					query(out, a[i].addr);
			}
			for (j = 0; j < nb; j++) {
				i = lookup(out->src, na, rec_set[j]);
				if (i >= 0)
					out->src[i].timer = gmi;
				else
					add(out, rec_set[j], gmi, now);
			}
			break;
		case MC_BLOCK:
			/* INCLUDE(A), Q(G,A*B) */
			for (i = 0; i < na; i++) {
				add(out, a[i].addr, a[i].timer, a[i].created);
				if (in_rec(nb, a[i].addr))
					query(out, a[i].addr);
			}
			break;
		default:
			/* EXCLUDE(A*B,B-A), (B-A)=0, TO_EX: Q(G,A*B) */
			s->mode = MC_MODE_EXCLUDE;
			for (j = 0; j < nb; j++) {
				i = lookup(a, na, rec_set[j]);
				if (i < 0) {
					add(out, rec_set[j], 0, now);
					continue;
				}
				add(out, a[i].addr, a[i].timer, a[i].created);
				if (type == MC_TO_EX)
					query(out, a[i].addr);
			}
			s->group_timer = gmi;
			break;
		}
	} else {
		switch (type) {
		case MC_IS_IN:
		case MC_ALLOW:
		case MC_TO_IN:
			/* EXCLUDE(X+A,Y-A), (A)=GMI, TO_IN: Q(G,X-A), Q(G) */
			for (i = 0; i < na; i++) {
				add(out, a[i].addr, a[i].timer, a[i].created);
				if (type == MC_TO_IN && a[i].timer &&
				    !in_rec(nb, a[i].addr))
					query(out, a[i].addr);
			}
			for (j = 0; j < nb; j++) {
				i = lookup(out->src, na, rec_set[j]);
				if (i >= 0)
					out->src[i].timer = gmi;
				else
					add(out, rec_set[j], gmi, now);
			}
			if (type == MC_TO_IN)
				out->qg = true;
			break;
		case MC_BLOCK:
			/* EXCLUDE(X+(A-Y),Y), (A-X-Y)=GT, Q(G,A-Y) */
			for (i = 0; i < na; i++)
				add(out, a[i].addr, a[i].timer, a[i].created);
			for (j = 0; j < nb; j++) {
				i = lookup(a, na, rec_set[j]);
				if (i < 0)
					add(out, rec_set[j], old->group_timer,
					    now);
				if (i < 0 || a[i].timer)
					query(out, rec_set[j]);
			}
			break;
		default:
			/*
			 * EXCLUDE(A-Y,Y*A), (A-X-Y)=GMI or GT, Delete(X-A),
			 * Delete(Y-A), GT=GMI, TO_EX: Q(G,A-Y)
			 */
			for (j = 0; j < nb; j++) {
				i = lookup(a, na, rec_set[j]);
				if (i >= 0)
					add(out, a[i].addr, a[i].timer,
					    a[i].created);
				else
					add(out, rec_set[j],
					    type == MC_IS_EX ? gmi :
					    old->group_timer, now);
				if (type == MC_TO_EX && (i < 0 || a[i].timer))
					query(out, rec_set[j]);
			}
			s->group_timer = gmi;
			break;
		}
	}

	/* a state beyond a lowered limit may stay as large, not grow */
	if (s->n_sources > p->max_sources && s->n_sources > old->n_sources) {
		out->res = MC_APPLY_LIMITED;
		out->nq = 0;
		out->qg = false;
		return;
	}
	/* 6.6.3: the queries lower the timers of what they ask for */
	for (j = i = 0; i < out->nq; i++) {
		struct mc_source *x = &out->src[lookup(out->src, s->n_sources,
						       out->q[i])];

		if (!x->timer)
			continue;	/* only in a state gone wrong */
		x->timer = x->timer < lmqt ? x->timer : lmqt;
		memmove(out->q[j++], out->q[i], MC_ADDR_LEN);
	}
	out->nq = j;
	if (out->qg && s->group_timer > lmqt)
		s->group_timer = lmqt;
	if (s->mode == MC_MODE_INCLUDE)
		s->group_timer = 0;
	qsort(out->src, s->n_sources, sizeof(*out->src), cmp_addr);
	if (out->nq)
		qsort(out->q, out->nq, MC_ADDR_LEN, cmp_addr);

	if (list_changed(old, s))
		out->res = MC_APPLY_CHANGED;
	else if (timers_changed(old, s) || out->nq || out->qg)
		out->res = MC_APPLY_TIMERS;
}

/* RFC 3376 sections 6.2.2, 6.3 and 6.5, 7.3.2. */
static bool model_expire(const struct mc_state *old, uint64_t now,
			 const struct mc_params *p, struct model *out)
{
	bool include = old->mode == MC_MODE_INCLUDE ||
		       old->group_timer <= now;
	struct mc_state *s = &out->s;
	int i;

	*s = *old;
	s->sources = out->src;
	s->n_sources = 0;
	for (i = 0; i < old->n_sources; i++) {
		struct mc_source x = old->sources[i];

		if (x.timer <= now && include)
			continue;
		if (x.timer <= now)
			x.timer = 0;
		out->src[s->n_sources++] = x;
	}
	if (include) {
		s->mode = MC_MODE_INCLUDE;
		s->group_timer = 0;
	}
	if (s->v1_host_timer <= now)
		s->v1_host_timer = 0;
	if (s->v2_host_timer <= now)
		s->v2_host_timer = 0;
	s->compat = compat_of(s, p);
	return list_changed(old, s);
}

/* ---- What any state must be -------------------------------------------- */

static void check_state(const struct mc_state *s, uint8_t family,
			uint64_t created, uint64_t now,
			const struct mc_params *p)
{
	static const addr_t probe = { 0xfe, 0x80, 0xee };
	uint64_t next = 0, t;
	int i;

	CHECK(s->family == family);
	CHECK(s->created == created);
	CHECK(s->mode == MC_MODE_INCLUDE || s->mode == MC_MODE_EXCLUDE);
	CHECK(s->n_sources <= p->max_sources);
	CHECK(s->compat == compat_of(s, p));
	CHECK(family == MC_IGMP || !s->v2_host_timer);
	CHECK(mc_state_empty(s) ==
	      (s->mode == MC_MODE_INCLUDE && !s->n_sources));
	if (s->mode == MC_MODE_INCLUDE)
		CHECK(!s->group_timer);
	else
		CHECK(s->group_timer > now && s->group_timer <= now + GMI);
	CHECK(!s->v1_host_timer || (s->v1_host_timer > now &&
				    s->v1_host_timer <= now + OHPT));
	CHECK(!s->v2_host_timer || (s->v2_host_timer > now &&
				    s->v2_host_timer <= now + OHPT));
	for (i = 0; i < s->n_sources; i++) {
		const struct mc_source *x = &s->sources[i];

		if (i)
			CHECK(memcmp(x[-1].addr, x->addr, MC_ADDR_LEN) < 0);
		CHECK(x->created >= created && x->created <= now);
		CHECK(x->timer || s->mode == MC_MODE_EXCLUDE);
		CHECK(!x->timer || (x->timer > now && x->timer <= now + GMI));
		CHECK(mc_state_find(s, x->addr) == i);
		CHECK(mc_state_forwards(s, x->addr) == (x->timer != 0));
		if (x->timer && (!next || x->timer < next))
			next = x->timer;
	}
	t = s->group_timer;
	next = t && (!next || t < next) ? t : next;
	t = s->v1_host_timer;
	next = t && (!next || t < next) ? t : next;
	t = s->v2_host_timer;
	next = t && (!next || t < next) ? t : next;
	CHECK(mc_state_next_timer(s) == next);
	if (mc_state_find(s, probe) < 0)
		CHECK(mc_state_forwards(s, probe) ==
		      (s->mode == MC_MODE_EXCLUDE));
}

static void check_same(const struct mc_state *a, const struct mc_state *b)
{
	CHECK(a->mode == b->mode && a->compat == b->compat &&
	      a->group_timer == b->group_timer &&
	      a->v1_host_timer == b->v1_host_timer &&
	      a->v2_host_timer == b->v2_host_timer &&
	      a->created == b->created && a->n_sources == b->n_sources);
	CHECK(!a->n_sources || !memcmp(a->sources, b->sources,
				       a->n_sources * sizeof(*a->sources)));
}

/* ---- Running records through a state ----------------------------------- */

struct run {
	struct mc_state s;
	struct mc_source buf[2][MAXS];
	int cur;
	addr_t qbuf[MAXS];
	struct mc_params p;
	uint64_t now, created;
	unsigned int steps;
};

static void run_expire(struct run *r)
{
	struct mc_state out = { .sources = r->buf[!r->cur] };
	bool changed;

	changed = mc_state_expire(&r->s, r->now, &r->p, &out);
	CHECK(changed == model_expire(&r->s, r->now, &r->p, &model));
	CHECK(out.sources == r->buf[!r->cur]);
	check_same(&out, &model.s);
	r->s = out;
	r->cur = !r->cur;
	check_state(&r->s, r->s.family, r->created, r->now, &r->p);
}

static void run_apply(struct run *r, const struct mc_record *rec,
		      const struct mc_msg *m, uint8_t ver)
{
	static struct mc_source before[MAXS];
	struct mc_query q = { .group = true, .n_sources = 7,
			      .sources = r->qbuf };
	struct mc_state out, out_before, old = r->s;
	struct mc_query *qp = r->steps++ % 3 ? &q : NULL;
	enum mc_apply_res res;
	int i;

	memcpy(before, r->s.sources, r->s.n_sources * sizeof(*before));
	memset(&out, 0xa5, sizeof(out));
	out.sources = r->buf[!r->cur];
	out_before = out;

	res = mc_state_apply(&r->s, rec, m, ver, r->now, &r->p, &out, qp);
	model_apply(&r->s, rec, m, ver, r->now, &r->p, &model);

	/* @old is left as it was */
	CHECK(!memcmp(&old, &r->s, sizeof(old)));
	CHECK(!memcmp(before, r->s.sources, r->s.n_sources * sizeof(*before)));
	CHECK(res == model.res);
	if (qp) {
		CHECK(q.group == model.qg);
		CHECK(q.n_sources == model.nq);
		CHECK(q.n_sources <= r->p.max_sources);
		for (i = 0; i < q.n_sources; i++)
			CHECK(!memcmp(q.sources[i], model.q[i], MC_ADDR_LEN));
	}
	if (res == MC_APPLY_LIMITED)
		CHECK(!memcmp(&out, &out_before, sizeof(out)));
	if (res == MC_APPLY_LIMITED || res == MC_APPLY_IGNORED)
		return;
	CHECK(out.sources == r->buf[!r->cur]);
	check_same(&out, &model.s);
	CHECK(list_changed(&r->s, &out) == (res == MC_APPLY_CHANGED));
	r->s = out;
	r->cur = !r->cur;
	check_state(&r->s, r->s.family, r->created, r->now, &r->p);
	for (i = 0; qp && i < q.n_sources; i++) {
		int k = mc_state_find(&r->s, q.sources[i]);

		CHECK(k >= 0 && r->s.sources[k].timer <= r->now + LMQT);
		CHECK(!i || memcmp(q.sources[i - 1], q.sources[i],
				   MC_ADDR_LEN) < 0);
	}
	if (qp && q.group)
		CHECK(r->s.mode == MC_MODE_EXCLUDE &&
		      r->s.group_timer <= r->now + LMQT);
}

/* The time to the next step, from the input: 1 to 700 ms. */
static uint64_t step(const uint8_t *msg, uint32_t len, unsigned int k)
{
	return 1 + (len ? msg[k % len] * 37u % 700 : k * 97 % 700);
}

static void run_records(struct run *r, const struct mc_msg *m,
			const uint8_t *msg, uint32_t len)
{
	struct mc_iter it = { 0 };
	struct mc_record rec;

	while (mc_record_next(m, &it, &rec)) {
		r->now += step(msg, len, r->steps);
		run_expire(r);
		run_apply(r, &rec, m, m->version);
	}
}

/* An older version's report (IS_EX({})) or leave (TO_IN({})). */
static void run_older(struct run *r, uint8_t family, uint8_t ver,
		      uint8_t kind)
{
	struct mc_msg m = { .family = family, .kind = kind, .version = ver,
			    .n_records = 1 };
	struct mc_record rec = {
		.type = kind == MC_MSG_LEAVE ? MC_TO_IN : MC_IS_EX,
	};

	run_apply(r, &rec, &m, ver);
}

static void run(const struct mc_msg *m, const uint8_t *msg, uint32_t len,
		uint16_t max_sources, uint8_t max_version)
{
	static struct run r;
	struct mc_params init_p;
	uint8_t older;

	memset(&r, 0, sizeof(r));
	r.p.max_version = max_version;
	r.p.gmi = GMI;
	r.p.lmqt = LMQT;
	r.p.ohpt = OHPT;
	r.p.max_sources = max_sources;
	r.now = 1000;
	r.created = r.now;
	r.s.sources = r.buf[0];
	mc_state_init(&r.s, m->family, r.now);
	CHECK(r.s.n_sources == 0 && r.s.sources == r.buf[0]);
	/* the newest version, whatever the querier's */
	init_p = r.p;
	init_p.max_version = 0;
	check_state(&r.s, m->family, r.created, r.now, &init_p);

	run_records(&r, m, msg, len);
	/* an older host joins in, or leaves: version 1 or 2 */
	older = len ? msg[len - 1] : 0;
	r.now += step(msg, len, r.steps);
	run_expire(&r);
	run_older(&r, m->family, m->family == MC_IGMP ? 1 + (older & 1) : 1,
		  older & 2 ? MC_MSG_LEAVE : MC_MSG_REPORT);
	run_records(&r, m, msg, len);

	/* long after: everything runs out */
	r.now += 10 * (GMI + OHPT);
	run_expire(&r);
	CHECK(mc_state_empty(&r.s));
	CHECK(!mc_state_next_timer(&r.s));
	CHECK(r.s.compat == (max_version < top_of(m->family) ?
			     max_version : top_of(m->family)));
}

/* ---- The input --------------------------------------------------------- */

static uint32_t sum16(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* Sets the checksum of @msg right, the pseudo-header's part in @sum. */
static void fix_csum(uint8_t *msg, uint32_t len, uint32_t sum)
{
	if (len < 4)
		return;
	msg[2] = 0;
	msg[3] = 0;
	sum = sum16(sum, msg, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	msg[2] = sum >> 8;
	msg[3] = sum;
}

static enum mc_err parse(const uint8_t *data, uint32_t len, uint8_t family,
			 const uint8_t *src, const uint8_t *dst,
			 struct mc_msg *m)
{
	if (family == MC_IGMP)
		return mc_parse_igmp(data, len, m);
	return mc_parse_mld(data, len, src, dst, m);
}

/* What an accepted message promises; its records lie inside it. */
static void check_msg(const struct mc_msg *m, const uint8_t *buf,
		      uint32_t len, uint8_t family)
{
	uint32_t alen = family == MC_IGMP ? 4 : MC_ADDR_LEN;
	struct mc_iter it = { 0 };
	struct mc_record r;
	addr_t a;
	int n = 0, i;

	CHECK(m->family == family);
	CHECK(m->kind >= MC_MSG_REPORT && m->kind <= MC_MSG_QUERY);
	CHECK(m->version >= 1 && m->version <= top_of(family));
	CHECK(!m->records || (m->records >= buf &&
			      m->records_len <= len &&
			      (uint32_t)(m->records - buf) <=
			      len - m->records_len));
	while (mc_record_next(m, &it, &r)) {
		n++;
		CHECK(mc_rec_type_name(r.type)[0]);
		if (!r.n_sources)
			continue;
		CHECK(m->records && r.sources >= m->records);
		CHECK((uint32_t)(r.sources - m->records) + r.n_sources * alen
		      <= m->records_len);
		for (i = 0; i < r.n_sources; i++) {
			mc_record_source(m, &r, i, a);
			CHECK(family != MC_IGMP || mc_addr_is_v4(a));
		}
	}
	CHECK(n == m->n_records);
	CHECK(!mc_record_next(m, &it, &r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *src = NULL, *dst = NULL, *msg;
	uint32_t len, pseudo = 0;
	uint8_t family, top;
	enum mc_err err, err2;
	struct mc_msg m;
	uint8_t *copy;

	/* an IPv4 or IPv6 payload at most: sum16() does not overflow */
	if (size < 1 || size > 33 + 65535)
		return 0;
	family = data[0];
	if (family == MC_IGMP) {
		msg = data + 1;
		len = size - 1;
	} else if (family == MC_MLD && size >= 33) {
		src = data + 1;
		dst = data + 17;
		msg = data + 33;
		len = size - 33;
		pseudo = sum16(sum16(0, src, 16), dst, 16) +
			 (len >> 16) + (len & 0xffff) + 58;
	} else {
		return 0;
	}

	copy = malloc(len ? len : 1);
	CHECK(copy);
	memcpy(copy, msg, len);
	err = parse(copy, len, family, src, dst, &m);
	CHECK(err < __MC_ERR_MAX);
	CHECK(mc_err_name(err)[0]);
	if (!err)
		check_msg(&m, copy, len, family);

	/* the same with a good checksum */
	fix_csum(copy, len, pseudo);
	err2 = parse(copy, len, family, src, dst, &m);
	CHECK(err2 < __MC_ERR_MAX);
	CHECK(err || !err2);
	CHECK(err2 != MC_ERR_CSUM || len < 4);
	if (!err2) {
		check_msg(&m, copy, len, family);
		top = top_of(family);
		run(&m, copy, len, 8, top);
		run(&m, copy, len, MAXS, top);
		run(&m, copy, len, 8, top - 1);
	}
	free(copy);
	return 0;
}
