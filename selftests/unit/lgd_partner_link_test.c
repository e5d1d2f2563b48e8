// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's partner connection (agent/leaseguardd/partner.c): two
 * partners in one process on loopback TCP (A on 127.0.0.1, B on
 * 127.0.0.2, ephemeral ports), each with a binding table of its own
 * behind the session's callbacks, driven by a small loop over their two
 * descriptors and the daemon's timers (timer.c, clock.c), as main.c will:
 *
 *   - they connect, exchange HELLO, and a change on A reaches B, one on B
 *     reaches A, a delete on A reaches B;
 *   - both connect at once, and one connection stays: the one the
 *     smaller node id made, whichever of the two that is;
 *   - the connection cut: both notice, reconnect after the backoff, and
 *     only what was not acknowledged is sent again;
 *   - a partner that stops and starts again (a new instance, an empty
 *     table) gets the whole table;
 *   - keys that differ: every attempt refused and counted, attempts
 *     spaced by the growing backoff, one log line for each partner, a
 *     reminder with the count of those not logged after the interval,
 *     and a line at the first good handshake with the count of failures;
 *   - a stranger (127.0.0.3) is refused, counted, logged once;
 *   - a partner stopped (SIGSTOP, in a child process) is declared dead
 *     within the dead interval;
 *   - lgd_partner_show(), the control socket's "partner": its three lines
 *     as lgctl reads them, the peer's HELLO and the counters in them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "log_capture.h"
#include "kselftest_harness.h"

#include "lgd.h"
#include "partner.h"

#define DEAD_MS	1000
#define MAXREC	64

/* Lines of log holding both a and b. */
static int count_lines2(const char *log, const char *a, const char *b)
{
	const char *p, *nl;
	int n = 0;

	for (p = log; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (memmem(p, nl - p, a, strlen(a)) &&
		    memmem(p, nl - p, b, strlen(b)))
			n++;
		if (!*nl)
			break;
	}
	return n;
}

static uint64_t hs_fails(const struct lgd_partner_stats *st)
{
	return st->hs_key + st->hs_identity + st->hs_not_tls + st->hs_other;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	fchmod(fd, mode);
	close(fd);
}

/* A free port on addr (the partner binds it again at once). */
static uint16_t free_port(const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len))
		abort();
	close(fd);
	return ntohs(sa.sin_port);
}

/* ---- A node: a partner and its binding table ----------------------------- */

struct rec {
	bool used;
	uint32_t iaid;
	uint64_t time_ms;
};

struct node {
	struct lgd_partner *p;
	struct lgd_partner_conf conf;
	struct rec tab[MAXREC];
	unsigned int applied_upd, applied_del;
	bool frozen;			/* the loop does not read it */
};

static const uint8_t duid[] = { 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 1, 2 };

static void binding(struct lg_binding *b, struct lg_lease *l, uint32_t iaid)
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
	l->addr[15] = iaid;
	l->has_valid = true;
	l->valid = 3600;
	b->leases = l;
	b->n_leases = 1;
}

static struct rec *rec_find(struct node *n, uint32_t iaid)
{
	int i;

	for (i = 0; i < MAXREC; i++)
		if (n->tab[i].used && n->tab[i].iaid == iaid)
			return &n->tab[i];
	return NULL;
}

static void rec_set(struct node *n, uint32_t iaid, uint64_t time_ms)
{
	struct rec *r = rec_find(n, iaid);
	int i;

	for (i = 0; !r && i < MAXREC; i++)
		if (!n->tab[i].used)
			r = &n->tab[i];
	if (!r)
		abort();
	r->used = true;
	r->iaid = iaid;
	r->time_ms = time_ms;
}

static int cb_lookup(void *priv, const struct lg_binding *key,
		     uint64_t *time_ms)
{
	struct rec *r = rec_find(priv, key->iaid);

	if (!r)
		return -ENOENT;
	*time_ms = r->time_ms;
	return 0;
}

static int cb_apply_update(void *priv, const struct lg_binding *b,
			   uint64_t time_ms)
{
	struct node *n = priv;

	if (strcmp(b->ifname, "acc0") || b->n_leases != 1 ||
	    b->leases[0].addr[15] != (uint8_t)b->iaid)
		abort();
	rec_set(n, b->iaid, time_ms);
	n->applied_upd++;
	return 0;
}

static int cb_apply_delete(void *priv, const struct lg_binding *key,
			   uint8_t reason, uint64_t time_ms)
{
	struct node *n = priv;
	struct rec *r = rec_find(n, key->iaid);

	(void)reason, (void)time_ms;
	if (!r)
		return -ENOENT;
	r->used = false;
	n->applied_del++;
	return 0;
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
		binding(&b, &l, n->tab[i].iaid);
		err = fn(arg, &b, n->tab[i].time_ms);
		if (err)
			return err;
	}
	return 0;
}

static const struct lgd_ps_ops ops = {
	.lookup = cb_lookup,
	.apply_update = cb_apply_update,
	.apply_delete = cb_apply_delete,
	.walk = cb_walk,
};

/* A local change: in the table, and to the partner. */
static int local_update(struct node *n, uint32_t iaid, uint64_t time_ms)
{
	struct lg_binding b;
	struct lg_lease l;

	binding(&b, &l, iaid);
	rec_set(n, iaid, time_ms);
	return lgd_partner_local_update(n->p, &b, LG_SYNC_CHANGE_NEW, time_ms);
}

static int local_delete(struct node *n, uint32_t iaid, uint64_t time_ms)
{
	struct lg_binding b;
	struct lg_lease l;

	binding(&b, &l, iaid);
	rec_find(n, iaid)->used = false;
	return lgd_partner_local_delete(n->p, &b, LG_SYNC_DEL_RELEASED,
					time_ms);
}

static void node_conf(struct node *n, const char *addr, uint16_t port,
		      const char *peer, uint16_t peer_port, const char *key,
		      uint8_t id)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->conf.listen_addr, sizeof(n->conf.listen_addr), "%s", addr);
	n->conf.listen_port = port;
	snprintf(n->conf.peer_addr, sizeof(n->conf.peer_addr), "%s", peer);
	n->conf.peer_port = peer_port;
	snprintf(n->conf.key_path, sizeof(n->conf.key_path), "%s", key);
	n->conf.dead_ms = DEAD_MS;
	memset(n->conf.node_id, id, sizeof(n->conf.node_id));
	n->conf.instance = id * 1000 + 7;
	n->conf.sw_version = "test";
}

static enum lgd_partner_state state(struct node *n)
{
	struct lgd_partner_stats st;

	lgd_partner_get_stats(n->p, &st);
	return st.state;
}

static struct lgd_partner_stats stats(struct node *n)
{
	struct lgd_partner_stats st;

	lgd_partner_get_stats(n->p, &st);
	return st;
}

/* ---- The loop ------------------------------------------------------------ */

/* One turn of main.c's loop over both partners: at most wait ms. */
static void step(struct node *a, struct node *b, int wait)
{
	struct node *v[2] = { a, b };
	struct pollfd pf[2];
	int i, t = lgd_timers_run();

	if (t < 0 || t > wait)
		t = wait;
	for (i = 0; i < 2; i++) {
		pf[i].fd = v[i] && v[i]->p && !v[i]->frozen ?
			   lgd_partner_fd(v[i]->p) : -1;
		pf[i].events = POLLIN;
		pf[i].revents = 0;
	}
	poll(pf, 2, t);
	for (i = 0; i < 2; i++)
		if (pf[i].revents & POLLIN)
			lgd_partner_input(v[i]->p);
}

/* Runs the loop until cond holds or ms passed: cond's value. */
#define DRIVE_UNTIL(a, b, cond, ms) ({					\
	uint64_t _end = mono_ms() + (ms);				\
	while (!(cond) && mono_ms() < _end)				\
		step(a, b, 10);						\
	(cond);								\
})

static void drive(struct node *a, struct node *b, int ms)
{
	uint64_t end = mono_ms() + ms;

	while (mono_ms() < end)
		step(a, b, 10);
}

/* ---- The fixture --------------------------------------------------------- */

FIXTURE(link) {
	char dir[64];
	char key_a[96], key_b[96];
	int log_fd;
	uint16_t port_a, port_b;
	struct node a, b;
	pid_t child;			/* B, when it runs apart */
};

FIXTURE_SETUP(link)
{
	strcpy(self->dir, "/tmp/lgd_partner_link_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->key_a, sizeof(self->key_a), "%s/a.key", self->dir);
	snprintf(self->key_b, sizeof(self->key_b), "%s/b.key", self->dir);
	write_file(self->key_a, KEY_A "\n", 0600);
	write_file(self->key_b, KEY_B "\n", 0600);
	self->log_fd = open(self->dir, O_TMPFILE | O_RDWR, 0600);
	ASSERT_LE(0, self->log_fd);
	ASSERT_LE(0, dup2(self->log_fd, STDERR_FILENO));
	unsetenv("JOURNAL_STREAM");
	lgd_log_init(LOG_INFO, false);
	signal(SIGPIPE, SIG_DFL);	/* a write must never raise it */
	self->port_a = free_port("127.0.0.1");
	self->port_b = free_port("127.0.0.2");
	node_conf(&self->a, "127.0.0.1", self->port_a, "127.0.0.2",
		  self->port_b, self->key_a, 0x11);
	node_conf(&self->b, "127.0.0.2", self->port_b, "127.0.0.1",
		  self->port_a, self->key_a, 0x22);
}

FIXTURE_TEARDOWN(link)
{
	char cmd[128];

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	lgd_partner_close(self->a.p);
	lgd_partner_close(self->b.p);
	if (getenv("LGD_PARTNER_LINK_TEST_LOG"))
		fprintf(th_stream, "%s", log_text(self->log_fd));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

static void open_both(struct __test_metadata *_metadata,
		      FIXTURE_DATA(link) *self)
{
	self->a.p = lgd_partner_open(&self->a.conf, &ops, &self->a);
	ASSERT_NE(NULL, self->a.p);
	self->b.p = lgd_partner_open(&self->b.conf, &ops, &self->b);
	ASSERT_NE(NULL, self->b.p);
	ASSERT_EQ(self->port_a, lgd_partner_listen_port(self->a.p));
}

static bool synced(struct node *n)
{
	return state(n) == LGD_PARTNER_SYNCED;
}

/* The two ends of one TCP connection? */
static bool same_conn(int fa, int fb)
{
	struct sockaddr_in la, pa, lb, pb;
	socklen_t l = sizeof(la);

	if (fa < 0 || fb < 0)
		return false;
	getsockname(fa, (void *)&la, &l);
	l = sizeof(pa);
	getpeername(fa, (void *)&pa, &l);
	l = sizeof(lb);
	getsockname(fb, (void *)&lb, &l);
	l = sizeof(pb);
	getpeername(fb, (void *)&pb, &l);
	return la.sin_port == pb.sin_port && pa.sin_port == lb.sin_port &&
	       la.sin_addr.s_addr == pb.sin_addr.s_addr;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_in sa;
	socklen_t l = sizeof(sa);

	getsockname(fd, (void *)&sa, &l);
	return ntohs(sa.sin_port);
}

TEST_F(link, hello_and_changes_both_ways)
{
	struct node *a = &self->a, *b = &self->b;
	struct lgd_partner_stats sa, sb;

	open_both(_metadata, self);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
	ASSERT_TRUE(same_conn(lgd_partner_conn_fd(a->p),
			      lgd_partner_conn_fd(b->p)));
	ASSERT_EQ(0, memcmp(lgd_ps_peer(lgd_partner_session(a->p))->node_id,
			    b->conf.node_id, LG_SYNC_NODE_ID_LEN));

	ASSERT_EQ(0, local_update(a, 1, 1000));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, rec_find(b, 1), 1000));
	EXPECT_EQ(1000, rec_find(b, 1)->time_ms);
	ASSERT_EQ(0, local_update(b, 2, 2000));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, rec_find(a, 2), 1000));
	ASSERT_EQ(0, local_delete(a, 1, 3000));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, !rec_find(b, 1), 1000));
	EXPECT_EQ(1, b->applied_upd);
	EXPECT_EQ(1, b->applied_del);
	EXPECT_EQ(1, a->applied_upd);

	sa = stats(a);
	sb = stats(b);
	EXPECT_EQ(1, sa.attempts);
	EXPECT_EQ(1, sb.attempts);
	EXPECT_EQ(0, sa.lost);
	EXPECT_EQ(0, sb.lost);
	EXPECT_LT(0, sa.bytes_in);
	EXPECT_LT(0, sa.bytes_out);
	EXPECT_EQ(sa.bytes_out, sb.bytes_in);
	EXPECT_STREQ("synced", lgd_partner_state_name(sa.state));
	EXPECT_STREQ("127.0.0.2", strtok(sa.peer, ":"));
}

/* Both connect at once: one connection, the smaller node id's. */
TEST_F(link, both_connect_one_stays)
{
	struct node *a = &self->a, *b = &self->b, *small;
	struct lgd_partner_stats sa, sb;
	int round, fa, fb;

	for (round = 0; round < 2; round++) {
		/* Round 1: B has the smaller node id. */
		if (round) {
			lgd_partner_close(a->p);
			lgd_partner_close(b->p);
			memset(a->conf.node_id, 0x33, LG_SYNC_NODE_ID_LEN);
		}
		small = round ? b : a;
		open_both(_metadata, self);
		ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
		/* Both attempts were made and went through the handshake. */
		sa = stats(a);
		sb = stats(b);
		EXPECT_EQ(1, sa.attempts);
		EXPECT_EQ(1, sb.attempts);
		EXPECT_EQ(2, sa.connected + sa.accepted);
		EXPECT_EQ(2, sb.connected + sb.accepted);
		/*
		 * One side at least closed one by the rule (the other may
		 * see it closed before it could choose).
		 */
		EXPECT_LE(1, sa.duplicates + sb.duplicates);
		fa = lgd_partner_conn_fd(a->p);
		fb = lgd_partner_conn_fd(b->p);
		ASSERT_TRUE(same_conn(fa, fb));
		/* The smaller node id's end is not its listening port. */
		EXPECT_NE(lgd_partner_listen_port(small->p),
			  local_port(lgd_partner_conn_fd(small->p)));
		/* And it stays the one. */
		drive(a, b, 600);
		EXPECT_EQ(fa, lgd_partner_conn_fd(a->p));
		EXPECT_EQ(fb, lgd_partner_conn_fd(b->p));
		EXPECT_TRUE(synced(a) && synced(b));
		EXPECT_EQ(0, stats(a).lost);
		EXPECT_EQ(0, stats(b).lost);
	}
}

/* Cut: both notice, reconnect after the backoff, send again what is owed. */
TEST_F(link, cut_reconnect_resend_unacked)
{
	struct node *a = &self->a, *b = &self->b;
	uint64_t out0, got = 0, t0, resent0;
	char junk[65536];
	uint32_t i;
	ssize_t n;

	open_both(_metadata, self);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
	for (i = 1; i <= 5; i++)
		ASSERT_EQ(0, local_update(a, i, 1000 + i));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, b->applied_upd == 5 &&
			lgd_ps_stats(lgd_partner_session(a->p))->queue_len == 0,
			2000));
	resent0 = lgd_ps_stats(lgd_partner_session(a->p))->resent;

	/* Three more leave A; B's socket holds them, B does not read. */
	b->frozen = true;
	out0 = stats(a).bytes_out;
	for (i = 6; i <= 8; i++)
		ASSERT_EQ(0, local_update(a, i, 1000 + i));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, stats(a).bytes_out > out0, 500));
	ASSERT_EQ(3, lgd_ps_stats(lgd_partner_session(a->p))->queue_len);
	/* They are lost on the way: taken from under B's TLS. */
	t0 = mono_ms() + 1000;
	while (got < stats(a).bytes_out - out0 && mono_ms() < t0) {
		n = recv(lgd_partner_conn_fd(b->p), junk, sizeof(junk),
			 MSG_DONTWAIT);
		if (n > 0)
			got += n;
		else
			usleep(1000);
	}
	ASSERT_LE(stats(a).bytes_out - out0, got);	/* and TLS's own */
	ASSERT_EQ(0, shutdown(lgd_partner_conn_fd(a->p), SHUT_RDWR));
	b->frozen = false;
	t0 = mono_ms();
	ASSERT_TRUE(DRIVE_UNTIL(a, b, stats(a).lost == 1 &&
				stats(b).lost == 1, 1000));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b) &&
				b->applied_upd == 8, 3000));
	/* Not before the backoff (0.2 s: the last handshake was good). */
	EXPECT_LE(LGD_PARTNER_BACKOFF_MIN - 20, mono_ms() - t0);
	EXPECT_LE(1, stats(a).reconnects + stats(b).reconnects);
	/* Only the three unacknowledged, once; the first five not again. */
	EXPECT_EQ(3, lgd_ps_stats(lgd_partner_session(a->p))->resent - resent0);
	EXPECT_EQ(8, b->applied_upd);
	for (i = 1; i <= 8; i++)
		EXPECT_NE(NULL, rec_find(b, i));
	drive(a, b, 200);
	EXPECT_EQ(0, lgd_ps_stats(lgd_partner_session(a->p))->queue_len);
}

