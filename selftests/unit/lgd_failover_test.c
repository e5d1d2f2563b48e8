// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's failover.c alone: which of the kernel's binding
 * notifications go to the partner (lgd_failover_event()). The partner
 * link (partner.c) is the test's, and records what it is given; the
 * kernel is never asked; the store's restore (lgd_store_restoring()) is
 * the test's word.
 *
 *   - an administrator's binding (lgctl binding add: origin restored)
 *     goes to the partner when made, changed and deleted;
 *   - what the store's own restore makes (origin restored too) does not:
 *     the partner has it, or gets it in its bulk;
 *   - the partner's (origin synced) never goes back, nor does a delete
 *     made on its word;
 *   - a snooped binding goes, and its expiry does not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/leaseguard.h>

#include "kselftest_harness.h"

#include "binding.h"
#include "lgd.h"
#include "partner.h"
#include "store.h"

/* ---- The partner link, as the test's: what failover.c gives it ------- */

static struct {
	int fake;			/* its address is the partner */
	size_t updates, deletes;
	uint8_t change, reason;		/* the last one's */
	uint32_t iaid;
	uint32_t origin;
	char ifname[IF_NAMESIZE];
} sent;

static bool store_restoring;	/* lgd_store_restoring()'s answer */

struct lgd_partner *lgd_partner_open(const struct lgd_partner_conf *conf,
				     const struct lgd_ps_ops *ops, void *priv)
{
	(void)conf, (void)ops, (void)priv;
	return (struct lgd_partner *)&sent.fake;
}

void lgd_partner_close(struct lgd_partner *p)
{
	(void)p;
}

int lgd_partner_fd(const struct lgd_partner *p)
{
	(void)p;
	return -1;
}

void lgd_partner_input(struct lgd_partner *p)
{
	(void)p;
}

int lgd_partner_local_update(struct lgd_partner *p, const struct lg_binding *b,
			     uint8_t change, uint64_t time_ms)
{
	(void)p, (void)time_ms;
	sent.updates++;
	sent.change = change;
	sent.iaid = b->iaid;
	sent.origin = b->origin;
	snprintf(sent.ifname, sizeof(sent.ifname), "%s", b->ifname);
	return 0;
}

int lgd_partner_local_delete(struct lgd_partner *p,
			     const struct lg_binding *key, uint8_t reason,
			     uint64_t time_ms)
{
	(void)p, (void)time_ms;
	sent.deletes++;
	sent.reason = reason;
	sent.iaid = key->iaid;
	snprintf(sent.ifname, sizeof(sent.ifname), "%s", key->ifname);
	return 0;
}

void lgd_partner_set_role(struct lgd_partner *p, uint8_t role)
{
	(void)p, (void)role;
}

void lgd_partner_show(const struct lgd_partner *p, FILE *f)
{
	(void)p, (void)f;
}

void lgd_partner_owe_bulk(struct lgd_partner *p)
{
	(void)p;
	abort();
}

bool lgd_store_restoring(const struct lg_binding *lb)
{
	(void)lb;
	return store_restoring;
}

/* ---- The kernel: never asked by the notifications' path -------------- */

int lg_binding_new(struct lg_nl *nl, const struct lg_binding *b, bool replace,
		   struct lg_binding *out)
{
	(void)nl, (void)b, (void)replace, (void)out;
	abort();
}

int lg_binding_get(struct lg_nl *nl, const struct lg_binding_sel *sel,
		   struct lg_binding *out)
{
	(void)nl, (void)sel, (void)out;
	abort();
}

int lg_binding_del(struct lg_nl *nl, const struct lg_binding_sel *sel)
{
	(void)nl, (void)sel;
	abort();
}

int lg_binding_release(struct lg_nl *nl, const struct lg_binding_sel *sel)
{
	(void)nl, (void)sel;
	abort();
}

int lg_binding_dump(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    struct lg_binding_list *out)
{
	(void)nl, (void)sel, (void)out;
	abort();
}

/* The batch's size is asked when the link comes up; its sending, never. */
size_t lg_nl_batch_max(struct lg_nl *nl, int want)
{
	(void)nl, (void)want;
	return 512;
}

struct nlmsghdr *lg_nl_batch_hdr(struct lg_nl *nl, void *buf, uint8_t cmd)
{
	(void)nl, (void)buf, (void)cmd;
	abort();
}

