// SPDX-License-Identifier: GPL-2.0
/*
 * IGMP/MLD proxy benchmark: how fast leaseguard snoops membership
 * reports, what a group membership costs in kernel memory, and what the
 * forwarding filter costs a multicast router. It prints figures; it never
 * passes or fails on them.
 *
 *   netns C (subscriber)      netns R (router, ipmr)             netns S (source)
 *   eth0 10.0.0.2        --   acc0 (access, vif 1)  up0 (vif 0) -- eth0 10.0.1.2
 *   AF_PACKET: reports        MRT_INIT socket; MFC               AF_PACKET: UDP
 *                             (10.0.1.2, G) -> acc0              to G
 *
 * Reports: for N groups, prebuilt IGMPv3 (MLDv2) reports, each with K
 * records of S sources (MODE_IS_INCLUDE; MODE_IS_EXCLUDE({}) when S is
 * 0), are written into C's eth0 with AF_PACKET. veth hands each frame to
 * acc0 in the sender's own softirq, where the receive hook snoops it. The
 * rate is the growth of acc0's LG_LINK_STATS_A_MC_REPORTS over the time
 * from the first frame to the last report counted: first with new groups
 * (create), then the same reports again (refresh: every group exists).
 *
 * Memory: free memory (MemFree and the per-CPU free lists), Slab and
 * /proc/slabinfo before the groups are created and after, both once free
 * memory has settled (RCU frees, rhashtable resizes); then the family is
 * disabled, which deletes its groups, and free memory again: what did not
 * come back. Each size is repeated.
 *
 * Forwarding: a sender in S writes UDP frames to G into S's eth0; R's
 * ipmr forwards them out of acc0 (vif 1), whose FORWARD hook runs
 * leaseguard's filter. veth delivers them in the sender's softirq on the
 * sender's CPU, so what R spends per packet shows as fewer packets per
 * second. The figure is the growth of vif 0's packets in (ipmr's count of
 * packets it took from up0), over a slice of time. Modes:
 *   unloaded  no module (with -M only, first);
 *   off       module loaded, acc0 access, IGMP proxy disabled: no filter;
 *   pass      IGMP enabled, G joined on acc0 (EXCLUDE({})): the filter
 *             looks the group up and passes;
 *   drop      IGMP enabled, traffic to a second group G' whose state on
 *             acc0 excludes the source (EXCLUDE({10.0.1.2})): the filter
 *             drops every packet at the FORWARD hook.
 * acc0 also holds B background groups (-g), so the lookup is in a table
 * of B + 2. They take turns, one short slice each per round, under
 * traffic that never stops, as in fwd_bench.
 *
 * Usage: mcast_bench [-r ROUNDS] [-t SECONDS] [-M MODULE] [-s SOURCES]
 *                    [-k RECORDS] [-R REPEATS] [-g GROUPS] [-X] [N...]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <linux/if_packet.h>
#include <linux/mroute.h>
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

#include "bench.h"

#define MAX_SIZES	8
#define MAX_ROUNDS	100
#define MAX_REPEATS	10
#define TX_BATCH	64
#define FRAME_MAX	1514
#define FWD_LEN		60	/* 14 + 20 + 8 + 18 */
#define SANITY_K	200
#define BG_PER_REPORT	100	/* background groups' records per report */

enum { MC_IS_IN = 1, MC_IS_EX = 2 };

static const uint8_t mac_eth0[6] = { 2, 0, 0, 0, 1, 2 };	/* C */
static const uint8_t mac_s[6] = { 2, 0, 0, 0, 3, 2 };		/* S */

/* The forwarded groups: G (pass) and G' (drop), and their source. */
static const uint8_t grp_fwd[2][4] = { { 239, 100, 0, 1 },
				       { 239, 100, 0, 2 } };
static const uint8_t src_fwd[4] = { 10, 0, 1, 2 };

static uint32_t acc0, up0;
static int pkt_c = -1, pkt_s = -1, mrt_fd = -1;
static unsigned int n_src = 4, n_rec = 1, bg_groups = 1000;
static uint32_t max_groups, max_sources;

/* Namespaces */

/* IPv4 on acc0 -- C's eth0, and R's up0 -- S's eth0. */
static void setup_source_side(void)
{
	char cmd[2048];

	nsfd_s = netns_add(ns_s, "m", 's');
	enter(nsfd_r);
	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link set lo up;"
		 " ip -n %2$s link add up0 address 02:00:00:00:03:01 type veth"
		 "   peer name eth0 netns %1$s address 02:00:00:00:03:02;"
		 " ip -n %2$s addr add 10.0.1.1/24 dev up0;"
		 " ip -n %1$s addr add 10.0.1.2/24 dev eth0;"
		 " ip -n %2$s addr add 10.0.0.1/24 dev acc0;"
		 " ip -n %3$s addr add 10.0.0.2/24 dev eth0;"
		 " ip -n %2$s link set up0 up; ip -n %1$s link set eth0 up",
		 ns_s, ns_r, ns_c);
	run(cmd);
	enter(nsfd_r);
	sysctl_w("net/ipv4/conf/all/forwarding", "1");
}

/*
 * R's multicast routing, as a proxy's daemon would set it: vif 0 up0,
 * vif 1 acc0, and (10.0.1.2, G) from vif 0 to vif 1 for both groups.
 */
