/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LG_BINDING_H
#define _LG_BINDING_H

#include <linux/in6.h>
#include <linux/if_ether.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/leaseguard.h>

#include "dhcp6_parse.h"

struct lg_net;
struct lg_link;
struct sk_buff;

/*
 * Times in a binding are u32 seconds of CLOCK_BOOTTIME (good for 136
 * years of uptime), converted for netlink, but for the server
 * transaction's (realtime ms): a binding fits kmalloc-192.
 */
#define LG_FOREVER		U32_MAX		/* expiry of an infinite lease */
#define LG_IFID_MAX		32		/* octets of a binding's interface-id */
#define LG_WHEEL_SIZE		256		/* expiry buckets, one a second */
#define LG_PLENS		129		/* prefix lengths 0..128 */

/* Leases are found by (interface, prefix length, prefix). */
struct lg_lease_key {
	struct in6_addr prefix;		/* host bits zero */
	int ifindex;
	u8 plen;
	u8 pad[3];			/* zero: the key is hashed whole */
};

/* What a REPLY can grant a binding is what LG_CMD_BINDING_NEW may give. */
static_assert(LG_BINDING_MAX_LEASES == DHCP6_MAX_LEASES);

struct lg_lease {
	struct rhash_head node;		/* lg_bindings.leases */
	struct lg_lease_key key;
	u32 preferred;			/* seconds, as granted */
	u32 valid;
	u32 expires;			/* boottime seconds, or LG_FOREVER */
	u8 idx;				/* in its binding's leases[] */
	bool indexed;			/* in lg_bindings.leases (else no memory) */
	bool granted;			/* in a draft: the REPLY applied grants it */
};

/* Everything a binding holds but its links into the tables. */
struct lg_binding_meta {
	u64 id;
	/*
	 * LG_BINDING_A_REPLIED, the last server transaction: CLOCK_REALTIME
	 * ms, not boottime, as failover partners compare it across machines
	 * and reboots.
	 */
	u64 replied;
	/* Boottime seconds; created is negative before this boot (restored). */
	s32 created;
	u32 updated;
	int ifindex;
	u32 iaid;
	u8 ia_type;			/* enum lg_ia_type */
	u8 state;			/* enum lg_binding_state */
	u8 release_reason;		/* enum lg_release_reason, if RELEASING */
	u8 n_leases;
	u8 duid_len, server_duid_len, ifid_len;
	bool has_mac;
	u8 mac[ETH_ALEN];
	u8 origin;			/* enum lg_binding_origin */
	struct in6_addr client_lladdr;
	struct in6_addr server_addr;
};

/*
 * One IA of one client on one access interface. Immutable once published:
 * a change builds a new binding and swaps it in (lg_binding_commit), so
 * RCU readers always see a whole binding.
 */
struct lg_binding {
	struct rhlist_head node;	/* lg_bindings.by_duid */
	/* Off the wheel before it is freed: the two never overlap. */
	union {
		struct hlist_node wheel;	/* lg_bindings.wheel */
		struct rcu_head rcu;
	};
	struct lg_binding_meta m;
	struct lg_lease leases[];	/* then the DUIDs and interface-id */
};

static inline struct lg_binding *lg_lease_binding(const struct lg_lease *l)
{
	return container_of(l - l->idx, struct lg_binding, leases[0]);
}

/* The earliest end of a lease of @b, or LG_FOREVER. */
static inline u32 lg_binding_next_expiry(const struct lg_binding *b)
{
	u32 next = LG_FOREVER;
	unsigned int i;

	for (i = 0; i < b->m.n_leases; i++)
		next = min(next, b->leases[i].expires);
	return next;
}

static inline const u8 *lg_binding_duid(const struct lg_binding *b)
{
	return (const u8 *)&b->leases[b->m.n_leases];
}

static inline const u8 *lg_binding_server_duid(const struct lg_binding *b)
{
	return lg_binding_duid(b) + b->m.duid_len;
}

static inline const u8 *lg_binding_ifid(const struct lg_binding *b)
{
	return lg_binding_server_duid(b) + b->m.server_duid_len;
}

/* A client request seen on an access interface, awaiting its REPLY. */
struct lg_pending {
	u64 duid_hash;			/* 0: free slot */
	u32 xid;
	u8 type;			/* client message type */
	u8 n_ias;			/* RELEASE/DECLINE: the IAs in it */
	bool has_mac, has_server;
	int ifindex;
	unsigned long when;		/* jiffies */
	struct in6_addr lladdr;
	struct in6_addr server_addr;	/* from the RELAY-REPL, if seen */
	u8 mac[ETH_ALEN];
	u8 ifid_len;
	u8 ifid[LG_IFID_MAX];		/* the RELAY-REPL's Interface-Id */
	struct {
		u8 type;
		u32 iaid;
	} ias[4];
};

/*
 * 8-way set-associative: a burst of exchanges that hash to one set evicts
 * from whoever holds most of the set (lg_pending_slot()), not the newest.
 * 2048 entries, ~280 KiB, allocated when the namespace gets its first
 * access interface.
 */
