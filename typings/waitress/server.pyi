from _typeshed.wsgi import WSGIApplication

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.task import ThreadedTaskDispatcher

class BaseWSGIServer(wasyncore.dispatcher):
    channel_class: type[HTTPChannel]
    adj: Adjustments
    trigger: wasyncore.dispatcher
    task_dispatcher: ThreadedTaskDispatcher
    effective_host: str
    effective_port: str  # getnameinfo's numeric service name
    active_channels: dict[int, HTTPChannel]
    def __init__(
        self,
        application: WSGIApplication,
        map: wasyncore._SocketMap | None = None,
        _start: bool = True,
        _sock: object = None,
        dispatcher: ThreadedTaskDispatcher | None = None,
        adj: Adjustments | None = None,
        sockinfo: tuple[object, ...] | None = None,
        bind_socket: bool = True,
        **kw: object,  # Adjustments' settings, when `adj` is not given
    ) -> None: ...
    def maintenance(self, now: float) -> None: ...
    def pull_trigger(self) -> None: ...

class TcpWSGIServer(BaseWSGIServer): ...