static void mroute_setup(void)
{
	struct vifctl v = { .vifc_flags = VIFF_USE_IFINDEX,
			    .vifc_threshold = 1 };
	struct mfcctl m = { .mfcc_parent = 0 };
	int one = 1, i;

	enter(nsfd_r);
	mrt_fd = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
	if (mrt_fd < 0 ||
	    setsockopt(mrt_fd, IPPROTO_IP, MRT_INIT, &one, sizeof(one)))
		die("MRT_INIT");
	v.vifc_vifi = 0;
	v.vifc_lcl_ifindex = up0;
	if (setsockopt(mrt_fd, IPPROTO_IP, MRT_ADD_VIF, &v, sizeof(v)))
		die("MRT_ADD_VIF up0");
	v.vifc_vifi = 1;
	v.vifc_lcl_ifindex = acc0;
	if (setsockopt(mrt_fd, IPPROTO_IP, MRT_ADD_VIF, &v, sizeof(v)))
		die("MRT_ADD_VIF acc0");
	memcpy(&m.mfcc_origin, src_fwd, 4);
	m.mfcc_ttls[1] = 1;
	for (i = 0; i < 2; i++) {
		memcpy(&m.mfcc_mcastgrp, grp_fwd[i], 4);
		if (setsockopt(mrt_fd, IPPROTO_IP, MRT_ADD_MFC, &m, sizeof(m)))
			die("MRT_ADD_MFC");
	}
}

/* Frames */

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static unsigned int csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Group i of the reports: 239.1.0.0 + i, or ff0e::db8:0:i. */
static void report_group(uint8_t *g, int fam, unsigned long i)
{
	if (fam == AF_INET) {
		g[0] = 239;
		g[1] = 1 + (i >> 16);
		g[2] = i >> 8;
		g[3] = i;
		return;
	}
	memset(g, 0, 16);
	g[0] = 0xff;
	g[1] = 0x0e;
	g[10] = 0x0d;
	g[11] = 0xb8;
	g[12] = i >> 24;
	g[13] = i >> 16;
	g[14] = i >> 8;
	g[15] = i;
}

/* Source k of a record: 10.0.1.2 + k, or 2001:db8:f::2 + k. */
static void report_source(uint8_t *a, int fam, unsigned int k)
{
	if (fam == AF_INET) {
		memcpy(a, src_fwd, 4);
		a[3] += k;
		return;
	}
	inet_pton(AF_INET6, "2001:db8:f::2", a);
	a[15] += k;
}

struct record {
	uint8_t type;
	uint8_t group[16];
	unsigned int n_src;
	uint8_t src[1][16];	/* or report_source() for 0..n_src-1 */
	bool gen_src;
};

static size_t rec_len(int fam, unsigned int nsrc)
{
	size_t alen = fam == AF_INET ? 4 : 16;

	return 4 + alen + nsrc * alen;
}

/*
 * An IGMPv3 or MLDv2 report from C's eth0 with @n records, as a host
 * sends it: IPv4 with Router Alert, TTL 1, to 224.0.0.22; IPv6 from
 * C's link-local, hop limit 1, a Hop-by-Hop Router Alert, to ff02::16.
 * Returns the frame's length.
 */
static size_t build_report(uint8_t *f, int fam, const struct record *r,
			   unsigned int n)
{
	size_t alen = fam == AF_INET ? 4 : 16, off, mlen, i;
	uint8_t *m;
	unsigned int k;
	uint32_t sum;

	memcpy(f + 6, mac_eth0, 6);
	if (fam == AF_INET) {
		static const uint8_t dst[6] = { 1, 0, 0x5e, 0, 0, 0x16 };

		memcpy(f, dst, 6);
		f[12] = 0x08;
		f[13] = 0x00;
		m = f + 14 + 24;
	} else {
		static const uint8_t dst[6] = { 0x33, 0x33, 0, 0, 0, 0x16 };

		memcpy(f, dst, 6);
		f[12] = 0x86;
		f[13] = 0xdd;
		m = f + 14 + 40 + 8;
	}
	/* The report's header, then the records. */
	m[0] = fam == AF_INET ? 0x22 : 143;
	m[1] = 0;
	put16(m + 2, 0);
	put16(m + 4, 0);
	put16(m + 6, n);
	off = 8;
	for (i = 0; i < n; i++) {
		m[off] = r[i].type;
		m[off + 1] = 0;
		put16(m + off + 2, r[i].n_src);
		memcpy(m + off + 4, r[i].group, alen);
		off += 4 + alen;
		for (k = 0; k < r[i].n_src; k++, off += alen) {
			if (r[i].gen_src)
				report_source(m + off, fam, k);
			else
				memcpy(m + off, r[i].src[k], alen);
		}
	}
	mlen = off;

	if (fam == AF_INET) {
		uint8_t *ip = f + 14;

		memset(ip, 0, 24);
		ip[0] = 0x46;
		ip[1] = 0xc0;
		put16(ip + 2, 24 + mlen);
		ip[8] = 1;			/* TTL */
		ip[9] = IPPROTO_IGMP;
		ip[12] = 10;			/* 10.0.0.2 */
		ip[15] = 2;
		ip[16] = 224;			/* 224.0.0.22 */
		ip[19] = 22;
		ip[20] = 0x94;			/* Router Alert */
		ip[21] = 4;
		put16(ip + 10, csum_fold(csum_add(0, ip, 24)));
		put16(m + 2, csum_fold(csum_add(0, m, mlen)));
		return 14 + 24 + mlen;
	}

	{
		uint8_t *ip = f + 14, *hbh = f + 14 + 40;

		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, 8 + mlen);
		ip[6] = 0;			/* Hop-by-Hop */
		ip[7] = 1;
		inet_pton(AF_INET6, "fe80::ff:fe00:102", ip + 8);
		inet_pton(AF_INET6, "ff02::16", ip + 24);
		hbh[0] = IPPROTO_ICMPV6;
		hbh[1] = 0;
		hbh[2] = 5;			/* Router Alert: MLD */
		hbh[3] = 2;
		hbh[4] = 0;
		hbh[5] = 0;
		hbh[6] = 1;			/* PadN */
		hbh[7] = 0;
		sum = csum_add(0, ip + 8, 32);
		sum += mlen;
		sum += IPPROTO_ICMPV6;
		sum = csum_add(sum, m, mlen);
		put16(m + 2, csum_fold(sum));
		return 14 + 40 + 8 + mlen;
	}
}

