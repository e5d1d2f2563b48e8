// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's half of a router pair (Documentation/failover.rst): the
 * partner link (partner.c) fed with this router's binding changes, the
 * partner's changes made into kernel bindings (LG_CMD_BINDING_NEW, origin
 * LG_BINDING_ORIGIN_SYNCED), and the role keepalived gives the router.
 *
 * Echoes: a binding made from the partner's update comes back as a
 * notification with origin SYNCED, and is not sent back; one deleted on
 * the partner's word is marked (partner_deleted) before the kernel is
 * asked, and its DEL notification is not sent back either. What the
 * router's store is restoring (origin RESTORED, lgd_store_restoring()) is
 * not sent: the partner has it, or gets it in the bulk a new instance
 * asks for. An administrator's binding (lgctl binding add, origin
 * RESTORED as well) is sent, and so are its later changes and delete.
 *
 * Deletes sent: those that end a subscriber's lease everywhere (its
 * RELEASE or DECLINE, a relay-initiated release done, an administrator's
 * delete, the server's word). Not sent: expiry (each router's clock ends
 * the lease at the same moment: the partner was sent what was left of
 * it), an interface leaving the access role (that router's affair: the
 * partner's subscribers stay), a binding superseded (its successor's
 * update says it).
 *
 * Releases in flight: a binding's state (LG_BINDING_RELEASING, or bound
 * again) crosses in its UPDATE, so that a new MASTER resumes what the old
 * one had asked of the server. The partner's word is made kernel state
 * with LG_CMD_BINDING_RELEASE (or its cancel) on any binding, synced or
 * not; a BACKUP's daemon only holds it (lgd_binding_state() waits while
 * passive) and its takeover sends it. The notifications of a synced
 * binding, or of one the store is restoring, are not sent, but for a
 * state the partner does not have: a release asked for here, or its end.
 * The kernel's notification of a state the partner asked for
 * (state_echo) is not sent back, and those read before it, older than
 * the request, are sent (if at all) without their state: sent with it, a
 * "bound" that the release then changed would cancel the partner's
 * release.
 *
 * Batches: the partner's updates go to the kernel as the store's restore
 * does (store_sync.c), LG_CMD_BINDING_NEW requests written with one
 * sendmsg() and answered after, each with NLM_F_ECHO: the binding comes
 * back, our copy of it is made at once (the next lookup sees it) and its
 * notification finds it there. One request and one wait a binding, and
 * an if_nametoindex() (a socket and an ioctl) for the lookup and another
 * for the request, were most of a BACKUP's time. The session flushes a
 * batch before each ACK it writes (the partner drops from its queue only
 * what the kernel has answered) and at the end of each input; a lookup,
 * state or delete of a key the batch holds flushes it first. A refusal
 * is counted and logged at the flush, as it was at once before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/random.h>
#include <linux/leaseguard.h>

#include "binding.h"
#include "version.h"
#include "lgd.h"
#include "partner.h"
#include "store.h"

#define LGD_FO_BATCH_MAX	128
#define LGD_FO_BUF		65536
/* A request's most: DUIDs, an Interface-Id and 4 leases, with room. */
#define LGD_FO_REQ_MAX		2048
#define LGD_FO_RCVBUF		(4 << 20)	/* asked for; doubled */

/* A binding of the partner's, held in the batch. */
struct lgd_fo_held {
	struct lg_binding pb;		/* the key and state (no leases) */
	bool existed;			/* replaces one of ours */
	bool echoed;
	int err;
	struct lg_binding out;		/* the kernel's, if echoed */
};

