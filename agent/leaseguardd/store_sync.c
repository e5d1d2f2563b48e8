// SPDX-License-Identifier: GPL-2.0
/*
 * The binding store and the kernel: each binding notification becomes a
 * change of the store (store.c), and at start (and when the family comes
 * back after a module reload) the store and the kernel are reconciled.
 *
 * Whether the kernel lost its bindings is told by its instance: the
 * machine's boot_id, the family's ID (a reloaded module gets another:
 * genetlink allocates them cyclically) and a lower bound of the
 * namespace's LG_STATS_A_BINDINGS_CREATED, which the store keeps with
 * each commit. Another boot, another family ID, or fewer bindings ever
 * created than the store saw, is a new module instance: what the store has and the kernel does not is
 * restored with LG_CMD_BINDING_NEW. The same instance (leaseguardd alone
 * restarted) lost nothing: what the kernel no longer has was deleted
 * while leaseguardd was away, and the store forgets it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/leaseguard.h>

#include "binding.h"
#include "lgd.h"
#include "store.h"

#define LGD_BOOT_ID	"/proc/sys/kernel/random/boot_id"

/* The kernel's binding (lb) as the store keeps it. */
static bool lgd_store_rec_of(struct lgd_store_rec *r,
			     const struct lg_binding *lb)
{
	size_t i;

	/* Not the 8 leases' room (a third of it): each one used is set. */
	memset(r, 0, offsetof(struct lgd_store_rec, leases));
	snprintf(r->ifname, sizeof(r->ifname), "%s", lb->ifname);
	r->ifindex = lb->ifindex;
	r->kernel_id = lb->id;
	if (!lb->client_duid_len || lb->client_duid_len > LGD_STORE_DUID_MAX)
		return false;
	r->duid_len = lb->client_duid_len;
	memcpy(r->duid, lb->client_duid, lb->client_duid_len);
	r->ia_type = lb->ia_type;
	r->iaid = lb->iaid;
	r->state = lb->has_state ? lb->state : LG_BINDING_BOUND;
	/* A module older than the origin only snoops. */
	r->origin = lb->has_origin ? lb->origin : LG_BINDING_ORIGIN_SNOOPED;
	r->has_lladdr = lb->has_client_lladdr;
	memcpy(r->lladdr, lb->client_lladdr, 16);
	r->has_mac = lb->has_client_mac;
	memcpy(r->mac, lb->client_mac, 6);
	r->has_server_addr = lb->has_server_addr;
	memcpy(r->server_addr, lb->server_addr, 16);
	r->server_duid_len = lb->server_duid_len;
	memcpy(r->server_duid, lb->server_duid, lb->server_duid_len);
	/* None: interface_id is NULL, which memcpy() must not be given. */
	if (lb->interface_id_len &&
	    lb->interface_id_len <= LGD_STORE_IFID_MAX) {
		r->ifid_len = lb->interface_id_len;
		memcpy(r->ifid, lb->interface_id, lb->interface_id_len);
	}
	r->created = lb->created;
	r->updated = lb->updated;
	/* A module older than LG_BINDING_A_REPLIED: unknown. */
	r->replied = lb->has_replied ? lb->replied : 0;
	for (i = 0; i < lb->n_leases && r->n_leases < LGD_STORE_MAX_LEASES;
	     i++) {
		const struct lg_lease *l = &lb->leases[i];
		struct lgd_store_lease *sl = &r->leases[r->n_leases];

		if (!l->has_plen || l->plen > 128 || !l->has_valid)
			continue;
		memcpy(sl->addr, l->addr, 16);
		sl->plen = l->plen;
		sl->valid = l->valid;
		sl->preferred = l->has_preferred ? l->preferred : 0;
		if (sl->preferred > sl->valid)
			sl->preferred = sl->valid;
		/* No EXPIRES: granted infinite (0xffffffff). */
		sl->expires = l->has_expires ? l->expires : 0;
		if (!sl->expires && sl->valid != LGD_STORE_INFINITE)
			sl->expires = lb->updated + sl->valid;
		r->n_leases++;
	}
	return true;
}

