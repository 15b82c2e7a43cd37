/* Helpers shared by the benchmarks. Each benchmark uses only libevent's public API, is built
 * against both libevent and event_rs, and prints one number on stdout (see run.sh). */
#ifndef BENCH_H
#define BENCH_H
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <sys/resource.h>

/* The process's CPU time (user + system) in seconds. Every measured part keeps the CPU busy
 * (no waiting on a peer or a long timer), so on an idle machine this equals wall time; on a
 * shared one it leaves out the time spent waiting for a CPU, which varies run to run by far
 * more than the difference being measured. -DBENCH_WALL_CLOCK measures wall time instead. */
static inline double now_s(void)
{
	struct timespec ts;
#ifdef BENCH_WALL_CLOCK
	clock_gettime(CLOCK_MONOTONIC, &ts);
#else
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
#endif
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

/* Make room for `need` descriptors: the soft limit goes to the hard limit, and past it when
 * we are allowed to (root), so 10,000 socketpairs fit on machines with a 20,000 hard limit. */
static inline void raise_nofile(rlim_t need)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		die("getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		rl.rlim_cur = rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		fprintf(stderr, "bench: need %lu descriptors, limit is %lu\n",
		    (unsigned long)need, (unsigned long)rl.rlim_cur);
		exit(1);
	}
}

/* A fixed-seed generator, so both libraries get exactly the same work. */
static uint32_t rng_state = 2463534242u;
static inline uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Positional argument i as a number, or a default. */
static inline long arg_or(int argc, char **argv, int i, long dflt)
{
	return argc > i ? atol(argv[i]) : dflt;
}
#endif
