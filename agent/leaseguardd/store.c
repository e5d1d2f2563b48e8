// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's binding store: an SQLite database in WAL mode, one row a
 * binding and one a lease, written in group commits.
 *
 * Changes are queued as they come (one per binding key: a later change
 * replaces an earlier one) and written in one transaction store-delay
 * after the first of the batch, so a burst of thousands of events costs
 * one commit. synchronous=FULL: each commit fsyncs the WAL once, which
 * the batching makes cheap.
 *
 * The loop's due commits run in a writer thread: the loop takes the
 * oldest batch out of the queue, hands it over and goes on reading
 * events on the other CPU; the thread's eventfd tells it the batch is
 * done. One batch at a time, so the file sees the changes in their
 * order; the connection is the thread's alone while it writes, and
 * everything else here (load, reopen, flush, close) waits for it first.
 * A change of a key whose batch is being written is queued anew, and
 * written by the next batch. So:
 *   - a crash of leaseguardd (kill -9) loses the changes queued and not
 *     committed: at most store-delay's worth, and the batch being
 *     written; committed ones are in the WAL, which the next open
 *     replays;
 *   - a power cut loses the same and nothing committed (the WAL was on
 *     the disk before COMMIT returned), as long as the disk honours
 *     flushes; the file is never left inconsistent.
 *
 * What is read back is checked (quick_check, the schema, each row); a
 * damaged file is renamed aside with its -wal and -shm and an empty store
 * started. A full or read-only disk is logged (once a minute) and counted;
 * the batch's changes go back into the queue (but for those a newer
 * change of their key replaced meanwhile) and the next commit tries again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <search.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <linux/leaseguard.h>

#include "lgd.h"
#include "store.h"

/* 'LGBS': the file is leaseguard's binding store (PRAGMA application_id). */
#define LGD_STORE_APP_ID	0x4c474253
#define LGD_STORE_VERSION	1	/* PRAGMA user_version */
#define LGD_STORE_LOG_EVERY	60	/* seconds between two error lines */
#define LGD_STORE_RETRY_MAX	60000	/* ms: the longest back-off */

static const char lgd_store_schema[] =
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
	" restore INTEGER NOT NULL DEFAULT 0,"	/* 1: refused, try again */
	" client_lladdr BLOB,"
	" client_mac BLOB,"
	" server_addr BLOB,"
	" server_duid BLOB,"
	" interface_id BLOB,"
	" created INTEGER NOT NULL,"		/* CLOCK_REALTIME s */
	" updated INTEGER NOT NULL,"
	/* The last server transaction (lgd_store_migrate()). */
	" replied INTEGER NOT NULL DEFAULT 0,"	/* CLOCK_REALTIME ms; 0: unknown */
	" expires INTEGER,"			/* its last lease's; NULL: never */
	" UNIQUE (ifname, duid, ia_type, iaid));"
	"CREATE TABLE lease ("
	" binding INTEGER NOT NULL REFERENCES binding(id) ON DELETE CASCADE,"
	" addr BLOB NOT NULL,"
	" plen INTEGER NOT NULL,"
	" preferred INTEGER NOT NULL,"	/* as granted */
	" valid INTEGER NOT NULL,"
	" expires INTEGER,"			/* NULL: never */
	" PRIMARY KEY (binding, addr, plen)) WITHOUT ROWID;"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;";

enum {
	LGD_SQL_UPSERT,
	LGD_SQL_DEL_LEASES,
	LGD_SQL_ADD_LEASE,
	LGD_SQL_DEL,
	LGD_SQL_META,
	LGD_SQL_COUNT,
	LGD_SQL_IDS,
	LGD_SQL_ID,
	LGD_SQL_N
};