/*
 * The store's bindings a restore is sending (sorted by key, as
 * lgd_store_plan() left them) and its plan. The reconcile's
 * notifications, which tell the kernel's copy of what the store has,
 * write only their IDs; any restore's are not sent to the failover
 * partner (lgd_store_restoring()).
 */
static struct {
	const struct lgd_store_rec *v;
	const uint8_t *act;
	size_t n;
	bool reconcile;		/* not one interface's pending rows */
} lgd_restoring;

static int lgd_store_bcmp(const void *a, const void *b)
{
	return lgd_store_rec_cmp(a, b);
}

/* The row of r's key a restore is sending now, or NULL. */
static const struct lgd_store_rec *
lgd_store_restoring_rec(const struct lgd_store_rec *r)
{
	const struct lgd_store_rec *o;

	if (!lgd_restoring.n || r->origin != LG_BINDING_ORIGIN_RESTORED)
		return NULL;
	o = bsearch(r, lgd_restoring.v, lgd_restoring.n, sizeof(*o),
		    lgd_store_bcmp);
	if (!o || lgd_restoring.act[o - lgd_restoring.v] != LGD_STORE_RESTORE)
		return NULL;
	return o;
}

bool lgd_store_restoring(const struct lg_binding *lb)
{
	struct lgd_store_rec r;

	return lgd_restoring.n && lgd_store_rec_of(&r, lb) &&
	       lgd_store_restoring_rec(&r);
}

/*
 * r (the kernel's) is the store's binding as it was restored: the same
 * client, server, state, server transaction (REPLIED) and leases, each
 * ending when the store's does (within the second the restore rounded it
 * to).
 */
static bool lgd_store_as_restored(const struct lgd_store_rec *r)
{
	const struct lgd_store_rec *o;
	uint64_t a, b;
	size_t i;

	o = lgd_restoring.reconcile ? lgd_store_restoring_rec(r) : NULL;
	if (!o)
		return false;
	if (r->state != o->state ||
	    (r->created > o->created ? r->created - o->created :
	     o->created - r->created) > 2 ||
	    r->has_lladdr != o->has_lladdr || r->has_mac != o->has_mac ||
	    r->has_server_addr != o->has_server_addr ||
	    memcmp(r->lladdr, o->lladdr, sizeof(r->lladdr)) ||
	    (r->has_mac && memcmp(r->mac, o->mac, sizeof(r->mac))) ||
	    memcmp(r->server_addr, o->server_addr, sizeof(r->server_addr)) ||
	    r->server_duid_len != o->server_duid_len ||
	    memcmp(r->server_duid, o->server_duid, r->server_duid_len) ||
	    r->ifid_len != o->ifid_len ||
	    memcmp(r->ifid, o->ifid, r->ifid_len) ||
	    r->n_leases != o->n_leases ||
	    /*
	     * An unknown one (0) stays so: the kernel's is then the time of
	     * the restore, not of a server transaction.
	     */
	    (o->replied && r->replied != o->replied))
		return false;
	for (i = 0; i < r->n_leases; i++) {
		a = r->leases[i].expires;
		b = o->leases[i].expires;
		if (memcmp(r->leases[i].addr, o->leases[i].addr, 16) ||
		    r->leases[i].plen != o->leases[i].plen || !a != !b ||
		    (a > b ? a - b : b - a) > 2)
			return false;
	}
	return true;
}

static void lgd_store_reset_cb(void *arg)
{
	lgd_store_resync(arg);
}

void lgd_store_event(struct lgd_ctx *x, uint8_t cmd,
		     const struct nlattr *nest, const struct lg_binding *lb)
{
	struct lgd_store_rec r;

	if (!x->store)
		return;
	(void)nest;	/* lb has all of it */
	if (!lgd_store_rec_of(&r, lb))
		return;
	if (cmd == LG_CMD_BINDING_DEL_NTF) {
		/* The interface is gone with its name: by its index. */
		lgd_store_del(x->store, &r);
		lgd_store_commit_due(x->store);
		return;
	}
	if (cmd == LG_CMD_BINDING_NEW_NTF)
		lgd_store_count_created(x->store, lb->id);
	if (!r.ifname[0]) {
		lgd_debug("store: binding %llu has no interface name: not kept",
			  (unsigned long long)lb->id);
		return;
	}
	if ((lgd_store_as_restored(&r) ? lgd_store_put_ids :
	     lgd_store_put)(x->store, &r))
		lgd_err("store: binding %llu: out of memory",
			(unsigned long long)lb->id);
	lgd_store_commit_due(x->store);
}

