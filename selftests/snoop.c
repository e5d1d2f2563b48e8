// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv6 snooping against what a hostile subscriber, or a damaged packet,
 * throws at it, in the topology of dhcp6_topology.h: REPLYs over 2048
 * bytes, bad UDP checksums, a neighbour repeating a victim's request, and
 * a flood of requests while another subscriber's exchanges must still be
 * learned. Besides the sockets of the topology, C writes whole Ethernet
 * frames on its eth0 (or eth1, behind a second access interface acc1),
 * with any source MAC and address, and R's relay can send raw UDP.
 */
#include "dhcp6_topology.h"

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

static const uint8_t cl_mac[6] = { 2, 0, 0, 0, 1, 2 };
static const uint8_t rtr_mac[6] = { 2, 0, 0, 0, 1, 1 };
static const uint8_t nb_mac[6] = { 2, 0, 0, 0, 1, 0x99 };
static const uint8_t mc_mac[6] = { 0x33, 0x33, 0, 1, 0, 2 };

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* The UDP checksum of @udp (header and payload, checksum field 0). */
static uint16_t udp_csum(const struct in6_addr *src, const struct in6_addr *dst,
			 const uint8_t *udp, size_t len)
{
	uint8_t pseudo[40] = {};
	uint16_t c;

	memcpy(pseudo, src, 16);
	memcpy(pseudo + 16, dst, 16);
	pseudo[34] = len >> 8;
	pseudo[35] = len;
	pseudo[39] = IPPROTO_UDP;
	c = ~fold(sum16(sum16(0, pseudo, 40), udp, len));
	return c ? c : 0xffff;
}

/* A UDP header and @msg at @udp; the checksum right, or off by one. */
static size_t udp_build(uint8_t *udp, const struct in6_addr *src,
			const struct in6_addr *dst, uint16_t sport,
			uint16_t dport, const struct d6b *msg, bool bad)
{
	size_t len = 8 + msg->len;
	uint16_t c;

	udp[0] = sport >> 8;
	udp[1] = sport;
	udp[2] = dport >> 8;
	udp[3] = dport;
	udp[4] = len >> 8;
	udp[5] = len;
	udp[6] = udp[7] = 0;
	memcpy(udp + 8, msg->buf, msg->len);
	c = udp_csum(src, dst, udp, len) + bad;
	udp[6] = c >> 8;
	udp[7] = c;
	return len;
}

/* An Ethernet frame carrying @msg from @src:546 to @dst:547. */
static size_t frame_build(uint8_t *f, const uint8_t *smac, const uint8_t *dmac,
			  const struct in6_addr *src,
			  const struct in6_addr *dst, const struct d6b *msg,
			  bool bad)
{
	size_t len;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(f + 14, 0, 8);
	f[14] = 0x60;
	f[20] = IPPROTO_UDP;
	f[21] = 255;
	memcpy(f + 22, src, 16);
	memcpy(f + 38, dst, 16);
	len = udp_build(f + 54, src, dst, 546, 547, msg, bad);
	f[18] = len >> 8;
	f[19] = len;
	return 54 + len;
}

/* An AF_PACKET socket on C's @dev (the caller is back in R). */
static int packet_socket(FIXTURE_DATA(b) *self, const char *dev,
			 struct sockaddr_ll *sll)
{
	int fd;

	enter(self, C);
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = if_nametoindex(dev);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	enter(self, R);
	if (fd < 0 || !sll->sll_ifindex)
		die("packet socket");
	return fd;
}

/* C writes self->m as a frame on eth0, from @smac and @src to the relay. */
static void frame_send(FIXTURE_DATA(b) *self, const uint8_t *smac,
		       const char *src, bool bad)
{
	struct in6_addr s = A6(src);
	struct sockaddr_ll sll;
	uint8_t f[4200];
	size_t len;
	int fd;

	fd = packet_socket(self, "eth0", &sll);
	len = frame_build(f, smac, rtr_mac, &s, &self->rtr_ll, &self->m, bad);
	if (sendto(fd, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) !=
	    (ssize_t)len)
		die("packet sendto");
	close(fd);
}

/* The relay writes self->m to the client as raw UDP, checksum as asked. */
static void relay_send_raw(FIXTURE_DATA(b) *self, bool bad)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_addr = self->cl_ll,
				   .sin6_scope_id = self->acc0 };
	uint8_t udp[4200];
	size_t len;
	int fd;

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
	if (fd < 0)
		die("raw socket");
	len = udp_build(udp, &self->rtr_ll, &self->cl_ll, 547, 546, &self->m,
			bad);
	if (sendto(fd, udp, len, 0, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)len)
		die("raw sendto");
	close(fd);
}