int lg_nl_batch_send_replies(struct lg_nl *nl, void *buf, size_t len,
			     uint32_t seq, size_t k, size_t i0,
			     lg_nl_ack_t ack, lg_nl_cb_t reply, void *data)
{
	(void)nl, (void)buf, (void)len, (void)seq, (void)k, (void)i0;
	(void)ack, (void)reply, (void)data;
	abort();
}

int lg_nl_reply_obj(const struct nlmsghdr *nlh, uint8_t cmd,
		    unsigned int attr, const struct nlattr **obj)
{
	(void)nlh, (void)cmd, (void)attr, (void)obj;
	abort();
}

void lg_binding_put_new(struct nlmsghdr *nlh, const struct lg_binding *b,
			bool replace)
{
	(void)nlh, (void)b, (void)replace;
	abort();
}

int lg_binding_parse(const struct nlattr *nest, struct lg_binding *b)
{
	(void)nest, (void)b;
	abort();
}

void lg_binding_free(struct lg_binding *b)
{
	(void)b;
}

void lg_binding_list_free(struct lg_binding_list *list)
{
	(void)list;
}

uint64_t lgd_now_ms(void)
{
	return 1000;
}

const char *lg_sync_role_name(uint8_t role)
{
	return role == LG_SYNC_ROLE_MASTER ? "master" : "backup";
}

/* ---- The daemon's side ------------------------------------------------- */

static const char *test_ifname(void *priv, uint32_t ifindex, char *buf)
{
	(void)priv;
	snprintf(buf, IF_NAMESIZE, "acc%u", ifindex);
	return buf;
}

/* A binding of IAID iaid on acc7 with one lease, a day of it left. */
static void mkbinding(struct lg_binding *lb, uint32_t iaid, uint32_t origin)
{
	static struct lg_lease lease;
	static const uint8_t duid[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 1 };

	memset(lb, 0, sizeof(*lb));
	memset(&lease, 0, sizeof(lease));
	lease.addr[0] = 0x20;
	lease.addr[1] = 0x01;
	lease.addr[15] = 1;
	lease.has_plen = true;
	lease.plen = 128;
	lease.has_valid = lease.has_preferred = true;
	lease.valid = lease.preferred = 86400;
	lb->id = iaid;
	lb->ifindex = 7;
	lb->ia_type = LG_IA_NA;
	lb->iaid = iaid;
	memcpy(lb->client_duid, duid, sizeof(duid));
	lb->client_duid_len = sizeof(duid);
	lb->has_origin = true;
	lb->origin = origin;
	lb->leases = &lease;
	lb->n_leases = 1;
}

FIXTURE(fo) {
	char dir[64];
	struct lgd_conf conf;
	struct lgd_ctx x;
	struct lgd_failover *f;
};

FIXTURE_SETUP(fo)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/lgd_failover_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->conf.control_socket, sizeof(self->conf.control_socket),
		 "%s/control", self->dir);
	snprintf(self->conf.partner.peer_addr,
		 sizeof(self->conf.partner.peer_addr), "2001:db8::2");
	self->x.conf = &self->conf;
	self->x.ifname = test_ifname;
	/* A store: what its restore makes is told apart. */
	self->x.store = (struct lgd_store *)&store_restoring;
	memset(&sent, 0, sizeof(sent));
	store_restoring = false;
	self->f = lgd_failover_open(&self->x);
	ASSERT_NE(NULL, self->f);
	ASSERT_EQ(0, lgd_failover_link(self->f, true));
}

FIXTURE_TEARDOWN(fo)
{
	char path[128];

	lgd_failover_close(self->f);
	snprintf(path, sizeof(path), "%s/role", self->dir);
	unlink(path);
	rmdir(self->dir);
}

static void del_ntf(struct lgd_failover *f, struct lg_binding *lb,
		    uint32_t reason, struct lgd_binding *b)
{
	lb->has_del_reason = true;
	lb->del_reason = reason;
	lgd_failover_event(f, LG_CMD_BINDING_DEL_NTF, lb, b);
}

