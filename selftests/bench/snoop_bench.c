// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv6 snooping benchmark: how fast leaseguard learns bindings, what a
 * binding costs in kernel memory, and how long a dump of all of them
 * takes. It prints figures; it never passes or fails on them.
 *
 *   netns C (client)             netns R (leaseguard)
 *   eth0 fe80::ff:fe00:102  --   acc0 (access) fe80::ff:fe00:101
 *   UDP 546                      "relay": UDP 547
 *
 * For each binding i: a REQUEST from a distinct DUID (client socket ->
 * relay socket, seen by the receive hook on acc0), then the REPLY granting
 * one IA_NA address (relay socket -> out of acc0, seen by the transmit
 * hook: that is where the binding is made). Requests go in batches with
 * sendmmsg(); the relay receives the whole batch (so every request has
 * been snooped) before it sends the batch's replies.
 *
 * Transaction IDs are random, as real clients' are: the module's table of
 * pending requests (kmod/binding.h, 4-way set-associative) must match
 * every REPLY of a batch to its request; a shortfall shows if it does not.
 *
 * With -x CMD, CMD runs (sh -c, in R, LG_NS_R naming R) once R is set up
 * and before the first binding: the store benchmark starts leaseguardd
 * there (selftests/bench/store_bench.sh). With -q, only the stream is
 * measured (the first line): no memory readings, dump or lgctl after it,
 * which would run while the failover benchmark (sync_bench.sh) still
 * measures the partner catching up.
 *
 * Usage: snoop_bench [-b BATCH] [-k] [-q] [-x CMD] N
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"
#include "dhcp6_build.h"

enum { SOLICIT = 1, REQUEST = 3, REPLY = 7 };
enum { OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_IA_NA = 3 };

#define MAX_BATCH	256
#define MSG_MAX		256

#include "bench_dhcp6.h"

static const uint8_t server_duid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44,
				       2, 0, 0, 0, 0xf, 2 };

static unsigned long n_total;

/* Netlink */

static void nl_set(uint8_t cmd, uint16_t top, uint16_t attr, uint32_t v,
		   uint32_t ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, top);

	if (ifindex)
		mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	if (top == LG_A_LINK)
		mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, LG_ROLE_ACCESS);
	mnl_attr_put_u32(nlh, attr, v);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "snoop_bench: netlink cmd %u: %s (%s)\n", cmd,
			strerror(-ack.err), ack.msg);
		exit(1);
	}
}

/*
 * A full dump of the bindings: messages, bytes, interrupted or not. Not
 * lg_talk(): reading with a large buffer lets the kernel fill larger dump
 * skbs, which is what the dump figure should measure.
 */
static int dump_all(unsigned long *msgs, unsigned long *bytes, bool *intr)
{
	static char buf[256 << 10];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_BINDING_GET, NLM_F_DUMP);
	uint32_t seq = nlh->nlmsg_seq;
	int rcvbuf = 4 << 20;

	setsockopt(mnl_socket_get_fd(nl.nl), SOL_SOCKET, SO_RCVBUFFORCE,
		   &rcvbuf, sizeof(rcvbuf));
	*msgs = *bytes = 0;
	*intr = false;
	if (mnl_socket_sendto(nl.nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *m;
		int len = mnl_socket_recvfrom(nl.nl, buf, sizeof(buf));

		if (len < 0)
			return -errno;
		*bytes += len;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(m);

				return e->error;
			}
			(*msgs)++;
		}
	}
}

/* Messages */

static size_t build(uint8_t *out, struct d6b *m)
{
	memcpy(out, m->buf, m->len);
	return m->len;
}

