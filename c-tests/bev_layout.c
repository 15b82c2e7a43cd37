/* struct bufferevent's public fields sit at libevent's offsets, and a new bufferevent's fields
 * say what the accessors say (compare-output: the same on both libraries). */
#include <stddef.h>
#include "bev_common.h"

int main(void)
{
	printf("sizeof(struct bufferevent) = %zu\n", sizeof(struct bufferevent));
	printf("sizeof(struct event_watermark) = %zu\n", sizeof(struct event_watermark));
#define OFF(f) printf("offsetof(%s) = %zu\n", #f, offsetof(struct bufferevent, f))
	OFF(ev_base); OFF(be_ops); OFF(ev_read); OFF(ev_write); OFF(input); OFF(output);
	OFF(wm_read); OFF(wm_read.high); OFF(wm_write); OFF(readcb); OFF(writecb); OFF(errorcb);
	OFF(cbarg); OFF(timeout_read); OFF(timeout_write); OFF(enabled);

	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	CHECK(bev->ev_base == base);
	CHECK(bev->be_ops != NULL);
	CHECK(bev->input == bufferevent_get_input(bev));
	CHECK(bev->output == bufferevent_get_output(bev));
	printf("enabled = 0x%x\n", bev->enabled);
	printf("ev_read fd ok = %d, ev_write fd ok = %d\n", event_get_fd(&bev->ev_read) == sv[0], event_get_fd(&bev->ev_write) == sv[0]);
	printf("ev_read events = 0x%x, ev_write events = 0x%x\n", event_get_events(&bev->ev_read), event_get_events(&bev->ev_write));
	bufferevent_setcb(bev, seen_read, seen_write, seen_event, &sv);
	CHECK(bev->readcb == seen_read && bev->writecb == seen_write && bev->errorcb == seen_event && bev->cbarg == &sv);
	bufferevent_setwatermark(bev, EV_READ | EV_WRITE, 10, 100);
	printf("wm_read = %zu/%zu wm_write = %zu/%zu\n", bev->wm_read.low, bev->wm_read.high, bev->wm_write.low, bev->wm_write.high);
	struct timeval r = { 5, 1 }, w = { 6, 2 };
	bufferevent_set_timeouts(bev, &r, &w);
	printf("timeouts = %ld.%06ld %ld.%06ld\n", (long)bev->timeout_read.tv_sec, (long)bev->timeout_read.tv_usec,
	    (long)bev->timeout_write.tv_sec, (long)bev->timeout_write.tv_usec);
	bufferevent_enable(bev, EV_READ);
	printf("enabled = 0x%x pending read = %d\n", bev->enabled, event_pending(&bev->ev_read, EV_READ | EV_TIMEOUT, NULL));
	bufferevent_disable(bev, EV_READ | EV_WRITE);
	printf("enabled = 0x%x pending read = %d\n", bev->enabled, event_pending(&bev->ev_read, EV_READ, NULL));
	bufferevent_free(bev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