/* The kernel's bindings, as the store would keep them. */
struct lgd_store_kernel {
	struct lgd_store_rec *v;
	size_t n, cap;
	uint64_t max_id;
};

static int lgd_store_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lgd_store_kernel *k = data;
	const struct nlattr *obj;
	struct lg_binding lb;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_GET, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&k->v, &k->cap, k->n, sizeof(*k->v));
	if (!err)
		err = lg_binding_parse(obj, &lb);
	if (err)
		return err;
	if (lb.id > k->max_id)
		k->max_id = lb.id;
	if (lgd_store_rec_of(&k->v[k->n], &lb) && k->v[k->n].ifname[0])
		k->n++;
	lg_binding_free(&lb);
	return 0;
}

static void lgd_store_dump_reset(void *data)
{
	struct lgd_store_kernel *k = data;

	k->n = 0;
	k->max_id = 0;
}

static int lgd_store_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_STATS_A_MAX + 1], *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_STATS_GET, LG_A_STATS, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_nl_parse_nest(obj, tb, LG_STATS_A_MAX);
	if (err)
		return err;
	if (!tb[LG_STATS_A_BINDINGS_CREATED])
		return -EBADMSG;
	*(uint64_t *)data = mnl_attr_get_u64(tb[LG_STATS_A_BINDINGS_CREATED]);
	return 0;
}

/* "BOOT_ID family ID": the kernel, and the module's life in it. */
static void lgd_store_kernel_instance(const struct lg_nl *nl, char *buf,
				      size_t len)
{
	FILE *f = fopen(LGD_BOOT_ID, "r");
	char boot[40] = "";

	if (f) {
		if (fgets(boot, sizeof(boot), f))
			boot[strcspn(boot, "\n")] = '\0';
		fclose(f);
	}
	snprintf(buf, len, "%s family %u", boot, nl->family_id);
}

/* Some lease of r is left at now. */
static bool lgd_store_rec_left(const struct lgd_store_rec *r, uint64_t now)
{
	uint32_t pref, valid;
	size_t i;

	for (i = 0; i < r->n_leases; i++)
		if (lgd_store_remaining(r, &r->leases[i], now, &pref, &valid))
			return true;
	return false;
}

bool lgd_store_restore_msg(struct nlmsghdr *nlh, const struct lgd_store_rec *r,
			   uint32_t ifindex, uint64_t now)
{
	struct nlattr *nest, *ln;
	uint32_t pref, valid;
	size_t i, n = 0;

	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, r->duid_len, r->duid);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IA_TYPE, r->ia_type);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IAID, r->iaid);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, r->lladdr);
	if (r->has_mac)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC, 6, r->mac);
	mnl_attr_put(nlh, LG_BINDING_A_SERVER_ADDR, 16, r->server_addr);
	if (r->server_duid_len)
		mnl_attr_put(nlh, LG_BINDING_A_SERVER_DUID, r->server_duid_len,
			     r->server_duid);
	if (r->ifid_len && r->ifid_len <= 32)
		mnl_attr_put(nlh, LG_BINDING_A_INTERFACE_ID, r->ifid_len,
			     r->ifid);
	mnl_attr_put_u64(nlh, LG_BINDING_A_CREATED,
			 r->created && r->created <= now ? r->created : now);
	/* Unknown (a row from before the column): the kernel says now. */
	if (r->replied)
		mnl_attr_put_u64(nlh, LG_BINDING_A_REPLIED, r->replied);
	mnl_attr_put_u32(nlh, LG_BINDING_A_ORIGIN, LG_BINDING_ORIGIN_RESTORED);
	for (i = 0; i < r->n_leases; i++) {
		if (!lgd_store_remaining(r, &r->leases[i], now, &pref, &valid))
			continue;
		ln = mnl_attr_nest_start(nlh, LG_BINDING_A_LEASE);
		mnl_attr_put(nlh, LG_LEASE_A_ADDR, 16, r->leases[i].addr);
		mnl_attr_put_u32(nlh, LG_LEASE_A_PLEN, r->leases[i].plen);
		mnl_attr_put_u32(nlh, LG_LEASE_A_PREFERRED, pref);
		mnl_attr_put_u32(nlh, LG_LEASE_A_VALID, valid);
		mnl_attr_nest_end(nlh, ln);
		n++;
	}
	mnl_attr_nest_end(nlh, nest);
	return n;
}