struct lgd_failover {
	const struct lgd_ctx *x;
	struct lgd_partner *partner;
	struct lgd_ps_ops ops;
	enum lg_sync_role role;
	char state[8];			/* keepalived's word: master, fault... */
	uint64_t role_since;		/* CLOCK_MONOTONIC ms */
	char role_file[128];
	/* Our changes: sent, and those the rules above kept back. */
	uint64_t sent_updates, sent_deletes, not_sent;
	/* The partner's, into the kernel. */
	uint64_t made, replaced, deleted, refused;
	uint64_t releasing, unreleasing;	/* its states: marked, cancelled */
	uint64_t takeovers;
	uint64_t batches;		/* the partner's, to the kernel */
	/* The batch: requests in buf, their bindings in held[]. */
	char *buf;
	size_t off, n, max;
	uint32_t seq;				/* the first request's */
	struct lgd_fo_held *held;
	int held_refused;			/* not told the session yet */
	/* The last name looked up, until the batch's end. */
	char if_name[IF_NAMESIZE];
	uint32_t if_index;
};

static uint64_t lgd_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- The session's callbacks: the kernel behind the partner ---------- */

/*
 * key's interface here, by name: the routers' ifindexes differ. A stream
 * names one interface over and over: the last name's index is kept until
 * the batch ends (a rename or a new interface is seen at the next).
 */
static uint32_t lgd_fo_ifindex(struct lgd_failover *f,
			       const struct lg_binding *key)
{
	if (!key->ifname[0])
		return 0;
	if (strcmp(f->if_name, key->ifname)) {
		snprintf(f->if_name, sizeof(f->if_name), "%s", key->ifname);
		f->if_index = if_nametoindex(key->ifname);
	}
	return f->if_index;
}

static bool lgd_fo_same_key(const struct lg_binding *a,
			    const struct lg_binding *b)
{
	return a->ia_type == b->ia_type && a->iaid == b->iaid &&
	       a->client_duid_len == b->client_duid_len &&
	       !memcmp(a->client_duid, b->client_duid, a->client_duid_len) &&
	       !strcmp(a->ifname, b->ifname);
}

static void lgd_fo_make(struct lgd_failover *f);

/* A batch that holds key is made first: our copy must say the latest. */
static void lgd_fo_flush_key(struct lgd_failover *f,
			     const struct lg_binding *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (lgd_fo_same_key(&f->held[i].pb, key)) {
			lgd_fo_make(f);
			return;
		}
}

static struct lgd_binding *lgd_fo_find(struct lgd_failover *f,
				       const struct lg_binding *key)
{
	struct lg_binding k = *key;

	lgd_fo_flush_key(f, key);
	k.ifindex = lgd_fo_ifindex(f, key);
	if (!k.ifindex)
		return NULL;
	return f->x->binding_by_key(f->x->priv, &k);
}

static int lgd_fo_lookup(void *priv, const struct lg_binding *key,
			 uint64_t *time_ms)
{
	struct lgd_binding *b = lgd_fo_find(priv, key);

	if (!b || b->partner_deleted)
		return -ENOENT;
	*time_ms = b->replied;
	return 0;
}

/*
 * The partner's state pb (has_state) for our binding b, whose state in the
 * kernel is cur: marked releasing, or bound again. 1 changed, 0 already
 * so, < 0 refused.
 */
static int lgd_fo_set_state(struct lgd_failover *f, struct lgd_binding *b,
			    uint32_t cur, const struct lg_binding *pb)
{
	bool releasing = pb->state == LG_BINDING_RELEASING;
	struct lg_binding_sel sel = { .id = b->id, .has_id = true };
	int err;

	b->partner_releasing = releasing;
	if ((cur == LG_BINDING_RELEASING) == releasing)
		return 0;
	if (releasing)
		sel.reason = pb->release_reason;
	else
		sel.cancel = true;
	b->state_echo = true;
	err = lg_binding_release(f->x->nl, &sel);
	if (err) {
		b->state_echo = false;
		f->refused++;
		lgd_info("partner: binding %llu on %s: %s refused: %s",
			 (unsigned long long)b->id, pb->ifname,
			 releasing ? "release" : "cancel", strerror(-err));
		return err;
	}
	if (releasing)
		f->releasing++;
	else
		f->unreleasing++;
	lgd_debug("partner: binding %llu on %s %s", (unsigned long long)b->id,
		  pb->ifname, releasing ? "releasing (the partner's)" :
		  "bound again (the partner's)");
	return 1;
}