/* A set of prebuilt reports. */
struct reports {
	uint8_t *buf;		/* n frames, FRAME_MAX apart */
	uint16_t *len;
	unsigned long n, records;
};

static void reports_free(struct reports *rs)
{
	free(rs->buf);
	free(rs->len);
	memset(rs, 0, sizeof(*rs));
}

/*
 * Groups [@first, @first + @groups) of @fam, @per records a report, each
 * with @nsrc sources (IS_IN), or IS_EX({}) if @nsrc is 0.
 */
static void reports_build(struct reports *rs, int fam, unsigned long first,
			  unsigned long groups, unsigned int per,
			  unsigned int nsrc)
{
	struct record r[BG_PER_REPORT];
	unsigned long i, g = 0;
	unsigned int k;

	rs->n = (groups + per - 1) / per;
	rs->records = groups;
	rs->buf = malloc(rs->n * FRAME_MAX);
	rs->len = malloc(rs->n * sizeof(*rs->len));
	if (!rs->buf || !rs->len)
		die("malloc");
	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < per && g < groups; k++, g++) {
			memset(&r[k], 0, sizeof(r[k]));
			r[k].type = nsrc ? MC_IS_IN : MC_IS_EX;
			report_group(r[k].group, fam, first + g);
			r[k].n_src = nsrc;
			r[k].gen_src = true;
		}
		rs->len[i] = build_report(rs->buf + i * FRAME_MAX, fam, r, k);
	}
}

static struct iovec tx_iov[TX_BATCH];
static struct mmsghdr tx_m[TX_BATCH];
static unsigned long backlog_full;	/* frames sent again */

/* Writes every report of @rs into C's eth0. */
static void reports_send(const struct reports *rs)
{
	unsigned long i;
	int k, b;

	for (i = 0; i < rs->n; i += b) {
		b = rs->n - i < TX_BATCH ? (int)(rs->n - i) : TX_BATCH;
		for (k = 0; k < b; k++) {
			tx_iov[k].iov_base = rs->buf + (i + k) * FRAME_MAX;
			tx_iov[k].iov_len = rs->len[i + k];
			tx_m[k].msg_hdr.msg_iov = &tx_iov[k];
			tx_m[k].msg_hdr.msg_iovlen = 1;
		}
		if (send_all(pkt_c, tx_m, b, &backlog_full) < 0)
			die("report sendmmsg");
	}
}

/* Netlink */

static void lg_link_set_access(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, acc0);
	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, LG_ROLE_ACCESS);
	mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, LG_SAVI_OFF);
	mnl_attr_put_u8(nlh, LG_LINK_A_DHCP6_SHIELD, 0);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "mcast_bench: link set: %s (%s)\n",
			strerror(-ack.err), ack.msg);
		exit(1);
	}
}

/* Enables or disables @fam's proxy (which deletes its groups), and the limits. */
static void mcast_set(int fam, bool enable)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_MCAST_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MCAST);

	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, fam);
	mnl_attr_put_u8(nlh, LG_MCAST_A_ENABLE, enable);
	mnl_attr_put_u32(nlh, LG_MCAST_A_MAX_GROUPS, max_groups);
	mnl_attr_put_u32(nlh, LG_MCAST_A_MAX_SOURCES, max_sources);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "mcast_bench: mcast set: %s (%s)\n",
			strerror(-ack.err), ack.msg);
		exit(1);
	}
}

/* Counters of R */

/* ipmr's packets in on vif 0 (up0): every packet it took from upstream. */
static uint64_t vif0_pkts_in(void)
{
	char line[512], name[32];
	unsigned long bin, pin = 0;
	uint64_t v = 0;
	FILE *f = fopen("/proc/thread-self/net/ip_mr_vif", "r");
	int idx;

	if (!f)
		die("/proc/thread-self/net/ip_mr_vif");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %31s %lu %lu", &idx, name, &bin, &pin) == 4 &&
		    idx == 0)
			v = pin;
	fclose(f);
	return v;
}

/* Reports and memory */

/* acc0's reports snooped (LG_LINK_STATS_A_MC_REPORTS). */
static uint64_t reports_seen(int fam)
{
	uint64_t ls[64];

	(void)fam;
	read_link_stats(acc0, ls);
	return ls[LG_LINK_STATS_A_MC_REPORTS];
}

/* R's IP packets received (InReceives), counted before the hooks. */
static uint64_t ip_in_receives(int fam)
{
	char line[1024], *p;
	uint64_t v = 0;
	FILE *f;

	if (fam == AF_INET6) {
		f = fopen("/proc/thread-self/net/snmp6", "r");
		if (!f)
			die("/proc/thread-self/net/snmp6");
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Ip6InReceives %" SCNu64, &v) == 1)
				break;
		fclose(f);
		return v;
	}
	f = fopen("/proc/thread-self/net/snmp", "r");
	if (!f)
		die("/proc/thread-self/net/snmp");
	/* "Ip: Forwarding DefaultTTL InReceives ...", then the values. */
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Ip: ", 4) || !strncmp(line, "Ip: F", 5))
			continue;
		p = line + 4;
		sscanf(p, "%*u %*u %" SCNu64, &v);
		break;
	}
	fclose(f);
	return v;
}

/*
 * Waits until @count(@fam) has grown by @expect since @base, or has not
 * moved for a second; returns the growth, and in @t the time the last of
 * it was seen.
 */
static uint64_t wait_count(uint64_t (*count)(int), int fam, uint64_t base,
			   uint64_t expect, double *t)
{
	uint64_t got = 0, last = UINT64_MAX;
	double t_last = now_s();

	for (;;) {
		got = count(fam) - base;
		if (got != last) {
			last = got;
			t_last = now_s();
		}
		if (got >= expect || now_s() - t_last > 1)
			break;
		usleep(1000);
	}
	*t = t_last;
	return got;
}

