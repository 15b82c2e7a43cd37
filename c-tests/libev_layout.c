/* libev watcher layouts and constants: printed, compare-output against the system's <ev.h>
 * (programs built against either header must run on either library).
 * needs: -lev */
#include <ev.h>
#include <stddef.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof(%s) = %zu, align %zu\n", #t, sizeof(t), _Alignof(t))
#define OFF(t, f) printf("  %s.%s @ %zu (%zu bytes)\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f))
#define VAL(c) printf("%s = 0x%x\n", #c, (unsigned)(c))

#define COMMON(t) OFF(t, active); OFF(t, pending); OFF(t, priority); OFF(t, data); OFF(t, cb)

int main(void)
{
	SIZE(ev_watcher); COMMON(ev_watcher);
	SIZE(ev_watcher_list); COMMON(ev_watcher_list); OFF(ev_watcher_list, next);
	SIZE(ev_watcher_time); COMMON(ev_watcher_time); OFF(ev_watcher_time, at);
	SIZE(ev_io); COMMON(ev_io); OFF(ev_io, next); OFF(ev_io, fd); OFF(ev_io, events);
	SIZE(ev_timer); COMMON(ev_timer); OFF(ev_timer, at); OFF(ev_timer, repeat);
	SIZE(ev_periodic); COMMON(ev_periodic); OFF(ev_periodic, at); OFF(ev_periodic, offset);
	OFF(ev_periodic, interval); OFF(ev_periodic, reschedule_cb);
	SIZE(ev_signal); COMMON(ev_signal); OFF(ev_signal, next); OFF(ev_signal, signum);
	SIZE(ev_child); COMMON(ev_child); OFF(ev_child, next); OFF(ev_child, flags); OFF(ev_child, pid);
	OFF(ev_child, rpid); OFF(ev_child, rstatus);
	SIZE(ev_stat); COMMON(ev_stat); OFF(ev_stat, next); OFF(ev_stat, timer); OFF(ev_stat, interval);
	OFF(ev_stat, path); OFF(ev_stat, prev); OFF(ev_stat, attr); OFF(ev_stat, wd);
	SIZE(ev_idle); COMMON(ev_idle);
	SIZE(ev_prepare); COMMON(ev_prepare);
	SIZE(ev_check); COMMON(ev_check);
	SIZE(ev_fork); COMMON(ev_fork);
	SIZE(ev_cleanup); COMMON(ev_cleanup);
	SIZE(ev_embed); COMMON(ev_embed); OFF(ev_embed, other); OFF(ev_embed, io); OFF(ev_embed, prepare);
	OFF(ev_embed, check); OFF(ev_embed, timer); OFF(ev_embed, periodic); OFF(ev_embed, idle);
	OFF(ev_embed, fork); OFF(ev_embed, cleanup);
	SIZE(ev_async); COMMON(ev_async); OFF(ev_async, sent);
	SIZE(union ev_any_watcher);
	SIZE(ev_tstamp);

	VAL(EV_VERSION_MAJOR); VAL(EV_VERSION_MINOR); VAL(EV_MINPRI); VAL(EV_MAXPRI);
	VAL(EV_MULTIPLICITY); VAL(EV_FEATURES);
	VAL(EV_UNDEF); VAL(EV_NONE); VAL(EV_READ); VAL(EV_WRITE); VAL(EV__IOFDSET); VAL(EV_IO);
	VAL(EV_TIMER); VAL(EV_TIMEOUT); VAL(EV_PERIODIC); VAL(EV_SIGNAL); VAL(EV_CHILD); VAL(EV_STAT);
	VAL(EV_IDLE); VAL(EV_PREPARE); VAL(EV_CHECK); VAL(EV_EMBED); VAL(EV_FORK); VAL(EV_CLEANUP);
	VAL(EV_ASYNC); VAL(EV_CUSTOM); VAL(EV_ERROR);
	VAL(EVFLAG_AUTO); VAL(EVFLAG_NOENV); VAL(EVFLAG_FORKCHECK); VAL(EVFLAG_NOINOTIFY);
	VAL(EVFLAG_SIGNALFD); VAL(EVFLAG_NOSIGMASK); VAL(EVFLAG_NOTIMERFD);
	VAL(EVBACKEND_SELECT); VAL(EVBACKEND_POLL); VAL(EVBACKEND_EPOLL); VAL(EVBACKEND_KQUEUE);
	VAL(EVBACKEND_DEVPOLL); VAL(EVBACKEND_PORT); VAL(EVBACKEND_LINUXAIO); VAL(EVBACKEND_IOURING);
	VAL(EVBACKEND_ALL); VAL(EVBACKEND_MASK);
	VAL(EVRUN_NOWAIT); VAL(EVRUN_ONCE); VAL(EVBREAK_CANCEL); VAL(EVBREAK_ONE); VAL(EVBREAK_ALL);
	VAL(EVLOOP_NONBLOCK); VAL(EVLOOP_ONESHOT); VAL(EVUNLOOP_CANCEL); VAL(EVUNLOOP_ONE); VAL(EVUNLOOP_ALL);
	printf("version %d.%d\n", ev_version_major(), ev_version_minor());

	/* The initialisation macros write the fields the library reads. */
	ev_io io;
	ev_io_init(&io, NULL, 7, EV_READ | EV_WRITE);
	printf("io: active %d pending %d priority %d fd %d events 0x%x\n", io.active, io.pending, ev_priority(&io), io.fd, io.events);
	ev_io_modify(&io, EV_READ);
	printf("io after modify: events 0x%x\n", io.events);
	ev_timer t;
	ev_timer_init(&t, NULL, 1.5, 2.5);
	printf("timer: at %.1f repeat %.1f\n", t.at, t.repeat);
	ev_child c;
	ev_child_init(&c, NULL, 42, 5);
	printf("child: pid %d flags %d\n", c.pid, c.flags);
	ev_stat s;
	ev_stat_init(&s, NULL, "/tmp", 0.5);
	printf("stat: interval %.1f wd %d\n", s.interval, s.wd);
	ev_set_priority(&t, 2);
	printf("priority %d active %d pending %d\n", ev_priority(&t), ev_is_active(&t), ev_is_pending(&t));
	return 0;
}
