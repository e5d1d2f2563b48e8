// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's RELEASE-REQUEST exchange (agent/leaseguardd/release.c)
 * driven alone, without the daemon's event loop, through the context
 * struct it is given (struct lgd_ctx): the test keeps the bindings, its
 * clock stands in for clock.c's, and the kernel's side (LG_CMD_BINDING_DEL
 * or _RELEASE of the bindings whose release ended) is recorded.
 *
 * The messages are real: each test runs in a network namespace of its
 * own, the server is a UDP socket on [::1]:547 there, and release.c's raw
 * socket sends and reads as in the daemon. What is checked is RFC 8415
 * section 15 as the draft applies it (IRT 1 s, MRC 4, MRT and MRD 0):
 * the first RT in IRT +-10%, each next one 2 RTprev +-10%, the same xid
 * every time, and after the fourth transmission the bindings go back to
 * bound; a reply with the xid releases them and stops the timer.
 *
 * Needs root (a network namespace and a raw socket); skips without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <poll.h>

#include "kselftest_harness.h"

#include "dhcp6_release.h"
#include "lgd.h"
#include "netns.h"

/* The clock release.c and timer.c read: the test's. */
static uint64_t now_ms = 1000000;

uint64_t lgd_now_ms(void)
{
	return now_ms;
}

#define MAX_BATCHES	8
#define SERVER_DUID	{ 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 0, 0x53 }

struct batch {
	uint8_t cmd;
	uint32_t reason;
	bool cancel;
	size_t n;
	uint64_t ids[4];
};

/* The daemon's side of the context: bindings, names, the kernel. */
struct world {
	struct lgd_conf conf;
	struct lgd_ctx ctx;
	struct lgd_client client;
	struct lgd_lease lease;
	uint8_t server_duid[10];
	struct lgd_binding b;
	struct lgd_binding b2;		/* id 8 on acc4, if a test wants */
	struct batch batches[MAX_BATCHES];
	size_t n_batches;
};

static struct lgd_binding *w_find(void *priv, uint64_t id)
{
	struct world *w = priv;

	if (id == w->b.id)
		return &w->b;
	return w->b2.id && id == w->b2.id ? &w->b2 : NULL;
}

static const char *w_ifname(void *priv, uint32_t ifindex, char *buf)
{
	(void)priv;
	snprintf(buf, IF_NAMESIZE, "acc%u", ifindex);
	return buf;
}

static int w_batch(void *priv, uint8_t cmd, const uint64_t *ids, size_t n,
		   uint32_t reason, bool cancel, size_t *n_failed)
{
	struct world *w = priv;
	struct batch *bt;

	if (w->n_batches == MAX_BATCHES || n > 4)
		abort();
	bt = &w->batches[w->n_batches++];
	bt->cmd = cmd;
	bt->reason = reason;
	bt->cancel = cancel;
	bt->n = n;
	memcpy(bt->ids, ids, n * sizeof(*ids));
	*n_failed = 0;
	return 0;
}

static void w_verdict(void *priv, uint64_t id, bool answered)
{
	(void)priv, (void)id, (void)answered;
	abort();	/* release.c never probes */
}

static void world_init(struct world *w)
{
	static const uint8_t relay_duid[] = { 0x00, 0x03, 0x00, 0x01,
					      2, 0, 0, 0, 0, 0x01 };
	static const uint8_t client_duid[] = { 0x00, 0x03, 0x00, 0x01,
					       2, 0, 0, 0, 0, 0xc1 };
	static const uint8_t server_duid[] = SERVER_DUID;

	memset(w, 0, sizeof(*w));
	lgd_conf_defaults(&w->conf);
	memcpy(w->conf.relay_id, relay_duid, sizeof(relay_duid));
	w->conf.relay_id_len = sizeof(relay_duid);
	w->ctx = (struct lgd_ctx){
		.conf = &w->conf,
		.priv = w,
		.binding_find = w_find,
		.ifname = w_ifname,
		.binding_batch = w_batch,
		.anchor_verdict = w_verdict,
	};
	memcpy(w->client.duid, client_duid, sizeof(client_duid));
	w->client.duid_len = sizeof(client_duid);
	inet_pton(AF_INET6, "2001:db8:1::10", w->lease.addr);
	w->lease.plen = 128;
	memcpy(w->server_duid, server_duid, sizeof(server_duid));

	w->b.id = 7;
	w->b.ifindex = 3;
	w->b.iaid = 0x1234;
	w->b.ia_type = LG_IA_NA;
	w->b.state = LG_BINDING_RELEASING;
	w->b.release_reason = LG_RELEASE_ADMIN;
	w->b.n_leases = 1;
	w->b.leases = &w->lease;
	w->b.server_duid = w->server_duid;
	w->b.server_duid_len = sizeof(w->server_duid);
	w->b.has_server_addr = true;
	inet_pton(AF_INET6, "::1", w->b.server_addr);
	w->b.client = &w->client;
	w->client.bindings = &w->b;
}

