// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's binding store (store.c) alone on the host's CPU, to find
 * where its time goes (perf record on it) without a VM:
 *
 *   store_micro [N [DIR]]
 *
 * N (100000) bindings put and committed (the slices of a stream), the
 * same N put again with only their kernel ID changed, as whole rows
 * (lgd_store_put) and as a restore's notifications (lgd_store_put_ids),
 * then read back (a reconcile's load). Prints each phase's time; DIR
 * (/tmp) holds the file.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/leaseguard.h>

#include "lgd.h"
#include "store.h"

static uint64_t now_ms = 1000000;

uint64_t lgd_now_ms(void)
{
	return now_ms;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void mkrec(struct lgd_store_rec *r, unsigned int i, uint64_t kid)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->ifname, sizeof(r->ifname), "acc0");
	r->ifindex = 10;
	r->kernel_id = kid;
	r->duid_len = 10;
	r->duid[1] = 3;
	r->duid[3] = 1;
	memcpy(r->duid + 6, &i, sizeof(i));
	r->ia_type = LG_IA_NA;
	r->iaid = 1;
	r->state = LG_BINDING_BOUND;
	r->origin = LG_BINDING_ORIGIN_SNOOPED;
	r->has_lladdr = true;
	r->lladdr[0] = 0xfe;
	r->lladdr[1] = 0x80;
	r->has_mac = true;
	memcpy(r->mac, "\x02\x00\x00\x00\x01\x02", 6);
	r->has_server_addr = true;
	r->server_addr[0] = 0x20;
	r->server_addr[15] = 2;
	r->server_duid_len = 10;
	memset(r->server_duid, 0x5a, 10);
	r->created = 1800000000 - 600;
	r->updated = 1800000000 - 600;
	r->n_leases = 1;
	r->leases[0].addr[0] = 0x20;
	r->leases[0].addr[1] = 0x01;
	memcpy(r->leases[0].addr + 12, &i, sizeof(i));
	r->leases[0].plen = 128;
	r->leases[0].preferred = 1800;
	r->leases[0].valid = 3600;
	r->leases[0].expires = 1800003000;
}

static double put_all(struct lgd_store *s, unsigned int n, uint64_t kid0,
		      int (*put)(struct lgd_store *,
				 const struct lgd_store_rec *))
{
	struct lgd_store_rec r;
	double t0 = now_s();
	unsigned int i;

	for (i = 0; i < n; i++) {
		mkrec(&r, i, kid0 + i);
		put(s, &r);
		/* A stream's slices: a commit each LGD_STORE_COMMIT_MAX. */
		if (lgd_store_stats(s)->pending >= LGD_STORE_COMMIT_MAX)
			lgd_store_commit(s);
	}
	lgd_store_flush(s);
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? atoi(argv[1]) : 100000;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	struct lgd_store_stats st;
	struct lgd_store_rec *v;
	struct lgd_store *s;
	char path[256];
	double t, t0;
	size_t k;

	snprintf(path, sizeof(path), "%s/store_micro.%d.db", dir, getpid());
	s = lgd_store_open(path, 1000);
	if (!s)
		return 1;
	lgd_store_commit(s);
	t = put_all(s, n, 1, lgd_store_put);
	lgd_store_get_stats(s, &st);
	printf("write %u: %.3f s (%.1f us a binding), rows %llu, commits %llu, p50 %llu us\n",
	       n, t, t * 1e6 / n, (unsigned long long)st.rows,
	       (unsigned long long)st.commits,
	       (unsigned long long)st.commit_p50_us);
	t = put_all(s, n, 1 + n, lgd_store_put);
	lgd_store_get_stats(s, &st);
	printf("rewrite %u (kernel_id only, put): %.3f s (%.1f us a binding), rows %llu\n",
	       n, t, t * 1e6 / n, (unsigned long long)st.rows);
	t = put_all(s, n, 1 + 2 * n, lgd_store_put_ids);
	lgd_store_get_stats(s, &st);
	printf("rewrite %u (kernel_id only, put_ids): %.3f s (%.1f us a binding), rows %llu\n",
	       n, t, t * 1e6 / n, (unsigned long long)st.rows);
	t0 = now_s();
	if (lgd_store_load(s, &v, &k))
		return 1;
	t = now_s() - t0;
	printf("load %zu: %.3f s (%.2f us a binding)\n", k, t, t * 1e6 / k);
	free(v);
	lgd_store_close(s);
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = 0;
	strcat(path, "-shm");
	unlink(path);
	return 0;
}
