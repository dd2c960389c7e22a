from waitress.adjustments import Adjustments

class HTTPRequestParser:
    def __init__(self, adj: Adjustments) -> None: ...
