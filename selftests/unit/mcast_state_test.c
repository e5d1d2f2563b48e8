// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/mcast_state.c, built in userspace under ASan and
 * UBSan: one test per row of the tables of RFC 3376 sections 6.4.1 and
 * 6.4.2, then expiry, older version compatibility and the limits.
 *
 * Every test runs for IGMP and for MLD (the fixture's variants). Records
 * are built directly, their sources in the wire format of the family (4
 * octets for IGMP, 16 for MLD) in a heap buffer of exactly their size, so
 * that a read past the record is an ASan report. Source n is 10.0.0.n
 * (::ffff:10.0.0.n) or 2001:db8::n: both sort by n.
 *
 * Each apply checks that @old is left as it was, and that a refused
 * record leaves every field of @out untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "mcast_state.h"
#include "unit.h"

/* Distinct values, so that a timer set from the wrong one shows. */
#define GMI	260000
#define LMQT	2000
#define OHPT	250000
#define MAXS	64

#define TC	100000		/* the group's state is created */
#define T0	1000000		/* the state of each test is set up */
#define T1	(T0 + 10000)	/* the record under test is heard */

/* INCLUDE(A): A = {1, 2, 3} heard at T0 */
#define TA	(T0 + GMI)
/* EXCLUDE(X, Y): Y = {3, 4} at T0, X = {1, 2} at T0 + 500 */
#define TG	(T0 + GMI)
#define TX	(T0 + 500 + GMI)

FIXTURE(mc) {
	struct mc_state s;
	struct mc_source buf[2][MAXS];
	int cur;
	struct mc_params p;
	uint8_t qbuf[MAXS][MC_ADDR_LEN];
	struct mc_query q;
	struct mc_query *qp;	/* &q, or NULL */
	uint8_t top;		/* 3 IGMP, 2 MLD */
};

FIXTURE_VARIANT(mc) {
	uint8_t family;
};

FIXTURE_VARIANT_ADD(mc, igmp) {
	.family = MC_IGMP,
};

FIXTURE_VARIANT_ADD(mc, mld) {
	.family = MC_MLD,
};

FIXTURE_SETUP(mc)
{
	memset(self, 0, sizeof(*self));
	self->top = variant->family == MC_IGMP ? 3 : 2;
	self->p.max_version = self->top;
	self->p.gmi = GMI;
	self->p.lmqt = LMQT;
	self->p.ohpt = OHPT;
	self->p.max_sources = MAXS;
	self->q.sources = self->qbuf;
	self->qp = &self->q;
	self->s.sources = self->buf[0];
	mc_state_init(&self->s, variant->family, TC);
}

FIXTURE_TEARDOWN(mc)
{
}

/* ---- Addresses --------------------------------------------------------- */

/* Source n in the record's wire format; its length. */
static size_t wire_addr(uint8_t family, int n, uint8_t *out)
{
	static const uint8_t v6[MC_ADDR_LEN] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (family == MC_IGMP) {
		out[0] = 10;
		out[1] = 0;
		out[2] = n >> 8;
		out[3] = n;
		return 4;
	}
	memcpy(out, v6, MC_ADDR_LEN);
	out[14] = n >> 8;
	out[15] = n;
	return MC_ADDR_LEN;
}

/* Source n as the state has it. */
static void addr(uint8_t family, int n, uint8_t out[MC_ADDR_LEN])
{
	uint8_t w[MC_ADDR_LEN];

	if (family == MC_IGMP) {
		wire_addr(family, n, w);
		mc_addr_from_v4(out, w);
	} else {
		wire_addr(family, n, out);
	}
}

/* The n of an address, -1 if it is none of the test's. */
static int addr_n(uint8_t family, const uint8_t a[MC_ADDR_LEN])
{
	uint8_t want[MC_ADDR_LEN];
	int n = a[14] << 8 | a[15];

	addr(family, n, want);
	return memcmp(a, want, MC_ADDR_LEN) ? -1 : n;
}

static const char *res_name(enum mc_apply_res r)
{
	switch (r) {
	case MC_APPLY_CHANGED:
		return "changed";
	case MC_APPLY_TIMERS:
		return "timers";
	case MC_APPLY_IGNORED:
		return "ignored";
	case MC_APPLY_LIMITED:
		return "limited";
	}
	return "?";
}

/* ---- Applying records -------------------------------------------------- */

/*
 * Applies a record of @type listing sources @ids, heard at @now in a
 * message of @version and @kind; the next state becomes the fixture's on
 * CHANGED and TIMERS.
 */
static enum mc_apply_res apply(struct __test_metadata *_metadata,
			       FIXTURE_DATA(mc) *self, uint8_t type,
			       uint8_t version, uint8_t kind, uint64_t now,
			       const int *ids, int n_ids)
{
	struct mc_source before_src[MAXS];
	struct mc_state before, out, out_before;
	uint8_t family = self->s.family;
	struct mc_record r = { .type = type, .n_sources = n_ids };
	struct mc_msg m = {
		.family = family, .kind = kind, .version = version,
		.n_records = 1,
	};
	enum mc_apply_res res;
	size_t alen = family == MC_IGMP ? 4 : MC_ADDR_LEN;
	uint8_t *wire;
	int i;

	wire = malloc(n_ids ? n_ids * alen : 1);
	if (!wire)
		abort();
	for (i = 0; i < n_ids; i++)
		wire_addr(family, ids[i], wire + i * alen);
	r.sources = n_ids ? wire : NULL;
	addr(family, 0xe001, r.group);

	before = self->s;
	memcpy(before_src, self->s.sources,
	       self->s.n_sources * sizeof(*before_src));
	memset(&out, 0x5a, sizeof(out));
	out.sources = self->buf[!self->cur];
	out_before = out;
	memset(self->qbuf, 0, sizeof(self->qbuf));

	res = mc_state_apply(&self->s, &r, &m, version, now, &self->p, &out,
			     self->qp);
	free(wire);

	/* @old is const: left as it was, sources included */
	ASSERT_EQ(0, memcmp(&before, &self->s, sizeof(before)));
	ASSERT_EQ(0, memcmp(before_src, self->s.sources,
			    self->s.n_sources * sizeof(*before_src)));
	if (res == MC_APPLY_LIMITED || res == MC_APPLY_IGNORED) {
		if (res == MC_APPLY_LIMITED)
			ASSERT_EQ(0, memcmp(&out, &out_before, sizeof(out)));
		ASSERT_FALSE(self->q.group);
		ASSERT_EQ(0, self->q.n_sources);
		return res;
	}
	ASSERT_EQ(family, out.family);
	ASSERT_EQ(self->s.created, out.created);
	/* a state beyond a lowered limit may stay as large, not grow */
	if (out.n_sources > self->p.max_sources)
		ASSERT_LE(out.n_sources, self->s.n_sources);
	self->s = out;
	self->cur = !self->cur;
	return res;
}

/* The list of ints: a pointer and a count (the first 0 is left out). */
#define LIST(...) ((const int[]){ 0, ##__VA_ARGS__ }) + 1, \
	(int)ARRAY_SIZE(((const int[]){ 0, ##__VA_ARGS__ })) - 1

/* A record of the family's newest version, of a report */
#define REC(type, now, ...) apply(_metadata, self, type, self->top, \
				  MC_MSG_REPORT, now, LIST(__VA_ARGS__))
/* An older version's report (IS_EX({})) or leave (TO_IN({})) */
#define V1_REPORT(now) apply(_metadata, self, MC_IS_EX, 1, MC_MSG_REPORT, \
			     now, LIST())
#define V2_REPORT(now) apply(_metadata, self, MC_IS_EX, 2, MC_MSG_REPORT, \
			     now, LIST())
#define LEAVE(version, now) apply(_metadata, self, MC_TO_IN, version, \
				  MC_MSG_LEAVE, now, LIST())

