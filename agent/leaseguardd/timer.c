// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's timers: one binary min-heap of deadlines, which the main
 * loop turns into its epoll_wait() timeout. Retransmissions and hold
 * times are few (a request carries many clients), so a heap is plenty.
 */
#include <stdlib.h>

#include "lgd.h"

static struct lgd_timer **heap;
static size_t heap_n, heap_cap;

static void lgd_heap_set(size_t i, struct lgd_timer *t)
{
	heap[i] = t;
	t->slot = i + 1;
}

static void lgd_heap_up(size_t i)
{
	struct lgd_timer *t = heap[i];

	while (i && heap[(i - 1) / 2]->when > t->when) {
		lgd_heap_set(i, heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	lgd_heap_set(i, t);
}

static void lgd_heap_down(size_t i)
{
	struct lgd_timer *t = heap[i];
	size_t c;

	while ((c = 2 * i + 1) < heap_n) {
		if (c + 1 < heap_n && heap[c + 1]->when < heap[c]->when)
			c++;
		if (heap[c]->when >= t->when)
			break;
		lgd_heap_set(i, heap[c]);
		i = c;
	}
	lgd_heap_set(i, t);
}

void lgd_timer_stop(struct lgd_timer *t)
{
	struct lgd_timer *last;
	size_t i;

	if (!t->slot)
		return;
	i = t->slot - 1;
	t->slot = 0;
	last = heap[--heap_n];
	if (i == heap_n)
		return;
	/* The last one fills the hole, then sinks or rises into place. */
	lgd_heap_set(i, last);
	lgd_heap_down(i);
	lgd_heap_up(last->slot - 1);
}

void lgd_timer_arm(struct lgd_timer *t, uint64_t when)
{
	lgd_timer_stop(t);
	if (heap_n == heap_cap) {
		size_t cap = heap_cap ? 2 * heap_cap : 64;
		struct lgd_timer **h = realloc(heap, cap * sizeof(*h));

		if (!h) {
			lgd_err("timers: out of memory");
			abort();
		}
		heap = h;
		heap_cap = cap;
	}
	t->when = when;
	lgd_heap_set(heap_n++, t);
	lgd_heap_up(heap_n - 1);
}

int lgd_timers_run(void)
{
	uint64_t now = lgd_now_ms();
	struct lgd_timer *t;

	while (heap_n && heap[0]->when <= now) {
		t = heap[0];
		lgd_timer_stop(t);
		t->fire(t);
		now = lgd_now_ms();
	}
	if (!heap_n)
		return -1;
	return heap[0]->when - now > 60000 ? 60000 : heap[0]->when - now;
}