static const char *const lgd_store_sql[LGD_SQL_N] = {
	[LGD_SQL_UPSERT] =
		"INSERT INTO binding (ifname, ifindex, duid, ia_type, iaid,"
		" kernel_id, state, origin, client_lladdr, client_mac,"
		" server_addr, server_duid, interface_id, created, updated,"
		" expires, restore, replied) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
		" ON CONFLICT (ifname, duid, ia_type, iaid) DO UPDATE SET"
		" ifindex = ?2, kernel_id = ?6, state = ?7, origin = ?8,"
		" client_lladdr = ?9, client_mac = ?10, server_addr = ?11,"
		" server_duid = ?12, interface_id = ?13, created = ?14,"
		" updated = ?15, expires = ?16, restore = ?17, replied = ?18",
	[LGD_SQL_DEL_LEASES] = "DELETE FROM lease WHERE binding = ?1",
	[LGD_SQL_ADD_LEASE] =
		"INSERT OR REPLACE INTO lease (binding, addr, plen, preferred,"
		" valid, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* An interface gone unnamed: by the index it had. */
	[LGD_SQL_DEL] =
		"DELETE FROM binding WHERE duid = ?2 AND ia_type = ?3 AND"
		" iaid = ?4 AND (ifname = ?1 OR (?1 = '' AND ifindex = ?5))",
	[LGD_SQL_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
	[LGD_SQL_COUNT] = "SELECT count(*) FROM binding",
	/* A restored binding, written back: only what the kernel gave it. */
	[LGD_SQL_IDS] =
		"UPDATE binding SET ifindex = ?2, kernel_id = ?6, origin = ?8,"
		" restore = 0 WHERE ifname = ?1 AND duid = ?3 AND ia_type = ?4"
		" AND iaid = ?5",
	/*
	 * An updated row's ID. Not RETURNING id: SQLite keeps what it returns
	 * in a temporary table, opened and closed by every statement.
	 */
	[LGD_SQL_ID] =
		"SELECT id FROM binding WHERE ifname = ?1 AND duid = ?2 AND"
		" ia_type = ?3 AND iaid = ?4",
};

struct lgd_store_change {
	uint64_t seq;			/* applied in the order they came */
	bool del;
	bool ids;			/* lgd_store_put_ids(): its IDs only */
	/* Last: a del is allocated with its head alone. */
	struct lgd_store_rec rec;
};

/* What a del keeps of its binding: the key and the IDs. */
#define LGD_STORE_REC_HEAD	offsetof(struct lgd_store_rec, restore_pending)

/*
 * One transaction's changes, out of the queue. The loop fills it and
 * reads the result; the writer thread, between the two, has it alone.
 */
struct lgd_store_batch {
	struct lgd_store_change **v;	/* oldest first */
	size_t n;
	bool capped;			/* more were queued than it took */
	bool meta;			/* the instance, as it was then */
	char instance[64];
	uint64_t created, max_id;
	/* The writer's result. */
	int rc;
	int64_t rows_delta;
	uint64_t us;			/* BEGIN to COMMIT */
};

struct lgd_store {
	char path[PATH_MAX];
	sqlite3 *db;
	int lock_fd;			/* flock()ed: one daemon a store */
	sqlite3_stmt *stmt[LGD_SQL_N];
	uint32_t delay_ms;
	uint32_t retry_ms;		/* after a failed commit */
	struct lgd_timer timer;
	void *pending;			/* tsearch() of changes, by key */
	uint64_t seq;
	char instance[64];
	uint64_t created, max_id;
	bool has_instance;
	void (*on_reset)(void *arg);
	void *reset_arg;
	time_t last_log;
	uint64_t unlogged;		/* errors since the last line */
	/* The last commits' durations (us), a ring: the percentiles. */
	uint32_t lat[LGD_STORE_LAT_N];
	uint64_t n_lat;
	bool hold;			/* lgd_store_hold() */
	struct lgd_store_stats st;
	/* The batch being written; busy: by the thread, until joined. */
	struct lgd_store_batch b;
	bool busy;
	pthread_t thread;
	atomic_bool done;		/* the thread's last word but efd */
	int efd;			/* eventfd: the thread is done */
};

#define lgd_store_of(t) \
	((struct lgd_store *)((char *)(t) - offsetof(struct lgd_store, timer)))

int lgd_store_rec_cmp(const struct lgd_store_rec *a,
		      const struct lgd_store_rec *b)
{
	int c = strcmp(a->ifname, b->ifname);

	if (c)
		return c;
	if (a->duid_len != b->duid_len)
		return a->duid_len < b->duid_len ? -1 : 1;
	c = memcmp(a->duid, b->duid, a->duid_len);
	if (c)
		return c;
	if (a->ia_type != b->ia_type)
		return a->ia_type < b->ia_type ? -1 : 1;
	return a->iaid < b->iaid ? -1 : a->iaid > b->iaid;
}

static int lgd_store_tcmp(const void *a, const void *b)
{
	const struct lgd_store_change *x = a, *y = b;

	return lgd_store_rec_cmp(&x->rec, &y->rec);
}

static int lgd_store_qcmp(const void *a, const void *b)
{
	return lgd_store_rec_cmp(a, b);
}

/* SQLite's words for what went wrong, for the log and the control socket. */
static bool lgd_store_damaged(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ||
	       rc == SQLITE_FORMAT;
}

const char *lgd_store_error_name(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:		return "none";
	case SQLITE_FULL:	return "full";
	case SQLITE_READONLY:	return "read-only";
	case SQLITE_CANTOPEN:	return "cannot-open";
	case SQLITE_IOERR:	return "io-error";
	case SQLITE_NOMEM:	return "no-memory";
	case SQLITE_BUSY:
	case SQLITE_LOCKED:	return "busy";
	case SQLITE_PERM:
	case SQLITE_AUTH:	return "permission";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_FORMAT:	return "damaged";
	}
	return "error";
}

/* A failure: counted always, logged at most once a minute. */
static void lgd_store_fail(struct lgd_store *s, int rc, const char *what)
{
	time_t now = time(NULL);

	s->st.errors++;
	s->st.last_error = rc;
	if (s->last_log && now - s->last_log < LGD_STORE_LOG_EVERY) {
		s->unlogged++;
		return;
	}
	lgd_err("store %s: %s: %s%s (%llu errors; %llu changes wait for the next commit)",
		s->path, what, sqlite3_errstr(rc),
		(rc & 0xff) == SQLITE_FULL ? ": the disk is full" :
		(rc & 0xff) == SQLITE_READONLY ? ": read-only" : "",
		(unsigned long long)s->st.errors,
		(unsigned long long)s->st.pending);
	s->last_log = now;
	s->unlogged = 0;
}

static void lgd_store_close_db(struct lgd_store *s)
{
	int i;

	for (i = 0; i < LGD_SQL_N; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
	sqlite3_close_v2(s->db);
	s->db = NULL;
	s->st.open = false;
	/* After SQLite's: closing any descriptor drops its fcntl() locks. */
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

/* The file and its -wal and -shm, to path.corrupt-TIME[-wal|-shm]. */
static void lgd_store_set_aside(struct lgd_store *s, const char *why)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char to[PATH_MAX + 64], from[PATH_MAX + 8], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	lgd_store_close_db(s);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		snprintf(from, sizeof(from), "%s%s", s->path, sfx[i]);
		snprintf(to, sizeof(to), "%s.corrupt-%s%s", s->path, stamp,
			 sfx[i]);
		if (rename(from, to) && errno != ENOENT && !i)
			lgd_err("store %s: renaming it aside: %s", s->path,
				strerror(errno));
	}
	s->st.set_aside++;
	lgd_err("store %s is damaged (%s): set aside as %s.corrupt-%s; starting with an empty store",
		s->path, why, s->path, stamp);
}

static int lgd_store_exec(struct lgd_store *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

/* A PRAGMA's one value: its text into buf. */
static int lgd_store_pragma(struct lgd_store *s, const char *sql, char *buf,
			    size_t len)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(buf, len, "%s",
			 (const char *)sqlite3_column_text(st, 0) ?: "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		buf[0] = '\0';
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static void lgd_store_count(struct lgd_store *s)
{
	sqlite3_stmt *st = s->stmt[LGD_SQL_COUNT];

	if (sqlite3_step(st) == SQLITE_ROW)
		s->st.rows = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
}

static void lgd_store_read_meta(struct lgd_store *s)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta", -1, &st,
			       NULL))
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);

		if (!k)
			continue;
		if (!strcmp(k, "instance"))
			snprintf(s->instance, sizeof(s->instance), "%s",
				 (const char *)sqlite3_column_text(st, 1) ?: "");
		else if (!strcmp(k, "kernel_created"))
			s->created = sqlite3_column_int64(st, 1);
		else if (!strcmp(k, "kernel_max_id"))
			s->max_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
}

