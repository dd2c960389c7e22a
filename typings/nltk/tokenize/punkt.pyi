from abc import ABCMeta

class PunktParameters:
    abbrev_types: set[str]
    def __init__(self) -> None: ...

class PunktSentenceTokenizer(metaclass=ABCMeta):
    def __init__(
        self,
        train_text: str | PunktParameters | None = None,  # parameters: no training
        verbose: bool = False,
        lang_vars: object = None,
        token_cls: type = ...,
    ) -> None: ...
    def tokenize(self, text: str, realign_boundaries: bool = True) -> list[str]: ...
    def text_contains_sentbreak(self, text: str) -> bool: ...
