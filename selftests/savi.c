// SPDX-License-Identifier: GPL-2.0
/*
 * Source-address validation and DHCPv6-Shield, one rule a test, in the
 * topology of dhcp6_topology.h with forwarding on in R: the client (C)
 * writes whole Ethernet frames on its eth0 (any source address, any MAC,
 * any header chain); what R forwards reaches a UDP sink in S.
 */
#include "dhcp6_topology.h"

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#define SINK_PORT	9999
#define RR_TYPE		LG_RELEASE_REQUEST_TYPE_DEFAULT
#define RRR_TYPE	LG_RELEASE_REPLY_TYPE_DEFAULT

static const uint8_t cl_mac[6] = { 2, 0, 0, 0, 1, 2 };
static const uint8_t rtr_mac[6] = { 2, 0, 0, 0, 1, 1 };
static const uint8_t other_mac[6] = { 2, 0, 0, 0, 1, 0x99 };

/* A frame being built: Ethernet, IPv6, then headers appended in order. */
struct frame {
	uint8_t b[4096];
	int len;
	int nexthdr_at;		/* where the last Next Header field is */
};

static void frame_ip6(struct frame *f, const uint8_t *smac, const char *src,
		      const char *dst)
{
	struct in6_addr s = A6(src), d = A6(dst);

	memset(f, 0, sizeof(*f));
	memcpy(f->b, rtr_mac, 6);
	memcpy(f->b + 6, smac, 6);
	f->b[12] = 0x86;
	f->b[13] = 0xdd;
	f->b[14] = 0x60;
	f->b[21] = 64;			/* hop limit */
	memcpy(f->b + 22, &s, 16);
	memcpy(f->b + 38, &d, 16);
	f->nexthdr_at = 20;
	f->len = 54;
}

static uint8_t *frame_add(struct frame *f, uint8_t type, int len)
{
	uint8_t *h = f->b + f->len;

	f->b[f->nexthdr_at] = type;
	memset(h, 0, len);
	f->len += len;
	return h;
}

/* An extension header of (@len8 + 1) * 8 bytes, padded with PadN. */
static void frame_ext(struct frame *f, uint8_t type, int len8)
{
	uint8_t *h = frame_add(f, type, (len8 + 1) * 8);

	h[1] = len8;
	h[2] = 1;			/* PadN over the rest */
	h[3] = (len8 + 1) * 8 - 4;
	f->nexthdr_at = h - f->b;
}

static void frame_frag(struct frame *f, uint16_t offset8, bool more)
{
	uint8_t *h = frame_add(f, IPPROTO_FRAGMENT, 8);

	h[2] = offset8 >> 5;
	h[3] = (offset8 << 3) | more;
	h[7] = 0x42;			/* identification */
	f->nexthdr_at = h - f->b;
}

static uint16_t csum_add(uint32_t sum, const uint8_t *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Sets the checksum of the UDP datagram @h of @len bytes in @f. */
static void udp_csum(struct frame *f, uint8_t *h, int len)
{
	uint8_t pseudo[40] = {};
	uint32_t sum;

	h[6] = 0;
	h[7] = 0;
	memcpy(pseudo, f->b + 22, 32);
	pseudo[34] = len >> 8;
	pseudo[35] = len;
	pseudo[39] = IPPROTO_UDP;
	sum = csum_add(0, pseudo, 40);
	sum = csum_add(sum, h, len);
	sum = ~sum & 0xffff;
	if (!sum)
		sum = 0xffff;
	h[6] = sum >> 8;
	h[7] = sum;
}

/* A UDP datagram with a valid checksum (for an unfragmented packet). */
static void frame_udp(struct frame *f, uint16_t sport, uint16_t dport,
		      const void *data, int len)
{
	uint8_t *h = frame_add(f, IPPROTO_UDP, 8 + len);

	h[0] = sport >> 8;
	h[1] = sport;
	h[2] = dport >> 8;
	h[3] = dport;
	h[4] = (8 + len) >> 8;
	h[5] = 8 + len;
	memcpy(h + 8, data, len);
	udp_csum(f, h, 8 + len);
	f->nexthdr_at = -1;
}

static void frame_icmp6(struct frame *f, uint8_t type)
{
	uint8_t *h = frame_add(f, IPPROTO_ICMPV6, 24);

	h[0] = type;
	f->nexthdr_at = -1;
}

/* Writes @f on C's @dev, payload length filled in. */
static void frame_send(FIXTURE_DATA(b) *self, const char *dev,
		       struct frame *f)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_halen = 6 };
	int fd, plen = f->len - 54;

	if (f->nexthdr_at >= 0)
		f->b[f->nexthdr_at] = IPPROTO_NONE;
	f->b[18] = plen >> 8;
	f->b[19] = plen;
	enter(self, C);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = if_nametoindex(dev);
	memcpy(sll.sll_addr, rtr_mac, 6);
	if (fd < 0 || sendto(fd, f->b, f->len, 0, (struct sockaddr *)&sll,
			     sizeof(sll)) != f->len)
		die("packet sendto");
	close(fd);
	enter(self, R);
}

/* A UDP datagram from @src on C's eth0 to the sink in S. */
static void send_from(FIXTURE_DATA(b) *self, const uint8_t *mac,
		      const char *src)
{
	struct frame f;

	frame_ip6(&f, mac, src, "2001:db8:f::2");
	frame_udp(&f, 4000, SINK_PORT, "probe", 5);
	frame_send(self, "eth0", &f);
}

static int sink_fd = -1;

/* Did the sink get a datagram within @ms? */
static bool sink_got(int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = ms % 1000 * 1000 };
	char buf[64];

	setsockopt(sink_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return recv(sink_fd, buf, sizeof(buf), 0) > 0;
}

/* Waits (up to 5 s) for counter @id of acc0 to reach @want. */
static uint64_t link_stat_wait(FIXTURE_DATA(b) *self, int id, uint64_t want)
{
	uint64_t v;
	int i;

	for (i = 0; i < 50; i++) {
		v = link_stat(self, id);
		if (v >= want)
			return v;
		usleep(100000);
	}
	return v;
}

static bool no_bindings_within(FIXTURE_DATA(b) *self, int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (!dump(self, NULL) && !self->got.n)
			return true;
		usleep(100000);
	}
	return false;
}

static int savi_set(FIXTURE_DATA(b) *self, uint32_t ifindex, int mode,
		    int anchor, int shield, int trusted)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	if (mode >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, mode);
	if (anchor >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_ANCHOR, anchor);
	if (shield >= 0)
		mnl_attr_put_u8(nlh, LG_LINK_A_DHCP6_SHIELD, shield);
	if (trusted >= 0)
		mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_TRUSTED, trusted);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

static int savi_entry(FIXTURE_DATA(b) *self, uint8_t cmd, uint32_t ifindex,
		      const char *prefix, uint32_t plen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	struct in6_addr a = A6(prefix);

	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, 16, &a);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, plen);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(int *)data;
	return MNL_CB_OK;
}

static int savi_count(FIXTURE_DATA(b) *self)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n = 0;

	lg_talk(&self->s, lg_msg(&self->s, buf, LG_CMD_SAVI_GET, NLM_F_DUMP),
		count_cb, &n, &self->ack);
	return n;
}

/*
 * Forwarding on, the sink in S, the roles, and the client leased
 * 2001:db8:1::1000 and 2001:db8:100::/56 on acc0; enforce mode.
 */