/* The servers of release-fallback: addresses of lo in the namespace. */
#define ALT1	"2001:db8:f::2"
#define ALT2	"2001:db8:f::3"
/* A DUID-LLT: longer than SERVER_DUID, so the message changes length. */
#define ALT_DUID { 0x00, 0x01, 0x00, 0x01, 0x2a, 0x2b, 0x2c, 0x2d, \
		   2, 0, 0, 0, 0, 0x54 }
#define ALT_DUID_HEX "00:01:00:01:2a:2b:2c:2d:02:00:00:00:00:54"

FIXTURE(rel) {
	struct world w;
	struct lgd_release *r;
	int srv;			/* the server: UDP [::1]:547 */
	int alt;			/* the alternate: UDP [ALT1]:547 */
};

/* in6_ifreq of linux/ipv6.h, whose header clashes with netinet/in.h. */
struct lo_in6_ifreq {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

/* A UDP socket on [addr]:port, or -1. */
static int udp_bound(const char *addr, uint16_t port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * addr/128 on lo. Lo does no DAD, but the address is tentative (not
 * bound to, not routed to) until addrconf's work has run: wait for it.
 */
static int lo_add(const char *addr)
{
	struct lo_in6_ifreq r = { .prefixlen = 128,
				  .ifindex = if_nametoindex("lo") };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret, i;

	if (fd < 0 || inet_pton(AF_INET6, addr, &r.addr) != 1)
		return -1;
	ret = ioctl(fd, SIOCSIFADDR, &r);
	close(fd);
	for (i = 0; !ret && i < 200; i++) {
		fd = udp_bound(addr, 0);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		usleep(5000);
	}
	return -1;
}

FIXTURE_SETUP(rel)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };

	self->srv = self->alt = -1;
	if (geteuid())
		SKIP(return, "not root: needs a network namespace and a raw socket");
	ASSERT_EQ(0, netns_with_lo_up());

	self->srv = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, bind(self->srv, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, lo_add(ALT1));
	ASSERT_EQ(0, lo_add(ALT2));	/* nobody listens there */
	self->alt = udp_bound(ALT1, 547);
	ASSERT_LE(0, self->alt);

	lgd_log_init(LOG_ERR, false);
	world_init(&self->w);
	self->r = lgd_release_open(&self->w.ctx);
	ASSERT_NE(NULL, self->r);
}

FIXTURE_TEARDOWN(rel)
{
	lgd_release_close(self->r);
	if (self->srv >= 0)
		close(self->srv);
	if (self->alt >= 0)
		close(self->alt);
}

/*
 * The next RELEASE-REQUEST the server got: its xid, or -1 if none came in
 * ms (loopback delivers before sendto() returns: a short wait is plenty).
 * The server's socket stands for whoever owns port 547 on the router.
 */
static long srv_recv_ms(int srv, struct dr_msg *m, struct dr_client *cl,
			int ms)
{
	static uint8_t buf[65536];
	struct pollfd p = { .fd = srv, .events = POLLIN };
	ssize_t len;

again:
	if (poll(&p, 1, ms) != 1)
		return -1;
	len = recv(srv, buf, sizeof(buf), 0);
	if (len <= 0)
		return -1;
	/* The server's own replies come here too (it is the port's owner). */
	if (buf[0] != LG_RELEASE_REQUEST_TYPE_DEFAULT)
		goto again;
	memset(m, 0, sizeof(*m));
	m->clients = cl;
	m->max_clients = 4;
	if (dr_parse(buf, len, m) != DR_OK)
		return -1;
	return m->xid;
}