/* The REPLY of reply() for @d, with @valid for both, without sending it. */
static void reply_msg(FIXTURE_DATA(b) *self, const struct duid *d,
		      uint32_t valid)
{
	struct in6_addr na = A6("2001:db8:1::1000"), pd = A6("2001:db8:100::");

	d6b_msg(&self->m, REPLY, self->xid);
	ids(&self->m, d, true);
	d6b_ia(&self->m, OPT_IA_NA, 1, 1800, 2880);
	d6b_iaaddr(&self->m, &na, 1800, valid);
	d6b_end(&self->m);
	d6b_ia(&self->m, OPT_IA_PD, 2, 1800, 2880);
	d6b_iaprefix(&self->m, 56, &pd, 1800, valid);
	d6b_end(&self->m);
}

/*
 * A REPLY of @total bytes: self->m's client and server IDs, then an
 * unknown option that pads it, then its IAs, which so lie past 2048 bytes
 * and past the first fragment.
 */
static void relay_send_padded(FIXTURE_DATA(b) *self, size_t total)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(546),
				   .sin6_addr = self->cl_ll,
				   .sin6_scope_id = self->acc0 };
	static uint8_t pad[65536];
	struct d6b head, ias;
	struct iovec iov[3];
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to),
			     .msg_iov = iov, .msg_iovlen = 3 };
	size_t n;

	/* Split reply_msg()'s message after the two IDs. */
	head = self->m;
	head.len = 4 + 4 + A.len + 4 + sizeof(server_duid);
	ias.len = 0;
	ias.depth = 0;
	d6b_raw(&ias, self->m.buf + head.len, self->m.len - head.len);

	n = total - head.len - ias.len - 4;
	pad[0] = 0xfd;			/* option 65000: nobody's */
	pad[1] = 0xe8;
	pad[2] = n >> 8;
	pad[3] = n;
	iov[0] = (struct iovec){ head.buf, head.len };
	iov[1] = (struct iovec){ pad, 4 + n };
	iov[2] = (struct iovec){ ias.buf, ias.len };
	if (sendmsg(self->relay_fd, &mh, 0) != (ssize_t)total)
		die("relay sendmsg");
}

TEST_F_TIMEOUT(b, reply_over_2048_bytes_is_learned, 120)
{
	uint64_t too_big = stat(self, LG_STATS_A_DHCP6_TOO_BIG);

	roles(self);
	request(self, REQUEST, &A);
	reply_msg(self, &A, 3600);
	relay_send_padded(self, 3000);
	ASSERT_EQ(0, dump(self, NULL));
	ASSERT_EQ(2, self->got.n);
	EXPECT_EQ(3600, self->got.b[0].leases[0].valid);

	/* The largest a UDP datagram can carry, in 45 fragments on the wire. */
	request(self, RENEW, &A);
	reply_msg(self, &A, 5000);
	relay_send_padded(self, 65535 - 8);
	ASSERT_EQ(0, dump(self, NULL));
	ASSERT_EQ(2, self->got.n);
	EXPECT_EQ(5000, self->got.b[0].leases[0].valid);
	EXPECT_EQ(too_big, stat(self, LG_STATS_A_DHCP6_TOO_BIG));
}

TEST_F_TIMEOUT(b, bad_udp_checksum_is_never_learned, 120)
{
	uint64_t bad = stat(self, LG_STATS_A_DHCP6_MALFORMED_CSUM);
	char buf[4096];

	roles(self);
	/* A request with a bad checksum is not noted... */
	d6b_msg(&self->m, REQUEST, ++self->xid);
	ids(&self->m, &A, true);
	frame_send(self, cl_mac, "fe80::ff:fe00:102", true);
	/* (the relay's socket never sees it; this one follows it in) */
	d6b_msg(&self->m, 11, 1);	/* INFORMATION-REQUEST */
	frame_send(self, cl_mac, "fe80::ff:fe00:102", false);
	if (recv(self->relay_fd, buf, sizeof(buf), 0) < 0 || buf[0] != 11)
		die("relay recv");
	/* ...so the server's good REPLY to it matches nothing. */
	reply(self, &A, 3600, 7200);
	ASSERT_EQ(0, dump(self, NULL));
	EXPECT_EQ(0, self->got.n);

	/* A REPLY with a bad checksum teaches nothing... */
	request(self, REQUEST, &A);
	reply_msg(self, &A, 3600);
	relay_send_raw(self, true);
	ASSERT_EQ(0, dump(self, NULL));
	EXPECT_EQ(0, self->got.n);
	/* ...where the same with the right one does. */
	relay_send_raw(self, false);
	ASSERT_EQ(0, dump(self, NULL));
	EXPECT_EQ(2, self->got.n);
	EXPECT_EQ(bad + 2, stat(self, LG_STATS_A_DHCP6_MALFORMED_CSUM));
}