static void bound(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(SINK_PORT) };

	sysctl("net/ipv6/conf/all/forwarding", "1");
	enter(self, S);
	sink_fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (bind(sink_fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("sink bind");
	enter(self, R);
	roles(self);
	request(self, REQUEST, &A);
	reply(self, &A, 3600, 7200);
	if (savi_set(self, self->acc0, LG_SAVI_ENFORCE, -1, -1, -1))
		die(self->ack.msg);
	/* R resolves S's address once, so that no test waits on ND. */
	send_from(self, cl_mac, "2001:db8:1::1000");
	if (!sink_got(5000))
		die("bound address does not reach the sink");
}

/* A second access interface, acc1, with the client's eth1 behind it. */
static void second_access(FIXTURE_DATA(b) *self)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link add acc1 address 02:00:00:00:02:01"
		 " type veth peer name eth1 netns %2$s address 02:00:00:00:02:02;"
		 " ip -n %1$s addr add 2001:db8:2::1/64 dev acc1 nodad;"
		 " ip -n %2$s addr add 2001:db8:2::2/64 dev eth1 nodad;"
		 " ip -n %1$s link set acc1 up; ip -n %2$s link set eth1 up;"
		 " for i in $(seq 100); do"
		 "   ip -n %1$s -6 addr show dev acc1 scope link | grep -q fe80 &&"
		 "   ip -n %2$s -6 addr show dev eth1 scope link | grep -q fe80 &&"
		 "   break; sleep 0.1; done",
		 self->ns[R], self->ns[C]);
	run(cmd);
	self->acc1 = if_nametoindex("acc1");
	if (link_set(self, self->acc1, LG_ROLE_ACCESS, 0) ||
	    savi_set(self, self->acc1, LG_SAVI_ENFORCE, -1, -1, -1))
		die(self->ack.msg);
}

TEST_F_TIMEOUT(b, bound_address_and_delegated_prefix_pass, 120)
{
	uint64_t passed;

	bound(self);
	passed = link_stat(self, LG_LINK_STATS_A_SAVI_PASSED);
	send_from(self, cl_mac, "2001:db8:1::1000");
	EXPECT_TRUE(sink_got(5000));
	send_from(self, cl_mac, "2001:db8:100:ab::1");
	EXPECT_TRUE(sink_got(5000));
	EXPECT_LE(passed + 2, link_stat(self, LG_LINK_STATS_A_SAVI_PASSED));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE));
}

TEST_F_TIMEOUT(b, spoofed_source_is_dropped, 120)
{
	bound(self);
	send_from(self, cl_mac, "2001:db8:99::1");
	/* Next to the bound /128 and outside the /56. */
	send_from(self, cl_mac, "2001:db8:1::1001");
	send_from(self, cl_mac, "2001:db8:101::1");
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 3));
	EXPECT_FALSE(sink_got(500));
}

TEST_F_TIMEOUT(b, another_interface_binding_is_dropped, 120)
{
	struct frame f;

	bound(self);
	second_access(self);
	frame_ip6(&f, (const uint8_t *)"\x02\x00\x00\x00\x02\x02",
		  "2001:db8:1::1000", "2001:db8:f::2");
	frame_udp(&f, 4000, SINK_PORT, "probe", 5);
	frame_send(self, "eth1", &f);
	EXPECT_FALSE(sink_got(1000));
	/* And from the same interface it still passes. */
	send_from(self, cl_mac, "2001:db8:1::1000");
	EXPECT_TRUE(sink_got(5000));
}

TEST_F_TIMEOUT(b, mac_anchor_drops_another_mac, 120)
{
	bound(self);
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, LG_SAVI_ANCHOR_MAC, -1, -1));
	send_from(self, other_mac, "2001:db8:1::1000");
	send_from(self, other_mac, "2001:db8:100::5");
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_MAC, 2));
	EXPECT_FALSE(sink_got(500));
	send_from(self, cl_mac, "2001:db8:100::5");
	EXPECT_TRUE(sink_got(5000));
	/* Without the anchor, the MAC does not matter. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, LG_SAVI_ANCHOR_NONE, -1, -1));
	send_from(self, other_mac, "2001:db8:1::1000");
	EXPECT_TRUE(sink_got(5000));
}

TEST_F_TIMEOUT(b, released_address_is_dropped_again, 120)
{
	bound(self);
	request(self, RELEASE, &A);
	d6b_msg(&self->m, REPLY, self->xid);
	ids(&self->m, &A, true);
	relay_send(self);
	ASSERT_EQ(0, dump(self, NULL));
	ASSERT_EQ(0, self->got.n);
	send_from(self, cl_mac, "2001:db8:1::1000");
	send_from(self, cl_mac, "2001:db8:100::1");
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 2));
	EXPECT_FALSE(sink_got(500));
}

TEST_F_TIMEOUT(b, expired_address_is_dropped_again, 120)
{
	bound(self);
	request(self, RENEW, &A);
	reply(self, &A, 2, 2);
	ASSERT_TRUE(no_bindings_within(self, 15));
	send_from(self, cl_mac, "2001:db8:1::1000");
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 1));
	EXPECT_FALSE(sink_got(500));
}

TEST_F_TIMEOUT(b, monitor_mode_passes_and_counts, 120)
{
	bound(self);
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_MONITOR, -1, -1, -1));
	send_from(self, cl_mac, "2001:db8:99::1");
	EXPECT_TRUE(sink_got(5000));
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_MONITORED, 1));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE));
	/* Off: not even counted. */
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_OFF, -1, -1, -1));
	send_from(self, cl_mac, "2001:db8:99::1");
	EXPECT_TRUE(sink_got(5000));
	EXPECT_EQ(1, link_stat(self, LG_LINK_STATS_A_SAVI_MONITORED));
}

TEST_F_TIMEOUT(b, link_local_and_dad_pass_other_unspecified_do_not, 120)
{
	struct frame f;

	bound(self);
	/* DAD: a Neighbor Solicitation from :: to a solicited-node group. */
	frame_ip6(&f, cl_mac, "::", "ff02::1:ff00:1000");
	f.b[21] = 255;
	frame_icmp6(&f, 135);
	frame_send(self, "eth0", &f);
	/* An MLDv2 report from ::, behind Hop-by-Hop (Router Alert). */
	frame_ip6(&f, cl_mac, "::", "ff02::16");
	f.b[21] = 1;
	frame_ext(&f, IPPROTO_HOPOPTS, 0);
	frame_icmp6(&f, 143);
	frame_send(self, "eth0", &f);
	/* UDP from ::, to the sink: no. */
	frame_ip6(&f, cl_mac, "::", "2001:db8:f::2");
	frame_udp(&f, 4000, SINK_PORT, "probe", 5);
	frame_send(self, "eth0", &f);
	/* A Neighbor Solicitation from :: to a unicast address: no. */
	frame_ip6(&f, cl_mac, "::", "2001:db8:f::1");
	frame_icmp6(&f, 135);
	frame_send(self, "eth0", &f);
	EXPECT_EQ(2, link_stat_wait(self,
				    LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED, 2));
	EXPECT_FALSE(sink_got(500));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE));
}

