// SPDX-License-Identifier: GPL-2.0
/*
 * release_client: the relay's side for release_server_test.sh. Sends each
 * HEX argument as one UDP datagram to DST PORT (DST%IF: on interface IF),
 * from ADDR and SRCPORT when given (longer than the MTU, the kernel
 * fragments it), then prints each datagram that comes back, one line each:
 *
 *	from=ADDR port=PORT hex=PAYLOAD
 *
 * It stops at N replies (-n, default 1), or after MS milliseconds (-w,
 * default 2000). Exit 0 when exactly N came (with -n 0: when none came in
 * MS), 1 otherwise, 2 on bad arguments or a socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned char buf[65536];

static void die(const char *what)
{
	fprintf(stderr, "release_client: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fputs("Usage: release_client [-b ADDR] [-P SRCPORT] [-n N] [-w MS] "
	      "DST[%IF] PORT HEX...\n", stderr);
	exit(2);
}

static size_t unhex(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned int v;

	if (strlen(s) % 2)
		usage();
	for (; *s; s += 2) {
		if (sscanf(s, "%2x", &v) != 1)
			usage();
		out[n++] = (unsigned char)v;
	}
	return n;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 from;
	socklen_t fl;
	char addr[INET6_ADDRSTRLEN], *scope;
	long want = 1, wait = 2000, got = 0;
	long long end;
	struct pollfd pfd;
	ssize_t len;
	int c, fd, i, left, rcvbuf = 4 << 20;

	while ((c = getopt(argc, argv, "b:P:n:w:")) != -1) {
		switch (c) {
		case 'b':
			if (inet_pton(AF_INET6, optarg, &src.sin6_addr) != 1)
				usage();
			break;
		case 'P':
			src.sin6_port = htons((unsigned short)atoi(optarg));
			break;
		case 'n':
			want = atol(optarg);
			break;
		case 'w':
			wait = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3)
		usage();
	/* DST%IF: a link-local or multicast destination on interface IF */
	scope = strchr(argv[optind], '%');
	if (scope) {
		*scope++ = '\0';
		dst.sin6_scope_id = if_nametoindex(scope);
		if (!dst.sin6_scope_id)
			die(scope);
	}
	if (inet_pton(AF_INET6, argv[optind], &dst.sin6_addr) != 1)
		usage();
	dst.sin6_port = htons((unsigned short)atoi(argv[optind + 1]));

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	/* a burst's replies queue up while it still sends */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)))
		die("bind");
	for (i = optind + 2; i < argc; i++) {
		len = (ssize_t)unhex(argv[i], buf);
		if (sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) != len)
			die("sendto");
	}

	pfd.fd = fd;
	pfd.events = POLLIN;
	end = now_ms() + wait;
	while ((want == 0 || got < want) && (left = (int)(end - now_ms())) > 0) {
		if (poll(&pfd, 1, left) <= 0)
			continue;
		fl = sizeof(from);
		len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			       &fl);
		if (len < 0)
			die("recvfrom");
		printf("from=%s port=%u hex=",
		       inet_ntop(AF_INET6, &from.sin6_addr, addr, sizeof(addr)),
		       ntohs(from.sin6_port));
		for (i = 0; i < len; i++)
			printf("%02x", buf[i]);
		printf("\n");
		fflush(stdout);
		got++;
	}
	return got == want ? 0 : 1;
}
