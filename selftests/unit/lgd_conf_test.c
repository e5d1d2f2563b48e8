// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd.conf's failover partner keys (agent/leaseguardd/conf.c),
 * driven alone through lgd_conf_line(), lgd_conf_check(),
 * lgd_conf_relay_id() and lgd_conf_load():
 * - every key's good values, as struct lgd_partner_conf holds them
 *   (addresses in canonical text, ports, milliseconds), and each bad
 *   value with its message;
 * - the defaults, written out, and "none"/"auto" giving them back;
 * - the node id made from the relay id: the first 16 octets of SHA-256
 *   over the DUID (the expected values are openssl dgst -sha256's), and
 *   a node-id line that wins over it;
 * - what only the whole file says (lgd_conf_check()): listen and partner
 *   addresses of two families, the partner's address and port as our
 *   own;
 * - lgd_partner_conf_equal(), field by field;
 * - an error through lgd_conf_load(), "FILE:LINE: "LINE": what".
 * The daemon's own -t (selftests/host/lgd_conf_test.sh) sees the same
 * messages end to end.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "log_capture.h"
#include "kselftest_harness.h"

#include "lgd.h"

/* One line of the file: NULL, or what is wrong. */
static const char *set(struct lgd_conf *c, const char *line)
{
	static char buf[1024];
	const char *key;

	snprintf(buf, sizeof(buf), "%s", line);
	return lgd_conf_line(c, buf, &key);
}

#define SET_OK(c, line) do {						\
	const char *why_ = set(c, line);				\
	EXPECT_EQ(NULL, why_) TH_LOG("\"%s\": %s", line, why_);		\
} while (0)

#define SET_BAD(c, line, msg) do {					\
	const char *why_ = set(c, line);				\
	ASSERT_NE(NULL, why_) TH_LOG("\"%s\" taken", line);		\
	EXPECT_STREQ(msg, why_);					\
} while (0)

static const char *hex16(const uint8_t *p)
{
	static char buf[33];
	int i;

	for (i = 0; i < 16; i++)
		sprintf(buf + 2 * i, "%02x", p[i]);
	return buf;
}

TEST(defaults)
{
	static const uint8_t zero[16];
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	EXPECT_FALSE(c.has_partner);
	EXPECT_FALSE(c.has_node_id);
	EXPECT_STREQ("", c.partner.peer_addr);
	EXPECT_EQ(LGD_PARTNER_PORT_DEFAULT, c.partner.peer_port);
	EXPECT_EQ(4647, c.partner.peer_port);
	EXPECT_STREQ("", c.partner.listen_addr);
	EXPECT_EQ(4647, c.partner.listen_port);
	EXPECT_STREQ(LGD_TLS_KEY_DEFAULT, c.partner.key_path);
	EXPECT_STREQ("/etc/leaseguard/partner.key", c.partner.key_path);
	EXPECT_STREQ("leaseguard", c.partner.identity);
	EXPECT_EQ(3000, c.partner.dead_ms);
	EXPECT_EQ(LGD_PS_QUEUE_MAX, c.partner.queue_max);
	EXPECT_EQ(65536, c.partner.queue_max);
	EXPECT_EQ(LGD_PARTNER_HS_LOG_MS, c.partner.hs_log_ms);
	EXPECT_EQ(0, memcmp(zero, c.partner.node_id, 16));
	/* No partner: nothing for lgd_conf_check() to say. */
	EXPECT_EQ(NULL, lgd_conf_check(&c));
}

