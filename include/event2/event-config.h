/** @file
 * event_rs: libevent's build configuration (its event2/event-config.h): the version, and what
 * the platform (x86-64 Linux) provides, under the names libevent programs test with the
 * preprocessor. These describe the build; changing them changes nothing in the library.
 */
#ifndef EVENT2_EVENT_CONFIG_H_INCLUDED_
#define EVENT2_EVENT_CONFIG_H_INCLUDED_

#define EVENT__VERSION "2.1.12-stable" /**< The libevent version implemented, as event_get_version() gives it. */
#define EVENT__NUMERIC_VERSION 0x02010c00 /**< The same as a number: 0xMMmmpp00 (major, minor, patch). */
#define EVENT__PACKAGE_VERSION "2.1.12" /**< The libevent release, without "-stable". */
/* Old spellings, still tested by some programs. */
#define _EVENT_VERSION EVENT__VERSION
#define _EVENT_NUMERIC_VERSION EVENT__NUMERIC_VERSION

/* The sizes in bytes of C types on this platform, under libevent's names. */
#define EVENT__SIZEOF_INT 4
#define EVENT__SIZEOF_LONG 8
#define EVENT__SIZEOF_LONG_LONG 8
#define EVENT__SIZEOF_OFF_T 8
#define EVENT__SIZEOF_PTHREAD_T 8
#define EVENT__SIZEOF_SHORT 2
#define EVENT__SIZEOF_SIZE_T 8
#define EVENT__SIZEOF_SOCKLEN_T 4
#define EVENT__SIZEOF_TIME_T 8
#define EVENT__SIZEOF_VOID_P 8

/* What the platform has (headers, system calls, types), as libevent's configure step
 * records it: each is defined to 1 when present. EVENT__HAVE_OPENSSL: the OpenSSL
 * bufferevents (event2/bufferevent_ssl.h) are in the library. */
#define EVENT__HAVE_ARPA_INET_H 1
#define EVENT__HAVE_EPOLL 1
#define EVENT__HAVE_EPOLL_CREATE1 1
#define EVENT__HAVE_EPOLL_CTL 1
#define EVENT__HAVE_EVENTFD 1
#define EVENT__HAVE_FCNTL 1
#define EVENT__HAVE_FCNTL_H 1
#define EVENT__HAVE_GETADDRINFO 1
#define EVENT__HAVE_GETNAMEINFO 1
#define EVENT__HAVE_GETTIMEOFDAY 1
#define EVENT__HAVE_INET_NTOP 1
#define EVENT__HAVE_INET_PTON 1
#define EVENT__HAVE_INTTYPES_H 1
#define EVENT__HAVE_MMAP 1
#define EVENT__HAVE_NETDB_H 1
#define EVENT__HAVE_NETINET_IN_H 1
#define EVENT__HAVE_NETINET_TCP_H 1
#define EVENT__HAVE_OPENSSL 1
#define EVENT__HAVE_PIPE 1
#define EVENT__HAVE_PIPE2 1
#define EVENT__HAVE_POLL 1
#define EVENT__HAVE_POLL_H 1
#define EVENT__HAVE_PTHREADS 1
#define EVENT__HAVE_SELECT 1
#define EVENT__HAVE_SENDFILE 1
#define EVENT__HAVE_SIGACTION 1
#define EVENT__HAVE_SIGNAL_H 1
#define EVENT__HAVE_STDARG_H 1
#define EVENT__HAVE_STDDEF_H 1
#define EVENT__HAVE_STDINT_H 1
#define EVENT__HAVE_STDIO_H 1
#define EVENT__HAVE_STDLIB_H 1
#define EVENT__HAVE_STRING_H 1
#define EVENT__HAVE_STRUCT_ADDRINFO 1
#define EVENT__HAVE_STRUCT_IN6_ADDR 1
#define EVENT__HAVE_STRUCT_SOCKADDR_IN6 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE_SS_FAMILY 1
#define EVENT__HAVE_STRUCT_SOCKADDR_UN 1
#define EVENT__HAVE_SYS_EPOLL_H 1
#define EVENT__HAVE_SYS_EVENTFD_H 1
#define EVENT__HAVE_SYS_IOCTL_H 1
#define EVENT__HAVE_SYS_MMAN_H 1
#define EVENT__HAVE_SYS_PARAM_H 1
#define EVENT__HAVE_SYS_QUEUE_H 1
#define EVENT__HAVE_SYS_RESOURCE_H 1
#define EVENT__HAVE_SYS_SELECT_H 1
#define EVENT__HAVE_SYS_SENDFILE_H 1
#define EVENT__HAVE_SYS_SOCKET_H 1
#define EVENT__HAVE_SYS_STAT_H 1
#define EVENT__HAVE_SYS_TIME_H 1
#define EVENT__HAVE_SYS_TYPES_H 1
#define EVENT__HAVE_SYS_UIO_H 1
#define EVENT__HAVE_SYS_UN_H 1
#define EVENT__HAVE_SYS_WAIT_H 1
#define EVENT__HAVE_TIMERADD 1
#define EVENT__HAVE_UINT16_T 1
#define EVENT__HAVE_UINT32_T 1
#define EVENT__HAVE_UINT64_T 1
#define EVENT__HAVE_UINT8_T 1
#define EVENT__HAVE_UINTPTR_T 1
#define EVENT__HAVE_UNISTD_H 1
#define EVENT__HAVE_VASPRINTF 1
#define EVENT__HAVE_WORKING_KQUEUE_NOT 1
#define EVENT__TIME_WITH_SYS_TIME 1

/* _GNU_SOURCE: libevent's installed configuration turns on the C library's GNU extensions for every program
 * that includes its headers first; programs rely on it (timeradd() behind evutil_timeradd, the
 * glibc values of EVUTIL_EAI_NODATA and EVUTIL_EAI_ADDRFAMILY under -std=c99). */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1
#endif

#endif
