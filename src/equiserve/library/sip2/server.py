"""Serve SIP2 over TCP, one thread per kiosk connection (no Django here).

A connection idle longer than `idle_seconds` is closed (a kiosk reconnects);
a connection dropped mid-message loses only that message; a message longer
than the codec's limit closes the connection. `on_close` runs when a
connection's thread ends (the Django backend closes its database connection).
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from collections.abc import Callable

from equiserve.library.sip2.codec import Framer, SipError
from equiserve.library.sip2.protocol import Backend, Session

log = logging.getLogger(__name__)


class _Handler(socketserver.BaseRequestHandler):
    server: SipServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(self.server.idle_seconds)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = Session(self.server.backend_factory(), self.server.institution)
        framer = Framer()
        try:
            while True:
                try:
                    data = sock.recv(4096)
                except TimeoutError:
                    log.info("SIP2 connection %s idle: closed", self.client_address)
                    return
                if not data:
                    return
                for line in framer.feed(data):
                    sock.sendall(session.handle(line).encode("utf-8"))
        except (ConnectionError, OSError, SipError) as error:
            log.info("SIP2 connection %s ended: %s", self.client_address, error)
        finally:
            if self.server.on_close:
                self.server.on_close()


class SipServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        backend_factory: Callable[[], Backend],
        *,
        institution: str = "",
        idle_seconds: float = 300.0,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.backend_factory = backend_factory
        self.institution = institution
        self.idle_seconds = idle_seconds
        self.on_close = on_close
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start_in_thread(self) -> threading.Thread:
        """Serve in a daemon thread (tests, benchmarks); stop with `shutdown()`."""
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread
