// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's binding store (agent/leaseguardd/store.c) against real
 * SQLite files in a temporary directory, with the test's clock driving
 * the group-commit timer (timer.c) as the daemon's loop would:
 *
 *   - N changes within store-delay: one transaction, not before the
 *     delay; a later change of a key replaces the earlier one;
 *   - what was committed is read back whole after a close and a reopen;
 *   - the reconcile's decisions (restore, write, drop, the kernel wins)
 *     and the lifetimes a restore asks for; its request (store_sync.c's
 *     lgd_store_restore_msg()) and the REPLIED in it; one interface's
 *     restore against a kernel of the test's, and which notifications
 *     are the restore's own (lgd_store_restoring(): not sent to the
 *     failover partner);
 *   - the replied column: written and read back, and added to a file of
 *     the version before, which keeps its rows;
 *   - a damaged file (garbage, truncated, another program's database) is
 *     set aside as PATH.corrupt-TIME with its -wal and -shm, and an empty
 *     store started;
 *   - the writer thread: changes of a batch's keys while it is written
 *     are written by the next; a failed batch goes back into the queue
 *     under newer changes of its keys; flush and close wait for it;
 *   - a read-only and a full file system (a small tmpfs in a mount
 *     namespace of the test's own; needs root, skipped without): the
 *     commits fail and are counted, the changes stay queued, and the
 *     next commit after the disk came back writes them all.
 *
 * LGD_STORE_BENCH_DIR=DIR: the 5,000-binding commit is timed there (a
 * real disk: synchronous=FULL fsyncs), and its time printed;
 * LGD_STORE_BENCH_N=N: N bindings instead.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>

#include "kselftest_harness.h"

#include "binding.h"
#include "lgd.h"
#include "store.h"

/*
 * store_sync.c's netlink backend and daemon side: its request builder,
 * lgd_store_restore_msg(), and one interface's restore
 * (lgd_store_restore_link()) against a kernel of the test's that has no
 * binding and takes every request.
 */
static union {
	struct nlmsghdr nlh;
	char buf[4096];
} fake_msg;
static int fake_fd = -1;	/* a socket, for the receive buffer's size */
static size_t fake_taken;	/* requests the kernel took */

struct nlmsghdr *lg_nl_msg(struct lg_nl *nl, uint8_t cmd, uint16_t flags)
{
	(void)nl, (void)cmd;
	memset(&fake_msg, 0, sizeof(fake_msg));
	fake_msg.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	fake_msg.nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	return &fake_msg.nlh;
}

int lg_nl_doit(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
	       void *data)
{
	(void)nl, (void)nlh, (void)cb, (void)data;
	abort();
}

struct nlmsghdr *lg_nl_batch_hdr(struct lg_nl *nl, void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = buf;
	struct genlmsghdr *genl = (struct genlmsghdr *)NLMSG_DATA(nlh);

	(void)nl;
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl->cmd = cmd;
	return nlh;
}

/* Each request taken: its ACK says 0. */
int lg_nl_batch_send(struct lg_nl *nl, void *buf, size_t len, uint32_t seq,
		     size_t k, size_t i0, lg_nl_ack_t ack, void *data)
{
	size_t i;

	(void)nl, (void)buf, (void)len, (void)seq;
	for (i = 0; i < k; i++)
		ack(i0 + i, 0, data);
	fake_taken += k;
	return 0;
}

uint32_t lgd_link_role(struct lg_nl *nl, uint32_t ifindex)
{
	(void)nl, (void)ifindex;
	return LG_ROLE_ACCESS;
}

/* No binding in the kernel. */
int lg_nl_dump_once(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		    void *data, bool *intr)
{
	(void)nl, (void)nlh, (void)cb, (void)data;
	*intr = false;
	return 0;
}

int lg_nl_fd(const struct lg_nl *nl)
{
	(void)nl;
	if (fake_fd < 0)
		abort();
	return fake_fd;
}

uint8_t lg_nl_cmd(const struct nlmsghdr *nlh)
{
	(void)nlh;
	abort();
}

int lg_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max)
{
	(void)nlh, (void)tb, (void)max;
	abort();
}

int lg_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max)
{
	(void)nest, (void)tb, (void)max;
	abort();
}

/* The clock timer.c and store.c read: the test's. */
static uint64_t now_ms = 1000000;

uint64_t lgd_now_ms(void)
{
	return now_ms;
}

/*
 * The store whose writer thread advance() waits for: a due commit starts
 * a batch, and the loop's next turn (its eventfd) takes its outcome.
 */
static struct lgd_store *cur;

/* Time passes: what is due fires, as in the daemon's loop. */
static void advance(uint64_t ms)
{
	now_ms += ms;
	lgd_timers_run();
	if (cur)
		lgd_store_wait(cur);
}

#define NOW	1800000000ull	/* CLOCK_REALTIME seconds, for the plans */

/* Binding i: on acc(i % 3), DUID 00:03:00:01:i, two leases for IA_PD. */
static void mkrec(struct lgd_store_rec *r, unsigned int i, uint64_t expires)
{
	size_t k;

	memset(r, 0, sizeof(*r));
	snprintf(r->ifname, sizeof(r->ifname), "acc%u", i % 3);
	r->ifindex = 10 + i % 3;
	r->kernel_id = 1000 + i;
	r->duid_len = 10;
	r->duid[1] = 3;
	r->duid[3] = 1;
	memcpy(r->duid + 6, &i, sizeof(i));
	r->ia_type = i % 2 ? LG_IA_PD : LG_IA_NA;
	r->iaid = i * 7;
	r->state = LG_BINDING_BOUND;
	r->origin = LG_BINDING_ORIGIN_SNOOPED;
	r->has_lladdr = true;
	r->lladdr[0] = 0xfe;
	r->lladdr[1] = 0x80;
	memcpy(r->lladdr + 8, &i, sizeof(i));
	r->has_mac = i % 4 != 0;
	if (r->has_mac)
		memcpy(r->mac, "\x02\x00\x00\x00\x00\x01", 6);
	r->has_server_addr = true;
	r->server_addr[0] = 0x20;
	r->server_addr[15] = 2;
	r->server_duid_len = 14;
	memset(r->server_duid, 0x5a, 14);
	r->ifid_len = i % 5 ? 4 : 0;
	memcpy(r->ifid, "acc0", r->ifid_len);
	r->created = NOW - 3600;
	r->updated = NOW - 600;
	r->n_leases = r->ia_type == LG_IA_PD ? 2 : 1;
	for (k = 0; k < r->n_leases; k++) {
		struct lgd_store_lease *l = &r->leases[k];

		l->addr[0] = 0x20;
		l->addr[1] = 0x01;
		l->addr[2] = k;
		memcpy(l->addr + 4, &i, sizeof(i));
		l->plen = r->ia_type == LG_IA_PD ? 56 : 128;
		l->preferred = 1800;
		l->valid = 3600;
		l->expires = expires;
	}
}

static int count_rows(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL))
		return -1;
	if (!sqlite3_prepare_v2(db, sql, -1, &st, NULL)) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static int qcmp(const void *a, const void *b)
{
	return lgd_store_rec_cmp(a, b);
}

static int corrupt_files(const char *path, const char *suffix)
{
	char pat[4200];
	glob_t g;
	int n;

	snprintf(pat, sizeof(pat), "%s.corrupt-*%s", path, suffix);
	if (glob(pat, 0, NULL, &g))
		return 0;
	n = g.gl_pathc;
	globfree(&g);
	return n;
}

FIXTURE(store) {
	char dir[64];
	char path[128];
};

FIXTURE_SETUP(store)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/lgd_store_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/db/bindings.db",
		 self->dir);
}

FIXTURE_TEARDOWN(store)
{
	char cmd[200];

	cur = NULL;
	umount2(self->dir, MNT_DETACH);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* N changes, one transaction, store-delay after the first. */
TEST_F(store, group_commit)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	unsigned int i;

	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	ASSERT_TRUE(st.open);
	ASSERT_EQ(0, st.rows);
	for (i = 0; i < 100; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
		advance(5);	/* a burst over half a second */
	}
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(100, st.pending);
	EXPECT_EQ(0, st.commits);
	/* The first came 500 ms ago: due at 1000 ms after it, not before. */
	advance(499);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.commits);
	EXPECT_EQ(0, count_rows(self->path, "SELECT count(*) FROM binding"));
	advance(1);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(100, st.committed);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(100, st.rows);
	EXPECT_NE(0, st.last_commit);
	EXPECT_EQ(0, st.errors);
	/* Another program sees them: 100 bindings, 150 leases. */
	EXPECT_EQ(100, count_rows(self->path, "SELECT count(*) FROM binding"));
	EXPECT_EQ(150, count_rows(self->path, "SELECT count(*) FROM lease"));
	EXPECT_EQ(1, count_rows(self->path, "PRAGMA user_version"));
	/* Nothing queued: the timer is not armed, no empty commits. */
	advance(10000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);

	/* Changes of one key within a batch: the last one is written. */
	mkrec(&r, 7, NOW + 3600);
	r.iaid = 7 * 7;
	r.n_leases = 1;
	r.leases[0].valid = 7200;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	r.kernel_id = 77;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 8, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_del(s, &r));
	mkrec(&r, 500, NOW + 3600);
	ASSERT_EQ(0, lgd_store_del(s, &r));	/* never stored: nothing */
	ASSERT_EQ(0, lgd_store_put(s, &r));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(3, st.pending);
	advance(1000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(100, st.rows);	/* 8 gone, 500 new */
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 77"));
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM lease l JOIN binding b ON l.binding = b.id"
		" WHERE b.kernel_id = 77 AND l.valid = 7200"));
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 1008"));
	/* A delete whose interface lost its name: by the index it had. */
	mkrec(&r, 9, 0);
	r.ifname[0] = '\0';
	ASSERT_EQ(0, lgd_store_del(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 1009"));
	lgd_store_close(s);
	/* Its leases went with it (ON DELETE CASCADE). */
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM lease WHERE binding NOT IN (SELECT id FROM binding)"));
}

/*
 * A stream of changes that never lets the daemon's loop run its timers
 * (it drains events at full rate): lgd_store_commit_due() after each
 * commits once the batch is due, so no change waits much over store-delay.
 * The writer keeps up here (the test waits for it); writer_in_flight has
 * it behind.
 */
TEST_F(store, commit_due_in_stream)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	unsigned int i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 3000; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
		ASSERT_EQ(0, lgd_store_commit_due(s));
		ASSERT_EQ(0, lgd_store_wait(s));
		now_ms += 1;	/* 1000 changes a second; no timer run */
	}
	lgd_store_get_stats(s, &st);
	/*
	 * Due 1000 ms after the first of each batch: changes 0..1000, then
	 * 1001..2001; the last 998 wait for theirs.
	 */
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(2002, st.committed);
	EXPECT_EQ(998, st.pending);
	lgd_store_close(s);
}

/*
 * A restore's million notifications must not stop the daemon's loop for
 * one long transaction: a commit writes the oldest LGD_STORE_COMMIT_MAX
 * and leaves the timer armed for now; the loop's next turns write the
 * rest. lgd_store_flush() writes all; a held store commits nothing in
 * lgd_store_commit_due().
 */
TEST_F(store, commit_in_slices)
{
	unsigned int n = 2 * LGD_STORE_COMMIT_MAX + 100, i;
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;

	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_hold(s, true);
	for (i = 0; i < n; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	now_ms += 5000;
	ASSERT_EQ(0, lgd_store_commit_due(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.commits);
	lgd_store_hold(s, false);
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(LGD_STORE_COMMIT_MAX, st.committed);
	EXPECT_EQ(n - LGD_STORE_COMMIT_MAX, st.pending);
	EXPECT_EQ(LGD_STORE_COMMIT_MAX, st.rows);
	/* The oldest first: change 0 is written, change n - 1 is not. */
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 1000"));
	EXPECT_EQ(0, count_rows(self->path, "SELECT count(*) FROM binding"
		" WHERE kernel_id = 1000 + 2 * 8192 + 99"));
	advance(0);	/* not in the same run of the timers */
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	advance(1);	/* the loop's next turn */
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(100, st.pending);
	/* A change of a key still queued replaces it, as before. */
	mkrec(&r, n - 1, NOW + 7200);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(100, st.pending);
	ASSERT_EQ(0, lgd_store_flush(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(3, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(n, st.rows);
	EXPECT_EQ(n, count_rows(self->path, "SELECT count(*) FROM binding"));
	lgd_store_close(s);
}

/* commit_due() as the loop calls it, until n commits are done (10 s). */
static void due_until(struct lgd_store *s, uint64_t n)
{
	struct lgd_store_stats st;
	int i;

	for (i = 0; i < 10000; i++) {
		lgd_store_commit_due(s);
		lgd_store_get_stats(s, &st);
		if (st.commits >= n)
			return;
		usleep(1000);
	}
}

/*
 * The loop's commits in the writer thread: a change of a batch's key that
 * comes while the batch is written is queued anew and written by the next
 * batch, never overwritten by the older one; one batch at a time;
 * commit_due() takes a finished batch's outcome in a stream, the eventfd
 * at the loop's turn; a load waits for the batch in flight.
 */
TEST_F(store, writer_in_flight)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r, *v;
	struct pollfd pfd;
	struct lgd_store *s;
	unsigned int i;
	size_t n, k;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 100; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit_async(s));
	/* While it is written: 5 again, 6 deleted, 200 new. */
	mkrec(&r, 5, NOW + 3600);
	r.kernel_id = 555;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 6, NOW + 3600);
	ASSERT_EQ(0, lgd_store_del(s, &r));
	mkrec(&r, 200, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(103, st.pending);	/* 100 in flight, 3 queued */
	/* Not a second batch while one is in flight. */
	ASSERT_EQ(0, lgd_store_commit_async(s));
	due_until(s, 1);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(100, st.committed);
	EXPECT_EQ(3, st.pending);
	EXPECT_EQ(100, st.rows);
	EXPECT_EQ(2, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id IN (1005, 1006)"));
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id IN (555, 1200)"));
	/* The next is due store-delay after 5's change, not before. */
	now_ms += 999;
	ASSERT_EQ(0, lgd_store_commit_due(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(3, st.pending);
	now_ms += 1;
	ASSERT_EQ(0, lgd_store_commit_due(s));
	/* A load reads what the batch in flight writes. */
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	EXPECT_EQ(100, n);
	for (k = i = 0; i < n; i++) {
		EXPECT_NE(1006, v[i].kernel_id);
		k += v[i].kernel_id == 555 || v[i].kernel_id == 1200;
	}
	EXPECT_EQ(2, k);
	free(v);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(100, st.rows);
	/* The eventfd says a batch is done; the loop's turn takes it. */
	mkrec(&r, 300, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit_async(s));
	pfd.fd = lgd_store_fd(s);
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ASSERT_EQ(0, lgd_store_input(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(3, st.commits);
	EXPECT_EQ(101, st.rows);
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	lgd_store_close(s);
}

/*
 * A batch that fails (here: another program holds the write lock) goes
 * back into the queue as it was, but a change of its key queued while it
 * was written is newer and stays; IDs alone only if what it replaces was
 * as little (a put of the key failed: the newer IDs change is written
 * whole).
 */
TEST_F(store, writer_failed_requeued)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	sqlite3 *db;
	unsigned int i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 10; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	ASSERT_EQ(0, sqlite3_open(self->path, &db));
	ASSERT_EQ(0, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
	mkrec(&r, 1, NOW + 3600);
	r.kernel_id = 111;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 2, NOW + 3600);
	r.kernel_id = 112;
	r.updated = NOW;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 3, NOW + 3600);
	ASSERT_EQ(0, lgd_store_del(s, &r));
	mkrec(&r, 4, NOW + 3600);
	r.kernel_id = 114;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit_async(s));
	/* While it fails: 1 again; 2's notification as restored (IDs). */
	mkrec(&r, 1, NOW + 3600);
	r.kernel_id = 211;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 2, NOW + 3600);
	r.kernel_id = 212;
	r.updated = NOW;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	EXPECT_EQ(-EIO, lgd_store_wait(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(1, st.errors);
	EXPECT_STREQ("busy", lgd_store_error_name(st.last_error));
	EXPECT_EQ(4, st.pending);	/* 1 and 2 the newer, 3, 4 */
	ASSERT_EQ(0, sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL));
	sqlite3_close(db);
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(9, st.rows);
	EXPECT_EQ(9, count_rows(self->path, "SELECT count(*) FROM binding"));
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id IN (111, 112, 1003)"));
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 211"));
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 114"));
	/* Whole: the failed put's updated, not the row's NOW - 600. */
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id = 212 AND updated = 1800000000"));
	lgd_store_close(s);
}

/*
 * lgd_store_flush() (SIGTERM) and lgd_store_close() write the batch in
 * flight and all that is queued; an instance alone in flight too.
 */
TEST_F(store, flush_waits)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	char boot[40];
	uint64_t created;
	unsigned int i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 100; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit_async(s));
	for (i = 100; i < 150; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_flush(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(150, st.rows);
	EXPECT_EQ(150, count_rows(self->path, "SELECT count(*) FROM binding"));
	for (i = 150; i < 160; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit_async(s));
	lgd_store_close(s);
	EXPECT_EQ(160, count_rows(self->path, "SELECT count(*) FROM binding"));

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_set_instance(s, "boot-2", 7, 8);
	ASSERT_EQ(0, lgd_store_commit_async(s));
	lgd_store_close(s);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_instance(s, boot, sizeof(boot), &created);
	EXPECT_STREQ("boot-2", boot);
	EXPECT_EQ(7, created);
	lgd_store_close(s);
}

/*
 * Commit latency: p50 and p99 by nearest rank over the last commits,
 * max over all of them, each the measured durations themselves.
 */
TEST_F(store, commit_latency)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	uint64_t us[3], t;
	unsigned int i, k;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.commit_p50_us);
	EXPECT_EQ(0, st.commit_max_us);
	/* Three commits of 1, 300 and 30 bindings: three durations. */
	for (k = 0; k < 3; k++) {
		for (i = 0; i < (k == 1 ? 300u : k == 2 ? 30u : 1u); i++) {
			mkrec(&r, 1000 * k + i, NOW + 3600);
			ASSERT_EQ(0, lgd_store_put(s, &r));
		}
		ASSERT_EQ(0, lgd_store_commit(s));
		lgd_store_get_stats(s, &st);
		us[k] = st.last_commit_us;
	}
	EXPECT_EQ(3, st.commits);
	for (i = 0; i < 3; i++)
		for (k = i + 1; k < 3; k++)
			if (us[k] < us[i]) {
				t = us[i];
				us[i] = us[k];
				us[k] = t;
			}
	EXPECT_EQ(us[1], st.commit_p50_us);
	EXPECT_EQ(us[2], st.commit_p99_us);
	EXPECT_EQ(us[2], st.commit_max_us);
	lgd_store_close(s);
}


/* One interface's rows, or its pending ones only: as lgd_store_load() reads them. */
TEST_F(store, load_one_interface)
{
	struct lgd_store_rec *v, want[30];
	struct lgd_store *s;
	unsigned int i, k, n_acc1 = 0, n_pending = 0;
	size_t n;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 30; i++) {
		mkrec(&want[i], i, NOW + i);
		want[i].restore_pending = i % 4 == 1;
		n_acc1 += i % 3 == 1;
		n_pending += i % 3 == 1 && i % 4 == 1;
		ASSERT_EQ(0, lgd_store_put(s, &want[i]));
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	ASSERT_EQ(0, lgd_store_load_ifname(s, "acc1", false, &v, &n));
	ASSERT_EQ(n_acc1, n);
	for (k = 0; k < n; k++)
		EXPECT_STREQ("acc1", v[k].ifname);
	free(v);
	ASSERT_EQ(0, lgd_store_load_ifname(s, "acc1", true, &v, &n));
	ASSERT_EQ(n_pending, n);
	for (k = 0; k < n; k++) {
		for (i = 0; i < 30; i++)
			if (want[i].iaid == v[k].iaid)
				break;
		ASSERT_LT(i, 30);
		EXPECT_EQ(0, memcmp(&want[i], &v[k], sizeof(*v)))
			TH_LOG("iaid %u differs", v[k].iaid);
	}
	free(v);
	ASSERT_EQ(0, lgd_store_load_ifname(s, "nosuch0", false, &v, &n));
	EXPECT_EQ(0, n);
	free(v);
	lgd_store_close(s);
}

/* Closed and opened again: every field back. */
TEST_F(store, restart_reload)
{
	struct lgd_store_rec *v, want[60], r;
	struct lgd_store_stats st;
	struct lgd_store *s;
	char boot[40];
	uint64_t created;
	unsigned int i;
	size_t n;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 60; i++) {
		mkrec(&want[i], i, i % 7 ? NOW + i : 0);
		want[i].restore_pending = i % 11 == 3;
		if (!(i % 7))
			for (n = 0; n < want[i].n_leases; n++)
				want[i].leases[n].valid = LGD_STORE_INFINITE;
		ASSERT_EQ(0, lgd_store_put(s, &want[i]));
	}
	lgd_store_set_instance(s, "boot-1", 4242, 1059);
	/* Closed before the delay: the close commits. */
	lgd_store_close(s);

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(60, st.rows);
	lgd_store_instance(s, boot, sizeof(boot), &created);
	EXPECT_STREQ("boot-1", boot);
	EXPECT_EQ(4242, created);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(60, n);
	qsort(v, n, sizeof(*v), qcmp);
	qsort(want, 60, sizeof(*want), qcmp);
	for (i = 0; i < 60; i++) {
		EXPECT_EQ(0, memcmp(&want[i], &v[i], sizeof(*v)))
			TH_LOG("binding %u (%s iaid %u) differs", i,
			       want[i].ifname, want[i].iaid);
	}
	free(v);
	/* A NEW notification of an ID seen already does not count. */
	lgd_store_count_created(s, 1000);
	lgd_store_count_created(s, 1060);
	mkrec(&r, 1, NOW);
	lgd_store_put(s, &r);
	lgd_store_close(s);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_instance(s, boot, sizeof(boot), &created);
	EXPECT_EQ(4243, created);
	lgd_store_close(s);
}

/*
 * The row count is kept as the commits write (inserted, updated, deleted
 * rows), not counted each commit, and read again when the file is opened.
 */
TEST_F(store, rows_counted)
{
	struct lgd_store_stats st;
	sqlite3 *db;
	struct lgd_store_rec r;
	struct lgd_store *s;
	unsigned int i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 20; i++) {
		mkrec(&r, i, NOW + 3600);
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(20, st.rows);
	/* 5 updated (an IA_PD down to one lease), 3 new. */
	for (i = 10; i < 18; i++) {
		mkrec(&r, i < 15 ? i : 100 + i, NOW + 3600);
		r.kernel_id = 5000 + i;
		r.n_leases = 1;
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(23, st.rows);
	EXPECT_EQ(23, count_rows(self->path, "SELECT count(*) FROM binding"));
	/* 10 IA_PD of 20 had 2 leases; 11, 13 lost one. */
	EXPECT_EQ(31, count_rows(self->path, "SELECT count(*) FROM lease"));
	EXPECT_EQ(8, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE kernel_id >= 5000"));
	/* 4 deleted, one never stored, one put and deleted in a batch. */
	for (i = 0; i < 4; i++) {
		mkrec(&r, i, 0);
		ASSERT_EQ(0, lgd_store_del(s, &r));
	}
	mkrec(&r, 999, 0);
	ASSERT_EQ(0, lgd_store_del(s, &r));
	mkrec(&r, 998, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_del(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(19, st.rows);
	EXPECT_EQ(19, count_rows(self->path, "SELECT count(*) FROM binding"));
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM lease WHERE binding NOT IN (SELECT id FROM binding)"));
	/* A row deleted, then a new one (it may get the same ID). */
	mkrec(&r, 117, NOW + 3600);
	ASSERT_EQ(0, lgd_store_del(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	mkrec(&r, 200, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(19, st.rows);
	EXPECT_EQ(19, count_rows(self->path, "SELECT count(*) FROM binding"));
	EXPECT_EQ(r.n_leases, count_rows(self->path,
		"SELECT count(*) FROM lease l JOIN binding b ON l.binding = b.id"
		" WHERE b.kernel_id = 1200"));
	lgd_store_close(s);
	/* Another program deletes some: counted again at the next open. */
	ASSERT_EQ(0, sqlite3_open(self->path, &db));
	ASSERT_EQ(0, sqlite3_exec(db, "DELETE FROM binding WHERE kernel_id < 1010",
				  NULL, NULL, NULL));
	sqlite3_close(db);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(13, st.rows);
	lgd_store_close(s);
}

/*
 * A restored binding's notification (lgd_store_put_ids): its IDs and
 * origin written, its pending restore cleared, the rest left as stored; a
 * key the file does not have is written whole, and a put of the key queued
 * before it makes it a whole write.
 */
TEST_F(store, put_ids)
{
	struct lgd_store_rec r, *v;
	struct lgd_store_stats st;
	struct lgd_store *s;
	size_t n, i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	mkrec(&r, 1, NOW + 3600);
	r.restore_pending = true;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 2, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	mkrec(&r, 4, NOW + 3600);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));

	/* The kernel's copy: new IDs, origin restored, its own updated. */
	mkrec(&r, 1, NOW + 3600);
	r.kernel_id = 71;
	r.ifindex = 42;
	r.origin = LG_BINDING_ORIGIN_RESTORED;
	r.updated = NOW;
	r.leases[0].valid = 3000;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	/* 2: a put, then put_ids before the commit: written whole. */
	mkrec(&r, 2, NOW + 3600);
	r.kernel_id = 72;
	r.state = LG_BINDING_RELEASING;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	r.state = LG_BINDING_BOUND;
	r.updated = NOW;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	/* 3: not in the file: written whole. */
	mkrec(&r, 3, NOW + 3600);
	r.kernel_id = 73;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	/* 4: deleted, then put_ids: written whole again. */
	mkrec(&r, 4, NOW + 3600);
	ASSERT_EQ(0, lgd_store_del(s, &r));
	r.kernel_id = 74;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(4, st.rows);

	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(4, n);
	qsort(v, n, sizeof(*v), qcmp);
	for (i = 0; i < n; i++) {
		mkrec(&r, 1, NOW + 3600);
		if (!lgd_store_rec_cmp(&v[i], &r)) {
			EXPECT_EQ(71, v[i].kernel_id);
			EXPECT_EQ(42, v[i].ifindex);
			EXPECT_EQ(LG_BINDING_ORIGIN_RESTORED, v[i].origin);
			EXPECT_FALSE(v[i].restore_pending);
			/* As stored: granted lifetimes, updated then. */
			EXPECT_EQ(NOW - 600, v[i].updated);
			EXPECT_EQ(3600, v[i].leases[0].valid);
			EXPECT_EQ(r.n_leases, v[i].n_leases);
			continue;
		}
		mkrec(&r, 2, NOW + 3600);
		if (!lgd_store_rec_cmp(&v[i], &r)) {
			EXPECT_EQ(72, v[i].kernel_id);
			EXPECT_EQ(NOW, v[i].updated);
			EXPECT_EQ(LG_BINDING_BOUND, v[i].state);
			continue;
		}
		mkrec(&r, 3, NOW + 3600);
		r.kernel_id = 73;
		if (!lgd_store_rec_cmp(&v[i], &r)) {
			EXPECT_EQ(0, memcmp(&r, &v[i], sizeof(r)));
			continue;
		}
		mkrec(&r, 4, NOW + 3600);
		r.kernel_id = 74;
		EXPECT_EQ(0, memcmp(&r, &v[i], sizeof(r)));
	}
	free(v);
	lgd_store_close(s);
}

/* The reconcile's decisions. */
TEST(plan)
{
	struct lgd_store_rec st[7], k[3];
	uint8_t act[7];
	size_t i;

	mkrec(&st[0], 0, NOW + 100);	/* both have it: the kernel wins */
	mkrec(&st[1], 1, NOW + 100);	/* the kernel lost it: restored */
	mkrec(&st[2], 2, NOW);		/* expired (valid ends now) */
	mkrec(&st[3], 3, NOW + 100);	/* releasing: not restored */
	st[3].state = LG_BINDING_RELEASING;
	mkrec(&st[4], 4, 0);		/* never expires: restored */
	mkrec(&st[5], 5, NOW + 100);	/* one lease ended, one not */
	st[5].leases[0].expires = NOW - 1;
	mkrec(&st[6], 7, NOW + 100);	/* a restore refused before */
	st[6].restore_pending = true;
	mkrec(&k[0], 0, NOW + 3000);
	k[0].kernel_id = 9;
	mkrec(&k[1], 6, NOW + 3000);	/* only the kernel has it */
	mkrec(&k[2], 1, NOW + 3000);	/* 1's key on another interface */
	snprintf(k[2].ifname, sizeof(k[2].ifname), "acc9");

	lgd_store_plan(st, 7, k, 3, NOW, true, false, act);
	/* Sorted by key: find each by its IAID. */
	for (i = 0; i < 7; i++) {
		switch (st[i].iaid / 7) {
		case 0:
			EXPECT_EQ(LGD_STORE_IN_KERNEL, act[i]);
			break;
		case 1:
		case 4:
		case 5:
		case 7:
			EXPECT_EQ(LGD_STORE_RESTORE, act[i]);
			break;
		case 2:
			EXPECT_EQ(LGD_STORE_DROP_EXPIRED, act[i]);
			break;
		case 3:
			EXPECT_EQ(LGD_STORE_DROP_STATE, act[i]);
			break;
		}
	}
	/*
	 * The same module instance: what it lacks was deleted meanwhile, but
	 * for the restore that was refused before: tried again.
	 */
	for (int resync = 0; resync < 2; resync++) {
		lgd_store_plan(st, 7, k, 3, NOW, false, resync, act);
		for (i = 0; i < 7; i++) {
			switch (st[i].iaid / 7) {
			case 0:
				EXPECT_EQ(LGD_STORE_IN_KERNEL, act[i]);
				break;
			case 2:
				EXPECT_EQ(LGD_STORE_DROP_EXPIRED, act[i]);
				break;
			case 7:
				/* After lost events: nothing restored, kept. */
				EXPECT_EQ(resync ? LGD_STORE_KEEP :
					  LGD_STORE_RESTORE, act[i]);
				break;
			default:
				EXPECT_EQ(LGD_STORE_DROP_GONE, act[i]);
			}
		}
	}
	/* An empty store or an empty kernel. */
	lgd_store_plan(st, 0, k, 3, NOW, true, false, act);
	lgd_store_plan(st, 7, k, 0, NOW, true, false, act);
	for (i = 0; i < 7; i++)
		EXPECT_NE(LGD_STORE_IN_KERNEL, act[i]);
}

/* What a restore asks for: what is left of each lease. */
TEST(remaining)
{
	struct lgd_store_rec r;
	uint32_t pref, valid;

	mkrec(&r, 0, NOW + 1000);	/* preferred 1800, valid 3600 */
	ASSERT_TRUE(lgd_store_remaining(&r, &r.leases[0], NOW, &pref, &valid));
	EXPECT_EQ(1000, valid);
	EXPECT_EQ(0, pref);		/* its preferred end was 800 s ago */
	ASSERT_TRUE(lgd_store_remaining(&r, &r.leases[0], NOW - 2000, &pref,
					&valid));
	EXPECT_EQ(3000, valid);
	EXPECT_EQ(1200, pref);
	EXPECT_FALSE(lgd_store_remaining(&r, &r.leases[0], NOW + 1000, &pref,
					 &valid));
	EXPECT_FALSE(lgd_store_rec_expired(&r, NOW + 999));
	EXPECT_TRUE(lgd_store_rec_expired(&r, NOW + 1000));
	/* Infinite valid: stays infinite; preferred from the last REPLY. */
	r.leases[0].expires = 0;
	r.leases[0].valid = LGD_STORE_INFINITE;
	ASSERT_TRUE(lgd_store_remaining(&r, &r.leases[0], NOW, &pref, &valid));
	EXPECT_EQ(LGD_STORE_INFINITE, valid);
	EXPECT_EQ(1200, pref);		/* updated NOW - 600, preferred 1800 */
	EXPECT_FALSE(lgd_store_rec_expired(&r, NOW + 100000000));
}

static void write_file(struct __test_metadata *_metadata, const char *path,
		       const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, buf, len));
	close(fd);
}

/* Garbage where the store should be: set aside, an empty one started. */
TEST_F(store, damaged_garbage)
{
	char buf[8192], wal[200];
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 37 + 11;
	snprintf(buf + 200, sizeof(buf) - 200, "not a database");
	mkdir(self->dir, 0700);
	snprintf(wal, sizeof(wal), "%s/db", self->dir);
	mkdir(wal, 0700);
	write_file(_metadata, self->path, buf, sizeof(buf));
	snprintf(wal, sizeof(wal), "%s-wal", self->path);
	write_file(_metadata, wal, buf, 100);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.set_aside);
	EXPECT_EQ(0, st.rows);
	EXPECT_EQ(1, corrupt_files(self->path, ""));
	/* SQLite dropped the -wal, which matched no database. */
	EXPECT_EQ(0, access(wal, F_OK));
	/* And it works. */
	mkrec(&r, 1, NOW + 10);
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_close(s);
	EXPECT_EQ(1, count_rows(self->path, "SELECT count(*) FROM binding"));
}

/* A store cut short (a disk that lost its tail): set aside. */
TEST_F(store, damaged_truncated)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	struct stat sb;
	char wal[200];
	unsigned int i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 2000; i++) {
		mkrec(&r, i, NOW + 10);
		lgd_store_put(s, &r);
	}
	lgd_store_close(s);	/* the last connection: checkpointed */
	snprintf(wal, sizeof(wal), "%s-wal", self->path);
	unlink(wal);
	ASSERT_EQ(0, stat(self->path, &sb));
	ASSERT_EQ(0, truncate(self->path, sb.st_size / 3));
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.set_aside);
	EXPECT_EQ(0, st.rows);
	EXPECT_EQ(1, corrupt_files(self->path, ""));
	lgd_store_close(s);
}

/* Another program's database at the path: not trusted, set aside. */
TEST_F(store, damaged_not_ours)
{
	struct lgd_store_stats st;
	struct lgd_store *s;
	sqlite3 *db;
	char d[200];


	snprintf(d, sizeof(d), "%s/db", self->dir);
	mkdir(d, 0700);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db,
		"CREATE TABLE binding (x); PRAGMA user_version = 1", NULL,
		NULL, NULL));
	sqlite3_close(db);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.set_aside);
	lgd_store_close(s);
}

/*
 * Two daemons on one store (two namespaces, one default path) would
 * restore each other's bindings: the second waits until the first is gone.
 */
TEST_F(store, one_daemon)
{
	struct lgd_store_stats st;
	struct lgd_store *a, *b;
	struct lgd_store_rec r;

	a = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, a);
	b = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, b);
	lgd_store_get_stats(b, &st);
	EXPECT_FALSE(st.open);
	EXPECT_EQ(1, st.errors);
	EXPECT_STREQ("busy", lgd_store_error_name(st.last_error));
	mkrec(&r, 1, NOW + 10);
	lgd_store_put(b, &r);
	advance(1000);
	lgd_store_get_stats(b, &st);
	EXPECT_EQ(0, st.commits);
	EXPECT_EQ(1, st.pending);
	lgd_store_close(a);
	advance(1000);
	lgd_store_get_stats(b, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(1, st.rows);
	lgd_store_close(b);
}

/* Rows that make no sense (edited by hand, a bit flip): skipped, counted. */
TEST_F(store, invalid_rows)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r, *v;
	struct lgd_store *s;
	unsigned int i;
	sqlite3 *db;
	size_t n;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 10; i++) {
		mkrec(&r, i, NOW + 10);
		lgd_store_put(s, &r);
	}
	lgd_store_close(s);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db,
		"UPDATE binding SET client_lladdr = x'fe80' WHERE kernel_id = 1001;"
		"UPDATE lease SET plen = 200 WHERE binding = (SELECT id FROM binding WHERE kernel_id = 1002);"
		"DELETE FROM lease WHERE binding = (SELECT id FROM binding WHERE kernel_id = 1003);",
		NULL, NULL, NULL));
	sqlite3_close(db);
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	EXPECT_EQ(7, n);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(3, st.invalid);
	free(v);
	lgd_store_close(s);
}

/*
 * Each binding's last server transaction (replied, ms; 0: unknown) is
 * written, rewritten and read back; a restored binding's notification
 * (put_ids) leaves it as stored.
 */
TEST_F(store, replied_round_trips)
{
	struct lgd_store_rec r, *v;
	struct lgd_store *s;
	size_t n, i;

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 3; i++) {
		mkrec(&r, i, NOW + 3600);
		/* 0: unknown; the largest the kernel takes. */
		r.replied = i == 0 ? 0 : i == 1 ? NOW * 1000 + 123 : INT64_MAX;
		ASSERT_EQ(0, lgd_store_put(s, &r));
	}
	lgd_store_close(s);
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE replied = 1800000000123"));
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE replied = 0"));

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(3, n);
	for (i = 0; i < n; i++) {
		mkrec(&r, v[i].kernel_id - 1000, NOW + 3600);
		r.replied = v[i].kernel_id == 1000 ? 0 :
			    v[i].kernel_id == 1001 ? NOW * 1000 + 123 :
			    INT64_MAX;
		EXPECT_EQ(r.replied, v[i].replied) TH_LOG("binding %zu", i);
		EXPECT_EQ(0, memcmp(&r, &v[i], sizeof(r))) TH_LOG("binding %zu", i);
	}
	free(v);

	/* A later REPLY moves it; a restored binding's IDs leave it. */
	mkrec(&r, 1, NOW + 3600);
	r.replied = NOW * 1000 + 60123;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	mkrec(&r, 2, NOW + 3600);
	r.kernel_id = 82;
	r.replied = NOW * 1000;
	ASSERT_EQ(0, lgd_store_put_ids(s, &r));
	ASSERT_EQ(0, lgd_store_commit(s));
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(3, n);
	for (i = 0; i < n; i++) {
		uint64_t want = v[i].kernel_id == 1001 ? NOW * 1000 + 60123 :
				v[i].kernel_id == 82 ? INT64_MAX : 0;

		EXPECT_EQ(want, v[i].replied) TH_LOG("binding %zu", i);
	}
	free(v);

	/* A negative one (another program's) is unknown, the row kept. */
	lgd_store_close(s);
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM binding WHERE replied = 0"));
	{
		sqlite3 *db;

		ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
		ASSERT_EQ(SQLITE_OK, sqlite3_exec(db,
			"UPDATE binding SET replied = -5 WHERE kernel_id = 1001",
			NULL, NULL, NULL));
		sqlite3_close(db);
	}
	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	EXPECT_EQ(3, n);
	for (i = 0; i < n; i++) {
		if (v[i].kernel_id != 1001)
			continue;
		EXPECT_EQ(0, v[i].replied);
	}
	free(v);
	lgd_store_close(s);
}

