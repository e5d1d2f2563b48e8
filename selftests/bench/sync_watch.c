// SPDX-License-Identifier: GPL-2.0
/*
 * The failover sync's lag, seen from the two kernels: one process listens
 * to leaseguard's binding notifications in the master's namespace and in
 * the backup's, and stamps each with CLOCK_MONOTONIC when it reads it.
 * Both namespaces share the guest's one clock, so the difference between
 * the master's notification of a binding (what the master's leaseguardd
 * reads too) and the backup's notification of the same binding with
 * origin synced (its leaseguardd made it there) is the sync's lag: the
 * master's leaseguardd reading the event, queueing, the TLS link, the
 * backup's leaseguardd and its LG_CMD_BINDING_NEW. Both sides are read by
 * the same loop, so the listener's own delay is on both stamps.
 *
 *   sync_watch [-i IDLE_S] [-T MAX_S] [-r READY_FILE] MASTER_NS BACKUP_NS N
 *
 * A binding is known by its first lease's address, whose last 32 bits
 * are its number (snoop_bench: 2001:db8:1::i from 0; binding_fill:
 * PREFIX::i from 1); numbers up to N are kept. It writes READY_FILE once
 * both sockets have joined the group, and ends when the backup has all
 * the N the master had, after IDLE_S (default 30) without a new
 * notification on either side once one came, or after MAX_S (default
 * 1800). It prints "bench sync" lines (never judges them):
 *
 *   watch master_seen= backup_seen= matched= lost_master= lost_backup=
 *   rate learn_s= learn_per_s= replicated_s= sync_per_s= tail_s=
 *   lag p50_ms= p90_ms= p99_ms= max_ms= min_ms=
 *   lag_by_tenth p50_ms=a,b,...  (the bindings in the master's order)
 *
 * lost_*: ENOBUFS on a socket (notifications the listener lost; the lag
 * figures are over the matched bindings only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"

struct side {
	const char *ns;
	struct lg_sock s;
	bool backup;		/* counts only origin synced */
	double *t;		/* per binding number, 0: not seen */
	unsigned long seen, lost;
};

static unsigned long n_max;
static double last_event;

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void open_side(struct side *sd)
{
	char path[256];
	int fd, rcvbuf = 256 << 20;

	snprintf(path, sizeof(path), "/run/netns/%s", sd->ns);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "sync_watch: netns %s: %s\n", sd->ns,
			strerror(errno));
		exit(1);
	}
	close(fd);
	if (lg_open(&sd->s) || !sd->s.mcgrp_bindings) {
		fprintf(stderr, "sync_watch: no leaseguard family in %s\n",
			sd->ns);
		exit(1);
	}
	/* A burst of 100k notifications must fit while we are scheduled out. */
	setsockopt(mnl_socket_get_fd(sd->s.nl), SOL_SOCKET, SO_RCVBUFFORCE,
		   &rcvbuf, sizeof(rcvbuf));
	if (lg_join(&sd->s, sd->s.mcgrp_bindings)) {
		fprintf(stderr, "sync_watch: join in %s: %s\n", sd->ns,
			strerror(errno));
		exit(1);
	}
	sd->t = calloc(n_max + 1, sizeof(double));
	if (!sd->t)
		exit(1);
}

struct ctx {
	struct side *sd;
	double now;
};

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct ctx *c = data;
	const struct nlattr *a, *b, *l;
	const uint8_t *addr = NULL;
	uint32_t origin = ~0u;
	unsigned long id;

	if (g->cmd != LG_CMD_BINDING_NEW_NTF && g->cmd != LG_CMD_BINDING_UPD_NTF)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != LG_A_BINDING)
			continue;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case LG_BINDING_A_ORIGIN:
				origin = mnl_attr_get_u32(b);
				break;
			case LG_BINDING_A_LEASE:
				if (addr)
					break;
				mnl_attr_for_each_nested(l, b)
					if (mnl_attr_get_type(l) == LG_LEASE_A_ADDR &&
					    mnl_attr_get_payload_len(l) == 16)
						addr = mnl_attr_get_payload(l);
				break;
			}
		}
	}
	if (!addr)
		return MNL_CB_OK;
	if (c->sd->backup != (origin == LG_BINDING_ORIGIN_SYNCED))
		return MNL_CB_OK;
	id = (unsigned long)addr[12] << 24 | addr[13] << 16 | addr[14] << 8 |
	     addr[15];
	if (id > n_max || c->sd->t[id])
		return MNL_CB_OK;
	c->sd->t[id] = c->now;
	c->sd->seen++;
	last_event = c->now;
	return MNL_CB_OK;
}