#define srv_recv(srv, m, cl)	srv_recv_ms(srv, m, cl, 1000)
#define srv_none(srv, m, cl)	(srv_recv_ms(srv, m, cl, 50) == -1)

/* What "lgctl release show" would print of key (stats line), or -1. */
static long show_stat(struct lgd_release *r, const char *key)
{
	char *out = NULL, *p, k[64];
	size_t len = 0;
	long v = -1;
	FILE *f = open_memstream(&out, &len);

	lgd_release_show(r, f);
	fclose(f);
	snprintf(k, sizeof(k), " %s=", key);
	p = strstr(out, k);
	if (p)
		v = strtol(p + strlen(k), NULL, 10);
	free(out);
	return v;
}

static char *outcome_of(struct lgd_release *r, const char *id)
{
	char *out = NULL, args[32];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	snprintf(args, sizeof(args), "%s", id);
	lgd_release_outcomes(r, f, args);
	fclose(f);
	return out;
}

/* RT is mid + RAND * of, RAND in -0.1..0.1 (a millisecond for rounding). */
#define ASSERT_RT(rt, mid, of)						\
	do {								\
		ASSERT_GE((long)(rt), (long)(mid) - (long)(of) / 10 - 1); \
		ASSERT_LE((long)(rt), (long)(mid) + (long)(of) / 10 + 1); \
	} while (0)

TEST_F(rel, retransmits_per_rfc8415_then_gives_up)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long xid, rt, prev, total = 0;
	int attempt;
	char *o;

	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	ASSERT_EQ(1, lgd_release_pending(self->r));
	xid = srv_recv(self->srv, &m, cl);
	ASSERT_LE(0, xid);
	EXPECT_EQ(LG_RELEASE_REQUEST_TYPE_DEFAULT, m.type);
	ASSERT_EQ(1, m.n_clients);
	ASSERT_EQ(1, cl[0].n_ias);
	EXPECT_EQ(0x1234, cl[0].ias[0].iaid);
	EXPECT_EQ(DR_OPT_IA_NA, cl[0].ias[0].type);

	/* First RT: IRT + RAND * IRT. */
	rt = lgd_timers_run();
	ASSERT_RT(rt, 1000, 1000);
	for (attempt = 2; attempt <= 4; attempt++) {
		/* Not a millisecond early. */
		now_ms += rt - 1;
		total += rt;
		ASSERT_EQ(1, lgd_timers_run());
		ASSERT_TRUE(srv_none(self->srv, &m, cl)) {
			TH_LOG("attempt %d came early", attempt);
		}
		now_ms += 1;
		prev = rt;
		rt = lgd_timers_run();
		/* The same message again: same xid. */
		ASSERT_EQ(xid, srv_recv(self->srv, &m, cl)) {
			TH_LOG("attempt %d", attempt);
		}
		/* RT = 2 RTprev + RAND * RTprev. */
		ASSERT_RT(rt, 2 * prev, prev);
		EXPECT_EQ(0, self->w.n_batches);
	}
	EXPECT_EQ(3, show_stat(self->r, "retransmissions"));
	EXPECT_EQ(1, show_stat(self->r, "requests"));

	/* MRC 4: no fifth transmission; the binding is bound again. */
	now_ms += rt;
	total += rt;
	ASSERT_EQ(-1, lgd_timers_run());
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	EXPECT_EQ(0, lgd_release_pending(self->r));
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_RELEASE, self->w.batches[0].cmd);
	EXPECT_TRUE(self->w.batches[0].cancel);
	ASSERT_EQ(1, self->w.batches[0].n);
	EXPECT_EQ(7, self->w.batches[0].ids[0]);
	EXPECT_EQ(1, show_stat(self->r, "timed_out"));
	EXPECT_EQ(NULL, self->w.b.req);
	/*
	 * About 1 + 2 + 4 + 8 s: at the least 0.9 s (1 + 1.9 + 1.9^2 + 1.9^3),
	 * at the most 1.1 s (1 + 2.1 + 2.1^2 + 2.1^3).
	 */
	EXPECT_GE(total, 12032 - 4);
	EXPECT_LE(total, 18448 + 4);

	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=timed-out cleared=0"));
	EXPECT_NE(NULL, strstr(o, " attempts=4 "));
	free(o);
}