/*
 * What a notification read during one interface's restore says of
 * lgd_store_restoring(): the failover partner is not sent what the
 * store restores, and is sent an administrator's binding (lgctl binding
 * add: origin restored too).
 */
struct restoring_seen {
	const struct lgd_store_rec *restored, *other;
	int calls;
	bool restored_is, synced_is, other_is;
};

/* The kernel's notification of r, with origin. */
static void lb_of(struct lg_binding *lb, const struct lgd_store_rec *r,
		  uint32_t origin)
{
	memset(lb, 0, sizeof(*lb));
	lb->id = r->kernel_id;
	lb->ifindex = r->ifindex;
	snprintf(lb->ifname, sizeof(lb->ifname), "%s", r->ifname);
	lb->client_duid_len = r->duid_len;
	memcpy(lb->client_duid, r->duid, r->duid_len);
	lb->has_ia_type = lb->has_iaid = true;
	lb->ia_type = r->ia_type;
	lb->iaid = r->iaid;
	lb->has_origin = true;
	lb->origin = origin;
}

static void restoring_read_events(void *priv)
{
	struct restoring_seen *seen = priv;
	struct lg_binding lb;

	seen->calls++;
	lb_of(&lb, seen->restored, LG_BINDING_ORIGIN_RESTORED);
	seen->restored_is = lgd_store_restoring(&lb);
	lb_of(&lb, seen->restored, LG_BINDING_ORIGIN_SYNCED);
	seen->synced_is = lgd_store_restoring(&lb);
	lb_of(&lb, seen->other, LG_BINDING_ORIGIN_RESTORED);
	seen->other_is = lgd_store_restoring(&lb);
}