/*
 * A file of version 1 from before LG_BINDING_A_REPLIED has no replied
 * column: it gets one, 0 (unknown) in every row, which a restore leaves
 * out (the kernel then says now). Not a new user_version: the daemon of
 * the version before sets a newer version's file aside, and a downgrade
 * (a package's, which reloads the module) would then restore nothing. Its
 * statements name their columns and ignore this one; only the rows it
 * rewrites keep the replied they had. A table without "updated" is not
 * ours: left alone, for the statements to find out (set aside).
 */
static int lgd_store_migrate(struct lgd_store *s)
{
	sqlite3_stmt *st;
	int rc, has_replied = 0, ours = 0;

	rc = sqlite3_prepare_v2(s->db,
				"SELECT sum(name = 'replied'), sum(name = 'updated')"
				" FROM pragma_table_info('binding')", -1, &st,
				NULL);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		has_replied = sqlite3_column_int(st, 0);
		ours = sqlite3_column_int(st, 1);
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	if (rc || has_replied || !ours)
		return rc;
	lgd_info("store %s: adding the replied column (the bindings' last server transaction)",
		 s->path);
	return lgd_store_exec(s, "ALTER TABLE binding ADD COLUMN"
			      " replied INTEGER NOT NULL DEFAULT 0");
}

/*
 * 0: open; 1: damaged (the caller sets it aside); -1: not now (no
 * directory, read-only, no memory...): tried again at the next commit.
 */
static int lgd_store_try(struct lgd_store *s, const char **why)
{
	char dir[PATH_MAX], val[64], *slash;
	long app_id, version;
	int rc, i;

	snprintf(dir, sizeof(dir), "%s", s->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);	/* /var/lib/leaseguard: may exist */
	}
	*why = "opening";
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc)
		goto fail;
	sqlite3_extended_result_codes(s->db, 1);
	/*
	 * Two daemons (two namespaces) on one store would restore each
	 * other's bindings: the second one does not use it.
	 */
	*why = "locking it";
	s->lock_fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX | LOCK_NB)) {
		rc = errno == EWOULDBLOCK ? SQLITE_BUSY : SQLITE_CANTOPEN;
		if (rc == SQLITE_BUSY)
			*why = "another leaseguardd uses it (give each namespace its own store)";
		goto fail;
	}
	/* The first read of the file: a garbage one fails here. */
	*why = "setting WAL mode";
	rc = lgd_store_pragma(s, "PRAGMA journal_mode = WAL", val,
			      sizeof(val));
	if (!rc && strcmp(val, "wal")) {
		/* A read-only file cannot leave its journal mode. */
		rc = SQLITE_READONLY;
		goto fail;
	}
	if (rc)
		goto fail;
	*why = "checking it";
	rc = lgd_store_pragma(s, "PRAGMA quick_check", val, sizeof(val));
	if (rc)
		goto fail;
	if (strcmp(val, "ok")) {
		*why = "quick_check failed";
		return 1;
	}
	rc = lgd_store_pragma(s, "PRAGMA application_id", val, sizeof(val));
	app_id = rc ? 0 : strtol(val, NULL, 10);
	if (!rc)
		rc = lgd_store_pragma(s, "PRAGMA user_version", val,
				      sizeof(val));
	version = rc ? 0 : strtol(val, NULL, 10);
	if (rc)
		goto fail;
	if (app_id && app_id != LGD_STORE_APP_ID) {
		*why = "not a leaseguard store";
		return 1;
	}
	if (version > LGD_STORE_VERSION) {
		*why = "a newer version's store";
		return 1;
	}
	if (!version) {
		*why = "creating its tables";
		rc = lgd_store_exec(s, "BEGIN");
		if (!rc)
			rc = lgd_store_exec(s, lgd_store_schema);
		if (!rc)
			rc = lgd_store_exec(s, "PRAGMA application_id = 1279738451;"
					    "PRAGMA user_version = 1");
		if (!rc)
			rc = lgd_store_exec(s, "COMMIT");
		if (rc) {
			lgd_store_exec(s, "ROLLBACK");
			/* A file that had tables, but not ours. */
			if ((rc & 0xff) == SQLITE_ERROR) {
				*why = "not a leaseguard store";
				return 1;
			}
			goto fail;
		}
	}
	/* Later versions migrate here, from user_version up. */
	*why = "adding the replied column";
	rc = lgd_store_migrate(s);
	if (rc)
		goto fail;
	*why = "reading its tables";
	for (i = 0; i < LGD_SQL_N; i++) {
		rc = sqlite3_prepare_v3(s->db, lgd_store_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT,
					&s->stmt[i], NULL);
		if (rc) {
			if ((rc & 0xff) == SQLITE_ERROR) {
				*why = "its tables are not leaseguard's";
				return 1;
			}
			goto fail;
		}
	}
	rc = lgd_store_exec(s, "PRAGMA synchronous = FULL;"
			    "PRAGMA foreign_keys = ON");
	if (rc)
		goto fail;
	lgd_store_read_meta(s);
	lgd_store_count(s);
	s->st.open = true;
	return 0;

fail:
	if (lgd_store_damaged(rc)) {
		*why = sqlite3_errstr(rc);
		return 1;
	}
	lgd_store_fail(s, rc, *why);
	lgd_store_close_db(s);
	return -1;
}

