// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding benchmark for source-address validation: packets per second
 * that the router forwards, with and without a source check, and with
 * nftables doing the same check. It prints figures; it never passes or
 * fails on them.
 *
 *   netns C (sender)          netns R (router, forwarding on)
 *   eth0 02:00:00:00:01:02 -- acc0 (access)      up0 (dummy)
 *   AF_PACKET; UDP 546        "relay": UDP 547  2001:db8:ffff::/64
 *
 * N bindings are N/2 subscribers, each with an IA_NA (2001:db8:1::<j>)
 * and an IA_PD (a /56 in 2001:db8:8000::/33), learned by snooping a
 * REQUEST/REPLY pair per subscriber, as snoop_bench does. The sender
 * writes prebuilt Ethernet/IPv6/UDP frames into eth0, to
 * 2001:db8:ffff::2, whose sources alternate between bound addresses and
 * addresses inside bound prefixes, in a scattered order over all
 * subscribers. veth hands each frame to R in the sender's own softirq on
 * the sender's CPU, so what the router spends per packet shows as fewer
 * packets per second. The figure is the growth of up0's tx_packets over a
 * slice of time. up0 is a dummy: it counts and frees, so the sink costs
 * next to nothing.
 *
 * Modes:
 *   unloaded  no module (with -M only, before the sizes);
 *   base      module loaded, acc0 access, SAVI off, DHCPv6-Shield off;
 *   lg        SAVI enforce, DHCPv6-Shield off;
 *   nft       SAVI off; an nftables chain on prerouting at priority -450
 *             (leaseguard's NF_IP6_PRI_RAW_BEFORE_DEFRAG) that drops what
 *             is in neither a hash set of the /128s nor an interval set of
 *             the prefixes.
 * They take turns, one short slice each per round, under traffic that
 * never stops, so that a busy host slows every mode of a round alike.
 *
 * Usage: fwd_bench [-r ROUNDS] [-t SECONDS] [-M MODULE] [-N] N...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <endian.h>
#include <linux/if_packet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"
#include "dhcp6_build.h"

enum { REQUEST = 3, REPLY = 7 };
enum { OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_IA_NA = 3, OPT_IA_PD = 25 };

#define MAX_BATCH	128
#define MSG_MAX		256

#include "bench_dhcp6.h"
#define MAX_SIZES	8
#define MAX_ROUNDS	100
#define TX_BATCH	64
#define FRAME_LEN	80	/* 14 + 40 + 8 + 18 */
#define SANITY_K	200
#define STRIDE		1000003UL	/* prime: scatters the source order */

static const uint8_t server_duid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44,
				       2, 0, 0, 0, 0xf, 2 };
static const uint8_t mac_acc0[6] = { 2, 0, 0, 0, 1, 1 };
static const uint8_t mac_eth0[6] = { 2, 0, 0, 0, 1, 2 };

static uint32_t acc0;
static int pkt_fd = -1;

/* Addresses: subscriber j's /128 and /56. */

static void na_addr(struct in6_addr *a, unsigned long j)
{
	inet_pton(AF_INET6, "2001:db8:1::", a);
	a->s6_addr[12] = j >> 24;
	a->s6_addr[13] = j >> 16;
	a->s6_addr[14] = j >> 8;
	a->s6_addr[15] = j;
}

static void pd_prefix(struct in6_addr *a, unsigned long j)
{
	inet_pton(AF_INET6, "2001:db8::", a);
	a->s6_addr[4] = 0x80 | ((j >> 16) & 0x7f);
	a->s6_addr[5] = j >> 8;
	a->s6_addr[6] = j;
}

/* A host inside subscriber j's prefix, not its first address. */
static void pd_host(struct in6_addr *a, unsigned long j)
{
	pd_prefix(a, j);
	a->s6_addr[7] = 0x42;
	a->s6_addr[15] = 0x17;
}

/* Netlink */

static void lg_link_set(int savi_mode, int shield, uint32_t max_bindings)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, acc0);
	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, LG_ROLE_ACCESS);
	if (savi_mode >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, savi_mode);
	if (shield >= 0)
		mnl_attr_put_u8(nlh, LG_LINK_A_DHCP6_SHIELD, shield);
	if (max_bindings)
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, max_bindings);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "fwd_bench: link set: %s (%s)\n",
			strerror(-ack.err), ack.msg);
		exit(1);
	}
}

/* Bindings, learned the way snoop_bench makes them */