static void lgd_fo_refused(struct lgd_failover *f, const struct lg_binding *pb,
			   int err)
{
	f->refused++;
	if (err == -ENODEV)
		lgd_info("partner: binding on %s refused: no access interface %s here",
			 pb->ifname, pb->ifname);
	else
		lgd_info("partner: binding on %s refused: %s", pb->ifname,
			 strerror(-err));
}

static int lgd_fo_apply_update(void *priv, const struct lg_binding *pb,
			       uint64_t time_ms)
{
	struct lgd_failover *f = priv;
	struct lg_binding lb = *pb;
	struct lgd_fo_held *h;
	struct nlmsghdr *nlh;

	/* A second change of a key in the batch: the first made before. */
	lgd_fo_flush_key(f, pb);
	if (f->n == f->max || LGD_FO_BUF - f->off < LGD_FO_REQ_MAX)
		lgd_fo_make(f);
	lb.ifindex = lgd_fo_ifindex(f, pb);
	if (!lb.ifindex) {
		lgd_fo_refused(f, pb, -ENODEV);
		return -ENODEV;
	}
	lb.has_origin = true;
	lb.origin = LG_BINDING_ORIGIN_SYNCED;
	lb.has_replied = true;
	lb.replied = time_ms;
	h = &f->held[f->n];
	memset(h, 0, sizeof(*h));
	h->existed = f->x->binding_by_key(f->x->priv, &lb) != NULL;
	/* The key and state, for after: the leases are the message's. */
	h->pb = *pb;
	h->pb.leases = NULL;
	h->pb.n_leases = 0;
	h->pb.interface_id = NULL;
	h->pb.interface_id_len = 0;
	/* Sequence numbers follow: the answers are matched by them. */
	nlh = lg_nl_batch_hdr(f->x->nl, f->buf + f->off, LG_CMD_BINDING_NEW);
	nlh->nlmsg_flags |= NLM_F_ECHO;
	lg_binding_put_new(nlh, &lb, true);
	if (!f->n)
		f->seq = nlh->nlmsg_seq;
	f->off += NLMSG_ALIGN(nlh->nlmsg_len);
	f->n++;
	return 0;
}

static void lgd_fo_batch_ack(size_t i, int err, void *data)
{
	struct lgd_failover *f = data;

	if (i < f->n)
		f->held[i].err = err;
}

static int lgd_fo_batch_reply(const struct nlmsghdr *nlh, void *data)
{
	struct lgd_failover *f = data;
	const struct nlattr *obj;
	struct lgd_fo_held *h;
	uint32_t i = nlh->nlmsg_seq - f->seq;
	int err;

	if (i >= f->n || f->held[i].echoed)
		return 0;
	h = &f->held[i];
	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_NEW, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_binding_parse(obj, &h->out);
	if (!err)
		h->echoed = true;
	return err;
}

/*
 * The batch to the kernel, and each answer to our copy, in the partner's
 * order; those refused are counted for the session (lgd_fo_flush()).
 */
static void lgd_fo_make(struct lgd_failover *f)
{
	size_t i, n = f->n;
	int err;

	/* The interfaces may change between two inputs. */
	f->if_name[0] = '\0';
	if (!n)
		return;
	for (i = 0; i < n; i++)
		f->held[i].err = 1;	/* no answer yet */
	f->x->nl->ext_msg[0] = '\0';
	f->x->nl->ext_offs = -1;
	err = lg_nl_batch_send_replies(f->x->nl, f->buf, f->off, f->seq, n, 0,
				       lgd_fo_batch_ack, lgd_fo_batch_reply,
				       f);
	f->batches++;
	if (err)
		lgd_err("partner: %zu bindings to the kernel: %s", n,
			strerror(-err));
	/* Held no longer: what follows may make another batch. */
	f->n = 0;
	memset(f->buf, 0, f->off);
	f->off = 0;
	for (i = 0; i < n; i++) {
		struct lgd_fo_held *h = &f->held[i];
		struct lgd_binding *b;

		/* Unanswered (the socket failed): refused, news may tell. */
		if (h->err > 0)
			h->err = err < 0 ? err : -EIO;
		if (!h->err && !h->echoed)
			h->err = err < 0 ? err : -EBADMSG;
		if (h->err) {
			lgd_fo_refused(f, &h->pb, h->err);
			f->held_refused++;
			lg_binding_free(&h->out);
			continue;
		}
		/* Our copy now, not at its notification: lookups see it. */
		f->x->binding_learn(f->x->priv, &h->out);
		if (h->existed)
			f->replaced++;
		else
			f->made++;
		/* Its state: a REPLACE kept ours, a new one is bound. */
		b = h->pb.has_state ?
		    f->x->binding_find(f->x->priv, h->out.id) : NULL;
		if (b)
			lgd_fo_set_state(f, b, h->out.has_state ? h->out.state :
					 LG_BINDING_BOUND, &h->pb);
		lg_binding_free(&h->out);
	}
}