/* Everything queued on the socket now. */
static void drain(struct side *sd)
{
	static char buf[1 << 18];
	struct ctx c = { .sd = sd };

	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(sd->s.nl), buf, sizeof(buf),
				   MSG_DONTWAIT);

		if (len < 0) {
			if (errno == ENOBUFS) {
				sd->lost++;
				continue;
			}
			return;
		}
		c.now = mono_s();
		mnl_cb_run(buf, len, 0, 0, ntf_cb, &c);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return -1;
	i = (size_t)(p * (n - 1) + 0.5);
	return v[i];
}

/* Bindings in the master's order, for the lag by tenths. */
struct pair {
	double tm, lag;
};

static int cmp_pair(const void *a, const void *b)
{
	return cmp_d(&((const struct pair *)a)->tm, &((const struct pair *)b)->tm);
}

int main(int argc, char **argv)
{
	struct side m = { .backup = false }, bk = { .backup = true };
	double idle_s = 30, max_s = 1800, t0, m_first = 0, m_last = 0,
	       b_last = 0;
	const char *ready = NULL;
	struct pair *pr;
	double *lag;
	size_t k = 0, i;
	int opt;

	while ((opt = getopt(argc, argv, "i:T:r:")) != -1) {
		switch (opt) {
		case 'i': idle_s = atof(optarg); break;
		case 'T': max_s = atof(optarg); break;
		case 'r': ready = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 3)
		goto usage;
	m.ns = argv[optind];
	bk.ns = argv[optind + 1];
	n_max = strtoul(argv[optind + 2], NULL, 0);
	if (!n_max)
		goto usage;
	open_side(&m);
	open_side(&bk);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	t0 = mono_s();
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = mnl_socket_get_fd(m.s.nl), .events = POLLIN },
			{ .fd = mnl_socket_get_fd(bk.s.nl), .events = POLLIN },
		};
		double now;

		poll(p, 2, 100);
		drain(&m);
		drain(&bk);
		now = mono_s();
		if (m.seen && bk.seen >= m.seen && m.seen >= n_max)
			break;
		if (last_event && now - last_event > idle_s)
			break;
		if (now - t0 > max_s)
			break;
	}

	lag = calloc(n_max + 1, sizeof(*lag));
	pr = calloc(n_max + 1, sizeof(*pr));
	if (!lag || !pr)
		return 1;
	for (i = 0; i <= n_max; i++) {
		if (m.t[i] && (!m_first || m.t[i] < m_first))
			m_first = m.t[i];
		if (m.t[i] > m_last)
			m_last = m.t[i];
		if (bk.t[i] > b_last)
			b_last = bk.t[i];
		if (!m.t[i] || !bk.t[i])
			continue;
		pr[k].tm = m.t[i];
		pr[k].lag = bk.t[i] - m.t[i];
		lag[k] = pr[k].lag;
		k++;
	}
	printf("bench sync watch master_seen=%lu backup_seen=%lu matched=%zu"
	       " lost_master=%lu lost_backup=%lu\n",
	       m.seen, bk.seen, k, m.lost, bk.lost);
	printf("bench sync rate learn_s=%.3f learn_per_s=%.0f replicated_s=%.3f"
	       " sync_per_s=%.0f tail_s=%.3f\n",
	       m_last - m_first,
	       m_last > m_first ? m.seen / (m_last - m_first) : 0,
	       b_last - m_first,
	       b_last > m_first ? bk.seen / (b_last - m_first) : 0,
	       b_last - m_last);
	qsort(lag, k, sizeof(*lag), cmp_d);
	printf("bench sync lag p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f"
	       " min_ms=%.1f\n",
	       pct(lag, k, 0.5) * 1e3, pct(lag, k, 0.9) * 1e3,
	       pct(lag, k, 0.99) * 1e3, k ? lag[k - 1] * 1e3 : -1,
	       k ? lag[0] * 1e3 : -1);
	/* Does the lag grow as the run goes on? The median of each tenth. */
	qsort(pr, k, sizeof(*pr), cmp_pair);
	printf("bench sync lag_by_tenth p50_ms=");
	for (i = 0; i < 10 && k >= 10; i++) {
		size_t a = k * i / 10, b = k * (i + 1) / 10, j;

		for (j = a; j < b; j++)
			lag[j - a] = pr[j].lag;
		qsort(lag, b - a, sizeof(*lag), cmp_d);
		printf("%s%.0f", i ? "," : "", pct(lag, b - a, 0.5) * 1e3);
	}
	printf("\n");
	return 0;

usage:
	fprintf(stderr, "usage: sync_watch [-i IDLE_S] [-T MAX_S] [-r READY_FILE] MASTER_NS BACKUP_NS N\n");
	return 2;
}