TEST_F_TIMEOUT(b, static_entry_passes_until_deleted, 120)
{
	bound(self);
	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				"2001:db8:77::", 64));
	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				"2001:db8:78::5", 128));
	EXPECT_EQ(2, savi_count(self));
	send_from(self, cl_mac, "2001:db8:77::abcd");
	EXPECT_TRUE(sink_got(5000));
	send_from(self, cl_mac, "2001:db8:78::5");
	EXPECT_TRUE(sink_got(5000));
	/* Static entries have no MAC anchor. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, LG_SAVI_ANCHOR_MAC, -1, -1));
	send_from(self, other_mac, "2001:db8:77::abcd");
	EXPECT_TRUE(sink_got(5000));
	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_DEL, self->acc0,
				"2001:db8:77::", 64));
	send_from(self, cl_mac, "2001:db8:77::abcd");
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 1));
	EXPECT_FALSE(sink_got(500));
	EXPECT_EQ(1, savi_count(self));
}

TEST_F_TIMEOUT(b, static_entry_errors_and_flush, 120)
{
	char cmd[256];

	roles(self);
	EXPECT_EQ(-EOPNOTSUPP, savi_entry(self, LG_CMD_SAVI_ADD, self->up0,
					  "2001:db8:77::", 64));
	EXPECT_STREQ("not an access interface", self->ack.msg);
	EXPECT_EQ(-EINVAL, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				      "2001:db8:77::1", 64));
	EXPECT_STREQ("leaseguard: host bits set in the prefix", self->ack.msg);
	EXPECT_EQ(-ERANGE, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				      "2001:db8:77::", 129));
	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				"2001:db8:77::", 64));
	EXPECT_EQ(-EEXIST, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				      "2001:db8:77::", 64));
	EXPECT_EQ(-ENOENT, savi_entry(self, LG_CMD_SAVI_DEL, self->acc0,
				      "2001:db8:77::", 65));
	EXPECT_EQ(-ENODEV, savi_entry(self, LG_CMD_SAVI_ADD, 99999,
				      "2001:db8:77::", 64));
	EXPECT_EQ(1, savi_count(self));
	/* Losing the access role drops them. */
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_UPSTREAM, 0));
	EXPECT_EQ(0, savi_count(self));
	/* A MAC anchor needs Ethernet. */
	snprintf(cmd, sizeof(cmd), "ip -n %s link add sit9 type sit"
		 " remote 192.0.2.1 local 192.0.2.2",
		 self->ns[R]);
	run(cmd);
	EXPECT_EQ(-EOPNOTSUPP, savi_set(self, if_nametoindex("sit9"), -1,
					LG_SAVI_ANCHOR_MAC, -1, -1));
	EXPECT_EQ(-ERANGE, savi_set(self, self->acc0, 3, -1, -1, -1));
}

/* LG_CMD_SAVI_ADD or _DEL of @prefix/@plen on acc0, with the WIDE flag. */
static int savi_wide(FIXTURE_DATA(b) *self, uint8_t cmd, const char *prefix,
		     uint32_t plen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	struct in6_addr a = A6(prefix);

	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, self->acc0);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, 16, &a);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, plen);
	mnl_attr_put(nlh, LG_SAVI_A_WIDE, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

static int wide_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *c;

	if (mnl_attr_get_type(attr) == LG_A_SAVI)
		mnl_attr_for_each_nested(c, attr)
			if (mnl_attr_get_type(c) == LG_SAVI_A_WIDE)
				++*(int *)data;
	return MNL_CB_OK;
}

static int wide_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, wide_attr_cb, data);
}

/* Entries the dump flags as wide. */
static int savi_wide_count(FIXTURE_DATA(b) *self)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n = 0;

	lg_talk(&self->s, lg_msg(&self->s, buf, LG_CMD_SAVI_GET, NLM_F_DUMP),
		wide_cb, &n, &self->ack);
	return n;
}

TEST_F_TIMEOUT(b, static_entry_no_subscriber_sends_from_is_refused, 120)
{
	static const struct {
		const char *prefix;
		uint32_t plen;
		const char *msg;
	} never[] = {
		{ "ff00::", 8, "a multicast prefix cannot be a source" },
		{ "ff02::1:ff00:0", 104,
		  "a multicast prefix cannot be a source" },
		{ "fe80::", 64, "link-local sources are valid without an entry" },
		{ "::ffff:0:0", 96, "an IPv4-mapped address cannot be a source" },
	};
	char msg[128];
	unsigned int i;

	roles(self);
	/* Refused with the wide flag too. */
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		snprintf(msg, sizeof(msg), "leaseguard: %s", never[i].msg);
		EXPECT_EQ(-EINVAL, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
					      never[i].prefix, never[i].plen))
			TH_LOG("%s/%u", never[i].prefix, never[i].plen);
		EXPECT_STREQ(msg, self->ack.msg);
		EXPECT_EQ(-EINVAL, savi_wide(self, LG_CMD_SAVI_ADD,
					     never[i].prefix, never[i].plen))
			TH_LOG("%s/%u wide", never[i].prefix, never[i].plen);
		EXPECT_STREQ(msg, self->ack.msg);
	}
	EXPECT_EQ(-EINVAL, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0, "::",
				      128));
	EXPECT_STREQ("leaseguard: the prefix holds the unspecified or loopback address",
		     self->ack.msg);
	EXPECT_EQ(-EINVAL, savi_wide(self, LG_CMD_SAVI_ADD, "::1", 128));
	EXPECT_STREQ("leaseguard: the prefix holds the unspecified or loopback address",
		     self->ack.msg);
	EXPECT_EQ(0, savi_count(self));
}

TEST_F_TIMEOUT(b, static_entry_wider_than_32_needs_the_wide_flag, 120)
{
	roles(self);
	EXPECT_EQ(-EINVAL, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0, "::",
				      0));
	EXPECT_STREQ("leaseguard: a prefix shorter than /32 needs the wide flag",
		     self->ack.msg);
	EXPECT_EQ(-EINVAL, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				      "2001::", 16));
	EXPECT_STREQ("leaseguard: a prefix shorter than /32 needs the wide flag",
		     self->ack.msg);
	EXPECT_EQ(0, savi_count(self));

	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				"2001:db8::", 32));
	ASSERT_EQ(0, savi_wide(self, LG_CMD_SAVI_ADD, "::", 0));
	ASSERT_EQ(0, savi_wide(self, LG_CMD_SAVI_ADD, "2001::", 16));
	EXPECT_EQ(3, savi_count(self));
	EXPECT_EQ(2, savi_wide_count(self));

	/* Only an add takes the flag. */
	EXPECT_EQ(-EINVAL, savi_wide(self, LG_CMD_SAVI_DEL, "::", 0));
	EXPECT_STREQ("only an add takes the wide flag", self->ack.msg);
	EXPECT_EQ(0, savi_entry(self, LG_CMD_SAVI_DEL, self->acc0, "::", 0));
	EXPECT_EQ(2, savi_count(self));
	EXPECT_EQ(1, savi_wide_count(self));
}

static int release_types(FIXTURE_DATA(b) *self, int request, int reply)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);

	if (request >= 0)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_RELEASE_REQUEST_TYPE, request);
	if (reply >= 0)
		mnl_attr_put_u32(nlh, LG_CONFIG_A_RELEASE_REPLY_TYPE, reply);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