TEST_F(rel, clear_on_timeout_deletes)
{
	struct dr_client cl[4];
	struct dr_msg m;
	int i, rt;

	self->w.conf.release_clear_on_timeout = true;
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	rt = lgd_timers_run();
	for (i = 0; i < 4; i++) {
		ASSERT_LE(0, srv_recv(self->srv, &m, cl));
		ASSERT_LT(0, rt);
		now_ms += rt;
		rt = lgd_timers_run();
	}
	ASSERT_EQ(-1, rt);
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_DEL, self->w.batches[0].cmd);
	EXPECT_EQ(LG_BINDING_DEL_RELAY_RELEASE, self->w.batches[0].reason);
	EXPECT_EQ(7, self->w.batches[0].ids[0]);
}

/*
 * The server of socket fd answers xid with status, with the Server
 * Identifier duid (len octets), to the relay's port; release.c reads it.
 */
static void reply_from(struct __test_metadata *_metadata,
		       FIXTURE_DATA(rel) *self, int fd, long xid,
		       uint16_t status, const uint8_t *duid, size_t duid_len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct dr_client c = {
		.duid = { self->w.client.duid, self->w.client.duid_len },
	};
	struct dr_msg m = {
		.type = LG_RELEASE_REPLY_TYPE_DEFAULT,
		.xid = xid,
		.server_id = { duid, duid_len },
		.relay_id = { self->w.conf.relay_id, self->w.conf.relay_id_len },
		.has_status = true,
		.status = status,
		.n_clients = 1,
		.clients = &c,
	};
	uint8_t buf[1500];
	size_t len = dr_build(&m, buf, sizeof(buf));
	struct pollfd p = { .fd = lgd_release_fd(self->r), .events = POLLIN };

	ASSERT_LT(0, len);
	ASSERT_EQ((ssize_t)len, sendto(fd, buf, len, 0,
				       (struct sockaddr *)&to, sizeof(to)));
	ASSERT_EQ(1, poll(&p, 1, 1000));
	lgd_release_input(self->r);
}

/* The lease's server answers xid with status: what happens to binding 7. */
static void reply(struct __test_metadata *_metadata, FIXTURE_DATA(rel) *self,
		  long xid, uint16_t status)
{
	static const uint8_t server_duid[] = SERVER_DUID;

	reply_from(_metadata, self, self->srv, xid, status, server_duid,
		   sizeof(server_duid));
}

/*
 * Binding 7 queued and its request out: the lease's server got the first
 * transmission (into m and cl). Its xid.
 */
static long sent_once(struct __test_metadata *_metadata,
		      FIXTURE_DATA(rel) *self, struct dr_msg *m,
		      struct dr_client *cl)
{
	long xid;

	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	xid = srv_recv(self->srv, m, cl);
	ASSERT_LE(0, xid);
	return xid;
}

/* ... and the second, at the first RT, with the same xid. */
static long sent_twice(struct __test_metadata *_metadata,
		       FIXTURE_DATA(rel) *self, struct dr_msg *m,
		       struct dr_client *cl)
{
	long xid = sent_once(_metadata, self, m, cl);

	now_ms += lgd_timers_run();
	ASSERT_LT(0, lgd_timers_run());
	ASSERT_EQ(xid, srv_recv(self->srv, m, cl));
	return xid;
}

