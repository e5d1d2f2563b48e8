// SPDX-License-Identifier: GPL-2.0
/*
 * Access-route benchmark: how fast leaseguardd's route installer
 * (agent/leaseguardd/routes.c, linked in) adds, dumps and deletes the routes of N
 * bindings. No module is needed: it talks rtnetlink only, in a network
 * namespace of its own.
 *
 *   netns: lo, lgb0 (dummy, up, 2001:db8:ffff::1/64)
 *   binding i (1..N):  2001:db8:1::<i>/128 dev lgb0               (IA_NA)
 *               -p:    2001:db8:8000::/33 + i/56 via fe80::1:<i> dev lgb0
 *                                                                 (IA_PD)
 *
 * Three ways of calling lgd_routes_change(), each timed for add, then
 * lgd_routes_dump, then delete (setup is not timed):
 *
 *   batched  all the routes in one call, as leaseguardd's start-up sync
 *            does; routes.c batches them into as few sendmsg() as fit;
 *   chunk    calls of C routes (-c), as a caller that bounds its batches;
 *   single   one route per call, for the first S bindings (-s).
 *
 * After each add, the dump must return exactly the routes added, and after
 * each delete none. A mode that fails prints "bench routes FAIL ...", the
 * namespace is made anew and the next mode runs; the exit status is then 1.
 *
 * Usage: routes_bench [-n N] [-p] [-r ROUNDS] [-c C] [-s S]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#include "lgd.h"

#define DEV		"lgb0"
#define TARGET_PER_S	50000.0
#define MAX_ROUNDS	16

static struct lgd_routes *rts;
static struct lgd_conf conf;
static uint32_t ifindex;
static const char *dev_type = "dummy";

/* The routes of bindings 1..n, as leaseguardd's lgd_binding_routes(). */
static struct lgd_route *make_routes(unsigned long n, bool pd, size_t *count)
{
	struct lgd_route *v = calloc(n * (pd ? 2 : 1), sizeof(*v));
	static const uint8_t na[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x80 };
	static const uint8_t ll[16] = { 0xfe, 0x80, [11] = 1 };
	unsigned long i;
	size_t k = 0;

	if (!v)
		die("calloc");
	for (i = 1; i <= n; i++) {
		struct lgd_route *rt = &v[k++];

		memcpy(rt->dst, na, 16);
		rt->dst[12] = i >> 24;
		rt->dst[13] = i >> 16;
		rt->dst[14] = i >> 8;
		rt->dst[15] = i;
		rt->plen = 128;
		rt->ifindex = ifindex;
		if (!pd)
			continue;
		rt = &v[k++];
		memcpy(rt->dst, pfx, 16);	/* 23 bits of i in bits 33..55 */
		rt->dst[4] |= (i >> 16) & 0x7f;
		rt->dst[5] = i >> 8;
		rt->dst[6] = i;
		rt->plen = 56;
		rt->ifindex = ifindex;
		rt->has_gw = true;
		memcpy(rt->gw, ll, 16);		/* fe80::1:<i> */
		rt->gw[12] = i >> 24;
		rt->gw[13] = i >> 16;
		rt->gw[14] = i >> 8;
		rt->gw[15] = i;
	}
	*count = k;
	return v;
}

static int qcmp(const void *a, const void *b)
{
	return lgd_route_cmp(a, b);
}

/* A fresh namespace with lo and the dummy, and a route socket in it. */
static void setup(void)
{
	if (rts)
		lgd_routes_close(rts);
	/* The last namespace goes away with its socket. */
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	/* No DAD, no router solicitations: nothing moves while we measure. */
	sysctl_w("net/ipv6/conf/default/accept_dad", "0");
	sysctl_w("net/ipv6/conf/default/router_solicitations", "0");
	/*
	 * A dummy, as in the VM. A host (or container) without the dummy
	 * module gets a bridge without ports, for trying the bench out.
	 */
	if (system("ip link add " DEV " type dummy 2>/dev/null")) {
		run("ip link add " DEV " type bridge");
		dev_type = "bridge";
	}
	run("set -e; ip link set lo up; ip link set " DEV " up;"
	    " ip -6 addr add 2001:db8:ffff::1/64 dev " DEV " nodad");
	/* Each namespace numbers from 1: the routes made for the first fit. */
	if (ifindex && if_nametoindex(DEV) != ifindex)
		die("ifindex of " DEV " changed");
	ifindex = if_nametoindex(DEV);
	if (!ifindex)
		die("if_nametoindex " DEV);
	rts = lgd_routes_open(&conf);
	if (!rts)
		exit(1);
}

/* How many of our routes there are now, or -errno. */
static long count_routes(void)
{
	struct lgd_route *v = NULL;
	size_t got = 0;
	int err = lgd_routes_dump(rts, &v, &got);

	free(v);
	return err ? err : (long)got;
}