TEST(partner)
{
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	SET_OK(&c, "partner 2001:DB8:0::02");
	EXPECT_TRUE(c.has_partner);
	EXPECT_STREQ("2001:db8::2", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
	SET_OK(&c, "partner [2001:db8::3]:4700");
	EXPECT_STREQ("2001:db8::3", c.partner.peer_addr);
	EXPECT_EQ(4700, c.partner.peer_port);
	/* A port is the line's: the next line without one has the default. */
	SET_OK(&c, "partner [2001:db8::4]");
	EXPECT_STREQ("2001:db8::4", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
	SET_OK(&c, "partner 192.0.2.2");
	EXPECT_STREQ("192.0.2.2", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
	SET_OK(&c, "partner 192.0.2.2:65535");
	EXPECT_EQ(65535, c.partner.peer_port);
	SET_OK(&c, "partner fd00:1::2");		/* unique local */
	SET_OK(&c, "partner ::1");		/* two daemons on one host */
	SET_OK(&c, "partner 127.0.0.1:4648");
	/* Without brackets, a port is part of an IPv6 address. */
	SET_OK(&c, "partner 2001:db8::2:4700");
	EXPECT_STREQ("2001:db8::2:4700", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
	SET_OK(&c, "partner ::ffff:192.0.2.2");
	EXPECT_STREQ("::ffff:192.0.2.2", c.partner.peer_addr);
	EXPECT_TRUE(c.has_partner);
	SET_OK(&c, "partner none");
	EXPECT_FALSE(c.has_partner);
	EXPECT_STREQ("", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
}

#define PARTNER_SYNTAX "partner is \"none\" or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)"

TEST(partner_bad)
{
	static const char *const syntax[] = {
		"partner router2", "partner 2001:db8::2::4647",
		"partner 2001:db8::g", "partner [2001:db8::2]:0",
		"partner [2001:db8::2]:65536", "partner [2001:db8::2]4647",
		"partner [2001:db8::2", "partner [192.0.2.2]:4647",
		"partner 192.0.2.2:", "partner 192.0.2.2:http",
		"partner 192.0.2.256", "partner 192.0.2.2:4647:1",
		"partner 2001:db8::2%eth0", "partner *",
	};
	struct lgd_conf c;
	unsigned int i;

	lgd_conf_defaults(&c);
	for (i = 0; i < ARRAY_SIZE(syntax); i++)
		SET_BAD(&c, syntax[i], PARTNER_SYNTAX);
	SET_BAD(&c, "partner ::",
		"partner: not the unspecified address (the partner is one router)");
	SET_BAD(&c, "partner 0.0.0.0:4647",
		"partner: not the unspecified address (the partner is one router)");
	SET_BAD(&c, "partner ff02::1", "partner: not a multicast address");
	SET_BAD(&c, "partner [ff05::1:3]:4647",
		"partner: not a multicast address");
	SET_BAD(&c, "partner 224.0.0.18", "partner: not a multicast address");
	SET_BAD(&c, "partner 239.255.255.250:4647",
		"partner: not a multicast address");
	SET_BAD(&c, "partner 255.255.255.255",
		"partner: not the broadcast address");
	SET_BAD(&c, "partner fe80::2",
		"partner: not a link-local address (it needs an interface: give a global or unique local one)");
	SET_BAD(&c, "partner", "missing value");
	SET_BAD(&c, "partner 2001:db8::2 4647", "one value only");
	/* Nothing of the refused lines was taken. */
	EXPECT_FALSE(c.has_partner);
	EXPECT_STREQ("", c.partner.peer_addr);
	EXPECT_EQ(4647, c.partner.peer_port);
}

TEST(partner_listen)
{
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	SET_OK(&c, "partner-listen 2001:db8::1");
	EXPECT_STREQ("2001:db8::1", c.partner.listen_addr);
	EXPECT_EQ(4647, c.partner.listen_port);
	SET_OK(&c, "partner-listen [2001:db8::1]:4700");
	EXPECT_EQ(4700, c.partner.listen_port);
	SET_OK(&c, "partner-listen 192.0.2.1:4701");
	EXPECT_STREQ("192.0.2.1", c.partner.listen_addr);
	EXPECT_EQ(4701, c.partner.listen_port);
	/* IPv4 only: kept as written (lgd_conf_check() has a word on it). */
	SET_OK(&c, "partner-listen 0.0.0.0");
	EXPECT_STREQ("0.0.0.0", c.partner.listen_addr);
	/* "::" is "any": IPv6 and IPv4, as partner.c listens on "". */
	SET_OK(&c, "partner-listen [::]:4702");
	EXPECT_STREQ("", c.partner.listen_addr);
	EXPECT_EQ(4702, c.partner.listen_port);
	SET_OK(&c, "partner-listen none");
	EXPECT_STREQ("", c.partner.listen_addr);
	EXPECT_EQ(0, c.partner.listen_port);
	SET_OK(&c, "partner-listen any");
	EXPECT_STREQ("", c.partner.listen_addr);
	EXPECT_EQ(4647, c.partner.listen_port);

	SET_BAD(&c, "partner-listen all",
		"partner-listen is any, none, or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)");
	SET_BAD(&c, "partner-listen [2001:db8::1]:0",
		"partner-listen is any, none, or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)");
	SET_BAD(&c, "partner-listen ff02::1",
		"partner-listen: not a multicast address");
	SET_BAD(&c, "partner-listen 224.0.0.1:4647",
		"partner-listen: not a multicast address");
	SET_BAD(&c, "partner-listen fe80::1",
		"partner-listen: not a link-local address (it needs an interface: give a global or unique local one)");
	EXPECT_STREQ("", c.partner.listen_addr);
	EXPECT_EQ(4647, c.partner.listen_port);
}

TEST(partner_key_identity)
{
	char line[400], path[300];
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	SET_OK(&c, "partner-key /etc/leaseguard/pair-a.key");
	EXPECT_STREQ("/etc/leaseguard/pair-a.key", c.partner.key_path);
	memset(path, 'k', 255);
	path[0] = '/';
	path[255] = '\0';
	snprintf(line, sizeof(line), "partner-key %s", path);
	SET_OK(&c, line);
	EXPECT_STREQ(path, c.partner.key_path);
	path[255] = 'k';
	path[256] = '\0';
	snprintf(line, sizeof(line), "partner-key %s", path);
	SET_BAD(&c, line,
		"partner-key is an absolute path of at most 255 characters");
	SET_BAD(&c, "partner-key partner.key",
		"partner-key is an absolute path of at most 255 characters");

	SET_OK(&c, "partner-identity pair-7/west");
	EXPECT_STREQ("pair-7/west", c.partner.identity);
	memset(path, 'i', 128);
	path[128] = '\0';
	snprintf(line, sizeof(line), "partner-identity %s", path);
	SET_OK(&c, line);
	EXPECT_STREQ(path, c.partner.identity);
	path[128] = 'i';
	path[129] = '\0';
	snprintf(line, sizeof(line), "partner-identity %s", path);
	SET_BAD(&c, line,
		"partner-identity is 1 to 128 printable ASCII characters without spaces");
	SET_BAD(&c, "partner-identity caf\xc3\xa9",
		"partner-identity is 1 to 128 printable ASCII characters without spaces");
	SET_BAD(&c, "partner-identity a\x7f",
		"partner-identity is 1 to 128 printable ASCII characters without spaces");
	EXPECT_EQ(128, strlen(c.partner.identity));
}

TEST(partner_dead_interval)
{
	static const struct {
		const char *val;
		uint32_t ms;
	} good[] = {
		{ "3", 3000 }, { "1", 1000 }, { "1.5", 1500 }, { "60", 60000 },
		{ "2.25", 2250 }, { "0001.001", 1001 }, { "60.000", 60000 },
	};
	static const char *const bad[] = {
		"0.5", "0.999", "60.001", "61", "1.", ".5", "1.0001", "-1",
		"1,5", "1.5s", "3e0", "99999999999999999999",
	};
	char line[80];
	struct lgd_conf c;
	unsigned int i;

	lgd_conf_defaults(&c);
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(line, sizeof(line), "partner-dead-interval %s",
			 good[i].val);
		SET_OK(&c, line);
		EXPECT_EQ(good[i].ms, c.partner.dead_ms) TH_LOG("%s", line);
	}
	/* The least is two heartbeats: more than one, as the page says. */
	EXPECT_EQ(2 * LGD_PS_HEARTBEAT_MS, LGD_PARTNER_DEAD_MIN_MS);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "partner-dead-interval %s",
			 bad[i]);
		SET_BAD(&c, line,
			"partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)");
	}
	EXPECT_EQ(60000, c.partner.dead_ms);
}

TEST(partner_queue)
{
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	SET_OK(&c, "partner-queue 1024");
	EXPECT_EQ(1024, c.partner.queue_max);
	SET_OK(&c, "partner-queue 16777216");
	EXPECT_EQ(16777216, c.partner.queue_max);
	SET_BAD(&c, "partner-queue 1023",
		"partner-queue is 1024 to 16777216 changes");
	SET_BAD(&c, "partner-queue 16777217",
		"partner-queue is 1024 to 16777216 changes");
	SET_BAD(&c, "partner-queue 64k",
		"partner-queue is 1024 to 16777216 changes");
	EXPECT_EQ(16777216, c.partner.queue_max);
}

TEST(node_id)
{
	struct lgd_conf c;

	lgd_conf_defaults(&c);
	SET_OK(&c, "node-id 0123456789ABCDEF0123456789abcdef");
	EXPECT_TRUE(c.has_node_id);
	EXPECT_STREQ("0123456789abcdef0123456789abcdef", hex16(c.partner.node_id));
	/* Colons between octets, as relay-id takes them. */
	SET_OK(&c, "node-id 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:01");
	EXPECT_STREQ("00112233445566778899aabbccddee01", hex16(c.partner.node_id));
	SET_BAD(&c, "node-id 0123456789abcdef0123456789abcd",
		"node-id is \"auto\" or 32 hex digits (16 octets)");
	SET_BAD(&c, "node-id 0123456789abcdef0123456789abcdef00",
		"node-id is \"auto\" or 32 hex digits (16 octets)");
	SET_BAD(&c, "node-id 0123456789abcdef0123456789abcdeg",
		"node-id is \"auto\" or 32 hex digits (16 octets)");
	SET_BAD(&c, "node-id 00000000000000000000000000000000",
		"node-id: all zeros is not a node id");
	EXPECT_STREQ("00112233445566778899aabbccddee01", hex16(c.partner.node_id));
	SET_OK(&c, "node-id auto");
	EXPECT_FALSE(c.has_node_id);
}

/*
 * The node id made from the relay id: SHA-256 over the DUID's octets,
 * its first 16. Expected: printf '\x00\x02\x00\x00\x00\x09\x6c\x67' |
 * openssl dgst -sha256 = 369e45662d3d2003f9355fc8ea6d5345 7bbf9e...
 */
TEST(node_id_derived)
{
	struct lgd_conf c, d;

	lgd_conf_defaults(&c);
	SET_OK(&c, "relay-id 00:02:00:00:00:09:6c:67");
	ASSERT_EQ(0, lgd_conf_relay_id(&c));
	EXPECT_FALSE(c.has_node_id);
	EXPECT_STREQ("369e45662d3d2003f9355fc8ea6d5345", hex16(c.partner.node_id));

	/* A DUID-UUID, as "auto" makes one of a machine-id 0123...3210. */
	lgd_conf_defaults(&d);
	SET_OK(&d, "relay-id 0004" "0123456789abcdef" "fedcba9876543210");
	ASSERT_EQ(0, lgd_conf_relay_id(&d));
	EXPECT_STREQ("67d293f62f8e5772084b18b2afde2448", hex16(d.partner.node_id));

	/* Two relay ids, two node ids: the tie-breaks have a winner. */
	EXPECT_NE(0, memcmp(c.partner.node_id, d.partner.node_id, 16));

	/* Again: the same (a node id is stable across starts). */
	ASSERT_EQ(0, lgd_conf_relay_id(&c));
	EXPECT_STREQ("369e45662d3d2003f9355fc8ea6d5345", hex16(c.partner.node_id));

	/* A node-id line wins, before or after the relay-id line. */
	lgd_conf_defaults(&c);
	SET_OK(&c, "node-id 0123456789abcdef0123456789abcdef");
	SET_OK(&c, "relay-id 00:02:00:00:00:09:6c:67");
	ASSERT_EQ(0, lgd_conf_relay_id(&c));
	EXPECT_STREQ("0123456789abcdef0123456789abcdef", hex16(c.partner.node_id));
	/* "node-id auto" after it: derived again. */
	SET_OK(&c, "node-id auto");
	ASSERT_EQ(0, lgd_conf_relay_id(&c));
	EXPECT_STREQ("369e45662d3d2003f9355fc8ea6d5345", hex16(c.partner.node_id));
}

TEST(check)
{
	struct lgd_conf c;

	/* Of one family, or listening on "any": fine. */
	lgd_conf_defaults(&c);
	SET_OK(&c, "partner 2001:db8::2");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	SET_OK(&c, "partner-listen 2001:db8::1");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	SET_OK(&c, "partner 192.0.2.2");
	EXPECT_STREQ("partner-listen 2001:db8::1 is IPv6 and partner 192.0.2.2 is IPv4: give both of one family, or partner-listen any",
		     lgd_conf_check(&c));
	SET_OK(&c, "partner-listen any");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	SET_OK(&c, "partner-listen [::]:4700");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	SET_OK(&c, "partner-listen 192.0.2.1");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	/* 0.0.0.0 listens on IPv4 only: an IPv6 partner never gets in. */
	SET_OK(&c, "partner [2001:db8::2]:4647");
	SET_OK(&c, "partner-listen 0.0.0.0");
	EXPECT_STREQ("partner-listen 0.0.0.0 is IPv4 and partner 2001:db8::2 is IPv6: give both of one family, or partner-listen any",
		     lgd_conf_check(&c));
	/* Never listening: the listen address says nothing. */
	SET_OK(&c, "partner-listen none");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
	/* Without a partner the others are checked line by line only. */
	SET_OK(&c, "partner-listen 0.0.0.0");
	SET_OK(&c, "partner none");
	EXPECT_EQ(NULL, lgd_conf_check(&c));

	/* Ourselves as the partner. */
	SET_OK(&c, "partner 2001:db8::1");
	SET_OK(&c, "partner-listen 2001:db8::1");
	EXPECT_STREQ("partner and partner-listen are both 2001:db8::1 port 4647: the partner is the other router",
		     lgd_conf_check(&c));
	/* One host, two ports: two daemons of a test. */
	SET_OK(&c, "partner [2001:db8::1]:4648");
	EXPECT_EQ(NULL, lgd_conf_check(&c));
}

TEST(equal)
{
	struct lgd_conf a, b;

	lgd_conf_defaults(&a);
	lgd_conf_defaults(&b);
	EXPECT_TRUE(lgd_partner_conf_equal(&a.partner, &b.partner));
	/* The daemon's, not the file's. */
	b.partner.instance = 7;
	b.partner.role = 1;
	b.partner.sw_version = "0.2";
	EXPECT_TRUE(lgd_partner_conf_equal(&a.partner, &b.partner));
	/* "::" and "any" are one setting. */
	SET_OK(&a, "partner-listen ::");
	EXPECT_TRUE(lgd_partner_conf_equal(&a.partner, &b.partner));

#define DIFFERS(line) do {						\
	lgd_conf_defaults(&a);						\
	SET_OK(&a, line);						\
	EXPECT_FALSE(lgd_partner_conf_equal(&a.partner, &b.partner))	\
		TH_LOG("%s", line);					\
	EXPECT_FALSE(lgd_partner_conf_equal(&b.partner, &a.partner));	\
} while (0)
	DIFFERS("partner 2001:db8::2");
	lgd_conf_defaults(&b);
	SET_OK(&b, "partner 2001:db8::2");
	DIFFERS("partner [2001:db8::2]:4648");
	DIFFERS("partner 2001:db8::3");
	SET_OK(&a, "partner 2001:db8::2");
	EXPECT_TRUE(lgd_partner_conf_equal(&a.partner, &b.partner));
	lgd_conf_defaults(&b);
	DIFFERS("partner-listen 2001:db8::1");
	DIFFERS("partner-listen [::]:4648");
	DIFFERS("partner-listen none");
	DIFFERS("partner-key /etc/leaseguard/other.key");
	DIFFERS("partner-identity other");
	DIFFERS("partner-dead-interval 3.001");
	DIFFERS("partner-queue 65535");
	DIFFERS("node-id 0123456789abcdef0123456789abcdef");
#undef DIFFERS
	lgd_conf_defaults(&a);
	a.partner.hs_log_ms = 1000;
	EXPECT_FALSE(lgd_partner_conf_equal(&a.partner, &b.partner));
	/* Each key set to its default: the same as no line at all. */
	lgd_conf_defaults(&a);
	SET_OK(&a, "partner-listen any");
	SET_OK(&a, "partner-key /etc/leaseguard/partner.key");
	SET_OK(&a, "partner-identity leaseguard");
	SET_OK(&a, "partner-dead-interval 3");
	SET_OK(&a, "partner-queue 65536");
	SET_OK(&a, "node-id auto");
	SET_OK(&a, "partner none");
	EXPECT_TRUE(lgd_partner_conf_equal(&a.partner, &b.partner));
}

static const char *a6(const uint8_t *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof(buf));
}