#define LG_PENDING_WAYS		8
#define LG_PENDING_SETS		256
#define LG_PENDING_TTL		(30 * HZ)

/* The bindings of one namespace. */
struct lg_bindings {
	spinlock_t lock;		/* writers; taken with BH off */
	struct rhltable by_duid;
	struct rhashtable leases;
	struct xarray by_id;		/* id -> binding: dumps, get by id */
	u64 next_id;
	u32 gen;			/* bumped on create/delete: dump seq */
	u32 count;
	u32 max;			/* LG_CONFIG_A_MAX_BINDINGS */
	/* What the access interfaces' reserves hold for them, still unused. */
	u32 reserve_unused;
	struct hlist_head wheel[LG_WHEEL_SIZE];
	u32 wheel_done;			/* last second the wheel processed */
	struct hlist_node wheel_cursor;	/* where a scan out of budget stopped */
	struct delayed_work expiry_work;
	struct lg_pending *pending;	/* SETS * WAYS; entries under lock */
};

/* What a REPLY says about one IA, ready to apply. */
struct lg_binding_update {
	int ifindex;
	const struct dhcp6_msg *msg;	/* the REPLY */
	const struct dhcp6_ia *ia;
	const struct lg_pending *req;	/* the request it answers */
	const struct in6_addr *reply_saddr;
	u64 replied;			/* realtime ms the REPLY was snooped */
};

int lg_bindings_init(struct lg_net *ln);
int lg_bindings_prepare_access(struct lg_net *ln);
void lg_bindings_destroy(struct lg_net *ln);

void lg_binding_apply(struct lg_net *ln, const struct lg_binding_update *u);

/* LG_CMD_BINDING_NEW: a binding as snooping would have learned it. */
struct lg_binding_new {
	int ifindex;
	const u8 *duid;
	u8 duid_len;
	u8 ia_type;			/* enum lg_ia_type */
	u32 iaid;
	const struct in6_addr *client_lladdr;
	const u8 *mac;			/* NULL: none */
	const struct in6_addr *server_addr;
	const u8 *server_duid;
	u8 server_duid_len;
	const u8 *ifid;
	u8 ifid_len;
	s32 created;			/* boottime seconds */
	u64 replied;			/* realtime ms */
	u8 origin;			/* not LG_BINDING_ORIGIN_SNOOPED */
	bool replace;			/* LG_BINDING_A_REPLACE */
	u8 n_leases;
	struct {
		const struct in6_addr *addr;
		u8 plen;
		u32 preferred, valid;	/* seconds from now */
	} leases[LG_BINDING_MAX_LEASES];
	/* Out: on -EADDRINUSE, which lease; on success, whether replaced. */
	u8 bad_lease;
	bool replaced;
};

int lg_binding_new(struct lg_net *ln, struct lg_binding_new *n,
		   struct sk_buff *reply, u32 portid, u32 seq);
int lg_binding_move(struct lg_net *ln, u64 id, const struct in6_addr *lladdr,
		    const u8 *mac);
void lg_binding_release(struct lg_net *ln, int ifindex,
			const struct dhcp6_bytes *duid, u8 ia_type, u32 iaid,
			u8 reason);
void lg_bindings_flush_link(struct lg_net *ln, int ifindex, u8 reason);

/* Which bindings a delete or a release is for. */
struct lg_binding_filter {
	bool all;
	bool has_id;
	u64 id;
	int ifindex;			/* 0: any */
	const u8 *duid;			/* NULL: any */
	u8 duid_len;
	const struct in6_addr *addr;	/* NULL: any */
};

/* Deletes what @f matches; returns how many. */
int lg_bindings_delete(struct lg_net *ln, const struct lg_binding_filter *f,
		       u8 reason);
/* Marks what @f matches releasing, or bound again; how many, or -errno. */
int lg_bindings_mark_release(struct lg_net *ln,
			     const struct lg_binding_filter *f,
			     u8 reason, bool cancel);
bool lg_binding_match(struct lg_net *ln, const struct lg_binding *b,
		      const struct lg_binding_filter *f);
void lg_lease_key_init(struct lg_lease_key *key, int ifindex,
		       const u8 *addr, u8 plen);

enum lg_savi_result {
	LG_SAVI_VALID,
	LG_SAVI_NO_BINDING,
	LG_SAVI_MAC_MISMATCH,
};

enum lg_savi_result lg_binding_validate_rcu(struct lg_net *ln,
					    const struct lg_link *link,
					    const struct in6_addr *addr,
					    const u8 *mac, bool anchor_mac);
const struct lg_binding *lg_binding_lookup_addr_rcu(struct lg_net *ln,
						    int ifindex,
						    const struct in6_addr *addr);

/* For replies: CLOCK_REALTIME seconds of a boottime expiry. */
u32 lg_now(void);
u64 lg_now_real_ms(void);
s64 lg_real_offset(void);
time64_t lg_time_to_real(s64 boottime, s64 offset);

#endif /* _LG_BINDING_H */