/*
 * Dumps our routes into *dt seconds and checks them against sorted[0..n).
 * Returns true if they are exactly those.
 */
static bool dump_check(const char *mode, const char *when,
		       const struct lgd_route *sorted, size_t n, double *dt)
{
	struct lgd_route *v = NULL;
	size_t got = 0, i;
	double t0;
	bool ok = true;
	int err;

	t0 = now_s();
	err = lgd_routes_dump(rts, &v, &got);
	*dt = now_s() - t0;
	if (err) {
		printf("bench routes FAIL mode=%s dump %s: %s\n", mode, when,
		       strerror(-err));
		return false;
	}
	if (got != n) {
		printf("bench routes FAIL mode=%s dump %s: %zu routes, not %zu\n",
		       mode, when, got, n);
		ok = false;
	}
	qsort(v, got, sizeof(*v), qcmp);
	for (i = 0; ok && i < n; i++)
		if (lgd_route_cmp(&v[i], &sorted[i])) {
			char a[160], b[160];

			printf("bench routes FAIL mode=%s dump %s: %s where %s\n",
			       mode, when, lgd_route_str(&v[i], a, sizeof(a)),
			       lgd_route_str(&sorted[i], b, sizeof(b)));
			ok = false;
		}
	free(v);
	return ok;
}

/* Calls lgd_routes_change() on v[0..n) with @per routes a call. */
static bool change(const char *mode, const struct lgd_route *v, size_t n,
		   size_t per, bool add, double *dt, size_t *calls)
{
	size_t i, k;
	double t0;
	int ret;

	*calls = 0;
	t0 = now_s();
	for (i = 0; i < n; i += k) {
		k = n - i < per ? n - i : per;
		ret = lgd_routes_change(rts, v + i, k, add);
		++*calls;
		if (ret) {
			*dt = now_s() - t0;
			printf("bench routes FAIL mode=%s %s: lgd_routes_change"
			       " of routes [%zu, %zu) returned %d (%s); %ld"
			       " routes installed, %zu wanted\n", mode,
			       add ? "add" : "del", i, i + k, ret,
			       ret < 0 ? strerror(-ret) : "routes failed",
			       count_routes(), add ? n : 0);
			return false;
		}
	}
	*dt = now_s() - t0;
	return true;
}

struct figures {
	int rounds;
	size_t n_bindings, routes, per, calls;
	double add[MAX_ROUNDS], dump[MAX_ROUNDS], del[MAX_ROUNDS];
	double add_med, dump_med, del_med, add_best;
};

/*
 * ROUNDS of add, dump, delete, dump of v[0..n) in calls of @per routes.
 * Returns whether all went right; on failure the namespace is made anew.
 */
static bool measure(const char *mode, struct figures *f,
		    const struct lgd_route *v, const struct lgd_route *sorted,
		    size_t per, int rounds)
{
	size_t n = f->routes, calls;
	double empty_s;
	int r;

	f->per = per;
	f->rounds = 0;
	for (r = 0; r < rounds; r++) {
		if (!change(mode, v, n, per, true, &f->add[r], &calls) ||
		    !dump_check(mode, "after add", sorted, n, &f->dump[r]) ||
		    !change(mode, v, n, per, false, &f->del[r], &calls) ||
		    !dump_check(mode, "after del", NULL, 0, &empty_s)) {
			setup();
			return false;
		}
		f->calls = calls;
		f->rounds++;
		printf("bench routes n=%zu routes=%zu mode=%s round=%d"
		       " per_call=%zu calls=%zu add_s=%.3f add_per_s=%.0f"
		       " dump_s=%.3f dump_per_s=%.0f del_s=%.3f del_per_s=%.0f"
		       " dump_after_del_s=%.3f ok=1\n", f->n_bindings, n, mode,
		       r + 1, per, calls, f->add[r], n / f->add[r], f->dump[r],
		       n / f->dump[r], f->del[r], n / f->del[r], empty_s);
	}
	f->add_med = median(f->add, rounds);
	f->add_best = vmin(f->add, rounds);
	f->dump_med = median(f->dump, rounds);
	f->del_med = median(f->del, rounds);
	printf("bench routes n=%zu routes=%zu mode=%s add: %zu in %.3f s ="
	       " %.0f routes/s (best %.0f)\n", f->n_bindings, n, mode, n,
	       f->add_med, n / f->add_med, n / f->add_best);
	printf("bench routes n=%zu routes=%zu mode=%s dump: %zu in %.3f s ="
	       " %.0f routes/s\n", f->n_bindings, n, mode, n, f->dump_med,
	       n / f->dump_med);
	printf("bench routes n=%zu routes=%zu mode=%s del: %zu in %.3f s ="
	       " %.0f routes/s\n", f->n_bindings, n, mode, n, f->del_med,
	       n / f->del_med);
	return true;
}