/*
 * B stops (close_notify: A knows at once) and starts again, a new
 * instance with an empty table, on the same port: A sends it the table.
 */
TEST_F(link, restarted_partner_gets_the_table)
{
	struct node *a = &self->a, *b = &self->b;
	uint32_t i;

	open_both(_metadata, self);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
	for (i = 1; i <= 4; i++)
		ASSERT_EQ(0, local_update(a, i, 1000 + i));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, b->applied_upd == 4, 1000));

	lgd_partner_close(b->p);
	b->p = NULL;
	ASSERT_TRUE(DRIVE_UNTIL(a, NULL, stats(a).lost == 1, 500));
	EXPECT_EQ(0, lgd_ps_stats(lgd_partner_session(a->p))->dead);
	memset(b->tab, 0, sizeof(b->tab));
	b->applied_upd = 0;
	b->conf.instance++;
	b->p = lgd_partner_open(&b->conf, &ops, b);
	ASSERT_NE(NULL, b->p);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b) &&
				b->applied_upd == 4, 3000));
	for (i = 1; i <= 4; i++)
		EXPECT_NE(NULL, rec_find(b, i));
	EXPECT_EQ(1, lgd_ps_stats(lgd_partner_session(b->p))->bulks_received);
}

/*
 * Keys that differ: refused, the backoff grows, every failure counted
 * but one line for each partner (its attempts and ours alike); the key
 * set right (B started again with A's), the line of the recovery.
 */