#define EXPECT_RES(want, call) \
	ASSERT_STREQ(res_name(want), res_name(call))

struct want {
	int n;
	uint64_t timer;
};

static void check_state(struct __test_metadata *_metadata,
			const struct mc_state *s, uint8_t mode, uint64_t gt,
			const struct want *w, int n)
{
	int i;

	ASSERT_EQ(mode, s->mode);
	ASSERT_EQ(gt, s->group_timer);
	ASSERT_EQ(n, s->n_sources);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(w[i].n, addr_n(s->family, s->sources[i].addr)) {
			TH_LOG("source %d", i);
		}
		ASSERT_EQ(w[i].timer, s->sources[i].timer) {
			TH_LOG("source %d (%d)", i, w[i].n);
		}
	}
}

/* STATE(mode, group timer, {n, timer}...): the whole state, in order */
#define STATE(mode, gt, ...) check_state(_metadata, &self->s, mode, gt, \
	((const struct want[]){ { 0, 0 }, ##__VA_ARGS__ }) + 1, \
	(int)ARRAY_SIZE(((const struct want[]){ { 0, 0 }, \
					       ##__VA_ARGS__ })) - 1)
#define INCLUDE(...) STATE(MC_MODE_INCLUDE, 0, ##__VA_ARGS__)
#define EXCLUDE(gt, ...) STATE(MC_MODE_EXCLUDE, gt, ##__VA_ARGS__)

static void check_query(struct __test_metadata *_metadata,
			const struct mc_query *q, uint8_t family, bool group,
			const int *ids, int n)
{
	int i;

	ASSERT_EQ(group, q->group);
	ASSERT_EQ(n, q->n_sources);
	for (i = 0; i < n; i++)
		ASSERT_EQ(ids[i], addr_n(family, q->sources[i])) {
			TH_LOG("queried source %d", i);
		}
}

/* QUERY(Q(G) or not, sources of Q(G,A)...) */
#define QUERY(group, ...) check_query(_metadata, &self->q, self->s.family, \
				      group, LIST(__VA_ARGS__))

static bool expire(FIXTURE_DATA(mc) *self, uint64_t now)
{
	struct mc_state out = { .sources = self->buf[!self->cur] };
	bool changed;

	changed = mc_state_expire(&self->s, now, &self->p, &out);
	self->s = out;
	self->cur = !self->cur;
	return changed;
}

/* INCLUDE({1, 2, 3}), each timer TA */
static void include_a(struct __test_metadata *_metadata,
		      FIXTURE_DATA(mc) *self)
{
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0, 1, 2, 3));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, TA });
	QUERY(false);
}