TEST_F(rel, success_reply_releases_and_stops_the_timer)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long xid;
	char *o;

	xid = sent_twice(_metadata, self, &m, cl);

	/* Another xid: discarded, the request still waits. */
	reply(_metadata, self, xid ^ 1, DR_STATUS_SUCCESS);
	EXPECT_EQ(1, show_stat(self->r, "discarded_xid"));
	EXPECT_EQ(1, lgd_release_pending(self->r));
	EXPECT_EQ(0, self->w.n_batches);

	reply(_metadata, self, xid, DR_STATUS_SUCCESS);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_DEL, self->w.batches[0].cmd);
	EXPECT_EQ(LG_BINDING_DEL_RELAY_RELEASE, self->w.batches[0].reason);
	EXPECT_EQ(7, self->w.batches[0].ids[0]);
	/* No timer left: no third transmission, ever. */
	EXPECT_EQ(-1, lgd_timers_run());
	now_ms += 60000;
	EXPECT_EQ(-1, lgd_timers_run());
	EXPECT_TRUE(srv_none(self->srv, &m, cl));

	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=released status=Success code=0"));
	EXPECT_NE(NULL, strstr(o, " attempts=2 "));
	free(o);
}

TEST_F(rel, refused_reply_binds_again)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long xid;

	xid = sent_once(_metadata, self, &m, cl);
	reply(_metadata, self, xid, DR_STATUS_NOT_ALLOWED);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_RELEASE, self->w.batches[0].cmd);
	EXPECT_TRUE(self->w.batches[0].cancel);
	EXPECT_EQ(1, show_stat(self->r, "refused"));
	EXPECT_EQ(-1, lgd_timers_run());
}

TEST_F(rel, bound_again_before_a_reply_stops_retransmitting)
{
	struct dr_client cl[4];
	struct dr_msg m;
	char *o;

	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	ASSERT_LE(0, srv_recv(self->srv, &m, cl));
	self->w.b.state = LG_BINDING_BOUND;
	lgd_release_forget(self->r, &self->w.b);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_EQ(-1, lgd_timers_run());
	now_ms += 20000;
	EXPECT_EQ(-1, lgd_timers_run());
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	EXPECT_EQ(0, self->w.n_batches);
	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=cancelled"));
	free(o);
}

/* release-fallback of interface name (the "*" default for "*"). */
static void set_fallback(struct __test_metadata *_metadata, struct world *w,
			 const char *name, const char *list)
{
	ASSERT_EQ(NULL, lgd_conf_set_if(&w->conf, name, "release-fallback",
					list));
}

/*
 * The transmissions of one exchange after its first, at its RTs: each
 * to fd with xid. Returns the last RT (the wait for a reply to the last).
 */
static long run_schedule(struct __test_metadata *_metadata, int fd, long xid)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long rt = lgd_timers_run(), prev;
	int attempt;

	ASSERT_RT(rt, 1000, 1000);
	for (attempt = 2; attempt <= 4; attempt++) {
		now_ms += rt;
		prev = rt;
		rt = lgd_timers_run();
		ASSERT_EQ(xid, srv_recv(fd, &m, cl)) {
			TH_LOG("attempt %d", attempt);
		}
		ASSERT_RT(rt, 2 * prev, prev);
	}
	return rt;
}

static bool duid_is(const struct dr_bytes *b, const uint8_t *duid,
		    size_t len)
{
	return b->len == len && !memcmp(b->data, duid, len);
}

static char *show_text(struct lgd_release *r)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	lgd_release_show(r, f);
	fclose(f);
	return out;
}

/*
 * The lease's server is silent: after its four transmissions the same
 * request goes to the next server of release-fallback (the lease's own,
 * listed too, skipped), with a new xid, a schedule from IRT again and
 * the alternate's DUID as the list gives it. Only the alternate, from
 * its address, with the new xid and its Server Identifier, ends it.
 */