TEST_F(store, restoring_tells_its_own)
{
	struct lgd_store_rec r[2], admin;
	struct restoring_seen seen = { .restored = &r[0], .other = &admin };
	struct lgd_ctx x = { .read_events = restoring_read_events,
			     .priv = &seen };
	struct lg_binding lb;
	unsigned int lo = if_nametoindex("lo"), i;

	ASSERT_NE(0, lo);
	fake_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fake_fd);
	fake_taken = 0;
	x.nl = (struct lg_nl *)&fake_fd;	/* never looked into */
	x.store = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, x.store);
	/* Two bindings of lo whose restore waits for it. */
	for (i = 0; i < 2; i++) {
		mkrec(&r[i], i, time(NULL) + 3600);
		snprintf(r[i].ifname, sizeof(r[i].ifname), "lo");
		r[i].ifindex = lo;
		r[i].restore_pending = true;
		ASSERT_EQ(0, lgd_store_put(x.store, &r[i]));
	}
	ASSERT_EQ(0, lgd_store_commit(x.store));
	/* An administrator's on lo, not in the store. */
	mkrec(&admin, 2, time(NULL) + 3600);
	snprintf(admin.ifname, sizeof(admin.ifname), "lo");
	admin.ifindex = lo;

	lb_of(&lb, &r[0], LG_BINDING_ORIGIN_RESTORED);
	EXPECT_FALSE(lgd_store_restoring(&lb));
	ASSERT_EQ(0, lgd_store_restore_link(&x, lo, "lo", "appeared"));
	EXPECT_EQ(2, fake_taken);
	ASSERT_EQ(1, seen.calls);
	EXPECT_TRUE(seen.restored_is);
	EXPECT_FALSE(seen.synced_is);
	EXPECT_FALSE(seen.other_is);
	/* Done: the same binding's next notification is news. */
	EXPECT_FALSE(lgd_store_restoring(&lb));

	lgd_store_close(x.store);
	close(fake_fd);
	fake_fd = -1;
}

/* What the restore's LG_CMD_BINDING_NEW of a binding says. */
struct restore_req {
	bool has_replied;
	uint64_t replied;
	uint32_t ifindex, origin, n_leases;
	uint64_t created;
};

/* r's restore request (on ifindex 7, at NOW) into q; false: none sent. */
static bool restore_req(const struct lgd_store_rec *r, struct restore_req *q)
{
	static char buf[8192];
	const struct nlattr *top, *a;
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	memset(q, 0, sizeof(*q));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	if (!lgd_store_restore_msg(nlh, r, 7, NOW))
		return false;
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(top) != LG_A_BINDING)
			continue;
		mnl_attr_for_each_nested(a, top) {
			switch (mnl_attr_get_type(a)) {
			case LG_BINDING_A_REPLIED:
				q->has_replied = true;
				q->replied = mnl_attr_get_u64(a);
				break;
			case LG_BINDING_A_IFINDEX:
				q->ifindex = mnl_attr_get_u32(a);
				break;
			case LG_BINDING_A_ORIGIN:
				q->origin = mnl_attr_get_u32(a);
				break;
			case LG_BINDING_A_CREATED:
				q->created = mnl_attr_get_u64(a);
				break;
			case LG_BINDING_A_LEASE:
				q->n_leases++;
				break;
			}
		}
	}
	return true;
}

/*
 * The restore sends what the store has: REPLIED when it is known, none
 * when it is not (the kernel then says now).
 */
TEST(restore_sends_replied)
{
	struct lgd_store_rec r;
	struct restore_req q;

	mkrec(&r, 2, NOW + 3600);
	r.replied = NOW * 1000 - 600000 + 123;
	ASSERT_TRUE(restore_req(&r, &q));
	EXPECT_EQ(7, q.ifindex);
	EXPECT_EQ(LG_BINDING_ORIGIN_RESTORED, q.origin);
	EXPECT_EQ(NOW - 3600, q.created);
	EXPECT_EQ(1, q.n_leases);
	EXPECT_TRUE(q.has_replied);
	EXPECT_EQ(NOW * 1000 - 600000 + 123, q.replied);

	/* A row from before the column: unknown, not sent. */
	r.replied = 0;
	ASSERT_TRUE(restore_req(&r, &q));
	EXPECT_FALSE(q.has_replied);
	EXPECT_EQ(1, q.n_leases);

	/* Nothing left of it: no request, whatever its time. */
	mkrec(&r, 2, NOW - 1);
	r.replied = NOW * 1000;
	EXPECT_FALSE(restore_req(&r, &q));
}

/* The tables as version 1 made them before the replied column. */
static const char old_schema[] =
	"CREATE TABLE binding ("
	" id INTEGER PRIMARY KEY,"
	" ifname TEXT NOT NULL,"
	" ifindex INTEGER NOT NULL,"
	" duid BLOB NOT NULL,"
	" ia_type INTEGER NOT NULL,"
	" iaid INTEGER NOT NULL,"
	" kernel_id INTEGER NOT NULL,"
	" state INTEGER NOT NULL,"
	" origin INTEGER NOT NULL,"
	" restore INTEGER NOT NULL DEFAULT 0,"
	" client_lladdr BLOB,"
	" client_mac BLOB,"
	" server_addr BLOB,"
	" server_duid BLOB,"
	" interface_id BLOB,"
	" created INTEGER NOT NULL,"
	" updated INTEGER NOT NULL,"
	" expires INTEGER,"
	" UNIQUE (ifname, duid, ia_type, iaid));"
	"CREATE TABLE lease ("
	" binding INTEGER NOT NULL REFERENCES binding(id) ON DELETE CASCADE,"
	" addr BLOB NOT NULL,"
	" plen INTEGER NOT NULL,"
	" preferred INTEGER NOT NULL,"
	" valid INTEGER NOT NULL,"
	" expires INTEGER,"
	" PRIMARY KEY (binding, addr, plen)) WITHOUT ROWID;"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	"PRAGMA application_id = 1279738451;"
	"PRAGMA user_version = 1;"
	"INSERT INTO binding (ifname, ifindex, duid, ia_type, iaid, kernel_id,"
	" state, origin, client_lladdr, client_mac, server_addr, server_duid,"
	" created, updated, expires) VALUES ('acc0', 10,"
	" x'00030001020000000102', 1, 1, 101, 1, 1,"
	" x'fe8000000000000000ff00fffe000102', x'020000000102',"
	" x'20010db8000f00000000000000000002', x'00030001020000000f02',"
	" 1799996400, 1799999400, 1800003000);"
	"INSERT INTO lease VALUES (1, x'20010db8000100000000000000001001', 128,"
	" 1800, 3600, 1800003000);"
	"INSERT INTO meta VALUES ('instance', 'another-boot family 30');";

/*
 * A store of the version before: it opens, gets the column (0, unknown,
 * in every row), keeps its rows and its instance, and stays version 1
 * (the daemon before reads it, see lgd_store_migrate()). Once.
 */