TEST_F(link, wrong_key_refused_backoff)
{
	struct node *a = &self->a, *b = &self->b;
	struct lgd_partner_stats sa, sb;
	char line[128];
	const char *log;

	snprintf(b->conf.key_path, sizeof(b->conf.key_path), "%s",
		 self->key_b);
	open_both(_metadata, self);
	drive(a, b, 1700);
	sa = stats(a);
	sb = stats(b);
	EXPECT_GE(LGD_PARTNER_CONNECTING, sa.state);
	EXPECT_GE(LGD_PARTNER_CONNECTING, sb.state);
	EXPECT_EQ(0, sa.connected + sa.accepted + sb.connected + sb.accepted);
	/* At 0, 0.2, 0.6 and 1.4 s: four attempts each, not a flood. */
	EXPECT_LE(3, sa.attempts);
	EXPECT_GE(4, sa.attempts);
	EXPECT_EQ(sa.attempts - 1, sa.reconnects);
	EXPECT_LE(800, sa.backoff_ms);
	/* Each failed on both ends: counted on both. */
	EXPECT_LE(2 * 3, sa.hs_key);
	EXPECT_LE(2 * 3, sb.hs_key);
	EXPECT_EQ(0, sa.hs_identity + sa.hs_not_tls);
	EXPECT_EQ(0, sb.hs_identity + sb.hs_not_tls);
	/* One line each, whichever end failed first; no reminder yet. */
	log = log_text(self->log_fd);
	EXPECT_EQ(1, count_lines2(log, "err: partner 127.0.0.2:",
				  ": TLS handshake failed: the partner's pre-shared key differs (OpenSSL: "));
	EXPECT_EQ(1, count_lines2(log, "err: partner 127.0.0.1:",
				  ": TLS handshake failed: the partner's pre-shared key differs (OpenSSL: "));
	EXPECT_EQ(2, count_lines(log, "TLS handshake failed"));
	EXPECT_EQ(0, count_lines(log, "more since"));
	EXPECT_EQ(0, count_lines(log, "connected ("));

	/* B with the right key: A says how many failed before. */
	lgd_partner_close(b->p);
	snprintf(b->conf.key_path, sizeof(b->conf.key_path), "%s",
		 self->key_a);
	b->p = lgd_partner_open(&b->conf, &ops, b);
	ASSERT_NE(NULL, b->p);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
	sa = stats(a);
	log = log_text(self->log_fd);
	snprintf(line, sizeof(line),
		 ": TLS handshake succeeded after %llu failures",
		 (unsigned long long)hs_fails(&sa));
	EXPECT_EQ(1, count_lines2(log, "notice: partner 127.0.0.2:", line));
	EXPECT_EQ(1, count_lines(log, "TLS handshake succeeded"));
	EXPECT_EQ(2, count_lines(log, "TLS handshake failed"));
}

/*
 * The failure that goes on: said again after the interval (0.5 s here,
 * 60 s by default), with how many were not logged since the last line.
 */
TEST_F(link, wrong_key_reminder)
{
	struct node *a = &self->a, *b = &self->b;
	const char *peer[2] = { "partner 127.0.0.2:", "partner 127.0.0.1:" };
	struct lgd_partner_stats st[2];
	unsigned long long more, sum;
	const char *log, *p, *nl;
	int i, lines, reminders, hh, mm, ss;

	snprintf(b->conf.key_path, sizeof(b->conf.key_path), "%s",
		 self->key_b);
	a->conf.hs_log_ms = b->conf.hs_log_ms = 500;
	open_both(_metadata, self);
	drive(a, b, 1700);
	st[0] = stats(a);
	st[1] = stats(b);
	log = log_text(self->log_fd);
	for (i = 0; i < 2; i++) {
		lines = reminders = 0;
		sum = 0;
		for (p = log; *p; p = nl + 1) {
			nl = strchrnul(p, '\n');
			if (memmem(p, nl - p, peer[i], strlen(peer[i])) &&
			    memmem(p, nl - p, "TLS handshake failed", 20)) {
				lines++;
				sum++;
				p = memmem(p, nl - p, ") (", 3);
				if (p && sscanf(p, ") (%llu more since %d:%d:%d)",
						&more, &hh, &mm, &ss) == 4) {
					reminders++;
					sum += more;
				}
			}
			if (!*nl)
				break;
		}
		TH_LOG("%s: %d lines, %d reminders, %llu of %llu failures said",
		       peer[i], lines, reminders, sum,
		       (unsigned long long)hs_fails(&st[i]));
		/* The first, then at 0.6 and 1.4 s (or 1.4 only). */
		EXPECT_LE(2, lines);
		EXPECT_GE(1 + 1700 / 500, lines);
		EXPECT_EQ(lines - 1, reminders);
		/* Those after the last line are not said yet. */
		EXPECT_LE(sum, hs_fails(&st[i]));
		EXPECT_LE(hs_fails(&st[i]) - 2, sum);
	}
}

/*
 * Only the partner's address may connect; from it, a peer that does not
 * speak TLS fails the handshake, counted as such.
 */
