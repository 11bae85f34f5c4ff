/*
 * lserve: a line server for the socket activation and drain tests.
 *
 *   lserve [-a] LOG
 *
 * With -a it is socket-activated: its listening socket is descriptor 3,
 * and it first records what it was told and what it is:
 *   "env pid=PID LISTEN_PID=X LISTEN_FDS=Y LISTEN_FDNAMES=Z"
 * (a variable that is not set reads "-"), and "fd3 listening" or
 * "fd3 not a listening socket". Without -a it listens itself on
 * 127.0.0.1 at a free port and records "port N". Then it records "ready".
 *
 * Each connection gets one line and is closed:
 *   "answer N pid=PID LISTEN_PID=X LISTEN_FDS=Y"
 * and recorded as "answered N at NS" (NS: the wall clock, nanoseconds).
 * TERM, INT or HUP is recorded as "got NAME at NS"; then lserve dies of it.
 * Every record is one line, appended to LOG in one write.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *logpath;

static void
record(const char *line)
{
	int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT, 0644);
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	if (fd < 0 || write(fd, buf, (size_t)n) != n) {
		perror(logpath);
		exit(2);
	}
	close(fd);
}

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static const char *
var(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? v : "-";
}

int
main(int argc, char **argv)
{
	int activated = argc == 3 && strcmp(argv[1], "-a") == 0;
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	struct signalfd_siginfo si;
	struct pollfd p[2];
	char line[512];
	sigset_t set;
	int lfd, sfd, c, yes = 1, n = 0;

	if (argc != 2 + activated) {
		fprintf(stderr, "usage: lserve [-a] LOG\n");
		return 2;
	}
	logpath = argv[1 + activated];
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		perror("signalfd");
		return 2;
	}
	if (activated) {
		int acc = 0;
		socklen_t al = sizeof(acc);

		lfd = 3;
		snprintf(line, sizeof(line),
		    "env pid=%d LISTEN_PID=%s LISTEN_FDS=%s LISTEN_FDNAMES=%s",
		    (int)getpid(), var("LISTEN_PID"), var("LISTEN_FDS"),
		    var("LISTEN_FDNAMES"));
		record(line);
		if (getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) < 0 ||
		    !acc) {
			record("fd3 not a listening socket");
			return 3;
		}
		record("fd3 listening");
	} else {
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &yes,
		    sizeof(yes)) < 0 ||
		    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(lfd, 16) < 0 ||
		    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
			perror("listen");
			return 2;
		}
		snprintf(line, sizeof(line), "port %d", ntohs(sa.sin_port));
		record(line);
	}
	record("ready");
	p[0].fd = lfd;
	p[0].events = POLLIN;
	p[1].fd = sfd;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			snprintf(line, sizeof(line), "got %s at %lld",
			    sigabbrev_np((int)si.ssi_signo), now_ns());
			record(line);
			signal((int)si.ssi_signo, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			raise((int)si.ssi_signo);
			return 4;
		}
		if (p[0].revents & POLLIN) {
			if ((c = accept(lfd, NULL, NULL)) < 0)
				continue;
			n++;
			snprintf(line, sizeof(line),
			    "answer %d pid=%d LISTEN_PID=%s LISTEN_FDS=%s\n", n,
			    (int)getpid(), var("LISTEN_PID"), var("LISTEN_FDS"));
			if (write(c, line, strlen(line)) < 0)
				perror("write");
			close(c);
			snprintf(line, sizeof(line), "answered %d at %lld", n,
			    now_ns());
			record(line);
		}
	}
}