static int lgd_store_reopen(struct lgd_store *s)
{
	const char *why;
	int ret;

	ret = lgd_store_try(s, &why);
	if (ret <= 0)
		return ret;
	lgd_store_set_aside(s, why);
	ret = lgd_store_try(s, &why);
	if (ret > 0) {
		/* A fresh file damaged at once: the disk is not ours to trust. */
		lgd_store_fail(s, SQLITE_CORRUPT, why);
		lgd_store_close_db(s);
	}
	return ret ? -1 : 0;
}

static void lgd_store_fire(struct lgd_timer *t)
{
	lgd_store_commit_async(lgd_store_of(t));
}

struct lgd_store *lgd_store_open(const char *path, uint32_t delay_ms)
{
	struct lgd_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->lock_fd = -1;
	/* Without it, batches are written in the loop, as they were. */
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->delay_ms = delay_ms;
	s->timer.fire = lgd_store_fire;
	if (!lgd_store_reopen(s))
		lgd_info("store %s: %llu bindings", s->path,
			 (unsigned long long)s->st.rows);
	return s;
}

void lgd_store_close(struct lgd_store *s)
{
	if (!s)
		return;
	lgd_timer_stop(&s->timer);
	lgd_store_flush(s);
	lgd_store_wait(s);	/* an instance alone is no pending change */
	lgd_timer_stop(&s->timer);
	tdestroy(s->pending, free);
	lgd_store_close_db(s);
	if (s->efd >= 0)
		close(s->efd);
	free(s);
}

void lgd_store_set_delay(struct lgd_store *s, uint32_t delay_ms)
{
	s->delay_ms = delay_ms;
}

const char *lgd_store_path(const struct lgd_store *s)
{
	return s->path;
}

static int lgd_store_u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void lgd_store_get_stats(const struct lgd_store *s, struct lgd_store_stats *st)
{
	uint32_t v[LGD_STORE_LAT_N];
	size_t n = s->n_lat < LGD_STORE_LAT_N ? s->n_lat : LGD_STORE_LAT_N;

	*st = s->st;
	if (!n)
		return;
	memcpy(v, s->lat, n * sizeof(*v));
	qsort(v, n, sizeof(*v), lgd_store_u32cmp);
	/* Nearest rank: the smallest that p% of the commits do not exceed. */
	st->commit_p50_us = v[(n * 50 + 99) / 100 - 1];
	st->commit_p99_us = v[(n * 99 + 99) / 100 - 1];
}

struct lgd_store_stats *lgd_store_stats(struct lgd_store *s)
{
	return &s->st;
}

void lgd_store_instance(struct lgd_store *s, char *instance, size_t len,
			uint64_t *created)
{
	snprintf(instance, len, "%s", s->instance);
	*created = s->created;
}

void lgd_store_set_instance(struct lgd_store *s, const char *instance,
			    uint64_t created, uint64_t max_id)
{
	snprintf(s->instance, sizeof(s->instance), "%s", instance);
	s->created = created;
	s->max_id = max_id;
	s->has_instance = true;
}

void lgd_store_count_created(struct lgd_store *s, uint64_t id)
{
	if (id <= s->max_id)
		return;
	s->max_id = id;
	s->created++;
	s->has_instance = true;
}

void lgd_store_on_reset(struct lgd_store *s, void (*fn)(void *), void *arg)
{
	s->on_reset = fn;
	s->reset_arg = arg;
}

static int lgd_store_queue(struct lgd_store *s, const struct lgd_store_rec *r,
			   bool del, bool ids)
{
	struct lgd_store_change *c, **slot;
	/*
	 * A del: 200 octets, not 780. An ids change is kept whole: it is
	 * written whole if its row is not there.
	 */
	size_t len = del ? LGD_STORE_REC_HEAD : sizeof(*r);

	c = malloc(offsetof(struct lgd_store_change, rec) + len);
	if (!c)
		return -ENOMEM;
	memcpy(&c->rec, r, len);
	slot = tsearch(c, &s->pending, lgd_store_tcmp);
	if (!slot) {
		free(c);
		return -ENOMEM;
	}
	if (*slot != c) {
		/*
		 * The same key: the newer change is the one to write, its IDs
		 * alone only if what was queued before was as little.
		 */
		ids = ids && !(*slot)->del && (*slot)->ids;
		free(*slot);
		*slot = c;	/* an equal key: the tree stays sorted */
	} else {
		s->st.pending++;
	}
	c->del = del;
	c->ids = ids;
	c->seq = s->seq++;
	if (!s->timer.slot)
		lgd_timer_arm(&s->timer, lgd_now_ms() + s->delay_ms);
	return 0;
}

int lgd_store_commit_due(struct lgd_store *s)
{
	int err = 0;

	/* Not even the outcome: a damaged file's reset would resync now. */
	if (s->hold)
		return 0;
	/* Its eventfd waits for the loop's next turn: done is seen now. */
	if (s->busy && atomic_load_explicit(&s->done, memory_order_acquire))
		err = lgd_store_wait(s);
	if (!s->timer.slot || s->timer.when > lgd_now_ms())
		return err;
	return lgd_store_commit_async(s);
}

int lgd_store_put(struct lgd_store *s, const struct lgd_store_rec *r)
{
	return lgd_store_queue(s, r, false, false);
}

int lgd_store_put_ids(struct lgd_store *s, const struct lgd_store_rec *r)
{
	return lgd_store_queue(s, r, false, true);
}

int lgd_store_del(struct lgd_store *s, const struct lgd_store_rec *key)
{
	return lgd_store_queue(s, key, true, false);
}

struct lgd_store_walk {
	struct lgd_store_change **v;
	size_t n;
};

static void lgd_store_walk_cb(const void *node, VISIT which, void *data)
{
	struct lgd_store_walk *w = data;

	if (which == postorder || which == leaf)
		w->v[w->n++] = *(struct lgd_store_change *const *)node;
}

