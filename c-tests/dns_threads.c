/* evdns with threads (evthread_use_pthreads): the event loop runs in its own thread while the
 * main thread starts lookups and getaddrinfo requests, cancels some, and adds a nameserver;
 * every callback arrives, once, in the loop's thread.
 * The getaddrinfo requests started outside the loop's thread are ones the server holds: in
 * libevent 2.1.12, evdns_getaddrinfo touches its request after starting the lookups, so an
 * answer arriving at once in the loop's thread can free it under its feet. The cancels run in
 * the loop's thread: libevent's evdns_cancel_request schedules the callback before it is done
 * with the request, and that callback, run at once by the loop's thread, frees the handle
 * cancel still reads (an assertion failure this test hit on the real library). */
#include <event2/thread.h>
#include <pthread.h>
#include "dns_test.h"

#define LOOKUPS 200
#define HELD 20
#define GAI 20

static struct event_base *base;
static pthread_t loop_thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int answered, cancelled, gai_answered, gai_cancelled, wrong_thread, nheld;
static struct evdns_server_request *held[HELD + GAI];
static struct evdns_base *dns;
static struct evdns_request *to_cancel[HELD];
static struct evdns_getaddrinfo_request *gai_to_cancel[GAI];

static void server_cb(struct evdns_server_request *req, void *arg)
{
	(void)arg;
	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread++;
	if (!strncasecmp(req->questions[0]->name, "hold", 4)) {
		pthread_mutex_lock(&mu);
		CHECK(nheld < HELD + GAI);
		held[nheld++] = req;
		pthread_mutex_unlock(&mu);
		return;
	}
	if (req->questions[0]->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
	evdns_server_request_respond(req, 0);
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses; (void)arg;
	pthread_mutex_lock(&mu);
	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread++;
	if (result == DNS_ERR_NONE)
		answered++;
	else if (result == DNS_ERR_CANCEL)
		cancelled++;
	pthread_mutex_unlock(&mu);
}

static void gai_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread++;
	if (result == 0 && res)
		gai_answered++;
	else if (result == EVUTIL_EAI_CANCEL)
		gai_cancelled++;
	pthread_mutex_unlock(&mu);
	if (res)
		evutil_freeaddrinfo(res);
}

/* Runs in the loop's thread (scheduled with event_base_once from the main thread). */
static void start_gai_in_loop(evutil_socket_t fd, short what, void *arg)
{
	struct evutil_addrinfo hints;
	(void)fd; (void)what; (void)arg;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	CHECK(evdns_getaddrinfo(dns, "gai.test", "80", &hints, gai_cb, NULL) != NULL);
}

static void cancel_in_loop(evutil_socket_t fd, short what, void *arg)
{
	int i;
	(void)fd; (void)what; (void)arg;
	for (i = 0; i < HELD; i++)
		evdns_cancel_request(i % 2 ? NULL : dns, to_cancel[i]);
	for (i = 0; i < GAI; i++)
		evdns_getaddrinfo_cancel(gai_to_cancel[i]);
}

static void *run_loop(void *arg)
{
	(void)arg;
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

static int count_of(int *v)
{
	int n;
	pthread_mutex_lock(&mu);
	n = *v;
	pthread_mutex_unlock(&mu);
	return n;
}

static void wait_for(int *v, int n)
{
	int i;
	for (i = 0; i < 60000 && count_of(v) < n; i++)
		usleep(1000);
	CHECK_EQ(count_of(v), n);
}

int main(void)
{
	int fd, port, i;
	struct evdns_server_port *server;
	struct evutil_addrinfo hints;

	CHECK_EQ(evthread_use_pthreads(), 0);
	base = event_base_new();
	evdns_set_log_fn(quiet_log);
	fd = udp_socket(&port);
	server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
	dns = evdns_base_new(base, 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "30"), 0);
	CHECK(pthread_create(&loop_thread, NULL, run_loop, NULL) == 0);

	/* A nameserver added while the loop runs. */
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);

	for (i = 0; i < HELD; i++) {
		char name[32];
		snprintf(name, sizeof name, "hold%d.test", i);
		to_cancel[i] = evdns_base_resolve_ipv4(dns, name, 0, result_cb, NULL);
		CHECK(to_cancel[i] != NULL);
	}
	for (i = 0; i < LOOKUPS; i++) {
		char name[32];
		snprintf(name, sizeof name, "n%d.test", i);
		CHECK(evdns_base_resolve_ipv4(dns, name, 0, result_cb, NULL) != NULL);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	for (i = 0; i < GAI; i++) {
		gai_to_cancel[i] = evdns_getaddrinfo(dns, "holdgai.test", "80", &hints, gai_cb, NULL);
		CHECK(gai_to_cancel[i] != NULL);
		CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, start_gai_in_loop, NULL, NULL), 0);
	}

	/* The held queries cannot be answered before they are cancelled. */
	wait_for(&nheld, HELD + GAI);
	CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, cancel_in_loop, NULL, NULL), 0);
	wait_for(&cancelled, HELD);
	wait_for(&gai_cancelled, GAI);
	wait_for(&answered, LOOKUPS);
	wait_for(&gai_answered, GAI);

	event_base_loopbreak(base);
	pthread_join(loop_thread, NULL);
	CHECK_EQ(wrong_thread, 0);
	for (i = 0; i < nheld; i++)
		evdns_server_request_drop(held[i]);
	evdns_base_free(dns, 0);
	evdns_close_server_port(server);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
