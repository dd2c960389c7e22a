import socket

# The socket map: file descriptor to the dispatcher reading it.
_SocketMap = dict[int, dispatcher]

class dispatcher:
    _map: _SocketMap
    def __init__(self, sock: socket.socket | None = None, map: _SocketMap | None = None) -> None: ...
    def close(self) -> None: ...
    def handle_close(self) -> None: ...

def loop(
    timeout: float = 30.0,
    use_poll: bool = False,
    map: _SocketMap | None = None,
    count: int | None = None,
) -> None: ...