TEST_F_TIMEOUT(b, neighbour_repeating_a_request_changes_nothing, 120)
{
	char buf[4096];

	roles(self);
	request(self, REQUEST, &A);
	/* A neighbour on the segment repeats it: same xid, same DUID. */
	frame_send(self, nb_mac, "fe80::99", false);
	if (recv(self->relay_fd, buf, sizeof(buf), 0) < 0)
		die("relay recv");
	reply(self, &A, 3600, 7200);
	ASSERT_EQ(0, dump(self, NULL));
	ASSERT_EQ(2, self->got.n);
	EXPECT_TRUE(self->got.b[0].has_mac);
	EXPECT_EQ(0, memcmp(self->got.b[0].mac, cl_mac, 6));
	EXPECT_TRUE(addr_is(&self->got.b[0].lladdr, "fe80::ff:fe00:102"));
	EXPECT_EQ(0, memcmp(self->got.b[1].mac, cl_mac, 6));
	EXPECT_TRUE(addr_is(&self->got.b[1].lladdr, "fe80::ff:fe00:102"));
}

/*
 * The flood: SOLICITs and REQUESTs to ff02::1:2 (which nobody in R
 * joined: the hook sees them, nobody receives them), each with a new
 * transaction-id and DUID, as fast as C can write them on @dev. From
 * @mac, or from a new MAC and address each when @mac is NULL.
 */