TEST_F(link, stranger_refused)
{
	static const char http[] = "GET / HTTP/1.0\r\n\r\n";
	struct node *a = &self->a, *b = &self->b;
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int fd[5], i, pfd;
	char c;

	inet_pton(AF_INET, "127.0.0.3", &src.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	dst.sin_port = htons(self->port_a);
	open_both(_metadata, self);
	for (i = 0; i < 5; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, bind(fd[i], (void *)&src, sizeof(src)));
		ASSERT_EQ(0, connect(fd[i], (void *)&dst, sizeof(dst)));
	}
	ASSERT_TRUE(DRIVE_UNTIL(a, b, stats(a).refused == 5 &&
				synced(a) && synced(b), 3000));
	/* Closed at once, without a word of TLS. */
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(0, recv(fd[i], &c, 1, 0));
		close(fd[i]);
	}
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
				 "refused a connection from 127.0.0.3"));
	EXPECT_EQ(0, stats(a).hs_not_tls + stats(a).hs_other);

	inet_pton(AF_INET, "127.0.0.2", &src.sin_addr);
	pfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(pfd, (void *)&src, sizeof(src)));
	ASSERT_EQ(0, connect(pfd, (void *)&dst, sizeof(dst)));
	ASSERT_EQ(sizeof(http) - 1, write(pfd, http, sizeof(http) - 1));
	EXPECT_TRUE(DRIVE_UNTIL(a, b, stats(a).hs_not_tls == 1, 1000));
	EXPECT_EQ(5, stats(a).refused);
	close(pfd);
	/* The pair's own connection went on. */
	EXPECT_TRUE(synced(a) && synced(b));
	EXPECT_EQ(0, stats(a).lost);
}

/* A partner that stops (SIGSTOP) is dead within the dead interval. */
TEST_F(link, stopped_partner_dead)
{
	struct node *a = &self->a, *b = &self->b;
	uint64_t t0, took;
	pid_t pid;

	/* B in a child of its own, with its own loop, to stop for real. */
	pid = self->child = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		b->p = lgd_partner_open(&b->conf, &ops, b);
		if (!b->p)
			_exit(1);
		for (;;)
			step(NULL, b, 100);
	}
	a->p = lgd_partner_open(&a->conf, &ops, a);
	ASSERT_NE(NULL, a->p);
	ASSERT_TRUE(DRIVE_UNTIL(a, NULL, synced(a), 3000));
	drive(a, NULL, 300);
	ASSERT_TRUE(synced(a));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	t0 = mono_ms();
	ASSERT_TRUE(DRIVE_UNTIL(a, NULL, !synced(a) &&
				state(a) != LGD_PARTNER_HELLO, DEAD_MS + 500));
	took = mono_ms() - t0;
	TH_LOG("dead after %llu ms (dead interval %u)",
	       (unsigned long long)took, DEAD_MS);
	/* The last heartbeat came at most 0.5 s before the stop. */
	EXPECT_LE(DEAD_MS - 500 - 20, took);
	EXPECT_GE(DEAD_MS + 200, took);	/* a loaded machine's slack */
	EXPECT_EQ(1, lgd_ps_stats(lgd_partner_session(a->p))->dead);
	EXPECT_EQ(1, stats(a).lost);
}

/*
 * The value of key on the line of kind in text ("kind k=v k=v\n..."):
 * in val, or false. Also checks what lgctl needs of every line: words
 * key=value, fewer than its LG_CTL_MAX_WORDS (32).
 */
static bool show_get(const char *text, const char *kind, const char *key,
		     char *val, size_t len)
{
	char line[2048], *w, *save, *eq;
	const char *p = text, *nl;
	size_t n;
	int words;

	for (; (nl = strchr(p, '\n')); p = nl + 1) {
		n = nl - p < (ptrdiff_t)sizeof(line) ? (size_t)(nl - p) :
			sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		w = strtok_r(line, " ", &save);
		if (!w || strcmp(w, kind))
			continue;
		for (words = 0; (w = strtok_r(NULL, " ", &save)); words++) {
			eq = strchr(w, '=');
			if (!eq || eq == w || words >= 31)
				return false;
			*eq = '\0';
			if (!strcmp(w, key)) {
				snprintf(val, len, "%s", eq + 1);
				return true;
			}
		}
	}
	return false;
}

static char *show_text(struct lgd_partner *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	lgd_partner_show(p, f);
	fclose(f);
	return text;
}