/* lgctl binding add (origin restored by default) on one router. */
TEST_F(fo, admin_binding_sent)
{
	struct lgd_binding copy = { .id = 1 };
	struct lg_binding lb;

	mkbinding(&lb, 1, LG_BINDING_ORIGIN_RESTORED);
	lgd_failover_event(self->f, LG_CMD_BINDING_NEW_NTF, &lb, &copy);
	ASSERT_EQ(1, sent.updates);
	EXPECT_EQ(LG_SYNC_CHANGE_NEW, sent.change);
	EXPECT_EQ(1, sent.iaid);
	EXPECT_STREQ("acc7", sent.ifname);

	/* lgctl binding add ... replace: a change. */
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	ASSERT_EQ(2, sent.updates);
	EXPECT_EQ(LG_SYNC_CHANGE_UPDATE, sent.change);

	/* lgctl binding del: the partner deletes it too. */
	del_ntf(self->f, &lb, LG_BINDING_DEL_ADMIN, &copy);
	ASSERT_EQ(1, sent.deletes);
	EXPECT_EQ(LG_SYNC_DEL_ADMIN, sent.reason);
	EXPECT_EQ(1, sent.iaid);
	EXPECT_STREQ("acc7", sent.ifname);
}

/* The store's restore at start: the partner's session covers those. */
TEST_F(fo, store_restore_not_sent)
{
	struct lgd_binding copy = { .id = 2 };
	struct lg_binding lb;

	mkbinding(&lb, 2, LG_BINDING_ORIGIN_RESTORED);
	store_restoring = true;
	lgd_failover_event(self->f, LG_CMD_BINDING_NEW_NTF, &lb, &copy);
	EXPECT_EQ(0, sent.updates);
	/* Its state, all the same, when it is news to the partner. */
	lb.has_state = true;
	lb.state = LG_BINDING_RELEASING;
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	EXPECT_EQ(1, sent.updates);
	EXPECT_TRUE(copy.partner_releasing);
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	EXPECT_EQ(1, sent.updates);

	/*
	 * Once restored, an administrator's change to it (its replace, a
	 * binding of the same key) is news: sent.
	 */
	store_restoring = false;
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	EXPECT_EQ(2, sent.updates);
}

/* The partner's bindings never go back to it, nor their deletes. */
TEST_F(fo, synced_not_sent_back)
{
	struct lgd_binding copy = { .id = 3 };
	struct lg_binding lb;

	mkbinding(&lb, 3, LG_BINDING_ORIGIN_SYNCED);
	lgd_failover_event(self->f, LG_CMD_BINDING_NEW_NTF, &lb, &copy);
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	/* The same while no restore runs, and while one does. */
	store_restoring = true;
	lgd_failover_event(self->f, LG_CMD_BINDING_UPD_NTF, &lb, &copy);
	EXPECT_EQ(0, sent.updates);

	/* Deleted on the partner's word (failover.c marks it first). */
	copy.partner_deleted = true;
	del_ntf(self->f, &lb, LG_BINDING_DEL_ADMIN, &copy);
	EXPECT_EQ(0, sent.deletes);
}

/* A snooped binding goes; its expiry is each router's own. */
TEST_F(fo, snooped_sent_expiry_not)
{
	struct lgd_binding copy = { .id = 4 };
	struct lg_binding lb;

	mkbinding(&lb, 4, LG_BINDING_ORIGIN_SNOOPED);
	store_restoring = true;	/* no matter: not origin restored */
	lgd_failover_event(self->f, LG_CMD_BINDING_NEW_NTF, &lb, &copy);
	EXPECT_EQ(1, sent.updates);
	EXPECT_EQ(LG_BINDING_ORIGIN_SNOOPED, sent.origin);
	del_ntf(self->f, &lb, LG_BINDING_DEL_EXPIRED, &copy);
	EXPECT_EQ(0, sent.deletes);
	del_ntf(self->f, &lb, LG_BINDING_DEL_CLIENT_RELEASE, &copy);
	EXPECT_EQ(1, sent.deletes);
	EXPECT_EQ(LG_SYNC_DEL_RELEASED, sent.reason);
}

/* Without a store nothing is restored: origin restored is always sent. */
TEST_F(fo, no_store_restored_sent)
{
	struct lgd_binding copy = { .id = 5 };
	struct lg_binding lb;

	self->x.store = NULL;
	store_restoring = true;	/* not asked */
	mkbinding(&lb, 5, LG_BINDING_ORIGIN_RESTORED);
	lgd_failover_event(self->f, LG_CMD_BINDING_NEW_NTF, &lb, &copy);
	EXPECT_EQ(1, sent.updates);
}

TEST_HARNESS_MAIN