/* EXCLUDE(X, Y), X = {1, 2} with timers TX, Y = {3, 4}, group timer TG */
static void exclude_xy(struct __test_metadata *_metadata,
		       FIXTURE_DATA(mc) *self)
{
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T0, 4, 3));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0 + 500, 2, 1));
	EXCLUDE(TG, { 1, TX }, { 2, TX }, { 3, 0 }, { 4, 0 });
	QUERY(false);
}

/* ---- RFC 3376 6.4.1: Current-State records ----------------------------- */

TEST_F(mc, init)
{
	ASSERT_EQ(variant->family, self->s.family);
	ASSERT_EQ(MC_MODE_INCLUDE, self->s.mode);
	ASSERT_EQ(self->top, self->s.compat);
	ASSERT_EQ(TC, self->s.created);
	ASSERT_EQ(0, self->s.v1_host_timer);
	ASSERT_EQ(0, self->s.v2_host_timer);
	ASSERT_TRUE(self->buf[0] == self->s.sources);
	INCLUDE();
	ASSERT_TRUE(mc_state_empty(&self->s));
	ASSERT_EQ(0, mc_state_next_timer(&self->s));
}

/* INCLUDE(A) IS_IN(B): INCLUDE(A+B), (B)=GMI */
TEST_F(mc, include_is_in)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_IN, T1, 5, 3, 4));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, T1 + GMI }, { 4, T1 + GMI },
		{ 5, T1 + GMI });
	QUERY(false);
}

/* INCLUDE(A) IS_EX(B): EXCLUDE(A*B, B-A), (B-A)=0, Delete(A-B), GT=GMI */
TEST_F(mc, include_is_ex)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1, 5, 3, 4));
	EXCLUDE(T1 + GMI, { 3, TA }, { 4, 0 }, { 5, 0 });
	QUERY(false);
}

/* EXCLUDE(X,Y) IS_IN(A): EXCLUDE(X+A, Y-A), (A)=GMI */
TEST_F(mc, exclude_is_in)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_IN, T1, 5, 4, 2));
	EXCLUDE(TG, { 1, TX }, { 2, T1 + GMI }, { 3, 0 }, { 4, T1 + GMI },
		{ 5, T1 + GMI });
	QUERY(false);
}

/*
 * EXCLUDE(X,Y) IS_EX(A): EXCLUDE(A-Y, Y*A), (A-X-Y)=GMI, Delete(X-A),
 * Delete(Y-A), GT=GMI; A*X keeps its timers.
 */
TEST_F(mc, exclude_is_ex)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1, 5, 4, 2));
	EXCLUDE(T1 + GMI, { 2, TX }, { 4, 0 }, { 5, T1 + GMI });
	QUERY(false);
}

/* ---- RFC 3376 6.4.2: State-Change records ------------------------------ */

/* INCLUDE(A) ALLOW(B): INCLUDE(A+B), (B)=GMI */
TEST_F(mc, include_allow)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 4, 5, 3));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, T1 + GMI }, { 4, T1 + GMI },
		{ 5, T1 + GMI });
	QUERY(false);
}

/* INCLUDE(A) BLOCK(B): INCLUDE(A), Q(G,A*B) */
TEST_F(mc, include_block)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1, 5, 3, 4, 1));
	INCLUDE({ 1, T1 + LMQT }, { 2, TA }, { 3, T1 + LMQT });
	QUERY(false, 1, 3);
}

/*
 * INCLUDE(A) TO_EX(B): EXCLUDE(A*B, B-A), (B-A)=0, Delete(A-B),
 * Q(G,A*B), GT=GMI
 */
TEST_F(mc, include_to_ex)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1, 5, 3, 4));
	EXCLUDE(T1 + GMI, { 3, T1 + LMQT }, { 4, 0 }, { 5, 0 });
	QUERY(false, 3);
}

/* INCLUDE(A) TO_IN(B): INCLUDE(A+B), (B)=GMI, Q(G,A-B) */
TEST_F(mc, include_to_in)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_IN, T1, 5, 3, 4));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + LMQT }, { 3, T1 + GMI },
		{ 4, T1 + GMI }, { 5, T1 + GMI });
	QUERY(false, 1, 2);
}

/* EXCLUDE(X,Y) ALLOW(A): EXCLUDE(X+A, Y-A), (A)=GMI */
TEST_F(mc, exclude_allow)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 5, 4, 2));
	EXCLUDE(TG, { 1, TX }, { 2, T1 + GMI }, { 3, 0 }, { 4, T1 + GMI },
		{ 5, T1 + GMI });
	QUERY(false);
}

/*
 * EXCLUDE(X,Y) BLOCK(A): EXCLUDE(X+(A-Y), Y), (A-X-Y)=GroupTimer,
 * Q(G,A-Y). Both queried timers end at T1 + LMQT here; the next test
 * tells GroupTimer from LMQT.
 */
