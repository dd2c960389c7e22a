import socket
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer

class HTTPChannel(wasyncore.dispatcher):
    parser_class: type[HTTPRequestParser]
    will_close: bool  # set to close the connection
    request: HTTPRequestParser | None  # the request being read
    requests: list[HTTPRequestParser]  # complete requests not yet answered
    def __init__(
        self,
        server: BaseWSGIServer,
        sock: socket.socket,
        addr: Any,  # the peer's address, as socket.accept() returns it
        adj: Adjustments,
        map: wasyncore._SocketMap | None = None,
    ) -> None: ...