static int cl_fd = -1, relay_fd = -1;

static size_t put_msg(uint8_t *out, const struct d6b *m)
{
	memcpy(out, m->buf, m->len);
	return m->len;
}

/* Subscribers [from, to): one REQUEST/REPLY each, IA_NA + IA_PD. */
static unsigned long grow(unsigned long from, unsigned long to)
{
	unsigned long i, lost = 0;

	for (i = from; i < to;) {
		int k, b = to - i < MAX_BATCH ? (int)(to - i) : MAX_BATCH;
		struct d6b m;

		for (k = 0; k < b; k++) {
			unsigned long j = i + k;
			uint32_t xid = random() & 0xffffff;
			struct in6_addr na, pd;
			uint8_t duid[14];

			make_duid(duid, j);
			na_addr(&na, j);
			pd_prefix(&pd, j);
			d6b_msg(&m, REQUEST, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid, sizeof(server_duid));
			d6b_ia(&m, OPT_IA_NA, 1, 0, 0);
			d6b_end(&m);
			d6b_ia(&m, OPT_IA_PD, 2, 0, 0);
			d6b_end(&m);
			bt.req_iov[k].iov_len = put_msg(bt.req[k], &m);

			d6b_msg(&m, REPLY, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid, sizeof(server_duid));
			d6b_ia(&m, OPT_IA_NA, 1, 43200, 69120);
			d6b_iaaddr(&m, &na, 54000, 86400);
			d6b_end(&m);
			d6b_ia(&m, OPT_IA_PD, 2, 43200, 69120);
			d6b_iaprefix(&m, 56, &pd, 54000, 86400);
			d6b_end(&m);
			bt.rep_iov[k].iov_len = put_msg(bt.rep[k], &m);
		}
		if (send_all(cl_fd, bt.req_m, b, NULL) < 0)
			die("client sendmmsg");
		/* Once the relay has them, the access hook has seen them. */
		lost += b - recv_n(relay_fd, b);
		if (send_all(relay_fd, bt.rep_m, b, NULL) < 0)
			die("relay sendmmsg");
		drain(cl_fd);
		i += b;
	}
	drain(cl_fd);
	return lost;
}

/*
 * nftables. nft(8) loads the sets, in a process of its own whose memory
 * (about 1.5 KB per interval element) goes when it exits. The chain is
 * switched on and off, and its counter read, through libnftables in this
 * process (dlopen: nftables is optional), so that no fork and exec of nft
 * falls between two measurement slices.
 */
struct nft_ctx;

static struct {
	struct nft_ctx *ctx;
	struct nft_ctx *(*ctx_new)(uint32_t flags);
	int (*run)(struct nft_ctx *ctx, const char *buf);
	int (*buffer_output)(struct nft_ctx *ctx);
	const char *(*output)(struct nft_ctx *ctx);
	int (*buffer_error)(struct nft_ctx *ctx);
	const char *(*error)(struct nft_ctx *ctx);
} nft;

static bool nft_open(void)
{
	void *h = dlopen("libnftables.so.1", RTLD_NOW);

	if (!h || system("nft --version >/dev/null 2>&1"))
		return false;
	nft.ctx_new = dlsym(h, "nft_ctx_new");
	nft.run = dlsym(h, "nft_run_cmd_from_buffer");
	nft.buffer_output = dlsym(h, "nft_ctx_buffer_output");
	nft.output = dlsym(h, "nft_ctx_get_output_buffer");
	nft.buffer_error = dlsym(h, "nft_ctx_buffer_error");
	nft.error = dlsym(h, "nft_ctx_get_error_buffer");
	if (!nft.ctx_new || !nft.run || !nft.buffer_output || !nft.output ||
	    !nft.buffer_error || !nft.error)
		return false;
	/* Its netlink socket is in the namespace of this thread: R. */
	nft.ctx = nft.ctx_new(0);
	if (!nft.ctx)
		return false;
	nft.buffer_output(nft.ctx);
	nft.buffer_error(nft.ctx);
	return true;
}

/* Runs nft commands; their output, or NULL on an error (reported). */
static const char *nft_cmd(const char *cmd)
{
	if (nft.run(nft.ctx, cmd)) {
		fprintf(stderr, "# nft: %s: %s\n", cmd, nft.error(nft.ctx));
		nft.output(nft.ctx);
		return NULL;
	}
	nft.error(nft.ctx);
	return nft.output(nft.ctx);
}