TEST_F_TIMEOUT(b, release_types_and_link_policies_are_checked, 120)
{
	EXPECT_EQ(-ERANGE, release_types(self, 37, -1));
	EXPECT_EQ(-ERANGE, release_types(self, -1, 256));
	EXPECT_EQ(-EINVAL, release_types(self, RRR_TYPE, -1));
	EXPECT_STREQ("leaseguard: RELEASE-REQUEST and its reply need two types",
		     self->ack.msg);
	EXPECT_EQ(0, release_types(self, 38, 39));
	EXPECT_EQ(0, release_types(self, 39, 38));
	EXPECT_EQ(-ERANGE, savi_set(self, self->acc0, -1, 2, -1, -1));
	EXPECT_EQ(-ERANGE, savi_set(self, self->acc0, -1, -1, 2, -1));
	EXPECT_EQ(-ERANGE, savi_set(self, self->acc0, -1, -1, -1, 2));
	sysctl("net/ipv6/conf/all/forwarding", "1");
	/* Policies need a role first, and are kept across role changes. */
	EXPECT_EQ(-ENOENT, savi_set(self, self->acc0, LG_SAVI_ENFORCE, -1, -1,
				    -1));
	EXPECT_STREQ("leaseguard: the interface has no role: give it one first",
		     self->ack.msg);
	roles(self);
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_ENFORCE, -1, -1, -1));
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_UPSTREAM, 0));
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_ACCESS, 0));
	send_from(self, cl_mac, "2001:db8:99::1");
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 1));
}

/* UDP from a subscriber's link-local to R's relay port, type @type. */
static void to_relay(FIXTURE_DATA(b) *self, uint16_t dport, uint8_t type)
{
	struct frame f;
	uint8_t msg[4] = { type, 0, 1, 2 };

	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_udp(&f, 546, dport, msg, sizeof(msg));
	frame_send(self, "eth0", &f);
}

static bool relay_got(FIXTURE_DATA(b) *self, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = ms % 1000 * 1000 };
	char buf[64];

	setsockopt(self->relay_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return recv(self->relay_fd, buf, sizeof(buf), 0) > 0;
}

TEST_F_TIMEOUT(b, shield_drops_server_messages_from_subscribers, 120)
{
	static const uint8_t server_types[] = { ADVERTISE, REPLY, 10,
						RELAY_REPL, 15, 16, 17, 21,
						37 };
	unsigned int i;

	bound(self);
	for (i = 0; i < sizeof(server_types); i++)
		to_relay(self, 547, server_types[i]);
	EXPECT_EQ(sizeof(server_types),
		  link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_SERVER,
				 sizeof(server_types)));
	EXPECT_FALSE(relay_got(self, 500));
	/* Anything to the client port. */
	to_relay(self, 546, REPLY);
	EXPECT_EQ(sizeof(server_types) + 1,
		  link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_SERVER,
				 sizeof(server_types) + 1));
	/* A client message passes. */
	to_relay(self, 547, SOLICIT);
	EXPECT_TRUE(relay_got(self, 5000));
	/* With the shield off, the relay gets what the subscriber sent. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, -1, 0, -1));
	to_relay(self, 547, REPLY);
	EXPECT_TRUE(relay_got(self, 5000));
}

TEST_F_TIMEOUT(b, rogue_reply_is_never_learned, 120)
{
	struct in6_addr na = A6("2001:db8:1::2000");
	struct frame f;

	bound(self);
	second_access(self);
	/*
	 * With the shield off, a subscriber on acc0 answers its own
	 * pending REQUEST with a REPLY routed to acc1 (e.g. to a
	 * subscriber there): it leaves through an access interface but
	 * came in from one, so it teaches nothing.
	 */
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_OFF, -1, 0, -1));
	request(self, REQUEST, &B);
	d6b_msg(&self->m, REPLY, self->xid);
	ids(&self->m, &B, true);
	d6b_ia(&self->m, OPT_IA_NA, 1, 1800, 2880);
	d6b_iaaddr(&self->m, &na, 1800, 3600);
	d6b_end(&self->m);
	frame_ip6(&f, cl_mac, "2001:db8:1::1000", "2001:db8:2::2");
	frame_udp(&f, 547, 546, self->m.buf, self->m.len);
	frame_send(self, "eth0", &f);
	usleep(500000);
	EXPECT_LE(1, stat(self, LG_STATS_A_DHCP6_REPLY_FROM_ACCESS));
	ASSERT_EQ(0, dump(self, &B));
	EXPECT_EQ(0, self->got.n);
	/* With the shield on, it does not even get through. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, -1, 1, -1));
	frame_send(self, "eth0", &f);
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_SERVER, 1));
	ASSERT_EQ(0, dump(self, &B));
	EXPECT_EQ(0, self->got.n);
}

TEST_F_TIMEOUT(b, release_request_from_subscribers_is_dropped, 120)
{
	struct in6_addr link = A6("::");

	bound(self);
	to_relay(self, 547, RR_TYPE);
	to_relay(self, 547, RRR_TYPE);
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_RELEASE,
				    2));
	EXPECT_FALSE(relay_got(self, 500));

	/* Wrapped by a relay below us. */
	d6b_msg(&self->m, RELAY_FORW, 0);
	self->m.len = 0;
	d6b_relay(&self->m, RELAY_FORW, 0, &link, &self->cl_ll);
	d6b_open(&self->m, OPT_RELAY_MSG);
	d6b_u8(&self->m, RR_TYPE);
	d6b_u8(&self->m, 0);
	d6b_u16(&self->m, 7);
	ids(&self->m, &A, true);
	d6b_end(&self->m);
	client_send_nowait(self);
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_RELEASE,
				    3));
	EXPECT_FALSE(relay_got(self, 500));

	/* The configured type is the one dropped. */
	{
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_CONFIG_SET,
					      0);
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);

		mnl_attr_put_u32(nlh, LG_CONFIG_A_RELEASE_REQUEST_TYPE, 200);
		mnl_attr_nest_end(nlh, nest);
		ASSERT_EQ(0, lg_talk(&self->s, nlh, NULL, NULL, &self->ack));
	}
	to_relay(self, 547, RR_TYPE);
	EXPECT_TRUE(relay_got(self, 5000));
	to_relay(self, 547, 200);
	EXPECT_EQ(4, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_RELEASE,
				    4));

	/* A trusted interface lets them through. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, -1, -1, 1));
	to_relay(self, 547, 200);
	EXPECT_TRUE(relay_got(self, 5000));
}

TEST_F_TIMEOUT(b, header_chain_evasion_is_dropped, 120)
{
	static const uint8_t reply_msg[4] = { REPLY, 0, 0, 1 };
	struct frame f;
	uint64_t hidden;

	bound(self);
	/* A REPLY behind Destination Options and Routing: still seen. */
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_ext(&f, IPPROTO_DSTOPTS, 1);
	frame_ext(&f, IPPROTO_DSTOPTS, 0);
	frame_udp(&f, 547, 546, reply_msg, sizeof(reply_msg));
	frame_send(self, "eth0", &f);
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_SERVER, 1));

	/*
	 * RFC 7112: a first fragment whose header chain ends before the
	 * UDP header (Destination Options pushed it into fragment two).
	 */
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_frag(&f, 0, true);
	frame_ext(&f, IPPROTO_DSTOPTS, 3);
	f.b[f.nexthdr_at] = IPPROTO_UDP;
	f.nexthdr_at = -1;
	frame_send(self, "eth0", &f);
	hidden = link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN, 1);
	EXPECT_EQ(1, hidden);

	/* A first fragment with the whole UDP header but no message byte. */
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_frag(&f, 0, true);
	frame_udp(&f, 546, 547, "", 0);
	frame_send(self, "eth0", &f);
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN,
				    2));

	/* A packet ending inside its own header chain. */
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_ext(&f, IPPROTO_DSTOPTS, 2);
	f.b[f.nexthdr_at] = IPPROTO_UDP;
	f.nexthdr_at = -1;
	f.len -= 16;
	frame_send(self, "eth0", &f);
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN,
				    3));

	/* A later fragment passes the shield: its first one was judged. */
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_frag(&f, 8, false);
	f.b[f.nexthdr_at] = IPPROTO_UDP;
	f.nexthdr_at = -1;
	memset(f.b + f.len, 0xab, 16);
	f.len += 16;
	frame_send(self, "eth0", &f);
	usleep(300000);
	EXPECT_EQ(3, link_stat(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN));
	EXPECT_EQ(1, link_stat(self, LG_LINK_STATS_A_SHIELD_DROP_SERVER));

	/* And a later fragment from a spoofed source is SAVI's to drop. */
	frame_ip6(&f, cl_mac, "2001:db8:99::1", "2001:db8:f::2");
	frame_frag(&f, 8, false);
	f.b[f.nexthdr_at] = IPPROTO_UDP;
	f.nexthdr_at = -1;
	f.len += 16;
	frame_send(self, "eth0", &f);
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 1));
}