#define FALLBACK_SYNTAX "release-fallback is \"none\" or a comma list of at most 4 ADDR or ADDR=DUID (an IPv6 address; the server's DUID in hex, 3 to 130 octets)"

TEST(release_fallback)
{
	static const char *const syntax[] = {
		"interface acc0 release-fallback server2",
		"interface acc0 release-fallback 2001:db8::1,",
		"interface acc0 release-fallback ,2001:db8::1",
		"interface acc0 release-fallback 2001:db8::1,,2001:db8::2",
		"interface acc0 release-fallback 192.0.2.1",
		"interface acc0 release-fallback 2001:db8::1;2001:db8::2",
		"interface acc0 release-fallback 2001:db8::1,2001:db8::2,2001:db8::3,2001:db8::4,2001:db8::5",
		"interface acc0 release-fallback learned",
		"interface acc0 release-fallback 2001:db8::1=",
		"interface acc0 release-fallback 2001:db8::1=00:03",
		"interface acc0 release-fallback 2001:db8::1=00:03:0g",
		"interface acc0 release-fallback 00:03:00:01=2001:db8::1",
		"interface acc0 release-fallback 2001:db8::1=00:03:00:01=01",
	};
	const struct lgd_if_conf *ic;
	struct lgd_conf c;
	size_t i;

	lgd_conf_defaults(&c);
	EXPECT_EQ(0, c.if_default.n_fallback);
	/* "*": the default of the interfaces named after it. */
	SET_OK(&c, "interface * release-fallback 2001:DB8::53");
	SET_OK(&c, "interface acc0 release-fallback 2001:db8::1,2001:db8::2");
	SET_OK(&c, "interface acc1 release-server 2001:db8::9");
	ic = lgd_conf_if(&c, "acc0");
	ASSERT_EQ(2, ic->n_fallback);
	EXPECT_STREQ("2001:db8::1", a6(ic->fallback[0]));
	EXPECT_STREQ("2001:db8::2", a6(ic->fallback[1]));
	ic = lgd_conf_if(&c, "acc1");
	ASSERT_EQ(1, ic->n_fallback);
	EXPECT_STREQ("2001:db8::53", a6(ic->fallback[0]));
	ic = lgd_conf_if(&c, "other0");
	ASSERT_EQ(1, ic->n_fallback);
	SET_OK(&c, "interface acc0 release-fallback fd00::1,2001:db8::2,::1,2001:db8::4");
	EXPECT_EQ(4, lgd_conf_if(&c, "acc0")->n_fallback);
	EXPECT_EQ(0, lgd_conf_if(&c, "acc0")->fallback_duid_len[0]);
	/* The server's DUID, for the Server Identifier: either hex form. */
	SET_OK(&c, "interface acc0 release-fallback 2001:db8::1=00:03:00:01:02:00:00:00:0f:03,2001:db8::2,2001:db8::3=000300010200");
	ic = lgd_conf_if(&c, "acc0");
	ASSERT_EQ(3, ic->n_fallback);
	EXPECT_EQ(10, ic->fallback_duid_len[0]);
	EXPECT_EQ(0x03, ic->fallback_duid[0][9]);
	EXPECT_EQ(0, ic->fallback_duid_len[1]);
	EXPECT_EQ(6, ic->fallback_duid_len[2]);
	EXPECT_STREQ("2001:db8::3", a6(ic->fallback[2]));
	SET_OK(&c, "interface acc0 release-fallback none");
	EXPECT_EQ(0, lgd_conf_if(&c, "acc0")->n_fallback);
	EXPECT_EQ(1, lgd_conf_if(&c, "acc1")->n_fallback);

	/* A bad line leaves the list as it was. */
	SET_OK(&c, "interface acc0 release-fallback 2001:db8::1");
	for (i = 0; i < sizeof(syntax) / sizeof(*syntax); i++)
		SET_BAD(&c, syntax[i], FALLBACK_SYNTAX);
	SET_BAD(&c, "interface acc0 release-fallback ::",
		"release-fallback: :: is the unspecified address");
	SET_BAD(&c, "interface acc0 release-fallback 2001:db8::1,ff05::1:3",
		"release-fallback: ff05::1:3 is a multicast address (a release waits for one server at a time)");
	SET_BAD(&c, "interface acc0 release-fallback fe80::1",
		"release-fallback: fe80::1 is a link-local address (it needs an interface: give a global or unique local one)");
	SET_BAD(&c, "interface acc0 release-fallback 2001:db8::1,2001:DB8::0:1",
		"release-fallback: 2001:DB8::0:1 is given twice");
	SET_BAD(&c, "interface acc0 release-fallback 2001:db8::1 2001:db8::2",
		"interface NAME KEY VALUE: one value only");
	ic = lgd_conf_if(&c, "acc0");
	ASSERT_EQ(1, ic->n_fallback);
	EXPECT_STREQ("2001:db8::1", a6(ic->fallback[0]));
}