TEST_F(rel, silent_server_then_the_alternate_answers)
{
	static const uint8_t lease_duid[] = SERVER_DUID, alt_duid[] = ALT_DUID;
	struct dr_client cl[4];
	struct dr_msg m;
	long xid, xid2, rt, rt2;
	char *o;

	set_fallback(_metadata, &self->w, "*", "::1," ALT1 "=" ALT_DUID_HEX);
	xid = sent_once(_metadata, self, &m, cl);
	EXPECT_EQ(0, show_stat(self->r, "alternate"));
	rt = run_schedule(_metadata, self->srv, xid);
	EXPECT_TRUE(srv_none(self->alt, &m, cl));

	/* MRC: the fourth RT ran out. To the alternate, afresh. */
	now_ms += rt;
	rt = lgd_timers_run();
	ASSERT_RT(rt, 1000, 1000);
	xid2 = srv_recv(self->alt, &m, cl);
	ASSERT_LE(0, xid2);
	EXPECT_NE(xid, xid2);
	EXPECT_TRUE(duid_is(&m.server_id, alt_duid, sizeof(alt_duid)));
	EXPECT_TRUE(duid_is(&m.relay_id, self->w.conf.relay_id,
			    self->w.conf.relay_id_len));
	ASSERT_EQ(1, m.n_clients);
	EXPECT_EQ(0x1234, cl[0].ias[0].iaid);
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	EXPECT_EQ(1, lgd_release_pending(self->r));
	EXPECT_EQ(0, self->w.n_batches);
	EXPECT_EQ(1, show_stat(self->r, "requests"));
	EXPECT_EQ(3, show_stat(self->r, "retransmissions"));
	EXPECT_EQ(1, show_stat(self->r, "alternate"));
	EXPECT_EQ(0, show_stat(self->r, "timed_out"));
	o = show_text(self->r);
	EXPECT_NE(NULL, strstr(o, " server=" ALT1 " attempt=1 max=4 "));
	EXPECT_NE(NULL, strstr(o, " alternate=1\n"));
	free(o);
	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=pending stage=sent attempt=1 max=4"));
	EXPECT_NE(NULL, strstr(o, " server=" ALT1));
	free(o);

	/* The lease's server answers the alternate's xid: not the one asked. */
	reply_from(_metadata, self, self->srv, xid2, DR_STATUS_SUCCESS,
		   lease_duid, sizeof(lease_duid));
	EXPECT_EQ(1, show_stat(self->r, "discarded_source"));
	/* The alternate answers the old xid: that exchange is over. */
	reply_from(_metadata, self, self->alt, xid, DR_STATUS_SUCCESS,
		   alt_duid, sizeof(alt_duid));
	EXPECT_EQ(1, show_stat(self->r, "discarded_xid"));
	/* The alternate with the lease's server's identifier: not asked. */
	reply_from(_metadata, self, self->alt, xid2, DR_STATUS_SUCCESS,
		   lease_duid, sizeof(lease_duid));
	EXPECT_EQ(1, show_stat(self->r, "discarded_server_id"));
	EXPECT_EQ(1, lgd_release_pending(self->r));
	EXPECT_EQ(0, self->w.n_batches);
	EXPECT_EQ(0, show_stat(self->r, "replies"));

	/* Its second transmission: same xid, RT doubled. */
	now_ms += rt;
	rt2 = lgd_timers_run();
	ASSERT_EQ(xid2, srv_recv(self->alt, &m, cl));
	ASSERT_RT(rt2, 2 * rt, rt);

	reply_from(_metadata, self, self->alt, xid2, DR_STATUS_SUCCESS,
		   alt_duid, sizeof(alt_duid));
	EXPECT_EQ(0, lgd_release_pending(self->r));
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_DEL, self->w.batches[0].cmd);
	EXPECT_EQ(LG_BINDING_DEL_RELAY_RELEASE, self->w.batches[0].reason);
	EXPECT_EQ(7, self->w.batches[0].ids[0]);
	EXPECT_EQ(1, show_stat(self->r, "replies"));
	EXPECT_EQ(1, show_stat(self->r, "alternate_replies"));
	EXPECT_EQ(1, show_stat(self->r, "success"));
	EXPECT_EQ(-1, lgd_timers_run());
	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=released status=Success code=0"));
	EXPECT_NE(NULL, strstr(o, " server=" ALT1 " attempts=6 "));
	free(o);
}

/*
 * Nobody answers: each server of the list in turn, then the timeout. A
 * server without a DUID in the list gets the lease's server's.
 */