/* --- Intermediate relays: release_forward ----------------------------- */

static int release_forward(FIXTURE_DATA(b) *self, uint32_t ifindex, int on)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_FORWARD, on);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

/* Did S's server socket (port 547) get a datagram within @ms? */
static bool server_got(FIXTURE_DATA(b) *self, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = ms % 1000 * 1000 };
	char buf[512];

	setsockopt(self->srv_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return recv(self->srv_fd, buf, sizeof(buf), 0) > 0;
}

/* Waits (up to 5 s) for counter @id of @ifindex to reach @want. */
static uint64_t if_stat_wait(FIXTURE_DATA(b) *self, uint32_t ifindex, int id,
			     uint64_t want)
{
	uint64_t v;
	int i;

	for (i = 0; i < 50; i++) {
		v = if_stat(self, ifindex, id);
		if (v >= want)
			return v;
		usleep(100000);
	}
	return v;
}

/* Wraps self->m in @depth RELAY-FORW layers, each around the one before. */
static void relay_wrap(FIXTURE_DATA(b) *self, int depth)
{
	struct in6_addr link = A6("2001:db8:1::1");
	uint8_t hdr[38];
	int i;

	for (i = 0; i < depth; i++) {
		hdr[0] = RELAY_FORW;
		hdr[1] = i;			/* hop-count */
		memcpy(hdr + 2, &link, 16);
		memcpy(hdr + 18, &self->cl_ll, 16);
		hdr[34] = 0;
		hdr[35] = OPT_RELAY_MSG;
		hdr[36] = self->m.len >> 8;
		hdr[37] = self->m.len;
		memmove(self->m.buf + sizeof(hdr), self->m.buf, self->m.len);
		memcpy(self->m.buf, hdr, sizeof(hdr));
		self->m.len += sizeof(hdr);
	}
}

/*
 * self->m: a message of @type with the client's DUID, inside @depth
 * RELAY-FORW layers (0: bare).
 */
static void relayed_msg(FIXTURE_DATA(b) *self, uint8_t type, int depth)
{
	d6b_msg(&self->m, type, 7);
	ids(&self->m, &A, true);
	relay_wrap(self, depth);
}

/* The subscriber sends self->m to the server in S: R forwards it. */
static void forward_to_server(FIXTURE_DATA(b) *self)
{
	struct frame f;

	frame_ip6(&f, cl_mac, "2001:db8:1::1000", "2001:db8:f::2");
	frame_udp(&f, 547, 547, self->m.buf, self->m.len);
	frame_send(self, "eth0", &f);
}

/*
 * R's own socket (its relay agent, or leaseguardd) sends self->m to S:
 * 0, or -EPERM when a hook on the way out dropped it.
 */
static int router_to_server(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = A6("2001:db8:f::2") };

	if (sendto(self->relay_fd, self->m.buf, self->m.len, 0,
		   (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* S sends self->m to R's upstream address, port 547. */
static void server_to_router(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = A6("2001:db8:f::1") };

	if (sendto(self->srv_fd, self->m.buf, self->m.len, 0,
		   (struct sockaddr *)&to, sizeof(to)) < 0)
		die("server sendto");
}

/* Forwarding, the client bound on acc0, and its release messages trusted. */
static void relfwd_setup(FIXTURE_DATA(b) *self)
{
	bound(self);
	if (savi_set(self, self->acc0, -1, -1, -1, 1))
		die(self->ack.msg);
}

TEST_F_TIMEOUT(b, release_forward_on_by_default_forwards_releases, 120)
{
	relfwd_setup(self);
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, RRR_TYPE, 2);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, RR_TYPE, 1);
	ASSERT_EQ(0, router_to_server(self));
	EXPECT_TRUE(server_got(self, 5000));
	EXPECT_EQ(0, if_stat(self, self->up0, LG_LINK_STATS_A_RELEASE_FWD_DROP));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_RELEASE_FWD_DROP));
}

TEST_F_TIMEOUT(b, release_forward_off_upstream_drops_relayed_releases, 120)
{
	relfwd_setup(self);
	ASSERT_EQ(0, release_forward(self, self->up0, 0));

	/* Forwarded: bare, in a RELAY-FORW, two RELAY-FORWs deep. */
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	relayed_msg(self, RR_TYPE, 1);
	forward_to_server(self);
	relayed_msg(self, RRR_TYPE, 2);
	forward_to_server(self);
	EXPECT_EQ(3, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 3));
	EXPECT_FALSE(server_got(self, 500));

	/* Relayed by this router: out of up0 (the sender hears of it)... */
	relayed_msg(self, RR_TYPE, 1);
	EXPECT_EQ(-EPERM, router_to_server(self));
	EXPECT_EQ(4, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 4));
	EXPECT_FALSE(server_got(self, 500));
	/* ...and into it. */
	relayed_msg(self, RRR_TYPE, 1);
	self->m.buf[0] = RELAY_REPL;
	server_to_router(self);
	EXPECT_EQ(5, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 5));
	EXPECT_FALSE(relay_got(self, 500));

	/* The router's own bare exchange with the server is not relayed. */
	relayed_msg(self, RR_TYPE, 0);
	ASSERT_EQ(0, router_to_server(self));
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, RRR_TYPE, 0);
	server_to_router(self);
	EXPECT_TRUE(relay_got(self, 5000));

	/* Other DHCPv6 messages cross, bare or relayed. */
	relayed_msg(self, REQUEST, 0);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, RENEW, 3);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, REQUEST, 1);
	ASSERT_EQ(0, router_to_server(self));
	EXPECT_TRUE(server_got(self, 5000));
	EXPECT_EQ(5, if_stat(self, self->up0, LG_LINK_STATS_A_RELEASE_FWD_DROP));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_RELEASE_FWD_DROP));

	/* On again: they pass. */
	ASSERT_EQ(0, release_forward(self, self->up0, 1));
	relayed_msg(self, RR_TYPE, 1);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
}