TEST_F(mc, exclude_block)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_BLOCK, T1, 5, 4, 2));
	EXCLUDE(TG, { 1, TX }, { 2, T1 + LMQT }, { 3, 0 }, { 4, 0 },
		{ 5, T1 + LMQT });
	QUERY(false, 2, 5);
}

/* A source new to EXCLUDE takes the group timer, if below now + LMQT. */
TEST_F(mc, exclude_block_new_source_takes_group_timer)
{
	exclude_xy(_metadata, self);
	self->p.lmqt = GMI;
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_BLOCK, T1, 5, 6));
	EXCLUDE(TG, { 1, TX }, { 2, TX }, { 3, 0 }, { 4, 0 }, { 5, TG },
		{ 6, TG });
	QUERY(false, 5, 6);
}

/*
 * EXCLUDE(X,Y) TO_EX(A): EXCLUDE(A-Y, Y*A), (A-X-Y)=GroupTimer,
 * Delete(X-A), Delete(Y-A), Q(G,A-Y), GT=GMI
 */
TEST_F(mc, exclude_to_ex)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1, 5, 4, 2));
	EXCLUDE(T1 + GMI, { 2, T1 + LMQT }, { 4, 0 }, { 5, T1 + LMQT });
	QUERY(false, 2, 5);

	/* the old group timer, not the new one, for A-X-Y */
	self->p.lmqt = 2 * GMI;
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1 + 1, 2, 4, 5, 7));
	EXCLUDE(T1 + 1 + GMI, { 2, T1 + LMQT }, { 4, 0 }, { 5, T1 + LMQT },
		{ 7, T1 + GMI });
	QUERY(false, 2, 5, 7);
}

/* EXCLUDE(X,Y) TO_IN(A): EXCLUDE(X+A, Y-A), (A)=GMI, Q(G,X-A), Q(G) */
TEST_F(mc, exclude_to_in)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_IN, T1, 5, 4, 2));
	EXCLUDE(T1 + LMQT, { 1, T1 + LMQT }, { 2, T1 + GMI }, { 3, 0 },
		{ 4, T1 + GMI }, { 5, T1 + GMI });
	QUERY(true, 1);
}

/* ---- Queries and results ----------------------------------------------- */

/* No @q: the timers are lowered all the same. */
TEST_F(mc, no_query_out_still_lowers_timers)
{
	exclude_xy(_metadata, self);
	self->qp = NULL;
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_TO_IN, T1, 2));
	EXCLUDE(T1 + LMQT, { 1, T1 + LMQT }, { 2, T1 + GMI }, { 3, 0 },
		{ 4, 0 });

	self->s.mode = MC_MODE_INCLUDE;	/* INCLUDE({1, 2}) */
	self->s.group_timer = 0;
	self->s.n_sources = 2;
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1 + 1, 2, 2));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + 1 + LMQT });

	/* nothing changes, but a query is due: the same result as with @q */
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1 + 2, 1));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + 1 + LMQT });
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T1 + 2, 3));
}

/* A query lowers a timer, never raises it; an empty A sends no Q(G,A). */
TEST_F(mc, queries_only_lower_timers)
{
	include_a(_metadata, self);
	/* all of A goes below T1 + LMQT, as a leave would have it */
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_TO_IN, T1));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + LMQT }, { 3, T1 + LMQT });
	QUERY(false, 1, 2, 3);

	/* again later: nothing changes, but the queries are still due */
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_TO_IN, T1 + 100));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + LMQT }, { 3, T1 + LMQT });
	QUERY(false, 1, 2, 3);

	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_TO_IN, T1 + 100, 3));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + LMQT }, { 3, T1 + 100 + GMI });
	QUERY(false, 1, 2);

	/* nothing in common: no query, nothing to do */
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T1 + 200, 7, 8));
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_ALLOW, T1 + 200));
	INCLUDE({ 1, T1 + LMQT }, { 2, T1 + LMQT }, { 3, T1 + 100 + GMI });
}

TEST_F(mc, unknown_record_types_are_ignored)
{
	static const uint8_t types[] = { 0, 7, 8, 200, 255 };
	unsigned int i;

	include_a(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		EXPECT_RES(MC_APPLY_IGNORED, REC(types[i], T1, 4)) {
			TH_LOG("type %u", types[i]);
		}
	INCLUDE({ 1, TA }, { 2, TA }, { 3, TA });
}

/* A record of the other family, or a query, is none of the state's. */
TEST_F(mc, other_family_and_queries_are_ignored)
{
	struct mc_msg m = { .family = variant->family, .kind = MC_MSG_REPORT };
	struct mc_record r = { .type = MC_ALLOW, .n_sources = 1 };
	struct mc_state out = { .sources = self->buf[1] };
	uint8_t wire[MC_ADDR_LEN];

	include_a(_metadata, self);
	wire_addr(variant->family, 9, wire);
	r.sources = wire;
	self->s.family = variant->family == MC_IGMP ? MC_MLD : MC_IGMP;
	EXPECT_RES(MC_APPLY_IGNORED,
		   mc_state_apply(&self->s, &r, &m, self->top, T1, &self->p,
				  &out, &self->q));
	self->s.family = variant->family;
	m.kind = MC_MSG_QUERY;
	EXPECT_RES(MC_APPLY_IGNORED,
		   mc_state_apply(&self->s, &r, &m, self->top, T1, &self->p,
				  &out, &self->q));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, TA });
}