/*
 * The table: the /128s in a hash set, the prefixes in an interval set,
 * each set filled by its own nft run so that nft's memory peak is one
 * set's; "add element" lines of 4096 elements. The counter is only on the
 * drop path: what passes never reaches it.
 */
static int nft_load(unsigned long subs)
{
	char a[INET6_ADDRSTRLEN];
	struct in6_addr x;
	unsigned long j;
	int set, st;

	for (set = 0; set < 2; set++) {
		FILE *p = popen("nft -f -", "w");

		if (!p)
			return -1;
		if (!set)
			fprintf(p, "flush ruleset\n"
				"table ip6 t {\n"
				"  counter drops { }\n"
				"  set addrs { type ipv6_addr; size %lu; }\n"
				"  set prefixes { type ipv6_addr; flags interval; }\n"
				"}\n", subs);
		for (j = 0; j < subs; j++) {
			if (j % 4096 == 0)
				fprintf(p, "add element ip6 t %s { ",
					set ? "prefixes" : "addrs");
			if (set)
				pd_prefix(&x, j);
			else
				na_addr(&x, j);
			inet_ntop(AF_INET6, &x, a, sizeof(a));
			fprintf(p, "%s%s%s", a, set ? "/56" : "",
				j % 4096 == 4095 || j == subs - 1 ? " }\n" : ", ");
		}
		st = pclose(p);
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
			return -1;
	}
	return 0;
}

static bool nft_chain(bool on)
{
	return !!nft_cmd(on ?
		"add chain ip6 t pre { type filter hook prerouting priority -450; }\n"
		"add rule ip6 t pre iifname \"acc0\" ip6 saddr != @addrs"
		" ip6 saddr != @prefixes counter name \"drops\" drop\n" :
		"delete chain ip6 t pre\n");
}

/*
 * The drop counter, by NFT_MSG_GETOBJ: "nft list counter" would fetch
 * every element of every set of the table first (seconds at 100k).
 */
static struct lg_sock nfnl;

static int nft_obj_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *c;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_OBJ_DATA)
			continue;
		mnl_attr_for_each_nested(c, a)
			if (mnl_attr_get_type(c) == NFTA_COUNTER_PACKETS)
				*(long long *)data = be64toh(mnl_attr_get_u64(c));
	}
	return MNL_CB_OK;
}

static long long nft_drops(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	long long v = -1;

	if (!nfnl.nl) {
		nfnl.nl = mnl_socket_open(NETLINK_NETFILTER);
		if (!nfnl.nl || mnl_socket_bind(nfnl.nl, 0, MNL_SOCKET_AUTOPID))
			die("nfnetlink socket");
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETOBJ;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nfnl.seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_IPV6;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, "t");
	mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, "drops");
	mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(NFT_OBJECT_COUNTER));
	if (lg_talk(&nfnl, nlh, nft_obj_cb, &v, &ack))
		return -1;
	return v;
}

/* The sender */

enum { S_IDLE, S_RUN, S_QUIT };

static _Atomic int s_cmd = S_IDLE;
static _Atomic int s_idle = 1;

struct srcgen {
	unsigned long subs, stride, ja, jp;
	bool bound;	/* false: sources that nothing validates */
	unsigned int k;
};

static struct srcgen gen;

static uint8_t frames[TX_BATCH][FRAME_LEN];
static struct iovec tx_iov[TX_BATCH];
static struct mmsghdr tx_m[TX_BATCH];
static uint32_t csum_base;	/* the UDP checksum's sum without the source */

static unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Bound sources of @subs subscribers: a /128, then an address in a
 * prefix, in turn, each from its own place in a stride walk that visits
 * every subscriber, so that lookups spread over the whole table. Unbound
 * ones: the same shapes, for subscribers that do not exist.
 */
static void gen_init(unsigned long subs, bool bound)
{
	gen.subs = subs;
	gen.stride = STRIDE % subs;
	while (gen.stride && gcd(gen.stride, subs) != 1)
		gen.stride++;
	if (!gen.stride)
		gen.stride = 1;
	gen.ja = 0;
	gen.jp = subs / 3;
	gen.bound = bound;
	gen.k = 0;
}

static void gen_next(struct in6_addr *a)
{
	unsigned long j;

	if (gen.k++ & 1) {
		j = gen.jp;
		gen.jp = (gen.jp + gen.stride) % gen.subs;
		pd_host(a, gen.bound ? j : gen.subs + j);
	} else {
		j = gen.ja;
		gen.ja = (gen.ja + gen.stride) % gen.subs;
		na_addr(a, gen.bound ? j : gen.subs + j);
	}
}