static int lgd_store_seq_cmp(const void *a, const void *b)
{
	const struct lgd_store_change *x = *(const void *const *)a;
	const struct lgd_store_change *y = *(const void *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int lgd_store_bind_blob(sqlite3_stmt *st, int i, bool has,
			       const void *p, size_t len)
{
	if (!has || !len)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_blob(st, i, p, len, SQLITE_STATIC);
}

/* The end of r's last lease; 0: one of them never ends. */
static uint64_t lgd_store_rec_end(const struct lgd_store_rec *r)
{
	uint64_t end = 0;
	size_t i;

	for (i = 0; i < r->n_leases; i++) {
		if (!r->leases[i].expires)
			return 0;
		if (r->leases[i].expires > end)
			end = r->leases[i].expires;
	}
	return end;
}

static int lgd_store_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int lgd_store_write_put(struct lgd_store *s,
			       const struct lgd_store_rec *r)
{
	sqlite3_stmt *st = s->stmt[LGD_SQL_UPSERT];
	uint64_t end = lgd_store_rec_end(r);
	sqlite3_int64 id;
	int rc;
	size_t i;

	sqlite3_bind_text(st, 1, r->ifname, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->ifindex);
	sqlite3_bind_blob(st, 3, r->duid, r->duid_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->ia_type);
	sqlite3_bind_int64(st, 5, r->iaid);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->kernel_id);
	sqlite3_bind_int(st, 7, r->state);
	sqlite3_bind_int(st, 8, r->origin);
	lgd_store_bind_blob(st, 9, r->has_lladdr, r->lladdr, 16);
	lgd_store_bind_blob(st, 10, r->has_mac, r->mac, 6);
	lgd_store_bind_blob(st, 11, r->has_server_addr, r->server_addr, 16);
	lgd_store_bind_blob(st, 12, true, r->server_duid, r->server_duid_len);
	lgd_store_bind_blob(st, 13, true, r->ifid, r->ifid_len);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)r->created);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)r->updated);
	if (end)
		sqlite3_bind_int64(st, 16, (sqlite3_int64)end);
	else
		sqlite3_bind_null(st, 16);
	sqlite3_bind_int(st, 17, r->restore_pending);
	/* Signed in SQLite: the kernel's are at most INT64_MAX. */
	sqlite3_bind_int64(st, 18, r->replied <= INT64_MAX ?
			   (sqlite3_int64)r->replied : 0);
	/*
	 * Only an INSERT sets it (not the UPSERT's UPDATE, nor the lease
	 * table, which has no rowid): a new row, with no leases yet
	 * (foreign_keys deleted any with the row that had its ID).
	 */
	sqlite3_set_last_insert_rowid(s->db, 0);
	rc = lgd_store_step(st);
	if (rc)
		return rc;
	id = sqlite3_last_insert_rowid(s->db);
	if (id) {
		s->b.rows_delta++;
	} else {
		st = s->stmt[LGD_SQL_ID];
		sqlite3_bind_text(st, 1, r->ifname, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, r->duid, r->duid_len, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, r->ia_type);
		sqlite3_bind_int64(st, 4, r->iaid);
		rc = sqlite3_step(st);
		id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? SQLITE_INTERNAL : rc;
		st = s->stmt[LGD_SQL_DEL_LEASES];
		sqlite3_bind_int64(st, 1, id);
		rc = lgd_store_step(st);
	}
	st = s->stmt[LGD_SQL_ADD_LEASE];
	for (i = 0; !rc && i < r->n_leases; i++) {
		const struct lgd_store_lease *l = &r->leases[i];

		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_blob(st, 2, l->addr, 16, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, l->plen);
		sqlite3_bind_int64(st, 4, l->preferred);
		sqlite3_bind_int64(st, 5, l->valid);
		if (l->expires)
			sqlite3_bind_int64(st, 6, (sqlite3_int64)l->expires);
		else
			sqlite3_bind_null(st, 6);
		rc = lgd_store_step(st);
	}
	return rc;
}

static int lgd_store_write_del(struct lgd_store *s,
			       const struct lgd_store_rec *r)
{
	sqlite3_stmt *st = s->stmt[LGD_SQL_DEL];
	int rc;

	sqlite3_bind_text(st, 1, r->ifname, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, r->duid, r->duid_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, r->ia_type);
	sqlite3_bind_int64(st, 4, r->iaid);
	sqlite3_bind_int64(st, 5, r->ifindex);
	rc = lgd_store_step(st);
	if (!rc)
		s->b.rows_delta -= sqlite3_changes(s->db);
	return rc;
}

/* A restored binding's new IDs; the whole of it if its row is not there. */
static int lgd_store_write_ids(struct lgd_store *s,
			       const struct lgd_store_rec *r)
{
	sqlite3_stmt *st = s->stmt[LGD_SQL_IDS];
	int rc;

	sqlite3_bind_text(st, 1, r->ifname, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->ifindex);
	sqlite3_bind_blob(st, 3, r->duid, r->duid_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->ia_type);
	sqlite3_bind_int64(st, 5, r->iaid);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->kernel_id);
	sqlite3_bind_int(st, 8, r->origin);
	rc = lgd_store_step(st);
	if (!rc && !sqlite3_changes(s->db))
		rc = lgd_store_write_put(s, r);
	return rc;
}

static int lgd_store_write_meta(struct lgd_store *s)
{
	sqlite3_stmt *st = s->stmt[LGD_SQL_META];
	int rc;

	if (!s->b.meta)
		return SQLITE_OK;
	sqlite3_bind_text(st, 1, "instance", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->b.instance, -1, SQLITE_STATIC);
	rc = lgd_store_step(st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, "kernel_created", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->b.created);
	rc = lgd_store_step(st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, "kernel_max_id", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->b.max_id);
	return lgd_store_step(st);
}

static uint64_t lgd_store_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int lgd_store_retry(struct lgd_store *s)
{
	uint32_t base = s->delay_ms > 1000 ? s->delay_ms : 1000;

	/* Back off: a full disk does not empty itself every second. */
	s->retry_ms = !s->retry_ms ? base :
		      s->retry_ms >= LGD_STORE_RETRY_MAX / 2 ?
		      LGD_STORE_RETRY_MAX : 2 * s->retry_ms;
	lgd_timer_arm(&s->timer, lgd_now_ms() + s->retry_ms);
	return -EIO;
}