TEST_F(store, old_schema_gets_the_column)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r, *v;
	char instance[64], d[200];
	struct lgd_store *s;
	uint64_t created;
	sqlite3 *db;
	size_t n;

	snprintf(d, sizeof(d), "%s/db", self->dir);
	mkdir(d, 0700);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, old_schema, NULL, NULL, NULL));
	sqlite3_close(db);
	EXPECT_EQ(0, count_rows(self->path,
		"SELECT count(*) FROM pragma_table_info('binding') WHERE name = 'replied'"));

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	ASSERT_TRUE(st.open);
	EXPECT_EQ(0, st.set_aside);
	EXPECT_EQ(0, st.errors);
	EXPECT_EQ(1, st.rows);
	lgd_store_instance(s, instance, sizeof(instance), &created);
	EXPECT_STREQ("another-boot family 30", instance);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("acc0", v[0].ifname);
	EXPECT_EQ(101, v[0].kernel_id);
	EXPECT_EQ(1, v[0].iaid);
	EXPECT_EQ(1799999400, v[0].updated);
	EXPECT_EQ(0, v[0].replied);
	ASSERT_EQ(1, v[0].n_leases);
	EXPECT_EQ(3600, v[0].leases[0].valid);
	EXPECT_EQ(1800003000, v[0].leases[0].expires);
	EXPECT_TRUE(v[0].has_lladdr && v[0].has_mac && v[0].has_server_addr);

	/* Its notification after the restore writes the kernel's time. */
	r = v[0];
	r.replied = NOW * 1000 + 5;
	ASSERT_EQ(0, lgd_store_put(s, &r));
	free(v);
	lgd_store_close(s);
	EXPECT_EQ(1, count_rows(self->path,
		"SELECT count(*) FROM pragma_table_info('binding') WHERE name = 'replied'"));
	EXPECT_EQ(1, count_rows(self->path, "PRAGMA user_version"));

	s = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.errors);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(NOW * 1000 + 5, v[0].replied);
	free(v);
	lgd_store_close(s);
}

/* A tmpfs of our own at dir, in a mount namespace of our own. */
static int own_tmpfs(const char *dir, const char *opts)
{
	if (geteuid() || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	return mount("tmpfs", dir, "tmpfs", 0, opts);
}

/*
 * A store on a file system mounted read-only (ext4's errors=remount-ro):
 * counted, the changes queued, written when it is writable again.
 */
TEST_F(store, read_only)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r, *v;
	struct lgd_store *s;
	unsigned int i;
	size_t n;

	if (own_tmpfs(self->dir, "size=4m"))
		SKIP(return, "needs root: a tmpfs in a mount namespace");
	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	mkrec(&r, 0, NOW + 10);
	lgd_store_put(s, &r);
	lgd_store_close(s);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY,
			   NULL));
	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.errors);
	EXPECT_NE(0, lgd_store_load(s, &v, &n));
	for (i = 1; i < 50; i++) {
		mkrec(&r, i, NOW + 10);
		lgd_store_put(s, &r);
	}
	advance(1000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.commits);
	EXPECT_EQ(2, st.errors);
	EXPECT_EQ(49, st.pending);
	/* Retried, backing off: 1 s, then 2 s... still failing. */
	advance(1000);
	advance(2000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(4, st.errors);
	EXPECT_EQ(49, st.pending);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT, "size=4m"));
	advance(4000);
	lgd_store_get_stats(s, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(50, st.rows);
	EXPECT_EQ(0, st.set_aside);
	lgd_store_close(s);
	EXPECT_EQ(50, count_rows(self->path, "SELECT count(*) FROM binding"));
}

/* Read-only from the start: no file, no store, retried at each commit. */
TEST_F(store, read_only_at_start)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;

	if (own_tmpfs(self->dir, "size=4m"))
		SKIP(return, "needs root: a tmpfs in a mount namespace");
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY,
			   NULL));
	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	lgd_store_get_stats(s, &st);
	EXPECT_FALSE(st.open);
	EXPECT_EQ(1, st.errors);
	mkrec(&r, 0, NOW + 10);
	lgd_store_put(s, &r);
	advance(1000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(2, st.errors);
	EXPECT_EQ(0, st.commits);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT, "size=4m"));
	advance(1000);
	lgd_store_get_stats(s, &st);
	EXPECT_TRUE(st.open);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(1, st.rows);
	lgd_store_close(s);
}

/* A full disk: counted, queued, written when there is room again. */
TEST_F(store, disk_full)
{
	struct lgd_store_stats st;
	struct lgd_store_rec r;
	struct lgd_store *s;
	unsigned int i;

	if (own_tmpfs(self->dir, "size=64k"))
		SKIP(return, "needs root: a tmpfs in a mount namespace");
	s = cur = lgd_store_open(self->path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < 5000; i++) {
		mkrec(&r, i, NOW + 10);
		lgd_store_put(s, &r);
	}
	advance(1000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(0, st.commits);
	EXPECT_EQ(1, st.errors);
	EXPECT_STREQ("full", lgd_store_error_name(st.last_error));
	EXPECT_EQ(5000, st.pending);
	EXPECT_EQ(0, st.rows);
	/* More changes while full: queued with the rest. */
	mkrec(&r, 5000, NOW + 10);
	lgd_store_put(s, &r);
	advance(1000);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT, "size=16m"));
	advance(60000);
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(1, st.commits);
	EXPECT_EQ(0, st.pending);
	EXPECT_EQ(5001, st.rows);
	EXPECT_EQ(2, st.errors);
	lgd_store_close(s);
	EXPECT_EQ(5001, count_rows(self->path, "SELECT count(*) FROM binding"));
}

/* 5,000 new bindings in one commit: its time (synchronous=FULL). */
TEST(bench_5000)
{
	const char *base = getenv("LGD_STORE_BENCH_DIR");
	const char *nv = getenv("LGD_STORE_BENCH_N");
	unsigned int n_recs = nv ? strtoul(nv, NULL, 10) : 5000;
	struct lgd_store_stats st;
	struct lgd_store_rec r, *v;
	struct timespec t0, t1;
	char dir[256], path[300], cmd[300];
	struct lgd_store *s;
	unsigned int i;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/lgd_store_bench.XXXXXX",
		 base ? base : "/tmp");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bindings.db", dir);
	s = lgd_store_open(path, 1000);
	ASSERT_NE(NULL, s);
	for (i = 0; i < n_recs; i++) {
		mkrec(&r, i, NOW + 10);
		lgd_store_put(s, &r);
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	EXPECT_EQ(n_recs, st.rows);
	fprintf(stderr, "# %u new bindings: one commit in %llu us (%s)\n",
		n_recs, (unsigned long long)st.last_commit_us, dir);
	/* All of them again (a resync): updates. */
	for (i = 0; i < n_recs; i++) {
		mkrec(&r, i, NOW + 20);
		lgd_store_put(s, &r);
	}
	ASSERT_EQ(0, lgd_store_commit(s));
	lgd_store_get_stats(s, &st);
	fprintf(stderr, "# %u updated bindings: one commit in %llu us\n",
		n_recs, (unsigned long long)st.last_commit_us);
	lgd_store_close(s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = lgd_store_open(path, 1000);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, lgd_store_load(s, &v, &n));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_EQ(n_recs, n);
	fprintf(stderr, "# open (quick_check) and load of %u: %ld us\n",
		n_recs, (t1.tv_sec - t0.tv_sec) * 1000000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000);
	free(v);
	lgd_store_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
