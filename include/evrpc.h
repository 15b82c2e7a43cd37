/** @file
 * event_rs: the 1.x RPC header (libevent 2.1.12's evrpc.h): includes event.h and the RPC
 * headers, with the variadic EVTAG_ macros of event2/rpc_compat.h. New code includes
 * event2/rpc.h instead. */
#ifndef EVENT1_EVRPC_H_INCLUDED_
#define EVENT1_EVRPC_H_INCLUDED_

#include <event.h>
#include <event2/rpc.h>
#include <event2/rpc_struct.h>
#include <event2/rpc_compat.h>

#endif /* EVENT1_EVRPC_H_INCLUDED_ */