static void lgd_store_keep(void *p)
{
	(void)p;
}

/*
 * The loop's half, before: the oldest LGD_STORE_COMMIT_MAX changes out
 * of the queue into s->b. 1: a batch to write; 0: nothing to write; or
 * -EIO (the file cannot be opened; tried again later).
 */
static int lgd_store_take(struct lgd_store *s)
{
	struct lgd_store_walk w = {};
	size_t i;

	lgd_timer_stop(&s->timer);
	if (!s->db && lgd_store_reopen(s))
		return lgd_store_retry(s);
	/* Nothing in flight: all that is pending is queued. */
	if (!s->st.pending && !s->has_instance)
		return 0;
	w.v = malloc((s->st.pending + 1) * sizeof(*w.v));
	if (!w.v) {
		lgd_store_fail(s, SQLITE_NOMEM, "committing");
		return lgd_store_retry(s);
	}
	twalk_r(s->pending, lgd_store_walk_cb, &w);
	qsort(w.v, w.n, sizeof(*w.v), lgd_store_seq_cmp);
	s->b.capped = w.n > LGD_STORE_COMMIT_MAX;
	if (s->b.capped) {
		w.n = LGD_STORE_COMMIT_MAX;
		for (i = 0; i < w.n; i++)
			tdelete(w.v[i], &s->pending, lgd_store_tcmp);
	} else {
		tdestroy(s->pending, lgd_store_keep);
		s->pending = NULL;
	}
	s->b.v = w.v;
	s->b.n = w.n;
	s->b.meta = s->has_instance;
	memcpy(s->b.instance, s->instance, sizeof(s->b.instance));
	s->b.created = s->created;
	s->b.max_id = s->max_id;
	s->has_instance = false;	/* written: again when it changes */
	return 1;
}

/* The writer's half: s->b in one transaction; its changes freed if written. */
static void lgd_store_write(struct lgd_store *s)
{
	uint64_t t0 = lgd_store_now_us();
	size_t i;
	int rc;

	s->b.rows_delta = 0;
	rc = lgd_store_exec(s, "BEGIN IMMEDIATE");
	for (i = 0; !rc && i < s->b.n; i++)
		rc = s->b.v[i]->del ? lgd_store_write_del(s, &s->b.v[i]->rec) :
		     s->b.v[i]->ids ? lgd_store_write_ids(s, &s->b.v[i]->rec) :
				      lgd_store_write_put(s, &s->b.v[i]->rec);
	if (!rc)
		rc = lgd_store_write_meta(s);
	if (!rc)
		rc = lgd_store_exec(s, "COMMIT");
	if (rc && sqlite3_get_autocommit(s->db) == 0)
		lgd_store_exec(s, "ROLLBACK");
	s->b.us = lgd_store_now_us() - t0;
	s->b.rc = rc;
	if (!rc)
		for (i = 0; i < s->b.n; i++)
			free(s->b.v[i]);
}

/*
 * A batch that failed, back into the queue, as old as it was; but a change
 * of its key queued since is newer and stays, written whole if the one
 * it replaces was more than IDs (lgd_store_queue()'s rule).
 */
static void lgd_store_requeue(struct lgd_store *s)
{
	struct lgd_store_change *c, **slot;
	size_t i;

	for (i = 0; i < s->b.n; i++) {
		c = s->b.v[i];
		slot = tsearch(c, &s->pending, lgd_store_tcmp);
		if (slot && *slot == c)
			continue;
		if (slot)
			(*slot)->ids = (*slot)->ids && !c->del && c->ids;
		else
			lgd_err("store: out of memory: a change is lost");
		free(c);
		s->st.pending--;
	}
	if (s->b.meta)
		s->has_instance = true;
}

/* The loop's half, after: the batch's outcome. 0 or -EIO. */
static int lgd_store_done(struct lgd_store *s)
{
	int rc = s->b.rc;

	if (rc) {
		lgd_store_requeue(s);
		free(s->b.v);
		s->b.v = NULL;
		if (lgd_store_damaged(rc)) {
			/* What it held is lost: the caller writes it again. */
			lgd_store_set_aside(s, sqlite3_errstr(rc));
			s->st.errors++;
			s->st.last_error = rc;
			if (!lgd_store_reopen(s) && s->on_reset)
				s->on_reset(s->reset_arg);
			return lgd_store_retry(s);
		}
		lgd_store_fail(s, rc, "committing");
		return lgd_store_retry(s);
	}
	free(s->b.v);
	s->b.v = NULL;
	if (s->st.errors && s->retry_ms)
		lgd_notice("store %s: committing again after %llu errors",
			   s->path, (unsigned long long)s->st.errors);
	s->retry_ms = 0;
	s->st.committed += s->b.n;
	s->st.commits++;
	s->st.last_commit = time(NULL);
	s->st.last_commit_us = s->b.us;
	if (s->st.last_commit_us > s->st.commit_max_us)
		s->st.commit_max_us = s->st.last_commit_us;
	s->lat[s->n_lat++ % LGD_STORE_LAT_N] =
		s->b.us > UINT32_MAX ? UINT32_MAX : s->b.us;
	s->st.pending -= s->b.n;
	/* Counted as written: a count(*) a commit read every row. */
	s->st.rows += s->b.rows_delta;
	/*
	 * The rest at the loop's next turn, after what waits: 1 ms on, or
	 * lgd_timers_run() would fire it again at once. Also if the timer
	 * fired while the batch was written.
	 */
	if (s->pending && (s->b.capped || !s->timer.slot))
		lgd_timer_arm(&s->timer, lgd_now_ms() + 1);
	return 0;
}

static void *lgd_store_writer(void *arg)
{
	struct lgd_store *s = arg;
	uint64_t one = 1;

	lgd_store_write(s);
	atomic_store_explicit(&s->done, true, memory_order_release);
	/* Cannot fail (a counter of 1); commit_due() would see done anyway. */
	if (write(s->efd, &one, sizeof(one)) < 0)
		return NULL;
	return NULL;
}