/* ---- Expiry (RFC 3376 6.5, 6.2.2, 6.3) --------------------------------- */

TEST_F(mc, include_sources_expire)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 2, 4));
	INCLUDE({ 1, TA }, { 2, T1 + GMI }, { 3, TA }, { 4, T1 + GMI });
	ASSERT_EQ(TA, mc_state_next_timer(&self->s));

	ASSERT_FALSE(expire(self, TA - 1));
	INCLUDE({ 1, TA }, { 2, T1 + GMI }, { 3, TA }, { 4, T1 + GMI });
	ASSERT_TRUE(expire(self, TA));
	INCLUDE({ 2, T1 + GMI }, { 4, T1 + GMI });
	ASSERT_FALSE(mc_state_empty(&self->s));
	ASSERT_TRUE(expire(self, T1 + GMI + 5000));
	INCLUDE();
	ASSERT_TRUE(mc_state_empty(&self->s));
	ASSERT_EQ(TC, self->s.created);
}

/* EXCLUDE: a source timer running out moves the source to Y. */
TEST_F(mc, exclude_source_expiry_moves_to_y)
{
	exclude_xy(_metadata, self);
	/* a later group timer, so that X runs out first */
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_IS_EX, T0 + 1000, 1, 2, 3, 4));
	EXCLUDE(T0 + 1000 + GMI, { 1, TX }, { 2, TX }, { 3, 0 }, { 4, 0 });
	ASSERT_EQ(TX, mc_state_next_timer(&self->s));
	ASSERT_TRUE(mc_state_forwards(&self->s, self->s.sources[0].addr));

	ASSERT_FALSE(expire(self, TX - 1));
	ASSERT_TRUE(expire(self, TX));
	EXCLUDE(T0 + 1000 + GMI, { 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 });
	ASSERT_FALSE(mc_state_forwards(&self->s, self->s.sources[0].addr));
	ASSERT_EQ(T0 + 1000 + GMI, mc_state_next_timer(&self->s));

	/* then the group timer: INCLUDE({}) */
	ASSERT_TRUE(expire(self, T0 + 1000 + GMI));
	INCLUDE();
	ASSERT_TRUE(mc_state_empty(&self->s));
}

/* EXCLUDE: the group timer running out leaves INCLUDE(X); Y is gone. */
TEST_F(mc, group_timer_expiry_keeps_x)
{
	exclude_xy(_metadata, self);
	ASSERT_EQ(TG, mc_state_next_timer(&self->s));
	ASSERT_FALSE(expire(self, TG - 1));
	EXCLUDE(TG, { 1, TX }, { 2, TX }, { 3, 0 }, { 4, 0 });
	ASSERT_TRUE(expire(self, TG));
	INCLUDE({ 1, TX }, { 2, TX });
	ASSERT_TRUE(expire(self, TX));
	INCLUDE();
	ASSERT_TRUE(mc_state_empty(&self->s));
}

/* Both at once: an X source that ran out is not kept. */
TEST_F(mc, group_and_source_timers_expire_together)
{
	exclude_xy(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 5));
	EXCLUDE(TG, { 1, TX }, { 2, TX }, { 3, 0 }, { 4, 0 },
		{ 5, T1 + GMI });
	ASSERT_TRUE(expire(self, TX));
	INCLUDE({ 5, T1 + GMI });
}

/* @out may be @old itself. */
TEST_F(mc, expire_in_place)
{
	exclude_xy(_metadata, self);
	ASSERT_TRUE(mc_state_expire(&self->s, TG, &self->p, &self->s));
	INCLUDE({ 1, TX }, { 2, TX });
	ASSERT_TRUE(self->buf[self->cur] == self->s.sources);
	ASSERT_TRUE(mc_state_expire(&self->s, TX, &self->p, &self->s));
	INCLUDE();
}

/* ---- Older versions (RFC 3376 7.3.2, RFC 3810 8.3.2) ------------------- */

/* A v1 report: compat 1, and BLOCK is ignored until its timer runs out. */
TEST_F(mc, v1_report_then_block_ignored)
{
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, V1_REPORT(T1));
	ASSERT_EQ(1, self->s.compat);
	ASSERT_EQ(T1 + OHPT, self->s.v1_host_timer);
	ASSERT_EQ(0, self->s.v2_host_timer);
	/* IS_EX({}) from INCLUDE(A): A is gone */
	EXCLUDE(T1 + GMI);

	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1 + 1, 1, 2));
	EXCLUDE(T1 + GMI, { 1, T1 + 1 + GMI }, { 2, T1 + 1 + GMI });
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T1 + 2, 1));
	EXCLUDE(T1 + GMI, { 1, T1 + 1 + GMI }, { 2, T1 + 1 + GMI });
	ASSERT_EQ(T1 + OHPT, mc_state_next_timer(&self->s));

	/* the host timer runs out: back to the newest version */
	ASSERT_FALSE(expire(self, T1 + OHPT));
	ASSERT_EQ(self->top, self->s.compat);
	ASSERT_EQ(0, self->s.v1_host_timer);
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1 + OHPT, 1));
	EXCLUDE(T1 + GMI, { 1, T1 + OHPT + LMQT }, { 2, T1 + 1 + GMI });
	QUERY(false, 1);
}