TEST_F(rel, every_server_silent_times_out)
{
	static const uint8_t lease_duid[] = SERVER_DUID, alt_duid[] = ALT_DUID;
	struct dr_client cl[4];
	struct dr_msg m;
	long xid, rt;
	int i, alt2 = udp_bound(ALT2, 547);
	char *o;

	ASSERT_LE(0, alt2);
	set_fallback(_metadata, &self->w, "*", ALT1 "=" ALT_DUID_HEX "," ALT2);
	xid = sent_once(_metadata, self, &m, cl);
	rt = run_schedule(_metadata, self->srv, xid);
	now_ms += rt;
	EXPECT_TRUE(srv_none(self->alt, &m, cl));	/* not before its RT */
	rt = lgd_timers_run();
	xid = srv_recv(self->alt, &m, cl);
	ASSERT_LE(0, xid);
	EXPECT_TRUE(duid_is(&m.server_id, alt_duid, sizeof(alt_duid)));
	rt = run_schedule(_metadata, self->alt, xid);
	now_ms += rt;
	rt = lgd_timers_run();
	xid = srv_recv(alt2, &m, cl);
	ASSERT_LE(0, xid);
	EXPECT_TRUE(duid_is(&m.server_id, lease_duid, sizeof(lease_duid)));
	ASSERT_EQ(1, m.n_clients);
	EXPECT_EQ(0x1234, cl[0].ias[0].iaid);
	close(alt2);
	/* ALT2 gone: its other transmissions, its last RT. */
	for (i = 0; i < 4; i++) {
		ASSERT_LT(0, rt);
		now_ms += rt;
		rt = lgd_timers_run();
	}
	ASSERT_EQ(-1, rt);
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	EXPECT_TRUE(srv_none(self->alt, &m, cl));
	EXPECT_EQ(0, lgd_release_pending(self->r));
	ASSERT_EQ(1, self->w.n_batches);
	EXPECT_EQ(LG_CMD_BINDING_RELEASE, self->w.batches[0].cmd);
	EXPECT_TRUE(self->w.batches[0].cancel);
	EXPECT_EQ(1, show_stat(self->r, "timed_out"));
	EXPECT_EQ(2, show_stat(self->r, "alternate"));
	EXPECT_EQ(1, show_stat(self->r, "requests"));
	EXPECT_EQ(9, show_stat(self->r, "retransmissions"));
	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=timed-out cleared=0"));
	EXPECT_NE(NULL, strstr(o, " server=" ALT2 " attempts=12 "));
	free(o);
}

/*
 * No server address known (injected, not snooped): the first server of
 * the list is asked, with its DUID, as an alternate (its answer must come
 * from its address).
 */
TEST_F(rel, no_learned_server_asks_the_list)
{
	static const uint8_t alt_duid[] = ALT_DUID;
	struct dr_client cl[4];
	struct dr_msg m;
	long xid;

	self->w.b.has_server_addr = false;
	set_fallback(_metadata, &self->w, "*", ALT1 "=" ALT_DUID_HEX);
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	xid = srv_recv(self->alt, &m, cl);
	ASSERT_LE(0, xid);
	EXPECT_TRUE(duid_is(&m.server_id, alt_duid, sizeof(alt_duid)));
	EXPECT_EQ(1, show_stat(self->r, "alternate"));
	EXPECT_EQ(0, show_stat(self->r, "no_server"));

	reply_from(_metadata, self, self->srv, xid, DR_STATUS_SUCCESS,
		   alt_duid, sizeof(alt_duid));
	EXPECT_EQ(1, show_stat(self->r, "discarded_source"));
	EXPECT_EQ(1, lgd_release_pending(self->r));
	reply_from(_metadata, self, self->alt, xid, DR_STATUS_NO_BINDING,
		   alt_duid, sizeof(alt_duid));
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_EQ(1, show_stat(self->r, "nobinding"));
	EXPECT_EQ(1, show_stat(self->r, "alternate_replies"));

	/* Without the list: not sent, as before. */
	self->w.n_batches = 0;
	set_fallback(_metadata, &self->w, "*", "none");
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_EQ(1, show_stat(self->r, "no_server"));
	EXPECT_TRUE(srv_none(self->alt, &m, cl));
}

/* The lease's server still answers with its own Server Identifier only. */
TEST_F(rel, the_lease_server_answers_with_its_identifier)
{
	static const uint8_t alt_duid[] = ALT_DUID;
	struct dr_client cl[4];
	struct dr_msg m;
	long xid;

	set_fallback(_metadata, &self->w, "*", ALT1);
	xid = sent_once(_metadata, self, &m, cl);
	reply_from(_metadata, self, self->srv, xid, DR_STATUS_SUCCESS,
		   alt_duid, sizeof(alt_duid));
	EXPECT_EQ(1, show_stat(self->r, "discarded_server_id"));
	EXPECT_EQ(1, lgd_release_pending(self->r));
	reply(_metadata, self, xid, DR_STATUS_SUCCESS);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_EQ(0, show_stat(self->r, "alternate"));
	EXPECT_EQ(0, show_stat(self->r, "alternate_replies"));
}

