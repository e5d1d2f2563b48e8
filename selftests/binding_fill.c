// SPDX-License-Identifier: GPL-2.0
/*
 * Many bindings fast, for the store's scenario tests (store-reboot.sh):
 * LG_CMD_BINDING_NEW requests in batches of up to 200 (one sendmsg, then
 * the ACKs), without a DHCP exchange each. Binding i (from FIRST) is DUID
 * 00:03:00:01:02:00:II:II:II:II, IA_NA IAID 1, address PREFIX::i (/128),
 * client lladdr fe80::ff:fe00:102, server 2001:db8:f::2.
 *
 *   binding_fill [-f FIRST] [-v VALID] [-r PER_S] [-o FILE] [-p PREFIX]
 *                [-O ORIGIN] IFNAME N
 *
 * -v: valid lifetime (preferred: half), default 3600 s. -r: at most PER_S
 * bindings a second, in batches of PER_S/20 (a stream); default: as fast
 * as the kernel takes them. -o: after each batch, the count made so far
 * and CLOCK_REALTIME in FILE (rewritten), so that a test that kills the
 * store's writer knows what the kernel had. -p PREFIX: default 2001:db8:1::.
 * -O: the origin, restored (the kernel's default) or leasequery: a
 * failover partner sends on a binding the router learned, not one it
 * restored (selftests/bench/sync_bench.sh).
 * Exit 0 if every request was ACKed with 0; else 1, with the first error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <net/if.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"

#define BATCH_MAX	200
#define REQ_MAX		256

static uint32_t origin = LG_BINDING_ORIGIN_RESTORED;

static void put_binding(struct nlmsghdr *nlh, uint32_t ifindex, uint32_t id,
			const struct in6_addr *prefix, uint32_t valid)
{
	uint8_t duid[10] = { 0, 3, 0, 1, 2, 0, id >> 24, id >> 16, id >> 8, id };
	struct in6_addr a = *prefix, ll, srv;
	struct nlattr *nest, *ln;

	inet_pton(AF_INET6, "fe80::ff:fe00:102", &ll);
	inet_pton(AF_INET6, "2001:db8:f::2", &srv);
	a.s6_addr[12] = id >> 24;
	a.s6_addr[13] = id >> 16;
	a.s6_addr[14] = id >> 8;
	a.s6_addr[15] = id;
	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, sizeof(duid), duid);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IA_TYPE, LG_IA_NA);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IAID, 1);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, &ll);
	mnl_attr_put(nlh, LG_BINDING_A_SERVER_ADDR, 16, &srv);
	if (origin != LG_BINDING_ORIGIN_RESTORED)
		mnl_attr_put_u32(nlh, LG_BINDING_A_ORIGIN, origin);
	ln = mnl_attr_nest_start(nlh, LG_BINDING_A_LEASE);
	mnl_attr_put(nlh, LG_LEASE_A_ADDR, 16, &a);
	mnl_attr_put_u32(nlh, LG_LEASE_A_PLEN, 128);
	mnl_attr_put_u32(nlh, LG_LEASE_A_PREFERRED, valid / 2);
	mnl_attr_put_u32(nlh, LG_LEASE_A_VALID, valid);
	mnl_attr_nest_end(nlh, ln);
	mnl_attr_nest_end(nlh, nest);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(const char *path, unsigned long made)
{
	char tmp[4096];
	FILE *f;

	if (!path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%lu %lld\n", made, (long long)time(NULL));
	fclose(f);
	rename(tmp, path);
}

int main(int argc, char **argv)
{
	static char buf[BATCH_MAX * REQ_MAX], rbuf[1 << 16];
	unsigned long first = 1, n, i, made = 0, per_s = 0, batch = BATCH_MAX;
	const char *out = NULL;
	uint32_t valid = 3600, ifindex;
	struct in6_addr prefix;
	struct lg_sock s;
	int opt, rcvbuf = 1 << 20, first_err = 0;
	double t0;

	inet_pton(AF_INET6, "2001:db8:1::", &prefix);
	while ((opt = getopt(argc, argv, "f:v:r:o:p:O:")) != -1) {
		switch (opt) {
		case 'f': first = strtoul(optarg, NULL, 0); break;
		case 'v': valid = strtoul(optarg, NULL, 0); break;
		case 'r': per_s = strtoul(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		case 'p':
			if (inet_pton(AF_INET6, optarg, &prefix) != 1)
				return 2;
			break;
		case 'O':
			if (!strcmp(optarg, "leasequery"))
				origin = LG_BINDING_ORIGIN_LEASEQUERY;
			else if (strcmp(optarg, "restored"))
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 2)
		goto usage;
	ifindex = if_nametoindex(argv[optind]);
	n = strtoul(argv[optind + 1], NULL, 0);
	if (!ifindex || !n) {
		fprintf(stderr, "binding_fill: no interface %s, or N 0\n",
			argv[optind]);
		return 2;
	}
	if (per_s) {
		batch = per_s / 20 ? per_s / 20 : 1;
		if (batch > BATCH_MAX)
			batch = BATCH_MAX;
	}
	if (lg_open(&s)) {
		fprintf(stderr, "binding_fill: no leaseguard family\n");
		return 1;
	}
	setsockopt(mnl_socket_get_fd(s.nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		   sizeof(rcvbuf));
	t0 = now_s();
	for (i = 0; i < n;) {
		unsigned long k, b = n - i < batch ? n - i : batch, acked = 0;
		uint32_t seq0 = s.seq + 1;
		size_t off = 0;

		memset(buf, 0, sizeof(buf));
		for (k = 0; k < b; k++) {
			struct nlmsghdr *nlh = lg_msg(&s, buf + off,
						      LG_CMD_BINDING_NEW, 0);

			put_binding(nlh, ifindex, first + i + k, &prefix, valid);
			off += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (mnl_socket_sendto(s.nl, buf, off) < 0) {
			perror("binding_fill: send");
			return 1;
		}
		while (acked < b) {
			int len = mnl_socket_recvfrom(s.nl, rbuf, sizeof(rbuf));
			const struct nlmsghdr *m = (const void *)rbuf;

			if (len < 0) {
				perror("binding_fill: recv");
				return 1;
			}
			for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
				const struct nlmsgerr *e;

				if (m->nlmsg_type != NLMSG_ERROR ||
				    m->nlmsg_seq - seq0 >= b)
					continue;
				e = mnl_nlmsg_get_payload(m);
				if (e->error && !first_err) {
					first_err = e->error;
					fprintf(stderr, "binding_fill: binding %lu: %s\n",
						first + i + (m->nlmsg_seq - seq0),
						strerror(-e->error));
				}
				made += !e->error;
				acked++;
			}
		}
		i += b;
		progress(out, made);
		if (per_s) {
			double due = t0 + (double)i / per_s, t = now_s();

			if (due > t)
				usleep((due - t) * 1e6);
		}
	}
	printf("binding_fill: %lu of %lu made in %.2f s\n", made, n,
	       now_s() - t0);
	lg_close(&s);
	return first_err ? 1 : 0;

usage:
	fprintf(stderr, "usage: binding_fill [-f FIRST] [-v VALID] [-r PER_S] [-o FILE] [-p PREFIX] [-O restored|leasequery] IFNAME N\n");
	return 2;
}
