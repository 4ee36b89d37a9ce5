#!/usr/bin/env python3
"""A real SMTP server for the tests of notify: it accepts every message (aiosmtpd,
Debian's python3-aiosmtpd) and saves each one as DIR/<n>.eml, written to a temporary name
and renamed, so a reader never sees half a message. With --delay it waits before it
accepts the data, which gives a test a window in which a message is in flight. It prints
"ready" once it listens."""
import argparse
import asyncio
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller


class Saver:
    def __init__(self, out, delay):
        self.out, self.delay, self.n = out, delay, itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        n = next(self.n)
        name = os.path.join(self.out, "%06d-%d.eml" % (n, os.getpid()))
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK saved"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--delay", type=float, default=0)
    a = p.parse_args()
    c = Controller(Saver(a.dir, a.delay), hostname="127.0.0.1", port=a.port)
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