/* The eventfd read empty (non-blocking): its one wake-up is spent. */
static void lgd_store_efd_clear(struct lgd_store *s)
{
	uint64_t v;

	if (read(s->efd, &v, sizeof(v)) < 0)
		return;
}

int lgd_store_wait(struct lgd_store *s)
{
	if (!s->busy)
		return 0;
	pthread_join(s->thread, NULL);
	s->busy = false;
	lgd_store_efd_clear(s);
	return lgd_store_done(s);
}

int lgd_store_commit(struct lgd_store *s)
{
	int rc;

	lgd_store_wait(s);
	rc = lgd_store_take(s);
	if (rc <= 0)
		return rc;
	lgd_store_write(s);
	return lgd_store_done(s);
}

int lgd_store_commit_async(struct lgd_store *s)
{
	sigset_t all, old;
	int rc;

	if (s->busy)
		return 0;	/* lgd_store_input() starts the next */
	rc = lgd_store_take(s);
	if (rc <= 0)
		return rc;
	atomic_store_explicit(&s->done, false, memory_order_relaxed);
	/* Signals are the loop's (its signalfd): none for the thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = s->efd < 0 ? -1 :
	     pthread_create(&s->thread, NULL, lgd_store_writer, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		/* No thread: written here, the loop stopped as it was before. */
		lgd_store_write(s);
		return lgd_store_done(s);
	}
	s->busy = true;
	return 0;
}

int lgd_store_fd(const struct lgd_store *s)
{
	return s->efd;
}

int lgd_store_input(struct lgd_store *s)
{
	if (s->busy && atomic_load_explicit(&s->done, memory_order_acquire))
		return lgd_store_wait(s);
	lgd_store_efd_clear(s);	/* lgd_store_commit_due() joined it */
	return 0;
}

int lgd_store_flush(struct lgd_store *s)
{
	int err = 0;

	/* A batch in flight that failed is queued again: tried below. */
	lgd_store_wait(s);
	while (!err && s->st.pending)
		err = lgd_store_commit(s);
	return err;
}

void lgd_store_hold(struct lgd_store *s, bool hold)
{
	s->hold = hold;
}