/* Through the file: the error names it, the line and what is wrong. */
TEST(load)
{
	char path[] = "/tmp/lgd_conf_test.XXXXXX", log[] = "/tmp/lgd_conf_log.XXXXXX";
	int fd = mkstemp(path), log_fd = mkstemp(log), saved = dup(2);
	struct lgd_conf c;
	char want[512];
	FILE *f;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, log_fd);
	f = fdopen(fd, "w");
	fputs("# a pair\npartner [2001:db8::2]:4647\n"
	      "partner-identity pair-7\n"
	      "partner-dead-interval 1.5   # three heartbeats\n", f);
	fclose(f);
	lgd_conf_defaults(&c);
	ASSERT_EQ(0, lgd_conf_load(&c, path, true));
	EXPECT_TRUE(c.has_partner);
	EXPECT_STREQ("2001:db8::2", c.partner.peer_addr);
	EXPECT_STREQ("pair-7", c.partner.identity);
	EXPECT_EQ(1500, c.partner.dead_ms);

	f = fopen(path, "w");
	fputs("partner 2001:db8::2\n\npartner-dead-interval 0.5\n", f);
	fclose(f);
	fflush(stderr);
	dup2(log_fd, 2);
	lgd_conf_defaults(&c);
	EXPECT_EQ(-1, lgd_conf_load(&c, path, true));
	fflush(stderr);
	dup2(saved, 2);
	snprintf(want, sizeof(want),
		 "leaseguardd: err: %s:3: \"partner-dead-interval 0.5\": partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)\n",
		 path);
	EXPECT_STREQ(want, log_text(log_fd));
	close(log_fd);
	close(saved);
	unlink(log);
	unlink(path);
}

TEST_HARNESS_MAIN