/* The session's apply_flush: the batch made, and what it refused since. */
static int lgd_fo_flush(void *priv)
{
	struct lgd_failover *f = priv;
	int refused;

	lgd_fo_make(f);
	refused = f->held_refused;
	f->held_refused = 0;
	return refused;
}

/* The partner's state of a binding we have at the same transaction. */
static int lgd_fo_apply_state(void *priv, const struct lg_binding *pb)
{
	struct lgd_failover *f = priv;
	struct lgd_binding *b = lgd_fo_find(f, pb);
	struct lg_binding_sel sel = { .has_id = true };
	struct lg_binding cur = {};
	int err;

	if (!b || b->partner_deleted)
		return -ENOENT;
	/*
	 * Our copy's state already: most of a bulk, nothing to ask. Were the
	 * kernel's another (its news not read yet), that news crosses next.
	 */
	if (!b->state_echo && (b->state == LG_BINDING_RELEASING) ==
			      (pb->state == LG_BINDING_RELEASING)) {
		b->partner_releasing = pb->state == LG_BINDING_RELEASING;
		return 0;
	}
	/* Before a change, the kernel's state: our copy's may be late. */
	sel.id = b->id;
	err = lg_binding_get(f->x->nl, &sel, &cur);
	if (!err)
		err = lgd_fo_set_state(f, b, cur.has_state ? cur.state :
				       LG_BINDING_BOUND, pb);
	else
		f->refused++;
	lg_binding_free(&cur);
	return err;
}

static int lgd_fo_apply_delete(void *priv, const struct lg_binding *key,
			       uint8_t reason, uint64_t time_ms)
{
	struct lgd_failover *f = priv;
	struct lgd_binding *b = lgd_fo_find(f, key);
	struct lg_binding_sel sel = { .has_id = true,
				      .reason = LG_BINDING_DEL_ADMIN };
	int err;

	(void)reason;
	(void)time_ms;
	if (!b || b->partner_deleted)
		return -ENOENT;
	sel.id = b->id;
	b->partner_deleted = true;	/* its DEL notification is not sent */
	err = lg_binding_del(f->x->nl, &sel);
	if (err && err != -ENOENT) {
		b->partner_deleted = false;
		f->refused++;
		return err;
	}
	f->deleted++;
	return 0;
}

/*
 * A kernel binding as the partner takes it: its interface by name, and
 * what is left of each lease's lifetimes (the kernel gives them as
 * granted, with the valid one's end).
 */
static void lgd_fo_remaining(const struct lgd_ctx *x, struct lg_binding *lb,
			     uint64_t now_s)
{
	size_t i;

	if (!lb->ifname[0])
		lgd_ifname(x, lb->ifindex, lb->ifname);
	for (i = 0; i < lb->n_leases; i++) {
		struct lg_lease *l = &lb->leases[i];
		uint32_t left, gone;

		if (!l->has_valid || l->valid == 0xffffffffu || !l->has_expires)
			continue;
		left = l->expires > now_s ? l->expires - now_s : 0;
		if (left > l->valid)
			left = l->valid;
		gone = l->valid - left;
		if (l->has_preferred && l->preferred != 0xffffffffu)
			l->preferred = l->preferred > gone ?
				       l->preferred - gone : 0;
		l->valid = left;
	}
}