/* What the restores said, for one log line. */
struct lgd_store_tally {
	size_t tried, ok, noif, incomplete, conflict, ended, other;
	int other_err, unsupported;
};

static const char *lgd_store_act_name(uint8_t act)
{
	switch (act) {
	case LGD_STORE_DROP_EXPIRED:	return "expired";
	case LGD_STORE_DROP_GONE:	return "deleted while leaseguardd was away";
	case LGD_STORE_DROP_STATE:	return "not bound";
	}
	return "?";
}

/*
 * The restores go in batches: as many requests as fit LGD_RESTORE_BUF
 * (and the ACKs the receive buffer holds), sent with one sendmsg(), their
 * ACKs read after. One request and one wait for its ACK at a time cost
 * two system calls and a scheduling round trip a binding; a million of
 * those were most of a restore's time.
 */
#define LGD_RESTORE_BUF		65536
/* A request's most: DUIDs, an Interface-Id and 8 leases, with room. */
#define LGD_RESTORE_REQ_MAX	2048
#define LGD_RESTORE_RCVBUF	(4 << 20)	/* asked for; doubled */

struct lgd_store_batch {
	struct lgd_store *s;
	struct lgd_store_tally *t;
	struct lgd_store_rec **r;	/* the batch's bindings, in order */
	size_t max;			/* ACKs the receive buffer holds */
	char ifname[IF_NAMESIZE];	/* the last name looked up */
	uint32_t ifindex;
};

/*
 * The answer to r's restore: true if it is done with (restored, or
 * dropped); false if it stays in the store, its restore pending (tried
 * again at the next reconcile, whatever the kernel).
 */
static bool lgd_store_restored(struct lgd_store *s,
			       const struct lgd_store_rec *r, int err,
			       struct lgd_store_tally *t)
{
	switch (err) {
	case 0:
		t->ok++;	/* its notification writes it back */
		return true;
	case -EOPNOTSUPP:
		t->unsupported = err;
		return false;
	case -ETIME:
		t->ended++;
		lgd_store_del(s, r);
		return true;
	case -EEXIST:
	case -EADDRINUSE:
		/* The kernel has it, or another binding its lease: it wins. */
		t->conflict++;
		lgd_store_del(s, r);
		return true;
	case -EINVAL:
		/* The first one refused: a module without the command's policy. */
		if (!t->ok && !t->other && !t->conflict) {
			t->unsupported = err;
			return false;
		}
		/* fall through */
	default:
		/* -ENODEV (not an access interface yet), -ENOSPC...: kept. */
		if (!t->other++)
			t->other_err = err;
		return false;
	}
}

static void lgd_store_pend(struct lgd_store *s, struct lgd_store_rec *r)
{
	if (r->restore_pending)
		return;
	r->restore_pending = true;
	lgd_store_put(s, r);
}

static void lgd_store_batch_ack(size_t i, int err, void *data)
{
	struct lgd_store_batch *b = data;
	struct lgd_store_rec *r = b->r[i];

	/* After a refusal that says the module cannot: all kept. */
	if (b->t->unsupported || !lgd_store_restored(b->s, r, err, b->t))
		lgd_store_pend(b->s, r);
}

/* ifindex of name: the bindings come sorted by it, one look-up a name. */
static uint32_t lgd_store_ifindex(struct lgd_store_batch *b, const char *name)
{
	if (strcmp(b->ifname, name)) {
		snprintf(b->ifname, sizeof(b->ifname), "%s", name);
		b->ifindex = if_nametoindex(name);
	}
	return b->ifindex;
}

