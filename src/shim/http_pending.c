/* Interim: the bufferevent and listener calls evhttp makes, as weak definitions that fail
 * (NULL / -1), so that the library links and loads before the bufferevent branch is merged.
 * Any real (strong) definition in the library replaces these; delete this file once every
 * one of them is defined by src/bufferevent and src/listener.rs. */
#include <stddef.h>
#include <sys/socket.h>

struct bufferevent;
struct evbuffer;
struct event_base;
struct evconnlistener;
struct evdns_base;
struct timeval;

/* Hidden: not part of the exported API (they only keep evhttp linkable). */
#define WEAK __attribute__((weak, visibility("hidden")))

WEAK struct bufferevent *bufferevent_socket_new(struct event_base *b, int fd, int o) { (void)b; (void)fd; (void)o; return NULL; }
WEAK int bufferevent_socket_connect(struct bufferevent *e, const struct sockaddr *s, int l) { (void)e; (void)s; (void)l; return -1; }
WEAK int bufferevent_socket_connect_hostname(struct bufferevent *e, struct evdns_base *d, int f, const char *h, int p) { (void)e; (void)d; (void)f; (void)h; (void)p; return -1; }
WEAK void bufferevent_setcb(struct bufferevent *e, void *r, void *w, void *v, void *a) { (void)e; (void)r; (void)w; (void)v; (void)a; }
WEAK int bufferevent_setfd(struct bufferevent *e, int fd) { (void)e; (void)fd; return -1; }
WEAK int bufferevent_getfd(struct bufferevent *e) { (void)e; return -1; }
WEAK int bufferevent_enable(struct bufferevent *e, short w) { (void)e; (void)w; return -1; }
WEAK int bufferevent_disable(struct bufferevent *e, short w) { (void)e; (void)w; return -1; }
WEAK struct evbuffer *bufferevent_get_input(struct bufferevent *e) { (void)e; return NULL; }
WEAK struct evbuffer *bufferevent_get_output(struct bufferevent *e) { (void)e; return NULL; }
WEAK int bufferevent_set_timeouts(struct bufferevent *e, const struct timeval *r, const struct timeval *w) { (void)e; (void)r; (void)w; return -1; }
WEAK void bufferevent_free(struct bufferevent *e) { (void)e; }
WEAK struct event_base *bufferevent_get_base(struct bufferevent *e) { (void)e; return NULL; }
WEAK int bufferevent_base_set(struct event_base *b, struct bufferevent *e) { (void)b; (void)e; return -1; }
WEAK struct evconnlistener *evconnlistener_new(struct event_base *b, void *cb, void *a, unsigned f, int bl, int fd) { (void)b; (void)cb; (void)a; (void)f; (void)bl; (void)fd; return NULL; }
WEAK void evconnlistener_free(struct evconnlistener *l) { (void)l; }
WEAK void evconnlistener_set_cb(struct evconnlistener *l, void *cb, void *a) { (void)l; (void)cb; (void)a; }
WEAK int evconnlistener_get_fd(struct evconnlistener *l) { (void)l; return -1; }
