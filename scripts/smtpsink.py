#!/usr/bin/env python3
"""A real SMTP server for the tests of notify: it accepts every message (aiosmtpd,
Debian's python3-aiosmtpd) and saves each one as DIR/<n>.eml, written to a temporary name
and renamed, so a reader never sees half a message. With --delay it waits before it
accepts the data, and with --rcpt-delay it waits before it accepts each recipient, after
writing DIR/inflight-<n>: a test that sees that file knows a message is in flight and that
nothing of it has been accepted yet. A recipient starting with "bounce" is refused for
good (550); one starting with "busy" is refused for now (451) while the file DIR/busy
exists. With --tls-cert and --tls-key it offers STARTTLS and requires it (--tls starttls)
or speaks TLS from the first byte (--tls implicit); a message that came over TLS is saved
with an "X-Sink-TLS: yes" line first. It prints "ready" once it listens."""
import argparse
import asyncio
import itertools
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller


class Saver:
    def __init__(self, out, delay, rcpt_delay):
        self.out, self.delay, self.rcpt_delay = out, delay, rcpt_delay
        self.n, self.r = itertools.count(1), itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy") and os.path.exists(os.path.join(self.out, "busy")):
            return "451 4.3.0 mailbox busy, try later"
        if self.rcpt_delay:
            open(os.path.join(self.out, "inflight-%06d" % next(self.r)), "w").close()
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        n = next(self.n)
        name = os.path.join(self.out, "%06d-%d.eml" % (n, os.getpid()))
        with open(name + ".tmp", "wb") as f:
            if session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None:
                f.write(b"X-Sink-TLS: yes\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK saved"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--delay", type=float, default=0)
    p.add_argument("--rcpt-delay", type=float, default=0)
    p.add_argument("--tls", choices=["", "starttls", "implicit"], default="")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    a = p.parse_args()
    kw = {}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        if a.tls == "starttls":
            kw = {"tls_context": ctx, "require_starttls": True}
        else:
            kw = {"ssl_context": ctx}
    c = Controller(Saver(a.dir, a.delay, a.rcpt_delay), hostname="127.0.0.1", port=a.port, **kw)
    c.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()


if __name__ == "__main__":
    sys.exit(main())
