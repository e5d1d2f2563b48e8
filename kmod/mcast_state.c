// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Router-side IGMPv3/MLDv2 membership state of one group. See
 * mcast_state.h for the rules.
 *
 * A record's sources come unsorted and may repeat, and nothing can be
 * allocated: mc_state_apply() first sorts them, without duplicates, into
 * the front of @out's source array (binary search and memmove), then
 * merges them with @old's sources from the back of that same array. Every
 * record source but those of a BLOCK in INCLUDE mode (handled apart) is
 * in the next state, so the merge never writes over a record source it
 * has still to read. For a record of n sources and a limit of m sources
 * that costs O(n log m + m * m) in the worst case (m insertions, each
 * moving up to m sources), and O(m) more for the merge.
 *
 * "The source list changed", for the return values, means that the mode,
 * the set of addresses or which of them are excluded (timer 0 in EXCLUDE
 * mode) changed: anything that may change what mc_state_forwards() says.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#endif

#include "mcast_state.h"

static int addr_cmp(const u8 *a, const u8 *b)
{
	return memcmp(a, b, MC_ADDR_LEN);
}

/*
 * The first of @n sorted addresses, @stride octets apart from @base,
 * that is not below @addr: where @addr is, or would go.
 */
static u32 lower_bound(const void *base, u32 stride, u32 n, const u8 *addr)
{
	const u8 *p = base;
	u32 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(p + (size_t)mid * stride, addr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static u8 top_version(u8 family)
{
	return family == MC_IGMP ? 3 : 2;
}

/* RFC 3376 section 7.3.2, RFC 3810 section 8.3.2; a max_version of 0: none */
static u8 compat_version(const struct mc_state *s, const struct mc_params *p)
{
	u8 v = top_version(s->family);

	if (s->v1_host_timer)
		v = 1;
	else if (s->family == MC_IGMP && s->v2_host_timer)
		v = 2;
	if (p->max_version && p->max_version < v)
		v = p->max_version;
	return v;
}

static u64 min_timer(u64 t, u64 limit)
{
	return t < limit ? t : limit;
}

void mc_state_init(struct mc_state *s, u8 family, u64 now)
{
	s->family = family;
	s->mode = MC_MODE_INCLUDE;
	s->compat = top_version(family);
	s->group_timer = 0;
	s->v1_host_timer = 0;
	s->v2_host_timer = 0;
	s->created = now;
	s->n_sources = 0;
}

/* What a record does, once the compatibility rules have been applied. */
struct mc_op {
	u8 type;		/* enum mc_rec_type */
	u8 mode;		/* of @old */
	u64 now;
	u64 gmi;		/* now + GMI */
	u64 group_timer;	/* of @old */
};

/*
 * The tables of RFC 3376 sections 6.4.1 and 6.4.2 for one address: @o is
 * its source in @old (NULL if none), @in_rec whether the record lists it.
 * Returns whether the address is in the next state, and if so its timer
 * and whether a group-and-source query asks for it. BLOCK in INCLUDE mode
 * is not done here.
 */
static bool mc_decide(const struct mc_op *op, const struct mc_source *o,
		      bool in_rec, u64 *timer, bool *query)
{
	bool x = o && o->timer;		/* in A (INCLUDE) or X (EXCLUDE) */

	*query = false;
	switch (op->type) {
	case MC_IS_EX:
	case MC_TO_EX:
		/* Delete(A-B), Delete(X-A), Delete(Y-A) */
		if (!in_rec)
			return false;
		if (o)
			*timer = o->timer;	/* A*B, A*X, Y*A keep theirs */
		else if (op->mode == MC_MODE_INCLUDE)
			*timer = 0;		/* (B-A)=0 */
		else if (op->type == MC_IS_EX)
			*timer = op->gmi;	/* (A-X-Y)=GMI */
		else
			*timer = op->group_timer;	/* (A-X-Y)=GroupTimer */
		/* Q(G,A*B) in INCLUDE, Q(G,A-Y) in EXCLUDE */
		*query = op->type == MC_TO_EX && (o ? x : *timer);
		return true;
	case MC_BLOCK:
		/* EXCLUDE(X+(A-Y),Y), (A-X-Y)=GroupTimer, Q(G,A-Y) */
		*timer = o ? o->timer : op->group_timer;
		*query = in_rec && *timer;
		return true;
	default:
		/* IS_IN, ALLOW, TO_IN: (B)=GMI; Q(G,A-B), Q(G,X-A) */
		*timer = in_rec ? op->gmi : o->timer;
		*query = op->type == MC_TO_IN && !in_rec && x;
		return true;
	}
}

/*
 * The record's sources, sorted and without duplicates, into the front of
 * @out's array: their number, or -1 if more than @cap.
 */
static int mc_sort_record(const struct mc_record *rec, const struct mc_msg *m,
			  struct mc_source *out, u32 cap)
{
	u8 a[MC_ADDR_LEN];
	u32 n = 0, pos, i;

	for (i = 0; i < rec->n_sources; i++) {
		mc_record_source(m, rec, i, a);
		pos = lower_bound(out, sizeof(*out), n, a);
		if (pos < n && !addr_cmp(out[pos].addr, a))
			continue;
		if (n == cap)
			return -1;
		memmove(out + pos + 1, out + pos, (n - pos) * sizeof(*out));
		memcpy(out[pos].addr, a, MC_ADDR_LEN);
		n++;
	}
	return n;
}

/*
 * Walks the union of @old's sources and the @nb sorted record sources at
 * @b, both in address order (@back: from the end). Each step gives the
 * old source (or NULL) and whether the record lists the address.
 */
struct mc_walk {
	const struct mc_source *a, *b;
	u32 na, nb, i, j;	/* left to walk: a[0..i) or a[i..na) */
	bool back;
};

static bool mc_walk_next(struct mc_walk *w, const struct mc_source **o,
			 const u8 **addr, bool *in_rec)
{
	const struct mc_source *a, *b;
	bool more_a, more_b;
	int cmp;

	more_a = w->back ? w->i > 0 : w->i < w->na;
	more_b = w->back ? w->j > 0 : w->j < w->nb;
	if (!more_a && !more_b)
		return false;
	a = more_a ? &w->a[w->back ? w->i - 1 : w->i] : NULL;
	b = more_b ? &w->b[w->back ? w->j - 1 : w->j] : NULL;
	if (!a || !b)
		cmp = a ? -1 : 1;
	else if (w->back)
		cmp = addr_cmp(b->addr, a->addr);	/* the larger first */
	else
		cmp = addr_cmp(a->addr, b->addr);

	*o = cmp <= 0 ? a : NULL;
	*in_rec = cmp >= 0;
	*addr = cmp <= 0 ? a->addr : b->addr;
	if (cmp <= 0) {
		if (w->back)
			w->i--;
		else
			w->i++;
	}
	if (cmp >= 0) {
		if (w->back)
			w->j--;
		else
			w->j++;
	}
	return true;
}

/* The merge of @old and the record, into @out's sources; see the top. */
static enum mc_apply_res mc_merge(const struct mc_state *old,
				  const struct mc_op *op, u32 nb, u64 lmqt,
				  u32 cap, struct mc_state *out,
				  struct mc_query *q, bool *asked)
{
	struct mc_walk w = {
		.a = old->sources, .b = out->sources,
		.na = old->n_sources, .nb = nb,
	};
	const struct mc_source *o;
	struct mc_source s;
	u32 n = 0, nq = 0;
	bool in_rec, query;
	const u8 *addr;
	u64 timer;

	while (mc_walk_next(&w, &o, &addr, &in_rec)) {
		if (mc_decide(op, o, in_rec, &timer, &query)) {
			n++;
			nq += query;
		}
	}
	if (n > cap)
		return MC_APPLY_LIMITED;
	*asked = nq;

	w.back = true;
	w.i = w.na;
	w.j = w.nb;
	if (q)
		q->n_sources = nq;
	out->n_sources = n;
	while (mc_walk_next(&w, &o, &addr, &in_rec)) {
		if (!mc_decide(op, o, in_rec, &timer, &query))
			continue;
		/* addr may be the very slot written: copy it first */
		memcpy(s.addr, addr, MC_ADDR_LEN);
		s.created = o ? o->created : op->now;
		s.timer = query ? min_timer(timer, op->now + lmqt) : timer;
		out->sources[--n] = s;
		if (query && q)
			memcpy(q->sources[--nq], s.addr, MC_ADDR_LEN);
	}
	return MC_APPLY_CHANGED;
}

/*
 * BLOCK(B) in INCLUDE(A): INCLUDE(A), Q(G,A*B). B need not fit in @out,
 * so each of its sources is looked up in A instead.
 */
static enum mc_apply_res mc_block_include(const struct mc_state *old,
					  const struct mc_record *rec,
					  const struct mc_msg *m, u64 now,
					  const struct mc_params *p,
					  struct mc_state *out,
					  struct mc_query *q, bool *asked)
{
	struct mc_source *s = out->sources;
	u32 n = old->n_sources, pos, i;
	u8 a[MC_ADDR_LEN];

	if (n)
		memcpy(s, old->sources, n * sizeof(*s));
	out->n_sources = n;
	for (i = 0; i < rec->n_sources; i++) {
		mc_record_source(m, rec, i, a);
		pos = lower_bound(s, sizeof(*s), n, a);
		if (pos == n || addr_cmp(s[pos].addr, a) || !s[pos].timer)
			continue;
		s[pos].timer = min_timer(s[pos].timer, now + p->lmqt);
		*asked = true;
		if (!q)
			continue;
		/* |A*B| <= |A|: q holds them */
		pos = lower_bound(q->sources, MC_ADDR_LEN, q->n_sources, a);
		if (pos < q->n_sources && !addr_cmp(q->sources[pos], a))
			continue;
		memmove(q->sources[pos + 1], q->sources[pos],
			(q->n_sources - pos) * MC_ADDR_LEN);
		memcpy(q->sources[pos], a, MC_ADDR_LEN);
		q->n_sources++;
	}
	return MC_APPLY_CHANGED;
}

/* Whether the mode, the addresses or which are excluded differ. */
static bool mc_list_changed(const struct mc_state *a, const struct mc_state *b)
{
	u32 i;

	if (a->mode != b->mode || a->n_sources != b->n_sources)
		return true;
	for (i = 0; i < a->n_sources; i++)
		if (addr_cmp(a->sources[i].addr, b->sources[i].addr) ||
		    !a->sources[i].timer != !b->sources[i].timer)
			return true;
	return false;
}

static bool mc_timers_changed(const struct mc_state *a,
			      const struct mc_state *b)
{
	u32 i;

	if (a->compat != b->compat || a->group_timer != b->group_timer ||
	    a->v1_host_timer != b->v1_host_timer ||
	    a->v2_host_timer != b->v2_host_timer)
		return true;
	for (i = 0; i < a->n_sources; i++)
		if (a->sources[i].timer != b->sources[i].timer)
			return true;
	return false;
}

/*
 * The result is for the caller to publish @out or not: CHANGED and TIMERS
 * publish it. IGNORED leaves @out untouched or equal to @old; a record
 * that changes nothing but asks for queries is TIMERS, as the queries are
 * something to do. LIMITED leaves every field of @out untouched, but may
 * have used the array out->sources points to.
 */
enum mc_apply_res mc_state_apply(const struct mc_state *old,
				 const struct mc_record *rec,
				 const struct mc_msg *m, u8 msg_version,
				 u64 now, const struct mc_params *p,
				 struct mc_state *out, struct mc_query *q)
{
	struct mc_state next = *old;	/* the fields; sources go to @out */
	/* A lowered limit keeps a larger state: it may stay, not grow. */
	u32 cap = old->n_sources > p->max_sources ? old->n_sources :
						    p->max_sources;
	enum mc_apply_res res;
	struct mc_op op = {
		.type = rec->type, .mode = old->mode, .now = now,
		.gmi = now + p->gmi, .group_timer = old->group_timer,
	};
	bool no_sources = false, asked = false;
	u8 top = top_version(old->family);
	int nb = 0;

	if (q) {
		q->group = false;
		q->n_sources = 0;
	}
	if (rec->type < MC_IS_IN || rec->type > MC_BLOCK ||
	    m->family != old->family || m->kind == MC_MSG_QUERY)
		return MC_APPLY_IGNORED;

	/* Only reports start the Older Version Host Present timers. */
	if (m->kind == MC_MSG_REPORT && msg_version == 1)
		next.v1_host_timer = now + p->ohpt;
	else if (m->kind == MC_MSG_REPORT && msg_version == 2 && top == 3)
		next.v2_host_timer = now + p->ohpt;
	next.compat = compat_version(&next, p);

	if (next.compat < top) {
		switch (rec->type) {
		case MC_BLOCK:
			op.type = 0;
			break;
		case MC_IS_EX:
		case MC_TO_EX:
			no_sources = true;
			break;
		}
	}
	/* IGMPv1 routers know no leave */
	if (top == 3 && next.compat == 1 && m->kind == MC_MSG_LEAVE)
		op.type = 0;
	if (!op.type) {
		if (!mc_timers_changed(old, &next))
			return MC_APPLY_IGNORED;
		/* but the host timers changed: a state with just those */
		op.type = MC_ALLOW;
		no_sources = true;
	}

	next.sources = out->sources;
	if (op.type == MC_BLOCK && old->mode == MC_MODE_INCLUDE) {
		res = mc_block_include(old, rec, m, now, p, &next, q,
				       &asked);
	} else {
		if (!no_sources)
			nb = mc_sort_record(rec, m, out->sources, cap);
		if (nb < 0)
			return MC_APPLY_LIMITED;
		res = mc_merge(old, &op, nb, p->lmqt, cap, &next, q, &asked);
	}
	if (res == MC_APPLY_LIMITED)
		return res;

	switch (op.type) {
	case MC_IS_EX:
	case MC_TO_EX:
		next.mode = MC_MODE_EXCLUDE;
		next.group_timer = op.gmi;
		break;
	case MC_TO_IN:
		if (old->mode == MC_MODE_EXCLUDE) {
			/* Q(G) */
			next.group_timer = min_timer(next.group_timer,
						     now + p->lmqt);
			asked = true;
			if (q)
				q->group = true;
		}
		break;
	}
	if (next.mode == MC_MODE_INCLUDE)
		next.group_timer = 0;
	*out = next;

	if (mc_list_changed(old, out))
		return MC_APPLY_CHANGED;
	if (mc_timers_changed(old, out) || asked)
		return MC_APPLY_TIMERS;
	return MC_APPLY_IGNORED;
}

/*
 * @out may be @old, or share its sources: the sources only move down the
 * array, and @old's fields are read before any is written.
 */
bool mc_state_expire(const struct mc_state *old, u64 now,
		     const struct mc_params *p, struct mc_state *out)
{
	struct mc_state next = *old;
	bool to_include, changed = false;
	struct mc_source s;
	u32 i, n = 0;

	next.sources = out->sources;
	/* 6.5: a group timer running out in EXCLUDE mode */
	to_include = old->mode == MC_MODE_EXCLUDE && old->group_timer <= now;
	for (i = 0; i < old->n_sources; i++) {
		s = old->sources[i];
		if (next.mode == MC_MODE_INCLUDE || to_include) {
			/* 6.3: INCLUDE forgets a source whose timer ran out */
			if (s.timer <= now) {
				changed = true;
				continue;
			}
		} else if (s.timer && s.timer <= now) {
			/* ... and EXCLUDE moves it to Y */
			s.timer = 0;
			changed = true;
		}
		next.sources[n++] = s;
	}
	next.n_sources = n;
	if (to_include) {
		next.mode = MC_MODE_INCLUDE;
		changed = true;
	}
	if (next.mode == MC_MODE_INCLUDE)
		next.group_timer = 0;
	if (next.v1_host_timer && next.v1_host_timer <= now)
		next.v1_host_timer = 0;
	if (next.v2_host_timer && next.v2_host_timer <= now)
		next.v2_host_timer = 0;
	next.compat = compat_version(&next, p);
	*out = next;
	return changed;
}

bool mc_state_empty(const struct mc_state *s)
{
	return s->mode == MC_MODE_INCLUDE && !s->n_sources;
}

static u64 earlier(u64 t, u64 u)
{
	if (!t)
		return u;
	if (!u)
		return t;
	return t < u ? t : u;
}

u64 mc_state_next_timer(const struct mc_state *s)
{
	u64 t = earlier(s->group_timer, earlier(s->v1_host_timer,
						s->v2_host_timer));
	u32 i;

	for (i = 0; i < s->n_sources; i++)
		t = earlier(t, s->sources[i].timer);
	return t;
}

int mc_state_find(const struct mc_state *s, const u8 addr[MC_ADDR_LEN])
{
	u32 i;

	if (!s->n_sources)
		return -1;
	i = lower_bound(s->sources, sizeof(*s->sources), s->n_sources, addr);
	if (i < s->n_sources && !addr_cmp(s->sources[i].addr, addr))
		return i;
	return -1;
}

bool mc_state_forwards(const struct mc_state *s, const u8 src[MC_ADDR_LEN])
{
	int i = mc_state_find(s, src);

	if (s->mode == MC_MODE_INCLUDE)
		return i >= 0;
	return i < 0 || s->sources[i].timer;
}
