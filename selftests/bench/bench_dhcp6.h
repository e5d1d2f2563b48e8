/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Batches of DHCPv6 exchanges for the benchmarks that send them (snoop,
 * savi, release): buffers for MAX_BATCH messages of MSG_MAX bytes each
 * way, sent with sendmmsg() and received with recvmmsg(). Define
 * MAX_BATCH and MSG_MAX before including it.
 */
#ifndef LG_BENCH_DHCP6_H
#define LG_BENCH_DHCP6_H

#include <sys/socket.h>

#include "bench.h"

struct batch {
	uint8_t req[MAX_BATCH][MSG_MAX], rep[MAX_BATCH][MSG_MAX];
	uint8_t rbuf[MAX_BATCH][MSG_MAX];
	struct iovec req_iov[MAX_BATCH], rep_iov[MAX_BATCH], r_iov[MAX_BATCH];
	struct mmsghdr req_m[MAX_BATCH], rep_m[MAX_BATCH], r_m[MAX_BATCH];
};

static struct batch bt __bench_unused;

static inline void batch_init(void)
{
	int i;

	for (i = 0; i < MAX_BATCH; i++) {
		bt.req_iov[i].iov_base = bt.req[i];
		bt.rep_iov[i].iov_base = bt.rep[i];
		bt.r_iov[i].iov_base = bt.rbuf[i];
		bt.r_iov[i].iov_len = MSG_MAX;
		bt.req_m[i].msg_hdr.msg_iov = &bt.req_iov[i];
		bt.req_m[i].msg_hdr.msg_iovlen = 1;
		bt.rep_m[i].msg_hdr.msg_iov = &bt.rep_iov[i];
		bt.rep_m[i].msg_hdr.msg_iovlen = 1;
		bt.r_m[i].msg_hdr.msg_iov = &bt.r_iov[i];
		bt.r_m[i].msg_hdr.msg_iovlen = 1;
	}
}

static inline void make_duid(uint8_t duid[14], unsigned long i)
{
	/* DUID-LLT, link-layer address 02:00:ii:ii:ii:ii */
	static const uint8_t base[14] = { 0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e,
					  2, 0, 0, 0, 0, 0 };

	memcpy(duid, base, 14);
	duid[10] = i >> 24;
	duid[11] = i >> 16;
	duid[12] = i >> 8;
	duid[13] = i;
}

/* Receives @n datagrams on @fd; returns how many came before a timeout. */
static inline int recv_n(int fd, int n)
{
	int got = 0, r;

	while (got < n) {
		r = recvmmsg(fd, bt.r_m, n - got < MAX_BATCH ? n - got : MAX_BATCH,
			     MSG_WAITFORONE, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += r;
	}
	return got;
}

static inline void drain(int fd)
{
	while (recvmmsg(fd, bt.r_m, MAX_BATCH, MSG_DONTWAIT, NULL) > 0)
		;
}

#endif /* LG_BENCH_DHCP6_H */