/* Ended or all but ended: not worth sending. */
static bool lgd_fo_ended(const struct lg_binding *lb)
{
	size_t i;

	for (i = 0; i < lb->n_leases; i++)
		if (lb->leases[i].valid)
			return false;
	return true;
}

static int lgd_fo_walk(void *priv,
		       int (*fn)(void *arg, const struct lg_binding *b,
				 uint64_t time_ms),
		       void *arg)
{
	struct lgd_failover *f = priv;
	struct lg_binding_list list = {};
	uint64_t now_s = lgd_realtime_ms() / 1000;
	size_t i;
	int err;

	lgd_fo_make(f);
	/* The kernel's table, not our copies: they lack the lifetimes. */
	err = lg_binding_dump(f->x->nl, NULL, &list);
	for (i = 0; !err && i < list.n; i++) {
		struct lg_binding *lb = &list.v[i];

		lgd_fo_remaining(f->x, lb, now_s);
		if (lgd_fo_ended(lb))
			continue;
		err = fn(arg, lb, lb->has_replied ? lb->replied :
				  lb->updated * 1000);
	}
	lg_binding_list_free(&list);
	return err;
}

/* ---- Our changes to the partner ---------------------------------------- */

static uint8_t lgd_fo_del_reason(uint32_t reason)
{
	switch (reason) {
	case LG_BINDING_DEL_CLIENT_RELEASE:
		return LG_SYNC_DEL_RELEASED;
	case LG_BINDING_DEL_CLIENT_DECLINE:
		return LG_SYNC_DEL_DECLINED;
	case LG_BINDING_DEL_ADMIN:
	case LG_BINDING_DEL_SERVER:
		return LG_SYNC_DEL_ADMIN;
	case LG_BINDING_DEL_RELAY_RELEASE:
		return LG_SYNC_DEL_RELAY_RELEASE;
	default:
		return 0;	/* expiry, interface, superseded: not sent */
	}
}

/*
 * lb is the partner's (synced), or what our store's restore is making
 * (the partner has it, or gets it in its bulk). An administrator's
 * binding (lgctl binding add) has origin restored too, and is sent.
 */
static bool lgd_fo_echo(const struct lgd_failover *f,
			const struct lg_binding *lb)
{
	if (!lb->has_origin)
		return false;
	if (lb->origin == LG_BINDING_ORIGIN_SYNCED)
		return true;
	return lb->origin == LG_BINDING_ORIGIN_RESTORED && f->x->store &&
	       lgd_store_restoring(lb);
}

void lgd_failover_event(struct lgd_failover *f, uint8_t cmd,
			const struct lg_binding *lb, struct lgd_binding *b)
{
	struct lg_binding copy;
	bool releasing, stale = false;
	uint8_t reason;

	if (!f || !f->partner)
		return;
	if (cmd == LG_CMD_BINDING_DEL_NTF) {
		reason = lb->has_del_reason ? lgd_fo_del_reason(lb->del_reason) :
			 0;
		if (!reason || (b && b->partner_deleted)) {
			f->not_sent++;
			return;
		}
		copy = *lb;
		if (!copy.ifname[0])
			lgd_ifname(f->x, copy.ifindex, copy.ifname);
		if (!lgd_partner_local_delete(f->partner, &copy, reason,
					      lgd_realtime_ms()))
			f->sent_deletes++;
		return;
	}
	releasing = lb->has_state && lb->state == LG_BINDING_RELEASING;
	if (b && b->state_echo) {
		/* The kernel's answer to the partner's word: it has it. */
		if (releasing == b->partner_releasing) {
			b->state_echo = false;
			f->not_sent++;
			return;
		}
		/* Older than our request (read late): its state is no news. */
		stale = true;
	}
	/* Not ours to send, but for a state of ours the partner lacks. */
	if (lgd_fo_echo(f, lb) &&
	    (!b || stale || releasing == b->partner_releasing)) {
		f->not_sent++;
		return;
	}
	/* The session copies what it queues: lb's leases are only read. */
	copy = *lb;
	if (stale)
		copy.has_state = copy.has_release_reason = false;
	lgd_fo_remaining(f->x, &copy, lgd_realtime_ms() / 1000);
	if (lgd_fo_ended(&copy)) {
		f->not_sent++;
		return;
	}
	if (!lgd_partner_local_update(f->partner, &copy,
				      cmd == LG_CMD_BINDING_NEW_NTF ?
				      LG_SYNC_CHANGE_NEW : LG_SYNC_CHANGE_UPDATE,
				      lb->has_replied ? lb->replied :
				      lgd_realtime_ms())) {
		f->sent_updates++;
		if (b && copy.has_state)
			b->partner_releasing = releasing;
	}
}