static const char *fam_name(int fam)
{
	return fam == AF_INET ? "igmp" : "mld";
}

struct rep_res {
	double base_ps, create_ps, refresh_ps, bytes, slab, objs;
	long not_returned_kb;
	uint64_t shortfall;
};

/* The slab caches that grew by more than a byte a group; their bytes. */
static double print_slabs(const char *label, const struct slabinfo *a,
			  const struct slabinfo *b, uint64_t groups)
{
	double objs_bytes = 0;
	int k, shown = 0;

	for (k = 0; k < b->n; k++) {
		const struct slab *x = &b->s[k];
		const struct slab *y = find_slab(a, x->name);
		long dobj = x->active - (y ? y->active : 0);
		long dbytes = x->bytes - (y ? y->bytes : 0);

		if (dbytes < (long)groups && dobj < (long)groups / 64)
			continue;
		printf("bench mcast %s slab cache=%s objsize=%ld objs_delta=%ld"
		       " objs_per_group=%.3f bytes_delta=%ld"
		       " bytes_per_group=%.1f\n", label, x->name, x->objsize,
		       dobj, (double)dobj / groups, dbytes,
		       (double)dbytes / groups);
		if (dobj > 0)
			objs_bytes += (double)dobj * x->objsize;
		shown++;
	}
	if (!shown)
		printf("bench mcast %s slab none_grew\n", label);
	return objs_bytes / groups;
}

/*
 * One repeat at size @n: create the groups (timed), the memory they
 * take, the same reports again (timed), then the family disabled.
 */
static void run_repeat(int fam, unsigned long n, int rep,
		       const struct reports *rs, struct rep_res *res)
{
	uint64_t st0[LG_STATS_A_MAX + 1], st1[LG_STATS_A_MAX + 1];
	uint64_t st2[LG_STATS_A_MAX + 1], ls0[64], ls1[64], ls2[64];
	uint64_t got, created, refreshed, base;
	static struct slabinfo s0, s1;
	struct meminfo m0, m1, m2;
	double t0, t1, t_create, t_refresh, t_dis;
	unsigned long bf;
	char label[96];
	bool have_slab;
	long dfree;
	int i;

	snprintf(label, sizeof(label), "n=%lu family=%s rep=%d", n,
		 fam_name(fam), rep);

	/*
	 * The same reports with the family disabled: what veth and R's IP
	 * receive path cost without the snooping, timed by InReceives.
	 */
	base = ip_in_receives(fam);
	bf = backlog_full;
	t0 = now_s();
	reports_send(rs);
	got = wait_count(ip_in_receives, fam, base, rs->n, &t1);
	bf = backlog_full - bf;
	res->base_ps = got / (t1 - t0);
	printf("bench mcast %s baseline proxy=off received=%" PRIu64
	       " backlog_full=%lu baseline_s=%.3f reports_per_s=%.0f\n",
	       label, got, bf, t1 - t0, res->base_ps);

	mcast_set(fam, true);
	settle();
	read_stats(st0);
	read_link_stats(acc0, ls0);
	read_meminfo(&m0);
	have_slab = read_slabinfo(&s0);

	bf = backlog_full;
	t0 = now_s();
	reports_send(rs);
	got = wait_count(reports_seen, fam, ls0[LG_LINK_STATS_A_MC_REPORTS],
			 rs->n, &t1);
	t_create = t1 - t0;
	bf = backlog_full - bf;
	read_stats(st1);
	read_link_stats(acc0, ls1);
	created = st1[LG_STATS_A_MC_GROUPS_CREATED] -
		  st0[LG_STATS_A_MC_GROUPS_CREATED];
	{
		uint64_t malformed = 0;

		for (i = LG_STATS_A_MC_MALFORMED_SHORT;
		     i <= LG_STATS_A_MC_MALFORMED_IP; i++)
			malformed += st1[i] - st0[i];
		printf("bench mcast %s create reports=%" PRIu64
		       " shortfall=%" PRId64 " records=%" PRIu64
		       " ignored=%" PRIu64 " groups_created=%" PRIu64
		       " groups_now=%" PRIu64 " groups_limited=%" PRIu64
		       " sources_limited=%" PRIu64 " nomem=%" PRIu64
		       " malformed=%" PRIu64 " backlog_full=%lu create_s=%.3f"
		       " reports_per_s=%.0f records_per_s=%.0f\n",
		       label, got, (int64_t)(rs->n - got),
		       st1[LG_STATS_A_MC_RECORDS] - st0[LG_STATS_A_MC_RECORDS],
		       st1[LG_STATS_A_MC_RECORDS_IGNORED] -
		       st0[LG_STATS_A_MC_RECORDS_IGNORED],
		       created, st1[LG_STATS_A_MC_GROUPS],
		       ls1[LG_LINK_STATS_A_MC_GROUPS_LIMITED] -
		       ls0[LG_LINK_STATS_A_MC_GROUPS_LIMITED],
		       ls1[LG_LINK_STATS_A_MC_SOURCES_LIMITED] -
		       ls0[LG_LINK_STATS_A_MC_SOURCES_LIMITED],
		       st1[LG_STATS_A_MC_NOMEM] - st0[LG_STATS_A_MC_NOMEM],
		       malformed, bf, t_create, got / t_create,
		       (double)(st1[LG_STATS_A_MC_RECORDS] -
				st0[LG_STATS_A_MC_RECORDS]) / t_create);
	}
	res->create_ps = got / t_create;
	res->shortfall = n - created;
	if (!created)
		created = 1;

	settle();
	read_meminfo(&m1);
	have_slab = have_slab && read_slabinfo(&s1);
	dfree = m0.free_kb - m1.free_kb;
	res->bytes = dfree * 1024.0 / created;
	res->slab = (m1.slab_kb - m0.slab_kb) * 1024.0 / created;
	res->objs = have_slab ? print_slabs(label, &s0, &s1, created) : -1;
	if (!have_slab)
		printf("bench mcast %s slab unreadable\n", label);
	printf("bench mcast %s mem method=free_pcp_delta groups=%" PRIu64
	       " sources_per_group=%u bytes_per_group=%.0f"
	       " slab_per_group=%.0f sunreclaim_per_group=%.0f"
	       " vmalloc_per_group=%.0f objs_bytes_per_group=%.0f"
	       " free_delta_kb=%ld memfree_delta_kb=%ld pcp_delta_kb=%ld\n",
	       label, created, n_src, res->bytes, res->slab,
	       (m1.sunreclaim_kb - m0.sunreclaim_kb) * 1024.0 / created,
	       (m1.vmalloc_kb - m0.vmalloc_kb) * 1024.0 / created, res->objs,
	       dfree, m0.memfree_kb - m1.memfree_kb, m0.pcp_kb - m1.pcp_kb);

	/* The same reports again: every group is there, timers refresh. */
	read_link_stats(acc0, ls1);
	read_stats(st1);
	bf = backlog_full;
	t0 = now_s();
	reports_send(rs);
	got = wait_count(reports_seen, fam, ls1[LG_LINK_STATS_A_MC_REPORTS],
			 rs->n, &t1);
	t_refresh = t1 - t0;
	bf = backlog_full - bf;
	read_stats(st2);
	read_link_stats(acc0, ls2);
	refreshed = st2[LG_STATS_A_MC_RECORDS] - st1[LG_STATS_A_MC_RECORDS];
	res->refresh_ps = got / t_refresh;
	printf("bench mcast %s refresh reports=%" PRIu64 " records=%" PRIu64
	       " groups_created=%" PRIu64 " groups_now=%" PRIu64
	       " backlog_full=%lu refresh_s=%.3f reports_per_s=%.0f"
	       " records_per_s=%.0f\n",
	       label, got, refreshed,
	       st2[LG_STATS_A_MC_GROUPS_CREATED] -
	       st1[LG_STATS_A_MC_GROUPS_CREATED], st2[LG_STATS_A_MC_GROUPS],
	       bf, t_refresh, got / t_refresh, refreshed / t_refresh);

	/* Disabling the family deletes its groups: does the memory return? */
	t0 = now_s();
	mcast_set(fam, false);
	t_dis = now_s() - t0;
	read_stats(st2);
	settle();
	read_meminfo(&m2);
	res->not_returned_kb = m0.free_kb - m2.free_kb;
	printf("bench mcast %s disable groups_left=%" PRIu64
	       " groups_deleted=%" PRIu64 " disable_s=%.3f"
	       " free_not_returned_kb=%ld slab_not_returned_kb=%ld\n",
	       label, st2[LG_STATS_A_MC_GROUPS],
	       st2[LG_STATS_A_MC_GROUPS_DELETED] -
	       st0[LG_STATS_A_MC_GROUPS_DELETED], t_dis,
	       res->not_returned_kb, m2.slab_kb - m0.slab_kb);
	fflush(stdout);
}