static void frames_init(void)
{
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
					 [15] = 2 };
	uint16_t plen = FRAME_LEN - 14 - 40;
	uint32_t sum = 0;
	int i, w;

	for (i = 0; i < TX_BATCH; i++) {
		uint8_t *f = frames[i];

		memcpy(f, mac_acc0, 6);
		memcpy(f + 6, mac_eth0, 6);
		f[12] = 0x86;
		f[13] = 0xdd;
		f[14] = 0x60;
		f[18] = plen >> 8;
		f[19] = plen;
		f[20] = IPPROTO_UDP;
		f[21] = 64;
		memcpy(f + 38, dst, 16);
		f[54] = 40000 >> 8;
		f[55] = 40000 & 0xff;
		f[57] = 9;	/* discard */
		f[58] = plen >> 8;
		f[59] = plen;
		tx_iov[i].iov_base = f;
		tx_iov[i].iov_len = FRAME_LEN;
		tx_m[i].msg_hdr.msg_iov = &tx_iov[i];
		tx_m[i].msg_hdr.msg_iovlen = 1;
	}
	/* Pseudo-header without the source, then the UDP header and data. */
	for (w = 0; w < 16; w += 2)
		sum += dst[w] << 8 | dst[w + 1];
	sum += plen + IPPROTO_UDP;
	for (w = 54; w < FRAME_LEN; w += 2)
		sum += frames[0][w] << 8 | frames[0][w + 1];
	csum_base = sum;
}