static double run_lgctl(const char *lgctl)
{
	char cmd[PATH_MAX + 64];
	double t0;
	int st;

	snprintf(cmd, sizeof(cmd), "%s -j binding show >/dev/null", lgctl);
	t0 = now_s();
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "# %s: status %d\n", cmd, st);
		return -1;
	}
	return now_s() - t0;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: snoop_bench [-b BATCH] [-k] [-q] [-L LGCTL] [-x CMD] N\n"
		"  N         bindings to create (one IA_NA each)\n"
		"  -b BATCH  requests per batch, 1..%d (default 128)\n"
		"  -k        keep the namespaces and bindings (no delete)\n"
		"  -q        the stream's figures only (no memory, dump, lgctl)\n"
		"  -L LGCTL  lgctl to time (default: agent/lgctl/lgctl next to us)\n"
		"  -x CMD    run CMD (sh -c) in R before the first binding\n",
		MAX_BATCH);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t st0[LG_STATS_A_MAX + 1], st1[LG_STATS_A_MAX + 1];
	unsigned long n, i, msgs, bytes, req_lost = 0;
	char lgctl[PATH_MAX] = "", exe[PATH_MAX];
	const char *xcmd = NULL;
	struct meminfo m0, m1, m2;
	static struct slabinfo s0, s1;
	double t0, t_create, t_dump, t_lgctl, t_del;
	int batch = 128, opt, cl_fd, relay_fd, have_slab, err;
	uint32_t acc0;
	bool intr, quick = false;
	struct in6_addr na;
	const char *e;

	while ((opt = getopt(argc, argv, "b:kqL:x:h")) != -1) {
		switch (opt) {
		case 'b':
			batch = atoi(optarg);
			if (batch < 1 || batch > MAX_BATCH)
				usage();
			break;
		case 'k':
			bench_keep = true;
			break;
		case 'q':
			quick = true;
			break;
		case 'L':
			snprintf(lgctl, sizeof(lgctl), "%s", optarg);
			break;
		case 'x':
			xcmd = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	n = strtoul(argv[optind], NULL, 0);
	if (!n || n > LG_MAX_BINDINGS_LIMIT || n > 0xffffffffUL)
		usage();
	n_total = n;
	e = getenv("LGCTL");
	if (!*lgctl && e)
		snprintf(lgctl, sizeof(lgctl), "%s", e);
	if (!*lgctl) {
		ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (l < 0)
			die("/proc/self/exe");
		exe[l] = 0;
		snprintf(lgctl, sizeof(lgctl), "%s/../../agent/lgctl/lgctl",
			 dirname(exe));
	}
	srandom(getpid());

	setup_namespaces("b");
	enter(nsfd_r);
	acc0 = if_nametoindex("acc0");
	cl_fd = udp_socket(nsfd_c, "eth0", 546, "fe80::ff:fe00:101", 547);
	relay_fd = udp_socket(nsfd_r, "acc0", 547, "fe80::ff:fe00:102", 546);
	if (lg_open(&nl)) {
		fprintf(stderr, "snoop_bench: no leaseguard family: is leaseguard.ko loaded?\n");
		return 1;
	}
	/* Room for N: the namespace limit, then acc0 as access with its own. */
	nl_set(LG_CMD_CONFIG_SET, LG_A_CONFIG, LG_CONFIG_A_MAX_BINDINGS,
	       n > LG_MAX_BINDINGS_DEFAULT ? n : LG_MAX_BINDINGS_DEFAULT, 0);
	nl_set(LG_CMD_LINK_SET, LG_A_LINK, LG_LINK_A_MAX_BINDINGS,
	       n > LG_LINK_MAX_BINDINGS_DEFAULT ? n : LG_LINK_MAX_BINDINGS_DEFAULT,
	       acc0);

	batch_init();
	inet_pton(AF_INET6, "2001:db8:1::", &na);

	/* lgctl comes over 9p in the VM: the first exec is not the dump. */
	if (!quick && run_lgctl(lgctl) < 0)
		fprintf(stderr, "# %s does not work: lgctl_dump_s=-1\n", lgctl);
	if (xcmd) {
		int st;

		setenv("LG_NS_R", ns_r, 1);
		st = system(xcmd);
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "snoop_bench: -x %s: status %d\n", xcmd,
				st);
			return 1;
		}
	}
	settle();
	read_stats(st0);
	read_meminfo(&m0);
	have_slab = read_slabinfo(&s0);

	fprintf(stderr, "# snoop_bench: n=%lu batch=%d\n", n, batch);
	t0 = now_s();
	for (i = 0; i < n;) {
		int k, b = n - i < (unsigned long)batch ? (int)(n - i) : batch;
		struct d6b m;

		for (k = 0; k < b; k++) {
			unsigned long id = i + k;
			uint8_t duid[14];
			struct in6_addr a = na;
			uint32_t xid = random() & 0xffffff;

			make_duid(duid, id);
			d6b_msg(&m, REQUEST, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid, sizeof(server_duid));
			d6b_ia(&m, OPT_IA_NA, 1, 0, 0);
			d6b_end(&m);
			bt.req_iov[k].iov_len = build(bt.req[k], &m);

			a.s6_addr[12] = id >> 24;
			a.s6_addr[13] = id >> 16;
			a.s6_addr[14] = id >> 8;
			a.s6_addr[15] = id;
			d6b_msg(&m, REPLY, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid, sizeof(server_duid));
			d6b_ia(&m, OPT_IA_NA, 1, 43200, 69120);
			d6b_iaaddr(&m, &a, 54000, 86400);
			d6b_end(&m);
			bt.rep_iov[k].iov_len = build(bt.rep[k], &m);
		}
		if (send_all(cl_fd, bt.req_m, b, NULL) < 0)
			die("client sendmmsg");
		/* Once the relay has them, the access hook has seen them. */
		req_lost += b - recv_n(relay_fd, b);
		if (send_all(relay_fd, bt.rep_m, b, NULL) < 0)
			die("relay sendmmsg");
		drain(cl_fd);
		i += b;
		if (n >= 100000 && i % (n / 10) < (unsigned long)b)
			fprintf(stderr, "# %lu/%lu after %.1f s\n", i, n,
				now_s() - t0);
	}
	t_create = now_s() - t0;
	drain(cl_fd);

	read_stats(st1);
	if (quick) {
		uint64_t made = st1[LG_STATS_A_BINDINGS_CREATED] -
				st0[LG_STATS_A_BINDINGS_CREATED];

		printf("bench snoop n=%lu batch=%d created=%" PRIu64
		       " shortfall=%" PRId64 " requests_lost=%lu"
		       " create_s=%.3f create_per_s=%.0f\n",
		       n, batch, made, (int64_t)(n - made), req_lost,
		       t_create, made / t_create);
		lg_close(&nl);
		return 0;
	}
	settle();
	read_meminfo(&m1);
	have_slab = have_slab && read_slabinfo(&s1);

	t0 = now_s();
	err = dump_all(&msgs, &bytes, &intr);
	t_dump = now_s() - t0;
	if (err)
		fprintf(stderr, "# dump: %s\n", strerror(-err));
	t_lgctl = run_lgctl(lgctl);

	{
		uint64_t made = st1[LG_STATS_A_BINDINGS_CREATED] -
				st0[LG_STATS_A_BINDINGS_CREATED];
		uint64_t created = made;
		long dfree = m0.free_kb - m1.free_kb;

		printf("bench snoop n=%lu batch=%d created=%" PRIu64
		       " shortfall=%" PRId64 " bindings_now=%" PRIu64
		       " requests_lost=%lu unmatched=%" PRIu64
		       " limited=%" PRIu64 " nomem=%" PRIu64
		       " create_s=%.3f create_per_s=%.0f\n",
		       n, batch, created, (int64_t)(n - created),
		       st1[LG_STATS_A_BINDINGS], req_lost,
		       st1[LG_STATS_A_DHCP6_UNMATCHED] -
		       st0[LG_STATS_A_DHCP6_UNMATCHED],
		       st1[LG_STATS_A_BINDINGS_LIMITED] -
		       st0[LG_STATS_A_BINDINGS_LIMITED],
		       st1[LG_STATS_A_DHCP6_NOMEM] - st0[LG_STATS_A_DHCP6_NOMEM],
		       t_create, created / t_create);
		if (!created)
			created = 1;
		printf("bench snoop n=%lu mem method=free_pcp_delta"
		       " bytes_per_binding=%.0f slab_per_binding=%.0f"
		       " sunreclaim_per_binding=%.0f vmalloc_per_binding=%.0f"
		       " percpu_delta_kb=%ld free_delta_kb=%ld"
		       " memfree_delta_kb=%ld pcp_delta_kb=%ld\n",
		       n, dfree * 1024.0 / created,
		       (m1.slab_kb - m0.slab_kb) * 1024.0 / created,
		       (m1.sunreclaim_kb - m0.sunreclaim_kb) * 1024.0 / created,
		       (m1.vmalloc_kb - m0.vmalloc_kb) * 1024.0 / created,
		       m1.percpu_kb - m0.percpu_kb, dfree,
		       m0.memfree_kb - m1.memfree_kb, m0.pcp_kb - m1.pcp_kb);
		if (have_slab) {
			int k, shown = 0;

			/* The caches that grew by more than 1 byte a binding. */
			for (k = 0; k < s1.n; k++) {
				const struct slab *a = &s1.s[k];
				const struct slab *b = find_slab(&s0, a->name);
				long dobj = a->active - (b ? b->active : 0);
				long dbytes = a->bytes - (b ? b->bytes : 0);

				if (dbytes < (long)created && dobj < (long)created / 64)
					continue;
				printf("bench snoop n=%lu slab cache=%s objsize=%ld"
				       " objs_delta=%ld objs_per_binding=%.3f"
				       " bytes_delta=%ld bytes_per_binding=%.1f\n",
				       n, a->name, a->objsize, dobj,
				       (double)dobj / created, dbytes,
				       (double)dbytes / created);
				shown++;
			}
			if (!shown)
				printf("bench snoop n=%lu slab none_grew\n", n);
		} else {
			printf("bench snoop n=%lu slab unreadable\n", n);
		}
		printf("bench snoop n=%lu dump bindings=%lu bytes=%lu intr=%d"
		       " err=%d dump_s=%.3f dump_per_s=%.0f\n",
		       n, msgs, bytes, intr, err, t_dump,
		       t_dump > 0 ? msgs / t_dump : 0);
		printf("bench snoop n=%lu lgctl cmd=\"lgctl -j binding show\""
		       " lgctl_dump_s=%.3f\n", n, t_lgctl);

		if (!bench_keep) {
			char buf[MNL_SOCKET_BUFFER_SIZE];
			struct nlmsghdr *nlh;
			struct nlattr *nest;

			nlh = lg_msg(&nl, buf, LG_CMD_BINDING_DEL, 0);
			nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
			mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
			mnl_attr_nest_end(nlh, nest);
			t0 = now_s();
			err = lg_talk(&nl, nlh, NULL, NULL, &ack);
			t_del = now_s() - t0;
			read_stats(st0);
			settle();
			read_meminfo(&m2);
			printf("bench snoop n=%lu delete all err=%d del_s=%.3f"
			       " bindings_left=%" PRIu64
			       " free_not_returned_kb=%ld\n",
			       n, err, t_del, st0[LG_STATS_A_BINDINGS],
			       m0.free_kb - m2.free_kb);
		}
		printf("bench snoop n=%lu create_per_s=%.0f bytes_per_binding=%.0f"
		       " dump_s=%.3f lgctl_dump_s=%.3f shortfall=%" PRId64 "\n",
		       n, made / t_create, dfree * 1024.0 / created, t_dump,
		       t_lgctl, (int64_t)(n - made));
	}
	lg_close(&nl);
	return 0;
}