static void run_size(int fam, unsigned long n, int repeats)
{
	struct rep_res r[MAX_REPEATS];
	double c[MAX_REPEATS], f[MAX_REPEATS], b[MAX_REPEATS];
	double s[MAX_REPEATS], o[MAX_REPEATS], z[MAX_REPEATS];
	double dc[MAX_REPEATS], df[MAX_REPEATS];
	struct reports rs;
	uint64_t shortfall = 0;
	long not_returned = 0;
	int i;

	reports_build(&rs, fam, 0, n, n_rec, n_src);
	fprintf(stderr, "# mcast_bench: family=%s n=%lu reports=%lu"
		" frame_bytes=%u\n", fam_name(fam), n, rs.n, rs.len[0]);
	for (i = 0; i < repeats; i++) {
		run_repeat(fam, n, i + 1, &rs, &r[i]);
		z[i] = r[i].base_ps;
		c[i] = r[i].create_ps;
		f[i] = r[i].refresh_ps;
		/* The snooping's own ns per report, against the same repeat. */
		dc[i] = 1e9 / c[i] - 1e9 / z[i];
		df[i] = 1e9 / f[i] - 1e9 / z[i];
		b[i] = r[i].bytes;
		s[i] = r[i].slab;
		o[i] = r[i].objs;
		if (r[i].shortfall > shortfall)
			shortfall = r[i].shortfall;
		if (labs(r[i].not_returned_kb) > labs(not_returned))
			not_returned = r[i].not_returned_kb;
	}
	printf("bench mcast n=%lu family=%s repeats=%d sources=%u"
	       " records_per_report=%u baseline_per_s=%.0f create_per_s=%.0f"
	       " refresh_per_s=%.0f create_extra_ns=%.0f refresh_extra_ns=%.0f"
	       " bytes_per_group=%.0f slab_per_group=%.0f"
	       " objs_bytes_per_group=%.0f shortfall_max=%" PRIu64
	       " free_not_returned_kb_max=%ld\n",
	       n, fam_name(fam), repeats, n_src, n_rec, median(z, repeats),
	       median(c, repeats), median(f, repeats), median(dc, repeats),
	       median(df, repeats), median(b, repeats), median(s, repeats),
	       median(o, repeats), shortfall, not_returned);
	fflush(stdout);
	reports_free(&rs);
}

/* The forwarding sender */

enum { S_IDLE, S_RUN, S_QUIT };

static _Atomic int s_cmd = S_IDLE;
static _Atomic int s_idle = 1;
static _Atomic int s_group;		/* 0: G, 1: G' */