TEST_F_TIMEOUT(b, release_forward_off_access_drops_and_counts_there, 120)
{
	relfwd_setup(self);
	ASSERT_EQ(0, release_forward(self, self->acc0, 0));

	/* Forwarded in by acc0, bare and relayed. */
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	relayed_msg(self, RRR_TYPE, 1);
	forward_to_server(self);
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_RELEASE_FWD_DROP,
				    2));
	EXPECT_FALSE(server_got(self, 500));

	/* To the relay agent here, relayed: dropped as it arrives. */
	relayed_msg(self, RR_TYPE, 1);
	client_send_nowait(self);
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_RELEASE_FWD_DROP,
				    3));
	EXPECT_FALSE(relay_got(self, 500));

	/* Bare, to the router itself: not relayed, it arrives. */
	to_relay(self, 547, RR_TYPE);
	EXPECT_TRUE(relay_got(self, 5000));
	to_relay(self, 547, RRR_TYPE);
	EXPECT_TRUE(relay_got(self, 5000));

	/* Both ways refusing: the way in counts it. */
	ASSERT_EQ(0, release_forward(self, self->up0, 0));
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	EXPECT_EQ(4, link_stat_wait(self, LG_LINK_STATS_A_RELEASE_FWD_DROP,
				    4));
	EXPECT_EQ(0, if_stat(self, self->up0, LG_LINK_STATS_A_RELEASE_FWD_DROP));
	EXPECT_FALSE(server_got(self, 500));

	/* A subscriber's other traffic is not touched. */
	relayed_msg(self, REQUEST, 1);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	send_from(self, cl_mac, "2001:db8:1::1000");
	EXPECT_TRUE(sink_got(5000));
}

TEST_F_TIMEOUT(b, release_forward_off_sees_through_depth_and_fragments, 120)
{
	struct frame f;
	int i;

	relfwd_setup(self);
	ASSERT_EQ(0, release_forward(self, self->up0, 0));
	/* What acc0's shield cannot check it drops first: look past it. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, -1, 0, -1));

	/* 32 RELAY-FORWs deep is still looked into; 33 is too deep. */
	relayed_msg(self, RR_TYPE, 32);
	forward_to_server(self);
	EXPECT_EQ(1, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 1));
	relayed_msg(self, REQUEST, 32);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
	relayed_msg(self, REQUEST, 33);
	forward_to_server(self);
	EXPECT_EQ(2, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 2));
	EXPECT_FALSE(server_got(self, 500));

	/* Behind extension headers: still found. */
	relayed_msg(self, RR_TYPE, 1);
	frame_ip6(&f, cl_mac, "2001:db8:1::1000", "2001:db8:f::2");
	frame_ext(&f, IPPROTO_DSTOPTS, 1);
	frame_udp(&f, 547, 547, self->m.buf, self->m.len);
	frame_send(self, "eth0", &f);
	EXPECT_EQ(3, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 3));

	/* Two Relay Messages: Kea would unwrap the last one. */
	relayed_msg(self, REQUEST, 1);
	d6b_open(&self->m, OPT_RELAY_MSG);
	d6b_u8(&self->m, RR_TYPE);
	d6b_u8(&self->m, 0);
	d6b_u16(&self->m, 7);
	d6b_end(&self->m);
	forward_to_server(self);
	EXPECT_EQ(4, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 4));
	EXPECT_FALSE(server_got(self, 500));

	/*
	 * A first fragment that ends inside the relay layers: what it
	 * carries is in the next fragment.
	 */
	relayed_msg(self, RR_TYPE, 2);
	frame_ip6(&f, cl_mac, "2001:db8:1::1000", "2001:db8:f::2");
	frame_frag(&f, 0, true);
	frame_udp(&f, 547, 547, self->m.buf, self->m.len);
	f.len -= self->m.len - 40;	/* the first 40 bytes of it */
	f.len -= (f.len - 62) % 8;	/* fragment data: 8-octet units */
	frame_send(self, "eth0", &f);
	EXPECT_EQ(5, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 5));

	/* Nor do the counters of the others move. */
	for (i = LG_LINK_STATS_A_SHIELD_DROP_SERVER;
	     i <= LG_LINK_STATS_A_SHIELD_DROP_HIDDEN; i++)
		EXPECT_EQ(0, link_stat(self, i));
}

TEST_F_TIMEOUT(b, release_forward_is_kept_with_the_role_and_checked, 120)
{
	roles(self);
	EXPECT_EQ(-ERANGE, release_forward(self, self->up0, 2));
	ASSERT_EQ(0, release_forward(self, self->up0, 0));
	ASSERT_EQ(0, link_set(self, self->up0, LG_ROLE_ACCESS, 0));
	ASSERT_EQ(0, link_set(self, self->up0, LG_ROLE_UPSTREAM, 0));
	relfwd_setup(self);
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	EXPECT_EQ(1, if_stat_wait(self, self->up0,
				  LG_LINK_STATS_A_RELEASE_FWD_DROP, 1));
	EXPECT_FALSE(server_got(self, 500));
	/* A role of none takes the setting with it. */
	ASSERT_EQ(0, link_set(self, self->up0, LG_ROLE_NONE, 0));
	relayed_msg(self, RR_TYPE, 0);
	forward_to_server(self);
	EXPECT_TRUE(server_got(self, 5000));
}

/* --- DHCPv6-Shield: what it cannot check, it drops --------------------- */

/*
 * self->m: a subscriber's RELEASE-REQUEST for the leases of B (someone
 * else: a Client Data option with B's DUID), inside @depth RELAY-FORWs.
 */
static void forged_release(FIXTURE_DATA(b) *self, int depth)
{
	d6b_msg(&self->m, RR_TYPE, 7);
	d6b_put(&self->m, OPT_SERVERID, server_duid, sizeof(server_duid));
	d6b_open(&self->m, 45);		/* OPTION_CLIENT_DATA */
	ids(&self->m, &B, false);
	d6b_end(&self->m);
	relay_wrap(self, depth);
}

enum { SEND_WHOLE, SEND_FRAGMENTS, SEND_ATOMIC, SEND_UDP_LEN0 };

/*
 * The subscriber sends self->m from its link-local address to R's relay
 * port: in one packet; in two fragments (the first with 40 bytes of the
 * message, or half of a short one); in an atomic fragment; or with a UDP
 * length of 0, which Linux reads as "the rest of the packet".
 */
static void subscriber_send(FIXTURE_DATA(b) *self, int how)
{
	static uint8_t id;
	struct frame whole, f;
	uint8_t *udp, *fh;
	int ulen, first = 48;

	frame_ip6(&whole, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	frame_udp(&whole, 546, 547, self->m.buf, self->m.len);
	udp = whole.b + 54;
	ulen = whole.len - 54;
	if (how == SEND_UDP_LEN0) {
		udp[4] = 0;
		udp[5] = 0;
		udp_csum(&whole, udp, ulen);
	}
	if (how == SEND_WHOLE || how == SEND_UDP_LEN0) {
		frame_send(self, "eth0", &whole);
		return;
	}
	if (how == SEND_ATOMIC)
		first = ulen;
	else if (first >= ulen)	/* short: half of it, in 8-byte units */
		first = ulen / 2 & ~7;
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	fh = f.b + f.len;
	frame_frag(&f, 0, how == SEND_FRAGMENTS);
	fh[6] = ++id;		/* a new datagram each time */
	memcpy(frame_add(&f, IPPROTO_UDP, first), udp, first);
	f.nexthdr_at = -1;
	frame_send(self, "eth0", &f);
	if (how == SEND_ATOMIC)
		return;
	frame_ip6(&f, cl_mac, "fe80::ff:fe00:102", "fe80::ff:fe00:101");
	fh = f.b + f.len;
	frame_frag(&f, first / 8, false);
	fh[6] = id;
	memcpy(frame_add(&f, IPPROTO_UDP, ulen - first), udp + first,
	       ulen - first);
	f.nexthdr_at = -1;
	frame_send(self, "eth0", &f);
}

/* Sends self->m @how: dropped, and the @n-th unchecked message of acc0. */
#define EXPECT_UNCHECKED(how, n) do {					\
	subscriber_send(self, how);					\
	EXPECT_EQ(n, link_stat_wait(self,				\
				    LG_LINK_STATS_A_SHIELD_DROP_HIDDEN, n)); \
	EXPECT_FALSE(relay_got(self, 300));				\
} while (0)