/* In an older version's mode, IS_EX(x) is IS_EX({}) and TO_EX(x) TO_EX({}). */
TEST_F(mc, older_version_ignores_exclude_sources)
{
	uint8_t a[MC_ADDR_LEN];

	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_CHANGED, V1_REPORT(T1));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 1, 2));
	EXCLUDE(T1 + GMI, { 1, T1 + GMI }, { 2, T1 + GMI });

	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1 + 1, 2, 5));
	EXCLUDE(T1 + 1 + GMI);
	addr(variant->family, 5, a);
	ASSERT_TRUE(mc_state_forwards(&self->s, a));

	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1 + 2, 3));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1 + 3, 3, 6));
	EXCLUDE(T1 + 3 + GMI);
	QUERY(false);
	ASSERT_EQ(1, self->s.compat);
}

/* IGMPv2 hosts: compat 2 while the v2 timer runs; v1 is lower still. */
TEST_F(mc, igmp_v2_and_v1_host_timers)
{
	if (variant->family != MC_IGMP)
		SKIP(return, "IGMP only");
	EXPECT_RES(MC_APPLY_CHANGED, V2_REPORT(T0));
	ASSERT_EQ(2, self->s.compat);
	ASSERT_EQ(T0 + OHPT, self->s.v2_host_timer);
	ASSERT_EQ(0, self->s.v1_host_timer);
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T0, 1));

	/* a leave in v2 mode: TO_IN({}), Q(G) */
	EXPECT_RES(MC_APPLY_TIMERS, LEAVE(2, T0 + 100));
	EXCLUDE(T0 + 100 + LMQT);
	QUERY(true);

	EXPECT_RES(MC_APPLY_TIMERS, V1_REPORT(T1));
	ASSERT_EQ(1, self->s.compat);
	EXCLUDE(T1 + GMI);
	ASSERT_EQ(T0 + OHPT, mc_state_next_timer(&self->s));

	/* v2's timer first: still v1 */
	ASSERT_FALSE(expire(self, T0 + OHPT));
	ASSERT_EQ(1, self->s.compat);
	ASSERT_EQ(0, self->s.v2_host_timer);
	EXCLUDE(T1 + GMI);

	/* a v2 report in v1 mode starts the v2 timer, but v1 rules */
	EXPECT_RES(MC_APPLY_TIMERS, V2_REPORT(T0 + OHPT));
	ASSERT_EQ(1, self->s.compat);
	ASSERT_FALSE(expire(self, T1 + OHPT));
	ASSERT_EQ(2, self->s.compat);
	ASSERT_FALSE(expire(self, T0 + 2 * OHPT));
	ASSERT_EQ(3, self->s.compat);
}

/* IGMPv1 mode ignores v2 leaves; MLDv1 mode honours dones. */
TEST_F(mc, leave_in_v1_mode)
{
	EXPECT_RES(MC_APPLY_CHANGED, V1_REPORT(T0));
	EXCLUDE(T0 + GMI);
	ASSERT_EQ(1, self->s.compat);
	if (variant->family == MC_IGMP) {
		EXPECT_RES(MC_APPLY_TIMERS, V2_REPORT(T0 + 10));
		ASSERT_EQ(1, self->s.compat);
		EXPECT_RES(MC_APPLY_IGNORED, LEAVE(2, T1));
		EXCLUDE(T0 + 10 + GMI);
		QUERY(false);
		/* a v3 TO_IN({}) is not a leave */
		EXPECT_RES(MC_APPLY_TIMERS, REC(MC_TO_IN, T1));
		EXCLUDE(T1 + LMQT);
		QUERY(true);
	} else {
		EXPECT_RES(MC_APPLY_TIMERS, LEAVE(1, T1));
		EXCLUDE(T1 + LMQT);
		QUERY(true);
		ASSERT_EQ(T0 + OHPT, self->s.v1_host_timer);
	}
}

/* Never a version above the querier's. */
TEST_F(mc, max_version_caps_compat)
{
	self->p.max_version = self->top - 1;
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0, 1, 2));
	ASSERT_EQ(self->top - 1, self->s.compat);
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T0, 1));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1, 1, 5));
	EXCLUDE(T1 + GMI);

	/* no host timer, the cap alone */
	ASSERT_FALSE(expire(self, T1 + 1));
	ASSERT_EQ(self->top - 1, self->s.compat);
	ASSERT_EQ(0, self->s.v1_host_timer);

	/* lifted: the next record is of the newest version again */
	self->p.max_version = self->top;
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1 + 2, 5));
	ASSERT_EQ(self->top, self->s.compat);
	EXCLUDE(T1 + 2 + GMI, { 5, T1 + 2 + GMI });
}