void lgd_failover_resync(struct lgd_failover *f)
{
	if (f && f->partner)
		lgd_partner_owe_bulk(f->partner);
}

/* ---- The role ------------------------------------------------------------ */

/* Where the role is kept across a restart: by the control socket. */
static void lgd_fo_role_file(struct lgd_failover *f, const char *control)
{
	const char *slash = strrchr(control, '/');
	int dir = slash ? (int)(slash - control) : 1;

	snprintf(f->role_file, sizeof(f->role_file), "%.*s/role", dir,
		 slash ? control : ".");
}

static enum lg_sync_role lgd_fo_role_parse(const char *s)
{
	if (!strcmp(s, "master"))
		return LG_SYNC_ROLE_MASTER;
	if (!strcmp(s, "backup") || !strcmp(s, "fault") || !strcmp(s, "stop"))
		return LG_SYNC_ROLE_BACKUP;
	return LG_SYNC_ROLE_UNKNOWN;
}

bool lgd_failover_active(const struct lgd_failover *f)
{
	return !f || f->role == LG_SYNC_ROLE_MASTER;
}

int lgd_failover_set_role(struct lgd_failover *f, const char *state)
{
	enum lg_sync_role role = lgd_fo_role_parse(state);
	bool was = lgd_failover_active(f);
	FILE *rf;

	if (role == LG_SYNC_ROLE_UNKNOWN)
		return -EINVAL;
	rf = fopen(f->role_file, "we");
	if (rf) {
		fprintf(rf, "%s\n", state);
		fclose(rf);
	}
	snprintf(f->state, sizeof(f->state), "%s", state);
	if (role == f->role) {
		lgd_info("role %s (keepalived: %s): no change",
			 lg_sync_role_name(role), state);
		return 0;
	}
	f->role = role;
	f->role_since = lgd_now_ms();
	if (f->partner)
		lgd_partner_set_role(f->partner, role);
	if (!was && lgd_failover_active(f))
		f->takeovers++;
	lgd_notice("role %s (keepalived: %s): %s", lg_sync_role_name(role), state,
		   lgd_failover_active(f) ?
		   "routing the subscribers, sending releases and queries" :
		   "holding the partner's bindings, no routes, no releases, no queries");
	if (was != lgd_failover_active(f))
		f->x->role_changed(f->x->priv);
	return 0;
}

/* ---- The link ------------------------------------------------------------ */

struct lgd_failover *lgd_failover_open(const struct lgd_ctx *x)
{
	struct lgd_failover *f = calloc(1, sizeof(*f));
	char state[8] = "";		/* as f->state: fscanf "%7s" */
	FILE *rf;