TEST_F_TIMEOUT(b, shield_drops_relayed_release_in_pieces, 120)
{
	char cmd[256];

	roles(self);		/* every other setting at its default */
	forged_release(self, 1);
	EXPECT_UNCHECKED(SEND_FRAGMENTS, 1);
	EXPECT_UNCHECKED(SEND_ATOMIC, 2);
	/* UDP length 0 is the rest of the packet: read whole, it is seen. */
	subscriber_send(self, SEND_UDP_LEN0);
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SHIELD_DROP_RELEASE,
				    1));
	EXPECT_FALSE(relay_got(self, 300));

	/* Longer than the shield parses (2048 bytes): an option pads it. */
	snprintf(cmd, sizeof(cmd), "ip -n %s link set acc0 mtu 4000 &&"
		 " ip -n %s link set eth0 mtu 4000", self->ns[R], self->ns[C]);
	run(cmd);
	d6b_u16(&self->m, 0xfff0);
	d6b_u16(&self->m, 2048);
	memset(self->m.buf + self->m.len, 0, 2048);
	self->m.len += 2048;
	EXPECT_UNCHECKED(SEND_WHOLE, 3);

	/* No client fragments its messages: a fragmented one goes too. */
	d6b_msg(&self->m, SOLICIT, 8);
	ids(&self->m, &A, false);
	EXPECT_UNCHECKED(SEND_FRAGMENTS, 4);
	/* Whole, it passes, and so does a relayed REQUEST. */
	subscriber_send(self, SEND_WHOLE);
	EXPECT_TRUE(relay_got(self, 5000));
	relayed_msg(self, REQUEST, 1);
	subscriber_send(self, SEND_WHOLE);
	EXPECT_TRUE(relay_got(self, 5000));
	EXPECT_EQ(4, link_stat(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN));
}

TEST_F_TIMEOUT(b, shield_drops_relayed_release_it_cannot_parse, 120)
{
	roles(self);		/* every other setting at its default */
	/* Deeper than a server unwraps? Not for Kea, nor for the shield. */
	forged_release(self, 10);
	EXPECT_UNCHECKED(SEND_WHOLE, 1);
	forged_release(self, 32);
	EXPECT_UNCHECKED(SEND_WHOLE, 2);
	/* A Relay-Id of 2 bytes, which no DUID is. */
	forged_release(self, 1);
	d6b_put(&self->m, 53, "\0\1", 2);	/* OPTION_RELAY_ID */
	EXPECT_UNCHECKED(SEND_WHOLE, 3);
	/* Junk after the last option. */
	forged_release(self, 1);
	d6b_raw(&self->m, "\xff\xff\xff", 3);
	EXPECT_UNCHECKED(SEND_WHOLE, 4);
	/* trust-release lets checked releases through, no more. */
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, -1, -1, 1));
	forged_release(self, 10);
	EXPECT_UNCHECKED(SEND_WHOLE, 5);
	forged_release(self, 1);
	subscriber_send(self, SEND_WHOLE);
	EXPECT_TRUE(relay_got(self, 5000));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SHIELD_DROP_RELEASE));
	/* A client's message, bare or relayed by an LDRA, passes. */
	relayed_msg(self, REQUEST, 0);
	subscriber_send(self, SEND_WHOLE);
	EXPECT_TRUE(relay_got(self, 5000));
	relayed_msg(self, REQUEST, 2);
	subscriber_send(self, SEND_WHOLE);
	EXPECT_TRUE(relay_got(self, 5000));
	EXPECT_EQ(5, link_stat(self, LG_LINK_STATS_A_SHIELD_DROP_HIDDEN));
}

/* LG_CMD_SAVI_MISS_NTF: what self->mon heard of unvalidated sources. */
struct misses {
	int n;
	uint32_t ifindex;		/* of the first one */
	struct in6_addr addr;
	uint8_t mac[6];
	bool has_mac;
};

static int miss_attr_cb(const struct nlattr *attr, void *data)
{
	struct misses *m = data;

	switch (mnl_attr_get_type(attr)) {
	case LG_MISS_A_IFINDEX:
		m->ifindex = mnl_attr_get_u32(attr);
		break;
	case LG_MISS_A_SRC_ADDR:
		if (mnl_attr_get_payload_len(attr) == 16)
			memcpy(&m->addr, mnl_attr_get_payload(attr), 16);
		break;
	case LG_MISS_A_SRC_MAC:
		if (mnl_attr_get_payload_len(attr) == 6) {
			memcpy(m->mac, mnl_attr_get_payload(attr), 6);
			m->has_mac = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static int miss_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct misses *m = data;
	struct nlattr *a;

	if (g->cmd != LG_CMD_SAVI_MISS_NTF)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == LG_A_MISS && !m->n++)
			mnl_attr_parse_nested(a, miss_attr_cb, m);
	return MNL_CB_OK;
}

/* Counts the misses self->mon hears within @ms; skips everything else. */
static int misses(FIXTURE_DATA(b) *self, int ms, struct misses *m)
{
	struct timespec t0;
	long long left;

	memset(m, 0, sizeof(*m));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((left = ms - ms_since(&t0)) > 0)
		if (lg_recv(&self->mon, left, miss_cb, m) == -EAGAIN)
			break;
	return m->n;
}

static int miss_rate(FIXTURE_DATA(b) *self, uint32_t ifindex, uint32_t rate)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, LG_LINK_A_MISS_RATE, rate);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

static int ns_miss_rate(FIXTURE_DATA(b) *self, uint32_t rate)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);

	mnl_attr_put_u32(nlh, LG_CONFIG_A_MISS_RATE, rate);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

/*
 * @n UDP datagrams from distinct random sources in 2001:db8:99::/64, from
 * C's @dev to the router's @rmac, on one socket: as fast as a flood.
 */
static void flood(FIXTURE_DATA(b) *self, const char *dev, const uint8_t *rmac,
		  int n)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_halen = 6 };
	struct frame f;
	int fd, i, j;

	frame_ip6(&f, cl_mac, "2001:db8:99::", "2001:db8:f::2");
	memcpy(f.b, rmac, 6);
	frame_udp(&f, 4000, SINK_PORT, "probe", 5);
	f.b[18] = (f.len - 54) >> 8;
	f.b[19] = f.len - 54;
	enter(self, C);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = if_nametoindex(dev);
	memcpy(sll.sll_addr, rmac, 6);
	for (i = 0; i < n && fd >= 0; i++) {
		for (j = 30; j < 38; j++)	/* the interface ID */
			f.b[j] = random();
		/* The checksum is wrong now: SAVI judges before UDP does. */
		if (sendto(fd, f.b, f.len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) != f.len)
			die("flood sendto");
	}
	if (fd < 0)
		die("flood socket");
	close(fd);
	enter(self, R);
}

static const uint8_t acc1_mac[6] = { 2, 0, 0, 0, 2, 1 };