/* Room for one more row: 0 or -ENOMEM. */
static int lgd_store_grow(struct lgd_store_rec **v, size_t *cap, size_t n)
{
	struct lgd_store_rec *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 256;
	nv = realloc(*v, ncap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static bool lgd_store_col_blob(sqlite3_stmt *st, int col, void *to,
			       size_t min, size_t max, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	size_t n = sqlite3_column_bytes(st, col);

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		*len = 0;
		return true;
	}
	if (n < min || n > max || (n && !p))
		return false;
	memcpy(to, p, n);
	*len = n;
	return true;
}

/*
 * One binding row (columns 0..15, 22 and 23) into r: false if it makes no
 * sense.
 */
static bool lgd_store_read_binding(sqlite3_stmt *st, struct lgd_store_rec *r)
{
	const char *name = (const char *)sqlite3_column_text(st, 1);
	sqlite3_int64 replied;
	size_t n;

	memset(r, 0, sizeof(*r));
	if (!name || !*name || strlen(name) >= sizeof(r->ifname))
		return false;
	strcpy(r->ifname, name);
	r->ifindex = sqlite3_column_int64(st, 2);
	if (!lgd_store_col_blob(st, 3, r->duid, 1, LGD_STORE_DUID_MAX, &n) ||
	    !n)
		return false;
	r->duid_len = n;
	r->ia_type = sqlite3_column_int(st, 4);
	if (r->ia_type != LG_IA_NA && r->ia_type != LG_IA_PD)
		return false;
	r->iaid = sqlite3_column_int64(st, 5);
	r->kernel_id = sqlite3_column_int64(st, 6);
	r->state = sqlite3_column_int(st, 7);
	r->origin = sqlite3_column_int(st, 8);
	if (!lgd_store_col_blob(st, 9, r->lladdr, 16, 16, &n))
		return false;
	r->has_lladdr = n;
	if (!lgd_store_col_blob(st, 10, r->mac, 6, 6, &n))
		return false;
	r->has_mac = n;
	if (!lgd_store_col_blob(st, 11, r->server_addr, 16, 16, &n))
		return false;
	r->has_server_addr = n;
	if (!lgd_store_col_blob(st, 12, r->server_duid, 1, LGD_STORE_DUID_MAX,
				&n))
		return false;
	r->server_duid_len = n;
	if (!lgd_store_col_blob(st, 13, r->ifid, 1, LGD_STORE_IFID_MAX, &n))
		return false;
	r->ifid_len = n;
	r->created = sqlite3_column_int64(st, 14);
	r->updated = sqlite3_column_int64(st, 15);
	r->restore_pending = sqlite3_column_int(st, 22) != 0;
	/* A time that makes no sense is unknown, not a reason to lose it. */
	replied = sqlite3_column_int64(st, 23);
	r->replied = replied > 0 ? (uint64_t)replied : 0;
	return true;
}

static bool lgd_store_read_lease(sqlite3_stmt *st, struct lgd_store_rec *r)
{
	struct lgd_store_lease *l;
	size_t n;

	if (r->n_leases == LGD_STORE_MAX_LEASES)
		return false;
	l = &r->leases[r->n_leases];
	if (!lgd_store_col_blob(st, 17, l->addr, 16, 16, &n) || !n)
		return false;
	l->plen = sqlite3_column_int(st, 18);
	if (l->plen > 128 || (r->ia_type == LG_IA_NA && l->plen != 128))
		return false;
	l->preferred = sqlite3_column_int64(st, 19);
	l->valid = sqlite3_column_int64(st, 20);
	l->expires = sqlite3_column_type(st, 21) == SQLITE_NULL ? 0 :
		     sqlite3_column_int64(st, 21);
	if (l->preferred > l->valid ||
	    (!l->expires && l->valid != LGD_STORE_INFINITE))
		return false;
	r->n_leases++;
	return true;
}

/* The columns lgd_store_read_binding() and _lease() read, a row a lease. */
#define LGD_STORE_ROWS_SQL \
	"SELECT b.id, b.ifname, b.ifindex, b.duid, b.ia_type, b.iaid," \
	" b.kernel_id, b.state, b.origin, b.client_lladdr," \
	" b.client_mac, b.server_addr, b.server_duid, b.interface_id," \
	" b.created, b.updated, l.binding, l.addr, l.plen," \
	" l.preferred, l.valid, l.expires, b.restore, b.replied" \
	" FROM binding b LEFT JOIN lease l ON l.binding = b.id"

/*
 * The bindings of st's rows (LGD_STORE_ROWS_SQL's, ordered by b.id) into
 * *v, *n, with room for reserve of them from the start (no doubling copies
 * of a million rows). A binding that does not make sense, or has no lease,
 * is skipped and counted. st is finalized. 0, -EBADMSG or -EIO.
 */
static int lgd_store_read_rows(struct lgd_store *s, sqlite3_stmt *st,
			       size_t reserve, struct lgd_store_rec **v,
			       size_t *n)
{
	struct lgd_store_rec *out = NULL;
	sqlite3_int64 cur = -1;
	size_t cap = 0, k = 0;
	bool bad = false;
	int rc;

	if (reserve) {
		out = malloc((reserve + 1) * sizeof(*out));
		cap = out ? reserve + 1 : 0;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		if (id != cur) {
			/* The previous one is done: kept if whole. */
			if (k && (bad || !out[k - 1].n_leases)) {
				k--;
				s->st.invalid++;
			}
			cur = id;
			if (lgd_store_grow(&out, &cap, k)) {
				rc = SQLITE_NOMEM;
				break;
			}
			bad = !lgd_store_read_binding(st, &out[k++]);
		}
		if (!bad && sqlite3_column_type(st, 16) != SQLITE_NULL)
			bad = !lgd_store_read_lease(st, &out[k - 1]);
	}
	if (k && (bad || !out[k - 1].n_leases)) {
		k--;
		s->st.invalid++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(out);
		lgd_store_fail(s, rc, "reading it");
		return lgd_store_damaged(rc) ? -EBADMSG : -EIO;
	}
	*v = out;
	*n = k;
	return 0;
}

int lgd_store_load(struct lgd_store *s, struct lgd_store_rec **v, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*v = NULL;
	*n = 0;
	lgd_store_wait(s);	/* the connection is the writer's till then */
	if (!s->db)
		return -EIO;
	rc = sqlite3_prepare_v2(s->db, LGD_STORE_ROWS_SQL " ORDER BY b.id", -1,
				&st, NULL);
	if (rc) {
		lgd_store_fail(s, rc, "reading it");
		return -EIO;
	}
	return lgd_store_read_rows(s, st, s->st.rows, v, n);
}

int lgd_store_load_ifname(struct lgd_store *s, const char *ifname,
			  bool pending, struct lgd_store_rec **v, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*v = NULL;
	*n = 0;
	lgd_store_wait(s);	/* the connection is the writer's till then */
	if (!s->db)
		return -EIO;
	rc = sqlite3_prepare_v2(s->db, LGD_STORE_ROWS_SQL
				" WHERE b.ifname = ?1 AND (?2 = 0 OR b.restore != 0)"
				" ORDER BY b.id", -1, &st, NULL);
	if (rc) {
		lgd_store_fail(s, rc, "reading it");
		return -EIO;
	}
	sqlite3_bind_text(st, 1, ifname, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, pending);
	return lgd_store_read_rows(s, st, 0, v, n);
}

bool lgd_store_rec_expired(const struct lgd_store_rec *r, uint64_t now)
{
	size_t i;

	for (i = 0; i < r->n_leases; i++)
		if (!r->leases[i].expires || r->leases[i].expires > now)
			return false;
	return true;
}

bool lgd_store_remaining(const struct lgd_store_rec *r,
			 const struct lgd_store_lease *l, uint64_t now,
			 uint32_t *preferred, uint32_t *valid)
{
	uint64_t pend;

	if (!l->expires) {
		*valid = LGD_STORE_INFINITE;
		if (l->preferred == LGD_STORE_INFINITE) {
			*preferred = LGD_STORE_INFINITE;
			return true;
		}
		pend = r->updated + l->preferred;
		*preferred = pend > now ? pend - now : 0;
		return true;
	}
	if (l->expires <= now)
		return false;
	*valid = l->expires - now > LGD_STORE_INFINITE - 1 ?
		 LGD_STORE_INFINITE - 1 : l->expires - now;
	/* Granted together: the preferred end is as far before the valid. */
	pend = l->expires - l->valid + l->preferred;
	*preferred = pend > now ? pend - now : 0;
	if (*preferred > *valid)
		*preferred = *valid;
	return true;
}

void lgd_store_plan(struct lgd_store_rec *st, size_t ns,
		    struct lgd_store_rec *k, size_t nk, uint64_t now,
		    bool lost, bool resync, uint8_t *act)
{
	size_t i, j = 0;
	int c;

	/* Either may be NULL and empty, which qsort() must not be given. */
	if (ns)
		qsort(st, ns, sizeof(*st), lgd_store_qcmp);
	if (nk)
		qsort(k, nk, sizeof(*k), lgd_store_qcmp);
	for (i = 0; i < ns; i++) {
		for (c = 1; j < nk && (c = lgd_store_rec_cmp(&k[j], &st[i])) < 0;)
			j++;
		if (!c)
			act[i] = LGD_STORE_IN_KERNEL;
		else if (lgd_store_rec_expired(&st[i], now))
			act[i] = LGD_STORE_DROP_EXPIRED;
		else if (!lost && !st[i].restore_pending)
			act[i] = LGD_STORE_DROP_GONE;
		else if (st[i].state != LG_BINDING_BOUND)
			act[i] = LGD_STORE_DROP_STATE;
		else
			act[i] = resync ? LGD_STORE_KEEP : LGD_STORE_RESTORE;
	}
}