/*
 * Restores v[i] for each i whose act is LGD_STORE_RESTORE, in batches;
 * those not restored and not dropped are marked pending. 0, or the
 * socket's -errno (the rest are kept, pending).
 */
static int lgd_store_restore_all(struct lgd_ctx *x, struct lgd_store *s,
				 struct lgd_store_rec *v, size_t n,
				 const uint8_t *act, uint64_t now,
				 struct lgd_store_tally *t)
{
	struct lgd_store_batch b = { .s = s, .t = t };
	size_t i = 0, k, off = 0;
	char *buf;
	int err = 0;

	/* Zeroed: libmnl does not zero the padding after attributes. */
	buf = calloc(1, LGD_RESTORE_BUF);
	b.max = lg_nl_batch_max(x->nl, LGD_RESTORE_RCVBUF);
	if (b.max > LGD_RESTORE_BUF / 64)
		b.max = LGD_RESTORE_BUF / 64;
	b.r = calloc(b.max, sizeof(*b.r));
	if (!buf || !b.r) {
		free(buf);
		free(b.r);
		return -ENOMEM;
	}
	while (i < n) {
		uint32_t seq = 0;

		/* What the last batch wrote, not the whole buffer each time. */
		memset(buf, 0, off);
		off = 0;
		/*
		 * The lifetimes left as each batch goes: a long restore grants
		 * no more than the store had (and the notifications match it).
		 */
		now = time(NULL);
		for (k = 0; i < n && k < b.max &&
		     LGD_RESTORE_BUF - off >= LGD_RESTORE_REQ_MAX; i++) {
			struct lgd_store_rec *r = &v[i];
			struct nlmsghdr *nlh;
			uint32_t ifindex;

			if (act[i] != LGD_STORE_RESTORE)
				continue;
			if (t->unsupported || err) {
				lgd_store_pend(s, r);
				continue;
			}
			t->tried++;
			ifindex = lgd_store_ifindex(&b, r->ifname);
			if (!ifindex) {
				t->noif++;	/* the interface may come back */
				lgd_store_pend(s, r);
				continue;
			}
			if (!r->has_lladdr || !r->has_server_addr) {
				t->incomplete++;
				lgd_store_del(s, r);
				continue;
			}
			if (!lgd_store_rec_left(r, now)) {
				/* Nothing left of it: not sent. */
				lgd_store_restored(s, r, -ETIME, t);
				continue;
			}
			/* Sequence numbers follow: the ACKs are matched by them. */
			nlh = lg_nl_batch_hdr(x->nl, buf + off,
					      LG_CMD_BINDING_NEW);
			lgd_store_restore_msg(nlh, r, ifindex, now);
			if (!k)
				seq = nlh->nlmsg_seq;
			b.r[k++] = r;
			off += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (!k)
			continue;
		err = lg_nl_batch_send(x->nl, buf, off, seq, k, 0,
				       lgd_store_batch_ack, &b);
		if (err) {
			lgd_err("store: restoring bindings: %s", strerror(-err));
			/* Those whose ACK did not come: kept, pending. */
			while (k--)
				lgd_store_pend(s, b.r[k]);
		}
		/* Their notifications, before they overrun the socket. */
		if (x->read_events)
			x->read_events(x->priv);
	}
	free(buf);
	free(b.r);
	return err;
}

static int lgd_store_sync(struct lgd_ctx *x, bool may_restore)
{
	struct lgd_store *s = x->store;
	struct lgd_store_stats *st;
	struct lgd_store_kernel k = {};
	struct lgd_store_rec *v = NULL;
	struct lgd_store_tally t = {};
	char boot[64], sboot[64];
	uint64_t created = 0, screated, now = time(NULL);
	size_t n = 0, i, dropped = 0, kept, n_restore = 0;
	bool restore;
	uint8_t *act = NULL;
	uint64_t t0 = lgd_now_ms(), t_dump, t_load, t_plan, t_restore;
	int err;

	if (!s)
		return 0;
	st = lgd_store_stats(s);
	/* Before the dump: the batch in flight may find the file damaged. */
	lgd_store_wait(s);
	if (!st->open)
		lgd_store_commit(s);	/* opens it, if it can be now */
	/* The counter before the dump: a lower bound of what it shows. */
	err = lg_nl_doit(x->nl, lg_nl_msg(x->nl, LG_CMD_STATS_GET, 0),
			 lgd_store_stats_cb, &created);
	if (!err)
		err = lg_nl_dump_req(x->nl, lg_nl_msg(x->nl, LG_CMD_BINDING_GET,
						      NLM_F_DUMP),
				     lgd_store_dump_cb, lgd_store_dump_reset, &k);
	if (err) {
		lgd_err("store: reading the kernel's bindings: %s; not reconciled",
			strerror(-err));
		free(k.v);
		return err;
	}
	t_dump = lgd_now_ms();
	lgd_store_kernel_instance(x->nl, boot, sizeof(boot));
	lgd_store_instance(s, sboot, sizeof(sboot), &screated);
	restore = may_restore &&
		  (!sboot[0] || strcmp(sboot, boot) || created < screated);
	if (st->open && lgd_store_load(s, &v, &n))
		lgd_err("store %s: its bindings could not be read; the kernel's are written",
			lgd_store_path(s));
	t_load = lgd_now_ms();
	act = calloc(n + 1, 1);
	if (!act) {
		free(v);
		free(k.v);
		return -ENOMEM;
	}
	lgd_store_plan(v, n, k.v, k.n, now, restore, !may_restore, act);
	for (i = 0; i < k.n; i++)
		lgd_store_put(s, &k.v[i]);
	t_plan = lgd_now_ms();
	lgd_store_hold(s, true);
	lgd_restoring.v = v;
	lgd_restoring.act = act;
	lgd_restoring.n = n;
	lgd_restoring.reconcile = true;
	lgd_store_restore_all(x, s, v, n, act, now, &t);
	lgd_restoring.n = 0;
	lgd_restoring.reconcile = false;
	lgd_store_hold(s, false);
	t_restore = lgd_now_ms();
	for (i = 0; i < n; i++) {
		if (act[i] != LGD_STORE_RESTORE && act[i] != LGD_STORE_IN_KERNEL &&
		    act[i] != LGD_STORE_KEEP) {
			lgd_debug("store: %s: %s", v[i].ifname,
				  lgd_store_act_name(act[i]));
			lgd_store_del(s, &v[i]);
			dropped++;
		}
	}
	for (i = 0; i < n; i++)
		n_restore += act[i] == LGD_STORE_RESTORE;
	/* Not restored and not dropped: they stay for a later try. */
	kept = n_restore - t.ok - t.incomplete - t.conflict - t.ended;
	if (t.unsupported)
		lgd_warn("store: cannot restore bindings: the leaseguard module refused LG_CMD_BINDING_NEW (%s: it has none); %zu bindings stay in the store, to be restored by a later start",
			 strerror(-t.unsupported), kept);
	lgd_store_set_instance(s, boot, created, k.max_id);
	st->restored = t.ok;
	st->refused = n_restore - t.ok;
	st->written = k.n;
	st->dropped = dropped + t.incomplete + t.conflict + t.ended;
	lgd_info("store %s: %zu bindings in it, %zu in the kernel (%s): %zu restored, %zu written, %llu dropped, %zu kept unrestored",
		 lgd_store_path(s), n, k.n,
		 !may_restore ? "resync" : !sboot[0] ? "a new store" :
		 restore ? "the kernel lost its bindings" : "same module instance",
		 t.ok, k.n, (unsigned long long)st->dropped, kept);
	/* Where a long reconcile's time goes (store_bench.sh prints it). */
	lgd_info("store: reconciled in %llu ms: kernel dump %llu, store read %llu, plan %llu, restore %llu",
		 (unsigned long long)(lgd_now_ms() - t0),
		 (unsigned long long)(t_dump - t0),
		 (unsigned long long)(t_load - t_dump),
		 (unsigned long long)(t_plan - t_load),
		 (unsigned long long)(t_restore - t_plan));
	if (t.noif)
		lgd_notice("store: %zu bindings not restored: their interface does not exist",
			   t.noif);
	if (t.other)
		lgd_warn("store: %zu bindings not restored (first: %s)",
			 t.other, strerror(-t.other_err));
	if (t.conflict)
		lgd_notice("store: %zu bindings not restored: the kernel has them or their leases",
			   t.conflict);
	free(act);
	free(v);
	free(k.v);
	lgd_store_commit(s);
	return 0;
}

int lgd_store_reconcile(struct lgd_ctx *x)
{
	if (x->store)
		lgd_store_on_reset(x->store, lgd_store_reset_cb, x);
	return lgd_store_sync(x, true);
}

int lgd_store_resync(struct lgd_ctx *x)
{
	return lgd_store_sync(x, false);
}

static int lgd_store_rec_qcmp(const void *a, const void *b)
{
	return lgd_store_rec_cmp(a, b);
}

int lgd_store_restore_link(struct lgd_ctx *x, uint32_t ifindex,
			   const char *name, const char *why)
{
	struct lgd_store *s = x->store;
	struct lg_binding_sel sel = { .ifindex = ifindex };
	struct lgd_store_kernel k = {};
	struct lgd_store_rec *v = NULL, *kr;
	struct lgd_store_tally t = {};
	size_t n, i, n_restore = 0, in_kernel = 0, dropped = 0, kept;
	uint64_t now = time(NULL);
	uint8_t *act = NULL;
	int err;

	if (!s || !lgd_store_stats(s)->open)
		return 0;
	/* Only the pending rows of this name: a flapping link costs little. */
	err = lgd_store_load_ifname(s, name, true, &v, &n);
	if (err || !n)
		goto out;
	if (lgd_link_role(x->nl, ifindex) != LG_ROLE_ACCESS) {
		/* The kernel would refuse them all: -ENODEV. */
		lgd_info("store: %s %s: %zu pending bindings wait: not an access interface",
			 name, why, n);
		goto out;
	}
	/* What the kernel has there already wins, as in the reconcile. */
	err = lg_nl_dump_req(x->nl, lg_binding_dump_msg(x->nl, &sel),
			     lgd_store_dump_cb, lgd_store_dump_reset, &k);
	if (err) {
		lgd_err("store: %s %s: reading its bindings: %s; %zu pending bindings wait",
			name, why, strerror(-err), n);
		goto out;
	}
	act = calloc(n + 1, 1);
	if (!act) {
		err = -ENOMEM;
		goto out;
	}
	lgd_store_plan(v, n, k.v, k.n, now, true, false, act);
	for (i = 0; i < n; i++) {
		if (act[i] == LGD_STORE_RESTORE) {
			n_restore++;
		} else if (act[i] == LGD_STORE_IN_KERNEL) {
			/* The kernel's copy, no longer pending. */
			kr = bsearch(&v[i], k.v, k.n, sizeof(*k.v),
				     lgd_store_rec_qcmp);
			if (kr)
				lgd_store_put(s, kr);
			in_kernel++;
		} else {
			lgd_debug("store: %s: %s", name,
				  lgd_store_act_name(act[i]));
			lgd_store_del(s, &v[i]);
			dropped++;
		}
	}
	lgd_store_hold(s, true);
	lgd_restoring.v = v;
	lgd_restoring.act = act;
	lgd_restoring.n = n;
	err = lgd_store_restore_all(x, s, v, n, act, now, &t);
	lgd_restoring.n = 0;
	lgd_store_hold(s, false);
	kept = n_restore - t.ok - t.incomplete - t.conflict - t.ended;
	lgd_info("store: %s %s: %zu pending bindings: %zu restored, %zu in the kernel, %zu dropped, %zu kept pending",
		 name, why, n, t.ok, in_kernel,
		 dropped + t.incomplete + t.conflict + t.ended, kept);
	if (t.other)
		lgd_warn("store: %s: %zu bindings not restored (first: %s)",
			 name, t.other, strerror(-t.other_err));
	lgd_store_commit_due(s);
out:
	free(act);
	free(v);
	free(k.v);
	return err;
}