TEST_F_TIMEOUT(b, miss_ntf_for_an_unbound_source_only, 120)
{
	struct frame f;
	struct misses m;

	bound(self);
	misses(self, 200, &m);		/* the binding's own notification */
	send_from(self, cl_mac, "2001:db8:99::1");
	ASSERT_EQ(1, misses(self, 500, &m));
	EXPECT_EQ(self->acc0, m.ifindex);
	EXPECT_TRUE(addr_is(&m.addr, "2001:db8:99::1"));
	EXPECT_TRUE(m.has_mac);
	EXPECT_EQ(0, memcmp(m.mac, cl_mac, 6));
	EXPECT_EQ(1, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT));

	/* Link-local, ::, bound, static, another MAC: none is missing. */
	send_from(self, cl_mac, "fe80::99");
	frame_ip6(&f, cl_mac, "::", "2001:db8:f::2");
	frame_udp(&f, 4000, SINK_PORT, "probe", 5);
	frame_send(self, "eth0", &f);
	send_from(self, cl_mac, "2001:db8:1::1000");
	ASSERT_EQ(0, savi_entry(self, LG_CMD_SAVI_ADD, self->acc0,
				"2001:db8:77::", 64));
	send_from(self, cl_mac, "2001:db8:77::5");
	ASSERT_EQ(0, savi_set(self, self->acc0, -1, LG_SAVI_ANCHOR_MAC, -1, -1));
	send_from(self, other_mac, "2001:db8:100::5");
	EXPECT_EQ(1, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_MAC, 1));
	EXPECT_EQ(1, link_stat(self, LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED));
	EXPECT_EQ(0, misses(self, 500, &m));

	/* Monitor mode tells too; off does not. */
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_MONITOR, -1, -1, -1));
	send_from(self, cl_mac, "2001:db8:99::2");
	ASSERT_EQ(1, misses(self, 500, &m));
	EXPECT_TRUE(addr_is(&m.addr, "2001:db8:99::2"));
	ASSERT_EQ(0, savi_set(self, self->acc0, LG_SAVI_OFF, -1, -1, -1));
	send_from(self, cl_mac, "2001:db8:99::3");
	EXPECT_EQ(0, misses(self, 500, &m));
	EXPECT_EQ(2, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_REPEATED));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED));
}

TEST_F_TIMEOUT(b, miss_ntf_repeated_source_waits_out_the_holddown, 120)
{
	struct timespec t0;
	struct misses m;

	bound(self);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_from(self, cl_mac, "2001:db8:99::1");
	send_from(self, cl_mac, "2001:db8:99::1");
	send_from(self, cl_mac, "2001:db8:99::1");
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SAVI_MISS_REPEATED,
				    2));
	/* Sure to be inside the holddown, or the test says nothing. */
	ASSERT_GT(LG_MISS_HOLDDOWN_MS, ms_since(&t0));
	EXPECT_EQ(1, misses(self, 300, &m));
	usleep((LG_MISS_HOLDDOWN_MS + 100) * 1000);
	send_from(self, cl_mac, "2001:db8:99::1");
	ASSERT_EQ(1, misses(self, 500, &m));
	EXPECT_TRUE(addr_is(&m.addr, "2001:db8:99::1"));
	EXPECT_EQ(2, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT));
	EXPECT_EQ(2, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_REPEATED));
}

TEST_F_TIMEOUT(b, miss_ntf_flood_is_bounded_by_the_link_budget, 120)
{
	uint64_t drops, sent, limited, repeated;
	struct timespec t0;
	struct misses m;
	long long ms;

	bound(self);
	ASSERT_EQ(0, miss_rate(self, self->acc0, 50));
	misses(self, 200, &m);
	drops = link_stat(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	flood(self, "eth0", rtr_mac, 2000);
	ms = ms_since(&t0);
	drops = link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE,
			       drops + 1900) - drops;
	sent = link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT);
	limited = link_stat(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED);
	repeated = link_stat(self, LG_LINK_STATS_A_SAVI_MISS_REPEATED);
	TH_LOG("%llu dropped in %lld ms: %llu sent, %llu limited",
	       (unsigned long long)drops, ms, (unsigned long long)sent,
	       (unsigned long long)limited);
	/* A full bucket of 50, and 50/s while the flood (and the wait) lasts. */
	ms = ms_since(&t0);
	EXPECT_LE(50, sent);
	EXPECT_GE(50 + 50 * ms / 1000 + 1, sent);
	EXPECT_EQ(drops, sent + limited + repeated);
	EXPECT_GE(1, repeated);		/* two random sources the same */
	EXPECT_EQ(0, stat(self, LG_STATS_A_SAVI_MISS_LIMITED));
	EXPECT_EQ((int)sent, misses(self, 500, &m));
}

TEST_F_TIMEOUT(b, miss_ntf_namespace_budget_bounds_two_interfaces, 120)
{
	uint64_t sent, limited, ns_limited;
	struct timespec t0;
	struct misses m;
	long long ms;

	bound(self);
	second_access(self);
	ASSERT_EQ(0, miss_rate(self, self->acc0, 1000));
	ASSERT_EQ(0, miss_rate(self, self->acc1, 1000));
	ASSERT_EQ(0, ns_miss_rate(self, 40));
	misses(self, 200, &m);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	flood(self, "eth0", rtr_mac, 500);
	flood(self, "eth1", acc1_mac, 500);
	ms = ms_since(&t0);
	if_stat_wait(self, self->acc1, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 450);
	sent = link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT) +
	       if_stat(self, self->acc1, LG_LINK_STATS_A_SAVI_MISS_SENT);
	limited = link_stat(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED) +
		  if_stat(self, self->acc1, LG_LINK_STATS_A_SAVI_MISS_LIMITED);
	ns_limited = stat(self, LG_STATS_A_SAVI_MISS_LIMITED);
	TH_LOG("1000 sources in %lld ms: %llu sent, %llu limited", ms,
	       (unsigned long long)sent, (unsigned long long)limited);
	ms = ms_since(&t0);
	EXPECT_LE(40, sent);
	EXPECT_GE(40 + 40 * ms / 1000 + 1, sent);
	/* Neither interface's bucket ran dry: the namespace's did it all. */
	EXPECT_EQ(limited, ns_limited);
	EXPECT_LT(0, if_stat(self, self->acc1,
			     LG_LINK_STATS_A_SAVI_MISS_LIMITED));
	EXPECT_EQ((int)sent, misses(self, 500, &m));
}

TEST_F_TIMEOUT(b, miss_ntf_rate_zero_sends_none, 120)
{
	struct misses m;

	bound(self);
	ASSERT_EQ(0, miss_rate(self, self->acc0, 0));
	send_from(self, cl_mac, "2001:db8:99::1");
	send_from(self, cl_mac, "2001:db8:99::2");
	EXPECT_EQ(2, link_stat_wait(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED,
				    2));
	EXPECT_EQ(0, misses(self, 500, &m));
	/* The namespace's 0 as well, whatever the interface allows. */
	ASSERT_EQ(0, miss_rate(self, self->acc0, 10));
	ASSERT_EQ(0, ns_miss_rate(self, 0));
	send_from(self, cl_mac, "2001:db8:99::3");
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED,
				    3));
	EXPECT_EQ(1, stat(self, LG_STATS_A_SAVI_MISS_LIMITED));
	EXPECT_EQ(0, misses(self, 500, &m));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT));
}

TEST_F_TIMEOUT(b, miss_ntf_nobody_listening_costs_nothing, 120)
{
	bound(self);
	lg_close(&self->mon);
	send_from(self, cl_mac, "2001:db8:99::1");
	send_from(self, cl_mac, "2001:db8:99::1");
	send_from(self, cl_mac, "2001:db8:99::2");
	EXPECT_EQ(3, link_stat_wait(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE, 3));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_SENT));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_REPEATED));
	EXPECT_EQ(0, link_stat(self, LG_LINK_STATS_A_SAVI_MISS_LIMITED));
}

TEST_HARNESS_MAIN
