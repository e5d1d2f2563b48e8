/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leaseguardd's durable binding store (store.c): every binding the kernel
 * notifies, written to an SQLite database in WAL mode in group commits,
 * and read back at start to restore what a module reload or a reboot
 * lost (store_sync.c: the kernel's side).
 */
#ifndef LGD_STORE_H
#define LGD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#define LGD_STORE_DEFAULT	"/var/lib/leaseguard/bindings.db"
#define LGD_STORE_DELAY_DEFAULT	1	/* seconds */
#define LGD_STORE_DELAY_MAX	300
/* The kernel keeps 4 (DHCP6_MAX_LEASES): room to grow, 730 octets a row. */
#define LGD_STORE_MAX_LEASES	8
#define LGD_STORE_DUID_MAX	130
/* A longer Interface-Id is not kept (LG_CMD_BINDING_NEW takes 32). */
#define LGD_STORE_IFID_MAX	64
/* A lease of valid lifetime 0xffffffff never expires. */
#define LGD_STORE_INFINITE	0xffffffffu

struct lgd_store_lease {
	uint8_t addr[16];
	uint8_t plen;
	uint32_t preferred;		/* seconds, as granted */
	uint32_t valid;			/* seconds, as granted */
	uint64_t expires;		/* CLOCK_REALTIME s; 0: never */
};

/*
 * One binding as the store keeps it. The key is (ifname, duid, ia_type,
 * iaid): an interface's name survives a reboot, its index may not.
 */
struct lgd_store_rec {
	char ifname[IF_NAMESIZE];
	uint32_t ifindex;		/* as it was when written */
	uint64_t kernel_id;		/* the kernel's ID, when written */
	uint8_t duid_len;
	uint8_t duid[LGD_STORE_DUID_MAX];
	uint8_t ia_type;		/* enum lg_ia_type */
	uint32_t iaid;
	uint8_t state;			/* enum lg_binding_state */
	uint8_t origin;			/* enum lg_binding_origin */
	/* The kernel lost it and a restore was refused: tried again. */
	bool restore_pending;
	bool has_lladdr, has_mac, has_server_addr;
	uint8_t lladdr[16];
	uint8_t mac[6];
	uint8_t server_addr[16];
	uint8_t server_duid_len;
	uint8_t server_duid[LGD_STORE_DUID_MAX];
	uint8_t ifid_len;
	uint8_t ifid[LGD_STORE_IFID_MAX];
	uint64_t created, updated;	/* CLOCK_REALTIME seconds */
	uint64_t replied; /* CLOCK_REALTIME ms; 0: unknown */
	uint8_t n_leases;
	struct lgd_store_lease leases[LGD_STORE_MAX_LEASES];
};

/*
 * Changes one transaction writes at most: a synchronous commit stops the
 * daemon's loop, and a batch in the writer thread keeps the next waiting
 * (about 5 us a new binding on a 2020s CPU, 30 times that under TCG;
 * store_micro in selftests/bench measures it).
 */
#define LGD_STORE_COMMIT_MAX	8192
/* Commits whose durations give the percentiles (lgd_store_get_stats). */
#define LGD_STORE_LAT_N		1024

struct lgd_store_stats {
	bool open;			/* false: off, or not opened yet */
	uint64_t rows;			/* bindings in the file */
	uint64_t pending;		/* changes not committed yet (queued, in flight) */
	uint64_t commits;		/* transactions committed */
	uint64_t committed;		/* changes in them */
	uint64_t last_commit;		/* CLOCK_REALTIME s; 0: none yet */
	uint64_t last_commit_us;	/* how long it took */
	/* Of the last LGD_STORE_LAT_N commits; max: of all since start. */
	uint64_t commit_p50_us, commit_p99_us, commit_max_us;
	uint64_t errors;		/* commits or opens that failed */
	int last_error;			/* SQLite's code; 0: none */
	uint64_t set_aside;		/* damaged files renamed */
	uint64_t invalid;		/* rows read that made no sense */
	/* The last reconcile's outcome (store_sync.c). */
	uint64_t restored, refused, written, dropped;
};

struct lgd_store;

/*
 * Opens (creates) the store at path; changes are committed delay_ms after
 * the first of a batch. A damaged file is renamed to path.corrupt-TIME
 * (with its -wal and -shm) and an empty store started. A file that cannot
 * be opened at all (read-only, missing directory) is tried again at each
 * commit. NULL only without memory.
 */
struct lgd_store *lgd_store_open(const char *path, uint32_t delay_ms);
/* Commits all that is pending (lgd_store_flush), then closes. */
void lgd_store_close(struct lgd_store *s);
void lgd_store_set_delay(struct lgd_store *s, uint32_t delay_ms);
const char *lgd_store_path(const struct lgd_store *s);
void lgd_store_get_stats(const struct lgd_store *s, struct lgd_store_stats *st);
struct lgd_store_stats *lgd_store_stats(struct lgd_store *s);
/* last_error as one word: none, full, read-only, damaged, cannot-open... */
const char *lgd_store_error_name(int rc);

/* Queue the binding (put) or its removal (del, by key) for the next commit. */
int lgd_store_put(struct lgd_store *s, const struct lgd_store_rec *r);
int lgd_store_del(struct lgd_store *s, const struct lgd_store_rec *key);
/*
 * r as the store has it already but for its ifindex, kernel_id and origin
 * (a restored binding's notification): the commit updates only those, and
 * clears its pending restore. A change of the key queued before and not
 * of this kind makes it a put.
 */
int lgd_store_put_ids(struct lgd_store *s, const struct lgd_store_rec *r);
/*
 * Writes what is queued, in one transaction, now, and returns when it is
 * committed (after the batch in flight, if one is): at most
 * LGD_STORE_COMMIT_MAX changes, the oldest; the rest at the loop's next
 * turn (the timer, armed 1 ms on). 0, or -EIO (logged at most once a
 * minute, counted); the changes go back into the queue for the next, but
 * for those a newer change of their key replaced.
 */
int lgd_store_commit(struct lgd_store *s);
/*
 * The same batch, written by a writer thread while the loop goes on: one
 * batch at a time (none started while one is in flight). Its outcome is
 * taken by lgd_store_input() (when lgd_store_fd() is readable),
 * lgd_store_commit_due() or lgd_store_wait(), as lgd_store_commit()'s
 * would be. Without a thread, written at once. The timer's commits are
 * these. 0, or -EIO (the file could not be opened).
 */
int lgd_store_commit_async(struct lgd_store *s);
/*
 * The batch in flight, if any, waited for and its outcome taken: then no
 * thread uses the connection. 0, or -EIO as lgd_store_commit().
 */
int lgd_store_wait(struct lgd_store *s);
/* An eventfd in the loop's epoll set: readable when a batch is written. */
int lgd_store_fd(const struct lgd_store *s);
int lgd_store_input(struct lgd_store *s);
/* lgd_store_commit() until nothing is queued or in flight, or an error. */
int lgd_store_flush(struct lgd_store *s);
/*
 * While held, lgd_store_commit_due() does not commit: a restore's
 * notifications are written after it, not in its way (the store has
 * those bindings already).
 */
void lgd_store_hold(struct lgd_store *s, bool hold);
/*
 * lgd_store_commit_async() if the batch is due, after taking the outcome
 * of the one in flight if it is done: called after each event, as a
 * stream at full rate keeps the daemon's loop reading its socket and off
 * its timers (and its epoll set), and the batch would grow until the
 * stream ends.
 */
int lgd_store_commit_due(struct lgd_store *s);
/*
 * Every row, into a malloc'ed array (rows that make no sense skipped),
 * after the batch in flight.
 */
int lgd_store_load(struct lgd_store *s, struct lgd_store_rec **v, size_t *n);
/*
 * The rows of interface ifname (only those whose restore is pending, if
 * pending), as lgd_store_load() gives them: by the name's index, not a
 * scan of the store.
 */
int lgd_store_load_ifname(struct lgd_store *s, const char *ifname,
			  bool pending, struct lgd_store_rec **v, size_t *n);

/*
 * Which kernel instance the store follows: a string that names it (the
 * machine's boot_id and the family's ID) and a lower bound of the kernel's
 * LG_STATS_A_BINDINGS_CREATED. Written with each commit; "" and 0 when the
 * file has none.
 */
void lgd_store_instance(struct lgd_store *s, char *instance, size_t len,
			uint64_t *created);
void lgd_store_set_instance(struct lgd_store *s, const char *instance,
			    uint64_t created, uint64_t max_id);
/*
 * A NEW notification of binding id: one more created, if its ID is above
 * any seen since the last set_instance (one from before is counted there).
 */
void lgd_store_count_created(struct lgd_store *s, uint64_t id);
/*
 * fn(arg) when a damaged file was set aside while running: the new one
 * needs the kernel's bindings again.
 */
void lgd_store_on_reset(struct lgd_store *s, void (*fn)(void *), void *arg);

/*
 * The reconcile's decisions, with no kernel and no file: what to do with
 * each binding of the store (st[0..ns)) given the kernel's (k[0..nk)) at
 * now (CLOCK_REALTIME s). Every kernel binding is written (the kernel wins
 * where both have it). lost: the kernel lost its bindings (a reload, a
 * reboot): those of the store it does not have are restored; otherwise
 * they went away while leaseguardd was not looking and are dropped, but
 * for those whose restore is pending (refused before). resync (after lost
 * events): nothing is restored, pending ones are kept. Both arrays are
 * sorted by key; act[i] is st[i]'s.
 */
enum lgd_store_act {
	LGD_STORE_IN_KERNEL = 1,	/* the kernel's copy is written */
	LGD_STORE_RESTORE,		/* LG_CMD_BINDING_NEW, then kept */
	LGD_STORE_DROP_EXPIRED,		/* every lease past its valid */
	LGD_STORE_DROP_GONE,		/* deleted while we were away */
	LGD_STORE_DROP_STATE,		/* was not bound (releasing) */
	LGD_STORE_KEEP,			/* pending, not now (resync) */
};

void lgd_store_plan(struct lgd_store_rec *st, size_t ns,
		    struct lgd_store_rec *k, size_t nk, uint64_t now,
		    bool lost, bool resync, uint8_t *act);
int lgd_store_rec_cmp(const struct lgd_store_rec *a,
		      const struct lgd_store_rec *b);
/* Every lease of r ended by now. */
bool lgd_store_rec_expired(const struct lgd_store_rec *r, uint64_t now);
/*
 * What is left of lease l at now, as LG_CMD_BINDING_NEW wants it; false
 * if it has ended.
 */
bool lgd_store_remaining(const struct lgd_store_rec *r,
			 const struct lgd_store_lease *l, uint64_t now,
			 uint32_t *preferred, uint32_t *valid);

/* store_sync.c: the kernel's side. */
struct lgd_ctx;
struct lg_binding;
struct nlattr;
struct nlmsghdr;

/*
 * LG_CMD_BINDING_NEW of r on ifindex, what is left of it at now
 * (CLOCK_REALTIME s), into nlh (a request header): false if no lease is
 * left. Its REPLIED is r's, if known.
 */
bool lgd_store_restore_msg(struct nlmsghdr *nlh, const struct lgd_store_rec *r,
			   uint32_t ifindex, uint64_t now);

/*
 * A binding notification (cmd LG_CMD_BINDING_{NEW,UPD,DEL}_NTF, nest its
 * LG_A_BINDING, lb parsed from it) queued for the store.
 */
void lgd_store_event(struct lgd_ctx *x, uint8_t cmd,
		     const struct nlattr *nest, const struct lg_binding *lb);
/*
 * lb (a notification's) is a binding a restore of ours is making now:
 * origin restored, its key one the restore sends. Not an
 * administrator's (lgctl binding add: origin restored too), which the
 * failover partner is sent.
 */
bool lgd_store_restoring(const struct lg_binding *lb);
/*
 * At start, and when the family comes back after a module reload: the
 * kernel's bindings are written; the store's that the kernel lost are
 * restored (LG_CMD_BINDING_NEW), if the kernel is a new instance (another
 * boot, a reload), else dropped; expired ones dropped. 0 or -errno (the
 * kernel could not be read; logged).
 */
int lgd_store_reconcile(struct lgd_ctx *x);
/* After lost events: the store becomes the kernel's, nothing restored. */
int lgd_store_resync(struct lgd_ctx *x);
/*
 * Interface name (ifindex) appeared, got this name, or became an access
 * interface (why: "appeared", "made access", for the log): the store's
 * rows of it whose restore is pending (its interface did not exist, or
 * was not an access one, at the reconcile) are restored now, if it is an
 * access interface; expired ones dropped, those the kernel has written
 * as its. 0 or -errno.
 */
int lgd_store_restore_link(struct lgd_ctx *x, uint32_t ifindex,
			   const char *name, const char *why);

#endif /* LGD_STORE_H */