/* A change of compat or of a host timer alone is a timer change. */
TEST_F(mc, compat_change_alone_is_timers)
{
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0, 1));
	ASSERT_EQ(self->top, self->s.compat);
	/* the querier steps down: a BLOCK is ignored, but compat changes */
	self->p.max_version = 1;
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T0 + 1, 1));
	ASSERT_EQ(1, self->s.compat);
	INCLUDE({ 1, TA });
	EXPECT_RES(MC_APPLY_IGNORED, REC(MC_BLOCK, T0 + 2, 1));
	ASSERT_EQ(1, self->s.compat);

	EXPECT_RES(MC_APPLY_CHANGED, V1_REPORT(T1));
	EXCLUDE(T1 + GMI);
	/* the same report heard again at the same time: nothing */
	EXPECT_RES(MC_APPLY_IGNORED, V1_REPORT(T1));
	EXPECT_RES(MC_APPLY_TIMERS, V1_REPORT(T1 + 1));
	EXCLUDE(T1 + 1 + GMI);
	ASSERT_EQ(T1 + 1 + OHPT, self->s.v1_host_timer);
}

/* ---- Limits and duplicates --------------------------------------------- */

/* A record the state cannot hold is refused whole. */
TEST_F(mc, limited_leaves_state)
{
	self->p.max_sources = 4;
	include_a(_metadata, self);
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_ALLOW, T1, 4, 5));
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_IS_IN, T1, 9, 8, 7, 6, 5));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, TA });

	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1, 4, 3));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, T1 + GMI }, { 4, T1 + GMI });

	/* BLOCK in INCLUDE lists nothing new: any length will do */
	{
		int ids[200], i;

		for (i = 0; i < 200; i++)
			ids[i] = 200 - i;
		EXPECT_RES(MC_APPLY_TIMERS,
			   apply(_metadata, self, MC_BLOCK, self->top,
				 MC_MSG_REPORT, T1 + 1, ids, 200));
	}
	QUERY(false, 1, 2, 3, 4);

	/* the limit is on the result: TO_EX drops A-B first */
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1 + 2, 5, 6, 7, 4));
	EXCLUDE(T1 + 2 + GMI, { 4, T1 + 1 + LMQT }, { 5, 0 }, { 6, 0 },
		{ 7, 0 });
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_BLOCK, T1 + 3, 8));
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_TO_IN, T1 + 3, 8));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1 + 4, 8));
	EXCLUDE(T1 + 4 + GMI, { 8, T1 + 4 + GMI });

	self->p.max_sources = 0;
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_ALLOW, T1 + 5, 8, 9));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1 + 6));
	EXCLUDE(T1 + 6 + GMI);
}

/*
 * Lowering max_sources keeps a larger state (the uapi's promise): a
 * record may refresh it or make it smaller, and only growth is refused.
 */
TEST_F(mc, lowered_limit_keeps_larger_state)
{
	include_a(_metadata, self);
	self->p.max_sources = 2;

	/* the membership is refreshed, not left to expire */
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_IS_IN, T1, 3, 2, 1));
	INCLUDE({ 1, T1 + GMI }, { 2, T1 + GMI }, { 3, T1 + GMI });
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_ALLOW, T1 + 1, 2));
	INCLUDE({ 1, T1 + GMI }, { 2, T1 + 1 + GMI }, { 3, T1 + GMI });
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1 + 2, 1));
	QUERY(false, 1);

	/* growing is refused, even by a source */
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_ALLOW, T1 + 3, 4));
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_IS_IN, T1 + 3, 1, 2, 3, 4));

	/* the same size in another mode, then smaller */
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1 + 4, 1, 2, 5));
	EXCLUDE(T1 + 4 + GMI, { 1, T1 + 2 + LMQT }, { 2, T1 + 4 + LMQT },
		{ 5, 0 });
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1 + 5, 5));
	EXCLUDE(T1 + 5 + GMI, { 5, 0 });
	EXPECT_RES(MC_APPLY_LIMITED, REC(MC_BLOCK, T1 + 6, 6, 7));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_BLOCK, T1 + 6, 6));
}

/* A record that lists a source twice lists it once. */
TEST_F(mc, duplicate_sources)
{
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0, 3, 1, 3, 2, 1, 3));
	INCLUDE({ 1, TA }, { 2, TA }, { 3, TA });
	EXPECT_RES(MC_APPLY_TIMERS, REC(MC_BLOCK, T1, 2, 9, 2, 2, 1));
	QUERY(false, 1, 2);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T1, 3, 5, 3, 5));
	EXCLUDE(T1 + GMI, { 3, T1 + LMQT }, { 5, 0 });
	QUERY(false, 3);
}