TEST_F(link, show_for_the_control_socket)
{
	struct node *a = &self->a, *b = &self->b;
	char v[128], *text;
	int lines = 0;
	const char *c;

	/* Blanks, '=' and a newline in the partner's version: one word. */
	b->conf.sw_version = "9.9 x=y\nz";
	b->conf.role = LG_SYNC_ROLE_BACKUP;
	a->p = lgd_partner_open(&a->conf, &ops, a);
	ASSERT_NE(NULL, a->p);

	/* Before the partner: no HELLO, nothing heard. */
	text = show_text(a->p);
	ASSERT_NE(NULL, text);
	EXPECT_TRUE(show_get(text, "partner", "peer", v, sizeof(v)));
	EXPECT_STREQ("127.0.0.2", v);
	EXPECT_FALSE(show_get(text, "partner", "peer-node-id", v, sizeof(v)));
	EXPECT_FALSE(show_get(text, "partner", "last-recv-age-ms", v, sizeof(v)));
	EXPECT_FALSE(show_get(text, "partner", "connection", v, sizeof(v)));
	free(text);

	b->p = lgd_partner_open(&b->conf, &ops, b);
	ASSERT_NE(NULL, b->p);
	ASSERT_TRUE(DRIVE_UNTIL(a, b, synced(a) && synced(b), 3000));
	ASSERT_EQ(0, local_update(a, 1, 1000));
	ASSERT_TRUE(DRIVE_UNTIL(a, b, rec_find(b, 1), 1000));
	drive(a, b, 600);	/* a heartbeat each way */

	text = show_text(a->p);
	ASSERT_NE(NULL, text);
	for (c = text; *c; c++)
		lines += *c == '\n';
	EXPECT_EQ(3, lines) TH_LOG("%s", text);
	EXPECT_TRUE(show_get(text, "partner", "state", v, sizeof(v)));
	EXPECT_STREQ("synced", v);
	EXPECT_TRUE(show_get(text, "partner", "state-age-ms", v, sizeof(v)));
	EXPECT_TRUE(show_get(text, "partner", "node-id", v, sizeof(v)));
	EXPECT_STREQ("11111111111111111111111111111111", v);
	EXPECT_TRUE(show_get(text, "partner", "peer-node-id", v, sizeof(v)));
	EXPECT_STREQ("22222222222222222222222222222222", v);
	EXPECT_TRUE(show_get(text, "partner", "peer-role", v, sizeof(v)));
	EXPECT_STREQ("backup", v);
	EXPECT_TRUE(show_get(text, "partner", "peer-version", v, sizeof(v)));
	EXPECT_STREQ("9.9?x?y?z", v);
	EXPECT_TRUE(show_get(text, "partner", "connection", v, sizeof(v)));
	EXPECT_STREQ("127.0.0.2", strtok(v, ":"));
	EXPECT_TRUE(show_get(text, "partner", "last-heartbeat-age-ms", v,
			     sizeof(v)));
	EXPECT_GT(1000, atoi(v));
	EXPECT_TRUE(show_get(text, "partner", "last-recv-age-ms", v, sizeof(v)));
	EXPECT_TRUE(show_get(text, "sync", "sent", v, sizeof(v)));
	EXPECT_LT(2, atoi(v));	/* HELLO, the UPDATE, heartbeats */
	EXPECT_TRUE(show_get(text, "sync", "dead", v, sizeof(v)));
	EXPECT_STREQ("0", v);
	EXPECT_TRUE(show_get(text, "sync", "queue-hwm", v, sizeof(v)));
	EXPECT_LE(1, atoi(v));
	EXPECT_TRUE(show_get(text, "connection", "attempts", v, sizeof(v)));
	EXPECT_STREQ("1", v);
	EXPECT_TRUE(show_get(text, "connection", "bytes-out", v, sizeof(v)));
	EXPECT_LT(0, atoi(v));
	EXPECT_TRUE(show_get(text, "connection", "backoff-ms", v, sizeof(v)));
	free(text);
}

TEST_HARNESS_MAIN
