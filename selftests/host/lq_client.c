// SPDX-License-Identifier: GPL-2.0
/*
 * lq_client: an RFC 5007 requestor for kea_leasequery.sh, built on
 * agent/lib/dhcp6_leasequery.c as leaseguardd will be. Sends one
 * LEASEQUERY to SERVER port 547 (from -b ADDR, port 547 unless -P) and
 * prints the LEASEQUERY-REPLY, one fact a line:
 *
 *	status=NAME text=TEXT
 *	client=DUID clt_time=SECONDS
 *	lease=ADDR preferred=S valid=S [iaid=N]		(IAADDR)
 *	prefix=ADDR/PLEN preferred=S valid=S [iaid=N]	(IAPREFIX)
 *	relay_data peer=ADDR msg=HEX				(LQ_RELAY_DATA)
 *	link=ADDR				(LQ_CLIENT_LINK)
 *
 *   lq_client [-i] [-o CODE]... [-b ADDR] [-P PORT] [-r DUID] [-l LINK] [-w MS] SERVER QUERY
 *
 * QUERY is "address ADDR", "client-id DUID", "type N" (that query-type,
 * no query-options) or "hex HEX" (sent as it is). -r: the requestor's
 * DUID (Client Identifier), -l the link-address (default 0::0), -i asks
 * for IA_NA and IA_PD in the ORO (the IAIDs, as leaseguardd will), -o
 * for option CODE (47: LQ_RELAY_DATA).
 * Exit 0 on a reply that parses and answers this query (same xid, own
 * Client Identifier), 1 when none came in MS (default 2000) or it does not,
 * 2 on bad arguments or a socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp6_leasequery.h"
#include "hex.h"

#define MAX_LEASES	64

static uint8_t buf[65536];

static void die(const char *what)
{
	fprintf(stderr, "lq_client: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fputs("Usage: lq_client [-i] [-o CODE]... [-b ADDR] [-P PORT] [-r DUID] [-l LINK] [-w MS] "
	      "SERVER { address ADDR | client-id DUID | type N | hex HEX }\n",
	      stderr);
	exit(2);
}

static void addr6(const char *s, uint8_t *out)
{
	if (inet_pton(AF_INET6, s, out) != 1)
		usage();
}

static void print_reply(const struct lq_reply *r)
{
	char a[INET6_ADDRSTRLEN], h[3 * DR_DUID_MAX + 1];
	uint16_t i;

	if (r->has_status)
		printf("status=%s text=%.*s\n", dr_status_name(r->status),
		       (int)r->status_text.len, r->status_text.data);
	if (r->has_client)
		printf("client=%s clt_time=%s%u\n",
		       lg_hex_format(r->client_duid.data, r->client_duid.len, h),
		       r->has_clt_time ? "" : "none/", r->clt_time);
	for (i = 0; i < r->n_leases; i++) {
		const struct lq_lease *l = &r->leases[i];

		inet_ntop(AF_INET6, l->addr, a, sizeof(a));
		if (l->prefix)
			printf("prefix=%s/%u", a, l->plen);
		else
			printf("lease=%s", a);
		printf(" preferred=%u valid=%u", l->preferred, l->valid);
		if (l->has_iaid)
			printf(" iaid=%u", l->iaid);
		printf("\n");
	}
	if (r->has_relay_data) {
		printf("relay_data peer=%s msg=",
		       inet_ntop(AF_INET6, r->relay_peer, a, sizeof(a)));
		for (i = 0; i < r->relay_msg.len; i++)
			printf("%02x", r->relay_msg.data[i]);
		printf("\n");
	}
	for (i = 0; i < r->n_links; i++)
		printf("link=%s\n", inet_ntop(AF_INET6, r->links + 16 * i, a,
					      sizeof(a)));
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	static const uint8_t default_duid[] = { 0, 2, 0, 0, 0, 9, 0x6c, 0x67 };
	uint8_t duid[DR_DUID_MAX], query_duid[DR_DUID_MAX];
	struct lq_lease leases[MAX_LEASES];
	struct lq_query q = { 0 };
	struct lq_reply r;
	long long end;
	struct timespec t;
	struct pollfd pfd;
	long wait = 2000;
	ssize_t len;
	int c, fd, n, left;
	size_t qlen;
	enum lq_err err;

	memcpy(duid, default_duid, sizeof(default_duid));
	q.client_id.data = duid;
	q.client_id.len = sizeof(default_duid);
	src.sin6_port = htons(547);
	while ((c = getopt(argc, argv, "io:b:P:r:l:w:")) != -1) {
		switch (c) {
		case 'i':
			if (q.n_oro + 2 > LQ_MAX_ORO)
				usage();
			q.oro[q.n_oro++] = DR_OPT_IA_NA;
			q.oro[q.n_oro++] = DR_OPT_IA_PD;
			break;
		case 'o':
			if (q.n_oro == LQ_MAX_ORO)
				usage();
			q.oro[q.n_oro++] = (uint16_t)atoi(optarg);
			break;
		case 'b':
			addr6(optarg, src.sin6_addr.s6_addr);
			break;
		case 'P':
			src.sin6_port = htons((unsigned short)atoi(optarg));
			break;
		case 'r':
			n = lg_hex_parse(optarg, duid, sizeof(duid));
			if (n < 0)
				usage();
			q.client_id.len = (uint16_t)n;
			break;
		case 'l':
			addr6(optarg, q.link_addr);
			break;
		case 'w':
			wait = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	addr6(argv[optind], dst.sin6_addr.s6_addr);
	dst.sin6_port = htons(547);

	clock_gettime(CLOCK_REALTIME, &t);
	q.xid = (uint32_t)(t.tv_nsec ^ getpid()) & 0xffffff;
	if (!strcmp(argv[optind + 1], "address")) {
		q.query_type = LQ_QUERY_BY_ADDRESS;
		addr6(argv[optind + 2], q.addr);
	} else if (!strcmp(argv[optind + 1], "client-id")) {
		q.query_type = LQ_QUERY_BY_CLIENTID;
		n = lg_hex_parse(argv[optind + 2], query_duid,
				 sizeof(query_duid));
		if (n < 0)
			usage();
		q.query_client_id.data = query_duid;
		q.query_client_id.len = (uint16_t)n;
	} else if (!strcmp(argv[optind + 1], "type")) {
		q.query_type = (uint8_t)atoi(argv[optind + 2]);
	} else if (strcmp(argv[optind + 1], "hex")) {
		usage();
	}
	if (!strcmp(argv[optind + 1], "hex")) {
		n = lg_hex_parse(argv[optind + 2], buf, sizeof(buf));
		if (n < 4)
			usage();
		qlen = (size_t)n;
		q.xid = (uint32_t)buf[1] << 16 | buf[2] << 8 | buf[3];
	} else {
		qlen = lq_build_query(&q, buf, sizeof(buf));
		if (!qlen) {
			fputs("lq_client: the query cannot be built\n", stderr);
			return 2;
		}
	}

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)))
		die("bind");
	if (sendto(fd, buf, qlen, 0, (struct sockaddr *)&dst, sizeof(dst)) !=
	    (ssize_t)qlen)
		die("sendto");

	pfd.fd = fd;
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &t);
	end = t.tv_sec * 1000LL + t.tv_nsec / 1000000 + wait;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = (int)(end - (t.tv_sec * 1000LL + t.tv_nsec / 1000000));
		if (left <= 0) {
			puts("no reply");
			return 1;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			die("recv");
		r.leases = leases;
		r.max_leases = MAX_LEASES;
		err = lq_parse_reply(buf, (size_t)len, &r);
		if (err == LQ_ERR_TYPE || (err == LQ_OK && r.xid != q.xid))
			continue;	/* not the answer to this query */
		if (err != LQ_OK) {
			printf("malformed reply: %s\n", lq_err_name(err));
			return 1;
		}
		print_reply(&r);
		if (r.client_id.len != q.client_id.len ||
		    memcmp(r.client_id.data, q.client_id.data,
			   q.client_id.len)) {
			puts("not my Client Identifier");
			return 1;
		}
		return 0;
	}
}