/* The longest record: 65535 sources, 3 of them distinct, or all. */
TEST_F(mc, longest_records)
{
	int *ids = malloc(65535 * sizeof(*ids));
	int i;

	ASSERT_NE(NULL, ids);
	self->p.max_sources = 3;
	for (i = 0; i < 65535; i++)
		ids[i] = 7 - i % 3;
	EXPECT_RES(MC_APPLY_CHANGED, apply(_metadata, self, MC_IS_EX,
					   self->top, MC_MSG_REPORT, T0,
					   ids, 65535));
	EXCLUDE(TG, { 5, 0 }, { 6, 0 }, { 7, 0 });

	for (i = 0; i < 65535; i++)
		ids[i] = 65535 - i;
	EXPECT_RES(MC_APPLY_LIMITED, apply(_metadata, self, MC_ALLOW,
					   self->top, MC_MSG_REPORT, T1,
					   ids, 65535));
	self->p.max_sources = MAXS;
	EXPECT_RES(MC_APPLY_LIMITED, apply(_metadata, self, MC_IS_EX,
					   self->top, MC_MSG_REPORT, T1,
					   ids, 65535));
	free(ids);
	EXCLUDE(TG, { 5, 0 }, { 6, 0 }, { 7, 0 });
}

/* ---- Up-time, timers, forwarding --------------------------------------- */

TEST_F(mc, created_is_kept)
{
	include_a(_metadata, self);
	ASSERT_EQ(T0, self->s.sources[0].created);
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_IS_EX, T1, 3, 4));
	ASSERT_EQ(T0, self->s.sources[0].created);	/* 3 */
	ASSERT_EQ(T1, self->s.sources[1].created);	/* 4 */
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T1 + 1, 4, 5));
	ASSERT_EQ(T1, self->s.sources[1].created);	/* Y to X */
	ASSERT_EQ(T1 + 1, self->s.sources[2].created);
	ASSERT_TRUE(expire(self, T1 + GMI));
	INCLUDE({ 4, T1 + 1 + GMI }, { 5, T1 + 1 + GMI });
	ASSERT_EQ(T1, self->s.sources[0].created);
	ASSERT_EQ(TC, self->s.created);
}

TEST_F(mc, next_timer)
{
	ASSERT_EQ(0, mc_state_next_timer(&self->s));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0 + 5, 1));
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_ALLOW, T0, 2));
	ASSERT_EQ(T0 + GMI, mc_state_next_timer(&self->s));
	/* Y's zeros are no timers; the group timer is one */
	EXPECT_RES(MC_APPLY_CHANGED, REC(MC_TO_EX, T0 + 10, 2, 3));
	EXCLUDE(T0 + 10 + GMI, { 2, T0 + 10 + LMQT }, { 3, 0 });
	ASSERT_EQ(T0 + 10 + LMQT, mc_state_next_timer(&self->s));
	ASSERT_TRUE(expire(self, T0 + 10 + LMQT));
	ASSERT_EQ(T0 + 10 + GMI, mc_state_next_timer(&self->s));
	/* a host timer before it (IS_EX({}) drops the sources) */
	EXPECT_RES(MC_APPLY_CHANGED, V1_REPORT(T0 + 20 + GMI - OHPT - 1));
	EXCLUDE(T0 + 19 + 2 * GMI - OHPT);
	ASSERT_EQ(T0 + 19 + GMI, self->s.v1_host_timer);
	ASSERT_EQ(T0 + 19 + GMI, mc_state_next_timer(&self->s));
}

TEST_F(mc, forwards_and_find)
{
	uint8_t a[10][MC_ADDR_LEN];
	int i;

	for (i = 0; i < 10; i++)
		addr(variant->family, i, a[i]);
	ASSERT_FALSE(mc_state_forwards(&self->s, a[1]));
	ASSERT_EQ(-1, mc_state_find(&self->s, a[1]));

	include_a(_metadata, self);
	ASSERT_TRUE(mc_state_forwards(&self->s, a[1]));
	ASSERT_TRUE(mc_state_forwards(&self->s, a[3]));
	ASSERT_FALSE(mc_state_forwards(&self->s, a[0]));
	ASSERT_FALSE(mc_state_forwards(&self->s, a[4]));
	for (i = 1; i <= 3; i++)
		ASSERT_EQ(i - 1, mc_state_find(&self->s, a[i]));
	ASSERT_EQ(-1, mc_state_find(&self->s, a[0]));
	ASSERT_EQ(-1, mc_state_find(&self->s, a[9]));

	self->s.n_sources = 0;
	self->s.mode = MC_MODE_INCLUDE;
	exclude_xy(_metadata, self);
	ASSERT_TRUE(mc_state_forwards(&self->s, a[1]));	/* X */
	ASSERT_TRUE(mc_state_forwards(&self->s, a[2]));
	ASSERT_FALSE(mc_state_forwards(&self->s, a[3]));	/* Y */
	ASSERT_FALSE(mc_state_forwards(&self->s, a[4]));
	ASSERT_TRUE(mc_state_forwards(&self->s, a[0]));	/* neither */
	ASSERT_TRUE(mc_state_forwards(&self->s, a[9]));
	for (i = 1; i <= 4; i++)
		ASSERT_EQ(i - 1, mc_state_find(&self->s, a[i]));
	ASSERT_EQ(-1, mc_state_find(&self->s, a[5]));
}

TEST_HARNESS_MAIN
