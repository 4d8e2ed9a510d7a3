// SPDX-License-Identifier: GPL-2.0
/* The end-to-end fixture: four records on two CPUs, a stats file. */
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/socket.h>

#include "e2e_fixture.h"
#include "fixtures.h"

const char STATS[] =
	"cpu 0 written 2 read 0 lost 0 buffered 0\n"
	"cpu 1 written 2 read 0 lost 1 buffered 0\n"
	"total written 4 read 0 lost 1 buffered 0\n"
	"probe __sys_connect nmissed 0 kp_nmissed 0 maxactive 4096\n";

/* STATS after CPU 1 lost 4 more records and the probe missed calls. */
const char STATS_LATER[] =
	"cpu 0 written 2 read 0 lost 0 buffered 0\n"
	"cpu 1 written 9 read 0 lost 5 buffered 0\n"
	"total written 11 read 0 lost 5 buffered 0\n"
	"probe __sys_connect nmissed 2 kp_nmissed 1 maxactive 4096\n"
	"some_future_counter 3\n";

/* The keys record version 2 added, after the first version's. */
#define V2_KEYS(id, netns, caller_error) \
	",\"id\":" id ",\"uid\":0,\"cgroup_id\":0,\"netns\":" netns \
	",\"via\":\"syscall\",\"caller_error\":" caller_error \
	",\"cgroup\":null,\"container\":null}\n"

const char JSON_A[] =
	"{\"event\":\"connect\",\"ts_ns\":1000000000,\"cpu\":0,\"pid\":100,\"tid\":101,\"comm\":\"curl\",\"family\":\"inet\",\"proto\":\"tcp\",\"saddr\":\"127.0.0.1\",\"sport\":40000,\"daddr\":\"127.0.0.1\",\"dport\":80,\"ret\":-111,\"error\":\"ECONNREFUSED\",\"latency_ns\":52000,\"seq\":1,\"fd\":3"
	V2_KEYS("0", "0", "\"ECONNREFUSED\"");
const char JSON_B[] =
	"{\"event\":\"connect\",\"ts_ns\":2000000000,\"cpu\":1,\"pid\":300,\"tid\":300,\"comm\":\"systemd\",\"family\":\"unix\",\"proto\":\"dgram\",\"saddr\":null,\"sport\":null,\"daddr\":null,\"dport\":null,\"ret\":0,\"error\":null,\"latency_ns\":8000,\"seq\":1,\"fd\":7"
	V2_KEYS("0", "0", "null");
const char JSON_C[] =
	"{\"event\":\"connect\",\"ts_ns\":3000000000,\"cpu\":0,\"pid\":200,\"tid\":201,\"comm\":\"nc\",\"family\":\"inet6\",\"proto\":\"tcp\",\"saddr\":\"2001:db8::2\",\"sport\":51000,\"daddr\":\"2001:db8::1\",\"dport\":443,\"ret\":-115,\"error\":\"EINPROGRESS\",\"latency_ns\":1234567,\"seq\":2,\"fd\":5"
	V2_KEYS("0", "0", "\"EINPROGRESS\"");
const char JSON_D[] =
	"{\"event\":\"connect\",\"ts_ns\":2500000000,\"cpu\":1,\"pid\":300,\"tid\":302,\"comm\":\"bad-fd\",\"family\":null,\"proto\":null,\"saddr\":null,\"sport\":null,\"daddr\":null,\"dport\":null,\"ret\":-9,\"error\":\"EBADF\",\"latency_ns\":900,\"seq\":2,\"fd\":99"
	V2_KEYS("null", "null", "\"EBADF\"");

/* curl refused over IPv4, CPU 0 */
struct connprobe_record rec_a(void)
{
	return rec_refused_v4(1000000000, 0, 1);
}

/* systemd on a unix datagram socket: no address rendering, CPU 1 */
struct connprobe_record rec_b(void)
{
	struct connprobe_record r = rec_new(2000000000, 1, 1);

	r.pid = r.tid = 300;
	r.fd = 7;
	r.latency_ns = 8000;
	rec_comm(&r, "systemd");
	rec_sock(&r, AF_UNIX, SOCK_DGRAM, 0);
	r.flags |= CONNPROBE_F_DADDR;
	r.daddr_family = AF_UNIX;
	return r;
}

/* nc non-blocking over IPv6, CPU 0, later than everything on CPU 1 */
struct connprobe_record rec_c(void)
{
	struct connprobe_record r = rec_new(3000000000, 0, 2);

	r.pid = 200;
	r.tid = 201;
	r.fd = 5;
	r.ret = -115;
	r.latency_ns = 1234567;
	rec_comm(&r, "nc");
	rec_sock(&r, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	rec_saddr(&r, "2001:db8::2", 51000);
	rec_daddr(&r, AF_INET6, "2001:db8::1", 443);
	return r;
}

/* EBADF: the kernel knew nothing but the fd, CPU 1 */
struct connprobe_record rec_d(void)
{
	struct connprobe_record r = rec_new(2500000000, 1, 2);

	r.pid = 300;
	r.tid = 302;
	r.fd = 99;
	r.ret = -9;
	r.latency_ns = 900;
	rec_comm(&r, "bad-fd");
	return r;
}

/* CPU 0 holds A, C; CPU 1 holds B, D: time order is A B D C. */
int make_fixture(struct fakefs *fs)
{
	struct connprobe_record cpu0[2] = { rec_a(), rec_c() };
	struct connprobe_record cpu1[2] = { rec_b(), rec_d() };

	if (fakefs_create(fs) ||
	    fakefs_write(fs, "cpu0", cpu0, sizeof(cpu0)) ||
	    fakefs_write(fs, "cpu1", cpu1, sizeof(cpu1)) ||
	    fakefs_write_str(fs, "stats", STATS))
		return -1;
	return 0;
}


int run_on_fixture(struct proc *p, const char *tool, ...)
{
	char *argv[32];
	struct fakefs fs = { 0 };
	va_list ap;
	int n = 0, ret = -1;

	argv[n++] = (char *)tool;
	va_start(ap, tool);
	while (n < 29 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	if (make_fixture(&fs))
		goto out;
	argv[n++] = "--debugfs";
	argv[n++] = fs.root;
	argv[n] = NULL;
	ret = proc_run(p, argv, TOOL_TIMEOUT_MS);
out:
	fakefs_destroy(&fs);
	return ret;
}