static void usage(void)
{
	fprintf(stderr, "usage: routes_bench [-n N] [-p] [-r ROUNDS] [-c C] [-s S]\n"
		"  -n N       bindings (default 100000)\n"
		"  -p         each binding also has a /56 via its link-local\n"
		"  -r ROUNDS  rounds of batched and of chunk (default 3)\n"
		"  -c C       routes per call in chunk mode (default 128, 0: no"
		" chunk mode)\n"
		"  -s S       bindings for one route per call (default 10000,"
		" 0: none)\n");
	exit(2);
}

static double ratio(const struct figures *a, double a_s,
		    const struct figures *b, double b_s)
{
	return (a->routes / a_s) / (b->routes / b_s);
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, s = 10000, chunk = 128;
	struct figures batched = { 0 }, chunked = { 0 }, single = { 0 };
	bool ok_b, ok_c = false, ok_s = false, pd = false;
	struct lgd_route *v, *sorted;
	char chunk_mode[32];
	int opt, rounds = 3;
	size_t count, per_binding;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "n:pr:c:s:h")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'p': pd = true; break;
		case 'r': rounds = atoi(optarg); break;
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 's': s = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc || !n || n > 0x7fffff || s > n || rounds < 1 ||
	    rounds > MAX_ROUNDS)
		usage();
	per_binding = pd ? 2 : 1;

	lgd_log_init(LOG_WARNING, false);
	lgd_conf_defaults(&conf);
	setup();

	v = make_routes(n, pd, &count);
	sorted = malloc(count * sizeof(*sorted));
	if (!sorted)
		die("malloc");
	memcpy(sorted, v, count * sizeof(*v));
	qsort(sorted, count, sizeof(*sorted), qcmp);

	printf("bench routes setup n=%lu pd=%d routes=%zu rounds=%d chunk=%lu"
	       " single_n=%lu single_routes=%zu dev=%s table=%u metric=%u"
	       " protocol=%u\n", n, pd, count, rounds, chunk, s,
	       s * per_binding, dev_type, conf.route_table, conf.route_metric,
	       conf.route_protocol);
	if (count_routes() != 0) {
		printf("bench routes FAIL routes of ours before the start\n");
		return 1;
	}

	batched.n_bindings = chunked.n_bindings = n;
	batched.routes = chunked.routes = count;
	ok_b = measure("batched", &batched, v, sorted, count, rounds);
	snprintf(chunk_mode, sizeof(chunk_mode), "chunk%lu", chunk);
	if (chunk)
		ok_c = measure(chunk_mode, &chunked, v, sorted, chunk, rounds);
	if (s) {
		/* The first s bindings' routes lead v; sorted is remade. */
		single.n_bindings = s;
		single.routes = s * per_binding;
		memcpy(sorted, v, single.routes * sizeof(*v));
		qsort(sorted, single.routes, sizeof(*sorted), qcmp);
		ok_s = measure("single", &single, v, sorted, 1, 1);
	}

	if (ok_b && ok_s)
		printf("bench routes batched_vs_single add_ratio=%.2f"
		       " del_ratio=%.2f\n",
		       ratio(&batched, batched.add_med, &single, single.add_med),
		       ratio(&batched, batched.del_med, &single, single.del_med));
	if (ok_c && ok_s)
		printf("bench routes %s_vs_single add_ratio=%.2f del_ratio=%.2f\n",
		       chunk_mode,
		       ratio(&chunked, chunked.add_med, &single, single.add_med),
		       ratio(&chunked, chunked.del_med, &single, single.del_med));
	if (ok_b)
		printf("bench routes n=%lu routes=%zu target mode=batched"
		       " add_per_s=%.0f target=>=%.0f met=%s\n", n, count,
		       count / batched.add_med, TARGET_PER_S,
		       count / batched.add_med >= TARGET_PER_S ? "yes" : "no");
	else
		printf("bench routes n=%lu routes=%zu target mode=batched"
		       " add_per_s=failed target=>=%.0f met=no\n", n, count,
		       TARGET_PER_S);
	if (ok_c)
		printf("bench routes n=%lu routes=%zu target mode=%s"
		       " add_per_s=%.0f target=>=%.0f met=%s\n", n, count,
		       chunk_mode, count / chunked.add_med, TARGET_PER_S,
		       count / chunked.add_med >= TARGET_PER_S ? "yes" : "no");
	lgd_routes_close(rts);
	free(v);
	free(sorted);
	return ok_b && (ok_c || !chunk) && (ok_s || !s) ? 0 : 1;
}