static void flood(FIXTURE_DATA(b) *self, const char *dev, const uint8_t *mac)
{
	enum { BATCH = 64 };
	static uint8_t f[BATCH][256];
	struct in6_addr all = A6("ff02::1:2"), src = A6("fe80::f100:d");
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll;
	uint8_t duid[10] = { 0, 3, 0, 1, 0xf1, 0x00, 0xd0 };
	uint8_t smac[6] = { 2, 0xf1, 0, 0, 0, 0 };
	uint32_t n = 0;
	int fd, i;

	fd = packet_socket(self, dev, &sll);
	for (;;) {
		for (i = 0; i < BATCH; i++, n++) {
			struct d6b m;

			memcpy(duid + 7, &n, 3);
			d6b_msg(&m, n & 1 ? REQUEST : SOLICIT, n * 2654435761u);
			ids(&m, &(struct duid){ duid, sizeof(duid) }, n & 1);
			d6b_ia(&m, OPT_IA_NA, 1, 0, 0);
			d6b_end(&m);
			if (!mac) {
				memcpy(smac + 2, &n, 4);
				memcpy(src.s6_addr + 12, &n, 4);
			}
			iov[i].iov_base = f[i];
			iov[i].iov_len = frame_build(f[i], mac ?: smac, mc_mac,
						     &src, &all, &m, false);
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_name = &sll;
			mm[i].msg_hdr.msg_namelen = sizeof(sll);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		if (sendmmsg(fd, mm, BATCH, 0) < 0 && errno != ENOBUFS)
			_exit(1);
	}
}

/* Enough to turn the 2048 pending entries over many times. */
#define FLOOD_ENOUGH	(20 * 2048)
#define FLOOD_MIN_TRIES	100
#define FLOOD_MAX_SECS	100

/*
 * Another subscriber (on acc0, from the client's MAC) runs exchanges,
 * each a REQUEST from a new DUID and the REPLY after a server delay of
 * LG_FLOOD_DELAY_MS (default 100), while @dev floods: at least 100, and
 * more until the hook has seen FLOOD_ENOUGH flood requests (a debug
 * kernel floods ten times slower) or FLOOD_MAX_SECS have passed. Returns
 * how many were learned, in *@tries how many were run and in *@flooded
 * how many flood requests the hook saw meanwhile; prints the flood's rate.
 */
static int exchanges_under_flood(FIXTURE_DATA(b) *self, const char *dev,
				 uint32_t flood_ifindex, const uint8_t *mac,
				 int *tries, uint64_t *flooded)
{
	const char *env = getenv("LG_FLOOD_DELAY_MS");
	int delay_ms = env ? atoi(env) : 100;
	uint64_t snooped0, snooped1;
	struct timespec t0, t1;
	int i, learned = 0;
	double secs;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* Not a frame more once the test is gone, however it went. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		flood(self, dev, mac);
	}
	/* Let it fill the table of pending requests first. */
	sleep(2);
	snooped0 = if_stat(self, flood_ifindex, LG_LINK_STATS_A_DHCP6_SNOOPED);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < FLOOD_MIN_TRIES ||
		    (if_stat(self, flood_ifindex, LG_LINK_STATS_A_DHCP6_SNOOPED) <
		     snooped0 + FLOOD_ENOUGH &&
		     ms_since(&t0) < FLOOD_MAX_SECS * 1000); i++) {
		uint8_t duid[10] = { 0, 3, 0, 1, 2, 0, 0, 0, i >> 8, i };
		struct duid d = { duid, sizeof(duid) };
		struct in6_addr a = A6("2001:db8:1::");
		char buf[4096];
		int attempt;

		d6b_msg(&self->m, REQUEST, ++self->xid);
		ids(&self->m, &d, true);
		d6b_ia(&self->m, OPT_IA_NA, 1, 0, 0);
		d6b_end(&self->m);
		/* The client retransmits what the flood made the wire lose. */
		for (attempt = 0; attempt < 10; attempt++) {
			struct timeval tv = { .tv_usec = 500000 };

			client_send_nowait(self);
			setsockopt(self->relay_fd, SOL_SOCKET, SO_RCVTIMEO,
				   &tv, sizeof(tv));
			if (recv(self->relay_fd, buf, sizeof(buf), 0) > 0)
				break;
		}
		usleep(delay_ms * 1000);
		a.s6_addr[14] = i >> 8;
		a.s6_addr[15] = i;
		d6b_msg(&self->m, REPLY, self->xid);
		ids(&self->m, &d, true);
		d6b_ia(&self->m, OPT_IA_NA, 1, 0, 0);
		d6b_iaaddr(&self->m, &a, 100, 200);
		d6b_end(&self->m);
		relay_send(self);
		if (!dump(self, &d) && self->got.n == 1 &&
		    !memcmp(&self->got.b[0].leases[0].addr, &a, 16))
			learned++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snooped1 = if_stat(self, flood_ifindex, LG_LINK_STATS_A_DHCP6_SNOOPED);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* stderr: the harness's test process ends without flushing stdout. */
	fprintf(stderr, "# flood on %s: %.0f requests/s snooped for %.1f s; "
		"%d of %d exchanges learned (server delay %d ms)\n",
		dev, (snooped1 - snooped0) / secs, secs, learned, i,
		delay_ms);
	*flooded = snooped1 - snooped0;
	*tries = i;
	return learned;
}


TEST_F_TIMEOUT(b, flood_from_a_neighbour_on_the_link, 240)
{
	uint64_t flooded;
	int tries, learned;

	roles(self);
	learned = exchanges_under_flood(self, "eth0", self->acc0, nb_mac,
					&tries, &flooded);
	EXPECT_EQ(tries, learned);
	EXPECT_LE(FLOOD_ENOUGH, flooded);
}

TEST_F_TIMEOUT(b, flood_from_another_link_with_any_mac, 240)
{
	uint64_t flooded;
	int tries, learned;
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link add acc1 address 02:00:00:00:02:01"
		 " type veth peer name eth1 netns %2$s address 02:00:00:00:02:02;"
		 " ip -n %1$s link set acc1 up; ip -n %2$s link set eth1 up",
		 self->ns[R], self->ns[C]);
	run(cmd);
	self->acc1 = if_nametoindex("acc1");
	roles(self);
	if (link_set(self, self->acc1, LG_ROLE_ACCESS, 0))
		die(self->ack.msg);
	learned = exchanges_under_flood(self, "eth1", self->acc1, NULL,
					&tries, &flooded);
	EXPECT_EQ(tries, learned);
	EXPECT_LE(FLOOD_ENOUGH, flooded);
}

TEST_HARNESS_MAIN