/* Bindings whose interfaces have other lists go in other requests. */
TEST_F(rel, other_lists_other_requests)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long x1, x2;

	self->w.b2 = self->w.b;
	self->w.b2.id = 8;
	self->w.b2.ifindex = 4;
	self->w.b2.iaid = 0x5678;
	self->w.b2.client_next = NULL;
	set_fallback(_metadata, &self->w, "*", ALT1);

	/* One list: one request, both bindings in it. */
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_queue(self->r, &self->w.b2);
	lgd_release_flush(self->r);
	EXPECT_EQ(1, lgd_release_pending(self->r));
	x1 = srv_recv(self->srv, &m, cl);
	ASSERT_LE(0, x1);
	EXPECT_EQ(2, m.n_clients);
	reply(_metadata, self, x1, DR_STATUS_SUCCESS);
	ASSERT_EQ(0, lgd_release_pending(self->r));

	/* acc4 gets another: two requests. */
	set_fallback(_metadata, &self->w, "acc4", ALT2);
	self->w.b.req = self->w.b2.req = NULL;
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_queue(self->r, &self->w.b2);
	lgd_release_flush(self->r);
	EXPECT_EQ(2, lgd_release_pending(self->r));
	x1 = srv_recv(self->srv, &m, cl);
	ASSERT_LE(0, x1);
	EXPECT_EQ(1, m.n_clients);
	x2 = srv_recv(self->srv, &m, cl);
	ASSERT_LE(0, x2);
	EXPECT_EQ(1, m.n_clients);
	EXPECT_NE(x1, x2);
}

/*
 * The router stops being the MASTER: its request stops, unanswered and
 * not ended (no cancel, no delete: the binding stays releasing for the
 * new MASTER); a takeover back sends a new request from the start.
 */
TEST_F(rel, stand_down_stops_without_ending)
{
	struct dr_client cl[4];
	struct dr_msg m;
	long xid, xid2, rt;
	char *o;

	xid = sent_twice(_metadata, self, &m, cl);	/* attempts 1, 2 */

	lgd_release_stand_down(self->r);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_EQ(NULL, self->w.b.req);
	EXPECT_FALSE(self->w.b.queued);
	EXPECT_EQ(-1, lgd_timers_run());
	now_ms += 20000;
	EXPECT_EQ(-1, lgd_timers_run());
	EXPECT_TRUE(srv_none(self->srv, &m, cl));
	EXPECT_EQ(0, self->w.n_batches);
	EXPECT_EQ(LG_BINDING_RELEASING, self->w.b.state);
	o = outcome_of(self->r, "7");
	EXPECT_NE(NULL, strstr(o, "outcome=pending stage=queued"));
	free(o);

	/* Queued, not sent yet: dropped from the queue, sent by nobody. */
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_stand_down(self->r);
	EXPECT_FALSE(self->w.b.queued);
	lgd_release_flush(self->r);
	EXPECT_EQ(0, lgd_release_pending(self->r));
	EXPECT_TRUE(srv_none(self->srv, &m, cl));

	/* The MASTER again: a request of its own, counted from the first. */
	lgd_release_queue(self->r, &self->w.b);
	lgd_release_flush(self->r);
	xid2 = srv_recv(self->srv, &m, cl);
	ASSERT_LE(0, xid2);
	EXPECT_NE(xid, xid2);
	rt = lgd_timers_run();
	ASSERT_RT(rt, 1000, 1000);
	EXPECT_EQ(2, show_stat(self->r, "requests"));
	EXPECT_EQ(1, show_stat(self->r, "retransmissions"));
	EXPECT_EQ(0, show_stat(self->r, "timed_out"));
	EXPECT_EQ(0, self->w.n_batches);
}

TEST_HARNESS_MAIN