static uint8_t fwd_frame[2][FWD_LEN];
static struct iovec fwd_iov[2][TX_BATCH];
static struct mmsghdr fwd_m[2][TX_BATCH];

/* UDP from 10.0.1.2 to G and to G', 18 octets of data, no UDP checksum. */
static void fwd_frames_init(void)
{
	int g, i;

	for (g = 0; g < 2; g++) {
		uint8_t *f = fwd_frame[g], *ip = f + 14;

		f[0] = 1;
		f[1] = 0;
		f[2] = 0x5e;
		f[3] = grp_fwd[g][1] & 0x7f;
		f[4] = grp_fwd[g][2];
		f[5] = grp_fwd[g][3];
		memcpy(f + 6, mac_s, 6);
		f[12] = 0x08;
		f[13] = 0x00;
		ip[0] = 0x45;
		put16(ip + 2, FWD_LEN - 14);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, src_fwd, 4);
		memcpy(ip + 16, grp_fwd[g], 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
		put16(ip + 20, 40000);
		put16(ip + 22, 5001);
		put16(ip + 24, FWD_LEN - 14 - 20);
		for (i = 0; i < TX_BATCH; i++) {
			fwd_iov[g][i].iov_base = f;
			fwd_iov[g][i].iov_len = FWD_LEN;
			fwd_m[g][i].msg_hdr.msg_iov = &fwd_iov[g][i];
			fwd_m[g][i].msg_hdr.msg_iovlen = 1;
		}
	}
}

static int send_fwd(int n)
{
	int r = sendmmsg(pkt_s, fwd_m[atomic_load(&s_group)], n, 0);

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
		send_fwd(TX_BATCH);
	}
	return NULL;
}