	if (!f)
		return NULL;
	/* Zeroed: libmnl does not zero the padding after attributes. */
	f->buf = calloc(1, LGD_FO_BUF);
	f->held = calloc(LGD_FO_BATCH_MAX, sizeof(*f->held));
	f->max = 1;	/* until the link is up: then the socket's room */
	if (!f->buf || !f->held) {
		free(f->buf);
		free(f->held);
		free(f);
		return NULL;
	}
	f->x = x;
	f->role = LG_SYNC_ROLE_UNKNOWN;
	strcpy(f->state, "unknown");
	f->role_since = lgd_now_ms();
	lgd_fo_role_file(f, x->conf->control_socket);
	/* keepalived's last word, if it came before a restart. */
	rf = fopen(f->role_file, "re");
	if (rf) {
		if (fscanf(rf, "%7s", state) == 1 &&
		    lgd_fo_role_parse(state) != LG_SYNC_ROLE_UNKNOWN) {
			f->role = lgd_fo_role_parse(state);
			snprintf(f->state, sizeof(f->state), "%s", state);
		}
		fclose(rf);
	}
	f->ops = (struct lgd_ps_ops){
		.lookup = lgd_fo_lookup,
		.apply_update = lgd_fo_apply_update,
		.apply_flush = lgd_fo_flush,
		.apply_state = lgd_fo_apply_state,
		.apply_delete = lgd_fo_apply_delete,
		.walk = lgd_fo_walk,
	};
	lgd_notice("partner %s: role %s%s", x->conf->partner.peer_addr,
		   lg_sync_role_name(f->role),
		   f->role == LG_SYNC_ROLE_UNKNOWN ?
		   " until keepalived says (lgctl partner role): no routes, no releases" :
		   " (from before the restart)");
	return f;
}

/*
 * The link runs while the module does: without it nothing the partner
 * sends could be made a binding. Each start is a new instance to the
 * partner, so the two exchange their tables in full (a bulk each way).
 */
int lgd_failover_link(struct lgd_failover *f, bool up)
{
	struct lgd_partner_conf pc = f->x->conf->partner;

	if (!up) {
		/* What the partner sent before: made while the socket is. */
		lgd_fo_make(f);
		lgd_partner_close(f->partner);
		f->partner = NULL;
		return 0;
	}
	if (f->partner)
		return 0;
	/* An echo is a binding, not an ACK: a fourth of what ACKs could. */
	f->max = lg_nl_batch_max(f->x->nl, LGD_FO_RCVBUF) / 4;
	if (!f->max)
		f->max = 1;
	if (f->max > LGD_FO_BATCH_MAX)
		f->max = LGD_FO_BATCH_MAX;
	if (getrandom(&pc.instance, sizeof(pc.instance), 0) !=
	    sizeof(pc.instance))
		pc.instance = lgd_realtime_ms() ^ ((uint64_t)getpid() << 32);
	pc.role = f->role;
	pc.sw_version = LG_VERSION;
	f->partner = lgd_partner_open(&pc, &f->ops, f);
	return f->partner ? 0 : -1;
}

void lgd_failover_close(struct lgd_failover *f)
{
	if (!f)
		return;
	lgd_partner_close(f->partner);
	free(f->buf);
	free(f->held);
	free(f);
}

int lgd_failover_fd(const struct lgd_failover *f)
{
	return f && f->partner ? lgd_partner_fd(f->partner) : -1;
}

void lgd_failover_input(struct lgd_failover *f)
{
	if (f->partner)
		lgd_partner_input(f->partner);
}

/*
 * The control socket's "partner": our line ("local", keepalived's last
 * word and what the pair did with the kernel), then the link's.
 */
void lgd_failover_show(void *priv, FILE *out)
{
	struct lgd_failover *f = priv;

	fprintf(out, "local role=%s role-age-ms=%llu takeovers=%llu sent-updates=%llu sent-deletes=%llu not-sent=%llu made=%llu replaced=%llu deleted=%llu kernel-refused=%llu kernel-batches=%llu releases=%llu release-cancels=%llu\n",
		f->state,
		(unsigned long long)(lgd_now_ms() - f->role_since),
		(unsigned long long)f->takeovers,
		(unsigned long long)f->sent_updates,
		(unsigned long long)f->sent_deletes,
		(unsigned long long)f->not_sent,
		(unsigned long long)f->made, (unsigned long long)f->replaced,
		(unsigned long long)f->deleted, (unsigned long long)f->refused,
		(unsigned long long)f->batches,
		(unsigned long long)f->releasing,
		(unsigned long long)f->unreleasing);
	if (f->partner)
		lgd_partner_show(f->partner, out);
	else
		fprintf(out, "partner state=off peer=%s port=%u\n",
			f->x->conf->partner.peer_addr,
			f->x->conf->partner.peer_port);
}
