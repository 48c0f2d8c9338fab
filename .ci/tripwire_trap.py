"""Listeners of the CI tripwire (.ci/tripwire.sh), run inside its network namespace.

- TCP on the cloud metadata addresses (169.254.169.254:80 for AWS/Azure/GCP, 169.254.170.2:80 for ECS) that the
  namespace puts on its loopback device: every connection is logged with its first request line, then closed.
- DNS on 127.0.0.1:53 (the namespace's only name server): every query is logged and answered NXDOMAIN, so a client
  that looks up a host outside /etc/hosts fails fast and leaves a line in the trap log.

Usage: python3 tripwire_trap.py TRAP_LOG READY_FILE
"""

from __future__ import annotations

import socket
import socketserver
import struct
import sys
import threading

METADATA_ADDRESSES = ("169.254.169.254", "169.254.170.2")


def main() -> None:
    trap_log, ready_file = sys.argv[1], sys.argv[2]
    lock = threading.Lock()

    def record(line: str) -> None:
        with lock, open(trap_log, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    class Tcp(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(2)
            try:
                first = self.request.recv(512).split(b"\r\n", 1)[0].decode("latin-1")
            except OSError:
                first = ""
            host, port = self.server.server_address[:2]
            record(f"tcp {host}:{port} from {self.client_address[0]}: {first!r}")

    class Dns(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            data, sock = self.request
            name = query_name(data)
            record(f"dns query {name!r} from {self.client_address[0]}")
            if len(data) >= 12:
                # Same id and question, QR=1, RD copied, RA=1, RCODE=3 (NXDOMAIN), no answers.
                flags = 0x8000 | (struct.unpack("!H", data[2:4])[0] & 0x0100) | 0x0080 | 0x0003
                sock.sendto(data[:2] + struct.pack("!H", flags) + data[4:6] + b"\0\0\0\0\0\0" + data[12:],
                            self.client_address)

    servers: list[socketserver.BaseServer] = []
    for address in METADATA_ADDRESSES:
        servers.append(socketserver.ThreadingTCPServer((address, 80), Tcp))
    servers.append(socketserver.ThreadingUDPServer(("127.0.0.1", 53), Dns))
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(ready_file, "w", encoding="utf-8") as f:
        f.write("ready\n")
    threading.Event().wait()


def query_name(data: bytes) -> str:
    labels, i = [], 12
    while i < len(data) and data[i] != 0:
        n = data[i]
        labels.append(data[i + 1:i + 1 + n].decode("latin-1"))
        i += 1 + n
    return ".".join(labels)


if __name__ == "__main__":
    socket.setdefaulttimeout(5)
    main()