static void sender_start(void)
{
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

enum mode { M_UNLOADED, M_OFF, M_PASS, M_DROP, M_MODES };

static const char *const mode_name[] = { "unloaded", "off", "pass", "drop" };

static const char *module;
static bool loaded, igmp_on;
static struct reports joins;	/* G and G', then the background groups */

/* Loads or unloads the module; loaded, acc0 is access, both proxies off. */
static void set_loaded(bool on)
{
	char cmd[PATH_MAX + 16];

	if (on == loaded)
		return;
	if (!on) {
		lg_close(&nl);
		run("rmmod leaseguard");
		loaded = false;
		igmp_on = false;
		return;
	}
	snprintf(cmd, sizeof(cmd), "insmod %s", module);
	run(cmd);
	loaded = true;
	if (lg_open(&nl)) {
		fprintf(stderr, "mcast_bench: no leaseguard family: is leaseguard.ko loaded?\n");
		exit(1);
	}
	lg_link_set_access();
	mcast_set(AF_INET, false);
	mcast_set(AF_INET6, false);
}

/*
 * IGMP on, and acc0's groups made anew: G in EXCLUDE({}), G' in
 * EXCLUDE({10.0.1.2}), and the background. False if they did not all
 * appear within 2 s.
 */
static bool join_all(void)
{
	uint64_t st[LG_STATS_A_MAX + 1];
	double t0;

	if (igmp_on)
		return true;
	mcast_set(AF_INET, true);
	igmp_on = true;
	reports_send(&joins);
	t0 = now_s();
	do {
		read_stats(st);
		if (st[LG_STATS_A_MC_GROUPS] == joins.records)
			return true;
		usleep(1000);
	} while (now_s() - t0 < 2);
	fprintf(stderr, "# join: %" PRIu64 " groups, not %lu\n",
		st[LG_STATS_A_MC_GROUPS], joins.records);
	return false;
}

/* Reports joining G, G' and the background groups, in as few frames as fit. */
static void joins_build(void)
{
	struct reports bg = {};
	struct record r[2] = {};
	size_t len;

	r[0].type = MC_IS_EX;
	memcpy(r[0].group, grp_fwd[0], 4);
	r[1].type = MC_IS_EX;
	memcpy(r[1].group, grp_fwd[1], 4);
	r[1].n_src = 1;
	memcpy(r[1].src[0], src_fwd, 4);
	if (bg_groups)
		reports_build(&bg, AF_INET, 0x10000, bg_groups,
			      BG_PER_REPORT, 0);
	joins.n = 1 + bg.n;
	joins.records = 2 + bg_groups;
	joins.buf = malloc(joins.n * FRAME_MAX);
	joins.len = malloc(joins.n * sizeof(*joins.len));
	if (!joins.buf || !joins.len)
		die("malloc");
	len = build_report(joins.buf, AF_INET, r, 2);
	joins.len[0] = len;
	if (bg.n) {
		memcpy(joins.buf + FRAME_MAX, bg.buf, bg.n * FRAME_MAX);
		memcpy(joins.len + 1, bg.len, bg.n * sizeof(*bg.len));
	}
	reports_free(&bg);
}

/* False if the mode could not be set up as it claims. */
static bool mode_enter(enum mode m)
{
	bool ok = true;

	switch (m) {
	case M_UNLOADED:
		set_loaded(false);
		break;
	case M_OFF:
		set_loaded(true);
		if (igmp_on)
			mcast_set(AF_INET, false);
		igmp_on = false;
		atomic_store(&s_group, 0);
		break;
	case M_PASS:
	case M_DROP:
		set_loaded(true);
		ok = join_all();
		atomic_store(&s_group, m == M_DROP);
		break;
	default:
		break;
	}
	return ok;
}

struct counts {
	uint64_t in, fwd, passed, dropped;
};

static void read_counts(struct counts *c)
{
	uint64_t ls[64] = {};

	c->in = vif0_pkts_in();
	c->fwd = dev_tx_packets("acc0");
	if (loaded)
		read_link_stats(acc0, ls);
	c->passed = ls[LG_LINK_STATS_A_MC_FWD_PASSED];
	c->dropped = ls[LG_LINK_STATS_A_MC_FWD_DROP];
}

struct series {
	int n;
	double ns[MAX_ROUNDS];	/* 1e9 / pps, per round */
	double fwd_pps[MAX_ROUNDS], drop_pps[MAX_ROUNDS];
	uint64_t backlog_drops, wrong;
	unsigned int switch_failed;
	double switch_max_s;
	struct rounds_vs_base vs;	/* against the base */
};

/*
 * Under TCG, frames can wait in the per-CPU backlogs for tens of
 * milliseconds: the settle time lets those of the previous mode through.
 */
static double slice_s = 0.2, settle_s = 0.1;
static int rounds = 60;

/* One slice of the running sender: packets ipmr took from up0, per second. */
static double slice_pps(enum mode m, struct series *s)
{
	struct counts a, b;
	uint64_t b0 = backlog_drops();
	double t0, t;

	read_counts(&a);
	t0 = now_s();
	sleep_s(slice_s);
	read_counts(&b);
	t = now_s() - t0;
	s->backlog_drops += backlog_drops() - b0;
	s->fwd_pps[s->n] = (b.fwd - a.fwd) / t;
	s->drop_pps[s->n] = (b.dropped - a.dropped) / t;
	/* What the mode must not do: drop in pass or off, pass in drop. */
	if (m == M_DROP)
		s->wrong += b.fwd - a.fwd;
	else
		s->wrong += b.dropped - a.dropped;
	return (b.in - a.in) / t;
}

/*
 * Rounds of one slice per mode, the order rotated each round, under
 * traffic that never stops; see fwd_bench.c.
 */
static void run_rounds(const char *label, const enum mode *modes,
		       int n_modes, int n_rounds, struct series *res)
{
	int r, i;

	sender_start();
	for (r = 0; r < n_rounds; r++) {
		char line[256];
		int len = snprintf(line, sizeof(line), "# %s round=%d", label, r);

		for (i = 0; i < n_modes; i++) {
			enum mode m = modes[(i + r) % n_modes];
			struct series *s = &res[m];
			double t, pps;

			t = now_s();
			if (!mode_enter(m))
				s->switch_failed++;
			t = now_s() - t;
			if (t > s->switch_max_s)
				s->switch_max_s = t;
			sleep_s(settle_s);
			pps = slice_pps(m, s);
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
	print_rounds("mcast", label, mode_name[m], s->ns,
		     base && base->n == s->n ? base->ns : NULL, s->n, &s->vs);
	printf(" fwd_pps_median=%.0f drop_pps_median=%.0f"
	       " backlog_drops=%" PRIu64 " wrong=%" PRIu64
	       " switch_max_ms=%.0f switch_failed=%u\n",
	       median(s->fwd_pps, s->n), median(s->drop_pps, s->n),
	       s->backlog_drops, s->wrong, s->switch_max_s * 1e3,
	       s->switch_failed);
	fflush(stdout);
}

/*
 * Checks that a mode does what it claims, with the sender stopped: 200
 * frames, all taken from up0, and forwarded (off, pass: counted as
 * passed) or dropped by the filter (drop).
 */
static void sanity(enum mode m)
{
	struct counts a, b;
	uint64_t in, fwd, passed, dropped;
	bool ok;
	int k;

	ok = mode_enter(m);
	read_counts(&a);
	for (k = SANITY_K; k > 0; k -= TX_BATCH)
		if (send_fwd(k < TX_BATCH ? k : TX_BATCH) !=
		    (k < TX_BATCH ? k : TX_BATCH))
			fprintf(stderr, "# sanity: short send\n");
	sleep_s(0.2);
	read_counts(&b);
	in = b.in - a.in;
	fwd = b.fwd - a.fwd;
	passed = b.passed - a.passed;
	dropped = b.dropped - a.dropped;
	ok = ok && in == SANITY_K &&
	     fwd == (m == M_DROP ? 0 : SANITY_K) &&
	     passed == (m == M_PASS ? SANITY_K : 0) &&
	     dropped == (m == M_DROP ? SANITY_K : 0);
	printf("bench mcast fwd sanity mode=%s sent=%d vif_in=%" PRIu64
	       " forwarded=%" PRIu64 " fwd_passed=%" PRIu64
	       " fwd_drop=%" PRIu64 " ok=%d\n", mode_name[m], SANITY_K, in,
	       fwd, passed, dropped, ok);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: mcast_bench [-r ROUNDS] [-t SECONDS] [-M MODULE] [-s SOURCES]\n"
		"                   [-k RECORDS] [-R REPEATS] [-g GROUPS] [-X] [N...]\n"
		"  N           groups for the report and memory figures, IGMP then\n"
		"              MLD, 1..%d each (e.g. 1000 10000 60000)\n"
		"  -s SOURCES  sources per record (default 4; 0: IS_EX({}));\n"
		"              a report must fit in a 1514-octet frame\n"
		"  -k RECORDS  records per report (default 1)\n"
		"  -R REPEATS  repeats of each size (default 3, max %d)\n"
		"  -r ROUNDS   forwarding: rounds of one slice per mode (default 60,\n"
		"              max %d)\n"
		"  -t SECONDS  forwarding: length of a slice (default 0.2)\n"
		"  -g GROUPS   forwarding: background groups on acc0 (default 1000)\n"
		"  -M MODULE   leaseguard is not loaded: first compare no module\n"
		"              with the module loaded (insmod/rmmod MODULE)\n"
		"  -X          no forwarding figures\n",
		LG_MC_MAX_GROUPS_LIMIT, MAX_REPEATS, MAX_ROUNDS);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct series res[M_MODES], hook[M_MODES];
	unsigned long sizes[MAX_SIZES], max_n = 0;
	int opt, n_sizes = 0, repeats = 3, s, f;
	bool do_fwd = true;
	size_t flen;
	pthread_t th;

	while ((opt = getopt(argc, argv, "r:t:M:s:k:R:g:Xh")) != -1) {
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
		case 's':
			n_src = strtoul(optarg, NULL, 0);
			if (n_src > LG_MC_MAX_SOURCES_LIMIT)
				usage();
			break;
		case 'k':
			n_rec = strtoul(optarg, NULL, 0);
			if (!n_rec || n_rec > BG_PER_REPORT)
				usage();
			break;
		case 'R':
			repeats = atoi(optarg);
			if (repeats < 1 || repeats > MAX_REPEATS)
				usage();
			break;
		case 'g':
			bg_groups = strtoul(optarg, NULL, 0);
			if (bg_groups > LG_MC_MAX_GROUPS_LIMIT - 2)
				usage();
			break;
		case 'X':
			do_fwd = false;
			break;
		default:
			usage();
		}
	}
	for (; optind < argc; optind++) {
		unsigned long n = strtoul(argv[optind], NULL, 0);

		if (n_sizes == MAX_SIZES || !n || n > LG_MC_MAX_GROUPS_LIMIT)
			usage();
		sizes[n_sizes++] = n;
		if (n > max_n)
			max_n = n;
	}
	if (!n_sizes && !do_fwd)
		usage();
	/* The largest report, MLD's, must fit in a frame. */
	flen = 14 + 40 + 8 + 8 + n_rec * rec_len(AF_INET6, n_src);
	if (flen > FRAME_MAX) {
		fprintf(stderr, "mcast_bench: %u records of %u sources make"
			" %zu-octet frames\n", n_rec, n_src, flen);
		usage();
	}
	max_groups = max_n > LG_MC_MAX_GROUPS_DEFAULT ? max_n :
		     LG_MC_MAX_GROUPS_DEFAULT;
	if (do_fwd && bg_groups + 2 > max_groups)
		max_groups = bg_groups + 2;
	max_sources = n_src > LG_MC_MAX_SOURCES_DEFAULT ? n_src :
		      LG_MC_MAX_SOURCES_DEFAULT;
	loaded = !access("/sys/module/leaseguard", F_OK);
	if (module && loaded) {
		fprintf(stderr, "mcast_bench: -M: leaseguard is loaded already\n");
		return 2;
	}

	setup_namespaces("m");
	setup_source_side();
	enter(nsfd_r);
	acc0 = if_nametoindex("acc0");
	up0 = if_nametoindex("up0");
	pkt_c = packet_socket(nsfd_c);
	pkt_s = packet_socket(nsfd_s);
	if (do_fwd) {
		mroute_setup();
		fwd_frames_init();
		joins_build();
	}
	/* The sender and its softirq on CPU 0, the rest out of its way. */
	pin(pthread_self(), 1);
	if (pthread_create(&th, NULL, sender, NULL))
		die("pthread_create");
	pin(th, 0);

	printf("bench mcast setup sizes=%d sources=%u records_per_report=%u"
	       " repeats=%d max_groups=%u rounds=%d slice_s=%.2f"
	       " fwd_frame_bytes=%d background_groups=%u sink=veth"
	       " sender_cpu=0\n", n_sizes, n_src, n_rec, repeats, max_groups,
	       do_fwd ? rounds : 0, slice_s, FWD_LEN, do_fwd ? bg_groups : 0);
	fflush(stdout);

	if (module && do_fwd) {
		/* What the hooks cost with nothing to filter: no module vs off. */
		enum mode m[2] = { M_UNLOADED, M_OFF };
		int hr = rounds < 10 ? rounds : 10;

		sanity(M_UNLOADED);
		run_rounds("hook", m, 2, hr, hook);
		print_series("hook", M_UNLOADED, &hook[M_UNLOADED], NULL);
		print_series("hook", M_OFF, &hook[M_OFF], &hook[M_UNLOADED]);
	}
	if (module) {
		set_loaded(true);
	} else {
		if (!loaded || lg_open(&nl)) {
			fprintf(stderr, "mcast_bench: no leaseguard family: is leaseguard.ko loaded?\n");
			return 1;
		}
		lg_link_set_access();
		mcast_set(AF_INET, false);
		mcast_set(AF_INET6, false);
	}

	/* Reports and memory, IGMP then MLD, the other family disabled. */
	for (f = 0; f < 2; f++)
		for (s = 0; s < n_sizes; s++)
			run_size(f ? AF_INET6 : AF_INET, sizes[s], repeats);

	if (do_fwd) {
		enum mode m[3] = { M_OFF, M_PASS, M_DROP };
		const struct series *off = &res[M_OFF];

		sanity(M_OFF);
		sanity(M_PASS);
		sanity(M_DROP);
		run_rounds("fwd", m, 3, rounds, res);
		print_series("fwd", M_OFF, &res[M_OFF], NULL);
		print_series("fwd", M_PASS, &res[M_PASS], off);
		print_series("fwd", M_DROP, &res[M_DROP], off);
		printf("bench mcast fwd filter pass_extra_ns=%.1f pass_ratio=%.3f"
		       " pass_ratio_min=%.3f drop_pps_median=%.0f"
		       " drop_vs_off_ratio=%.3f\n",
		       res[M_PASS].vs.extra_ns, res[M_PASS].vs.ratio,
		       res[M_PASS].vs.ratio_min,
		       median(res[M_DROP].drop_pps, res[M_DROP].n),
		       res[M_DROP].vs.ratio);
		if (igmp_on)
			mcast_set(AF_INET, false);
	}
	fflush(stdout);

	atomic_store(&s_cmd, S_QUIT);
	pthread_join(th, NULL);
	reports_free(&joins);
	lg_close(&nl);
	if (mrt_fd >= 0)
		close(mrt_fd);
	return 0;
}