static void frame_src(uint8_t *f, const struct in6_addr *src)
{
	uint32_t sum = csum_base;
	int w;

	memcpy(f + 22, src, 16);
	for (w = 0; w < 16; w += 2)
		sum += src->s6_addr[w] << 8 | src->s6_addr[w + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	f[60] = sum ? sum >> 8 : 0xff;
	f[61] = sum ? sum : 0xff;
}

/* Sends @n frames (n <= TX_BATCH) with the next sources. */
static int send_frames(int n)
{
	struct in6_addr src;
	int i, r;

	for (i = 0; i < n; i++) {
		gen_next(&src);
		frame_src(frames[i], &src);
	}
	r = sendmmsg(pkt_fd, tx_m, n, 0);
	return r < 0 ? 0 : r;
}

static void *sender(void *arg)
{
	int cmd;

	(void)arg;
	while ((cmd = atomic_load(&s_cmd)) != S_QUIT) {
		if (cmd == S_IDLE) {
			atomic_store(&s_idle, 1);
			usleep(1000);
			continue;
		}
		atomic_store(&s_idle, 0);
		send_frames(TX_BATCH);
	}
	return NULL;
}

static void sender_start(unsigned long subs)
{
	gen_init(subs, true);
	atomic_store(&s_cmd, S_RUN);
	while (atomic_load(&s_idle))
		usleep(1000);
}

static void sender_stop(void)
{
	atomic_store(&s_cmd, S_IDLE);
	while (!atomic_load(&s_idle))
		usleep(1000);
}

/* Modes */

enum mode { M_UNLOADED, M_BASE, M_LG, M_NFT, M_MODES };

static const char *const mode_name[] = { "unloaded", "base", "lg", "nft" };

static const char *module;
static bool loaded;

/* Loads or unloads the module; loaded, acc0 is access, SAVI and Shield off. */
static void set_loaded(bool on, uint32_t max_bindings)
{
	char cmd[PATH_MAX + 16];

	if (on == loaded)
		return;
	if (!on) {
		lg_close(&nl);
		run("rmmod leaseguard");
		loaded = false;
		return;
	}
	snprintf(cmd, sizeof(cmd), "insmod %s", module);
	run(cmd);
	loaded = true;
	if (lg_open(&nl)) {
		fprintf(stderr, "fwd_bench: no leaseguard family: is leaseguard.ko loaded?\n");
		exit(1);
	}
	lg_link_set(LG_SAVI_OFF, 0, max_bindings);
}

/* False if the nft chain could not be switched (the rest exit on error). */
static bool mode_enter(enum mode m)
{
	switch (m) {
	case M_UNLOADED:
		set_loaded(false, 0);
		break;
	case M_BASE:
		set_loaded(true, 0);
		break;
	case M_LG:
		lg_link_set(LG_SAVI_ENFORCE, -1, 0);
		break;
	default:
		return nft_chain(true);
	}
	return true;
}

static bool mode_leave(enum mode m)
{
	if (m == M_LG)
		lg_link_set(LG_SAVI_OFF, -1, 0);
	return m != M_NFT || nft_chain(false);
}

/* Bound sources dropped so far: by leaseguard, by the nft rule. */
static uint64_t dropped(enum mode m)
{
	uint64_t ls[64];

	if (m == M_LG) {
		read_link_stats(acc0, ls);
		return ls[LG_LINK_STATS_A_SAVI_DROP_SOURCE];
	}
	if (m == M_NFT)
		return nft_drops();
	return 0;
}

struct series {
	int n;
	double ns[MAX_ROUNDS];	/* 1e9 / pps, per round */
	uint64_t backlog_drops, bound_dropped;
	unsigned int switch_failed;	/* slices not in the mode they claim */
	double switch_max_s;	/* longest mode_enter() + mode_leave() */
	struct rounds_vs_base vs;	/* against the base */
};

static double slice_s = 0.2, settle_s = 0.05;
static unsigned long have_subs;	/* subscribers with their bindings */
static int rounds = 60;

/* up0's packets per second over one slice of the running sender. */
static double slice_pps(uint64_t *bl)
{
	uint64_t tx0, tx1, b0 = backlog_drops();
	double t0, t1;

	tx0 = dev_tx_packets("up0");
	t0 = now_s();
	sleep_s(slice_s);
	tx1 = dev_tx_packets("up0");
	t1 = now_s();
	*bl += backlog_drops() - b0;
	return (tx1 - tx0) / (t1 - t0);
}

/*
 * Rounds of one slice per mode, the order rotated each round. The sender
 * runs throughout: the modes switch under traffic, and slices of one round
 * lie within about a second, so that the host's slow and fast phases
 * (seconds long under TCG on a shared machine) hit every mode alike.
 */
static void run_rounds(const char *label, unsigned long subs,
		       const enum mode *modes, int n_modes, int n_rounds,
		       struct series *res)
{
	int r, i;

	sender_start(subs);
	for (r = 0; r < n_rounds; r++) {
		char line[256];
		int len = snprintf(line, sizeof(line), "# %s round=%d", label, r);

		for (i = 0; i < n_modes; i++) {
			enum mode m = modes[(i + r) % n_modes];
			struct series *s = &res[m];
			uint64_t d0, d1;
			double t, pps;

			t = now_s();
			if (!mode_enter(m))
				s->switch_failed++;
			t = now_s() - t;
			d0 = dropped(m);
			sleep_s(settle_s);
			pps = slice_pps(&s->backlog_drops);
			d1 = dropped(m);
			s->bound_dropped += d1 - d0;
			t -= now_s();
			if (!mode_leave(m))
				s->switch_failed++;
			t += now_s();
			if (t > s->switch_max_s)
				s->switch_max_s = t;
			s->ns[s->n++] = 1e9 / (pps > 1 ? pps : 1);
			len += snprintf(line + len, sizeof(line) - len,
					" %s=%.0f", mode_name[m], pps);
		}
		fprintf(stderr, "%s\n", line);
	}
	sender_stop();
}

/* One mode's figures, and against @base: see print_rounds() in bench.h. */
static void print_series(const char *label, enum mode m, struct series *s,
			 const struct series *base)
{
	if (!s->n)
		return;
	print_rounds("savi", label, mode_name[m], s->ns,
		     base && base->n == s->n ? base->ns : NULL, s->n, &s->vs);
	printf(" backlog_drops=%" PRIu64, s->backlog_drops);
	if (m == M_LG || m == M_NFT)
		printf(" bound_dropped=%" PRIu64 " switch_max_ms=%.0f"
		       " switch_failed=%u", s->bound_dropped,
		       s->switch_max_s * 1e3, s->switch_failed);
	printf("\n");
	fflush(stdout);
}

/* Sends @k frames, bound or not, and gives them time to get through. */
static void send_k(int k, bool bound, unsigned long subs)
{
	gen_init(subs, bound);
	while (k > 0) {
		int b = k < TX_BATCH ? k : TX_BATCH;

		if (send_frames(b) != b)
			fprintf(stderr, "# sanity: short send\n");
		k -= b;
	}
	sleep_s(0.2);
}

/*
 * Checks that a mode does what it claims: sources that nothing validates
 * are dropped, and counted where they should be; bound sources, half of
 * them /128s and half in prefixes, are forwarded.
 */
static void sanity(unsigned long n, enum mode m, unsigned long subs)
{
	uint64_t ls0[64], ls1[64], tx0, tx1, tx2, unb_fwd, bnd_fwd, drop_src;
	bool filtering = m == M_LG || m == M_NFT, ok;
	long long nd0 = 0, nd1 = 0;

	mode_enter(m);
	read_link_stats(acc0, ls0);
	if (m == M_NFT)
		nd0 = nft_drops();
	tx0 = dev_tx_packets("up0");
	send_k(SANITY_K, false, subs);
	tx1 = dev_tx_packets("up0");
	read_link_stats(acc0, ls1);
	if (m == M_NFT)
		nd1 = nft_drops();
	send_k(SANITY_K, true, subs);
	tx2 = dev_tx_packets("up0");
	mode_leave(m);
	unb_fwd = tx1 - tx0;
	bnd_fwd = tx2 - tx1;
	drop_src = ls1[LG_LINK_STATS_A_SAVI_DROP_SOURCE] -
		   ls0[LG_LINK_STATS_A_SAVI_DROP_SOURCE];
	ok = bnd_fwd == SANITY_K && unb_fwd == (filtering ? 0 : SANITY_K) &&
	     drop_src == (m == M_LG ? SANITY_K : 0) &&
	     (m != M_NFT || nd1 - nd0 == SANITY_K);
	printf("bench savi n=%lu sanity mode=%s unbound_sent=%d"
	       " unbound_forwarded=%" PRIu64 " savi_drop_source=%" PRIu64,
	       n, mode_name[m], SANITY_K, unb_fwd, drop_src);
	if (m == M_NFT)
		printf(" nft_dropped=%lld", nd1 - nd0);
	printf(" bound_sent=%d bound_forwarded=%" PRIu64 " ok=%d\n",
	       SANITY_K, bnd_fwd, ok);
	fflush(stdout);
}

static void measure_modes(const char *label, unsigned long subs, bool nft,
			  struct series *r)
{
	enum mode modes[3] = { M_BASE, M_LG, M_NFT };

	run_rounds(label, subs, modes, nft ? 3 : 2, rounds, r);
	print_series(label, M_BASE, &r[M_BASE], NULL);
	print_series(label, M_LG, &r[M_LG], &r[M_BASE]);
	if (!nft)
		return;
	print_series(label, M_NFT, &r[M_NFT], &r[M_BASE]);
	printf("bench savi %s lg_vs_nft extra_ratio=%.3f extra_ratio_min=%.3f"
	       " target=<=1\n", label,
	       (r[M_LG].vs.ratio - 1) / (r[M_NFT].vs.ratio - 1),
	       (r[M_LG].vs.ratio_min - 1) / (r[M_NFT].vs.ratio_min - 1));
	fflush(stdout);
}

/*
 * Bindings up to @n, the nft sets, the checks, then the rounds; with
 * @hot, once more with traffic from the first @hot_subs subscribers only.
 */
static void run_size(unsigned long n, struct series *r, bool have_nft,
		     unsigned long hot_subs, struct series *hot)
{
	uint64_t st0[64], st[64], ls0[64], ls[64], short1;
	unsigned long subs = n / 2, lost;
	bool nft_ok = have_nft;
	char label[64];
	double t0;
	int pass;

	read_stats(st0);
	read_link_stats(acc0, ls0);
	t0 = now_s();
	lost = grow(have_subs, subs);
	have_subs = subs;
	read_stats(st);
	read_link_stats(acc0, ls);
	short1 = n - st[LG_STATS_A_BINDINGS];
	/*
	 * A lease that was not learned would have leaseguard drop bound
	 * sources: exchange again with every subscriber (those that have
	 * their bindings only refresh them).
	 */
	for (pass = 0; pass < 2 && st[LG_STATS_A_BINDINGS] < n; pass++) {
		lost += grow(0, subs);
		read_stats(st);
		read_link_stats(acc0, ls);
	}
	printf("bench savi n=%lu bindings=%" PRIu64 " subscribers=%lu"
	       " requests_lost=%lu unmatched=%" PRIu64 " limited=%" PRIu64
	       " link_limited=%" PRIu64 " nomem=%" PRIu64
	       " first_pass_shortfall=%" PRIu64 " grow_s=%.1f\n",
	       n, st[LG_STATS_A_BINDINGS], subs, lost,
	       st[LG_STATS_A_DHCP6_UNMATCHED] - st0[LG_STATS_A_DHCP6_UNMATCHED],
	       st[LG_STATS_A_BINDINGS_LIMITED] - st0[LG_STATS_A_BINDINGS_LIMITED],
	       ls[LG_LINK_STATS_A_BINDINGS_LIMITED] -
	       ls0[LG_LINK_STATS_A_BINDINGS_LIMITED],
	       st[LG_STATS_A_DHCP6_NOMEM] - st0[LG_STATS_A_DHCP6_NOMEM],
	       short1, now_s() - t0);
	if (st[LG_STATS_A_BINDINGS] != n)
		printf("bench savi n=%lu WARNING: %" PRIu64 " bindings, not %lu\n",
		       n, st[LG_STATS_A_BINDINGS], n);
	fflush(stdout);

	if (nft_ok) {
		t0 = now_s();
		nft_ok = !nft_load(subs);
		printf("bench savi n=%lu nft load addrs=%lu prefixes=%lu ok=%d"
		       " load_s=%.1f\n", n, subs, subs, nft_ok, now_s() - t0);
		fflush(stdout);
	}

	sanity(n, M_BASE, subs);
	sanity(n, M_LG, subs);
	if (nft_ok)
		sanity(n, M_NFT, subs);

	snprintf(label, sizeof(label), "n=%lu", n);
	measure_modes(label, subs, nft_ok, r);
	if (hot) {
		/*
		 * The same table, traffic from only @hot_subs subscribers:
		 * what the bigger working set costs, as against the table.
		 */
		snprintf(label, sizeof(label), "n=%lu hot=%lu", n, hot_subs);
		measure_modes(label, hot_subs, nft_ok, hot);
	}
	if (nft_ok)
		nft_cmd("flush ruleset");
	fflush(stdout);
}

static void delete_all(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_BINDING_DEL, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	uint64_t st[64];

	mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack))
		fprintf(stderr, "# binding del all: %s\n", strerror(-ack.err));
	read_stats(st);
	have_subs = 0;
	printf("bench savi again: all bindings deleted, bindings_left=%" PRIu64
	       "\n", st[LG_STATS_A_BINDINGS]);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: fwd_bench [-r ROUNDS] [-t SECONDS] [-M MODULE] [-N] N...\n"
		"  N           bindings: N/2 subscribers with an IA_NA and an IA_PD\n"
		"              each; even, ascending (e.g. 1000 100000 1000000)\n"
		"  -r ROUNDS   rounds of one slice per mode (default 60, max %d)\n"
		"  -t SECONDS  length of a slice (default 0.2)\n"
		"  -M MODULE   leaseguard is not loaded: first compare no module\n"
		"              with the module loaded (insmod/rmmod MODULE)\n"
		"  -N          no nftables mode\n", MAX_ROUNDS);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct series res[MAX_SIZES + 1][M_MODES], hook[M_MODES];
	static struct series hot[M_MODES];
	unsigned long sizes[MAX_SIZES], max_n = 0, max_lim;
	int opt, n_sizes = 0, s;
	bool have_nft = true;
	char cmd[512];
	pthread_t th;

	while ((opt = getopt(argc, argv, "r:t:M:Nh")) != -1) {
		switch (opt) {
		case 'r':
			rounds = atoi(optarg);
			if (rounds < 1 || rounds > MAX_ROUNDS)
				usage();
			break;
		case 't':
			slice_s = atof(optarg);
			if (slice_s < 0.05 || slice_s > 60)
				usage();
			break;
		case 'M':
			module = optarg;
			break;
		case 'N':
			have_nft = false;
			break;
		default:
			usage();
		}
	}
	for (; optind < argc; optind++) {
		unsigned long n = strtoul(argv[optind], NULL, 0);

		if (n_sizes == MAX_SIZES || n < 2 || n & 1 || n <= max_n ||
		    n > LG_MAX_BINDINGS_LIMIT)
			usage();
		sizes[n_sizes++] = max_n = n;
	}
	if (!n_sizes)
		usage();
	srandom(getpid());
	loaded = !access("/sys/module/leaseguard", F_OK);
	if (module && loaded) {
		fprintf(stderr, "fwd_bench: -M: leaseguard is loaded already\n");
		return 2;
	}
	max_lim = max_n > LG_LINK_MAX_BINDINGS_DEFAULT ? max_n :
		  LG_LINK_MAX_BINDINGS_DEFAULT;

	setup_namespaces("f");
	/* R forwards to a dummy up0: the sink costs nothing. */
	enter(nsfd_r);
	sysctl_w("net/ipv6/conf/all/forwarding", "1");
	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link add up0 address 02:00:00:00:02:01 type dummy;"
		 " ip -n %1$s link set up0 up;"
		 " ip -n %1$s -6 route add 2001:db8:ffff::/64 dev up0", ns_r);
	run(cmd);
	enter(nsfd_r);
	acc0 = if_nametoindex("acc0");
	if (have_nft && !nft_open()) {
		printf("bench savi nft unavailable: no nft(8) or libnftables.so.1;"
		       " no nft mode\n");
		have_nft = false;
	}
	pkt_fd = packet_socket(nsfd_c);
	frames_init();
	batch_init();
	/* The sender and its softirq on CPU 0, the rest out of its way. */
	pin(pthread_self(), 1);
	if (pthread_create(&th, NULL, sender, NULL))
		die("pthread_create");
	pin(th, 0);

	printf("bench savi setup rounds=%d slice_s=%.2f frame_bytes=%d"
	       " sources=half_ia_na_half_ia_pd sink=dummy sender_cpu=0"
	       " shield=off\n", rounds, slice_s, FRAME_LEN);
	fflush(stdout);

	if (module) {
		/* What the hooks cost with nothing to check: no module vs base. */
		enum mode m[2] = { M_UNLOADED, M_BASE };
		int hr = rounds < 10 ? rounds : 10;

		run_rounds("n=0", sizes[0] / 2, m, 2, hr, hook);
		print_series("n=0", M_UNLOADED, &hook[M_UNLOADED], NULL);
		print_series("n=0", M_BASE, &hook[M_BASE], &hook[M_UNLOADED]);
		set_loaded(true, max_lim);
	} else if (!loaded || lg_open(&nl)) {
		fprintf(stderr, "fwd_bench: no leaseguard family: is leaseguard.ko loaded?\n");
		return 1;
	}
	config_max(max_n > LG_MAX_BINDINGS_DEFAULT ? max_n :
		      LG_MAX_BINDINGS_DEFAULT);
	lg_link_set(LG_SAVI_OFF, 0, max_lim);
	cl_fd = udp_socket(nsfd_c, "eth0", 546, "fe80::ff:fe00:101", 547);
	relay_fd = udp_socket(nsfd_r, "acc0", 547, "fe80::ff:fe00:102", 546);

	for (s = 0; s < n_sizes; s++)
		run_size(sizes[s], res[s], have_nft, sizes[0] / 2,
			 s == n_sizes - 1 && s ? hot : NULL);
	if (n_sizes > 1) {
		/*
		 * The smallest size once more, after the largest: a host
		 * that got busier or quieter meanwhile shows as a difference
		 * between the two, and flatness is judged on their mean.
		 */
		const struct series *a = res[0], *b = res[n_sizes],
				    *z = res[n_sizes - 1];
		double small, small_min;

		delete_all();
		run_size(sizes[0], res[n_sizes], have_nft, 0, NULL);
		small = (a[M_LG].vs.ratio + b[M_LG].vs.ratio) / 2 - 1;
		small_min = (a[M_LG].vs.ratio_min +
			     b[M_LG].vs.ratio_min) / 2 - 1;
		printf("bench savi flat lg n_small=%lu n_large=%lu"
		       " extra_fraction_small=%.3f,%.3f extra_fraction_large=%.3f"
		       " extra_fraction_large_hot=%.3f large_vs_small=%.3f"
		       " large_vs_small_min=%.3f large_hot_vs_small=%.3f"
		       " target=<=1.2\n", sizes[0], sizes[n_sizes - 1],
		       a[M_LG].vs.ratio - 1, b[M_LG].vs.ratio - 1,
		       z[M_LG].vs.ratio - 1, hot[M_LG].vs.ratio - 1,
		       (z[M_LG].vs.ratio - 1) / small,
		       (z[M_LG].vs.ratio_min - 1) / small_min,
		       (hot[M_LG].vs.ratio - 1) / small);
	}
	fflush(stdout);

	atomic_store(&s_cmd, S_QUIT);
	pthread_join(th, NULL);
	lg_close(&nl);
	return 0;
}
